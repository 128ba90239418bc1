//! Typst markup from rendered Markdown: the linker's event stream (glossary links already
//! made, notes set aside), the notes' numbers and the formatted citations.
//!
//! Escaping is complete by construction: no text ever goes into Typst's markup mode. Every
//! run of text is a string literal (`#"…"`), whose only special characters are `\` and `"`,
//! and every element is a function call (`#emph[…]`, `#link("…")[…]`), so that no character
//! of the source (`*`, `_`, `#`, `$`, `@`, `<`, `//`, `=` at a line start, a URL in the text)
//! can mean anything to Typst. Citations and corrections come as the small HTML Scholia
//! itself writes for them (CSL output: `<i>`, `<b>`, `<a href>`, …); [`from_html`] reads it
//! with html5ever's tokenizer, so that the PDF says word for word what the page says.

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Tag, TagEnd};
use std::cell::RefCell;
use std::collections::HashSet;

/// `s` as a Typst string literal.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text to show: a string literal embedded in markup (empty text is nothing).
pub fn text(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("#{}", string(s))
    }
}

/// A note's number and events, by label.
pub type NoteOf<'r> = dyn Fn(&str) -> Option<(usize, &'r [Event<'r>])> + 'r;

/// How links and notes are resolved while writing.
pub struct Resolve<'r> {
    /// A note's number and events, by label.
    pub note: &'r NoteOf<'r>,
    /// A citation's markup, by the id in its placeholder.
    pub cite: &'r dyn Fn(usize) -> Option<String>,
    /// An absolute URL for a link target (relative targets are the site's).
    pub url: &'r dyn Fn(&str) -> String,
}

/// Writes Typst markup for a body's events.
pub struct Writer<'r> {
    resolve: Resolve<'r>,
    /// Notes already shown: later references point at them.
    shown: HashSet<usize>,
    /// Prefix of note labels (a collection holds several commentaries).
    prefix: String,
    /// Inside a code block: its language and text so far.
    code: Option<(String, String)>,
    /// Depth of the last heading written (0 before the first).
    heading: u8,
}

/// Where each top-level block starts in the markup: (markup offset, index of the block).
pub type BlockMap = Vec<(usize, usize)>;

impl<'r> Writer<'r> {
    /// A writer whose note labels start with `prefix`.
    pub fn new(resolve: Resolve<'r>, prefix: &str) -> Self {
        Writer {
            resolve,
            shown: HashSet::new(),
            prefix: prefix.to_string(),
            code: None,
            heading: 0,
        }
    }

