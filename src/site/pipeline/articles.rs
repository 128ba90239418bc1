//! The commentaries stage.

use super::*;

/// The commentaries stage: each one's Markdown rendered (or kept), its page and search
/// document handed to the output as soon as they are made.
pub(super) struct Articles<'a> {
    pub(super) opts: &'a Options,
    pub(super) keep: bool,
    /// Whether pages and files are keyed.
    pub(super) keyed: bool,
    /// The build cache, when the build has one.
    pub(super) cache: Option<CacheUse<'a>>,
    pub(super) config: &'a SiteConfig,
    /// The site's languages as content files name them (the default first), to read a
    /// commentary file again.
    pub(super) file_langs: &'a [String],
    pub(super) routes: &'a Routes,
    pub(super) glossary: &'a Glossary,
    pub(super) sources: &'a Sources,
    pub(super) base: &'a Base<'a>,
    /// The link cards' fonts, when cards are on.
    pub(super) fonts: Option<&'a card::Fonts>,
    /// The theme's text in the commentaries' language (for the cards' dates).
    pub(super) text: &'a crate::theme::i18n::Text,
    /// The theme, when pages are written.
    pub(super) theme: Option<&'a Theme>,
    pub(super) sink: &'a dyn Sink,
    /// What PDFs need, when this run makes them.
    pub(super) pdf: Option<&'a PdfSetup>,
}

/// The build cache as the commentaries of one language use it.
pub(super) struct CacheUse<'a> {
    pub(super) cache: &'a cache::Cache,
    /// The fingerprint of everything a render reads but the commentary's own file and the
    /// glossary.
    pub(super) world: u64,
    /// The glossary's fingerprint.
    pub(super) glossary: u64,
    /// The previous build's glossary fingerprint and what its changes reach, when it was
    /// another one with the same entries.
    pub(super) since: Option<(u64, Touched)>,
}

impl CacheUse<'_> {
    /// The key of the record of a commentary whose file has fingerprint `source`, rendered
    /// with glossary `glossary`.
    fn key(&self, glossary: u64, source: u64) -> u64 {
        fp(&(self.world, glossary, source))
    }
}

