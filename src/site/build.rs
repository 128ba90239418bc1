//! The build: load → index → render Markdown → backlinks → render pages → write.
//!
//! Each stage is a function call here, in order; none of them knows about the others. `check`
//! runs the same stages, writing into a temporary folder whose links it then follows.

use super::feeds::{self, FeedItem, FeedSite};
use super::routes::Routes;
use super::sources as cite_site;
use super::write::Staging;
use crate::cite::Sources;
use crate::codes;
use crate::config::{self, Autolink, SiteConfig};
use crate::content::discover::shown;
use crate::content::{self, Commentary, Date, Kind, Page};
use crate::error::Diagnostic;
use crate::glossary::coverage::{self, Suggest};
use crate::glossary::{FactLink, Glossary};
use crate::markdown::{self, summary, AutoLink, Input, Mention, Rendered};
use crate::search;
use crate::theme::context::*;
use crate::theme::Theme;
use minijinja::{context, Value};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Site root.
    pub root: PathBuf,
    /// Output folder; `root/site` when none.
    pub out: Option<PathBuf>,
    /// Overrides `base_url`.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Write the output (`build`) or only check (`check`).
    pub write: bool,
    /// Also report the editorial state (`check`): unused entries, missing summaries, plain
    /// mentions of explicit-only entries, glossary coverage.
    pub editorial: bool,
}

/// Pages written, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Commentary pages.
    pub commentaries: usize,
    /// Glossary entry pages plus the index.
    pub glossary: usize,
    /// Home pages.
    pub home: usize,
    /// Tag and author pages, indexes included.
    pub taxonomies: usize,
    /// Free pages and the not-found page.
    pub pages: usize,
    /// Static files copied.
    pub statics: usize,
    /// Time taken.
    pub elapsed: Duration,
    /// `check` only: names in at least two commentaries that no entry covers, with the
    /// number of commentaries, most frequent first.
    pub coverage: Vec<(String, Suggest, usize)>,
    /// The source file of each page rendered from Markdown: (output file, source path as
    /// shown), sorted; for reporting problems found in the output against their source.
    pub sources: Vec<(String, PathBuf)>,
    /// The `base_url` the site was built with, ending in `/`.
    pub base_url: String,
}

impl Counts {
    /// HTML pages in all.
    pub fn html_pages(&self) -> usize {
        self.commentaries + self.glossary + self.home + self.taxonomies + self.pages
    }
}

/// What lists, backlinks and the feed need of a commentary once its page is written. The
/// page's HTML is not kept (the site is streamed out), except for the feed's newest entries.
pub(super) struct Article {
    /// Front matter; the file text is dropped after rendering.
    pub(super) c: Commentary,
    pub(super) url: String,
    pub(super) summary: String,
    pub(super) mentions: Vec<Mention>,
    pub(super) candidates: Vec<(String, Suggest)>,
    /// Bibliography keys it cites, in the style's order.
    pub(super) cited: Vec<String>,
    /// Body HTML, for the newest `FEED_LEN` commentaries only.
    pub(super) feed_html: Option<String>,
    /// Its terms for the search index; its search document is already written.
    pub(super) search: search::Terms,
}

/// Commentaries in the Atom feed.
pub(super) const FEED_LEN: usize = 20;

/// A tag or an author, with its commentaries (indexes into the newest-first list).
pub(super) struct Term {
    pub(super) name: String,
    pub(super) items: Vec<usize>,
}

