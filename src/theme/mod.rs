//! Themes: the minijinja environment, where templates and theme files come from, and the
//! views templates see.
//!
//! A template is looked up file by file: the site's `templates/`, then
//! `themes/<theme>/templates/`, then the default theme compiled into the binary
//! ([`embedded`]). Static files merge the same way. This module reads template and theme
//! files itself (lazily, as minijinja asks for them): the one exception to "only
//! `content::discover` reads", because minijinja's loader is a callback.

pub mod context;
pub mod embedded;
pub mod i18n;

use crate::codes;
use crate::error::Diagnostic;
use minijinja::{Environment, UndefinedBehavior};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Where a template was found, for error messages.
type Origins = Arc<Mutex<HashMap<String, PathBuf>>>;

/// A theme ready to render.
pub struct Theme {
    env: Environment<'static>,
    origins: Origins,
    /// Folders searched for templates, most specific first.
    dirs: Vec<PathBuf>,
    /// Folder of the theme on disk, if the site has one.
    theme_dir: Option<PathBuf>,
    /// The site root, and how paths under it are shown.
    roots: (PathBuf, PathBuf),
    base_url: String,
    /// The site root, and how its paths are shown (for the text files).
    root: (PathBuf, PathBuf),
}

/// Joins a template name to a folder, refusing names that would leave it.
fn safe_join(dir: &Path, name: &str) -> Option<PathBuf> {
    let mut out = dir.to_path_buf();
    for seg in name.split('/') {
        if seg.is_empty() || seg == "." || seg == ".." || seg.contains('\\') || seg.contains(':') {
            return None;
        }
        out.push(seg);
    }
    Some(out)
}

