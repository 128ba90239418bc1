//! The link check of a built site: every internal `href`/`src` must name a file of the
//! output and every `#fragment` an `id` of its target page. Pages are read back with
//! html5ever's tokenizer (the browser's rules for attributes, entities and raw text), not
//! with patterns, so whatever a theme writes is read as a browser would.

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use rayon::prelude::*;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

/// A link as found in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The attribute value, as written (entities decoded).
    pub url: String,
    /// Line in the HTML file, from 1.
    pub line: u64,
}

/// What one HTML page holds.
#[derive(Debug, Default)]
struct Scan {
    ids: HashSet<String>,
    links: Vec<Found>,
}

/// Why a link fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Broken {
    /// No file of the output at that path (the output path looked for).
    Missing(String),
    /// The page exists but has no element with that id.
    Fragment(String),
    /// A root-relative URL outside the `base_url` sub-path: it works on a test server at the
    /// root and breaks where the site is deployed.
    OutsideBase,
}

/// One broken link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The page (output path, forward slashes) holding the link.
    pub page: String,
    /// The link.
    pub link: Found,
    /// Why.
    pub why: Broken,
}

/// The outcome of a check.
#[derive(Debug, Default)]
pub struct Report {
    /// HTML pages read.
    pub pages: usize,
    /// Internal links checked.
    pub internal: usize,
    /// Broken links, by page then line.
    pub problems: Vec<Problem>,
    /// External URLs (absolute http(s) links leaving the site), each with the pages linking it.
    pub external: BTreeMap<String, BTreeSet<String>>,
}

struct Sink {
    scan: RefCell<Scan>,
}

/// Attributes holding a URL, by element; `srcset` is a list.
fn url_attr(tag: &str, attr: &str) -> bool {
    matches!(
        (tag, attr),
        ("a" | "area" | "link", "href")
            | (
                "img" | "script" | "iframe" | "source" | "audio" | "video" | "track" | "embed",
                "src"
            )
            | ("img" | "source", "srcset")
            | ("video", "poster")
            | ("blockquote" | "q" | "ins" | "del", "cite")
            | ("form", "action")
            | ("object", "data")
    )
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if tag.kind != TagKind::StartTag {
            return TokenSinkResult::Continue;
        }
        let name: &str = &tag.name;
        let mut scan = self.scan.borrow_mut();
        for a in &tag.attrs {
            let attr: &str = &a.name.local;
            let value: &str = &a.value;
            if attr == "id" || (attr == "name" && name == "a") {
                scan.ids.insert(value.to_string());
            } else if attr == "srcset" && url_attr(name, attr) {
                for candidate in value.split(',') {
                    if let Some(u) = candidate.split_whitespace().next() {
                        scan.links.push(Found {
                            url: u.to_string(),
                            line,
                        });
                    }
                }
            } else if url_attr(name, attr) && !value.trim().is_empty() {
                scan.links.push(Found {
                    url: value.trim().to_string(),
                    line,
                });
            }
        }
        // The tree builder would switch the tokenizer into raw text here; without one, the
        // sink must, or `<script>` bodies would be read as markup.
        match name {
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                TokenSinkResult::RawData(RawKind::Rawtext)
            }
            "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
            _ => TokenSinkResult::Continue,
        }
    }
}

fn scan(html: &str) -> Scan {
    let sink = Sink {
        scan: RefCell::default(),
    };
    let tok = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tok.feed(&input);
    tok.end();
    tok.sink.scan.take()
}

/// `%20` → space; invalid escapes stay as written.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `https://x.org/a/` → (`https://x.org`, `/a/`); `/a/` → (``, `/a/`).
pub fn split_origin(base: &str) -> (&str, &str) {
    if let Some(i) = base.find("://") {
        let rest = &base[i + 3..];
        let path_at = rest.find('/').map_or(base.len(), |p| i + 3 + p);
        (&base[..path_at], &base[path_at..])
    } else {
        ("", base)
    }
}

fn has_scheme(u: &str) -> bool {
    let Some(colon) = u.find(':') else {
        return false;
    };
    let scheme = &u[..colon];
    !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

/// Where a link points.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// An output path (no leading `/`) and a fragment.
    Internal(String, Option<String>),
    External,
    /// `mailto:`, `data:`, `javascript:`…: nothing to check.
    Other,
    OutsideBase,
}

