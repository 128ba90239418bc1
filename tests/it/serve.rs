//! `scholia serve`: the real binary on a free port, fetched over plain TCP. Every wait polls
//! until the change is served, with a generous deadline; nothing here measures time.

use crate::util::{attrs, sel, snapshot, texts, Site};
use scraper::Html;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(60);

/// A running `scholia serve`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    out: PathBuf,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

struct Response {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Response {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn collect(r: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let buf = Arc::new(Mutex::new(String::new()));
    let b = buf.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(r).lines() {
            let Ok(line) = line else { break };
            let mut b = b.lock().unwrap();
            b.push_str(&line);
            b.push('\n');
        }
    });
    buf
}

/// [`until`], showing the server's stderr on failure.
fn until_or<T>(what: &str, stderr: &Arc<Mutex<String>>, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "timed out waiting for {what}; stderr:\n{}",
            stderr.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Polls `f` until it returns `Some`, or panics with `what` after the deadline.
fn until<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(start.elapsed() < DEADLINE, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

impl Server {
    fn start(site: &Site, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_scholia"))
            .arg("serve")
            .args(["--root", "."])
            .args(if args.contains(&"--port") {
                &[][..]
            } else {
                &["--port", "0"][..]
            })
            .args(args)
            .current_dir(site.root())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = collect(child.stdout.take().unwrap());
        let stderr = collect(child.stderr.take().unwrap());
        let line = until_or("the serving line", &stderr, || {
            let s = stdout.lock().unwrap();
            s.lines()
                .find(|l| l.starts_with("serving "))
                .map(str::to_string)
        });
        // serving http://localhost:PORT/ from DIR (Ctrl-C to stop)
        let port = line
            .split("localhost:")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        let out = line
            .split(" from ")
            .nth(1)
            .and_then(|r| r.strip_suffix(" (Ctrl-C to stop)"))
            .map(PathBuf::from)
            .unwrap_or_else(|| panic!("no folder in {line:?}"));
        Server {
            child,
            port,
            out,
            stdout,
            stderr,
        }
    }

    /// Sends `request` as is and reads the whole answer.
    fn raw(&self, request: &str) -> Response {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let mut all = Vec::new();
        s.read_to_end(&mut all).unwrap();
        let split = all
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a response head");
        let head = String::from_utf8_lossy(&all[..split]).into_owned();
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap();
        Response {
            status,
            head,
            body: all[split + 4..].to_vec(),
        }
    }

    fn get_with(&self, path: &str, headers: &str) -> Response {
        self.raw(&format!(
            "GET {path} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n"
        ))
    }

    fn get(&self, path: &str) -> Response {
        self.get_with(path, &format!("Host: 127.0.0.1:{}\r\n", self.port))
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits until `path` is served with a body for which `ok` holds.
    fn wait_for(&self, path: &str, what: &str, ok: impl Fn(&Response) -> bool) -> Response {
        until(what, || Some(self.get(path)).filter(|r| ok(r)))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.out);
    }
}

/// A served page without the live-reload script serve adds.
fn strip_script(body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(body);
    let Some(start) = text.find("<script id=\"scholia-live\">") else {
        return body.to_vec();
    };
    let end = start + text[start..].find("</script>").unwrap() + "</script>".len();
    format!("{}{}", &text[..start], &text[end..]).into_bytes()
}

/// Saves a file the way editors do: a temporary file outside the watched folders, renamed
/// over the target.
fn save(site: &Site, rel: &str, text: &str) {
    let tmp = site.root().join(".save.tmp");
    std::fs::write(&tmp, text).unwrap();
    let dest = site.root().join(rel);
    std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
    std::fs::rename(&tmp, dest).unwrap();
}

/// Every file of a fresh full build, served byte-for-byte the same (script aside), and no
/// other file in the served folder. Polls, since the rebuild may still be writing.
fn assert_same_as_full_build(site: &Site, server: &Server, step: &str) {
    let full = tempfile::tempdir().unwrap();
    let out = full.path().join("site");
    let r = site.run(&["build", "--out", out.to_str().unwrap(), "--base-url", "/"]);
    assert_eq!(r.code, 0, "{step}: full build failed: {}", r.stderr);
    // The build's keys of its files (for the next build) are no page.
    let mut expected = snapshot(&out);
    expected.retain(|(p, _)| p != Path::new(".scholia-keys"));
    let start = Instant::now();
    let last = loop {
        let mut problems = Vec::new();
        let served_files: Vec<PathBuf> =
            snapshot(&server.out).into_iter().map(|(p, _)| p).collect();
        let expected_files: Vec<PathBuf> = expected.iter().map(|(p, _)| p.clone()).collect();
        if served_files != expected_files {
            problems.push(format!(
                "files differ: served {served_files:?}, full build {expected_files:?}"
            ));
        }
        for (rel, bytes) in &expected {
            let url = format!("/{}", rel.to_str().unwrap().replace('\\', "/"));
            let resp = server.get(&url);
            if resp.status != 200 || strip_script(&resp.body) != *bytes {
                problems.push(format!("{url}: status {}, bytes differ", resp.status));
            }
        }
        if problems.is_empty() {
            return;
        }
        if start.elapsed() > DEADLINE {
            break problems.join("\n");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    panic!("{step}: served output differs from a full build:\n{last}");
}

fn html(r: &Response) -> Html {
    Html::parse_document(&r.text())
}

#[test]
fn edits_are_served_as_a_full_build_would_write_them() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    assert_same_as_full_build(&site, &server, "start");

    // Add a commentary that mentions a glossary entry and has a new tag.
    let new = "content/commentaries/2021-03-04-new.md";
    save(
        &site,
        new,
        "---\ntitle: \"Fresh Look\"\ndate: 2021-03-04\nauthor: \"Bo Chen\"\ntags: [\"Oversight\"]\n---\n\nThe NSA answered questions.\n",
    );
    server.wait_for("/commentaries/new/", "the new commentary", |r| {
        r.status == 200 && texts(&html(r), "h1").contains(&"Fresh Look".to_string())
    });
    assert_same_as_full_build(&site, &server, "add");

    // Edit its title and text.
    save(
        &site,
        new,
        "---\ntitle: \"Second Look\"\ndate: 2021-03-04\nauthor: \"Bo Chen\"\ntags: [\"Oversight\"]\n---\n\nThe NSA answered more questions.\n",
    );
    server.wait_for("/commentaries/new/", "the edited title", |r| {
        texts(&html(r), "h1").contains(&"Second Look".to_string())
    });
    assert_same_as_full_build(&site, &server, "edit");

    // Rename it: a new URL, the old one gone.
    std::fs::rename(
        site.root().join(new),
        site.root()
            .join("content/commentaries/2021-03-04-renamed.md"),
    )
    .unwrap();
    server.wait_for("/commentaries/renamed/", "the renamed page", |r| {
        r.status == 200
    });
    server.wait_for("/commentaries/new/", "the old page gone", |r| {
        r.status == 404
    });
    assert_same_as_full_build(&site, &server, "rename");

    // Delete it.
    std::fs::remove_file(
        site.root()
            .join("content/commentaries/2021-03-04-renamed.md"),
    )
    .unwrap();
    server.wait_for("/commentaries/renamed/", "the deleted page gone", |r| {
        r.status == 404
    });
    assert_same_as_full_build(&site, &server, "delete");

    // An alias for a glossary entry: a commentary that uses it gains a link.
    let nsa = std::fs::read_to_string(site.root().join("content/glossary/bodies/nsa.md")).unwrap();
    save(
        &site,
        "content/glossary/bodies/nsa.md",
        &nsa.replacen(
            "abbr: \"NSA\"\n",
            "abbr: \"NSA\"\naliases: [\"California\"]\n",
            1,
        ),
    );
    server.wait_for("/commentaries/sunnylands/", "the alias linked", |r| {
        html(r)
            .select(&sel("a"))
            .any(|a| a.text().collect::<String>() == "California")
    });
    assert_same_as_full_build(&site, &server, "alias");

    // An entry's first sentence is its summary: the hover cards of its links change. (Saved
    // from the text before the alias: the alias goes away again too.)
    save(
        &site,
        "content/glossary/bodies/nsa.md",
        &nsa.replacen(
            "The signals intelligence agency",
            "The eavesdropping agency",
            1,
        ),
    );
    server.wait_for("/commentaries/agreement/", "the new hover card", |r| {
        r.text().contains("The eavesdropping agency")
    });
    server.wait_for("/commentaries/sunnylands/", "the alias unlinked", |r| {
        !html(r)
            .select(&sel("a"))
            .any(|a| a.text().collect::<String>() == "California")
    });
    assert_same_as_full_build(&site, &server, "entry summary");

    // A commentary's tags: tag pages appear and disappear, lists change.
    let agreement = "content/commentaries/2015-09-25-agreement.md";
    let text = std::fs::read_to_string(site.root().join(agreement)).unwrap();
    save(
        &site,
        agreement,
        &text.replacen("tags: [\"Cyber policy\"]", "tags: [\"Diplomacy\"]", 1),
    );
    server.wait_for("/tags/diplomacy/", "the new tag page", |r| r.status == 200);
    assert_same_as_full_build(&site, &server, "tags");

    // A bibliography and a citation: a note, works cited, the sources page. Then a change
    // to the work itself, which no commentary's text shows.
    let work = |title: &str| {
        format!("kissinger-order:\n  type: Book\n  title: {title}\n  author: Kissinger, Henry\n  date: 2014\n  publisher: Penguin Press\n")
    };
    save(&site, "content/sources.yaml", &work("World Order"));
    let text = std::fs::read_to_string(site.root().join(agreement)).unwrap();
    save(
        &site,
        agreement,
        &format!(
            "{}\nOrder is contested [@kissinger-order, p. 2].\n",
            text.trim_end()
        ),
    );
    server.wait_for("/sources/", "the sources page", |r| {
        r.status == 200 && r.text().contains("World Order")
    });
    assert_same_as_full_build(&site, &server, "citation");
    save(&site, "content/sources.yaml", &work("A World Order"));
    server.wait_for("/commentaries/agreement/", "the retitled work", |r| {
        r.text().contains("A World Order")
    });
    assert_same_as_full_build(&site, &server, "bibliography edit");

    // A site template overriding the theme's.
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/base.html"),
    )
    .unwrap();
    assert!(base.contains("<body"));
    save(
        &site,
        "templates/base.html",
        &base.replacen("<body", "<body data-edited=\"yes\"", 1),
    );
    server.wait_for("/", "the new template", |r| {
        html(r).select(&sel("body[data-edited=yes]")).count() == 1
    });
    assert_same_as_full_build(&site, &server, "template");
}

#[test]
fn an_error_is_shown_over_the_last_good_site_until_fixed() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    let good = server.get("/commentaries/sunnylands/");
    assert_eq!(good.status, 200);
    assert!(good.text().contains("var e=null;"));

    let bad = "---\ntitle: \"Broken\"\ndate: 2021-13-45\n---\n\nText.\n";
    save(&site, "content/commentaries/2021-01-01-broken.md", bad);
    let shown = server.wait_for("/commentaries/sunnylands/", "the overlay", |r| {
        !r.text().contains("var e=null;")
    });
    // The last good page, with the error to show.
    assert_eq!(strip_script(&shown.body), strip_script(&good.body));
    assert!(
        shown.text().contains("2021-01-01-broken.md"),
        "{}",
        shown.text()
    );

    // The terminal shows the error line `build` prints.
    let build = site.run(&["build", "--message-format", "short"]);
    assert_eq!(build.code, 1);
    let line = build
        .stderr
        .lines()
        .find(|l| l.starts_with("error: "))
        .unwrap()
        .to_string();
    until("the error in the terminal", || {
        server.stderr().contains(&line).then_some(())
    });

    save(
        &site,
        "content/commentaries/2021-01-01-broken.md",
        &bad.replace("2021-13-45", "2021-01-01"),
    );
    server.wait_for("/commentaries/broken/", "the fixed page", |r| {
        r.status == 200 && r.text().contains("var e=null;")
    });
    assert!(server
        .get("/commentaries/sunnylands/")
        .text()
        .contains("var e=null;"));
}

#[test]
fn pages_are_told_to_reload_over_server_sent_events() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.set_read_timeout(Some(DEADLINE)).unwrap();
    write!(
        s,
        "GET /__scholia/events HTTP/1.1\r\nHost: localhost:{}\r\nOrigin: http://localhost:{}\r\n\r\n",
        server.port, server.port
    )
    .unwrap();
    let mut reader = BufReader::new(s);
    let mut seen = String::new();
    while !seen.contains(": connected") {
        let mut line = String::new();
        assert!(reader.read_line(&mut line).unwrap() > 0, "stream closed");
        seen.push_str(&line);
    }
    assert!(seen.starts_with("HTTP/1.1 200"));
    assert!(seen.contains("text/event-stream"));
    let p = "content/commentaries/2013-06-08-sunnylands.md";
    let text = std::fs::read_to_string(site.root().join(p)).unwrap();
    save(
        &site,
        p,
        &text.replace("A later paragraph.", "A changed paragraph."),
    );
    loop {
        let mut line = String::new();
        assert!(reader.read_line(&mut line).unwrap() > 0, "stream closed");
        if line.starts_with("event: ") {
            assert_eq!(line.trim(), "event: reload");
            break;
        }
    }
}

