//! Finding and reading the files of a site: the only code that reads content from disk.
//!
//! `content/` is walked once (walkdir, no symlink following); each Markdown file is sorted into
//! its section by where it sits, read, and parsed in parallel. Files are read whole: the
//! parsers keep the text for rendering and for positions in diagnostics.

use super::parties::{self, Parties};
use super::{parse_commentary_in, parse_entry_in, parse_page_in, Commentary, Entry, Kind, Page};
use crate::codes;
use crate::error::Diagnostic;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Everything loaded from `content/`, in a stable order (by path).
#[derive(Debug, Default)]
pub struct Content {
    /// Commentaries, drafts included.
    pub commentaries: Vec<Commentary>,
    /// Bodies and treaties.
    pub entries: Vec<Entry>,
    /// Free pages.
    pub pages: Vec<Page>,
    /// Files of `content/static/`: (file on disk, path in the output).
    pub statics: Vec<(PathBuf, PathBuf)>,
}

/// Which section a Markdown file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    /// `commentaries/`.
    Commentary,
    /// `glossary/bodies/` or `glossary/treaties/`.
    Entry(Kind),
    /// `pages/`.
    Page,
}

/// One file read and parsed.
#[derive(Debug, Clone, Hash)]
pub enum Parsed {
    /// A commentary.
    C(Commentary),
    /// A glossary entry (boxed: the largest kind, by its treaty facts).
    E(Box<Entry>),
    /// A free page.
    P(Page),
}

/// The Markdown files and static files under `content/`, found but not read.
#[derive(Debug, Default)]
pub struct Scan {
    /// (file on disk, path as shown, section), by path.
    pub files: Vec<(PathBuf, PathBuf, Section)>,
    /// Files of `content/static/`: (file on disk, path in the output).
    pub statics: Vec<(PathBuf, PathBuf)>,
}

/// How a path inside `content/` is used: a section, nothing, or a warning.
pub fn classify(rel: &Path) -> Result<Option<Section>, String> {
    let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
    let is_md = rel.extension().is_some_and(|e| e == "md");
    Ok(match parts.as_slice() {
        ["static", ..] => None,
        ["commentaries", .., _] if is_md => Some(Section::Commentary),
        ["glossary", kind @ ("bodies" | "treaties"), _] if is_md => Some(Section::Entry(
            if *kind == "bodies" { Kind::Body } else { Kind::Treaty },
        )),
        ["glossary", "bodies" | "treaties", ..] if is_md => {
            return Err("glossary entries sit directly in `glossary/bodies/` or `glossary/treaties/`, not in subfolders; move the file".into())
        }
        ["pages", _] if is_md => Some(Section::Page),
        _ if is_md => {
            return Err("this Markdown file is in no section (commentaries/, glossary/bodies/, glossary/treaties/, pages/) and is ignored; move it or rename it".into())
        }
        _ => None,
    })
}

/// Whether the walk passes over a path inside `content/` without a word: hidden files and
/// folders (`.draft.md`, `.git/`), and editors' leftovers anywhere (Emacs's `.#name.md` lock
/// links and `#name.md#` autosaves, `name.md~` backups, Vim's swap files, macOS's
/// `.DS_Store`), as Zola and Hugo pass over them. Under `static/` a hidden name is published
/// (`.well-known/`, `.nojekyll` are meant for the host); only the leftovers are not.
pub fn is_ignored(in_content: &Path) -> bool {
    let in_static = in_content.starts_with("static");
    in_content.iter().any(|part| {
        let name = part.to_string_lossy();
        let leftover = name.starts_with(".#")
            || name.ends_with('~')
            || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
            || [".swp", ".swo", ".swx"].iter().any(|s| name.ends_with(s))
            || name == ".DS_Store";
        leftover || (!in_static && name.starts_with('.'))
    })
}

/// Reads a file as UTF-8, with a message that says where the bad bytes are.
pub fn read_text(path: &Path, display: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::file(codes::IO, display, format!("cannot read the file: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let col = good.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        Diagnostic::error(
            codes::NOT_UTF8,
            display,
            line,
            col,
            "the file is not valid UTF-8; save it with UTF-8 encoding",
        )
    })
}

/// Walks `root/content`, reads and parses every file. Errors and warnings go to `diags`;
/// files with errors are left out of the result. `langs` are the site's language codes, the
/// default one first (see [`load`]).
pub fn discover(
    root: &Path,
    max_bytes: u64,
    langs: &[String],
    diags: &mut Vec<Diagnostic>,
) -> Content {
    let mut content = Content::default();
    let Some(scan) = scan(root, diags) else {
        return content;
    };
    content.statics = scan.statics;
    let results: Vec<(Option<Parsed>, Vec<Diagnostic>)> = scan
        .files
        .into_par_iter()
        .map(|(path, display, section)| load(&path, &display, section, max_bytes, langs))
        .collect();
    for (parsed, d) in results {
        diags.extend(d);
        match parsed {
            Some(Parsed::C(c)) => content.commentaries.push(c),
            Some(Parsed::E(e)) => content.entries.push(*e),
            Some(Parsed::P(p)) => content.pages.push(p),
            None => {}
        }
    }
    content
}

