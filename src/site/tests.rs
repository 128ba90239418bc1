//! The pipeline's equivalence test: a kept pipeline (as `serve` runs it) and a fresh one per
//! step (a full build), both writing into memory, must produce the same files byte for byte
//! and the same diagnostics after every step of many random edit sequences. Seeded and
//! reproducible: a failure names its seed and step.
//!
//! The site is a small model (commentaries, entries, pages, works, configuration, a template
//! override) written to a temporary folder; each step changes the model at random and writes
//! the files whose text changed, each with a new modification time (so a kept file's stamp
//! never hides an edit, whatever the clock's resolution).

use super::output::{LiveSink, Memory};
use super::pipeline::{Options, Pipeline, Report};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// SplitMix64: small, seedable, good enough to pick edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, v: &'a [T]) -> Option<&'a T> {
        (!v.is_empty()).then(|| &v[self.below(v.len())])
    }
}

const WORDS: &[&str] = &[
    "talks",
    "summit",
    "cyber",
    "norms",
    "treaty",
    "ministers",
    "signed",
    "agreed",
    "sanctions",
    "espionage",
    "aviation",
    "security",
    "delegation",
    "Beijing",
    "Washington",
    "policy",
];
const TAGS: &[&str] = &["Cyber", "Aviation", "Summits", "Law", "China"];
const AUTHORS: &[&str] = &["Ada Lee", "Bo Chen", "Cy Díaz"];

#[derive(Clone)]
struct C {
    file: String,
    title: String,
    date: (u32, u32, u32),
    authors: Vec<String>,
    tags: Vec<String>,
    summary: Option<String>,
    draft: bool,
    paragraphs: Vec<String>,
    notes: Vec<String>,
    /// `updated:`, in years after `date` (so a date edit never makes it invalid).
    updated: Option<u32>,
    /// `corrections:`: (years after `date`, text, which may link entries).
    corrections: Vec<(u32, String)>,
    /// `pdf:` in its front matter.
    pdf: Option<bool>,
}

#[derive(Clone)]
struct E {
    treaty: bool,
    slug: String,
    name: String,
    abbr: Option<String>,
    aliases: Vec<String>,
    summary: Option<String>,
    body: String,
    related: Vec<String>,
    /// A treaty's parties file, when it has one: rows of (state, signed, consent, withdrawn)
    /// years.
    parties: Option<Vec<Row>>,
    /// A body's parent (another body's slug), drawn in the diagrams of both.
    parent: Option<String>,
}

/// A parties row: state, and the years of signature, consent and withdrawal.
type Row = (String, Option<u32>, Option<u32>, Option<u32>);

/// The row of an orphan parties file, so that the treaty created beside it writes the
/// same file.
fn orphan_row() -> Row {
    ("China".into(), None, Some(2001), None)
}

/// Whether a row is valid (the contract's order of dates); an edit may write one that is
/// not, and the next edit fixes it, as an author would.
fn valid_row(r: &Row) -> bool {
    let (_, signed, consent, withdrawn) = r;
    !matches!((signed, consent), (Some(s), Some(c)) if c < s)
        && match (consent, withdrawn) {
            (Some(c), Some(w)) => w >= c,
            (None, Some(_)) => false,
            _ => true,
        }
}

#[derive(Clone)]
struct Model {
    commentaries: Vec<C>,
    entries: Vec<E>,
    pages: Vec<(String, String, String)>,
    works: Vec<(String, String)>,
    title: String,
    paginate: usize,
    search: bool,
    /// Link cards (`cards:`): drawn again when a title, author, date or the site's title
    /// changes.
    cards: bool,
    autolink_all: bool,
    /// `pdf.enabled`.
    pdf: bool,
    /// French among `languages:`: every Chinese commentary then has a French version too
    /// (and turning French off makes those files errors until it is on again).
    french: bool,
    not_found_template: Option<String>,
    counter: usize,
    /// A parties file beside no treaty (a warning), by its stem.
    orphan: Option<String>,
    /// A deleted entry whose wiki links the next edit removes (the author fixing the error).
    dangling: Option<String>,
    /// Chinese versions of commentaries, by the original's file (which may be gone): title
    /// and text.
    zh_commentaries: BTreeMap<String, (String, String)>,
    /// Chinese versions of entries, by slug: (in treaties/, name, text).
    zh_entries: BTreeMap<String, (bool, String, String)>,
    /// Editors' leftovers and hidden files (unreadable as content): every run passes over
    /// them, a watcher's report of one included.
    junk: Vec<String>,
}

impl Model {
    fn new(rng: &mut Rng) -> Model {
        let mut m = Model {
            commentaries: Vec::new(),
            entries: Vec::new(),
            pages: vec![("about".into(), "About".into(), "About this review.".into())],
            works: vec![
                ("smith2020".into(), "A Study of Norms".into()),
                ("lee2019".into(), "Aviation Law Today".into()),
            ],
            title: "Review".into(),
            paginate: 2,
            cards: true,
            search: true,
            autolink_all: false,
            pdf: true,
            french: rng.chance(50),
            not_found_template: None,
            counter: 0,
            orphan: None,
            dangling: None,
            zh_commentaries: BTreeMap::new(),
            zh_entries: BTreeMap::new(),
            junk: Vec::new(),
        };
        for _ in 0..4 {
            m.new_entry(rng);
        }
        for _ in 0..6 {
            m.new_commentary(rng);
        }
        m
    }

    fn fresh_name(&mut self) -> usize {
        self.counter += 1;
        self.counter
    }

    fn new_entry(&mut self, rng: &mut Rng) {
        let n = self.fresh_name();
        let treaty = rng.chance(40);
        let word = ["Cyber", "Aviation", "Maritime", "Space", "Trade"][rng.below(5)];
        let (name, slug) = if treaty {
            (
                format!("{word} Convention {n}"),
                format!("{}-convention-{n}", word.to_lowercase()),
            )
        } else {
            (
                format!("{word} Commission {n}"),
                format!("{}-commission-{n}", word.to_lowercase()),
            )
        };
        self.entries.push(E {
            treaty,
            slug,
            name,
            abbr: rng.chance(50).then(|| format!("{}C{n}", &word[..1])),
            aliases: Vec::new(),
            summary: rng
                .chance(50)
                .then(|| format!("A {word} body, number {n}.")),
            body: format!("The {word} entry. It was set up long ago."),
            related: Vec::new(),
            parties: None,
            parent: None,
        });
    }

