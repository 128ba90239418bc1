//! Markdown rendering: one body in, HTML plus everything learnt on the way out.
//!
//! The passes, in order, over pulldown-cmark's event stream (with source offsets):
//!
//! 1. **parse** with the contract's options (GFM tables, strikethrough, task lists, footnotes,
//!    smart punctuation, heading attributes, `[[wiki links]]`), merging adjacent text events
//!    so that a name split by the parser is still found;
//! 2. **link** ([`Linker`]): resolves `[[slug]]` links, adds automatic glossary links to text
//!    outside code, headings, links, images and raw HTML anchors, neutralises `javascript:`
//!    URLs, gives headings ids, highlights fenced code, records the first mention of each
//!    entry with its sentence (backlinks), and sets footnote definitions aside;
//! 3. **notes** ([`footnotes`]): numbers notes by first reference, reports undefined,
//!    duplicate and unused ones, and writes the HTML with sidenotes placed before the
//!    top-level block that references them, and the endnotes list.
//!
//! 4. **cite** (with a bibliography): every `[@key]` became a note of its own in pass 2 (or
//!    a mark inside the footnote that holds it); the citations are formatted together, in
//!    note order, so that the style can shorten repeated ones, and the marks replaced.
//!
//! 5. **paragraph ids** (commentaries): every top-level paragraph and block quote was marked
//!    in pass 2; the marks become an `id` derived from the block's source (so it survives
//!    edits elsewhere), made unique against the page's other ids, and a `¶` link to it.
//!
//! 6. **sanitize** (only with `sanitize_html: true`): the whole HTML goes through ammonia,
//!    which keeps the markup Scholia itself produced.
//!
//! Nothing here reads or writes files.

pub mod footnotes;
pub mod highlight;
pub mod sanitize;
pub mod summary;

use crate::cite::{self, CiteItem, Sources};
use crate::codes::{self, Code};
pub use crate::config::Autolink;
use crate::config::SiteConfig;
use crate::content::{Date, Text};
use crate::error::{Diagnostic, LineIndex};
use crate::glossary::coverage::{self, Suggest};
use crate::glossary::Glossary;
use pulldown_cmark::{
    BrokenLink, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// The parser options of the contract.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}

/// What a render needs besides the text.
pub struct Input<'a> {
    /// The file (body and positions).
    pub file: &'a Text,
    /// The glossary to link to.
    pub glossary: &'a Glossary,
    /// Automatic links for this body.
    pub autolink: Autolink,
    /// The entry whose page this is: never linked automatically.
    pub own_entry: Option<usize>,
    /// Clean raw HTML (`sanitize_html: true`): scripts, event handlers, iframes removed.
    pub sanitize: bool,
    /// Collect the editorial report (`check`): coverage candidates, plain mentions of
    /// explicit-only entries.
    pub editorial: bool,
    /// The site's bibliography: `[@key]` is a citation only when there is one.
    pub sources: Option<&'a Sources>,
    /// The text's language (BCP 47): its citations use that language's CSL locale.
    pub lang: &'a str,
    /// Give each top-level paragraph and block quote a stable id and a `¶` link (the
    /// commentaries, which readers cite to the paragraph).
    pub paragraph_ids: bool,
    /// When the text was written (a commentary's date): links to a treaty then say its
    /// status on that date.
    pub written: Option<Date>,
    /// The states of interest (`states:`), named in those statuses.
    pub states: &'a [String],
}

impl<'a> Input<'a> {
    /// The input of a body of this site: the site's linking mode and sanitising, no entry of
    /// its own, no editorial report.
    pub fn new(
        file: &'a Text,
        glossary: &'a Glossary,
        config: &'a SiteConfig,
        sources: &'a Sources,
    ) -> Input<'a> {
        Input {
            file,
            glossary,
            autolink: config.autolink,
            own_entry: None,
            sanitize: config.sanitize_html,
            editorial: false,
            sources: Some(sources),
            lang: &config.language,
            paragraph_ids: false,
            written: None,
            states: &config.states,
        }
    }

    /// Stable paragraph ids and `¶` links.
    pub fn paragraph_ids(mut self, on: bool) -> Self {
        self.paragraph_ids = on;
        self
    }

    /// A text written on `date` (a commentary): treaty links say their status then.
    pub fn written(mut self, date: Date) -> Self {
        self.written = Some(date);
        self
    }

    /// The body of entry `i`'s own page: never linked to itself.
    pub fn own_entry(mut self, i: usize) -> Self {
        self.own_entry = Some(i);
        self
    }

    /// A commentary's `autolink:` (`false` turns automatic links off in it).
    pub fn article_autolink(mut self, on: bool) -> Self {
        if !on {
            self.autolink = Autolink::None;
        }
        self
    }

    /// Collects `check`'s editorial report.
    pub fn editorial(mut self, on: bool) -> Self {
        self.editorial = on;
        self
    }
}

/// One note, numbered, rendered.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Note {
    /// 1-based number, by first reference.
    pub number: usize,
    /// The id of its `<li>`.
    pub id: String,
    /// The note's HTML.
    pub html: String,
    /// Ids of the references to it, in order.
    pub backrefs: Vec<String>,
}

/// The first mention of an entry in a body.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Mention {
    /// Glossary index.
    pub entry: usize,
    /// The plain-text sentence around it.
    pub sentence: String,
}

