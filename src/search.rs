//! The full-text search index, built with the site and read by `scholia.js` in the browser,
//! so that search works from any static host with no server.
//!
//! The point is what a reader downloads for one query. Everything sits under `search/`:
//!
//! - `index.json`: the number of documents and the first term of every shard (a few KB);
//! - `t/<n>.json.gz`: shard `n` of the inverted index, terms in sorted order, each shard
//!   about [`SHARD_BYTES`] of JSON before compression. A term maps to its postings, a flat
//!   array `[id, weight, id, weight, …]` with ids delta-encoded, so a query fetches one shard
//!   per term;
//! - `d/<id>.json.gz`: one document (title, URL, kind, date, summary, plain text), fetched only
//!   for the results shown, to cut a highlighted excerpt around the matches.
//!
//! Files are gzipped here and inflated in the browser (`DecompressionStream`), because many
//! static hosts do not compress JSON; the script also accepts them already inflated.
//! Terms are lower-cased words with Latin accents folded and a final plural `s` dropped;
//! `scholia.js` applies the same rule to queries ([`terms`] and `normTerm` must agree).

use rayon::prelude::*;
use rustc_hash::FxHasher;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::io::Write;

/// Target size of one shard's JSON (before compression).
pub const SHARD_BYTES: usize = 48 * 1024;

/// One searchable document: a commentary or a glossary entry.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Shown as the result's heading.
    pub title: String,
    /// Where the result links.
    pub url: String,
    /// `commentary`, `body` or `treaty`.
    pub kind: &'static str,
    /// ISO date, or empty.
    pub date: String,
    /// Shown when no match falls in the text (a match in the title only).
    pub summary: String,
    /// Plain text of the page's body and notes.
    pub text: String,
}

/// What the index keeps of a document once its file is written: its distinct terms, sorted,
/// with weights. One string for all of them, because a build holds this for every page until
/// the index is written (a `String` per term cost 350 MB on 10,000 commentaries).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Terms {
    /// Terms, each followed by `\n`.
    joined: String,
    /// As bytes: a sequence of `u8` decodes one element at a time, a tenth of a second
    /// over the build cache's 10,000 records.
    #[serde(with = "serde_bytes")]
    weights: Vec<u8>,
}

impl Terms {
    /// (term, weight) pairs, terms in sorted order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u8)> + '_ {
        self.joined
            .split_terminator('\n')
            .zip(self.weights.iter().copied())
    }
}

impl FromIterator<(String, u8)> for Terms {
    fn from_iter<I: IntoIterator<Item = (String, u8)>>(iter: I) -> Self {
        let mut t = Terms::default();
        for (term, w) in iter {
            t.joined.push_str(&term);
            t.joined.push('\n');
            t.weights.push(w);
        }
        t
    }
}

/// Folds one word into its index term, or `None` for a word not indexed.
fn term(word: &str) -> Option<String> {
    let mut t = String::with_capacity(word.len());
    fold(word, &mut t);
    indexed(&t).then_some(t)
}

/// Writes `word`'s term into `t` (cleared first): lower case, accents folded, plural dropped.
fn fold(word: &str, t: &mut String) {
    t.clear();
    for c in word.chars() {
        if c.is_ascii() {
            t.push(c.to_ascii_lowercase());
        } else {
            // Fold Latin letters with accents (é → e), as `normalize('NFKD')` does in the
            // browser; leave other scripts alone.
            let folded = deunicode::deunicode_char(c).unwrap_or("");
            if folded.len() == 1 && folded.as_bytes()[0].is_ascii_alphabetic() && is_latin(c) {
                t.push(folded.as_bytes()[0].to_ascii_lowercase() as char);
            } else {
                t.extend(c.to_lowercase());
            }
        }
    }
    stem(t);
}

/// Whether a folded term gets postings: not a one-letter word (digits aside), not a stop word.
fn indexed(t: &str) -> bool {
    let short = t.chars().nth(1).is_none() && !t.chars().all(|c| c.is_ascii_digit());
    // A `match` on the strings compiles to a switch on length first: the list scan it
    // replaces was a twentieth of a build's CPU in string comparisons.
    let stop = matches!(
        t,
        "a" | "an"
            | "and"
            | "are"
            | "as"
            | "at"
            | "be"
            | "but"
            | "by"
            | "for"
            | "from"
            | "had"
            | "has"
            | "have"
            | "he"
            | "her"
            | "his"
            | "in"
            | "into"
            | "is"
            | "it"
            | "its"
            | "of"
            | "on"
            | "or"
            | "that"
            | "the"
            | "their"
            | "them"
            | "there"
            | "these"
            | "they"
            | "this"
            | "to"
            | "was"
            | "were"
            | "which"
            | "with"
    );
    !short && !stop
}

