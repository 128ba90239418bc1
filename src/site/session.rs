//! `serve`'s side of the pipeline: one [`Pipeline`] kept between rebuilds, writing into the
//! live folder the server reads, and the search index made apart from the pages.

use super::index::SearchFiles;
use super::output::{Dir, LiveSink};
use super::pipeline::{self, Options, Pipeline};
use crate::error::Diagnostic;
use crate::progress::Progress;
use crate::routes::Routes;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

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
    pipeline: Pipeline,
    sink: LiveSink<Dir>,
    /// Counts rebuilds, so that a search index made from an older one is not written.
    generation: u64,
    /// Whether the search index is behind the pages.
    search_dirty: bool,
    /// Whether the pipeline still has its cache (until its first run).
    cached: bool,
}

/// What a session builds: the site at `root`, PDFs only when asked (`serve --pdf`).
fn options(root: &Path, drafts: bool, base_url: Option<String>) -> Options {
    Options {
        root: root.to_path_buf(),
        drafts,
        base_url,
        editorial: false,
        progress: None,
        skip_pdf: true,
        print_all: false,
        pdf_stand_in: false,
        feed_len: None,
    }
}

/// A search index to make on any thread (see [`Session::search_job`]).
pub struct SearchJob {
    generation: u64,
    job: pipeline::SearchJob,
}

impl SearchJob {
    /// The rebuild it was taken after, for [`Session::apply_search`].
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Makes the index files and the glossary entries' documents.
    pub fn run(&self) -> SearchFiles {
        self.job.run()
    }
}

impl Session {
    /// A session that has built nothing yet. `out` must be a folder only this session
    /// writes; `base_url` overrides the config's, as `build --base-url` does. The link cards
    /// of the site's last build (`site/`), when there is one, are taken where they are
    /// still current, so that the first run does not draw them all again.
    pub fn new(root: &Path, out: &Path, drafts: bool, base_url: Option<String>) -> Session {
        Session {
            pipeline: Pipeline::kept(options(root, drafts, base_url)),
            sink: LiveSink::seeded(Dir(out.to_path_buf()), &root.join("site")),
            generation: 0,
            search_dirty: true,
            cached: false,
        }
    }

    /// A session written to the site's own preview folder, `.scholia-cache/serve/site`,
    /// which outlives it: the first run takes from it every file whose key has not changed,
    /// and the commentaries from the cache the last session saved beside it, so that
    /// `serve` on a site it served before starts in about a second. The caller makes sure no
    /// other session uses the folder. `None` when it cannot be used (it cannot be written).
    pub fn persistent(root: &Path, drafts: bool, base_url: Option<String>) -> Option<Session> {
        let dir = Session::folder(root);
        let mut trace = pipeline::Trace::new();
        let sink = LiveSink::resumed(
            Dir(dir.join("site")),
            &dir.join("site.keys"),
            &root.join("site"),
        )?;
        trace.lap("the last session's output");
        Some(Session {
            pipeline: Pipeline::kept_cached(options(root, drafts, base_url)),
            sink,
            generation: 0,
            search_dirty: true,
            cached: true,
        })
    }

    /// The folder of [`Session::persistent`]: its output, the output's keys and its cache.
    pub fn folder(root: &Path) -> PathBuf {
        root.join(pipeline::cache::DIR).join(pipeline::cache::SERVE)
    }

    /// Makes PDFs too (`serve --pdf`).
    pub fn pdf(mut self, on: bool) -> Session {
        self.pipeline.skip_pdf(!on);
        self
    }

    /// The folder the site is written to.
    pub fn out(&self) -> &Path {
        &self.sink.store().0
    }

    /// Reports where each rebuild is to `progress` (for a progress line).
    pub fn set_progress(&mut self, progress: Option<Arc<Progress>>) {
        self.pipeline.set_progress(progress);
    }

    /// Brings the output up to date with the files on disk, search index included.
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
        let mut report = self.pipeline.run(changed, &mut self.sink);
        if std::mem::take(&mut self.cached) {
            let mut trace = pipeline::Trace::new();
            if report.ok {
                report.diags.extend(self.pipeline.save_cache());
            }
            self.pipeline.drop_cache();
            trace.lap("the cache saved");
        }
        let c = report.changes;
        self.search_dirty |= report.ok && (!c.written.is_empty() || !c.removed.is_empty());
        Outcome {
            diags: report.diags,
            ok: report.ok,
            written: c.written,
            removed: c.removed,
            markdown_renders: report.markdown_renders,
            pages_rendered: report.pages_rendered,
            elapsed: start.elapsed(),
        }
    }

    /// Brings the search index up to date with the pages of the last successful rebuild;
    /// adds what it writes and removes to `out`.
    pub fn finish_search(&mut self, out: &mut Outcome) {
        if let Some(job) = self.search_job() {
            let mut trace = pipeline::Trace::new();
            let generation = job.generation;
            let files = job.run();
            trace.lap("the search index made");
            self.apply_search(generation, files, out);
            trace.lap("the search index written");
        }
    }

    /// The work of [`Session::finish_search`] that needs no session, to run on another
    /// thread while the session goes on rebuilding pages; `None` when the index is current.
    pub fn search_job(&mut self) -> Option<SearchJob> {
        if !self.search_dirty {
            return None;
        }
        let job = self.pipeline.search_job()?;
        Some(SearchJob {
            generation: self.generation,
            job,
        })
    }

    /// Writes what a [`SearchJob`] made, unless a rebuild happened since it started (then
    /// the index stays due, for a new job).
    pub fn apply_search(&mut self, generation: u64, files: SearchFiles, out: &mut Outcome) {
        if generation != self.generation {
            return;
        }
        let docs = self.pipeline.search_docs();
        let langs = self.pipeline.lang_codes();
        let is_data = |rel: &str| Routes::is_search_data_in(rel, &langs);
        let (changes, diags) = self.sink.apply(files, is_data, &docs);
        out.written.extend(changes.written);
        out.removed.extend(changes.removed);
        out.written.sort();
        out.removed.sort();
        self.search_dirty = !diags.is_empty();
        out.ok &= diags.is_empty();
        out.diags.extend(diags);
    }
}
