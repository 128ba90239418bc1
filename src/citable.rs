//! How a commentary is cited: the one description of it as a work ([`Work`]) and its three
//! machine forms, written beside its page (`cite.bib`, `cite.ris`, `cite.json`), plus the
//! hayagriva entry the site's style formats for the page's "Cite this" block
//! ([`crate::cite::Sources::format_work`]).
//!
//! Names are kept as written (`Ada Lee`), never split into given and family names: Scholia
//! cannot know which part is which (a Chinese name puts the family name first), so CSL-JSON
//! and the style get a literal name, and BibTeX and RIS the name as the author wrote it.
//!
//! The page's metadata for scholarly search engines and link previews is made here too: the
//! schema.org JSON-LD of a commentary ([`article_jsonld`]) and of a glossary entry
//! ([`entry_jsonld`]).
//!
//! Nothing here reads or writes files.

use crate::content::{Date, Entry, Kind};
use serde_json::{json, Map, Value};

/// A commentary as a work to cite.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Work<'a> {
    /// The key of its BibTeX entry and its CSL-JSON id (the commentary's slug).
    pub key: &'a str,
    /// Title.
    pub title: &'a str,
    /// Authors, in order, as written.
    pub authors: &'a [String],
    /// Publication date.
    pub date: Date,
    /// The site's title.
    pub publisher: &'a str,
    /// The page's absolute URL (with `base_url`).
    pub url: &'a str,
    /// The site's language (BCP 47).
    pub language: &'a str,
}

/// The BibTeX file beside a commentary's page.
pub const BIB: &str = "cite.bib";
/// The RIS file.
pub const RIS: &str = "cite.ris";
/// The CSL-JSON file.
pub const JSON: &str = "cite.json";
/// Their names, in the order [`files`] makes them.
pub const FILES: [&str; 3] = [BIB, RIS, JSON];

/// The three files written beside a commentary's page: (file name, text).
pub fn files(w: &Work) -> Vec<(&'static str, String)> {
    vec![(BIB, bibtex(w)), (RIS, ris(w)), (JSON, csl_json(w))]
}

/// One line of text: feeds and files are line-based, so a line break in a title would split
/// a field.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// BibTeX's special characters escaped, so that a title with `&`, `%` or braces parses.
fn bib_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in one_line(s).chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A BibTeX entry (`@online`, as biblatex names a web publication; BibTeX reads any type).
pub fn bibtex(w: &Work) -> String {
    let mut fields: Vec<(&str, String)> = vec![("title", bib_escape(w.title))];
    if !w.authors.is_empty() {
        let names: Vec<String> = w.authors.iter().map(|a| bib_escape(a)).collect();
        fields.push(("author", names.join(" and ")));
    }
    fields.extend([
        ("date", w.date.to_string()),
        ("year", w.date.year.to_string()),
        ("month", w.date.month.to_string()),
        ("publisher", bib_escape(w.publisher)),
        ("url", one_line(w.url)),
        ("language", bib_escape(w.language)),
    ]);
    let mut s = format!("@online{{{},\n", w.key);
    for (k, v) in fields {
        s.push_str(&format!("  {k} = {{{v}}},\n"));
    }
    s.push_str("}\n");
    s
}

/// A RIS record (`ELEC`, a web page), lines ending in CRLF as the format specifies.
pub fn ris(w: &Work) -> String {
    let d = w.date;
    let mut lines: Vec<(&str, String)> = vec![("TY", "ELEC".into()), ("TI", one_line(w.title))];
    lines.extend(w.authors.iter().map(|a| ("AU", one_line(a))));
    lines.extend([
        ("PY", d.year.to_string()),
        ("DA", format!("{:04}/{:02}/{:02}", d.year, d.month, d.day)),
        ("PB", one_line(w.publisher)),
        ("T2", one_line(w.publisher)),
        ("UR", one_line(w.url)),
        ("LA", one_line(w.language)),
        ("ER", String::new()),
    ]);
    lines
        .into_iter()
        .map(|(tag, v)| format!("{tag}  - {v}\r\n"))
        .collect()
}

/// The CSL-JSON item (a `webpage` whose container is the site).
fn csl_item(w: &Work) -> serde_json::Value {
    let d = w.date;
    serde_json::json!({
        "id": w.key,
        "type": "webpage",
        "title": w.title,
        "author": w.authors.iter().map(|a| serde_json::json!({ "literal": a })).collect::<Vec<_>>(),
        "issued": { "date-parts": [[d.year, d.month, d.day]] },
        "publisher": w.publisher,
        "container-title": w.publisher,
        "URL": w.url,
        "language": w.language,
    })
}

