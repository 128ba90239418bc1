//! The URL plan: where every page and file of a site lives, as a URL and as a file of the
//! output. Every output path and every link target Scholia makes comes from here.
//!
//! A page's path ends in `/` (its file is that path + `index.html`); a file's path is the
//! file. URLs are `base_url` + path. Keeping both in one place keeps links and files in step.

use crate::content::{Kind, Taxonomy};

/// Builds the URLs of a site from its `base_url`.
#[derive(Debug, Clone, Hash)]
pub struct Routes {
    base: String,
}

/// The generated stylesheet of highlighted code.
pub const SYNTAX_CSS: &str = "syntax.css";
/// The Atom feed.
pub const FEED: &str = "feed.xml";
/// The sitemap.
pub const SITEMAP: &str = "sitemap.xml";
/// `robots.txt`.
pub const ROBOTS: &str = "robots.txt";
/// The file of a page (a folder).
pub const INDEX: &str = "index.html";
/// The not-found page (a file, not a folder: hosts look for it by name).
pub const NOT_FOUND: &str = "404.html";
/// The glossary index.
pub const GLOSSARY: &str = "glossary/";
/// The sources page.
pub const SOURCES: &str = "sources/";
/// Every correction of the site.
pub const CORRECTIONS: &str = "corrections/";
/// The Atom feed of the corrections.
pub const CORRECTIONS_FEED: &str = "corrections/feed.xml";
/// The timeline of the site's dated events.
pub const TIMELINE: &str = "timeline/";
/// The search page; the index's data files sit under it.
pub const SEARCH: &str = "search/";

/// Top-level output names a free page (`/<slug>/`) may not take: the site's own sections and
/// files.
pub const RESERVED: &[&str] = &[
    "commentaries",
    "glossary",
    "timeline",
    "corrections",
    "tags",
    "authors",
    "page",
    "sources",
    "search",
    FEED,
    SITEMAP,
    ROBOTS,
    NOT_FOUND,
    INDEX,
    "style.css",
    SYNTAX_CSS,
];

impl Routes {
    /// `base_url` is normalised to end with `/`.
    pub fn new(base_url: &str) -> Self {
        Routes {
            base: crate::config::normalize_base_url(base_url),
        }
    }

    /// The base URL, ending with `/`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The URL of an output path (`commentaries/x/`, `style.css`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path.trim_start_matches('/'))
    }

    /// The file a path is written to: a page's `index.html`, or the file itself.
    pub fn file(path: &str) -> String {
        if path.ends_with('/') || path.is_empty() {
            format!("{path}{INDEX}")
        } else {
            path.to_string()
        }
    }

    /// A commentary.
    pub fn commentary(slug: &str) -> String {
        format!("commentaries/{slug}/")
    }

    /// A file beside a commentary's page (`cite.bib`).
    pub fn commentary_file(slug: &str, name: &str) -> String {
        format!("{}{name}", Routes::commentary(slug))
    }

    /// A commentary's PDF, beside its page (`commentaries/<slug>/<slug>.pdf`).
    pub fn commentary_pdf(slug: &str) -> String {
        Routes::commentary_file(slug, &format!("{slug}.pdf"))
    }

    /// Correction `id` on its commentary's page.
    pub fn correction(slug: &str, id: &str) -> String {
        format!("{}#{id}", Routes::commentary(slug))
    }

    /// A glossary entry.
    pub fn entry(kind: Kind, slug: &str) -> String {
        format!("{GLOSSARY}{}/{slug}/", kind.folder())
    }

    /// The index of tags or of authors.
    pub fn taxonomy(t: Taxonomy) -> String {
        format!("{}/", t.as_str())
    }

    /// A tag's or an author's page.
    pub fn term(t: Taxonomy, slug: &str) -> String {
        format!("{}/{slug}/", t.as_str())
    }

    /// Home page `n` (1-based).
    pub fn home(n: usize) -> String {
        if n <= 1 {
            String::new()
        } else {
            format!("page/{n}/")
        }
    }

    /// A free page.
    pub fn page(slug: &str) -> String {
        format!("{slug}/")
    }

    /// The search document of page `id` (commentaries first, then entries).
    pub fn search_doc(id: usize) -> String {
        format!("{SEARCH}d/{id}.json.gz")
    }

    /// A data file of the search index, named inside the index.
    pub fn search_data(name: &str) -> String {
        format!("{SEARCH}{name}")
    }

    /// Whether an output file is search data (not the search page itself).
    pub fn is_search_data(rel: &str) -> bool {
        rel.starts_with(SEARCH) && rel != Routes::file(SEARCH)
    }

    /// The same on a site with other languages (`langs`: their codes), whose search data
    /// sits under their folders (`zh/search/`).
    pub fn is_search_data_in(rel: &str, langs: &[String]) -> bool {
        Routes::is_search_data(rel)
            || langs.iter().any(|l| {
                rel.strip_prefix(l.as_str())
                    .and_then(|r| r.strip_prefix('/'))
                    .is_some_and(Routes::is_search_data)
            })
    }

    /// The item of a work on the sources page.
    pub fn work_url(&self, key: &str) -> String {
        format!("{}#src-{}", self.url(SOURCES), crate::slug::slugify(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_keep_the_sub_path() {
        let r = Routes::new("https://example.org/policy/commentary");
        assert_eq!(
            r.url(&Routes::entry(Kind::Treaty, "beijing")),
            "https://example.org/policy/commentary/glossary/treaties/beijing/"
        );
        assert_eq!(
            r.url(&Routes::home(1)),
            "https://example.org/policy/commentary/"
        );
        assert_eq!(Routes::new("/").url(&Routes::home(2)), "/page/2/");
    }

    #[test]
    fn every_generated_top_level_name_is_reserved() {
        for t in Taxonomy::ALL {
            assert!(RESERVED.contains(&Routes::taxonomy(t).trim_end_matches('/')));
        }
        for path in [
            GLOSSARY,
            SOURCES,
            SEARCH,
            CORRECTIONS,
            TIMELINE,
            "commentaries/x/",
            "page/2/",
        ] {
            let top = path.split('/').next().unwrap();
            assert!(RESERVED.contains(&top), "{top}");
        }
    }

    #[test]
    fn pages_are_folders_and_files_are_files() {
        assert_eq!(Routes::file(&Routes::home(1)), "index.html");
        assert_eq!(
            Routes::file(&Routes::term(Taxonomy::Tags, "cyber")),
            "tags/cyber/index.html"
        );
        assert_eq!(Routes::file(NOT_FOUND), "404.html");
        assert!(Routes::is_search_data(&Routes::search_doc(3)));
        assert!(!Routes::is_search_data(&Routes::file(SEARCH)));
    }
}
