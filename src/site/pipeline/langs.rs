//! Languages: the site's content split by language, each language's glossary made of its
//! translations over the originals, the output of other languages under `/LANG/`, and which
//! pages exist in which languages (the alternates of each page).
//!
//! Every stage after the content runs once per language over that language's part of the
//! content, with routes whose base is the language's folder and an output that puts the
//! language's folder in front of every path: a page kind is written once and the same view
//! makes it in every language.

use super::*;
use crate::theme::context::Alternate;

/// One language's part of what a pipeline keeps.
#[derive(Default)]
pub(super) struct LangMemo {
    pub(super) glossary: Option<GlossaryMemo>,
    /// Free pages' renders and the fingerprint of what they were rendered from.
    pub(super) pages: Option<(u64, Vec<Rendered>)>,
    /// Newest first.
    pub(super) articles: Vec<Article>,
    /// The glossary entries' search documents; `None` when entries changed.
    pub(super) entry_search: Option<Arc<EntrySearch>>,
    /// Tags and authors, with the fingerprint of the commentary list they were made from.
    pub(super) terms: Option<(u64, [BTreeMap<String, Term>; 2])>,
}

/// One language of a run.
pub(super) struct Lang {
    /// BCP 47 code.
    pub(super) code: String,
    /// `""` for the default language, else `code/`: put in front of every output path.
    pub(super) prefix: String,
    /// The configuration as this language's pages see it (`language`, `title`,
    /// `description` are the language's).
    pub(super) config: SiteConfig,
    /// URLs under the language's folder.
    pub(super) routes: Routes,
}

impl Lang {
    /// Every language of the site, the default one first.
    pub(super) fn all(config: &SiteConfig, routes: &Routes) -> Vec<Lang> {
        let mut langs = vec![Lang {
            code: config.language.clone(),
            prefix: String::new(),
            config: config.clone(),
            routes: routes.clone(),
        }];
        for l in &config.languages {
            let mut c = config.clone();
            c.language = l.code.clone();
            if let Some(t) = &l.title {
                c.title = t.clone();
            }
            if l.description.is_some() {
                c.description = l.description.clone();
            }
            let prefix = format!("{}/", l.code);
            langs.push(Lang {
                code: l.code.clone(),
                routes: Routes::new(&routes.url(&prefix)),
                prefix,
                config: c,
            });
        }
        langs
    }

    /// Whether it is the default language.
    pub(super) fn is_default(&self) -> bool {
        self.prefix.is_empty()
    }

    /// Its code when it is not the default language (what `lang` fields hold).
    pub(super) fn other(&self) -> Option<&str> {
        (!self.is_default()).then_some(self.code.as_str())
    }
}

/// An output that puts a language's folder in front of every path.
pub(super) struct Prefixed<'a> {
    pub(super) inner: &'a dyn Sink,
    pub(super) prefix: &'a str,
}

impl Sink for Prefixed<'_> {
    fn begin(&mut self) -> Result<(), Diagnostic> {
        Ok(())
    }

    fn wants(&self, rel: &str, key: Option<u64>) -> bool {
        self.inner.wants(&format!("{}{rel}", self.prefix), key)
    }

    fn put(&self, rel: &str, key: Option<u64>, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        self.inner.put(&format!("{}{rel}", self.prefix), key, bytes)
    }

    fn finish(&mut self, _: bool, _: &dyn Fn(&str) -> bool) -> Result<Changes, Diagnostic> {
        Ok(Changes::default())
    }
}