/// CSL-JSON: an array of one item.
pub fn csl_json(w: &Work) -> String {
    let mut s = serde_json::to_string_pretty(&[csl_item(w)]).unwrap_or_default();
    s.push('\n');
    s
}

/// The work as a hayagriva entry, for the site's style: a web page whose parent is the site.
pub fn entry(w: &Work) -> Option<hayagriva::Entry> {
    let d = w.date;
    let mut item = serde_json::json!({
        "type": "Web",
        "title": w.title,
        "author": w.authors.iter().map(|a| serde_json::json!({ "name": a })).collect::<Vec<_>>(),
        "date": format!("{:04}-{:02}-{:02}", d.year, d.month, d.day),
        "language": w.language,
        "parent": { "type": "Web", "title": w.publisher },
    });
    // hayagriva takes only absolute URLs; a site with a relative `base_url` (`/`) has none.
    if w.url.contains("://") {
        item["url"] = json!(w.url);
    }
    let item = json!({ w.key: item });
    // JSON is YAML, and hayagriva's YAML reader is its one public way to build an entry
    // from plain fields.
    let library = hayagriva::io::from_yaml_str(&item.to_string()).ok()?;
    library.get(w.key).cloned()
}

/// A glossary entry as another page names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Thing<'a> {
    /// Body or treaty.
    pub kind: Kind,
    /// Its name.
    pub name: &'a str,
    /// Its page.
    pub url: &'a str,
}

/// A correction as metadata: its date, plain text and URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CorrectionNote {
    /// When it was made.
    pub date: Date,
    /// Plain text.
    pub text: String,
    /// Its item on the commentary's page.
    pub url: String,
}

/// Everything a commentary's JSON-LD says besides the [`Work`].
pub struct ArticleMeta<'a> {
    /// The latest of its date, `updated` and its corrections.
    pub modified: Date,
    /// One line about it.
    pub summary: &'a str,
    /// The site's home page.
    pub site_url: &'a str,
    /// The works it cites, as plain text formatted by the style.
    pub references: &'a [String],
    /// The glossary entries it mentions, in order of first mention.
    pub mentions: Vec<Thing<'a>>,
    /// Its corrections, in the order given.
    pub corrections: Vec<CorrectionNote>,
}

fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
}

/// The schema.org type of a glossary entry.
fn schema_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Body => "Organization",
        Kind::Treaty => "Legislation",
    }
}

/// A commentary's schema.org `Article`, as JSON.
pub fn article_jsonld(w: &Work, m: &ArticleMeta) -> String {
    let mut a = Map::new();
    a.insert("@context".into(), json!("https://schema.org"));
    a.insert("@type".into(), json!("Article"));
    a.insert("headline".into(), json!(w.title));
    a.insert("url".into(), json!(w.url));
    a.insert("mainEntityOfPage".into(), json!(w.url));
    let authors: Vec<Value> = w
        .authors
        .iter()
        .map(|n| json!({ "@type": "Person", "name": n }))
        .collect();
    a.insert("author".into(), Value::Array(authors));
    a.insert("datePublished".into(), json!(iso(w.date)));
    a.insert("dateModified".into(), json!(iso(m.modified)));
    a.insert(
        "publisher".into(),
        json!({ "@type": "Organization", "name": w.publisher, "url": m.site_url }),
    );
    a.insert("inLanguage".into(), json!(w.language));
    if !m.summary.is_empty() {
        a.insert("description".into(), json!(m.summary));
    }
    if !m.references.is_empty() {
        let works: Vec<Value> = m
            .references
            .iter()
            .map(|r| json!({ "@type": "CreativeWork", "name": r }))
            .collect();
        a.insert("citation".into(), Value::Array(works));
    }
    if !m.mentions.is_empty() {
        let things: Vec<Value> = m
            .mentions
            .iter()
            .map(|t| json!({ "@type": schema_type(t.kind), "name": t.name, "url": t.url }))
            .collect();
        a.insert("mentions".into(), Value::Array(things));
    }
    if !m.corrections.is_empty() {
        let notes: Vec<Value> = m
            .corrections
            .iter()
            .map(|k| {
                json!({
                    "@type": "CorrectionComment",
                    "datePublished": iso(k.date),
                    "text": k.text,
                    "url": k.url,
                })
            })
            .collect();
        a.insert("correction".into(), Value::Array(notes));
    }
    Value::Object(a).to_string()
}

