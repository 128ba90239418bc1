//! Sources: the site's bibliography and its citation style, formatted by Hayagriva (the CSL
//! engine of Typst).
//!
//! `content/sources.yaml` (Hayagriva's YAML) and `content/sources.bib` (BibLaTeX) are parsed
//! into one library; the style is a bundled CSL style or a `.csl` file of the site. Markdown
//! finds the citations (`[@key, p. 12; @other]`) and hands every citation of one page, in note
//! order, to [`Sources::format`], so that the style can shorten repeated ones ("ibid.").
//! Nothing here reads files: `site::build` passes the texts in.

use crate::codes;
use crate::error::{did_you_mean, Diagnostic, LineIndex};
use crate::html::escape_into;
use hayagriva::archive::ArchivedStyle;
use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::citationberg::{
    FontStyle, FontVariant, FontWeight, IndependentStyle, Locale, Style, TextDecoration,
    VerticalAlign,
};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, ElemChild,
    ElemChildren, Entry, Formatting, Library, LocatorPayload, SpecificLocator,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The style used when `citation_style:` is not set.
pub const DEFAULT_STYLE: &str = "chicago-notes";

/// One cited work inside a citation: `@key, p. 12`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteItem {
    /// The bibliography key.
    pub key: String,
    /// Byte offset of the `@` in the citation's source text.
    pub offset: usize,
    /// The locator as written after the comma (`p. 12`), if any.
    pub locator: Option<String>,
}

/// Parses the source of a citation, brackets included: `[@a, p. 12; @b]`. `None` when it is
/// not a citation (every part must start with `@` and a key).
pub fn parse(src: &str) -> Option<Vec<CiteItem>> {
    let inner = src.strip_prefix('[')?.strip_suffix(']')?;
    let mut items = Vec::new();
    let mut at = 1;
    for part in inner.split(';') {
        let lead = part.len() - part.trim_start().len();
        let trimmed = part.trim();
        let rest = trimmed.strip_prefix('@')?;
        let key_len = rest
            .find(|c: char| c == ',' || c.is_whitespace())
            .unwrap_or(rest.len());
        let key = rest[..key_len].trim_end_matches(['.', ':']);
        if !key
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            return None;
        }
        let after = rest[key.len()..].trim_start();
        let locator = match after.strip_prefix(',') {
            Some(l) if !l.trim().is_empty() => Some(l.trim().to_string()),
            Some(_) => None,
            None if after.is_empty() => None,
            // `[@key text]` is not citation syntax.
            None => return None,
        };
        items.push(CiteItem {
            key: key.to_string(),
            offset: at + lead,
            locator,
        });
        at += part.len() + 1;
    }
    (!items.is_empty()).then_some(items)
}

/// Splits a locator into its CSL label and value: `p. 12` → (page, `12`), `12` → (page,
/// `12`), and anything unrecognised is kept whole, printed as written.
fn locator(text: &str) -> (Locator, &str) {
    const LABELS: &[(&str, Locator)] = &[
        ("pp.", Locator::Page),
        ("p.", Locator::Page),
        ("page", Locator::Page),
        ("pages", Locator::Page),
        ("chap.", Locator::Chapter),
        ("ch.", Locator::Chapter),
        ("chapter", Locator::Chapter),
        ("sec.", Locator::Section),
        ("section", Locator::Section),
        ("§", Locator::Section),
        ("§§", Locator::Section),
        ("para.", Locator::Paragraph),
        ("paras.", Locator::Paragraph),
        ("¶", Locator::Paragraph),
        ("vol.", Locator::Volume),
        ("n.", Locator::Note),
        ("nn.", Locator::Note),
        ("fig.", Locator::Figure),
        ("col.", Locator::Column),
        ("l.", Locator::Line),
        ("line", Locator::Line),
        ("pt.", Locator::Part),
        ("part", Locator::Part),
        ("app.", Locator::Appendix),
        ("annex", Locator::Appendix),
        ("tbl.", Locator::Table),
    ];
    let (word, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    let lower = word.to_lowercase();
    if let Some((_, loc)) = LABELS.iter().find(|(l, _)| *l == lower) {
        if !rest.trim().is_empty() {
            return (*loc, rest.trim());
        }
    }
    if text.starts_with(|c: char| c.is_ascii_digit()) {
        return (Locator::Page, text);
    }
    (Locator::Custom, text)
}

/// Where the bibliography comes from, for messages.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The bibliography file, as shown.
    pub path: PathBuf,
    /// 1-based line of the entry's key, 0 when unknown.
    pub line: usize,
}

