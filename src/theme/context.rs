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

/// One version of a page in a language: the `hreflang` links and the language switcher.
#[derive(Debug, Clone, Serialize, Hash, PartialEq)]
pub struct Alternate {
    /// BCP 47 code.
    pub code: String,
    /// The language's name in itself (`中文`).
    pub name: String,
    /// The version's URL.
    pub url: String,
    /// Whether it is the default language's version (`x-default`).
    pub default: bool,
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
    /// The timeline.
    pub timeline: String,
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
    /// `rtl` for languages written right to left, else `ltr`.
    pub dir: &'static str,
    /// The theme's fixed text in the page's language (`i18n/LANG.yaml`).
    pub text: std::collections::BTreeMap<String, String>,
    /// The text scholia.js writes (search messages, hover-card labels): the `js_` keys of
    /// `text` without the prefix, and `lang`, as JSON safe inside `<script>`.
    pub script_text: String,
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
    /// Its link card (the Open Graph image); none with `cards: false`.
    pub card: Option<CardView>,
    /// Its PDF's URL, when it has one.
    pub pdf: Option<String>,
    /// Highwire Press tags for scholarly search engines.
    pub scholar: ScholarView,
    /// Its schema.org JSON-LD (`Article`), safe inside `<script type="application/ld+json">`.
    pub jsonld: Value,
    /// Free map.
    pub extra: Yaml,
}

/// A commentary's link card: `card.png` beside its page.
#[derive(Debug, Clone, Serialize)]
pub struct CardView {
    /// Its URL (absolute when `base_url` is).
    pub url: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Its text, for `og:image:alt`.
    pub alt: String,
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
    /// Label, in English.
    pub label: &'static str,
    /// The label's key: `fact_KEY` in the theme's text (`jurisdiction`, `part_of`, …).
    pub key: String,
    /// The value when it is a date (for `localdate`).
    pub date: Option<DateView>,
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
    /// A treaty's status on the commentary's date (`Not yet in force; 2 parties; …`); none
    /// for a body or a treaty with nothing dated.
    pub status: Option<String>,
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
    /// A treaty's citation, status, parties and chart; `None` for a body.
    pub treaty: Option<TreatyView>,
    /// Its own dated events, oldest first.
    pub events: Vec<EventView>,
    /// A body's diagram of its parent, predecessors, successor and parts; none for a treaty
    /// or a body without relations.
    pub diagram: Option<DiagramView>,
}

/// `entry.treaty`: what a treaty page shows beyond its facts.
#[derive(Debug, Clone, Serialize)]
pub struct TreatyView {
    /// The formal citation (OSCOLA): `Name (adopted …, entered into force …) 1035 UNTS 167`.
    pub citation: String,
    /// The status, when the entry has a parties file or `parties_as_of`.
    pub status: Option<StatusView>,
    /// The parties file's rows, in file order.
    pub parties: Vec<PartyView>,
    /// Each state of interest (`states:` in scholia.yaml) on the status date, in that order.
    pub states: Vec<StateView>,
    /// The number of parties over time, when any state has consented.
    pub chart: Option<ChartView>,
}

/// `entry.treaty.status`: the treaty on one date.
#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    /// The date: `parties_as_of`, else the newest date in the parties file.
    pub as_of: DateView,
    /// In force on that date.
    pub in_force: bool,
    /// `in_force` from the front matter, when given.
    pub in_force_date: Option<DateView>,
    /// `In force since 20 February 1977` / `Not yet in force`.
    pub text: String,
    /// Parties on that date (`None` without a parties file).
    pub parties: Option<usize>,
    /// Signatories on that date (`None` without a parties file).
    pub signatories: Option<usize>,
    /// `parties_partial: true`: the file lists some states only.
    pub partial: bool,
    /// `parties_source`.
    pub source: Option<PartiesSourceView>,
}

/// Where the parties come from.
#[derive(Debug, Clone, Serialize)]
pub struct PartiesSourceView {
    /// The URL's host (`treaties.un.org`), the key, or the text as written.
    pub text: String,
    /// A link: the URL itself, or the work's item on the sources page.
    pub url: Option<String>,
    /// The work's bibliography entry (HTML, safe) when `parties_source` is a key.
    pub work: Option<Value>,
}

/// A row of the parties table.
#[derive(Debug, Clone, Serialize)]
pub struct PartyView {
    /// The state.
    pub state: String,
    /// Signature.
    pub signed: Option<DateView>,
    /// Consent to be bound.
    pub consent: Option<DateView>,
    /// `ratification`, `accession`, …
    pub kind: Option<&'static str>,
    /// Entry into force for the state.
    pub in_force: Option<DateView>,
    /// Withdrawal took effect.
    pub withdrawn: Option<DateView>,
    /// Free text.
    pub note: String,
    /// Named in `states:`.
    pub of_interest: bool,
}

/// A state of interest on a date.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct StateView {
    /// The state.
    pub state: String,
    /// `party`, `signatory`, `withdrawn`, `none` or `unknown` (a row without dates).
    pub standing: &'static str,
    /// `party since 5 August 1987`, `signatory only (since …)`, `not a party`, …
    pub text: String,
}

/// An inline SVG chart with its caption.
#[derive(Debug, Clone, Serialize)]
pub struct ChartView {
    /// The `<svg>` element (safe HTML), with a `<title>` and a `<desc>`.
    pub svg: Value,
    /// The figure's caption.
    pub caption: String,
    /// The text alternative (also the SVG's `<desc>`).
    pub text: String,
}

impl ChartView {
    /// A chart drawn by Scholia (`svg` is trusted markup), with its caption and text.
    pub fn new(svg: String, caption: String, text: String) -> ChartView {
        ChartView {
            svg: Value::from_safe_string(svg),
            caption,
            text,
        }
    }
}

/// `entry.diagram`: a body among its relations.
#[derive(Debug, Clone, Serialize)]
pub struct DiagramView {
    /// The SVG diagram, its caption and text alternative.
    pub chart: ChartView,
    /// The same relations as links, in the order `Part of`, `Predecessors`, `Successor`,
    /// `Parts` (those that are not empty).
    pub relations: Vec<RelationView>,
}

/// One relation of a body.
#[derive(Debug, Clone, Serialize)]
pub struct RelationView {
    /// `Part of`, `Predecessors`, `Successor` or `Parts`.
    pub relation: String,
    /// The bodies, linked.
    pub bodies: Vec<Link>,
}

/// A dated event (`/timeline/` and an entry's own events).
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    /// When.
    pub date: DateView,
    /// `published`, `adopted`, `in-force`, `established`, `dissolved` or `consent`.
    pub kind: &'static str,
    /// `Entered into force: Convention on Cybercrime`.
    pub text: String,
    /// The page it links to.
    pub url: String,
}

/// A year of the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct YearView {
    /// The year.
    pub year: u16,
    /// Its events, newest first.
    pub events: Vec<EventView>,
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