/// Latin-1 Supplement and Latin Extended-A letters that Unicode decomposes into a base letter
/// and accents: exactly those that `normalize('NFKD')` folds in `scholia.js`.
fn is_latin(c: char) -> bool {
    matches!(c as u32, 0xC0..=0x17F) && !"ÆæÐðØøÞþßĐđĦħıĲĳĸĿŀŁłŊŋŒœŦŧ".contains(c)
}

/// Drops an English plural: `treaties` → `treaty`, `sanctions` → `sanction`, but not `ss`,
/// `us` or `is` endings (`access`, `status`, `analysis`).
fn stem(t: &mut String) {
    if t.len() > 4 && t.ends_with("ies") {
        t.truncate(t.len() - 3);
        t.push('y');
    } else if t.len() > 3
        && t.ends_with('s')
        && !t.ends_with("ss")
        && !t.ends_with("us")
        && !t.ends_with("is")
    {
        t.pop();
    }
}

/// The words of `text` that may become terms, in order. Text in a script written without
/// spaces (Chinese, Japanese, Thai) has no words to split at, so each run of it gives its
/// overlapping pairs of characters (`网络安全` → `网络`, `络安`, `安全`): a query of two
/// characters or more, cut the same way, finds every page containing it.
fn words(text: &str) -> impl Iterator<Item = &str> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .flat_map(segments)
}

/// A word cut into runs of spaced and unspaced script, the unspaced ones into pairs.
fn segments(word: &str) -> Segments<'_> {
    Segments {
        word,
        at: 0,
        plain: word.is_ascii() || !word.chars().any(crate::lang::unspaced),
    }
}

struct Segments<'a> {
    word: &'a str,
    at: usize,
    /// No unspaced character at all (the usual case): the word is its one segment.
    plain: bool,
}

impl<'a> Iterator for Segments<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = &self.word[self.at..];
        if rest.is_empty() {
            return None;
        }
        if self.plain {
            self.at = self.word.len();
            return Some(rest);
        }
        let mut chars = rest.char_indices();
        let (_, first) = chars.next()?;
        if crate::lang::unspaced(first) {
            let step = first.len_utf8();
            match chars.next() {
                Some((i, c)) if crate::lang::unspaced(c) => {
                    self.at += step;
                    // A pair, then the run goes on from its second character.
                    Some(&rest[..i + c.len_utf8()])
                }
                _ => {
                    // A lone character (or the last of a run, already in its pair).
                    self.at += step;
                    let lone = self.at == step || {
                        let before = self.word[..self.at - step].chars().next_back();
                        !before.is_some_and(crate::lang::unspaced)
                    };
                    if lone {
                        Some(&rest[..step])
                    } else {
                        self.next()
                    }
                }
            }
        } else {
            let end = rest
                .char_indices()
                .find(|(_, c)| crate::lang::unspaced(*c))
                .map_or(rest.len(), |(i, _)| i);
            self.at += end;
            Some(&rest[..end])
        }
    }
}

/// The index terms of `text`, in order, repeats included.
pub fn terms(text: &str) -> impl Iterator<Item = String> + '_ {
    words(text).filter_map(term)
}

