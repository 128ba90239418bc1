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
    /// PDFs of the commentaries (`pdf:`).
    pub pdf: PdfConfig,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Commentary".into(),
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
    "pdf",
];

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
        let text = "title: T\ndescription: D\nbase_url: https://example.org/policy\nlanguage: fr\ntheme: plain\npaginate: 5\nautolink: all\nsanitize_html: true\nmax_file_mb: 2\nsearch: false\ncitation_style: apa\nstates: [China, United States]\nextra:\n  a: 1\npdf:\n  enabled: true\n  paper: us-letter\n  standard: a-2a\n  fonts:\n    - fonts/Noto.otf\n";
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
        assert!(c.pdf.enabled);
        assert_eq!(
            (c.pdf.paper, c.pdf.standard),
            (Paper::Letter, PdfStandard::A2a)
        );
        assert_eq!(c.pdf.fonts, [("fonts/Noto.otf".into(), (20, 7))]);
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
