//! The site's side of PDFs: what a run needs to make them (template, fonts, options), a
//! commentary's document written when its Markdown is rendered, and its PDF typeset when its
//! page is emitted, only when the output wants it.
//!
//! **Only when its inputs change.** A PDF's key is a hash of its whole main file (which holds
//! every word and link of the commentary, its title block and paper), the template's text,
//! the site's font files and the standard. `serve` (a [`LiveSink`](super::output::LiveSink))
//! skips a PDF whose key is the one already served. A full build writes a fresh staging
//! folder, so until the persistent cache exists (issue 18) the previous build's output is the
//! cache: [`StagingSink`](super::output::StagingSink) reads `.scholia-keys` (each PDF's
//! path and key, written beside the PDFs in the output) and, when a key matches, hard-links the
//! previous PDF instead of typesetting it again.

use crate::codes;
use crate::config::{Paper, SiteConfig};
use crate::content::{Commentary, Date};
use crate::error::{Diagnostic, LineIndex};
use crate::markdown::{self, Input};
use crate::pdf::{self, document, Fonts};
use crate::routes::Routes;
use crate::theme::Theme;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

/// What every PDF of a run needs.
pub struct PdfSetup {
    template: String,
    template_path: PathBuf,
    fonts: Fonts,
    opts: pdf::Options,
    /// Hash of the template, fonts and options: part of every PDF's key.
    key: u64,
}

impl PdfSetup {
    /// Reads the template and the site's fonts; problems go to `diags`.
    pub fn load(
        root: &Path,
        config: &SiteConfig,
        theme: &Theme,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<PdfSetup> {
        let (template, template_path) = match theme.pdf_template() {
            Ok(t) => t,
            Err(d) => {
                diags.push(d);
                return None;
            }
        };
        // The site's `fonts:` (shared with the link cards) and then `pdf.fonts`.
        let shared: Vec<PathBuf> = config
            .fonts
            .iter()
            .map(|f| PathBuf::from(&f.path))
            .collect();
        let paths: Vec<PathBuf> = shared
            .iter()
            .cloned()
            .chain(config.pdf.fonts.iter().map(|(p, _)| p.clone()))
            .collect();
        let (fonts, problems) = Fonts::load(root, &paths);
        for (path, msg) in problems {
            let at = config.pdf.fonts.iter().find(|(p, _)| *p == path);
            // A file of `fonts:` is reported once, by the check of that list (E0140).
            let Some((_, (line, col))) = at.filter(|_| !shared.contains(&path)) else {
                continue;
            };
            let (line, col) = (*line, *col);
            diags.push(Diagnostic::error(
                codes::PDF_FONT,
                Path::new("scholia.yaml"),
                line,
                col,
                format!("`{}` {msg}", path.display()),
            ));
        }
        let opts = pdf::Options {
            standard: config.pdf.standard,
        };
        let mut h = DefaultHasher::new();
        (&template, fonts.fp, opts, env!("CARGO_PKG_VERSION")).hash(&mut h);
        Some(PdfSetup {
            template,
            template_path,
            fonts,
            opts,
            key: h.finish(),
        })
    }

    /// Whether commentary `c` gets a PDF (`all`: unless it says `pdf: false`).
    pub fn wanted(config: &SiteConfig, c: &Commentary, all: bool) -> bool {
        c.pdf.unwrap_or(config.pdf.enabled || all)
    }
}

/// A commentary's document, ready to typeset alone or in a collection: everything its PDF
/// shows (so its hash is the document's part of the PDF's key).
#[derive(Debug, Clone, Hash)]
pub struct PdfDoc {
    /// Its slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Authors as written.
    pub authors: Vec<String>,
    /// Tags (to choose a collection's commentaries).
    pub tags: Vec<String>,
    /// Publication date.
    pub date: Date,
    /// Its page's absolute URL.
    pub url: String,
    /// The body's markup.
    pub body: String,
    /// Works cited, as markup.
    pub works_cited: Vec<String>,
    /// Corrections: (date, markup).
    pub corrections: Vec<(Date, String)>,
    /// The site's title and language, and the paper.
    pub site: (String, String, Paper),
    /// Where each block of the body starts in `body`, with its line and column in the
    /// commentary's file (for Typst's errors).
    pub blocks: Vec<(usize, usize, usize)>,
    /// The commentary's file, for messages.
    pub path: PathBuf,
}

impl PdfDoc {
    fn article(&self) -> document::Article<'_> {
        document::Article {
            title: &self.title,
            authors: &self.authors,
            date: self.date,
            url: &self.url,
            body: &self.body,
            works_cited: &self.works_cited,
            corrections: &self.corrections,
        }
    }

    /// The main file of its own PDF, and where its body starts there.
    fn main(&self) -> (String, usize) {
        let setup = document::Setup {
            title: &self.title,
            authors: &self.authors,
            date: self.date,
            site: &self.site.0,
            url: &self.url,
            language: &self.site.1,
            paper: self.site.2,
        };
        document::single(&setup, &self.article())
    }

