//! What page views read, and the fingerprint of what they read.
//!
//! A page's view is built only from [`Base`] and [`Ctx`] accessors, and every accessor takes
//! the page's [`Reads`] and feeds it a fingerprint of the value it returns. The key that
//! decides whether `serve` renders a page again is that fingerprint: it is a by-product of
//! building the view, so it cannot drift from what the template sees. The fingerprints of
//! large values (a commentary's rendered body, an entry) are computed once, when the value is
//! made, and only by a keyed pipeline (one that keeps its memo, or a build with the build
//! cache); a build without the cache has its `Reads` off, and its accessors feed nothing.
//!
//! The fields here are private so that a view cannot read around an accessor.

use crate::cite::Sources;
use crate::config::SiteConfig;
use crate::content::{Commentary, Date, Entry, Kind, Page, Taxonomy};
use crate::glossary::coverage::Suggest;
use crate::glossary::{Fact, Glossary, Relations};
use crate::markdown::{Mention, Note, Rendered};
use crate::routes::Routes;
use crate::search;
use crate::theme::context::Alternate;
use crate::theme::i18n::Text;
use minijinja::Value;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, Hash, Hasher};

/// What fingerprints are taken with: foldhash's quality hasher with a fixed seed, several
/// times faster than the standard library's SipHash on the small writes a key is made of
/// (SipHash was a tenth of a `serve` save), with no collision found in SMHasher. Keys are
/// compared only with keys of the same binary (its fingerprint is in every cache key and
/// page key), so the hash need not be stable across versions.
type KeyHasher = foldhash::quality::FoldHasher<'static>;

fn key_hasher() -> KeyHasher {
    foldhash::quality::FixedState::with_seed(0x5c401a).build_hasher()
}

/// A fingerprint of a value.
pub(super) fn fp<T: Hash + ?Sized>(v: &T) -> u64 {
    let mut h = key_hasher();
    v.hash(&mut h);
    h.finish()
}

/// The fingerprint of everything one page's view read; off in a full build.
pub(super) struct Reads(Option<KeyHasher>);

impl Reads {
    /// On when the pipeline keys its pages (it keeps its memo), off in a full build.
    pub(super) fn new(keyed: bool) -> Reads {
        Reads(keyed.then(key_hasher))
    }

    fn feed(&mut self, fp: u64) {
        if let Some(h) = &mut self.0 {
            h.write_u64(fp);
        }
    }

    /// Feeds a value hashed on the spot (only when keyed).
    fn feed_value<T: Hash + ?Sized>(&mut self, v: &T) {
        if let Some(h) = &mut self.0 {
            v.hash(h);
        }
    }

    /// The key of a page at `path` rendered with `template` from what was read.
    pub(super) fn key(self, path: &str, template: &str) -> Option<u64> {
        self.0.map(|mut h| {
            path.hash(&mut h);
            template.hash(&mut h);
            h.finish()
        })
    }
}

/// What every page reads: the configuration, routes, bibliography and the `site` value.
pub(super) struct Base<'a> {
    config: &'a SiteConfig,
    routes: &'a Routes,
    sources: &'a Sources,
    site: Value,
    /// The theme's text in the pages' language (also in `site`).
    text: &'a Text,
    /// Fingerprint of all of the above and of the theme (0 in a full build).
    global: u64,
    /// Each page's versions in every language, by its path without the language's folder.
    alternates: Option<&'a HashMap<String, Vec<Alternate>>>,
}

