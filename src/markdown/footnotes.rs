//! Notes: numbering by first reference, checks, and the two renderings (sidenotes and the
//! endnotes list).
//!
//! Numbers follow the order of first reference in the text; notes referenced only from
//! other notes come after, in the order those notes are numbered. Labels match
//! case-insensitively, as CommonMark link labels do, and never appear in ids: ids are
//! `fn-N` for a note and `fnref-N`, `fnref-N-2`, … for its references, valid whatever the
//! label. A sidenote of one paragraph, first referenced straight from a top-level paragraph,
//! is a `<span>` just after that reference, so that a right float lines up with its line; any
//! other is an `<aside>` placed just before the top-level block holding the note's first
//! reference in the text, so that a right float lines up with that block.

use super::{Def, Note};
use crate::codes::{self, Code};
use pulldown_cmark::{html, CowStr, Event};
use std::collections::{HashMap, HashSet};

/// CommonMark label matching: case-folded, inner whitespace collapsed.
pub(super) fn norm(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Reports problems: (offset in the body, code, message).
pub type Report<'r> = dyn FnMut(usize, Code, String) + 'r;

/// The notes' numbers: by first reference in the text, then notes referenced from notes.
pub(super) struct Numbering {
    /// The definition of each label (the first, when defined twice).
    by_label: HashMap<String, usize>,
    /// The number of each definition that has one.
    pub(super) number_of: HashMap<usize, usize>,
    /// Definitions in number order.
    pub(super) order: Vec<usize>,
}

impl Numbering {
    /// The number of the note labelled `label`.
    pub(super) fn of(&self, label: &str) -> Option<usize> {
        self.by_label
            .get(&norm(label))
            .and_then(|d| self.number_of.get(d))
            .copied()
    }

    /// The definition of the note labelled `label`.
    pub(super) fn def(&self, label: &str) -> Option<usize> {
        self.by_label.get(&norm(label)).copied()
    }
}

/// Numbers the notes and writes the body's HTML and the notes list.
pub fn render(
    main: Vec<Event<'_>>,
    defs: Vec<Def<'_>>,
    report: &mut Report,
) -> (String, Vec<Note>) {
    let numbers = numbering(&main, &defs, report);
    let num = |label: &str| numbers.of(label);
    let (order, number_of) = (&numbers.order, &numbers.number_of);

    let mut refs = Refs::default();
    let sidenotes: HashMap<usize, Sidenote> = order
        .iter()
        .map(|&d| {
            let n = number_of[&d];
            let html = to_html(&defs[d].events, &num, None);
            (n, sidenote(n, &html, one_paragraph(&defs[d].events)))
        })
        .collect();

    let html = main_html(main, &num, &sidenotes, &mut refs);

    let notes = order
        .iter()
        .map(|&d| {
            let n = number_of[&d];
            let html = to_html(&defs[d].events, &num, Some(&mut refs));
            Note {
                number: n,
                id: format!("fn-{n}"),
                html,
                backrefs: Vec::new(),
            }
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|mut note| {
            note.backrefs = refs.ids.remove(&note.number).unwrap_or_default();
            note
        })
        .collect();
    (html, notes)
}

/// Numbers the notes, reporting duplicate and unused definitions.
pub(super) fn numbering(main: &[Event<'_>], defs: &[Def<'_>], report: &mut Report) -> Numbering {
    let mut by_label: HashMap<String, usize> = HashMap::new();
    for (i, d) in defs.iter().enumerate() {
        let key = norm(&d.label);
        if let std::collections::hash_map::Entry::Vacant(slot) = by_label.entry(key) {
            slot.insert(i);
        } else {
            report(
                d.offset,
                codes::DUPLICATE_NOTE,
                format!(
                    "the note `[^{}]` is defined twice; keep one definition or rename one label",
                    d.label
                ),
            );
        }
    }

    // Numbering: text first, then notes referenced from notes, breadth first.
    let mut number_of: HashMap<usize, usize> = HashMap::new();
    let mut order: Vec<usize> = Vec::new();
    let number = |label: &str, order: &mut Vec<usize>, number_of: &mut HashMap<usize, usize>| {
        if let Some(&def) = by_label.get(&norm(label)) {
            if let std::collections::hash_map::Entry::Vacant(slot) = number_of.entry(def) {
                order.push(def);
                slot.insert(order.len());
            }
        }
    };
    for ev in main {
        if let Event::FootnoteReference(l) = ev {
            number(l, &mut order, &mut number_of);
        }
    }
    let mut i = 0;
    while i < order.len() {
        for ev in &defs[order[i]].events {
            if let Event::FootnoteReference(l) = ev {
                number(l, &mut order, &mut number_of);
            }
        }
        i += 1;
    }
    for (i, d) in defs.iter().enumerate() {
        if !number_of.contains_key(&i) && by_label.get(&norm(&d.label)) == Some(&i) {
            report(
                d.offset,
                codes::UNUSED_NOTE,
                format!(
                    "the note `[^{}]` is never referenced; cite it with `[^{}]` in the text or remove it",
                    d.label, d.label
                ),
            );
        }
    }
    Numbering {
        by_label,
        number_of,
        order,
    }
}

/// Reference ids handed out so far, per note number.
#[derive(Default)]
struct Refs {
    ids: HashMap<usize, Vec<String>>,
}

impl Refs {
    fn next(&mut self, n: usize) -> String {
        let ids = self.ids.entry(n).or_default();
        let id = if ids.is_empty() {
            format!("fnref-{n}")
        } else {
            format!("fnref-{n}-{}", ids.len() + 1)
        };
        ids.push(id.clone());
        id
    }
}

fn ref_html(n: usize, id: Option<&str>) -> String {
    let id = id.map(|i| format!(r#" id="{i}""#)).unwrap_or_default();
    format!(r##"<sup class="note-ref"><a{id} href="#fn-{n}" role="doc-noteref">{n}</a></sup>"##)
}

/// A note's margin copy, in its two forms.
struct Sidenote {
    /// `<aside>`, placed before the top-level block that references it.
    aside: String,
    /// For a note of one paragraph: a `<span>` that can follow its reference inside the
    /// paragraph, so that without the script it floats level with that line (Tufte CSS's
    /// technique), not at the top of the paragraph.
    inline: Option<String>,
}

/// Whether a note's events are one paragraph of inline content (which a `<span>` can hold).
fn one_paragraph(events: &[Event<'_>]) -> bool {
    use pulldown_cmark::{Tag, TagEnd};
    let inline = |ev: &Event| match ev {
        Event::Start(t) => matches!(
            t,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Superscript
                | Tag::Subscript
        ),
        Event::End(t) => matches!(
            t,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Superscript
                | TagEnd::Subscript
        ),
        // An author's inline HTML may be anything (`<div>`); Scholia's own (glossary link
        // tags, citation marks) is inline.
        Event::InlineHtml(_) => false,
        _ => true,
    };
    match events {
        [Event::Start(Tag::Paragraph), middle @ .., Event::End(TagEnd::Paragraph)] => {
            middle.iter().all(inline)
        }
        _ => false,
    }
}

fn sidenote(n: usize, html: &str, one_paragraph: bool) -> Sidenote {
    let number = format!(r#"<span class="sidenote-number">{n}</span> "#);
    let inner = match html.strip_prefix("<p>") {
        Some(rest) => format!("<p>{number}{rest}"),
        None => format!("{number}{html}"),
    };
    let inline = one_paragraph
        .then(|| html.trim_end().strip_prefix("<p>")?.strip_suffix("</p>"))
        .flatten()
        .filter(|inner| !inner.contains("<p>"))
        .map(|inner| format!("<span class=\"sidenote\" role=\"note\">{number}{inner}</span>"));
    Sidenote {
        aside: format!(
            "<aside class=\"sidenote\" role=\"note\">{}</aside>\n",
            inner.trim_end()
        ),
        inline,
    }
}

/// HTML of a note's events; references get ids only when `refs` is given (the endnotes list),
/// never in the sidenote copy, so that ids stay unique.
fn to_html(
    events: &[Event<'_>],
    num: &dyn Fn(&str) -> Option<usize>,
    mut refs: Option<&mut Refs>,
) -> String {
    let mut out = String::new();
    let converted = events.iter().cloned().map(|ev| match ev {
        Event::FootnoteReference(l) => match num(&l) {
            Some(n) => {
                let id = refs.as_mut().map(|r| r.next(n));
                Event::Html(CowStr::from(ref_html(n, id.as_deref())))
            }
            None => Event::Text(CowStr::from(format!("[^{l}]"))),
        },
        other => other,
    });
    html::push_html(&mut out, converted);
    out
}

/// The body: each top-level block, preceded by the sidenotes of the notes it references
/// first; a one-paragraph note referenced straight from a top-level paragraph (not from
/// inside a link or emphasis) follows its reference instead.
fn main_html(
    main: Vec<Event<'_>>,
    num: &dyn Fn(&str) -> Option<usize>,
    sidenotes: &HashMap<usize, Sidenote>,
    refs: &mut Refs,
) -> String {
    let mut out = String::new();
    let mut block: Vec<Event> = Vec::new();
    let mut asides: Vec<usize> = Vec::new();
    let mut placed: HashSet<usize> = HashSet::new();
    let mut depth = 0usize;
    let mut in_paragraph = false;
    for ev in main {
        if depth == 0 {
            in_paragraph = matches!(ev, Event::Start(pulldown_cmark::Tag::Paragraph));
        }
        let ev = match ev {
            Event::FootnoteReference(l) => match num(&l) {
                Some(n) => {
                    let mut html = ref_html(n, Some(&refs.next(n)));
                    if placed.insert(n) {
                        match &sidenotes[&n].inline {
                            Some(span) if in_paragraph && depth == 1 => html.push_str(span),
                            _ => asides.push(n),
                        }
                    }
                    Event::Html(CowStr::from(html))
                }
                None => Event::Text(CowStr::from(format!("[^{l}]"))),
            },
            other => other,
        };
        match &ev {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        block.push(ev);
        if depth == 0 {
            for n in asides.drain(..) {
                out.push_str(&sidenotes[&n].aside);
            }
            html::push_html(&mut out, block.drain(..));
        }
    }
    html::push_html(&mut out, block.drain(..));
    out
}
