//! The bad-input corpus: every case under `tests/bad/` is a tiny site root that an editor
//! could plausibly get wrong, with the exact answer Scholia must give. Scholia must answer
//! every bad input with a clear error (`error: PATH:LINE:COL: message`, exit 1), never a
//! panic, a hang, or a half-written site.
//!
//! # A case
//!
//! `tests/bad/<case>/` holds the site (`content/…`, optionally `scholia.yaml`, `templates/`,
//! an old `site/`, …) and `expected.txt`:
//!
//! ```text
//! args: build --out public     optional: the command line; default `check`
//! timeout: 5                   optional: seconds before the run counts as a hang (default 20)
//! exists: public/keep.txt      optional, repeatable: a path that must exist after the run
//! absent: public/passwd        optional, repeatable: a path that must not exist after it
//! exit: 1                      required: the exit status
//! error: content/commentaries/x.md:3:7: …     the rest: stderr, exactly, line by line
//! ```
//!
//! `args` is split at spaces; `"double quotes"` group words and `""` is an empty argument.
//! The run happens in a fresh temporary copy of the case (without `expected.txt` and
//! `GENERATED`), with the copy as the current folder, so paths in messages are relative
//! (`content/commentaries/x.md`); the copy's absolute path, if printed, reads `ROOT`.
//! Cases are Unix-only (symbolic links, non-UTF-8 file names, `/` in expected paths).
//!
//! Inputs that git cannot hold well (symbolic links, NUL and other control bytes, non-UTF-8
//! bytes or file names, files of megabytes) are written into the temporary copy by a
//! generator in this file, [`generator`]. Such a case folder holds a `GENERATED` file saying
//! what is added; a marker without a generator, or a generator without a marker, fails.
//!
//! # What is checked, for every case
//!
//! - the exit status and stderr are exactly as expected (stdout is not compared: it has
//!   timings);
//! - no output mentions `panicked` or `RUST_BACKTRACE`, and the process was not killed by a
//!   signal (a stack overflow aborts);
//! - it ends within the timeout (else it is killed and reported as a hang);
//! - `check`, and any run that fails, leaves the site root exactly as it was: no file written,
//!   changed or deleted, no staging folder left behind (a failed build writes nothing);
//! - a build that succeeds leaves no `.scholia-tmp-`/`.scholia-old-` folder behind;
//! - `exists:` / `absent:` paths.
//!
//! All cases run (in parallel), and every failing case is reported at once.
//!
//! # Updating expectations
//!
//! `SCHOLIA_BLESS=1 cargo test --test it robustness` rewrites the `exit:` line and the stderr
//! lines of each case whose output differs (header lines are kept; hangs and crashes are never
//! blessed). Read every blessed `expected.txt` before committing it: the corpus states what
//! Scholia *should* say, so a wrong or unclear message must not be blessed.
//!
//! To add a case: make the folder, write `expected.txt` by hand (at least `exit: N`), run
//! with `SCHOLIA_BLESS=1`, and check the result line by line.

#![cfg(unix)]

use crate::util::{attrs, texts, Site};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The default time a case may take before it counts as a hang.
const TIMEOUT: Duration = Duration::from_secs(20);

/// Files of a case folder that are not part of the site.
const META: &[&str] = &["expected.txt", "GENERATED"];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad")
}

/// `expected.txt`, parsed.
#[derive(Debug, Clone)]
struct Expected {
    /// Header lines before `exit:`, kept as written (for blessing).
    header: Vec<String>,
    args: Vec<String>,
    timeout: Duration,
    exists: Vec<String>,
    absent: Vec<String>,
    exit: i32,
    stderr: Vec<String>,
}

