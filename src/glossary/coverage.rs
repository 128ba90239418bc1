//! Glossary coverage: names in the commentaries that look like they deserve an entry.
//!
//! Two shapes are collected from the plain text of each commentary: acronyms (`ICAO`, two to
//! eight capitals) and capitalised multi-word names that end in an institution or treaty word
//! (`Cyber Working Group`, `Tokyo Convention`), the second rule keeping people's names out.
//! Notes are left out: they are mostly citations, whose publishers need no entry.
//! `check` counts in how many commentaries each appears and lists those the glossary does
//! not cover, most frequent first.

use std::collections::BTreeMap;

/// Words that make a capitalised phrase an institution.
const BODY_WORDS: &[&str] = &[
    "Administration",
    "Agency",
    "Army",
    "Assembly",
    "Association",
    "Authority",
    "Bank",
    "Board",
    "Bureau",
    "Center",
    "Centre",
    "Command",
    "Commission",
    "Committee",
    "Conference",
    "Congress",
    "Council",
    "Court",
    "Department",
    "Directorate",
    "Exchange",
    "Force",
    "Forum",
    "Group",
    "Institute",
    "Ministry",
    "Office",
    "Organisation",
    "Organization",
    "Parliament",
    "Party",
    "Secretariat",
    "Service",
    "Team",
    "Tribunal",
    "Union",
    "Unit",
];
/// Words that make a capitalised phrase a treaty.
const TREATY_WORDS: &[&str] = &[
    "Accord",
    "Agreement",
    "Charter",
    "Convention",
    "Covenant",
    "Declaration",
    "Pact",
    "Protocol",
    "Treaty",
];
/// Small words allowed inside a name.
const JOINERS: &[&str] = &["of", "for", "and", "on", "the", "de", "in", "against"];
/// Capitalised words that start sentences rather than names.
const STARTERS: &[&str] = &[
    "The", "A", "An", "In", "On", "At", "For", "But", "And", "After", "Before", "When", "While",
    "This", "That", "These", "Those", "Its", "His", "Her", "Their", "Our", "As", "By", "From",
    "To", "With", "Under", "Since", "If", "Although", "Yet", "So", "Then", "Both", "Each", "Every",
    "Neither", "No", "Only", "Unlike", "Like", "Why", "How", "What",
];

/// Which `scholia new` kind a candidate suggests.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Suggest {
    /// `scholia new body`.
    Body,
    /// `scholia new treaty`.
    Treaty,
}

fn is_capitalised(w: &str) -> bool {
    let mut cs = w.chars();
    cs.next().is_some_and(char::is_uppercase) && cs.any(char::is_lowercase)
}

fn is_acronym(w: &str) -> bool {
    (2..=8).contains(&w.len())
        && w.chars().all(|c| c.is_ascii_uppercase())
        && !w.chars().all(|c| "IVXLCDM".contains(c))
}

/// Whether `words[j]` joins the capitalised words around it into one name: "of", "for"…
/// always; "the" only after one of those ("Convention for the Suppression"); "and" only
/// before a capitalised word ("Industry and Information Technology", not "NSA and the").
fn joins(words: &[&str], j: usize) -> bool {
    match words[j] {
        "the" => j > 0 && ["of", "for", "on", "against"].contains(&words[j - 1]),
        "and" => words
            .get(j + 1)
            .is_some_and(|w| is_capitalised(w) || is_acronym(w)),
        w => JOINERS.contains(&w),
    }
}