/// A glossary entry's schema.org `Organization` (a body) or `Legislation` (a treaty), with
/// the dates its front matter gives, as JSON.
pub fn entry_jsonld(e: &Entry, url: &str, summary: &str) -> String {
    let mut o = Map::new();
    o.insert("@context".into(), json!("https://schema.org"));
    o.insert("@type".into(), json!(schema_type(e.kind)));
    o.insert("name".into(), json!(e.name));
    o.insert("url".into(), json!(url));
    let other: Vec<&String> = e.abbr.iter().chain(&e.aliases).collect();
    if !other.is_empty() {
        o.insert("alternateName".into(), json!(other));
    }
    if !summary.is_empty() {
        o.insert("description".into(), json!(summary));
    }
    if let Some(u) = &e.url {
        o.insert("sameAs".into(), json!(u));
    }
    let dates: [(&str, Option<Date>); 2] = match e.kind {
        Kind::Body => [
            ("foundingDate", e.established),
            ("dissolutionDate", e.dissolved),
        ],
        // schema.org: the date of adoption or signature, and the date it applies from.
        Kind::Treaty => [
            ("legislationDate", e.adopted),
            ("legislationDateOfApplicability", e.in_force),
        ],
    };
    for (k, d) in dates {
        if let Some(d) = d {
            o.insert(k.into(), json!(iso(d)));
        }
    }
    Value::Object(o).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn work(authors: &[String]) -> Work<'_> {
        Work {
            key: "order",
            title: "Order & {its} 100% <discontents>",
            authors,
            date: Date::parse("2020-05-01").unwrap(),
            publisher: "Citable Review",
            url: "https://example.org/review/commentaries/order/",
            language: "en",
        }
    }

    #[test]
    fn bibtex_round_trips_through_a_biblatex_parser() {
        let authors = ["Ada Lee".to_string(), "Bo Chen".to_string()];
        let bib = bibtex(&work(&authors));
        let lib = hayagriva::io::from_biblatex_str(&bib).expect("parses");
        let e = lib.get("order").expect("the entry");
        assert_eq!(
            e.title().unwrap().value.to_string(),
            "Order & {its} 100% <discontents>"
        );
        let names: Vec<String> = e
            .authors()
            .unwrap()
            .iter()
            .map(|p| p.name.clone())
            .collect();
        assert_eq!(names, ["Lee", "Chen"], "BibTeX reads `First Last`");
        assert_eq!(e.date().unwrap().to_string(), "2020-05-01");
        assert_eq!(
            e.url().unwrap().value.as_str(),
            "https://example.org/review/commentaries/order/"
        );
    }

    #[test]
    fn ris_has_one_line_per_field_and_ends_the_record() {
        let authors = ["Ada Lee".to_string(), "Bo Chen".to_string()];
        let text = ris(&work(&authors));
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines.first(), Some(&"TY  - ELEC"));
        assert_eq!(lines[lines.len() - 2], "ER  - ");
        assert!(lines.contains(&"AU  - Ada Lee") && lines.contains(&"DA  - 2020/05/01"));
    }

    #[test]
    fn a_relative_url_is_left_out_of_the_style_entry() {
        let authors = ["Ada Lee".to_string()];
        let mut w = work(&authors);
        w.url = "/commentaries/order/";
        let e = entry(&w).expect("an entry without its URL");
        assert!(e.url().is_none());
    }

    #[test]
    fn the_site_style_formats_the_work_with_names_as_written() {
        use crate::cite::{Sources, StyleChoice, DEFAULT_STYLE};
        let (sources, d) = Sources::load(&[], StyleChoice::Bundled(DEFAULT_STYLE));
        assert!(d.is_empty(), "{d:?}");
        let authors = ["Ada Lee".to_string(), "Bo Chen".to_string()];
        let html = sources.format_work("en", &entry(&work(&authors)).unwrap());
        // Braces are hayagriva's verbatim marks: they keep the case and do not show.
        assert_eq!(html, "Ada Lee, and Bo Chen. “Order &amp; its 100% &lt;discontents&gt;.” Citable Review, May 1, 2020. <a href=\"https://example.org/review/commentaries/order/\">https://example.org/review/commentaries/order/</a>.");
        let html = sources.format_work("en", &entry(&work(&[])).unwrap());
        assert!(html.contains("Citable Review"), "{html}");
    }
}
