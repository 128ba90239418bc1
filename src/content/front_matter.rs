//! Front matter: splitting it off a file, and YAML parsing for the whole crate.
//!
//! This is the only module that names `serde_yaml` (deprecated upstream): YAML text goes in,
//! our own [`Yaml`] tree comes out, with the line and column of every mapping key so that
//! later checks can point at the offending key. Switching to a maintained fork means
//! changing the `use` below and `Cargo.toml`, nothing else.

use serde_yaml as yaml_impl;
use std::collections::HashMap;

/// A YAML value, independent of the parser crate.
#[derive(Debug, Clone, PartialEq)]
pub enum Yaml {
    /// `~`, `null` or an empty value.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string (YAML's dates stay strings: serde_yaml implements the core schema).
    String(String),
    /// A sequence.
    List(Vec<Yaml>),
    /// A mapping, in source order.
    Map(Vec<(String, Yaml)>),
}

impl Yaml {
    /// The name of the value's type, for messages ("expected a string, found a list").
    pub fn type_name(&self) -> &'static str {
        match self {
            Yaml::Null => "an empty value",
            Yaml::Bool(_) => "a boolean",
            Yaml::Int(_) | Yaml::Float(_) => "a number",
            Yaml::String(_) => "a string",
            Yaml::List(_) => "a list",
            Yaml::Map(_) => "a map",
        }
    }
}

// By hand: floats have no `Hash`; their bits do, which is what a content fingerprint needs.
impl std::hash::Hash for Yaml {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        std::mem::discriminant(self).hash(h);
        match self {
            Yaml::Null => {}
            Yaml::Bool(b) => b.hash(h),
            Yaml::Int(i) => i.hash(h),
            Yaml::Float(f) => f.to_bits().hash(h),
            Yaml::String(s) => s.hash(h),
            Yaml::List(items) => items.hash(h),
            Yaml::Map(entries) => entries.hash(h),
        }
    }
}

impl serde::Serialize for Yaml {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            Yaml::Null => s.serialize_none(),
            Yaml::Bool(b) => s.serialize_bool(*b),
            Yaml::Int(i) => s.serialize_i64(*i),
            Yaml::Float(f) => s.serialize_f64(*f),
            Yaml::String(v) => s.serialize_str(v),
            Yaml::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for i in items {
                    seq.serialize_element(i)?;
                }
                seq.end()
            }
            Yaml::Map(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// [`Yaml`] for a binary store (the build cache): its own `Serialize` is untagged, for
/// templates and JSON, and cannot be read back. Use with `#[serde(with = "tagged")]`.
pub mod tagged {
    use super::Yaml;
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize)]
    enum Tagged {
        Null,
        Bool(bool),
        Int(i64),
        Float(f64),
        String(String),
        List(Vec<Tagged>),
        Map(Vec<(String, Tagged)>),
    }

    fn to(y: &Yaml) -> Tagged {
        match y {
            Yaml::Null => Tagged::Null,
            Yaml::Bool(b) => Tagged::Bool(*b),
            Yaml::Int(i) => Tagged::Int(*i),
            Yaml::Float(f) => Tagged::Float(*f),
            Yaml::String(s) => Tagged::String(s.clone()),
            Yaml::List(items) => Tagged::List(items.iter().map(to).collect()),
            Yaml::Map(entries) => {
                Tagged::Map(entries.iter().map(|(k, v)| (k.clone(), to(v))).collect())
            }
        }
    }

    fn from(t: Tagged) -> Yaml {
        match t {
            Tagged::Null => Yaml::Null,
            Tagged::Bool(b) => Yaml::Bool(b),
            Tagged::Int(i) => Yaml::Int(i),
            Tagged::Float(f) => Yaml::Float(f),
            Tagged::String(s) => Yaml::String(s),
            Tagged::List(items) => Yaml::List(items.into_iter().map(from).collect()),
            Tagged::Map(entries) => {
                Yaml::Map(entries.into_iter().map(|(k, v)| (k, from(v))).collect())
            }
        }
    }

    /// Writes `y` with its variant's tag.
    pub fn serialize<S: serde::Serializer>(y: &Yaml, s: S) -> Result<S::Ok, S::Error> {
        to(y).serialize(s)
    }

    /// Reads what [`serialize`] wrote.
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Yaml, D::Error> {
        Tagged::deserialize(d).map(from)
    }
}

