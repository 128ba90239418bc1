//! The one pipeline `build` and `serve` both run: config → sources → theme → content →
//! glossary → markdown → articles → pages → extras → search.
//!
//! Each stage is written once. A full build is a pipeline with an empty memo that streams:
//! every lookup misses, commentary pages go out as their Markdown renders, and their bodies
//! are dropped at once (peak memory does not grow with the site's HTML). `serve` keeps the
//! pipeline and its memo between runs: a file is read again only when its modification time
//! or size changed, a commentary's Markdown is rendered again only when its file changed or
//! a glossary change can reach it ([`affected`]), and a page is rendered again only when the
//! key its view read ([`ctx`]) differs from the key of the file already in the output
//! ([`output::LiveSink`]). The output is byte for byte the same either way: the equivalence
//! test in `tests.rs` compares a kept pipeline with fresh ones after random edits.

use super::affected::{self, Touched};
use super::claims;
use super::ctx::{self, fp, Article, ArticleFp, Base, Body, Ctx, EntryFps, Reads, Term};
use super::feeds::{self, FeedItem, FeedSite};
use super::index::{self, EntrySearch, SearchFiles};
use super::output::{Changes, Sink};
use super::pages::{self, PageKind};
use super::sources as cite_site;
use crate::cite::Sources;
use crate::codes;
use crate::config::{self, SiteConfig};
use crate::content::discover::{self, shown, Parsed, Scan, Section};
use crate::content::{self, parties, Commentary, Date, Entry, Kind, Page, Taxonomy};
use crate::error::Diagnostic;
use crate::glossary::coverage::{self, Suggest};
use crate::glossary::Glossary;
use crate::markdown::{self, summary, Input, Rendered};
use crate::routes::{self, Routes};
use crate::theme::Theme;
use minijinja::Value;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Instant, SystemTime};

/// Commentaries in the Atom feed.
const FEED_LEN: usize = 20;

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Site root.
    pub root: PathBuf,
    /// Include drafts.
    pub drafts: bool,
    /// Overrides `base_url`.
    pub base_url: Option<String>,
    /// Also report the editorial state (`check`).
    pub editorial: bool,
}

/// Pages and files a run produced, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Commentary pages.
    pub commentaries: usize,
    /// Glossary entry pages plus the index.
    pub glossary: usize,
    /// Home pages.
    pub home: usize,
    /// Tag and author pages, indexes included.
    pub taxonomies: usize,
    /// Free pages and the not-found page.
    pub pages: usize,
    /// Static files (the search index not counted: it grows with the content).
    pub statics: usize,
}

impl Counts {
    /// HTML pages in all.
    pub fn html_pages(&self) -> usize {
        self.commentaries + self.glossary + self.home + self.taxonomies + self.pages
    }
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Report {
    /// Every diagnostic, sorted by file and position.
    pub diags: Vec<Diagnostic>,
    /// Whether the output was updated (no errors).
    pub ok: bool,
    /// What was produced.
    pub counts: Counts,
    /// `check` only: names in at least two commentaries that no entry covers, with the
    /// number of commentaries, most frequent first.
    pub coverage: Vec<(String, Suggest, usize)>,
    /// The source file of each page rendered from Markdown: (output file, source path as
    /// shown), sorted; for reporting problems found in the output against their source.
    pub sources: Vec<(String, PathBuf)>,
    /// The `base_url` the site was built with, ending in `/`.
    pub base_url: String,
    /// Commentaries whose Markdown was rendered.
    pub markdown_renders: usize,
    /// HTML pages rendered.
    pub pages_rendered: usize,
    /// Files written and removed (a kept output only).
    pub changes: Changes,
    /// Time taken (set by the caller).
    pub elapsed: std::time::Duration,
}

/// Sorts diagnostics by file and position, so output is stable whatever the thread order,
/// and drops repeats.
pub fn sort_diagnostics(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        (&a.path, a.line, a.col, a.severity, &a.message)
            .cmp(&(&b.path, b.line, b.col, b.severity, &b.message))
    });
    diags.dedup();
}

fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

/// What changed on disk since a file was last read: modification time and size.
type Stamp = (Option<SystemTime>, u64);

fn stamp(path: &Path) -> Stamp {
    match std::fs::metadata(path) {
        Ok(m) => (m.modified().ok(), m.len()),
        Err(_) => (None, u64::MAX),
    }
}

/// The stamp of a content file and, for a treaty, of the parties file beside it (read with
/// it, so a change to either reads the entry again; a missing file has a stamp too).
fn file_stamp(path: &Path, section: Section) -> (Stamp, Option<Stamp>) {
    let beside = (section == Section::Entry(Kind::Treaty)).then(|| stamp(&parties::beside(path)));
    (stamp(path), beside)
}

/// Whether a kept stamp still describes the file (a missing time never does).
fn fresh(old: &Stamp, new: &Stamp) -> bool {
    old == new && new.0.is_some()
}

/// Content files by path. Keyed by the path's bytes: hashing a `Path` walks its components,
/// which a rebuild of a large site would pay 12,000 times.
type Files = rustc_hash::FxHashMap<OsString, FileState>;

/// One content file as last read.
struct FileState {
    stamp: (Stamp, Option<Stamp>),
    parsed: Option<Parsed>,
    diags: Vec<Diagnostic>,
    /// Fingerprint of the parsed value (0 when not kept).
    fp: u64,
}

/// The configuration, kept until `scholia.yaml` changes (then everything is dropped).
struct ConfigMemo {
    hash: u64,
    config: SiteConfig,
    routes: Routes,
    diags: Vec<Diagnostic>,
}

struct SourcesMemo {
    hash: u64,
    sources: Sources,
    diags: Vec<Diagnostic>,
}