fn parse_expected(text: &str) -> Result<Expected, String> {
    let mut e = Expected {
        header: Vec::new(),
        args: vec!["check".into()],
        timeout: TIMEOUT,
        exists: Vec::new(),
        absent: Vec::new(),
        exit: -1,
        stderr: Vec::new(),
    };
    let mut lines = text.lines();
    loop {
        let Some(line) = lines.next() else {
            return Err("no `exit: N` line".into());
        };
        let (key, value) = line
            .split_once(": ")
            .ok_or_else(|| format!("header line `{line}` is not `key: value`"))?;
        match key {
            "exit" => {
                e.exit = value
                    .trim()
                    .parse()
                    .map_err(|_| format!("bad exit status `{value}`"))?;
                break;
            }
            "args" => e.args = split_args(value)?,
            "timeout" => {
                let secs: u64 = value
                    .trim()
                    .parse()
                    .map_err(|_| format!("bad timeout `{value}`"))?;
                e.timeout = Duration::from_secs(secs).min(TIMEOUT);
            }
            "exists" => e.exists.push(value.trim().to_string()),
            "absent" => e.absent.push(value.trim().to_string()),
            other => return Err(format!("unknown header `{other}:`")),
        }
        e.header.push(line.to_string());
    }
    e.stderr = lines.map(str::to_string).collect();
    Ok(e)
}

/// Splits at spaces; `"a b"` is one word, `""` an empty one.
fn split_args(s: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut word: Option<String> = None;
    let mut quoted = false;
    for c in s.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                word.get_or_insert_with(String::new);
            }
            ' ' if !quoted => out.extend(word.take()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    if quoted {
        return Err(format!("unbalanced quotes in `args: {s}`"));
    }
    out.extend(word);
    Ok(out)
}

/// What one run did.
struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    hung: bool,
    elapsed: Duration,
}

/// Runs the binary in `root` with a time limit; the child is killed when it runs over.
fn run(root: &Path, args: &[String], timeout: Duration) -> Outcome {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_scholia"))
        .args(args)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start scholia");
    let reader = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = pipe.read_to_end(&mut buf);
            buf
        })
    };
    let out = reader(Box::new(child.stdout.take().unwrap()));
    let err = reader(Box::new(child.stderr.take().unwrap()));
    let mut hung = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("cannot wait for scholia") {
            break status;
        }
        if start.elapsed() > timeout {
            hung = true;
            let _ = child.kill();
            break child.wait().expect("cannot wait for scholia");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let root_text = root.display().to_string();
    let norm = |b: Vec<u8>| String::from_utf8_lossy(&b).replace(&root_text, "ROOT");
    Outcome {
        code: status.code(),
        stdout: norm(out.join().unwrap()),
        stderr: norm(err.join().unwrap()),
        hung,
        elapsed: start.elapsed(),
    }
}

/// Everything under `dir` (links not followed): path → what it is. Small files by content,
/// big ones by length and modification time, links by target.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            let ft = e.file_type();
            let what = if ft.is_symlink() {
                format!("link to {:?}", std::fs::read_link(e.path()).ok())
            } else if ft.is_dir() {
                "folder".to_string()
            } else {
                let meta = e.metadata().ok();
                let len = meta.as_ref().map_or(0, |m| m.len());
                if len <= 1_000_000 {
                    format!("{:?}", std::fs::read(e.path()).ok())
                } else {
                    format!(
                        "{len} bytes, modified {:?}",
                        meta.and_then(|m| m.modified().ok())
                    )
                }
            };
            (rel, what)
        })
        .collect()
}

/// A copy of the case's site in a fresh temporary folder.
fn copy_case(case: &Path) -> Site {
    let dir = tempfile::tempdir().unwrap();
    for item in walkdir::WalkDir::new(case).min_depth(1) {
        let item = item.unwrap();
        let rel = item.path().strip_prefix(case).unwrap();
        if rel.components().count() == 1 && META.iter().any(|m| rel == Path::new(m)) {
            continue;
        }
        let dest = dir.path().join(rel);
        if item.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(item.path(), &dest).unwrap();
        }
    }
    Site { dir }
}

