//! `check`'s report on treaty facts going stale or being misstated:
//!
//! - **stale parties** (info): a treaty whose `parties_as_of` is more than a year before the
//!   day of the check;
//! - **premature entry into force** (warning): a sentence of a commentary that names a treaty
//!   and says it "entered into force" or is "in force", in a commentary dated before the
//!   treaty's `in_force` date.
//!
//! The second is a deliberately simple pattern, documented in README.md: a sentence (text
//! between `.`, `!` or `?` and a space, or a blank line) that contains one of the treaty's
//! names (its `name`, `abbr` or an alias, as written, or `[[slug]]`) and the words `entered
//! into force` or `in force`, and none of the words that usually make such a sentence about
//! the future or a negation (`not`, `n't`, `yet`, `before`, `until`, `once`, `when`, `will`,
//! `would`, `could`, `may`, `might`, `if`, `pending`, `awaiting`). It misses paraphrases and
//! may flag a sentence it misreads; a warning is a prompt to reread the sentence, not a
//! verdict.

use crate::codes;
use crate::content::{Commentary, Date, Entry, Kind};
use crate::error::{Diagnostic, LineIndex};

/// Words that make a sentence about the future, a condition or a negation.
const HEDGES: &[&str] = &[
    "not", "n't", "yet", "before", "until", "once", "when", "will", "would", "could", "may",
    "might", "if", "pending", "awaiting",
];

/// `check`: treaties whose parties were last checked more than a year before `today`.
pub fn stale_parties<'a>(
    entries: impl IntoIterator<Item = &'a Entry>,
    today: Date,
) -> Vec<Diagnostic> {
    let year_ago = today.days() - 365;
    entries
        .into_iter()
        .filter(|e| e.kind == Kind::Treaty)
        .filter_map(|e| {
            let as_of = e.record.parties_as_of?;
            (as_of.days() < year_ago).then(|| {
                let (line, col) = e.record.parties_as_of_at;
                Diagnostic::warning(
                    codes::STALE_PARTIES,
                    &e.file.path,
                    line,
                    col,
                    format!(
                        "the parties of `{}` were last checked on {as_of}, more than a year ago; check them against the depositary's list and update the parties file and `parties_as_of`",
                        e.name
                    ),
                )
                .as_info()
            })
        })
        .collect()
}

/// The sentences of `text` as byte ranges: split after `.`, `!` or `?` followed by white
/// space, and at blank lines.
fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let end_mark = matches!(bytes[i], b'.' | b'!' | b'?')
            && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace());
        let blank = bytes[i] == b'\n' && bytes.get(i + 1) == Some(&b'\n');
        if end_mark || blank {
            out.push((start, i + 1));
            start = i + 1;
        }
        i += 1;
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

/// Whether `sentence` says something is in force, plainly (no hedge word).
fn claims_in_force(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .collect();
    let says = words
        .windows(2)
        .any(|w| w == ["in", "force"] || w == ["into", "force"]);
    says && !words
        .iter()
        .any(|w| HEDGES.contains(w) || w.ends_with("n't"))
}

/// Whether `sentence` names the treaty.
fn names(sentence: &str, e: &Entry) -> bool {
    let wiki = [format!("[[{}]]", e.slug), format!("[[{}|", e.slug)];
    std::iter::once(e.name.as_str())
        .chain(e.abbr.as_deref())
        .chain(e.aliases.iter().map(String::as_str))
        .filter(|s| !s.trim().is_empty())
        .any(|s| sentence.contains(s))
        || wiki.iter().any(|w| sentence.contains(w.as_str()))
}

/// `check`: the sentences of a commentary that say a treaty is in force, when the commentary
/// is dated before the treaty's `in_force` date (see the module documentation for the
/// pattern).
pub fn premature_in_force(c: &Commentary, entries: &[Entry]) -> Vec<Diagnostic> {
    let early: Vec<(&Entry, Date)> = entries
        .iter()
        .filter(|e| e.kind == Kind::Treaty)
        .filter_map(|e| Some((e, e.in_force?)))
        .filter(|(_, d)| c.date < *d)
        .collect();
    let mut out = Vec::new();
    if !early.is_empty() {
        let body = c.file.body();
        let mut index = None;
        for (s, end) in sentences(body) {
            let sentence = &body[s..end];
            if !claims_in_force(sentence) {
                continue;
            }
            for (e, in_force) in &early {
                if names(sentence, e) {
                    let lines = index.get_or_insert_with(|| LineIndex::new(&c.file.text));
                    let lead = sentence.len() - sentence.trim_start().len();
                    let (line, col) = lines.line_col(&c.file.text, c.file.body_start + s + lead);
                    out.push(Diagnostic::warning(
                        codes::PREMATURE_IN_FORCE,
                        &c.file.path,
                        line,
                        col,
                        format!(
                            "this sentence says `{}` is in force, but it entered into force on {}, after this commentary's date ({}); reword it (e.g. \"not yet in force\"), or correct `in_force` or the date",
                            e.name,
                            in_force.text(),
                            c.date.text()
                        ),
                    ));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse_commentary;
    use crate::glossary::status::tests::treaty;
    use std::path::Path;

    #[test]
    fn hedged_sentences_are_not_claims() {
        assert!(claims_in_force(
            "The Beijing Convention entered into force in 2018."
        ));
        assert!(claims_in_force("The convention is in force."));
        assert!(!claims_in_force("The convention is not yet in force."));
        assert!(!claims_in_force(
            "It will enter into force when 22 states ratify."
        ));
        assert!(!claims_in_force("It isn't in force."));
        assert!(!claims_in_force("The forces were in position."));
    }

    #[test]
    fn a_claim_before_entry_into_force_is_reported_at_its_sentence() {
        let e = treaty(
            "name: Beijing Convention\nabbr: BC\nin_force: 2018-07-01\n",
            None,
        );
        let text = "---\ntitle: T\ndate: 2014-03-01\n---\n\nAdopted in 2010. The BC entered into force\nlast year. The Beijing Convention is not yet in force.\n\n[[t]] is in force.\n";
        let (c, _) = parse_commentary(Path::new("c.md"), text.into());
        let c = c.unwrap();
        let d: Vec<String> = premature_in_force(&c, std::slice::from_ref(&e))
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(d.len(), 2, "{d:#?}");
        assert!(d[0].starts_with("warning: c.md:6:18: this sentence says `Beijing Convention` is in force, but it entered into force on 1 July 2018, after this commentary's date (1 March 2014)"), "{d:?}");
        assert!(d[1].starts_with("warning: c.md:9:1:"), "{d:?}");
        // Written after entry into force: nothing to report.
        let later = text.replace("2014-03-01", "2019-01-01");
        let (c, _) = parse_commentary(Path::new("c.md"), later);
        assert!(premature_in_force(&c.unwrap(), std::slice::from_ref(&e)).is_empty());
    }

    #[test]
    fn parties_checked_more_than_a_year_ago() {
        let e = treaty("name: T\nparties_as_of: 2020-01-01\n", None);
        let d = |s| Date::parse(s).unwrap();
        assert!(stale_parties([&e], d("2020-12-31")).is_empty());
        let info = stale_parties([&e], d("2021-01-02"));
        assert_eq!(
            info[0].to_string(),
            "info: t.md:3:16: the parties of `T` were last checked on 2020-01-01, more than a year ago; check them against the depositary's list and update the parties file and `parties_as_of`"
        );
    }
}
