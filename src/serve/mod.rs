//! `scholia serve`: build into a preview folder, serve it, rebuild incrementally on every
//! change, and tell open pages to reload.
//!
//! Three kinds of threads: the accept loop (one thread per connection, [`http`]), the watcher
//! (notify, debounced here), and the rebuild loop that owns the
//! [`Session`](crate::site::session::Session). The output folder belongs to this process
//! alone: the site's own (`.scholia-cache/serve/`, locked while a session uses it, and kept
//! for the next one, which starts from it), or, when another session holds that one, a
//! temporary folder removed on Ctrl-C.

pub mod http;
pub mod live;

use crate::codes;
use crate::error::{Diagnostic, Severity};
use crate::progress::{Progress, Ticker};
use crate::report::{self, Format};
use crate::site::session::{Outcome, Session};
use live::{Event, Live};
use notify::{RecursiveMode, Watcher};
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

/// What to serve, and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Site root.
    pub root: PathBuf,
    /// First port to try; 0 lets the system choose.
    pub port: u16,
    /// Address to listen on.
    pub bind: IpAddr,
    /// Include drafts.
    pub drafts: bool,
    /// Open a browser once serving.
    pub open: bool,
    /// Make PDFs too.
    pub pdf: bool,
}

/// Folders and files whose changes trigger a rebuild.
const WATCHED: [&str; 5] = ["content", "themes", "templates", "static", "i18n"];

/// How long the watcher waits for more events before rebuilding: editors save in several
/// steps (write a temporary file, rename it, touch metadata).
const DEBOUNCE: Duration = Duration::from_millis(10);

/// How long the site must stay unchanged before the search index is made again: the index
/// covers every page and takes seconds of CPU on a large site, which an editor saving in
/// bursts should not have to share with the rebuilds of their saves.
const SEARCH_QUIET: Duration = Duration::from_millis(1500);

/// Ports tried after the asked one when it is taken.
const PORT_TRIES: u16 = 10;

fn bind(opts: &ServeOptions) -> Result<TcpListener, String> {
    let last = if opts.port == 0 {
        0
    } else {
        opts.port.saturating_add(PORT_TRIES - 1)
    };
    let mut port = opts.port;
    loop {
        match TcpListener::bind(SocketAddr::new(opts.bind, port)) {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && port < last => {
                eprintln!("port {port} is in use; trying {}", port + 1);
                port += 1;
            }
            Err(e) => {
                return Err(format!(
                    "cannot listen on {}:{port}: {e}; choose another port with --port",
                    opts.bind
                ))
            }
        }
    }
}

fn print_diagnostics(diags: &[Diagnostic], format: Format) {
    let color = report::use_color();
    let mut err = std::io::stderr().lock();
    for d in diags {
        let _ = std::io::Write::write_all(
            &mut err,
            report::render(d, format, color, &report::read_source).as_bytes(),
        );
    }
}

/// Reports an error that stops the preview; returns the exit code.
fn fail(format: Format, message: impl Into<String>) -> i32 {
    print_diagnostics(&[Diagnostic::global(codes::SERVE, message)], format);
    1
}

/// The text of an overlay: the diagnostics as `build` prints them, without colour.
fn overlay_text(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| report::render(d, Format::Human, false, &report::read_source))
        .collect()
}

