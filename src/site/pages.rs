//! The pages of a site: the plan ([`jobs`]) and one view function per page kind.
//!
//! A view function reads only through [`Base`] and [`Ctx`] accessors (which fingerprint what
//! they return into the page's [`Reads`]) and returns a [`PageOut`]: the page's path, its
//! template and a closure that builds the template's value from what was read. The pipeline
//! takes the key from the `Reads`, asks the output whether it wants the page with that key,
//! and only then calls the closure and renders: a page whose inputs did not change costs its
//! accessor calls.
//!
//! Adding a page kind: a [`Job`] variant, its place in [`jobs`], its view function here, its
//! route in `crate::routes`, and its template.

use super::bodies;
use super::card;
use super::ctx::{ArticlePage, Base, Ctx, Reads};
use super::sources as cite_site;
use super::timeline;
use super::treaty;
use crate::citable;
use crate::content::{Date, Kind, Taxonomy};
use crate::glossary::{status, FactLink};
use crate::html;
use crate::markdown::summary;
use crate::routes::{self, Routes};
use crate::theme::context::*;
use crate::theme::Theme;
use minijinja::{context, Value};

/// One HTML page to render.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Job {
    /// Home page `n` (1-based).
    Home(usize),
    /// The glossary index.
    GlossaryIndex,
    /// Entry `i`'s page.
    Entry(usize),
    /// The index of tags or authors.
    TermList(Taxonomy),
    /// A tag's or author's page, by slug.
    Term(Taxonomy, String),
    /// Free page `i`.
    Page(usize),
    /// The bibliography.
    Sources,
    /// The not-found page.
    NotFound,
    /// The search page.
    Search,
    /// Every correction of the site (only when there is one).
    Corrections,
    /// The timeline of dated events.
    Timeline,
}

impl Job {
    /// What the build's summary counts it as.
    pub(super) fn kind(&self) -> PageKind {
        match self {
            Job::Home(_) => PageKind::Home,
            Job::GlossaryIndex | Job::Entry(_) => PageKind::Glossary,
            Job::TermList(_) | Job::Term(..) => PageKind::Taxonomy,
            Job::Page(_)
            | Job::Sources
            | Job::NotFound
            | Job::Search
            | Job::Corrections
            | Job::Timeline => PageKind::Other,
        }
    }

    /// Whether the sitemap lists it.
    pub(super) fn in_sitemap(&self) -> bool {
        !matches!(self, Job::NotFound | Job::Search)
    }
}

/// Pages by what the build's summary line counts them as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PageKind {
    Home,
    Glossary,
    Taxonomy,
    Other,
}

/// A page ready to render: where it goes, its template, and its value (built on demand).
pub(super) struct PageOut<'a> {
    /// Output path (a page's ends in `/`).
    pub(super) path: String,
    pub(super) template: &'static str,
    pub(super) view: Box<dyn FnOnce() -> Value + Send + 'a>,
}

impl PageOut<'_> {
    /// The output file.
    pub(super) fn file(&self) -> String {
        Routes::file(&self.path)
    }

    /// Renders it.
    pub(super) fn render(self, theme: &Theme) -> Result<String, crate::error::Diagnostic> {
        theme.render(self.template, (self.view)())
    }
}

/// The text scholia.js writes, for `site.script_text`: the `js_` keys (plural forms
/// included) without the prefix, and the language, whose plural rules the script applies.
fn script_text(text: &crate::theme::i18n::Text) -> String {
    let map: serde_json::Map<String, serde_json::Value> = text
        .iter()
        .filter_map(|(k, v)| {
            let key = k
                .strip_prefix("js_")
                .or((k == "lang").then_some(k.as_str()))?;
            Some((key.to_string(), serde_json::Value::from(v.as_str())))
        })
        .collect();
    html::json_in_script(&serde_json::Value::Object(map).to_string())
}