/// Walks `root/content` and sorts its files into sections, reading nothing. `None` (with an
/// error in `diags`) when there is no `content/` folder.
pub fn scan(root: &Path, diags: &mut Vec<Diagnostic>) -> Option<Scan> {
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        diags.push(Diagnostic::global(codes::NO_CONTENT, format!(
            "{} is not a folder; run scholia in a site root (one with a `content/` folder) or pass --root",
            shown(root, Path::new("content")).display()
        )));
        return None;
    }
    let mut scan = Scan::default();
    let mut parties_files = Vec::new();
    for item in WalkDir::new(&content_dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.path()
                .strip_prefix(&content_dir)
                .is_ok_and(|p| !is_ignored(p))
        })
    {
        let item = match item {
            Ok(i) => i,
            Err(e) => {
                let p = e.path().unwrap_or(&content_dir).to_path_buf();
                let rel = p.strip_prefix(root).unwrap_or(&p).to_path_buf();
                diags.push(Diagnostic::file(
                    codes::IO,
                    &shown(root, &rel),
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        let path = item.path();
        let Ok(in_content) = path.strip_prefix(&content_dir) else {
            continue;
        };
        let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        let display = shown(root, &rel);
        let ft = item.file_type();
        if ft.is_dir() {
            continue;
        }
        if ft.is_symlink() {
            diags.push(Diagnostic::warning(
                codes::SYMLINK,
                &display,
                0,
                0,
                "symbolic links are not followed; this one is skipped (copy the file instead)",
            ));
            continue;
        }
        if in_content.starts_with("static") {
            let out = in_content.strip_prefix("static").unwrap_or(in_content);
            scan.statics.push((path.to_path_buf(), out.to_path_buf()));
            continue;
        }
        match classify(in_content) {
            Ok(Some(section)) => scan.files.push((path.to_path_buf(), display, section)),
            Ok(None) if parties::owner(in_content).is_some() => {
                parties_files.push((path.to_path_buf(), display));
            }
            Ok(None) => {}
            Err(msg) => diags.push(Diagnostic::warning(
                codes::OUTSIDE_SECTION,
                &display,
                0,
                0,
                msg,
            )),
        }
    }

    diags.extend(orphan_parties(&scan, &parties_files));
    Some(scan)
}

/// Parties files that belong to no treaty entry: read by nothing, so said once, at the walk.
fn orphan_parties(scan: &Scan, found: &[(PathBuf, PathBuf)]) -> Vec<Diagnostic> {
    found
        .iter()
        .filter_map(|(path, display)| {
            let entry = parties::owner(path)?;
            let section = scan.files.iter().find(|(p, _, _)| *p == entry).map(|f| f.2);
            let shown_entry = parties::owner(display).unwrap_or_default();
            let msg = match section {
                Some(Section::Entry(Kind::Treaty)) => return None,
                Some(_) => format!(
                    "`{}` is not a treaty, and only treaties have parties, so this file is ignored; remove it, or move it beside its treaty under glossary/treaties/",
                    shown_entry.display()
                ),
                None => format!(
                    "there is no treaty entry `{}` for this parties file, so it is ignored; name it after its treaty's file (`<slug>.parties.csv`)",
                    shown_entry.display()
                ),
            };
            Some(Diagnostic::file(codes::ORPHAN_PARTIES, display, msg).as_warning())
        })
        .collect()
}

/// The language of a content file from its name (`NAME.LANG.md`): `None` for the default
/// language (the first of `langs`), an error when the suffix looks like a language code
/// that is not configured.
pub fn file_lang(display: &Path, langs: &[String]) -> Result<Option<String>, Diagnostic> {
    let stem = display
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match crate::lang::split_stem(&stem, langs) {
        Ok((_, None)) => Ok(None),
        Ok((_, Some(l))) if Some(l) == langs.first().map(String::as_str) => Ok(Some(l.to_string())),
        Ok((_, Some(l))) => Ok(Some(l.to_string())),
        Err(code) => {
            let others: Vec<&str> = langs.iter().skip(1).map(String::as_str).collect();
            let fix = match crate::error::closest(code, others.iter().copied()) {
                Some(c) => format!("did you mean `{c}`? Or add `{code}` to `languages:` in scholia.yaml"),
                None => format!("add it to `languages:` in scholia.yaml (`languages: {{{code}: {{}}}}`), or rename the file"),
            };
            Err(Diagnostic::error(
                codes::BAD_LANGUAGE,
                display,
                1,
                1,
                format!(
                    "`{code}` looks like a language code, but it is not one of the site's languages ({}); {fix}",
                    langs.join(", ")
                ),
            ))
        }
    }
}

/// Reads and parses one file found by [`scan`]. `langs` are the site's language codes, the
/// default one first: a file `NAME.LANG.md` is parsed as LANG's version of `NAME.md`.
pub fn load(
    path: &Path,
    display: &Path,
    section: Section,
    max_bytes: u64,
    langs: &[String],
) -> (Option<Parsed>, Vec<Diagnostic>) {
    if let Some(d) = too_big(path, display, max_bytes) {
        return (None, vec![d]);
    }
    let lang = match file_lang(display, langs) {
        Ok(l) => l,
        Err(d) => return (None, vec![d]),
    };
    // The default language's own suffix (`a.en.md`) names the same page as `a.md`.
    let stem_lang = lang.as_deref();
    let default = langs.first().map(String::as_str);
    let keep_lang = |p: Option<String>| p.filter(|l| Some(l.as_str()) != default);
    let text = match read_text(path, display) {
        Ok(t) => t,
        Err(d) => return (None, vec![d]),
    };
    match section {
        Section::Commentary => {
            let (c, d) = parse_commentary_in(display, text, stem_lang);
            let c = c.map(|mut c| {
                c.lang = keep_lang(c.lang.take());
                c
            });
            (c.map(Parsed::C), d)
        }
        Section::Entry(kind) => {
            let entry_lang = stem_lang.filter(|l| Some(*l) != default);
            let (mut e, mut d) = parse_entry_in(display, kind, text, entry_lang);
            if entry_lang.is_none() && stem_lang.is_some() {
                // `a.en.md` on an English site: the original, with the original's slug.
                if let Some(e) = &mut e {
                    e.slug = super::file_slug_in(display, stem_lang);
                }
            }
            // Read even when the front matter has errors: every problem at once.
            if kind == Kind::Treaty {
                let parties = load_parties(path, display, max_bytes, &mut d);
                if let Some(e) = &mut e {
                    e.record.parties = parties;
                }
            }
            (e.map(|e| Parsed::E(Box::new(e))), d)
        }
        Section::Page => {
            let (p, d) = parse_page_in(display, text, stem_lang);
            let p = p.map(|mut p| {
                p.lang = keep_lang(p.lang.take());
                p
            });
            (p.map(Parsed::P), d)
        }
    }
}

/// Reads the parties file beside a treaty entry, if there is one. Its problems go to `diags`
/// (so the build fails) and the entry is kept without parties, so that pages and links that
/// name the treaty still resolve while the file is being fixed.
fn load_parties(
    entry: &Path,
    display: &Path,
    max_bytes: u64,
    diags: &mut Vec<Diagnostic>,
) -> Option<Parties> {
    let path = parties::beside(entry);
    let display = parties::beside(display);
    match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Ok(m) if m.file_type().is_symlink() => {
            diags.push(Diagnostic::warning(
                codes::SYMLINK,
                &display,
                0,
                0,
                "symbolic links are not followed; this one is skipped (copy the file instead)",
            ));
            return None;
        }
        _ => {}
    }
    if let Some(d) = too_big(&path, &display, max_bytes) {
        diags.push(d);
        return None;
    }
    let text = read_text(&path, &display).map_err(|d| diags.push(d)).ok()?;
    let (parties, d) = parties::parse(&display, &text);
    diags.extend(d);
    parties
}

/// An error when a file is over the size cap (`max_file_mb` in scholia.yaml). Checked before
/// reading, so a huge file costs nothing.
fn too_big(path: &Path, display: &Path, max_bytes: u64) -> Option<Diagnostic> {
    let len = std::fs::metadata(path).ok()?.len();
    (len > max_bytes).then(|| {
        Diagnostic::file(codes::TOO_LARGE,
            display,
            format!(
                "the file is {:.1} MB, over the {:.1} MB limit; split it, or raise `max_file_mb` in scholia.yaml",
                len as f64 / 1e6,
                max_bytes as f64 / 1e6
            ),
        )
    })
}

/// The path as the user would type it: relative to where they ran scholia when the root is
/// the current folder, else under the root they gave.
pub fn shown(root: &Path, rel: &Path) -> PathBuf {
    if root == Path::new(".") || root.as_os_str().is_empty() {
        rel.to_path_buf()
    } else {
        root.join(rel)
    }
}