/// Joins `rel` onto the folder of `page` (both output paths), resolving `.` and `..`.
fn join(page: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    let trailing = rel.is_empty()
        || rel.ends_with('/')
        || rel.ends_with("/.")
        || rel.ends_with("/..")
        || rel == "."
        || rel == "..";
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if trailing && !out.is_empty() && !out.ends_with('/') {
        out.push('/');
    }
    out
}

fn resolve(page: &str, url: &str, origin: &str, base_path: &str) -> Target {
    let (url, fragment) = match url.split_once('#') {
        Some((u, f)) => (u, Some(percent_decode(f))),
        None => (url, None),
    };
    let url = url.split('?').next().unwrap_or_default();
    let path = if url.is_empty() {
        return Target::Internal(page.to_string(), fragment);
    } else if let Some(rest) = url.strip_prefix("//") {
        let host_end = rest.find('/').map_or(rest.len(), |i| i);
        let own_host = origin.split_once("://").map(|(_, h)| h);
        if own_host == Some(&rest[..host_end]) {
            &rest[host_end..]
        } else {
            return Target::External;
        }
    } else if has_scheme(url) {
        let lower = url.to_ascii_lowercase();
        if !origin.is_empty() && lower.starts_with(&origin.to_ascii_lowercase()) {
            let p = &url[origin.len()..];
            if p.is_empty() {
                "/"
            } else if p.starts_with('/') {
                p
            } else {
                return Target::External;
            }
        } else if lower.starts_with("http:") || lower.starts_with("https:") {
            return Target::External;
        } else {
            return Target::Other;
        }
    } else if url.starts_with('/') {
        url
    } else {
        return Target::Internal(percent_decode(&join(page, url)), fragment);
    };
    // A root-relative path must lie under the base path; an absolute URL on the site's own
    // host but outside it is another part of that host (the organisation's main site), so
    // external.
    let with_slash = format!("{}/", path.trim_end_matches('/'));
    let inside = path
        .strip_prefix(base_path)
        .or_else(|| (with_slash == base_path).then_some(""));
    match inside {
        Some(p) => Target::Internal(percent_decode(&join("", p)), fragment),
        None if url.starts_with('/') && !url.starts_with("//") => Target::OutsideBase,
        None => Target::External,
    }
}

/// `#` and `#top` need no element: browsers scroll to the top of the page (HTML's "indicated
/// part of the document").
fn scrolls_to_top(fragment: &str) -> bool {
    fragment.is_empty() || fragment.eq_ignore_ascii_case("top")
}

