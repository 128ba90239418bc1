//! Content: the files of a site and what their front matter says.
//!
//! [`discover`] walks `content/` and reads every file (the only code that reads content);
//! [`parse_commentary`], [`parse_entry`] and [`parse_page`] are pure functions from a file's
//! text to a typed value plus diagnostics, so tests never touch the disk. Cross-file checks
//! (duplicate slugs, dangling references) happen in [`check`] once everything is loaded.

pub mod date;
pub mod discover;
pub mod fields;
pub mod front_matter;
pub mod parties;

pub use date::Date;
pub use discover::{discover, Content};
pub use front_matter::Yaml;

use crate::codes;
use crate::error::{did_you_mean, Diagnostic};
use crate::slug::is_safe_segment;
use fields::Fields;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where a commentary first appeared.
#[derive(Debug, Clone, PartialEq, Default, Hash, serde::Serialize, serde::Deserialize)]
pub struct Source {
    /// Who published it.
    pub publisher: Option<String>,
    /// Where.
    pub url: Option<String>,
    /// When.
    pub date: Option<Date>,
}

/// A correction of a commentary, shown with its date on the page, on `/corrections/` and in
/// the corrections feed.
#[derive(Debug, Clone, PartialEq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Correction {
    /// When it was made: never before the commentary's `date`.
    pub date: Date,
    /// Inline Markdown (glossary links allowed).
    pub text: String,
    /// The line of `text` in the file, so that problems in its Markdown point at it.
    pub line: usize,
    /// The column where its value starts on that line (an opening quote, if quoted).
    pub col: usize,
}

/// A file's text and where its Markdown body starts, for rendering and positions.
#[derive(Debug, Clone, PartialEq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Text {
    /// The file as the user names it (site root joined with the path inside it).
    pub path: PathBuf,
    /// The whole file.
    pub text: String,
    /// Byte offset of the Markdown body.
    pub body_start: usize,
}

impl Text {
    /// The Markdown body (empty while the text is not read: a commentary taken from the
    /// build cache is read only if it must be rendered).
    pub fn body(&self) -> &str {
        self.text.get(self.body_start..).unwrap_or("")
    }
}

/// An annotated article.
#[derive(Debug, Clone, PartialEq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Commentary {
    /// Source file and body.
    pub file: Text,
    /// URL segment.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Publication date.
    pub date: Date,
    /// When it was last revised, if given.
    pub updated: Option<Date>,
    /// Its corrections, in the order given.
    pub corrections: Vec<Correction>,
    /// Authors, in the order given.
    pub authors: Vec<String>,
    /// Summary from front matter, if any.
    pub summary: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// First publication.
    pub source: Option<Source>,
    /// Skipped unless `--drafts`.
    pub draft: bool,
    /// Automatic glossary links in this article.
    pub autolink: bool,
    /// `pdf:` in its front matter: a PDF or none, whatever `pdf.enabled` says.
    pub pdf: Option<bool>,
    /// Free-form data for templates.
    #[serde(with = "front_matter::tagged")]
    pub extra: Yaml,
    /// Its language when not the default (`NAME.LANG.md`).
    pub lang: Option<String>,
}

impl Commentary {
    /// When it last changed: the latest of `date`, `updated` and its corrections (the
    /// feed's `<updated>`, the sitemap's `lastmod`, `dateModified`).
    pub fn modified(&self) -> Date {
        self.corrections
            .iter()
            .map(|c| c.date)
            .chain(self.updated)
            .fold(self.date, Date::max)
    }
}

/// The two kinds of glossary entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// An institution.
    Body,
    /// A treaty, convention, protocol or agreement.
    Treaty,
}

impl Kind {
    /// `body` / `treaty`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Body => "body",
            Kind::Treaty => "treaty",
        }
    }

    /// The folder name: `bodies` / `treaties`.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Body => "bodies",
            Kind::Treaty => "treaties",
        }
    }

    /// `Body` / `Treaty`.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Body => "Body",
            Kind::Treaty => "Treaty",
        }
    }
}