#[test]
fn requests_cannot_leave_the_site_or_come_from_elsewhere() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    let port = server.port;
    for path in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/commentaries/..%2f..%2f..%2fetc/passwd",
        "/%2E%2E/",
        "/..\\..\\etc\\passwd",
    ] {
        let r = server.get(path);
        assert!(r.status == 403 || r.status == 404, "{path}: {}", r.status);
        assert!(!r.text().contains("root:"), "{path}");
    }
    for target in ["http://127.0.0.1/etc/passwd", "//etc/passwd", "*"] {
        let r = server.raw(&format!(
            "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
        ));
        assert_eq!(r.status, 400, "{target}");
    }
    // A symbolic link in the served folder pointing outside it.
    let secret = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(secret.path(), "secret").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(secret.path(), server.out.join("leak.txt")).unwrap();
        let r = server.get("/leak.txt");
        assert_eq!(r.status, 403);
        assert!(!r.text().contains("secret"));
    }

    // DNS rebinding: a page from another name that resolves here.
    let r = server.get_with("/", "Host: attacker.example\r\n");
    assert_eq!(r.status, 403);
    let r = server.get_with("/", "");
    assert_eq!(r.status, 403, "no Host at all");
    for host in ["localhost", "127.0.0.1", "[::1]"] {
        let r = server.get_with("/", &format!("Host: {host}:{port}\r\n"));
        assert_eq!(r.status, 200, "{host}");
    }
    // The event stream checks Origin.
    let r = server.get_with(
        "/__scholia/events",
        &format!("Host: localhost:{port}\r\nOrigin: http://attacker.example\r\n"),
    );
    assert_eq!(r.status, 403);
}

