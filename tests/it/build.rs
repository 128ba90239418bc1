//! A successful build of the `basic` fixture: every page kind, links, notes, backlinks,
//! feeds, drafts and base URLs.

use crate::util::*;

#[test]
fn writes_every_page_of_the_contract() {
    let site = Site::fixture("basic");
    let run = site.build_ok(&[]);
    assert!(run.stdout.starts_with("built "), "{}", run.stdout);
    for rel in [
        "index.html",
        "page/2/index.html",
        "commentaries/leading-group/index.html",
        "commentaries/sunnylands/index.html",
        "commentaries/agreement/index.html",
        "glossary/index.html",
        "glossary/bodies/nsa/index.html",
        "glossary/bodies/leading-group/index.html",
        "glossary/treaties/beijing-convention/index.html",
        "tags/index.html",
        "tags/china/index.html",
        "tags/cyber-policy/index.html",
        "authors/index.html",
        "authors/ada-lee/index.html",
        "about/index.html",
        "feed.xml",
        "sitemap.xml",
        "404.html",
        "robots.txt",
        "syntax.css",
        "style.css",
    ] {
        assert!(site.exists(rel), "missing {rel}");
    }
    assert!(
        !site.exists("commentaries/draft/index.html"),
        "drafts are skipped"
    );
    assert!(!site.exists("page/3/index.html"));
}

#[test]
fn home_is_newest_first_and_paginated() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let home = site.html("index.html");
    let links = attrs(&home, "main a[href^='/commentaries/']", "href");
    let mut seen = links.clone();
    seen.dedup();
    assert_eq!(
        seen,
        ["/commentaries/agreement/", "/commentaries/leading-group/"]
    );
    let page2 = site.html("page/2/index.html");
    assert!(attrs(&page2, "main a[href^='/commentaries/']", "href")
        .contains(&"/commentaries/sunnylands/".to_string()));
    assert_eq!(attrs(&home, "html", "lang"), ["en"]);
}

#[test]
fn commentary_links_glossary_entries_once_and_never_in_headings() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let doc = site.html("commentaries/leading-group/index.html");
    let article_links = |css: &str| attrs(&doc, css, "href");
    // In the text (sidenote copies excluded): the first mention of each entry only.
    let body = article_links("main p > a.gl, main li > a.gl");
    assert!(body.contains(&"/glossary/bodies/leading-group/".to_string()));
    assert_eq!(
        texts(&doc, "main h2 a.gl").len(),
        0,
        "headings are never linked"
    );
    let nsa_links = texts(&doc, "main a.gl[href='/glossary/bodies/nsa/']");
    assert_eq!(
        nsa_links,
        ["National Security Agency"],
        "first mention only"
    );
    let gl = doc
        .select(&sel("a.gl[href='/glossary/bodies/nsa/']"))
        .next()
        .unwrap();
    assert_eq!(gl.value().attr("data-kind"), Some("body"));
    assert!(gl
        .value()
        .attr("title")
        .unwrap()
        .starts_with("National Security Agency: The signals intelligence agency"));
    assert_eq!(
        gl.value().attr("data-facts"),
        Some("Jurisdiction: United States · Established: 4 November 1952")
    );
    // The longest name wins, and the explicit link in a note renders too.
    let conv = texts(&doc, "main a.gl-treaty");
    assert!(
        conv.contains(&"2010 Beijing Convention".to_string()),
        "{conv:?}"
    );
    assert!(
        conv.contains(&"the convention text".to_string()),
        "{conv:?}"
    );
}

#[test]
fn notes_are_sidenotes_and_a_numbered_list_with_backlinks() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let doc = site.html("commentaries/leading-group/index.html");
    let refs = attrs(&doc, "a[role='doc-noteref']", "href");
    // Two in the text, none duplicated by the sidenote copies' ids.
    assert_eq!(
        attrs(&doc, "a[role='doc-noteref'][id]", "id"),
        ["fnref-1", "fnref-2"]
    );
    assert!(refs.starts_with(&["#fn-1".to_string(), "#fn-2".to_string()]));
    let items = doc
        .select(&sel("[role='doc-endnotes'] ol > li"))
        .collect::<Vec<_>>();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].value().attr("id"), Some("fn-1"));
    assert!(
        items[0].text().collect::<String>().contains("Xinhua"),
        "numbered by first reference"
    );
    assert_eq!(
        items[0].select(&sel("p")).count(),
        2,
        "multi-paragraph note"
    );
    let back = attrs(&doc, "[role='doc-endnotes'] a[role='doc-backlink']", "href");
    assert_eq!(back, ["#fnref-1", "#fnref-2"]);
    let asides = texts(&doc, ".prose .sidenote");
    assert_eq!(asides.len(), 2);
    assert!(asides[0].starts_with("1 Xinhua"), "{asides:?}");
    // Every id is unique.
    let ids = attrs(&doc, "[id]", "id");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "{ids:?}");
}