/// The institution or treaty name in a run of capitalised words, if any: the run up to its
/// last institution word ("Cyber Working Group" of "Cyber Working Group in Beijing"), or the
/// whole run when the first institution word opens a complement ("Ministry of Public
/// Security", "Convention on Cybercrime").
fn institution(run: &[&str]) -> Option<(String, Suggest)> {
    let kind_of = |w: &str| {
        if TREATY_WORDS.contains(&w) {
            Some(Suggest::Treaty)
        } else if BODY_WORDS.contains(&w) {
            Some(Suggest::Body)
        } else {
            None
        }
    };
    let first = run.iter().position(|w| kind_of(w).is_some())?;
    let kind = kind_of(run[first])?;
    let opens = run
        .get(first + 1)
        .is_some_and(|w| ["of", "for", "on", "against"].contains(w));
    let end = if opens {
        run.len()
    } else {
        run.iter().rposition(|w| kind_of(w).is_some())? + 1
    };
    let name = &run[..end];
    (name.len() >= 2).then(|| (name.join(" "), kind))
}

/// The candidates in one text, each once, in order of appearance.
pub fn candidates(text: &str) -> Vec<(String, Suggest)> {
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '\'' | '’')))
        .collect();
    let mut out: Vec<(String, Suggest)> = Vec::new();
    let mut push = |name: String, kind| {
        if !out.iter().any(|(n, _)| *n == name) {
            out.push((name, kind));
        }
    };
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        if !(is_capitalised(w) || is_acronym(w)) {
            i += 1;
            continue;
        }
        // Longest run of capitalised words (acronyms too) and inner joiners.
        let start = i;
        let mut end = i + 1;
        let mut j = i + 1;
        while j < words.len() {
            if is_capitalised(words[j]) || is_acronym(words[j]) {
                end = j + 1;
            } else if !joins(&words, j) {
                break;
            }
            j += 1;
        }
        for w in &words[start..end] {
            if is_acronym(w) {
                push(w.to_string(), Suggest::Body);
            }
        }
        let mut run = &words[start..end];
        while run.len() > 1 && (STARTERS.contains(&run[0]) || JOINERS.contains(&run[0])) {
            run = &run[1..];
        }
        if let Some(name) = institution(run) {
            push(name.0, name.1);
        }
        i = end.max(i + 1);
    }
    out
}

/// Counts candidates over commentaries (each commentary's list deduplicated) and keeps those
/// in at least `min` commentaries that `covered` says no entry matches: most frequent first.
pub fn report<'a>(
    per_commentary: impl Iterator<Item = &'a [(String, Suggest)]>,
    min: usize,
    covered: impl Fn(&str) -> bool,
) -> Vec<(String, Suggest, usize)> {
    let mut counts: BTreeMap<&str, (Suggest, usize)> = BTreeMap::new();
    for list in per_commentary {
        for (name, kind) in list {
            counts.entry(name).or_insert((*kind, 0)).1 += 1;
        }
    }
    let mut out: Vec<_> = counts
        .into_iter()
        .filter(|(name, (_, n))| *n >= min && !covered(name))
        .map(|(name, (kind, n))| (name.to_string(), kind, n))
        .collect();
    out.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        candidates(text).into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn finds_acronyms_and_institution_names_not_people() {
        assert_eq!(
            names("The ICAO met. Xi Jinping spoke to the Cyber Working Group in Beijing; the Tokyo Convention applies. Part II of the UN Charter."),
            ["ICAO", "Cyber Working Group", "Tokyo Convention", "UN", "UN Charter"]
        );
    }

    #[test]
    fn strips_sentence_starters_and_keeps_joiners() {
        assert_eq!(
            names("Under the Convention for the Suppression of Unlawful Seizure of Aircraft, and In Beijing."),
            ["Convention for the Suppression of Unlawful Seizure of Aircraft"]
        );
        assert_eq!(
            names("The Ministry of Public Security said"),
            ["Ministry of Public Security"]
        );
    }

    #[test]
    fn report_ranks_and_filters() {
        let a = candidates("ICAO and the ITU and the WTO");
        let b = candidates("ICAO again, ITU too");
        let c = candidates("ICAO");
        let r = report(
            [a.as_slice(), b.as_slice(), c.as_slice()].into_iter(),
            2,
            |n| n == "ITU",
        );
        assert_eq!(r, [("ICAO".to_string(), Suggest::Body, 3)]);
    }
}
