//! The generated main file of a PDF: the template's `setup`, then `article` for each
//! commentary (with a cover and contents for a collection), every value written as a Typst
//! string literal or as markup from [`super::markup`].

use super::markup::string;
use crate::config::Paper;
use crate::content::Date;

/// What a commentary's title block and end matter say.
pub struct Article<'a> {
    /// Title.
    pub title: &'a str,
    /// Authors as written.
    pub authors: &'a [String],
    /// Publication date.
    pub date: Date,
    /// Its canonical (absolute) URL.
    pub url: &'a str,
    /// The body's markup.
    pub body: &'a str,
    /// The works cited, as markup.
    pub works_cited: &'a [String],
    /// Corrections: (date, markup).
    pub corrections: &'a [(Date, String)],
}

/// What the whole document says about itself.
pub struct Setup<'a> {
    /// Document title.
    pub title: &'a str,
    /// Authors (metadata).
    pub authors: &'a [String],
    /// Date (metadata).
    pub date: Date,
    /// The site's name.
    pub site: &'a str,
    /// URL in the footer.
    pub url: &'a str,
    /// The site's language (`en`, `en-GB`, `zh-Hans-CN`).
    pub language: &'a str,
    /// Paper size.
    pub paper: Paper,
}

fn array(items: &[String]) -> String {
    let mut out = String::from("(");
    for i in items {
        out.push_str(i);
        out.push_str(", ");
    }
    out.push(')');
    out
}

fn strings(items: &[String]) -> String {
    array(&items.iter().map(|s| string(s)).collect::<Vec<_>>())
}

fn datetime(d: Date) -> String {
    format!(
        "datetime(year: {}, month: {}, day: {})",
        d.year, d.month, d.day
    )
}

/// Typst's `lang` and `region` from a BCP 47 tag: the language subtag (two or three letters)
/// and a two-letter region subtag, if any; anything else falls back to English.
fn lang_region(tag: &str) -> (String, Option<String>) {
    let mut parts = tag.split(['-', '_']);
    let lang = parts
        .next()
        .filter(|l| (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_alphabetic()))
        .map_or_else(|| "en".to_string(), str::to_ascii_lowercase);
    let region = parts
        .find(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()))
        .map(str::to_ascii_uppercase);
    (lang, region)
}

fn setup(s: &Setup) -> String {
    let (lang, region) = lang_region(s.language);
    format!(
        "#import \"/template.typ\": *\n#show: setup.with(title: {}, authors: {}, date: {}, site: {}, url: {}, lang: {}, region: {}, paper: {})\n",
        string(s.title),
        strings(s.authors),
        datetime(s.date),
        string(s.site),
        string(s.url),
        string(&lang),
        region.map_or("none".to_string(), |r| string(&r)),
        string(s.paper.typst()),
    )
}

/// Appends `a`'s call to `out`; returns where its body starts in `out`.
fn article(out: &mut String, a: &Article, site: &str, in_collection: bool) -> usize {
    let corrections: Vec<String> = a
        .corrections
        .iter()
        .map(|(d, text)| format!("(date: {}, text: [{text}])", string(&d.text())))
        .collect();
    let works: Vec<String> = a.works_cited.iter().map(|w| format!("[{w}]")).collect();
    out.push_str(&format!(
        "#article(title: {}, authors: {}, date: {}, site: {}, url: {}, works-cited: {}, corrections: {}, in-collection: {in_collection})[",
        string(a.title),
        strings(a.authors),
        string(&a.date.text()),
        string(site),
        string(a.url),
        array(&works),
        array(&corrections),
    ));
    let at = out.len();
    out.push_str(a.body);
    out.push_str("]\n");
    at
}

/// The main file of one commentary's PDF, and where its body starts in it.
pub fn single(s: &Setup, a: &Article) -> (String, usize) {
    let mut out = setup(s);
    let at = article(&mut out, a, s.site, false);
    (out, at)
}

/// The main file of a collection: cover, contents, then each commentary; and where each
/// body starts in it.
pub fn collection(s: &Setup, articles: &[Article]) -> (String, Vec<usize>) {
    let mut out = setup(s);
    out.push_str(&format!(
        "#cover(title: {}, site: {}, date: {}, count: {})\n#contents()\n",
        string(s.title),
        string(s.site),
        string(&s.date.text()),
        articles.len()
    ));
    let mut starts = Vec::with_capacity(articles.len());
    for (i, a) in articles.iter().enumerate() {
        if i > 0 {
            out.push_str("#pagebreak()\n");
        }
        starts.push(article(&mut out, a, s.site, true));
    }
    (out, starts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_become_lang_and_region() {
        assert_eq!(lang_region("en"), ("en".into(), None));
        assert_eq!(lang_region("en-GB"), ("en".into(), Some("GB".into())));
        assert_eq!(lang_region("zh-Hans-CN"), ("zh".into(), Some("CN".into())));
        assert_eq!(lang_region("x"), ("en".into(), None));
    }
}