#[test]
fn files_get_types_folders_their_index_and_misses_the_404_page() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    let css = server.get("/style.css");
    assert_eq!(css.status, 200);
    assert!(css.head.contains("Content-Type: text/css"), "{}", css.head);
    let feed = server.get("/feed.xml");
    assert!(feed.head.contains("Content-Type: application/atom+xml"));
    let home = server.get("/");
    assert!(home.head.contains("Content-Type: text/html"));
    assert_eq!(
        strip_script(&home.body),
        std::fs::read(server.out.join("index.html")).unwrap()
    );
    let dir = server.get("/glossary");
    assert_eq!(dir.status, 301);
    assert!(dir.head.contains("Location: /glossary/"));
    let miss = server.get("/no/such/page/");
    assert_eq!(miss.status, 404);
    assert_eq!(
        strip_script(&miss.body),
        std::fs::read(server.out.join("404.html")).unwrap()
    );
    // Serve never writes the site's own output folder.
    assert!(!site.root().join("site").exists());
}

#[test]
fn a_taken_port_moves_to_the_next_and_ctrl_c_stops_it() {
    let site = Site::fixture("basic");
    // Find two free ports in a row, hold the first.
    let (held, port) = until("two free ports in a row", || {
        let a = std::net::TcpListener::bind("127.0.0.1:0").ok()?;
        let p = a.local_addr().ok()?.port();
        let next = p.checked_add(1)?;
        std::net::TcpListener::bind(("127.0.0.1", next)).ok()?;
        Some((a, p))
    });
    let port_arg = port.to_string();
    let mut server = Server::start(&site, &["--port", &port_arg]);
    assert_eq!(server.port, port + 1);
    assert!(
        server
            .stderr()
            .contains(&format!("port {port} is in use; trying {}", port + 1)),
        "{}",
        server.stderr()
    );
    drop(held);
    assert!(server.out.is_dir());
    interrupt(&mut server);
    assert!(server
        .stdout
        .lock()
        .unwrap()
        .contains("serving http://localhost:"));
}

