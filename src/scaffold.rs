//! `scholia new` and `scholia init`: files that start an author off right.
//!
//! Everything written here builds with zero warnings; `init` copies the default theme's
//! templates out so that a site can change them.

use crate::cli::NewKind;
use crate::codes;
use crate::content::Date;
use crate::error::Diagnostic;
use crate::slug::slugify;
use std::path::{Path, PathBuf};

fn yaml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The text of a new commentary. `entry` is the slug of a glossary entry of the site to show
/// an explicit link with (a link to a missing entry would break the build).
pub fn commentary_text(title: &str, today: Date, entry: Option<&str>) -> String {
    let links = match entry {
        Some(slug) => format!(
            "link an entry\nexplicitly with its slug, like [[{slug}]], or with other text: [[{slug}|this entry]]."
        ),
        None => "link an entry\nexplicitly with `[[slug]]` (the file name of an entry under content/glossary/),\nor with other text: `[[slug|shown text]]`.".to_string(),
    };
    format!(
        r#"---
title: {title}
date: {today}
authors: ["Your Name"]
summary: "One or two sentences for the home page, feeds and search results."
tags: ["analysis"]
# source: {{ publisher: "Where it first appeared", url: "https://example.org/", date: {today} }}
# slug: a-custom-url-segment
# draft: true
# autolink: false      # no automatic glossary links in this article
# extra: {{}}            # free-form data for templates
---

Write the commentary here. Names in the glossary are linked automatically; {links}

Annotate a claim with a footnote.[^source]

[^source]: Publisher, "Title of the source," date, URL. Notes may hold several paragraphs
    and glossary links.
"#,
        title = yaml_string(title),
    )
}

/// The text of a new glossary entry of `kind` (body or treaty).
pub fn entry_text(kind: NewKind, name: &str) -> String {
    let facts = match kind {
        NewKind::Treaty => "# adopted: 2010-09-10       # date adopted (YYYY-MM-DD)\n# in_force: 2018-07-01      # date of entry into force\n# place: \"Beijing\"          # where it was adopted\n# depositary: icao          # a body slug, or text such as \"Secretary-General of the United Nations\"\n",
        _ => "# jurisdiction: \"International\"\n# established: 1947-04-04\n# dissolved: 2018-03-21\n# parent: another-body-slug\n# successor: another-body-slug\n",
    };
    format!(
        "---\nname: {}\n# abbr: ABC                 # short form, linked case-sensitively\n# aliases: [\"Other Name\"]   # other names that are linked automatically\nsummary: \"One line for hover cards.\"\n{facts}# related: [other-slug]\n# url: \"https://example.org/\"\n# autolink: false           # explicit [[slug]] links only\n# extra: {{}}\n---\n\nWhat it is, in a paragraph or two.\n",
        yaml_string(name)
    )
}

fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    if path.exists() {
        return Err(Diagnostic::file(
            codes::EXISTS,
            path,
            "already exists; scholia new never overwrites a file (choose another title)",
        ));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| {
            Diagnostic::file(codes::IO, dir, format!("cannot create the folder: {e}"))
        })?;
    }
    std::fs::write(path, text)
        .map_err(|e| Diagnostic::file(codes::IO, path, format!("cannot write: {e}")))
}

/// The slug of the site's first glossary entry (bodies first, by name), if any.
fn first_entry(root: &Path) -> Option<String> {
    ["bodies", "treaties"].iter().find_map(|kind| {
        let dir = root.join("content/glossary").join(kind);
        let mut stems: Vec<String> = std::fs::read_dir(dir)
            .ok()?
            .filter_map(Result::ok)
            .filter_map(|e| {
                let p = e.path();
                (p.extension()? == "md").then_some(())?;
                Some(p.file_stem()?.to_string_lossy().into_owned())
            })
            .collect();
        stems.sort();
        stems.into_iter().next()
    })
}

