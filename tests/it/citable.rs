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

/// The `name` and `content` of every `citation_*` meta tag, in document order.
fn highwire(doc: &scraper::Html) -> Vec<(String, String)> {
    doc.select(&sel("meta[name^='citation_']"))
        .map(|m| {
            let v = m.value();
            (
                v.attr("name").unwrap().to_string(),
                v.attr("content").unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn highwire_tags_name_title_authors_in_order_date_site_and_each_work_cited() {
    let site = built();
    let tags = highwire(&site.html(ORDER));
    let named = |n: &str| -> Vec<&str> {
        tags.iter()
            .filter(|(k, _)| k == n)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    assert_eq!(named("citation_title"), ["Order & its <discontents>"]);
    assert_eq!(named("citation_author"), ["Ada Lee", "Bo Chen"]);
    assert_eq!(named("citation_publication_date"), ["2020/05/01"]);
    assert_eq!(named("citation_journal_title"), ["Citable Review"]);
    assert_eq!(
        named("citation_reference"),
        ["Kissinger, Henry. World Order. Penguin Press, 2014."]
    );
    // Google Scholar reads the title first and the authors together.
    let order: Vec<&str> = tags.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        &order[..4],
        [
            "citation_title",
            "citation_author",
            "citation_author",
            "citation_publication_date"
        ]
    );
    let plain = highwire(&site.html("commentaries/plain/index.html"));
    assert!(plain.iter().all(|(k, _)| k != "citation_reference"));
}

/// The page's JSON-LD blocks, parsed.
fn jsonld(doc: &scraper::Html) -> Vec<serde_json::Value> {
    doc.select(&sel("script[type='application/ld+json']"))
        .map(|s| {
            let text: String = s.text().collect();
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
        })
        .collect()
}

/// Checks that every property of a schema.org node is one the vocabulary defines for its
/// type (the properties Scholia writes, from schema.org's pages for each type and its
/// parents), recursively.
fn schema_properties_are_known(v: &serde_json::Value) {
    const THING: &[&str] = &[
        "@context",
        "@type",
        "name",
        "url",
        "description",
        "alternateName",
        "sameAs",
    ];
    const CREATIVE_WORK: &[&str] = &[
        "headline",
        "author",
        "datePublished",
        "dateModified",
        "publisher",
        "inLanguage",
        "citation",
        "mentions",
        "correction",
        "mainEntityOfPage",
        "text",
    ];
    const LEGISLATION: &[&str] = &["legislationDate", "legislationDateOfApplicability"];
    const ORGANIZATION: &[&str] = &["foundingDate", "dissolutionDate"];
    match v {
        serde_json::Value::Array(items) => items.iter().for_each(schema_properties_are_known),
        serde_json::Value::Object(map) => {
            let ty = map["@type"].as_str().expect("every node has a @type");
            // Legislation is a CreativeWork; the rest are Things.
            let own: Vec<&str> = match ty {
                "Article" | "CreativeWork" | "CorrectionComment" => CREATIVE_WORK.to_vec(),
                "Legislation" => [CREATIVE_WORK, LEGISLATION].concat(),
                "Organization" => ORGANIZATION.to_vec(),
                "Person" => Vec::new(),
                other => panic!("unexpected type {other}"),
            };
            for (k, child) in map {
                assert!(
                    THING.contains(&k.as_str()) || own.contains(&k.as_str()),
                    "`{k}` is not a property of {ty}"
                );
                if child.is_object() || child.is_array() {
                    schema_properties_are_known(child);
                }
            }
        }
        _ => {}
    }
}

#[test]
fn a_commentary_has_one_schema_org_article() {
    let site = built();
    let blocks = jsonld(&site.html(ORDER));
    assert_eq!(blocks.len(), 1);
    let a = &blocks[0];
    schema_properties_are_known(a);
    assert_eq!(a["@context"], "https://schema.org");
    assert_eq!(a["@type"], "Article");
    assert_eq!(a["headline"], "Order & its <discontents>");
    let authors: Vec<&str> = a["author"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(authors, ["Ada Lee", "Bo Chen"]);
    assert_eq!(a["datePublished"], "2020-05-01");
    assert_eq!(a["dateModified"], "2020-07-09");
    assert_eq!(a["publisher"]["name"], "Citable Review");
    assert_eq!(a["inLanguage"], "en");
    assert_eq!(
        a["citation"][0]["name"],
        "Kissinger, Henry. World Order. Penguin Press, 2014."
    );
    let mentions: Vec<(&str, &str)> = a["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["@type"].as_str().unwrap(), m["name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        mentions,
        [
            ("Organization", "National Security Agency"),
            ("Legislation", "Charter of the United Nations")
        ]
    );
    let fixes = a["correction"].as_array().unwrap();
    assert_eq!(fixes.len(), 3);
    assert_eq!(fixes[1]["@type"], "CorrectionComment");
    assert_eq!(fixes[1]["datePublished"], "2020-07-09");
    assert_eq!(
        fixes[1]["text"],
        "An earlier version dated the Charter to 1946."
    );
    assert_eq!(
        fixes[1]["url"],
        format!("{BASE}commentaries/order/#correction-2020-07-09")
    );
    let plain = jsonld(&site.html("commentaries/plain/index.html"));
    assert_eq!(plain.len(), 1);
    assert!(plain[0].get("correction").is_none() && plain[0].get("citation").is_none());
    assert_eq!(plain[0]["dateModified"], "2021-02-01");
}

#[test]
fn entry_pages_have_an_organization_or_a_legislation_with_their_dates() {
    let site = built();
    let body = jsonld(&site.html("glossary/bodies/nsa/index.html"));
    assert_eq!(body.len(), 1);
    schema_properties_are_known(&body[0]);
    assert_eq!(body[0]["@type"], "Organization");
    assert_eq!(body[0]["name"], "National Security Agency");
    assert_eq!(body[0]["alternateName"], serde_json::json!(["NSA"]));
    assert_eq!(body[0]["foundingDate"], "1952-11-04");
    let treaty = jsonld(&site.html("glossary/treaties/un-charter/index.html"));
    assert_eq!(treaty.len(), 1);
    schema_properties_are_known(&treaty[0]);
    assert_eq!(treaty[0]["@type"], "Legislation");
    assert_eq!(treaty[0]["legislationDate"], "1945-06-26");
    assert_eq!(treaty[0]["legislationDateOfApplicability"], "1945-10-24");
    assert_eq!(
        treaty[0]["url"],
        format!("{BASE}glossary/treaties/un-charter/")
    );
}

/// The ids of a commentary's paragraphs and block quotes.
fn paragraph_ids(site: &Site, rel: &str) -> Vec<String> {
    attrs(
        &site.html(rel),
        ".prose > p[id], .prose > blockquote[id]",
        "id",
    )
}

#[test]
fn paragraph_ids_stay_when_a_paragraph_is_inserted_and_links_to_them_check() {
    let site = Site::fixture("citable");
    let path = "content/commentaries/2021-02-01-plain.md";
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();
    site.write(
        path,
        &format!("{text}\n> Quoted words.\n\nA closing line.\n"),
    );
    site.build_ok(&[]);
    let before = paragraph_ids(&site, "commentaries/plain/index.html");
    assert_eq!(before.len(), 3, "{before:?}");
    let links = attrs(
        &site.html("commentaries/plain/index.html"),
        ".prose .pilcrow",
        "href",
    );
    assert_eq!(
        links,
        before.iter().map(|i| format!("#{i}")).collect::<Vec<_>>()
    );
    let (head, body) = text.rsplit_once("---\n").unwrap();
    site.write(
        path,
        &format!("{head}---\nA new first paragraph.\n{body}\nInserted in the middle.\n\n> Quoted words.\n\nA closing line.\n"),
    );
    site.build_ok(&[]);
    let after = paragraph_ids(&site, "commentaries/plain/index.html");
    assert_eq!(after.len(), 5, "{after:?}");
    assert_eq!(
        [&after[1], &after[3], &after[4]],
        [&before[0], &before[1], &before[2]]
    );
    // A plain link to a paragraph of another commentary passes the link check.
    let order = "content/commentaries/2020-05-01-order.md";
    let o = std::fs::read_to_string(site.root().join(order)).unwrap();
    site.write(
        order,
        &format!("{o}\nSee [the closing line](../plain/#{}).\n", before[2]),
    );
    let r = site.run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    site.write(
        order,
        &format!("{o}\nSee [a lost line](../plain/#p-00000000).\n"),
    );
    let r = site.run(&["check"]);
    assert_eq!(
        r.code, 1,
        "a missing paragraph is a broken fragment: {}",
        r.stderr
    );
    assert!(r.stderr.contains("p-00000000"), "{}", r.stderr);
}

/// A site with a relative `base_url` has no absolute URL to cite; it is still citable.
#[test]
fn a_site_with_a_relative_base_url_still_has_a_cite_this_block() {
    let site = Site::fixture("citable");
    site.build_ok(&["--base-url", "/"]);
    let doc = site.html("commentaries/plain/index.html");
    assert_eq!(
        texts(&doc, ".cite-this .citation"),
        ["Bo Chen. “A Plain Commentary.” Citable Review, February 1, 2021."]
    );
    let json: serde_json::Value =
        serde_json::from_str(&site.read("commentaries/plain/cite.json")).unwrap();
    assert_eq!(json[0]["URL"], "/commentaries/plain/");
}
