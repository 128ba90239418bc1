//! The build cache (`.scholia-cache/`, issue 18) from the command line: a second build
//! after an edit takes what did not change from the first (the same files, by hard link),
//! renders what did, and writes what a build without the cache writes; a damaged cache is a
//! warning and nothing else; `--no-cache` neither reads nor writes it.

use crate::util::{snapshot, Site};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// A site of `n` commentaries (more than the feed's twenty, so that most of them are cached
/// without their body) mentioning a glossary entry and citing a work.
fn site(n: usize) -> Site {
    let site = Site::fixture("basic");
    site.write(
        "content/sources.yaml",
        "lee2019:\n  type: book\n  title: Aviation Law Today\n  author: Lee, Ada\n  date: 2019\n",
    );
    for i in 0..n {
        site.write(
            &format!("content/commentaries/gen-{i:02}.md"),
            &format!(
                "---\ntitle: \"Note {i} on the agency\"\ndate: 2012-01-{:02}\nauthors: [\"Ada Lee\"]\ntags: [\"Cyber\"]\n---\n\nThe National Security Agency and item {i} [@lee2019, p. {i}].\n\nA second paragraph.[^n]\n\n[^n]: A note on {i}.\n",
                1 + i % 28
            ),
        );
    }
    site
}

/// The output's files less its bookkeeping (the marker and the keys).
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v = snapshot(dir);
    v.retain(|(p, _)| !p.to_string_lossy().starts_with(".scholia-"));
    v
}

