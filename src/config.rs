//! `scholia.yaml`: the site configuration. Every key has a default, so the file is optional;
//! unknown keys are errors, as in front matter.

use crate::codes;
use crate::content::fields::Fields;
use crate::content::front_matter::{self, Yaml};
use crate::error::Diagnostic;
use std::path::Path;

/// How glossary names are linked automatically: site-wide (`autolink:` in `scholia.yaml`),
/// and in one body once its own `autolink: false` is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Autolink {
    /// The first mention of each entry in each page.
    #[default]
    First,
    /// Every mention.
    All,
    /// None: explicit `[[slug]]` links only.
    None,
}

/// Paper size of the PDFs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Paper {
    /// ISO A4.
    #[default]
    A4,
    /// US letter.
    Letter,
}

impl Paper {
    /// Typst's name for it.
    pub fn typst(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::Letter => "us-letter",
        }
    }
}

/// The standard PDFs conform to (`pdf.standard`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum PdfStandard {
    /// PDF/UA-1 (accessible).
    #[default]
    Ua1,
    /// PDF/A-2a (archival, accessible).
    A2a,
    /// Tagged, but no standard checked.
    None,
}

/// `pdf:` in `scholia.yaml`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PdfConfig {
    /// Every commentary gets a PDF (a commentary's `pdf:` overrides this).
    pub enabled: bool,
    /// Paper size.
    pub paper: Paper,
    /// Standard to conform to.
    pub standard: PdfStandard,
    /// Fonts added to the embedded ones, relative to the site root, with where each was
    /// given (line, column).
    pub fonts: Vec<(std::path::PathBuf, (usize, usize))>,
}

const PDF_KEYS: &[&str] = &["enabled", "paper", "standard", "fonts"];

/// Reads `pdf:` (its keys were checked by `Fields::nested`).
fn pdf_config(f: &mut Fields, entries: &[(String, Yaml)]) -> PdfConfig {
    let mut p = PdfConfig::default();
    for (k, v) in entries {
        let at = format!("pdf.{k}");
        match (k.as_str(), v) {
            ("enabled", Yaml::Bool(b)) => p.enabled = *b,
            ("paper", Yaml::String(s)) if s == "a4" => p.paper = Paper::A4,
            // `us-letter` is the contract's (and Typst's) name; `letter` is taken too.
            ("paper", Yaml::String(s)) if s == "us-letter" || s == "letter" => {
                p.paper = Paper::Letter
            }
            ("standard", Yaml::String(s)) if s == "ua-1" => p.standard = PdfStandard::Ua1,
            ("standard", Yaml::String(s)) if s == "a-2a" => p.standard = PdfStandard::A2a,
            ("standard", Yaml::String(s)) if s == "none" => p.standard = PdfStandard::None,
            ("fonts", Yaml::List(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let loc = f.loc(&format!("{at}.{i}"));
                    match item {
                        Yaml::String(s)
                            if [".otf", ".ttf", ".ttc", ".otc"]
                                .iter()
                                .any(|e| s.to_ascii_lowercase().ends_with(e)) =>
                        {
                            p.fonts.push((s.into(), loc));
                        }
                        other => f.nested_error(
                            codes::CONFIG,
                            &at,
                            format!("every item of `pdf.fonts` must be the path of a static .otf or .ttf file (from the site root), not `{}`", yaml_text(other)),
                        ),
                    }
                }
            }
            ("enabled", other) => f.nested_error(
                codes::CONFIG,
                &at,
                format!(
                    "`pdf.enabled` must be `true` or `false`, not `{}`",
                    yaml_text(other)
                ),
            ),
            ("paper", other) => f.nested_error(
                codes::CONFIG,
                &at,
                format!(
                    "`pdf.paper` must be `a4` or `us-letter`, not `{}`",
                    yaml_text(other)
                ),
            ),
            ("standard", other) => f.nested_error(
                codes::CONFIG,
                &at,
                format!(
                    "`pdf.standard` must be `ua-1`, `a-2a` or `none`, not `{}`",
                    yaml_text(other)
                ),
            ),
            ("fonts", other) => f.nested_error(
                codes::CONFIG,
                &at,
                format!(
                    "`pdf.fonts` must be a list of font files, not `{}`",
                    yaml_text(other)
                ),
            ),
            _ => {}
        }
    }
    p
}