#[derive(Default)]
struct ThemeMemo {
    hash: Option<u64>,
    /// Counts theme changes: part of every page's key.
    epoch: u64,
    theme: Option<Theme>,
    diag: Option<Diagnostic>,
    /// The theme's static files and syntax stylesheet, with their fingerprinted copies.
    assets: Vec<(String, Vec<u8>)>,
}

#[derive(Default)]
struct ContentMemo {
    scan: Option<Scan>,
    walk_diags: Vec<Diagnostic>,
    files: Files,
    /// Files the watcher named, to read in this run.
    pending: Vec<(PathBuf, PathBuf, Section)>,
    statics: HashMap<PathBuf, (Stamp, Vec<u8>)>,
}

struct GlossaryMemo {
    hash: u64,
    glossary: Glossary,
    diags: Vec<Diagnostic>,
    renders: Vec<Rendered>,
    fps: EntryFps,
}

/// Everything a pipeline keeps between runs; empty in a full build.
#[derive(Default)]
struct Memo {
    config: Option<ConfigMemo>,
    sources: Option<SourcesMemo>,
    theme: ThemeMemo,
    content: ContentMemo,
    glossary: Option<GlossaryMemo>,
    /// Free pages' renders and the fingerprint of what they were rendered from.
    pages: Option<(u64, Vec<Rendered>)>,
    /// Newest first.
    articles: Vec<Article>,
    /// The glossary entries' search documents; `None` when entries changed.
    entry_search: Option<Arc<EntrySearch>>,
    /// Tags and authors, with the fingerprint of the commentary list they were made from.
    terms: Option<(u64, [BTreeMap<String, Term>; 2])>,
}

/// A site's pipeline: its options and what it keeps between runs.
pub struct Pipeline {
    opts: Options,
    keep: bool,
    memo: Memo,
    canonical_root: PathBuf,
}

