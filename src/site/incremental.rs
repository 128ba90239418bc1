//! Incremental rebuilds for `serve`: the stages of [`super::build`], with what they produced
//! kept between rebuilds.
//!
//! A rebuild re-reads only the files whose modification time or size changed, re-renders the
//! Markdown of only the commentaries whose output can change (see [`affected`]), and renders
//! only the pages whose inputs changed: each output file has a key, a hash of everything its
//! template reads, and a page is rendered again only when its key differs from the key of the
//! file already written. The output is byte-for-byte that of a full build with the same
//! options (tests/it/serve.rs checks it after every kind of edit).

use super::affected;
use super::build::{
    commentary_item, commentary_search, entry_search, render_commentary, search_doc_path,
    search_files, site_files, site_view, slash, terms, theme_assets, Article, Ctx, Job, Term,
};
use super::routes::Routes;
use super::sources as cite_site;
use crate::cite::Sources;
use crate::codes;
use crate::config::{self, Autolink, SiteConfig};
use crate::content::discover::{self, shown, Parsed, Scan, Section};
use crate::content::{self, Commentary, Entry, Page};
use crate::error::Diagnostic;
use crate::glossary::Glossary;
use crate::markdown::{self, summary, AutoLink, Input, Note, Rendered};
use crate::search;
use crate::theme::Theme;
use minijinja::Value;
use rayon::prelude::*;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// Tags or authors by slug.
type Terms = BTreeMap<String, Term>;

/// What changed on disk since a file was last read: modification time and size.
type Stamp = (Option<SystemTime>, u64);

/// An output file to write: (path in the output, bytes, key).
type OutFile = (String, Vec<u8>, u64);

/// One content file as last read.
struct FileState {
    stamp: Stamp,
    parsed: Option<Parsed>,
    diags: Vec<Diagnostic>,
    /// Hash of the parsed value (front matter and text).
    hash: u64,
}

/// What a commentary's Markdown render left besides its [`Article`].
struct ArticleMeta {
    /// `FileState::hash` of the file it was rendered from.
    source: u64,
    /// Hash of the page body (HTML, notes, words).
    render: u64,
    item: Value,
    item_hash: u64,
    /// Hash of the entries it mentions and the sentences around them (for backlinks).
    mentions_hash: u64,
    notes: Vec<Note>,
    words: usize,
    diags: Vec<Diagnostic>,
    /// (key, formatted entry) of each work it cites.
    works_cited: Vec<(String, String)>,
    /// Its search document (the file) and that file's key.
    search_doc: Vec<u8>,
    search_key: u64,
}

/// The result of one rebuild.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Every diagnostic, sorted as `build` sorts them.
    pub diags: Vec<Diagnostic>,
    /// Whether the output was updated (no errors).
    pub ok: bool,
    /// Output files written (forward slashes), sorted.
    pub written: Vec<String>,
    /// Output files deleted.
    pub removed: Vec<String>,
    /// Commentaries whose Markdown was rendered again.
    pub markdown_renders: usize,
    /// HTML pages rendered again.
    pub pages_rendered: usize,
    /// Time taken.
    pub elapsed: Duration,
}

/// A site kept in memory between rebuilds, written to `out`.
pub struct Session {
    root: PathBuf,
    out: PathBuf,
    drafts: bool,
    base_url: Option<String>,
    config_hash: Option<u64>,
    /// The bibliography and style, and a hash of the files they were read from.
    sources: Sources,
    sources_hash: Option<u64>,
    sources_diags: Vec<Diagnostic>,
    /// The glossary entries' search documents and terms; `None` when entries changed.
    entry_search: Option<EntrySearch>,
    /// Counts rebuilds, so that a search index made from an older one is not written.
    generation: u64,
    /// Whether the search index is behind the pages (see [`Session::finish_search`]).
    search_dirty: bool,
    config: SiteConfig,
    config_diags: Vec<Diagnostic>,
    routes: Routes,
    theme_hash: Option<u64>,
    theme_epoch: u64,
    theme: Option<Theme>,
    theme_diag: Option<Diagnostic>,
    /// The theme's static files and syntax stylesheet, with their fingerprinted copies.
    assets: Vec<(String, Vec<u8>)>,
    /// The root with links resolved, to place the watcher's (absolute) paths.
    canonical_root: PathBuf,
    files: HashMap<PathBuf, FileState>,
    /// The files of content/ as of the last walk, kept up to date from the watcher's paths.
    scan: Option<Scan>,
    walk_diags: Vec<Diagnostic>,
    /// Files the watcher named, to read in this rebuild.
    pending: Vec<(PathBuf, PathBuf, Section)>,
    glossary_hash: Option<u64>,
    glossary: Option<Glossary>,
    glossary_diags: Vec<Diagnostic>,
    entry_renders: Vec<Rendered>,
    /// Per entry page: a hash of what it reads from the glossary.
    entry_keys: Vec<u64>,
    /// Tags and authors, with the hash of the article list they were made from.
    terms: Option<(u64, Terms, Terms)>,
    pages_hash: Option<u64>,
    page_renders: Vec<Rendered>,
    /// Newest first, like `build`'s.
    articles: Vec<Article>,
    meta: HashMap<PathBuf, ArticleMeta>,
    statics: HashMap<PathBuf, (Stamp, Vec<u8>)>,
    /// Key of every file in `out`.
    written: HashMap<String, u64>,
}