/// Where a key and its value start in the file (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyLoc {
    /// Line of the key.
    pub line: usize,
    /// Column of the key.
    pub col: usize,
    /// Column where the value starts on the key's line (the key's column when the value is
    /// on the next lines).
    pub value_col: usize,
}

/// A parsed YAML mapping with the position of each key, in file coordinates.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Top-level keys and values in source order.
    pub entries: Vec<(String, Yaml)>,
    /// Position by dotted key path (`source.url`).
    locs: HashMap<String, KeyLoc>,
    /// Where to point when a key is missing: the opening `---` line.
    pub start_line: usize,
}

impl Document {
    /// The position of a key (`title`, `source.url`), or of the document start when the key
    /// was not found by the scanner (flow-style maps, for instance).
    pub fn loc(&self, key_path: &str) -> KeyLoc {
        if let Some(l) = self.locs.get(key_path) {
            return *l;
        }
        // A nested key written in flow style `{a: 1}`: point at its parent.
        if let Some((parent, _)) = key_path.rsplit_once('.') {
            return self.loc(parent);
        }
        KeyLoc {
            line: self.start_line,
            col: 1,
            value_col: 1,
        }
    }

    /// The value of a top-level key.
    pub fn get(&self, key: &str) -> Option<&Yaml> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// A YAML syntax or shape error, in file coordinates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// What the parser said, cleaned up.
    pub message: String,
}

/// A file cut into front matter and body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// 1-based file line of the first YAML line.
    pub yaml_line: usize,
    /// The Markdown after the closing `---` line.
    pub body: &'a str,
    /// Byte offset of `body` in the file text.
    pub body_offset: usize,
}

/// Cuts `text` into front matter and body. The error is (line, message).
pub fn split(text: &str) -> Result<Split<'_>, (usize, String)> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let first_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    if rest[..first_end].trim_end() != "---" {
        let what = if text.trim().is_empty() {
            "the file is empty"
        } else {
            "the file does not start with front matter"
        };
        return Err((
            1,
            format!("{what}; start it with a `---` line, the YAML keys, and a closing `---` line"),
        ));
    }
    let yaml_start = start + first_end;
    let mut pos = yaml_start;
    let mut line = 2;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..end].trim_end() == "---" {
            return Ok(Split {
                yaml: &text[yaml_start..pos],
                yaml_line: 2,
                body: &text[end..],
                body_offset: end,
            });
        }
        pos = end;
        line += 1;
    }
    let _ = line;
    Err((
        1,
        "the front matter opened here is never closed; add a `---` line after the last key"
            .to_string(),
    ))
}

/// The largest front matter parsed. serde_yaml takes quadratic time on deeply nested input
/// (400 KB takes ~30 s); real front matter is a few hundred bytes.
pub const MAX_YAML_BYTES: usize = 64 * 1024;

/// Parses a YAML mapping. `first_line` is the file line of the text's first line, so that
/// positions come out in file coordinates; an empty text is an empty mapping.
pub fn parse(yaml: &str, first_line: usize) -> Result<Document, YamlError> {
    if yaml.len() > MAX_YAML_BYTES {
        return Err(YamlError {
            line: first_line,
            col: 1,
            message: format!(
                "the YAML is {} KiB, over the {} KiB limit; move long data out of the front matter",
                yaml.len() / 1024,
                MAX_YAML_BYTES / 1024
            ),
        });
    }
    let value: yaml_impl::Value = if yaml.trim().is_empty() {
        yaml_impl::Value::Null
    } else {
        yaml_impl::from_str(yaml).map_err(|e| {
            let (line, col) = e
                .location()
                .map_or((1, 1), |l| (l.line(), l.column().max(1)));
            YamlError {
                line: line + first_line - 1,
                col,
                message: clean_message(&e.to_string()),
            }
        })?
    };
    let entries = match convert(value).map_err(|message| YamlError {
        line: first_line,
        col: 1,
        message,
    })? {
        Yaml::Map(entries) => entries,
        Yaml::Null => Vec::new(),
        other => {
            return Err(YamlError {
                line: first_line,
                col: 1,
                message: format!(
                    "expected a map of `key: value` lines, found {}",
                    other.type_name()
                ),
            })
        }
    };
    Ok(Document {
        entries,
        locs: scan_keys(yaml, first_line),
        start_line: first_line.saturating_sub(1).max(1),
    })
}

