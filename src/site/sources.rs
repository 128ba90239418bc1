//! The build's side of citations: loading the bibliography and style, checking the keys
//! entries list, the views of works cited, and the warning for works never cited.

use crate::cite::{BibFile, Sources, StyleChoice};
use crate::codes;
use crate::config::SiteConfig;
use crate::content::discover::{read_text, shown};
use crate::content::Entry;
use crate::error::Diagnostic;
use crate::routes::Routes;
use crate::theme::context::WorkView;
use minijinja::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// Bibliography files, in the order their entries are read.
pub(super) const FILES: &[&str] = &["sources.yaml", "sources.yml", "sources.bib"];

/// Reads `content/sources.{yaml,yml,bib}` and the style `citation_style:` names. The two
/// reads this does besides `content::discover`: the bibliography is data, not a page.
pub fn load(
    root: &Path,
    shown_root: &Path,
    config: &SiteConfig,
    diags: &mut Vec<Diagnostic>,
) -> Sources {
    let mut files = Vec::new();
    for name in FILES {
        let rel = Path::new("content").join(name);
        let path = root.join(&rel);
        if path.is_file() {
            let display = shown(shown_root, &rel);
            match read_text(&path, &display) {
                Ok(text) => files.push(BibFile {
                    path: display,
                    text,
                }),
                Err(d) => diags.push(d),
            }
        }
    }
    let style = &config.citation_style;
    let (sources, d) = if style.ends_with(".csl") {
        let rel = Path::new(style);
        let display = shown(shown_root, rel);
        match read_text(&root.join(rel), &display) {
            Ok(text) => Sources::load(&files, StyleChoice::File(&display, &text)),
            Err(e) => {
                let (line, col) = config.citation_style_at;
                diags.push(Diagnostic::error(
                    codes::BAD_STYLE,
                    &shown(shown_root, Path::new("scholia.yaml")),
                    line,
                    col,
                    format!(
                        "`citation_style` names `{style}`, which cannot be read ({}); give the path of a .csl file relative to the site root, or a bundled style name",
                        e.message
                    ),
                ));
                Sources::load(&files, StyleChoice::Bundled(crate::cite::DEFAULT_STYLE))
            }
        }
    } else {
        Sources::load(&files, StyleChoice::Bundled(style))
    };
    diags.extend(d);
    sources
}

/// An entry's `sources:` must be keys of the bibliography.
pub fn check_entries(sources: &Sources, entries: &[Entry]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for e in entries {
        for key in &e.sources {
            let key = key.trim_start_matches('@');
            if !sources.contains(key) {
                let (line, col) = e.sources_at;
                out.push(Diagnostic::error(
                    codes::UNKNOWN_SOURCE,
                    &e.file.path,
                    line,
                    col,
                    sources.unknown(key),
                ));
            }
        }
    }
    out
}

/// The keys of an entry's `sources:` that the bibliography has.
pub fn entry_keys(sources: &Sources, e: &Entry) -> Vec<String> {
    e.sources
        .iter()
        .map(|k| k.trim_start_matches('@').to_string())
        .filter(|k| sources.contains(k))
        .collect()
}

/// Works as templates see them; `html` is the style's bibliography entry.
pub fn works(items: &[(String, String)], routes: &Routes) -> Vec<WorkView> {
    items
        .iter()
        .map(|(key, html)| WorkView {
            key: key.clone(),
            id: format!("src-{}", crate::slug::slugify(key)),
            html: Value::from_safe_string(html.clone()),
            url: routes.work_url(key),
            cited_by: Vec::new(),
        })
        .collect()
}

/// `check`: works cited nowhere (no commentary, page or entry body, no entry's `sources:`).
pub fn unused<'a>(sources: &Sources, used: impl IntoIterator<Item = &'a str>) -> Vec<Diagnostic> {
    let used: BTreeSet<&str> = used.into_iter().collect();
    sources
        .keys()
        .iter()
        .filter(|k| !used.contains(k.as_str()))
        .filter_map(|k| {
            let o = sources.origin(k)?;
            Some(Diagnostic::warning(
                codes::UNUSED_SOURCE,
                &o.path,
                o.line,
                1,
                format!("the source `{k}` is never cited; cite it with `[@{k}]`, list it under `sources:` in a glossary entry, or remove it"),
            ))
        })
        .collect()
}