/// The two ways commentaries are grouped: by tag and by author.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Taxonomy {
    /// `tags:`.
    Tags,
    /// `authors:`.
    Authors,
}

impl Taxonomy {
    /// Both, in the order pages list them.
    pub const ALL: [Taxonomy; 2] = [Taxonomy::Tags, Taxonomy::Authors];

    /// `tags` / `authors`: the folder and the templates' `taxonomy.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Taxonomy::Tags => "tags",
            Taxonomy::Authors => "authors",
        }
    }

    /// `Tags` / `Authors`.
    pub fn label(self) -> &'static str {
        match self {
            Taxonomy::Tags => "Tags",
            Taxonomy::Authors => "Authors",
        }
    }

    /// A commentary's names in this taxonomy.
    pub fn names(self, c: &Commentary) -> &[String] {
        match self {
            Taxonomy::Tags => &c.tags,
            Taxonomy::Authors => &c.authors,
        }
    }
}

/// A reference from one entry to another slug, kept with its position for the dangling check.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct SlugRef {
    /// `parent`, `successor`, `related`, `depositary`.
    pub field: &'static str,
    /// The slug named.
    pub slug: String,
    /// Position of the value.
    pub line: usize,
    /// Column of the value.
    pub col: usize,
}

/// A glossary entry: a body or a treaty.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Entry {
    /// Source file and body.
    pub file: Text,
    /// Body or treaty.
    pub kind: Kind,
    /// File stem, unique across kinds.
    pub slug: String,
    /// Full name.
    pub name: String,
    /// Short form, matched case-sensitively.
    pub abbr: Option<String>,
    /// Other names that are auto-linked.
    pub aliases: Vec<String>,
    /// One line for hover cards, if given.
    pub summary: Option<String>,
    /// Whether the entry is linked automatically.
    pub autolink: bool,
    /// Body facts.
    pub jurisdiction: Option<String>,
    /// Body facts.
    pub established: Option<Date>,
    /// Body facts.
    pub dissolved: Option<Date>,
    /// Parent body slug.
    pub parent: Option<String>,
    /// Successor body slug.
    pub successor: Option<String>,
    /// Treaty facts.
    pub adopted: Option<Date>,
    /// Treaty facts.
    pub in_force: Option<Date>,
    /// Treaty facts.
    pub place: Option<String>,
    /// A body slug or free text.
    pub depositary: Option<String>,
    /// A treaty's series, parties and their source (boxed: bodies have none, and a parsed
    /// file's size is that of its largest kind).
    pub record: Box<TreatyRecord>,
    /// See-also slugs.
    pub related: Vec<String>,
    /// Official page.
    pub url: Option<String>,
    /// Free-form data for templates.
    pub extra: Yaml,
    /// Slugs this entry names, for the dangling-reference check.
    pub refs: Vec<SlugRef>,
    /// Bibliography keys of the works shown in its facts box (`sources:`).
    pub sources: Vec<String>,
    /// Where `sources` is (line, column of the value), for unknown keys.
    pub sources_at: (usize, usize),
    /// Its language when not the default (`NAME.LANG.md`): a translation, whose facts come
    /// from the original.
    pub lang: Option<String>,
}

/// What a treaty entry says about where it is published and who is bound by it.
#[derive(Debug, Clone, PartialEq, Hash, Default)]
pub struct TreatyRecord {
    /// Where the treaty is published, e.g. `1035 UNTS 167` (for the citation).
    pub treaty_series: Option<String>,
    /// When the parties file was last checked against its source.
    pub parties_as_of: Option<Date>,
    /// Where `parties_as_of` is (line, column of the value), for `check`'s report.
    pub parties_as_of_at: (usize, usize),
    /// Where the parties come from: a URL or a key of the bibliography.
    pub parties_source: Option<String>,
    /// The parties file lists some states only (`parties_partial: true`), so its counts are
    /// not the treaty's.
    pub parties_partial: bool,
    /// The parties file beside the entry (`<slug>.parties.csv`), when there is one and it
    /// has no errors. Part of the entry, so the entry's fingerprint covers it.
    pub parties: Option<parties::Parties>,
}