/// `scholia new KIND TITLE`: writes the file and says where, and the URL it will have.
pub fn new(root: &Path, kind: NewKind, title: &str) -> Result<Vec<String>, Vec<Diagnostic>> {
    let slug = slugify(title);
    let (path, url, text) = match kind {
        NewKind::Commentary => {
            let today = Date::today();
            (
                root.join("content/commentaries")
                    .join(format!("{today}-{slug}.md")),
                format!("/commentaries/{slug}/"),
                commentary_text(title, today, first_entry(root).as_deref()),
            )
        }
        NewKind::Body => (
            root.join("content/glossary/bodies")
                .join(format!("{slug}.md")),
            format!("/glossary/bodies/{slug}/"),
            entry_text(kind, title),
        ),
        NewKind::Treaty => (
            root.join("content/glossary/treaties")
                .join(format!("{slug}.md")),
            format!("/glossary/treaties/{slug}/"),
            entry_text(kind, title),
        ),
    };
    write_new(&path, &text).map_err(|d| vec![d])?;
    Ok(vec![format!(
        "created {} (its page will be {url})",
        path.display()
    )])
}

/// The original commentary a title names: a file of `content/commentaries/` in the default
/// language whose slug is the title's slug or whose title is the title. (file, its title).
fn original_commentary(root: &Path, title: &str) -> Option<(PathBuf, String)> {
    let slug = slugify(title);
    let dir = root.join("content/commentaries");
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files.into_iter().find_map(|path| {
        let text = std::fs::read_to_string(&path).ok()?;
        let (c, _) = crate::content::parse_commentary(&path, text);
        let c = c?;
        let stem = path.file_stem()?.to_str()?;
        // A translation (`a.zh.md`) is not an original.
        if stem
            .rsplit_once('.')
            .is_some_and(|(_, l)| crate::lang::is_code(l))
        {
            return None;
        }
        (c.slug == slug || c.title.eq_ignore_ascii_case(title.trim())).then_some((path, c.title))
    })
}

/// `scholia new KIND TITLE --lang LANG`: the LANG version of the commentary or entry the
/// title names, written beside it (`NAME.LANG.md`), or a new file in LANG when there is
/// none. LANG must be one of the site's languages.
pub fn translation(
    root: &Path,
    kind: NewKind,
    title: &str,
    lang: &str,
) -> Result<Vec<String>, Vec<Diagnostic>> {
    let shown = Path::new("scholia.yaml");
    let config = crate::config::SiteConfig::load(root, shown)?;
    let others: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    if !others.contains(&lang) {
        let hint = match crate::error::closest(lang, others.iter().copied()) {
            Some(c) => format!("did you mean `{c}`?"),
            None => {
                format!("add it to `languages:` in scholia.yaml (`languages: {{{lang}: {{}}}}`)")
            }
        };
        return Err(vec![Diagnostic::global(
            codes::BAD_LANGUAGE,
            format!(
                "`{lang}` is not one of the site's other languages ({}); {hint}",
                if others.is_empty() {
                    "none yet".to_string()
                } else {
                    others.join(", ")
                }
            ),
        )]);
    }
    let slug = slugify(title);
    let (path, url, text) = match kind {
        NewKind::Commentary => match original_commentary(root, title) {
            Some((original, original_title)) => {
                let stem = original.file_stem().and_then(|s| s.to_str()).unwrap_or("x");
                let (c, _) = crate::content::parse_commentary(
                    &original,
                    std::fs::read_to_string(&original).unwrap_or_default(),
                );
                let date = c.as_ref().map_or(Date::today(), |c| c.date);
                let summary = c
                    .as_ref()
                    .and_then(|c| c.summary.as_deref())
                    .map(|s| format!("summary: {}   # translate the summary\n", yaml_string(s)))
                    .unwrap_or_default();
                let slug = c.map_or(slug.clone(), |c| c.slug);
                (
                    original.with_file_name(format!("{stem}.{lang}.md")),
                    format!("/{lang}/commentaries/{slug}/"),
                    format!(
                        "---\ntitle: {}   # translate the title\ndate: {date}\n{summary}---\n\nThe {lang} version of {}: translate the text here.\n",
                        yaml_string(&original_title),
                        original.strip_prefix(root).unwrap_or(&original).display()
                    ),
                )
            }
            None => {
                let today = Date::today();
                (
                    root.join("content/commentaries")
                        .join(format!("{today}-{slug}.{lang}.md")),
                    format!("/{lang}/commentaries/{slug}/"),
                    commentary_text(title, today, None),
                )
            }
        },
        NewKind::Body | NewKind::Treaty => {
            let folder = if matches!(kind, NewKind::Body) {
                "bodies"
            } else {
                "treaties"
            };
            let dir = root.join("content/glossary").join(folder);
            (
                dir.join(format!("{slug}.{lang}.md")),
                format!("/{lang}/glossary/{folder}/{slug}/"),
                format!(
                    "---\nname: {}   # the name in {lang}\n# abbr: ABC\n# aliases: [\"Other Name\"]\nsummary: \"One line for hover cards.\"\n# Facts (dates, jurisdiction, parties…) come from the original, {slug}.md.\n---\n\nWhat it is, in {lang}.\n",
                    yaml_string(title)
                ),
            )
        }
    };
    write_new(&path, &text).map_err(|d| vec![d])?;
    Ok(vec![format!(
        "created {} (its page will be {url})",
        path.display()
    )])
}