/// Checks one case; the problems found, empty when it passed.
fn check_case(case: &Path, bless: bool) -> Vec<String> {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    let mut problems = Vec::new();
    let text = match std::fs::read_to_string(case.join("expected.txt")) {
        Ok(t) => t,
        Err(e) => {
            return vec![format!(
                "cannot read expected.txt ({e}); every case needs one"
            )]
        }
    };
    let expected = match parse_expected(&text) {
        Ok(e) => e,
        Err(e) => return vec![format!("expected.txt: {e}")],
    };
    let site = copy_case(case);
    let has_marker = case.join("GENERATED").exists();
    match (generator(&name), has_marker) {
        (Some(generate), true) => generate(site.root()),
        (None, false) => {}
        (Some(_), false) => {
            return vec![
                "robustness.rs has a generator for this case but it has no GENERATED file".into(),
            ]
        }
        (None, true) => {
            return vec![
                "the case has a GENERATED file but robustness.rs has no generator for it".into(),
            ]
        }
    }
    let before = snapshot(site.root());
    let out = run(site.root(), &expected.args, expected.timeout);
    let after = snapshot(site.root());

    if out.hung {
        problems.push(format!(
            "hang: still running after {:.1} s, killed",
            out.elapsed.as_secs_f64()
        ));
    } else if out.code.is_none() {
        problems.push("crash: killed by a signal (stack overflow or abort?)".into());
    }
    for (stream, s) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        if s.contains("panicked") || s.contains("RUST_BACKTRACE") {
            problems.push(format!("panic: {stream} mentions a panic:\n{s}"));
        }
    }
    let actual_stderr: Vec<String> = out.stderr.lines().map(str::to_string).collect();
    let status_ok = out.code == Some(expected.exit);
    let stderr_ok = actual_stderr == expected.stderr;
    let finished = out.code.filter(|_| !out.hung);
    if let Some(code) = finished.filter(|_| !(status_ok && stderr_ok)) {
        if bless {
            let mut new = expected.header.clone();
            new.push(format!("exit: {code}"));
            new.extend(actual_stderr.iter().cloned());
            std::fs::write(case.join("expected.txt"), new.join("\n") + "\n").unwrap();
            eprintln!("blessed tests/bad/{name}/expected.txt: read it before committing");
        } else {
            if !status_ok {
                problems.push(format!(
                    "exit status {:?}, expected {}",
                    out.code, expected.exit
                ));
            }
            if !stderr_ok {
                problems.push(format!(
                    "stderr differs\n{}",
                    line_diff(&expected.stderr, &actual_stderr)
                ));
            }
        }
    }

    let read_only = expected.args.first().map(String::as_str) == Some("check");
    if (read_only || out.code != Some(0)) && before != after {
        let changed: Vec<String> = before
            .keys()
            .chain(after.keys())
            .filter(|k| before.get(*k) != after.get(*k))
            .map(|k| format!("  {}", k.display()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        problems.push(format!(
            "the run {} but changed files of the site:\n{}",
            if read_only { "was a check" } else { "failed" },
            changed.join("\n")
        ));
    }
    let leftovers: Vec<String> = after
        .keys()
        .filter(|p| {
            let s = p.to_string_lossy();
            s.contains(".scholia-tmp-") || s.contains(".scholia-old-")
        })
        .map(|p| p.display().to_string())
        .collect();
    if !leftovers.is_empty() {
        problems.push(format!("staging folders left behind: {leftovers:?}"));
    }
    for p in &expected.exists {
        if std::fs::symlink_metadata(site.root().join(p)).is_err() {
            problems.push(format!("`{p}` should exist after the run, but does not"));
        }
    }
    for p in &expected.absent {
        if std::fs::symlink_metadata(site.root().join(p)).is_ok() {
            problems.push(format!("`{p}` should not exist after the run, but does"));
        }
    }
    problems
}

/// `-` expected lines missing from the output, `+` actual lines not expected, in order.
fn line_diff(expected: &[String], actual: &[String]) -> String {
    let mut out = String::new();
    for l in expected {
        out.push_str(&format!(
            "    {} {l}\n",
            if actual.contains(l) { ' ' } else { '-' }
        ));
    }
    for l in actual.iter().filter(|l| !expected.contains(l)) {
        out.push_str(&format!("    + {l}\n"));
    }
    out
}

#[test]
fn every_bad_input_gets_its_expected_answer() {
    let bless = std::env::var_os("SCHOLIA_BLESS").is_some_and(|v| v == "1");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("tests/bad/ is missing")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 40,
        "the corpus has only {} cases; it must keep at least 40",
        cases.len()
    );
    for (name, _) in GENERATORS {
        assert!(
            cases.iter().any(|c| c.ends_with(name)),
            "robustness.rs has a generator for `{name}` but tests/bad/{name}/ does not exist"
        );
    }

    let next = AtomicUsize::new(0);
    let failures: Mutex<Vec<(String, Vec<String>)>> = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(case) = cases.get(i) else { break };
                let problems = check_case(case, bless);
                if !problems.is_empty() {
                    let name = case.file_name().unwrap().to_string_lossy().into_owned();
                    failures.lock().unwrap().push((name, problems));
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    let report: String = failures
        .iter()
        .map(|(name, problems)| format!("\n== tests/bad/{name}\n{}\n", problems.join("\n")))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} bad-input cases failed:\n{report}\n(if an output is right, rerun with SCHOLIA_BLESS=1 and read the blessed expected.txt)",
        failures.len(),
        cases.len(),
    );
}