#[test]
fn code_is_highlighted_with_classes() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let doc = site.html("commentaries/leading-group/index.html");
    assert_eq!(attrs(&doc, "pre.code", "data-lang"), ["rust"]);
    assert!(doc.select(&sel("pre.code span[class^='hl-']")).count() > 0);
    assert!(site.read("syntax.css").contains(".hl-"));
}

#[test]
fn article_autolink_false_keeps_explicit_links() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let doc = site.html("commentaries/agreement/index.html");
    assert_eq!(texts(&doc, "main a.gl"), ["National Security Agency"]);
    assert!(texts(&doc, "main p")
        .iter()
        .any(|p| p.starts_with("The NSA is not linked")));
}

#[test]
fn entry_page_has_facts_body_and_backlinks_newest_first() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let doc = site.html("glossary/bodies/nsa/index.html");
    let facts = texts(&doc, "table.facts tr");
    assert!(
        facts
            .iter()
            .any(|f| f.contains("Jurisdiction") && f.contains("United States")),
        "{facts:?}"
    );
    assert!(facts
        .iter()
        .any(|f| f.contains("Established") && f.contains("4 November 1952")));
    let back = attrs(&doc, "main a[href^='/commentaries/']", "href");
    let mut back_unique = back.clone();
    back_unique.dedup();
    assert_eq!(
        back_unique,
        [
            "/commentaries/agreement/",
            "/commentaries/leading-group/",
            "/commentaries/sunnylands/"
        ]
    );
    let page = doc.root_element().text().collect::<String>();
    let page = page.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        page.contains(
            "Observers compared it with the National Security Agency, and the NSA said nothing."
        ),
        "sentence of the first mention"
    );
    assert!(page.contains("The Leading Group did not exist yet; the NSA did."));
    // No self-link in its own body; the related entry is listed.
    assert!(attrs(&doc, "a.gl", "href")
        .iter()
        .all(|h| h != "/glossary/bodies/nsa/"));
    assert!(attrs(&doc, "main a", "href").contains(&"/glossary/bodies/leading-group/".to_string()));
}

#[test]
fn glossary_index_groups_kinds_with_mention_counts() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let doc = site.html("glossary/index.html");
    let page = doc.root_element().text().collect::<String>();
    let bodies = page.find("Bodies").expect("a Bodies group");
    let treaties = page.find("Treaties").expect("a Treaties group");
    assert!(bodies < treaties);
    let names = texts(&doc, "main a[href^='/glossary/']");
    let pos = |n: &str| {
        names
            .iter()
            .position(|x| x.contains(n))
            .unwrap_or_else(|| panic!("{n} in {names:?}"))
    };
    assert!(
        pos("Central Leading Group") < pos("National Security Agency"),
        "A–Z"
    );
    assert!(pos("National Security Agency") < pos("2010 Beijing Convention"));
    let text: String = page.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains('3'), "NSA is mentioned in three commentaries");
}

#[test]
fn tags_and_authors_pages_list_their_commentaries() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let china = site.html("tags/china/index.html");
    let links = attrs(&china, "main a[href^='/commentaries/']", "href");
    assert!(links.contains(&"/commentaries/leading-group/".to_string()));
    assert!(links.contains(&"/commentaries/sunnylands/".to_string()));
    assert!(!links.contains(&"/commentaries/agreement/".to_string()));
    let authors = site.html("authors/index.html");
    let names = texts(&authors, "main a[href^='/authors/']");
    assert!(
        names.iter().any(|n| n.contains("Ada Lee")) && names.iter().any(|n| n.contains("Bo Chen")),
        "{names:?}"
    );
}

