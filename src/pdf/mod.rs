//! PDF output: Typst, used as a library, typesets a commentary (or a collection of them) from
//! Typst markup that [`markup`] writes out of the same rendered Markdown the page shows.
//!
//! A document is two sources: the generated `/main.typ` (the content, and a call to the
//! template with the title block's values) and `/template.typ` (the theme's
//! `pdf/commentary.typ`: page, fonts, title block, footer). Fonts are embedded in the binary
//! (Libertinus Serif for text, DejaVu Sans Mono for code, from `typst-assets`) and a site adds
//! its own with `pdf.fonts:`. Nothing here reads files but the configured fonts.

pub mod document;
pub mod markup;

use crate::config::PdfStandard;
use std::collections::HashMap;
use std::collections::VecDeque;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Condvar, LazyLock, Mutex, PoisonError};
use std::time::Duration;
use typst::diag::{FileError, FileResult, Severity, Warned};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;

/// The theme's layout file, relative to a theme or templates folder.
pub const TEMPLATE: &str = "pdf/commentary.typ";

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

static EMBEDDED: LazyLock<Vec<Font>> = LazyLock::new(|| {
    typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect()
});

/// The fonts a document may use: the embedded ones, then the site's. Cheap to clone (a
/// document takes its own handle to the typesetter's thread).
#[derive(Clone)]
pub struct Fonts {
    shared: Arc<(Vec<Font>, LazyHash<FontBook>)>,
    /// Fingerprint of the site's font files (part of every PDF's key).
    pub fp: u64,
}

impl Fonts {
    /// The embedded fonts and the files given; returns the problems of each file that is not
    /// a font: (path as given, message).
    pub fn load(root: &Path, paths: &[PathBuf]) -> (Fonts, Vec<(PathBuf, String)>) {
        let mut fonts = EMBEDDED.clone();
        let mut problems = Vec::new();
        let mut h = std::hash::DefaultHasher::new();
        for p in paths {
            match std::fs::read(root.join(p)) {
                Ok(data) => {
                    std::hash::Hash::hash(&data, &mut h);
                    let found: Vec<Font> = Font::iter(Bytes::new(data)).collect();
                    if found.is_empty() {
                        problems.push((
                            p.clone(),
                            "is not an OpenType or TrueType font; give a static .otf or .ttf file"
                                .to_string(),
                        ));
                    }
                    fonts.extend(found);
                }
                Err(e) => problems.push((p.clone(), format!("cannot be read: {e}"))),
            }
        }
        let book = LazyHash::new(FontBook::from_fonts(&fonts));
        let fp = std::hash::Hasher::finish(&h);
        (
            Fonts {
                shared: Arc::new((fonts, book)),
                fp,
            },
            problems,
        )
    }

    /// The embedded fonts only.
    pub fn embedded() -> Fonts {
        Fonts::load(Path::new("."), &[]).0
    }

    /// Whether some font has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.shared
            .0
            .iter()
            .any(|f| f.info().coverage.contains(c as u32))
    }
}

/// How to write the PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Options {
    /// The standard to conform to.
    pub standard: PdfStandard,
}

/// A problem Typst found: in the generated source (`main`, with a byte range into it) or in
/// the template.
#[derive(Debug, Clone)]
pub struct Problem {
    /// Whether it is in the generated source (else in the template or nowhere).
    pub in_main: bool,
    /// Byte range in its file, when known.
    pub range: Option<Range<usize>>,
    /// Line (1-based) in the template, when it is there.
    pub template_line: Option<usize>,
    /// Typst's message, with its hints.
    pub message: String,
}

struct Doc {
    main: Source,
    template: Source,
    fonts: Fonts,
    today: Option<Datetime>,
}

fn file_id(path: &str) -> FileId {
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(path).expect("a fixed path is valid"),
    )
    .intern()
}

static MAIN: LazyLock<FileId> = LazyLock::new(|| file_id("/main.typ"));
static TEMPLATE_ID: LazyLock<FileId> = LazyLock::new(|| file_id("/template.typ"));