/// One HTML page to render.
pub(super) enum Job {
    Home(usize),
    GlossaryIndex,
    Entry(usize),
    TermList(&'static str),
    Term(&'static str, String),
    Page(usize),
    Sources,
    NotFound,
    Search,
}

/// Builds (or checks) a site. Returns the counts when it succeeded, and every diagnostic.
pub fn build(opts: &BuildOptions) -> (Option<Counts>, Vec<Diagnostic>) {
    let start = Instant::now();
    let mut diags = Vec::new();
    let counts = run(opts, &mut diags).map(|mut c| {
        c.elapsed = start.elapsed();
        c
    });
    diags.sort_by(|a, b| {
        (&a.path, a.line, a.col, a.severity, &a.message)
            .cmp(&(&b.path, b.line, b.col, b.severity, &b.message))
    });
    diags.dedup();
    let failed = diags.iter().any(Diagnostic::is_error);
    (counts.filter(|_| !failed), diags)
}

fn run(opts: &BuildOptions, diags: &mut Vec<Diagnostic>) -> Option<Counts> {
    let root = &opts.root;
    let shown_root = root.as_path();
    let mut config = SiteConfig::load(root, &shown(shown_root, Path::new("scholia.yaml")))
        .unwrap_or_else(|d| {
            diags.extend(d);
            SiteConfig::default()
        });
    if let Some(b) = &opts.base_url {
        config.base_url = config::normalize_base_url(b);
    }
    let routes = Routes::new(&config.base_url);
    let sources = cite_site::load(root, shown_root, &config, diags);

    // Refuse a bad output folder before any work, so its error comes with the others.
    let out = opts.out.clone().unwrap_or_else(|| root.join("site"));
    if opts.write {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        if let Err(msg) = super::write::guard(&out, root, home.as_deref()) {
            diags.push(Diagnostic::global(codes::OUTPUT, msg));
        }
    }

    let loaded = content::discover(root, config.max_file_bytes, diags);
    diags.extend(content::check(&loaded));
    diags.extend(cite_site::check_entries(&sources, &loaded.entries));
    let content::Content {
        mut commentaries,
        entries,
        mut pages,
        statics,
    } = loaded;
    if !opts.drafts {
        commentaries.retain(|c| !c.draft);
        pages.retain(|p| !p.draft);
    }
    // Newest first; ties by title then slug, so the order never depends on the file system.
    commentaries.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    pages.sort_by(|a, b| a.title.cmp(&b.title));

    let (glossary, gd) = Glossary::new(entries, &routes, |body| {
        summary::first_sentence(&summary::first_paragraph(body))
    });
    diags.extend(gd);

    let mut theme = match Theme::new(root, shown_root, &config.theme, routes.base()) {
        Ok(t) => Some(t),
        Err(d) => {
            diags.push(d);
            None
        }
    };
    let asset_files = match &mut theme {
        Some(t) => theme_assets(t, diags),
        None => Vec::new(),
    };

    let mode = |article_autolink: bool| match (config.autolink, article_autolink) {
        (Autolink::None, _) | (_, false) => AutoLink::Off,
        (Autolink::First, true) => AutoLink::First,
        (Autolink::All, true) => AutoLink::All,
    };

    let entry_renders: Vec<Rendered> = glossary
        .entries
        .par_iter()
        .enumerate()
        .map(|(i, e)| {
            markdown::render(&Input {
                file: &e.file,
                glossary: &glossary,
                autolink: mode(true),
                own_entry: Some(i),
                sanitize: config.sanitize_html,
                editorial: opts.editorial,
                sources: Some(&sources),
            })
        })
        .collect();
    // Commentary pages are rendered and written as soon as their Markdown is: the whole
    // site's HTML is never held at once. Writing starts only when nothing failed so far;
    // a later error throws the staging folder away.
    let site_value = Value::from_serialize(site_view(
        &config,
        &routes,
        &pages,
        !sources.keys().is_empty(),
    ));
    let staging = match (
        &theme,
        opts.write && !diags.iter().any(Diagnostic::is_error),
    ) {
        (Some(_), true) => match Staging::begin(&out, root) {
            Ok(s) => Some(s),
            Err(d) => {
                diags.push(d);
                return None;
            }
        },
        _ => None,
    };
    let write = |rel: &str, bytes: &[u8]| -> Result<(), Diagnostic> {
        match &staging {
            Some(s) => s.write(rel, bytes),
            None => Ok(()),
        }
    };
    let rendered: Vec<(Article, Vec<Diagnostic>)> = commentaries
        .into_par_iter()
        .enumerate()
        .map(|(i, mut c)| {
            let r = markdown::render(&Input {
                file: &c.file,
                glossary: &glossary,
                autolink: mode(c.autolink),
                own_entry: None,
                sanitize: config.sanitize_html,
                editorial: opts.editorial,
                sources: Some(&sources),
            });
            c.file.text = String::new();
            let url = routes.url(&Routes::commentary(&c.slug));
            let summary = c
                .summary
                .clone()
                .unwrap_or_else(|| summary::cut(&r.first_paragraph, 200));
            let mut diags = r.diags.clone();
            let (terms, doc) = if config.search {
                commentary_search(&c, &url, &summary, &r)
            } else {
                Default::default()
            };
            if let (Some(theme), false) = (&theme, diags.iter().any(Diagnostic::is_error)) {
                let page = render_commentary(theme, &site_value, &routes, &c, &url, &summary, &r)
                    .and_then(|(rel, html)| write(&rel, html.as_bytes()))
                    .and_then(|()| {
                        if config.search {
                            write(&search_doc_path(i), &doc)
                        } else {
                            Ok(())
                        }
                    });
                diags.extend(page.err());
            }
            let Rendered {
                html,
                mentions,
                candidates,
                works_cited,
                ..
            } = r;
            let article = Article {
                c,
                url,
                summary,
                mentions,
                candidates,
                cited: works_cited.into_iter().map(|(k, _)| k).collect(),
                feed_html: (i < FEED_LEN).then_some(html),
                search: terms,
            };
            (article, diags)
        })
        .collect();
    let mut articles = Vec::with_capacity(rendered.len());
    for (a, d) in rendered {
        diags.extend(d);
        articles.push(a);
    }
    let page_renders: Vec<Rendered> = pages
        .par_iter()
        .map(|p| {
            markdown::render(&Input {
                file: &p.file,
                glossary: &glossary,
                autolink: mode(true),
                own_entry: None,
                sanitize: config.sanitize_html,
                editorial: opts.editorial,
                sources: Some(&sources),
            })
        })
        .collect();
    for r in entry_renders.iter().chain(&page_renders) {
        diags.extend(r.diags.iter().cloned());
    }
    let (Some(theme), false) = (theme, diags.iter().any(Diagnostic::is_error)) else {
        if let Some(s) = staging {
            s.abort();
        }
        return None;
    };

    // Backlinks: newest commentary first, because `articles` is.
    let mut backlinks: Vec<Vec<(usize, &str)>> = vec![Vec::new(); glossary.entries.len()];
    for (ai, a) in articles.iter().enumerate() {
        for m in &a.mentions {
            backlinks[m.entry].push((ai, &m.sentence));
        }
    }
    let mut coverage = Vec::new();
    if opts.editorial {
        diags.extend(editorial(&glossary, &articles, &backlinks));
        let listed: Vec<String> = glossary
            .entries
            .iter()
            .flat_map(|e| cite_site::entry_keys(&sources, e))
            .collect();
        let used = articles
            .iter()
            .flat_map(|a| a.cited.iter())
            .chain(
                entry_renders
                    .iter()
                    .chain(&page_renders)
                    .flat_map(|r| r.works_cited.iter().map(|(k, _)| k)),
            )
            .chain(&listed)
            .map(String::as_str);
        diags.extend(cite_site::unused(&sources, used));
        let covered = |name: &str| {
            !glossary.matcher.find(name).is_empty() || !glossary.quiet.find(name).is_empty()
        };
        coverage = coverage::report(articles.iter().map(|a| a.candidates.as_slice()), 2, covered);
    }
    let tags = terms(&articles, |c| &c.tags);
    let authors = terms(&articles, |c| &c.authors);

    let ctx = Ctx {
        config: &config,
        routes: &routes,
        glossary: &glossary,
        articles: &articles,
        entry_renders: &entry_renders,
        pages: &pages,
        page_renders: &page_renders,
        backlinks: &backlinks,
        tags: &tags,
        authors: &authors,
        site: site_value,
        sources: &sources,
        items: articles
            .par_iter()
            .map(|a| Value::from_serialize(commentary_item(&routes, &a.c, &a.url, &a.summary)))
            .collect(),
    };

    let jobs = ctx.jobs();

    let results: Vec<Result<(Job, Option<Date>), Diagnostic>> = jobs
        .into_par_iter()
        .map(|job| {
            let (rel, html) = ctx.render(&theme, &job)?;
            write(&rel, html.as_bytes())?;
            let lastmod = ctx.lastmod(&job);
            Ok((job, lastmod))
        })
        .collect();
    let mut sources: Vec<(String, PathBuf)> = articles
        .iter()
        .map(|a| {
            let rel = format!("{}index.html", Routes::commentary(&a.c.slug));
            (rel, a.c.file.path.clone())
        })
        .chain(glossary.entries.iter().map(|e| {
            let rel = format!("{}index.html", Routes::entry(e.kind, &e.slug));
            (rel, e.file.path.clone())
        }))
        .chain(
            pages
                .iter()
                .map(|p| (format!("{}/index.html", p.slug), p.file.path.clone())),
        )
        .collect();
    sources.sort();
    let mut counts = Counts {
        coverage,
        sources,
        base_url: routes.base().to_string(),
        commentaries: articles.len(),
        ..Counts::default()
    };
    let mut sitemap: Vec<(String, Option<Date>)> = articles
        .iter()
        .map(|a| (a.url.clone(), Some(a.c.date)))
        .collect();
    for r in results {
        match r {
            Err(d) => diags.push(d),
            Ok((job, lastmod)) => {
                match &job {
                    Job::Home(_) => counts.home += 1,
                    Job::GlossaryIndex | Job::Entry(_) => counts.glossary += 1,
                    Job::TermList(_) | Job::Term(..) => counts.taxonomies += 1,
                    Job::Page(_) | Job::Sources | Job::NotFound | Job::Search => counts.pages += 1,
                }
                if !matches!(job, Job::NotFound | Job::Search) {
                    sitemap.push((ctx.url_of(&job), lastmod));
                }
            }
        }
    }

    // Feed, sitemap, stylesheets, static files.
    let mut extra_files = site_files(&config, &routes, &articles, &sitemap);
    extra_files.extend(asset_files);
    // The search index is not counted with the static files: it grows with the content.
    let search = if config.search {
        search_files(
            articles.iter().map(|a| &a.search),
            &entry_search(&glossary, &entry_renders),
        )
    } else {
        Vec::new()
    };
    let search_count = search.len();
    extra_files.extend(search);
    for (src, rel) in &statics {
        match std::fs::read(src) {
            Ok(b) => extra_files.push((slash(rel), b)),
            Err(e) => diags.push(Diagnostic::file(
                codes::IO,
                &shown(shown_root, src.strip_prefix(root).unwrap_or(src)),
                format!("cannot read the static file: {e}"),
            )),
        }
    }
    for (rel, bytes) in &extra_files {
        if let Err(d) = write(rel, bytes) {
            diags.push(d);
        }
    }
    counts.statics = extra_files.len() - search_count;

    if diags.iter().any(Diagnostic::is_error) {
        if let Some(s) = staging {
            s.abort();
        }
        return None;
    }
    if let Some(s) = staging {
        if let Err(d) = s.commit() {
            diags.push(d);
            return None;
        }
    }
    Some(counts)
}

/// The site-wide files made from every page: the Atom feed, the sitemap, robots.txt.
pub(super) fn site_files(
    config: &SiteConfig,
    routes: &Routes,
    articles: &[Article],
    sitemap: &[(String, Option<Date>)],
) -> Vec<(String, Vec<u8>)> {
    let feed_items: Vec<FeedItem> = articles
        .iter()
        .take(FEED_LEN)
        .map(|a| FeedItem {
            title: &a.c.title,
            url: &a.url,
            date: a.c.date,
            authors: &a.c.authors,
            summary: &a.summary,
            content: a.feed_html.as_deref().unwrap_or_default(),
        })
        .collect();
    let feed = feeds::atom(
        &FeedSite {
            title: &config.title,
            description: config.description.as_deref(),
            base_url: routes.base(),
            language: &config.language,
        },
        &feed_items,
    );
    vec![
        ("feed.xml".into(), feed.into_bytes()),
        ("sitemap.xml".into(), feeds::sitemap(sitemap).into_bytes()),
        (
            "robots.txt".into(),
            feeds::robots(routes.base()).into_bytes(),
        ),
    ]
}

/// A commentary's search terms and its search document's file: one function, because `build`
/// and `serve` must write the same bytes.
pub(super) fn commentary_search(
    c: &Commentary,
    url: &str,
    summary: &str,
    r: &Rendered,
) -> (search::Terms, Vec<u8>) {
    let doc = search_doc(&c.title, url, "commentary", c.date.text(), summary, r);
    (search::weigh(&doc), search::doc_file(&doc))
}

/// The search document of a rendered page: its text is the body's, then the notes'.
fn search_doc(
    title: &str,
    url: &str,
    kind: &'static str,
    date: String,
    summary: &str,
    r: &Rendered,
) -> search::Doc {
    let mut text = search::plain_text(&r.html);
    for n in &r.notes {
        text.push(' ');
        text.push_str(&search::plain_text(&n.html));
    }
    search::Doc {
        title: title.to_string(),
        url: url.to_string(),
        kind,
        date,
        summary: summary.to_string(),
        text,
    }
}

pub(super) fn search_doc_path(id: usize) -> String {
    format!("search/d/{id}.json.gz")
}

/// Each glossary entry's search document (the file) and its terms, in entry order.
pub(super) fn entry_search(g: &Glossary, renders: &[Rendered]) -> Vec<(Vec<u8>, search::Terms)> {
    (0..g.entries.len())
        .into_par_iter()
        .map(|i| {
            let e = &g.entries[i];
            let title = match &e.abbr {
                Some(a) => format!("{} ({a})", e.name),
                None => e.name.clone(),
            };
            let doc = search_doc(
                &title,
                &g.urls[i],
                e.kind.as_str(),
                String::new(),
                &g.summaries[i],
                &renders[i],
            );
            // Aliases are names a reader may search by: weigh them as the title.
            let mut named = doc.clone();
            for a in &e.aliases {
                named.title.push(' ');
                named.title.push_str(a);
            }
            let terms = search::weigh(&named);
            (search::doc_file(&doc), terms)
        })
        .collect()
}

/// The search index and the glossary entries' documents (commentaries' documents are
/// written with their pages). Entry ids follow the commentaries'.
pub(super) fn search_files<'a>(
    articles: impl ExactSizeIterator<Item = &'a search::Terms>,
    entries: &'a [(Vec<u8>, search::Terms)],
) -> Vec<(String, Vec<u8>)> {
    let n = articles.len();
    let mut files: Vec<(String, Vec<u8>)> = entries
        .iter()
        .enumerate()
        .map(|(j, (doc, _))| (search_doc_path(n + j), doc.clone()))
        .collect();
    let terms = articles.chain(entries.iter().map(|(_, t)| t));
    files.extend(
        search::index_files(terms)
            .into_iter()
            .map(|(p, b)| (format!("search/{p}"), b)),
    );
    files
}

/// A commentary as lists show it.
pub(super) fn commentary_item(
    routes: &Routes,
    c: &Commentary,
    url: &str,
    summary: &str,
) -> CommentaryItem {
    let link = |kind: &str, name: &String| Link {
        name: name.clone(),
        url: routes.url(&Routes::term(kind, &crate::slug::slugify(name))),
    };
    CommentaryItem {
        title: c.title.clone(),
        url: url.to_string(),
        date: c.date.into(),
        authors: c.authors.iter().map(|n| link("authors", n)).collect(),
        tags: c.tags.iter().map(|n| link("tags", n)).collect(),
        summary: summary.to_string(),
    }
}

/// A commentary's page: (output file, HTML).
pub(super) fn render_commentary(
    theme: &Theme,
    site: &Value,
    routes: &Routes,
    c: &Commentary,
    url: &str,
    summary: &str,
    r: &Rendered,
) -> Result<(String, String), Diagnostic> {
    let view = CommentaryView {
        item: commentary_item(routes, c, url, summary),
        content: Value::from_safe_string(r.html.clone()),
        notes: r.notes.iter().map(NoteView::from).collect(),
        source: c.source.as_ref().map(|s| SourceView {
            publisher: s.publisher.clone(),
            url: s.url.clone(),
            date: s.date.map(DateView::from),
        }),
        reading_minutes: reading_minutes(r.words),
        works_cited: cite_site::works(&r.works_cited, &routes.url(SOURCES_PATH)),
        extra: c.extra.clone(),
    };
    let html = theme.render(
        "commentary.html",
        context! { site, current_url => url, commentary => view },
    )?;
    Ok((format!("{}index.html", Routes::commentary(&c.slug)), html))
}

/// `check`'s editorial warnings: entries no commentary mentions, commentaries without a
/// summary.
fn editorial(
    glossary: &Glossary,
    articles: &[Article],
    backlinks: &[Vec<(usize, &str)>],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, e) in glossary.entries.iter().enumerate() {
        if backlinks[i].is_empty() {
            out.push(Diagnostic::warning(
                codes::UNUSED_ENTRY,
                &e.file.path,
                0,
                0,
                format!(
                    "no commentary mentions `{}`; link it from a commentary or remove the entry",
                    e.name
                ),
            ));
        }
    }
    for a in articles {
        if a.c.summary.is_none() {
            out.push(Diagnostic::warning(
                codes::NO_SUMMARY,
                &a.c.file.path,
                1,
                1,
                "the commentary has no `summary:`; lists and feeds use its first paragraph, cut at 200 characters (add one or two sentences)",
            ));
        }
    }
    out
}

