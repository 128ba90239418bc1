//! A small HTTP/1.1 server for the preview: one thread per connection, `Connection: close`,
//! GET and HEAD only. Small enough to read whole, which matters more here than features: it
//! decides which files of the machine a browser (or any page open in it) can read.

use super::live::{self, Live};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The path of the live-reload event stream.
pub const EVENTS: &str = "/__scholia/events";

/// What every connection needs.
pub struct Site {
    /// The output folder, canonical.
    pub root: PathBuf,
    /// `Host` values accepted (lowercase, with and without the port).
    pub hosts: Vec<String>,
    /// Bound to an unspecified address (0.0.0.0, ::): any IP-literal `Host` is accepted, as
    /// DNS rebinding needs a name.
    pub any_ip: bool,
    /// Rebuild notifications and the current error.
    pub live: Arc<Live>,
}

impl Site {
    /// The accepted hosts for a bound address and port.
    pub fn hosts_for(ip: IpAddr, port: u16) -> Vec<String> {
        let bound = match ip {
            IpAddr::V4(v) => v.to_string(),
            IpAddr::V6(v) => format!("[{v}]"),
        };
        let mut names = vec![
            "localhost".to_string(),
            "127.0.0.1".to_string(),
            "[::1]".to_string(),
            bound,
        ];
        names.dedup();
        names
            .iter()
            .flat_map(|n| [n.clone(), format!("{n}:{port}")])
            .collect()
    }

    fn host_ok(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        if self.hosts.contains(&host) {
            return true;
        }
        if !self.any_ip {
            return false;
        }
        // Strip the port, then accept IP literals only.
        let bare = match host.rsplit_once(':') {
            Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) && !h.ends_with(':') => h,
            _ => host.as_str(),
        };
        let bare = bare.trim_start_matches('[').trim_end_matches(']');
        bare.parse::<IpAddr>().is_ok()
    }
}

/// A parsed request head.
struct Request {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Reads the request line and headers (8 KiB at most).
fn read_head(stream: &TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream.take(8192));
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).ok()? == 0 {
            return None;
        }
        let h = h.trim_end_matches(['\r', '\n']);
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':')?;
        headers.push((k.trim().to_string(), v.trim().to_string()));
    }
    Some(Request {
        method,
        target,
        headers,
    })
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    headers: &[(&str, String)],
    body: &[u8],
    head_only: bool,
) {
    let mut out = format!("HTTP/1.1 {status}\r\n");
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let _ = stream.write_all(out.as_bytes());
    if !head_only {
        let _ = stream.write_all(body);
    }
    let _ = stream.flush();
}

fn plain(stream: &mut TcpStream, status: &str, msg: &str, head_only: bool) {
    respond(
        stream,
        status,
        &[("Content-Type", "text/plain; charset=utf-8".into())],
        msg.as_bytes(),
        head_only,
    );
}

/// Decodes `%XX` escapes; `None` for a bad escape, a NUL, or bytes that are not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    if out.contains(&0) {
        return None;
    }
    String::from_utf8(out).ok()
}

/// Where a request path leads inside `root`.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A file to send.
    File(PathBuf),
    /// A folder asked for without its final `/`: redirect there.
    Slash,
    /// Nothing there.
    Missing,
    /// A path that tries to leave the root.
    Forbidden,
}

/// Maps a decoded URL path to a file under `root` (canonical). `..` segments, backslashes and
/// anything whose real path (symbolic links followed) is outside the root are refused.
pub fn resolve(root: &Path, path: &str) -> Resolved {
    let mut p = root.to_path_buf();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => return Resolved::Forbidden,
            s if s.contains('\\') => return Resolved::Forbidden,
            s => p.push(s),
        }
    }
    let real = match p.canonicalize() {
        Ok(r) => r,
        Err(_) => return Resolved::Missing,
    };
    if !real.starts_with(root) {
        return Resolved::Forbidden;
    }
    if real.is_dir() {
        if !path.ends_with('/') {
            return Resolved::Slash;
        }
        let index = real.join(crate::routes::INDEX);
        return match index.canonicalize() {
            Ok(i) if i.starts_with(root) && i.is_file() => Resolved::File(i),
            Ok(_) => Resolved::Forbidden,
            Err(_) => Resolved::Missing,
        };
    }
    Resolved::File(real)
}