    /// The markup of a body, and where its top-level blocks start.
    pub fn body(&mut self, events: &[Event<'_>]) -> (String, BlockMap) {
        let mut out = String::new();
        let mut map = Vec::new();
        let mut depth = 0usize;
        let mut blocks = 0;
        for ev in events {
            if depth == 0 && matches!(ev, Event::Start(_) | Event::Rule | Event::Html(_)) {
                out.push_str("\n\n");
                map.push((out.len(), blocks));
                blocks += 1;
            }
            match ev {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth = depth.saturating_sub(1),
                _ => {}
            }
            self.event(ev, &mut out);
        }
        (out, map)
    }

    fn event(&mut self, ev: &Event<'_>, out: &mut String) {
        match ev {
            Event::Start(tag) => self.start(tag, out),
            Event::End(end) => self.end(end, out),
            Event::Text(t) => match &mut self.code {
                Some((_, code)) => code.push_str(t),
                None => out.push_str(&text(&t.replace('\n', " "))),
            },
            Event::Code(c) => {
                out.push_str("#raw(");
                out.push_str(&string(c));
                out.push(')');
            }
            Event::SoftBreak => out.push_str(&text(" ")),
            Event::HardBreak => out.push_str("#linebreak()"),
            Event::Rule => out.push_str("#line(length: 100%)"),
            Event::TaskListMarker(done) => out.push_str(&text(if *done { "[x] " } else { "[ ] " })),
            Event::FootnoteReference(label) => self.note(label, out),
            Event::Html(h) | Event::InlineHtml(h) => {
                // Scholia's citation marks; an author's raw HTML has no place in print.
                let mut rest: &str = h;
                while let Some(start) = rest.find('\u{E000}') {
                    let after = &rest[start + '\u{E000}'.len_utf8()..];
                    let Some(end) = after.find('\u{E001}') else {
                        break;
                    };
                    if let Some(m) = after[..end]
                        .parse::<usize>()
                        .ok()
                        .and_then(|id| (self.resolve.cite)(id))
                    {
                        out.push_str(&m);
                    }
                    rest = &after[end + '\u{E001}'.len_utf8()..];
                }
            }
            Event::InlineMath(m) | Event::DisplayMath(m) => out.push_str(&text(m)),
        }
    }

    fn note(&mut self, label: &str, out: &mut String) {
        let Some((n, events)) = (self.resolve.note)(label) else {
            out.push_str(&text(&format!("[^{label}]")));
            return;
        };
        let name = format!("{}fn-{n}", self.prefix);
        // The number is given, not counted, so that it is the page's whatever the order in
        // which Typst meets the notes (a note referenced only from another note).
        if self.shown.insert(n) {
            out.push_str(&format!("#footnote(numbering: _ => \"{n}\")["));
            let mut depth = 0usize;
            let mut first = true;
            for ev in events {
                // A note of several paragraphs keeps its breaks; the first needs none.
                if depth == 0 && matches!(ev, Event::Start(Tag::Paragraph)) {
                    if !first {
                        out.push_str("#parbreak()");
                    }
                    first = false;
                    depth += 1;
                    continue;
                }
                if depth == 1 && matches!(ev, Event::End(TagEnd::Paragraph)) {
                    depth -= 1;
                    continue;
                }
                match ev {
                    Event::Start(_) => depth += 1,
                    Event::End(_) => depth = depth.saturating_sub(1),
                    _ => {}
                }
                self.event(ev, out);
            }
            out.push_str(&format!("]<{name}>"));
        } else {
            out.push_str(&format!("#footnote(<{name}>)"));
        }
    }

    fn start(&mut self, tag: &Tag<'_>, out: &mut String) {
        match tag {
            Tag::Paragraph => out.push_str("#par["),
            Tag::Heading { level, .. } => {
                let level = match level {
                    HeadingLevel::H1 | HeadingLevel::H2 => 1,
                    HeadingLevel::H3 => 2,
                    HeadingLevel::H4 => 3,
                    HeadingLevel::H5 => 4,
                    HeadingLevel::H6 => 5,
                };
                // PDF/UA wants the first heading at level 1 and no level skipped: a body
                // whose sections start at `###`, or jump from `##` to `####`, is fine on the
                // web page but must be closed up here.
                let level = level.min(self.heading + 1);
                self.heading = level;
                out.push_str(&format!("#heading(depth: {level})["));
            }
            Tag::BlockQuote(_) => out.push_str("#quote(block: true)["),
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or(""),
                    CodeBlockKind::Indented => "",
                };
                self.code = Some((lang.to_string(), String::new()));
            }
            Tag::List(Some(start)) => out.push_str(&format!("#enum(start: {start}, ")),
            Tag::List(None) => out.push_str("#list("),
            Tag::Item => out.push('['),
            Tag::Table(aligns) => {
                out.push_str(&format!("#table(columns: {}, ", aligns.len().max(1)))
            }
            Tag::TableHead => out.push_str("table.header("),
            Tag::TableRow => {}
            Tag::TableCell => out.push('['),
            Tag::Emphasis => out.push_str("#emph["),
            Tag::Strong => out.push_str("#strong["),
            Tag::Strikethrough => out.push_str("#strike["),
            Tag::Superscript => out.push_str("#super["),
            Tag::Subscript => out.push_str("#sub["),
            Tag::Link { dest_url, .. } => {
                if dest_url.starts_with('#') || dest_url.is_empty() {
                    // An anchor of the page (or no target): the text alone.
                    out.push_str("#[");
                } else {
                    let url = (self.resolve.url)(dest_url);
                    out.push_str(&format!("#link({})[", string(&url)));
                }
            }
            Tag::Image { dest_url, .. } => {
                // Not embedded: the alt text stands in, with where the image is.
                let url = (self.resolve.url)(dest_url);
                out.push_str(&format!(
                    "#box(inset: 3pt, stroke: 0.5pt + gray)[#emph[{}]",
                    text("Image: ")
                ));
                out.push_str(&format!("#link({})[", string(&url)));
            }
            Tag::HtmlBlock => {}
            Tag::FootnoteDefinition(_) => out.push_str("#["),
            Tag::MetadataBlock(_) => {}
            Tag::DefinitionList => out.push_str("#terms("),
            Tag::DefinitionListTitle => out.push_str("terms.item(["),
            Tag::DefinitionListDefinition => out.push('['),
        }
    }

    fn end(&mut self, end: &TagEnd, out: &mut String) {
        match end {
            TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::FootnoteDefinition => out.push(']'),
            TagEnd::CodeBlock => {
                let (lang, code) = self.code.take().unwrap_or_default();
                out.push_str("#raw(block: true, ");
                if !lang.is_empty() {
                    out.push_str(&format!("lang: {}, ", string(&lang)));
                }
                out.push_str(&string(&code));
                out.push(')');
            }
            TagEnd::List(_) | TagEnd::Table | TagEnd::DefinitionList => out.push(')'),
            TagEnd::Item | TagEnd::TableCell => out.push_str("], "),
            TagEnd::TableHead => out.push_str("), "),
            TagEnd::TableRow => {}
            TagEnd::Image => out.push_str("]]"),
            TagEnd::DefinitionListTitle => out.push_str("], "),
            TagEnd::DefinitionListDefinition => out.push_str("]), "),
            TagEnd::HtmlBlock | TagEnd::MetadataBlock(_) => {}
        }
    }
}

