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

use super::ctx::{ArticlePage, Base, Ctx, Reads};
use super::sources as cite_site;
use crate::content::{Date, Kind, Taxonomy};
use crate::glossary::FactLink;
use crate::markdown::summary;
use crate::routes::{self, Routes};
use crate::theme::context::*;
use crate::theme::Theme;
use minijinja::{context, Value};
use std::collections::HashMap;

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
}

impl Job {
    /// What the build's summary counts it as.
    pub(super) fn kind(&self) -> PageKind {
        match self {
            Job::Home(_) => PageKind::Home,
            Job::GlossaryIndex | Job::Entry(_) => PageKind::Glossary,
            Job::TermList(_) | Job::Term(..) => PageKind::Taxonomy,
            Job::Page(_) | Job::Sources | Job::NotFound | Job::Search => PageKind::Other,
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

/// The `site` value every template sees.
pub(super) fn site_view(
    config: &crate::config::SiteConfig,
    routes: &Routes,
    pages: &[&crate::content::Page],
    has_sources: bool,
) -> SiteView {
    SiteView {
        title: config.title.clone(),
        description: config.description.clone(),
        base_url: routes.base().to_string(),
        language: config.language.clone(),
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
        },
    }
}

/// Every page but the commentaries, in a stable order.
pub(super) fn jobs(ctx: &Ctx) -> Vec<Job> {
    let mut r = Reads::new(false);
    let base = ctx.base();
    let config = base.config(&mut r);
    let home_pages = ctx.article_count(&mut r).div_ceil(config.paginate).max(1);
    let mut jobs: Vec<Job> = (1..=home_pages).map(Job::Home).collect();
    jobs.push(Job::GlossaryIndex);
    jobs.extend((0..ctx.entry_count(&mut r)).map(Job::Entry));
    for t in Taxonomy::ALL {
        jobs.push(Job::TermList(t));
        jobs.extend(ctx.term_slugs(t).map(|k| Job::Term(t, k.clone())));
    }
    jobs.extend((0..ctx.page_count()).map(Job::Page));
    if !base.sources(&mut r).keys().is_empty() {
        jobs.push(Job::Sources);
    }
    jobs.push(Job::NotFound);
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
        Job::GlossaryIndex | Job::TermList(_) => ctx.date(0),
        Job::Entry(i) => ctx.newest(ctx.backlink_items(*i)),
        Job::Term(t, slug) => ctx.newest(ctx.term_items(*t, slug).iter().copied()),
        Job::Sources => ctx.citing_dates().max(),
        Job::Page(_) | Job::NotFound | Job::Search => None,
    }
}

/// The view of a job.
pub(super) fn page<'a>(ctx: &'a Ctx<'a>, job: &Job, r: &mut Reads) -> PageOut<'a> {
    match job {
        Job::Home(n) => home(ctx, *n, r),
        Job::GlossaryIndex => glossary_index(ctx, r),
        Job::Entry(i) => entry(ctx, *i, r),
        Job::TermList(t) => term_list(ctx, *t, r),
        Job::Term(t, slug) => term(ctx, *t, slug, r),
        Job::Page(i) => free_page(ctx, *i, r),
        Job::Sources => sources(ctx, r),
        Job::NotFound => plain(ctx.base(), routes::NOT_FOUND, "404.html", r),
        Job::Search => plain(ctx.base(), routes::SEARCH, "search.html", r),
    }
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
    let ArticlePage {
        c,
        url,
        summary,
        body,
    } = base.article(a, r);
    out(Routes::commentary(&c.slug), "commentary.html", move || {
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
            extra: c.extra.clone(),
        };
        context! { site, current_url => url, commentary => view }
    })
}