/// The `site` value every template sees.
pub(super) fn site_view(
    config: &crate::config::SiteConfig,
    routes: &Routes,
    pages: &[&crate::content::Page],
    has_sources: bool,
    text: &crate::theme::i18n::Text,
) -> SiteView {
    SiteView {
        title: config.title.clone(),
        description: config.description.clone(),
        base_url: routes.base().to_string(),
        language: config.language.clone(),
        dir: crate::lang::dir(&config.language),
        text: text.clone(),
        script_text: script_text(text),
        extra: config.extra.clone(),
        pages: pages
            .iter()
            .map(|p| NavPage {
                title: p.title.clone(),
                url: routes.url(&Routes::page(&p.slug)),
            })
            .collect(),
        nav: Nav {
            home: routes.url(&Routes::home(1)),
            glossary: routes.url(routes::GLOSSARY),
            tags: routes.url(&Routes::taxonomy(Taxonomy::Tags)),
            authors: routes.url(&Routes::taxonomy(Taxonomy::Authors)),
            feed: routes.url(routes::FEED),
            sources: has_sources.then(|| routes.url(routes::SOURCES)),
            search: config.search.then(|| routes.url(routes::SEARCH)),
            timeline: routes.url(routes::TIMELINE),
        },
    }
}

/// Every page but the commentaries, in a stable order. Only the default language has the
/// not-found page (hosts look for `/404.html`).
pub(super) fn jobs(ctx: &Ctx, default_language: bool) -> Vec<Job> {
    let mut r = Reads::new(false);
    let base = ctx.base();
    let config = base.config(&mut r);
    let home_pages = ctx.article_count(&mut r).div_ceil(config.paginate).max(1);
    let mut jobs: Vec<Job> = (1..=home_pages).map(Job::Home).collect();
    jobs.push(Job::GlossaryIndex);
    jobs.push(Job::Timeline);
    jobs.extend(
        (0..ctx.entry_count(&mut r))
            .filter(|&i| !ctx.is_foreign(i))
            .map(Job::Entry),
    );
    for t in Taxonomy::ALL {
        jobs.push(Job::TermList(t));
        jobs.extend(ctx.term_slugs(t).map(|k| Job::Term(t, k.clone())));
    }
    jobs.extend((0..ctx.page_count()).map(Job::Page));
    if !base.sources(&mut r).keys().is_empty() {
        jobs.push(Job::Sources);
    }
    if ctx.has_corrections() {
        jobs.push(Job::Corrections);
    }
    if default_language {
        jobs.push(Job::NotFound);
    }
    if config.search {
        jobs.push(Job::Search);
    }
    jobs
}

/// The sitemap's `lastmod` of a page: the date of the newest commentary it shows. Free pages
/// have no date, so no `lastmod`.
pub(super) fn lastmod(ctx: &Ctx, job: &Job) -> Option<Date> {
    let mut r = Reads::new(false);
    match job {
        Job::Home(n) => ctx.date((n - 1) * ctx.base().config(&mut r).paginate),
        Job::GlossaryIndex | Job::TermList(_) | Job::Timeline => ctx.date(0),
        Job::Entry(i) => ctx.newest(ctx.backlink_items(*i)),
        Job::Term(t, slug) => ctx.newest(ctx.term_items(*t, slug).iter().copied()),
        Job::Sources => ctx.citing_dates().max(),
        Job::Corrections => ctx.newest_correction(),
        Job::Page(_) | Job::NotFound | Job::Search => None,
    }
}

