//! Auto-link cost against glossary size: renders the same commentaries with a small and a big
//! glossary and prints how long the Markdown pass takes with each.
//!
//! ```sh
//! cargo run --release --example autolink_flatness -- SMALL_ROOT EXTRA_ROOT
//! ```
//!
//! The commentaries and the small glossary come from `SMALL_ROOT`; the big glossary is the
//! small one plus every entry of `EXTRA_ROOT` whose slug and names it does not already use.
//! So every explicit `[[slug]]` resolves with both glossaries (an unknown slug would time the
//! error path and its "did you mean" search instead), and every link the small glossary
//! makes is still there to make. A whole build also renders one page per entry, so its time
//! grows with the glossary by design; this isolates the part that must not grow: linking
//! commentaries (`bench/bench.py --glossary-flatness` runs it). One thread, so the figure
//! is not blurred by scheduling; five timed runs after a warm-up, median printed.

use scholia::content::{discover, Commentary, Entry};
use scholia::glossary::Glossary;
use scholia::markdown::{render, summary, Autolink, Input};
use scholia::routes::Routes;
use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

fn load(root: &str) -> scholia::content::Content {
    let mut diags = Vec::new();
    let content = discover(Path::new(root), u64::MAX, &["en".to_string()], &mut diags);
    if let Some(d) = diags.iter().find(|d| d.is_error()) {
        eprintln!("error: {root}: {d}");
        std::process::exit(1);
    }
    content
}

/// Median time of rendering every commentary, the links made and the errors met.
fn time_render(commentaries: &[Commentary], glossary: &Glossary) -> (Duration, usize, usize) {
    let once = || {
        commentaries
            .iter()
            .map(|c| {
                let r = render(&Input {
                    file: &c.file,
                    glossary,
                    autolink: Autolink::First,
                    own_entry: None,
                    sanitize: false,
                    editorial: false,
                    sources: None,
                    lang: "en",
                    paragraph_ids: false,
                    written: None,
                    states: &[],
                });
                let errors = r.diags.iter().filter(|d| d.is_error()).count();
                (r.mentions.len(), errors)
            })
            .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    };
    let (links, errors) = once();
    let mut times: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(once());
            start.elapsed()
        })
        .collect();
    times.sort();
    (times[2], links, errors)
}

fn surfaces(e: &Entry) -> impl Iterator<Item = &str> {
    std::iter::once(e.name.as_str())
        .chain(e.abbr.as_deref())
        .chain(e.aliases.iter().map(String::as_str))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [small_root, extra_root] = args.as_slice() else {
        eprintln!("usage: autolink_flatness SMALL_ROOT EXTRA_ROOT");
        std::process::exit(2);
    };
    let small = load(small_root);
    let commentaries = small.commentaries;
    let mut big = small.entries.clone();
    let slugs: HashSet<&str> = small.entries.iter().map(|e| e.slug.as_str()).collect();
    let names: HashSet<&str> = small.entries.iter().flat_map(surfaces).collect();
    big.extend(
        load(extra_root).entries.into_iter().filter(|e| {
            !slugs.contains(e.slug.as_str()) && !surfaces(e).any(|s| names.contains(s))
        }),
    );
    let mut first = None;
    for entries in [small.entries, big] {
        let (glossary, diags) = Glossary::new(entries, &Routes::new("/"), |body| {
            summary::first_sentence(&summary::first_paragraph(body))
        });
        if let Some(d) = diags.iter().find(|d| d.is_error()) {
            eprintln!("{d}");
            std::process::exit(1);
        }
        let (median, links, errors) = time_render(&commentaries, &glossary);
        if errors > 0 {
            eprintln!("error: {errors} diagnostics while rendering; the figures would time the error path");
            std::process::exit(1);
        }
        let base = *first.get_or_insert(median);
        println!(
            "{:>6} entries: {} commentaries rendered in {:.3} s ({:.0} µs each), {links} entry links, {:+.1} %",
            glossary.entries.len(),
            commentaries.len(),
            median.as_secs_f64(),
            median.as_secs_f64() * 1e6 / commentaries.len() as f64,
            100.0 * (median.as_secs_f64() / base.as_secs_f64() - 1.0),
        );
    }
}