    /// The line and column in its file of the markup at `at` in its body.
    fn line_col(&self, at: usize) -> (usize, usize) {
        self.blocks
            .iter()
            .rev()
            .find(|(b, _, _)| *b <= at)
            .map_or((1, 1), |&(_, l, c)| (l, c))
    }
}

/// A link target as an absolute URL: the site's own paths get `base_url`.
pub fn absolute(routes: &Routes, url: &str) -> String {
    let scheme = url.find(':').is_some_and(|i| {
        url[..i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    });
    if scheme || url.starts_with(routes.base()) || url.starts_with('#') {
        url.to_string()
    } else {
        routes.url(url)
    }
}

/// What [`print`] needs of the site.
pub struct PrintSite<'a> {
    /// The configuration.
    pub config: &'a SiteConfig,
    /// The URL plan.
    pub routes: &'a Routes,
    /// The fonts (for the glyph check).
    pub setup: &'a PdfSetup,
}

/// Renders commentary `c` for print (its file text is still there) and writes its document;
/// `corrections` are its corrections' HTML. Returns the document and the problems only
/// print has (an image without alt text, a character no font has).
pub fn print(
    site: &PrintSite,
    input: &Input,
    c: &Commentary,
    corrections: &[(Date, String)],
) -> (PdfDoc, Vec<Diagnostic>) {
    let routes = site.routes;
    let url = |u: &str| absolute(routes, u);
    // Note labels unique in a collection: slugs may hold characters a label cannot.
    let prefix = format!("n{:x}-", {
        let mut h = DefaultHasher::new();
        c.slug.hash(&mut h);
        h.finish()
    });
    let p = markdown::render_print(input, &prefix, &url);
    let mut diags = p.diags;
    diags.extend(glyphs(&site.setup.fonts, c));
    let corrections: Vec<(Date, String)> = corrections
        .iter()
        .map(|(d, html)| (*d, pdf::markup::from_html(html, &url)))
        .collect();
    let text = &c.file.text;
    let index = LineIndex::new(text);
    let blocks = p
        .blocks
        .iter()
        .map(|&(m, b)| {
            let (line, col) = index.line_col(text, c.file.body_start + b);
            (m, line, col)
        })
        .collect();
    let config = site.config;
    let doc = PdfDoc {
        slug: c.slug.clone(),
        title: c.title.clone(),
        authors: c.authors.clone(),
        tags: c.tags.clone(),
        date: c.date,
        url: routes.url(&Routes::commentary(&c.slug)),
        body: p.markup,
        works_cited: p.works_cited,
        corrections,
        site: (
            config.title.clone(),
            config.language.clone(),
            config.pdf.paper,
        ),
        blocks,
        path: c.file.path.clone(),
    };
    (doc, diags)
}

/// Characters of the commentary that no font has: one problem per line, at the first of them,
/// naming each character once.
fn glyphs(fonts: &Fonts, c: &Commentary) -> Vec<Diagnostic> {
    let text = &c.file.text;
    let mut known = std::collections::HashMap::new();
    let mut out = Vec::new();
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let mut missing: Vec<char> = Vec::new();
        let mut first = None;
        for (i, ch) in line.char_indices() {
            if ch.is_ascii() || ch.is_whitespace() || ch.is_control() {
                continue;
            }
            let covered = *known.entry(ch).or_insert_with(|| fonts.covers(ch));
            if !covered {
                first.get_or_insert(i);
                if !missing.contains(&ch) {
                    missing.push(ch);
                }
            }
        }
        if let Some(at) = first {
            let col = line[..at].chars().count() + 1;
            let list: Vec<String> = missing
                .iter()
                .map(|ch| format!("`{ch}` (U+{:04X})", *ch as u32))
                .collect();
            out.push(Diagnostic::error(
                codes::PDF_GLYPH,
                &c.file.path,
                n + 1,
                col,
                format!(
                    "no font of the PDF has {} {}; add a font that has {} to `pdf.fonts` in scholia.yaml (on Debian, fonts-noto-cjk has Chinese, Japanese and Korean), or turn this commentary's PDF off with `pdf: false`",
                    if missing.len() == 1 { "the character" } else { "the characters" },
                    list.join(", "),
                    if missing.len() == 1 { "it" } else { "them" },
                ),
            ));
        }
    }
    out
}

impl PdfSetup {
    /// The fingerprint of the template, fonts and options.
    pub fn fingerprint(&self) -> u64 {
        self.key
    }

    /// The key of a document's PDF.
    pub fn key(&self, doc: &PdfDoc) -> u64 {
        let mut h = DefaultHasher::new();
        (self.key, doc).hash(&mut h);
        h.finish()
    }