pub(super) fn slash(p: &Path) -> String {
    p.iter()
        .map(|s| s.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Groups commentaries by the slug of a tag or author name.
pub(super) fn terms(
    articles: &[Article],
    names: impl Fn(&Commentary) -> &Vec<String>,
) -> BTreeMap<String, Term> {
    let mut map: BTreeMap<String, Term> = BTreeMap::new();
    for (i, a) in articles.iter().enumerate() {
        for name in names(&a.c) {
            let t = map
                .entry(crate::slug::slugify(name))
                .or_insert_with(|| Term {
                    name: name.clone(),
                    items: Vec::new(),
                });
            if t.items.last() != Some(&i) {
                t.items.push(i);
            }
        }
    }
    map
}

/// The sources page.
pub(super) const SOURCES_PATH: &str = "sources/";

pub(super) fn site_view(
    config: &SiteConfig,
    routes: &Routes,
    pages: &[Page],
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
                url: routes.url(&format!("{}/", p.slug)),
            })
            .collect(),
        nav: Nav {
            home: routes.url(""),
            glossary: routes.url("glossary/"),
            tags: routes.url("tags/"),
            authors: routes.url("authors/"),
            feed: routes.url("feed.xml"),
            sources: has_sources.then(|| routes.url(SOURCES_PATH)),
            search: config.search.then(|| routes.url("search/")),
        },
    }
}

