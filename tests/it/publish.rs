//! Deploy-ready output: every URL honours `base_url` (with and without a sub-path), the
//! feed and sitemap parse with real parsers, assets are fingerprinted, and `check` follows
//! every link of the built site.

use crate::util::*;
use scraper::Html;
use std::collections::BTreeSet;
use std::path::Path;

const BASES: [&str; 2] = [
    "https://example.org/",
    "https://example.org/policy/commentary/",
];

/// The demo site of the repository (content/, its font in fonts/demo/ and scholia.yaml), in
/// a temporary folder.
pub fn demo() -> Site {
    let site = Site::empty();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = walkdir::WalkDir::new(repo.join("content"))
        .into_iter()
        .chain(walkdir::WalkDir::new(repo.join("fonts/demo")));
    for item in files {
        let item = item.unwrap();
        let rel = item.path().strip_prefix(repo).unwrap();
        if item.file_type().is_file() {
            let dest = site.root().join(rel);
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::copy(item.path(), dest).unwrap();
        }
    }
    std::fs::copy(repo.join("scholia.yaml"), site.root().join("scholia.yaml")).unwrap();
    site
}

/// Every HTML file of the output, as (path relative to the output, parsed page).
fn pages(out: &Path) -> Vec<(String, Html)> {
    walkdir::WalkDir::new(out)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (
                rel,
                Html::parse_document(&std::fs::read_to_string(e.path()).unwrap()),
            )
        })
        .collect()
}

/// Every `href` and `src` of a page.
fn urls(doc: &Html) -> Vec<String> {
    let mut v = attrs(doc, "[href]", "href");
    v.extend(attrs(doc, "[src]", "src"));
    v
}

/// The output file a URL under `base` names, if it is one of the site's.
fn file_of(url: &str, base: &str) -> Option<String> {
    let path = url.strip_prefix(base)?;
    let path = path.split(['#', '?']).next().unwrap();
    Some(if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    })
}

#[test]
fn every_link_and_asset_honours_the_base_url() {
    for site in [demo(), Site::fixture("basic")] {
        for base in BASES {
            site.build_ok(&["--base-url", base]);
            let out = site.root().join("site");
            let pages = pages(&out);
            assert!(pages.len() > 10);
            let mut internal = 0;
            for (rel, doc) in &pages {
                for u in urls(doc) {
                    if u.starts_with('#') {
                        continue;
                    }
                    if u.starts_with("https://example.org/") {
                        let file = file_of(&u, base).unwrap_or_else(|| {
                            panic!("{rel}: `{u}` is on the site's host but outside {base}")
                        });
                        assert!(out.join(&file).is_file(), "{rel}: `{u}` → no {file}");
                        internal += 1;
                    } else {
                        assert!(
                            u.starts_with("http://")
                                || u.starts_with("https://")
                                || u.starts_with("mailto:"),
                            "{rel}: `{u}` is relative or root-relative with base {base}"
                        );
                    }
                }
                let canonical = attrs(doc, "link[rel=canonical]", "href");
                assert_eq!(canonical.len(), 1, "{rel}");
                if rel != "404.html" {
                    let want = format!("{base}{}", rel.trim_end_matches("index.html"));
                    assert_eq!(canonical[0], want, "{rel}");
                    assert_eq!(attrs(doc, "meta[property='og:url']", "content"), [want]);
                }
            }
            assert!(internal > 100, "{internal}");
            let robots = site.read("robots.txt");
            if site.root().join("content/static/robots.txt").exists() {
                assert_eq!(
                    robots,
                    std::fs::read_to_string(site.root().join("content/static/robots.txt")).unwrap(),
                    "the site's own robots.txt wins"
                );
            } else {
                assert!(
                    robots
                        .lines()
                        .any(|l| l == format!("Sitemap: {base}sitemap.xml")),
                    "{robots}"
                );
            }
        }
    }
}