/// The content of one run: owned in a full build, borrowed from the memo when kept.
struct Loaded<'f> {
    commentaries: Vec<(Cow<'f, Commentary>, u64)>,
    entries: Vec<(Cow<'f, Entry>, u64)>,
    pages: Vec<(Cow<'f, Page>, u64)>,
    statics: Vec<(PathBuf, PathBuf)>,
}

/// How a glossary change reaches the Markdown renders.
struct Reach {
    /// Everything must be rendered again (a full build, a new slug, a new bibliography).
    all: bool,
    /// Entries that changed.
    changed: Vec<usize>,
    touched: Touched,
}

impl Reach {
    fn any(&self) -> bool {
        self.all || !self.changed.is_empty()
    }
}

impl Pipeline {
    /// A full build's pipeline: nothing kept, commentary pages streamed.
    pub fn fresh(opts: Options) -> Pipeline {
        Pipeline::new(opts, false)
    }

    /// `serve`'s pipeline: its memo is kept between runs.
    pub fn kept(opts: Options) -> Pipeline {
        Pipeline::new(opts, true)
    }

    fn new(opts: Options, keep: bool) -> Pipeline {
        let canonical_root = opts
            .root
            .canonicalize()
            .unwrap_or_else(|_| opts.root.clone());
        Pipeline {
            opts,
            keep,
            memo: Memo::default(),
            canonical_root,
        }
    }

    /// Whether the configuration asks for a search index (as of the last run).
    pub fn search_enabled(&self) -> bool {
        self.memo.config.as_ref().is_some_and(|c| c.config.search)
    }

    /// Runs every stage, writing into `sink`. `changed` names the paths that changed since
    /// the last run (absolute, as a watcher reports them); `None` looks at every file. A
    /// kept pipeline leaves the search index to [`Pipeline::search_job`].
    pub fn run(&mut self, changed: Option<&[PathBuf]>, sink: &mut dyn Sink) -> Report {
        let mut trace = Trace::new();
        let mut diags = Vec::new();
        let mut report = Report::default();
        diags.extend(sink.check());
        let sources_changed = self.config(&mut diags) | self.sources(&mut diags);
        self.theme(&mut diags);
        trace.lap("config, sources, theme");
        let Some(mut files) = self.content(changed, &mut diags) else {
            return finish(report, diags, sink, false);
        };
        trace.lap("content");
        let mut loaded = self.loaded(&mut files, &mut diags);
        let reach = self.glossary(
            std::mem::take(&mut loaded.entries),
            sources_changed,
            &mut diags,
        );
        let page_list = visible_pages(&loaded.pages, self.opts.drafts);
        self.free_pages(&loaded, &page_list, reach.any());
        trace.lap("glossary, entries and pages");

        let keep = self.keep;
        let search_later = keep && self.search_enabled();
        let Memo {
            config: config_memo,
            sources: sources_memo,
            theme,
            glossary,
            pages: page_memo,
            articles: kept_articles,
            content: content_memo,
            entry_search,
            terms: terms_memo,
        } = &mut self.memo;
        let cm = config_memo.as_ref().expect("set by the config stage");
        let (config, routes) = (&cm.config, &cm.routes);
        let sm = sources_memo.as_ref().expect("set by the sources stage");
        let sources = &sm.sources;
        let gm = glossary.as_ref().expect("set by the glossary stage");
        let page_renders: &[Rendered] = &page_memo.as_ref().expect("set by free_pages").1;
        for r in gm.renders.iter().chain(page_renders) {
            diags.extend(r.diags.iter().cloned());
        }
        diags.extend(cite_site::check_entries(sources, &gm.glossary.entries));

        let site = pages::site_view(config, routes, &page_list, !sources.keys().is_empty());
        let global = if keep {
            fp(&(theme.epoch, cm.hash, sm.hash, &site))
        } else {
            0
        };
        let base = Base::new(
            config,
            routes,
            sources,
            Value::from_serialize(&site),
            global,
        );
        let writing = theme.theme.is_some() && !has_errors(&diags);
        if writing {
            if let Err(d) = sink.begin() {
                diags.push(d);
                return finish(report, diags, sink, search_later);
            }
        }
        let stage = Articles {
            opts: &self.opts,
            keep,
            config,
            routes,
            glossary: &gm.glossary,
            sources,
            base: &base,
            theme: theme.theme.as_ref().filter(|_| writing),
            sink: &*sink,
        };
        let old = std::mem::take(kept_articles);
        let (articles, renders) = stage.run(
            std::mem::take(&mut loaded.commentaries),
            old,
            &reach,
            &mut diags,
        );
        report.markdown_renders = renders;
        trace.lap("articles");

        let theme_ref = theme.theme.as_ref().filter(|_| !has_errors(&diags));
        if let Some(theme_ref) = theme_ref {
            // Tags and authors change only with the list of items (which carries them).
            let order = keep.then(|| fp(&articles.iter().map(|a| a.fp.item).collect::<Vec<_>>()));
            let terms = match terms_memo.take() {
                Some((k, t)) if Some(k) == order => t,
                _ => Taxonomy::ALL.map(|t| ctx::terms(&articles, t)),
            };
            let ctx = Ctx::new(
                &base,
                &gm.glossary,
                &articles,
                (&gm.renders, keep.then_some(&gm.fps)),
                &page_list,
                page_renders,
                terms,
            );
            let jobs = pages::jobs(&ctx);
            let results: Vec<Result<(PageKind, bool), Diagnostic>> = jobs
                .par_iter()
                .map(|job| {
                    let mut r = Reads::new(keep);
                    let page = pages::page(&ctx, job, &mut r);
                    let rel = page.file();
                    let key = r.key(&page.path, page.template);
                    let wanted = sink.wants(&rel, key);
                    if wanted {
                        let html = page.render(theme_ref)?;
                        sink.put(&rel, key, html.into_bytes())?;
                    }
                    Ok((job.kind(), wanted))
                })
                .collect();
            report.counts.commentaries = articles.len();
            for r in results {
                match r {
                    Ok((kind, rendered)) => {
                        report.pages_rendered += usize::from(rendered);
                        match kind {
                            PageKind::Home => report.counts.home += 1,
                            PageKind::Glossary => report.counts.glossary += 1,
                            PageKind::Taxonomy => report.counts.taxonomies += 1,
                            PageKind::Other => report.counts.pages += 1,
                        }
                    }
                    Err(d) => diags.push(d),
                }
            }
            trace.lap("pages");
            if self.opts.editorial {
                report.coverage = editorial(&ctx, gm, &articles, page_renders, sources, &mut diags);
            }
            if !keep {
                report.sources = page_sources(&articles, &gm.glossary, &page_list);
            }
            report.base_url = routes.base().to_string();

            // Feed, sitemap, robots.txt, stylesheets, static files and (in a full build)
            // the search index: cheap to make, each written when the output wants it.
            let mut sitemap: Vec<(String, Option<Date>)> = articles
                .iter()
                .map(|a| (a.url.clone(), Some(a.c.date)))
                .collect();
            sitemap.extend(
                jobs.iter()
                    .filter(|j| j.in_sitemap())
                    .map(|j| (routes.url(&pages::path(&ctx, j)), pages::lastmod(&ctx, j))),
            );
            if let Some(k) = order {
                *terms_memo = Some((k, ctx.into_terms()));
            }
            let mut extras = site_files(config, routes, &articles, &sitemap);
            extras.extend(theme.assets.iter().cloned());
            extras.extend(read_statics(
                &self.opts.root,
                &loaded.statics,
                &mut content_memo.statics,
                keep,
                &mut diags,
            ));
            report.counts.statics = extras.len();
            if !keep && config.search {
                let entries = index::entries(&gm.glossary, &gm.renders);
                extras.extend(index::files(articles.iter().map(|a| &a.search), &entries));
            }
            extras.push((
                super::write::MARKER.to_string(),
                super::write::MARKER_TEXT.as_bytes().to_vec(),
            ));
            // A site's own file (content/static/robots.txt) replaces a generated one.
            let mut named = HashSet::new();
            extras.reverse();
            extras.retain(|(rel, _)| named.insert(rel.clone()));
            for (rel, bytes) in extras {
                let key = keep.then(|| fp(&bytes));
                if sink.wants(&rel, key) {
                    if let Err(d) = sink.put(&rel, key, bytes) {
                        diags.push(d);
                    }
                }
            }
            trace.lap("extras");
        }
        if keep {
            if reach.any() {
                *entry_search = None;
            }
            *kept_articles = articles;
            content_memo.files = files;
        }
        finish(report, diags, sink, search_later)
    }

    /// The configuration: read again (and everything kept dropped) when `scholia.yaml`
    /// changed. Returns whether it changed.
    fn config(&mut self, diags: &mut Vec<Diagnostic>) -> bool {
        let root = &self.opts.root;
        let hash = if self.keep {
            fp(&(
                std::fs::read(root.join("scholia.yaml")).ok(),
                &self.opts.base_url,
            ))
        } else {
            0
        };
        let changed = self.memo.config.as_ref().map(|c| c.hash) != Some(hash);
        if changed {
            // Any change can change every page: start over (the theme's epoch goes on
            // counting, so no page key repeats).
            let epoch = self.memo.theme.epoch;
            self.memo = Memo::default();
            self.memo.theme.epoch = epoch;
            let mut cd = Vec::new();
            let mut config = SiteConfig::load(root, &shown(root, Path::new("scholia.yaml")))
                .unwrap_or_else(|d| {
                    cd.extend(d);
                    SiteConfig::default()
                });
            if let Some(b) = &self.opts.base_url {
                config.base_url = config::normalize_base_url(b);
            }
            self.memo.config = Some(ConfigMemo {
                hash,
                routes: Routes::new(&config.base_url),
                config,
                diags: cd,
            });
        }
        diags.extend(
            self.memo
                .config
                .as_ref()
                .into_iter()
                .flat_map(|c| c.diags.iter().cloned()),
        );
        changed
    }

    /// The bibliography and style: read again when one of their files changed (a change
    /// renders every citation, so every body, again). Returns whether they changed.
    fn sources(&mut self, diags: &mut Vec<Diagnostic>) -> bool {
        let root = &self.opts.root;
        let config = &self.memo.config.as_ref().expect("config first").config;
        let style = &config.citation_style;
        let hash = if self.keep {
            fp(&(
                cite_site::FILES
                    .iter()
                    .map(|f| stamp(&root.join("content").join(f)))
                    .collect::<Vec<_>>(),
                style,
                style.ends_with(".csl").then(|| stamp(&root.join(style))),
            ))
        } else {
            0
        };
        let changed = self.memo.sources.as_ref().map(|s| s.hash) != Some(hash);
        if changed {
            let mut sd = Vec::new();
            let sources = cite_site::load(root, root, config, &mut sd);
            self.memo.sources = Some(SourcesMemo {
                hash,
                sources,
                diags: sd,
            });
        }
        diags.extend(
            self.memo
                .sources
                .as_ref()
                .into_iter()
                .flat_map(|s| s.diags.iter().cloned()),
        );
        changed
    }

    /// The theme and templates, and the theme's files with their fingerprinted names.
    fn theme(&mut self, diags: &mut Vec<Diagnostic>) {
        let root = &self.opts.root;
        let cm = self.memo.config.as_ref().expect("config first");
        let hash = self.keep.then(|| {
            fp(&(
                tree_hash(&[root.join("themes"), root.join("templates")]),
                &cm.config.theme,
            ))
        });
        let t = &mut self.memo.theme;
        if hash.is_none() || t.hash != hash {
            t.hash = hash;
            t.epoch += 1;
            t.assets.clear();
            t.diag = None;
            match Theme::new(root, root, &cm.config.theme, cm.routes.base()) {
                Ok(mut theme) => {
                    let mut d = Vec::new();
                    t.assets = theme_assets(&mut theme, &mut d);
                    t.diag = d.pop();
                    t.theme = Some(theme);
                }
                Err(d) => {
                    t.theme = None;
                    t.diag = Some(d);
                }
            }
        }
        diags.extend(t.diag.clone());
    }

    /// Finds and reads the content files: the files the watcher named, or (without a list,
    /// or when one is not a Markdown file in a section) a walk of content/. A kept file is
    /// read again only when its modification time or size changed.
    fn content(
        &mut self,
        changed: Option<&[PathBuf]>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Files> {
        let root = self.opts.root.clone();
        let max = self
            .memo
            .config
            .as_ref()
            .expect("config first")
            .config
            .max_file_bytes;
        let keep = self.keep;
        let mut files = std::mem::take(&mut self.memo.content.files);
        let fast = match changed {
            Some(paths) if self.memo.content.scan.is_some() => self.update_scan(paths, &mut files),
            _ => false,
        };
        let load = |path: &Path, display: &Path, section: Section, st: (Stamp, Option<Stamp>)| {
            let (parsed, diags) = discover::load(path, display, section, max);
            let fp = if keep { fp(&parsed) } else { 0 };
            FileState {
                stamp: st,
                parsed,
                diags,
                fp,
            }
        };
        let cm = &mut self.memo.content;
        if fast {
            let todo = std::mem::take(&mut cm.pending);
            let read: Vec<(OsString, FileState)> = todo
                .into_par_iter()
                .map(|(path, display, section)| {
                    let st = file_stamp(&path, section);
                    let state = load(&path, &display, section, st);
                    (path.into_os_string(), state)
                })
                .collect();
            files.extend(read);
        } else {
            let mut walk_diags = Vec::new();
            let Some(scan) = discover::scan(&root, &mut walk_diags) else {
                cm.scan = None;
                diags.extend(walk_diags);
                return None;
            };
            let read: Vec<(OsString, FileState)> = scan
                .files
                .par_iter()
                .filter_map(|(path, display, section)| {
                    let st = if keep {
                        file_stamp(path, *section)
                    } else {
                        ((None, 0), None)
                    };
                    if files
                        .get(path.as_os_str())
                        .is_some_and(|f| fresh(&f.stamp.0, &st.0) && f.stamp.1 == st.1)
                    {
                        return None;
                    }
                    let state = load(path, display, *section, st);
                    Some((path.as_os_str().to_owned(), state))
                })
                .collect();
            files.extend(read);
            let present: HashSet<&OsStr> =
                scan.files.iter().map(|(p, _, _)| p.as_os_str()).collect();
            files.retain(|p, _| present.contains(p.as_os_str()));
            cm.scan = Some(scan);
            cm.walk_diags = walk_diags;
            cm.pending.clear();
        }
        diags.extend(cm.walk_diags.iter().cloned());
        Some(files)
    }

    /// Applies the watcher's paths to the last walk; `false` when a walk is needed (a folder,
    /// a static file, a symbolic link, a file outside the sections: things the walk judges).
    fn update_scan(&mut self, paths: &[PathBuf], files: &mut Files) -> bool {
        let root = &self.opts.root;
        let cm = &mut self.memo.content;
        let Some(scan) = cm.scan.as_mut() else {
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
                .or_else(|_| path.strip_prefix(root))
                .ok()
            else {
                return walk(path);
            };
            let Ok(in_content) = rel.strip_prefix("content") else {
                // The configuration and the theme are compared whole on every run.
                continue;
            };
            if in_content.starts_with("static") || in_content.as_os_str().is_empty() {
                return walk(path);
            }
            let full = root.join(rel);
            let meta = std::fs::symlink_metadata(&full);
            let is_md = rel.extension().is_some_and(|e| e == "md");
            // A parties file is read with its treaty entry: read the entry again (a file
            // beside no entry is ignored, as a build ignores it).
            if let Some(entry) = parties::owner(&full) {
                let treaty = scan
                    .files
                    .binary_search_by(|(p, _, _)| p.cmp(&entry))
                    .ok()
                    .map(|i| scan.files[i].clone())
                    .filter(|f| f.2 == Section::Entry(Kind::Treaty));
                match treaty {
                    Some(f) if !meta.as_ref().is_ok_and(|m| m.is_dir()) => {
                        cm.pending.push(f);
                        continue;
                    }
                    // A parties file of no treaty: the walk warns about it (or stops).
                    _ => return walk(path),
                }
            }
            // An entry added or removed beside a parties file: the walk decides whether
            // that file is an orphan, and says why.
            if is_md
                && matches!(discover::classify(in_content), Ok(Some(Section::Entry(_))))
                && parties::beside(&full).exists()
                && (meta.is_err()
                    || scan
                        .files
                        .binary_search_by(|(p, _, _)| p.cmp(&full))
                        .is_err())
            {
                return walk(path);
            }
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
                            .insert(i, (full.clone(), shown(root, rel), section));
                    }
                    cm.pending.push((full.clone(), shown(root, rel), section));
                }
                Ok(_) => return walk(path),
                Err(_) => {
                    if let Ok(i) = at {
                        scan.files.remove(i);
                    }
                    files.remove(full.as_os_str());
                }
            }
        }
        true
    }

    /// The parsed files by kind, in path order: owned (taken from `files`) in a full build,
    /// borrowed when kept. Cross-file checks (duplicate slugs, dangling references) run here.
    fn loaded<'f>(&self, files: &'f mut Files, diags: &mut Vec<Diagnostic>) -> Loaded<'f> {
        let scan = self.memo.content.scan.as_ref().expect("set by content");
        let mut loaded = Loaded {
            commentaries: Vec::new(),
            entries: Vec::new(),
            pages: Vec::new(),
            statics: scan.statics.clone(),
        };
        if self.keep {
            let files: &'f Files = files;
            for (path, _, _) in &scan.files {
                let Some(f) = files.get(path.as_os_str()) else {
                    continue;
                };
                diags.extend(f.diags.iter().cloned());
                match &f.parsed {
                    Some(Parsed::C(c)) => loaded.commentaries.push((Cow::Borrowed(c), f.fp)),
                    Some(Parsed::E(e)) => loaded.entries.push((Cow::Borrowed(&**e), f.fp)),
                    Some(Parsed::P(p)) => loaded.pages.push((Cow::Borrowed(p), f.fp)),
                    None => {}
                }
            }
        } else {
            // Taken whole, so that the map's memory goes with it.
            let mut files = std::mem::take(files);
            for (path, _, _) in &scan.files {
                let Some(f) = files.remove(path.as_os_str()) else {
                    continue;
                };
                diags.extend(f.diags);
                match f.parsed {
                    Some(Parsed::C(c)) => loaded.commentaries.push((Cow::Owned(c), 0)),
                    Some(Parsed::E(e)) => loaded.entries.push((Cow::Owned(*e), 0)),
                    Some(Parsed::P(p)) => loaded.pages.push((Cow::Owned(p), 0)),
                    None => {}
                }
            }
        }
        diags.extend(content::check_parts(
            loaded
                .commentaries
                .iter()
                .map(|(c, _)| (c.slug.as_str(), &c.file.path)),
            &loaded
                .entries
                .iter()
                .map(|(e, _)| e.as_ref())
                .collect::<Vec<_>>(),
            &loaded
                .pages
                .iter()
                .map(|(p, _)| p.as_ref())
                .collect::<Vec<_>>(),
        ));
        loaded
    }

    /// The glossary and its entries' rendered bodies. A kept glossary is rebuilt only when an
    /// entry file changed, and an entry's body rendered again only when the change can reach
    /// it ([`affected`]). Returns how far the change reaches.
    fn glossary(
        &mut self,
        entries: Vec<(Cow<Entry>, u64)>,
        sources_changed: bool,
        diags: &mut Vec<Diagnostic>,
    ) -> Reach {
        let keep = self.keep;
        let hash = if keep {
            fp(&entries.iter().map(|(_, f)| *f).collect::<Vec<_>>())
        } else {
            0
        };
        let cm = self.memo.config.as_ref().expect("config first");
        let (config, routes) = (&cm.config, &cm.routes);
        let sources = &self.memo.sources.as_ref().expect("sources first").sources;
        let mut reach = Reach {
            all: sources_changed || !keep,
            changed: Vec::new(),
            touched: Touched::new(&affected::Changes::default()),
        };
        let old = self.memo.glossary.take();
        let (glossary, gdiags, old_renders, mut fps) = match old {
            Some(g) if g.hash == hash && keep => (g.glossary, g.diags, g.renders, g.fps),
            old => {
                let file_fps: HashMap<PathBuf, u64> = entries
                    .iter()
                    .map(|(e, f)| (e.file.path.clone(), *f))
                    .collect();
                let owned: Vec<Entry> = entries.into_iter().map(|(e, _)| e.into_owned()).collect();
                let (g, gd) = Glossary::new(owned, routes, |body| {
                    summary::first_sentence(&summary::first_paragraph(body))
                });
                let (renders, fps) = match old {
                    Some(o) => {
                        match affected::changed_entries(&o.glossary, &g) {
                            Some(c) => {
                                reach.touched = Touched::new(&c);
                                reach.changed = c.changed;
                            }
                            None => reach.all = true,
                        }
                        (o.renders, o.fps)
                    }
                    None => {
                        reach.all = true;
                        (Vec::new(), EntryFps::default())
                    }
                };
                let mut fps = fps;
                if keep {
                    fps.entries = (0..g.entries.len())
                        .map(|i| {
                            let e = &g.entries[i];
                            fp(&(file_fps.get(&e.file.path), &g.summaries[i], &g.urls[i]))
                        })
                        .collect();
                }
                (g, gd, renders, fps)
            }
        };
        diags.extend(gdiags.iter().cloned());
        let n = glossary.entries.len();
        let renders = if reach.any() || old_renders.len() != n {
            let all = reach.all || old_renders.len() != n;
            let redo: Vec<Option<Rendered>> = glossary
                .entries
                .par_iter()
                .enumerate()
                .map(|(i, e)| {
                    let again = all
                        || reach.touched.hits(&old_renders[i].mentions, &e.file.text)
                        // An entry's own page reads its own fields.
                        || reach.changed.binary_search(&i).is_ok();
                    again.then(|| {
                        markdown::render(
                            &Input::new(&e.file, &glossary, config, sources)
                                .own_entry(i)
                                .editorial(self.opts.editorial),
                        )
                    })
                })
                .collect();
            if keep {
                fps.renders.resize(n, 0);
                for (i, r) in redo.iter().enumerate() {
                    if let Some(r) = r {
                        fps.renders[i] = fp(&(&r.html, &r.notes, &r.works_cited));
                    }
                }
            }
            redo.into_iter()
                .zip(
                    old_renders
                        .into_iter()
                        .map(Some)
                        .chain(std::iter::repeat_with(|| None)),
                )
                .map(|(new, old)| new.or(old).unwrap_or_default())
                .collect()
        } else {
            old_renders
        };
        self.memo.glossary = Some(GlossaryMemo {
            hash,
            glossary,
            diags: gdiags,
            renders,
            fps,
        });
        reach
    }

    /// The free pages' rendered bodies, again when a page or the glossary changed.
    fn free_pages(&mut self, loaded: &Loaded, visible: &[&Page], glossary_changed: bool) {
        let hash = if self.keep {
            fp(&(
                loaded.pages.iter().map(|(_, f)| *f).collect::<Vec<_>>(),
                self.opts.drafts,
            ))
        } else {
            0
        };
        if !glossary_changed && self.memo.pages.as_ref().is_some_and(|(h, _)| *h == hash) {
            return;
        }
        let config = &self.memo.config.as_ref().expect("config first").config;
        let sources = &self.memo.sources.as_ref().expect("sources first").sources;
        let glossary = &self
            .memo
            .glossary
            .as_ref()
            .expect("glossary first")
            .glossary;
        let renders = visible
            .par_iter()
            .map(|p| {
                markdown::render(
                    &Input::new(&p.file, glossary, config, sources).editorial(self.opts.editorial),
                )
            })
            .collect();
        self.memo.pages = Some((hash, renders));
    }

    /// The search index's work, to run on any thread: `None` when the site has no index.
    /// A kept pipeline's runs leave the index to this, because it covers every page and
    /// takes longer than the pages an edit touches.
    pub fn search_job(&mut self) -> Option<SearchJob> {
        if !self.search_enabled() {
            return None;
        }
        let gm = self.memo.glossary.as_ref()?;
        let entries = self
            .memo
            .entry_search
            .get_or_insert_with(|| Arc::new(index::entries(&gm.glossary, &gm.renders)))
            .clone();
        Some(SearchJob {
            articles: self
                .memo
                .articles
                .iter()
                .map(|a| a.search.clone())
                .collect(),
            entries,
        })
    }

    /// The output files of the commentaries' search documents (the pages' own), which the
    /// index's files must not remove.
    pub fn search_docs(&self) -> HashSet<String> {
        (0..self.memo.articles.len())
            .map(Routes::search_doc)
            .collect()
    }
}