/// Weights a document's terms: occurrences in the text (capped), plus a bonus for the title.
pub fn weigh(doc: &Doc) -> Terms {
    // Hashed while counting, sorted once at the end: a tree cost a string comparison per
    // level for every word of every page. One buffer for every word, and a key allocated
    // only for a term's first occurrence.
    let mut tf: HashMap<String, u32, BuildHasherDefault<FxHasher>> = HashMap::default();
    let mut buf = String::new();
    let mut count = |word: &str, add: &dyn Fn(&mut u32)| {
        fold(word, &mut buf);
        if !indexed(&buf) {
            return;
        }
        match tf.get_mut(buf.as_str()) {
            Some(n) => add(n),
            None => {
                let mut n = 0;
                add(&mut n);
                tf.insert(buf.clone(), n);
            }
        }
    };
    // The title flag sits above any count of occurrences a page can reach.
    const TITLE: u32 = 1 << 24;
    for w in words(&doc.text) {
        count(w, &|n| *n += 1);
    }
    for w in words(&doc.title) {
        count(w, &|n| *n |= TITLE);
    }
    let mut tf: Vec<(String, u32)> = tf.into_iter().collect();
    tf.sort_unstable();
    tf.into_iter()
        .map(|(t, n)| {
            let title = if n & TITLE != 0 { 10 } else { 0 };
            let occurrences = (n & (TITLE - 1)).min(10) as u8;
            (t, title + occurrences.max(1))
        })
        .collect()
}

/// A document's file: JSON, gzipped.
pub fn doc_file(doc: &Doc) -> Vec<u8> {
    let json = serde_json::json!({
        "t": doc.title,
        "u": doc.url,
        "k": doc.kind,
        "d": doc.date,
        "s": doc.summary,
        "x": doc.text,
    });
    // The fastest level: documents are most of the text a build compresses, and level 1 costs
    // half the CPU of level 6 for about 6 % more bytes.
    gzip(json.to_string().as_bytes(), flate2::Compression::fast())
}

/// A file of the search index, its shards compressed only when wanted: an output that
/// already has a shard (by [`Part::key`], which is of the text before compression) does not
/// pay for compressing it again.
pub enum Part {
    /// The bytes as they are.
    Ready(Vec<u8>),
    /// JSON, to gzip at the default level.
    Gzip(String),
}

impl Part {
    /// A fingerprint of the file's bytes, computed without making them.
    pub fn key(&self) -> u64 {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut h = DefaultHasher::new();
        match self {
            Part::Ready(b) => b.hash(&mut h),
            Part::Gzip(json) => ("gzip", json).hash(&mut h),
        }
        h.finish()
    }

    /// The file's bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        match self {
            Part::Ready(b) => b,
            // The default level: `best` took 20 times the CPU (deflate's longest match
            // search crawls over runs of small numbers) for 6 % fewer bytes.
            Part::Gzip(json) => gzip(json.as_bytes(), flate2::Compression::default()),
        }
    }
}

/// The index files, (path under `search/`, bytes), from each document's terms in id order.
pub fn index_files<'a>(docs: impl IntoIterator<Item = &'a Terms>) -> Vec<(String, Vec<u8>)> {
    index_parts(docs)
        .into_par_iter()
        .map(|(p, part)| (p, part.into_bytes()))
        .collect()
}

/// [`index_files`], the shards not yet compressed.
pub fn index_parts<'a>(docs: impl IntoIterator<Item = &'a Terms>) -> Vec<(String, Part)> {
    let mut postings: HashMap<&str, Vec<(u32, u8)>, BuildHasherDefault<FxHasher>> =
        HashMap::default();
    let mut count = 0;
    for (id, d) in docs.into_iter().enumerate() {
        for (t, w) in d.iter() {
            postings.entry(t).or_default().push((id as u32, w));
        }
        count += 1;
    }
    let mut postings: Vec<(&str, Vec<(u32, u8)>)> = postings.into_iter().collect();
    postings.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    // Each term's list written on its own, in parallel: writing three million numbers was
    // most of the index's time, which a build with the cache spends again in full.
    let lists: Vec<String> = postings
        .par_iter()
        .map(|(t, list)| {
            let mut out = String::with_capacity(t.len() + 4 + list.len() * 5);
            out.push_str(&serde_json::to_string(t).unwrap_or_default());
            out.push_str(":[");
            let mut digits = itoa::Buffer::new();
            let mut prev = 0;
            for (k, (id, w)) in list.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                // Ids ascend, so deltas are small numbers: fewer digits to download.
                out.push_str(digits.format(id - prev));
                out.push(',');
                out.push_str(digits.format(*w));
                prev = *id;
            }
            out.push(']');
            out
        })
        .collect();
    let mut shards: Vec<String> = Vec::new();
    let mut firsts: Vec<&str> = Vec::new();
    let mut shard = String::new();
    let flush = |shard: &mut String, shards: &mut Vec<String>| {
        if !shard.is_empty() {
            shard.push('}');
            shards.push(std::mem::take(shard));
        }
    };
    // Each list is dropped once copied: the shards and the lists are not held whole at once.
    for ((t, _), list) in postings.iter().zip(lists) {
        if shard.len() >= SHARD_BYTES {
            flush(&mut shard, &mut shards);
        }
        if shard.is_empty() {
            firsts.push(t);
            shard.push('{');
        } else {
            shard.push(',');
        }
        shard.push_str(&list);
    }
    flush(&mut shard, &mut shards);
    let manifest = serde_json::json!({ "v": 1, "docs": count, "shards": firsts });
    let mut files: Vec<(String, Part)> = shards
        .into_iter()
        .enumerate()
        .map(|(n, s)| (format!("t/{n}.json.gz"), Part::Gzip(s)))
        .collect();
    files.push((
        "index.json".into(),
        Part::Ready(manifest.to_string().into_bytes()),
    ));
    files
}