/// The content of one language: its commentaries and free pages, and its glossary (its
/// translations over the originals, the untranslated originals kept for their
/// abbreviations).
pub(super) fn split<'f>(
    loaded: &mut Loaded<'f>,
    langs: &[Lang],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Loaded<'f>> {
    let mut out: Vec<Loaded<'f>> = langs
        .iter()
        .map(|_| Loaded {
            commentaries: Vec::new(),
            entries: Vec::new(),
            pages: Vec::new(),
            statics: Vec::new(),
        })
        .collect();
    let at = |lang: &Option<String>| -> Option<usize> {
        match lang {
            None => Some(0),
            Some(l) => langs.iter().position(|x| x.other() == Some(l.as_str())),
        }
    };
    // A translation has its original's slug (the original may set `slug:`). Only a site with
    // translations needs to know them (`serve` splits on every save).
    let translated = loaded.commentaries.iter().any(|(c, _)| c.lang.is_some());
    let originals: HashMap<PathBuf, String> = loaded
        .commentaries
        .iter()
        .filter(|_| translated)
        .filter(|(c, _)| c.lang.is_none())
        .map(|(c, _)| (c.file.path.with_extension(""), c.slug.clone()))
        .collect();
    // Glossary originals by file name, for a commentary translation filed with the wrong
    // kind of content (by file name: a commentary may share an entry's slug, as
    // `2014-09-01-cac.zh.md` does `cac.md`'s, but not its file name).
    let entry_originals: HashMap<&str, &Entry> = loaded
        .entries
        .iter()
        .filter(|_| translated)
        .filter(|(e, _)| e.lang.is_none())
        .filter_map(|(e, _)| Some((e.file.path.file_stem()?.to_str()?, &**e)))
        .collect();
    for (mut c, f) in std::mem::take(&mut loaded.commentaries) {
        if let Some(l) = c.lang.clone() {
            let base = c.file.path.with_extension("");
            let stem = base.to_str().and_then(|s| s.strip_suffix(&format!(".{l}")));
            let original = stem.and_then(|s| originals.get(Path::new(s)));
            if let Some(slug) = original.filter(|s| **s != c.slug) {
                c.to_mut().slug = slug.clone();
            }
            let name = stem.and_then(|s| Path::new(s).file_name()?.to_str());
            if original.is_none() {
                if let Some(e) = name.and_then(|n| entry_originals.get(n)) {
                    diags.push(mismatch(&c.file.path, "commentary", e, &l));
                }
            }
        }
        if let Some(i) = at(&c.lang) {
            out[i].commentaries.push((c, f));
        }
    }
    for (p, f) in std::mem::take(&mut loaded.pages) {
        if let Some(i) = at(&p.lang) {
            out[i].pages.push((p, f));
        }
    }
    let entries = std::mem::take(&mut loaded.entries);
    let translations: Vec<&(Cow<Entry>, u64)> =
        entries.iter().filter(|(e, _)| e.lang.is_some()).collect();
    for (i, lang) in langs.iter().enumerate().skip(1) {
        let code = lang.code.as_str();
        let mut mine: HashMap<&str, &(Cow<Entry>, u64)> = HashMap::new();
        for x in translations
            .iter()
            .filter(|(e, _)| e.lang.as_deref() == Some(code))
        {
            if let Some(first) = mine.insert(&x.0.slug, x) {
                diags.push(Diagnostic::file(
                    codes::DUPLICATE_SLUG,
                    &x.0.file.path,
                    format!(
                        "the glossary entry slug `{}` is already used by {}; slugs are unique across bodies and treaties; rename one file",
                        x.0.slug,
                        first.0.file.path.display()
                    ),
                ));
            }
        }
        let mut used: HashSet<&str> = HashSet::new();
        for (e, f) in entries.iter().filter(|(e, _)| e.lang.is_none()) {
            match mine.get(e.slug.as_str()) {
                Some((t, tf)) if t.kind == e.kind => {
                    used.insert(&t.slug);
                    out[i]
                        .entries
                        .push((Cow::Owned(overlay(e, t)), fp(&(f, tf, code))));
                }
                Some((t, _)) => {
                    used.insert(&t.slug);
                    diags.push(mismatch(&t.file.path, t.kind.as_str(), e, code));
                    out[i].entries.push((e.clone(), *f));
                }
                None => out[i].entries.push((e.clone(), *f)),
            }
        }
        for (t, f) in mine
            .values()
            .filter(|(t, _)| !used.contains(t.slug.as_str()))
        {
            out[i].entries.push(((*t).clone(), *f));
        }
        // In path order, whatever the map's.
        out[i]
            .entries
            .sort_by(|a, b| a.0.file.path.cmp(&b.0.file.path));
    }
    out[0].entries = entries
        .into_iter()
        .filter(|(e, _)| e.lang.is_none())
        .collect();
    out
}

/// The error for a translation (a `kind`, at `path`) whose original, `original`, is another
/// kind of content: it would otherwise be a page of its own, silently unlinked from it.
fn mismatch(path: &Path, kind: &str, original: &Entry, code: &str) -> Diagnostic {
    let name = original
        .file
        .path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let beside = original
        .file
        .path
        .with_file_name(format!("{name}.{code}.md"));
    Diagnostic::error(
        codes::TRANSLATION_KIND,
        path,
        1,
        1,
        format!(
            "this {kind} translation has the name of the {} `{}` ({}), which is not a {kind}; a translation is a version of the same kind of content: move it beside its original ({}), or rename it",
            original.kind.as_str(),
            original.slug,
            original.file.path.display(),
            beside.display()
        ),
    )
}

/// An entry in a translation's language: the translation's names, summary, `autolink`,
/// `extra` and body over the original's facts. The original's abbreviation stays a name of
/// the entry (it is how the entry is often written in every language).
fn overlay(original: &Entry, t: &Entry) -> Entry {
    let mut e = original.clone();
    e.name = t.name.clone();
    e.aliases = t.aliases.clone();
    e.abbr = t.abbr.clone().or_else(|| original.abbr.clone());
    if let Some(a) = &original.abbr {
        if e.abbr.as_ref() != Some(a) && !e.aliases.contains(a) {
            e.aliases.push(a.clone());
        }
    }
    e.summary = t.summary.clone();
    e.autolink = t.autolink;
    if t.extra != content::Yaml::Null {
        e.extra = t.extra.clone();
    }
    e.file = t.file.clone();
    e.lang = t.lang.clone();
    // Its references are the original's, checked there.
    e.refs = Vec::new();
    e
}

