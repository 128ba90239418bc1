//! The default theme's fixed text in the page's language (issue 15): over
//! `tests/fixtures/theme-text`, a site whose Chinese, French and Arabic pages hold no English
//! content, no English text of the theme (`themes/default/i18n/en.yaml`) shows on those
//! pages, in their text, their labels, their charts, their glossary links' hover cards or
//! the strings handed to scholia.js; and no template
//! of the default theme writes English text of its own.

use crate::util::{sel, Site};
use scraper::{ElementRef, Html, Node};
use std::collections::BTreeMap;
use std::path::Path;

fn theme_file(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("themes/default")
        .join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Each key of a language's i18n file with its strings (a count's forms, the months).
fn strings(code: &str) -> BTreeMap<String, Vec<String>> {
    let yaml: serde_yaml::Mapping =
        serde_yaml::from_str(&theme_file(&format!("i18n/{code}.yaml"))).unwrap();
    yaml.into_iter()
        .map(|(k, v)| {
            let values = match v {
                serde_yaml::Value::String(s) => vec![s],
                serde_yaml::Value::Sequence(l) => l
                    .into_iter()
                    .map(|x| x.as_str().unwrap().to_string())
                    .collect(),
                serde_yaml::Value::Mapping(m) => m
                    .into_iter()
                    .map(|(_, x)| x.as_str().unwrap().to_string())
                    .collect(),
                other => panic!("{code}: {k:?} is {other:?}"),
            };
            (k.as_str().unwrap().to_string(), values)
        })
        .collect()
}

/// The English words of a text: its pieces between `{placeholders}`, trimmed, that hold a
/// word of three letters or more (`Also known as`, `Nothing matches`, `March`).
fn fragments(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        let (piece, tail) = match rest.find('{') {
            Some(i) => (&rest[..i], rest[i..].find('}').map(|j| &rest[i + j + 1..])),
            None => (rest, None),
        };
        let piece = piece.trim_matches(|c: char| !c.is_alphanumeric());
        let wordy = piece
            .split(|c: char| !c.is_ascii_alphabetic())
            .any(|w| w.len() >= 3);
        if wordy {
            out.push(piece.to_string());
        }
        match tail {
            Some(t) => rest = t,
            None => return out,
        }
    }
}

/// The English fragments that must not show in language `code`: those of every key, less
/// those its own text shares (French `Notes`, `Parties`).
fn english_for(code: &str) -> Vec<(String, String)> {
    let own = strings(code);
    let mut out = Vec::new();
    for (key, values) in strings("en") {
        for f in values.iter().flat_map(|v| fragments(v)) {
            if !own.values().flatten().any(|t| holds(t, &f)) {
                out.push((key.clone(), f));
            }
        }
    }
    out
}

