//! The sub-path build served by a real nginx on loopback: every link a visitor can follow
//! from the home page, and every URL of the sitemap, answers 200.
//!
//! Skipped, with a notice, when nginx is not installed, unless `SCHOLIA_NGINX_TESTS=1`
//! (CI sets it, and installs nginx), which turns a missing nginx into a failure.

use crate::publish::demo;
use scraper::Html;
use std::collections::{BTreeSet, VecDeque};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn nginx_binary() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin".into(), "/usr/local/sbin".into()])
        .map(|d| d.join("nginx"))
        .find(|p| p.is_file())
}

/// Stops nginx when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The server block of `docs/deploy.md`, made to listen on `port` and serve from `www`,
/// inside a minimal nginx configuration that keeps every file it writes in `dir` and runs in
/// the foreground as the current user.
fn config(dir: &Path, www: &Path, port: u16) -> String {
    let guide =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/deploy.md"))
            .unwrap();
    let block = guide
        .split("```nginx\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("docs/deploy.md has an ```nginx block");
    assert!(
        block.contains("listen 80;") && block.contains("root /srv/www;"),
        "{block}"
    );
    let server = block
        .replace("listen 80;", &format!("listen 127.0.0.1:{port};"))
        .replace("root /srv/www;", &format!("root {};", www.display()));
    let d = dir.display();
    format!(
        "daemon off;
master_process off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 64; }}
http {{
  types {{ text/html html; text/css css; application/javascript js; application/atom+xml xml; text/plain txt; image/png png; }}
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path {d}/body;
  proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi;
  scgi_temp_path {d}/scgi;
{server}
}}
"
    )
}

/// `GET path` over HTTP/1.0: (status, content type, body).
fn get(port: u16, path: &str) -> (u16, String, Vec<u8>) {
    let (status, head, body) = get_raw(port, path);
    (status, header(&head, "content-type"), body)
}

/// A header's value, or "".
fn header(head: &str, name: &str) -> String {
    head.lines()
        .find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
        .unwrap_or_default()
}

/// `GET path` over HTTP/1.0: (status, headers, body).
fn get_raw(port: u16, path: &str) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("HTTP headers");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head, raw[split + 4..].to_vec())
}

/// The path (`/a/b/`) a URL found in page `from` names on this server, if it is internal.
fn internal_path(url: &str, from: &str, origin: &str) -> Option<String> {
    let url = url.split('#').next().unwrap();
    if url.is_empty() {
        return None;
    }
    let path = if let Some(rest) = url.strip_prefix(origin) {
        rest.to_string()
    } else if url.contains("://") || url.starts_with("//") || url.starts_with("mailto:") {
        return None;
    } else if url.starts_with('/') {
        url.to_string()
    } else {
        format!("{}{url}", &from[..=from.rfind('/').unwrap()])
    };
    Some(path)
}

#[test]
fn nginx_serves_the_sub_path_build_with_no_broken_link() {
    let Some(nginx) = nginx_binary() else {
        assert!(
            std::env::var("SCHOLIA_NGINX_TESTS").as_deref() != Ok("1"),
            "SCHOLIA_NGINX_TESTS=1 but nginx is not installed"
        );
        eprintln!("nginx is not installed: skipping the nginx sub-path test (set SCHOLIA_NGINX_TESTS=1 to require it)");
        return;
    };
    let site = demo();
    let port = free_port();
    let origin = format!("http://127.0.0.1:{port}");
    let base = format!("{origin}/policy/commentary/");
    let dir = tempfile::tempdir().unwrap();
    let www = dir.path().join("www");
    let out = www.join("policy/commentary");
    site.build_ok(&["--base-url", &base, "--out", out.to_str().unwrap()]);
    std::fs::write(
        dir.path().join("nginx.conf"),
        config(dir.path(), &www, port),
    )
    .unwrap();
    let child = Command::new(nginx)
        .arg("-p")
        .arg(dir.path())
        .arg("-c")
        .arg(dir.path().join("nginx.conf"))
        .arg("-e")
        .arg(dir.path().join("error.log"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nginx starts");
    let _server = Server(child);
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "nginx did not listen: {}",
            std::fs::read_to_string(dir.path().join("error.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<(String, String)> = VecDeque::new();
    queue.push_back(("/policy/commentary/".into(), "(start)".into()));
    for extra in ["feed.xml", "sitemap.xml", "robots.txt", "404.html"] {
        queue.push_back((format!("/policy/commentary/{extra}"), "(start)".into()));
    }
    let mut html_pages = 0;
    while let Some((path, from)) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let (status, ctype, body) = get(port, &path);
        assert_eq!(
            status,
            200,
            "{path} (linked from {from}) answers {status}: {}",
            std::fs::read_to_string(dir.path().join("error.log")).unwrap_or_default()
        );
        if ctype.starts_with("text/html") {
            html_pages += 1;
            let doc = Html::parse_document(&String::from_utf8_lossy(&body));
            let mut urls = crate::util::attrs(&doc, "[href]", "href");
            urls.extend(crate::util::attrs(&doc, "[src]", "src"));
            // The search box's form: its action must resolve under the sub-path too.
            urls.extend(crate::util::attrs(&doc, "form[action]", "action"));
            for u in urls {
                if let Some(p) = internal_path(&u, &path, &origin) {
                    assert!(
                        p.starts_with("/policy/commentary/"),
                        "{path} links outside the sub-path: {u}"
                    );
                    queue.push_back((p, path.clone()));
                }
            }
        } else if path.ends_with("sitemap.xml") {
            let xml = String::from_utf8_lossy(&body).to_string();
            for loc in xml.split("<loc>").skip(1) {
                let url = loc.split("</loc>").next().unwrap();
                let p = url
                    .strip_prefix(&origin)
                    .unwrap_or_else(|| panic!("sitemap URL {url}"));
                queue.push_back((p.to_string(), "sitemap.xml".into()));
            }
        }
    }
    // Every page the build wrote, the not-found page included, and nothing else.
    let written = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count();
    assert!(written > 50, "the demo site has {written} pages");
    assert_eq!(html_pages, written, "pages reached: {seen:#?}");
    assert!(seen
        .iter()
        .any(|p| p.contains("/style.") && p.ends_with(".css")));
    // The guide's cache headers: a year for fingerprinted names, minutes for the rest.
    let css = seen
        .iter()
        .find(|p| p.contains("/style.") && p.ends_with(".css"))
        .unwrap();
    let (_, head, _) = get_raw(port, css);
    assert_eq!(
        header(&head, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    let (_, head, _) = get_raw(port, "/policy/commentary/");
    assert_eq!(header(&head, "cache-control"), "public, max-age=300");
    let (status, _, body) = get(port, "/policy/commentary/no/such/page/");
    assert_eq!(status, 404);
    assert!(String::from_utf8_lossy(&body).contains("Page not found"));
}