/// Which languages have each page, by its path without the language's folder: the pages of
/// every language (commentaries, entries, free pages, and the sections every language has),
/// for the `hreflang` links, the language switcher and the sitemap's alternates. Only pages
/// with two versions or more are listed.
pub(super) fn alternates(
    parts: &[Loaded],
    langs: &[Lang],
    drafts: bool,
) -> HashMap<String, Vec<Alternate>> {
    // A page has other versions only on a site of several languages.
    if parts.len() < 2 {
        return HashMap::new();
    }
    let mut by_path: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, part) in parts.iter().enumerate() {
        let lang = &langs[i];
        let mut paths: Vec<String> = vec![
            Routes::home(1),
            routes::GLOSSARY.into(),
            routes::TIMELINE.into(),
            Routes::taxonomy(Taxonomy::Tags),
            Routes::taxonomy(Taxonomy::Authors),
        ];
        if lang.config.search {
            paths.push(routes::SEARCH.into());
        }
        paths.extend(
            part.commentaries
                .iter()
                .filter(|(c, _)| drafts || !c.draft)
                .map(|(c, _)| Routes::commentary(&c.slug)),
        );
        paths.extend(
            part.entries
                .iter()
                .filter(|(e, _)| lang.is_default() || e.lang.as_deref() == Some(&lang.code))
                .map(|(e, _)| Routes::entry(e.kind, &e.slug)),
        );
        paths.extend(
            part.pages
                .iter()
                .filter(|(p, _)| drafts || !p.draft)
                .map(|(p, _)| Routes::page(&p.slug)),
        );
        for p in paths {
            let v = by_path.entry(p).or_default();
            if v.last() != Some(&i) {
                v.push(i);
            }
        }
    }
    by_path
        .into_iter()
        .filter(|(_, v)| v.len() > 1)
        .map(|(path, v)| {
            let list = v
                .into_iter()
                .map(|i| Alternate {
                    code: langs[i].code.clone(),
                    name: crate::lang::endonym(&langs[i].code).to_string(),
                    url: langs[i].routes.url(&path),
                    default: i == 0,
                })
                .collect();
            (path, list)
        })
        .collect()
}

/// `check`'s notice of each commentary of the default language that has no version in one
/// of the other languages: information, not a problem (a site translates what it chooses).
pub(super) fn missing_translations(
    parts: &[Loaded],
    langs: &[Lang],
    drafts: bool,
) -> Vec<Diagnostic> {
    let Some((first, others)) = parts.split_first() else {
        return Vec::new();
    };
    let slugs: Vec<HashSet<&str>> = others
        .iter()
        .map(|p| {
            p.commentaries
                .iter()
                .map(|(c, _)| c.slug.as_str())
                .collect()
        })
        .collect();
    let mut out = Vec::new();
    for (c, _) in first
        .commentaries
        .iter()
        .filter(|(c, _)| drafts || !c.draft)
    {
        let missing: Vec<&str> = langs[1..]
            .iter()
            .zip(&slugs)
            .filter(|(_, s)| !s.contains(c.slug.as_str()))
            .map(|(l, _)| l.code.as_str())
            .collect();
        if !missing.is_empty() {
            let stem = c
                .file
                .path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("NAME");
            let files: Vec<String> = missing.iter().map(|l| format!("{stem}.{l}.md")).collect();
            out.push(
                Diagnostic::error(
                    codes::MISSING_TRANSLATION,
                    &c.file.path,
                    1,
                    1,
                    format!(
                        "the commentary `{}` has no translation in {} ({})",
                        c.slug,
                        missing.join(", "),
                        files.join(", ")
                    ),
                )
                .as_info(),
            );
        }
    }
    out
}

/// A free page of the default language at `/LANG/` would be written over the home page of
/// language LANG: an error, before anything is written.
pub(super) fn pages_on_language_folders(parts: &[Loaded], langs: &[Lang]) -> Vec<Diagnostic> {
    let Some(first) = parts.first() else {
        return Vec::new();
    };
    first
        .pages
        .iter()
        .filter(|(p, _)| langs.iter().any(|l| l.other() == Some(p.slug.as_str())))
        .map(|(p, _)| {
            Diagnostic::error(
                codes::BAD_SLUG,
                &p.file.path,
                1,
                1,
                format!(
                    "the page slug `{}` is the folder of the site's `{}` version; set a different `slug:` (or rename the file)",
                    p.slug, p.slug
                ),
            )
        })
        .collect()
}