/// The site's bibliography and style.
pub struct Sources {
    library: Library,
    /// The style and locales, decoded on first use: a bundled style and the locales take
    /// tens of milliseconds to decode, which a site that cites nothing should not pay.
    engine: OnceLock<Engine>,
    /// The bundled style to decode when `engine` is first needed.
    style_name: String,
    works: OnceLock<Works>,
    /// Every key, in file order.
    keys: Vec<String>,
    origin: HashMap<String, Origin>,
}

impl std::fmt::Debug for Sources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sources").field("keys", &self.keys).finish()
    }
}

/// A bibliography file's text.
pub struct BibFile {
    /// As shown in messages.
    pub path: PathBuf,
    /// The whole text.
    pub text: String,
}

/// What `citation_style:` named.
pub enum StyleChoice<'a> {
    /// A bundled style, by name.
    Bundled(&'a str),
    /// A `.csl` file's text, with its path as shown.
    File(&'a Path, &'a str),
}

/// The names `citation_style:` accepts.
pub fn style_names() -> impl Iterator<Item = &'static str> {
    ArchivedStyle::all()
        .iter()
        .flat_map(|s| s.names().iter().copied())
}

/// Whether `name` is a bundled style.
pub fn is_bundled(name: &str) -> bool {
    ArchivedStyle::by_name(name).is_some()
}

fn bundled(name: &str) -> Option<IndependentStyle> {
    match ArchivedStyle::by_name(name)?.get() {
        Style::Independent(s) => Some(s),
        Style::Dependent(_) => None,
    }
}

impl Sources {
    /// Parses the bibliography files and loads the style. Problems are diagnostics; the
    /// entries that could be read are kept.
    pub fn load(files: &[BibFile], style: StyleChoice) -> (Sources, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let engine = OnceLock::new();
        let style_name = match style {
            StyleChoice::Bundled(name) => name.to_string(),
            StyleChoice::File(..) => DEFAULT_STYLE.to_string(),
        };
        let file_style = match style {
            StyleChoice::Bundled(_) => None,
            StyleChoice::File(path, text) => match Style::from_xml(text) {
                Ok(Style::Independent(s)) => Some(s),
                Ok(Style::Dependent(d)) => {
                    diags.push(Diagnostic::file(
                        codes::BAD_STYLE,
                        path,
                        format!("this is a dependent CSL style (it only points to `{}`); set `citation_style:` to that style's name or to its .csl file", d.info.id),
                    ));
                    None
                }
                Err(e) => {
                    diags.push(Diagnostic::file(
                        codes::BAD_STYLE,
                        path,
                        format!("this is not a CSL style Scholia can read: {e}; fix the file or use a bundled style name"),
                    ));
                    None
                }
            },
        };
        if let Some(s) = file_style {
            let _ = engine.set(Engine::new(s));
        }
        let mut library = Library::new();
        let mut keys = Vec::new();
        let mut origin = HashMap::new();
        for f in files {
            let is_bib = f.path.extension().is_some_and(|e| e == "bib");
            let parsed = if is_bib {
                read_biblatex(f, &mut diags)
            } else {
                read_yaml(f, &mut diags)
            };
            let lines = key_lines(&f.text, is_bib);
            for entry in parsed {
                let key = entry.key().to_string();
                if let Some(first) = origin.get(&key) {
                    let first: &Origin = first;
                    let line = lines.get(&key).copied().unwrap_or(0);
                    diags.push(Diagnostic::error(
                        codes::BAD_BIBLIOGRAPHY,
                        &f.path,
                        line,
                        1,
                        format!(
                            "the source `{key}` is already defined in {}; rename one of the two keys",
                            first.path.display()
                        ),
                    ));
                    continue;
                }
                origin.insert(
                    key.clone(),
                    Origin {
                        path: f.path.clone(),
                        line: lines.get(&key).copied().unwrap_or(0),
                    },
                );
                keys.push(key);
                library.push(&entry);
            }
        }
        let sources = Sources {
            library,
            engine,
            style_name,
            works: OnceLock::new(),
            keys,
            origin,
        };
        (sources, diags)
    }