fn inode(path: PathBuf) -> u64 {
    std::fs::metadata(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .ino()
}

/// The output a build without the cache writes, in `other/`.
fn without_cache(site: &Site) -> Vec<(PathBuf, Vec<u8>)> {
    let out = site.root().join("other");
    let _ = std::fs::remove_dir_all(&out);
    site.build_ok(&["--no-cache", "--out", "other"]);
    files(&out)
}

#[test]
fn a_second_build_takes_what_did_not_change_and_writes_what_a_build_without_cache_writes() {
    let site = site(25);
    site.build_ok(&[]);
    assert!(site.root().join(".scholia-cache/articles.bin").is_file());
    let page = |slug: &str| site.out(&format!("commentaries/{slug}/index.html"));
    let (kept, edited) = ("gen-03", "gen-07");
    let before = (inode(page(kept)), inode(page(edited)));
    site.write(
        "content/commentaries/gen-07.md",
        "---\ntitle: \"Note 7 on the agency\"\ndate: 2012-01-08\nauthors: [\"Ada Lee\"]\ntags: [\"Cyber\"]\n---\n\nThe NSA, edited [@lee2019, p. 70].\n",
    );
    site.build_ok(&[]);
    assert_eq!(
        inode(page(kept)),
        before.0,
        "an unchanged page is taken as it was"
    );
    assert_ne!(
        inode(page(edited)),
        before.1,
        "the edited page is written again"
    );
    assert!(site
        .read("commentaries/gen-07/index.html")
        .contains("edited"));
    assert!(files(&site.out("")) == without_cache(&site));
    // Nothing changed: every commentary's page is the previous one.
    let all: Vec<u64> = (0..25)
        .map(|i| inode(page(&format!("gen-{i:02}"))))
        .collect();
    site.build_ok(&[]);
    let again: Vec<u64> = (0..25)
        .map(|i| inode(page(&format!("gen-{i:02}"))))
        .collect();
    assert_eq!(all, again);
    // A change every commentary reads (the bibliography) misses every record.
    site.write(
        "content/sources.yaml",
        "lee2019:\n  type: book\n  title: Aviation Law Tomorrow\n  author: Lee, Ada\n  date: 2019\n",
    );
    site.build_ok(&[]);
    assert_ne!(inode(page(kept)), again[3]);
    assert!(site
        .read("commentaries/gen-03/index.html")
        .contains("Aviation Law Tomorrow"));
    assert!(files(&site.out("")) == without_cache(&site));
}

#[test]
fn a_damaged_cache_is_a_warning_and_the_build_is_still_right() {
    let site = site(22);
    site.build_ok(&[]);
    let file = site.root().join(".scholia-cache/articles.bin");
    let bytes = std::fs::read(&file).unwrap();
    // Cut short, then one byte changed inside a record.
    let mut flipped = bytes.clone();
    let i = bytes.len() * 2 / 3;
    flipped[i] ^= 0x01;
    for bad in [bytes[..bytes.len() / 2].to_vec(), flipped] {
        std::fs::write(&file, &bad).unwrap();
        site.write(
            "content/commentaries/gen-05.md",
            &format!(
                "---\ntitle: \"Note 5\"\ndate: 2012-01-06\n---\n\nThe NSA, {} bytes.\n",
                bad.len()
            ),
        );
        let r = site.run(&["build"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let warnings: Vec<&str> = r
            .stderr
            .lines()
            .filter(|l| {
                l.starts_with(
                    "warning: .scholia-cache/articles.bin:1:1: the build cache is damaged",
                )
            })
            .collect();
        assert_eq!(warnings.len(), 1, "{}", r.stderr);
        assert!(files(&site.out("")) == without_cache(&site));
        // Written again: the next build is quiet.
        site.build_ok(&[]);
    }
}

#[test]
fn no_cache_neither_reads_nor_writes_the_cache() {
    let site = site(3);
    site.build_ok(&["--no-cache"]);
    assert!(!site.root().join(".scholia-cache").exists());
    site.build_ok(&[]);
    let file = site.root().join(".scholia-cache/articles.bin");
    std::fs::write(&file, b"not a cache").unwrap();
    // Not read: no warning about it.
    site.build_ok(&["--no-cache"]);
    assert_eq!(std::fs::read(&file).unwrap(), b"not a cache");
}

#[test]
fn a_new_newest_commentary_takes_the_moved_search_documents_from_the_output() {
    let site = site(25);
    site.build_ok(&[]);
    let docs = |site: &Site| -> std::collections::BTreeSet<u64> {
        std::fs::read_dir(site.out("search/d"))
            .unwrap()
            .map(|e| e.unwrap().metadata().unwrap().ino())
            .collect()
    };
    let before = docs(&site);
    assert!(before.len() > 25);
    // Its document takes a number before the older commentaries' and the entries', which
    // all move up one.
    site.write(
        "content/commentaries/newest.md",
        "---\ntitle: \"The newest note\"\ndate: 2013-01-01\n---\n\nThe NSA, lately.\n",
    );
    site.build_ok(&[]);
    let after = docs(&site);
    assert_eq!(after.len(), before.len() + 1);
    assert!(
        before.is_subset(&after),
        "each document is the previous output's file under its new number"
    );
    assert!(files(&site.out("")) == without_cache(&site));
    // An output without them: the commentaries are rendered again, and all is as it was.
    std::fs::remove_dir_all(site.out("search")).unwrap();
    site.build_ok(&[]);
    assert!(files(&site.out("")) == without_cache(&site));
}

#[test]
fn a_commentary_file_edited_with_its_size_and_modification_time_kept_is_read_again() {
    let settle = || std::thread::sleep(std::time::Duration::from_millis(2_100));
    let site = site(3);
    // Files changed in the last two seconds are read every time; these are not.
    settle();
    site.build_ok(&[]);
    let path = site.root().join("content/commentaries/gen-01.md");
    let before = std::fs::read_to_string(&path).unwrap();
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    let after = before.replace("item 1 ", "item X ");
    assert_eq!(after.len(), before.len());
    std::fs::write(&path, &after).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    settle();
    site.build_ok(&[]);
    assert!(site
        .read("commentaries/gen-01/index.html")
        .contains("item X"));
    assert!(files(&site.out("")) == without_cache(&site));
}