/// Prints a rebuild's result and tells the pages. Returns whether it succeeded.
fn report_outcome(o: &Outcome, live: &Live, first: bool, format: Format) -> bool {
    if !o.ok {
        // An editor's save often comes as several events: say the same errors once.
        let text = overlay_text(&o.diags);
        if live.error().as_deref() == Some(text.as_str()) {
            return false;
        }
        print_diagnostics(&o.diags, format);
        let errors = o.diags.iter().filter(|d| d.is_error()).count();
        eprintln!(
            "{} error{} found; {}",
            errors.max(1),
            if errors == 1 { "" } else { "s" },
            if first {
                "fix them and save: the preview updates"
            } else {
                "the last good site is still served"
            }
        );
        live.publish(Event::Error(text));
        return false;
    }
    print_diagnostics(&o.diags, format);
    let warnings = o
        .diags
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let ms = o.elapsed.as_secs_f64() * 1000.0;
    if first {
        println!(
            "built {} files in {:.0} ms, {} warning{}",
            o.written.len(),
            ms,
            warnings,
            if warnings == 1 { "" } else { "s" }
        );
    } else if !o.written.is_empty() || !o.removed.is_empty() || live.error().is_some() {
        println!(
            "rebuilt in {:.0} ms: {} commentar{} rendered, {} page{} and files written, {} removed",
            ms,
            o.markdown_renders,
            if o.markdown_renders == 1 { "y" } else { "ies" },
            o.written.len(),
            if o.written.len() == 1 { "" } else { "s" },
            o.removed.len()
        );
    }
    let css_only = !o.written.is_empty()
        && o.removed.is_empty()
        && o.written.iter().all(|f| f.ends_with(".css"));
    if css_only && live.error().is_none() {
        live.publish(Event::Css);
    } else if !o.written.is_empty() || !o.removed.is_empty() || live.error().is_some() {
        live.publish(Event::Reload);
    }
    true
}

/// Whether a changed path can change the site.
fn relevant(root: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel == Path::new("scholia.yaml") || WATCHED.iter().any(|w| rel.starts_with(w))
}