    /// Typesets a commentary's own PDF.
    pub fn typeset(&self, doc: &PdfDoc) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let (main, at) = doc.main();
        self.compile(&main, &doc.url, &[(at, doc)])
    }

    /// Typesets a collection of commentaries, in the order given, under `title`.
    pub fn collection(&self, title: &str, docs: &[&PdfDoc]) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let Some(first) = docs.first() else {
            return Err(vec![Diagnostic::global(
                codes::PDF_TYPESET,
                "no commentary matches: a collection needs at least one",
            )]);
        };
        let newest = docs.iter().map(|d| d.date).max().unwrap_or(first.date);
        let url = first.url.trim_end_matches('/');
        let site_url = url
            .rsplitn(3, '/')
            .nth(2)
            .map_or("/".to_string(), |u| format!("{u}/"));
        let setup = document::Setup {
            title,
            authors: &[],
            date: newest,
            site: &first.site.0,
            url: &site_url,
            language: &first.site.1,
            paper: first.site.2,
        };
        let articles: Vec<document::Article> = docs.iter().map(|d| d.article()).collect();
        let (main, starts) = document::collection(&setup, &articles);
        let at: Vec<(usize, &PdfDoc)> = starts.into_iter().zip(docs.iter().copied()).collect();
        self.compile(&main, &format!("{site_url}#{title}"), &at)
    }

    /// Typst's errors are reported at the commentary's line (bodies start at the offsets
    /// given), or the template's.
    fn compile(
        &self,
        main: &str,
        ident: &str,
        bodies: &[(usize, &PdfDoc)],
    ) -> Result<Vec<u8>, Vec<Diagnostic>> {
        pdf::compile(main, &self.template, &self.fonts, self.opts, ident).map_err(|problems| {
            problems
                .into_iter()
                .map(|p| {
                    let msg = format!("the PDF cannot be typeset: {}", p.message);
                    let body = p.range.as_ref().filter(|_| p.in_main).and_then(|r| {
                        let (at, doc) = bodies.iter().rev().find(|(at, _)| *at <= r.start)?;
                        Some((doc, doc.line_col(r.start - at)))
                    });
                    if let Some((doc, (line, col))) = body {
                        Diagnostic::error(codes::PDF_TYPESET, &doc.path, line, col, msg)
                    } else if let Some(line) = p.template_line {
                        Diagnostic::error(codes::PDF_TYPESET, &self.template_path, line, 1, msg)
                    } else {
                        Diagnostic::global(codes::PDF_TYPESET, msg)
                    }
                })
                .collect()
        })
    }
}

/// What `scholia pdf` puts in one PDF.
#[derive(Debug, Clone, Default)]
pub struct Collection {
    /// Site root.
    pub root: PathBuf,
    /// The commentaries by slug, in this order; none: all of them, newest first.
    pub slugs: Vec<String>,
    /// Only those with this tag.
    pub tag: Option<String>,
    /// Only those by this author.
    pub author: Option<String>,
    /// The cover's title; the site's title when none.
    pub title: Option<String>,
    /// Overrides `base_url`.
    pub base_url: Option<String>,
    /// The file to write.
    pub out: PathBuf,
}

/// `scholia pdf`: renders the site (writing nothing), then typesets the chosen commentaries
/// as one PDF with a cover and contents. Returns the summary line, or every problem.
pub fn collection(o: &Collection) -> Result<Vec<String>, Vec<Diagnostic>> {
    use super::output::{LiveSink, Memory};
    use super::pipeline::{Options, Pipeline};
    let mut pipeline = Pipeline::kept(Options {
        root: o.root.clone(),
        base_url: o.base_url.clone(),
        print_all: true,
        ..Options::default()
    });
    let mut sink = LiveSink::new(Memory::default());
    let report = pipeline.run(None, &mut sink);
    if !report.ok {
        return Err(report.diags);
    }
    let Some((setup, docs)) = pipeline.print_docs() else {
        return Err(vec![Diagnostic::global(
            codes::PDF_TYPESET,
            "the PDF template could not be read",
        )]);
    };
    let mut problems = Vec::new();
    let chosen: Vec<&PdfDoc> = if o.slugs.is_empty() {
        docs.clone()
    } else {
        o.slugs
            .iter()
            .filter_map(|s| {
                let found = docs.iter().find(|d| d.slug == *s).copied();
                if found.is_none() {
                    problems.push(Diagnostic::global(
                        codes::PDF_TYPESET,
                        format!(
                            "there is no commentary `{s}`{}",
                            crate::error::did_you_mean(s, docs.iter().map(|d| d.slug.as_str()))
                        ),
                    ));
                }
                found
            })
            .collect()
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let chosen: Vec<&PdfDoc> = chosen
        .into_iter()
        .filter(|d| {
            o.tag
                .as_ref()
                .is_none_or(|t| d.tags.iter().any(|x| x.eq_ignore_ascii_case(t)))
        })
        .filter(|d| {
            o.author
                .as_ref()
                .is_none_or(|a| d.authors.iter().any(|x| x.eq_ignore_ascii_case(a)))
        })
        .collect();
    let title = o
        .title
        .clone()
        .unwrap_or_else(|| chosen.first().map(|d| d.site.0.clone()).unwrap_or_default());
    let bytes = setup.collection(&title, &chosen)?;
    std::fs::write(&o.out, &bytes).map_err(|e| {
        vec![Diagnostic::file(
            codes::IO,
            &o.out,
            format!("cannot write the PDF: {e}"),
        )]
    })?;
    Ok(vec![format!(
        "wrote {} commentaries into {} ({} KB)",
        chosen.len(),
        o.out.display(),
        bytes.len().div_ceil(1024)
    )])
}