impl<'a> Base<'a> {
    /// `global` is the fingerprint of the inputs behind all four (and of the theme), when
    /// keyed.
    pub(super) fn new(
        config: &'a SiteConfig,
        routes: &'a Routes,
        sources: &'a Sources,
        site: Value,
        text: &'a Text,
        global: u64,
    ) -> Base<'a> {
        Base {
            config,
            routes,
            sources,
            site,
            text,
            global,
            alternates: None,
        }
    }

    /// With the versions of pages in every language (for `hreflang` and the language
    /// switcher).
    pub(super) fn with_alternates(
        mut self,
        alternates: &'a HashMap<String, Vec<Alternate>>,
        _code: &str,
    ) -> Base<'a> {
        self.alternates = Some(alternates);
        self
    }

    /// The versions of the page at `path` (without its language's folder) in every
    /// language, itself included; empty when it has no translation.
    pub(super) fn alternates(&self, path: &str, r: &mut Reads) -> &'a [Alternate] {
        let list = self
            .alternates
            .and_then(|m| m.get(path))
            .map_or(&[][..], Vec::as_slice);
        r.feed_value(list);
        list
    }

    /// The `site` value templates see.
    pub(super) fn site(&self, r: &mut Reads) -> &Value {
        r.feed(self.global);
        &self.site
    }

    /// The URL plan.
    pub(super) fn routes(&self, r: &mut Reads) -> &'a Routes {
        r.feed(self.global);
        self.routes
    }

    /// The theme's text in the pages' language.
    pub(super) fn text(&self, r: &mut Reads) -> &'a Text {
        r.feed(self.global);
        self.text
    }

    /// The configuration.
    pub(super) fn config(&self, r: &mut Reads) -> &'a SiteConfig {
        r.feed(self.global);
        self.config
    }

    /// The bibliography and style.
    pub(super) fn sources(&self, r: &mut Reads) -> &'a Sources {
        r.feed(self.global);
        self.sources
    }

    /// A commentary's own page data.
    pub(super) fn article<'b>(&self, a: &'b Article, r: &mut Reads) -> ArticlePage<'b> {
        r.feed(a.fp.page);
        ArticlePage {
            c: &a.c,
            url: &a.url,
            summary: &a.summary,
            body: a.body.as_ref(),
            corrections: &a.corrections,
            cite_html: &a.cite_html,
            jsonld: &a.jsonld,
            references: &a.references,
            has_pdf: a.has_pdf,
        }
    }
}

/// What a commentary's page shows.
pub(super) struct ArticlePage<'b> {
    pub(super) c: &'b Commentary,
    pub(super) url: &'b str,
    pub(super) summary: &'b str,
    /// Always there when its page is rendered.
    pub(super) body: Option<&'b Body>,
    pub(super) corrections: &'b [CorrectionOut],
    pub(super) cite_html: &'b str,
    pub(super) jsonld: &'b str,
    pub(super) references: &'b [String],
    /// Whether it has a PDF.
    pub(super) has_pdf: bool,
}

/// A commentary's rendered body: what its page shows besides the front matter.
#[derive(Debug, Clone, Hash, serde::Serialize, serde::Deserialize)]
pub(super) struct Body {
    pub(super) html: String,
    pub(super) notes: Vec<Note>,
    pub(super) words: usize,
    pub(super) works_cited: Vec<(String, String)>,
}

/// A correction, rendered.
#[derive(Debug, Clone, Hash, serde::Serialize, serde::Deserialize)]
pub(super) struct CorrectionOut {
    pub(super) date: Date,
    /// Its id on the commentary's page, unique there.
    pub(super) id: String,
    /// Inline HTML.
    pub(super) html: String,
}

/// Fingerprints of an article's parts (all 0 in a full build).
#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
pub(super) struct ArticleFp {
    /// The file it was rendered from.
    pub(super) source: u64,
    /// Its page: front matter, URL, summary, body.
    pub(super) page: u64,
    /// Its list item (title, URL, date, authors, tags, summary).
    pub(super) item: u64,
    /// The entries it mentions and their sentences.
    pub(super) mentions: u64,
    /// The works it cites.
    pub(super) cited: u64,
    /// Its corrections.
    pub(super) corrections: u64,
    /// Its citation files (`cite.bib`, …), each file's key being this with its name.
    pub(super) cite_files: u64,
    /// Its search document.
    pub(super) search: u64,
}

