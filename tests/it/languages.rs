//! Languages: a site in English with Chinese and Arabic versions (`tests/fixtures/languages`):
//! where each version goes, `lang`/`dir`, `hreflang` pairs, the language switcher, feeds and
//! the sitemap per language, glossary links in text without spaces, backlinks, theme text
//! and dates, and each language's search index.

use crate::util::{attrs, sel, texts, Site};
use scraper::Html;
use std::collections::{BTreeMap, BTreeSet};

const BASE: &str = "https://example.org/notes/";

fn built() -> Site {
    let site = Site::fixture("languages");
    site.build_ok(&[]);
    site
}

/// Output path (`zh/commentaries/x/`) of a URL of the site.
fn rel(url: &str) -> String {
    url.strip_prefix(BASE)
        .expect("a URL of the site")
        .to_string()
}

/// (hreflang, href) of a page's alternate links.
fn alternates(doc: &Html) -> BTreeMap<String, String> {
    doc.select(&sel(r#"link[rel="alternate"][hreflang]"#))
        .map(|e| {
            let v = e.value();
            (
                v.attr("hreflang").unwrap().to_string(),
                v.attr("href").unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn each_language_has_the_same_structure_under_its_folder() {
    let site = built();
    for path in [
        "index.html",
        "commentaries/leading-group/index.html",
        "commentaries/only-english/index.html",
        "glossary/bodies/icao/index.html",
        "zh/index.html",
        "zh/commentaries/leading-group/index.html",
        "zh/commentaries/only-chinese/index.html",
        "zh/glossary/index.html",
        "zh/glossary/bodies/cac/index.html",
        "zh/tags/index.html",
        "zh/authors/jane-doe/index.html",
        "zh/timeline/index.html",
        "zh/search/index.html",
        "zh/feed.xml",
        "ar/commentaries/arabic/index.html",
        "ar/about/index.html",
        "ar/feed.xml",
    ] {
        assert!(site.exists(path), "{path} is missing");
    }
    // A translation without an original exists only in its language; an untranslated
    // entry has no page in the other languages (its links go to the original's).
    for path in [
        "commentaries/only-chinese/index.html",
        "zh/commentaries/only-english/index.html",
        "zh/glossary/bodies/icao/index.html",
        "ar/glossary/bodies/cac/index.html",
        "zh/404.html",
    ] {
        assert!(!site.exists(path), "{path} should not exist");
    }
}

#[test]
fn every_page_says_its_language_and_direction() {
    let site = built();
    for (path, lang, dir) in [
        ("index.html", "en", None),
        ("glossary/bodies/cac/index.html", "en", None),
        ("zh/commentaries/leading-group/index.html", "zh", None),
        ("zh/glossary/index.html", "zh", None),
        ("ar/commentaries/arabic/index.html", "ar", Some("rtl")),
        ("ar/index.html", "ar", Some("rtl")),
    ] {
        let doc = site.html(path);
        assert_eq!(attrs(&doc, "html", "lang"), [lang], "{path}");
        assert_eq!(
            attrs(&doc, "html", "dir").first().map(String::as_str),
            dir,
            "{path}"
        );
    }
}

#[test]
fn versions_point_to_each_other_and_the_switcher_to_the_page_s_own_translations() {
    let site = built();
    let pages = [
        "commentaries/leading-group/index.html",
        "zh/commentaries/leading-group/index.html",
        "glossary/bodies/cac/index.html",
        "zh/glossary/bodies/cac/index.html",
        "about/index.html",
        "ar/about/index.html",
        "index.html",
        "zh/index.html",
        "ar/index.html",
    ];
    for path in pages {
        let doc = site.html(path);
        let alt = alternates(&doc);
        let own = format!("{BASE}{}", path.trim_end_matches("index.html"));
        assert!(
            alt.values().any(|u| *u == own),
            "{path} lists itself: {alt:?}"
        );
        let default = alt.get("x-default").expect("x-default");
        assert_eq!(
            Some(default),
            alt.get("en"),
            "{path}: x-default is the English page"
        );
        // Every version lists exactly the same versions.
        for (code, url) in &alt {
            let other = site.html(&format!("{}index.html", rel(url)));
            assert_eq!(
                alternates(&other),
                alt,
                "{path} and its {code} version disagree"
            );
        }
        // The switcher links the versions of this page, in their own languages.
        let switch: BTreeSet<(String, String)> = doc
            .select(&sel("nav.lang-switch a"))
            .map(|a| {
                let v = a.value();
                (
                    v.attr("hreflang").unwrap().into(),
                    v.attr("href").unwrap().into(),
                )
            })
            .collect();
        let expected: BTreeSet<(String, String)> = alt
            .iter()
            .filter(|(c, _)| *c != "x-default")
            .map(|(c, u)| (c.clone(), u.clone()))
            .collect();
        assert_eq!(switch, expected, "{path}");
        let current = attrs(&doc, r#"nav.lang-switch a[aria-current="page"]"#, "href");
        assert_eq!(current, [own], "{path}");
    }
    let leading = alternates(&site.html("zh/commentaries/leading-group/index.html"));
    assert_eq!(
        leading.keys().collect::<Vec<_>>(),
        ["en", "x-default", "zh"],
        "no Arabic version of this commentary"
    );
    // A page in one language only has no alternates and no switcher.
    for path in [
        "zh/commentaries/only-chinese/index.html",
        "commentaries/only-english/index.html",
    ] {
        let doc = site.html(path);
        assert!(alternates(&doc).is_empty(), "{path}");
        assert!(
            doc.select(&sel("nav.lang-switch")).next().is_none(),
            "{path}"
        );
    }
}

#[test]
fn each_language_has_its_feed() {
    let site = built();
    let titles = |rel: &str| -> (String, Vec<String>) {
        let feed = feed_rs::parser::parse(site.read(rel).as_bytes()).expect("a valid feed");
        (
            feed.title.map(|t| t.content).unwrap_or_default(),
            feed.entries
                .into_iter()
                .map(|e| e.title.map(|t| t.content).unwrap_or_default())
                .collect(),
        )
    };
    let (title, entries) = titles("zh/feed.xml");
    assert_eq!(title, "网络政策评论");
    assert_eq!(
        entries,
        ["中美网络安全共识", "中国成立网络安全和信息化领导小组"]
    );
    let (title, entries) = titles("feed.xml");
    assert_eq!(title, "Cyber Policy Notes");
    assert_eq!(
        entries,
        [
            "The 2015 cyber agreement",
            "China creates a leading group on cybersecurity"
        ]
    );
    assert_eq!(titles("ar/feed.xml").1, ["الأمن السيبراني في الشرق الأوسط"]);
}

/// The sitemap's pages, each with its alternates (hreflang → href), read as XML.
fn sitemap_alternates(xml: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut loc = String::new();
    let mut alt = BTreeMap::new();
    let mut in_loc = false;
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) if e.name().as_ref() == "loc" => in_loc = true,
            quick_xml::events::Event::Text(t) if in_loc => loc = t.html_content().into_owned(),
            quick_xml::events::Event::End(e) => match e.name().as_ref() {
                "loc" => in_loc = false,
                "url" => {
                    out.insert(std::mem::take(&mut loc), std::mem::take(&mut alt));
                }
                _ => {}
            },
            quick_xml::events::Event::Empty(e) if e.name().as_ref() == "xhtml:link" => {
                let get = |k: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == k)
                        .map(|a| a.value.replace("&amp;", "&"))
                        .unwrap()
                };
                assert_eq!(get("rel"), "alternate");
                alt.insert(get("hreflang"), get("href"));
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[test]
fn the_sitemap_lists_every_version_with_its_alternates() {
    let site = built();
    let map = sitemap_alternates(&site.read("sitemap.xml"));
    for url in [
        format!("{BASE}commentaries/leading-group/"),
        format!("{BASE}zh/commentaries/leading-group/"),
        format!("{BASE}zh/commentaries/only-chinese/"),
        format!("{BASE}ar/about/"),
        format!("{BASE}zh/glossary/bodies/cac/"),
    ] {
        assert!(map.contains_key(&url), "{url} is not in the sitemap");
    }
    let en = &map[&format!("{BASE}commentaries/leading-group/")];
    assert_eq!(
        en.iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect::<Vec<_>>(),
        [
            ("en", format!("{BASE}commentaries/leading-group/").as_str()),
            (
                "x-default",
                format!("{BASE}commentaries/leading-group/").as_str()
            ),
            (
                "zh",
                format!("{BASE}zh/commentaries/leading-group/").as_str()
            ),
        ]
    );
    // Each alternate is a page of the sitemap with the same alternates, and agrees with the
    // page's own links.
    for (url, alt) in &map {
        for other in alt.values() {
            assert_eq!(&map[other], alt, "{url} and {other}");
        }
        let doc = site.html(&format!("{}index.html", rel(url)));
        assert_eq!(&alternates(&doc), alt, "{url}: page and sitemap disagree");
    }
    assert!(map[&format!("{BASE}zh/commentaries/only-chinese/")].is_empty());
}

/// (text, href) of the glossary links of a page.
fn glossary_links(doc: &Html) -> Vec<(String, String)> {
    doc.select(&sel(".prose a.gl"))
        .map(|a| {
            (
                a.text().collect(),
                a.value().attr("href").unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn chinese_text_links_names_without_spaces_and_english_keeps_whole_words() {
    let site = built();
    let zh = glossary_links(&site.html("zh/commentaries/leading-group/index.html"));
    assert_eq!(
        zh,
        [
            (
                "中央网络安全和信息化领导小组".to_string(),
                format!("{BASE}zh/glossary/bodies/leading-group/")
            ),
            (
                "国家互联网信息办公室".to_string(),
                format!("{BASE}zh/glossary/bodies/cac/")
            ),
            // Untranslated: the original's abbreviation, to the original's page.
            ("ICAO".to_string(), format!("{BASE}glossary/bodies/icao/")),
        ]
    );
    let en = glossary_links(&site.html("commentaries/leading-group/index.html"));
    assert_eq!(
        en,
        [
            (
                "Central Leading Group for Cybersecurity and Informatization".to_string(),
                format!("{BASE}glossary/bodies/leading-group/")
            ),
            (
                "Cyberspace Administration of China".to_string(),
                format!("{BASE}glossary/bodies/cac/")
            ),
            // `ICAOs` and `DECAC` are not linked: only the whole word `ICAO`.
            ("ICAO".to_string(), format!("{BASE}glossary/bodies/icao/")),
        ]
    );
    let arabic = glossary_links(&site.html("ar/commentaries/arabic/index.html"));
    assert_eq!(
        arabic,
        [("ICAO".to_string(), format!("{BASE}glossary/bodies/icao/"))]
    );
}

#[test]
fn backlinks_and_hover_cards_are_per_language() {
    let site = built();
    let mentions = |path: &str| texts(&site.html(path), ".backlink-title a");
    assert_eq!(
        mentions("zh/glossary/bodies/cac/index.html"),
        ["中美网络安全共识", "中国成立网络安全和信息化领导小组"]
    );
    assert_eq!(
        mentions("glossary/bodies/cac/index.html"),
        [
            "The 2015 cyber agreement",
            "China creates a leading group on cybersecurity"
        ]
    );
    let zh = site.html("zh/commentaries/leading-group/index.html");
    let cards = attrs(&zh, ".prose a.gl", "data-summary");
    assert_eq!(cards[1], "中国的互联网监管机构。");
    // The names are the translation's (with the original's abbreviation), the facts the
    // original's.
    let page = site.html("zh/glossary/bodies/cac/index.html");
    assert_eq!(texts(&page, "h1"), ["国家互联网信息办公室 (CAC)"]);
    let facts = texts(&page, "table td");
    assert!(facts.contains(&"China".to_string()), "{facts:?}");
}

#[test]
fn theme_text_and_dates_are_in_the_page_s_language() {
    let site = built();
    let zh = site.html("zh/commentaries/leading-group/index.html");
    assert_eq!(texts(&zh, ".byline time"), ["2014年2月27日"]);
    assert_eq!(texts(&zh, "#notes-heading"), ["注释"]);
    assert_eq!(texts(&zh, ".skip-link"), ["跳到正文"]);
    let ar = site.html("ar/commentaries/arabic/index.html");
    assert_eq!(texts(&ar, ".byline time"), ["10 يناير 2016"]);
    assert_eq!(texts(&ar, "#notes-heading"), ["الحواشي"]);
    let en = site.html("commentaries/leading-group/index.html");
    assert_eq!(texts(&en, ".byline time"), ["27 February 2014"]);
    assert_eq!(texts(&en, "#notes-heading"), ["Notes"]);
    // The navigation of each language stays in it.
    assert_eq!(attrs(&zh, ".site-nav a", "href")[0], format!("{BASE}zh/"));
}

#[test]
fn a_site_adds_and_overrides_theme_text_and_a_missing_one_warns() {
    let site = Site::fixture("languages");
    site.write("i18n/zh.yaml", "notes: 附注\n");
    let config = std::fs::read_to_string(site.root().join("scholia.yaml")).unwrap();
    site.write(
        "scholia.yaml",
        &config.replace("languages:\n", "languages:\n  nl: {}\n"),
    );
    let r = site.run(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr.matches("warning:").count(),
        1,
        "one warning for the language the theme lacks: {}",
        r.stderr
    );
    assert!(
        r.stderr.contains("the theme has no text in `nl`"),
        "{}",
        r.stderr
    );
    let zh = site.html("zh/commentaries/leading-group/index.html");
    assert_eq!(texts(&zh, "#notes-heading"), ["附注"]);
    // Keys the site does not override stay the theme's.
    assert_eq!(texts(&zh, ".skip-link"), ["跳到正文"]);
}

/// A search index's terms, from all its shards.
fn index_terms(site: &Site, dir: &str) -> BTreeMap<String, Vec<u64>> {
    let manifest: serde_json::Value =
        serde_json::from_str(&site.read(&format!("{dir}index.json"))).unwrap();
    let shards = manifest["shards"].as_array().unwrap().len();
    let mut out = BTreeMap::new();
    for n in 0..shards {
        let bytes = std::fs::read(site.out(&format!("{dir}t/{n}.json.gz"))).unwrap();
        let mut json = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut json)
            .unwrap();
        let shard: BTreeMap<String, Vec<u64>> = serde_json::from_str(&json).unwrap();
        out.extend(shard);
    }
    out
}

#[test]
fn each_language_has_its_own_search_index() {
    let site = built();
    let zh = index_terms(&site, "zh/search/");
    for pair in ["网络", "络安", "安全", "信息", "icao"] {
        assert!(zh.contains_key(pair), "{pair} not in the Chinese index");
    }
    let en = index_terms(&site, "search/");
    assert!(
        !en.contains_key("网络"),
        "the English index has no Chinese pages"
    );
    assert!(en.contains_key("cyberspace"));
    // The search page reads its own language's index.
    let page = site.html("zh/search/index.html");
    assert_eq!(
        attrs(&page, "#search-results", "data-index"),
        [format!("{BASE}zh/search/")]
    );
}

#[test]
fn new_writes_a_translation_beside_its_original() {
    let site = Site::fixture("languages");
    let r = site.run(&[
        "new",
        "commentary",
        "The 2015 cyber agreement",
        "--lang",
        "zh",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let file = site
        .root()
        .join("content/commentaries/2015-09-25-only-english.zh.md");
    assert!(file.exists(), "{}", r.stdout);
    assert!(
        r.stdout.contains("/zh/commentaries/only-english/"),
        "{}",
        r.stdout
    );
    // Without an original, a new file in the language.
    let r = site.run(&["new", "body", "National Security Agency", "--lang", "ar"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(site
        .root()
        .join("content/glossary/bodies/national-security-agency.ar.md")
        .exists());
    site.build_ok(&[]);
    assert!(site.exists("zh/commentaries/only-english/index.html"));
    assert!(site.exists("ar/glossary/bodies/national-security-agency/index.html"));
    // The English page now has its Chinese version.
    let alt = alternates(&site.html("commentaries/only-english/index.html"));
    assert_eq!(alt.keys().collect::<Vec<_>>(), ["en", "x-default", "zh"]);
    // A language the site does not have is refused, with the fix.
    let r = site.run(&["new", "commentary", "X", "--lang", "zh-TW"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("`zh-TW` is not one of the site's other languages (zh, ar)"),
        "{}",
        r.stderr
    );
}

#[test]
fn check_says_which_commentaries_lack_a_translation() {
    let site = Site::fixture("languages");
    let r = site.run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let infos: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("info:") && l.contains("translation"))
        .collect();
    assert_eq!(
        infos,
        [
            "info: content/commentaries/2014-02-27-leading-group.md:1:1: the commentary `leading-group` has no translation in ar (2014-02-27-leading-group.ar.md)",
            "info: content/commentaries/2015-09-25-only-english.md:1:1: the commentary `only-english` has no translation in zh, ar (2015-09-25-only-english.zh.md, 2015-09-25-only-english.ar.md)",
        ]
    );
}

#[test]
fn the_glossary_index_lists_a_language_s_own_entries_under_its_headings() {
    let site = built();
    let zh = site.html("zh/glossary/index.html");
    assert_eq!(texts(&zh, "h2#group-body"), ["机构"]);
    assert_eq!(
        texts(&zh, ".gloss-list dt a"),
        ["中央网络安全和信息化领导小组", "国家互联网信息办公室"]
    );
    let en = site.html("glossary/index.html");
    assert_eq!(texts(&en, "h2#group-body"), ["Bodies"]);
    assert_eq!(texts(&en, ".gloss-list dt a").len(), 3);
}

#[test]
fn citations_are_formatted_in_the_page_s_locale() {
    let site = Site::fixture("languages");
    site.write(
        "content/sources.yaml",
        "wang-2015:\n  type: article\n  title: Cyber Governance after 2014\n  author: Wang, Li\n  date: 2015-03-05\n  parent:\n    type: periodical\n    title: Policy Review\n    volume: 7\n  page-range: 10-20\n",
    );
    let yaml = std::fs::read_to_string(site.root().join("scholia.yaml")).unwrap();
    site.write(
        "scholia.yaml",
        &format!("{yaml}  fr:\n    title: Notes de politique\n"),
    );
    let note = "[^1]\n\n[^1]: A note. [@wang-2015, p. 12] See [@wang-2015, p. 13].\n";
    for (file, title) in [
        ("2014-02-27-leading-group.md", "The leading group"),
        ("2014-02-27-leading-group.zh.md", "领导小组"),
        ("2014-02-27-leading-group.fr.md", "Le groupe dirigeant"),
    ] {
        site.write(
            &format!("content/commentaries/{file}"),
            &format!(
                "---\ntitle: {title}\ndate: 2014-02-27\nauthors: [Jane Doe]\n---\n\nText.{note}"
            ),
        );
    }
    site.build_ok(&[]);
    let note_of = |dir: &str| {
        let doc = site.html(&format!("{dir}commentaries/leading-group/index.html"));
        let notes = texts(&doc, ".endnotes li");
        let works = texts(&doc, ".works-cited li");
        let cite = texts(&doc, ".cite-this .citation");
        (notes.join(" "), works.join(" "), cite.join(" "))
    };
    // English (the style's own locale): English quotes, months and title case.
    let (n, w, c) = note_of("");
    assert!(n.contains("“Cyber Governance After 2014,”"), "{n}");
    assert!(n.contains("(March 2015): 12"), "{n}");
    assert!(w.contains("(March 2015): 10–20"), "{w}");
    assert!(c.contains("February 27, 2014"), "{c}");
    // Chinese: the zh-CN locale's quotation marks and dates; no English title case.
    let (n, w, c) = note_of("zh/");
    assert!(n.contains("《Cyber Governance after 2014》"), "{n}");
    assert!(n.contains("(2015年3月): 12"), "{n}");
    assert!(w.contains("(2015年3月)"), "{w}");
    assert!(c.contains("2014年2月27日"), "{c}");
    // French: guillemets and French months, in the notes, the works cited and "cite this".
    let (n, w, c) = note_of("fr/");
    assert!(n.contains("« Cyber Governance after 2014 »"), "{n}");
    assert!(n.contains("(mars 2015): 12"), "{n}");
    assert!(w.contains("(mars 2015)"), "{w}");
    assert!(c.contains("27 février 2014"), "{c}");
    // The sources page of each language too.
    let fr = site.html("fr/sources/index.html");
    assert!(texts(&fr, ".bibliography li")
        .join(" ")
        .contains("mars 2015"));
    let en = site.html("sources/index.html");
    assert!(texts(&en, ".bibliography li")
        .join(" ")
        .contains("March 2015"));
}

#[test]
fn the_demo_s_chinese_pages_cite_in_the_chinese_locale() {
    let site = crate::publish::demo();
    site.build_ok(&[]);
    let cite = |rel: &str| texts(&site.html(rel), ".cite-this .citation").join(" ");
    let zh = cite("zh/commentaries/borrowing-from-beijing/index.html");
    assert!(
        zh.contains("《向北京借鉴:以航空保安法为关键基础设施保护的范本》")
            && zh.contains("2015年8月4日"),
        "{zh}"
    );
    let en = cite("commentaries/borrowing-from-beijing/index.html");
    assert!(
        en.contains("“Borrowing from Beijing") && en.contains("August 4, 2015"),
        "{en}"
    );
}

/// What the fixture's theme-text test checks, on the demo's real Chinese page: its glossary
/// links hand their hover cards Chinese fact labels and a Chinese dated status, and its
/// paragraph links are labelled in Chinese.
#[test]
fn the_demo_s_chinese_hover_cards_and_paragraph_links_are_in_chinese() {
    let site = crate::publish::demo();
    site.build_ok(&[]);
    let page = site.html("zh/commentaries/borrowing-from-beijing/index.html");
    let facts = attrs(&page, "a.gl[data-facts]", "data-facts");
    assert!(!facts.is_empty());
    let english = [
        "Jurisdiction",
        "Established",
        "Adopted",
        "In force",
        "written",
        "As of",
    ];
    let statuses = attrs(&page, "a.gl[data-status]", "data-status");
    assert!(!statuses.is_empty());
    for s in facts.iter().chain(&statuses) {
        assert!(!english.iter().any(|e| s.contains(e)), "{s}");
    }
    assert!(facts.iter().any(|f| f.contains("管辖：")), "{facts:?}");
    assert!(
        statuses
            .iter()
            .all(|s| s.starts_with("撰写本文时（2015年8月4日）：")),
        "{statuses:?}"
    );
    let labels: BTreeSet<String> = attrs(&page, "a.pilcrow", "aria-label")
        .into_iter()
        .collect();
    assert_eq!(labels, BTreeSet::from(["链接到本段".to_string()]));
}
