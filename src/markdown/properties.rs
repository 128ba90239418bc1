//! Property tests: over arbitrary prose built from glossary names, Markdown punctuation and
//! notes, autolinking never changes what a reader sees, and never unbalances the HTML.

use super::tests::{glossary_for_tests, parse_errors, render_input};
use super::*;
use proptest::prelude::*;
use scraper::Html;

/// Pieces that matter to the linker: names, abbreviations and aliases (whole, possessive,
/// cut, in other cases), Markdown syntax that opens and closes inline and block elements,
/// note references and definitions, and words around them.
const PIECES: &[&str] = &[
    "NSA",
    "NSA's",
    "NSAs",
    "nsa",
    "National Security Agency",
    "National Security",
    "National\nSecurity Agency",
    "Beijing Convention",
    "2010 Beijing Convention",
    "Beijing  Convention",
    "Commission",
    "the",
    "agency",
    "said",
    "treaty",
    ".",
    ",",
    ";",
    "*",
    "**",
    "_",
    "`",
    "``",
    "[",
    "]",
    "(",
    ")",
    "](https://example.org)",
    "[^a]",
    "[^b]",
    "[[nsa]]",
    "[[beijing-convention|the convention]]",
    "![",
    "|",
    "&",
    "\"",
    "'",
    "’",
    "\\",
    "\n",
    "\n\n",
    "\n\n# ",
    "\n\n## ",
    "\n\n> ",
    "\n\n- ",
    "\n\n1. ",
    "\n\n```\n",
    "\n\n    ",
    "\n\n---\n\n",
    "\n\n[^a]: ",
    "\n\n[^b]: ",
    "\n\n> [^b]: ",
    "\n\n- [^a]: ",
    "> [^b]: ",
    "- [^a]: ",
];

fn prose() -> impl Strategy<Value = String> {
    prop::collection::vec((0..PIECES.len(), prop::bool::ANY), 0..60).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(i, space)| format!("{}{}", PIECES[i], if space { " " } else { "" }))
            .collect()
    })
}

fn visible_text(html: &str) -> String {
    Html::parse_fragment(html).root_element().text().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn autolinking_keeps_the_visible_text(md in prose()) {
        let g = glossary_for_tests();
        let off = render_input(&md, &g, Autolink::None, None, false);
        for mode in [Autolink::First, Autolink::All] {
            let on = render_input(&md, &g, mode, None, false);
            prop_assert_eq!(visible_text(&on.html), visible_text(&off.html), "{:?}", mode);
            prop_assert_eq!(on.notes.len(), off.notes.len());
            for (a, b) in on.notes.iter().zip(&off.notes) {
                prop_assert_eq!(visible_text(&a.html), visible_text(&b.html));
            }
        }
    }

    #[test]
    fn rendered_html_is_well_formed(md in prose(), sanitize in prop::bool::ANY) {
        let g = glossary_for_tests();
        for mode in [Autolink::None, Autolink::First, Autolink::All] {
            let r = render_input(&md, &g, mode, None, sanitize);
            let errors = parse_errors(&r.html);
            prop_assert!(errors.is_empty(), "{:?}: {:?}\n{}", mode, errors, r.html);
            for n in &r.notes {
                let errors = parse_errors(&n.html);
                prop_assert!(errors.is_empty(), "note: {:?}\n{}", errors, n.html);
            }
        }
    }
}
