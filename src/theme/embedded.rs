//! The default theme, compiled into the binary from `themes/default/`, so that a site with no
//! `themes/` folder builds, and `scholia init` can write it out.

use include_dir::{include_dir, Dir};
use std::path::PathBuf;

static DEFAULT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A template of the default theme.
pub fn template(name: &str) -> Option<&'static str> {
    DEFAULT
        .get_file(format!("templates/{name}"))
        .and_then(|f| f.contents_utf8())
}

/// The default theme's text in a language (`i18n/LANG.yaml`).
pub fn i18n(code: &str) -> Option<&'static str> {
    DEFAULT
        .get_file(format!("i18n/{code}.yaml"))
        .and_then(|f| f.contents_utf8())
}

/// Every language of the default theme: (code, text).
pub fn i18n_files() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = DEFAULT
        .get_dir("i18n")
        .map(|d| {
            d.files()
                .filter_map(|f| {
                    let code = f.path().file_stem()?.to_str()?.to_string();
                    Some((code, f.contents_utf8()?.to_string()))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// A file of the default theme (`pdf/commentary.typ`), as text.
pub fn file(path: &str) -> Option<&'static str> {
    DEFAULT.get_file(path).and_then(|f| f.contents_utf8())
}

/// The default theme's static files: (path in the output, bytes).
pub fn static_files() -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    if let Some(dir) = DEFAULT.get_dir("static") {
        collect(dir, &mut out);
    }
    out.sort();
    out
}

fn collect(dir: &Dir<'static>, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for f in dir.files() {
        let rel = f
            .path()
            .strip_prefix("static")
            .unwrap_or(f.path())
            .to_path_buf();
        out.push((rel, f.contents().to_vec()));
    }
    for d in dir.dirs() {
        collect(d, out);
    }
}

/// Every file of the default theme: (path inside the theme folder, bytes), for `init`.
pub fn all_files() -> Vec<(PathBuf, &'static [u8])> {
    fn walk(dir: &Dir<'static>, out: &mut Vec<(PathBuf, &'static [u8])>) {
        for f in dir.files() {
            out.push((f.path().to_path_buf(), f.contents()));
        }
        for d in dir.dirs() {
            walk(d, out);
        }
    }
    let mut out = Vec::new();
    walk(&DEFAULT, &mut out);
    out.sort();
    out
}
