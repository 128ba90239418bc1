//! Citations: `[@key]` formatted by a CSL style into numbered notes, works cited, the
//! sources page, and the errors (fixture `cite`).

use crate::util::*;
use scraper::Html;

const ORDER: &str = "commentaries/order/index.html";

/// The notes list, each note's text without its back-link.
fn notes(doc: &Html) -> Vec<String> {
    texts(doc, ".endnotes li > p")
}

fn built() -> Site {
    let site = Site::fixture("cite");
    site.build_ok(&[]);
    site
}

#[test]
fn each_citation_form_becomes_a_numbered_note() {
    let site = built();
    let doc = site.html(ORDER);
    let n = notes(&doc);
    assert_eq!(n.len(), 6, "{n:#?}");
    // `[@key, p. 9]`: the full note, with the page.
    assert_eq!(
        n[0],
        "Henry Kissinger, World Order (Penguin Press, 2014), 9."
    );
    // The hand-typed footnote keeps its place in the same numbering.
    assert!(
        n[1].starts_with("A remark with its own citation"),
        "{}",
        n[1]
    );
    // `[@a; @b, art. 51]`: one note, two works, the locator kept.
    assert!(n[2].contains("Destined for War"), "{}", n[2]);
    assert!(n[2].contains("Charter of the United Nations"), "{}", n[2]);
    assert!(n[2].ends_with("art. 51."), "{}", n[2]);
    // Note references in the text are numbered 1..=6 in reading order.
    assert_eq!(
        texts(&doc, ".prose sup.note-ref a"),
        ["1", "2", "3", "4", "5", "6"]
    );
    // Every note is also a sidenote.
    assert_eq!(texts(&doc, ".prose .sidenote").len(), 6);
    // Titles are set in italics by the style.
    assert_eq!(
        texts(&doc, "#fn-1 i"),
        ["World Order"],
        "the style's italics are HTML"
    );
}

#[test]
fn citation_inside_a_footnote_is_formatted_inline() {
    let site = built();
    let n = notes(&site.html(ORDER));
    assert_eq!(
        n[1],
        "A remark with its own citation, formatted inline Graham Allison, Destined for War: Can America and China Escape Thucydides's Trap? (Houghton Mifflin Harcourt, 2017), 40."
    );
}

#[test]
fn code_and_email_are_not_citations() {
    let site = built();
    let doc = site.html(ORDER);
    assert_eq!(texts(&doc, ".prose p code"), ["[@kissinger-order]"]);
    assert!(texts(&doc, ".prose pre code")[0].starts_with("[@allison-trap] in a block"));
    assert!(texts(&doc, ".prose p")
        .iter()
        .any(|p| p.contains("editor@example.org")));
}

#[test]
fn later_citations_use_the_short_form() {
    let site = built();
    let n = notes(&site.html(ORDER));
    // Allison was cited in full in note 2, so note 3 shortens it.
    assert!(n[2].starts_with("Allison, Destined for War"), "{}", n[2]);
    assert_eq!(n[3], "Kissinger, World Order, 9.");
    assert_eq!(n[5], "Kissinger, World Order, 12.");
    // A work cited for the first time in another commentary is given in full there.
    let other = notes(&site.html("commentaries/charter/index.html"));
    assert_eq!(other, ["Charter of the United Nations (1945)."]);
}

#[test]
fn a_site_csl_file_gives_ibid() {
    let site = Site::fixture("cite");
    site.write(
        "scholia.yaml",
        "title: \"Citation Review\"\ncitation_style: styles/ibid.csl\n",
    );
    site.build_ok(&[]);
    let doc = site.html(ORDER);
    let n = notes(&doc);
    assert_eq!(n[0], "Henry Kissinger, World Order, 2014, 9.");
    assert_eq!(n[3], "World Order, 9.", "subsequent, not right after");
    // Note 5 cites the report, note 6 Kissinger again: not ibid. Make them consecutive.
    site.write(
        "content/commentaries/2021-02-01-charter.md",
        "---\ntitle: \"The Charter at seventy-five\"\ndate: 2021-02-01\nsummary: s\n---\n\nOne [@un-charter, art. 51], again [@un-charter, art. 51], then [@un-charter, art. 2].\n",
    );
    site.build_ok(&[]);
    let n = notes(&site.html("commentaries/charter/index.html"));
    assert_eq!(
        n,
        [
            "United Nations, Charter of the United Nations, 1945, art. 51.",
            "Ibid.",
            "Ibid., art. 2."
        ]
    );
    // This style sorts its bibliography by title.
    assert_eq!(
        attrs(&doc, ".works-cited li", "data-key"),
        [
            "un-charter",
            "allison-trap",
            "crs-taiwan",
            "kissinger-order"
        ]
    );
}

#[test]
fn a_second_bundled_style() {
    let site = Site::fixture("cite");
    site.write(
        "scholia.yaml",
        "title: \"Citation Review\"\ncitation_style: apa\n",
    );
    site.build_ok(&[]);
    let n = notes(&site.html(ORDER));
    assert_eq!(n[0], "(Kissinger, 2014, p. 9)");
    assert_eq!(n[3], "(Kissinger, 2014, p. 9)");
    let works = texts(&site.html(ORDER), ".works-cited li");
    assert!(
        works[3].starts_with("Kissinger, H. (2014). World Order. Penguin Press."),
        "{works:#?}"
    );
}

