//! The first stages: configuration, bibliography and theme, each read again only when its
//! files changed.

use super::extras::slash;
use super::*;

impl Pipeline {
    /// The configuration: read again (and everything kept dropped) when `scholia.yaml`
    /// changed. Returns whether it changed.
    pub(super) fn config(&mut self, diags: &mut Vec<Diagnostic>) -> bool {
        let root = &self.opts.root;
        let hash = if self.keyed {
            fp(&(
                std::fs::read(root.join("scholia.yaml")).ok(),
                &self.opts.base_url,
            ))
        } else {
            0
        };
        let changed = self.memo.config.as_ref().map(|c| c.hash) != Some(hash);
        if changed {
            // Any change can change every page: start over (the theme's epoch goes on
            // counting, so no page key repeats).
            let epoch = self.memo.theme.epoch;
            self.memo = Memo::default();
            self.memo.theme.epoch = epoch;
            let mut cd = Vec::new();
            let mut config = SiteConfig::load(root, &shown(root, Path::new("scholia.yaml")))
                .unwrap_or_else(|d| {
                    cd.extend(d);
                    SiteConfig::default()
                });
            if let Some(b) = &self.opts.base_url {
                config.base_url = config::normalize_base_url(b);
            }
            // The files `fonts:` names are checked even with cards off: a wrong path is
            // wrong whatever reads it.
            let shown_config = shown(root, Path::new("scholia.yaml"));
            if !config.cards && !config.fonts.is_empty() {
                cd.extend(card::Fonts::load(root, &config.fonts, &shown_config).1);
            }
            let fonts = config.cards.then(|| {
                let shown = shown_config;
                let (fonts, d) = card::Fonts::load(root, &config.fonts, &shown);
                cd.extend(d);
                let (line, col) = config.title_at;
                cd.extend(card::missing_glyphs(
                    &fonts,
                    &config.title,
                    "title",
                    (&shown, line, col),
                ));
                fonts
            });
            self.memo.config = Some(ConfigMemo {
                hash,
                routes: Routes::new(&config.base_url),
                config,
                diags: cd,
                fonts,
            });
        }
        diags.extend(
            self.memo
                .config
                .as_ref()
                .into_iter()
                .flat_map(|c| c.diags.iter().cloned()),
        );
        changed
    }

    /// The bibliography and style: read again when one of their files changed (a change
    /// renders every citation, so every body, again). Returns whether they changed.
    pub(super) fn sources(&mut self, diags: &mut Vec<Diagnostic>) -> bool {
        let root = &self.opts.root;
        let config = &self.memo.config.as_ref().expect("config first").config;
        let style = &config.citation_style;
        let hash = if self.keep {
            fp(&(
                cite_site::FILES
                    .iter()
                    .map(|f| stamp(&root.join("content").join(f)))
                    .collect::<Vec<_>>(),
                style,
                style.ends_with(".csl").then(|| stamp(&root.join(style))),
            ))
        } else if self.keyed {
            // Compared with another process's: the files themselves, not their times.
            fp(&(
                cite_site::FILES
                    .iter()
                    .map(|f| std::fs::read(root.join("content").join(f)).ok())
                    .collect::<Vec<_>>(),
                style,
                style
                    .ends_with(".csl")
                    .then(|| std::fs::read(root.join(style)).ok()),
            ))
        } else {
            0
        };
        let changed = self.memo.sources.as_ref().map(|s| s.hash) != Some(hash);
        if changed {
            let mut sd = Vec::new();
            let sources = cite_site::load(root, root, config, &mut sd);
            self.memo.sources = Some(SourcesMemo {
                hash,
                sources,
                diags: sd,
            });
        }
        diags.extend(
            self.memo
                .sources
                .as_ref()
                .into_iter()
                .flat_map(|s| s.diags.iter().cloned()),
        );
        changed
    }

    /// The theme and templates, and the theme's files with their fingerprinted names.
    pub(super) fn theme(&mut self, diags: &mut Vec<Diagnostic>) {
        let root = &self.opts.root;
        let cm = self.memo.config.as_ref().expect("config first");
        let hash = self.keyed.then(|| {
            fp(&(
                tree_hash(
                    &[
                        root.join("themes"),
                        root.join("templates"),
                        root.join("i18n"),
                    ],
                    !self.keep,
                ),
                &cm.config.theme,
            ))
        });
        let t = &mut self.memo.theme;
        if hash.is_none() || t.hash != hash {
            t.hash = hash;
            t.epoch += 1;
            t.assets.clear();
            t.diag = None;
            match Theme::new(root, root, &cm.config.theme, cm.routes.base()) {
                Ok(mut theme) => {
                    let mut d = Vec::new();
                    t.assets = theme_assets(&mut theme, &mut d);
                    t.diag = d.pop();
                    let (texts, td) = theme_texts(&theme, &cm.config.codes());
                    t.texts = texts;
                    t.text_diags = td;
                    t.theme = Some(theme);
                }
                Err(d) => {
                    t.theme = None;
                    t.diag = Some(d);
                }
            }
        }
        diags.extend(t.diag.clone());
        diags.extend(t.text_diags.iter().cloned());
    }
}

/// The theme's text in every language of the site, the default one first.
fn theme_texts(
    theme: &Theme,
    codes: &[String],
) -> (Vec<crate::theme::i18n::Text>, Vec<Diagnostic>) {
    use crate::theme::{embedded, i18n};
    let mut diags = Vec::new();
    let sources: Vec<i18n::Sources> = codes
        .iter()
        .map(|c| {
            theme.text_sources(c).unwrap_or_else(|d| {
                diags.push(d);
                Vec::new()
            })
        })
        .collect();
    let english = i18n::parse(
        Path::new("en.yaml"),
        embedded::i18n("en").unwrap_or_default(),
    )
    .0;
    let (texts, d) = i18n::resolve(codes, &sources, &english);
    diags.extend(d);
    (texts, diags)
}

/// Hash of every file under `dirs`: templates and theme files are read lazily by minijinja,
/// so any change there means a new theme. By name, time and size; with `contents` (a hash
/// compared with another process's, where a checkout's new times change nothing and a file
/// put back with its old time still counts), by name and bytes.
pub(super) fn tree_hash(dirs: &[PathBuf], contents: bool) -> u64 {
    let mut h = DefaultHasher::new();
    for d in dirs {
        for e in walkdir::WalkDir::new(d)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            e.path().hash(&mut h);
            if contents {
                if e.file_type().is_file() {
                    std::fs::read(e.path()).ok().hash(&mut h);
                }
            } else if let Ok(m) = e.metadata() {
                m.modified().ok().hash(&mut h);
                m.len().hash(&mut h);
            }
        }
    }
    h.finish()
}

/// The theme's static files and the generated syntax stylesheet, each stylesheet and script
/// also under its fingerprinted name, which the theme's `asset()` then returns. They are
/// known before any page renders, so pages can link the fingerprinted names.
pub(super) fn theme_assets(
    theme: &mut Theme,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = vec![(
        routes::SYNTAX_CSS.into(),
        markdown::highlight::stylesheet().into_bytes(),
    )];
    match theme.static_files() {
        Ok(f) => files.extend(f.into_iter().map(|(p, b)| (slash(&p), b))),
        Err(d) => diags.push(d),
    }
    let (copies, map) = crate::site::assets::fingerprint(&files);
    files.extend(copies);
    theme.set_assets(map);
    files
}
