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
//! ([`output::LiveSink`]). A build with the build cache ([`cache`]) is a fresh pipeline that
//! keys its pages like a kept one and takes commentaries' renders from the cache. The output
//! is byte for byte the same every way: the equivalence tests in `tests.rs` compare a kept
//! pipeline, and a cached build per step, with fresh ones after random edits.

mod articles;
pub mod cache;
mod extras;
mod files;
mod glossary;
mod langs;
mod setup;

use super::affected::{self, Surfaces, Touched};
use super::card;
use super::claims;
use super::ctx::{
    self, fp, Article, ArticleFp, Base, Body, CorrectionOut, Ctx, EntryFps, Reads, Term,
};
use super::feeds::{self, FeedItem, FeedSite};
use super::index::{self, EntrySearch, SearchFiles};
use super::output::{Changes, Sink};
use super::pages::{self, PageKind};
use super::pdf::{self as site_pdf, PdfSetup, PrintSite};
use super::sources as cite_site;
use crate::citable;
use crate::cite::Sources;
use crate::codes;
use crate::config::{self, SiteConfig};
use crate::content::discover::{self, shown, Parsed, Scan, Section};
use crate::content::{self, parties, Commentary, Date, Entry, Kind, Page, Taxonomy, Text};
use crate::error::{has_errors, Diagnostic};
use crate::glossary::coverage::{self, Suggest};
use crate::glossary::Glossary;
use crate::markdown::{self, summary, Input, Mention, Rendered};
use crate::routes::{self, Routes};
use crate::theme::Theme;
use articles::Articles;
use extras::{
    editorial, global_files, page_sources, put_all, put_parts, read_statics, render_pages,
    site_files, sitemap,
};
use langs::{Lang, LangMemo, Prefixed};
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
    /// Where the run is, for a progress line.
    pub progress: Option<Arc<crate::progress::Progress>>,
    /// Make no PDFs, whatever the configuration says (`serve` without `--pdf`).
    pub skip_pdf: bool,
    /// Render every commentary for print and typeset none on its own: `scholia pdf` takes
    /// the documents from a kept pipeline ([`Pipeline::print_docs`]).
    pub print_all: bool,
    /// Tests: write each PDF's key in place of the PDF (the equivalence test compares keys).
    pub pdf_stand_in: bool,
    /// Tests: the number of commentaries in the feed, when not [`FEED_LEN`] (the build
    /// cache's test makes most of a small site's commentaries older than the feed).
    pub feed_len: Option<usize>,
}

impl Options {
    fn feed_len(&self) -> usize {
        self.feed_len.unwrap_or(FEED_LEN)
    }
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
    /// Content files read (a kept pipeline's unchanged files and, with the build cache,
    /// commentary files whose stamp it holds are not).
    pub content_reads: usize,
    /// HTML pages rendered.
    pub pages_rendered: usize,
    /// Files written and removed (a kept output only).
    pub changes: Changes,
    /// Time taken (set by the caller).
    pub elapsed: std::time::Duration,
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
    /// The link cards' fonts (`None` with `cards: false`).
    fonts: Option<card::Fonts>,
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
    /// The theme's text in each language, the default one first, and problems with it.
    texts: Vec<crate::theme::i18n::Text>,
    text_diags: Vec<Diagnostic>,
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
    /// Per language, the default one first: glossary, pages, articles, terms.
    langs: Vec<LangMemo>,
    /// What this run's PDFs need (read again every run: the template is one small file).
    pdf: Option<PdfSetup>,
}

/// A site's pipeline: its options and what it keeps between runs.
pub struct Pipeline {
    opts: Options,
    keep: bool,
    /// Whether pages and files are keyed (their inputs fingerprinted), so that an output
    /// that already holds one as this run would make it takes it as it is: a kept
    /// pipeline's, and a build's with a cache.
    keyed: bool,
    /// The build cache, when the build has one.
    cache: Option<cache::Caches>,
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

    /// A full build's pipeline with the build cache of the site ([`cache`]): commentaries
    /// it holds are not rendered again, and files keyed as the output already has them are
    /// taken from it.
    pub fn cached(opts: Options) -> Pipeline {
        let cache = cache::Caches::new(&opts.root);
        let mut p = Pipeline::new(opts, false);
        p.keyed = true;
        p.cache = Some(cache);
        p
    }