#[test]
fn pages_have_description_and_open_graph_meta() {
    let site = demo();
    site.build_ok(&["--base-url", BASES[1]]);
    let doc = site.html("commentaries/after-sunnylands/index.html");
    let meta = |p: &str| attrs(&doc, &format!("meta[property='{p}']"), "content");
    let description = attrs(&doc, "meta[name=description]", "content");
    assert_eq!(description.len(), 1);
    assert!(description[0].len() > 40, "{description:?}");
    assert_eq!(meta("og:description"), description);
    assert_eq!(meta("og:type"), ["article"]);
    assert_eq!(texts(&doc, "h1"), meta("og:title"));
    assert_eq!(meta("article:published_time"), ["2013-06-28"]);
    let home = site.html("index.html");
    assert_eq!(
        attrs(&home, "meta[property='og:type']", "content"),
        ["website"]
    );
}

#[test]
fn stylesheets_are_fingerprinted() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let doc = site.html("index.html");
    let sheets = attrs(&doc, "link[rel=stylesheet]", "href");
    assert_eq!(sheets.len(), 2, "{sheets:?}");
    for (href, plain) in sheets.iter().zip(["style.css", "syntax.css"]) {
        let name = href.trim_start_matches('/');
        let (stem, ext) = plain.split_once('.').unwrap();
        let hash = name
            .strip_prefix(&format!("{stem}."))
            .and_then(|r| r.strip_suffix(&format!(".{ext}")))
            .unwrap_or_else(|| panic!("{href} is not {stem}.<hash>.{ext}"));
        assert_eq!(hash.len(), 16);
        assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(site.read(name), site.read(plain), "same bytes, two names");
    }
    // A change to the stylesheet changes the name.
    site.write("themes/default/static/style.css", "body { color: red }\n");
    site.build_ok(&[]);
    let again = attrs(&site.html("index.html"), "link[rel=stylesheet]", "href");
    assert_ne!(again[0], sheets[0]);
    assert_eq!(again[1], sheets[1]);
    assert_eq!(
        site.read(again[0].trim_start_matches('/')),
        "body { color: red }\n"
    );
}

#[test]
fn feed_is_valid_atom_with_full_content() {
    let site = demo();
    site.build_ok(&["--base-url", BASES[1]]);
    let xml = site.read("feed.xml");
    let feed = feed_rs::parser::parse(xml.as_bytes()).expect("feed-rs parses the feed");
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    assert!(feed.updated.is_some());
    assert_eq!(feed.entries.len(), 6);
    let mut dates = Vec::new();
    for e in &feed.entries {
        let link = &e.links[0].href;
        assert!(link.starts_with(BASES[1]), "{link}");
        let file = file_of(link, BASES[1]).unwrap();
        assert!(site.exists(&file), "{link}");
        let updated = e.updated.expect("every entry has <updated>");
        let published = e.published.expect("every entry has <published>");
        assert!(updated >= published, "{link}");
        dates.push((published, updated));
        let content = e.content.as_ref().and_then(|c| c.body.clone()).unwrap();
        // Full content: the page's whole article text, not the summary.
        let page = site.html(&file);
        let paragraphs = texts(&page, ".prose > p");
        let body = Html::parse_fragment(&content);
        let feed_text = texts(&body, "p").join(" ");
        assert!(paragraphs.len() >= 3);
        for p in &paragraphs {
            assert!(feed_text.contains(p.as_str()), "feed entry lacks `{p}`");
        }
    }
    let mut sorted = dates.clone();
    sorted.sort_by_key(|d| std::cmp::Reverse(d.0));
    assert_eq!(dates, sorted, "newest first");
    // The feed changed last when its latest entry did (a correction counts).
    assert_eq!(feed.updated, dates.iter().map(|d| d.1).max());
}

