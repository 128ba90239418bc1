//! Citable and accountable commentaries (issue 16; contract: "Corrections and updates" and
//! "Citing a commentary" in CONTENT-FORMAT.md), over the `citable` fixture: one commentary
//! with `updated:` and three corrections (two on one day), one without.

use crate::util::*;

const ORDER: &str = "commentaries/order/index.html";
const BASE: &str = "https://example.org/review/";

fn built() -> Site {
    let site = Site::fixture("citable");
    site.build_ok(&[]);
    site
}

#[test]
fn corrections_show_dated_above_the_text_they_correct() {
    let site = built();
    let doc = site.html(ORDER);
    // In the header, so before the article's text.
    let ids = attrs(&doc, "article > header .corrections li", "id");
    assert_eq!(
        ids,
        [
            "correction-2020-05-03",
            "correction-2020-07-09",
            "correction-2020-07-09-2"
        ]
    );
    let dates = attrs(&doc, ".corrections li time", "datetime");
    assert_eq!(dates, ["2020-05-03", "2020-07-09", "2020-07-09"]);
    let items = texts(&doc, ".corrections li");
    assert_eq!(
        items[1],
        "9 July 2020: An earlier version dated the Charter to 1946."
    );
    // The text is inline Markdown and may link the glossary.
    let links = attrs(&doc, ".corrections li a.gl", "href");
    assert_eq!(links, [format!("{BASE}glossary/bodies/nsa/")]);
    assert_eq!(texts(&doc, ".corrections li em"), ["Charter"]);
    let modified = attrs(&doc, "meta[property='article:modified_time']", "content");
    assert_eq!(modified, ["2020-07-09"]);
    assert_eq!(
        attrs(&doc, ".byline .updated time", "datetime"),
        ["2020-07-09"]
    );
    // A commentary without corrections shows none, and no "updated".
    let plain = site.html("commentaries/plain/index.html");
    assert!(texts(&plain, ".corrections").is_empty());
    assert!(texts(&plain, ".byline .updated").is_empty());
}

#[test]
fn the_corrections_page_lists_every_correction_newest_first() {
    let site = built();
    let doc = site.html("corrections/index.html");
    let whens = attrs(&doc, ".corrections-list .correction-of time", "datetime");
    assert_eq!(whens, ["2020-07-09", "2020-07-09", "2020-05-03"]);
    let targets = attrs(&doc, ".corrections-list .correction-of a", "href");
    assert_eq!(
        targets,
        [
            format!("{BASE}commentaries/order/#correction-2020-07-09"),
            format!("{BASE}commentaries/order/#correction-2020-07-09-2"),
            format!("{BASE}commentaries/order/#correction-2020-05-03"),
        ]
    );
    let names = texts(&doc, ".corrections-list .correction-of a");
    assert!(
        names.iter().all(|n| n == "Order & its <discontents>"),
        "{names:?}"
    );
    let sitemap = sitemap(&site.read("sitemap.xml"));
    assert!(sitemap.contains(&(format!("{BASE}corrections/"), Some("2020-07-09".into()))));
}

#[test]
fn the_corrections_feed_is_atom_newest_first() {
    let site = built();
    let xml = site.read("corrections/feed.xml");
    let feed = feed_rs::parser::parse(xml.as_bytes()).expect("a valid feed");
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    assert_eq!(feed.id, format!("{BASE}corrections/feed.xml"));
    let entries: Vec<(String, String, String)> = feed
        .entries
        .iter()
        .map(|e| {
            (
                e.title.as_ref().unwrap().content.clone(),
                e.links[0].href.clone(),
                e.updated.unwrap().date_naive().to_string(),
            )
        })
        .collect();
    assert_eq!(entries.len(), 3, "{entries:?}");
    assert_eq!(entries[0].0, "Correction: Order & its <discontents>");
    assert_eq!(
        entries[2].1,
        format!("{BASE}commentaries/order/#correction-2020-05-03")
    );
    let dates: Vec<&str> = entries.iter().map(|e| e.2.as_str()).collect();
    assert_eq!(dates, ["2020-07-09", "2020-07-09", "2020-05-03"]);
    assert_eq!(feed.updated.unwrap().date_naive().to_string(), "2020-07-09");
    let content = feed.entries[2]
        .content
        .as_ref()
        .unwrap()
        .body
        .clone()
        .unwrap();
    assert!(
        content.contains("National Security Agency</a> director"),
        "{content}"
    );
}

