//! Printing diagnostics for people and for tools.
//!
//! Three formats: `short`, the contract's one line per problem
//! (`error: PATH:LINE:COL: message`); `human`, the same with the offending source line and a
//! caret under it, rendered by codespan-reporting, in colour on a terminal unless `NO_COLOR`
//! is set; `json`, one object per line. The default is `human` on a terminal, `short`
//! otherwise, so pipes and CI logs stay one line per problem.

use crate::error::{Diagnostic, Severity};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor};
use std::io::IsTerminal;
use std::ops::Range;

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// With the source line and a caret (default on a terminal).
    Human,
    /// One line each: `error: PATH:LINE:COL: message`.
    Short,
    /// One JSON object per line.
    Json,
}

impl Format {
    /// The format asked for, or the default for where stderr goes.
    pub fn resolve(asked: Option<Format>) -> Format {
        asked.unwrap_or(if std::io::stderr().is_terminal() {
            Format::Human
        } else {
            Format::Short
        })
    }
}

/// Whether to colour human output: a terminal, and no `NO_COLOR`.
pub fn use_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Renders one diagnostic in `format`. `source` gives the text of the file a diagnostic
/// points into (the caller reads it; tests pass literals).
pub fn render(
    d: &Diagnostic,
    format: Format,
    color: bool,
    source: &dyn Fn(&Diagnostic) -> Option<String>,
) -> String {
    match format {
        Format::Short => format!("{d}\n"),
        Format::Json => json(d) + "\n",
        Format::Human => human(d, color, source(d).as_deref()),
    }
}

/// The JSON object of a diagnostic.
pub fn json(d: &Diagnostic) -> String {
    let (message, help) = d.parts();
    let value = serde_json::json!({
        "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning", Severity::Info => "info" },
        "code": d.code,
        "path": d.path.as_ref().map(|p| p.display().to_string()),
        "line": d.path.is_some().then_some(d.line.max(1)),
        "column": d.path.is_some().then_some(d.col.max(1)),
        "message": message,
        "help": help,
    });
    value.to_string()
}

/// One line of a file, reported under its real line number.
struct OneLine {
    name: String,
    line: usize,
    text: String,
}

impl<'a> Files<'a> for OneLine {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, _: ()) -> Result<&'a str, FilesError> {
        Ok(&self.name)
    }

    fn source(&'a self, _: ()) -> Result<&'a str, FilesError> {
        Ok(&self.text)
    }

    fn line_index(&'a self, _: (), _: usize) -> Result<usize, FilesError> {
        Ok(0)
    }

    fn line_number(&'a self, _: (), _: usize) -> Result<usize, FilesError> {
        Ok(self.line)
    }

    fn line_range(&'a self, _: (), _: usize) -> Result<Range<usize>, FilesError> {
        Ok(0..self.text.len())
    }
}

/// The bytes to underline in `line`, starting at 1-based character column `col`: a `[…]`
/// construct whole, else the word (a YAML key stops at its `:`).
fn span(line: &str, col: usize) -> Range<usize> {
    let start = line
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    let len = if rest.starts_with('[') {
        rest.find(']').map_or(rest.len(), |i| {
            let closing = rest[i..].chars().take_while(|&c| c == ']').count();
            i + closing
        })
    } else {
        rest.find(|c: char| c.is_whitespace() || c == ':')
            .unwrap_or(rest.len())
    };
    start
        ..start
            + len.max(if rest.is_empty() {
                0
            } else {
                rest.chars().next().map_or(0, char::len_utf8)
            })
}