fn inode(path: &Path) -> u64 {
    std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(path).unwrap())
}

fn interrupt(server: &mut Server) {
    let status = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let code = until("serve to stop", || server.child.try_wait().unwrap());
    assert!(code.success(), "{code:?}");
}

/// The site's own preview folder outlives a session: the next `serve` takes its files as
/// they are (the same inodes) where nothing changed, writes what changed meanwhile, and
/// serves what a full build writes. A `serve` started while another holds the folder
/// builds into a temporary folder of its own, removed on Ctrl-C.
#[test]
fn a_second_serve_starts_from_the_folder_the_first_left() {
    let site = Site::fixture("basic");
    let mut first = Server::start(&site, &[]);
    let kept = site
        .root()
        .join(".scholia-cache/serve/site")
        .canonicalize()
        .unwrap();
    assert_eq!(first.out, kept);
    let (home, about) = (kept.join("index.html"), kept.join("about/index.html"));
    let (home_ino, about_ino) = (inode(&home), inode(&about));
    interrupt(&mut first);
    assert!(home.is_file(), "the folder is kept");

    // A new tag on the newest commentary changes the home page; the free page "about"
    // does not change.
    let newest = "content/commentaries/2015-09-25-agreement.md";
    let text = std::fs::read_to_string(site.root().join(newest)).unwrap();
    let text = text.replacen("tags: [\"", "tags: [\"kept-folder\", \"", 1);
    assert!(text.contains("kept-folder"), "{newest}: no tags list");
    save(&site, newest, &text);
    let mut second = Server::start(&site, &[]);
    assert_eq!(second.out, kept);
    assert_same_as_full_build(&site, &second, "second session");
    assert_eq!(
        inode(&about),
        about_ino,
        "an unchanged page is taken as it is"
    );
    assert_ne!(inode(&home), home_ino, "a changed page is written again");
    let tag = second.get("/tags/kept-folder/");
    assert_eq!(tag.status, 200);

    // Meanwhile another session: a temporary folder, removed when it stops.
    let mut third = Server::start(&site, &[]);
    assert_ne!(third.out, kept);
    assert!(third.out.join("index.html").is_file());
    interrupt(&mut third);
    assert!(!third.out.exists(), "the temporary folder is removed");
    assert!(home.is_file(), "the kept folder is the second session's");
    interrupt(&mut second);
}