    /// `serve`'s pipeline on a site whose last session left its cache ([`cache::SERVE`]): the
    /// first run takes commentaries from it, as a cached build does, and saves it again for
    /// the next session ([`Pipeline::save_cache`]); later runs go on as a kept pipeline's.
    pub fn kept_cached(opts: Options) -> Pipeline {
        let cache = cache::Caches::for_serve(&opts.root);
        let mut p = Pipeline::new(opts, true);
        p.cache = Some(cache);
        p
    }

    /// Takes every file as settled for the build cache's stamps ([`cache::FileStamp::of`])
    /// as if the build ran at `t`: for tests, whose files change within seconds (each write
    /// given a modification time of its own).
    #[cfg(test)]
    pub(crate) fn settle_stamps_at(&mut self, t: std::time::SystemTime) {
        if let Some(c) = &mut self.cache {
            c.began = t;
        }
    }

    /// Writes the build cache for the next build (after a run that succeeded); a warning
    /// when it cannot be written.
    pub fn save_cache(&self) -> Option<Diagnostic> {
        self.cache.as_ref().and_then(cache::Caches::save)
    }

    /// Stops using the cache (a kept pipeline after its first run: the memo has it all, and
    /// saving every run's records would cost a save what a build costs).
    pub fn drop_cache(&mut self) {
        self.cache = None;
    }

    fn new(opts: Options, keep: bool) -> Pipeline {
        let canonical_root = opts
            .root
            .canonicalize()
            .unwrap_or_else(|_| opts.root.clone());
        Pipeline {
            opts,
            keep,
            keyed: keep,
            cache: None,
            memo: Memo::default(),
            canonical_root,
        }
    }

    /// Makes no PDFs (`true`), or those the configuration asks for.
    pub fn skip_pdf(&mut self, skip: bool) {
        self.opts.skip_pdf = skip;
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
        let progress = self.opts.progress.clone();
        let enter = |name: &'static str, total: usize| {
            if let Some(p) = &progress {
                p.stage(name, total);
            }
        };
        enter("reading the configuration", 0);
        let mut diags = Vec::new();
        let mut report = Report::default();
        diags.extend(sink.check());
        let sources_changed = self.config(&mut diags) | self.sources(&mut diags);
        self.theme(&mut diags);
        trace.lap("config, sources, theme");
        enter("reading content", 0);
        let Some(mut files) = self.content(changed, &mut diags, &mut report.content_reads) else {
            return finish(report, diags, sink, false, &[]);
        };
        trace.lap("content");
        let cm = self.memo.config.as_ref().expect("set by the config stage");
        let langs = Lang::all(&cm.config, &cm.routes);
        let codes: Vec<String> = langs.iter().skip(1).map(|l| l.code.clone()).collect();
        let file_langs = cm.config.codes();
        enter("the glossary", 0);
        let mut loaded = self.loaded(&mut files, &mut diags);
        let mut parts = langs::split(&mut loaded, &langs, &mut diags);
        // Duplicate slugs within each language; dangling slugs in the originals (only they
        // name other entries).
        for (lang, part) in langs.iter().zip(&parts) {
            let entries: Vec<&Entry> = part
                .entries
                .iter()
                .map(|(e, _)| e.as_ref())
                .filter(|e| e.lang.as_deref() == lang.other())
                .collect();
            let pages: Vec<&Page> = part.pages.iter().map(|(p, _)| p.as_ref()).collect();
            diags.extend(content::check_parts(
                part.commentaries
                    .iter()
                    .map(|(c, _)| (c.slug.as_str(), &c.file.path)),
                &entries,
                &pages,
            ));
        }
        diags.extend(langs::pages_on_language_folders(&parts, &langs));
        let alternates = langs::alternates(&parts, &langs, self.opts.drafts);
        if self.opts.editorial {
            diags.extend(langs::missing_translations(
                &parts,
                &langs,
                self.opts.drafts,
            ));
        }
        self.memo.langs.resize_with(langs.len(), LangMemo::default);
        let mut writing = false;
        let mut sitemap_all: Vec<(String, Option<Date>)> = Vec::new();
        let mut lang_memos = std::mem::take(&mut self.memo.langs);
        let mut reaches = Vec::new();
        // The glossaries and free pages of every language first: their errors stop the
        // run before anything is written.
        for (li, ((lang, lm), part)) in langs
            .iter()
            .zip(lang_memos.iter_mut())
            .zip(&mut parts)
            .enumerate()
        {
            let entries = std::mem::take(&mut part.entries);
            let text = self.memo.theme.texts.get(li).cloned().unwrap_or_default();
            let reach = self.glossary(lm, lang, entries, text, sources_changed, &mut diags);
            let page_list = visible_pages(&part.pages, self.opts.drafts);
            self.free_pages(lm, part, &page_list, reach.any());
            let gm = lm.glossary.as_ref().expect("set by the glossary stage");
            let page_renders: &[Rendered] = &lm.pages.as_ref().expect("set by free_pages").1;
            for r in gm.renders.iter().chain(page_renders) {
                diags.extend(r.diags.iter().cloned());
            }
            if lang.is_default() {
                let sources = &self.memo.sources.as_ref().expect("sources").sources;
                diags.extend(cite_site::check_entries(sources, &gm.glossary.entries));
            }
            reaches.push(reach);
        }
        trace.lap("glossary, entries and pages");