fn yaml_text(v: &Yaml) -> String {
    match v {
        Yaml::String(s) => s.clone(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Int(i) => i.to_string(),
        Yaml::Float(x) => x.to_string(),
        other => other.type_name().to_string(),
    }
}

/// The site configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteConfig {
    /// Site name.
    pub title: String,
    /// Where `title` was set (line, column), for the link cards' warning about its letters.
    pub title_at: (usize, usize),
    /// For meta tags and the feed.
    pub description: Option<String>,
    /// Absolute URL of the site root, always ending in `/`.
    pub base_url: String,
    /// `lang` of every page.
    pub language: String,
    /// Theme folder name.
    pub theme: String,
    /// Commentaries per home page.
    pub paginate: usize,
    /// Automatic linking mode.
    pub autolink: Autolink,
    /// Clean raw HTML in Markdown.
    pub sanitize_html: bool,
    /// Whether to build the full-text search index and page.
    pub search: bool,
    /// Largest content file read, in bytes (`max_file_mb`).
    pub max_file_bytes: u64,
    /// Free map for templates.
    pub extra: Yaml,
    /// `citation_style`: a bundled CSL style name, or a `.csl` file relative to the site root.
    pub citation_style: String,
    /// Where `citation_style` was set (line, column), for messages about its file.
    pub citation_style_at: (usize, usize),
    /// States of interest (`states:`): their status is shown on treaty pages and cards.
    pub states: Vec<String>,
    /// Whether each commentary gets a link card (`cards:`, default false: drawing one costs
    /// more than the rest of its page, so a site asks for them).
    pub cards: bool,
    /// Font files (`fonts:`), relative to the site root, tried after the compiled-in font for
    /// text it cannot draw (link cards; meant for the PDF output too).
    pub fonts: Vec<FontFile>,
    /// The other languages (`languages:`), in the order given.
    pub languages: Vec<Language>,
    /// PDFs of the commentaries (`pdf:`).
    pub pdf: PdfConfig,
}

/// A font file named in `fonts:`, with where it was named.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FontFile {
    /// As written: relative to the site root, or absolute.
    pub path: String,
    /// Line of the item in scholia.yaml.
    pub line: usize,
    /// Column of the item.
    pub col: usize,
}

/// A language besides the default one.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Language {
    /// BCP 47 code: the output folder (`/zh/`) and `lang` of its pages.
    pub code: String,
    /// The site's title in this language (else the default one).
    pub title: Option<String>,
    /// The site's description in this language (else the default one).
    pub description: Option<String>,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Commentary".into(),
            title_at: (1, 1),
            description: None,
            base_url: "/".into(),
            language: "en".into(),
            theme: "default".into(),
            paginate: 10,
            autolink: Autolink::First,
            sanitize_html: false,
            search: true,
            max_file_bytes: 20_000_000,
            extra: Yaml::Null,
            citation_style: crate::cite::DEFAULT_STYLE.into(),
            citation_style_at: (0, 0),
            states: Vec::new(),
            cards: false,
            fonts: Vec::new(),
            languages: Vec::new(),
            pdf: PdfConfig::default(),
        }
    }
}

const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "paginate",
    "autolink",
    "sanitize_html",
    "max_file_mb",
    "search",
    "extra",
    "citation_style",
    "states",
    "cards",
    "fonts",
    "languages",
    "pdf",
];
const LANGUAGE_KEYS: &[&str] = &["title", "description"];