/// A free page (about, editorial policy).
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Page {
    /// Source file and body.
    pub file: Text,
    /// URL segment.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Summary for meta tags.
    pub summary: Option<String>,
    /// Skipped unless `--drafts`.
    pub draft: bool,
    /// Free-form data.
    pub extra: Yaml,
    /// Its language when not the default (`NAME.LANG.md`).
    pub lang: Option<String>,
}

const COMMENTARY_KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "corrections",
    "authors",
    "author",
    "summary",
    "tags",
    "source",
    "slug",
    "draft",
    "autolink",
    "pdf",
    "extra",
];
const CORRECTION_KEYS: &[&str] = &["date", "text"];
const BODY_KEYS: &[&str] = &[
    "name",
    "abbr",
    "aliases",
    "summary",
    "autolink",
    "jurisdiction",
    "established",
    "dissolved",
    "parent",
    "successor",
    "related",
    "url",
    "extra",
    "sources",
];
const TREATY_KEYS: &[&str] = &[
    "name",
    "abbr",
    "aliases",
    "summary",
    "autolink",
    "adopted",
    "in_force",
    "place",
    "depositary",
    "treaty_series",
    "parties_as_of",
    "parties_source",
    "parties_partial",
    "related",
    "url",
    "extra",
    "sources",
];
/// What a glossary translation may set: its names, summary and body are its own, its facts
/// the original's.
pub const TRANSLATION_KEYS: &[&str] = &["name", "abbr", "aliases", "summary", "autolink", "extra"];
const PAGE_KEYS: &[&str] = &["title", "slug", "summary", "draft", "extra"];
const SOURCE_KEYS: &[&str] = &["publisher", "url", "date"];

/// Splits off and parses the front matter; on failure the diagnostics say why.
fn front_matter(path: &Path, text: &str) -> Result<(front_matter::Document, usize), Diagnostic> {
    let split = front_matter::split(text)
        .map_err(|(line, msg)| Diagnostic::error(codes::FRONT_MATTER, path, line, 1, msg))?;
    let doc = front_matter::parse(split.yaml, split.yaml_line).map_err(|e| {
        Diagnostic::error(
            codes::YAML,
            path,
            e.line,
            e.col,
            format!("invalid front matter: {}", e.message),
        )
    })?;
    Ok((doc, split.body_offset))
}

/// `2014-02-27-leading-group` → `leading-group`.
fn slug_from_stem(stem: &str) -> &str {
    let b = stem.as_bytes();
    let dated = b.len() > 11 && b[10] == b'-' && Date::parse(&stem[..10]).is_ok();
    if dated {
        &stem[11..]
    } else {
        stem
    }
}

/// Checks a slug given with the `slug:` key; a slug taken from the file name is made by
/// [`file_slug`] and is always safe.
fn check_slug(f: &mut Fields, slug: &str) {
    if !is_safe_segment(slug) {
        let msg = format!(
            "the slug `{}` cannot be a URL segment; use letters, digits, `-`, `_` or `.`, not starting with `.`",
            slug.escape_debug()
        );
        f.nested_error(codes::BAD_SLUG, "slug", msg);
    }
}

/// The slug a file's name gives: its stem without a leading date, through the one slug rule,
/// so that `My Article.md` and `Zhōngyāng.md` build (as `my-article` and `zhongyang`) instead
/// of failing.
fn file_slug(path: &Path, lang: Option<&str>) -> String {
    crate::slug::slugify(slug_from_stem(&stem_in(path, lang)))
}