#[test]
fn sitemap_is_well_formed_with_lastmod() {
    let site = demo();
    site.build_ok(&["--base-url", BASES[1]]);
    let xml = site.read("sitemap.xml");
    let urls = sitemap(&xml);
    let pages: BTreeSet<String> = pages(&site.root().join("site"))
        .into_iter()
        .map(|(rel, _)| rel)
        // Neither the not-found page nor a search page (one per language) is for search
        // engines.
        .filter(|r| {
            r != "404.html" && r != "search/index.html" && !r.ends_with("/search/index.html")
        })
        .collect();
    let listed: BTreeSet<String> = urls
        .iter()
        .map(|(u, _)| file_of(u, BASES[1]).expect(u))
        .collect();
    assert_eq!(listed, pages, "every page once, nothing else");
    assert_eq!(listed.len(), urls.len());
    // In English only free pages (about) have no date of their own. (In Chinese and French,
    // pages that show no commentary of their language have none either.)
    let undated: Vec<String> = urls
        .iter()
        .filter(|(_, m)| m.is_none())
        .map(|(u, _)| file_of(u, BASES[1]).expect(u))
        .filter(|f| !f.starts_with("zh/") && !f.starts_with("fr/"))
        .collect();
    assert_eq!(undated, ["about/index.html"], "{urls:#?}");
    for (u, m) in &urls {
        if let Some(m) = m {
            assert!(m.len() == 10 && m.as_bytes()[4] == b'-', "{u}: {m}");
        }
    }
}

#[test]
fn check_reports_broken_links_and_fragments_at_their_source_line() {
    let site = Site::fixture("basic");
    site.write(
        "content/commentaries/2015-10-01-links.md",
        "---\ntitle: Links\ndate: 2015-10-01\nsummary: s\n---\n\nSee [the agreement](../agreement/) and [below](#below).\n\nThe [old page](/commentaries/gone/) and [a note](../agreement/#nowhere), an [image](/img/x.png).\n\n## Below\n\nA [footnote](#fn-1) reference.[^a]\n\n[^a]: The note.\n",
    );
    let r = site.run(&["check", "--message-format", "short"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let errors = error_lines(&r.stderr);
    let file = "content/commentaries/2015-10-01-links.md";
    assert_eq!(
        errors,
        [
            format!("error: {file}:9:16: broken link `/commentaries/gone/`: the built site has no page or file `commentaries/gone/`; correct the URL, or create the page it names").as_str(),
            format!("error: {file}:9:50: broken link `../agreement/#nowhere`: the page it points to has no element with id `nowhere`; link an existing id (headings get one from their text) or add one").as_str(),
            format!("error: {file}:9:85: broken link `/img/x.png`: the built site has no page or file `img/x.png`; correct the URL, or create the page it names").as_str(),
        ],
        "{}",
        r.stderr
    );
    assert!(!site.root().join("site").exists(), "check writes nothing");
}

#[test]
fn check_reports_template_links_once_against_the_built_page() {
    let site = Site::fixture("basic");
    site.write(
        "templates/taxonomy_term.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ term.name }}</h1>\n<a href=\"{{ url('tags/gone/') }}\">gone</a> <a href=\"#nope\">here</a>{% endblock %}\n",
    );
    let r = site.run(&["check", "--message-format", "short"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let errors = error_lines(&r.stderr);
    // Two author and three tag pages use the template.
    let terms = 5;
    assert_eq!(errors.len(), 2, "{}", r.stderr);
    assert!(
        errors[0].starts_with("error: <built site>/authors/ada-lee/index.html:")
            && errors[0].contains(&format!("broken link `#nope`: the page it points to has no element with id `nope` (and on {} other pages; it comes from a template);", terms - 1)),
        "{}",
        errors[0]
    );
    assert!(
        errors[1]
            .contains("broken link `/tags/gone/`: the built site has no page or file `tags/gone/`"),
        "{}",
        errors[1]
    );
}

#[test]
fn check_flags_root_relative_links_that_leave_the_sub_path() {
    let site = Site::fixture("basic");
    site.write(
        "content/pages/links.md",
        "---\ntitle: Links\n---\n\nAll [tags](/tags/), or [the same](../tags/).\n",
    );
    let r = site.run(&["check", "--message-format", "short"]);
    assert_eq!(r.code, 0, "at the root both work:\n{}", r.stderr);
    let r = site.run(&[
        "check",
        "--message-format",
        "short",
        "--base-url",
        "https://example.org/policy/commentary/",
    ]);
    assert_eq!(r.code, 1);
    let errors = error_lines(&r.stderr);
    assert_eq!(
        errors,
        ["error: content/pages/links.md:5:12: the link `/tags/` leaves the site's path `/policy/commentary/`; it would break where the site is deployed (write it relative, or with the full path)"],
        "{}",
        r.stderr
    );
}

/// The `error:` lines of a run's stderr.
fn error_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.starts_with("error")).collect()
}