/// The output path of a job (a page's ends in `/`): the one place a job's URL is made.
pub(super) fn path(ctx: &Ctx, job: &Job) -> String {
    match job {
        Job::Home(n) => Routes::home(*n),
        Job::GlossaryIndex => routes::GLOSSARY.into(),
        Job::Entry(i) => {
            let (kind, slug) = ctx.entry_route(*i);
            Routes::entry(kind, slug)
        }
        Job::TermList(t) => Routes::taxonomy(*t),
        Job::Term(t, slug) => Routes::term(*t, slug),
        Job::Page(i) => Routes::page(ctx.page_slug(*i)),
        Job::Sources => routes::SOURCES.into(),
        Job::NotFound => routes::NOT_FOUND.into(),
        Job::Search => routes::SEARCH.into(),
        Job::Corrections => routes::CORRECTIONS.into(),
        Job::Timeline => routes::TIMELINE.into(),
    }
}

/// The view of a job. View functions call accessors first (cheap: they borrow, and feed
/// the page's key) and leave every allocation to the closure, which runs only when the
/// page is rendered.
pub(super) fn page<'a>(ctx: &'a Ctx<'a>, job: &Job, r: &mut Reads) -> PageOut<'a> {
    let path = path(ctx, job);
    let alternates = ctx.base().alternates(&path, r);
    let page = match job {
        Job::Home(n) => home(ctx, *n, path, r),
        Job::GlossaryIndex => glossary_index(ctx, path, r),
        Job::Entry(i) => entry(ctx, *i, path, r),
        Job::TermList(t) => term_list(ctx, *t, path, r),
        Job::Term(t, slug) => term(ctx, *t, slug, path, r),
        Job::Page(i) => free_page(ctx, *i, path, r),
        Job::Sources => sources(ctx, path, r),
        Job::NotFound => plain(ctx.base(), path, "404.html", r),
        Job::Search => plain(ctx.base(), path, "search.html", r),
        Job::Corrections => corrections(ctx, path, r),
        Job::Timeline => timeline_page(ctx, path, r),
    };
    with_translations(page, alternates)
}

/// Adds `translations` to a page's value: its versions in every language (empty without
/// translations), for the `hreflang` links and the language switcher.
fn with_translations<'a>(page: PageOut<'a>, alternates: &'a [Alternate]) -> PageOut<'a> {
    let PageOut {
        path,
        template,
        view,
    } = page;
    out(path, template, move || {
        context! { translations => alternates, ..view() }
    })
}

fn out<'a>(
    path: String,
    template: &'static str,
    view: impl FnOnce() -> Value + Send + 'a,
) -> PageOut<'a> {
    PageOut {
        path,
        template,
        view: Box::new(view),
    }
}

/// A commentary as lists show it.
pub(super) fn commentary_item(
    routes: &Routes,
    c: &crate::content::Commentary,
    url: &str,
    summary: &str,
) -> CommentaryItem {
    let link = |t: Taxonomy, name: &String| Link {
        name: name.clone(),
        url: routes.url(&Routes::term(t, &crate::slug::slugify(name))),
    };
    CommentaryItem {
        title: c.title.clone(),
        url: url.to_string(),
        date: c.date.into(),
        authors: c
            .authors
            .iter()
            .map(|n| link(Taxonomy::Authors, n))
            .collect(),
        tags: c.tags.iter().map(|n| link(Taxonomy::Tags, n)).collect(),
        summary: summary.to_string(),
    }
}

fn reading_minutes(words: usize) -> usize {
    words.div_ceil(220).max(1)
}