        let keep = self.keep;
        let keyed = self.keyed;
        let search_later = keep && self.search_enabled();
        let Memo {
            config: config_memo,
            sources: sources_memo,
            theme,
            content: content_memo,
            pdf: pdf_memo,
            ..
        } = &mut self.memo;
        let cm = config_memo.as_ref().expect("set by the config stage");
        let sm = sources_memo.as_ref().expect("set by the sources stage");
        let sources = &sm.sources;
        // PDFs are set up once for the site (their template, fonts and options), before
        // anything is written: a bad font stops the run.
        let site_config = &cm.config;
        let any_asks = || {
            parts
                .iter()
                .any(|p| p.commentaries.iter().any(|(c, _)| c.pdf == Some(true)))
        };
        *pdf_memo = match &theme.theme {
            Some(t)
                if self.opts.print_all
                    || (!self.opts.skip_pdf && (site_config.pdf.enabled || any_asks())) =>
            {
                PdfSetup::load(&self.opts.root, site_config, t, &mut diags)
            }
            _ => None,
        };
        if theme.theme.is_some() && !has_errors(&diags) {
            if let Err(d) = sink.begin() {
                diags.push(d);
                self.memo.langs = lang_memos;
                return finish(report, diags, sink, search_later, &codes);
            }
            writing = true;
        }
        let mut extras: Vec<(String, Vec<u8>)> = Vec::new();
        // A full build's search index, its shards compressed only when the output wants them.
        let mut search_parts: Vec<(String, crate::search::Part)> = Vec::new();
        let mut site_file_count = 0;
        let no_text = crate::theme::i18n::Text::new();
        for (li, (((lang, lm), part), reach)) in langs
            .iter()
            .zip(lang_memos.iter_mut())
            .zip(parts)
            .zip(&reaches)
            .enumerate()
        {
            let text = theme.texts.get(li).unwrap_or(&no_text);
            let (config, routes) = (&lang.config, &lang.routes);
            let prefixed = Prefixed {
                inner: &*sink,
                prefix: &lang.prefix,
            };
            let out: &dyn Sink = if lang.is_default() { &*sink } else { &prefixed };
            let LangMemo {
                glossary,
                pages: page_memo,
                articles: kept_articles,
                entry_search,
                terms: terms_memo,
            } = lm;
            let gm = glossary.as_ref().expect("set by the glossary stage");
            let page_renders: &[Rendered] = &page_memo.as_ref().expect("set by free_pages").1;
            let page_list = visible_pages(&part.pages, self.opts.drafts);
            let site =
                pages::site_view(config, routes, &page_list, !sources.keys().is_empty(), text);
            // The theme's hash and this binary's, for keys compared with another process's.
            let global = if keyed {
                fp(&(
                    theme.epoch,
                    theme.hash,
                    cache::binary(),
                    cm.hash,
                    sm.hash,
                    &site,
                ))
            } else {
                0
            };
            let base = Base::new(
                config,
                routes,
                sources,
                Value::from_serialize(&site),
                text,
                global,
            )
            .with_alternates(&alternates, &lang.code);
            // Everything a commentary's render reads but its own file and the glossary.
            let world = fp(&(
                (cache::binary(), &lang.code, cm.hash, sm.hash, theme.hash),
                (self.opts.editorial, self.opts.drafts),
                pdf_memo.as_ref().map(PdfSetup::fingerprint),
                cm.fonts.as_ref().map(card::Fonts::fingerprint),
            ));
            let cached = self.cache.as_ref().map(|c| {
                // The previous build's glossary: records rendered with it that its changes
                // do not reach are taken too.
                let before: Option<(u64, Surfaces)> = c.glossary.get(world);
                let since = before
                    .filter(|(h, _)| *h != gm.hash)
                    .and_then(|(h, old)| Some((h, Touched::new(&old.changes_to(&gm.glossary)?))));
                c.glossary
                    .put(world, &(gm.hash, Surfaces::of(&gm.glossary)));
                articles::CacheUse {
                    cache: &c.articles,
                    world,
                    glossary: gm.hash,
                    since,
                }
            });
            let stage = Articles {
                opts: &self.opts,
                keep,
                keyed,
                cache: cached,
                config,
                file_langs: &file_langs,
                routes,
                glossary: &gm.glossary,
                sources,
                base: &base,
                fonts: cm.fonts.as_ref(),
                text,
                theme: theme.theme.as_ref().filter(|_| writing),
                sink: out,
                pdf: pdf_memo.as_ref(),
            };
            let old = std::mem::take(kept_articles);
            let drafts = self.opts.drafts;
            let published = part.commentaries.iter().filter(|(c, _)| drafts || !c.draft);
            enter("commentaries", published.count());
            let (articles, renders) = stage.run(part.commentaries, old, reach, &mut diags);
            report.markdown_renders += renders;
            trace.lap("articles");

            let theme_ref = theme.theme.as_ref().filter(|_| !has_errors(&diags));
            if let Some(theme_ref) = theme_ref {
                enter("pages", 0);
                // Tags and authors change only with the list of items (which carries them).
                let order =
                    keep.then(|| fp(&articles.iter().map(|a| a.fp.item).collect::<Vec<_>>()));
                let terms = match terms_memo.take() {
                    Some((k, t)) if Some(k) == order => t,
                    _ => Taxonomy::ALL.map(|t| ctx::terms(&articles, t)),
                };
                let ctx = Ctx::new(
                    &base,
                    &gm.glossary,
                    &articles,
                    (&gm.renders, keyed.then_some(&gm.fps)),
                    &page_list,
                    page_renders,
                    terms,
                );
                let jobs = pages::jobs(&ctx, lang.is_default());
                render_pages(&ctx, &jobs, theme_ref, out, keyed, &mut report, &mut diags);
                report.counts.commentaries += articles.len();
                trace.lap("pages");
                if self.opts.editorial && lang.is_default() {
                    report.coverage =
                        editorial(&ctx, gm, &articles, page_renders, sources, &mut diags);
                }
                if !keep {
                    report.sources.extend(
                        page_sources(&articles, &gm.glossary, &page_list)
                            .into_iter()
                            .map(|(f, p)| (format!("{}{f}", lang.prefix), p)),
                    );
                }
                sitemap_all.extend(sitemap(&ctx, &jobs, &articles, routes));
                if let Some(k) = order {
                    *terms_memo = Some((k, ctx.into_terms()));
                }
                let files = site_files(config, routes, &articles, self.opts.feed_len());
                // Counted without the search index, which grows with the content.
                site_file_count += files.len();
                if !keep && config.search {
                    enter("the search index", 0);
                    let entries = index::entries(&gm.glossary, &gm.renders);
                    let parts = index::parts(articles.iter().map(|a| &a.search), &entries);
                    search_parts.extend(
                        parts
                            .into_iter()
                            .map(|(p, part)| (format!("{}{p}", lang.prefix), part)),
                    );
                }
                extras.extend(
                    files
                        .into_iter()
                        .map(|(p, b)| (format!("{}{p}", lang.prefix), b)),
                );
            }
            if keep {
                if reach.any() {
                    *entry_search = None;
                }
                *kept_articles = articles;
            }
        }
        if theme.theme.is_some() && !has_errors(&diags) {
            let routes = &cm.routes;
            report.base_url = routes.base().to_string();
            // The sitemap, robots.txt, stylesheets and static files: one for the site.
            extras.extend(global_files(routes, &sitemap_all, &alternates));
            extras.extend(theme.assets.iter().cloned());
            let statics = read_statics(
                &self.opts.root,
                &loaded.statics,
                &mut content_memo.statics,
                keep,
                &mut diags,
            );
            // The sitemap and robots.txt, the feeds, the theme's files and the site's.
            report.counts.statics = 2 + site_file_count + theme.assets.len() + statics.len();
            extras.extend(statics);
            put_all(extras, &*sink, keyed, &mut diags);
            put_parts(search_parts, &*sink, keyed, &mut diags);
            trace.lap("extras");
        }
        if keep {
            content_memo.files = files;
        }
        diags.extend(self.cache.iter().flat_map(cache::Caches::warnings));
        self.memo.langs = lang_memos;
        enter("writing", 0);
        finish(report, diags, sink, search_later, &codes)
    }

    /// Reports where each run is to `progress` from now on.
    pub fn set_progress(&mut self, progress: Option<Arc<crate::progress::Progress>>) {
        self.opts.progress = progress;
    }

    /// The search index's work, to run on any thread: `None` when the site has no index.
    /// A kept pipeline's runs leave the index to this, because it covers every page and
    /// takes longer than the pages an edit touches.
    pub fn search_job(&mut self) -> Option<SearchJob> {
        if !self.search_enabled() {
            return None;
        }
        let cm = self.memo.config.as_ref()?;
        let prefixes: Vec<String> = std::iter::once(String::new())
            .chain(cm.config.languages.iter().map(|l| format!("{}/", l.code)))
            .collect();
        let mut parts = Vec::new();
        for (lm, prefix) in self.memo.langs.iter_mut().zip(prefixes) {
            let gm = lm.glossary.as_ref()?;
            let entries = lm
                .entry_search
                .get_or_insert_with(|| Arc::new(index::entries(&gm.glossary, &gm.renders)))
                .clone();
            parts.push(SearchPart {
                prefix,
                articles: lm.articles.iter().map(|a| a.search.clone()).collect(),
                entries,
            });
        }
        Some(SearchJob { parts })
    }

    /// The default language's commentaries' print documents, newest first, and what
    /// typesets them: after a run of a kept pipeline with `print_all`.
    pub fn print_docs(&self) -> Option<(&PdfSetup, Vec<&site_pdf::PdfDoc>)> {
        let setup = self.memo.pdf.as_ref()?;
        Some((
            setup,
            self.memo
                .langs
                .first()?
                .articles
                .iter()
                .filter_map(|a| a.pdf.as_ref())
                .collect(),
        ))
    }

    /// The output files of the commentaries' search documents (the pages' own), which the
    /// index's files must not remove.
    pub fn search_docs(&self) -> HashSet<String> {
        let Some(cm) = self.memo.config.as_ref() else {
            return HashSet::new();
        };
        let prefixes = std::iter::once(String::new())
            .chain(cm.config.languages.iter().map(|l| format!("{}/", l.code)));
        prefixes
            .zip(&self.memo.langs)
            .flat_map(|(p, lm)| {
                (0..lm.articles.len()).map(move |i| format!("{p}{}", Routes::search_doc(i)))
            })
            .collect()
    }

    /// The codes of the site's other languages (their output folders), as of the last run.
    pub fn lang_codes(&self) -> Vec<String> {
        self.memo
            .config
            .as_ref()
            .map(|c| c.config.languages.iter().map(|l| l.code.clone()).collect())
            .unwrap_or_default()
    }
}