fn human(d: &Diagnostic, color: bool, source: Option<&str>) -> String {
    let (message, help) = d.parts();
    let mut diag = match d.severity {
        Severity::Error => cs::Diagnostic::error(),
        Severity::Warning => cs::Diagnostic::warning(),
        Severity::Info => cs::Diagnostic::note(),
    }
    .with_message(message)
    .with_code(d.code);
    if let Some(h) = help {
        diag = diag.with_notes(vec![format!("help: {h}")]);
    }
    let line_text = source
        .and_then(|s| s.lines().nth(d.line.checked_sub(1)?))
        .map(|l| l.trim_end_matches('\r').to_string());
    let files = OneLine {
        name: d
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        line: d.line,
        text: line_text.clone().unwrap_or_default(),
    };
    let mut out = String::new();
    if let (Some(_), Some(text)) = (&d.path, &line_text) {
        diag = diag.with_labels(vec![cs::Label::primary((), span(text, d.col))]);
    } else if let Some(p) = &d.path {
        // No line to show: name the place in the header, as the short form does.
        let place = format!("{}:{}:{}", p.display(), d.line.max(1), d.col.max(1));
        diag.message = format!("{place}: {}", diag.message);
    }
    let config = term::Config::default();
    let mut buf = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    if term::emit_to_write_style(&mut buf, &config, &files, &diag).is_err() {
        return format!("{d}\n");
    }
    out.push_str(&String::from_utf8_lossy(buf.as_slice()));
    out
}

/// Reads the file a diagnostic points into, for the human format.
pub fn read_source(d: &Diagnostic) -> Option<String> {
    if d.line == 0 {
        return None;
    }
    std::fs::read_to_string(d.path.as_ref()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes;
    use std::path::Path;

    fn unknown_key() -> Diagnostic {
        Diagnostic::error(
            codes::UNKNOWN_KEY,
            Path::new("content/a.md"),
            4,
            1,
            "unknown key `titel`; did you mean `title`?",
        )
    }

    #[test]
    fn human_shows_the_line_and_a_caret() {
        let src = "---\ntitle: A\ndate: 2014-02-27\ntitel: x\n---\n";
        let out = render(&unknown_key(), Format::Human, false, &|_| {
            Some(src.to_string())
        });
        assert_eq!(
            out,
            "error[E0012]: unknown key `titel`\n  ┌─ content/a.md:4:1\n  │\n4 │ titel: x\n  │ ^^^^^\n  │\n  = help: did you mean `title`?\n\n"
        );
    }

    #[test]
    fn human_underlines_a_bracketed_construct_whole() {
        let d = Diagnostic::error(
            codes::UNKNOWN_LINK,
            Path::new("a.md"),
            1,
            5,
            "`nsaa` is not a glossary entry",
        );
        let out = render(&d, Format::Human, false, &|_| {
            Some("See [[nsaa]] here.".into())
        });
        assert!(
            out.contains("1 │ See [[nsaa]] here.\n  │     ^^^^^^^^\n"),
            "{out}"
        );
    }

    #[test]
    fn human_without_a_source_line_keeps_the_place() {
        let d = Diagnostic::file(
            codes::DUPLICATE_SLUG,
            Path::new("b.md"),
            "the slug is taken; rename it",
        );
        let out = render(&d, Format::Human, false, &|_| None);
        assert_eq!(
            out,
            "error[E0017]: b.md:1:1: the slug is taken\n = help: rename it\n\n"
        );
    }

    #[test]
    fn colour_only_when_asked() {
        let src = "titel: x\n";
        let plain = render(&unknown_key(), Format::Human, false, &|_| Some(src.into()));
        let coloured = render(&unknown_key(), Format::Human, true, &|_| Some(src.into()));
        assert!(!plain.contains('\x1b'));
        assert!(coloured.contains('\x1b'));
    }

    #[test]
    fn json_has_every_field() {
        let out = render(&unknown_key(), Format::Json, false, &|_| None);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["severity"], "error");
        assert_eq!(v["code"], "E0012");
        assert_eq!(v["path"], "content/a.md");
        assert_eq!(v["line"], 4);
        assert_eq!(v["column"], 1);
        assert_eq!(v["message"], "unknown key `titel`");
        assert_eq!(v["help"], "did you mean `title`?");
        let global = json(&Diagnostic::global(codes::OUTPUT, "refused"));
        assert_eq!(
            global,
            r#"{"code":"E0050","column":null,"help":null,"line":null,"message":"refused","path":null,"severity":"error"}"#
        );
    }

    #[test]
    fn short_is_the_contract_line() {
        assert_eq!(
            render(&unknown_key(), Format::Short, false, &|_| None),
            "error: content/a.md:4:1: unknown key `titel`; did you mean `title`?\n"
        );
    }
}