    fn sentence(&self, rng: &mut Rng) -> String {
        let mut words: Vec<String> = (0..3 + rng.below(6))
            .map(|_| WORDS[rng.below(WORDS.len())].to_string())
            .collect();
        if let Some(e) = rng.pick(&self.entries) {
            let surface = match rng.below(4) {
                0 => e.abbr.clone().unwrap_or_else(|| e.name.clone()),
                1 => rng
                    .pick(&e.aliases)
                    .cloned()
                    .unwrap_or_else(|| e.name.clone()),
                2 => format!("[[{}]]", e.slug),
                _ => e.name.clone(),
            };
            let at = rng.below(words.len() + 1);
            words.insert(at, surface);
        }
        if rng.chance(20) {
            if let Some((k, _)) = rng.pick(&self.works) {
                let cite = format!("[@{k}]");
                words.push(cite);
            }
        }
        let mut s = words.join(" ");
        s.push('.');
        s
    }

    /// A correction's text: it links an entry, so that glossary edits reach it.
    fn correction(&self, rng: &mut Rng) -> String {
        match rng.pick(&self.entries) {
            Some(e) if rng.chance(80) => format!("An earlier version misnamed [[{}]].", e.slug),
            _ => self.sentence(rng),
        }
    }

    fn new_commentary(&mut self, rng: &mut Rng) {
        let n = self.fresh_name();
        let corrections = if rng.chance(40) {
            vec![(rng.below(2) as u32, self.correction(rng))]
        } else {
            Vec::new()
        };
        let paragraphs = (0..1 + rng.below(3)).map(|_| self.sentence(rng)).collect();
        self.commentaries.push(C {
            file: format!("c{n}.md"),
            title: format!("Commentary {n}"),
            date: (
                2010 + rng.below(8) as u32,
                1 + rng.below(12) as u32,
                1 + rng.below(28) as u32,
            ),
            authors: vec![AUTHORS[rng.below(AUTHORS.len())].to_string()],
            tags: vec![TAGS[rng.below(TAGS.len())].to_string()],
            summary: rng.chance(50).then(|| format!("Summary {n}.")),
            draft: false,
            paragraphs,
            notes: Vec::new(),
            updated: None,
            corrections,
            pdf: rng.chance(20).then(|| rng.chance(50)),
        });
    }

