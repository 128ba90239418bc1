//! The site's side of the search index: each page's search document and terms, and the
//! index files made from all of them (the format is `crate::search`'s).

use crate::content::Commentary;
use crate::glossary::Glossary;
use crate::markdown::Rendered;
use crate::routes::Routes;
use crate::search;
use rayon::prelude::*;

/// The glossary entries' search documents (the files) and terms, in entry order.
pub type EntrySearch = Vec<(Vec<u8>, search::Terms)>;

/// Files of the search index, as (path in the output, bytes).
pub type SearchFiles = Vec<(String, Vec<u8>)>;

/// A commentary's search terms and its search document's file (its date as its pages show
/// it, in `text`'s language).
pub(super) fn commentary(
    c: &Commentary,
    url: &str,
    summary: &str,
    r: &Rendered,
    text: &crate::theme::i18n::Text,
) -> (search::Terms, Vec<u8>) {
    let date = crate::theme::i18n::local_date(text, c.date);
    let doc = doc(&c.title, url, "commentary", date, summary, r);
    (search::weigh(&doc), search::doc_file(&doc))
}

/// The search document of a rendered page: its text is the body's, then the notes'.
fn doc(
    title: &str,
    url: &str,
    kind: &'static str,
    date: String,
    summary: &str,
    r: &Rendered,
) -> search::Doc {
    let mut text = search::plain_text(&r.html);
    for n in &r.notes {
        text.push(' ');
        text.push_str(&search::plain_text(&n.html));
    }
    search::Doc {
        title: title.to_string(),
        url: url.to_string(),
        kind,
        date,
        summary: summary.to_string(),
        text,
    }
}

/// Each glossary entry's search document (the file) and its terms, in entry order; another
/// language's originals (no page in this language) are left out.
pub(super) fn entries(g: &Glossary, renders: &[Rendered]) -> EntrySearch {
    (0..g.entries.len())
        .into_par_iter()
        .filter(|&i| !g.foreign[i])
        .map(|i| {
            let e = &g.entries[i];
            let title = match &e.abbr {
                Some(a) => format!("{} ({a})", e.name),
                None => e.name.clone(),
            };
            let d = doc(
                &title,
                &g.urls[i],
                e.kind.as_str(),
                String::new(),
                &g.summaries[i],
                &renders[i],
            );
            // Aliases are names a reader may search by: weigh them as the title.
            let mut named = d.clone();
            for a in &e.aliases {
                named.title.push(' ');
                named.title.push_str(a);
            }
            let terms = search::weigh(&named);
            (search::doc_file(&d), terms)
        })
        .collect()
}

/// The search index and the glossary entries' documents (commentaries' documents are
/// written with their pages). Entry ids follow the commentaries'.
pub(super) fn files<'a>(
    articles: impl ExactSizeIterator<Item = &'a search::Terms>,
    entries: &'a EntrySearch,
) -> SearchFiles {
    use rayon::prelude::*;
    parts(articles, entries)
        .into_par_iter()
        .map(|(p, part)| (p, part.into_bytes()))
        .collect()
}

/// [`files`], the index's shards not yet compressed.
pub(super) fn parts<'a>(
    articles: impl ExactSizeIterator<Item = &'a search::Terms>,
    entries: &'a EntrySearch,
) -> Vec<(String, search::Part)> {
    let n = articles.len();
    let mut files: Vec<(String, search::Part)> = entries
        .iter()
        .enumerate()
        .map(|(j, (doc, _))| (Routes::search_doc(n + j), search::Part::Ready(doc.clone())))
        .collect();
    let terms = articles.chain(entries.iter().map(|(_, t)| t));
    files.extend(
        search::index_parts(terms)
            .into_iter()
            .map(|(p, b)| (Routes::search_data(&p), b)),
    );
    files
}
