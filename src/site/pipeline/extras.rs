//! After the commentaries: the other pages, the sitemap, the feed, robots.txt, the theme's
//! and the site's static files, and `check`'s editorial report.

use super::*;

/// Renders every page but the commentaries, each only when the output wants it.
pub(super) fn render_pages(
    ctx: &Ctx,
    jobs: &[pages::Job],
    theme: &Theme,
    sink: &dyn Sink,
    keep: bool,
    report: &mut Report,
    diags: &mut Vec<Diagnostic>,
) {
    let results: Vec<Result<(PageKind, bool), Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let mut r = Reads::new(keep);
            let page = pages::page(ctx, job, &mut r);
            let rel = page.file();
            let key = r.key(&page.path, page.template);
            let wanted = sink.wants(&rel, key);
            if wanted {
                let html = page.render(theme)?;
                sink.put(&rel, key, html.into_bytes())?;
            }
            Ok((job.kind(), wanted))
        })
        .collect();
    for r in results {
        match r {
            Ok((kind, rendered)) => {
                report.pages_rendered += usize::from(rendered);
                let count = match kind {
                    PageKind::Home => &mut report.counts.home,
                    PageKind::Glossary => &mut report.counts.glossary,
                    PageKind::Taxonomy => &mut report.counts.taxonomies,
                    PageKind::Other => &mut report.counts.pages,
                };
                *count += 1;
            }
            Err(d) => diags.push(d),
        }
    }
}

/// Every page of the sitemap with its `lastmod`: commentaries, then the other pages.
pub(super) fn sitemap(
    ctx: &Ctx,
    jobs: &[pages::Job],
    articles: &[Article],
    routes: &Routes,
) -> Vec<(String, Option<Date>)> {
    let mut sitemap: Vec<(String, Option<Date>)> = articles
        .iter()
        .map(|a| (a.url.clone(), Some(a.c.modified())))
        .collect();
    sitemap.extend(
        jobs.iter()
            .filter(|j| j.in_sitemap())
            .map(|j| (routes.url(&pages::path(ctx, j)), pages::lastmod(ctx, j))),
    );
    sitemap
}

/// Hands files to the output (each when it wants it), with the marker file. A file named
/// twice is written once, as its last version: a site's own `content/static/robots.txt`
/// replaces the generated one.
pub(super) fn put_all(
    mut files: Vec<(String, Vec<u8>)>,
    sink: &dyn Sink,
    keep: bool,
    diags: &mut Vec<Diagnostic>,
) {
    files.push((
        crate::site::write::MARKER.to_string(),
        crate::site::write::MARKER_TEXT.as_bytes().to_vec(),
    ));
    let mut named = HashSet::new();
    files.reverse();
    files.retain(|(rel, _)| named.insert(rel.clone()));
    let parts = files
        .into_iter()
        .map(|(rel, bytes)| (rel, crate::search::Part::Ready(bytes)))
        .collect();
    put_parts(parts, sink, keep, diags);
}

/// Hands files to the output (in parallel), making those not yet made (the search index's
/// shards, compressed) only when it wants them. Keyed by their bytes, or a shard's text.
pub(super) fn put_parts(
    parts: Vec<(String, crate::search::Part)>,
    sink: &dyn Sink,
    keyed: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let failed: Vec<Diagnostic> = parts
        .into_par_iter()
        .filter_map(|(rel, part)| {
            let key = keyed.then(|| part.key());
            // A glossary entry's document is numbered after the commentaries: one more
            // commentary moves them all.
            if sink.wants(&rel, key) && !key.is_some_and(|k| sink.reuse_moved(&rel, k)) {
                sink.put(&rel, key, part.into_bytes()).err()
            } else {
                None
            }
        })
        .collect();
    diags.extend(failed);
}

/// The files of `content/static/`; a kept pipeline reads one again only when it changed.
pub(super) fn read_statics(
    root: &Path,
    statics: &[(PathBuf, PathBuf)],
    memo: &mut HashMap<PathBuf, (Stamp, Vec<u8>)>,
    keep: bool,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, Vec<u8>)> {
    let old = std::mem::take(memo);
    let mut out = Vec::new();
    for (src, rel) in statics {
        let st = if keep { stamp(src) } else { (None, 0) };
        let bytes = match old.get(src) {
            Some((s, b)) if fresh(s, &st) => b.clone(),
            _ => match std::fs::read(src) {
                Ok(b) => b,
                Err(e) => {
                    diags.push(Diagnostic::file(
                        codes::IO,
                        &shown(root, src.strip_prefix(root).unwrap_or(src)),
                        format!("cannot read the static file: {e}"),
                    ));
                    continue;
                }
            },
        };
        if keep {
            memo.insert(src.clone(), (st, bytes.clone()));
        }
        out.push((slash(rel), bytes));
    }
    out
}

