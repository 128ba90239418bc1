//! The default theme in a real browser: builds `tests/fixtures/reader`, the repository's
//! demo site and `tests/fixtures/languages`, and runs `tests/browser/run.mjs` (Node, playwright-core, headless Chromium,
//! axe-core) on them: the reader fixture for behaviour, and axe on every demo commentary too.
//!
//! Without Chromium, Node or `tests/browser/node_modules` the test prints why and passes, so
//! that `cargo test` works on a bare machine; with `SCHOLIA_BROWSER_TESTS=1` (CI) a missing
//! piece fails it. Screenshots and axe results go to `target/browser-artifacts/`.

use crate::util::*;
use std::path::Path;
use std::process::Command;

#[test]
fn reader_experience_in_headless_chromium() {
    let required = std::env::var("SCHOLIA_BROWSER_TESTS").is_ok_and(|v| v == "1");
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = manifest.join("tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let node_ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let missing: Vec<&str> = [
        (!Path::new(&chromium).exists(), "chromium"),
        (!node_ok, "node"),
        (
            !dir.join("node_modules/playwright-core").exists()
                || !dir.join("node_modules/axe-core").exists(),
            "tests/browser/node_modules (run `npm ci` there)",
        ),
    ]
    .into_iter()
    .filter_map(|(gone, what)| gone.then_some(what))
    .collect();
    if !missing.is_empty() {
        assert!(
            !required,
            "SCHOLIA_BROWSER_TESTS=1 but missing: {}",
            missing.join(", ")
        );
        eprintln!(
            "browser test skipped, missing: {} (set SCHOLIA_BROWSER_TESTS=1 to make this an error)",
            missing.join(", ")
        );
        return;
    }

    let site = Site::fixture("reader");
    site.build_ok(&[]);
    let demo = crate::publish::demo();
    demo.build_ok(&[]);
    let langs = Site::fixture("languages");
    langs.build_ok(&["--base-url", "/"]);
    let artifacts = manifest.join("target/browser-artifacts");
    let out = Command::new("node")
        .arg("run.mjs")
        .arg("--site")
        .arg(site.out(""))
        .arg("--demo")
        .arg(demo.out(""))
        .arg("--langs")
        .arg(langs.out(""))
        .arg("--out")
        .arg(&artifacts)
        .arg("--chromium")
        .arg(&chromium)
        .current_dir(&dir)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "browser tests failed:\n{stdout}\n{stderr}"
    );
    // The summary line is the script's own count: make sure the checks really ran.
    let summary = stdout
        .lines()
        .rev()
        .find(|l| l.ends_with(" failed"))
        .unwrap_or("");
    let passed: usize = summary
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(passed >= 17 && summary.ends_with(", 0 failed"), "{summary}");
    assert!(artifacts.join("commentary-1400-light.png").exists());
}