/// The corpus case `glossary-term-contexts` builds; here its HTML is checked: a glossary name
/// in a heading, code, link text, raw HTML links and alt text is never linked, and the first
/// plain mention is.
#[test]
fn glossary_names_are_not_linked_in_code_links_alt_text_or_headings() {
    let site = copy_case(&corpus_dir().join("glossary-term-contexts"));
    site.build_ok(&[]);
    let doc = site.html("commentaries/contexts/index.html");
    let links = attrs(&doc, ".prose a.gl", "href");
    assert_eq!(
        links,
        ["/glossary/bodies/nsa/"],
        "exactly one glossary link"
    );
    assert_eq!(
        texts(&doc, ".prose p:last-of-type a.gl"),
        ["NSA"],
        "the link is the plain mention of the last paragraph"
    );
    for css in ["h1 a", "h2 a", "code a", "pre a", "a a"] {
        assert!(texts(&doc, css).is_empty(), "a link inside `{css}`");
    }
    assert_eq!(
        attrs(&doc, ".prose img", "alt"),
        ["The NSA headquarters"],
        "alt text stays plain"
    );
    assert_eq!(
        texts(&doc, ".prose code"),
        [
            "NSA",
            "National Security Agency",
            "NSA in a fenced code block",
            "NSA in an indented code block"
        ]
    );
}

/// A generator writes what git cannot hold well into the temporary copy of its case.
type Generator = fn(&Path);

/// Generators by case name; each case listed has a `GENERATED` file.
const GENERATORS: &[(&str, Generator)] = &[
    ("non-utf8-content", gen_non_utf8_content),
    ("non-utf8-file-name", gen_non_utf8_file_name),
    ("control-chars-in-body", gen_control_chars_in_body),
    ("yaml-nul", gen_yaml_nul),
    ("fm-over-64k", gen_fm_over_64k),
    ("huge-article-50mb", gen_huge_article),
    ("config-max-file-mb", gen_max_file_mb),
    ("deep-blockquotes", gen_deep_blockquotes),
    ("deep-lists", gen_deep_lists),
    ("deep-nesting-sanitized", gen_deep_nesting_sanitized),
    ("symlink-loop", gen_symlink_loop),
    ("symlink-out-of-root", gen_symlink_out_of_root),
];

fn generator(case: &str) -> Option<Generator> {
    GENERATORS.iter().find(|(n, _)| *n == case).map(|(_, g)| *g)
}

fn write(root: &Path, rel: impl AsRef<Path>, bytes: &[u8]) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

/// Front matter of a valid commentary, then `body`.
fn commentary(title: &str, date: &str, body: &[u8]) -> Vec<u8> {
    let mut v = format!("---\ntitle: \"{title}\"\ndate: {date}\nsummary: \"A test.\"\n---\n\n")
        .into_bytes();
    v.extend_from_slice(body);
    v
}

fn gen_non_utf8_content(root: &Path) {
    // Latin-1 `é` in the front matter, then a stray byte in the body.
    write(
        root,
        "content/commentaries/2014-02-27-latin1.md",
        b"---\ntitle: \"Caf\xe9 diplomacy\"\ndate: 2014-02-27\n---\n\nText.\n",
    );
    write(
        root,
        "content/commentaries/2014-02-28-body.md",
        &commentary(
            "A bad byte",
            "2014-02-28",
            b"Good text.\nThen na\xefve text.\n",
        ),
    );
    write(
        root,
        "content/glossary/bodies/nsa.md",
        b"---\nname: \"National Security Agency\"\n---\n\n\xfe\xff\x00A\x00 UTF-16 body.\n",
    );
}