/// Everything page rendering reads, shared by the parallel jobs.
pub(super) struct Ctx<'a> {
    pub(super) config: &'a SiteConfig,
    pub(super) routes: &'a Routes,
    pub(super) glossary: &'a Glossary,
    pub(super) articles: &'a [Article],
    pub(super) entry_renders: &'a [Rendered],
    pub(super) pages: &'a [Page],
    pub(super) page_renders: &'a [Rendered],
    pub(super) backlinks: &'a [Vec<(usize, &'a str)>],
    pub(super) tags: &'a BTreeMap<String, Term>,
    pub(super) authors: &'a BTreeMap<String, Term>,
    pub(super) site: Value,
    pub(super) sources: &'a Sources,
    /// `CommentaryItem` of each article, serialised once.
    pub(super) items: Vec<Value>,
}

fn taxonomy_view(kind: &'static str) -> TaxonomyView {
    TaxonomyView {
        kind,
        label: if kind == "tags" { "Tags" } else { "Authors" },
    }
}

fn reading_minutes(words: usize) -> usize {
    words.div_ceil(220).max(1)
}

/// The theme's static files and the generated syntax stylesheet, each stylesheet and script
/// also under its fingerprinted name, which the theme's `asset()` then returns. They are
/// known before any page renders, so pages can link the fingerprinted names.
pub(super) fn theme_assets(
    theme: &mut Theme,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = vec![(
        "syntax.css".into(),
        markdown::highlight::stylesheet().into_bytes(),
    )];
    match theme.static_files() {
        Ok(f) => files.extend(f.into_iter().map(|(p, b)| (slash(&p), b))),
        Err(d) => diags.push(d),
    }
    let (copies, map) = super::assets::fingerprint(&files);
    files.extend(copies);
    theme.set_assets(map);
    files
}