impl Theme {
    /// Sets up the environment for a site root. `shown_root` is how paths are printed.
    pub fn new(
        root: &Path,
        shown_root: &Path,
        theme: &str,
        base_url: &str,
    ) -> Result<Theme, Diagnostic> {
        let theme_dir = root.join("themes").join(theme);
        let theme_on_disk = theme_dir.is_dir();
        if !theme_on_disk && theme != "default" {
            return Err(Diagnostic::file(codes::THEME,
                &crate::content::discover::shown(shown_root, Path::new("scholia.yaml")),
                format!(
                    "the theme `{theme}` does not exist: there is no folder themes/{theme}/ (remove `theme:` to use the built-in default theme)"
                ),
            ));
        }
        let mut dirs = vec![root.join("templates")];
        if theme_on_disk {
            dirs.push(theme_dir.join("templates"));
        }
        let origins: Origins = Arc::default();
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") || name.ends_with(".xml") {
                minijinja::AutoEscape::Html
            } else {
                minijinja::AutoEscape::None
            }
        });
        // minijinja's HTML escaping also escapes `/`, which bloats every URL (`&#x2f;`) for
        // nothing: escape strings ourselves, the five characters that matter.
        env.set_formatter(|out, state, value| {
            if state.auto_escape() == minijinja::AutoEscape::Html && !value.is_safe() {
                if let Some(s) = value.as_str() {
                    return out.write_str(&crate::html::escape(s)).map_err(|_| {
                        minijinja::Error::new(
                            minijinja::ErrorKind::WriteFailure,
                            "cannot write the page",
                        )
                    });
                }
            }
            minijinja::escape_formatter(out, state, value)
        });
        let loader_dirs = dirs.clone();
        let loader_origins = origins.clone();
        let shown: Vec<PathBuf> = dirs
            .iter()
            .map(|d| {
                let rel = d.strip_prefix(root).unwrap_or(d);
                crate::content::discover::shown(shown_root, rel)
            })
            .collect();
        env.set_loader(move |name| {
            for (dir, shown) in loader_dirs.iter().zip(&shown) {
                let Some(path) = safe_join(dir, name) else {
                    return Ok(None);
                };
                if path.is_file() {
                    let text = std::fs::read_to_string(&path).map_err(|e| {
                        minijinja::Error::new(
                            minijinja::ErrorKind::InvalidOperation,
                            format!("cannot read {}: {e}", path.display()),
                        )
                    })?;
                    record(&loader_origins, name, shown.join(name));
                    return Ok(Some(text));
                }
            }
            match embedded::template(name) {
                Some(text) => {
                    record(
                        &loader_origins,
                        name,
                        PathBuf::from(format!("<default theme>/templates/{name}")),
                    );
                    Ok(Some(text.to_string()))
                }
                None => Ok(None),
            }
        });
        env_add_asset(&mut env, base_url.to_string(), Default::default());
        let base = base_url.to_string();
        env.add_function("url", move |path: &str| {
            format!("{base}{}", path.trim_start_matches('/'))
        });
        env.add_filter("localdate", localdate);
        env.add_filter("plural", plural);
        Ok(Theme {
            env,
            origins,
            dirs,
            theme_dir: theme_on_disk.then_some(theme_dir),
            roots: (root.to_path_buf(), shown_root.to_path_buf()),
            base_url: base_url.to_string(),
            root: (root.to_path_buf(), shown_root.to_path_buf()),
        })
    }

    /// Where the text of language `code` comes from, least specific first: the theme's
    /// `i18n/CODE.yaml` (on disk, else the default theme's), then the site's. A file that
    /// cannot be read is an error.
    pub fn text_sources(&self, code: &str) -> Result<i18n::Sources, Diagnostic> {
        let name = format!("{code}.yaml");
        let mut out = Vec::new();
        let (root, shown_root) = &self.root;
        let read = |path: &Path, shown: PathBuf, out: &mut i18n::Sources| {
            if path.is_file() {
                let text = crate::content::discover::read_text(path, &shown)?;
                out.push((shown, text));
            }
            Ok::<(), Diagnostic>(())
        };
        match &self.theme_dir {
            Some(dir) => {
                let rel = dir.join("i18n").join(&name);
                let shown = crate::content::discover::shown(
                    shown_root,
                    rel.strip_prefix(root).unwrap_or(&rel),
                );
                read(&rel, shown, &mut out)?;
            }
            None => {
                if let Some(text) = embedded::i18n(code) {
                    out.push((
                        PathBuf::from(format!("<default theme>/i18n/{name}")),
                        text.to_string(),
                    ));
                }
            }
        }
        let site = Path::new("i18n").join(&name);
        read(
            &root.join(&site),
            crate::content::discover::shown(shown_root, &site),
            &mut out,
        )?;
        Ok(out)
    }

    /// Gives templates `asset(path)`: the URL of the fingerprinted copy of a theme file
    /// (`style.css` → `/style.<hash>.css`), or its plain URL when it has none, so a template
    /// never links a file that was not written.
    pub fn set_assets(&mut self, map: std::collections::BTreeMap<String, String>) {
        let base = self.base_url.clone();
        env_add_asset(&mut self.env, base, map);
    }

    /// Renders template `name` with `ctx`; an error names the template file and line.
    pub fn render(&self, name: &str, ctx: minijinja::Value) -> Result<String, Diagnostic> {
        let result = self.env.get_template(name).and_then(|t| t.render(ctx));
        result.map_err(|e| self.diagnostic(name, &e))
    }

    fn diagnostic(&self, name: &str, e: &minijinja::Error) -> Diagnostic {
        let origins = self.origins.lock().unwrap_or_else(|p| p.into_inner());
        let in_template = e.name().unwrap_or(name);
        let path = origins.get(in_template).cloned();
        let mut msg = match e.kind() {
            minijinja::ErrorKind::TemplateNotFound => format!(
                "the template `{in_template}` was not found in {} or the default theme",
                self.dirs
                    .iter()
                    .map(|d| d.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            kind => match e.detail() {
                Some(d) => format!("template error: {kind}: {d}"),
                None => format!("template error: {kind}"),
            },
        };
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            msg.push_str(&format!(": {s}"));
            source = s.source();
        }
        let code = if e.kind() == minijinja::ErrorKind::TemplateNotFound {
            codes::THEME
        } else {
            codes::TEMPLATE
        };
        match path {
            Some(p) => Diagnostic::error(code, &p, e.line().unwrap_or(0), 1, msg),
            None => Diagnostic::global(code, msg),
        }
    }

    /// The PDF layout (`pdf/commentary.typ`): the site's `templates/`, then the theme's folder,
    /// then the default theme's. Returns its text and its path as shown in messages.
    pub fn pdf_template(&self) -> Result<(String, PathBuf), Diagnostic> {
        let name = crate::pdf::TEMPLATE;
        let site = self.dirs.first().map(|d| d.join(name));
        let theme = self.theme_dir.as_ref().map(|d| d.join(name));
        for path in site.iter().chain(&theme) {
            if path.is_file() {
                let rel = path.strip_prefix(&self.roots.0).unwrap_or(path);
                let shown = crate::content::discover::shown(&self.roots.1, rel);
                return std::fs::read_to_string(path)
                    .map(|t| (t, shown))
                    .map_err(|e| {
                        Diagnostic::file(
                            codes::IO,
                            path,
                            format!("cannot read the PDF template: {e}"),
                        )
                    });
            }
        }
        let text = embedded::file(name).unwrap_or_default();
        Ok((
            text.to_string(),
            PathBuf::from(format!("<default theme>/{name}")),
        ))
    }

    /// Static files of the theme: (path in the output, bytes). The theme on disk if there is
    /// one, else the embedded default.
    pub fn static_files(&self) -> Result<Vec<(PathBuf, Vec<u8>)>, Diagnostic> {
        match &self.theme_dir {
            Some(dir) => {
                let dir = dir.join("static");
                let mut files = Vec::new();
                if !dir.is_dir() {
                    return Ok(files);
                }
                for item in walkdir::WalkDir::new(&dir).sort_by_file_name() {
                    let item = item.map_err(|e| {
                        Diagnostic::global(codes::IO, format!("cannot read the theme: {e}"))
                    })?;
                    if item.file_type().is_file() {
                        let rel = item
                            .path()
                            .strip_prefix(&dir)
                            .unwrap_or(item.path())
                            .to_path_buf();
                        let bytes = std::fs::read(item.path()).map_err(|e| {
                            Diagnostic::file(
                                codes::IO,
                                item.path(),
                                format!("cannot read the theme file: {e}"),
                            )
                        })?;
                        files.push((rel, bytes));
                    }
                }
                Ok(files)
            }
            None => Ok(embedded::static_files()),
        }
    }
}

