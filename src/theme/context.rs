//! The views templates see: plain `Serialize` structs, documented in `docs/templates.md`.
//!
//! HTML that Scholia produced travels as [`minijinja::Value::from_safe_string`] so that
//! auto-escaping leaves it alone; everything else (titles, summaries, front-matter values)
//! is escaped by the template engine.

use crate::content::{Date, Yaml};
use minijinja::Value;
use serde::Serialize;

/// `{iso, text}`.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct DateView {
    /// `2014-02-27`.
    pub iso: String,
    /// `27 February 2014`.
    pub text: String,
}

impl From<Date> for DateView {
    fn from(d: Date) -> Self {
        DateView {
            iso: d.to_string(),
            text: d.text(),
        }
    }
}

/// A named link.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct Link {
    /// Shown text.
    pub name: String,
    /// Target.
    pub url: String,
}

/// A free page in the navigation.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct NavPage {
    /// Title.
    pub title: String,
    /// URL.
    pub url: String,
}

/// URLs of the site's sections.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct Nav {
    /// Home.
    pub home: String,
    /// Glossary index.
    pub glossary: String,
    /// Tag index.
    pub tags: String,
    /// Author index.
    pub authors: String,
    /// Atom feed.
    pub feed: String,
    /// The sources page, when the site has a bibliography.
    pub sources: Option<String>,
    /// Search page (the search box's form action); none when `search: false`.
    pub search: Option<String>,
}

/// `site`.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct SiteView {
    /// Site name.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Base URL, ending in `/`.
    pub base_url: String,
    /// Language.
    pub language: String,
    /// Free map.
    pub extra: Yaml,
    /// Free pages.
    pub pages: Vec<NavPage>,
    /// Section URLs.
    pub nav: Nav,
}

/// A commentary in a list.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct CommentaryItem {
    /// Title.
    pub title: String,
    /// URL.
    pub url: String,
    /// Date.
    pub date: DateView,
    /// Authors.
    pub authors: Vec<Link>,
    /// Tags.
    pub tags: Vec<Link>,
    /// Summary (given or derived).
    pub summary: String,
}

/// A note for the notes list.
#[derive(Debug, Clone, Serialize)]
pub struct NoteView {
    /// Number.
    pub number: usize,
    /// Id of its `<li>`.
    pub id: String,
    /// HTML, safe.
    pub html: Value,
    /// Ids of references.
    pub backrefs: Vec<String>,
}

impl From<&crate::markdown::Note> for NoteView {
    fn from(n: &crate::markdown::Note) -> Self {
        NoteView {
            number: n.number,
            id: n.id.clone(),
            html: Value::from_safe_string(n.html.clone()),
            backrefs: n.backrefs.clone(),
        }
    }
}

/// Where a commentary first appeared.
#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    /// Publisher.
    pub publisher: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Date.
    pub date: Option<DateView>,
}

/// `commentary`.
#[derive(Debug, Clone, Serialize)]
pub struct CommentaryView {
    /// List fields.
    #[serde(flatten)]
    pub item: CommentaryItem,
    /// Body HTML.
    pub content: Value,
    /// Notes.
    pub notes: Vec<NoteView>,
    /// Source.
    pub source: Option<SourceView>,
    /// Minutes to read.
    pub reading_minutes: usize,
    /// The works it cites, as the style's bibliography.
    pub works_cited: Vec<WorkView>,
    /// When it last changed: the latest of its date, `updated` and its corrections.
    pub modified: DateView,
    /// Its corrections, in the order given.
    pub corrections: Vec<CorrectionView>,
    /// The page listing every correction of the site.
    pub corrections_url: String,
    /// How to cite it.
    pub cite: CiteView,
    /// Highwire Press tags for scholarly search engines.
    pub scholar: ScholarView,
    /// Its schema.org JSON-LD (`Article`), safe inside `<script type="application/ld+json">`.
    pub jsonld: Value,
    /// Free map.
    pub extra: Yaml,
}

/// "Cite this": the commentary formatted by the site's style, and its citation files.
#[derive(Debug, Clone, Serialize)]
pub struct CiteView {
    /// The style's bibliography entry, HTML, safe.
    pub html: Value,
    /// `cite.bib` (BibTeX).
    pub bib: String,
    /// `cite.ris` (RIS).
    pub ris: String,
    /// `cite.json` (CSL-JSON).
    pub json: String,
}