/// A search index to make from a snapshot of a pipeline's terms.
pub struct SearchJob {
    articles: Vec<crate::search::Terms>,
    entries: Arc<EntrySearch>,
}

impl SearchJob {
    /// Makes the index files and the glossary entries' documents.
    pub fn run(&self) -> SearchFiles {
        index::files(self.articles.iter(), &self.entries)
    }
}

/// The commentaries stage: each one's Markdown rendered (or kept), its page and search
/// document handed to the output as soon as they are made.
struct Articles<'a> {
    opts: &'a Options,
    keep: bool,
    config: &'a SiteConfig,
    routes: &'a Routes,
    glossary: &'a Glossary,
    sources: &'a Sources,
    base: &'a Base<'a>,
    /// The theme, when pages are written.
    theme: Option<&'a Theme>,
    sink: &'a dyn Sink,
}

impl Articles<'_> {
    /// Newest first; returns them with the number of Markdown renders.
    fn run(
        &self,
        commentaries: Vec<(Cow<Commentary>, u64)>,
        old: Vec<Article>,
        reach: &Reach,
        diags: &mut Vec<Diagnostic>,
    ) -> (Vec<Article>, usize) {
        let mut list: Vec<(Cow<Commentary>, u64)> = commentaries
            .into_iter()
            .filter(|(c, _)| self.opts.drafts || !c.draft)
            .collect();
        // Newest first; ties by title then slug, so the order never depends on the file
        // system.
        list.sort_by(|(a, _), (b, _)| {
            b.date
                .cmp(&a.date)
                .then_with(|| a.title.cmp(&b.title))
                .then_with(|| a.slug.cmp(&b.slug))
        });
        // Where each commentary was in the last run: usually where it is now.
        let same = |i: usize, p: &Path| old.get(i).is_some_and(|a| a.c.file.path == p);
        let mut at: Option<rustc_hash::FxHashMap<&OsStr, usize>> = None;
        let found: Vec<Option<usize>> = list
            .iter()
            .enumerate()
            .map(|(i, (c, _))| {
                if same(i, &c.file.path) {
                    return Some(i);
                }
                let at = at.get_or_insert_with(|| {
                    old.iter()
                        .enumerate()
                        .map(|(i, a)| (a.c.file.path.as_os_str(), i))
                        .collect()
                });
                at.get(c.file.path.as_os_str()).copied()
            })
            .collect();
        drop(at);
        let mut old: Vec<Option<Article>> = old.into_iter().map(Some).collect();
        let work: Vec<(usize, Cow<Commentary>, u64, Option<Article>)> = list
            .into_iter()
            .zip(found)
            .enumerate()
            .map(|(i, ((c, f), j))| (i, c, f, j.and_then(|j| old[j].take())))
            .collect();
        let results: Vec<(Article, bool, Vec<Diagnostic>)> = work
            .into_par_iter()
            .map(|(i, c, f, prev)| {
                let (mut a, rendered) = match prev {
                    Some(a)
                        if !reach.all
                            && a.fp.source == f
                            && (reach.changed.is_empty()
                                || !reach.touched.hits(&a.mentions, &c.file.text)) =>
                    {
                        (a, false)
                    }
                    _ => (self.render(c, f), true),
                };
                let mut d = if self.keep {
                    a.diags.clone()
                } else {
                    std::mem::take(&mut a.diags)
                };
                if let (Some(theme), false) = (self.theme, has_errors(&d)) {
                    d.extend(self.emit(theme, i, &mut a).err());
                }
                if !self.keep && i >= FEED_LEN {
                    a.body = None;
                }
                (a, rendered, d)
            })
            .collect();
        let mut articles = Vec::with_capacity(results.len());
        let mut renders = 0;
        for (a, rendered, d) in results {
            diags.extend(d);
            renders += usize::from(rendered);
            articles.push(a);
        }
        (articles, renders)
    }

    /// Renders a commentary's Markdown.
    fn render(&self, c: Cow<Commentary>, source: u64) -> Article {
        let r = markdown::render(
            &Input::new(&c.file, self.glossary, self.config, self.sources)
                .written(c.date)
                .article_autolink(c.autolink)
                .editorial(self.opts.editorial),
        );
        let url = self.routes.url(&Routes::commentary(&c.slug));
        let summary = c
            .summary
            .clone()
            .unwrap_or_else(|| summary::cut(&r.first_paragraph, 200));
        let (search, doc) = if self.config.search {
            index::commentary(&c, &url, &summary, &r)
        } else {
            Default::default()
        };
        let item = pages::commentary_item(self.routes, &c, &url, &summary);
        let Rendered {
            html,
            notes,
            mentions,
            words,
            mut diags,
            candidates,
            works_cited,
            ..
        } = r;
        if self.opts.editorial {
            // While the text is here (it is dropped below).
            diags.extend(claims::premature_in_force(&c, &self.glossary.entries));
        }
        let cited: Vec<String> = works_cited.iter().map(|(k, _)| k.clone()).collect();
        let body = Body {
            html,
            notes,
            words,
            works_cited,
        };
        let fp = if self.keep {
            ArticleFp {
                source,
                page: fp(&(source, &url, &summary, &body)),
                item: fp(&item),
                mentions: fp(&mentions),
                cited: fp(&cited),
                search: fp(&doc),
            }
        } else {
            ArticleFp::default()
        };
        let mut c = c.into_owned();
        c.file.text = String::new();
        Article {
            c,
            url,
            summary,
            mentions,
            candidates,
            cited,
            body: Some(body),
            item: Value::from_serialize(&item),
            search,
            search_doc: self.config.search.then_some(doc),
            diags,
            fp,
        }
    }

    /// Hands commentary `i`'s page and search document to the output, when it wants them.
    fn emit(&self, theme: &Theme, i: usize, a: &mut Article) -> Result<(), Diagnostic> {
        {
            let mut r = Reads::new(self.keep);
            let page = pages::commentary(self.base, a, &mut r);
            let rel = page.file();
            let key = r.key(&page.path, page.template);
            if self.sink.wants(&rel, key) {
                let html = page.render(theme)?;
                self.sink.put(&rel, key, html.into_bytes())?;
            }
        }
        if self.config.search {
            let rel = Routes::search_doc(i);
            let key = self.keep.then_some(a.fp.search);
            if self.sink.wants(&rel, key) {
                let doc = if self.keep {
                    a.search_doc.clone()
                } else {
                    a.search_doc.take()
                };
                self.sink.put(&rel, key, doc.unwrap_or_default())?;
            }
        }
        Ok(())
    }
}