/// `{{ d | localdate(site.text) }}`: a date view (or `YYYY-MM-DD`) in the page's language.
fn localdate(d: minijinja::Value, text: minijinja::Value) -> Result<String, minijinja::Error> {
    let iso = match d.get_attr("iso") {
        Ok(v) if !v.is_undefined() => v.to_string(),
        _ => d.to_string(),
    };
    let bad = || {
        minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            format!("localdate: `{iso}` is not a date (YYYY-MM-DD)"),
        )
    };
    let date = crate::content::Date::parse(&iso).map_err(|_| bad())?;
    // Only the two keys a date needs: this runs for every date of every list.
    let get = |key: &str| {
        text.get_attr(key)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
    };
    let mut t = i18n::Text::new();
    let month = format!("month_{}", date.month);
    for key in ["date", month.as_str()] {
        if let Some(v) = get(key) {
            t.insert(key.to_string(), v);
        }
    }
    Ok(i18n::format_date(
        &t,
        i64::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    ))
}

/// `{{ n | plural(site.text, "commentaries") }}`: the text for a count, in the form of its
/// plural category in the page's language (`3 commentaries`, `3 篇评论`).
fn plural(n: i64, text: minijinja::Value, key: &str) -> Result<String, minijinja::Error> {
    // Only the keys of this text: it runs for every count of every list.
    let mut t = i18n::Text::new();
    let cats = ["zero", "one", "two", "few", "many", "other"].map(|c| format!("{key}.{c}"));
    for k in cats.iter().map(String::as_str).chain([key, "lang"]) {
        if let Some(v) = text
            .get_item(&minijinja::Value::from(k))
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
        {
            t.insert(k.to_string(), v);
        }
    }
    i18n::plural(&t, key, n.unsigned_abs()).ok_or_else(|| {
        minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            format!("plural: the theme has no text `{key}` (i18n/LANG.yaml)"),
        )
    })
}

fn env_add_asset(
    env: &mut Environment<'static>,
    base: String,
    map: std::collections::BTreeMap<String, String>,
) {
    env.add_function("asset", move |path: &str| {
        let path = path.trim_start_matches('/');
        let name = map.get(path).map_or(path, String::as_str);
        format!("{base}{name}")
    });
}

fn record(origins: &Origins, name: &str, path: PathBuf) {
    origins
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(name.to_string(), path);
}