/// The commentary's `<updated>` in the main feed and its sitemap `lastmod` follow its latest
/// correction, then its `updated:`, then its date.
#[test]
fn a_correction_changes_the_commentary_updated_date() {
    let site = built();
    let modified = |site: &Site| {
        let feed = feed_rs::parser::parse(site.read("feed.xml").as_bytes()).unwrap();
        let e = feed
            .entries
            .iter()
            .find(|e| e.links[0].href == format!("{BASE}commentaries/order/"))
            .unwrap();
        let lastmod = sitemap(&site.read("sitemap.xml"))
            .into_iter()
            .find(|(u, _)| u == &format!("{BASE}commentaries/order/"))
            .and_then(|(_, l)| l)
            .unwrap();
        (
            e.published.unwrap().date_naive().to_string(),
            e.updated.unwrap().date_naive().to_string(),
            lastmod,
        )
    };
    assert_eq!(
        modified(&site),
        (
            "2020-05-01".into(),
            "2020-07-09".into(),
            "2020-07-09".into()
        )
    );
    let path = "content/commentaries/2020-05-01-order.md";
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();
    let (head, rest) = text.split_once("corrections:\n").unwrap();
    let body = &rest[rest.find("---").unwrap()..];
    site.write(path, &format!("{head}{body}"));
    site.build_ok(&[]);
    assert_eq!(
        modified(&site),
        (
            "2020-05-01".into(),
            "2020-06-01".into(),
            "2020-06-01".into()
        )
    );
    // No correction left anywhere: no corrections page or feed.
    assert!(!site.exists("corrections/index.html"));
    assert!(!site.exists("corrections/feed.xml"));
}

/// A RIS record's (tag, value) lines, checking the `TAG  - value` form and the end mark.
fn ris_fields(text: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = text.split_terminator("\r\n").collect();
    assert_eq!(lines.last(), Some(&"ER  - "), "{text:?}");
    lines
        .iter()
        .map(|l| {
            let (tag, value) = l
                .split_once("  - ")
                .unwrap_or_else(|| panic!("bad line {l:?}"));
            assert!(tag.len() == 2 && tag.chars().all(|c| c.is_ascii_alphanumeric()));
            (tag.to_string(), value.to_string())
        })
        .collect()
}

#[test]
fn each_commentary_has_bibtex_ris_and_csl_json_beside_it() {
    let site = built();
    let url = format!("{BASE}commentaries/order/");
    // BibTeX, read back by hayagriva's BibLaTeX parser.
    let lib = hayagriva::io::from_biblatex_str(&site.read("commentaries/order/cite.bib"))
        .expect("the .bib parses");
    let e = lib.get("order").expect("one entry, keyed by the slug");
    assert_eq!(lib.len(), 1);
    assert_eq!(
        e.title().unwrap().value.to_string(),
        "Order & its <discontents>"
    );
    let authors: Vec<String> = e
        .authors()
        .unwrap()
        .iter()
        .map(|p| p.given_first(false))
        .collect();
    assert_eq!(authors, ["Ada Lee", "Bo Chen"]);
    assert_eq!(e.date().unwrap().to_string(), "2020-05-01");
    assert_eq!(e.url().unwrap().value.as_str(), url);
    assert_eq!(
        e.publisher()
            .and_then(|p| p.name())
            .map(|n| n.to_string())
            .as_deref(),
        Some("Citable Review")
    );
    // RIS.
    let ris = ris_fields(&site.read("commentaries/order/cite.ris"));
    let get = |tag: &str| -> Vec<&str> {
        ris.iter()
            .filter(|(t, _)| t == tag)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    assert_eq!(ris[0], ("TY".to_string(), "ELEC".to_string()));
    assert_eq!(get("TI"), ["Order & its <discontents>"]);
    assert_eq!(get("AU"), ["Ada Lee", "Bo Chen"]);
    assert_eq!(get("DA"), ["2020/05/01"]);
    assert_eq!(get("PB"), ["Citable Review"]);
    assert_eq!(get("UR"), [url.as_str()]);
    assert_eq!(get("LA"), ["en"]);
    // CSL-JSON: an array of one item.
    let json: serde_json::Value =
        serde_json::from_str(&site.read("commentaries/order/cite.json")).expect("valid JSON");
    let items = json.as_array().expect("an array");
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(item["id"], "order");
    assert_eq!(item["type"], "webpage");
    assert_eq!(item["title"], "Order & its <discontents>");
    assert_eq!(
        item["author"],
        serde_json::json!([{ "literal": "Ada Lee" }, { "literal": "Bo Chen" }])
    );
    assert_eq!(
        item["issued"]["date-parts"],
        serde_json::json!([[2020, 5, 1]])
    );
    assert_eq!(item["publisher"], "Citable Review");
    assert_eq!(item["URL"], url.as_str());
    assert_eq!(item["language"], "en");
}

#[test]
fn the_cite_this_block_formats_the_commentary_in_the_site_style_and_links_the_files() {
    let site = built();
    let doc = site.html("commentaries/plain/index.html");
    let text = texts(&doc, ".cite-this .citation");
    let url = format!("{BASE}commentaries/plain/");
    assert_eq!(
        text,
        [format!(
            "Bo Chen. “A Plain Commentary.” Citable Review, February 1, 2021. {url}."
        )]
    );
    let files = attrs(&doc, ".cite-this .cite-files a", "href");
    assert_eq!(
        files,
        ["cite.bib", "cite.ris", "cite.json"].map(|f| format!("{url}{f}"))
    );
    for f in ["cite.bib", "cite.ris", "cite.json"] {
        assert!(site.exists(&format!("commentaries/plain/{f}")), "{f}");
    }
}
