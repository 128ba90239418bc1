//! Themes: the embedded default, a theme folder, site-local template overrides, and
//! template errors that name the template file and line.

use crate::util::*;

#[test]
fn a_site_without_themes_uses_the_embedded_default() {
    let site = Site::fixture("basic");
    assert!(!site.root().join("themes").exists());
    site.build_ok(&[]);
    let doc = site.html("commentaries/leading-group/index.html");
    assert_eq!(
        texts(&doc, "h1").first().map(String::as_str),
        Some("A new leading group")
    );
    assert!(attrs(&doc, "link[rel='stylesheet']", "href")
        .iter()
        .any(|h| h.starts_with("/style.") && h.ends_with(".css")));
}

#[test]
fn site_templates_override_single_theme_templates() {
    let site = Site::fixture("basic");
    site.write("templates/commentary.html", "<!doctype html><title>x</title><p class=\"mine\">{{ commentary.title }} / {{ site.extra.motto }}</p>");
    site.build_ok(&[]);
    let doc = site.html("commentaries/sunnylands/index.html");
    assert_eq!(texts(&doc, "p.mine"), ["Sunnylands / Notes & queries"]);
    // Other templates still come from the default theme.
    assert!(site
        .html("index.html")
        .select(&sel("main"))
        .next()
        .is_some());
}

#[test]
fn theme_key_selects_a_theme_folder() {
    let site = Site::fixture("basic");
    site.write("scholia.yaml", "theme: plain\n");
    site.write("themes/plain/templates/home.html", "<!doctype html><title>home</title><p id=\"plain\">{{ commentaries | length }} on page {{ paginator.number }}</p>");
    site.write("themes/plain/static/plain.css", "p{}");
    site.build_ok(&[]);
    assert_eq!(texts(&site.html("index.html"), "#plain"), ["3 on page 1"]);
    assert!(site.exists("plain.css"));
    let missing = Site::fixture("basic");
    missing.write("scholia.yaml", "theme: nowhere\n");
    let r = missing.run(&["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("the theme `nowhere` does not exist"),
        "{}",
        r.stderr
    );
}

#[test]
fn template_errors_name_the_file_and_line() {
    let site = Site::fixture("basic");
    site.write(
        "templates/page.html",
        "<!doctype html>\n<title>x</title>\n{{ page.no_such_field }}\n",
    );
    let r = site.run(&["build"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .starts_with("error: templates/page.html:3:1: template error: undefined value"),
        "{}",
        r.stderr
    );
    assert!(!site.root().join("site").exists(), "nothing written");
}

#[test]
fn front_matter_values_are_escaped_in_templates() {
    let site = Site::fixture("basic");
    site.write(
        "content/commentaries/2015-09-25-agreement.md",
        "---\ntitle: \"<script>alert(1)</script>\"\ndate: 2015-09-25\nsummary: \"a <b>bold</b> claim\"\n---\n\nText.\n",
    );
    site.build_ok(&[]);
    let raw = site.read("commentaries/agreement/index.html");
    assert!(!raw.contains("<script>alert(1)</script>"));
    let doc = site.html("commentaries/agreement/index.html");
    assert_eq!(texts(&doc, "h1"), ["<script>alert(1)</script>"]);
    assert!(site
        .html("index.html")
        .select(&sel("main b"))
        .next()
        .is_none());
}

#[test]
fn init_then_build_then_check_is_clean() {
    let site = Site::empty();
    let r = site.run(&["init", "fresh"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = site.run(&["build", "--root", "fresh"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    let r = site.run(&["check", "--strict", "--root", "fresh"]);
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "", ""));
    let r = site.run(&["init", "fresh"]);
    assert_eq!(r.code, 1, "init refuses a non-empty folder");
}

#[test]
fn new_writes_files_that_build_and_never_overwrites() {
    let site = Site::fixture("basic");
    let r = site.run(&["new", "body", "Cyberspace Administration of China"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("content/glossary/bodies/cyberspace-administration-of-china.md"),
        "{}",
        r.stdout
    );
    assert!(r
        .stdout
        .contains("/glossary/bodies/cyberspace-administration-of-china/"));
    let r = site.run(&["new", "treaty", "Budapest Convention"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = site.run(&["new", "commentary", "Zhōngyāng and the NSA"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("-zhongyang-and-the-nsa.md"),
        "{}",
        r.stdout
    );
    // The example [[example-body]] link needs that entry: the commentary template is meant
    // for a site made by `init`; here we only check it parses and that new never overwrites.
    let r = site.run(&["new", "body", "Cyberspace Administration of China"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
}
