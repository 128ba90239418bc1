//! The harness: a temporary copy of a fixture site, the binary, and HTML helpers.

use scraper::{Html, Selector};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A site in a temporary folder, deleted when dropped.
pub struct Site {
    pub dir: tempfile::TempDir,
}

/// The result of running scholia.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

fn copy_dir(from: &Path, to: &Path) {
    for item in walkdir::WalkDir::new(from) {
        let item = item.unwrap();
        let rel = item.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if item.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(item.path(), &dest).unwrap();
        }
    }
}

impl Site {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Site {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&src, dir.path());
        Site { dir }
    }

    /// An empty site root.
    pub fn empty() -> Site {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        Site { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes (or replaces) a file of the site.
    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    /// Runs scholia in the site root with `args`; the temporary root in the output is
    /// replaced by `ROOT`.
    pub fn run(&self, args: &[&str]) -> Run {
        let out: Output = Command::new(env!("CARGO_BIN_EXE_scholia"))
            .args(args)
            .current_dir(self.root())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let root = self.root().display().to_string();
        let norm = |b: &[u8]| String::from_utf8_lossy(b).replace(&root, "ROOT");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: norm(&out.stdout),
            stderr: norm(&out.stderr),
        }
    }

    /// `scholia build`, which must succeed with no warnings.
    pub fn build_ok(&self, args: &[&str]) -> Run {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        let r = self.run(&all);
        assert_eq!(r.code, 0, "build failed:\n{}", r.stderr);
        assert!(!r.stderr.contains("warning"), "warnings:\n{}", r.stderr);
        r
    }

    pub fn out(&self, rel: &str) -> PathBuf {
        self.root().join("site").join(rel)
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.out(rel).exists()
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn html(&self, rel: &str) -> Html {
        Html::parse_document(&self.read(rel))
    }
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// Texts of the elements matching `css`, whitespace collapsed.
pub fn texts(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&sel(css))
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Values of attribute `attr` of the elements matching `css`.
pub fn attrs(doc: &Html, css: &str, attr: &str) -> Vec<String> {
    doc.select(&sel(css))
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// Every file of a folder with its bytes, for byte-for-byte comparisons.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<_> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        // A folder being written (serve's preview) may lose a file between the listing and
        // the read; the callers compare again until it settles.
        .filter_map(|e| {
            let bytes = std::fs::read(e.path()).ok()?;
            Some((e.path().strip_prefix(dir).unwrap().to_path_buf(), bytes))
        })
        .collect();
    v.sort();
    v
}

/// A sitemap's (loc, lastmod) pairs, checking that the XML is well formed.
pub fn sitemap(xml: &str) -> Vec<(String, Option<String>)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<String> = Vec::new();
    let mut urls: Vec<(String, Option<String>)> = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                if name == "url" {
                    urls.push((String::new(), None));
                }
                stack.push(name);
            }
            quick_xml::events::Event::End(e) => {
                assert_eq!(stack.pop().as_deref(), Some(e.name().as_ref()));
            }
            quick_xml::events::Event::Text(t) => {
                let text = t.html_content().into_owned();
                let last = urls.last_mut();
                match (stack.last().map(String::as_str), last) {
                    (Some("loc"), Some(u)) => u.0 = text,
                    (Some("lastmod"), Some(u)) => u.1 = Some(text),
                    _ => {}
                }
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert!(stack.is_empty());
    urls
}