fn gzip(bytes: &[u8], level: flate2::Compression) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), level);
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(bytes);
    enc.finish().unwrap_or_default()
}

/// What follows the element `name` that `html` starts with, counting nested elements of the
/// same name (the rest of the text when it never closes).
fn after_element<'h>(html: &'h str, name: &str) -> &'h str {
    let (open, close) = (format!("<{name}"), format!("</{name}>"));
    let mut depth = 0usize;
    let mut at = 0;
    while at < html.len() {
        let rest = &html[at..];
        let next_open = rest.find(&open);
        let Some(c) = rest.find(&close) else {
            return "";
        };
        match next_open {
            Some(o) if o < c => {
                depth += 1;
                at += o + open.len();
            }
            _ => {
                depth = depth.saturating_sub(1);
                at += c + close.len();
                if depth == 0 {
                    return &html[at..];
                }
            }
        }
    }
    ""
}

/// Plain text of rendered HTML: tags dropped, entities decoded, sidenotes skipped (the
/// caller adds the notes once, from the notes list).
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_decoded(&mut out, &rest[..lt]);
        rest = &rest[lt..];
        // Sidenotes, note numbers and paragraph links are not words of the text; none nests.
        for (open, close) in [
            ("<aside class=\"sidenote\"", "</aside>"),
            ("<sup class=\"note-ref\"", "</sup>"),
            ("<a class=\"pilcrow\"", "</a>"),
        ] {
            if rest.starts_with(open) {
                rest = rest.find(close).map_or("", |e| &rest[e + close.len()..]);
                out.push(' ');
            }
        }
        // A sidenote after its reference (so after the skipped `<sup>`) is a span holding
        // spans: skip to its own end.
        if rest.starts_with("<span class=\"sidenote\"") {
            rest = after_element(rest, "span");
            out.push(' ');
            continue;
        }
        if !rest.starts_with('<') {
            continue;
        }
        let gt = rest.find('>').map_or(rest.len(), |g| g + 1);
        let tag = &rest[..gt];
        // A break between blocks, not between inline elements (`<a>`, `<em>`, `<sup>`).
        if tag.starts_with("</p")
            || tag.starts_with("</li")
            || tag.starts_with("</h")
            || tag.starts_with("<br")
            || tag.starts_with("</td")
            || tag.starts_with("</th")
            || tag.starts_with("</pre")
            || tag.starts_with("</blockquote")
        {
            out.push(' ');
        }
        rest = &rest[gt..];
    }
    push_decoded(&mut out, rest);
    // One space between words, whatever the markup left; one pass, no list of words.
    let mut text = String::with_capacity(out.len());
    let mut space = false;
    for c in out.chars() {
        if c.is_whitespace() {
            space = !text.is_empty();
        } else {
            if space {
                text.push(' ');
                space = false;
            }
            text.push(c);
        }
    }
    text
}