/// Checks every HTML page under `out`, a built site whose `base_url` is `base_url`.
pub fn check(out: &Path, base_url: &str) -> std::io::Result<Report> {
    let mut files: HashSet<String> = HashSet::new();
    let mut pages: Vec<String> = Vec::new();
    for item in walkdir::WalkDir::new(out).sort_by_file_name() {
        let item = item.map_err(std::io::Error::other)?;
        if !item.file_type().is_file() {
            continue;
        }
        let rel = item.path().strip_prefix(out).unwrap_or(item.path());
        let rel = rel
            .iter()
            .map(|s| s.to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if rel.ends_with(".html") {
            pages.push(rel.clone());
        }
        files.insert(rel);
    }
    let scans: Vec<std::io::Result<Scan>> = pages
        .par_iter()
        .map(|p| Ok(scan(&std::fs::read_to_string(out.join(p))?)))
        .collect();
    let mut by_page: HashMap<&str, Scan> = HashMap::with_capacity(pages.len());
    for (p, s) in pages.iter().zip(scans) {
        by_page.insert(p, s?);
    }
    let (origin, base_path) = split_origin(base_url);
    let base_path = if base_path.is_empty() { "/" } else { base_path };
    let mut report = Report {
        pages: pages.len(),
        ..Report::default()
    };
    for page in &pages {
        for link in &by_page[page.as_str()].links {
            let why = match resolve(page, &link.url, origin, base_path) {
                Target::Other => continue,
                Target::External => {
                    report
                        .external
                        .entry(link.url.clone())
                        .or_default()
                        .insert(page.clone());
                    continue;
                }
                Target::OutsideBase => Some(Broken::OutsideBase),
                Target::Internal(path, fragment) => {
                    report.internal += 1;
                    let file = if path.is_empty() || path.ends_with('/') {
                        format!("{path}index.html")
                    } else if files.contains(&path) {
                        path.clone()
                    } else {
                        // `/about` is served as `/about/index.html` by every static host.
                        format!("{path}/index.html")
                    };
                    if !files.contains(&file) {
                        let shown = if path.is_empty() {
                            "index.html".into()
                        } else {
                            path
                        };
                        Some(Broken::Missing(shown))
                    } else {
                        match (fragment, by_page.get(file.as_str())) {
                            (Some(f), Some(target))
                                if !target.ids.contains(&f) && !scrolls_to_top(&f) =>
                            {
                                Some(Broken::Fragment(f))
                            }
                            _ => None,
                        }
                    }
                }
            };
            if let Some(why) = why {
                report.problems.push(Problem {
                    page: page.clone(),
                    link: link.clone(),
                    why,
                });
            }
        }
    }
    Ok(report)
}

/// Turns a report into diagnostics. A problem whose URL is written in the page's Markdown
/// source is reported there, at its line and column; any other came from a template, and is
/// reported once per URL against the first built page that has it, with the number of pages.
/// `sources` maps output files to their source (sorted); `read` reads a source file.
pub fn diagnostics(
    report: &Report,
    sources: &[(String, std::path::PathBuf)],
    base_path: &str,
    read: &dyn Fn(&Path) -> Option<String>,
) -> Vec<crate::error::Diagnostic> {
    use crate::codes;
    use crate::error::Diagnostic;
    let mut out = Vec::new();
    let mut from_templates: BTreeMap<(String, String), (String, u64, usize)> = BTreeMap::new();
    let mut texts: HashMap<&Path, Option<String>> = HashMap::new();
    for p in &report.problems {
        let url = &p.link.url;
        let (code, what) = match &p.why {
            Broken::Missing(target) => (
                codes::BROKEN_LINK,
                format!("broken link `{url}`: the built site has no page or file `{target}`; correct the URL, or create the page it names"),
            ),
            Broken::Fragment(f) => (
                codes::BROKEN_FRAGMENT,
                format!("broken link `{url}`: the page it points to has no element with id `{f}`; link an existing id (headings get one from their text) or add one"),
            ),
            Broken::OutsideBase => (
                codes::OUTSIDE_BASE,
                format!("the link `{url}` leaves the site's path `{base_path}`; it would break where the site is deployed (write it relative, or with the full path)"),
            ),
        };
        let source = sources
            .binary_search_by(|(page, _)| page.as_str().cmp(&p.page))
            .ok()
            .map(|i| sources[i].1.as_path());
        let place = source.and_then(|src| {
            let text = texts.entry(src).or_insert_with(|| read(src));
            let text = text.as_deref()?;
            text.lines().enumerate().find_map(|(n, line)| {
                let col = line.find(url.as_str())?;
                Some((n + 1, line[..col].chars().count() + 1))
            })
        });
        match (source, place) {
            (Some(src), Some((line, col))) => {
                out.push(Diagnostic::error(code, src, line, col, what));
            }
            _ => {
                let e = from_templates
                    .entry((what, code.id.to_string()))
                    .or_insert_with(|| (p.page.clone(), p.link.line, 0));
                e.2 += 1;
            }
        }
    }
    for ((what, id), (page, line, n)) in from_templates {
        let code = *codes::ALL
            .iter()
            .find(|c| c.id == id)
            .unwrap_or(&codes::BROKEN_LINK);
        let also = if n > 1 {
            format!(
                " (and on {} other page{}; it comes from a template)",
                n - 1,
                if n == 2 { "" } else { "s" }
            )
        } else {
            " (it is not in the page's Markdown: it comes from a template)".to_string()
        };
        let (problem, fix) = what.split_once("; ").unwrap_or((&what, ""));
        out.push(Diagnostic::error(
            code,
            Path::new(&format!("<built site>/{page}")),
            usize::try_from(line).unwrap_or(0),
            0,
            format!("{problem}{also}; {fix}"),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_ids_and_links_like_a_browser() {
        let s = scan("<!doctype html><p id=a>x</p>\n<a href=\"/x/?q=1&amp;b#f\" name=n>y</a>\n<script>var s = '<a href=\"/no\">';</script><img srcset=\"a.png 1x, b.png 2x\" src=c.png>");
        assert!(s.ids.contains("a") && s.ids.contains("n"));
        let urls: Vec<(&str, u64)> = s.links.iter().map(|l| (l.url.as_str(), l.line)).collect();
        assert_eq!(
            urls,
            [("/x/?q=1&b#f", 2), ("a.png", 3), ("b.png", 3), ("c.png", 3)]
        );
    }

    #[test]
    fn resolves_against_the_base_path() {
        let base = "https://example.org/policy/commentary/";
        let (o, p) = split_origin(base);
        assert_eq!((o, p), ("https://example.org", "/policy/commentary/"));
        let r = |page: &str, u: &str| resolve(page, u, o, p);
        let int = |p: &str, f: Option<&str>| Target::Internal(p.into(), f.map(Into::into));
        assert_eq!(r("a/index.html", "#n1"), int("a/index.html", Some("n1")));
        assert_eq!(r("a/index.html", "../b/"), int("b/", None));
        assert_eq!(r("a/index.html", "c.css"), int("a/c.css", None));
        assert_eq!(
            r("index.html", "/policy/commentary/tags/x/#t"),
            int("tags/x/", Some("t"))
        );
        assert_eq!(r("index.html", "/policy/commentary"), int("", None));
        assert_eq!(
            r("index.html", "https://example.org/policy/commentary/"),
            int("", None)
        );
        assert_eq!(
            r("index.html", "//example.org/policy/commentary/a%20b"),
            int("a b", None)
        );
        assert_eq!(r("index.html", "/elsewhere/"), Target::OutsideBase);
        assert_eq!(
            r("index.html", "https://example.org/elsewhere/"),
            Target::External
        );
        assert_eq!(
            r("index.html", "//example.org/elsewhere/"),
            Target::External
        );
        assert_eq!(r("index.html", "https://other.org/"), Target::External);
        assert_eq!(r("index.html", "mailto:a@b.c"), Target::Other);
        assert_eq!(resolve("x/index.html", "/x/", "", "/"), int("x/", None));
    }

    #[test]
    fn checks_files_and_fragments_of_a_built_site() {
        let dir = tempfile::tempdir().unwrap();
        let w = |rel: &str, html: &str| {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, html).unwrap();
        };
        w("index.html", "<a href=\"a/#x\">1</a><a href=\"a/#y\">2</a><a href=\"#top\">3</a>\n<a href=\"b/\">4</a><a href=\"/out/\">5</a><img src=\"s.css\" alt=\"\"><a href=\"https://x.org/\">6</a>");
        w(
            "a/index.html",
            "<h2 id=x>X</h2><a href=\"../#caf%C3%A9\">c</a>",
        );
        w("s.css", "");
        let r = check(dir.path(), "https://example.org/site/").unwrap();
        assert_eq!(r.pages, 2);
        let got: Vec<(&str, &str, u64, &Broken)> = r
            .problems
            .iter()
            .map(|p| (p.page.as_str(), p.link.url.as_str(), p.link.line, &p.why))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "a/index.html",
                    "../#caf%C3%A9",
                    1,
                    &Broken::Fragment("café".into())
                ),
                ("index.html", "a/#y", 1, &Broken::Fragment("y".into())),
                ("index.html", "b/", 2, &Broken::Missing("b/".into())),
                ("index.html", "/out/", 2, &Broken::OutsideBase),
            ]
        );
        assert_eq!(r.external.keys().collect::<Vec<_>>(), ["https://x.org/"]);
        assert_eq!(r.internal, 6);
    }

    #[test]
    fn decodes_percent_escapes_leniently() {
        assert_eq!(percent_decode("a%20b%zz%4"), "a b%zz%4");
        assert_eq!(percent_decode("%C3%A9"), "é");
    }
}
