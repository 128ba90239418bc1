//! Authoring: the rendered diagnostics (human and JSON), `check`'s editorial report and
//! glossary coverage, `--strict`.

use crate::util::*;

fn broken() -> Site {
    let site = Site::fixture("basic");
    site.write(
        "content/commentaries/2015-09-25-agreement.md",
        "---\ntitle: T\ndate: 2015-09-25\nsumary: x\n---\n\nSee [[nsaa]] here.\n",
    );
    site
}

#[test]
fn human_diagnostics_show_the_line_with_a_caret_and_help() {
    let r = broken().run(&["check", "--message-format", "human"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "error[E0012]: unknown key `sumary`
  ┌─ content/commentaries/2015-09-25-agreement.md:4:1
  │
4 │ sumary: x
  │ ^^^^^^
  │
  = help: did you mean `summary`?; allowed keys: title, date, updated, corrections, authors, author, summary, tags, source, slug, draft, autolink, pdf, extra (put free-form data under `extra:`)

1 error found; see above
"
    );
}

#[test]
fn json_diagnostics_are_one_object_per_line() {
    let site = broken();
    site.write(
        "content/commentaries/2015-09-25-agreement.md",
        "---\ntitle: T\ndate: 2015-09-25\nsummary: x\n---\n\nSee [[nsaa]] here.\n",
    );
    let r = site.run(&["check", "--message-format", "json"]);
    assert_eq!(r.code, 1);
    let lines: Vec<serde_json::Value> = r
        .stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    assert_eq!(
        lines[0],
        serde_json::json!({
            "severity": "error",
            "code": "E0030",
            "path": "content/commentaries/2015-09-25-agreement.md",
            "line": 7,
            "column": 5,
            "message": "`nsaa` is not a glossary entry",
            "help": "did you mean `nsa`?; write `[[slug]]` with the file name of an entry under content/glossary/"
        })
    );
    assert_eq!(r.stdout, "");
}

fn coverage_site() -> Site {
    let site = Site::fixture("basic");
    for (i, day) in ["01", "02", "03"].iter().enumerate() {
        site.write(
            &format!("content/commentaries/2016-01-{day}-c{i}.md"),
            &format!(
                "---\ntitle: C{i}\ndate: 2016-01-{day}\nsummary: s\n---\n\nThe ICAO and the Cyber Working Group met{}.\n",
                if i == 0 { " under the Tokyo Convention" } else { "" }
            ),
        );
    }
    site.write(
        "content/commentaries/2016-01-04-d.md",
        "---\ntitle: D\ndate: 2016-01-04\nsummary: s\n---\n\nThe Tokyo Convention, again; the NSA.\n",
    );
    site
}

#[test]
fn check_lists_uncovered_names_by_frequency() {
    let r = coverage_site().run(&["check"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    assert_eq!(
        r.stdout,
        "glossary coverage: 3 names in several commentaries match no glossary entry
  Cyber Working Group (3 commentaries): scholia new body \"Cyber Working Group\"
  ICAO (3 commentaries): scholia new body \"ICAO\"
  Tokyo Convention (2 commentaries): scholia new treaty \"Tokyo Convention\"
"
    );
    // A build stays quiet: the report is check's.
    let b = coverage_site().run(&["build"]);
    assert!(b.stdout.starts_with("built "), "{}", b.stdout);
}

#[test]
fn editorial_warnings_and_strict() {
    let site = Site::fixture("basic");
    site.write(
        "content/glossary/bodies/unused.md",
        "---\nname: Quiet Office\n---\nNobody mentions it.\n",
    );
    site.write(
        "content/commentaries/2016-02-01-x.md",
        "---\ntitle: X\ndate: 2016-02-01\n---\n\nNo summary here.\n",
    );
    let r = site.run(&["check"]);
    assert_eq!(r.code, 0, "warnings alone pass");
    assert_eq!(
        r.stderr.lines().collect::<Vec<_>>(),
        [
            "warning: content/commentaries/2016-02-01-x.md:1:1: the commentary has no `summary:`; lists and feeds use its first paragraph, cut at 200 characters (add one or two sentences)",
            "warning: content/glossary/bodies/unused.md:1:1: no commentary mentions `Quiet Office`; link it from a commentary or remove the entry",
        ]
    );
    let strict = site.run(&["check", "--strict"]);
    assert_eq!(strict.code, 1);
    assert!(
        strict
            .stderr
            .starts_with("error: content/commentaries/2016-02-01-x.md:1:1:"),
        "{}",
        strict.stderr
    );
    // build does not report editorial warnings.
    let b = site.run(&["build"]);
    assert_eq!((b.code, b.stderr.as_str()), (0, ""));
}

/// File names in any script build, each with its slug from the one slug rule; hidden files
/// and editors' leftovers are passed over without a word (as Zola and Hugo do), except that
/// `static/` publishes hidden names such as `.well-known/`.
#[test]
fn file_names_in_any_script_and_editor_leftovers() {
    let site = Site::fixture("basic");
    let c = "---\ntitle: Named freely\ndate: 2015-10-01\ntags: [\"China's cyber policy\"]\n---\n\nText.\n";
    site.write("content/commentaries/2015-10-01-My Article.md", c);
    site.write(
        "content/glossary/bodies/Zhōngyāng Wǎngxìn.md",
        "---\nname: Central Cyberspace Affairs Commission\n---\nText.\n",
    );
    site.write(
        "content/pages/About Us.md",
        "---\ntitle: About us\n---\nText.\n",
    );
    // Each would fail the build or warn if it were read.
    let broken = "not front matter\n";
    for junk in [
        "content/commentaries/.draft.md",
        "content/commentaries/2015-09-25-agreement.md~",
        "content/commentaries/#2015-09-25-agreement.md#",
        "content/commentaries/.2015-09-25-agreement.md.swp",
        "content/glossary/bodies/.hidden/nsa.md",
        "content/.git/notes.md",
        "content/static/notes.txt~",
    ] {
        site.write(junk, broken);
    }
    site.write("content/static/.well-known/security.txt", "Contact: x\n");
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        "user@host.1234:1700000000",
        site.root()
            .join("content/commentaries/.#2015-09-25-agreement.md"),
    )
    .unwrap();

    site.build_ok(&[]);
    assert!(site.exists("commentaries/my-article/index.html"));
    assert!(site.exists("glossary/bodies/zhongyang-wangxin/index.html"));
    assert!(site.exists("about-us/index.html"));
    // An apostrophe joins a word: not `china-s-cyber-policy`.
    assert!(site.exists("tags/chinas-cyber-policy/index.html"));
    assert!(site.exists(".well-known/security.txt"));
    assert!(!site.exists("notes.txt~"));
    assert!(!site.exists("commentaries/draft/index.html"));
}

/// A `slug:` given by hand is still checked: it is the author's choice, so it is not rewritten.
#[test]
fn a_slug_key_that_cannot_be_a_url_segment_is_an_error() {
    let site = Site::fixture("basic");
    site.write(
        "content/pages/faq.md",
        "---\ntitle: FAQ\nslug: \"a b\"\n---\nText.\n",
    );
    let r = site.run(&["build"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .starts_with("error: content/pages/faq.md:3:7: the slug `a b` cannot be a URL segment"),
        "{}",
        r.stderr
    );
}
