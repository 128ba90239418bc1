//! The search index and the reader's markup: the files under `search/` answer a query as
//! `scholia.js` asks it (manifest → shard → postings → document), and every page has the
//! search box, the script and the glossary cards' data.

use crate::util::*;
use std::io::Read;

fn gunzip_json(bytes: &[u8]) -> serde_json::Value {
    let mut s = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut s)
        .unwrap();
    serde_json::from_str(&s).unwrap()
}

/// Document ids whose postings hold `term`, looked up as the browser does.
fn lookup(site: &Site, term: &str) -> Vec<u64> {
    let manifest: serde_json::Value =
        serde_json::from_str(&site.read("search/index.json")).unwrap();
    let firsts: Vec<&str> = manifest["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let Some(n) = firsts.iter().rposition(|f| *f <= term) else {
        return Vec::new();
    };
    let shard = gunzip_json(&std::fs::read(site.out(&format!("search/t/{n}.json.gz"))).unwrap());
    let Some(list) = shard.get(term).and_then(|v| v.as_array()) else {
        return Vec::new();
    };
    let mut id = 0;
    list.chunks(2)
        .map(|p| {
            id += p[0].as_u64().unwrap();
            id
        })
        .collect()
}

fn doc(site: &Site, id: u64) -> serde_json::Value {
    gunzip_json(&std::fs::read(site.out(&format!("search/d/{id}.json.gz"))).unwrap())
}

#[test]
fn the_index_finds_commentaries_and_entries_by_their_words() {
    let site = Site::fixture("reader");
    site.build_ok(&[]);
    let manifest: serde_json::Value =
        serde_json::from_str(&site.read("search/index.json")).unwrap();
    // Three commentaries and four entries.
    assert_eq!(manifest["docs"], 7);

    let titles = |term: &str| -> Vec<String> {
        lookup(&site, term)
            .into_iter()
            .map(|id| doc(&site, id)["t"].as_str().unwrap().to_string())
            .collect()
    };
    // Plural folded into the singular, in a commentary's text and in an entry's.
    let mut t = titles("review");
    t.sort();
    assert_eq!(
        t,
        [
            "Cyberspace Administration of China (CAC)",
            "Data export rules, relaxed",
            "Targets under the Paris Agreement"
        ]
    );
    // An alias is a searchable name.
    assert!(titles("budapest").contains(&"Convention on Cybercrime".to_string()));
    // Note text is indexed once (from the notes list, not the sidenote copy too).
    assert_eq!(titles("practitioner"), ["Data export rules, relaxed"]);
    // Accents are folded, as scholia.js folds the query.
    assert_eq!(titles("curacao"), ["Targets under the Paris Agreement"]);
    // Stop words are not.
    assert!(lookup(&site, "the").is_empty());

    let d = doc(&site, lookup(&site, "practitioner")[0]);
    assert_eq!(d["u"], "/commentaries/data-export/");
    assert_eq!(d["k"], "commentary");
    assert_eq!(d["d"], "1 March 2024");
    let text = d["x"].as_str().unwrap();
    assert!(text.starts_with("In March the Cyberspace Administration of China published"));
    assert!(
        text.contains("introduced in 2022. The change"),
        "note numbers left in: {text}"
    );
    assert_eq!(
        text.matches("Interviews with three practitioners").count(),
        1
    );
    assert!(!text.contains('<'));
}

#[test]
fn every_page_has_the_search_box_and_the_script_and_the_search_page_exists() {
    let site = Site::fixture("reader");
    site.build_ok(&[]);
    for page in [
        "index.html",
        "commentaries/data-export/index.html",
        "glossary/index.html",
        "glossary/treaties/paris-agreement/index.html",
        "tags/index.html",
        "404.html",
        "search/index.html",
    ] {
        let doc = site.html(page);
        assert_eq!(
            attrs(&doc, ".site-header form[role='search']", "action"),
            ["/search/"],
            "{page}"
        );
        assert_eq!(
            attrs(&doc, ".site-header form input[type='search']", "name"),
            ["q"]
        );
        // The script under its fingerprinted name, which hosts may cache forever.
        let scripts = attrs(&doc, "head script[defer]", "src");
        assert_eq!(scripts.len(), 1, "{page}");
        let script = scripts[0].strip_prefix('/').unwrap();
        assert!(
            script.starts_with("scholia.")
                && script.ends_with(".js")
                && script.len() == "scholia..js".len() + 16,
            "{page}: {script}"
        );
        assert_eq!(site.read(script), site.read("scholia.js"));
        assert_eq!(attrs(&doc, "html", "lang"), ["en"]);
    }
    let search = site.html("search/index.html");
    assert_eq!(
        attrs(&search, "#search-results", "data-index"),
        ["/search/"]
    );
    assert_eq!(texts(&search, "h1"), ["Search"]);
    assert!(site.read("scholia.js").contains("DecompressionStream"));
    // The search page is not in the sitemap: it has no content of its own.
    assert!(!site.read("sitemap.xml").contains("/search/"));
}

#[test]
fn glossary_links_carry_the_card_facts() {
    let site = Site::fixture("reader");
    site.build_ok(&[]);
    let doc = site.html("commentaries/data-export/index.html");
    let body = doc.select(&sel(".prose a.gl-body")).next().unwrap().value();
    assert_eq!(body.attr("data-kind"), Some("body"));
    assert_eq!(
        body.attr("data-name"),
        Some("Cyberspace Administration of China")
    );
    assert_eq!(
        body.attr("data-facts"),
        Some("Jurisdiction: China · Established: 26 August 2014")
    );
    assert!(body
        .attr("title")
        .unwrap()
        .starts_with("Cyberspace Administration of China: "));
    let treaty = doc
        .select(&sel(".prose a.gl-treaty"))
        .next()
        .unwrap()
        .value();
    assert_eq!(
        treaty.attr("data-facts"),
        Some("Adopted: 23 November 2001 · In force: 1 July 2004")
    );
}

#[test]
fn search_false_writes_no_index_and_no_search_box() {
    let site = Site::fixture("reader");
    let yaml = std::fs::read_to_string(site.root().join("scholia.yaml")).unwrap();
    site.write("scholia.yaml", &format!("{yaml}search: false\n"));
    site.build_ok(&[]);
    assert!(!site.exists("search"), "no search/ folder at all");
    for page in [
        "index.html",
        "commentaries/data-export/index.html",
        "404.html",
    ] {
        let doc = site.html(page);
        assert!(
            attrs(&doc, "form[role='search']", "action").is_empty(),
            "{page}"
        );
    }
    // The rest of the site is unchanged: pages and the script are still there.
    assert!(site.exists("glossary/treaties/paris-agreement/index.html"));
    assert!(site.exists("scholia.js"));
}
