//! The glossary: entries by slug, their facts, the link each one renders as, and the one
//! automaton that finds their names in text.
//!
//! Built once per build from the loaded entries ([`Glossary::new`]); the Markdown stage only
//! asks it questions. Its cost does not grow with the number of entries per page rendered:
//! every name, abbreviation and alias of every entry is one pattern of a single Aho–Corasick
//! automaton ([`matcher::Matcher`]).

pub mod coverage;
pub mod matcher;
pub mod status;

use crate::content::{Date, Entry, Kind};
use crate::error::{did_you_mean, Diagnostic};
use crate::html::escape;
use crate::routes::Routes;
use crate::theme::i18n::{self, Text};
use matcher::Matcher;
use std::borrow::Cow;
use std::collections::HashMap;

/// One fact of an entry, for its page and its hover card.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fact {
    /// `Jurisdiction`, `Adopted`, …
    pub label: &'static str,
    /// Whether the hover card shows it (the key facts: where and when).
    pub on_card: bool,
    /// The value as shown.
    pub text: String,
    /// The date it is, when it is one (a page shows it in its language).
    pub date: Option<Date>,
    /// A glossary slug the fact links to, or an external URL.
    pub link: Option<FactLink>,
}

impl Fact {
    /// The label's key in the theme's text, after `fact_` (`jurisdiction`, `part_of`, …).
    pub fn key(&self) -> String {
        self.label.to_lowercase().replace(' ', "_")
    }
}

/// Where a fact links.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FactLink {
    /// Another entry.
    Entry(usize),
    /// An outside page.
    External(String),
}

/// A body's relations to other bodies, as entry indexes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Relations {
    /// `parent:`.
    pub parent: Option<usize>,
    /// `successor:`.
    pub successor: Option<usize>,
    /// Bodies whose `successor:` is this one.
    pub predecessors: Vec<usize>,
    /// Bodies whose `parent:` is this one.
    pub children: Vec<usize>,
}

impl Relations {
    /// Whether there is anything to draw.
    pub fn is_empty(&self) -> bool {
        self == &Relations::default()
    }
}

/// By slug, the bodies naming it as their successor and as their parent.
type NamedBy = HashMap<String, (Vec<usize>, Vec<usize>)>;

/// The glossary of one build.
pub struct Glossary {
    /// Entries in a stable order (by kind, then slug); indexes below refer to this.
    pub entries: Vec<Entry>,
    by_slug: HashMap<String, usize>,
    /// Summary of each entry (given, or the first sentence of its body).
    pub summaries: Vec<String>,
    /// The opening `<a …>` tag of each entry's links, built once.
    open_tags: Vec<String>,
    /// URL of each entry's page.
    pub urls: Vec<String>,
    /// Finds names in text.
    pub matcher: Matcher,
    /// Finds the names of entries with `autolink: false` (for `check`'s plain-mention report).
    pub quiet: Matcher,
    /// Entries of another language's glossary, present only so that their abbreviations link
    /// (to their own page) in this language: they have no page here.
    pub foreign: Vec<bool>,
    /// The theme's text in the glossary's language: its links' hover cards (fact labels,
    /// dates, a treaty's status) and the rest of what the Markdown stage writes in words.
    pub text: Text,
    /// For each entry, the bodies naming it as their successor and as their parent (made
    /// on first use: finding them entry by entry was quadratic, and every entry page's key
    /// asks, on every build and every save in `serve`).
    named_by: std::sync::OnceLock<NamedBy>,
}

impl Glossary {
    /// Indexes `entries`. `default_summary` makes a summary from an entry's Markdown body when
    /// its front matter has none. Two entries sharing a name, abbreviation or alias is an error.
    pub fn new(
        entries: Vec<Entry>,
        routes: &Routes,
        default_summary: impl Fn(&str) -> String,
    ) -> (Glossary, Vec<Diagnostic>) {
        Glossary::new_in(entries, routes, None, Text::new(), default_summary)
    }

