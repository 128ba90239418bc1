//! `build` and `check`: the pipeline with an empty memo, writing into a staging folder that
//! is swapped in place of the output only when nothing failed.

use super::output::StagingSink;
use super::pipeline::{Options, Pipeline, Report};
use crate::error::Diagnostic;
use crate::progress::{Progress, Ticker};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Site root.
    pub root: PathBuf,
    /// Output folder; `root/site` when none.
    pub out: Option<PathBuf>,
    /// Overrides `base_url`.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Also report the editorial state (`check`): unused entries, missing summaries, plain
    /// mentions of explicit-only entries, glossary coverage.
    pub editorial: bool,
    /// Use the build cache (`.scholia-cache/`); never in `check`, which writes nothing.
    pub cache: bool,
}

impl BuildOptions {
    /// The output folder: `--out`, or `site/` in the root.
    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("site"))
    }
}

/// Builds (or checks) a site. Returns the report when it succeeded, and every diagnostic.
pub fn build(opts: &BuildOptions) -> (Option<Report>, Vec<Diagnostic>) {
    let start = Instant::now();
    let cached = opts.cache && !opts.editorial;
    let mut sink = StagingSink::new(&opts.out_dir(), &opts.root);
    if cached {
        sink = sink.in_place();
    }
    let progress = Arc::new(Progress::default());
    let options = Options {
        root: opts.root.clone(),
        drafts: opts.drafts,
        base_url: opts.base_url.clone(),
        editorial: opts.editorial,
        progress: Some(progress.clone()),
        skip_pdf: false,
        print_all: false,
        pdf_stand_in: false,
        feed_len: None,
    };
    let mut pipeline = if cached {
        Pipeline::cached(options)
    } else {
        Pipeline::fresh(options)
    };
    let ticker = Ticker::start(progress);
    let mut report = pipeline.run(None, &mut sink);
    drop(ticker);
    if report.ok {
        report.diags.extend(pipeline.save_cache());
    }
    report.elapsed = start.elapsed();
    let diags = std::mem::take(&mut report.diags);
    (report.ok.then_some(report), diags)
}