fn push_decoded(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| match &rest[1..e] {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                .ok()
                .and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn gunzip(b: &[u8]) -> String {
        let mut s = String::new();
        flate2::read::GzDecoder::new(b)
            .read_to_string(&mut s)
            .unwrap();
        s
    }

    #[test]
    fn terms_fold_case_accents_and_plurals() {
        let t: Vec<String> =
            terms("The Treaties of Rome, Curaçao's sanctions; access status 2014 é").collect();
        assert_eq!(
            t,
            ["treaty", "rome", "curacao", "sanction", "access", "status", "2014"]
        );
        // Other scripts are kept as they are, lower-cased.
        assert_eq!(
            terms("中央网络 ΑΘΗΝΑ").collect::<Vec<_>>(),
            ["中央", "央网", "网络", "αθηνα"]
        );
    }

    #[test]
    fn text_without_spaces_is_cut_into_pairs() {
        let t: Vec<String> = terms("中央网络安全和ICAO会议。日本語とEnglish").collect();
        assert_eq!(
            t,
            [
                "中央", "央网", "网络", "络安", "安全", "全和", "icao", "会议", "日本", "本語",
                "語と", "english"
            ]
        );
        // A lone character is a one-letter word: not indexed, as in English.
        assert_eq!(terms("和ICAO").collect::<Vec<_>>(), ["icao"]);
        assert_eq!(
            terms("Résumé naïve").collect::<Vec<_>>(),
            ["resume", "naive"]
        );
    }

    #[test]
    fn plain_text_skips_sidenotes_and_decodes_entities() {
        let html = "<aside class=\"sidenote\" role=\"note\"><p>Note text</p></aside>\n<p>Fish &amp; chips<sup class=\"note-ref\"><a href=\"#fn-1\">1</a></sup> and <a class=\"gl\" title=\"x &gt; y\">NATO</a>&#8217;s role</p><p>Next&#x21;</p>";
        assert_eq!(plain_text(html), "Fish & chips and NATO’s role Next!");
        let inline = "<p>A claim<sup class=\"note-ref\"><a href=\"#fn-1\">1</a></sup><span class=\"sidenote\" role=\"note\"><span class=\"sidenote-number\">1</span> See <span class=\"small-caps\">Kwan</span>.</span> stands.<a class=\"pilcrow\" href=\"#p-1\">¶</a></p>";
        assert_eq!(plain_text(inline), "A claim stands.");
    }

    #[test]
    fn title_terms_weigh_more() {
        let d = Doc {
            title: "Sanctions".into(),
            url: "/x/".into(),
            kind: "commentary",
            date: String::new(),
            summary: String::new(),
            text: "sanctions sanction rome".into(),
        };
        let terms = weigh(&d);
        let w: Vec<(&str, u8)> = terms.iter().collect();
        assert_eq!(w, [("rome", 1), ("sanction", 12)]);
    }

    #[test]
    fn index_shards_are_sorted_and_found_by_first_term() {
        // Enough terms for several shards.
        let docs: Vec<Terms> = (0..300)
            .map(|i| {
                (0..200)
                    .map(|j| (format!("w{:05}", i * 7 + j), 1u8))
                    .collect()
            })
            .collect();
        let files = index_files(&docs);
        let (_, manifest) = files.iter().find(|(p, _)| p == "index.json").unwrap();
        let m: serde_json::Value = serde_json::from_slice(manifest).unwrap();
        let firsts: Vec<&str> = m["shards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert!(firsts.len() > 3, "{} shards", firsts.len());
        assert!(firsts.windows(2).all(|w| w[0] < w[1]));
        // Look a term up as the browser does: the last shard whose first term is <= it.
        let want = "w01000";
        let n = firsts.iter().rposition(|f| *f <= want).unwrap();
        let (_, shard) = files
            .iter()
            .find(|(p, _)| *p == format!("t/{n}.json.gz"))
            .unwrap();
        let s: serde_json::Value = serde_json::from_str(&gunzip(shard)).unwrap();
        let list: Vec<u64> = s[want]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        // Documents i with i*7 <= 1000 < i*7+200, ids delta-encoded.
        let mut ids = Vec::new();
        let mut id = 0;
        for pair in list.chunks(2) {
            id += pair[0];
            ids.push(id);
        }
        let expected: Vec<u64> = (0..300u64)
            .filter(|i| i * 7 <= 1000 && 1000 < i * 7 + 200)
            .collect();
        assert_eq!(ids, expected);
        for (p, b) in &files {
            if p.starts_with("t/") {
                assert!(gunzip(b).len() < SHARD_BYTES + 16 * 1024, "{p} too big");
            }
        }
    }
}