impl Articles<'_> {
    /// Newest first; returns them with the number of Markdown renders.
    pub(super) fn run(
        &self,
        commentaries: Vec<(Cow<Commentary>, u64)>,
        old: Vec<Article>,
        reach: &Reach,
        diags: &mut Vec<Diagnostic>,
    ) -> (Vec<Article>, usize) {
        let mut list: Vec<(Cow<Commentary>, u64)> = commentaries
            .into_iter()
            .filter(|(c, _)| self.opts.drafts || !c.draft)
            .collect();
        // Newest first; ties by title then slug, so the order never depends on the file
        // system.
        list.sort_by(|(a, _), (b, _)| {
            b.date
                .cmp(&a.date)
                .then_with(|| a.title.cmp(&b.title))
                .then_with(|| a.slug.cmp(&b.slug))
        });
        // Where each commentary was in the last run: usually where it is now.
        let same = |i: usize, p: &Path| old.get(i).is_some_and(|a| a.c.file.path == p);
        let mut at: Option<rustc_hash::FxHashMap<&OsStr, usize>> = None;
        let found: Vec<Option<usize>> = list
            .iter()
            .enumerate()
            .map(|(i, (c, _))| {
                if same(i, &c.file.path) {
                    return Some(i);
                }
                let at = at.get_or_insert_with(|| {
                    old.iter()
                        .enumerate()
                        .map(|(i, a)| (a.c.file.path.as_os_str(), i))
                        .collect()
                });
                at.get(c.file.path.as_os_str()).copied()
            })
            .collect();
        drop(at);
        let mut old: Vec<Option<Article>> = old.into_iter().map(Some).collect();
        let work: Vec<(usize, Cow<Commentary>, u64, Option<Article>)> = list
            .into_iter()
            .zip(found)
            .enumerate()
            .map(|(i, ((c, f), j))| (i, c, f, j.and_then(|j| old[j].take())))
            .collect();
        let results: Vec<(Article, bool, Vec<Diagnostic>)> = work
            .into_par_iter()
            .map(|(i, c, f, prev)| {
                let mut from_cache = None;
                let (mut a, rendered) = match prev {
                    Some(a)
                        if !reach.all
                            && a.fp.source == f
                            && a.date_shown
                                == crate::theme::i18n::local_date(self.text, c.date)
                            && (reach.changed.is_empty()
                                || !reaches(
                                    &reach.touched,
                                    &a.mentions,
                                    &a.correction_links,
                                    &c,
                                ))
                            && self.whole(i, &a) =>
                    {
                        (a, false)
                    }
                    _ => match self.cached(i, &c, f) {
                        Some((a, found)) => {
                            from_cache = Some(found);
                            (a, false)
                        }
                        None => (self.render(c, f), true),
                    },
                };
                if let Some(cu) = &self.cache {
                    let key = cu.key(cu.glossary, f);
                    match from_cache {
                        Some(found) => cu.cache.carry_as(found, key),
                        None => cu.cache.put(key, &record(&a, i < self.opts.feed_len())),
                    }
                }
                let mut d = if self.keep {
                    a.diags.clone()
                } else {
                    std::mem::take(&mut a.diags)
                };
                if let (Some(theme), false) = (self.theme, has_errors(&d)) {
                    d.extend(self.emit(theme, i, &mut a).err());
                    d.extend(self.emit_pdf(&mut a));
                }
                if !self.keep {
                    // What only its own page shows, which is written: a build holds every
                    // article to the end (150 MB of these at 50,000 commentaries).
                    a.cite_html = String::new();
                    a.jsonld = String::new();
                    a.references = Vec::new();
                    if i >= self.opts.feed_len() {
                        a.body = None;
                    }
                }
                if let Some(p) = &self.opts.progress {
                    p.tick();
                }
                (a, rendered, d)
            })
            .collect();
        let mut articles = Vec::with_capacity(results.len());
        let mut renders = 0;
        for (a, rendered, d) in results {
            diags.extend(d);
            renders += usize::from(rendered);
            articles.push(a);
        }
        (articles, renders)
    }

    /// Renders a commentary's Markdown.
    pub(super) fn render(&self, c: Cow<Commentary>, source: u64) -> Article {
        let (c, unread) = self.read_again(c, source);
        let mut a = self.render_read(c, source);
        a.diags.extend(unread);
        a
    }

    /// A commentary whose file the content stage did not read (the build cache had it by
    /// its stamp), read now that it must be rendered; an error if it is no longer the file
    /// the stamp described (it changed while the build ran: the next build sees it).
    fn read_again<'c>(
        &self,
        c: Cow<'c, Commentary>,
        source: u64,
    ) -> (Cow<'c, Commentary>, Option<Diagnostic>) {
        if !c.file.text.is_empty() {
            return (c, None);
        }
        let path = &c.file.path;
        let (parsed, _) = crate::content::discover::load(
            path,
            path,
            crate::content::discover::Section::Commentary,
            self.config.max_file_bytes,
            self.file_langs,
        );
        // The fingerprint the content stage takes of a file it reads.
        let same = fp(&parsed) == source;
        match parsed {
            // Its text only: the stages since may have changed the rest (a translation
            // takes its original's slug).
            Some(crate::content::discover::Parsed::C(new)) if same => {
                let mut c = c.into_owned();
                c.file.text = new.file.text;
                (Cow::Owned(c), None)
            }
            _ => {
                let d = Diagnostic::file(
                    codes::IO,
                    path,
                    "the file changed while the site was being built; build again",
                );
                (c, Some(d))
            }
        }
    }

    fn render_read(&self, c: Cow<Commentary>, source: u64) -> Article {
        let input = Input::new(&c.file, self.glossary, self.config, self.sources)
            .written(c.date)
            .article_autolink(c.autolink)
            .editorial(self.opts.editorial)
            .paragraph_ids(true);
        let r = markdown::render(&input);
        let url = self.routes.url(&Routes::commentary(&c.slug));
        let summary = c
            .summary
            .clone()
            .unwrap_or_else(|| summary::cut(&r.first_paragraph, 200));
        let (search, doc) = if self.config.search {
            index::commentary(&c, &url, &summary, &r, self.text)
        } else {
            Default::default()
        };
        let item = pages::commentary_item(self.routes, &c, &url, &summary);
        let (corrections, correction_links, correction_diags) = self.corrections(&c);
        let (cite_html, cite_files, jsonld, references) =
            self.citable(&c, &url, &summary, &r, &corrections);
        let Rendered {
            html,
            notes,
            mentions,
            words,
            diags,
            candidates,
            works_cited,
            ..
        } = r;
        let mut diags = diags;
        diags.extend(correction_diags);
        if let Some(fonts) = self.fonts {
            diags.extend(card::check_commentary(fonts, &c));
        }
        let pdf = self
            .pdf
            .filter(|_| PdfSetup::wanted(self.config, &c, self.opts.print_all))
            .map(|setup| {
                let site = PrintSite {
                    config: self.config,
                    routes: self.routes,
                    setup,
                };
                let k: Vec<(Date, String)> = corrections
                    .iter()
                    .map(|k| (k.date, k.html.clone()))
                    .collect();
                let input = Input {
                    editorial: false,
                    ..input
                };
                let (doc, d) = site_pdf::print(&site, &input, &c, &k);
                diags.extend(d);
                doc
            });
        let has_pdf = pdf.is_some();
        if self.opts.editorial {
            // While the text is here (it is dropped below).
            diags.extend(claims::premature_in_force(&c, &self.glossary.entries));
        }
        let cited: Vec<String> = works_cited.iter().map(|(k, _)| k.clone()).collect();
        let body = Body {
            html,
            notes,
            words,
            works_cited,
        };
        let pdf_key = pdf
            .as_ref()
            .zip(self.pdf)
            .filter(|_| self.keyed)
            .map(|(doc, setup)| setup.key(doc));
        let fp = if self.keyed {
            ArticleFp {
                source,
                page: fp(&(
                    (source, &url, &summary, &body, &corrections, has_pdf),
                    (&cite_html, &jsonld, &references),
                )),
                item: fp(&item),
                mentions: fp(&mentions),
                cited: fp(&cited),
                corrections: fp(&corrections),
                cite_files: fp(&cite_files),
                search: fp(&doc),
            }
        } else {
            ArticleFp::default()
        };
        let mut c = c.into_owned();
        c.file.text = String::new();
        Article {
            date_shown: crate::theme::i18n::local_date(self.text, c.date),
            c,
            url,
            summary,
            mentions,
            candidates,
            cited,
            body: Some(body),
            corrections,
            correction_links,
            cite_html,
            cite_files,
            jsonld,
            references,
            item: Value::from_serialize(&item),
            search,
            search_doc: self.config.search.then_some(doc),
            diags,
            pdf,
            has_pdf,
            pdf_key,
            fp,
            cached: false,
        }
    }

    /// Commentary `i` from the build cache, when it holds it and the output already has
    /// every file of it as this run would make them (taken from the previous output);
    /// `None` to render it. One of the newest few needs its body (the feed shows it).
    /// With the key it was found under.
    fn cached(&self, i: usize, c: &Commentary, source: u64) -> Option<(Article, u64)> {
        let cu = self.cache.as_ref()?;
        let key = cu.key(cu.glossary, source);
        let (r, found): (cache::Record, u64) = match cu.cache.get(key) {
            Some(r) => (r, key),
            // Rendered with the previous glossary: taken unless its changes reach it (as
            // `serve` decides for the articles it keeps).
            None => {
                let (before, touched) = cu.since.as_ref()?;
                let found = cu.key(*before, source);
                let r: cache::Record = cu.cache.get(found)?;
                if reaches(touched, &r.mentions, &r.correction_links, c) {
                    return None;
                }
                (r, found)
            }
        };
        if i < self.opts.feed_len() && r.body.is_none() {
            return None;
        }
        let mut c = c.clone();
        c.file.text = String::new();
        let url = self.routes.url(&Routes::commentary(&c.slug));
        let item = pages::commentary_item(self.routes, &c, &url, &r.summary);
        let a = Article {
            date_shown: crate::theme::i18n::local_date(self.text, c.date),
            url,
            summary: r.summary.into_owned(),
            mentions: r.mentions.into_owned(),
            candidates: r.candidates.into_owned(),
            cited: r.cited.into_owned(),
            body: r
                .body
                .filter(|_| i < self.opts.feed_len())
                .map(Cow::into_owned),
            corrections: r.corrections.into_owned(),
            correction_links: r.correction_links.into_owned(),
            cite_html: r.cite_html.into_owned(),
            cite_files: Vec::new(),
            jsonld: r.jsonld.into_owned(),
            references: r.references.into_owned(),
            item: Value::from_serialize(&item),
            search: r.search.into_owned(),
            // Taken from the previous output (`taken`).
            search_doc: None,
            diags: r.diags.into_owned(),
            pdf: None,
            has_pdf: r.has_pdf,
            pdf_key: r.pdf_key,
            fp: r.fp,
            cached: true,
            c,
        };
        (self.theme.is_none() || self.taken(i, &a)).then_some((a, found))
    }

    /// Whether a kept article can stand for commentary `i` as it is: one rendered by this
    /// pipeline can; one it took from the cache (a `serve` that started from its last
    /// session's cache) lacks its files and maybe its body, so it can only while the output
    /// still holds them ([`Self::taken`]) and it has its body if the feed shows it.
    fn whole(&self, i: usize, a: &Article) -> bool {
        !a.cached
            || ((a.body.is_some() || i >= self.opts.feed_len())
                && (self.theme.is_none() || self.taken(i, a)))
    }

    /// Whether the output takes every file of commentary `i` but its link card (drawn
    /// without its render) from the previous output, by key: its search document too, under
    /// whatever number it had (the cache does not keep it: an added commentary moves the
    /// numbers of all the older ones).
    fn taken(&self, i: usize, a: &Article) -> bool {
        let mut r = Reads::new(true);
        let page = pages::commentary(self.base, a, &mut r);
        let wants = |rel: &str, key: u64| self.sink.wants(rel, Some(key));
        !wants(&page.file(), r.key(&page.path, page.template).unwrap_or(0))
            && citable::FILES.iter().all(|name| {
                !wants(
                    &Routes::commentary_file(&a.c.slug, name),
                    cite_file_key(a, name),
                )
            })
            && a.pdf_key
                .is_none_or(|k| !wants(&Routes::commentary_pdf(&a.c.slug), k))
            && (!self.config.search || {
                let rel = Routes::search_doc(i);
                !wants(&rel, a.fp.search) || self.sink.reuse_moved(&rel, a.fp.search)
            })
    }

    /// How the commentary is cited: "Cite this" in the site's style, the citation files, its
    /// JSON-LD and the plain text of the works it cites (Highwire `citation_reference`).
    pub(super) fn citable(
        &self,
        c: &Commentary,
        url: &str,
        summary: &str,
        r: &Rendered,
        corrections: &[CorrectionOut],
    ) -> (String, Vec<(&'static str, String)>, String, Vec<String>) {
        let work = citable::Work {
            key: &c.slug,
            title: &c.title,
            authors: &c.authors,
            date: c.date,
            publisher: &self.config.title,
            url,
            language: &self.config.language,
        };
        let cite_html = citable::entry(&work)
            .map(|e| self.sources.format_work(&self.config.language, &e))
            .unwrap_or_default();
        let references: Vec<String> = r
            .works_cited
            .iter()
            .map(|(_, html)| crate::search::plain_text(html).trim().to_string())
            .collect();
        let g = self.glossary;
        let meta = citable::ArticleMeta {
            modified: c.modified(),
            summary,
            site_url: self.routes.base(),
            references: &references,
            mentions: r
                .mentions
                .iter()
                .map(|m| citable::Thing {
                    kind: g.entries[m.entry].kind,
                    name: &g.entries[m.entry].name,
                    url: &g.urls[m.entry],
                })
                .collect(),
            corrections: corrections
                .iter()
                .map(|k| citable::CorrectionNote {
                    date: k.date,
                    text: crate::search::plain_text(&k.html).trim().to_string(),
                    url: self.routes.url(&Routes::correction(&c.slug, &k.id)),
                })
                .collect(),
        };
        let jsonld = citable::article_jsonld(&work, &meta);
        (cite_html, citable::files(&work), jsonld, references)
    }

    /// Renders a commentary's corrections: inline Markdown, explicit glossary links only
    /// (an automatic link in a one-line notice would be noise), no citations. Returns them
    /// with the entries they link and the problems found.
    pub(super) fn corrections(
        &self,
        c: &Commentary,
    ) -> (Vec<CorrectionOut>, Vec<Mention>, Vec<Diagnostic>) {
        let mut out: Vec<CorrectionOut> = Vec::with_capacity(c.corrections.len());
        let (mut links, mut diags) = (Vec::new(), Vec::new());
        for k in &c.corrections {
            // Blank lines before the text put its problems on the line of its `text:` key.
            let file = Text {
                path: c.file.path.clone(),
                text: format!("{}{}", "\n".repeat(k.line.saturating_sub(1)), k.text),
                body_start: 0,
            };
            let mut input =
                Input::new(&file, self.glossary, self.config, self.sources).article_autolink(false);
            input.sources = None;
            let mut r = markdown::render_inline(&input);
            // The text starts at its value's column (after a quote): move the columns of
            // problems on its first line there. (Escapes in a quoted string, or a block
            // scalar, can leave them a little off; the line is right.)
            let quoted = c
                .file
                .text
                .lines()
                .nth(k.line.saturating_sub(1))
                .is_some_and(|l| {
                    l.chars()
                        .nth(k.col.saturating_sub(1))
                        .is_some_and(|q| q == '"' || q == '\'')
                });
            for d in &mut r.diags {
                if d.line == k.line {
                    d.col += k.col.saturating_sub(1) + usize::from(quoted);
                }
            }
            let base = format!("correction-{}", k.date);
            let mut id = base.clone();
            let mut n = 2;
            while out.iter().any(|o| o.id == id) {
                id = format!("{base}-{n}");
                n += 1;
            }
            out.push(CorrectionOut {
                date: k.date,
                id,
                html: r.html,
            });
            links.extend(r.mentions);
            diags.extend(r.diags);
        }
        (out, links, diags)
    }

    /// Typesets commentary `a`'s PDF when the output wants it (its key changed).
    pub(super) fn emit_pdf(&self, a: &mut Article) -> Vec<Diagnostic> {
        let (Some(setup), Some(doc), false) = (self.pdf, &a.pdf, self.opts.print_all) else {
            return Vec::new();
        };
        let rel = Routes::commentary_pdf(&a.c.slug);
        let key = a.pdf_key.unwrap_or_else(|| setup.key(doc));
        let mut diags = Vec::new();
        if self.sink.wants(&rel, Some(key)) {
            let made = if self.opts.pdf_stand_in {
                Ok(format!("{key:016x}\n").into_bytes())
            } else {
                setup.typeset(doc)
            };
            match made {
                Ok(bytes) => diags.extend(self.sink.put(&rel, Some(key), bytes).err()),
                Err(d) => diags.extend(d),
            }
        }
        if !self.keep {
            a.pdf = None;
        }
        diags
    }

    /// Hands commentary `i`'s page and search document to the output, when it wants them.
    pub(super) fn emit(&self, theme: &Theme, i: usize, a: &mut Article) -> Result<(), Diagnostic> {
        // One from the cache is here because the output has its page ([`Self::taken`],
        // asked this run): its key is not worked out twice.
        if !a.cached {
            let mut r = Reads::new(self.keyed);
            let page = pages::commentary(self.base, a, &mut r);
            let rel = page.file();
            let key = r.key(&page.path, page.template);
            if self.sink.wants(&rel, key) {
                let html = page.render(theme)?;
                self.sink.put(&rel, key, html.into_bytes())?;
            }
        }
        // The citation files: keyed by the fingerprint taken when they were made, so a kept
        // pipeline's rebuild neither hashes nor copies them unless one changed.
        let files = std::mem::take(&mut a.cite_files);
        for (name, text) in &files {
            let rel = Routes::commentary_file(&a.c.slug, name);
            let key = self.keyed.then(|| cite_file_key(a, name));
            if self.sink.wants(&rel, key) {
                self.sink.put(&rel, key, text.clone().into_bytes())?;
            }
        }
        if self.keep {
            a.cite_files = files;
        }
        // `check` draws no card: nothing links to one, and it would be thrown away.
        if let Some(fonts) = self.fonts.filter(|_| !self.opts.editorial) {
            let card = card::Card {
                title: &a.c.title,
                authors: &a.c.authors,
                date: a.c.date,
                site: &self.config.title,
                text: self.text,
            };
            let rel = Routes::commentary_file(&a.c.slug, card::FILE);
            let key = card.key(fonts);
            if self.sink.wants(&rel, Some(key))
                && !self
                    .sink
                    .reuse(&rel, key, &|prefix| card::is_drawn_from(prefix, key))
            {
                let png = card::draw(&card, fonts, key).map_err(|e| {
                    Diagnostic::file(
                        codes::IO,
                        &a.c.file.path,
                        format!("cannot draw the link card {rel}: {e}"),
                    )
                })?;
                self.sink.put(&rel, Some(key), png)?;
            }
        }
        // An article from the build cache has none: its document was taken (`taken`).
        if let (true, Some(doc)) = (self.config.search, &mut a.search_doc) {
            let rel = Routes::search_doc(i);
            let key = self.keyed.then_some(a.fp.search);
            if self.sink.wants(&rel, key) {
                let doc = if self.keep {
                    doc.clone()
                } else {
                    std::mem::take(doc)
                };
                self.sink.put(&rel, key, doc)?;
            }
        }
        Ok(())
    }
}