fn home<'a>(ctx: &'a Ctx<'a>, n: usize, r: &mut Reads) -> PageOut<'a> {
    let base = ctx.base();
    let site = base.site(r);
    let routes = base.routes(r);
    let per = base.config(r).paginate;
    let count = ctx.article_count(r);
    let total = count.div_ceil(per).max(1);
    let items: Vec<Value> = (((n - 1) * per)..(n * per).min(count))
        .map(|i| ctx.item(i, r))
        .collect();
    let path = Routes::home(n);
    out(path.clone(), "home.html", move || {
        let paginator = Paginator {
            number: n,
            total,
            prev_url: (n > 1).then(|| routes.url(&Routes::home(n - 1))),
            next_url: (n < total).then(|| routes.url(&Routes::home(n + 1))),
        };
        let current_url = routes.url(&path);
        context! { site, current_url, commentaries => items, paginator }
    })
}

fn entry_item(ctx: &Ctx, i: usize, r: &mut Reads) -> EntryItem {
    let e = ctx.entry(i, r);
    EntryItem {
        name: e.name.clone(),
        abbr: e.abbr.clone(),
        kind: e.kind.as_str(),
        kind_label: e.kind.label(),
        url: ctx.entry_url(i, r).to_string(),
        summary: ctx.entry_summary(i, r).to_string(),
        mentions: ctx.mention_count(i, r),
    }
}

fn glossary_index<'a>(ctx: &'a Ctx<'a>, r: &mut Reads) -> PageOut<'a> {
    let base = ctx.base();
    let site = base.site(r);
    let current_url = base.routes(r).url(routes::GLOSSARY);
    let n = ctx.entry_count(r);
    let groups: Vec<Group> = [(Kind::Body, "Bodies"), (Kind::Treaty, "Treaties")]
        .into_iter()
        .map(|(kind, label)| {
            let mut entries = Vec::new();
            for i in 0..n {
                if ctx.entry_kind(i, r) == kind {
                    entries.push(entry_item(ctx, i, r));
                }
            }
            entries.sort_by_cached_key(|e| (e.name.to_lowercase(), e.url.clone()));
            Group {
                kind: kind.as_str(),
                label,
                entries,
            }
        })
        .collect();
    out(routes::GLOSSARY.into(), "glossary.html", move || {
        context! { site, current_url, groups }
    })
}