/// What lists, backlinks, feeds and the search index need of a commentary once its page is
/// written. A full build keeps the body of the newest few only (for the feed); a pipeline
/// that keeps its memo keeps every body, to render a page again without its Markdown.
pub(super) struct Article {
    /// Front matter; the file text is dropped after rendering.
    pub(super) c: Commentary,
    /// Its date as its search document says it, in the language's text then: a kept
    /// article whose date now reads otherwise (an edited i18n file) is rendered again.
    pub(super) date_shown: String,
    pub(super) url: String,
    pub(super) summary: String,
    pub(super) mentions: Vec<Mention>,
    pub(super) candidates: Vec<(String, Suggest)>,
    /// Bibliography keys it cites, in the style's order.
    pub(super) cited: Vec<String>,
    pub(super) body: Option<Body>,
    /// "Cite this": the commentary as the site's style formats it (HTML).
    pub(super) cite_html: String,
    /// The citation files beside its page (`cite.bib`, …); a full build drops them once
    /// written.
    pub(super) cite_files: Vec<(&'static str, String)>,
    /// Its schema.org JSON-LD.
    pub(super) jsonld: String,
    /// The works it cites as plain text (Highwire `citation_reference`).
    pub(super) references: Vec<String>,
    /// Its corrections, rendered (kept with every article: `/corrections/` lists them all).
    pub(super) corrections: Vec<CorrectionOut>,
    /// The entries its corrections link to: not backlinks, but a change to one of them
    /// renders the commentary again.
    pub(super) correction_links: Vec<Mention>,
    /// Problems its Markdown render found (reported again by every run that keeps it).
    pub(super) diags: Vec<crate::error::Diagnostic>,
    /// Its `CommentaryItem`, serialised once for every list showing it.
    pub(super) item: Value,
    /// Its terms for the search index.
    pub(super) search: search::Terms,
    /// Its search document's file, kept with the memo (a full build writes it at once).
    pub(super) search_doc: Option<Vec<u8>>,
    /// Its PDF's document, when it gets one (a full build drops it once typeset).
    pub(super) pdf: Option<super::pdf::PdfDoc>,
    /// Whether it has a PDF (its page links it).
    pub(super) has_pdf: bool,
    /// Its PDF's key, when keyed.
    pub(super) pdf_key: Option<u64>,
    pub(super) fp: ArticleFp,
    /// Taken from the build cache: its citation files, search document and PDF document
    /// are not here (only in the output), nor its body unless it was in the feed.
    pub(super) cached: bool,
}

/// A tag or an author, with its commentaries (indexes into the newest-first list).
pub(super) struct Term {
    pub(super) name: String,
    pub(super) items: Vec<usize>,
}

/// Title, URL and date of a commentary.
#[derive(Clone)]
pub(super) struct Headline<'a> {
    pub(super) title: &'a str,
    pub(super) url: &'a str,
    pub(super) date: Date,
}

/// Fingerprints the glossary's pages read, kept with the memo.
#[derive(Debug, Clone, Default)]
pub(super) struct EntryFps {
    /// Each entry with its summary and URL.
    pub(super) entries: Vec<u64>,
    /// Each entry's rendered body.
    pub(super) renders: Vec<u64>,
}

/// Everything the views of pages other than commentaries read.
pub(super) struct Ctx<'a> {
    base: &'a Base<'a>,
    glossary: &'a Glossary,
    articles: &'a [Article],
    entry_renders: &'a [Rendered],
    pages: &'a [&'a Page],
    page_renders: &'a [Rendered],
    /// Per entry: (article, sentence of the first mention), newest article first.
    backlinks: Vec<Vec<(usize, &'a str)>>,
    tags: BTreeMap<String, Term>,
    authors: BTreeMap<String, Term>,
    fps: Option<CtxFps<'a>>,
}

struct CtxFps<'a> {
    entries: &'a EntryFps,
    backlinks: Vec<u64>,
    pages: Vec<u64>,
}