/// What the Highwire Press `citation_*` tags say besides title and authors.
#[derive(Debug, Clone, Serialize)]
pub struct ScholarView {
    /// `YYYY/MM/DD`, as Google Scholar asks.
    pub publication_date: String,
    /// The site's title (`citation_journal_title`).
    pub journal_title: String,
    /// Each work cited, as plain text (`citation_reference`).
    pub references: Vec<String>,
}

/// A correction: on its commentary's page (`commentary` empty) and on `/corrections/`.
#[derive(Debug, Clone, Serialize)]
pub struct CorrectionView {
    /// The id of its item on the commentary's page (`correction-2014-12-01`).
    pub id: String,
    /// When it was made.
    pub date: DateView,
    /// The text, HTML, safe.
    pub html: Value,
    /// The item on the commentary's page.
    pub url: String,
    /// The commentary it corrects (on `/corrections/`).
    pub commentary: Option<Link>,
}

/// A work of the bibliography, formatted by the citation style.
#[derive(Debug, Clone, Serialize)]
pub struct WorkView {
    /// Its key in the bibliography.
    pub key: String,
    /// The id of its item on the sources page (`src-KEY`).
    pub id: String,
    /// The bibliography entry, HTML, safe.
    pub html: Value,
    /// Its item on the sources page.
    pub url: String,
    /// Commentaries citing it (on the sources page only; empty elsewhere).
    pub cited_by: Vec<Link>,
}

/// A glossary entry in a list.
#[derive(Debug, Clone, Serialize)]
pub struct EntryItem {
    /// Name.
    pub name: String,
    /// Short form.
    pub abbr: Option<String>,
    /// `body` / `treaty`.
    pub kind: &'static str,
    /// `Body` / `Treaty`.
    pub kind_label: &'static str,
    /// URL.
    pub url: String,
    /// Summary.
    pub summary: String,
    /// Commentaries linking to it.
    pub mentions: usize,
}

/// A fact row.
#[derive(Debug, Clone, Serialize)]
pub struct FactView {
    /// Label.
    pub label: &'static str,
    /// Value.
    pub text: String,
    /// Link, if any.
    pub url: Option<String>,
}

/// A commentary that mentions an entry.
#[derive(Debug, Clone, Serialize)]
pub struct Backlink {
    /// Title.
    pub title: String,
    /// URL.
    pub url: String,
    /// Date.
    pub date: DateView,
    /// Sentence of the first mention.
    pub sentence: String,
}

/// `entry`.
#[derive(Debug, Clone, Serialize)]
pub struct EntryView {
    /// List fields.
    #[serde(flatten)]
    pub item: EntryItem,
    /// Aliases.
    pub aliases: Vec<String>,
    /// Body HTML.
    pub content: Value,
    /// Notes.
    pub notes: Vec<NoteView>,
    /// Facts.
    pub facts: Vec<FactView>,
    /// See also.
    pub related: Vec<EntryItem>,
    /// Mentioned in.
    pub backlinks: Vec<Backlink>,
    /// The works its `sources:` lists, then those its text cites, as the style's
    /// bibliography.
    pub sources: Vec<WorkView>,
    /// Its schema.org JSON-LD (`Organization` or `Legislation`), safe in a script element.
    pub jsonld: Value,
    /// Free map.
    pub extra: Yaml,
}

/// A group of the glossary index.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// `body` / `treaty`.
    pub kind: &'static str,
    /// `Bodies` / `Treaties`.
    pub label: &'static str,
    /// Entries A–Z.
    pub entries: Vec<EntryItem>,
}

/// `taxonomy`.
#[derive(Debug, Clone, Serialize)]
pub struct TaxonomyView {
    /// `tags` / `authors`.
    pub kind: &'static str,
    /// `Tags` / `Authors`.
    pub label: &'static str,
}

/// A tag or author.
#[derive(Debug, Clone, Serialize)]
pub struct TermView {
    /// Name.
    pub name: String,
    /// URL.
    pub url: String,
    /// Number of commentaries.
    pub count: usize,
}

/// `paginator`.
#[derive(Debug, Clone, Serialize)]
pub struct Paginator {
    /// Current page, 1-based.
    pub number: usize,
    /// Number of pages.
    pub total: usize,
    /// Previous page.
    pub prev_url: Option<String>,
    /// Next page.
    pub next_url: Option<String>,
}

/// `page`.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    /// Title.
    pub title: String,
    /// URL.
    pub url: String,
    /// Summary.
    pub summary: String,
    /// Body HTML.
    pub content: Value,
    /// Notes.
    pub notes: Vec<NoteView>,
    /// Free map.
    pub extra: Yaml,
}
