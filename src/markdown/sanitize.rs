//! `sanitize_html: true`: raw HTML from authors is cleaned with ammonia.
//!
//! The whole rendered body is cleaned, not each raw fragment, because inline HTML arrives
//! from the parser one tag at a time. So the allow-list below must keep everything Scholia
//! itself writes: glossary links with their `data-*` card attributes, note references and
//! sidenotes with their ARIA roles, heading ids, highlighted code classes.

use std::sync::OnceLock;

fn builder() -> &'static ammonia::Builder<'static> {
    static B: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(["aside", "sup", "span", "pre", "code", "input"])
            .add_generic_attributes(["id", "class", "role", "title", "lang"])
            .add_tag_attributes(
                "a",
                [
                    "data-kind",
                    "data-name",
                    "data-summary",
                    "data-facts",
                    "aria-label",
                ],
            )
            .add_tag_attributes("pre", ["data-lang", "tabindex"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .link_rel(None)
            .url_relative(ammonia::UrlRelative::PassThrough);
        b
    })
}

/// Cleans an HTML fragment.
pub fn clean(html: &str) -> String {
    builder().clean(html).to_string()
}

/// Deeper than this, a page is refused when sanitizing: html5ever's tree builder scans the
/// stack of open elements at each tag, so cleaning time grows with the square of the depth
/// (20,000 nested list items: 6 s). Browsers stop nesting at 512 anyway.
pub const MAX_DEPTH: usize = 512;

/// Whether `html` nests elements more than [`MAX_DEPTH`] deep. A linear scan of the tags,
/// not a parser: void elements, self-closed tags and elements whose end tag HTML lets
/// authors omit are not counted, so hand-written raw HTML is not refused by mistake.
pub fn too_deep(html: &str) -> bool {
    const NOT_COUNTED: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "p", "li", "dt", "dd", "option", "tr", "td", "th", "!--", "!doctype",
    ];
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(at) = html[i..].find('<') {
        let start = i + at + 1;
        let end = html[start..].find('>').map_or(html.len(), |e| start + e);
        let tag = &html[start..end];
        i = (end + 1).min(html.len());
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.split_ascii_whitespace().next().unwrap_or("");
            if !NOT_COUNTED.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        let name = tag
            .split(|c: char| c.is_ascii_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        let is_element = name.starts_with(|c: char| c.is_ascii_alphabetic());
        if is_element
            && !tag.ends_with('/')
            && !NOT_COUNTED.iter().any(|n| n.eq_ignore_ascii_case(name))
        {
            depth += 1;
            if depth > MAX_DEPTH {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_open_elements_only() {
        let deep = |n: usize| "<blockquote>".repeat(n) + &"</blockquote>".repeat(n);
        assert!(!too_deep(&deep(MAX_DEPTH)));
        assert!(too_deep(&deep(MAX_DEPTH + 1)));
        // Siblings, void elements and omitted end tags do not add up.
        let flat = "<div><p>a</div>".repeat(10_000) + &"<br><img src=x><li>".repeat(10_000);
        assert!(!too_deep(&flat));
        assert!(too_deep(&"<ul><li>".repeat(MAX_DEPTH + 1)));
    }
}
