//! Typed, checked access to a front-matter [`Document`].
//!
//! serde would accept `title: ~` as a missing title and `2024-13-45` as a string, and stops at
//! the first problem; these accessors check each value themselves and collect one diagnostic
//! per problem, each pointing at the offending key.

use super::date::Date;
use super::front_matter::{Document, Yaml};
use crate::codes::{self, Code};
use crate::error::{did_you_mean, Diagnostic};
use std::path::Path;

/// A front-matter document being read field by field.
pub struct Fields<'a> {
    doc: &'a Document,
    path: &'a Path,
    /// Problems found so far.
    pub diags: Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    /// Starts reading `doc`; every key not in `allowed` is reported at once.
    pub fn new(doc: &'a Document, path: &'a Path, allowed: &[&str]) -> Self {
        let mut diags = Vec::new();
        for (key, _) in &doc.entries {
            if !allowed.contains(&key.as_str()) {
                let loc = doc.loc(key);
                diags.push(Diagnostic::error(
                    codes::UNKNOWN_KEY,
                    path,
                    loc.line,
                    loc.col,
                    format!(
                        "unknown key `{key}`{}; allowed keys: {} (put free-form data under `extra:`)",
                        did_you_mean(key, allowed.iter().copied()),
                        allowed.join(", ")
                    ),
                ));
            }
        }
        Fields { doc, path, diags }
    }

    fn err_at(&mut self, code: Code, key: &str, message: String) {
        let loc = self.doc.loc(key);
        self.diags.push(Diagnostic::error(
            code,
            self.path,
            loc.line,
            loc.value_col,
            message,
        ));
    }

    fn value(&self, key: &str) -> Option<&'a Yaml> {
        match self.doc.get(key) {
            None | Some(Yaml::Null) => None,
            Some(v) => Some(v),
        }
    }

    fn wrong_type(&mut self, key: &str, expected: &str, found: &Yaml) {
        let hint = match found {
            Yaml::Int(_) | Yaml::Float(_) | Yaml::Bool(_) if expected.contains("string") => {
                "; put the value in quotes"
            }
            _ => "",
        };
        self.err_at(
            codes::WRONG_TYPE,
            key,
            format!(
                "`{key}` must be {expected}, found {}{hint}",
                found.type_name()
            ),
        );
    }

    /// An error for a key that must be present (and not empty).
    pub fn missing(&mut self, key: &str, what: &str) {
        let present = self.doc.get(key).is_some();
        let code = if present {
            codes::WRONG_TYPE
        } else {
            codes::MISSING_KEY
        };
        let msg = if present {
            format!("`{key}` is empty; it must be {what}")
        } else {
            format!("missing required key `{key}` ({what})")
        };
        self.err_at(code, key, msg);
    }

    /// A string value; a non-string is an error.
    pub fn string(&mut self, key: &str) -> Option<String> {
        match self.value(key)? {
            Yaml::String(s) if s.trim().is_empty() => {
                self.err_at(
                    codes::WRONG_TYPE,
                    key,
                    format!("`{key}` is an empty string; remove the key or give it a value"),
                );
                None
            }
            Yaml::String(s) => Some(s.clone()),
            other => {
                self.wrong_type(key, "a string", other);
                None
            }
        }
    }

    /// A string that must be there.
    pub fn required_string(&mut self, key: &str) -> Option<String> {
        if self.value(key).is_none() {
            self.missing(key, "a string");
            return None;
        }
        self.string(key)
    }

    /// A `YYYY-MM-DD` date.
    pub fn date(&mut self, key: &str) -> Option<Date> {
        let v = self.value(key)?;
        let text = match v {
            Yaml::String(s) => s.clone(),
            other => {
                self.wrong_type(key, "a date (YYYY-MM-DD)", other);
                return None;
            }
        };
        match Date::parse(&text) {
            Ok(d) => Some(d),
            Err(e) => {
                self.err_at(codes::BAD_DATE, key, format!("`{key}`: {e}"));
                None
            }
        }
    }

    /// A date that must be there.
    pub fn required_date(&mut self, key: &str) -> Option<Date> {
        if self.value(key).is_none() {
            self.missing(key, "a date, YYYY-MM-DD");
            return None;
        }
        self.date(key)
    }

    /// A boolean.
    pub fn bool(&mut self, key: &str) -> Option<bool> {
        match self.value(key)? {
            Yaml::Bool(b) => Some(*b),
            other => {
                self.wrong_type(key, "`true` or `false`", other);
                None
            }
        }
    }

    /// A non-negative integer.
    pub fn uint(&mut self, key: &str) -> Option<u64> {
        match self.value(key)? {
            Yaml::Int(i) if *i >= 0 => Some(*i as u64),
            other => {
                self.wrong_type(key, "a whole number", other);
                None
            }
        }
    }

    /// A list of strings; a lone string is accepted as a one-item list.
    pub fn string_list(&mut self, key: &str) -> Vec<String> {
        let Some(v) = self.value(key) else {
            return Vec::new();
        };
        match v {
            Yaml::String(s) => vec![s.clone()],
            Yaml::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Yaml::String(s) if !s.trim().is_empty() => out.push(s.clone()),
                        other => {
                            let found = if matches!(other, Yaml::String(_)) {
                                "an empty string"
                            } else {
                                other.type_name()
                            };
                            let hint =
                                if matches!(other, Yaml::Int(_) | Yaml::Float(_) | Yaml::Bool(_)) {
                                    "; put the value in quotes"
                                } else {
                                    ""
                                };
                            self.err_at(
                                codes::WRONG_TYPE,
                                key,
                                format!(
                                    "every item of `{key}` must be a string, found {found}{hint}"
                                ),
                            );
                        }
                    }
                }
                out
            }
            other => {
                self.wrong_type(key, "a list of strings", other);
                Vec::new()
            }
        }
    }

    /// A map of free-form data (`extra`), as is.
    pub fn map(&mut self, key: &str) -> Option<Yaml> {
        match self.value(key)? {
            m @ Yaml::Map(_) => Some(m.clone()),
            other => {
                self.wrong_type(key, "a map", other);
                None
            }
        }
    }

    /// Reports the keys of the map at `path` (described as `what`) that are not `allowed`.
    fn unknown_keys(
        &mut self,
        entries: &[(String, Yaml)],
        path: &str,
        what: &str,
        allowed: &[&str],
    ) {
        for (k, _) in entries {
            if !allowed.contains(&k.as_str()) {
                let loc = self.doc.loc(&format!("{path}.{k}"));
                self.diags.push(Diagnostic::error(
                    codes::UNKNOWN_KEY,
                    self.path,
                    loc.line,
                    loc.col,
                    format!(
                        "unknown key `{k}` in {what}{}; allowed keys: {}",
                        did_you_mean(k, allowed.iter().copied()),
                        allowed.join(", ")
                    ),
                ));
            }
        }
    }

    /// A nested map with known keys, read with its own `Fields` (positions `key.sub`).
    pub fn nested(&mut self, key: &str, allowed: &[&str]) -> Option<Vec<(String, Yaml)>> {
        match self.value(key)? {
            Yaml::Map(entries) => {
                self.unknown_keys(entries, key, &format!("`{key}`"), allowed);
                Some(entries.clone())
            }
            other => {
                self.wrong_type(key, "a map", other);
                None
            }
        }
    }

    /// A list of maps with known keys (`corrections:`): each item's entries, with its dotted
    /// path (`corrections.0`) for [`Fields::nested_error`]. Unknown keys and items that are
    /// not maps are reported at the item.
    pub fn map_list(&mut self, key: &str, allowed: &[&str]) -> Vec<(String, Vec<(String, Yaml)>)> {
        let Some(v) = self.value(key) else {
            return Vec::new();
        };
        let Yaml::List(items) = v else {
            self.wrong_type(key, "a list of maps", v);
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for (n, item) in items.iter().enumerate() {
            let path = format!("{key}.{n}");
            let Yaml::Map(entries) = item else {
                let msg = format!(
                    "every item of `{key}` must be a map ({}), found {}",
                    allowed.join(", "),
                    item.type_name()
                );
                self.err_at(codes::WRONG_TYPE, &path, msg);
                continue;
            };
            self.unknown_keys(entries, &path, &format!("an item of `{key}`"), allowed);
            out.push((path, entries.clone()));
        }
        out
    }

    /// Reports a problem with a nested value `key.sub`.
    pub fn nested_error(&mut self, code: Code, path: &str, message: String) {
        self.err_at(code, path, message);
    }

    /// The position of a key, for checks done after reading (dangling slugs).
    pub fn loc(&self, key: &str) -> (usize, usize) {
        let l = self.doc.loc(key);
        (l.line, l.value_col)
    }
}
