//! Finding glossary names in text: whole words, longest match first.
//!
//! One Aho–Corasick automaton holds every surface (name, abbreviation, alias) of every entry
//! that allows automatic links, searched leftmost-longest (fast: it uses prefilters). When the
//! longest match fails the whole-word test ("Beijing Conventions"), a second automaton over
//! the same surfaces, in overlapping mode, looks for a shorter surface that passes at the same
//! place; that is rare, so its slower search costs nothing in practice.

use crate::codes;
use crate::content::Entry;
use crate::error::Diagnostic;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::collections::HashMap;

/// A name found in a text: the byte range and the entry index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// Start byte.
    pub start: usize,
    /// End byte (exclusive).
    pub end: usize,
    /// Index of the entry in the glossary.
    pub entry: usize,
}

/// The automaton and which entry each pattern belongs to.
pub struct Matcher {
    /// Leftmost-longest, for the common case.
    automaton: Option<AhoCorasick>,
    /// Overlapping (standard semantics), for the fallback.
    overlapping: Option<AhoCorasick>,
    owners: Vec<usize>,
}

impl Matcher {
    /// Builds the automaton over the surfaces of `entries` (indexes as in the slice). A surface
    /// claimed by two entries is an error naming both files; it links to neither.
    pub fn new(entries: &[Entry]) -> (Matcher, Vec<Diagnostic>) {
        Matcher::select(entries, |e| e.autolink)
    }

    /// The same over the entries `keep` selects (e.g. the explicit-only ones, for `check`).
    pub fn select(entries: &[Entry], keep: impl Fn(&Entry) -> bool) -> (Matcher, Vec<Diagnostic>) {
        Matcher::with(entries, keep, |_| false)
    }