/// Whether a glossary change (`touched`) reaches a commentary that linked `mentions` and
/// `links`: its text is read when the change needs it and the content stage left it unread
/// (the cache had the file by its stamp); a text that cannot be read counts as reached, so
/// that the render reports why.
fn reaches(touched: &Touched, mentions: &[Mention], links: &[Mention], c: &Commentary) -> bool {
    let text = match touched.reads_text() && c.file.text.is_empty() {
        true => match std::fs::read_to_string(&c.file.path) {
            Ok(t) => Cow::Owned(t),
            Err(_) => return true,
        },
        false => Cow::Borrowed(c.file.text.as_str()),
    };
    touched.hits(mentions, &text) || touched.hits(links, "")
}

/// The key of an article's citation file `name`: the fingerprint taken when its files were
/// made, with the name.
fn cite_file_key(a: &Article, name: &str) -> u64 {
    fp(&(a.fp.cite_files, name))
}

/// What the build cache keeps of an article (its body too, with `body`).
fn record(a: &Article, body: bool) -> cache::Record<'_> {
    cache::Record {
        summary: Cow::Borrowed(&a.summary),
        mentions: Cow::Borrowed(&a.mentions),
        candidates: Cow::Borrowed(&a.candidates),
        cited: Cow::Borrowed(&a.cited),
        cite_html: Cow::Borrowed(&a.cite_html),
        jsonld: Cow::Borrowed(&a.jsonld),
        references: Cow::Borrowed(&a.references),
        corrections: Cow::Borrowed(&a.corrections),
        correction_links: Cow::Borrowed(&a.correction_links),
        diags: Cow::Borrowed(&a.diags),
        search: Cow::Borrowed(&a.search),
        has_pdf: a.has_pdf,
        pdf_key: a.pdf_key,
        fp: a.fp,
        body: a.body.as_ref().filter(|_| body).map(Cow::Borrowed),
    }
}