/// The output of a render.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Body HTML, sidenotes included.
    pub html: String,
    /// Notes in number order, for the list at the end.
    pub notes: Vec<Note>,
    /// First mention of each entry linked, in order.
    pub mentions: Vec<Mention>,
    /// Plain text of the first paragraph.
    pub first_paragraph: String,
    /// Words of prose (code excluded).
    pub words: usize,
    /// Problems found.
    pub diags: Vec<Diagnostic>,
    /// Names that may deserve a glossary entry (only with `editorial`).
    pub candidates: Vec<(String, Suggest)>,
    /// The works cited, as the style's bibliography: (key, HTML), in the style's order.
    pub works_cited: Vec<(String, String)>,
}

/// Pass 1: the body's events, with their source ranges.
fn events<'a>(input: &'a Input<'a>) -> Vec<(Event<'a>, Range<usize>)> {
    let citing = input.sources.is_some();
    // An unresolved `[@key, …]` is a citation; the linker reads it back from the source.
    let callback = |link: BrokenLink<'a>| -> Option<(CowStr<'a>, CowStr<'a>)> {
        let src = format!("[{}]", link.reference);
        (citing && cite::parse(&src).is_some())
            .then_some((link.reference, CowStr::Borrowed(CITE_MARK)))
    };
    let parser =
        Parser::new_with_broken_link_callback(input.file.body(), options(), Some(callback));
    merge_text(parser.into_offset_iter())
}

/// A body written for print: Typst markup (see [`crate::pdf::markup`]).
#[derive(Debug, Clone, Default)]
pub struct Print {
    /// The body's markup.
    pub markup: String,
    /// Where each top-level block starts: (offset in `markup`, offset in the body).
    pub blocks: Vec<(usize, usize)>,
    /// The works cited, as markup, in the style's order.
    pub works_cited: Vec<String>,
    /// Problems only print has (an image without alt text); the page's render reports the
    /// others.
    pub diags: Vec<Diagnostic>,
}

/// Renders one body for print, from the same passes as [`render`] (so its links, notes,
/// numbers and citations are the page's): the linker keeps links and code blocks as events,
/// and the result is Typst markup. Note labels start with `prefix`; link targets go through
/// `url` (to make them absolute).
pub fn render_print<'a>(input: &'a Input<'a>, prefix: &str, url: &dyn Fn(&str) -> String) -> Print {
    let mut linker = Linker::new(input);
    linker.print = true;
    for (ev, range) in events(input) {
        linker.event(ev, range);
    }
    let numbers = footnotes::numbering(&linker.out, &linker.defs, &mut |_, _, _| {});
    // Citations in note order, as [`format_citations`] finds them in the notes' HTML.
    let mut order: Vec<(usize, usize)> = Vec::new();
    let mut seen = HashSet::new();
    for &d in &numbers.order {
        for ev in &linker.defs[d].events {
            if let Event::Html(h) = ev {
                let mut rest: &str = h;
                while let Some((id, after)) = next_placeholder(rest) {
                    if seen.insert(id) {
                        order.push((id, numbers.number_of[&d]));
                    }
                    rest = after;
                }
            }
        }
    }
    let (by_id, works) = match input.sources {
        Some(sources) if !order.is_empty() => formatted_citations(
            sources,
            input.lang,
            &linker.cites,
            &linker.trim_period,
            &order,
        ),
        _ => Default::default(),
    };
    let defs = &linker.defs;
    let note = |label: &str| {
        Some((
            numbers.of(label)?,
            defs[numbers.def(label)?].events.as_slice(),
        ))
    };
    let cite = |id: usize| {
        by_id
            .get(&id)
            .map(|h| crate::pdf::markup::from_html(h, url))
    };
    let resolve = crate::pdf::markup::Resolve {
        note: &note,
        cite: &cite,
        url,
    };
    let (markup, map) = crate::pdf::markup::Writer::new(resolve, prefix).body(&linker.out);
    let blocks = map
        .into_iter()
        .filter_map(|(at, block)| Some((at, *linker.blocks.get(block)?)))
        .collect();
    Print {
        markup,
        blocks,
        works_cited: works
            .iter()
            .map(|(_, h)| crate::pdf::markup::from_html(h, url))
            .collect(),
        diags: linker.diags,
    }
}

