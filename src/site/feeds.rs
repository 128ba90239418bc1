//! The Atom feed and the sitemap, written directly (no template): both are machine formats
//! with exact rules, and their validity is Scholia's job, not the theme's.

use crate::content::Date;
use crate::html::escape;

/// One feed entry.
pub struct FeedItem<'a> {
    /// Title.
    pub title: &'a str,
    /// Page URL.
    pub url: &'a str,
    /// Date.
    pub date: Date,
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
    pub title: &'a str,
    /// Description.
    pub description: Option<&'a str>,
    /// Base URL.
    pub base_url: &'a str,
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

/// The Atom feed of the newest commentaries (`items` newest first).
pub fn atom(site: &FeedSite, items: &[FeedItem]) -> String {
    let mut x = String::with_capacity(4096 + items.len() * 8192);
    let feed_url = format!("{}{}", site.base_url, crate::routes::FEED);
    let updated = items
        .first()
        .map_or("1970-01-01T00:00:00Z".to_string(), |i| timestamp(i.date));
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        escape(site.language)
    ));
    x.push_str(&format!("  <title>{}</title>\n", escape(site.title)));
    if let Some(d) = site.description {
        x.push_str(&format!("  <subtitle>{}</subtitle>\n", escape(d)));
    }
    x.push_str(&format!(
        "  <link href=\"{}\" rel=\"self\" type=\"application/atom+xml\"/>\n  <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n",
        escape(&feed_url),
        escape(site.base_url)
    ));
    x.push_str(&format!(
        "  <id>{}</id>\n  <updated>{updated}</updated>\n",
        escape(&atom_id(site.base_url))
    ));
    x.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape(site.title)
    ));
    x.push_str("  <generator>Scholia</generator>\n");
    for i in items {
        x.push_str("  <entry>\n");
        x.push_str(&format!("    <title>{}</title>\n", escape(i.title)));
        x.push_str(&format!(
            "    <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n",
            escape(i.url)
        ));
        x.push_str(&format!("    <id>{}</id>\n", escape(&atom_id(i.url))));
        x.push_str(&format!(
            "    <published>{0}</published>\n    <updated>{0}</updated>\n",
            timestamp(i.date)
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
            escape(i.url),
            escape(i.content)
        ));
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

/// The sitemap: (URL, last modified).
pub fn sitemap(urls: &[(String, Option<Date>)]) -> String {
    let mut x = String::with_capacity(128 + urls.len() * 96);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (url, lastmod) in urls {
        x.push_str(&format!("  <url><loc>{}</loc>", escape(url)));
        if let Some(d) = lastmod {
            x.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        x.push_str("</url>\n");
    }
    x.push_str("</urlset>\n");
    x
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