/// serde_yaml appends "at line L column C" to its messages; we print our own position.
fn clean_message(msg: &str) -> String {
    let msg = match msg.find(" at line ") {
        Some(i) => &msg[..i],
        None => msg,
    };
    let msg = msg.trim_end_matches(':');
    if msg.contains("found character that cannot start any token") {
        return format!("{msg} (tabs cannot indent YAML, and `@` or `` ` `` must be quoted)");
    }
    msg.to_string()
}

fn convert(v: yaml_impl::Value) -> Result<Yaml, String> {
    use yaml_impl::Value as V;
    Ok(match v {
        V::Null => Yaml::Null,
        V::Bool(b) => Yaml::Bool(b),
        V::Number(n) => match n.as_i64() {
            Some(i) => Yaml::Int(i),
            None => Yaml::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        V::String(s) => Yaml::String(s),
        V::Sequence(items) => Yaml::List(items.into_iter().map(convert).collect::<Result<_, _>>()?),
        V::Mapping(m) => {
            let mut entries = Vec::with_capacity(m.len());
            for (k, v) in m {
                let key = match k {
                    V::String(s) => s,
                    V::Bool(b) => b.to_string(),
                    V::Number(n) => n.to_string(),
                    V::Null => "null".to_string(),
                    _ => return Err("a map key must be a plain word, not a list or map".into()),
                };
                entries.push((key, convert(v)?));
            }
            Yaml::Map(entries)
        }
        V::Tagged(t) => {
            return Err(format!(
                "YAML tags such as `{}` are not supported; remove the tag",
                t.tag
            ))
        }
    })
}

/// Finds block-style mapping keys and their positions, by indentation. YAML errors are the
/// parser's job: this only runs on text that parsed, and only needs to be right for the keys
/// people write in front matter.
fn scan_keys(yaml: &str, first_line: usize) -> HashMap<String, KeyLoc> {
    let mut locs = HashMap::new();
    // (indent, key or item number, is a list item) of the enclosing keys and items.
    let mut stack: Vec<(usize, String, bool)> = Vec::new();
    // How many items each list has so far, by the list's key path.
    let mut items: HashMap<String, usize> = HashMap::new();
    let path_of = |stack: &[(usize, String, bool)], last: &str| {
        stack
            .iter()
            .map(|(_, k, _)| k.as_str())
            .chain([last])
            .collect::<Vec<_>>()
            .join(".")
    };
    for (i, raw) in yaml.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        let mut indent = line.len() - line.trim_start_matches(' ').len();
        let mut content = &line[indent..];
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let item = content.starts_with("- ") || content == "-";
        // A list may sit at its key's own indentation (`key:` then `- a`): its items belong
        // to that key, not beside it.
        while stack.last().is_some_and(|(ind, _, is_item)| {
            *ind > indent || (*ind == indent && (!item || *is_item))
        }) {
            stack.pop();
        }
        if item {
            // `corrections.0`, `corrections.1`, … and the keys of a map item under them, so
            // that a problem in one item points at that item.
            let list = path_of(&stack, "");
            let list = list.trim_end_matches('.').to_string();
            let n = items.entry(list).or_insert(0);
            let number = n.to_string();
            *n += 1;
            let rest = content[1..].trim_start_matches(' ');
            let value_indent = indent + (content.len() - rest.len());
            locs.entry(path_of(&stack, &number)).or_insert(KeyLoc {
                line: first_line + i,
                col: line[..indent].chars().count() + 1,
                value_col: line[..value_indent].chars().count() + 1,
            });
            stack.push((indent, number, true));
            indent = value_indent;
            content = rest;
        }
        let Some((key, after)) = key_of(content) else {
            continue;
        };
        let path = path_of(&stack, &key);
        let value_ws = after.len() - after.trim_start().len();
        let value_col = if after.trim().is_empty() || after.trim_start().starts_with('#') {
            indent + 1
        } else {
            line[..line.len() - after.len() + value_ws].chars().count() + 1
        };
        locs.entry(path).or_insert(KeyLoc {
            line: first_line + i,
            col: line[..indent].chars().count() + 1,
            value_col,
        });
        stack.push((indent, key, false));
    }
    locs
}

