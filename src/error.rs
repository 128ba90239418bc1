//! Diagnostics: what went wrong, where, and how to fix it.
//!
//! One convention: a pipeline stage pushes [`Diagnostic`]s into the run's `&mut Vec` and
//! carries on; a pure function returns its diagnostics with its value (`(T, Vec<_>)`, or `Vec<_>`
//! for a check). A run then [`sort`]s them, so that it reports every problem at once in file
//! order; `cli` prints them through `report` and picks the exit code. Byte offsets are
//! turned into 1-based line and column by [`LineIndex`], the one place that does it.

pub use crate::codes::Code;
use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    /// The build cannot produce a correct site.
    Error,
    /// The site builds, but something is probably not what the author meant.
    Warning,
    /// Worth knowing, nothing wrong (e.g. data last checked long ago); `check --strict`
    /// leaves it alone.
    Info,
}

/// One problem, with its place in a file when it has one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, as the user would type it (site root joined with the relative path).
    pub path: Option<PathBuf>,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column in characters, 0 when unknown.
    pub col: usize,
    /// What is wrong, and how to fix it: by convention "problem; fix", the part after the
    /// first `; ` being the help (see [`Diagnostic::parts`]).
    pub message: String,
    /// The stable code (`E0012`), documented in `docs/diagnostics.md`.
    pub code: &'static str,
}

impl Diagnostic {
    /// An error at a file position.
    pub fn error(
        code: Code,
        path: &Path,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: Some(path.to_path_buf()),
            line,
            col,
            message: message.into(),
            code: code.id,
        }
    }

    /// A warning at a file position.
    pub fn warning(
        code: Code,
        path: &Path,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, path, line, col, message)
        }
    }

    /// The same, as a warning.
    pub fn as_warning(self) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..self
        }
    }

    /// The same, as information: nothing wrong, but worth knowing.
    pub fn as_info(self) -> Self {
        Diagnostic {
            severity: Severity::Info,
            ..self
        }
    }

    /// A warning that belongs to no file (e.g. the preview listens on the network).
    pub fn global_warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::global(code, message)
        }
    }

    /// An error about no file in particular (the output folder, the network).
    pub fn global(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: None,
            line: 0,
            col: 0,
            message: message.into(),
            code: code.id,
        }
    }

    /// An error about a whole file, or about a file with no better position.
    pub fn file(code: Code, path: &Path, message: impl Into<String>) -> Self {
        Diagnostic::error(code, path, 0, 0, message)
    }

    /// The message split into the problem and the help: "problem; fix" → ("problem", "fix").
    pub fn parts(&self) -> (&str, Option<&str>) {
        match self.message.split_once("; ") {
            Some((problem, help)) => (problem, Some(help)),
            None => (&self.message, None),
        }
    }

    /// Is this an error (as opposed to a warning)?
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        write!(f, "{label}: ")?;
        if let Some(path) = &self.path {
            // About the file as a whole: `:1:1`, so that every editor can jump to it.
            write!(
                f,
                "{}:{}:{}: ",
                path.display(),
                self.line.max(1),
                self.col.max(1)
            )?;
        }
        write!(f, "{}", self.message)
    }
}

/// Whether any of `diags` is an error (warnings and notices do not fail a run).
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

/// Sorts diagnostics by file and position, so output is stable whatever the thread order
/// was (errors and warnings interleaved as they occur in the files), and drops repeats.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        (&a.path, a.line, a.col, a.severity, &a.message)
            .cmp(&(&b.path, b.line, b.col, b.severity, &b.message))
    });
    diags.dedup();
}

/// Maps byte offsets in a text to 1-based line and column (columns count characters).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The 1-based (line, column) of byte `offset` in `text` (the text given to `new`).
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let col = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }
}

/// Suggests the candidate closest to `word`, if one is close enough to be a likely typo: a
/// small edit distance (transpositions count once), or a long shared prefix.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let allowed = match word.chars().count() {
        0..=4 => 1,
        5..=9 => 2,
        _ => 3,
    };
    let mut best: Option<(usize, f64, &str)> = None;
    for c in candidates {
        let dist = strsim::osa_distance(word, c);
        let jw = strsim::jaro_winkler(word, c);
        if dist > allowed && jw < 0.9 {
            continue;
        }
        // Ties go to the first candidate in alphabetical order, so that the suggestion does
        // not depend on the order candidates come in (a hash map's keys, for one).
        let better = best.is_none_or(|(d, j, b)| (dist, -jw, c) < (d, -j, b));
        if better {
            best = Some((dist, jw, c));
        }
    }
    best.map(|(_, _, c)| c)
}

/// `; did you mean `x`?` when there is a close candidate, else an empty string.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(word, candidates)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_is_one_based_on_every_line() {
        let text = "ab\ncdé\n\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 1), (1, 2));
        assert_eq!(idx.line_col(text, 3), (2, 1));
        // `é` is two bytes but one column.
        assert_eq!(idx.line_col(text, 7), (2, 4));
        assert_eq!(idx.line_col(text, 8), (3, 1));
        assert_eq!(idx.line_col(text, 9), (4, 1));
        assert_eq!(idx.line_col(text, 99), (4, 2));
    }

    #[test]
    fn display_has_path_line_col() {
        use crate::codes::*;
        let d = Diagnostic::error(YAML, Path::new("content/a.md"), 3, 1, "bad");
        assert_eq!(d.to_string(), "error: content/a.md:3:1: bad");
        let d = Diagnostic::file(IO, Path::new("x.md"), "unreadable");
        assert_eq!(d.to_string(), "error: x.md:1:1: unreadable");
        assert_eq!(Diagnostic::global(OUTPUT, "no").to_string(), "error: no");
    }

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(closest("titel", ["title", "date", "tags"]), Some("title"));
        assert_eq!(closest("zzz", ["title", "date"]), None);
        // Equally close: the same answer in any order.
        assert_eq!(closest("ab-12", ["ab-39", "ab-46"]), Some("ab-39"));
        assert_eq!(closest("ab-12", ["ab-46", "ab-39"]), Some("ab-39"));
    }
}

/// A diagnostic as the build cache keeps it: its code is read back as the code table's own
/// string, and a code this binary does not know refuses the record.
#[derive(serde::Deserialize)]
struct Stored {
    severity: Severity,
    path: Option<PathBuf>,
    line: usize,
    col: usize,
    message: String,
    code: String,
}

impl<'de> serde::Deserialize<'de> for Diagnostic {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Diagnostic, D::Error> {
        use serde::de::Error;
        Diagnostic::try_from(Stored::deserialize(d)?).map_err(D::Error::custom)
    }
}

impl TryFrom<Stored> for Diagnostic {
    type Error = String;

    fn try_from(d: Stored) -> Result<Diagnostic, String> {
        let code = crate::codes::ALL
            .iter()
            .map(|c| c.id)
            .find(|c| *c == d.code)
            .ok_or_else(|| format!("unknown diagnostic code {}", d.code))?;
        Ok(Diagnostic {
            severity: d.severity,
            path: d.path,
            line: d.line,
            col: d.col,
            message: d.message,
            code,
        })
    }
}