pub(super) fn slash(p: &Path) -> String {
    p.iter()
        .map(|s| s.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The sitemap (every page of every language, each with its alternates) and robots.txt.
pub(super) fn global_files(
    routes: &Routes,
    sitemap: &[(String, Option<Date>)],
    alternates: &HashMap<String, Vec<crate::theme::context::Alternate>>,
) -> Vec<(String, Vec<u8>)> {
    // A URL's path without its language's folder finds its alternates.
    let by_url: HashMap<&str, &[crate::theme::context::Alternate]> = alternates
        .values()
        .flat_map(|v| v.iter().map(move |a| (a.url.as_str(), v.as_slice())))
        .collect();
    let urls: Vec<feeds::SitemapUrl> = sitemap
        .iter()
        .map(|(url, lastmod)| feeds::SitemapUrl {
            url,
            lastmod: *lastmod,
            alternates: by_url
                .get(url.as_str())
                .map(|v| {
                    let mut list: Vec<(&str, &str)> = v
                        .iter()
                        .map(|a| (a.code.as_str(), a.url.as_str()))
                        .collect();
                    list.extend(
                        v.iter()
                            .filter(|a| a.default)
                            .map(|a| ("x-default", a.url.as_str())),
                    );
                    list
                })
                .unwrap_or_default(),
        })
        .collect();
    vec![
        (routes::SITEMAP.into(), feeds::sitemap(&urls).into_bytes()),
        (
            routes::ROBOTS.into(),
            feeds::robots(routes.base()).into_bytes(),
        ),
    ]
}

/// A language's files made from its commentaries: the Atom feed, and the corrections feed
/// when there is a correction.
pub(super) fn site_files(
    config: &SiteConfig,
    routes: &Routes,
    articles: &[Article],
    feed_len: usize,
) -> Vec<(String, Vec<u8>)> {
    let feed_items: Vec<FeedItem> = articles
        .iter()
        .take(feed_len)
        .map(|a| FeedItem {
            title: a.c.title.clone(),
            url: a.url.clone(),
            published: a.c.date,
            updated: a.c.modified(),
            authors: &a.c.authors,
            summary: &a.summary,
            content: a.body.as_ref().map_or("", |b| b.html.as_str()),
        })
        .collect();
    let site = |url: &str, id: &str, home: &str| FeedSite {
        title: config.title.clone(),
        author: &config.title,
        description: config.description.as_deref(),
        url: routes.url(url),
        id: id.to_string(),
        home: home.to_string(),
        language: &config.language,
    };
    // The main feed's id stays the site's URL, as it always was: readers key on it.
    let feed = feeds::atom(
        &site(routes::FEED, routes.base(), routes.base()),
        &feed_items,
    );
    let mut files = vec![(routes::FEED.into(), feed.into_bytes())];
    let mut corrections: Vec<FeedItem> = articles
        .iter()
        .flat_map(|a| {
            a.corrections.iter().map(move |k| FeedItem {
                title: format!("Correction: {}", a.c.title),
                url: routes.url(&Routes::correction(&a.c.slug, &k.id)),
                published: k.date,
                updated: k.date,
                authors: &a.c.authors,
                summary: "",
                content: &k.html,
            })
        })
        .collect();
    if !corrections.is_empty() {
        corrections.sort_by_key(|k| std::cmp::Reverse(k.updated));
        let (url, page) = (
            routes.url(routes::CORRECTIONS_FEED),
            routes.url(routes::CORRECTIONS),
        );
        let mut s = site(routes::CORRECTIONS_FEED, &url, &page);
        s.title = format!("{}: corrections", config.title);
        let feed = feeds::atom(&s, &corrections);
        files.push((routes::CORRECTIONS_FEED.into(), feed.into_bytes()));
    }
    files
}

/// The source file of each page rendered from Markdown: (output file, source path).
pub(super) fn page_sources(
    articles: &[Article],
    glossary: &Glossary,
    pages: &[&Page],
) -> Vec<(String, PathBuf)> {
    let mut v: Vec<(String, PathBuf)> = articles
        .iter()
        .map(|a| {
            (
                Routes::file(&Routes::commentary(&a.c.slug)),
                a.c.file.path.clone(),
            )
        })
        .chain(glossary.entries.iter().map(|e| {
            (
                Routes::file(&Routes::entry(e.kind, &e.slug)),
                e.file.path.clone(),
            )
        }))
        .chain(
            pages
                .iter()
                .map(|p| (Routes::file(&Routes::page(&p.slug)), p.file.path.clone())),
        )
        .collect();
    v.sort();
    v
}

/// `check`'s editorial report: entries no commentary mentions, commentaries without a
/// summary, works never cited; returns the glossary coverage.
pub(super) fn editorial(
    ctx: &Ctx,
    gm: &GlossaryMemo,
    articles: &[Article],
    page_renders: &[Rendered],
    sources: &Sources,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, Suggest, usize)> {
    let glossary = &gm.glossary;
    let backlinks = ctx.all_backlinks();
    for (i, e) in glossary.entries.iter().enumerate() {
        if backlinks[i].is_empty() {
            diags.push(Diagnostic::warning(
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
            diags.push(Diagnostic::warning(
                codes::NO_SUMMARY,
                &a.c.file.path,
                1,
                1,
                "the commentary has no `summary:`; lists and feeds use its first paragraph, cut at 200 characters (add one or two sentences)",
            ));
        }
    }
    let listed: Vec<String> = glossary
        .entries
        .iter()
        .flat_map(|e| cite_site::entry_keys(sources, e))
        .collect();
    let used = articles
        .iter()
        .flat_map(|a| a.cited.iter())
        .chain(
            gm.renders
                .iter()
                .chain(page_renders)
                .flat_map(|r| r.works_cited.iter().map(|(k, _)| k)),
        )
        .chain(&listed)
        .map(String::as_str);
    diags.extend(cite_site::unused(sources, used));
    diags.extend(claims::stale_parties(&glossary.entries, Date::today()));
    let covered = |name: &str| {
        !glossary.matcher.find(name).is_empty() || !glossary.quiet.find(name).is_empty()
    };
    coverage::report(articles.iter().map(|a| a.candidates.as_slice()), 2, covered)
}
