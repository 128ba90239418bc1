//! Plain-text helpers: summaries, first sentences, the sentence around a mention.
//!
//! Sentence boundaries are a heuristic tuned for commentary prose: a `.`, `?` or `!` followed
//! by a space and a capital, where the period does not end an initial or an abbreviation such
//! as `U.S.` or `Dr.` (a capital letter right before a period is taken as an initial).

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// The plain text of the first paragraph of a Markdown body (footnote references dropped,
/// `[[slug]]` kept as the slug; the caller resolves nothing here).
pub fn first_paragraph(markdown: &str) -> String {
    let mut out = String::new();
    let mut in_par = false;
    for ev in Parser::new_ext(markdown, super::options()) {
        match ev {
            Event::Start(Tag::Paragraph) => in_par = true,
            Event::End(TagEnd::Paragraph) if in_par => break,
            Event::Start(Tag::FootnoteDefinition(_)) => in_par = false,
            Event::Text(t) | Event::Code(t) if in_par => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak if in_par => out.push(' '),
            _ => {}
        }
    }
    out
}

/// Cuts `text` at a word boundary to at most about `max` characters, adding `…` if cut.
pub fn cut(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let end = text.char_indices().nth(max).map_or(text.len(), |(i, _)| i);
    let head = &text[..end];
    let head = match head.rfind(char::is_whitespace) {
        Some(i) if i > max / 2 => &head[..i],
        _ => head,
    };
    format!(
        "{}…",
        head.trim_end_matches(|c: char| c.is_whitespace() || ",;:".contains(c))
    )
}

/// Byte offsets just after each sentence end in `text`.
fn sentence_ends(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    text.char_indices().filter_map(move |(i, c)| {
        if !matches!(c, '.' | '?' | '!') {
            return None;
        }
        let after = i + 1;
        // The next non-closing character must be whitespace, then a capital or quote.
        let rest = &text[after..];
        let rest_trim = rest.trim_start_matches(['"', '”', '’', ')']);
        let closers = rest.len() - rest_trim.len();
        let mut it = rest_trim.chars();
        if !it.next().is_some_and(char::is_whitespace) {
            return None;
        }
        let next = it.find(|c| !c.is_whitespace())?;
        if !(next.is_uppercase() || matches!(next, '"' | '“' | '‘' | '(' | '[')) {
            return None;
        }
        if c == '.' {
            // `U.S.`, `J. Smith`: a capital or another period right before.
            let prev = text[..i].chars().next_back();
            let prev2 = text[..i].chars().rev().nth(1);
            if prev.is_some_and(|p| p.is_uppercase()) && !prev2.is_some_and(char::is_alphanumeric) {
                return None;
            }
            if prev2 == Some('.') {
                return None;
            }
            let word_start = text[..i]
                .char_indices()
                .rfind(|(_, c)| !c.is_alphanumeric())
                .map_or(0, |(j, c)| j + c.len_utf8());
            if matches!(
                &text[word_start..i],
                "Mr" | "Mrs"
                    | "Ms"
                    | "Dr"
                    | "St"
                    | "No"
                    | "Art"
                    | "art"
                    | "para"
                    | "e.g"
                    | "i.e"
                    | "cf"
                    | "vs"
                    | "Gen"
                    | "Sen"
                    | "Rep"
                    | "Gov"
                    | "Jr"
                    | "Sr"
                    | "Vol"
                    | "pp"
                    | "p"
            ) {
                return None;
            }
        }
        let _ = bytes;
        Some(after + closers)
    })
}

/// The first sentence of `text`.
pub fn first_sentence(text: &str) -> String {
    let text = text.trim();
    match sentence_ends(text).next() {
        Some(end) => text[..end].trim().to_string(),
        None => text.to_string(),
    }
}

/// The sentence of `text` that contains byte `offset`, cut to a readable length.
pub fn sentence_around(text: &str, offset: usize) -> String {
    let mut start = 0;
    let mut end = text.len();
    for e in sentence_ends(text) {
        if e <= offset {
            start = e;
        } else {
            end = e;
            break;
        }
    }
    cut(text[start..end].trim(), 320)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_paragraph_skips_headings_and_notes() {
        let md = "# Title\n\nThe *first* `para`[^1]\ngoes on.\n\nSecond.\n\n[^1]: A note.\n";
        assert_eq!(first_paragraph(md), "The first para goes on.");
    }

    #[test]
    fn cut_at_word_boundary() {
        assert_eq!(cut("short", 10), "short");
        assert_eq!(cut("one two three four five", 12), "one two…");
    }

    #[test]
    fn sentences_respect_abbreviations() {
        let text = "The U.S. side met Dr. Li in Beijing. The NSA was absent! Why? Nobody said.";
        assert_eq!(first_sentence(text), "The U.S. side met Dr. Li in Beijing.");
        let at = text.find("NSA").unwrap();
        assert_eq!(sentence_around(text, at), "The NSA was absent!");
        assert_eq!(
            sentence_around(text, 0),
            "The U.S. side met Dr. Li in Beijing."
        );
        assert_eq!(sentence_around(text, text.len() - 3), "Nobody said.");
    }

    /// Found by the property tests: a curly apostrophe (three bytes) before the period.
    #[test]
    fn sentences_after_multibyte_punctuation() {
        assert_eq!(first_sentence("NSA’s. NSA"), "NSA’s.");
        assert_eq!(first_sentence("Über’. Then"), "Über’.");
    }
}