/// Sorts the diagnostics and ends the output's run. With the search index made later (a
/// kept pipeline), its files are not the run's to remove.
fn finish(
    mut report: Report,
    mut diags: Vec<Diagnostic>,
    sink: &mut dyn Sink,
    search_later: bool,
) -> Report {
    let ok = !has_errors(&diags);
    let spare = |rel: &str| search_later && Routes::is_search_data(rel);
    match sink.finish(ok, &spare) {
        Ok(c) => report.changes = c,
        Err(d) => diags.push(d),
    }
    sort_diagnostics(&mut diags);
    report.ok = !has_errors(&diags);
    report.diags = diags;
    report
}

/// Free pages that are published, by title.
fn visible_pages<'a>(pages: &'a [(Cow<Page>, u64)], drafts: bool) -> Vec<&'a Page> {
    let mut v: Vec<&Page> = pages
        .iter()
        .map(|(p, _)| p.as_ref())
        .filter(|p| drafts || !p.draft)
        .collect();
    v.sort_by(|a, b| a.title.cmp(&b.title));
    v
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

/// The theme's static files and the generated syntax stylesheet, each stylesheet and script
/// also under its fingerprinted name, which the theme's `asset()` then returns. They are
/// known before any page renders, so pages can link the fingerprinted names.
fn theme_assets(theme: &mut Theme, diags: &mut Vec<Diagnostic>) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = vec![(
        routes::SYNTAX_CSS.into(),
        markdown::highlight::stylesheet().into_bytes(),
    )];
    match theme.static_files() {
        Ok(f) => files.extend(f.into_iter().map(|(p, b)| (slash(&p), b))),
        Err(d) => diags.push(d),
    }
    let (copies, map) = super::assets::fingerprint(&files);
    files.extend(copies);
    theme.set_assets(map);
    files
}