    /// No bibliography, the default style.
    pub fn empty() -> Sources {
        Sources::load(&[], StyleChoice::Bundled(DEFAULT_STYLE)).0
    }

    /// Every key, in file order.
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// Whether `key` is in the bibliography.
    pub fn contains(&self, key: &str) -> bool {
        self.origin.contains_key(key)
    }

    /// Where `key` is defined.
    pub fn origin(&self, key: &str) -> Option<&Origin> {
        self.origin.get(key)
    }

    /// The message for a key that is not in the bibliography (with the closest key).
    pub fn unknown(&self, key: &str) -> String {
        if self.keys.is_empty() {
            return format!("`@{key}` cites a source, but the site has no bibliography; add the work to content/sources.yaml (or content/sources.bib)");
        }
        format!(
            "`@{key}` is not a key of the bibliography{}; add the work to content/sources.yaml, or fix the key",
            did_you_mean(key, self.keys.iter().map(String::as_str))
        )
    }

    fn entry(&self, key: &str) -> Option<&Entry> {
        self.library.get(key)
    }

    /// Formats the citations of one page, in note order: each is (its items, its note
    /// number). Returns the HTML of each citation and the page's works cited (key, HTML), in
    /// the style's bibliography order. Unknown keys are skipped (they were reported where
    /// cited).
    ///
    /// The citations are rendered with the style's bibliography removed: a page's works are
    /// taken from the site-wide bibliography, formatted once, which is most of the saving
    /// and formats a work the same way on every page.
    pub fn format(&self, cites: &[(&[CiteItem], usize)]) -> (Vec<String>, Vec<(String, String)>) {
        let rendered = self.drive(&self.engine().cite_style, cites);
        let citations = rendered
            .citations
            .iter()
            .map(|c| to_html(&c.citation))
            .collect();
        let keys = cites
            .iter()
            .flat_map(|(items, _)| items.iter().map(|i| i.key.as_str()));
        (citations, self.works_of(keys))
    }

    fn engine(&self) -> &Engine {
        self.engine.get_or_init(|| {
            Engine::new(
                bundled(&self.style_name)
                    .or_else(|| bundled(DEFAULT_STYLE))
                    .expect("the default style is bundled"),
            )
        })
    }

    fn drive(
        &self,
        style: &IndependentStyle,
        cites: &[(&[CiteItem], usize)],
    ) -> hayagriva::Rendered {
        let locales = &self.engine().locales;
        let mut driver = BibliographyDriver::new();
        for (items, note) in cites {
            let items: Vec<_> = items
                .iter()
                .filter_map(|i| {
                    let entry = self.entry(&i.key)?;
                    let loc = i.locator.as_deref().map(|l| {
                        let (kind, value) = locator(l);
                        SpecificLocator(kind, LocatorPayload::Str(value))
                    });
                    Some(CitationItem::with_locator(entry, loc))
                })
                .collect();
            driver.citation(CitationRequest::new(
                items,
                style,
                None,
                locales,
                Some(*note),
            ));
        }
        driver.finish(BibliographyRequest::new(style, None, locales))
    }

    /// Every work formatted for a bibliography, in the style's order (computed once).
    fn works(&self) -> &Works {
        self.works.get_or_init(|| {
            let all: Vec<CiteItem> = self
                .keys
                .iter()
                .map(|k| CiteItem {
                    key: k.clone(),
                    offset: 0,
                    locator: None,
                })
                .collect();
            let items: Vec<(String, String)> = match self
                .drive(&self.engine().style, &[(&all, 1)])
                .bibliography
            {
                Some(b) => b
                    .items
                    .into_iter()
                    .map(|item| {
                        let html = item_html(&item);
                        (item.key, html)
                    })
                    .collect(),
                // A style without a bibliography: each work's first note stands in.
                None => all
                    .iter()
                    .filter_map(|one| {
                        let r = self
                            .drive(&self.engine().cite_style, &[(std::slice::from_ref(one), 1)]);
                        let c = r.citations.first()?;
                        Some((one.key.clone(), to_html(&c.citation)))
                    })
                    .collect(),
            };
            let rank = items
                .iter()
                .enumerate()
                .map(|(i, (k, _))| (k.clone(), i))
                .collect();
            Works { items, rank }
        })
    }