fn gen_non_utf8_file_name(root: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let name = |dir: &str, stem: &[u8]| {
        let mut b = dir.as_bytes().to_vec();
        b.extend_from_slice(stem);
        b.extend_from_slice(b".md");
        PathBuf::from(std::ffi::OsStr::from_bytes(&b))
    };
    write(
        root,
        name("content/commentaries/", b"2014-02-27-caf\xe9"),
        &commentary("A Latin-1 file name", "2014-02-27", b"Text.\n"),
    );
    write(
        root,
        name("content/glossary/bodies/", b"caf\xe9"),
        b"---\nname: \"Caf\xc3\xa9 Council\"\n---\n\nText.\n",
    );
}

fn gen_control_chars_in_body(root: &Path) {
    write(
        root,
        "content/commentaries/2014-02-27-nul.md",
        &commentary("A NUL byte", "2014-02-27", b"Text with a NUL \x00 byte.\n"),
    );
    write(
        root,
        "content/commentaries/2014-02-28-escape.md",
        &commentary(
            "Pasted terminal output",
            "2014-02-28",
            b"The tool printed:\n\n\x1b[31mERROR\x1b[0m in red.\n",
        ),
    );
}

fn gen_yaml_nul(root: &Path) {
    write(
        root,
        "content/commentaries/2014-02-27-nul.md",
        b"---\ntitle: \"NUL in YAML\"\ndate: 2014-02-27\nsummary: \"a\x00b\"\n---\n\nText.\n",
    );
}

fn gen_fm_over_64k(root: &Path) {
    let mut fm = String::from("---\ntitle: \"Big front matter\"\ndate: 2014-02-27\nextra:\n");
    for i in 0..1200 {
        fm.push_str(&format!("  key{i:04}: \"{}\"\n", "x".repeat(42)));
    }
    fm.push_str("---\n\nText.\n");
    write(
        root,
        "content/commentaries/2014-02-27-big.md",
        fm.as_bytes(),
    );
}

/// A file of exactly `len` bytes: valid front matter, then prose.
fn sized_article(len: usize) -> Vec<u8> {
    let mut v = commentary("Too long", "2014-02-27", b"");
    let line = b"A very long article, repeated until the file is too big to read.\n";
    while v.len() + line.len() <= len {
        v.extend_from_slice(line);
    }
    v.resize(len, b'\n');
    v
}

fn gen_huge_article(root: &Path) {
    write(
        root,
        "content/commentaries/2014-02-27-huge.md",
        &sized_article(50_000_000),
    );
}

fn gen_max_file_mb(root: &Path) {
    write(
        root,
        "content/commentaries/2014-02-27-big.md",
        &sized_article(1_500_000),
    );
}

fn gen_deep_blockquotes(root: &Path) {
    let mut body = ">".repeat(10_000);
    body.push_str(" Ten thousand levels deep.\n");
    write(
        root,
        "content/commentaries/2014-02-27-quotes.md",
        &commentary("Deep quotes", "2014-02-27", body.as_bytes()),
    );
}

fn deep_list(depth: usize) -> String {
    let mut body = "- ".repeat(depth);
    body.push_str("deep.\n");
    body
}

fn gen_deep_lists(root: &Path) {
    write(
        root,
        "content/commentaries/2014-02-27-lists.md",
        &commentary("Deep lists", "2014-02-27", deep_list(10_000).as_bytes()),
    );
}

fn gen_deep_nesting_sanitized(root: &Path) {
    write(
        root,
        "content/commentaries/2014-02-27-lists.md",
        &commentary("Deep lists", "2014-02-27", deep_list(20_000).as_bytes()),
    );
}

fn gen_symlink_loop(root: &Path) {
    use std::os::unix::fs::symlink;
    symlink(".", root.join("content/commentaries/loop")).unwrap();
    symlink("self.md", root.join("content/commentaries/self.md")).unwrap();
}

fn gen_symlink_out_of_root(root: &Path) {
    use std::os::unix::fs::symlink;
    std::fs::create_dir_all(root.join("content/static")).unwrap();
    symlink("/etc/passwd", root.join("content/static/passwd")).unwrap();
    symlink(
        "/etc/hostname",
        root.join("content/commentaries/2014-02-28-host.md"),
    )
    .unwrap();
    symlink("../../..", root.join("content/static/up")).unwrap();
}