/// The files of `content/static/`; a kept pipeline reads one again only when it changed.
fn read_statics(
    root: &Path,
    statics: &[(PathBuf, PathBuf)],
    memo: &mut HashMap<PathBuf, (Stamp, Vec<u8>)>,
    keep: bool,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, Vec<u8>)> {
    let old = std::mem::take(memo);
    let mut out = Vec::new();
    for (src, rel) in statics {
        let st = if keep { stamp(src) } else { (None, 0) };
        let bytes = match old.get(src) {
            Some((s, b)) if fresh(s, &st) => b.clone(),
            _ => match std::fs::read(src) {
                Ok(b) => b,
                Err(e) => {
                    diags.push(Diagnostic::file(
                        codes::IO,
                        &shown(root, src.strip_prefix(root).unwrap_or(src)),
                        format!("cannot read the static file: {e}"),
                    ));
                    continue;
                }
            },
        };
        if keep {
            memo.insert(src.clone(), (st, bytes.clone()));
        }
        out.push((slash(rel), bytes));
    }
    out
}

fn slash(p: &Path) -> String {
    p.iter()
        .map(|s| s.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The site-wide files made from every page: the Atom feed, the sitemap, robots.txt.
fn site_files(
    config: &SiteConfig,
    routes: &Routes,
    articles: &[Article],
    sitemap: &[(String, Option<Date>)],
) -> Vec<(String, Vec<u8>)> {
    let feed_items: Vec<FeedItem> = articles
        .iter()
        .take(FEED_LEN)
        .map(|a| FeedItem {
            title: &a.c.title,
            url: &a.url,
            date: a.c.date,
            authors: &a.c.authors,
            summary: &a.summary,
            content: a.body.as_ref().map_or("", |b| b.html.as_str()),
        })
        .collect();
    let feed = feeds::atom(
        &FeedSite {
            title: &config.title,
            description: config.description.as_deref(),
            base_url: routes.base(),
            language: &config.language,
        },
        &feed_items,
    );
    vec![
        (routes::FEED.into(), feed.into_bytes()),
        (routes::SITEMAP.into(), feeds::sitemap(sitemap).into_bytes()),
        (
            routes::ROBOTS.into(),
            feeds::robots(routes.base()).into_bytes(),
        ),
    ]
}

/// The source file of each page rendered from Markdown: (output file, source path).
fn page_sources(
    articles: &[Article],
    glossary: &Glossary,
    pages: &[&Page],
) -> Vec<(String, PathBuf)> {
    let mut v: Vec<(String, PathBuf)> = articles
        .iter()
        .map(|a| {
            (
                Routes::file(&Routes::commentary(&a.c.slug)),
                a.c.file.path.clone(),
            )
        })
        .chain(glossary.entries.iter().map(|e| {
            (
                Routes::file(&Routes::entry(e.kind, &e.slug)),
                e.file.path.clone(),
            )
        }))
        .chain(
            pages
                .iter()
                .map(|p| (Routes::file(&Routes::page(&p.slug)), p.file.path.clone())),
        )
        .collect();
    v.sort();
    v
}

/// `check`'s editorial report: entries no commentary mentions, commentaries without a
/// summary, works never cited; returns the glossary coverage.
fn editorial(
    ctx: &Ctx,
    gm: &GlossaryMemo,
    articles: &[Article],
    page_renders: &[Rendered],
    sources: &Sources,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, Suggest, usize)> {
    let glossary = &gm.glossary;
    let backlinks = ctx.all_backlinks();
    for (i, e) in glossary.entries.iter().enumerate() {
        if backlinks[i].is_empty() {
            diags.push(Diagnostic::warning(
                codes::UNUSED_ENTRY,
                &e.file.path,
                0,
                0,
                format!(
                    "no commentary mentions `{}`; link it from a commentary or remove the entry",
                    e.name
                ),
            ));
        }
    }
    for a in articles {
        if a.c.summary.is_none() {
            diags.push(Diagnostic::warning(
                codes::NO_SUMMARY,
                &a.c.file.path,
                1,
                1,
                "the commentary has no `summary:`; lists and feeds use its first paragraph, cut at 200 characters (add one or two sentences)",
            ));
        }
    }
    let listed: Vec<String> = glossary
        .entries
        .iter()
        .flat_map(|e| cite_site::entry_keys(sources, e))
        .collect();
    let used = articles
        .iter()
        .flat_map(|a| a.cited.iter())
        .chain(
            gm.renders
                .iter()
                .chain(page_renders)
                .flat_map(|r| r.works_cited.iter().map(|(k, _)| k)),
        )
        .chain(&listed)
        .map(String::as_str);
    diags.extend(cite_site::unused(sources, used));
    diags.extend(claims::stale_parties(&glossary.entries, Date::today()));
    let covered = |name: &str| {
        !glossary.matcher.find(name).is_empty() || !glossary.quiet.find(name).is_empty()
    };
    coverage::report(articles.iter().map(|a| a.candidates.as_slice()), 2, covered)
}

/// Phase times on stderr when `SCHOLIA_SERVE_TRACE` is set, to see where a run goes.
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