    /// The same, matching only the abbreviation of the entries `abbr_only` selects (another
    /// language's originals, in a translation).
    pub fn with(
        entries: &[Entry],
        keep: impl Fn(&Entry) -> bool,
        abbr_only: impl Fn(&Entry) -> bool,
    ) -> (Matcher, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut owner_of: HashMap<&str, usize> = HashMap::new();
        let mut clashes: Vec<&str> = Vec::new();
        let mut patterns: Vec<&str> = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            if !keep(e) {
                continue;
            }
            let names = !abbr_only(e);
            let surfaces = names
                .then_some(e.name.as_str())
                .into_iter()
                .chain(e.abbr.as_deref())
                .chain(e.aliases.iter().filter(|_| names).map(String::as_str));
            for s in surfaces {
                let s = s.trim();
                if s.is_empty() {
                    continue;
                }
                match owner_of.get(s) {
                    None => {
                        owner_of.insert(s, i);
                        patterns.push(s);
                    }
                    Some(&j) if j == i => {}
                    Some(&j) => {
                        diags.push(Diagnostic::file(codes::SHARED_NAME,
                            &e.file.path,
                            format!(
                                "`{s}` is a name, abbreviation or alias of both this entry and {}; automatic links cannot choose, so remove it from one (or set `autolink: false` on one)",
                                entries[j].file.path.display()
                            ),
                        ));
                        clashes.push(s);
                    }
                }
            }
        }
        patterns.retain(|p| !clashes.contains(p));
        let mut owners: Vec<usize> = patterns.iter().map(|p| owner_of[p]).collect();
        // Smart punctuation turns `'` into `’` in the text: match either spelling.
        let mut variants: Vec<String> = Vec::new();
        for (p, &o) in patterns.iter().zip(owners.clone().iter()) {
            for (from, to) in [('\'', '’'), ('’', '\'')] {
                if p.contains(from) {
                    let v = p.replace(from, &to.to_string());
                    if !owner_of.contains_key(v.as_str()) {
                        variants.push(v);
                        owners.push(o);
                    }
                }
            }
        }
        let patterns: Vec<&str> = patterns
            .into_iter()
            .chain(variants.iter().map(String::as_str))
            .collect();
        let build = |kind, engine| {
            (!patterns.is_empty())
                .then(|| {
                    AhoCorasick::builder()
                        .match_kind(kind)
                        .kind(engine)
                        .build(&patterns)
                        .ok()
                })
                .flatten()
        };
        // Contiguous NFAs: on 6,000 names a DFA took ten times longer to build (a quarter of
        // a second) and searched no faster, the prefilter doing most of the work.
        let automaton = build(
            MatchKind::LeftmostLongest,
            Some(AhoCorasickKind::ContiguousNFA),
        );
        let overlapping = build(MatchKind::Standard, Some(AhoCorasickKind::ContiguousNFA));
        (
            Matcher {
                automaton,
                overlapping,
                owners,
            },
            diags,
        )
    }

    /// Every whole-word, non-overlapping, leftmost-longest occurrence of a surface in `text`.
    /// A line break counts as a space (names are written with spaces, and a soft break in the
    /// source must not hide them).
    pub fn find(&self, text: &str) -> Vec<Found> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        let spaced;
        let text = if text.contains('\n') {
            // Same length, so offsets stay valid in the original.
            spaced = text.replace('\n', " ");
            spaced.as_str()
        } else {
            text
        };
        let mut out = Vec::new();
        let mut pos = 0;
        while pos < text.len() {
            let Some(m) = ac.find(aho_corasick::Input::new(text).span(pos..text.len())) else {
                break;
            };
            if is_word_boundary(text, m.start(), m.end()) {
                out.push(self.found(m));
                pos = m.end();
                continue;
            }
            match self.shorter_at(text, m.start(), m.end()) {
                Some(f) => {
                    pos = f.end;
                    out.push(f);
                }
                // Nothing starts here: try from the next character.
                None => {
                    pos = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8)
                }
            }
        }
        out
    }

    fn found(&self, m: aho_corasick::Match) -> Found {
        Found {
            start: m.start(),
            end: m.end(),
            entry: self.owners[m.pattern().as_usize()],
        }
    }

    /// The longest whole-word surface starting at `start` and ending before `end`.
    fn shorter_at(&self, text: &str, start: usize, end: usize) -> Option<Found> {
        let ac = self.overlapping.as_ref()?;
        ac.find_overlapping_iter(aho_corasick::Input::new(text).span(start..end))
            .filter(|m| m.start() == start && is_word_boundary(text, m.start(), m.end()))
            .max_by_key(|m| m.end())
            .map(|m| self.found(m))
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether two characters side by side are in one word. A character of a script written
/// without spaces (Han, kana, Thai) never joins: there a name matches at any position, and
/// next to a Latin name it is a boundary (`与ICAO就`).
fn joined(a: char, b: char) -> bool {
    is_word_char(a) && is_word_char(b) && !crate::lang::unspaced(a) && !crate::lang::unspaced(b)
}

/// Whether `text[start..end]` is a whole word: no word character touches it on either side.
/// A surface that itself starts or ends with punctuation (`U.S.`) only needs the side with a
/// word character to be clear.
fn is_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let inner_first = text[start..end].chars().next();
    let inner_last = text[start..end].chars().next_back();
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let clear = |outer: Option<char>, inner: Option<char>| match (outer, inner) {
        (Some(o), Some(i)) => !joined(o, i),
        _ => true,
    };
    clear(before, inner_first) && clear(after, inner_last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{parse_entry, Kind};
    use std::path::Path;

    fn entry(slug: &str, fm: &str) -> Entry {
        let (e, d) = parse_entry(
            Path::new(&format!("{slug}.md")),
            Kind::Treaty,
            format!("---\n{fm}\n---\n"),
        );
        assert!(d.is_empty(), "{d:?}");
        e.unwrap()
    }

    fn found(m: &Matcher, text: &str) -> Vec<(String, usize)> {
        m.find(text)
            .into_iter()
            .map(|f| (text[f.start..f.end].to_string(), f.entry))
            .collect()
    }

    #[test]
    fn longest_whole_word_match_wins() {
        let entries = [
            entry("bc", "name: Beijing Convention"),
            entry("bc2010", "name: 2010 Beijing Convention"),
            entry("nsa", "name: National Security Agency\nabbr: NSA"),
        ];
        let (m, d) = Matcher::new(&entries);
        assert!(d.is_empty());
        assert_eq!(
            found(&m, "The 2010 Beijing Convention and the Beijing Convention; NSA's view, not NSAs or UNSA."),
            [
                ("2010 Beijing Convention".to_string(), 1),
                ("Beijing Convention".to_string(), 0),
                ("NSA".to_string(), 2),
            ]
        );
    }

    #[test]
    fn a_failed_long_match_does_not_hide_a_shorter_one() {
        let entries = [
            entry("a", "name: Beijing Convention"),
            entry("b", "name: Beijing Convention on Aviation"),
        ];
        let (m, _) = Matcher::new(&entries);
        assert_eq!(
            found(&m, "the Beijing Convention on Aviations"),
            [("Beijing Convention".to_string(), 0)]
        );
    }

    #[test]
    fn straight_and_curly_apostrophes_and_line_breaks_match() {
        let (m, _) = Matcher::new(&[entry("pla", "name: \"People's Liberation Army\"")]);
        assert_eq!(found(&m, "the People’s Liberation Army").len(), 1);
        assert_eq!(found(&m, "the People's\nLiberation Army").len(), 1);
    }

    #[test]
    fn matching_is_case_sensitive() {
        let (m, _) = Matcher::new(&[entry("nsa", "name: National Security Agency\nabbr: NSA")]);
        assert!(found(&m, "the nsa and the national security agency").is_empty());
    }

    #[test]
    fn shared_alias_is_an_error_naming_both_files() {
        let entries = [
            entry("a", "name: A Treaty\naliases: [the Accord]"),
            entry("b", "name: B Treaty\naliases: [the Accord]"),
        ];
        let (m, d) = Matcher::new(&entries);
        assert_eq!(d.len(), 1);
        let msg = d[0].to_string();
        assert!(
            msg.starts_with("error: b.md:1:1: `the Accord`") && msg.contains("a.md"),
            "{msg}"
        );
        assert!(found(&m, "under the Accord").is_empty());
    }

    #[test]
    fn names_in_scripts_without_spaces_match_anywhere() {
        let entries = [
            entry("cac", "name: 国家互联网信息办公室\naliases: [网信办]"),
            entry("icao", "name: 国际民用航空组织\nabbr: ICAO"),
            entry("un", "name: United Nations\nabbr: UN"),
        ];
        let (m, _) = Matcher::new(&entries);
        assert_eq!(
            found(&m, "中国国家互联网信息办公室与ICAO就网信办的问题"),
            [
                ("国家互联网信息办公室".to_string(), 0),
                ("ICAO".to_string(), 1),
                ("网信办".to_string(), 0),
            ]
        );
        // Latin letters still join Latin letters: no link inside a word.
        assert!(found(&m, "ICAOs UNESCO xICAO").is_empty());
        assert_eq!(found(&m, "联合国UN大会").len(), 1);
    }

    #[test]
    fn abbreviation_only_entries_match_their_abbreviation() {
        let entries = [entry(
            "un",
            "name: United Nations\nabbr: UN\naliases: [the U.N.]",
        )];
        let (m, _) = Matcher::with(&entries, |_| true, |_| true);
        assert_eq!(
            found(&m, "United Nations, the U.N., UN"),
            [("UN".to_string(), 0)]
        );
    }

    #[test]
    fn entries_without_autolink_are_not_matched() {
        let (m, _) = Matcher::new(&[entry("x", "name: Commission\nautolink: false")]);
        assert!(found(&m, "the Commission").is_empty());
    }
}