fn hash_of<T: Hash + ?Sized>(v: &T) -> u64 {
    let mut h = DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

/// Hashes a value's `Debug` text without building the string: parsed content has no `Hash`,
/// and its `Debug` shows every field.
fn hash_debug<T: std::fmt::Debug>(v: &T) -> u64 {
    struct W(DefaultHasher);
    impl std::fmt::Write for W {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.write(s.as_bytes());
            Ok(())
        }
    }
    let mut w = W(DefaultHasher::new());
    let _ = std::fmt::write(&mut w, format_args!("{v:?}"));
    w.0.finish()
}

/// Reads and parses one content file.
fn load(path: &Path, display: &Path, section: Section, stamp: Stamp, max: u64) -> FileState {
    let (parsed, diags) = discover::load(path, display, section, max);
    let hash = hash_debug(&parsed);
    FileState {
        stamp,
        parsed,
        diags,
        hash,
    }
}

fn stamp(path: &Path) -> Stamp {
    match std::fs::metadata(path) {
        Ok(m) => (m.modified().ok(), m.len()),
        Err(_) => (None, u64::MAX),
    }
}

/// Hash of the name, time and size of every file under `dirs`: templates and theme files
/// are read lazily by minijinja, so any change there means a new theme.
fn tree_hash(dirs: &[PathBuf]) -> u64 {
    let mut h = DefaultHasher::new();
    for d in dirs {
        for e in walkdir::WalkDir::new(d)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            e.path().hash(&mut h);
            if let Ok(m) = e.metadata() {
                m.modified().ok().hash(&mut h);
                m.len().hash(&mut h);
            }
        }
    }
    h.finish()
}

impl Session {
    /// A session that has built nothing yet. `out` must be a folder only this session
    /// writes; `base_url` overrides the config's, as `build --base-url` does.
    pub fn new(root: &Path, out: &Path, drafts: bool, base_url: Option<String>) -> Session {
        Session {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            drafts,
            base_url,
            config_hash: None,
            sources: Sources::empty(),
            sources_hash: None,
            sources_diags: Vec::new(),
            entry_search: None,
            generation: 0,
            search_dirty: true,
            config: SiteConfig::default(),
            config_diags: Vec::new(),
            routes: Routes::new("/"),
            theme_hash: None,
            theme_epoch: 0,
            theme: None,
            theme_diag: None,
            assets: Vec::new(),
            canonical_root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            files: HashMap::new(),
            scan: None,
            walk_diags: Vec::new(),
            pending: Vec::new(),
            glossary_hash: None,
            glossary: None,
            glossary_diags: Vec::new(),
            entry_renders: Vec::new(),
            entry_keys: Vec::new(),
            terms: None,
            pages_hash: None,
            page_renders: Vec::new(),
            articles: Vec::new(),
            meta: HashMap::new(),
            statics: HashMap::new(),
            written: HashMap::new(),
        }
    }

    /// The folder the site is written to.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Brings the output up to date with the files on disk.
    pub fn rebuild(&mut self) -> Outcome {
        self.rebuild_paths(None)
    }

    /// The same, told which paths changed (absolute, as the watcher reports them): content
    /// files are then checked one by one instead of walking content/. `None` walks.
    pub fn rebuild_paths(&mut self, changed: Option<&[PathBuf]>) -> Outcome {
        let mut out = self.rebuild_pages(changed);
        if out.ok {
            self.finish_search(&mut out);
        }
        out
    }

    /// The same without the search index, which then lags behind the pages until
    /// [`Session::finish_search`]: `serve` reloads the browser in between, because the index
    /// covers the whole site and takes longer than the pages an edit touches.
    pub fn rebuild_pages(&mut self, changed: Option<&[PathBuf]>) -> Outcome {
        let start = Instant::now();
        self.generation += 1;
        let mut out = self.run(changed);
        out.diags.sort_by(|a, b| {
            (&a.path, a.line, a.col, a.severity, &a.message)
                .cmp(&(&b.path, b.line, b.col, b.severity, &b.message))
        });
        out.diags.dedup();
        out.ok = !out.diags.iter().any(Diagnostic::is_error);
        out.elapsed = start.elapsed();
        out
    }