/// `scholia init DIR`: a site that builds with zero warnings.
pub fn init(dir: &Path) -> Result<Vec<String>, Vec<Diagnostic>> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        // A folder has no line to point at: it is named in the message instead.
        return Err(vec![Diagnostic::global(
            codes::EXISTS,
            format!(
                "{}/ is not empty; scholia init only creates new sites (choose a new folder)",
                dir.display()
            ),
        )]);
    }
    let today = Date::today();
    let mut files: Vec<(PathBuf, String)> = vec![
        // The built site and the build cache are made, not written.
        (".gitignore".into(), "/site/\n/.scholia-cache/\n".into()),
        (
            "scholia.yaml".into(),
            "title: \"My Commentary\"\ndescription: \"Annotated commentary on international affairs.\"\nbase_url: \"/\"\nlanguage: en\n# paginate: 10\n# autolink: first    # first | all | none\n".into(),
        ),
        (
            format!("content/commentaries/{today}-welcome.md").into(),
            commentary_text("Welcome", today, Some("example-body"))
                .replace("tags: [\"analysis\"]", "tags: [\"meta\"]")
                .replace(
                    "Annotate a claim",
                    "The Example Agency and the Example Convention are linked by name.\n\nAnnotate a claim",
                ),
        ),
        (
            "content/glossary/bodies/example-body.md".into(),
            "---\nname: \"Example Agency\"\nabbr: \"EXA\"\nsummary: \"An example body; replace it with a real institution.\"\njurisdiction: \"International\"\nestablished: 2001-01-01\nrelated: [example-treaty]\n---\n\nThe Example Agency stands in for an institution your commentaries mention.\n".into(),
        ),
        (
            "content/glossary/treaties/example-treaty.md".into(),
            "---\nname: \"Example Convention\"\nsummary: \"An example treaty; replace it with a real one.\"\nadopted: 2001-11-23\nplace: \"Budapest\"\ndepositary: example-body\n---\n\nThe Example Convention stands in for a treaty your commentaries mention.\n".into(),
        ),
    ];
    for (rel, bytes) in crate::theme::embedded::all_files() {
        files.push((
            Path::new("themes/default").join(rel),
            String::from_utf8_lossy(bytes).into_owned(),
        ));
    }
    for (rel, text) in &files {
        write_new(&dir.join(rel), text).map_err(|d| vec![d])?;
    }
    Ok(vec![format!(
        "created a new site in {0}; build it with `scholia build --root {0}`",
        dir.display()
    )])
}