/// Renders one Markdown body.
pub fn render<'a>(input: &'a Input<'a>) -> Rendered {
    let mut linker = Linker::new(input);
    for (ev, range) in events(input) {
        linker.event(ev, range);
    }
    let Linker {
        out,
        defs,
        mut diags,
        mentions,
        first_paragraph,
        words,
        explicit,
        plain_mentions,
        candidates,
        deep_at,
        cites,
        trim_period,
        made_refs,
        para_ids,
        heading_ids,
        ..
    } = linker;
    let defined: HashSet<String> = defs.iter().map(|d| footnotes::norm(&d.label)).collect();
    for (label, offset) in made_refs {
        if !defined.contains(&footnotes::norm(&label)) {
            let msg = format!(
                "the note `[^{label}]` has no definition; add a line `[^{label}]: …` to the file"
            );
            diags.push(input_diag(input, offset, codes::UNDEFINED_NOTE, msg));
        }
    }
    for (entry, offset) in plain_mentions {
        if explicit.contains(&entry) {
            let name = &input.glossary.entries[entry].name;
            let msg = format!("`{name}` is linked explicitly elsewhere in this article but mentioned here without a link; link this mention too (`[[{}]]`), or reword it", input.glossary.entries[entry].slug);
            diags.push(input_diag(input, offset, codes::PLAIN_MENTION, msg));
        }
    }
    let (mut html, mut notes) = footnotes::render(out, defs, &mut |offset, code, msg| {
        diags.push(input_diag(input, offset, code, msg));
    });
    let works_cited = match input.sources {
        Some(sources) if !cites.is_empty() => format_citations(
            sources,
            input.lang,
            &cites,
            &trim_period,
            &mut html,
            &mut notes,
        ),
        _ => Vec::new(),
    };
    if !para_ids.is_empty() {
        let label = input
            .glossary
            .text
            .get("link_paragraph")
            .map_or("Link to this paragraph", String::as_str);
        html = place_paragraph_ids(&html, para_ids, &heading_ids, label);
    }
    if input.sanitize && (deep_at.is_some() || sanitize::too_deep(&html)) {
        let msg = format!("blocks are nested more than {} deep here; with `sanitize_html: true` Scholia refuses such pages, because cleaning them takes time that grows with the square of the depth; flatten the quotes, lists or HTML", sanitize::MAX_DEPTH);
        diags.push(input_diag(
            input,
            deep_at.unwrap_or(0),
            codes::TOO_DEEP,
            msg,
        ));
        html.clear();
        notes.clear();
    } else if input.sanitize {
        html = sanitize::clean(&html);
        for n in &mut notes {
            n.html = sanitize::clean(&n.html);
        }
    }
    Rendered {
        html,
        notes,
        mentions,
        first_paragraph: first_paragraph.unwrap_or_default(),
        words,
        diags,
        candidates,
        works_cited,
    }
}

/// Renders a short text of one paragraph (a correction) without its `<p>`. The caller gives
/// no bibliography, so `[@key]` stays text (a note could not be shown beside a one-line
/// notice); a text of several blocks keeps its blocks.
pub fn render_inline(input: &Input) -> Rendered {
    let mut r = render(input);
    let inner = r
        .html
        .trim_end()
        .strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .filter(|h| !h.contains("<p>"));
    if let Some(inner) = inner {
        r.html = inner.to_string();
    }
    r
}

/// Opens (`\u{E002}N\u{E003}`) and closes (`\u{E002}N\u{E004}`) block `N` for pass 5.
fn para_mark(n: usize, end: bool) -> String {
    format!("\u{E002}{n}{}", if end { '\u{E004}' } else { '\u{E003}' })
}