/// Typst markup for the HTML Scholia writes for citations, works cited and corrections:
/// text, `<i>`/`<em>`, `<b>`/`<strong>`, `<sup>`, `<sub>`, `<u>`, `<span class="small-caps">`,
/// `<a href>` (made absolute with `url`) and `<code>`; any other tag keeps only its text.
pub fn from_html(html: &str, url: &dyn Fn(&str) -> String) -> String {
    let sink = HtmlSink {
        text: RefCell::new(String::new()),
        out: RefCell::new(String::new()),
        open: RefCell::new(Vec::new()),
        url,
    };
    let tok = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tok.feed(&input);
    tok.end();
    let sink = tok.sink;
    sink.flush();
    let mut out = sink.out.into_inner();
    for _ in sink.open.into_inner() {
        out.push(']');
    }
    out
}

struct HtmlSink<'u> {
    /// Text not yet written: the tokenizer hands it over in pieces.
    text: RefCell<String>,
    out: RefCell<String>,
    /// For each open tag: whether it opened a content block.
    open: RefCell<Vec<(String, bool)>>,
    url: &'u dyn Fn(&str) -> String,
}

impl HtmlSink<'_> {
    fn flush(&self) {
        let pending = std::mem::take(&mut *self.text.borrow_mut());
        self.out.borrow_mut().push_str(&text(&pending));
    }
}

impl TokenSink for HtmlSink<'_> {
    type Handle = ();

    fn process_token(&self, token: Token, _: u64) -> TokenSinkResult<()> {
        if let Token::CharacterTokens(t) = &token {
            self.text.borrow_mut().push_str(t);
            return TokenSinkResult::Continue;
        }
        self.flush();
        let mut out = self.out.borrow_mut();
        if let Token::TagToken(tag) = token {
            let name: &str = &tag.name;
            let attr = |n: &str| {
                tag.attrs
                    .iter()
                    .find(|a| &*a.name.local == n)
                    .map(|a| a.value.to_string())
            };
            if tag.kind == TagKind::StartTag {
                let open = match name {
                    "i" | "em" | "cite" => Some("#emph[".to_string()),
                    "b" | "strong" => Some("#strong[".to_string()),
                    "sup" => Some("#super[".to_string()),
                    "sub" => Some("#sub[".to_string()),
                    "u" => Some("#underline[".to_string()),
                    "code" => Some("#text(font: \"DejaVu Sans Mono\", size: 0.9em)[".to_string()),
                    "span" if attr("class").is_some_and(|c| c.contains("small-caps")) => {
                        Some("#smallcaps[".to_string())
                    }
                    "a" => match attr("href") {
                        Some(h) if !h.starts_with('#') && !h.is_empty() => {
                            Some(format!("#link({})[", string(&(self.url)(&h))))
                        }
                        _ => Some("#[".to_string()),
                    },
                    "br" => {
                        out.push_str("#linebreak()");
                        None
                    }
                    _ => None,
                };
                if !tag.self_closing {
                    if let Some(o) = &open {
                        out.push_str(o);
                    }
                    self.open
                        .borrow_mut()
                        .push((name.to_string(), open.is_some()));
                }
            } else {
                let mut open = self.open.borrow_mut();
                if let Some(at) = open.iter().rposition(|(n, _)| n == name) {
                    for (_, block) in open.drain(at..).rev() {
                        if block {
                            out.push(']');
                        }
                    }
                }
            }
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_what_a_string_literal_needs() {
        assert_eq!(string(r#"a\b"c"#), r#""a\\b\"c""#);
        assert_eq!(string("x\ny\u{1}"), "\"x\\ny\\u{1}\"");
    }

    #[test]
    fn citation_html_becomes_calls() {
        let m = from_html(
            "Smith, <i>A &amp; B</i>, <a href=\"https://x.org/?a=1&amp;b=2\">x.org</a>.",
            &|u| u.to_string(),
        );
        assert_eq!(
            m,
            "#\"Smith, \"#emph[#\"A & B\"]#\", \"#link(\"https://x.org/?a=1&b=2\")[#\"x.org\"]#\".\""
        );
    }
}
