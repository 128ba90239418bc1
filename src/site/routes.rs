//! The URL plan: where every page lives, as a URL and as a file of the output.
//!
//! URLs are `base_url` + a path ending in `/`; the file is that path + `index.html`. Keeping
//! both in one place keeps links and files in step.

use crate::content::Kind;

/// Builds the URLs of a site from its `base_url`.
#[derive(Debug, Clone)]
pub struct Routes {
    base: String,
}

impl Routes {
    /// `base_url` must end with `/` (the config guarantees it).
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

    /// Output path of a commentary.
    pub fn commentary(slug: &str) -> String {
        format!("commentaries/{slug}/")
    }

    /// Output path of a glossary entry.
    pub fn entry(kind: Kind, slug: &str) -> String {
        format!("glossary/{}/{slug}/", kind.folder())
    }

    /// Output path of a tag or author page.
    pub fn term(taxonomy: &str, slug: &str) -> String {
        format!("{taxonomy}/{slug}/")
    }

    /// Output path of home page `n` (1-based).
    pub fn home(n: usize) -> String {
        if n <= 1 {
            String::new()
        } else {
            format!("page/{n}/")
        }
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
}