/// A commentary's page.
pub(super) fn commentary<'a>(
    base: &'a Base<'a>,
    a: &'a super::ctx::Article,
    r: &mut Reads,
) -> PageOut<'a> {
    let site = base.site(r);
    let routes = base.routes(r);
    let config = base.config(r);
    let text = base.text(r);
    let ArticlePage {
        c,
        url,
        summary,
        body,
        corrections,
        cite_html,
        jsonld,
        references,
        has_pdf,
    } = base.article(a, r);
    let alternates = base.alternates(&Routes::commentary(&c.slug), r);
    let page = out(Routes::commentary(&c.slug), "commentary.html", move || {
        let body = body.expect("a commentary's page is rendered with its body");
        let view = CommentaryView {
            item: commentary_item(routes, c, url, summary),
            content: Value::from_safe_string(body.html.clone()),
            notes: body.notes.iter().map(NoteView::from).collect(),
            source: c.source.as_ref().map(|s| SourceView {
                publisher: s.publisher.clone(),
                url: s.url.clone(),
                date: s.date.map(DateView::from),
            }),
            reading_minutes: reading_minutes(body.words),
            works_cited: cite_site::works(&body.works_cited, routes),
            modified: c.modified().into(),
            corrections: corrections
                .iter()
                .map(|k| correction_view(routes, &c.slug, k, None))
                .collect(),
            corrections_url: routes.url(routes::CORRECTIONS),
            cite: {
                let file = |name| routes.url(&Routes::commentary_file(&c.slug, name));
                CiteView {
                    html: Value::from_safe_string(cite_html.to_string()),
                    bib: file(citable::BIB),
                    ris: file(citable::RIS),
                    json: file(citable::JSON),
                }
            },
            card: config.cards.then(|| CardView {
                url: routes.url(&Routes::commentary_file(&c.slug, card::FILE)),
                width: card::WIDTH,
                height: card::HEIGHT,
                alt: card::Card {
                    title: &c.title,
                    authors: &c.authors,
                    date: c.date,
                    site: &config.title,
                    text,
                }
                .alt(),
            }),
            scholar: ScholarView {
                publication_date: format!(
                    "{:04}/{:02}/{:02}",
                    c.date.year, c.date.month, c.date.day
                ),
                journal_title: config.title.clone(),
                references: references.to_vec(),
            },
            jsonld: Value::from_safe_string(html::json_in_script(jsonld)),
            pdf: has_pdf.then(|| routes.url(&Routes::commentary_pdf(&c.slug))),
            extra: c.extra.clone(),
        };
        context! { site => site.clone(), current_url => url, commentary => view }
    });
    with_translations(page, alternates)
}

fn home<'a>(ctx: &'a Ctx<'a>, n: usize, path: String, r: &mut Reads) -> PageOut<'a> {
    let base = ctx.base();
    let site = base.site(r);
    let routes = base.routes(r);
    let per = base.config(r).paginate;
    let count = ctx.article_count(r);
    let total = count.div_ceil(per).max(1);
    let items: Vec<Value> = (((n - 1) * per)..(n * per).min(count))
        .map(|i| ctx.item(i, r))
        .collect();
    out(path.clone(), "home.html", move || {
        let paginator = Paginator {
            number: n,
            total,
            prev_url: (n > 1).then(|| routes.url(&Routes::home(n - 1))),
            next_url: (n < total).then(|| routes.url(&Routes::home(n + 1))),
        };
        let current_url = routes.url(&path);
        context! { site => site.clone(), current_url, commentaries => items, paginator }
    })
}

/// An entry as lists show it, borrowed until the page renders.
struct EntryRef<'a> {
    e: &'a crate::content::Entry,
    url: &'a str,
    summary: &'a str,
    mentions: usize,
}

impl EntryRef<'_> {
    fn item(&self) -> EntryItem {
        EntryItem {
            name: self.e.name.clone(),
            abbr: self.e.abbr.clone(),
            kind: self.e.kind.as_str(),
            kind_label: self.e.kind.label(),
            url: self.url.to_string(),
            summary: self.summary.to_string(),
            mentions: self.mentions,
        }
    }
}

fn entry_ref<'a>(ctx: &Ctx<'a>, i: usize, r: &mut Reads) -> EntryRef<'a> {
    EntryRef {
        e: ctx.entry(i, r),
        url: ctx.entry_url(i, r),
        summary: ctx.entry_summary(i, r),
        mentions: ctx.mention_count(i, r),
    }
}