#[test]
fn works_cited_ends_each_commentary_sorted_by_the_style() {
    let site = built();
    let doc = site.html(ORDER);
    assert_eq!(
        attrs(&doc, ".works-cited li", "data-key"),
        [
            "allison-trap",
            "un-charter",
            "crs-taiwan",
            "kissinger-order"
        ]
    );
    let works = texts(&doc, ".works-cited li");
    assert!(
        works[3].starts_with("Kissinger, Henry. World Order. Penguin Press, 2014."),
        "{works:#?}"
    );
    assert_eq!(
        attrs(&doc, ".works-cited li a.work-sources", "href")[0],
        "/sources/#src-allison-trap"
    );
    let other = site.html("commentaries/charter/index.html");
    assert_eq!(attrs(&other, ".works-cited li", "data-key"), ["un-charter"]);
}

#[test]
fn the_sources_page_lists_every_work_and_who_cites_it() {
    let site = built();
    let doc = site.html("sources/index.html");
    assert_eq!(
        attrs(&doc, ".sources-list > li", "id"),
        [
            "src-allison-trap",
            "src-un-charter",
            "src-crs-taiwan",
            "src-kissinger-order"
        ]
    );
    assert_eq!(
        texts(&doc, "#src-un-charter .cited-by a"),
        ["The Charter at seventy-five", "Order and its discontents"]
    );
    assert_eq!(
        attrs(&doc, "#src-crs-taiwan .cited-by a", "href"),
        ["/commentaries/order/"]
    );
    // The footer links to it.
    let home = site.html("index.html");
    assert!(attrs(&home, "footer a", "href").contains(&"/sources/".to_string()));
}

#[test]
fn an_entry_lists_its_sources_in_the_facts_box() {
    let site = built();
    let doc = site.html("glossary/treaties/un-charter/index.html");
    assert_eq!(
        attrs(&doc, "table.facts .fact-sources li", "data-key"),
        ["un-charter", "crs-taiwan"]
    );
    assert!(texts(&doc, "table.facts .fact-sources li")[1]
        .contains("Taiwan: Political and Security Issues"));
}

#[test]
fn a_site_without_a_bibliography_has_no_sources_page() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    assert!(!site.exists("sources/index.html"));
}

#[test]
fn an_unknown_key_is_an_error_with_the_closest_key() {
    let site = Site::fixture("cite");
    site.write(
        "content/commentaries/2021-02-01-charter.md",
        "---\ntitle: \"The Charter\"\ndate: 2021-02-01\n---\n\nFirst line.\nAs argued [@kissinger-ordre, p. 3; @nobody].\n",
    );
    let r = site.run(&["build"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(
        lines[..2],
        [
            "error: content/commentaries/2021-02-01-charter.md:7:12: `@kissinger-ordre` is not a key of the bibliography; did you mean `kissinger-order`?; add the work to content/sources.yaml, or fix the key",
            "error: content/commentaries/2021-02-01-charter.md:7:36: `@nobody` is not a key of the bibliography; add the work to content/sources.yaml, or fix the key",
        ]
    );
    assert!(!site.exists("index.html"));
}

#[test]
fn an_unknown_key_in_an_entry_sources_is_an_error() {
    let site = Site::fixture("cite");
    site.write(
        "content/glossary/treaties/un-charter.md",
        "---\nname: \"Charter of the United Nations\"\nsources: [un-chartre]\n---\nText.\n",
    );
    let r = site.run(&["check"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error: content/glossary/treaties/un-charter.md:3:10: `@un-chartre` is not a key of the bibliography; did you mean `un-charter`?"), "{}", r.stderr);
}

#[test]
fn a_malformed_entry_names_the_file_and_line() {
    let site = Site::fixture("cite");
    site.write(
        "content/sources.yaml",
        "# Sources\nkissinger-order:\n  type: Book\n  title: World Order\nallison-trap:\n  type: Book\n  title: Destined for War\nun-charter:\n  type: Book\n  title: Charter\nbroken:\n  type: Book\n  title: Bad\n  date: [2014, 2015]\n",
    );
    let r = site.run(&["build"]);
    assert_eq!(r.code, 1);
    // One error: the other entries are still read, so the citations still resolve.
    assert_eq!(
        r.stderr.lines().collect::<Vec<_>>(),
        [
            "error: content/sources.yaml:14:9: the entry `broken` is malformed: broken.date: invalid type: sequence, expected a date in the format YYYY-MM-DD; see the Hayagriva format in docs/sources.md",
            "1 error found; nothing was written",
        ]
    );
    let site = Site::fixture("cite");
    site.write(
        "content/sources.bib",
        "@book{x,\n  title = {T}\n  year = 2000,\n",
    );
    let r = site.run(&["build"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("error: content/sources.bib:"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_unknown_style_is_an_error_with_a_suggestion() {
    let site = Site::fixture("cite");
    site.write(
        "scholia.yaml",
        "title: \"Citation Review\"\ncitation_style: chicago-note\n",
    );
    let r = site.run(&["build"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error: scholia.yaml:2:17: `citation_style` is not a bundled style or a .csl file: `chicago-note`; did you mean `chicago-notes`?"), "{}", r.stderr);
    site.write(
        "scholia.yaml",
        "title: \"Citation Review\"\ncitation_style: styles/missing.csl\n",
    );
    let r = site.run(&["build"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("error: scholia.yaml:2:17: `citation_style` names `styles/missing.csl`"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_unused_source_is_a_warning_in_check() {
    let site = Site::fixture("cite");
    site.write(
        "content/sources.yaml",
        &format!(
            "{}\nunused-work:\n  type: Report\n  title: Nobody Cites This\n  date: 2001\n",
            std::fs::read_to_string(site.root().join("content/sources.yaml")).unwrap()
        ),
    );
    let r = site.run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let warnings: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains("never cited"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", r.stderr);
    assert!(
        warnings[0].starts_with(
            "warning: content/sources.yaml:25:1: the source `unused-work` is never cited"
        ),
        "{}",
        warnings[0]
    );
}