/// One language's part of a search job.
struct SearchPart {
    prefix: String,
    articles: Vec<crate::search::Terms>,
    entries: Arc<EntrySearch>,
}

/// A search index to make from a snapshot of a pipeline's terms: one per language.
pub struct SearchJob {
    parts: Vec<SearchPart>,
}

impl SearchJob {
    /// Makes the index files and the glossary entries' documents of every language.
    pub fn run(&self) -> SearchFiles {
        self.parts
            .iter()
            .flat_map(|p| {
                index::files(p.articles.iter(), &p.entries)
                    .into_iter()
                    .map(|(f, b)| (format!("{}{f}", p.prefix), b))
            })
            .collect()
    }
}

/// Sorts the diagnostics and ends the output's run. With the search index made later (a
/// kept pipeline), its files are not the run's to remove.
fn finish(
    mut report: Report,
    mut diags: Vec<Diagnostic>,
    sink: &mut dyn Sink,
    search_later: bool,
    langs: &[String],
) -> Report {
    let ok = !has_errors(&diags);
    let spare = |rel: &str| search_later && Routes::is_search_data_in(rel, langs);
    match sink.finish(ok, &spare) {
        Ok(c) => report.changes = c,
        Err(d) => diags.push(d),
    }
    crate::error::sort(&mut diags);
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

/// Phase times on stderr when `SCHOLIA_SERVE_TRACE` is set, to see where a run goes.
pub(crate) struct Trace {
    on: bool,
    last: Instant,
}

impl Trace {
    pub(crate) fn new() -> Trace {
        Trace {
            on: std::env::var_os("SCHOLIA_SERVE_TRACE").is_some(),
            last: Instant::now(),
        }
    }

    pub(crate) fn lap(&mut self, what: &str) {
        if self.on {
            eprintln!(
                "  {what}: {:.1} ms",
                self.last.elapsed().as_secs_f64() * 1e3
            );
            self.last = Instant::now();
        }
    }
}