/// A parties file is read with its treaty: saving it re-renders the treaty page, the
/// commentaries that mention the treaty (their links say its status on their dates) and the
/// timeline; a broken one is reported at its cell, and fixing it recovers.
#[test]
fn editing_a_parties_file_is_served_as_a_full_build() {
    let site = Site::fixture("treaties");
    let server = Server::start(&site, &[]);
    assert_same_as_full_build(&site, &server, "start");
    let csv = "content/glossary/treaties/model-convention.parties.csv";
    let text = std::fs::read_to_string(site.root().join(csv)).unwrap();
    // The United States ratifies in 2002: a party on the early commentary's date.
    save(
        &site,
        csv,
        &text.replace(
            "United States,2001-03-01,,,,,",
            "United States,2001-03-01,2002-05-01,ratification,2003-01-01,,",
        ),
    );
    server.wait_for("/commentaries/early/", "the dated status", |r| {
        attrs(&html(r), "a.gl-treaty", "data-status")
            .iter()
            .any(|s| s.contains("United States: party since 1 May 2002"))
    });
    assert_same_as_full_build(&site, &server, "parties edited");
    let timeline = server.get("/timeline/");
    assert!(texts(&html(&timeline), ".events li")
        .contains(&"1 May 2002 United States: ratification, Model Convention".to_string()));

    // A bad date: the error names the cell; the last good site stays.
    save(
        &site,
        csv,
        "state,consent,kind\nAlpha,2002-02-30,ratification\n",
    );
    until("the error", || {
        server
            .stderr()
            .contains(
                "model-convention.parties.csv:2:7: `consent`: `2002-02-30` is not a real date",
            )
            .then_some(())
    });
    // Removed: the treaty has no parties any more.
    std::fs::remove_file(site.root().join(csv)).unwrap();
    server.wait_for(
        "/glossary/treaties/model-convention/",
        "no parties table",
        |r| html(r).select(&sel(".parties-table")).count() == 0,
    );
    assert_same_as_full_build(&site, &server, "parties removed");
}

#[test]
fn editing_the_sites_theme_text_is_served_as_a_full_build() {
    // The Chinese date pattern changes: pages, search documents (kept commentaries'
    // included) and feeds say the new date, as a full build writes them.
    let site = Site::fixture("languages");
    let server = Server::start(&site, &[]);
    assert_same_as_full_build(&site, &server, "start");
    save(&site, "i18n/zh.yaml", "date: \"{year}/{m}/{day}\"\n");
    server.wait_for("/zh/commentaries/leading-group/", "the new date", |r| {
        texts(&html(r), ".byline time")
            .iter()
            .any(|t| t == "2014/2/27")
    });
    assert_same_as_full_build(&site, &server, "zh date edited");
}
