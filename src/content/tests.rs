//! Front-matter checks of the three content kinds, one rule per test.

use super::*;

fn commentary(text: &str) -> (Option<Commentary>, Vec<String>) {
    let (c, d) = parse_commentary(Path::new("c/2014-02-27-lg.md"), text.to_string());
    (c, d.iter().map(ToString::to_string).collect())
}

#[test]
fn can_parse_a_valid_commentary() {
    let (c, d) = commentary(
        "---\ntitle: A\ndate: 2014-02-27\nauthor: Jane Roe\ntags: [cyber, China]\nsource:\n  publisher: P\n  date: 2014-03-01\n---\nBody\n",
    );
    assert!(d.is_empty(), "{d:?}");
    let c = c.unwrap();
    assert_eq!(c.slug, "lg");
    assert_eq!(c.authors, ["Jane Roe"]);
    assert_eq!(c.tags, ["cyber", "China"]);
    assert_eq!(c.source.unwrap().date.unwrap().to_string(), "2014-03-01");
    assert_eq!(c.file.body(), "Body\n");
}

#[test]
fn unknown_key_names_line_and_suggestion() {
    let (c, d) = commentary("---\ntitle: A\ndate: 2014-02-27\ntitel: B\n---\n");
    assert!(c.is_none());
    assert_eq!(d.len(), 1);
    assert!(
        d[0].starts_with(
            "error: c/2014-02-27-lg.md:4:1: unknown key `titel`; did you mean `title`?"
        ),
        "{}",
        d[0]
    );
}

#[test]
fn every_error_of_a_file_is_reported() {
    let (_, d) = commentary("---\ntitle: ~\ndate: 2024-13-45\ntags: 3\ndraft: yes\n---\n");
    assert_eq!(d.len(), 4, "{d:#?}");
    assert!(d[0].contains(":2:8: `title` is empty"), "{}", d[0]);
    assert!(
        d[1].contains(":3:7: `date`: `2024-13-45` has no month 13"),
        "{}",
        d[1]
    );
    assert!(
        d[2].contains(":4:7: `tags` must be a list of strings, found a number"),
        "{}",
        d[2]
    );
    assert!(
        d[3].contains(":5:8: `draft` must be `true` or `false`, found a string"),
        "{}",
        d[3]
    );
}

#[test]
fn missing_required_keys_point_at_the_front_matter() {
    let (_, d) = commentary("---\nsummary: s\n---\n");
    assert_eq!(d.len(), 2);
    assert!(
        d[0].contains(":1:1: missing required key `title`"),
        "{}",
        d[0]
    );
    assert!(d[1].contains("missing required key `date`"), "{}", d[1]);
}

#[test]
fn yaml_errors_count_lines_from_the_top_of_the_file() {
    let (_, d) = commentary("---\ntitle: A\ndate: 2014-02-27\ntags: [a, b\n---\n");
    assert_eq!(d.len(), 1);
    assert!(d[0].starts_with("error: c/2014-02-27-lg.md:"), "{}", d[0]);
    let line: usize = d[0].split(':').nth(2).unwrap().parse().unwrap();
    assert!(line >= 5, "{}", d[0]);
}

#[test]
fn unsafe_slugs_are_refused() {
    let (_, d) = commentary("---\ntitle: A\ndate: 2014-02-27\nslug: ../x\n---\n");
    assert_eq!(d.len(), 1);
    assert!(
        d[0].contains(":4:7: the slug `../x` cannot be a URL segment"),
        "{}",
        d[0]
    );
}

#[test]
fn unknown_nested_source_key() {
    let (_, d) = commentary("---\ntitle: A\ndate: 2014-02-27\nsource:\n  publsher: X\n---\n");
    assert!(
        d[0].contains(":5:3: unknown key `publsher` in `source`; did you mean `publisher`?"),
        "{}",
        d[0]
    );
}

