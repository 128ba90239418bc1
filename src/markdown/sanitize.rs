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
                ["data-kind", "data-name", "data-summary", "data-facts"],
            )
            .add_tag_attributes("pre", ["data-lang"])
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
