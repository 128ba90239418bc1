//! Which commentaries a change of the glossary can change, for `serve`'s incremental rebuilds.
//!
//! A commentary's Markdown render reads the glossary through three things: the surfaces the
//! automaton finds (names, abbreviations, aliases), the slugs `[[wiki links]]` resolve, and
//! each entry's link tag and name. When the set of slugs stays the same (entries keep their
//! indexes), only the commentaries that touch a changed entry can render differently:
//!
//! - those that linked it before, when its links render differently (for a treaty, also
//!   when its dates or parties change: its links say its status on the commentary's date) or
//!   it lost a surface: their mentions;
//! - those whose source contains a surface it gained (found by an automaton over the gained
//!   surfaces only, with the real matcher's rules); where an escape or an entity could hide
//!   a surface from the source, any word of it.
//!
//! A wiki link to an entry is a mention of it, so it is covered by the first rule.
//!
//! Anything else (an entry added, removed or renamed to another slug) renders every
//! commentary again.

use crate::content::Entry;
use crate::glossary::matcher::Matcher;
use crate::glossary::Glossary;
use crate::markdown::Mention;
use aho_corasick::AhoCorasick;
use std::collections::HashSet;

/// How the glossary changed.
#[derive(Debug, Default)]
pub struct Changes {
    /// Entries that differ in any way (their own pages change).
    pub changed: Vec<usize>,
    /// Entries whose links render differently (tag, name, URL) or that lost a surface or
    /// automatic linking: commentaries that mentioned them must be rendered again.
    pub relinked: Vec<usize>,
    /// Surfaces gained by automatically linked entries: only texts containing one can
    /// change because of them.
    pub added: Vec<Entry>,
}

fn surfaces(e: &Entry) -> Vec<String> {
    let mut v: Vec<String> = std::iter::once(e.name.as_str())
        .chain(e.abbr.as_deref())
        .chain(e.aliases.iter().map(String::as_str))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// What differs between two glossaries, or `None` when every commentary must be rendered
/// again (the slugs differ, so indexes and wiki links may too).
pub fn changed_entries(old: &Glossary, new: &Glossary) -> Option<Changes> {
    if old.entries.len() != new.entries.len()
        || old
            .entries
            .iter()
            .zip(&new.entries)
            .any(|(a, b)| a.slug != b.slug || a.kind != b.kind)
    {
        return None;
    }
    let mut out = Changes::default();
    for i in 0..new.entries.len() {
        let (a, b) = (&old.entries[i], &new.entries[i]);
        // A treaty's links in a commentary also say its status on the commentary's date,
        // from its dates and parties.
        let link = link_key(old, i) != link_key(new, i);
        if !link && a == b && old.summaries[i] == new.summaries[i] {
            continue;
        }
        out.changed.push(i);
        let (was, now) = (surfaces(a), surfaces(b));
        if link || was.iter().any(|s| !now.contains(s)) {
            out.relinked.push(i);
        }
        out.added.extend(gained(b, &was, &now));
    }
    Some(out)
}

/// What a commentary's link to entry `i` is made from: its tag, URL, name and automatic
/// linking and, for a treaty, its dates and parties (its links say its status on the
/// commentary's date).
fn link_key(g: &Glossary, i: usize) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let e = &g.entries[i];
    let mut h = DefaultHasher::new();
    (g.open_tag(i), &g.urls[i], &e.name, e.autolink).hash(&mut h);
    (&e.in_force, &e.record).hash(&mut h);
    h.finish()
}

/// What the build cache keeps of a glossary so that the next build, in another process,
/// can tell which commentaries a change of it reaches ([`Surfaces::changes_to`]), as
/// [`changed_entries`] does for `serve` with the old glossary at hand.
#[derive(serde::Serialize, serde::Deserialize, Debug, Default, PartialEq)]
pub struct Surfaces {
    /// Per entry: slug, kind, link key (automatic linking included), surfaces.
    entries: Vec<(String, String, u64, Vec<String>)>,
}