    /// The glossary of a language other than the default: `other` is (its code, the default
    /// language's routes). An entry whose `lang` is not the code is the original of an
    /// untranslated entry: only its abbreviation is matched, and it links to its own page.
    /// `text` is the theme's text in the language (empty: English).
    pub fn new_in(
        mut entries: Vec<Entry>,
        routes: &Routes,
        other: Option<(&str, &Routes)>,
        text: Text,
        default_summary: impl Fn(&str) -> String,
    ) -> (Glossary, Vec<Diagnostic>) {
        entries.sort_by(|a, b| (a.kind, &a.slug).cmp(&(b.kind, &b.slug)));
        let by_slug = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.slug.clone(), i))
            .collect();
        let summaries: Vec<String> = entries
            .iter()
            .map(|e| match &e.summary {
                Some(s) => s.clone(),
                None => default_summary(e.file.body()),
            })
            .collect();
        let foreign: Vec<bool> = entries
            .iter()
            .map(|e| other.is_some_and(|(code, _)| e.lang.as_deref() != Some(code)))
            .collect();
        let urls: Vec<String> = entries
            .iter()
            .zip(&foreign)
            .map(|(e, &f)| {
                let r = match other {
                    Some((_, home)) if f => home,
                    _ => routes,
                };
                r.url(&Routes::entry(e.kind, &e.slug))
            })
            .collect();
        let is_foreign = |e: &Entry| other.is_some_and(|(code, _)| e.lang.as_deref() != Some(code));
        let (matcher, diags) = Matcher::with(&entries, |e| e.autolink, is_foreign);
        let (quiet, _) = Matcher::with(&entries, |e| !e.autolink, is_foreign);
        let mut g = Glossary {
            entries,
            by_slug,
            summaries,
            open_tags: Vec::new(),
            urls,
            matcher,
            quiet,
            foreign,
            text,
            named_by: std::sync::OnceLock::new(),
        };
        g.open_tags = (0..g.entries.len()).map(|i| g.build_open_tag(i)).collect();
        (g, diags)
    }

    /// The index of the entry with this slug.
    pub fn find(&self, slug: &str) -> Option<usize> {
        self.by_slug.get(slug).copied()
    }

    /// The bodies entry `i` is related to over time and in rank: its parent and successor
    /// (from its own front matter) and the bodies naming it as their successor or parent.
    /// A relation to a treaty or to itself is left out (`check` reports those).
    pub fn relations(&self, i: usize) -> Relations {
        let e = &self.entries[i];
        let body = |slug: &Option<String>| {
            let j = self.find(slug.as_deref()?)?;
            (j != i && self.entries[j].kind == Kind::Body).then_some(j)
        };
        if e.kind != Kind::Body {
            return Relations::default();
        }
        let named = self.named_by().get(e.slug.as_str());
        let other = |v: &Vec<usize>| v.iter().copied().filter(|&j| j != i).collect();
        Relations {
            parent: body(&e.parent),
            successor: body(&e.successor),
            predecessors: named.map(|n| other(&n.0)).unwrap_or_default(),
            children: named.map(|n| other(&n.1)).unwrap_or_default(),
        }
    }

    /// By slug, the bodies naming it as their successor and as their parent, in order.
    fn named_by(&self) -> &NamedBy {
        self.named_by.get_or_init(|| {
            let mut named = NamedBy::new();
            for (j, x) in self.entries.iter().enumerate() {
                if x.kind != Kind::Body {
                    continue;
                }
                if let Some(s) = &x.successor {
                    named.entry(s.clone()).or_default().0.push(j);
                }
                if let Some(s) = &x.parent {
                    named.entry(s.clone()).or_default().1.push(j);
                }
            }
            named
        })
    }

    /// An error message for an unknown slug, with the closest one.
    pub fn unknown(&self, slug: &str) -> String {
        format!(
            "`{slug}` is not a glossary entry{}",
            did_you_mean(slug, self.by_slug.keys().map(String::as_str))
        )
    }

    /// The `<a …>` that opens a link to entry `i`.
    pub fn open_tag(&self, i: usize) -> &str {
        &self.open_tags[i]
    }

    /// The `<a …>` that opens a link to entry `i` in a text written on `written`: a treaty's
    /// link also says its status on that date (and later, where different), in its `title`
    /// (read without JavaScript) and in `data-status` (the hover card). In an undated text
    /// (an entry, a free page) a treaty with a parties file says its status on its status
    /// date.
    pub fn open_tag_on(&self, i: usize, written: Option<Date>, states: &[String]) -> Cow<'_, str> {
        let e = &self.entries[i];
        let card = match written {
            Some(d) => status::card_on(e, d, states, &self.text),
            None => status::card_now(e, states, &self.text),
        };
        match card {
            Some(card) => Cow::Owned(self.build_tag(i, Some(&card))),
            None => Cow::Borrowed(&self.open_tags[i]),
        }
    }

    /// The facts of entry `i`, in display order.
    pub fn facts(&self, i: usize) -> Vec<Fact> {
        let e = &self.entries[i];
        let mut facts = Vec::new();
        let mut push = |label, on_card, text: Option<String>, link: Option<FactLink>| {
            if let Some(text) = text {
                facts.push(Fact {
                    label,
                    on_card,
                    text,
                    date: None,
                    link,
                });
            }
        };
        let entry_fact = |slug: &Option<String>| {
            let i = slug.as_deref().and_then(|s| self.find(s))?;
            Some((self.entries[i].name.clone(), FactLink::Entry(i)))
        };
        match e.kind {
            Kind::Body => {
                push("Jurisdiction", true, e.jurisdiction.clone(), None);
                push("Established", true, e.established.map(|d| d.text()), None);
                push("Dissolved", true, e.dissolved.map(|d| d.text()), None);
                if let Some((name, link)) = entry_fact(&e.parent) {
                    push("Part of", false, Some(name), Some(link));
                }
                if let Some((name, link)) = entry_fact(&e.successor) {
                    push("Succeeded by", false, Some(name), Some(link));
                }
            }
            Kind::Treaty => {
                push("Adopted", true, e.adopted.map(|d| d.text()), None);
                push("Place", false, e.place.clone(), None);
                push("In force", true, e.in_force.map(|d| d.text()), None);
                match entry_fact(&e.depositary) {
                    Some((name, link)) => push("Depositary", false, Some(name), Some(link)),
                    None => push("Depositary", false, e.depositary.clone(), None),
                }
            }
        }
        if let Some(abbr) = &e.abbr {
            push("Short form", false, Some(abbr.clone()), None);
        }
        if let Some(url) = &e.url {
            push(
                "Official site",
                false,
                Some(url.clone()),
                Some(FactLink::External(url.clone())),
            );
        }
        // The dates, for a page to show in its language.
        let dates = [
            ("Established", e.established),
            ("Dissolved", e.dissolved),
            ("Adopted", e.adopted),
            ("In force", e.in_force),
        ];
        for f in &mut facts {
            f.date = dates
                .iter()
                .find(|(l, _)| *l == f.label)
                .and_then(|(_, d)| *d);
        }
        facts
    }

    /// `Jurisdiction: China · Established: 27 February 2014`: the hover card's key facts,
    /// in the glossary's language.
    pub fn card_facts(&self, i: usize) -> String {
        let colon = self.text.get("state_colon").map_or(": ", String::as_str);
        self.facts(i)
            .into_iter()
            .filter(|f| f.on_card)
            .map(|f| {
                let label = self
                    .text
                    .get(&format!("fact_{}", f.key()))
                    .map_or(f.label, String::as_str);
                let value = match f.date {
                    Some(d) => i18n::local_date(&self.text, d),
                    None => f.text,
                };
                format!("{label}{colon}{value}")
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }

    fn build_open_tag(&self, i: usize) -> String {
        self.build_tag(i, None)
    }

    /// The opening tag, with a dated status when there is one.
    fn build_tag(&self, i: usize, status: Option<&str>) -> String {
        let e = &self.entries[i];
        let summary = &self.summaries[i];
        let mut title = if summary.is_empty() {
            e.name.clone()
        } else {
            format!("{}: {summary}", e.name)
        };
        let mut status_attr = String::new();
        if let Some(st) = status {
            title = self
                .text
                .get("card_title_status")
                .map_or("{title} ({status}.)", String::as_str)
                .replace("{status}", st)
                .replace("{title}", &title);
            status_attr = format!(r#" data-status="{}""#, escape(st));
        }
        let kind = e.kind.as_str();
        format!(
            r#"<a class="gl gl-{kind}" href="{}" title="{}" data-kind="{kind}" data-name="{}" data-summary="{}" data-facts="{}"{status_attr}>"#,
            escape(&self.urls[i]),
            escape(&title),
            escape(&e.name),
            escape(summary),
            escape(&self.card_facts(i)),
        )
    }
}