/// Whether `text` holds `fragment` as whole words.
fn holds(text: &str, fragment: &str) -> bool {
    text.match_indices(fragment).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + fragment.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// What a reader meets on a page: its text (not scripts, styles or drawings) and the
/// labels, titles and descriptions read out or shown.
fn shown(doc: &Html) -> Vec<String> {
    let mut out = Vec::new();
    for node in doc.tree.nodes() {
        if let Node::Text(t) = node.value() {
            let within = |names: &[&str]| {
                node.ancestors().any(|a| {
                    a.value()
                        .as_element()
                        .is_some_and(|e| names.contains(&e.name()))
                })
            };
            // Citations are the citation style's, in its own locale (README, "Languages").
            let cited = node.ancestors().filter_map(ElementRef::wrap).any(|a| {
                a.value().name() == "cite" || a.value().classes().any(|c| c == "citation")
            });
            if within(&["noscript"]) {
                // Its markup is text to the parser: read it as the page it is without script.
                out.extend(shown(&Html::parse_fragment(t)));
            } else if !within(&["script", "style"]) && !cited && !t.trim().is_empty() {
                out.push(t.trim().to_string());
            }
        }
    }
    for e in doc.select(&sel(
        "[aria-label], [placeholder], [alt], title, meta[content]",
    )) {
        for attr in ["aria-label", "placeholder", "alt"] {
            out.extend(e.value().attr(attr).map(str::to_string));
        }
        let meta = e.value().attr("name").or(e.value().attr("property"));
        if matches!(meta, Some("description" | "og:description" | "og:title")) {
            out.extend(e.value().attr("content").map(str::to_string));
        }
    }
    // The `title` of links and alternates, and what a glossary link hands its hover card
    // (its facts, and a treaty's status on the commentary's date).
    for e in doc.select(&sel("[title], a.gl")) {
        for attr in ["title", "data-facts", "data-status"] {
            out.extend(e.value().attr(attr).map(str::to_string));
        }
    }
    out
}

/// The strings handed to scholia.js on a page.
fn script_text(doc: &Html) -> BTreeMap<String, String> {
    let el: ElementRef = doc
        .select(&sel("script#scholia-text"))
        .next()
        .expect("every page hands scholia.js its text");
    serde_json::from_str(&el.text().collect::<String>()).unwrap()
}

#[test]
fn no_english_theme_text_shows_on_other_languages_pages() {
    let site = Site::fixture("theme-text");
    site.build_ok(&[]);
    let mut pages = 0;
    let mut found = Vec::new();
    for code in ["zh", "fr", "ar"] {
        let english = english_for(code);
        assert!(english.len() > 100, "{code}: {}", english.len());
        let root = site.out(code);
        for f in walkdir::WalkDir::new(&root).into_iter().map(Result::unwrap) {
            if f.path().extension().is_none_or(|x| x != "html") {
                continue;
            }
            pages += 1;
            let rel = f
                .path()
                .strip_prefix(site.out(""))
                .unwrap()
                .display()
                .to_string();
            let doc = Html::parse_document(&std::fs::read_to_string(f.path()).unwrap());
            let script = script_text(&doc);
            assert_eq!(script.get("lang").map(String::as_str), Some(code), "{rel}");
            let texts = shown(&doc).into_iter().chain(script.into_values());
            for t in texts {
                for (key, e) in &english {
                    if holds(&t, e) {
                        found.push(format!("{rel}: `{key}` ({e}) in {t:?}"));
                    }
                }
            }
        }
    }
    assert!(pages >= 40, "{pages} pages");
    found.dedup();
    assert!(
        found.is_empty(),
        "English theme text:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_script_gets_every_text_it_writes_in_the_pages_language() {
    let site = Site::fixture("theme-text");
    site.build_ok(&[]);
    let en = strings("en");
    let keys: Vec<&str> = en.keys().filter_map(|k| k.strip_prefix("js_")).collect();
    assert!(
        keys.contains(&"searching") && keys.contains(&"results"),
        "{keys:?}"
    );
    for (page, code) in [
        ("zh/search/index.html", "zh"),
        ("ar/search/index.html", "ar"),
    ] {
        let script = script_text(&site.html(page));
        let own = strings(code);
        for k in &keys {
            let forms = &own[&format!("js_{k}")];
            // A count comes as its forms (`results.one`…), the rest as one string.
            let got: Vec<&String> = script
                .iter()
                .filter(|(n, _)| n.as_str() == *k || n.starts_with(&format!("{k}.")))
                .map(|(_, v)| v)
                .collect();
            assert_eq!(got.len(), forms.len(), "{page}: {k}");
            assert!(
                got.iter().all(|v| forms.contains(v)),
                "{page}: {k}: {got:?}"
            );
        }
    }
    // Arabic counts have all six CLDR forms; Chinese has `other` alone.
    let ar = script_text(&site.html("ar/search/index.html"));
    for cat in ["zero", "one", "two", "few", "many", "other"] {
        assert!(ar.contains_key(&format!("results.{cat}")), "{cat}");
    }
    let zh = script_text(&site.html("zh/search/index.html"));
    assert!(zh.contains_key("results.other") && !zh.contains_key("results.one"));
    // The script writes none of it itself.
    let js = site.read("scholia.js");
    for (key, values) in en.iter().filter(|(k, _)| k.starts_with("js_")) {
        for f in values.iter().flat_map(|v| fragments(v)) {
            assert!(!holds(&js, &f), "scholia.js writes `{f}` ({key}) itself");
        }
    }
}

/// The text a template writes itself: what is left once its tags, comments and
/// expressions are taken out, with the values of the attributes a reader meets.
fn template_literals(source: &str) -> Vec<String> {
    let mut s = source.to_string();
    for (open, close) in [("{#", "#}"), ("{%", "%}"), ("{{", "}}")] {
        while let Some(i) = s.find(open) {
            let j = s[i..].find(close).map_or(s.len(), |j| i + j + close.len());
            s.replace_range(i..j, " ");
        }
    }
    let doc = Html::parse_fragment(&s);
    let mut out = shown(&doc);
    for e in doc.select(&sel("[title]")) {
        out.extend(e.value().attr("title").map(str::to_string));
    }
    out
}

#[test]
fn no_template_of_the_default_theme_writes_english_of_its_own() {
    // Names and formats, the same in every language, and Open Graph's page types.
    let allowed = ["PDF", "BibTeX", "RIS", "CSL-JSON", "article", "website"];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    let mut found = Vec::new();
    for f in std::fs::read_dir(&dir).unwrap().map(Result::unwrap) {
        let source = std::fs::read_to_string(f.path()).unwrap();
        for t in template_literals(&source) {
            let words = t
                .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                .filter(|w| w.chars().filter(char::is_ascii_alphabetic).count() >= 2)
                .filter(|w| !allowed.contains(w))
                .count();
            if words > 0 {
                found.push(format!("{}: {t:?}", f.file_name().to_string_lossy()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "English in templates:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_checks_see_english_where_there_is_some() {
    // The page check finds a theme text planted in a page, and the template check a literal.
    let doc = Html::parse_document(
        "<html><head><title>x</title></head><body><p>网络</p><nav aria-label=\"Site\"></nav></body></html>",
    );
    let english = english_for("zh");
    let hits: Vec<&String> = shown(&doc)
        .iter()
        .flat_map(|t| {
            english
                .iter()
                .filter(move |(_, e)| holds(t, e))
                .map(|(k, _)| k)
        })
        .collect::<Vec<_>>();
    assert!(hits.iter().any(|k| *k == "site_nav"), "{hits:?}");
    assert!(!holds("Sitemap", "Site"));
    assert_eq!(
        template_literals("<h1>{{ site.text.notes }}</h1><p>Works cited</p>{# Notes #}"),
        ["Works cited"]
    );
    assert_eq!(
        fragments("Try the {home}, the {glossary} or the {tags}."),
        ["Try the", "the", "or the"]
    );
}