/// Runs the preview until Ctrl-C. Returns the exit code.
pub fn serve(opts: ServeOptions) -> i32 {
    let format = Format::resolve(None);
    let listener = match bind(&opts) {
        Ok(l) => l,
        Err(msg) => return fail(format, msg),
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => return fail(format, format!("cannot read the listening address: {e}")),
    };
    if !opts.bind.is_loopback() {
        print_diagnostics(
            &[Diagnostic::global_warning(
                codes::EXPOSED,
                format!(
                    "listening on {}, not a loopback address: other machines on the network can read this preview (drafts included with --drafts)",
                    opts.bind
                ),
            )],
            format,
        );
    }

    let Preview {
        session,
        out,
        writing,
        lock: _lock,
    } = match preview(&opts, format) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut session = session.pdf(opts.pdf);
    let remove_out = |out: &Path| {
        if _lock.is_none() {
            let _ = std::fs::remove_dir_all(out);
        }
    };

    // Watch before the first build, so no save between the two is missed.
    let (tx, rx) = mpsc::channel::<Msg>();
    let fs_tx = tx.clone();
    let mut watcher = match notify::recommended_watcher(move |ev| {
        let _ = fs_tx.send(Msg::Fs(ev));
    }) {
        Ok(w) => w,
        Err(e) => {
            remove_out(&out);
            return fail(format, format!("cannot watch the site's files: {e}"));
        }
    };
    let root = opts
        .root
        .canonicalize()
        .unwrap_or_else(|_| opts.root.clone());
    let watch_dirs = |w: &mut notify::RecommendedWatcher| {
        for d in WATCHED {
            let p = root.join(d);
            if p.is_dir() {
                let _ = w.watch(&p, RecursiveMode::Recursive);
            }
        }
    };
    if let Err(e) = watcher.watch(&root, RecursiveMode::NonRecursive) {
        remove_out(&out);
        return fail(format, format!("cannot watch {}: {e}", root.display()));
    }
    watch_dirs(&mut watcher);

    let live = Arc::new(Live::default());
    // The first build of a large site takes seconds: say how far it is.
    let progress = Arc::new(Progress::default());
    session.set_progress(Some(progress.clone()));
    // A folder kept from the last session holds its search index: the pages are served at
    // once, and the index brought up to date after, as after a save.
    let kept = _lock.is_some();
    let first = {
        let _guard = writing.lock();
        let _ticker = Ticker::start(progress);
        match kept {
            true => session.rebuild_pages(None),
            false => session.rebuild(),
        }
    };
    session.set_progress(None);
    report_outcome(&first, &live, true, format);

    let site = Arc::new(http::Site {
        root: out.clone(),
        hosts: http::Site::hosts_for(addr.ip(), addr.port()),
        any_ip: addr.ip().is_unspecified(),
        live: live.clone(),
    });
    let shown_host = if addr.ip().is_unspecified() || addr.ip().is_loopback() {
        format!("localhost:{}", addr.port())
    } else {
        addr.to_string()
    };
    let url = format!("http://{shown_host}/");
    println!("serving {url} from {} (Ctrl-C to stop)", out.display());
    if opts.open {
        open_browser(&url);
    }
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { continue };
            let site = site.clone();
            std::thread::spawn(move || http::handle(&site, conn));
        }
    });

    // The rebuild loop: wait for a relevant event, then for quiet, then rebuild.
    // The search index covers the whole site: it is made on another thread after the pages
    // of a rebuild are out, and written only if no rebuild happened meanwhile.
    let mut searching = false;
    // The first build made the index; each successful rebuild makes it due again.
    let mut search_due = false;
    let start_search = |session: &mut Session, searching: &mut bool| {
        if *searching {
            return;
        }
        if let Some(job) = session.search_job() {
            *searching = true;
            let tx = tx.clone();
            std::thread::spawn(move || {
                let files = job.run();
                let _ = tx.send(Msg::Search(job.generation(), files));
            });
        }
    };
    if kept && first.ok {
        start_search(&mut session, &mut searching);
    }
    loop {
        let next = if search_due && !searching {
            rx.recv_timeout(SEARCH_QUIET)
        } else {
            rx.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected)
        };
        let first_event = match next {
            Ok(Msg::Fs(ev)) => ev,
            Ok(Msg::Search(generation, files)) => {
                searching = false;
                let _guard = writing.lock();
                apply_search(&mut session, generation, files, format);
                // Still due if a rebuild came while it was being made.
                search_due = true;
                continue;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                search_due = false;
                start_search(&mut session, &mut searching);
                continue;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                remove_out(&out);
                return fail(format, "the file watcher stopped; restart scholia serve");
            }
        };
        let mut batch = Batch::new(&root);
        batch.note(first_event);
        let mut index = None;
        while let Ok(msg) = rx.recv_timeout(DEBOUNCE) {
            match msg {
                Msg::Fs(ev) => batch.note(ev),
                Msg::Search(generation, files) => {
                    searching = false;
                    index = Some((generation, files));
                }
            }
        }
        let Batch {
            relevant_seen,
            new_dirs,
            paths,
            ..
        } = batch;
        if new_dirs {
            watch_dirs(&mut watcher);
        }
        if !relevant_seen {
            if let Some((generation, files)) = index {
                let _guard = writing.lock();
                apply_search(&mut session, generation, files, format);
                search_due = true;
            }
            continue;
        }
        let o = {
            let _guard = writing.lock();
            session.rebuild_pages(paths.as_deref())
        };
        report_outcome(&o, &live, false, format);
        if o.ok {
            search_due = true;
        }
    }
}

/// The file-system events of one debounced burst.
struct Batch<'a> {
    root: &'a Path,
    /// Whether any could change the site.
    relevant_seen: bool,
    /// Whether a folder appeared at the root (it may need watching).
    new_dirs: bool,
    /// The changed paths, or `None` when events were lost and only a walk will do.
    paths: Option<Vec<PathBuf>>,
}

