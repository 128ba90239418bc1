//! The site's side of PDFs: what a run needs to make them (template, fonts, options), a
//! commentary's document written when its Markdown is rendered, and its PDF typeset when its
//! page is emitted, only when the output wants it.
//!
//! **Only when its inputs change.** A PDF's key is a hash of its whole main file (which holds
//! every word and link of the commentary, its title block and paper), the template's text,
//! the site's font files and the standard. `serve` (a [`LiveSink`](super::output::LiveSink))
//! skips a PDF whose key is the one already served. A full build writes a fresh staging
//! folder, so until the persistent cache exists (issue 18) the previous build's output is the
//! cache: [`StagingSink`](super::output::StagingSink) reads `.scholia-pdf-keys` (each PDF's
//! path and key, written beside the PDFs in the output) and, when a key matches, copies the
//! previous PDF instead of typesetting it again.

use crate::codes;
use crate::config::SiteConfig;
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
        let paths: Vec<PathBuf> = config.pdf.fonts.iter().map(|(p, _)| p.clone()).collect();
        let (fonts, problems) = Fonts::load(root, &paths);
        for (path, msg) in problems {
            let (line, col) = config
                .pdf
                .fonts
                .iter()
                .find(|(p, _)| *p == path)
                .map_or((0, 0), |(_, at)| *at);
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

    /// Whether commentary `c` gets a PDF.
    pub fn wanted(config: &SiteConfig, c: &Commentary) -> bool {
        c.pdf.unwrap_or(config.pdf.enabled)
    }
}

/// A commentary's document, ready to typeset.
#[derive(Debug, Clone, Default, Hash)]
pub struct PdfDoc {
    /// The main file.
    pub main: String,
    /// Where each block of the body starts in `main`, with its line and column in the
    /// commentary's file (for Typst's errors).
    pub blocks: Vec<(usize, usize, usize)>,
    /// The commentary's file, for messages.
    pub path: PathBuf,
}

/// A link target as an absolute URL: the site's own paths get `base_url`.
pub fn absolute(routes: &Routes, url: &str) -> String {
    let scheme = url
        .find(':')
        .is_some_and(|i| url[..i].chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)));
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
    let p = markdown::render_print(input, "", &url);
    let mut diags = p.diags;
    diags.extend(glyphs(&site.setup.fonts, c));
    let corrections: Vec<(Date, String)> = corrections
        .iter()
        .map(|(d, html)| (*d, pdf::markup::from_html(html, &url)))
        .collect();
    let page_url = routes.url(&Routes::commentary(&c.slug));
    let article = document::Article {
        title: &c.title,
        authors: &c.authors,
        date: c.date,
        url: &page_url,
        body: &p.markup,
        works_cited: &p.works_cited,
        corrections: &corrections,
    };
    let setup = document::Setup {
        title: &c.title,
        authors: &c.authors,
        date: c.date,
        site: &site.config.title,
        url: &page_url,
        language: &site.config.language,
        paper: site.config.pdf.paper,
    };
    let (main, at) = document::single(&setup, &article);
    let text = &c.file.text;
    let index = LineIndex::new(text);
    let blocks = p
        .blocks
        .iter()
        .map(|&(m, b)| {
            let (line, col) = index.line_col(text, c.file.body_start + b);
            (at + m, line, col)
        })
        .collect();
    let doc = PdfDoc {
        main,
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
    /// The key of a document's PDF.
    pub fn key(&self, doc: &PdfDoc) -> u64 {
        let mut h = DefaultHasher::new();
        (self.key, &doc.main).hash(&mut h);
        h.finish()
    }

    /// Typesets a document; Typst's errors are reported at the commentary's line (or the
    /// template's).
    pub fn typeset(&self, doc: &PdfDoc, ident: &str) -> Result<Vec<u8>, Vec<Diagnostic>> {
        pdf::compile(&doc.main, &self.template, &self.fonts, self.opts, ident).map_err(|problems| {
            problems
                .into_iter()
                .map(|p| {
                    let msg = format!("the PDF cannot be typeset: {}", p.message);
                    if let (true, Some(r)) = (p.in_main, &p.range) {
                        let (line, col) = doc
                            .blocks
                            .iter()
                            .rev()
                            .find(|(at, _, _)| *at <= r.start)
                            .map_or((1, 1), |&(_, l, c)| (l, c));
                        Diagnostic::error(codes::PDF_TYPESET, &doc.path, line, col, msg)
                    } else if let Some(line) = p.template_line {
                        Diagnostic::error(codes::PDF_TYPESET, &self.template_path, line, 1, msg)
                    } else {
                        Diagnostic::file(codes::PDF_TYPESET, &doc.path, msg)
                    }
                })
                .collect()
        })
    }
}