    /// The given works (repeats and unknown keys dropped), in the style's order.
    fn works_of<'k>(&self, keys: impl IntoIterator<Item = &'k str>) -> Vec<(String, String)> {
        let mut keys = keys.into_iter().peekable();
        if self.keys.is_empty() || keys.peek().is_none() {
            return Vec::new();
        }
        let works = self.works();
        let mut ranks: Vec<usize> = keys.filter_map(|k| works.rank.get(k).copied()).collect();
        ranks.sort_unstable();
        ranks.dedup();
        ranks.into_iter().map(|r| works.items[r].clone()).collect()
    }

    /// One work outside the bibliography (a commentary citing itself: "Cite this") as the
    /// style's bibliography formats it, or its note when the style has no bibliography.
    pub fn format_work(&self, entry: &Entry) -> String {
        let engine = self.engine();
        let style = if engine.style.bibliography.is_some() {
            &engine.one_work_style
        } else {
            &engine.style
        };
        let mut driver = BibliographyDriver::new();
        driver.citation(CitationRequest::new(
            vec![CitationItem::with_locator(entry, None)],
            style,
            None,
            &engine.locales,
            Some(1),
        ));
        let r = driver.finish(BibliographyRequest::new(style, None, &engine.locales));
        match r.bibliography.as_ref().and_then(|b| b.items.first()) {
            Some(item) => item_html(item),
            None => r
                .citations
                .first()
                .map(|c| to_html(&c.citation))
                .unwrap_or_default(),
        }
    }

    /// The bibliography of the given keys (for a glossary entry's `sources:` and the
    /// `/sources/` page), in the style's order.
    pub fn bibliography(&self, keys: &[&str]) -> Vec<(String, String)> {
        self.works_of(keys.iter().copied())
    }
}

/// A bibliography item's HTML: its first field (a number, a label) and its text.
fn item_html(item: &hayagriva::BibliographyItem) -> String {
    let mut html = String::new();
    if let Some(first) = &item.first_field {
        child_html(first, &mut html);
        html.push(' ');
    }
    html.push_str(&to_html(&item.content));
    html
}

/// A decoded style: as given, and without its bibliography (for citations); and the locales.
struct Engine {
    style: IndependentStyle,
    cite_style: IndependentStyle,
    /// The style with an empty citation layout, for a bibliography of one work: its citation
    /// must be requested, and rendering it twice (speculatively, then for good) was two thirds
    /// of the cost. A lone work has nothing to be disambiguated from, so its entry does not
    /// depend on the citation's text.
    one_work_style: IndependentStyle,
    locales: Vec<Locale>,
}

impl Engine {
    fn new(style: IndependentStyle) -> Engine {
        let mut cite_style = style.clone();
        cite_style.bibliography = None;
        let mut one_work_style = style.clone();
        one_work_style.citation.layout.elements.clear();
        let locales = locales_for(&style);
        Engine {
            style,
            cite_style,
            one_work_style,
            locales,
        }
    }
}

/// The bundled locales a style can fall back to: its own, that language's main one, and
/// en-US. Hayagriva's `archive::locales()` decodes all ~60, which was a third of the demo
/// site's build; each is CBOR naming its `lang`, so only the candidates are decoded.
fn locales_for(style: &IndependentStyle) -> Vec<Locale> {
    use hayagriva::citationberg::LocaleCode;
    let own = style
        .default_locale
        .clone()
        .unwrap_or_else(LocaleCode::en_us);
    let mut wanted = vec![own.clone(), LocaleCode::en_us()];
    wanted.extend(own.fallback());
    let mut out: Vec<Locale> = Vec::new();
    for bytes in hayagriva::archive::LOCALES {
        let named = wanted
            .iter()
            .any(|w| bytes.windows(w.0.len()).any(|win| win == w.0.as_bytes()));
        if !named {
            continue;
        }
        if let Ok(l) = ciborium::from_reader::<Locale, _>(*bytes) {
            if l.lang.as_ref().is_some_and(|c| wanted.contains(c)) {
                out.push(l);
            }
        }
    }
    if !out.iter().any(|l| l.lang == Some(LocaleCode::en_us())) {
        // The archive's encoding changed: take them all rather than format without terms.
        return hayagriva::archive::locales();
    }
    out
}