impl<'a> Batch<'a> {
    fn new(root: &'a Path) -> Batch<'a> {
        Batch {
            root,
            relevant_seen: false,
            new_dirs: false,
            paths: Some(Vec::new()),
        }
    }

    fn note(&mut self, ev: notify::Result<notify::Event>) {
        match ev {
            // Opening and reading files (our own rebuild walks content/) changes nothing:
            // counting those would rebuild forever.
            Ok(ev) if matches!(ev.kind, notify::EventKind::Access(_)) => {}
            Ok(ev) => {
                if ev.need_rescan() {
                    self.paths = None;
                }
                for p in &ev.paths {
                    if relevant(self.root, p) {
                        self.relevant_seen = true;
                        if let Some(v) = &mut self.paths {
                            v.push(p.clone());
                        }
                        if p.parent() == Some(self.root) && p.is_dir() {
                            self.new_dirs = true;
                        }
                    }
                }
            }
            // Events were lost: rebuild to be safe (the session rereads what changed).
            Err(_) => {
                self.relevant_seen = true;
                self.paths = None;
            }
        }
    }
}

/// Where a session writes, and the locks that guard it.
struct Preview {
    session: Session,
    out: PathBuf,
    /// Held while a rebuild writes: Ctrl-C during one waits for it, or the removal of a
    /// temporary folder could race the writes and leave a half-deleted folder behind (and
    /// a kept folder's keys could be cut in the middle of a change).
    writing: Arc<std::sync::Mutex<()>>,
    /// The lock on the site's own preview folder; `None` for a temporary folder.
    lock: Option<std::fs::File>,
}

/// The session and its folder: the site's own, when no other session holds it, else a
/// temporary one, removed on Ctrl-C.
fn preview(opts: &ServeOptions, format: Format) -> Result<Preview, i32> {
    let base_url = Some("/".to_string());
    let kept = Session::folder(&opts.root);
    let locked = std::fs::create_dir_all(&kept)
        .and_then(|()| std::fs::File::create(kept.join("lock")))
        .ok()
        .filter(|f| f.try_lock().is_ok());
    let (session, out, lock) = match locked.and_then(|lock| {
        Some((
            Session::persistent(&opts.root, opts.drafts, base_url.clone())?,
            lock,
        ))
    }) {
        Some((session, lock)) => {
            // The server compares the paths it serves with it: it must be canonical.
            let out = session.out();
            let out = out.canonicalize().unwrap_or_else(|_| out.to_path_buf());
            (session, out, Some(lock))
        }
        None => {
            let out = std::env::temp_dir().join(format!("scholia-serve-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&out);
            if let Err(e) = std::fs::create_dir_all(&out) {
                return Err(fail(
                    format,
                    format!("cannot create the preview folder {}: {e}", out.display()),
                ));
            }
            let out = out.canonicalize().unwrap_or(out);
            let session = Session::new(&opts.root, &out, opts.drafts, base_url);
            (session, out, None)
        }
    };
    let writing = Arc::new(std::sync::Mutex::new(()));
    let temporary = lock.is_none().then(|| out.clone());
    let guard = writing.clone();
    let res = ctrlc::set_handler(move || {
        let _guard = guard.lock();
        match &temporary {
            Some(dir) => {
                let _ = std::fs::remove_dir_all(dir);
                eprintln!("stopped; removed {}", dir.display());
            }
            None => eprintln!("stopped"),
        }
        std::process::exit(0);
    });
    if let (Err(e), true) = (res, lock.is_none()) {
        print_diagnostics(
            &[Diagnostic::global_warning(
                codes::SERVE,
                format!(
                    "cannot catch Ctrl-C ({e}); remove {} yourself after stopping",
                    out.display()
                ),
            )],
            format,
        );
    }
    Ok(Preview {
        session,
        out,
        writing,
        lock,
    })
}

fn apply_search(
    session: &mut Session,
    generation: u64,
    files: crate::site::index::SearchFiles,
    format: Format,
) {
    let mut o = Outcome::default();
    session.apply_search(generation, files, &mut o);
    if !o.diags.is_empty() {
        print_diagnostics(&o.diags, format);
    }
}

/// What the rebuild loop waits for.
enum Msg {
    /// A file system event.
    Fs(notify::Result<notify::Event>),
    /// A search index made after the rebuild of the given generation.
    Search(u64, crate::site::index::SearchFiles),
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(cmd)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_err()
    {
        print_diagnostics(
            &[Diagnostic::global_warning(
                codes::SERVE,
                format!("cannot open a browser ({cmd}); open {url} yourself"),
            )],
            Format::resolve(None),
        );
    }
}