/// The slug a file's name gives it in language `lang` (`a.zh.md` → `a`): a translation has
/// its original's slug.
pub fn file_slug_in(path: &Path, lang: Option<&str>) -> String {
    file_slug(path, lang)
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The stem of a file in language `lang` (`a.zh.md` → `a`), so that a translation has its
/// original's slug.
fn stem_in(path: &Path, lang: Option<&str>) -> String {
    let s = stem(path);
    match lang.and_then(|l| s.strip_suffix(l)?.strip_suffix('.')) {
        Some(name) if !name.is_empty() => name.to_string(),
        _ => s,
    }
}

/// A file's diagnostics in the order of the file, whatever order its keys were read in.
fn by_position(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags.sort_by_key(|d| (d.line, d.col));
    diags
}

/// Parses a commentary file.
pub fn parse_commentary(path: &Path, text: String) -> (Option<Commentary>, Vec<Diagnostic>) {
    parse_commentary_in(path, text, None)
}

/// Parses a commentary file in language `lang` (`None`: the default language).
pub fn parse_commentary_in(
    path: &Path,
    text: String,
    lang: Option<&str>,
) -> (Option<Commentary>, Vec<Diagnostic>) {
    let (doc, body_start) = match front_matter(path, &text) {
        Ok(x) => x,
        Err(d) => return (None, vec![d]),
    };
    let mut f = Fields::new(&doc, path, COMMENTARY_KEYS);
    let title = f.required_string("title");
    let date = f.required_date("date");
    let mut authors = f.string_list("authors");
    if let Some(a) = f.string("author") {
        if doc.get("authors").is_some() {
            f.nested_error(
                codes::WRONG_TYPE,
                "author",
                "give either `author` or `authors`, not both".into(),
            );
        } else {
            authors.push(a);
        }
    }
    let updated = f.date("updated");
    let corrections = corrections(&mut f, date);
    let summary = f.string("summary");
    let tags = f.string_list("tags");
    let source = f.nested("source", SOURCE_KEYS).map(|entries| {
        let mut s = Source::default();
        for (k, v) in entries {
            let key = format!("source.{k}");
            match (k.as_str(), v) {
                ("publisher", Yaml::String(x)) => s.publisher = Some(x),
                ("url", Yaml::String(x)) => s.url = Some(x),
                ("date", Yaml::String(x)) => match Date::parse(&x) {
                    Ok(d) => s.date = Some(d),
                    Err(e) => f.nested_error(codes::BAD_DATE, &key, format!("`{key}`: {e}")),
                },
                (k, v) if SOURCE_KEYS.contains(&k) && v != Yaml::Null => f.nested_error(
                    codes::WRONG_TYPE,
                    &key,
                    format!("`{key}` must be a string, found {}", v.type_name()),
                ),
                _ => {}
            }
        }
        s
    });
    let slug_key = f.string("slug");
    if let Some(slug) = &slug_key {
        check_slug(&mut f, slug);
    }
    let slug = slug_key.unwrap_or_else(|| file_slug(path, lang));
    let draft = f.bool("draft").unwrap_or(false);
    let autolink = f.bool("autolink").unwrap_or(true);
    let pdf = f.bool("pdf");
    let extra = f.map("extra").unwrap_or(Yaml::Null);
    let diags = by_position(f.diags);
    let (Some(title), Some(date)) = (title, date) else {
        return (None, diags);
    };
    if crate::error::has_errors(&diags) {
        return (None, diags);
    }
    let file = Text {
        path: path.to_path_buf(),
        text,
        body_start,
    };
    let c = Commentary {
        file,
        slug,
        title,
        date,
        updated,
        corrections,
        authors,
        summary,
        tags,
        source,
        draft,
        autolink,
        pdf,
        extra,
        lang: lang.map(str::to_string),
    };
    (Some(c), diags)
}

/// `corrections:`: each item needs a real `date`, on or after the commentary's, and a
/// `text`; every problem is reported at its item.
fn corrections(f: &mut Fields, published: Option<Date>) -> Vec<Correction> {
    let mut out = Vec::new();
    for (path, entries) in f.map_list("corrections", CORRECTION_KEYS) {
        let get = |k: &str| entries.iter().find(|(key, _)| key == k).map(|(_, v)| v);
        let date = match get("date") {
            Some(Yaml::String(s)) => match Date::parse(s) {
                Ok(d) => Some(d),
                Err(e) => {
                    let key = format!("{path}.date");
                    f.nested_error(codes::BAD_DATE, &key, format!("`corrections` date: {e}"));
                    None
                }
            },
            None | Some(Yaml::Null) => {
                let msg =
                    "this correction has no `date`; add `date: YYYY-MM-DD`, the day it was made"
                        .to_string();
                f.nested_error(codes::MISSING_KEY, &path, msg);
                None
            }
            Some(other) => {
                let msg = format!(
                    "a correction's `date` must be a date (YYYY-MM-DD), found {}",
                    other.type_name()
                );
                f.nested_error(codes::WRONG_TYPE, &format!("{path}.date"), msg);
                None
            }
        };
        let text = match get("text") {
            Some(Yaml::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            Some(
                other @ (Yaml::Int(_)
                | Yaml::Float(_)
                | Yaml::Bool(_)
                | Yaml::List(_)
                | Yaml::Map(_)),
            ) => {
                let msg = format!(
                    "a correction's `text` must be a string, found {}; put the value in quotes",
                    other.type_name()
                );
                f.nested_error(codes::WRONG_TYPE, &format!("{path}.text"), msg);
                None
            }
            _ => {
                let msg = "this correction has no `text`; say what the earlier version said and what is right, e.g. `text: \"An earlier version dated the convention to 1997.\"`".to_string();
                f.nested_error(codes::CORRECTION_TEXT, &path, msg);
                None
            }
        };
        if let (Some(d), Some(p)) = (date, published) {
            if d < p {
                let msg = format!("this correction is dated {d}, before the commentary's `date` ({p}); a correction follows publication: fix the date of one or the other");
                f.nested_error(codes::CORRECTION_DATE, &format!("{path}.date"), msg);
            }
        }
        if let (Some(date), Some(text)) = (date, text) {
            let (line, col) = f.loc(&format!("{path}.text"));
            out.push(Correction {
                date,
                text,
                line,
                col,
            });
        }
    }
    out
}

/// Parses a glossary entry of the given kind.
pub fn parse_entry(path: &Path, kind: Kind, text: String) -> (Option<Entry>, Vec<Diagnostic>) {
    parse_entry_in(path, kind, text, None)
}

/// Parses a glossary entry in language `lang` (`None`: the default language). A translation
/// may set only [`TRANSLATION_KEYS`]; a fact it sets is an error naming the original.
pub fn parse_entry_in(
    path: &Path,
    kind: Kind,
    text: String,
    lang: Option<&str>,
) -> (Option<Entry>, Vec<Diagnostic>) {
    let (doc, body_start) = match front_matter(path, &text) {
        Ok(x) => x,
        Err(d) => return (None, vec![d]),
    };
    let all = match kind {
        Kind::Body => BODY_KEYS,
        Kind::Treaty => TREATY_KEYS,
    };
    let allowed = if lang.is_some() {
        TRANSLATION_KEYS
    } else {
        all
    };
    let mut facts = Vec::new();
    if lang.is_some() {
        let original = format!("{}.md", stem_in(path, lang));
        for (key, _) in &doc.entries {
            if all.contains(&key.as_str()) && !TRANSLATION_KEYS.contains(&key.as_str()) {
                let loc = doc.loc(key);
                facts.push(Diagnostic::error(
                    codes::TRANSLATION_FACTS,
                    path,
                    loc.line,
                    loc.col,
                    format!(
                        "a translation gives only `name`, `abbr`, `aliases`, `summary`, `autolink` and `extra`; `{key}` comes from the original ({original}): remove it here"
                    ),
                ));
            }
        }
    }
    let known: Vec<&str> = if lang.is_some() {
        all.to_vec()
    } else {
        allowed.to_vec()
    };
    let mut f = Fields::new(&doc, path, &known);
    f.diags.extend(facts);
    let name = f.required_string("name");
    let abbr = f.string("abbr");
    let aliases = f.string_list("aliases");
    let summary = f.string("summary");
    let autolink = f.bool("autolink").unwrap_or(true);
    let url = f.string("url");
    let extra = f.map("extra").unwrap_or(Yaml::Null);
    let mut refs = Vec::new();
    let mut slug_ref = |f: &mut Fields, field: &'static str, slug: &str| {
        let (line, col) = f.loc(field);
        refs.push(SlugRef {
            field,
            slug: slug.to_string(),
            line,
            col,
        });
    };
    let sources = f.string_list("sources");
    let sources_at = f.loc("sources");
    let related = f.string_list("related");
    for r in &related {
        slug_ref(&mut f, "related", r);
    }
    let mut e = Entry {
        file: Text {
            path: path.to_path_buf(),
            text: String::new(),
            body_start,
        },
        kind,
        slug: file_slug(path, lang),
        name: String::new(),
        abbr,
        aliases,
        summary,
        autolink,
        jurisdiction: None,
        established: None,
        dissolved: None,
        parent: None,
        successor: None,
        adopted: None,
        in_force: None,
        place: None,
        depositary: None,
        record: Box::default(),
        related,
        url,
        extra,
        refs: Vec::new(),
        sources,
        sources_at,
        lang: lang.map(str::to_string),
    };
    match kind {
        Kind::Body => {
            e.jurisdiction = f.string("jurisdiction");
            e.established = f.date("established");
            e.dissolved = f.date("dissolved");
            e.parent = f.string("parent");
            e.successor = f.string("successor");
            if let Some(p) = &e.parent {
                slug_ref(&mut f, "parent", p);
            }
            if let Some(s) = &e.successor {
                slug_ref(&mut f, "successor", s);
            }
            if let (Some(a), Some(b)) = (e.established, e.dissolved) {
                if b < a {
                    f.nested_error(
                        codes::BAD_DATE,
                        "dissolved",
                        format!("`dissolved` ({b}) is before `established` ({a})"),
                    );
                }
            }
        }
        Kind::Treaty => {
            e.adopted = f.date("adopted");
            e.in_force = f.date("in_force");
            e.place = f.string("place");
            e.depositary = f.string("depositary");
            e.record.treaty_series = f.string("treaty_series");
            e.record.parties_as_of = f.date("parties_as_of");
            e.record.parties_as_of_at = f.loc("parties_as_of");
            e.record.parties_source = f.string("parties_source");
            e.record.parties_partial = f.bool("parties_partial").unwrap_or(false);
            if let (Some(a), Some(b)) = (e.adopted, e.in_force) {
                if b < a {
                    f.nested_error(
                        codes::BAD_DATE,
                        "in_force",
                        format!("`in_force` ({b}) is before `adopted` ({a})"),
                    );
                }
            }
        }
    }
    let diags = by_position(f.diags);
    let Some(name) = name else {
        return (None, diags);
    };
    if crate::error::has_errors(&diags) {
        return (None, diags);
    }
    e.name = name;
    e.refs = refs;
    e.file.text = text;
    (Some(e), diags)
}

/// Parses a free page.
pub fn parse_page(path: &Path, text: String) -> (Option<Page>, Vec<Diagnostic>) {
    parse_page_in(path, text, None)
}

/// Parses a free page in language `lang` (`None`: the default language).
pub fn parse_page_in(
    path: &Path,
    text: String,
    lang: Option<&str>,
) -> (Option<Page>, Vec<Diagnostic>) {
    let (doc, body_start) = match front_matter(path, &text) {
        Ok(x) => x,
        Err(d) => return (None, vec![d]),
    };
    let mut f = Fields::new(&doc, path, PAGE_KEYS);
    let title = f.required_string("title");
    let summary = f.string("summary");
    let slug_key = f.string("slug");
    if let Some(slug) = &slug_key {
        check_slug(&mut f, slug);
    }
    let from_key = slug_key.is_some();
    let slug = slug_key.unwrap_or_else(|| file_slug(path, lang));
    if crate::routes::RESERVED.contains(&slug.as_str()) {
        let msg = format!(
            "the page slug `{slug}` is taken by a section of the site; reserved: {}",
            crate::routes::RESERVED.join(", ")
        );
        if from_key {
            f.nested_error(codes::BAD_SLUG, "slug", msg);
        } else {
            f.diags.push(Diagnostic::file(
                codes::BAD_SLUG,
                path,
                msg + " (rename the file or set `slug:`)",
            ));
        }
    }
    let draft = f.bool("draft").unwrap_or(false);
    let extra = f.map("extra").unwrap_or(Yaml::Null);
    let diags = by_position(f.diags);
    match title {
        Some(title) if !crate::error::has_errors(&diags) => (
            Some(Page {
                file: Text {
                    path: path.to_path_buf(),
                    text,
                    body_start,
                },
                slug,
                title,
                summary,
                draft,
                extra,
                lang: lang.map(str::to_string),
            }),
            diags,
        ),
        _ => (None, diags),
    }
}

/// Cross-file checks: duplicate slugs and references to slugs that do not exist.
pub fn check(content: &Content) -> Vec<Diagnostic> {
    check_parts(
        content
            .commentaries
            .iter()
            .map(|c| (c.slug.as_str(), &c.file.path)),
        &content.entries.iter().collect::<Vec<_>>(),
        &content.pages.iter().collect::<Vec<_>>(),
    )
}

/// [`check`] over the parts: each commentary's (slug, file), in file order, then the
/// entries and pages. `serve` keeps its commentaries elsewhere and calls this.
pub fn check_parts<'a>(
    commentaries: impl Iterator<Item = (&'a str, &'a PathBuf)>,
    entries: &[&Entry],
    pages: &[&Page],
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    duplicates(
        commentaries,
        "commentary",
        "set a different `slug:` in one of them",
        &mut diags,
    );
    duplicates(
        entries.iter().map(|e| (e.slug.as_str(), &e.file.path)),
        "glossary entry",
        "slugs are unique across bodies and treaties; rename one file",
        &mut diags,
    );
    duplicates(
        pages.iter().map(|p| (p.slug.as_str(), &p.file.path)),
        "page",
        "set a different `slug:` in one of them",
        &mut diags,
    );
    let kinds: HashMap<&str, Kind> = entries.iter().map(|e| (e.slug.as_str(), e.kind)).collect();
    for e in entries.iter().copied() {
        for r in &e.refs {
            let target = kinds.get(r.slug.as_str());
            let path = &e.file.path;
            match (r.field, target) {
                // A depositary may be free text ("Secretary-General of the United Nations").
                ("depositary", _) => {}
                (_, None) => diags.push(Diagnostic::error(
                    codes::UNKNOWN_ENTRY,
                    path,
                    r.line,
                    r.col,
                    format!(
                        "`{}` names `{}`, which is not a glossary entry{}",
                        r.field,
                        r.slug,
                        did_you_mean(&r.slug, kinds.keys().copied())
                    ),
                )),
                ("parent" | "successor", Some(Kind::Treaty)) => diags.push(Diagnostic::error(
                    codes::BAD_RELATION,
                    path,
                    r.line,
                    r.col,
                    format!(
                        "`{}` must name a body, but `{}` is a treaty",
                        r.field, r.slug
                    ),
                )),
                _ if r.slug == e.slug => diags.push(Diagnostic::error(
                    codes::BAD_RELATION,
                    path,
                    r.line,
                    r.col,
                    format!("`{}` names the entry itself; remove `{}`", r.field, r.slug),
                )),
                _ => {}
            }
        }
    }
    diags
}

fn duplicates<'a>(
    items: impl Iterator<Item = (&'a str, &'a PathBuf)>,
    what: &str,
    fix: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<&str, &PathBuf> = HashMap::new();
    for (slug, path) in items {
        if let Some(first) = seen.get(slug) {
            diags.push(Diagnostic::file(
                codes::DUPLICATE_SLUG,
                path,
                format!(
                    "the {what} slug `{slug}` is already used by {}; {fix}",
                    first.display()
                ),
            ));
        } else {
            seen.insert(slug, path);
        }
    }
}

#[cfg(test)]
mod tests;