/// The id of a block, from its source: FNV-1a over its words (so re-wrapping lines keeps
/// it; a quote's `>` marks are not words), a hash that does not depend on the Rust
/// version, unlike `DefaultHasher`'s.
fn paragraph_id(source: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let words = source
        .split_whitespace()
        .filter(|w| !w.bytes().all(|b| b == b'>'));
    for (i, word) in words.enumerate() {
        for b in (if i > 0 { " " } else { "" }).bytes().chain(word.bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("p-{:08x}", (h >> 32) ^ (h & 0xffff_ffff))
}

/// Pass 5: each opening mark puts its id on the tag just before it (`<p>` or
/// `<blockquote>`), each closing mark becomes the `¶` link. Ids are unique in the page: a
/// repeated paragraph, or a heading that happens to have the same id, gets `-2`, `-3`, ….
fn place_paragraph_ids(
    html: &str,
    wanted: Vec<String>,
    taken: &HashSet<String>,
    label: &str,
) -> String {
    let mut used: HashSet<String> = taken.clone();
    let ids: Vec<String> = wanted
        .into_iter()
        .map(|w| {
            let mut id = w.clone();
            let mut n = 2;
            while !used.insert(id.clone()) {
                id = format!("{w}-{n}");
                n += 1;
            }
            id
        })
        .collect();
    let mut out = String::with_capacity(html.len() + ids.len() * 120);
    let mut rest = html;
    while let Some(at) = rest.find('\u{E002}') {
        let after = &rest[at + '\u{E002}'.len_utf8()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let kind = after[digits..].chars().next();
        let id = after[..digits]
            .parse::<usize>()
            .ok()
            .and_then(|n| ids.get(n));
        let (Some(id), Some(kind @ ('\u{E003}' | '\u{E004}'))) = (id, kind) else {
            // Not a mark of ours (the character was in the text): keep it.
            out.push_str(&rest[..at + '\u{E002}'.len_utf8()]);
            rest = after;
            continue;
        };
        let mut before = &rest[..at];
        if kind == '\u{E003}' {
            let tag = ["<p>", "<blockquote>\n", "<blockquote>"]
                .into_iter()
                .find(|t| before.ends_with(t));
            if let Some(tag) = tag {
                before = &before[..before.len() - tag.len()];
                out.push_str(before);
                let name = if tag == "<p>" { "p" } else { "blockquote" };
                out.push_str(&format!("<{name} id=\"{id}\">"));
                out.push_str(&tag[name.len() + 2..]);
            } else {
                out.push_str(before);
            }
        } else {
            out.push_str(before);
            out.push_str(&format!(
                "<a class=\"pilcrow\" href=\"#{id}\" aria-label=\"{}\">¶</a>",
                crate::html::escape(label)
            ));
        }
        rest = &after[digits + kind.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// The title the broken-link callback gives a citation, to tell it from a link.
const CITE_MARK: &str = "\u{1}scholia-cite";

/// Stands for citation `id` in the HTML until it is formatted (private-use characters).
fn cite_placeholder(id: usize) -> String {
    format!("\u{E000}{id}\u{E001}")
}

/// Pass 4: formats every citation of the page in note order and puts it in place of its
/// mark, in the body (sidenotes) and in the notes list. Returns the works cited.
fn format_citations(
    sources: &Sources,
    lang: &str,
    cites: &[Vec<CiteItem>],
    trim_period: &HashSet<usize>,
    html: &mut String,
    notes: &mut [Note],
) -> Vec<(String, String)> {
    let mut order: Vec<(usize, usize)> = Vec::new();
    let mut seen = HashSet::new();
    for n in notes.iter() {
        let mut rest = n.html.as_str();
        while let Some((id, after)) = next_placeholder(rest) {
            if seen.insert(id) {
                order.push((id, n.number));
            }
            rest = after;
        }
    }
    let (by_id, works) = formatted_citations(sources, lang, cites, trim_period, &order);
    *html = replace_placeholders(html, &by_id);
    for n in notes.iter_mut() {
        n.html = replace_placeholders(&n.html, &by_id);
    }
    works
}

/// Formats the citations of `order` ((citation id, note number), in note order): their HTML
/// by id, and the works cited.
fn formatted_citations(
    sources: &Sources,
    lang: &str,
    cites: &[Vec<CiteItem>],
    trim_period: &HashSet<usize>,
    order: &[(usize, usize)],
) -> (HashMap<usize, String>, Vec<(String, String)>) {
    let requests: Vec<(&[CiteItem], usize)> = order
        .iter()
        .filter_map(|&(id, note)| Some((cites.get(id)?.as_slice(), note)))
        .collect();
    let (formatted, works) = sources.format(lang, &requests);
    let by_id = order
        .iter()
        .map(|&(id, _)| id)
        .zip(formatted)
        .map(|(id, mut f)| {
            if trim_period.contains(&id) && f.ends_with('.') {
                f.pop();
            }
            (id, f)
        })
        .collect();
    (by_id, works)
}

/// The first placeholder in `s`: its id and the text after it.
fn next_placeholder(s: &str) -> Option<(usize, &str)> {
    let mut rest = s;
    loop {
        let start = rest.find('\u{E000}')?;
        let after = &rest[start + '\u{E000}'.len_utf8()..];
        let end = after.find('\u{E001}');
        if let Some(id) = end.and_then(|e| after[..e].parse::<usize>().ok()) {
            let e = end.unwrap_or(0);
            return Some((id, &after[e + '\u{E001}'.len_utf8()..]));
        }
        rest = after;
    }
}

fn replace_placeholders(s: &str, by_id: &HashMap<usize, String>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some((id, after)) = next_placeholder(rest) {
        let mark = cite_placeholder(id);
        let at = rest.len() - after.len() - mark.len();
        out.push_str(&rest[..at]);
        out.push_str(by_id.get(&id).map_or("", String::as_str));
        rest = after;
    }
    out.push_str(rest);
    out
}

/// A diagnostic at a body offset; `W…` codes are warnings.
fn input_diag(input: &Input, body_offset: usize, code: Code, msg: String) -> Diagnostic {
    let text = &input.file.text;
    let (line, col) = LineIndex::new(text).line_col(text, input.file.body_start + body_offset);
    if code.id.starts_with('W') {
        Diagnostic::warning(code, &input.file.path, line, col, msg)
    } else {
        Diagnostic::error(code, &input.file.path, line, col, msg)
    }
}

/// Joins runs of text events (the parser splits text at brackets, quotes, entities), soft
/// line breaks included as `\n` (which renders the same), so that a name broken across
/// source lines is still one piece of text.
fn merge_text<'a>(
    events: impl Iterator<Item = (Event<'a>, Range<usize>)>,
) -> Vec<(Event<'a>, Range<usize>)> {
    let mut out: Vec<(Event<'a>, Range<usize>)> = Vec::new();
    for (ev, range) in events {
        let ev = match ev {
            Event::SoftBreak => Event::Text(CowStr::Borrowed("\n")),
            other => other,
        };
        if let Event::Text(t) = &ev {
            if let Some((Event::Text(prev), prev_range)) = out.last_mut() {
                let mut s = prev.to_string();
                s.push_str(t);
                *prev = CowStr::from(s);
                prev_range.end = range.end;
                continue;
            }
        }
        out.push((ev, range));
    }
    out
}

/// A footnote definition set aside by the linker.
pub struct Def<'a> {
    /// The label as written.
    pub label: String,
    /// Where it starts in the body.
    pub offset: usize,
    /// Its events, links already made.
    pub events: Vec<Event<'a>>,
}

/// A link being rendered, to know what its end closes.
enum Open {
    Plain,
    /// A `[[slug]]` with its shown text replaced: skip the parser's text until the end.
    Replaced,
    /// A `[[slug|text]]`, or an unknown slug: the parser's text stays.
    Kept,
}

/// Pass 2: links, headings, code, mentions, and footnote definitions set aside.
struct Linker<'i, 'a> {
    input: &'i Input<'i>,
    out: Vec<Event<'a>>,
    defs: Vec<Def<'a>>,
    /// Definitions being read: the parser lets a definition open inside another (`> [^a]:
    /// > [^b]: …`), so they nest, and each keeps exactly the events between its own start and
    /// end, balanced.
    open_defs: Vec<Def<'a>>,
    diags: Vec<Diagnostic>,
    /// Entries linked so far (for `first`).
    linked: Vec<bool>,
    /// Entries whose first mention is recorded.
    mentioned: HashSet<usize>,
    mentions: Vec<Mention>,
    /// Mentions waiting for the end of their block: (entry, offset in `plain`).
    pending: Vec<(usize, usize)>,
    /// Plain text of the current block.
    plain: String,
    links: Vec<Open>,
    images: usize,
    raw_anchors: usize,
    heading: Option<(usize, String)>,
    heading_ids: HashSet<String>,
    code: Option<(String, String)>,
    depth: usize,
    /// Where blocks first nest deeper than the sanitizer can bear.
    deep_at: Option<usize>,
    first_paragraph: Option<String>,
    words: usize,
    /// Entries linked with `[[slug]]`.
    explicit: HashSet<usize>,
    /// Unlinked mentions of explicit-only entries: (entry, body offset). Editorial only.
    plain_mentions: Vec<(usize, usize)>,
    /// Coverage candidates. Editorial only.
    candidates: Vec<(String, Suggest)>,
    /// Citations, by id (the order they were read in).
    cites: Vec<Vec<CiteItem>>,
    /// Inside a citation: its events are dropped until its end (depth of nesting).
    in_cite: usize,
    /// Citations inside a note followed by punctuation: the style's closing period goes.
    trim_period: HashSet<usize>,
    /// Note references the linker made itself (`[^7][@key]`): (label, body offset). The
    /// parser checks the ones it makes; these are checked against the definitions at the end.
    made_refs: Vec<(String, usize)>,
    /// The wanted id of each top-level block marked for pass 5, in order.
    para_ids: Vec<String>,
    /// The marked block now open.
    open_para: Option<usize>,
    /// Writing for print ([`render_print`]): links and code blocks stay events.
    print: bool,
    /// Print: where each top-level block of the text starts (body offsets).
    blocks: Vec<usize>,
    /// Print: images open, with where they start and whether they have alt text yet.
    open_images: Vec<(usize, bool)>,
}

impl<'i, 'a> Linker<'i, 'a> {
    fn new(input: &'i Input<'i>) -> Self {
        Linker {
            input,
            out: Vec::new(),
            defs: Vec::new(),
            open_defs: Vec::new(),
            diags: Vec::new(),
            linked: vec![false; input.glossary.entries.len()],
            mentioned: HashSet::new(),
            mentions: Vec::new(),
            pending: Vec::new(),
            plain: String::new(),
            links: Vec::new(),
            images: 0,
            raw_anchors: 0,
            heading: None,
            heading_ids: HashSet::new(),
            code: None,
            depth: 0,
            deep_at: None,
            first_paragraph: None,
            words: 0,
            explicit: HashSet::new(),
            plain_mentions: Vec::new(),
            candidates: Vec::new(),
            cites: Vec::new(),
            in_cite: 0,
            trim_period: HashSet::new(),
            made_refs: Vec::new(),
            para_ids: Vec::new(),
            open_para: None,
            print: false,
            blocks: Vec::new(),
            open_images: Vec::new(),
        }
    }

    /// Opens a link to glossary entry `entry`.
    fn open_entry(&mut self, entry: usize) {
        if self.print {
            let url = self.input.glossary.urls[entry].clone();
            self.push(Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url: CowStr::from(url),
                title: CowStr::Borrowed(""),
                id: CowStr::Borrowed(""),
            }));
        } else {
            let open = self.open_tag(entry);
            self.push(Event::Html(CowStr::from(open)));
        }
    }

    /// Closes a link opened as HTML (or, for print, as an event).
    fn close_entry(&mut self) {
        if self.print {
            self.push(Event::End(TagEnd::Link));
        } else {
            self.push(Event::Html(CowStr::Borrowed("</a>")));
        }
    }

    fn push(&mut self, ev: Event<'a>) {
        match self.open_defs.last_mut() {
            Some(d) => d.events.push(ev),
            None => self.out.push(ev),
        }
    }

    fn stream_len(&self) -> usize {
        self.open_defs
            .last()
            .as_ref()
            .map_or(self.out.len(), |d| d.events.len())
    }

    fn error(&mut self, offset: usize, code: Code, msg: String) {
        self.diags.push(input_diag(self.input, offset, code, msg));
    }

    /// Ends the current block of plain text: pending mentions take their sentence from it.
    fn end_block(&mut self) {
        // Notes are mostly citations: their publishers need no glossary entries.
        if self.input.editorial && self.open_defs.is_empty() && !self.plain.is_empty() {
            for c in coverage::candidates(&self.plain) {
                if !self.candidates.iter().any(|(n, _)| *n == c.0) {
                    self.candidates.push(c);
                }
            }
        }
        for (entry, at) in self.pending.drain(..) {
            self.mentions.push(Mention {
                entry,
                sentence: summary::sentence_around(&self.plain, at).replace('\n', " "),
            });
        }
        self.plain.clear();
    }

    /// The opening tag of a link to `entry` in this text (dated for a commentary).
    fn open_tag(&self, entry: usize) -> String {
        self.input
            .glossary
            .open_tag_on(entry, self.input.written, self.input.states)
            .into_owned()
    }

    fn mention(&mut self, entry: usize) {
        if self.mentioned.insert(entry) {
            self.pending.push((entry, self.plain.len()));
        }
    }

    fn event(&mut self, ev: Event<'a>, range: Range<usize>) {
        if self.in_cite > 0 {
            match ev {
                Event::Start(_) => self.in_cite += 1,
                Event::End(_) => self.in_cite -= 1,
                _ => {}
            }
            if self.in_cite == 0 {
                // The citation's start counted a level in `start`.
                self.depth = self.depth.saturating_sub(1);
            }
            return;
        }
        if self.print && self.depth == 0 && self.open_defs.is_empty() {
            let block = match &ev {
                Event::Start(Tag::FootnoteDefinition(_)) => false,
                Event::Start(_) | Event::Rule | Event::Html(_) => true,
                _ => false,
            };
            if block {
                self.blocks.push(range.start);
            }
        }
        if let (Some(img), Event::Text(t) | Event::Code(t)) = (self.open_images.last_mut(), &ev) {
            img.1 |= !t.trim().is_empty();
        }
        match ev {
            Event::Start(tag) => self.start(tag, range),
            Event::End(end) => self.end(end),
            Event::Text(text) => self.text(text, range),
            Event::Code(code) => {
                self.plain.push_str(&code);
                if let Some((_, h)) = &mut self.heading {
                    h.push_str(&code);
                }
                self.push(Event::Code(code));
            }
            Event::SoftBreak | Event::HardBreak => {
                self.plain.push(' ');
                self.push(ev);
            }
            Event::InlineHtml(html) => {
                let lower = html.trim_start().to_ascii_lowercase();
                if lower.starts_with("<a ") || lower.starts_with("<a>") {
                    self.raw_anchors += 1;
                } else if lower.starts_with("</a") {
                    self.raw_anchors = self.raw_anchors.saturating_sub(1);
                }
                self.push(Event::InlineHtml(html));
            }
            // The parser only emits references whose definition exists; numbering them is
            // `footnotes::render`'s job.
            Event::FootnoteReference(label) => self.push(Event::FootnoteReference(label)),
            other => self.push(other),
        }
    }

    fn start(&mut self, tag: Tag<'a>, range: Range<usize>) {
        self.depth += 1;
        if self.depth > sanitize::MAX_DEPTH && self.deep_at.is_none() {
            self.deep_at = Some(range.start);
        }
        match tag {
            Tag::FootnoteDefinition(label) => {
                self.end_block();
                self.open_defs.push(Def {
                    label: label.to_string(),
                    offset: range.start,
                    events: Vec::new(),
                });
            }
            Tag::Paragraph | Tag::Item | Tag::TableCell | Tag::BlockQuote(_) => {
                self.end_block();
                let top = matches!(tag, Tag::Paragraph | Tag::BlockQuote(_))
                    && self.depth == 1
                    && self.open_defs.is_empty()
                    && self.input.paragraph_ids
                    && !self.print;
                self.push(Event::Start(tag));
                if top {
                    let body = self.input.file.body();
                    let id = paragraph_id(body.get(range).unwrap_or(""));
                    self.push(Event::Html(CowStr::from(para_mark(
                        self.para_ids.len(),
                        false,
                    ))));
                    self.open_para = Some(self.para_ids.len());
                    self.para_ids.push(id);
                }
            }
            Tag::Heading { .. } => {
                self.end_block();
                self.heading = Some((self.stream_len(), String::new()));
                self.push(Event::Start(tag));
            }
            Tag::CodeBlock(kind) => {
                self.end_block();
                let lang = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    pulldown_cmark::CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            } => self.wiki_link(&dest_url, has_pothole, range),
            Tag::Link {
                link_type: LinkType::ShortcutUnknown,
                title,
                ..
            } if title.as_ref() == CITE_MARK => self.citation(range),
            Tag::Link {
                link_type: LinkType::ReferenceUnknown,
                ref title,
                ..
            } if title.as_ref() == CITE_MARK
                && note_label(self.input.file.body(), &range).is_some() =>
            {
                let label = note_label(self.input.file.body(), &range).unwrap_or_default();
                self.note_then_citation(label, range);
            }
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => {
                self.links.push(Open::Plain);
                self.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: safe_url(dest_url, false),
                    title,
                    id,
                }));
            }
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => {
                self.images += 1;
                if self.print {
                    self.open_images.push((range.start, false));
                }
                self.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: safe_url(dest_url, true),
                    title,
                    id,
                }));
            }
            other => self.push(Event::Start(other)),
        }
    }

    fn end(&mut self, end: TagEnd) {
        self.depth = self.depth.saturating_sub(1);
        match end {
            TagEnd::FootnoteDefinition => {
                self.end_block();
                if let Some(d) = self.open_defs.pop() {
                    self.defs.push(d);
                }
            }
            TagEnd::Paragraph => {
                if self.first_paragraph.is_none() && self.open_defs.is_empty() && self.depth == 0 {
                    self.first_paragraph = Some(self.plain.trim().replace('\n', " "));
                }
                self.end_block();
                self.close_marked(&end);
                self.push(Event::End(end));
            }
            TagEnd::Item | TagEnd::TableCell | TagEnd::BlockQuote(_) => {
                self.end_block();
                self.close_marked(&end);
                self.push(Event::End(end));
            }
            TagEnd::Heading(level) => {
                self.end_block();
                self.finish_heading(level);
                self.push(Event::End(end));
            }
            TagEnd::CodeBlock => {
                if let Some((lang, code)) = self.code.take() {
                    if self.print {
                        // Typst highlights it (the same syntaxes, another theme).
                        let info = CowStr::from(lang);
                        let kind = pulldown_cmark::CodeBlockKind::Fenced(info);
                        self.push(Event::Start(Tag::CodeBlock(kind)));
                        self.push(Event::Text(CowStr::from(code)));
                        self.push(Event::End(TagEnd::CodeBlock));
                    } else {
                        self.push(Event::Html(CowStr::from(highlight::code_block(
                            &lang, &code,
                        ))));
                    }
                }
            }
            TagEnd::Link => match self.links.pop() {
                Some(Open::Replaced | Open::Kept) => self.close_entry(),
                _ => self.push(Event::End(end)),
            },
            TagEnd::Image => {
                self.images = self.images.saturating_sub(1);
                if let Some((at, false)) = self.open_images.pop() {
                    let msg = "this image has no alt text, which its PDF needs (PDF/UA, and readers who cannot see it); describe it between the brackets: `![what it shows](…)`".to_string();
                    self.error(at, codes::PDF_ALT, msg);
                }
                self.push(Event::End(end));
            }
            other => self.push(Event::End(other)),
        }
    }

    fn finish_heading(&mut self, _level: HeadingLevel) {
        let Some((at, text)) = self.heading.take() else {
            return;
        };
        let stream = match self.open_defs.last_mut() {
            Some(d) => &mut d.events,
            None => &mut self.out,
        };
        if let Some(Event::Start(Tag::Heading { id, .. })) = stream.get_mut(at) {
            let wanted = match id {
                Some(given) => given.to_string(),
                None => crate::slug::slugify(&text),
            };
            let mut unique = wanted.clone();
            let mut n = 2;
            while !self.heading_ids.insert(unique.clone()) {
                unique = format!("{wanted}-{n}");
                n += 1;
            }
            *id = Some(CowStr::from(unique));
        }
    }

    /// A citation: a note of its own in the text, or a mark formatted inline in a footnote.
    fn citation(&mut self, range: Range<usize>) {
        self.in_cite = 1;
        let body = self.input.file.body();
        let (Some(sources), Some(items)) = (
            self.input.sources,
            body.get(range.clone()).and_then(cite::parse),
        ) else {
            return;
        };
        let mut known = Vec::with_capacity(items.len());
        for item in items {
            if sources.contains(&item.key) {
                known.push(item);
            } else {
                let msg = sources.unknown(&item.key);
                self.error(range.start + item.offset, codes::UNKNOWN_SOURCE, msg);
            }
        }
        if known.is_empty() {
            return;
        }
        let id = self.cites.len();
        self.cites.push(known);
        let mark = CowStr::from(cite_placeholder(id));
        if self.open_defs.is_empty() {
            // No label a writer can type starts with NUL (the parser replaces it).
            let label = format!("\u{0}cite{id}");
            self.out
                .push(Event::FootnoteReference(CowStr::from(label.clone())));
            self.defs.push(Def {
                label,
                offset: range.start,
                events: vec![
                    Event::Start(Tag::Paragraph),
                    Event::Html(mark),
                    Event::End(TagEnd::Paragraph),
                ],
            });
        } else {
            if body[range.end..].starts_with(['.', ',', ';', ':']) {
                self.trim_period.insert(id);
            }
            self.push(Event::Html(mark));
        }
    }

    /// Before the end of a block marked for pass 5: the mark of its `¶` link.
    fn close_marked(&mut self, end: &TagEnd) {
        let block = matches!(end, TagEnd::Paragraph | TagEnd::BlockQuote(_));
        if block && self.depth == 0 && self.open_defs.is_empty() {
            if let Some(n) = self.open_para.take() {
                self.push(Event::Html(CowStr::from(para_mark(n, true))));
            }
        }
    }

    /// `[^7][@key]`, recognised by [`note_label`]: the note's reference, then the citation.
    fn note_then_citation(&mut self, label: &str, range: Range<usize>) {
        // `[^` + label + `]`: the citation is the rest of the span.
        let cite_start = range.start + label.len() + 3;
        self.made_refs.push((label.to_string(), range.start));
        self.push(Event::FootnoteReference(CowStr::from(label.to_string())));
        self.citation(cite_start..range.end);
    }

    fn wiki_link(&mut self, dest: &str, has_pothole: bool, range: Range<usize>) {
        let slug = dest.trim();
        let Some(i) = self.input.glossary.find(slug) else {
            let msg = format!(
                "{}; write `[[slug]]` with the file name of an entry under content/glossary/",
                self.input.glossary.unknown(slug)
            );
            self.error(range.start, codes::UNKNOWN_LINK, msg);
            // Render the text unlinked; the build fails anyway.
            self.links.push(Open::Kept);
            if self.print {
                self.push(Event::Start(Tag::Link {
                    link_type: LinkType::Inline,
                    dest_url: CowStr::Borrowed(""),
                    title: CowStr::Borrowed(""),
                    id: CowStr::Borrowed(""),
                }));
            } else {
                self.push(Event::Html(CowStr::Borrowed("<a>")));
            }
            return;
        };
        self.linked[i] = true;
        self.explicit.insert(i);
        self.mention(i);
        self.open_entry(i);
        if has_pothole {
            self.links.push(Open::Kept);
        } else {
            let name = self.input.glossary.entries[i].name.clone();
            self.plain.push_str(&name);
            if let Some((_, h)) = &mut self.heading {
                h.push_str(&name);
            }
            self.words += count_words(&name);
            self.push(Event::Text(CowStr::from(name)));
            self.links.push(Open::Replaced);
        }
    }

    fn text(&mut self, text: CowStr<'a>, range: Range<usize>) {
        if let Some((_, code)) = &mut self.code {
            code.push_str(&text);
            return;
        }
        if matches!(self.links.last(), Some(Open::Replaced)) {
            return;
        }
        if text.contains("[^") {
            self.undefined_notes(&range);
        }
        self.words += count_words(&text);
        if let Some((_, h)) = &mut self.heading {
            h.push_str(&text);
        }
        let prose = self.heading.is_none()
            && self.links.is_empty()
            && self.images == 0
            && self.raw_anchors == 0;
        if self.input.editorial && prose {
            for f in self.input.glossary.quiet.find(&text) {
                self.plain_mentions
                    .push((f.entry, range.start + f.start.min(range.len())));
            }
        }
        let linkable = self.input.autolink != Autolink::None && prose;
        if !linkable {
            self.plain.push_str(&text);
            self.push(Event::Text(text));
            return;
        }
        let found = self.input.glossary.matcher.find(&text);
        let mut last = 0;
        for f in found {
            let skip = Some(f.entry) == self.input.own_entry
                || (self.input.autolink == Autolink::First && self.linked[f.entry]);
            if skip {
                continue;
            }
            if f.start > last {
                self.plain.push_str(&text[last..f.start]);
                self.push(Event::Text(CowStr::from(text[last..f.start].to_string())));
            }
            self.linked[f.entry] = true;
            self.mention(f.entry);
            self.plain.push_str(&text[f.start..f.end]);
            self.open_entry(f.entry);
            self.push(Event::Text(CowStr::from(text[f.start..f.end].to_string())));
            self.close_entry();
            last = f.end;
        }
        if last == 0 {
            self.plain.push_str(&text);
            self.push(Event::Text(text));
        } else if last < text.len() {
            self.plain.push_str(&text[last..]);
            self.push(Event::Text(CowStr::from(text[last..].to_string())));
        }
    }

    /// GFM footnotes leave a reference with no definition as literal text: find those in the
    /// source of this text (escaped brackets excluded) and report them.
    fn undefined_notes(&mut self, range: &Range<usize>) {
        let body = self.input.file.body();
        let Some(src) = body.get(range.clone()) else {
            return;
        };
        let mut from = 0;
        while let Some(i) = src[from..].find("[^") {
            let at = from + i;
            from = at + 2;
            if src[..at].ends_with('\\') {
                continue;
            }
            let rest = &src[at + 2..];
            let Some(close) = rest.find([']', '[', '\n']) else {
                continue;
            };
            if !rest[close..].starts_with(']') || close == 0 {
                continue;
            }
            let label = &rest[..close];
            let msg = format!(
                "the note `[^{label}]` has no definition; add a line `[^{label}]: …` to the file"
            );
            self.error(range.start + at, codes::UNDEFINED_NOTE, msg);
        }
    }
}

