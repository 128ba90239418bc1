//! The Atom feed and the sitemap, written directly (no template): both are machine formats
//! with exact rules, and their validity is Scholia's job, not the theme's.

use crate::content::Date;
use crate::html::escape;

/// One feed entry.
pub struct FeedItem<'a> {
    /// Title.
    pub title: String,
    /// Page URL (its id too).
    pub url: String,
    /// First published.
    pub published: Date,
    /// Last changed (a commentary's latest correction or update).
    pub updated: Date,
    /// Authors.
    pub authors: &'a [String],
    /// Plain summary.
    pub summary: &'a str,
    /// Full HTML.
    pub content: &'a str,
}

/// Site-level feed fields.
pub struct FeedSite<'a> {
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<&'a str>,
    /// The site's title: the feed's author.
    pub author: &'a str,
    /// The feed's own URL.
    pub url: String,
    /// The feed's id (made absolute when it is not).
    pub id: String,
    /// The page it follows (`rel="alternate"`).
    pub home: String,
    /// Language.
    pub language: &'a str,
}

/// An Atom id must be an absolute IRI; a site without an absolute `base_url` still gets
/// stable ids.
fn atom_id(url: &str) -> String {
    if url.contains("://") {
        url.to_string()
    } else {
        format!("urn:scholia:{}", url.trim_start_matches('/'))
    }
}

fn timestamp(d: Date) -> String {
    format!("{d}T00:00:00Z")
}

/// An Atom feed of `items` (newest first): the commentaries, or the corrections.
pub fn atom(site: &FeedSite, items: &[FeedItem]) -> String {
    let mut x = String::with_capacity(4096 + items.len() * 8192);
    // A correction makes an older commentary the feed's latest change.
    let updated = items
        .iter()
        .map(|i| i.updated)
        .max()
        .map_or("1970-01-01T00:00:00Z".to_string(), timestamp);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        escape(site.language)
    ));
    x.push_str(&format!("  <title>{}</title>\n", escape(&site.title)));
    if let Some(d) = site.description {
        x.push_str(&format!("  <subtitle>{}</subtitle>\n", escape(d)));
    }
    x.push_str(&format!(
        "  <link href=\"{}\" rel=\"self\" type=\"application/atom+xml\"/>\n  <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n",
        escape(&site.url),
        escape(&site.home)
    ));
    x.push_str(&format!(
        "  <id>{}</id>\n  <updated>{updated}</updated>\n",
        escape(&atom_id(&site.id))
    ));
    x.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape(site.author)
    ));
    x.push_str("  <generator>Scholia</generator>\n");
    for i in items {
        x.push_str("  <entry>\n");
        x.push_str(&format!("    <title>{}</title>\n", escape(&i.title)));
        x.push_str(&format!(
            "    <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n",
            escape(&i.url)
        ));
        x.push_str(&format!("    <id>{}</id>\n", escape(&atom_id(&i.url))));
        x.push_str(&format!(
            "    <published>{}</published>\n    <updated>{}</updated>\n",
            timestamp(i.published),
            timestamp(i.updated)
        ));
        for a in i.authors {
            x.push_str(&format!(
                "    <author><name>{}</name></author>\n",
                escape(a)
            ));
        }
        if !i.summary.is_empty() {
            x.push_str(&format!("    <summary>{}</summary>\n", escape(i.summary)));
        }
        // `xml:base` makes the page's own `#fn-1` note links resolve against the article,
        // not against the feed.
        x.push_str(&format!(
            "    <content type=\"html\" xml:base=\"{}\">{}</content>\n",
            escape(&i.url),
            escape(i.content)
        ));
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

/// The sitemap: (URL, last modified).
pub fn sitemap(urls: &[SitemapUrl]) -> String {
    let mut x = String::with_capacity(128 + urls.len() * 96);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"");
    if urls.iter().any(|u| !u.alternates.is_empty()) {
        x.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    x.push_str(">\n");
    for u in urls {
        x.push_str(&format!("  <url><loc>{}</loc>", escape(u.url)));
        if let Some(d) = u.lastmod {
            x.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        for (code, href) in &u.alternates {
            x.push_str(&format!(
                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                escape(code),
                escape(href)
            ));
        }
        x.push_str("</url>\n");
    }
    x.push_str("</urlset>\n");
    x
}

/// One page of the sitemap.
pub struct SitemapUrl<'a> {
    /// Its URL.
    pub url: &'a str,
    /// The date of the newest commentary it shows.
    pub lastmod: Option<Date>,
    /// Its versions in every language, itself included: (code, URL).
    pub alternates: Vec<(&'a str, &'a str)>,
}

/// `robots.txt`: everything may be crawled; the sitemap's URL. Crawlers want an absolute
/// sitemap URL, so a site with a relative `base_url` names none.
pub fn robots(base_url: &str) -> String {
    let mut s = String::from("User-agent: *\nAllow: /\n");
    if base_url.contains("://") {
        s.push_str(&format!("\nSitemap: {base_url}sitemap.xml\n"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_names_the_sitemap_only_when_it_has_an_absolute_url() {
        assert_eq!(
            robots("https://example.org/policy/"),
            "User-agent: *\nAllow: /\n\nSitemap: https://example.org/policy/sitemap.xml\n"
        );
        assert_eq!(robots("/"), "User-agent: *\nAllow: /\n");
    }
}