impl<'a> Ctx<'a> {
    /// `entry_fps` when keyed (the pipeline keeps its memo), `None` in a full build.
    pub(super) fn new(
        base: &'a Base<'a>,
        glossary: &'a Glossary,
        articles: &'a [Article],
        (entry_renders, entry_fps): (&'a [Rendered], Option<&'a EntryFps>),
        pages: &'a [&'a Page],
        page_renders: &'a [Rendered],
        [tags, authors]: [BTreeMap<String, Term>; 2],
    ) -> Ctx<'a> {
        let mut backlinks: Vec<Vec<(usize, &str)>> = vec![Vec::new(); glossary.entries.len()];
        for (ai, a) in articles.iter().enumerate() {
            for m in &a.mentions {
                backlinks[m.entry].push((ai, &m.sentence));
            }
        }
        let fps = entry_fps.map(|entries| {
            // A backlink shows its article's headline and sentence: both are in the item
            // and mention fingerprints.
            let backlinks = backlinks
                .iter()
                .map(|b| {
                    let mut h = key_hasher();
                    for &(ai, _) in b {
                        h.write_u64(articles[ai].fp.item);
                        h.write_u64(articles[ai].fp.mentions);
                    }
                    h.finish()
                })
                .collect();
            let pages = pages
                .iter()
                .zip(page_renders)
                .map(|(p, r)| fp(&(*p, &r.html, &r.notes, &r.first_paragraph)))
                .collect();
            CtxFps {
                entries,
                backlinks,
                pages,
            }
        });
        Ctx {
            base,
            glossary,
            articles,
            entry_renders,
            pages,
            page_renders,
            backlinks,
            tags,
            authors,
            fps,
        }
    }

    /// What every page reads.
    pub(super) fn base(&self) -> &'a Base<'a> {
        self.base
    }

    /// The number of commentaries.
    pub(super) fn article_count(&self, r: &mut Reads) -> usize {
        r.feed_value(&self.articles.len());
        self.articles.len()
    }

    /// Commentary `i` (newest first) as lists show it.
    pub(super) fn item(&self, i: usize, r: &mut Reads) -> Value {
        let a = &self.articles[i];
        r.feed(a.fp.item);
        a.item.clone()
    }

    /// Title, URL and date of commentary `i`.
    pub(super) fn headline(&self, i: usize, r: &mut Reads) -> Headline<'a> {
        let a = &self.articles[i];
        r.feed(a.fp.item);
        Headline {
            title: &a.c.title,
            url: &a.url,
            date: a.c.date,
        }
    }

    /// Commentary `i`'s slug (its URL is in the headline: both are in the item).
    pub(super) fn slug(&self, i: usize, r: &mut Reads) -> &'a str {
        let a = &self.articles[i];
        r.feed(a.fp.item);
        &a.c.slug
    }

    /// Commentary `i`'s corrections.
    pub(super) fn corrections(&self, i: usize, r: &mut Reads) -> &'a [CorrectionOut] {
        let a = &self.articles[i];
        r.feed(a.fp.corrections);
        &a.corrections
    }

    /// Whether any commentary has a correction (the page plan; not part of any view).
    pub(super) fn has_corrections(&self) -> bool {
        self.articles.iter().any(|a| !a.corrections.is_empty())
    }

    /// The date of the newest correction, for `lastmod`.
    pub(super) fn newest_correction(&self) -> Option<Date> {
        self.articles
            .iter()
            .flat_map(|a| &a.corrections)
            .map(|c| c.date)
            .max()
    }

    /// The bibliography keys commentary `i` cites.
    pub(super) fn cited(&self, i: usize, r: &mut Reads) -> &'a [String] {
        let a = &self.articles[i];
        r.feed(a.fp.cited);
        &a.cited
    }

    /// The number of glossary entries.
    pub(super) fn entry_count(&self, r: &mut Reads) -> usize {
        r.feed_value(&self.glossary.entries.len());
        self.glossary.entries.len()
    }

    fn feed_entry(&self, i: usize, r: &mut Reads) {
        if let Some(f) = &self.fps {
            r.feed(f.entries.entries[i]);
        }
    }

    /// Entry `i`: its front matter and body text.
    pub(super) fn entry(&self, i: usize, r: &mut Reads) -> &'a Entry {
        self.feed_entry(i, r);
        &self.glossary.entries[i]
    }

    /// Entry `i`'s summary (given or derived).
    pub(super) fn entry_summary(&self, i: usize, r: &mut Reads) -> &'a str {
        self.feed_entry(i, r);
        &self.glossary.summaries[i]
    }

    /// Entry `i`'s page URL.
    pub(super) fn entry_url(&self, i: usize, r: &mut Reads) -> &'a str {
        self.feed_entry(i, r);
        &self.glossary.urls[i]
    }

    /// Entry `i`'s rendered body.
    pub(super) fn entry_render(&self, i: usize, r: &mut Reads) -> &'a Rendered {
        if let Some(f) = &self.fps {
            r.feed(f.entries.renders[i]);
        }
        &self.entry_renders[i]
    }

    /// Entry `i`'s facts (they name other entries, so they are fingerprinted as made).
    pub(super) fn facts(&self, i: usize, r: &mut Reads) -> Vec<Fact> {
        let facts = self.glossary.facts(i);
        r.feed_value(&facts);
        facts
    }

    /// Body `i`'s parent, successor, predecessors and children (fingerprinted as found: a
    /// new child elsewhere changes them).
    pub(super) fn relations(&self, i: usize, r: &mut Reads) -> Relations {
        let rel = self.glossary.relations(i);
        r.feed_value(&rel);
        rel
    }

    /// The entry with this slug.
    pub(super) fn find(&self, slug: &str, r: &mut Reads) -> Option<usize> {
        let found = self.glossary.find(slug);
        r.feed_value(&(slug, found));
        found
    }

    /// The commentaries mentioning entry `i`, newest first, with the sentence of the first
    /// mention.
    pub(super) fn backlinks(&self, i: usize, r: &mut Reads) -> &[(usize, &'a str)] {
        if let Some(f) = &self.fps {
            r.feed(f.backlinks[i]);
        }
        &self.backlinks[i]
    }

    /// How many commentaries mention entry `i`.
    pub(super) fn mention_count(&self, i: usize, r: &mut Reads) -> usize {
        let n = self.backlinks[i].len();
        r.feed_value(&n);
        n
    }

    fn map(&self, t: Taxonomy) -> &BTreeMap<String, Term> {
        match t {
            Taxonomy::Tags => &self.tags,
            Taxonomy::Authors => &self.authors,
        }
    }

    /// Every tag or author: (slug, name, number of commentaries), by slug.
    pub(super) fn terms(&self, t: Taxonomy, r: &mut Reads) -> Vec<(&str, &str, usize)> {
        self.map(t)
            .iter()
            .map(|(slug, term)| {
                r.feed_value(&(slug, &term.name, term.items.len()));
                (slug.as_str(), term.name.as_str(), term.items.len())
            })
            .collect()
    }

    /// The slugs of every tag or author (for the page plan; reads nothing a view shows).
    pub(super) fn term_slugs(&self, t: Taxonomy) -> impl Iterator<Item = &String> {
        self.map(t).keys()
    }

    /// One tag or author: its name and its commentaries (read each with [`Ctx::item`]).
    pub(super) fn term(&self, t: Taxonomy, slug: &str, r: &mut Reads) -> (&str, &[usize]) {
        let term = &self.map(t)[slug];
        r.feed_value(&(slug, &term.name));
        (&term.name, &term.items)
    }

    /// Where entry `i`'s page goes (the page plan; not part of any view).
    pub(super) fn entry_route(&self, i: usize) -> (Kind, &str) {
        let e = &self.glossary.entries[i];
        (e.kind, &e.slug)
    }

    /// Whether entry `i` is another language's original, kept for its abbreviation: it has
    /// no page in this language (the page plan; not part of any view).
    pub(super) fn is_foreign(&self, i: usize) -> bool {
        self.glossary.foreign[i]
    }

    /// Where free page `i` goes.
    pub(super) fn page_slug(&self, i: usize) -> &str {
        &self.pages[i].slug
    }

    /// The number of free pages.
    pub(super) fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Free page `i` and its rendered body.
    pub(super) fn page(&self, i: usize, r: &mut Reads) -> (&'a Page, &'a Rendered) {
        if let Some(f) = &self.fps {
            r.feed(f.pages[i]);
        }
        (self.pages[i], &self.page_renders[i])
    }

    /// The sitemap's `lastmod` of a page: the date of the newest commentary it shows.
    pub(super) fn newest(&self, items: impl Iterator<Item = usize>) -> Option<Date> {
        items.map(|i| self.articles[i].c.date).max()
    }

    /// The date of commentary `i`, for `lastmod` (not part of any view).
    pub(super) fn date(&self, i: usize) -> Option<Date> {
        self.articles.get(i).map(|a| a.c.date)
    }

    /// Dates of the commentaries citing anything, for `lastmod`.
    pub(super) fn citing_dates(&self) -> impl Iterator<Item = Date> + '_ {
        self.articles
            .iter()
            .filter(|a| !a.cited.is_empty())
            .map(|a| a.c.date)
    }

    /// The term's commentaries, for `lastmod`.
    pub(super) fn term_items(&self, t: Taxonomy, slug: &str) -> &[usize] {
        &self.map(t)[slug].items
    }

    /// The commentaries mentioning entry `i`, for `lastmod`.
    pub(super) fn backlink_items(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.backlinks[i].iter().map(|&(a, _)| a)
    }

    /// For `check`: the backlinks of every entry.
    pub(super) fn all_backlinks(&self) -> &[Vec<(usize, &'a str)>] {
        &self.backlinks
    }

    /// Gives the tags and authors back, for the memo.
    pub(super) fn into_terms(self) -> [BTreeMap<String, Term>; 2] {
        [self.tags, self.authors]
    }
}

/// Groups commentaries by the slug of a tag or author name; items are indexes into the
/// newest-first list.
pub(super) fn terms(articles: &[Article], t: Taxonomy) -> BTreeMap<String, Term> {
    let mut map: BTreeMap<String, Term> = BTreeMap::new();
    for (i, a) in articles.iter().enumerate() {
        for name in t.names(&a.c) {
            let term = map
                .entry(crate::slug::slugify(name))
                .or_insert_with(|| Term {
                    name: name.clone(),
                    items: Vec::new(),
                });
            if term.items.last() != Some(&i) {
                term.items.push(i);
            }
        }
    }
    map
}