    /// Applies the watcher's paths to the last walk; `false` when a walk is needed (a folder,
    /// a static file, a symbolic link, a file outside the sections: things the walk judges).
    fn update_scan(&mut self, paths: &[PathBuf]) -> bool {
        let Some(scan) = self.scan.as_mut() else {
            return false;
        };
        let walk = |p: &Path| {
            if std::env::var_os("SCHOLIA_SERVE_TRACE").is_some() {
                eprintln!("  a walk is needed for {}", p.display());
            }
            false
        };
        for path in paths {
            let Some(rel) = path
                .strip_prefix(&self.canonical_root)
                .or_else(|_| path.strip_prefix(&self.root))
                .ok()
            else {
                return walk(path);
            };
            let Ok(in_content) = rel.strip_prefix("content") else {
                // The configuration and the theme are compared whole on every rebuild.
                continue;
            };
            if in_content.starts_with("static") || in_content.as_os_str().is_empty() {
                return walk(path);
            }
            let full = self.root.join(rel);
            let meta = std::fs::symlink_metadata(&full);
            let is_md = rel.extension().is_some_and(|e| e == "md");
            if !is_md {
                match &meta {
                    // Files other than Markdown outside static/ are ignored by builds.
                    Ok(m) if m.is_file() => continue,
                    // Something removed: fine unless it was a folder of known files.
                    Err(_) if !scan.files.iter().any(|(p, _, _)| p.starts_with(&full)) => continue,
                    _ => return walk(path),
                }
            }
            let section = match discover::classify(in_content) {
                Ok(Some(s)) => s,
                _ => return walk(path),
            };
            let at = scan.files.binary_search_by(|(p, _, _)| p.cmp(&full));
            match meta {
                Ok(m) if m.is_file() => {
                    if let Err(i) = at {
                        scan.files
                            .insert(i, (full.clone(), shown(&self.root, rel), section));
                    }
                    self.pending
                        .push((full.clone(), shown(&self.root, rel), section));
                }
                Ok(_) => return walk(path),
                Err(_) => {
                    if let Ok(i) = at {
                        scan.files.remove(i);
                    }
                    self.files.remove(&full);
                }
            }
        }
        true
    }

    /// Brings the search index (and the glossary entries' search documents) up to date with
    /// the pages of the last successful rebuild; adds what it writes and removes to `out`.
    pub fn finish_search(&mut self, out: &mut Outcome) {
        if let Some(job) = self.search_job() {
            let generation = job.generation;
            let files = job.run();
            self.apply_search(generation, files, out);
        }
    }

    /// The work of [`Session::finish_search`] that needs no session, to run on another
    /// thread while the session goes on rebuilding pages; `None` when the index is current.
    pub fn search_job(&mut self) -> Option<SearchJob> {
        let glossary = self.glossary.as_ref()?;
        if !self.search_dirty || !self.config.search {
            return None;
        }
        let entries = self
            .entry_search
            .get_or_insert_with(|| Arc::new(entry_search(glossary, &self.entry_renders)))
            .clone();
        Some(SearchJob {
            generation: self.generation,
            articles: self.articles.iter().map(|a| a.search.clone()).collect(),
            entries,
        })
    }

    /// Writes what a [`SearchJob`] made, unless a rebuild happened since it started (then
    /// the index stays due, for a new job).
    pub fn apply_search(&mut self, generation: u64, files: SearchFiles, out: &mut Outcome) {
        if generation != self.generation {
            return;
        }
        let mut keep: HashSet<String> = (0..self.articles.len()).map(search_doc_path).collect();
        let mut todo = Vec::new();
        for (rel, bytes) in files {
            let key = hash_of(&bytes);
            keep.insert(rel.clone());
            if self.written.get(&rel) != Some(&key) {
                todo.push((rel, bytes, key));
            }
        }
        let mut diags = Vec::new();
        self.write_files(todo, out, &mut diags);
        self.remove_stale(out, |rel| !is_search_data(rel) || keep.contains(rel));
        out.written.sort();
        out.removed.sort();
        self.search_dirty = !diags.is_empty();
        out.ok &= diags.is_empty();
        out.diags.extend(diags);
    }

