//! A progress line for long runs: a large site's first build takes seconds, and a terminal
//! that shows nothing for that long looks hung.
//!
//! The pipeline records its stage and how many of the stage's items are done
//! ([`Progress`], shared and lock-free for the counter); a [`Ticker`] thread draws one line on
//! standard error from one second after the start, redrawing it in place, and erases it when
//! dropped, so that the summary line that follows stands alone. Nothing is drawn when standard
//! error is not a terminal (CI logs, tests, pipes).

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Where a run is: its stage, and the items of the stage done of how many (0 = uncounted).
#[derive(Debug, Default)]
pub struct Progress {
    stage: Mutex<&'static str>,
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Progress {
    /// Enters a stage of `total` items (0 when they are not counted).
    pub fn stage(&self, name: &'static str, total: usize) {
        if let Ok(mut s) = self.stage.lock() {
            *s = name;
        }
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    /// One item of the stage is done.
    pub fn tick(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    /// The line to show after `elapsed`: `building: commentaries 4,312 of 9,884 (3 s)`.
    pub fn line(&self, elapsed: Duration) -> String {
        let stage = self.stage.lock().map(|s| *s).unwrap_or_default();
        let total = self.total.load(Ordering::Relaxed);
        let done = self.done.load(Ordering::Relaxed).min(total);
        let count = if total > 0 {
            format!(" {} of {}", thousands(done), thousands(total))
        } else {
            String::new()
        };
        format!("building: {stage}{count} ({} s)", elapsed.as_secs())
    }
}

/// `9884` → `9,884`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Draws a [`Progress`] on standard error while it lives (see the module's comment).
pub struct Ticker {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Ticker {
    /// Starts drawing `progress` after one second, if standard error is a terminal.
    pub fn start(progress: Arc<Progress>) -> Ticker {
        if !std::io::stderr().is_terminal() {
            return Ticker {
                stop: None,
                thread: None,
            };
        }
        let (tx, rx) = mpsc::channel::<()>();
        let start = Instant::now();
        // Tests set the delay to 0 to see the line on a small site.
        let delay = std::env::var("SCHOLIA_PROGRESS_DELAY_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1000);
        let thread = std::thread::spawn(move || {
            let mut drawn = false;
            let mut wait = Duration::from_millis(delay);
            while let Err(RecvTimeoutError::Timeout) = rx.recv_timeout(wait) {
                let line = progress.line(start.elapsed());
                // `\r` and erase-line: the line is redrawn where it is.
                let _ = write!(std::io::stderr(), "\r\x1b[K{line}");
                drawn = true;
                wait = Duration::from_millis(250);
            }
            if drawn {
                let _ = write!(std::io::stderr(), "\r\x1b[K");
            }
        });
        Ticker {
            stop: Some(tx),
            thread: Some(thread),
        }
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        // Closing the channel wakes the thread at once; joining makes sure its line is
        // erased before anything else is printed.
        self.stop.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_names_the_stage_and_counts() {
        let p = Progress::default();
        p.stage("reading content", 0);
        assert_eq!(
            p.line(Duration::from_millis(1500)),
            "building: reading content (1 s)"
        );
        p.stage("commentaries", 9884);
        for _ in 0..4312 {
            p.tick();
        }
        assert_eq!(
            p.line(Duration::from_secs(3)),
            "building: commentaries 4,312 of 9,884 (3 s)"
        );
        // A stage entered again starts from nothing.
        p.stage("commentaries", 2);
        assert_eq!(
            p.line(Duration::ZERO),
            "building: commentaries 0 of 2 (0 s)"
        );
    }

    #[test]
    fn thousands_separators() {
        for (n, s) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (1234567, "1,234,567"),
        ] {
            assert_eq!(thousands(n), s);
        }
    }
}