/// The label of `[^label][@key…]` at `range`: CommonMark reads the pair as a reference link
/// whose text is `^label`, so the note would be lost (issue 16). Authors write notes and
/// citations side by side, so such a text is taken as the note's reference. Any other text
/// (`[see][@key]`) stays a link, as before.
fn note_label<'b>(body: &'b str, range: &Range<usize>) -> Option<&'b str> {
    let (label, after) = body
        .get(range.clone())?
        .strip_prefix("[^")?
        .split_once(']')?;
    let plain = !label.is_empty() && !label.contains(|c: char| c.is_whitespace() || c == '[');
    (plain && after.starts_with('[')).then_some(label)
}

/// Words in `s`, counting runs of non-space bytes (ASCII spaces only: a byte loop, because
/// this runs over every text of every page).
fn count_words(s: &str) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for &b in s.as_bytes() {
        let space = b.is_ascii_whitespace();
        words += usize::from(!space && !in_word);
        in_word = !space;
    }
    words
}

/// `javascript:`, `vbscript:` and `data:` targets become `#` (images may keep raster
/// `data:image/…`).
fn safe_url(url: CowStr<'_>, image: bool) -> CowStr<'_> {
    let squashed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    let raster = [
        "data:image/png",
        "data:image/jpeg",
        "data:image/gif",
        "data:image/webp",
    ];
    let bad = squashed.starts_with("javascript:")
        || squashed.starts_with("vbscript:")
        || (squashed.starts_with("data:")
            && !(image && raster.iter().any(|r| squashed.starts_with(r))));
    if bad {
        CowStr::Borrowed("#")
    } else {
        url
    }
}

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;