/// The site-wide bibliography: (key, HTML) in the style's order, and each key's place.
struct Works {
    items: Vec<(String, String)>,
    rank: HashMap<String, usize>,
}

/// Reads a Hayagriva YAML file; a malformed entry is reported at its line, and the others
/// are kept (so that one bad entry does not make every citation of the site unknown).
fn read_yaml(f: &BibFile, diags: &mut Vec<Diagnostic>) -> Vec<Entry> {
    let parse = |text: &str| {
        hayagriva::io::from_yaml_str(text).map_err(|e| {
            let at = e.location().map(|l| (l.line(), l.column()));
            (e.to_string(), at)
        })
    };
    let only_comments = f
        .text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
    if only_comments {
        return Vec::new();
    }
    let whole = match parse(&f.text) {
        Ok(lib) => return lib.iter().cloned().collect(),
        Err(e) => e,
    };
    // Read entry by entry: each top-level key and the lines under it.
    let lines: Vec<&str> = f.text.split_inclusive('\n').collect();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| top_level_key(lines[i]).is_some_and(|k| !k.is_empty()))
        .collect();
    if starts.is_empty() {
        diags.push(yaml_error(f, whole, 0));
        return Vec::new();
    }
    let mut entries = Vec::new();
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(lines.len());
        let chunk: String = lines[start..end].concat();
        match parse(&chunk) {
            Ok(lib) => entries.extend(lib.iter().cloned()),
            Err(e) => diags.push(yaml_error(f, e, start)),
        }
    }
    if let Some(pre) = starts.first().filter(|&&s| s > 0) {
        // Lines before the first key that are not comments or blank: YAML of no entry.
        let stray = lines[..*pre]
            .iter()
            .position(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
        if let Some(i) = stray {
            diags.push(Diagnostic::error(
                codes::BAD_BIBLIOGRAPHY,
                &f.path,
                i + 1,
                1,
                "this line belongs to no entry; start each entry with its key at the start of a line (`key:`), fields indented under it",
            ));
        }
    }
    entries
}

/// A YAML error of the chunk starting at line `first` (0-based) of the file: its message and
/// position (taken where Hayagriva's error is returned, so that only `content::front_matter`
/// names the YAML crate).
fn yaml_error(
    f: &BibFile,
    (msg, at): (String, Option<(usize, usize)>),
    first: usize,
) -> Diagnostic {
    let (line, col) = at.map_or((0, 0), |(l, c)| (l + first, c));
    let entry = entry_at(&f.text, line)
        .map(|k| format!("the entry `{k}` is malformed: "))
        .unwrap_or_else(|| "the bibliography is malformed: ".into());
    // serde_yaml repeats the position at the end of its message.
    let msg = msg.split(" at line ").next().unwrap_or(&msg);
    Diagnostic::error(
        codes::BAD_BIBLIOGRAPHY,
        &f.path,
        line,
        col,
        format!("{entry}{msg}; see the Hayagriva format in docs/sources.md"),
    )
}

/// Reads a BibLaTeX file; every error is reported at its line.
fn read_biblatex(f: &BibFile, diags: &mut Vec<Diagnostic>) -> Vec<Entry> {
    use hayagriva::io::BibLaTeXError;
    match hayagriva::io::from_biblatex_str(&f.text) {
        Ok(lib) => lib.iter().cloned().collect(),
        Err(errors) => {
            let index = LineIndex::new(&f.text);
            for e in errors {
                let at = match &e {
                    BibLaTeXError::Parse(p) => p.span.start,
                    BibLaTeXError::Type(t) => t.span.start,
                };
                let (line, col) = index.line_col(&f.text, at);
                diags.push(Diagnostic::error(
                    codes::BAD_BIBLIOGRAPHY,
                    &f.path,
                    line,
                    col,
                    format!("{e}; fix the BibLaTeX entry here"),
                ));
            }
            Vec::new()
        }
    }
}

/// The line of each entry key: a top-level YAML key, or `@type{key,` in BibLaTeX.
fn key_lines(text: &str, bib: bool) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let key = if bib {
            line.trim_start()
                .strip_prefix('@')
                .and_then(|l| l.split_once('{'))
                .map(|(_, k)| k.split(',').next().unwrap_or("").trim())
        } else {
            top_level_key(line)
        };
        if let Some(k) = key.filter(|k| !k.is_empty()) {
            out.entry(k.to_string()).or_insert(i + 1);
        }
    }
    out
}