impl Surfaces {
    /// Those of `g`.
    pub fn of(g: &Glossary) -> Surfaces {
        Surfaces {
            entries: g
                .entries
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    let kind = e.kind.as_str().to_string();
                    (e.slug.clone(), kind, link_key(g, i), surfaces(e))
                })
                .collect(),
        }
    }

    /// What changed for commentaries since these were taken (`changed` is the entries
    /// relinked or with gained surfaces), or `None` when every one must be rendered again.
    pub fn changes_to(&self, new: &Glossary) -> Option<Changes> {
        if self.entries.len() != new.entries.len()
            || self
                .entries
                .iter()
                .zip(&new.entries)
                .any(|((slug, kind, ..), b)| *slug != b.slug || kind != b.kind.as_str())
        {
            return None;
        }
        let mut out = Changes::default();
        for (i, ((_, _, link, was), b)) in self.entries.iter().zip(&new.entries).enumerate() {
            let now = surfaces(b);
            let gained = gained(b, was, &now);
            let relinked = *link != link_key(new, i) || was.iter().any(|s| !now.contains(s));
            if relinked {
                out.relinked.push(i);
            }
            if relinked || gained.is_some() {
                out.changed.push(i);
            }
            out.added.extend(gained);
        }
        Some(out)
    }
}

/// An entry carrying only the surfaces entry `b` (automatically linked) gained, for an
/// automaton over them.
fn gained(b: &Entry, was: &[String], now: &[String]) -> Option<Entry> {
    if !b.autolink {
        return None;
    }
    let gained: Vec<String> = now.iter().filter(|s| !was.contains(s)).cloned().collect();
    let (first, rest) = gained.split_first()?;
    let mut e = b.clone();
    e.file.text = String::new();
    e.file.body_start = 0;
    e.name = first.clone();
    e.abbr = None;
    e.aliases = rest.to_vec();
    Some(e)
}

/// The longest run of letters and digits in a surface: every match of the surface in a text
/// contains it verbatim (the matcher treats line breaks as spaces and straight quotes as
/// curly ones, which never split such a run).
fn anchor(surface: &str) -> &str {
    surface
        .split(|c: char| !c.is_alphanumeric())
        .max_by_key(|w| w.len())
        .unwrap_or("")
}

/// Finds the commentaries (and entries) a glossary change can reach.
pub struct Touched {
    relinked: HashSet<usize>,
    /// Whether some entry gained a surface.
    gained: bool,
    /// Whether anything changed.
    any: bool,
    /// The gained surfaces, matched as the real matcher does.
    surfaces: Matcher,
    /// A word of each, for texts where escapes or entities could hide a surface from a
    /// search of the source.
    words: Option<AhoCorasick>,
}

impl Touched {
    /// For the changes of a glossary.
    pub fn new(changes: &Changes) -> Touched {
        let mut words: Vec<&str> = Vec::new();
        for e in &changes.added {
            for s in std::iter::once(e.name.as_str()).chain(e.aliases.iter().map(String::as_str)) {
                let w = anchor(s);
                // A surface with no letters or digits: look for it whole.
                words.push(if w.is_empty() { s.trim() } else { w });
            }
        }
        words.retain(|w| !w.is_empty());
        let (surfaces, _) = Matcher::new(&changes.added);
        Touched {
            relinked: changes.relinked.iter().copied().collect(),
            gained: !changes.added.is_empty(),
            any: !changes.changed.is_empty(),
            surfaces,
            words: (!words.is_empty())
                .then(|| AhoCorasick::new(&words).ok())
                .flatten(),
        }
    }

    /// Whether [`Touched::hits`] reads the text (some entry gained a surface).
    pub fn reads_text(&self) -> bool {
        self.any && self.gained
    }

    /// Whether a body that mentioned `mentions` and reads `text` must be rendered again.
    pub fn hits(&self, mentions: &[Mention], text: &str) -> bool {
        if !self.any {
            return false;
        }
        mentions.iter().any(|m| self.relinked.contains(&m.entry))
            || !self.surfaces.find(text).is_empty()
            || ((text.contains('&') || text.contains('\\'))
                && self.words.as_ref().is_some_and(|ac| ac.is_match(text)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_the_longest_word() {
        assert_eq!(anchor("United Nations Security Council"), "Security");
        assert_eq!(anchor("UN"), "UN");
        assert_eq!(anchor("Rome Statute of the ICC"), "Statute");
        assert_eq!(anchor("G-20"), "20");
        assert_eq!(anchor("l’OTAN"), "OTAN");
        assert_eq!(anchor("--"), "");
    }
}