    /// One random edit; returns what it did, for failure messages.
    fn edit(&mut self, rng: &mut Rng) -> String {
        if let Some(slug) = self.dangling.take() {
            let link = format!("[[{slug}]]");
            for c in &mut self.commentaries {
                let fixes = c.corrections.iter_mut().map(|(_, t)| t);
                for t in c
                    .paragraphs
                    .iter_mut()
                    .chain(c.notes.iter_mut())
                    .chain(fixes)
                {
                    *t = t.replace(&link, "a body");
                }
            }
            for p in &mut self.pages {
                p.2 = p.2.replace(&link, "a body");
            }
            for e in &mut self.entries {
                e.body = e.body.replace(&link, "a body");
            }
        }
        for e in &mut self.entries {
            if let Some(rows) = &mut e.parties {
                rows.retain(valid_row);
            }
        }
        let nc = self.commentaries.len();
        let ne = self.entries.len();
        let treaties: Vec<usize> = (0..ne).filter(|&i| self.entries[i].treaty).collect();
        let bodies: Vec<usize> = (0..ne).filter(|&i| !self.entries[i].treaty).collect();
        match rng.below(34) {
            // A translation of a commentary added or edited (its text names the Chinese
            // names of entries, without spaces), or removed.
            30 | 31 if nc > 0 => {
                let i = rng.below(nc);
                let file = self.commentaries[i].file.clone();
                if rng.chance(25) && self.zh_commentaries.remove(&file).is_some() {
                    return format!("commentary {i}: translation removed");
                }
                let names: String = self
                    .zh_entries
                    .values()
                    .filter(|_| rng.chance(50))
                    .map(|(_, name, _)| format!("与{name}会谈"))
                    .collect();
                let abbr = rng
                    .pick(&self.entries)
                    .and_then(|e| e.abbr.clone())
                    .unwrap_or_default();
                // A citation, formatted in the page's locale.
                let note = match rng.pick(&self.works) {
                    Some((key, _)) if rng.chance(50) => format!("[^1]\n\n[^1]: 见[@{key}, p. 3]。"),
                    _ => String::new(),
                };
                let text = format!("双方{names}就{abbr}问题交换意见。{note}");
                let n = self.fresh_name();
                self.zh_commentaries
                    .insert(file, (format!("评论{n}"), text));
                format!("commentary {i}: translation")
            }
            // A translation of an entry added, renamed or removed.
            32 | 33 if ne > 0 => {
                let i = rng.below(ne);
                let (slug, treaty) = (self.entries[i].slug.clone(), self.entries[i].treaty);
                if rng.chance(25) && self.zh_entries.remove(&slug).is_some() {
                    return format!("entry {i}: translation removed");
                }
                let n = self.fresh_name();
                let body = if rng.chance(50) {
                    "机构。"
                } else {
                    "条约。"
                };
                self.zh_entries
                    .insert(slug, (treaty, format!("机构{n}号"), body.to_string()));
                format!("entry {i}: translation")
            }
            // A parties file beside no treaty appears, goes, or gets its treaty (the entry is
            // created beside the unchanged file).
            29 => match self.orphan.take() {
                None => {
                    self.orphan = Some(format!("orphan-{}", self.fresh_name()));
                    "orphan parties file".into()
                }
                Some(_) if rng.chance(50) => "orphan parties file removed".into(),
                Some(slug) => {
                    let n = self.fresh_name();
                    self.entries.push(E {
                        treaty: true,
                        slug,
                        name: format!("Orphan Convention {n}"),
                        abbr: None,
                        aliases: Vec::new(),
                        summary: None,
                        body: "An adopted file.".into(),
                        related: Vec::new(),
                        parties: Some(vec![orphan_row()]),
                        parent: None,
                    });
                    "treaty added beside its parties file".into()
                }
            },
            // A body's parent set, changed or removed: the diagrams of the old and new
            // parents change too.
            28 if bodies.len() > 1 => {
                let i = *rng.pick(&bodies).expect("not empty");
                let j = *rng.pick(&bodies).expect("not empty");
                self.entries[i].parent =
                    (i != j && rng.chance(75)).then(|| self.entries[j].slug.clone());
                format!("entry {i}: parent")
            }
            // A parties file: created, or a row added (sometimes an invalid one).
            25 | 26 if !treaties.is_empty() => {
                let i = *rng.pick(&treaties).expect("not empty");
                let n = self.fresh_name();
                let signed = rng.chance(70).then(|| 1990 + rng.below(20) as u32);
                let consent = rng
                    .chance(70)
                    .then(|| signed.unwrap_or(1995) + rng.below(6) as u32);
                let withdrawn = consent.filter(|_| rng.chance(15)).map(|c| c + 3);
                // States of interest (in scholia.yaml) when free, so that their consents
                // reach the timeline; else a new state.
                let rows = self.entries[i].parties.get_or_insert_with(Vec::new);
                let name = ["China", "United States"]
                    .into_iter()
                    .find(|s| !rows.iter().any(|r| r.0 == *s) && rng.chance(60))
                    .map_or_else(|| format!("State {n}"), str::to_string);
                let mut row = (name, signed, consent, withdrawn);
                if rng.chance(10) {
                    // Consent before signature: an error until the next edit.
                    row = (row.0, Some(2000), Some(1999), None);
                }
                self.entries[i]
                    .parties
                    .get_or_insert_with(Vec::new)
                    .push(row);
                format!("entry {i}: parties row added")
            }
            // A parties file: a date changed, a row removed, or the file deleted.
            27 if treaties.iter().any(|&i| self.entries[i].parties.is_some()) => {
                let with: Vec<usize> = treaties
                    .into_iter()
                    .filter(|&i| self.entries[i].parties.is_some())
                    .collect();
                let i = *rng.pick(&with).expect("not empty");
                let roll = rng.below(10);
                let rows = self.entries[i].parties.as_mut().expect("filtered");
                if roll == 0 {
                    self.entries[i].parties = None;
                    format!("entry {i}: parties file deleted")
                } else if roll < 3 && !rows.is_empty() {
                    let k = rng.below(rows.len());
                    rows.remove(k);
                    format!("entry {i}: parties row removed")
                } else if let Some(r) = rows.first_mut() {
                    r.2 = Some(r.1.unwrap_or(1995) + 1 + rng.below(8) as u32);
                    r.3 = None;
                    format!("entry {i}: parties consent changed")
                } else {
                    "nothing".into()
                }
            }
            0 if nc > 0 => {
                let i = rng.below(nc);
                let s = self.sentence(rng);
                self.commentaries[i].paragraphs.push(s);
                format!("commentary {i}: paragraph added")
            }
            1 if nc > 0 => {
                let i = rng.below(nc);
                let n = self.fresh_name();
                self.commentaries[i].title = format!("Retitled {n}");
                format!("commentary {i}: title")
            }
            2 if nc > 0 => {
                let i = rng.below(nc);
                self.commentaries[i].date.0 = 2010 + rng.below(8) as u32;
                format!("commentary {i}: date")
            }
            3 if nc > 0 => {
                let i = rng.below(nc);
                let t = TAGS[rng.below(TAGS.len())].to_string();
                let c = &mut self.commentaries[i];
                if c.tags.contains(&t) {
                    c.tags.retain(|x| *x != t);
                } else {
                    c.tags.push(t);
                }
                format!("commentary {i}: tags")
            }
            4 if nc > 0 => {
                let i = rng.below(nc);
                let s = self.sentence(rng);
                self.commentaries[i].notes.push(s);
                format!("commentary {i}: footnote")
            }
            5 => {
                self.new_commentary(rng);
                "commentary added".into()
            }
            6 if nc > 1 => {
                let i = rng.below(nc);
                self.commentaries.remove(i);
                format!("commentary {i}: deleted")
            }
            7 if nc > 0 => {
                let i = rng.below(nc);
                let n = self.fresh_name();
                self.commentaries[i].file = format!("renamed-{n}.md");
                format!("commentary {i}: renamed")
            }
            8 if nc > 0 => {
                let i = rng.below(nc);
                let a = AUTHORS[rng.below(AUTHORS.len())].to_string();
                self.commentaries[i].authors = vec![a];
                format!("commentary {i}: author")
            }
            9 if nc > 0 => {
                let i = rng.below(nc);
                self.commentaries[i].draft = !self.commentaries[i].draft;
                format!("commentary {i}: draft toggled")
            }
            10 if ne > 0 => {
                let i = rng.below(ne);
                let n = self.fresh_name();
                let word = WORDS[rng.below(WORDS.len())];
                self.entries[i].aliases.push(format!("{word} body {n}"));
                // Make the new alias appear somewhere, or not.
                if rng.chance(70) {
                    if let Some(c) = self.commentaries.first_mut() {
                        c.paragraphs.push(format!("The {word} body {n} met."));
                    }
                }
                format!("entry {i}: alias added")
            }
            11 if ne > 0 => {
                let i = rng.below(ne);
                let e = &mut self.entries[i];
                if !e.aliases.is_empty() {
                    let j = rng.below(e.aliases.len());
                    e.aliases.remove(j);
                }
                format!("entry {i}: alias removed")
            }
            12 if ne > 0 => {
                let i = rng.below(ne);
                let n = self.fresh_name();
                let e = &mut self.entries[i];
                e.name = format!("{} Renamed {n}", e.name.split(' ').next().unwrap_or("X"));
                format!("entry {i}: name")
            }
            13 if ne > 0 => {
                let i = rng.below(ne);
                let n = self.fresh_name();
                self.entries[i].summary = rng.chance(70).then(|| format!("New summary {n}."));
                format!("entry {i}: summary")
            }
            14 => {
                self.new_entry(rng);
                "entry added".into()
            }
            15 if ne > 1 => {
                let i = rng.below(ne);
                let slug = self.entries.remove(i).slug;
                for e in &mut self.entries {
                    e.related.retain(|s| *s != slug);
                    if e.parent.as_ref() == Some(&slug) {
                        e.parent = None;
                    }
                }
                self.dangling = Some(slug);
                // Wiki links to it become errors, which both pipelines must report alike.
                format!("entry {i}: deleted")
            }
            16 if ne > 1 => {
                let i = rng.below(ne);
                let j = rng.below(ne);
                let other = self.entries[j].slug.clone();
                if i != j && !self.entries[i].related.contains(&other) {
                    self.entries[i].related.push(other);
                }
                format!("entry {i}: related")
            }
            17 => {
                let n = self.fresh_name();
                if rng.chance(50) || self.pages.len() < 2 {
                    self.pages
                        .push((format!("page-{n}"), format!("Page {n}"), self.sentence(rng)));
                    "page added".into()
                } else {
                    let i = rng.below(self.pages.len());
                    self.pages[i].2 = self.sentence(rng);
                    format!("page {i}: text")
                }
            }
            18 => {
                match rng.below(7) {
                    0 => self.paginate = 1 + rng.below(3),
                    1 => self.search = !self.search,
                    2 => self.autolink_all = !self.autolink_all,
                    3 => self.cards = !self.cards,
                    4 => self.pdf = !self.pdf,
                    5 => self.french = !self.french,
                    _ => self.title = format!("Review {}", self.fresh_name()),
                }
                "config".into()
            }
            19 => {
                self.not_found_template = match &self.not_found_template {
                    Some(_) if rng.chance(50) => None,
                    _ => Some(format!(
                        "<!doctype html><html lang=\"en\"><title>{{{{ site.title }}}}</title><p>Gone {}</p></html>\n",
                        self.fresh_name()
                    )),
                };
                "template".into()
            }
            20 => {
                let n = self.fresh_name();
                if rng.chance(50) {
                    self.works.push((format!("work{n}"), format!("Work {n}")));
                } else if let Some(w) = self.works.first_mut() {
                    w.1 = format!("Retitled work {n}");
                }
                "bibliography".into()
            }
            21 if nc > 0 => {
                let i = rng.below(nc);
                let s = self.correction(rng);
                let c = &mut self.commentaries[i];
                if c.corrections.is_empty() || rng.chance(60) {
                    c.corrections.push((rng.below(3) as u32, s));
                    format!("commentary {i}: correction added")
                } else {
                    let k = rng.below(c.corrections.len());
                    c.corrections.remove(k);
                    format!("commentary {i}: correction removed")
                }
            }
            22 if nc > 0 => {
                let i = rng.below(nc);
                let c = &mut self.commentaries[i];
                c.updated = match c.updated {
                    Some(_) if rng.chance(50) => None,
                    _ => Some(rng.below(3) as u32),
                };
                format!("commentary {i}: updated")
            }
            23 => {
                if !self.junk.is_empty() && rng.chance(40) {
                    let i = rng.below(self.junk.len());
                    self.junk.remove(i);
                    return "leftover removed".into();
                }
                let n = self.fresh_name();
                let name = match rng.below(5) {
                    0 => format!("commentaries/.draft-{n}.md"),
                    1 => format!("commentaries/c-{n}.md~"),
                    2 => format!("commentaries/#c-{n}.md#"),
                    3 => format!("glossary/bodies/.hidden-{n}/e.md"),
                    _ => format!("static/page-{n}.txt~"),
                };
                self.junk.push(name);
                "leftover added".into()
            }
            _ if ne > 0 => {
                let i = rng.below(ne);
                let s = self.sentence(rng);
                self.entries[i].body.push_str(&format!("\n\n{s}"));
                format!("entry {i}: body")
            }
            _ => "nothing".into(),
        }
    }