/// The `Content-Type` of a file, by extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" if path.file_name().is_some_and(|n| n == crate::routes::FEED) => {
            "application/atom+xml; charset=utf-8"
        }
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// Answers one connection.
pub fn handle(site: &Site, mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Some(req) = read_head(&stream) else {
        plain(&mut stream, "400 Bad Request", "bad request\n", false);
        return;
    };
    let head_only = req.method == "HEAD";
    if req.method != "GET" && !head_only {
        plain(
            &mut stream,
            "405 Method Not Allowed",
            "only GET and HEAD\n",
            head_only,
        );
        return;
    }
    if !req.header("Host").is_some_and(|h| site.host_ok(h)) {
        plain(
            &mut stream,
            "403 Forbidden",
            "this preview answers only to the address it was started on (Host header refused)\n",
            head_only,
        );
        return;
    }
    // Origin-form only: an absolute URL or `*` is not a path under the site.
    if !req.target.starts_with('/') || req.target.starts_with("//") {
        plain(
            &mut stream,
            "400 Bad Request",
            "bad request target\n",
            head_only,
        );
        return;
    }
    let (raw_path, query) = match req.target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (req.target.as_str(), None),
    };
    let raw_path = raw_path.split('#').next().unwrap_or("");
    let Some(path) = percent_decode(raw_path) else {
        plain(
            &mut stream,
            "400 Bad Request",
            "bad URL encoding\n",
            head_only,
        );
        return;
    };
    if path == EVENTS {
        let origin_ok = req.header("Origin").is_none_or(|o| {
            o.strip_prefix("http://")
                .is_some_and(|h| site.host_ok(h) && !h.contains('/'))
        });
        if !origin_ok {
            plain(
                &mut stream,
                "403 Forbidden",
                "live reload is only for pages of this preview (Origin refused)\n",
                head_only,
            );
            return;
        }
        live::stream(&site.live, stream);
        return;
    }
    match resolve(&site.root, &path) {
        Resolved::File(f) => match std::fs::read(&f) {
            Ok(bytes) => {
                let ct = content_type(&f);
                let body = if ct.starts_with("text/html") {
                    live::inject(&bytes, &site.live)
                } else {
                    bytes
                };
                respond(
                    &mut stream,
                    "200 OK",
                    &[("Content-Type", ct.into())],
                    &body,
                    head_only,
                );
            }
            Err(_) => not_found(site, &mut stream, head_only),
        },
        Resolved::Slash => {
            let mut loc = format!("{raw_path}/");
            if let Some(q) = query {
                loc.push('?');
                loc.push_str(q);
            }
            respond(
                &mut stream,
                "301 Moved Permanently",
                &[("Location", loc)],
                b"",
                head_only,
            );
        }
        Resolved::Missing => not_found(site, &mut stream, head_only),
        Resolved::Forbidden => plain(&mut stream, "403 Forbidden", "forbidden\n", head_only),
    }
}

/// The theme's `404.html`, with status 404.
fn not_found(site: &Site, stream: &mut TcpStream, head_only: bool) {
    match std::fs::read(site.root.join(crate::routes::NOT_FOUND)) {
        Ok(bytes) => respond(
            stream,
            "404 Not Found",
            &[("Content-Type", "text/html; charset=utf-8".into())],
            &live::inject(&bytes, &site.live),
            head_only,
        ),
        Err(_) => plain(stream, "404 Not Found", "not found\n", head_only),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_refuses_bad_escapes() {
        assert_eq!(percent_decode("/a%20b").as_deref(), Some("/a b"));
        assert_eq!(percent_decode("/%2e%2E/x").as_deref(), Some("/../x"));
        assert_eq!(percent_decode("/%zz"), None);
        assert_eq!(percent_decode("/%0"), None);
        assert_eq!(percent_decode("/a%00"), None);
        assert_eq!(percent_decode("/%ff"), None);
    }

    #[test]
    fn resolves_inside_the_root_only() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("out");
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("a/index.html"), "x").unwrap();
        std::fs::write(dir.path().join("secret"), "s").unwrap();
        let root = root.canonicalize().unwrap();
        assert_eq!(
            resolve(&root, "/a/"),
            Resolved::File(root.join("a/index.html"))
        );
        assert_eq!(resolve(&root, "/a"), Resolved::Slash);
        assert_eq!(resolve(&root, "/b/"), Resolved::Missing);
        assert_eq!(resolve(&root, "/../secret"), Resolved::Forbidden);
        assert_eq!(resolve(&root, "/a/..\\..\\secret"), Resolved::Forbidden);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret"), root.join("link")).unwrap();
            assert_eq!(resolve(&root, "/link"), Resolved::Forbidden);
        }
    }

    #[test]
    fn hosts() {
        let site = Site {
            root: PathBuf::new(),
            hosts: Site::hosts_for("127.0.0.1".parse().unwrap(), 1111),
            any_ip: false,
            live: Arc::new(Live::default()),
        };
        assert!(site.host_ok("localhost:1111"));
        assert!(site.host_ok("127.0.0.1:1111"));
        assert!(site.host_ok("LOCALHOST:1111"));
        assert!(!site.host_ok("evil.example:1111"));
        assert!(!site.host_ok("192.168.1.2:1111"));
        let any = Site {
            any_ip: true,
            hosts: Site::hosts_for("0.0.0.0".parse().unwrap(), 1111),
            ..site
        };
        assert!(any.host_ok("192.168.1.2:1111"));
        assert!(any.host_ok("[fe80::1]:1111"));
        assert!(!any.host_ok("evil.example:1111"));
    }

    #[test]
    fn content_types() {
        assert_eq!(
            content_type(Path::new("a/index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("style.css")),
            "text/css; charset=utf-8"
        );
        assert!(content_type(Path::new("feed.xml")).starts_with("application/atom+xml"));
        assert_eq!(content_type(Path::new("x.bin")), "application/octet-stream");
    }
}