fn entry<'a>(ctx: &'a Ctx<'a>, i: usize, r: &mut Reads) -> PageOut<'a> {
    let base = ctx.base();
    let site = base.site(r);
    let routes = base.routes(r);
    let sources = base.sources(r);
    let e = ctx.entry(i, r);
    let rendered = ctx.entry_render(i, r);
    let facts: Vec<FactView> = ctx
        .facts(i, r)
        .into_iter()
        .map(|f| FactView {
            label: f.label,
            text: f.text,
            url: f.link.map(|l| match l {
                FactLink::Entry(j) => ctx.entry_url(j, r).to_string(),
                FactLink::External(u) => u,
            }),
        })
        .collect();
    let mut related: Vec<EntryItem> = Vec::new();
    for s in &e.related {
        if let Some(j) = ctx.find(s, r) {
            related.push(entry_item(ctx, j, r));
        }
    }
    let backlinks: Vec<Backlink> = ctx
        .backlinks(i, r)
        .iter()
        .map(|&(ai, sentence)| {
            let h = ctx.headline(ai, r);
            Backlink {
                title: h.title.to_string(),
                url: h.url.to_string(),
                date: h.date.into(),
                sentence: sentence.to_string(),
            }
        })
        .collect();
    let item = entry_item(ctx, i, r);
    let path = Routes::entry(e.kind, &e.slug);
    out(path.clone(), "entry.html", move || {
        let mut keys = cite_site::entry_keys(sources, e);
        for (k, _) in &rendered.works_cited {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let view = EntryView {
            sources: cite_site::works(&sources.bibliography(&keys), routes),
            item,
            aliases: e.aliases.clone(),
            content: Value::from_safe_string(rendered.html.clone()),
            notes: rendered.notes.iter().map(NoteView::from).collect(),
            facts,
            related,
            backlinks,
            extra: e.extra.clone(),
        };
        let current_url = routes.url(&path);
        context! { site, current_url, entry => view }
    })
}

fn taxonomy_view(t: Taxonomy) -> TaxonomyView {
    TaxonomyView {
        kind: t.as_str(),
        label: t.label(),
    }
}

fn term_list<'a>(ctx: &'a Ctx<'a>, t: Taxonomy, r: &mut Reads) -> PageOut<'a> {
    let base = ctx.base();
    let site = base.site(r);
    let routes = base.routes(r);
    let mut terms: Vec<TermView> = ctx
        .terms(t, r)
        .into_iter()
        .map(|(slug, name, count)| TermView {
            name: name.to_string(),
            url: routes.url(&Routes::term(t, slug)),
            count,
        })
        .collect();
    terms.sort_by_cached_key(|t| (t.name.to_lowercase(), t.url.clone()));
    let path = Routes::taxonomy(t);
    out(path.clone(), "taxonomy_list.html", move || {
        let current_url = routes.url(&path);
        context! { site, current_url, taxonomy => taxonomy_view(t), terms }
    })
}

fn term<'a>(ctx: &'a Ctx<'a>, t: Taxonomy, slug: &str, r: &mut Reads) -> PageOut<'a> {
    let base = ctx.base();
    let site = base.site(r);
    let routes = base.routes(r);
    let (name, items) = ctx.term(t, slug, r);
    let items: Vec<Value> = items.iter().map(|&i| ctx.item(i, r)).collect();
    let path = Routes::term(t, slug);
    let name = name.to_string();
    out(path.clone(), "taxonomy_term.html", move || {
        let current_url = routes.url(&path);
        let term = TermView {
            name,
            url: current_url.clone(),
            count: items.len(),
        };
        context! { site, current_url, taxonomy => taxonomy_view(t), term, commentaries => items }
    })
}

fn free_page<'a>(ctx: &'a Ctx<'a>, i: usize, r: &mut Reads) -> PageOut<'a> {
    let base = ctx.base();
    let site = base.site(r);
    let routes = base.routes(r);
    let (p, rendered) = ctx.page(i, r);
    let path = Routes::page(&p.slug);
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
        context! { site, current_url, page => view }
    })
}

fn sources<'a>(ctx: &'a Ctx<'a>, r: &mut Reads) -> PageOut<'a> {
    let base = ctx.base();
    let site = base.site(r);
    let routes = base.routes(r);
    let sources = base.sources(r);
    let n = ctx.article_count(r);
    let cited: Vec<&[String]> = (0..n).map(|i| ctx.cited(i, r)).collect();
    let mut cited_by: HashMap<&str, Vec<Link>> = HashMap::new();
    for key in sources.keys() {
        let by = (0..n)
            .filter(|&i| cited[i].contains(key))
            .map(|i| {
                let h = ctx.headline(i, r);
                Link {
                    name: h.title.to_string(),
                    url: h.url.to_string(),
                }
            })
            .collect();
        cited_by.insert(key, by);
    }
    out(routes::SOURCES.into(), "sources.html", move || {
        let keys: Vec<&str> = sources.keys().iter().map(String::as_str).collect();
        let mut works = cite_site::works(&sources.bibliography(&keys), routes);
        for w in &mut works {
            w.cited_by = cited_by.remove(w.key.as_str()).unwrap_or_default();
        }
        let current_url = routes.url(routes::SOURCES);
        context! { site, current_url, works }
    })
}

/// A page that shows nothing but the site (not found, search).
fn plain<'a>(
    base: &'a Base<'a>,
    path: &'static str,
    template: &'static str,
    r: &mut Reads,
) -> PageOut<'a> {
    let site = base.site(r);
    let current_url = base.routes(r).url(path);
    out(path.into(), template, move || {
        context! { site, current_url }
    })
}