    /// The site's files: path → text.
    fn files(&self) -> BTreeMap<String, String> {
        let mut f = BTreeMap::new();
        f.insert(
            "scholia.yaml".into(),
            format!(
                "title: \"{}\"\nbase_url: \"https://example.org/r/\"\npaginate: {}\nsearch: {}\ncards: {}\nautolink: {}\nstates: [China, United States]\nlanguages: {{zh: {{title: 评论}}{}}}\nfonts: [\"{}\"]\npdf:\n  enabled: {}\n",
                self.title,
                self.paginate,
                self.search,
                self.cards,
                if self.autolink_all { "all" } else { "first" },
                if self.french { ", fr: {title: Revue}" } else { "" },
                // The Chinese translations need a font with Han letters for
                // their PDFs (an error without one) and cards.
                concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/demo/ScholiaDemoHanSans-Regular.otf"),
                self.pdf
            ),
        );
        let list = |v: &[String]| {
            v.iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        for c in &self.commentaries {
            let mut t = format!(
                "---\ntitle: \"{}\"\ndate: {:04}-{:02}-{:02}\nauthors: [{}]\ntags: [{}]\n",
                c.title,
                c.date.0,
                c.date.1,
                c.date.2,
                list(&c.authors),
                list(&c.tags)
            );
            if let Some(s) = &c.summary {
                t.push_str(&format!("summary: \"{s}\"\n"));
            }
            if c.draft {
                t.push_str("draft: true\n");
            }
            if let Some(p) = c.pdf {
                t.push_str(&format!("pdf: {p}\n"));
            }
            let later =
                |years: u32| format!("{:04}-{:02}-{:02}", c.date.0 + years, c.date.1, c.date.2);
            if let Some(y) = c.updated {
                t.push_str(&format!("updated: {}\n", later(y)));
            }
            if !c.corrections.is_empty() {
                t.push_str("corrections:\n");
                for (y, text) in &c.corrections {
                    t.push_str(&format!("  - date: {}\n    text: \"{text}\"\n", later(*y)));
                }
            }
            t.push_str("---\n\n");
            for p in &c.paragraphs {
                t.push_str(p);
                t.push_str("\n\n");
            }
            for (k, _) in c.notes.iter().enumerate() {
                t.push_str(&format!("A noted claim.[^n{k}]\n\n"));
            }
            for (k, n) in c.notes.iter().enumerate() {
                t.push_str(&format!("[^n{k}]: {n}\n\n"));
            }
            f.insert(format!("content/commentaries/{}", c.file), t);
        }
        for e in &self.entries {
            let mut t = format!("---\nname: \"{}\"\n", e.name);
            if let Some(a) = &e.abbr {
                t.push_str(&format!("abbr: \"{a}\"\n"));
            }
            if !e.aliases.is_empty() {
                t.push_str(&format!("aliases: [{}]\n", list(&e.aliases)));
            }
            if let Some(s) = &e.summary {
                t.push_str(&format!("summary: \"{s}\"\n"));
            }
            if let Some(p) = &e.parent {
                t.push_str(&format!("parent: {p}\n"));
            }
            if !e.related.is_empty() {
                t.push_str(&format!("related: [{}]\n", e.related.join(", ")));
            }
            t.push_str(&format!("---\n\n{}\n", e.body));
            let folder = if e.treaty { "treaties" } else { "bodies" };
            f.insert(format!("content/glossary/{folder}/{}.md", e.slug), t);
            if let Some(rows) = &e.parties {
                f.insert(
                    format!("content/glossary/{folder}/{}.parties.csv", e.slug),
                    parties_csv(rows),
                );
            }
        }
        for (slug, title, body) in &self.pages {
            f.insert(
                format!("content/pages/{slug}.md"),
                format!("---\ntitle: \"{title}\"\n---\n\n{body}\n"),
            );
        }
        let mut works = String::new();
        for (k, title) in &self.works {
            works.push_str(&format!(
                "{k}:\n  type: Book\n  title: \"{title}\"\n  author: Smith, Jane\n  date: 2020\n\n"
            ));
        }
        f.insert("content/sources.yaml".into(), works);
        if let Some(t) = &self.not_found_template {
            f.insert("templates/404.html".into(), t.clone());
        }
        if let Some(o) = &self.orphan {
            f.insert(
                format!("content/glossary/treaties/{o}.parties.csv"),
                parties_csv(&[orphan_row()]),
            );
        }
        for (file, (title, text)) in &self.zh_commentaries {
            let stem = file.trim_end_matches(".md");
            f.insert(
                format!("content/commentaries/{stem}.zh.md"),
                format!("---\ntitle: \"{title}\"\ndate: 2014-03-05\ntags: [中国]\n---\n\n{text}\n"),
            );
            if self.french {
                f.insert(
                    format!("content/commentaries/{stem}.fr.md"),
                    format!("---\ntitle: \"Revue {title}\"\ndate: 2014-03-05\n---\n\n{text}\n"),
                );
            }
        }
        for (slug, (treaty, name, text)) in &self.zh_entries {
            let folder = if *treaty { "treaties" } else { "bodies" };
            f.insert(
                format!("content/glossary/{folder}/{slug}.zh.md"),
                format!("---\nname: \"{name}\"\n---\n\n{text}\n"),
            );
        }
        for j in &self.junk {
            f.insert(format!("content/{j}"), "not front matter\n".into());
        }
        f.insert("content/static/notes.txt".into(), "static\n".into());
        f
    }
}

/// A parties file of these rows.
fn parties_csv(rows: &[Row]) -> String {
    let year = |y: &Option<u32>| y.map(|y| format!("{y}-07-01")).unwrap_or_default();
    let mut csv = String::from("state,signed,consent,kind,withdrawn\n");
    for r in rows {
        let kind = if r.2.is_some() { "ratification" } else { "" };
        csv.push_str(&format!(
            "{},{},{},{kind},{}\n",
            r.0,
            year(&r.1),
            year(&r.2),
            year(&r.3)
        ));
    }
    csv
}

/// Writes the model's files under `root`, each changed file with a new modification time;
/// returns the absolute paths written or removed.
fn write_site(
    root: &Path,
    files: &BTreeMap<String, String>,
    on_disk: &mut BTreeMap<String, String>,
    clock: &mut u64,
) -> Vec<PathBuf> {
    let mut changed = Vec::new();
    for (rel, text) in files {
        if on_disk.get(rel) == Some(text) {
            continue;
        }
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        *clock += 1;
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000 + *clock);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(t)
            .unwrap();
        changed.push(path);
    }
    for rel in on_disk.keys() {
        if !files.contains_key(rel) {
            let path = root.join(rel);
            std::fs::remove_file(&path).unwrap();
            changed.push(path);
        }
    }
    *on_disk = files.clone();
    changed
}

