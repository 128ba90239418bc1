//! PDFs (issue 19; contract: "PDF" in CONTENT-FORMAT.md), read back with poppler's tools
//! (`pdfinfo`, `pdftotext`, `pdffonts`; installed by `.ci/run`) and, for what those cannot
//! show (link targets, the document's language, the outline), with lopdf.
//!
//! The `pdf` fixture: `order` (headings, list, quote, table, code, an image, notes, one of
//! them referenced twice and one only from a note, citations, glossary links, a
//! correction), `escapes` (every ASCII punctuation character in text, code, a URL and a
//! note) and `plain` (`pdf: false`).

use crate::util::*;
use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

const ORDER: &str = "commentaries/order/order.pdf";
const BASE: &str = "https://example.org/review/";

fn built() -> Site {
    let site = Site::fixture("pdf");
    site.build_ok(&[]);
    site
}

fn tool(name: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(name)
        .args(args)
        .arg(pdf)
        .args(if name == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{name} (poppler-utils) must be installed: {e}"));
    assert!(out.status.success(), "{name} failed on {}", pdf.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn info(pdf: &Path) -> HashMap<String, String> {
    tool("pdfinfo", &[], pdf)
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// The text, with runs of white space made one space.
fn text(pdf: &Path) -> String {
    squash(&tool("pdftotext", &[], pdf))
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Each font's name and whether it is embedded (the `emb` column).
fn fonts(pdf: &Path) -> Vec<(String, bool)> {
    let out = tool("pdffonts", &[], pdf);
    // Columns: name, type, encoding, emb, sub, uni, object, ID; a long name pushes the
    // others right, so they are counted from the end.
    out.lines()
        .skip(2)
        .map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            (cols[0].to_string(), cols[cols.len() - 5] == "yes")
        })
        .collect()
}

fn doc(pdf: &Path) -> lopdf::Document {
    lopdf::Document::load(pdf).unwrap()
}

/// Every link target (`/URI`) in the document, wherever it is nested.
fn uris(d: &lopdf::Document) -> Vec<String> {
    fn walk(obj: &lopdf::Object, out: &mut Vec<String>) {
        match obj {
            lopdf::Object::Dictionary(dict) => {
                for (k, v) in dict.iter() {
                    match v {
                        lopdf::Object::String(bytes, _) if k == b"URI" => {
                            out.push(String::from_utf8_lossy(bytes).into_owned())
                        }
                        other => walk(other, out),
                    }
                }
            }
            lopdf::Object::Array(items) => items.iter().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for obj in d.objects.values() {
        walk(obj, &mut out);
    }
    out.sort();
    out
}

fn catalog_string(d: &lopdf::Document, key: &[u8]) -> Option<String> {
    match d.catalog().ok()?.get(key).ok()? {
        lopdf::Object::String(b, _) => Some(String::from_utf8_lossy(b).into_owned()),
        _ => None,
    }
}

#[test]
fn a_commentary_pdf_is_titled_tagged_in_its_language_and_embeds_its_fonts() {
    let site = built();
    let pdf = site.out(ORDER);
    let i = info(&pdf);
    assert_eq!(i["Title"], "Order & its <discontents>");
    assert_eq!(i["Author"], "Ada Lee, Bo Chen");
    assert_eq!(i["Tagged"], "yes");
    assert_eq!(i["Pages"], "1");
    assert!(i["Page size"].contains("A4"), "{}", i["Page size"]);
    assert_eq!(
        catalog_string(&doc(&pdf), b"Lang").as_deref(),
        Some("en-GB")
    );
    let f = fonts(&pdf);
    assert!(f.len() >= 2, "{f:?}");
    assert!(
        f.iter().all(|(_, emb)| *emb),
        "a font is not embedded: {f:?}"
    );
    assert!(
        f.iter().any(|(n, _)| n.contains("LibertinusSerif")),
        "{f:?}"
    );
}

#[test]
fn the_pdf_says_what_the_page_says_with_the_same_note_numbers() {
    let site = built();
    let t = text(&site.out(ORDER));
    let page = site.html("commentaries/order/index.html");
    // Title block, body, the image's alt text, corrections, works cited, footer.
    for want in [
        "Order & its <discontents>",
        "Ada Lee and Bo Chen",
        "1 May 2020 · Print Review",
        "What the agency does",
        "A quoted line about intelligence.",
        "print(\"hello\")",
        "Image: A map of the listening stations",
        "Corrections 3 May 2020: An earlier version named the wrong National Security Agency director.",
        "Works cited Kissinger, Henry. World Order. Penguin Press, 2014.",
        "https://example.org/review/commentaries/order/ 1",
    ] {
        assert!(t.contains(want), "`{want}` not in:\n{t}");
    }
    // Every note of the page, numbered as there, word for word (citations included).
    let notes = texts(&page, "li[id^='fn-']");
    let ids = attrs(&page, "li[id^='fn-']", "id");
    assert_eq!(ids.len(), 4, "{notes:?}");
    for (id, note) in ids.iter().zip(&notes) {
        let n = id.trim_start_matches("fn-");
        let words = squash(note.trim_end_matches(['↩', '↑', ' ']));
        let words = words.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '.');
        assert!(
            t.contains(&format!("{n}{words}")),
            "note {n} `{words}` not in:\n{t}"
        );
    }
    assert!(t.contains("Henry Kissinger, World Order (Penguin Press, 2014), 9."));
}

#[test]
fn glossary_mentions_link_to_their_entries_absolute() {
    let site = built();
    let links = uris(&doc(&site.out(ORDER)));
    for want in [
        format!("{BASE}glossary/bodies/nsa/"),
        format!("{BASE}glossary/treaties/un-charter/"),
        format!("{BASE}commentaries/order/"),
        format!("{BASE}map.png"),
    ] {
        assert!(links.contains(&want), "{want} not in {links:?}");
    }
}

#[test]
fn every_ascii_punctuation_character_comes_through_in_text_code_urls_and_notes() {
    let site = built();
    let pdf = site.out("commentaries/escapes/escapes.pdf");
    let t = tool("pdftotext", &[], &pdf);
    let all = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    for line in ["P: ", "C: ", "1Q: "] {
        assert!(
            t.contains(&format!("{line}{all}")),
            "`{line}{all}` not in:\n{t}"
        );
    }
    let url = "https://example.org/a?b=1&c=2#x!$'()*+,;=:@~";
    assert!(t.contains(&format!("U: {url}")), "{t}");
    assert!(uris(&doc(&pdf)).contains(&url.to_string()));
}

#[test]
fn the_page_links_its_pdf_and_a_commentary_can_have_none() {
    let site = built();
    let page = site.html("commentaries/order/index.html");
    let pdf = format!("{BASE}commentaries/order/order.pdf");
    assert_eq!(attrs(&page, "a.pdf", "href"), std::slice::from_ref(&pdf));
    assert_eq!(texts(&page, "a.pdf"), ["PDF"]);
    assert_eq!(
        attrs(&page, "meta[name='citation_pdf_url']", "content"),
        [pdf]
    );
    // `pdf: false`: no file, no link, no tag.
    assert!(!site.exists("commentaries/plain/plain.pdf"));
    let plain = site.html("commentaries/plain/index.html");
    assert!(attrs(&plain, "a.pdf", "href").is_empty());
    assert!(attrs(&plain, "meta[name='citation_pdf_url']", "content").is_empty());
}

#[test]
fn without_pdf_enabled_there_are_none_unless_a_commentary_asks() {
    let site = Site::fixture("pdf");
    site.write(
        "scholia.yaml",
        "title: T\nbase_url: \"https://example.org/\"\n",
    );
    site.write(
        "content/commentaries/2021-02-01-plain.md",
        "---\ntitle: Asks\ndate: 2021-02-01\npdf: true\n---\nA PDF please.\n",
    );
    site.build_ok(&[]);
    assert!(!site.exists(ORDER));
    assert!(site.exists("commentaries/plain/plain.pdf"));
}

#[test]
fn us_letter_paper() {
    let site = Site::fixture("pdf");
    site.write(
        "scholia.yaml",
        "title: T\npdf:\n  enabled: true\n  paper: us-letter\n  standard: a-2a\n",
    );
    site.build_ok(&[]);
    let i = info(&site.out(ORDER));
    assert!(i["Page size"].contains("letter"), "{}", i["Page size"]);
}

/// Marks the built PDF at `rel`, so that a later build shows whether it made it again (the
/// mark is gone) or reused it (the mark is still there).
fn mark(site: &Site, rel: &str) {
    let mut bytes = std::fs::read(site.out(rel)).unwrap();
    bytes.extend_from_slice(b"\n%scholia-test-mark\n");
    std::fs::write(site.out(rel), bytes).unwrap();
}

fn marked(site: &Site, rel: &str) -> bool {
    let bytes = std::fs::read(site.out(rel)).unwrap();
    bytes.ends_with(b"\n%scholia-test-mark\n")
}

#[test]
fn a_pdf_is_made_again_only_when_its_commentary_or_the_template_changes() {
    let site = built();
    let escapes = "commentaries/escapes/escapes.pdf";
    mark(&site, ORDER);
    mark(&site, escapes);
    site.build_ok(&[]);
    assert!(
        marked(&site, ORDER) && marked(&site, escapes),
        "nothing changed"
    );
    // The commentary changes: its PDF is made again, the other is kept.
    let path = site.root().join("content/commentaries/2020-05-01-order.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("A later remark.", "A later, longer remark."),
    )
    .unwrap();
    site.build_ok(&[]);
    assert!(!marked(&site, ORDER));
    assert!(marked(&site, escapes));
    assert!(text_of(&site, ORDER).contains("A later, longer remark."));
    // The template changes: every PDF is made again.
    mark(&site, ORDER);
    let template = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/pdf/commentary.typ"),
    )
    .unwrap();
    site.write(
        "templates/pdf/commentary.typ",
        &template.replace("size: 11pt", "size: 10pt"),
    );
    site.build_ok(&[]);
    assert!(!marked(&site, ORDER) && !marked(&site, escapes));
}

fn text_of(site: &Site, rel: &str) -> String {
    text(&site.out(rel))
}

#[test]
fn a_collection_has_a_cover_contents_and_each_commentary_newest_first_or_as_named() {
    let site = Site::fixture("pdf");
    site.write(
        "content/commentaries/2021-02-01-plain.md",
        "---\ntitle: Plain and printed\ndate: 2021-02-01\nauthors: [\"Cy Dee\"]\n---\nNow printed.[^a]\n\n[^a]: Its own first note.\n",
    );
    let out = site.root().join("all.pdf");
    let r = site.run(&[
        "pdf",
        "--out",
        out.to_str().unwrap(),
        "--title",
        "Quarterly",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("wrote 3 commentaries"), "{}", r.stdout);
    let t = text(&out);
    let contents = t.find("Contents").expect("a table of contents");
    let order: Vec<usize> = ["Plain and printed", "Escapes", "Order & its <discontents>"]
        .iter()
        .map(|title| t[contents..].find(title).expect(title))
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "newest first: {order:?}"
    );
    assert!(t.starts_with("Quarterly Print Review"), "{t}");
    // Notes are numbered per commentary: each starts at 1.
    assert!(t.contains("1Its own first note."), "{t}");
    assert!(t.contains("1Henry Kissinger, World Order"), "{t}");
    // The outline (bookmarks) lists the commentaries.
    let d = doc(&out);
    let outlines = d.catalog().unwrap().get(b"Outlines").is_ok();
    assert!(outlines, "no outline");
    assert_eq!(info(&out)["Title"], "Quarterly");

    // Named, in the order given; narrowed by tag.
    let r = site.run(&["pdf", "order", "plain", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let t = text(&out);
    let (a, b) = (
        t.rfind("Order & its").unwrap(),
        t.rfind("Plain and printed").unwrap(),
    );
    assert!(a < b, "{t}");
    let r = site.run(&["pdf", "--tag", "order", "--out", out.to_str().unwrap()]);
    assert!(r.stdout.contains("wrote 1 commentaries"), "{}", r.stdout);
    let r = site.run(&["pdf", "nowhere", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("there is no commentary `nowhere`"),
        "{}",
        r.stderr
    );
}

#[test]
fn sections_that_start_below_the_top_level_or_skip_one_still_make_an_accessible_pdf() {
    // PDF/UA-1 (the default) wants the first heading at level 1 and no level skipped; the
    // web page takes `###` first or `##` then `#####` as written.
    let site = Site::fixture("pdf");
    site.write(
        "content/commentaries/2020-02-01-deep.md",
        "---\ntitle: Deep sections\ndate: 2020-02-01\n---\n\nOpening.\n\n### Background\n\nText.\n\n##### Detail\n\nMore.\n\n## Outlook\n\nEnd.\n",
    );
    site.build_ok(&[]);
    let pdf = site.out("commentaries/deep/deep.pdf");
    let t = squash(&text(&pdf));
    for h in ["Background", "Detail", "Outlook", "End."] {
        assert!(t.contains(h), "{h} in {t}");
    }
    // The tagged structure: levels closed up, Detail under Background, Outlook at the top.
    let headings: Vec<String> = tool("pdfinfo", &["-struct"], &pdf)
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('H') && l.contains('"'))
        .map(|l| l.split(" (").next().unwrap_or(l).to_string())
        .collect();
    assert_eq!(
        headings,
        [r#"H1 "Background""#, r#"H2 "Detail""#, r#"H1 "Outlook""#]
    );
}