impl Ctx<'_> {
    /// Every page but the commentaries: one plan for `build` and `serve`, so that both write
    /// the same pages.
    pub(super) fn jobs(&self) -> Vec<Job> {
        let home_pages = self.articles.len().div_ceil(self.config.paginate).max(1);
        let mut jobs: Vec<Job> = (1..=home_pages).map(Job::Home).collect();
        jobs.push(Job::GlossaryIndex);
        jobs.extend((0..self.glossary.entries.len()).map(Job::Entry));
        jobs.push(Job::TermList("tags"));
        jobs.extend(self.tags.keys().map(|k| Job::Term("tags", k.clone())));
        jobs.push(Job::TermList("authors"));
        jobs.extend(self.authors.keys().map(|k| Job::Term("authors", k.clone())));
        jobs.extend((0..self.pages.len()).map(Job::Page));
        if !self.sources.keys().is_empty() {
            jobs.push(Job::Sources);
        }
        jobs.push(Job::NotFound);
        if self.config.search {
            jobs.push(Job::Search);
        }
        jobs
    }

    /// The output path (no leading `/`, ending in `/` for pages) of a job.
    pub(super) fn path_of(&self, job: &Job) -> String {
        match job {
            Job::Home(n) => Routes::home(*n),
            Job::GlossaryIndex => "glossary/".into(),
            Job::Entry(i) => {
                let e = &self.glossary.entries[*i];
                Routes::entry(e.kind, &e.slug)
            }
            Job::TermList(kind) => format!("{kind}/"),
            Job::Term(kind, slug) => Routes::term(kind, slug),
            Job::Page(i) => format!("{}/", self.pages[*i].slug),
            Job::Sources => SOURCES_PATH.into(),
            Job::NotFound => "404.html".into(),
            Job::Search => "search/".into(),
        }
    }

    /// The sitemap's `lastmod` of a page: the date of the newest commentary it shows.
    /// Free pages have no date, so no `lastmod`.
    pub(super) fn lastmod(&self, job: &Job) -> Option<Date> {
        let newest = |items: &[usize]| items.iter().map(|&i| self.articles[i].c.date).max();
        match job {
            Job::Home(n) => self
                .articles
                .get((n - 1) * self.config.paginate)
                .map(|a| a.c.date),
            Job::GlossaryIndex | Job::TermList(_) => self.articles.first().map(|a| a.c.date),
            Job::Entry(i) => {
                let items: Vec<usize> = self.backlinks[*i].iter().map(|&(a, _)| a).collect();
                newest(&items)
            }
            Job::Term(kind, slug) => {
                let map = if *kind == "tags" {
                    self.tags
                } else {
                    self.authors
                };
                newest(&map[slug].items)
            }
            Job::Sources => self
                .articles
                .iter()
                .filter(|a| !a.cited.is_empty())
                .map(|a| a.c.date)
                .max(),
            Job::Page(_) | Job::NotFound | Job::Search => None,
        }
    }

    pub(super) fn url_of(&self, job: &Job) -> String {
        self.routes.url(&self.path_of(job))
    }

    /// A commentary as lists show it: built once, shared by every list page.
    fn item(&self, i: usize) -> Value {
        self.items[i].clone()
    }

    fn entry_item(&self, i: usize) -> EntryItem {
        let e = &self.glossary.entries[i];
        EntryItem {
            name: e.name.clone(),
            abbr: e.abbr.clone(),
            kind: e.kind.as_str(),
            kind_label: e.kind.label(),
            url: self.glossary.urls[i].clone(),
            summary: self.glossary.summaries[i].clone(),
            mentions: self.backlinks[i].len(),
        }
    }

    fn notes(r: &Rendered) -> Vec<NoteView> {
        r.notes.iter().map(NoteView::from).collect()
    }

    pub(super) fn render(&self, theme: &Theme, job: &Job) -> Result<(String, String), Diagnostic> {
        let path = self.path_of(job);
        let current_url = self.routes.url(&path);
        let site = &self.site;
        let html = match job {
            Job::Home(n) => {
                let per = self.config.paginate;
                let total = self.articles.len().div_ceil(per).max(1);
                let items: Vec<Value> = (((n - 1) * per)..(n * per).min(self.articles.len()))
                    .map(|i| self.item(i))
                    .collect();
                let paginator = Paginator {
                    number: *n,
                    total,
                    prev_url: (*n > 1).then(|| self.routes.url(&Routes::home(n - 1))),
                    next_url: (*n < total).then(|| self.routes.url(&Routes::home(n + 1))),
                };
                theme.render(
                    "home.html",
                    context! { site, current_url, commentaries => items, paginator },
                )?
            }
            Job::GlossaryIndex => {
                let groups: Vec<Group> = [(Kind::Body, "Bodies"), (Kind::Treaty, "Treaties")]
                    .into_iter()
                    .map(|(kind, label)| {
                        let mut entries: Vec<EntryItem> = (0..self.glossary.entries.len())
                            .filter(|&i| self.glossary.entries[i].kind == kind)
                            .map(|i| self.entry_item(i))
                            .collect();
                        entries.sort_by_cached_key(|e| (e.name.to_lowercase(), e.url.clone()));
                        Group {
                            kind: kind.as_str(),
                            label,
                            entries,
                        }
                    })
                    .collect();
                theme.render("glossary.html", context! { site, current_url, groups })?
            }
            Job::Entry(i) => {
                let e = &self.glossary.entries[*i];
                let r = &self.entry_renders[*i];
                let facts = self
                    .glossary
                    .facts(*i)
                    .into_iter()
                    .map(|f| FactView {
                        label: f.label,
                        text: f.text,
                        url: f.link.map(|l| match l {
                            FactLink::Entry(j) => self.glossary.urls[j].clone(),
                            FactLink::External(u) => u,
                        }),
                    })
                    .collect();
                let related = e
                    .related
                    .iter()
                    .filter_map(|s| self.glossary.find(s))
                    .map(|j| self.entry_item(j))
                    .collect();
                let backlinks = self.backlinks[*i]
                    .iter()
                    .map(|&(ai, sentence)| {
                        let a = &self.articles[ai];
                        Backlink {
                            title: a.c.title.clone(),
                            url: a.url.clone(),
                            date: a.c.date.into(),
                            sentence: sentence.to_string(),
                        }
                    })
                    .collect();
                let mut keys = cite_site::entry_keys(self.sources, e);
                for (k, _) in &r.works_cited {
                    if !keys.contains(k) {
                        keys.push(k.clone());
                    }
                }
                let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
                let works = self.sources.bibliography(&keys);
                let view = EntryView {
                    sources: cite_site::works(&works, &self.routes.url(SOURCES_PATH)),
                    item: self.entry_item(*i),
                    aliases: e.aliases.clone(),
                    content: Value::from_safe_string(r.html.clone()),
                    notes: Self::notes(r),
                    facts,
                    related,
                    backlinks,
                    extra: e.extra.clone(),
                };
                theme.render("entry.html", context! { site, current_url, entry => view })?
            }
            Job::TermList(kind) => {
                let map = if *kind == "tags" {
                    self.tags
                } else {
                    self.authors
                };
                let mut terms: Vec<TermView> = map
                    .iter()
                    .map(|(slug, t)| TermView {
                        name: t.name.clone(),
                        url: self.routes.url(&Routes::term(kind, slug)),
                        count: t.items.len(),
                    })
                    .collect();
                terms.sort_by_cached_key(|t| (t.name.to_lowercase(), t.url.clone()));
                theme.render(
                    "taxonomy_list.html",
                    context! { site, current_url, taxonomy => taxonomy_view(kind), terms },
                )?
            }
            Job::Term(kind, slug) => {
                let map = if *kind == "tags" {
                    self.tags
                } else {
                    self.authors
                };
                let t = &map[slug];
                let term = TermView {
                    name: t.name.clone(),
                    url: current_url.clone(),
                    count: t.items.len(),
                };
                let items: Vec<Value> = t.items.iter().map(|&i| self.item(i)).collect();
                theme.render(
                    "taxonomy_term.html",
                    context! { site, current_url, taxonomy => taxonomy_view(kind), term, commentaries => items },
                )?
            }
            Job::Page(i) => {
                let p = &self.pages[*i];
                let r = &self.page_renders[*i];
                let view = PageView {
                    title: p.title.clone(),
                    url: current_url.clone(),
                    summary: p
                        .summary
                        .clone()
                        .unwrap_or_else(|| summary::cut(&r.first_paragraph, 200)),
                    content: Value::from_safe_string(r.html.clone()),
                    notes: Self::notes(r),
                    extra: p.extra.clone(),
                };
                theme.render("page.html", context! { site, current_url, page => view })?
            }
            Job::Sources => {
                let keys: Vec<&str> = self.sources.keys().iter().map(String::as_str).collect();
                let mut works = cite_site::works(&self.sources.bibliography(&keys), &current_url);
                for w in &mut works {
                    w.cited_by = self
                        .articles
                        .iter()
                        .filter(|a| a.cited.contains(&w.key))
                        .map(|a| Link {
                            name: a.c.title.clone(),
                            url: a.url.clone(),
                        })
                        .collect();
                }
                theme.render("sources.html", context! { site, current_url, works })?
            }
            Job::NotFound => theme.render("404.html", context! { site, current_url })?,
            Job::Search => theme.render("search.html", context! { site, current_url })?,
        };
        let file = if path.ends_with('/') || path.is_empty() {
            format!("{path}index.html")
        } else {
            path
        };
        Ok((file, html))
    }
}