/// PDFs are on in the model's site, with their keys standing in for them: typesetting
/// every PDF of every fresh build would make the test minutes long, and the key (a hash of
/// everything the PDF is made from) is what decides whether a kept pipeline makes it again.
fn opts(root: &Path) -> Options {
    Options {
        root: root.to_path_buf(),
        pdf_stand_in: true,
        ..Options::default()
    }
}

fn snapshot(sink: &LiveSink<Memory>) -> BTreeMap<String, Vec<u8>> {
    sink.store().0.lock().unwrap().clone()
}

/// A kept pipeline's run as `serve` does it: pages, then the search index.
fn kept_run<S: super::output::Store>(
    p: &mut Pipeline,
    sink: &mut LiveSink<S>,
    changed: Option<&[PathBuf]>,
) -> Report {
    let report = p.run(changed, sink);
    if report.ok {
        if let Some(job) = p.search_job() {
            let files = job.run();
            let docs = p.search_docs();
            let langs = p.lang_codes();
            let is_data = |rel: &str| crate::routes::Routes::is_search_data_in(rel, &langs);
            let (_, diags) = sink.apply(files, is_data, &docs);
            assert!(diags.is_empty(), "{diags:?}");
        }
    }
    report
}

fn fresh_run(root: &Path) -> (Report, BTreeMap<String, Vec<u8>>) {
    fresh_run_with(opts(root))
}

fn fresh_run_with(opts: Options) -> (Report, BTreeMap<String, Vec<u8>>) {
    let mut sink = LiveSink::new(Memory::default());
    let report = Pipeline::fresh(opts).run(None, &mut sink);
    (report, snapshot(&sink))
}