#[test]
fn entry_fields_by_kind() {
    let text = "---\nname: Beijing Convention\nadopted: 2010-09-10\nin_force: 2018-07-01\ndepositary: icao\nestablished: 2010-01-01\n---\nText.";
    let (e, d) = parse_entry(Path::new("t/beijing.md"), Kind::Treaty, text.into());
    assert!(e.is_none());
    assert_eq!(d.len(), 1);
    assert!(
        d[0].to_string().contains(":6:1: unknown key `established`"),
        "{}",
        d[0]
    );
    let text = text.replace("established: 2010-01-01\n", "");
    let (e, d) = parse_entry(Path::new("t/beijing.md"), Kind::Treaty, text);
    assert!(d.is_empty(), "{d:?}");
    let e = e.unwrap();
    assert_eq!(e.slug, "beijing");
    assert_eq!(e.in_force.unwrap().to_string(), "2018-07-01");
    assert_eq!(e.refs.len(), 0);
}

#[test]
fn dangling_and_duplicate_slugs_across_files() {
    let body = |slug: &str, extra: &str| {
        let (e, d) = parse_entry(
            &PathBuf::from(format!("b/{slug}.md")),
            Kind::Body,
            format!("---\nname: {slug}\n{extra}---\n"),
        );
        assert!(d.is_empty(), "{d:?}");
        e.unwrap()
    };
    let content = Content {
        entries: vec![
            body("nsa", "parent: dod\nrelated:\n  - cybercom\n"),
            body("cybercom", "successor: nsaa\n"),
        ],
        ..Content::default()
    };
    let d: Vec<String> = check(&content).iter().map(ToString::to_string).collect();
    assert_eq!(d.len(), 2, "{d:#?}");
    assert!(
        d[0].contains("b/nsa.md:3:9: `parent` names `dod`, which is not a glossary entry"),
        "{}",
        d[0]
    );
    assert!(
        d[1].contains("b/cybercom.md:3:12: `successor` names `nsaa`")
            && d[1].contains("did you mean `nsa`?"),
        "{}",
        d[1]
    );
}

#[test]
fn corrections_and_updated_are_read_and_set_the_modified_date() {
    let (c, d) = commentary(
        "---\ntitle: A\ndate: 2014-02-27\nupdated: 2014-03-01\ncorrections:\n  - date: 2014-04-02\n    text: \"An earlier version said *1997*; see [[x]].\"\n  - {date: 2014-02-27, text: Same day.}\n---\nBody\n",
    );
    assert!(d.is_empty(), "{d:?}");
    let c = c.unwrap();
    assert_eq!(
        c.updated.map(|d| d.to_string()).as_deref(),
        Some("2014-03-01")
    );
    assert_eq!(c.corrections.len(), 2);
    assert_eq!(
        c.corrections[0].text,
        "An earlier version said *1997*; see [[x]]."
    );
    assert_eq!(c.corrections[0].line, 7);
    assert_eq!(c.corrections[1].date.to_string(), "2014-02-27");
    assert_eq!(c.modified().to_string(), "2014-04-02");
    let (plain, _) = commentary("---\ntitle: A\ndate: 2014-02-27\n---\n");
    assert_eq!(plain.unwrap().modified().to_string(), "2014-02-27");
}

#[test]
fn a_correction_before_the_commentary_or_without_text_is_an_error() {
    let (c, d) = commentary(
        "---\ntitle: A\ndate: 2014-02-27\ncorrections:\n  - date: 2014-02-26\n    text: Early.\n  - date: 2014-03-01\n  - date: 2014-03-02\n    text: \"  \"\n  - text: No date.\n  - Just text\n---\n",
    );
    assert!(c.is_none());
    assert_eq!(d.len(), 5, "{d:#?}");
    assert!(d[0].starts_with("error: c/2014-02-27-lg.md:5:11: this correction is dated 2014-02-26, before the commentary's `date` (2014-02-27)"), "{}", d[0]);
    assert!(
        d[1].starts_with("error: c/2014-02-27-lg.md:7:5: this correction has no `text`"),
        "{}",
        d[1]
    );
    assert!(
        d[2].starts_with("error: c/2014-02-27-lg.md:8:5: this correction has no `text`"),
        "{}",
        d[2]
    );
    assert!(
        d[3].starts_with("error: c/2014-02-27-lg.md:10:5: this correction has no `date`"),
        "{}",
        d[3]
    );
    assert!(
        d[4].starts_with(
            "error: c/2014-02-27-lg.md:11:5: every item of `corrections` must be a map"
        ),
        "{}",
        d[4]
    );
}