    /// Writes each file through a temporary name, so a reader never sees half a page.
    fn write_files(&mut self, files: Vec<OutFile>, out: &mut Outcome, diags: &mut Vec<Diagnostic>) {
        for (rel, bytes, key) in files {
            let path = self.out.join(&rel);
            let tmp = self.out.join(format!("{rel}.scholia-part"));
            let res = path
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|_| std::fs::write(&tmp, &bytes))
                .and_then(|_| std::fs::rename(&tmp, &path));
            match res {
                Ok(()) => {
                    self.written.insert(rel.clone(), key);
                    out.written.push(rel);
                }
                Err(e) => {
                    self.written.remove(&rel);
                    diags.push(Diagnostic::global(
                        codes::IO,
                        format!("cannot write {rel}: {e}"),
                    ));
                }
            }
        }
    }

    /// Removes the written files `keep` rejects, and the folders that leaves empty (a full
    /// build would have none).
    fn remove_stale(&mut self, out: &mut Outcome, keep: impl Fn(&str) -> bool) {
        let stale: Vec<String> = self.written.keys().filter(|k| !keep(k)).cloned().collect();
        for rel in stale {
            self.written.remove(&rel);
            let path = self.out.join(&rel);
            let _ = std::fs::remove_file(&path);
            let mut dir = path.parent();
            while let Some(d) = dir {
                if d == self.out || std::fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
            out.removed.push(rel);
        }
    }

    /// Forgets everything derived from the configuration (it changed).
    fn reset(&mut self) {
        let written = std::mem::take(&mut self.written);
        *self = Session::new(&self.root, &self.out, self.drafts, self.base_url.take());
        self.written = written;
    }

    fn run(&mut self, changed: Option<&[PathBuf]>) -> Outcome {
        let root = self.root.clone();
        let mut diags: Vec<Diagnostic> = Vec::new();
        let mut outcome = Outcome::default();
        let mut trace = Trace::new();

        // Configuration: any change starts over (it can change every page).
        let config_path = root.join("scholia.yaml");
        let config_hash = hash_of(&std::fs::read(&config_path).ok());
        if self.config_hash != Some(config_hash) {
            self.reset();
            self.config_hash = Some(config_hash);
            let mut cd = Vec::new();
            let mut config = SiteConfig::load(&root, &shown(&root, Path::new("scholia.yaml")))
                .unwrap_or_else(|d| {
                    cd.extend(d);
                    SiteConfig::default()
                });
            if let Some(b) = &self.base_url {
                config.base_url = config::normalize_base_url(b);
            }
            self.routes = Routes::new(&config.base_url);
            self.config = config;
            self.config_diags = cd;
        }
        diags.extend(self.config_diags.iter().cloned());

        // Bibliography: a change re-renders every citation, so all Markdown. Stamps, as for
        // content files: the files are read only when one changed.
        let style = &self.config.citation_style;
        let sources_hash = hash_of(&(
            cite_site::FILES
                .iter()
                .map(|f| stamp(&root.join("content").join(f)))
                .collect::<Vec<_>>(),
            style,
            style.ends_with(".csl").then(|| stamp(&root.join(style))),
        ));
        let sources_changed = self.sources_hash != Some(sources_hash);
        if sources_changed {
            let mut sd = Vec::new();
            self.sources = cite_site::load(&root, &root, &self.config, &mut sd);
            self.sources_hash = Some(sources_hash);
            self.sources_diags = sd;
        }
        diags.extend(self.sources_diags.iter().cloned());

        trace.lap("config");
        // Theme and templates.
        let theme_hash = hash_of(&(
            tree_hash(&[root.join("themes"), root.join("templates")]),
            &self.config.theme,
        ));
        if self.theme_hash != Some(theme_hash) {
            self.theme_hash = Some(theme_hash);
            self.theme_epoch += 1;
            self.assets.clear();
            match Theme::new(&root, &root, &self.config.theme, self.routes.base()) {
                Ok(mut t) => {
                    let mut d = Vec::new();
                    self.assets = theme_assets(&mut t, &mut d);
                    self.theme_diag = d.pop();
                    self.theme = Some(t);
                }
                Err(d) => {
                    self.theme = None;
                    self.theme_diag = Some(d);
                }
            }
        }
        diags.extend(self.theme_diag.clone());

        trace.lap("theme");
        // Content: the files the watcher named, or (without a list, or when one is not a
        // Markdown file in a section) a walk of content/ with a stat of every file.
        let max = self.config.max_file_bytes;
        let fast = match (&changed, self.scan.is_some()) {
            (Some(paths), true) => self.update_scan(paths),
            _ => false,
        };
        trace.lap(if fast { "paths" } else { "walk needed" });
        if !fast {
            let mut walk_diags = Vec::new();
            let Some(scan) = discover::scan(&root, &mut walk_diags) else {
                self.scan = None;
                diags.extend(walk_diags);
                outcome.diags = diags;
                return outcome;
            };
            let files = &self.files;
            let fresh: Vec<(PathBuf, FileState)> = scan
                .files
                .par_iter()
                .filter_map(|(path, display, section)| {
                    let st = stamp(path);
                    if files
                        .get(path)
                        .is_some_and(|f| f.stamp == st && st.0.is_some())
                    {
                        return None;
                    }
                    Some((path.clone(), load(path, display, *section, st, max)))
                })
                .collect();
            self.files.extend(fresh);
            let present: HashSet<&PathBuf> = scan.files.iter().map(|(p, _, _)| p).collect();
            self.files.retain(|p, _| present.contains(p));
            self.scan = Some(scan);
            self.walk_diags = walk_diags;
            self.pending.clear();
        } else {
            let todo: Vec<(PathBuf, PathBuf, Section)> = std::mem::take(&mut self.pending);
            let fresh: Vec<(PathBuf, FileState)> = todo
                .into_par_iter()
                .map(|(path, display, section)| {
                    let st = stamp(&path);
                    let state = load(&path, &display, section, st, max);
                    (path, state)
                })
                .collect();
            self.files.extend(fresh);
        }
        diags.extend(self.walk_diags.iter().cloned());
        let scan = self.scan.as_ref().expect("set above");
        trace.lap("read");

        let mut commentaries: Vec<(&Commentary, u64)> = Vec::new();
        let mut entries: Vec<(&Entry, u64)> = Vec::new();
        let mut pages: Vec<(&Page, u64)> = Vec::new();
        for (path, _, section) in &scan.files {
            let f = &self.files[path];
            diags.extend(f.diags.iter().cloned());
            match (&f.parsed, section) {
                (Some(Parsed::C(c)), _) => commentaries.push((c, f.hash)),
                (Some(Parsed::E(e)), _) => entries.push((e, f.hash)),
                (Some(Parsed::P(p)), _) => pages.push((p, f.hash)),
                (None, Section::Commentary | Section::Entry(_) | Section::Page) => {}
            }
        }
        let entry_refs: Vec<&Entry> = entries.iter().map(|(e, _)| *e).collect();
        let mut page_list: Vec<Page> = pages.iter().map(|(p, _)| (*p).clone()).collect();
        diags.extend(content::check_parts(
            commentaries
                .iter()
                .map(|(c, _)| (c.slug.as_str(), &c.file.path)),
            &entry_refs,
            &pages.iter().map(|(p, _)| *p).collect::<Vec<_>>(),
        ));
        if !self.drafts {
            commentaries.retain(|(c, _)| !c.draft);
            page_list.retain(|p| !p.draft);
        }
        page_list.sort_by(|a, b| a.title.cmp(&b.title));

        trace.lap("check");
        // Glossary.
        let glossary_hash = hash_of(&entries.iter().map(|(_, h)| *h).collect::<Vec<_>>());
        let mut all_markdown = sources_changed;
        let mut changed_entries: Vec<usize> = Vec::new();
        let mut changes = affected::Changes::default();
        if self.glossary_hash != Some(glossary_hash) || self.glossary.is_none() {
            let entry_list: Vec<Entry> = entry_refs.iter().map(|e| (*e).clone()).collect();
            let (g, gd) = Glossary::new(entry_list, &self.routes, |body| {
                summary::first_sentence(&summary::first_paragraph(body))
            });
            match &self.glossary {
                Some(old) => match affected::changed_entries(old, &g) {
                    Some(c) => {
                        changed_entries = c.changed.clone();
                        changes = c;
                    }
                    None => all_markdown = true,
                },
                None => all_markdown = true,
            }
            self.glossary = Some(g);
            self.glossary_diags = gd;
            self.glossary_hash = Some(glossary_hash);
        }
        diags.extend(self.glossary_diags.iter().cloned());
        let glossary = self.glossary.as_ref().expect("set above");
        let sources = &self.sources;
        diags.extend(cite_site::check_entries(sources, &glossary.entries));
        let config = &self.config;
        let mode = |article_autolink: bool| match (config.autolink, article_autolink) {
            (Autolink::None, _) | (_, false) => AutoLink::Off,
            (Autolink::First, true) => AutoLink::First,
            (Autolink::All, true) => AutoLink::All,
        };
        let glossary_changed = all_markdown || !changed_entries.is_empty();
        let touched = affected::Touched::new(&changes);
        if glossary_changed || self.entry_renders.len() != glossary.entries.len() {
            self.entry_search = None;
            self.search_dirty = true;
            let all = all_markdown || self.entry_renders.len() != glossary.entries.len();
            let old = std::mem::take(&mut self.entry_renders);
            let again: Vec<Option<Rendered>> = glossary
                .entries
                .par_iter()
                .enumerate()
                .map(|(i, e)| {
                    let redo = all || touched.hits(&old[i].mentions, &e.file.text) || {
                        // An entry's own page reads its own fields.
                        changed_entries.binary_search(&i).is_ok()
                    };
                    redo.then(|| {
                        markdown::render(&Input {
                            file: &e.file,
                            glossary,
                            autolink: mode(true),
                            own_entry: Some(i),
                            sanitize: config.sanitize_html,
                            editorial: false,
                            sources: Some(sources),
                        })
                    })
                })
                .collect();
            self.entry_renders = again
                .into_iter()
                .zip(
                    old.into_iter()
                        .map(Some)
                        .chain(std::iter::repeat_with(|| None)),
                )
                .map(|(new, old)| new.or(old).unwrap_or_default())
                .collect();
            // What each entry page reads besides its backlinks.
            let entry_renders = &self.entry_renders;
            self.entry_keys = (0..glossary.entries.len())
                .into_par_iter()
                .map(|i| {
                    let e = &glossary.entries[i];
                    let r = &entry_renders[i];
                    let related: Vec<_> = e
                        .related
                        .iter()
                        .filter_map(|s| glossary.find(s))
                        .map(|j| {
                            let f = &glossary.entries[j];
                            (
                                &f.name,
                                &f.abbr,
                                f.kind,
                                &glossary.urls[j],
                                &glossary.summaries[j],
                            )
                        })
                        .collect();
                    let mut h = DefaultHasher::new();
                    hash_debug(e).hash(&mut h);
                    (&glossary.summaries[i], &glossary.urls[i], related).hash(&mut h);
                    (&r.html, r.notes.len(), r.words).hash(&mut h);
                    for n in &r.notes {
                        (&n.id, &n.html, &n.backrefs, n.number).hash(&mut h);
                    }
                    hash_debug(&glossary.facts(i)).hash(&mut h);
                    h.finish()
                })
                .collect();
        }
        let pages_hash = hash_of(&(
            glossary_hash,
            pages.iter().map(|(_, h)| *h).collect::<Vec<_>>(),
            self.drafts,
        ));
        if glossary_changed || self.pages_hash != Some(pages_hash) {
            self.pages_hash = Some(pages_hash);
            self.page_renders = page_list
                .par_iter()
                .map(|p| {
                    markdown::render(&Input {
                        file: &p.file,
                        glossary,
                        autolink: mode(true),
                        own_entry: None,
                        sanitize: config.sanitize_html,
                        editorial: false,
                        sources: Some(sources),
                    })
                })
                .collect();
        }

        trace.lap("glossary");
        // Commentaries: render again those whose output can change.
        let mut articles = std::mem::take(&mut self.articles);
        // Where each article is, only needed to read its mentions when the glossary changed.
        let pos: HashMap<&Path, usize> = if changed_entries.is_empty() {
            HashMap::new()
        } else {
            articles
                .iter()
                .enumerate()
                .map(|(i, a)| (a.c.file.path.as_path(), i))
                .collect()
        };
        let meta = &self.meta;
        let routes = &self.routes;
        let todo: Vec<(usize, &Commentary, u64)> = commentaries
            .par_iter()
            .enumerate()
            .filter(|(_, (c, h))| match meta.get(&c.file.path) {
                None => true,
                Some(m) if all_markdown || m.source != *h => true,
                Some(_) if changed_entries.is_empty() => false,
                Some(_) => pos
                    .get(c.file.path.as_path())
                    .is_none_or(|&i| touched.hits(&articles[i].mentions, &c.file.text)),
            })
            .map(|(i, (c, h))| (i, *c, *h))
            .collect();
        outcome.markdown_renders = todo.len();
        let fresh: Vec<(Article, ArticleMeta)> = todo
            .par_iter()
            .map(|&(_, c, source)| {
                let r = markdown::render(&Input {
                    file: &c.file,
                    glossary,
                    autolink: mode(c.autolink),
                    own_entry: None,
                    sanitize: config.sanitize_html,
                    editorial: false,
                    sources: Some(sources),
                });
                let url = routes.url(&Routes::commentary(&c.slug));
                let summary = c
                    .summary
                    .clone()
                    .unwrap_or_else(|| summary::cut(&r.first_paragraph, 200));
                let (search_terms, search_doc) = if config.search {
                    commentary_search(c, &url, &summary, &r)
                } else {
                    Default::default()
                };
                let item = commentary_item(routes, c, &url, &summary);
                let item_hash = hash_of(&serde_json::to_string(&item).unwrap_or_default());
                let render = hash_of(&(
                    &r.html,
                    r.notes
                        .iter()
                        .map(|n| (n.number, &n.id, &n.html, &n.backrefs))
                        .collect::<Vec<_>>(),
                    r.words,
                    &r.works_cited,
                ));
                let m = ArticleMeta {
                    source,
                    render,
                    item: Value::from_serialize(&item),
                    item_hash,
                    mentions_hash: hash_of(
                        &r.mentions
                            .iter()
                            .map(|m| (m.entry, &m.sentence))
                            .collect::<Vec<_>>(),
                    ),
                    notes: r.notes.clone(),
                    words: r.words,
                    diags: r.diags.clone(),
                    works_cited: r.works_cited.clone(),
                    search_key: hash_of(&search_doc),
                    search_doc,
                };
                let Rendered {
                    html,
                    mentions,
                    candidates,
                    works_cited,
                    ..
                } = r;
                let a = Article {
                    c: c.clone(),
                    url,
                    summary,
                    mentions,
                    candidates,
                    cited: works_cited.into_iter().map(|(k, _)| k).collect(),
                    feed_html: Some(html),
                    search: search_terms,
                };
                (a, m)
            })
            .collect();
        drop(pos);
        let visible: HashSet<&Path> = commentaries
            .iter()
            .map(|(c, _)| c.file.path.as_path())
            .collect();
        let replaced: HashSet<PathBuf> = fresh.iter().map(|(a, _)| a.c.file.path.clone()).collect();
        let before = articles.len();
        articles.retain(|a| {
            visible.contains(a.c.file.path.as_path()) && !replaced.contains(&a.c.file.path)
        });
        let reorder = !fresh.is_empty() || articles.len() != before;
        self.search_dirty |= reorder;
        for (a, m) in fresh {
            self.meta.insert(a.c.file.path.clone(), m);
            articles.push(a);
        }
        if self.meta.len() != articles.len() {
            self.meta.retain(|p, _| visible.contains(p.as_path()));
        }
        if reorder {
            articles.sort_by(|a, b| {
                b.c.date
                    .cmp(&a.c.date)
                    .then_with(|| a.c.title.cmp(&b.c.title))
                    .then_with(|| a.c.slug.cmp(&b.c.slug))
            });
        }
        for m in self.meta.values() {
            diags.extend(m.diags.iter().cloned());
        }
        for r in self.entry_renders.iter().chain(&self.page_renders) {
            diags.extend(r.diags.iter().cloned());
        }
        let theme = match (&self.theme, diags.iter().any(Diagnostic::is_error)) {
            (Some(t), false) => t,
            _ => {
                self.articles = articles;
                outcome.diags = diags;
                return outcome;
            }
        };

        trace.lap("commentaries");
        // Pages: render those whose key changed.
        let site = site_view(config, routes, &page_list, !sources.keys().is_empty());
        // The bibliography is in the key of every page: entry pages list their works, and
        // the sources page all of them.
        let global = hash_of(&(
            self.theme_epoch,
            config_hash,
            sources_hash,
            &self.base_url,
            serde_json::to_string(&site).unwrap_or_default(),
        ));
        let site_value = Value::from_serialize(&site);
        let mut backlinks: Vec<Vec<(usize, &str)>> = vec![Vec::new(); glossary.entries.len()];
        for (ai, a) in articles.iter().enumerate() {
            for m in &a.mentions {
                backlinks[m.entry].push((ai, &m.sentence));
            }
        }
        let metas: Vec<&ArticleMeta> = articles
            .iter()
            .map(|a| &self.meta[&a.c.file.path])
            .collect();
        // Tags and authors change only with the list of items (which carries them).
        let order_hash = hash_of(&metas.iter().map(|m| m.item_hash).collect::<Vec<_>>());
        let (tags, authors) = match self.terms.take() {
            Some((k, t, a)) if k == order_hash => (t, a),
            _ => (
                terms(&articles, |c| &c.tags),
                terms(&articles, |c| &c.authors),
            ),
        };
        let ctx = Ctx {
            config,
            routes,
            glossary,
            articles: &articles,
            entry_renders: &self.entry_renders,
            pages: &page_list,
            page_renders: &self.page_renders,
            backlinks: &backlinks,
            tags: &tags,
            authors: &authors,
            site: site_value.clone(),
            sources,
            items: metas.iter().map(|m| m.item.clone()).collect(),
        };
        let page_hashes: HashMap<&str, u64> =
            pages.iter().map(|(p, h)| (p.slug.as_str(), *h)).collect();
        let home_pages = articles.len().div_ceil(config.paginate).max(1);
        let jobs = ctx.jobs();

        let entry_keys = &self.entry_keys;
        let key_of = |job: &Job| -> u64 {
            let mut h = DefaultHasher::new();
            global.hash(&mut h);
            match job {
                Job::Home(n) => {
                    ("home", n, home_pages).hash(&mut h);
                    let per = config.paginate;
                    for m in &metas[((n - 1) * per)..(n * per).min(metas.len())] {
                        m.item_hash.hash(&mut h);
                    }
                }
                Job::GlossaryIndex => {
                    ("glossary", glossary_hash).hash(&mut h);
                    for b in &backlinks {
                        b.len().hash(&mut h);
                    }
                }
                Job::Entry(i) => {
                    ("entry", i, entry_keys[*i]).hash(&mut h);
                    for &(ai, _) in &backlinks[*i] {
                        (metas[ai].item_hash, metas[ai].mentions_hash).hash(&mut h);
                    }
                    for s in &glossary.entries[*i].related {
                        if let Some(j) = glossary.find(s) {
                            backlinks[j].len().hash(&mut h);
                        }
                    }
                }
                Job::TermList(kind) => {
                    let map = if *kind == "tags" { &tags } else { &authors };
                    kind.hash(&mut h);
                    for (slug, t) in map {
                        (slug, &t.name, t.items.len()).hash(&mut h);
                    }
                }
                Job::Term(kind, slug) => {
                    let map = if *kind == "tags" { &tags } else { &authors };
                    let t = &map[slug];
                    (kind, slug, &t.name).hash(&mut h);
                    for &i in &t.items {
                        metas[i].item_hash.hash(&mut h);
                    }
                }
                Job::Page(i) => {
                    let p = &page_list[*i];
                    ("page", glossary_hash, page_hashes.get(p.slug.as_str())).hash(&mut h);
                    p.file.path.hash(&mut h);
                }
                Job::Sources => {
                    "sources".hash(&mut h);
                    for a in &articles {
                        (&a.url, &a.c.title, &a.cited).hash(&mut h);
                    }
                }
                Job::NotFound => "404".hash(&mut h),
                Job::Search => "search".hash(&mut h),
            }
            h.finish()
        };

        trace.lap("keys-prep");
        // Commentary pages, then the others; each only when its key changed.
        let written = &self.written;
        let commentary_jobs: Vec<(usize, String, u64)> = articles
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let rel = format!("{}index.html", Routes::commentary(&a.c.slug));
                let key = hash_of(&(global, "commentary", metas[i].source, metas[i].render));
                (i, rel, key)
            })
            .collect();
        let mut all_files: HashSet<String> = HashSet::new();
        all_files.extend(commentary_jobs.iter().map(|(_, rel, _)| rel.clone()));
        let mut results: Vec<Result<OutFile, Diagnostic>> = commentary_jobs
            .into_par_iter()
            .filter(|(_, rel, key)| written.get(rel) != Some(key))
            .map(|(i, _, key)| {
                let a = &articles[i];
                let m = metas[i];
                let r = Rendered {
                    html: a.feed_html.clone().unwrap_or_default(),
                    notes: m.notes.clone(),
                    mentions: Vec::new(),
                    first_paragraph: String::new(),
                    words: m.words,
                    diags: Vec::new(),
                    candidates: Vec::new(),
                    works_cited: m.works_cited.clone(),
                };
                let (rel, html) =
                    render_commentary(theme, &site_value, routes, &a.c, &a.url, &a.summary, &r)?;
                Ok((rel, html.into_bytes(), key))
            })
            .collect();
        let keyed: Vec<(Job, String, u64)> = jobs
            .into_iter()
            .map(|job| {
                let path = ctx.path_of(&job);
                let rel = if path.ends_with('/') || path.is_empty() {
                    format!("{path}index.html")
                } else {
                    path
                };
                let key = key_of(&job);
                (job, rel, key)
            })
            .collect();
        let mut sitemap: Vec<(String, Option<crate::content::Date>)> = articles
            .iter()
            .map(|a| (a.url.clone(), Some(a.c.date)))
            .collect();
        for (job, rel, _) in &keyed {
            all_files.insert(rel.clone());
            if !matches!(job, Job::NotFound | Job::Search) {
                sitemap.push((ctx.url_of(job), ctx.lastmod(job)));
            }
        }
        results.par_extend(
            keyed
                .into_par_iter()
                .filter(|(_, rel, key)| written.get(rel) != Some(key))
                .map(|(job, _, key)| {
                    let (rel, html) = ctx.render(theme, &job)?;
                    Ok((rel, html.into_bytes(), key))
                }),
        );
        outcome.pages_rendered = results.len();
        // Commentaries' search documents go out with their pages; the index and the entries'
        // documents follow in `finish_search`.
        for (i, m) in metas.iter().enumerate().filter(|_| config.search) {
            let rel = search_doc_path(i);
            if written.get(&rel) != Some(&m.search_key) {
                results.push(Ok((rel, m.search_doc.clone(), m.search_key)));
            }
        }

        trace.lap("pages");
        // Feed, sitemap, stylesheets, static files: cheap to make, written when different.
        let mut extra = site_files(config, routes, &articles, &sitemap);
        extra.extend(self.assets.iter().cloned());
        let old_statics = std::mem::take(&mut self.statics);
        for (src, rel) in &scan.statics {
            let st = stamp(src);
            let bytes = match old_statics.get(src) {
                Some((s, b)) if *s == st && st.0.is_some() => b.clone(),
                _ => match std::fs::read(src) {
                    Ok(b) => b,
                    Err(e) => {
                        diags.push(Diagnostic::file(
                            codes::IO,
                            &shown(&root, src.strip_prefix(&root).unwrap_or(src)),
                            format!("cannot read the static file: {e}"),
                        ));
                        continue;
                    }
                },
            };
            self.statics.insert(src.clone(), (st, bytes.clone()));
            extra.push((slash(rel), bytes));
        }
        extra.push((
            super::write::MARKER.to_string(),
            b"This folder is written by Scholia; a build replaces it whole.\n".to_vec(),
        ));
        // A site's own file (content/static/robots.txt) replaces a generated one, as in a
        // full build, where it is written last.
        let mut named = HashSet::new();
        extra.reverse();
        extra.retain(|(rel, _)| named.insert(rel.clone()));
        for (rel, bytes) in extra {
            let key = hash_of(&bytes);
            all_files.insert(rel.clone());
            if written.get(&rel) != Some(&key) {
                results.push(Ok((rel, bytes, key)));
            }
        }

        trace.lap("extras");
        let mut files = Vec::with_capacity(results.len());
        for r in results {
            match r {
                Ok(f) => files.push(f),
                Err(d) => diags.push(d),
            }
        }
        drop(ctx);
        self.terms = Some((order_hash, tags, authors));
        self.articles = articles;
        if diags.iter().any(Diagnostic::is_error) {
            outcome.diags = diags;
            return outcome;
        }

        self.write_files(files, &mut outcome, &mut diags);
        trace.lap("write");
        // The search index's files are `finish_search`'s to keep or remove (or nobody's, and
        // stale, with `search: false`).
        let search = self.config.search;
        self.remove_stale(&mut outcome, |rel| {
            all_files.contains(rel) || (search && is_search_data(rel))
        });
        trace.lap("stale");
        outcome.written.sort();
        outcome.removed.sort();
        outcome.diags = diags;
        outcome
    }
}