fn first_difference(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> String {
    for (k, v) in a {
        match b.get(k) {
            None => return format!("{k} only in the kept output"),
            Some(w) if w != v => {
                return format!(
                    "{k} differs:\n--- kept\n{}\n--- fresh\n{}",
                    String::from_utf8_lossy(v),
                    String::from_utf8_lossy(w)
                )
            }
            _ => {}
        }
    }
    match b.keys().find(|k| !a.contains_key(*k)) {
        Some(k) => format!("{k} only in the fresh output"),
        None => "no difference".into(),
    }
}

/// A site on disk with its model, a kept pipeline and its output in memory.
struct Bench {
    _dir: tempfile::TempDir,
    root: PathBuf,
    rng: Rng,
    model: Model,
    on_disk: BTreeMap<String, String>,
    clock: u64,
    kept: Pipeline,
    sink: LiveSink<Memory>,
}

impl Bench {
    fn new(seed: u64) -> Bench {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let mut rng = Rng(seed);
        let model = Model::new(&mut rng);
        let mut b = Bench {
            kept: Pipeline::kept(opts(&root)),
            _dir: dir,
            root,
            rng,
            model,
            on_disk: BTreeMap::new(),
            clock: 0,
            sink: LiveSink::new(Memory::default()),
        };
        b.write();
        b
    }

    /// Writes the model's changed files; returns their paths.
    fn write(&mut self) -> Vec<PathBuf> {
        write_site(
            &self.root,
            &self.model.files(),
            &mut self.on_disk,
            &mut self.clock,
        )
    }

    fn run(&mut self, changed: Option<&[PathBuf]>) -> Report {
        kept_run(&mut self.kept, &mut self.sink, changed)
    }

    /// One to three random edits of the model (none before the first build), in words.
    fn edits(&mut self, step: usize) -> String {
        if step == 0 {
            return "first build".to_string();
        }
        (0..1 + self.rng.below(3))
            .map(|_| self.model.edit(&mut self.rng))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

fn equivalence(seed: u64, steps: usize) {
    let mut b = Bench::new(seed);
    let mut history = Vec::new();
    let mut ok_runs = 0;
    // PDFs (their keys) made in some step: the PDF pipeline is covered.
    let mut pdfs = 0;
    for step in 0..steps {
        let what = b.edits(step);
        history.push(what);
        let changed = b.write();
        // Half the time as the watcher reports them, half with a walk.
        let paths = b.rng.chance(50).then_some(changed.as_slice());
        let before = snapshot(&b.sink);
        let k = b.run(paths);
        let (f, fresh) = fresh_run(&b.root);
        let context = || {
            format!(
                "seed {seed}, step {step}; edits so far:\n  {}",
                history.join("\n  ")
            )
        };
        assert_eq!(k.diags, f.diags, "diagnostics differ ({})", context());
        assert_eq!(k.ok, f.ok, "{}", context());
        let now = snapshot(&b.sink);
        if f.ok {
            ok_runs += 1;
            pdfs += fresh.keys().filter(|k| k.ends_with(".pdf")).count();
            assert!(
                now == fresh,
                "outputs differ ({}): {}",
                context(),
                first_difference(&now, &fresh)
            );
        } else {
            assert!(
                now == before,
                "a failed run changed the output ({})",
                context()
            );
        }
    }
    assert!(pdfs > 0, "no step made a PDF (seed {seed})");
    assert!(
        ok_runs * 2 > steps,
        "most steps must build (seed {seed}: {ok_runs} of {steps})"
    );
}

#[test]
fn a_kept_pipeline_writes_what_a_full_build_writes_after_random_edits() {
    for seed in 1..=4 {
        equivalence(seed, 40);
    }
}

/// The files of a build's output folder, less its bookkeeping (the marker, the keys).
fn read_out(out: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .filter(|(rel, _)| !rel.starts_with(".scholia-"))
        .collect()
}

/// One step of a randomised equivalence test: the run under test (`k`, its output `now`,
/// read only when the fresh run built) reports and writes what a fresh run (`f`, `fresh`) does.
fn assert_step(
    context: &dyn Fn() -> String,
    k: &Report,
    f: &Report,
    now: impl FnOnce() -> BTreeMap<String, Vec<u8>>,
    fresh: &BTreeMap<String, Vec<u8>>,
) {
    assert_eq!(k.diags, f.diags, "diagnostics differ ({})", context());
    assert_eq!(k.ok, f.ok, "{}", context());
    if f.ok {
        let now = now();
        assert!(
            now == *fresh,
            "outputs differ ({}): {}",
            context(),
            first_difference(&now, fresh)
        );
    }
}

/// Cuts the file at `path` short at a random length.
fn cut_short(path: &Path, rng: &mut Rng) {
    let bytes = std::fs::read(path).unwrap();
    let cut = rng.below(bytes.len());
    std::fs::write(path, &bytes[..cut]).unwrap();
}

/// The build cache (`build` without `--no-cache`): each step a new pipeline (as a new
/// process) reads the cache the previous step's build wrote and takes files from its output;
/// what it writes and reports must be what a build from nothing writes and reports. Between
/// steps the cache file is sometimes damaged (one warning more, nothing else differs) or the
/// output deleted (the cached commentaries are rendered again).
fn cached_equivalence(seed: u64, steps: usize) {
    use super::output::StagingSink;
    use super::pipeline::cache;
    let mut b = Bench::new(seed);
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("site");
    // Most commentaries older than the feed: their records carry no body.
    let opts = |root: &Path| Options {
        feed_len: Some(2),
        ..opts(root)
    };
    let cache_file = b.root.join(cache::DIR).join("articles.bin");
    let mut history = Vec::new();
    let (mut hits, mut ok_runs) = (0, 0);
    for step in 0..steps {
        let mut what = b.edits(step);
        let damaged = step > 0 && cache_file.exists() && b.rng.chance(10);
        if damaged {
            let mut bytes = std::fs::read(&cache_file).unwrap();
            let cut = b.rng.below(bytes.len());
            bytes.truncate(cut);
            std::fs::write(&cache_file, &bytes).unwrap();
            what.push_str("; cache file cut short");
        }
        if b.rng.chance(10) {
            let _ = std::fs::remove_dir_all(&out);
            what.push_str("; output deleted");
        }
        // Most steps take unchanged commentary files by their stamps (each write has a
        // modification time of its own, and the build is said to run a day later, when all
        // have settled); the others read every file.
        // (Not drawn from the edits' generator, whose sequence the seeds were chosen for.)
        let stamps = !(seed + step as u64).is_multiple_of(3);
        if stamps {
            what.push_str("; stamps");
        }
        history.push(what);
        b.write();
        let mut cached = Pipeline::cached(opts(&b.root));
        if stamps {
            cached.settle_stamps_at(SystemTime::now() + Duration::from_secs(86_400));
        }
        let mut sink = StagingSink::new(&out, &b.root).in_place();
        let mut c = cached.run(None, &mut sink);
        if c.ok {
            assert!(cached.save_cache().is_none());
        }
        let mut fresh_sink = LiveSink::new(Memory::default());
        let f = Pipeline::fresh(opts(&b.root)).run(None, &mut fresh_sink);
        let mut fresh = snapshot(&fresh_sink);
        fresh.retain(|rel, _| !rel.starts_with(".scholia-"));
        let context = || {
            format!(
                "seed {seed}, step {step}; edits so far:\n  {}",
                history.join("\n  ")
            )
        };
        let warned = c
            .diags
            .iter()
            .position(|d| d.code == crate::codes::CACHE_DAMAGED.id);
        assert_eq!(warned.is_some(), damaged, "{}", context());
        if let Some(i) = warned {
            c.diags.remove(i);
        }
        assert_step(&context, &c, &f, || read_out(&out), &fresh);
        if f.ok {
            ok_runs += 1;
            hits += c.counts.commentaries - c.markdown_renders;
        }
    }
    assert!(
        hits > steps,
        "the cache served few commentaries (seed {seed}: {hits})"
    );
    assert!(ok_runs * 2 > steps, "most steps must build (seed {seed})");
}

#[test]
fn a_build_with_the_cache_writes_what_a_build_from_nothing_writes_after_random_edits() {
    for seed in 21..=23 {
        cached_equivalence(seed, 25);
    }
}

/// `serve` from the last session's folder ([`crate::site::session::Session::persistent`]):
/// at random steps the session stops and a new one (a new process) starts on the folder
/// and cache it left, taking what is current from them; at the others it goes on with the
/// edits as a kept pipeline, with articles it took from the cache among its own. Every
/// step's output folder must be what a build from nothing makes. Between sessions the keys
/// or the cache are sometimes cut short, and the site is edited while no session runs.
fn persisted_serve_equivalence(seed: u64, steps: usize) -> usize {
    use super::output::Dir;
    use super::pipeline::cache;
    let mut b = Bench::new(seed);
    let opts = |root: &Path| Options {
        feed_len: Some(2),
        ..opts(root)
    };
    let folder = b.root.join(cache::DIR).join(cache::SERVE);
    let (out, journal, seed_dir) = (
        folder.join("site"),
        folder.join("site.keys"),
        b.root.join("site"),
    );
    let cache_file = folder.join("articles.bin");
    let start = |root: &Path| {
        let sink = LiveSink::resumed(Dir(out.clone()), &journal, &seed_dir).unwrap();
        (Pipeline::kept_cached(opts(root)), sink, true)
    };
    let mut session: Option<(Pipeline, LiveSink<Dir>, bool)> = None;
    let mut history = Vec::new();
    let (mut taken, mut restarts, mut ok_runs) = (0, 0, 0);
    for step in 0..steps {
        let mut what = b.edits(step);
        let restart = session.is_none() || b.rng.chance(30);
        let mut damaged = false;
        if restart && session.take().is_some() {
            restarts += 1;
            what.push_str("; restarted");
            if journal.exists() && b.rng.chance(10) {
                cut_short(&journal, &mut b.rng);
                what.push_str("; keys cut short");
            }
            if cache_file.exists() && b.rng.chance(10) {
                cut_short(&cache_file, &mut b.rng);
                damaged = true;
                what.push_str("; cache cut short");
            }
        }
        history.push(what);
        let changed = b.write();
        let (p, sink, first) = session.get_or_insert_with(|| start(&b.root));
        if *first && !(seed + step as u64).is_multiple_of(3) {
            p.settle_stamps_at(SystemTime::now() + Duration::from_secs(86_400));
        }
        let paths = (!*first && b.rng.chance(50)).then_some(changed.as_slice());
        let mut k = kept_run(p, sink, paths);
        if std::mem::take(first) {
            if k.ok {
                assert!(p.save_cache().is_none());
            }
            p.drop_cache();
            if damaged {
                let at = k
                    .diags
                    .iter()
                    .position(|d| d.code == crate::codes::CACHE_DAMAGED.id);
                k.diags.remove(at.expect("a damaged cache is reported"));
            }
            taken += k.counts.commentaries.saturating_sub(k.markdown_renders);
        }
        let (f, mut fresh) = fresh_run_with(opts(&b.root));
        fresh.retain(|rel, _| !rel.starts_with(".scholia-"));
        let context = || {
            format!(
                "seed {seed}, step {step}; edits so far:\n  {}",
                history.join("\n  ")
            )
        };
        assert_step(&context, &k, &f, || read_out(&out), &fresh);
        ok_runs += usize::from(f.ok);
    }
    assert!(restarts > 2, "few restarts (seed {seed}: {restarts})");
    assert!(ok_runs * 2 > steps, "most steps must build (seed {seed})");
    taken
}

#[test]
fn serve_from_its_last_session_writes_what_a_build_from_nothing_writes_after_random_edits() {
    let taken: usize = (31..=32)
        .map(|seed| persisted_serve_equivalence(seed, 25))
        .sum();
    // Commentaries a new session took from the last one's cache, not rendered.
    assert!(taken > 10, "few commentaries from the cache ({taken})");
}

/// A cached build after a new commentary (the newest: every other one's place in the list,
/// and so its search document's name, moves) renders that one only.
#[test]
fn a_build_with_the_cache_renders_only_a_new_commentary() {
    use super::output::StagingSink;
    let mut b = Bench::new(9);
    b.model.commentaries.retain(|c| !c.draft);
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("site");
    // Most commentaries older than the feed, whose records carry no body.
    let opts = |root: &Path| Options {
        feed_len: Some(1),
        ..opts(root)
    };
    let build = |b: &mut Bench| {
        b.write();
        let mut p = Pipeline::cached(opts(&b.root));
        p.settle_stamps_at(SystemTime::now() + Duration::from_secs(86_400));
        let r = p.run(None, &mut StagingSink::new(&out, &b.root).in_place());
        assert!(r.ok, "{:?}", r.diags);
        assert!(p.save_cache().is_none());
        r
    };
    let first = build(&mut b);
    assert_eq!(first.markdown_renders, first.counts.commentaries);
    let again = build(&mut b);
    assert_eq!(again.markdown_renders, 0, "nothing changed");
    assert_eq!(
        again.content_reads + first.counts.commentaries,
        first.content_reads,
        "no commentary file is read"
    );
    b.model.new_commentary(&mut b.rng);
    b.model.commentaries.last_mut().unwrap().date = (2030, 1, 1);
    let after = build(&mut b);
    assert_eq!(after.counts.commentaries, first.counts.commentaries + 1);
    assert_eq!(after.markdown_renders, 1, "only the new commentary");
    let (_, mut fresh) = fresh_run_with(opts(&b.root));
    fresh.retain(|rel, _| !rel.starts_with(".scholia-"));
    let now = read_out(&out);
    assert!(now == fresh, "{}", first_difference(&now, &fresh));
}

#[test]
fn a_kept_pipeline_renders_only_what_changed() {
    let mut b = Bench::new(7);
    let first = b.run(None);
    assert!(first.ok, "{:?}", first.diags);
    let again = b.run(None);
    assert_eq!(
        (again.markdown_renders, again.pages_rendered),
        (0, 0),
        "nothing changed, nothing rendered"
    );
    assert!(again.changes.written.is_empty() && again.changes.removed.is_empty());
    // A new paragraph without glossary names: its commentary's Markdown and page, and the
    // search document; no list (its item did not change).
    b.model.commentaries[0]
        .paragraphs
        .push("Plain words only here.".into());
    let changed = b.write();
    let r = b.run(Some(&changed));
    assert!(r.ok);
    assert_eq!(r.markdown_renders, 1);
    assert_eq!(r.pages_rendered, 0, "no page other than the commentary's");
    let html: Vec<&String> = r
        .changes
        .written
        .iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    assert_eq!(html.len(), 1, "{:?}", r.changes.written);
    assert!(html[0].starts_with("commentaries/"));
}

/// A body that names a parent changes the parent's page (its diagram gains a part) even
/// though the parent's own file did not change.
#[test]
fn a_new_part_redraws_its_parent_s_diagram() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let mut rng = Rng(7);
    let mut model = Model::new(&mut rng);
    model.entries.retain(|e| !e.treaty);
    while model.entries.len() < 2 {
        model.new_entry(&mut rng);
        model.entries.retain(|e| !e.treaty);
    }
    let mut on_disk = BTreeMap::new();
    let mut clock = 0;
    write_site(&root, &model.files(), &mut on_disk, &mut clock);
    let mut kept = Pipeline::kept(opts(&root));
    let mut sink = LiveSink::new(Memory::default());
    assert!(kept_run(&mut kept, &mut sink, None).ok);
    let parent = model.entries[0].slug.clone();
    model.entries[1].parent = Some(parent.clone());
    let changed = write_site(&root, &model.files(), &mut on_disk, &mut clock);
    for paths in [Some(changed.as_slice()), None] {
        let r = kept_run(&mut kept, &mut sink, paths);
        assert!(r.ok, "{:?}", r.diags);
    }
    let (_, fresh) = fresh_run(&root);
    let page = format!("glossary/bodies/{parent}/index.html");
    let now = snapshot(&sink);
    assert!(String::from_utf8_lossy(&fresh[&page]).contains("body-diagram"));
    assert!(now == fresh, "{}", first_difference(&now, &fresh));
}

/// A parties file beside no treaty is a warning; a treaty created beside it takes it (no
/// warning, its parties shown); deleting the treaty makes it an orphan again. The watcher
/// names only the entry's file each time: the kept pipeline must see what a walk sees.
#[test]
fn an_orphan_parties_file_is_adopted_and_orphaned_again() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let mut rng = Rng(11);
    let mut model = Model::new(&mut rng);
    model.orphan = Some("lonely".into());
    let mut on_disk = BTreeMap::new();
    let mut clock = 0;
    write_site(&root, &model.files(), &mut on_disk, &mut clock);
    let mut kept = Pipeline::kept(opts(&root));
    let mut sink = LiveSink::new(Memory::default());
    let orphan = |r: &Report| {
        r.diags
            .iter()
            .any(|d| d.code == crate::codes::ORPHAN_PARTIES.id)
    };
    assert!(orphan(&kept_run(&mut kept, &mut sink, None)));
    let adopted = E {
        treaty: true,
        slug: "lonely".into(),
        name: "Lonely Convention".into(),
        abbr: None,
        aliases: Vec::new(),
        summary: None,
        body: "Adopted.".into(),
        related: Vec::new(),
        parties: Some(vec![orphan_row()]),
        parent: None,
    };
    model.orphan = None;
    model.entries.push(adopted);
    for expect_orphan in [false, true] {
        let changed = write_site(&root, &model.files(), &mut on_disk, &mut clock);
        assert!(
            changed
                .iter()
                .all(|p| p.extension().is_some_and(|e| e == "md")),
            "{changed:?}"
        );
        let k = kept_run(&mut kept, &mut sink, Some(&changed));
        let (f, fresh) = fresh_run(&root);
        assert_eq!(k.diags, f.diags);
        assert_eq!(orphan(&f), expect_orphan);
        assert!(
            snapshot(&sink) == fresh,
            "{}",
            first_difference(&snapshot(&sink), &fresh)
        );
        // Then the treaty goes and its file stays.
        model.entries.pop();
        model.orphan = Some("lonely".into());
    }
}

/// A cached build after a glossary entry gains an alias renders the commentaries whose text
/// has it or that link the entry (its links may show its names), not the others: a glossary
/// edit costs what it reaches, as in `serve`.
#[test]
fn a_build_with_the_cache_after_an_alias_edit_renders_only_what_the_alias_reaches() {
    use super::output::StagingSink;
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("out"));
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let entry = |aliases: &str| {
        format!("---\nname: \"National Security Agency\"\nabbr: \"NSA\"\naliases: [{aliases}]\nsummary: \"A U.S. intelligence agency.\"\n---\n\nSignals intelligence.\n")
    };
    write("scholia.yaml", "title: T\nbase_url: /\n");
    write("content/glossary/bodies/nsa.md", &entry(""));
    let texts = [
        "The NSA said so.",
        "Fort Meade was quiet.",
        "Nothing here.",
        "Nor here.",
        "Still nothing.",
    ];
    for (i, text) in texts.iter().enumerate() {
        write(
            &format!("content/commentaries/c{i}.md"),
            &format!(
                "---\ntitle: \"C{i}\"\ndate: 2020-01-0{}\n---\n\n{text}\n",
                i + 1
            ),
        );
    }
    let build = || {
        let mut p = Pipeline::cached(opts(&root));
        p.settle_stamps_at(SystemTime::now() + Duration::from_secs(86_400));
        let r = p.run(None, &mut StagingSink::new(&out, &root).in_place());
        assert!(r.ok, "{:?}", r.diags);
        assert!(p.save_cache().is_none());
        r
    };
    assert_eq!(build().markdown_renders, texts.len());
    write("content/glossary/bodies/nsa.md", &entry("\"Fort Meade\""));
    let after = build();
    // c1 has the new name; c0 links the entry, whose links may show its names.
    assert!(
        (1..=2).contains(&after.markdown_renders),
        "{} rendered",
        after.markdown_renders
    );
    let (_, mut fresh) = fresh_run_with(opts(&root));
    fresh.retain(|rel, _| !rel.starts_with(".scholia-"));
    let now = read_out(&out);
    assert!(now == fresh, "{}", first_difference(&now, &fresh));
    assert!(String::from_utf8_lossy(&now["commentaries/c1/index.html"]).contains("class=\"gl"));
}
