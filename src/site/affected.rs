//! Which commentaries a change of the glossary can change, for `serve`'s incremental rebuilds.
//!
//! A commentary's Markdown render reads the glossary through three things: the surfaces the
//! automaton finds (names, abbreviations, aliases), the slugs `[[wiki links]]` resolve, and
//! each entry's link tag and name. When the set of slugs stays the same (entries keep their
//! indexes), only the commentaries that touch a changed entry can render differently:
//!
//! - those that linked it before (its old surfaces, tag or name were used): their mentions;
//! - those whose source contains one of its new surfaces (found by an automaton over the
//!   changed entries only, with the real matcher's rules), or its slug after a `[[`; where
//!   an escape or an entity could hide a surface from the source, any word of it.
//!
//! Anything else (an entry added, removed or renamed to another slug) renders every
//! commentary again.

use crate::glossary::matcher::Matcher;
use crate::glossary::Glossary;
use crate::markdown::Mention;
use aho_corasick::AhoCorasick;
use std::collections::HashSet;

/// Entries of `new` that render differently from `old`, or `None` when every commentary
/// must be rendered again (the slugs differ, so indexes and wiki links may too).
pub fn changed_entries(old: &Glossary, new: &Glossary) -> Option<Vec<usize>> {
    if old.entries.len() != new.entries.len()
        || old
            .entries
            .iter()
            .zip(&new.entries)
            .any(|(a, b)| a.slug != b.slug || a.kind != b.kind)
    {
        return None;
    }
    Some(
        (0..new.entries.len())
            .filter(|&i| {
                old.entries[i] != new.entries[i]
                    || old.open_tag(i) != new.open_tag(i)
                    || old.urls[i] != new.urls[i]
                    || old.summaries[i] != new.summaries[i]
            })
            .collect(),
    )
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

/// Finds the commentaries a set of changed entries can reach.
pub struct Touched {
    entries: HashSet<usize>,
    /// The changed entries' surfaces, matched as the real matcher does.
    surfaces: Matcher,
    /// Their slugs, for `[[wiki links]]`.
    slugs: Option<AhoCorasick>,
    /// A word of each surface, for texts where escapes or entities could hide a surface
    /// from a search of the source.
    words: Option<AhoCorasick>,
}

impl Touched {
    /// For the entries `changed` of `glossary` (the new one).
    pub fn new(glossary: &Glossary, changed: &[usize]) -> Touched {
        let mut words: Vec<&str> = Vec::new();
        let mut slugs: Vec<&str> = Vec::new();
        let set: HashSet<usize> = changed.iter().copied().collect();
        for &i in changed {
            let e = &glossary.entries[i];
            slugs.push(e.slug.as_str());
            let surfaces = std::iter::once(e.name.as_str())
                .chain(e.abbr.as_deref())
                .chain(e.aliases.iter().map(String::as_str));
            for s in surfaces {
                let w = anchor(s);
                // A surface with no letters or digits: look for it whole.
                words.push(if w.is_empty() { s.trim() } else { w });
            }
        }
        words.retain(|w| !w.is_empty());
        // Indexes of the slice are kept: `select` skips the others.
        let (surfaces, _) = Matcher::select(&glossary.entries, |e| {
            e.autolink && glossary.find(&e.slug).is_some_and(|i| set.contains(&i))
        });
        let ac = |v: &[&str]| (!v.is_empty()).then(|| AhoCorasick::new(v).ok()).flatten();
        Touched {
            entries: set,
            surfaces,
            slugs: ac(&slugs),
            words: ac(&words),
        }
    }

    /// Whether a commentary that mentioned `mentions` and reads `text` must be rendered again.
    pub fn hits(&self, mentions: &[Mention], text: &str) -> bool {
        if self.entries.is_empty() {
            return false;
        }
        let found = |ac: &Option<AhoCorasick>| ac.as_ref().is_some_and(|ac| ac.is_match(text));
        mentions.iter().any(|m| self.entries.contains(&m.entry))
            || !self.surfaces.find(text).is_empty()
            || (text.contains("[[") && found(&self.slugs))
            || ((text.contains('&') || text.contains('\\')) && found(&self.words))
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
