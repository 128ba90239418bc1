//! Failed builds: every error of a run at once, with PATH:LINE:COL, exit 1, and the previous
//! output left byte-for-byte as it was.

use crate::util::*;

fn broken_site() -> Site {
    let site = Site::fixture("basic");
    site.write(
        "content/commentaries/2014/2014-02-27-leading-group.md",
        "---\ntitle: \"A new leading group\"\ndate: 2014-02-30\ntitel: x\n---\n\nSee [[nsaa]] and a note[^nope].\n",
    );
    site.write(
        "content/glossary/bodies/nsa.md",
        "---\nname: \"National Security Agency\"\nparent: dod\n---\nText.\n",
    );
    site.write(
        "content/commentaries/2013-06-08-sunnylands.md",
        "no front matter\n",
    );
    site
}

#[test]
fn every_error_is_reported_with_its_position() {
    let site = broken_site();
    let r = site.run(&["build"]);
    assert_eq!(r.code, 1);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(
        lines,
        [
            "error: content/commentaries/2013-06-08-sunnylands.md:1:1: the file does not start with front matter; start it with a `---` line, the YAML keys, and a closing `---` line",
            "error: content/commentaries/2014/2014-02-27-leading-group.md:3:7: `date`: `2014-02-30` is not a real date: February 2014 has 28 days",
            "error: content/commentaries/2014/2014-02-27-leading-group.md:4:1: unknown key `titel`; did you mean `title`?; allowed keys: title, date, updated, corrections, authors, author, summary, tags, source, slug, draft, autolink, pdf, extra (put free-form data under `extra:`)",
            "error: content/glossary/bodies/nsa.md:3:9: `parent` names `dod`, which is not a glossary entry",
            "4 errors found; nothing was written",
        ]
    );
}

#[test]
fn markdown_errors_have_positions_and_suggestions() {
    let site = Site::fixture("basic");
    site.write(
        "content/commentaries/2015-09-25-agreement.md",
        "---\ntitle: T\ndate: 2015-09-25\n---\n\nSee [[nsaa]] and a note[^nope].\n\n[^unused]: never cited\n",
    );
    let r = site.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(
        lines,
        [
            "error: content/commentaries/2015-09-25-agreement.md:6:5: `nsaa` is not a glossary entry; did you mean `nsa`?; write `[[slug]]` with the file name of an entry under content/glossary/",
            "error: content/commentaries/2015-09-25-agreement.md:6:24: the note `[^nope]` has no definition; add a line `[^nope]: …` to the file",
            "warning: content/commentaries/2015-09-25-agreement.md:8:1: the note `[^unused]` is never referenced; cite it with `[^unused]` in the text or remove it",
            "2 errors found; see above",
        ]
    );
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let before = snapshot(&site.root().join("site"));
    let broken = broken_site();
    // Same content root: copy the broken files over the good site.
    for rel in [
        "content/commentaries/2014/2014-02-27-leading-group.md",
        "content/glossary/bodies/nsa.md",
    ] {
        std::fs::copy(broken.root().join(rel), site.root().join(rel)).unwrap();
    }
    let r = site.run(&["build"]);
    assert_eq!(r.code, 1);
    assert_eq!(before, snapshot(&site.root().join("site")));
    // No temporary folders are left next to it.
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("scholia-"))
        // The build cache is no leftover.
        .filter(|e| e.file_name() != ".scholia-cache")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn refuses_to_overwrite_a_foreign_folder() {
    let site = Site::fixture("basic");
    site.write("elsewhere/precious.txt", "keep me");
    let r = site.run(&["build", "--out", "elsewhere"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "refusing to replace `elsewhere`: it is not empty and was not written by Scholia"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join("elsewhere/precious.txt")).unwrap(),
        "keep me"
    );
    let r = site.run(&["build", "--out", "content"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("contains the site's sources")
            || r.stderr.contains("inside the site's `content/`"),
        "{}",
        r.stderr
    );
}

#[test]
fn duplicate_slugs_name_both_files() {
    let site = Site::fixture("basic");
    site.write(
        "content/glossary/treaties/nsa.md",
        "---\nname: Other\n---\n",
    );
    let r = site.run(&["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("error: content/glossary/treaties/nsa.md:1:1: the glossary entry slug `nsa` is already used by content/glossary/bodies/nsa.md"),
        "{}",
        r.stderr
    );
}

#[test]
fn bad_usage_exits_2() {
    let site = Site::fixture("basic");
    assert_eq!(site.run(&["build", "--no-such-flag"]).code, 2);
    assert_eq!(site.run(&["frobnicate"]).code, 2);
}

#[test]
fn missing_content_folder_is_explained() {
    let site = Site::empty();
    std::fs::remove_dir(site.root().join("content")).unwrap();
    let r = site.run(&["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("is not a folder; run scholia in a site root"),
        "{}",
        r.stderr
    );
}