/// `key: rest` → (key, rest) for a plain or quoted key.
fn key_of(content: &str) -> Option<(String, &str)> {
    let (key, rest) = if let Some(q @ ('"' | '\'')) = content.chars().next() {
        let end = content[1..].find(q)? + 1;
        (content[1..end].to_string(), &content[end + 1..])
    } else {
        let colon = content
            .find(": ")
            .or_else(|| content.strip_suffix(':').map(|s| s.len()))?;
        let key = &content[..colon];
        if key.contains(['{', '[', '#', '"', '\'']) {
            return None;
        }
        (key.trim_end().to_string(), &content[colon..])
    };
    let rest = rest.trim_start_matches(' ').strip_prefix(':')?;
    Some((key, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let s = split("---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_offset, 17);
    }

    #[test]
    fn splits_with_bom_and_crlf() {
        let text = "\u{feff}---\r\ntitle: A\r\n---\r\nBody";
        let s = split(text).unwrap();
        assert_eq!(s.yaml, "title: A\r\n");
        assert_eq!(s.body, "Body");
    }

    #[test]
    fn reports_missing_and_unclosed_front_matter() {
        assert!(split("").unwrap_err().1.contains("empty"));
        assert!(split("# Hi").unwrap_err().1.contains("does not start"));
        assert!(split("---\ntitle: A\n")
            .unwrap_err()
            .1
            .contains("never closed"));
    }

    #[test]
    fn key_positions_are_file_lines() {
        let doc = parse(
            "title: A\nsource:\n  url: \"x\"\n  publisher: P\ntags: [a]\n",
            2,
        )
        .unwrap();
        assert_eq!(
            doc.loc("title"),
            KeyLoc {
                line: 2,
                col: 1,
                value_col: 8
            }
        );
        assert_eq!(doc.loc("source.url").line, 4);
        assert_eq!(doc.loc("source.url").col, 3);
        assert_eq!(doc.loc("source.publisher").line, 5);
        assert_eq!(doc.loc("tags").line, 6);
        assert_eq!(
            doc.get("tags"),
            Some(&Yaml::List(vec![Yaml::String("a".into())]))
        );
    }

    #[test]
    fn list_items_and_their_keys_have_positions() {
        let yaml = "title: A\ncorrections:\n  - date: 2020-01-02\n    text: x\n  - text: y\ntags:\n- a\n- b\nafter: 1\n";
        let doc = parse(yaml, 2).unwrap();
        let at = |k: &str| (doc.loc(k).line, doc.loc(k).col, doc.loc(k).value_col);
        assert_eq!(at("corrections.0"), (4, 3, 5));
        assert_eq!(at("corrections.0.date"), (4, 5, 11));
        assert_eq!(at("corrections.0.text"), (5, 5, 11));
        assert_eq!(at("corrections.1"), (6, 3, 5));
        assert_eq!(at("corrections.1.text"), (6, 5, 11));
        // A list at its key's own indentation still belongs to the key.
        assert_eq!(at("tags.1"), (9, 1, 3));
        assert_eq!(at("after"), (10, 1, 8));
    }

    #[test]
    fn syntax_errors_are_in_file_coordinates() {
        let err = parse("title: A\nbad: [\n", 2).unwrap_err();
        assert!(err.line >= 3, "{err:?}");
        assert!(!err.message.contains("at line"));
    }

    #[test]
    fn non_map_front_matter_is_an_error() {
        let err = parse("- a\n- b\n", 2).unwrap_err();
        assert!(err.message.contains("found a list"));
    }

    #[test]
    fn oversized_yaml_is_refused_before_parsing() {
        let big = format!("extra: \"{}\"\n", "x".repeat(MAX_YAML_BYTES));
        let err = parse(&big, 2).unwrap_err();
        assert!(
            err.message.contains("over the 64 KiB limit"),
            "{}",
            err.message
        );
    }

    #[test]
    fn dates_stay_strings() {
        let doc = parse("date: 2014-02-27\n", 2).unwrap();
        assert_eq!(doc.get("date"), Some(&Yaml::String("2014-02-27".into())));
    }
}