fn top_level_key(line: &str) -> Option<&str> {
    if line.starts_with([' ', '\t', '#', '-']) {
        return None;
    }
    let (k, _) = line.split_once(':')?;
    Some(k.trim().trim_matches(['"', '\'']))
}

/// The key of the YAML entry that holds `line` (1-based).
fn entry_at(text: &str, line: usize) -> Option<&str> {
    text.lines()
        .take(line)
        .filter_map(top_level_key)
        .last()
        .filter(|k| !k.is_empty())
}

/// CSL output as HTML: text escaped, formatting as inline elements, links kept only when they
/// are web addresses.
pub fn to_html(children: &ElemChildren) -> String {
    let mut out = String::new();
    for c in &children.0 {
        child_html(c, &mut out);
    }
    tidy(out.trim())
}

/// Drops a period that follows another sentence end: the style adds one after a title or an
/// abbreviation that already ends in `.`, `?` or `!` ("U.S..", "Trap?."), across closing
/// quotes and tags. Ellipses stay.
fn tidy(html: &str) -> String {
    let chars: Vec<char> = html.chars().collect();
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    // The last two characters of text (not tags, not closing quotes).
    let mut last = [' ', ' '];
    for (i, &c) in chars.iter().enumerate() {
        if in_tag {
            in_tag = c != '>';
            out.push(c);
            continue;
        }
        if c == '<' {
            in_tag = true;
            out.push(c);
            continue;
        }
        let next = chars.get(i + 1).copied();
        if c == '.' && matches!(last[1], '.' | '?' | '!') && last[0] != '.' && next != Some('.') {
            continue;
        }
        if !matches!(c, '”' | '’' | '"') {
            last = [last[1], c];
        }
        out.push(c);
    }
    out
}

fn child_html(child: &ElemChild, out: &mut String) {
    match child {
        ElemChild::Text(t) => formatted(&t.formatting, &t.text, None, out),
        ElemChild::Elem(e) => {
            for c in &e.children.0 {
                child_html(c, out);
            }
        }
        ElemChild::Markup(m) => escape_into(m, out),
        ElemChild::Link { text, url } => {
            let web = url.starts_with("https://") || url.starts_with("http://");
            formatted(&text.formatting, &text.text, web.then_some(url), out)
        }
        ElemChild::Transparent { .. } => {}
    }
}