#[test]
fn feed_is_valid_atom_newest_first_with_content() {
    let site = Site::fixture("basic");
    site.build_ok(&["--base-url", "https://example.org/"]);
    let feed = feed_rs::parser::parse(site.read("feed.xml").as_bytes()).expect("a valid feed");
    assert_eq!(feed.title.unwrap().content, "Fixture Review");
    let titles: Vec<_> = feed
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect();
    assert_eq!(
        titles,
        [
            "The September agreement",
            "A new leading group",
            "Sunnylands"
        ]
    );
    let first = &feed.entries[1];
    assert_eq!(
        first.links[0].href,
        "https://example.org/commentaries/leading-group/"
    );
    assert!(first
        .content
        .as_ref()
        .unwrap()
        .body
        .as_ref()
        .unwrap()
        .contains("doc-noteref"));
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains(
        "<loc>https://example.org/commentaries/leading-group/</loc><lastmod>2014-02-27</lastmod>"
    ));
}

#[test]
fn drafts_are_built_with_the_flag() {
    let site = Site::fixture("basic");
    site.build_ok(&["--drafts"]);
    assert!(site.exists("commentaries/draft/index.html"));
}

#[test]
fn base_url_sub_path_is_honoured_by_every_link() {
    let site = Site::fixture("basic");
    let base = "https://example.org/policy/commentary/";
    site.build_ok(&["--base-url", base]);
    let mut checked = 0;
    for (rel, bytes) in snapshot(&site.root().join("site")) {
        if rel.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let doc = scraper::Html::parse_document(&String::from_utf8(bytes).unwrap());
        for css in ["a[href]", "link[href]", "script[src]", "img[src]"] {
            for el in doc.select(&sel(css)) {
                let url = el.value().attr("href").or(el.value().attr("src")).unwrap();
                if url.starts_with('#') || url.starts_with("mailto:") {
                    continue;
                }
                let external =
                    url.starts_with("https://") && !url.starts_with("https://example.org/");
                assert!(
                    external || url.starts_with(base),
                    "{}: {url}",
                    rel.display()
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "checked {checked} links");
}

#[test]
fn two_builds_are_byte_identical() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let first = snapshot(&site.root().join("site"));
    site.build_ok(&[]);
    assert_eq!(first, snapshot(&site.root().join("site")));
}

#[test]
fn check_prints_nothing_and_writes_nothing() {
    let site = Site::fixture("basic");
    let r = site.run(&["check"]);
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "", ""));
    assert!(!site.root().join("site").exists());
}

#[test]
fn site_autolink_all_and_none() {
    let site = Site::fixture("basic");
    site.write("scholia.yaml", "autolink: all\n");
    site.build_ok(&[]);
    let doc = site.html("commentaries/leading-group/index.html");
    assert!(texts(&doc, "main a.gl[href='/glossary/bodies/nsa/']").len() >= 3);
    site.write("scholia.yaml", "autolink: none\n");
    site.build_ok(&[]);
    let doc = site.html("commentaries/leading-group/index.html");
    let links = texts(&doc, "main a.gl");
    assert!(
        !links.is_empty() && links.iter().all(|t| t == "the convention text"),
        "only the explicit link in the note (sidenote and endnote): {links:?}"
    );
}

/// On a terminal a long build draws one progress line on stderr, redrawn in place and erased
/// before the summary (the delay, a second by default, is 0 here so a small site shows it);
/// elsewhere (every other test) stderr has no such line.
#[test]
fn a_progress_line_on_a_terminal_is_erased_before_the_summary() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: `script` (util-linux) gives the terminal");
        return;
    }
    let site = Site::fixture("basic");
    let cmd = format!("{} build", env!("CARGO_BIN_EXE_scholia"));
    let out = std::process::Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .current_dir(site.root())
        .env("SCHOLIA_PROGRESS_DELAY_MS", "0")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("building: "), "{text:?}");
    // The last progress line is erased, and the summary starts on a clean line.
    let summary = text.find("built ").expect("summary line");
    assert!(text[..summary].ends_with("\r\x1b[K"), "{text:?}");
    assert!(!text[summary..].contains("building: "), "{text:?}");
}
