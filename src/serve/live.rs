//! Live reload: a Server-Sent Events stream that tells open pages to reload (or to swap their
//! stylesheets, or to show a build error), and the script injected into served pages.

use std::io::Write;
use std::net::TcpStream;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// What the last rebuild means for an open page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Pages changed: reload.
    Reload,
    /// Only stylesheets changed: swap them.
    Css,
    /// The build failed: show this text over the page.
    Error(String),
}

#[derive(Debug, Default)]
struct State {
    generation: u64,
    last: Option<Event>,
    /// The error being shown, while it lasts.
    error: Option<String>,
}

/// Shared between the rebuild loop and the connections.
#[derive(Debug, Default)]
pub struct Live {
    state: Mutex<State>,
    changed: Condvar,
}

impl Live {
    /// Tells every open page about a rebuild.
    pub fn publish(&self, event: Event) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.error = match &event {
            Event::Error(t) => Some(t.clone()),
            _ => None,
        };
        s.generation += 1;
        s.last = Some(event);
        self.changed.notify_all();
    }

    /// The error to show now, if the last build failed.
    pub fn error(&self) -> Option<String> {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .error
            .clone()
    }
}

/// Serves the event stream until the page goes away.
pub fn stream(live: &Live, mut stream: TcpStream) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n: connected\n\n";
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    let _ = stream.flush();
    let mut seen = live
        .state
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .generation;
    loop {
        let msg = {
            let s = live.state.lock().unwrap_or_else(|e| e.into_inner());
            let (s, _) = live
                .changed
                .wait_timeout_while(s, Duration::from_secs(15), |s| s.generation == seen)
                .unwrap_or_else(|e| e.into_inner());
            if s.generation == seen {
                // A comment now and then finds pages that went away.
                ": ping\n\n".to_string()
            } else {
                seen = s.generation;
                match &s.last {
                    Some(Event::Reload) | None => "event: reload\ndata: {}\n\n".to_string(),
                    Some(Event::Css) => "event: css\ndata: {}\n\n".to_string(),
                    Some(Event::Error(t)) => format!(
                        "event: problem\ndata: {}\n\n",
                        serde_json::to_string(t).unwrap_or_default()
                    ),
                }
            }
        };
        if stream.write_all(msg.as_bytes()).is_err() || stream.flush().is_err() {
            return;
        }
    }
}

/// The script tag served pages get, with the current error (if any) to show at once.
pub fn script(error: Option<&str>) -> String {
    let err = serde_json::to_string(&error)
        .unwrap_or_else(|_| "null".into())
        // Keep `</script>` inside the string from closing the tag.
        .replace("</", "<\\/");
    format!(
        "<script id=\"scholia-live\">{}</script>",
        SCRIPT.replace("__ERROR__", &err)
    )
}

const SCRIPT: &str = r#"(function(){var box=null;function hide(){if(box){box.remove();box=null}}function show(t){hide();box=document.createElement("div");box.id="scholia-error";box.setAttribute("role","alert");box.style.cssText="position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.92);color:#fdd;font:14px/1.45 ui-monospace,monospace;padding:2em";var h=document.createElement("strong");h.textContent="scholia: the site has errors; this is the last good version";var p=document.createElement("pre");p.style.whiteSpace="pre-wrap";p.textContent=t;box.appendChild(h);box.appendChild(p);document.body.appendChild(box)}var e=__ERROR__;if(e)document.addEventListener("DOMContentLoaded",function(){show(e)});if(e&&document.body)show(e);var s=new EventSource("/__scholia/events");s.addEventListener("reload",function(){location.reload()});s.addEventListener("css",function(){hide();document.querySelectorAll('link[rel="stylesheet"]').forEach(function(l){var u=new URL(l.href);u.searchParams.set("scholia",Date.now());l.href=u.toString()})});s.addEventListener("problem",function(m){show(JSON.parse(m.data))})})();"#;

/// `page` with the script inserted before its last `</body>` (or at the end).
pub fn inject(page: &[u8], live: &Live) -> Vec<u8> {
    let tag = script(live.error().as_deref());
    let at = page
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + tag.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_last_body_end() {
        let live = Live::default();
        let out = String::from_utf8(inject(b"<html><body>x</body></html>", &live)).unwrap();
        assert!(out.starts_with("<html><body>x<script id=\"scholia-live\">"));
        assert!(out.ends_with("</script></body></html>"));
        assert!(out.contains("var e=null;"));
    }

    #[test]
    fn errors_cannot_close_the_script() {
        let live = Live::default();
        live.publish(Event::Error("bad </script><b>".into()));
        let out = String::from_utf8(inject(b"<body></body>", &live)).unwrap();
        assert_eq!(out.matches("</script>").count(), 1);
        assert!(out.contains(r#"bad <\/script><b>"#));
        live.publish(Event::Reload);
        assert_eq!(live.error(), None);
    }
}