/// `https://x.org/a` → `https://x.org/a/`; `` → `/`.
pub fn normalize_base_url(url: &str) -> String {
    let url = url.trim();
    if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

impl SiteConfig {
    /// Parses the text of `scholia.yaml`; `path` is only used in messages.
    pub fn parse(path: &Path, text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let doc = front_matter::parse(text, 1).map_err(|e| {
            vec![Diagnostic::error(
                codes::YAML,
                path,
                e.line,
                e.col,
                format!("invalid YAML: {}", e.message),
            )]
        })?;
        let mut f = Fields::new(&doc, path, KEYS);
        let mut c = SiteConfig::default();
        if let Some(v) = f.string("title") {
            c.title = v;
            c.title_at = f.loc("title");
        }
        c.description = f.string("description");
        if let Some(v) = f.string("base_url") {
            c.base_url = normalize_base_url(&v);
        }
        if let Some(v) = f.string("language") {
            c.language = v;
        }
        if let Some(v) = f.string("theme") {
            if crate::slug::is_safe_segment(&v) {
                c.theme = v;
            } else {
                f.nested_error(
                    codes::CONFIG,
                    "theme",
                    format!("`theme` must be a folder name under themes/, not `{v}`"),
                );
            }
        }
        if let Some(v) = f.uint("paginate") {
            if v == 0 {
                f.nested_error(
                    codes::CONFIG,
                    "paginate",
                    "`paginate` must be at least 1".into(),
                );
            } else {
                c.paginate = v as usize;
            }
        }
        if let Some(v) = f.string("autolink") {
            c.autolink = match v.as_str() {
                "first" => Autolink::First,
                "all" => Autolink::All,
                "none" => Autolink::None,
                other => {
                    f.nested_error(
                        codes::CONFIG,
                        "autolink",
                        format!("`autolink` must be `first`, `all` or `none`, not `{other}`"),
                    );
                    Autolink::First
                }
            };
        } else if let Some(Yaml::Bool(false)) = doc.get("autolink") {
            // YAML reads a bare `none`/`no`/`off` as a string in the core schema, but `false` is
            // a boolean; accept it as the obvious meaning.
            c.autolink = Autolink::None;
            f.diags.retain(|d| !d.message.starts_with("`autolink`"));
        }
        if let Some(v) = f.bool("sanitize_html") {
            c.sanitize_html = v;
        }
        if let Some(v) = f.bool("search") {
            c.search = v;
        }
        if let Some(mb) = f.uint("max_file_mb") {
            if mb == 0 {
                f.nested_error(
                    codes::CONFIG,
                    "max_file_mb",
                    "`max_file_mb` must be at least 1".into(),
                );
            } else {
                c.max_file_bytes = mb.saturating_mul(1_000_000);
            }
        }
        c.extra = f.map("extra").unwrap_or(Yaml::Null);
        if let Some(v) = f.string("citation_style") {
            c.citation_style_at = f.loc("citation_style");
            if v.ends_with(".csl") || crate::cite::is_bundled(&v) {
                c.citation_style = v;
            } else {
                f.nested_error(
                    codes::BAD_STYLE,
                    "citation_style",
                    format!(
                        "`citation_style` is not a bundled style or a .csl file: `{v}`{}",
                        crate::error::did_you_mean(&v, crate::cite::style_names())
                    ),
                );
            }
        }
        c.states = f.string_list("states");
        if let Some(v) = f.bool("cards") {
            c.cards = v;
        }
        c.fonts = f
            .string_list("fonts")
            .into_iter()
            .enumerate()
            .map(|(i, path)| {
                let (line, col) = f.loc(&format!("fonts.{i}"));
                FontFile { path, line, col }
            })
            .collect();
        c.languages = languages(&mut f, &c.language);
        if let Some(entries) = f.nested("pdf", PDF_KEYS) {
            c.pdf = pdf_config(&mut f, &entries);
        }
        f.diags.sort_by_key(|d| (d.line, d.col));
        if f.diags.is_empty() {
            Ok(c)
        } else {
            Err(f.diags)
        }
    }

    /// Every language code of the site, the default one first.
    pub fn codes(&self) -> Vec<String> {
        std::iter::once(self.language.clone())
            .chain(self.languages.iter().map(|l| l.code.clone()))
            .collect()
    }

    /// Loads `root/scholia.yaml`, or the defaults when there is none.
    pub fn load(root: &Path, shown: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let path = root.join("scholia.yaml");
        if !path.exists() {
            return Ok(SiteConfig::default());
        }
        let text = crate::content::discover::read_text(&path, shown).map_err(|d| vec![d])?;
        SiteConfig::parse(shown, &text)
    }
}

/// `languages:`: a map of BCP 47 code → `{title, description}` (both optional).
fn languages(f: &mut Fields, default: &str) -> Vec<Language> {
    let mut out: Vec<Language> = Vec::new();
    let Some(Yaml::Map(map)) = f.map("languages") else {
        return out;
    };
    for (code, v) in map {
        let at = format!("languages.{code}");
        let mut lang = Language {
            code: code.clone(),
            title: None,
            description: None,
        };
        match v {
            Yaml::Null => {}
            Yaml::Map(entries) => {
                for (k, v) in entries {
                    let key = format!("{at}.{k}");
                    match (k.as_str(), v) {
                        ("title", Yaml::String(s)) => lang.title = Some(s),
                        ("description", Yaml::String(s)) => lang.description = Some(s),
                        (k, Yaml::Null) if LANGUAGE_KEYS.contains(&k) => {}
                        (k, v) if LANGUAGE_KEYS.contains(&k) => f.nested_error(
                            codes::WRONG_TYPE,
                            &key,
                            format!("`{key}` must be a string, found {}", v.type_name()),
                        ),
                        (k, _) => f.nested_error(
                            codes::UNKNOWN_KEY,
                            &key,
                            format!(
                                "unknown key `{k}` in `{at}`{}; allowed keys: title, description",
                                crate::error::did_you_mean(k, LANGUAGE_KEYS.iter().copied())
                            ),
                        ),
                    }
                }
            }
            other => {
                f.nested_error(
                    codes::WRONG_TYPE,
                    &at,
                    format!(
                        "`{at}` must be a map (`{{title: …, description: …}}`) or empty, found {}",
                        other.type_name()
                    ),
                );
                continue;
            }
        }
        if !crate::lang::is_code(&code) {
            let dashed = code.replace('_', "-");
            let lower = match dashed.split_once('-') {
                Some((primary, rest)) => format!("{}-{rest}", primary.to_lowercase()),
                None => dashed.to_lowercase(),
            };
            let hint = if crate::lang::is_code(&lower) || crate::lang::looks_like_code(&lower) {
                format!("; write `{lower}`")
            } else {
                String::new()
            };
            f.nested_error(
                codes::BAD_LANGUAGE,
                &at,
                format!("`{code}` is not a BCP 47 language code (e.g. `zh`, `fr`, `pt-BR`){hint}"),
            );
        } else if code == default {
            f.nested_error(
                codes::BAD_LANGUAGE,
                &at,
                format!("`{code}` is the default language (`language:`); list only the other languages under `languages:`"),
            );
        } else if crate::routes::RESERVED.contains(&code.as_str()) {
            f.nested_error(
                codes::BAD_LANGUAGE,
                &at,
                format!(
                    "`{code}` is taken by a section of the site and cannot be a language folder"
                ),
            );
        } else {
            out.push(lang);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<SiteConfig, Vec<String>> {
        SiteConfig::parse(Path::new("scholia.yaml"), text)
            .map_err(|d| d.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn empty_config_is_all_defaults() {
        assert_eq!(parse("").unwrap(), SiteConfig::default());
    }

    #[test]
    fn reads_every_key() {
        let text = "title: T\ndescription: D\nbase_url: https://example.org/policy\nlanguage: fr\ntheme: plain\npaginate: 5\nautolink: all\nsanitize_html: true\nmax_file_mb: 2\nsearch: false\ncitation_style: apa\nstates: [China, United States]\ncards: false\nfonts:\n  - fonts/a.ttf\n  - fonts/b.otf\nlanguages: {zh: {title: 中文站}, ar: ~}\nextra:\n  a: 1\npdf:\n  enabled: true\n  paper: us-letter\n  standard: a-2a\n  fonts:\n    - fonts/Noto.otf\n";
        // A key added to KEYS without being read here fails this, instead of shipping
        // accepted-but-ignored (or, the other way round, documented-but-rejected).
        for key in KEYS {
            assert!(
                text.contains(&format!("{key}:")),
                "`{key}` is not exercised"
            );
        }
        let c = parse(text).unwrap();
        assert_eq!(c.title, "T");
        assert_eq!(c.description.as_deref(), Some("D"));
        assert_eq!(c.base_url, "https://example.org/policy/");
        assert_eq!(c.language, "fr");
        assert_eq!(c.theme, "plain");
        assert_eq!(c.paginate, 5);
        assert_eq!(c.autolink, Autolink::All);
        assert!(c.sanitize_html);
        assert_eq!(c.max_file_bytes, 2_000_000);
        assert!(!c.search);
        assert_eq!(c.citation_style, "apa");
        assert_eq!(c.states, ["China", "United States"]);
        assert!(matches!(c.extra, Yaml::Map(_)));
        assert!(!c.cards);
        let fonts: Vec<_> = c
            .fonts
            .iter()
            .map(|f| (f.path.as_str(), f.line, f.col))
            .collect();
        assert_eq!(fonts, [("fonts/a.ttf", 15, 5), ("fonts/b.otf", 16, 5)]);
        assert_eq!(c.codes(), ["fr", "zh", "ar"]);
        assert_eq!(c.languages[0].title.as_deref(), Some("中文站"));
        assert!(c.pdf.enabled);
        assert_eq!(
            (c.pdf.paper, c.pdf.standard),
            (Paper::Letter, PdfStandard::A2a)
        );
        assert_eq!(c.pdf.fonts, [("fonts/Noto.otf".into(), (25, 7))]);
    }

    #[test]
    fn pdf_defaults_to_off_a4_and_pdf_ua() {
        let c = parse("pdf:\n  enabled: true\n").unwrap();
        assert_eq!(
            (c.pdf.paper, c.pdf.standard, c.pdf.fonts.len()),
            (Paper::A4, PdfStandard::Ua1, 0)
        );
        assert!(!SiteConfig::default().pdf.enabled);
    }

    #[test]
    fn languages_are_checked() {
        let e =
            parse("language: en\nlanguages:\n  zh_CN: {}\n  en: {}\n  fr: {titel: x}\n  de: 3\n")
                .unwrap_err();
        assert_eq!(e.len(), 4, "{e:#?}");
        assert!(e[0].contains(":3:10: `zh_CN` is not a BCP 47 language code (e.g. `zh`, `fr`, `pt-BR`); write `zh-CN`"), "{e:?}");
        assert!(e[1].contains(":4:7: `en` is the default language"), "{e:?}");
        assert!(
            e[2].contains("unknown key `titel` in `languages.fr`; did you mean `title`?"),
            "{e:?}"
        );
        assert!(e[3].contains("`languages.de` must be a map"), "{e:?}");
    }

    #[test]
    fn citation_style_is_a_bundled_name_or_a_file() {
        assert_eq!(
            parse("citation_style: apa\n").unwrap().citation_style,
            "apa"
        );
        let c = parse("citation_style: styles/house.csl\n").unwrap();
        assert_eq!(
            (c.citation_style.as_str(), c.citation_style_at),
            ("styles/house.csl", (1, 17))
        );
        let e = parse("citation_style: chicago-note\n").unwrap_err();
        assert!(e[0].contains("scholia.yaml:1:17: `citation_style` is not a bundled style or a .csl file: `chicago-note`; did you mean `chicago-notes`?"), "{e:?}");
    }

    #[test]
    fn unknown_and_bad_keys_are_errors() {
        let e = parse("titl: T\nautolink: some\npaginate: 0\n").unwrap_err();
        assert_eq!(e.len(), 3, "{e:#?}");
        assert!(
            e[0].starts_with("error: scholia.yaml:1:1: unknown key `titl`; did you mean `title`?")
        );
        assert!(e[1].contains(":2:11: `autolink` must be `first`, `all` or `none`"));
        assert!(e[2].contains(":3:11: `paginate` must be at least 1"));
    }
}