fn formatted(f: &Formatting, text: &str, url: Option<&String>, out: &mut String) {
    let mut close = Vec::new();
    let mut open = |tag: &'static str, attrs: &str, out: &mut String| {
        out.push('<');
        out.push_str(tag);
        out.push_str(attrs);
        out.push('>');
        close.push(tag);
    };
    if let Some(u) = url {
        let mut attr = String::from(" href=\"");
        escape_into(u, &mut attr);
        attr.push('"');
        open("a", &attr, out);
    }
    if f.font_style == FontStyle::Italic {
        open("i", "", out);
    }
    if f.font_weight == FontWeight::Bold {
        open("b", "", out);
    }
    if f.font_variant == FontVariant::SmallCaps {
        open("span", " class=\"small-caps\"", out);
    }
    if f.text_decoration == TextDecoration::Underline {
        open("u", "", out);
    }
    match f.vertical_align {
        VerticalAlign::Sup => open("sup", "", out),
        VerticalAlign::Sub => open("sub", "", out),
        _ => {}
    }
    escape_into(text, out);
    for tag in close.iter().rev() {
        out.push_str("</");
        out.push_str(tag);
        out.push('>');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(yaml: &str) -> Sources {
        let (s, d) = Sources::load(
            &[BibFile {
                path: "content/sources.yaml".into(),
                text: yaml.into(),
            }],
            StyleChoice::Bundled(DEFAULT_STYLE),
        );
        assert!(d.is_empty(), "{d:?}");
        s
    }

    const BIB: &str = "kwan:\n  type: Book\n  title: Crazy Rich Asians & Co\n  author: Kwan, Kevin\n  date: 2014\n  publisher: Anchor Books\n  location: New York\nun:\n  type: Report\n  title: World Economic Situation\n  author: United Nations\n  date: 2020\n";

    #[test]
    fn parses_citation_forms() {
        let one = parse("[@kwan]").unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!((one[0].key.as_str(), one[0].offset), ("kwan", 1));
        let loc = parse("[@kwan, p. 12]").unwrap();
        assert_eq!(loc[0].locator.as_deref(), Some("p. 12"));
        let two = parse("[@a; @b-c, ch. 2]").unwrap();
        assert_eq!(two[1].key, "b-c");
        assert_eq!(&"[@a; @b-c, ch. 2]"[two[1].offset..two[1].offset + 2], "@b");
        assert!(parse("[foo@bar.com]").is_none());
        assert!(parse("[@ space]").is_none());
        assert!(parse("[@a and more]").is_none());
        assert!(parse("[@a; b]").is_none());
    }

    #[test]
    fn locators_have_labels() {
        assert_eq!(locator("p. 12"), (Locator::Page, "12"));
        assert_eq!(locator("12–14"), (Locator::Page, "12–14"));
        assert_eq!(locator("chap. 3"), (Locator::Chapter, "3"));
        assert_eq!(locator("art. 5"), (Locator::Custom, "art. 5"));
    }

    #[test]
    fn repeated_citation_is_shortened_and_text_escaped() {
        let s = sources(BIB);
        let a = [CiteItem {
            key: "kwan".into(),
            offset: 0,
            locator: Some("p. 3".into()),
        }];
        let b = [CiteItem {
            key: "un".into(),
            offset: 0,
            locator: None,
        }];
        let (c, bib) = s.format(&[(&a, 1), (&a, 2), (&b, 3), (&a, 4)]);
        assert!(
            c[0].contains("<i>Crazy Rich Asians &amp; Co</i>"),
            "{}",
            c[0]
        );
        assert!(c[0].contains("Anchor Books"), "{}", c[0]);
        // Chicago (18th edition) uses the short note rather than "ibid.".
        assert_eq!(c[1], "Kwan, <i>Crazy Rich Asians &amp; Co</i>, 3.");
        assert_eq!(c[3], c[1]);
        let keys: Vec<_> = bib.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["kwan", "un"]);
    }

    #[test]
    fn malformed_entry_names_its_line() {
        let text =
            "ok:\n  type: Book\n  title: A\nbad:\n  type: Book\n  title: B\n  date: [1, 2]\n";
        let (_, d) = Sources::load(
            &[BibFile {
                path: "content/sources.yaml".into(),
                text: text.into(),
            }],
            StyleChoice::Bundled(DEFAULT_STYLE),
        );
        assert_eq!(d.len(), 1, "{d:?}");
        let msg = d[0].to_string();
        assert!(msg.contains("content/sources.yaml:"), "{msg}");
        assert!(msg.contains("`bad`"), "{msg}");
        assert!(d[0].line >= 4, "{msg}");
    }

    #[test]
    fn doubled_sentence_ends_are_tidied() {
        assert_eq!(
            tidy("Hacking against U.S..” Times"),
            "Hacking against U.S.” Times"
        );
        assert_eq!(tidy("<i>Trap?</i>. Boston"), "<i>Trap?</i> Boston");
        assert_eq!(tidy("wait... then. End."), "wait... then. End.");
    }

    #[test]
    fn only_the_locales_a_style_falls_back_to_are_decoded() {
        let Some(Style::Independent(style)) =
            ArchivedStyle::by_name("chicago-notes").map(|s| s.get())
        else {
            panic!("chicago-notes is bundled");
        };
        let langs: Vec<String> = locales_for(&style)
            .iter()
            .filter_map(|l| l.lang.as_ref().map(|c| c.0.clone()))
            .collect();
        assert_eq!(langs, ["en-US"]);
    }

    #[test]
    fn an_empty_bibliography_is_no_error() {
        for text in ["", "\n# nothing yet\n"] {
            let (s, d) = Sources::load(
                &[BibFile {
                    path: "content/sources.yaml".into(),
                    text: text.into(),
                }],
                StyleChoice::Bundled(DEFAULT_STYLE),
            );
            assert!(d.is_empty() && s.keys().is_empty(), "{d:?}");
        }
    }

    #[test]
    fn unknown_key_suggests_closest() {
        let s = sources(BIB);
        assert!(s.unknown("kwna").contains("did you mean `kwan`?"));
    }
}