fn glossary_index<'a>(ctx: &'a Ctx<'a>, path: String, r: &mut Reads) -> PageOut<'a> {
    let base = ctx.base();
    let site = base.site(r);
    let routes = base.routes(r);
    let entries: Vec<EntryRef> = (0..ctx.entry_count(r))
        .filter(|&i| !ctx.is_foreign(i))
        .map(|i| entry_ref(ctx, i, r))
        .collect();
    out(path.clone(), "glossary.html", move || {
        let groups: Vec<Group> = [(Kind::Body, "Bodies"), (Kind::Treaty, "Treaties")]
            .into_iter()
            .map(|(kind, label)| {
                let mut items: Vec<EntryItem> = entries
                    .iter()
                    .filter(|e| e.e.kind == kind)
                    .map(EntryRef::item)
                    .collect();
                items.sort_by_cached_key(|e| (e.name.to_lowercase(), e.url.clone()));
                Group {
                    kind: kind.as_str(),
                    label,
                    entries: items,
                }
            })
            .collect();
        let current_url = routes.url(&path);
        context! { site => site.clone(), current_url, groups }
    })
}

fn entry<'a>(ctx: &'a Ctx<'a>, i: usize, path: String, r: &mut Reads) -> PageOut<'a> {
    let base = ctx.base();
    let site = base.site(r);
    let routes = base.routes(r);
    let sources = base.sources(r);
    let lang = &base.config(r).language;
    let text = base.text(r);
    let this = entry_ref(ctx, i, r);
    let rendered = ctx.entry_render(i, r);
    let facts: Vec<(crate::glossary::Fact, Option<&str>)> = ctx
        .facts(i, r)
        .into_iter()
        .map(|f| {
            let linked = match &f.link {
                Some(FactLink::Entry(j)) => Some(ctx.entry_url(*j, r)),
                _ => None,
            };
            (f, linked)
        })
        .collect();
    let mut related: Vec<EntryRef> = Vec::new();
    for s in &this.e.related {
        if let Some(j) = ctx.find(s, r) {
            related.push(entry_ref(ctx, j, r));
        }
    }
    let states = &base.config(r).states;
    let url = ctx.entry_url(i, r);
    let relations = ctx.relations(i, r);
    let related_bodies: Vec<(usize, &crate::content::Entry, &str)> = relations
        .parent
        .iter()
        .chain(&relations.successor)
        .chain(&relations.predecessors)
        .chain(&relations.children)
        .map(|&j| (j, ctx.entry(j, r), ctx.entry_url(j, r)))
        .collect();
    let backlinks: Vec<(super::ctx::Headline, &str)> = ctx
        .backlinks(i, r)
        .iter()
        .map(|&(ai, sentence)| (ctx.headline(ai, r), sentence))
        .collect();
    out(path.clone(), "entry.html", move || {
        let e = this.e;
        let mut keys = cite_site::entry_keys(sources, e);
        for (k, _) in &rendered.works_cited {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let view = EntryView {
            sources: cite_site::works(&sources.bibliography(lang, &keys), routes),
            item: this.item(),
            aliases: e.aliases.clone(),
            content: Value::from_safe_string(rendered.html.clone()),
            notes: rendered.notes.iter().map(NoteView::from).collect(),
            facts: facts
                .into_iter()
                .map(|(f, linked)| FactView {
                    label: f.label,
                    key: f.key(),
                    date: f.date.map(Into::into),
                    url: match f.link {
                        Some(FactLink::External(u)) => Some(u),
                        _ => linked.map(str::to_string),
                    },
                    text: f.text,
                })
                .collect(),
            related: related.iter().map(EntryRef::item).collect(),
            backlinks: backlinks
                .into_iter()
                .map(|(h, sentence)| Backlink {
                    title: h.title.to_string(),
                    url: h.url.to_string(),
                    date: h.date.into(),
                    sentence: sentence.to_string(),
                    status: status::card_on(e, h.date, states, text)
                        .map(|_| status::summary_on_in(e, h.date, states, text)),
                })
                .collect(),
            jsonld: Value::from_safe_string(html::json_in_script(&citable::entry_jsonld(
                e,
                this.url,
                this.summary,
            ))),
            extra: e.extra.clone(),
            treaty: (e.kind == Kind::Treaty)
                .then(|| treaty::view(e, states, lang, sources, routes, text)),
            diagram: bodies::diagram(e, &relations, text, |j| {
                let (_, x, u) = related_bodies
                    .iter()
                    .find(|(k, _, _)| *k == j)
                    .expect("read above");
                (*x, *u)
            }),
            events: timeline::entry_events(e, url, states)
                .iter()
                .map(|ev| timeline::view(ev, text))
                .collect(),
        };
        let current_url = routes.url(&path);
        context! { site => site.clone(), current_url, entry => view }
    })
}

/// `/timeline/`: every dated event, newest first, by year, with an overview chart.
fn timeline_page<'a>(ctx: &'a Ctx<'a>, path: String, r: &mut Reads) -> PageOut<'a> {
    let base = ctx.base();
    let site = base.site(r);
    let routes = base.routes(r);
    let states = &base.config(r).states;
    let text = base.text(r);
    let headlines: Vec<super::ctx::Headline> = (0..ctx.article_count(r))
        .map(|i| ctx.headline(i, r))
        .collect();
    let entries: Vec<(&crate::content::Entry, &str)> = (0..ctx.entry_count(r))
        .map(|i| (ctx.entry(i, r), ctx.entry_url(i, r)))
        .collect();
    out(path.clone(), "timeline.html", move || {
        let mut events: Vec<timeline::Event> = headlines
            .iter()
            .map(|h| timeline::published(h.title, h.url, h.date))
            .collect();
        for (e, url) in &entries {
            events.extend(timeline::entry_events(e, url, states));
        }
        let years = timeline::by_year(&timeline::newest_first(events), text);
        let chart = timeline::overview(&years, text);
        let current_url = routes.url(&path);
        context! { site => site.clone(), current_url, years, chart }
    })
}

fn taxonomy_view(t: Taxonomy) -> TaxonomyView {
    TaxonomyView {
        kind: t.as_str(),
        label: t.label(),
    }
}

fn term_list<'a>(ctx: &'a Ctx<'a>, t: Taxonomy, path: String, r: &mut Reads) -> PageOut<'a> {
    let base = ctx.base();
    let site = base.site(r);
    let routes = base.routes(r);
    let terms = ctx.terms(t, r);
    out(path.clone(), "taxonomy_list.html", move || {
        let mut terms: Vec<TermView> = terms
            .into_iter()
            .map(|(slug, name, count)| TermView {
                name: name.to_string(),
                url: routes.url(&Routes::term(t, slug)),
                count,
            })
            .collect();
        terms.sort_by_cached_key(|t| (t.name.to_lowercase(), t.url.clone()));
        let current_url = routes.url(&path);
        context! { site => site.clone(), current_url, taxonomy => taxonomy_view(t), terms }
    })
}

fn term<'a>(ctx: &'a Ctx<'a>, t: Taxonomy, slug: &str, path: String, r: &mut Reads) -> PageOut<'a> {
    let base = ctx.base();
    let site = base.site(r);
    let routes = base.routes(r);
    let (name, items) = ctx.term(t, slug, r);
    let items: Vec<Value> = items.iter().map(|&i| ctx.item(i, r)).collect();
    out(path.clone(), "taxonomy_term.html", move || {
        let current_url = routes.url(&path);
        let term = TermView {
            name: name.to_string(),
            url: current_url.clone(),
            count: items.len(),
        };
        context! { site => site.clone(), current_url, taxonomy => taxonomy_view(t), term, commentaries => items }
    })
}

fn free_page<'a>(ctx: &'a Ctx<'a>, i: usize, path: String, r: &mut Reads) -> PageOut<'a> {
    let base = ctx.base();
    let site = base.site(r);
    let routes = base.routes(r);
    let (p, rendered) = ctx.page(i, r);
    out(path.clone(), "page.html", move || {
        let current_url = routes.url(&path);
        let view = PageView {
            title: p.title.clone(),
            url: current_url.clone(),
            summary: p
                .summary
                .clone()
                .unwrap_or_else(|| summary::cut(&rendered.first_paragraph, 200)),
            content: Value::from_safe_string(rendered.html.clone()),
            notes: rendered.notes.iter().map(NoteView::from).collect(),
            extra: p.extra.clone(),
        };
        context! { site => site.clone(), current_url, page => view }
    })
}

fn sources<'a>(ctx: &'a Ctx<'a>, path: String, r: &mut Reads) -> PageOut<'a> {
    let base = ctx.base();
    let site = base.site(r);
    let routes = base.routes(r);
    let sources = base.sources(r);
    let lang = &base.config(r).language;
    let citing: Vec<(&[String], super::ctx::Headline)> = (0..ctx.article_count(r))
        .map(|i| (ctx.cited(i, r), ctx.headline(i, r)))
        .filter(|(cited, _)| !cited.is_empty())
        .collect();
    out(path.clone(), "sources.html", move || {
        let keys: Vec<&str> = sources.keys().iter().map(String::as_str).collect();
        let mut works = cite_site::works(&sources.bibliography(lang, &keys), routes);
        for w in &mut works {
            w.cited_by = citing
                .iter()
                .filter(|(cited, _)| cited.contains(&w.key))
                .map(|(_, h)| Link {
                    name: h.title.to_string(),
                    url: h.url.to_string(),
                })
                .collect();
        }
        let current_url = routes.url(&path);
        context! { site => site.clone(), current_url, works }
    })
}

fn correction_view(
    routes: &Routes,
    slug: &str,
    k: &super::ctx::CorrectionOut,
    commentary: Option<Link>,
) -> CorrectionView {
    CorrectionView {
        id: k.id.clone(),
        date: k.date.into(),
        html: Value::from_safe_string(k.html.clone()),
        url: routes.url(&Routes::correction(slug, &k.id)),
        commentary,
    }
}

/// Every correction, newest first; a day's corrections by their commentaries' order (newest
/// first), then as given.
fn corrections<'a>(ctx: &'a Ctx<'a>, path: String, r: &mut Reads) -> PageOut<'a> {
    let base = ctx.base();
    let site = base.site(r);
    let routes = base.routes(r);
    let mut all: Vec<(&super::ctx::CorrectionOut, super::ctx::Headline, &str)> = Vec::new();
    for i in 0..ctx.article_count(r) {
        let list = ctx.corrections(i, r);
        if list.is_empty() {
            continue;
        }
        let (h, slug) = (ctx.headline(i, r), ctx.slug(i, r));
        all.extend(list.iter().map(|k| (k, h.clone(), slug)));
    }
    // Stable: ties keep the commentary order and the order given.
    all.sort_by_key(|k| std::cmp::Reverse(k.0.date));
    out(path.clone(), "corrections.html", move || {
        let corrections: Vec<CorrectionView> = all
            .into_iter()
            .map(|(k, h, slug)| {
                let link = Link {
                    name: h.title.to_string(),
                    url: h.url.to_string(),
                };
                correction_view(routes, slug, k, Some(link))
            })
            .collect();
        let current_url = routes.url(&path);
        let feed_url = routes.url(routes::CORRECTIONS_FEED);
        context! { site => site.clone(), current_url, corrections, feed_url }
    })
}

/// A page that shows nothing but the site (not found, search).
fn plain<'a>(
    base: &'a Base<'a>,
    path: String,
    template: &'static str,
    r: &mut Reads,
) -> PageOut<'a> {
    let site = base.site(r);
    let routes = base.routes(r);
    out(path.clone(), template, move || {
        let current_url = routes.url(&path);
        context! { site => site.clone(), current_url }
    })
}