/// Files of the search index, as (path in the output, bytes).
pub type SearchFiles = Vec<(String, Vec<u8>)>;

/// A search index to make from a snapshot of the session's terms (see
/// [`Session::search_job`]).
pub struct SearchJob {
    generation: u64,
    articles: Vec<search::Terms>,
    entries: EntrySearch,
}

/// The glossary entries' search documents (the files) and terms, shared with a job.
type EntrySearch = Arc<Vec<(Vec<u8>, search::Terms)>>;

impl SearchJob {
    /// The rebuild it was taken after, for [`Session::apply_search`].
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Makes the index files and the glossary entries' documents.
    pub fn run(&self) -> SearchFiles {
        search_files(self.articles.iter(), &self.entries)
    }
}

/// The search index's data files (not its page, `search/index.html`).
fn is_search_data(rel: &str) -> bool {
    rel.starts_with("search/") && rel != "search/index.html"
}

/// Phase times on stderr when `SCHOLIA_SERVE_TRACE` is set, to see where a rebuild goes.
struct Trace {
    on: bool,
    last: Instant,
}

impl Trace {
    fn new() -> Trace {
        Trace {
            on: std::env::var_os("SCHOLIA_SERVE_TRACE").is_some(),
            last: Instant::now(),
        }
    }

    fn lap(&mut self, what: &str) {
        if self.on {
            eprintln!(
                "  {what}: {:.1} ms",
                self.last.elapsed().as_secs_f64() * 1e3
            );
            self.last = Instant::now();
        }
    }
}