impl World for Doc {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.shared.1
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else if id == self.template.id() {
            Ok(self.template.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, _: FileId) -> FileResult<Bytes> {
        // Documents read no files: images are not embedded (their alt text stands in).
        Err(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.shared.0.get(index).cloned()
    }

    fn today(&self, _: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}

/// Typesets `main` (which imports `/template.typ`) into a PDF.
pub fn compile(
    main: &str,
    template: &str,
    fonts: &Fonts,
    opts: Options,
    ident: &str,
) -> Result<Vec<u8>, Vec<Problem>> {
    let doc = Doc {
        main: Source::new(*MAIN, main.to_string()),
        template: Source::new(*TEMPLATE_ID, template.to_string()),
        fonts: fonts.clone(),
        today: None,
    };
    let ident = ident.to_string();
    let failed = |why: &str| {
        vec![Problem {
            in_main: false,
            range: None,
            template_line: None,
            message: format!("the typesetter failed ({why})"),
        }]
    };
    if let Err(e) = &*POOL {
        return Err(failed(e));
    }
    let (tx, rx) = mpsc::sync_channel(1);
    QUEUE.push(Box::new(move || {
        // A panic (Typst can panic on input it does not expect) must not take the build
        // down with it, nor leave a broken file: it is reported like any other problem.
        let run =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| typeset(&doc, opts, &ident)));
        let result = run.unwrap_or_else(|panic| {
            let why = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("unknown");
            Err(failed(why))
        });
        // The receiver is gone only if the caller is, and then nobody wants the PDF.
        let _ = tx.send(result);
    }));
    // Blocked, not helping its own pool: what that pool has to do is the build's other work,
    // and none of Typst's (see `Queue`).
    rx.recv()
        .unwrap_or_else(|_| Err(failed("its thread stopped")))
}

/// The stack of each of the typesetter's threads: Typst recurses deeply in layout, and a long
/// commentary overflowed the default 2 MB in a debug build of a 1,000-commentary corpus.
/// Reserved, not touched, until used.
const STACK: usize = 64 << 20;

/// The typesetter's threads (as many as the build's), each serving [`QUEUE`] for good.
static POOL: LazyLock<Result<rayon::ThreadPool, String>> = LazyLock::new(|| {
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(STACK)
        .thread_name(|i| format!("typst-{i}"))
        .build()
        .map_err(|e| format!("cannot start its threads: {e}"))?;
    pool.spawn_broadcast(|_| QUEUE.serve());
    Ok(pool)
});

static QUEUE: Queue = Queue {
    jobs: Mutex::new(VecDeque::new()),
    changed: Condvar::new(),
    busy: AtomicUsize::new(0),
};

/// The documents waiting for a thread of [`POOL`], each typeset from start to end by one
/// thread that takes no other document meanwhile.
///
/// Typst and krilla wait for their parallel work by running whatever other work their rayon
/// pool has: `rayon::yield_now` in krilla's deferred page streams, joins in layout. When a
/// document was a job of a rayon pool (the build's, or one of Typst's own), the next
/// documents were such work: each began inside the one waiting, and so on down the stack,
/// every document's layout alive until the last of them was done (a build's peak memory grew
/// by 4 MB a PDF, to 4 GB for 1,000; on a pool of Typst's own, documents taken up inside
/// others idled its other threads). Documents here are no rayon jobs, so a thread waiting
/// for its document's parallel work runs only other documents' parallel work.
struct Queue {
    jobs: Mutex<VecDeque<Box<dyn FnOnce() + Send>>>,
    changed: Condvar,
    /// Documents being typeset.
    busy: AtomicUsize,
}

impl Queue {
    fn push(&self, job: Box<dyn FnOnce() + Send>) {
        self.lock().push_back(job);
        self.changed.notify_one();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Box<dyn FnOnce() + Send>>> {
        self.jobs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A thread's life: typeset the next document, or help with the parallel work of those
    /// on other threads (a collection typeset alone still uses every thread), or sleep.
    fn serve(&self) {
        loop {
            let next = self.lock().pop_front();
            if let Some(job) = next {
                self.busy.fetch_add(1, Ordering::SeqCst);
                // Idle threads wake up to help with it.
                self.changed.notify_all();
                job();
                self.busy.fetch_sub(1, Ordering::SeqCst);
                continue;
            }
            if rayon::yield_now() == Some(rayon::Yield::Executed) {
                continue;
            }
            let jobs = self.lock();
            if jobs.is_empty() {
                // Typst's parallel work cannot wake a thread sleeping here: look again soon
                // while a document is being typeset.
                if self.busy.load(Ordering::SeqCst) > 0 {
                    drop(self.changed.wait_timeout(jobs, Duration::from_millis(1)));
                } else {
                    drop(self.changed.wait(jobs));
                }
            }
        }
    }
}

fn typeset(doc: &Doc, opts: Options, ident: &str) -> Result<Vec<u8>, Vec<Problem>> {
    let pdf = export(doc, opts, ident);
    // Typst memoizes across compilations and never forgets by itself: without this, 250 PDFs
    // held 1.47 GB at the peak of a build (0.2 GB with it), and a document that fails leaves
    // its results too. What the next documents share (the library, fonts, the template) is
    // used again within a few calls and stays.
    typst::comemo::evict(EVICT_AFTER);
    pdf
}

fn export(doc: &Doc, opts: Options, ident: &str) -> Result<Vec<u8>, Vec<Problem>> {
    let Warned { output, .. } = typst::compile::<PagedDocument>(doc);
    let paged = output.map_err(|e| problems(doc, &e))?;
    let standards = match opts.standard {
        PdfStandard::Ua1 => vec![typst_pdf::PdfStandard::Ua_1],
        PdfStandard::A2a => vec![typst_pdf::PdfStandard::A_2a],
        PdfStandard::None => vec![],
    };
    let pdf_opts = typst_pdf::PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        creator: Smart::Custom(Some("Scholia".to_string())),
        standards: typst_pdf::PdfStandards::new(&standards).map_err(|e| {
            vec![Problem {
                in_main: false,
                range: None,
                template_line: None,
                message: e.message().to_string(),
            }]
        })?,
        ..Default::default()
    };
    typst_pdf::pdf(&paged, &pdf_opts).map_err(|e| problems(doc, &e))
}

/// How many `evict` calls (one per document) a memoized result survives unused.
const EVICT_AFTER: usize = 10;

fn problems(doc: &Doc, errors: &[typst::diag::SourceDiagnostic]) -> Vec<Problem> {
    let mut seen = HashMap::new();
    errors
        .iter()
        .filter(|e| e.severity == Severity::Error)
        .filter_map(|e| {
            let id = e.span.id();
            let range = doc.range(e.span);
            let template_line = (id == Some(doc.template.id()))
                .then_some(range.as_ref())
                .flatten()
                .and_then(|r| doc.template.lines().byte_to_line(r.start))
                .map(|l| l + 1);
            let mut message = e.message.to_string();
            for h in &e.hints {
                message.push_str("; ");
                message.push_str(&h.v);
            }
            // The same message at the same place once.
            seen.insert((message.clone(), range.clone()), ())
                .is_none()
                .then_some(Problem {
                    in_main: id == Some(doc.main.id()),
                    range,
                    template_line,
                    message,
                })
        })
        .collect()
}
