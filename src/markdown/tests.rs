//! Rendering rules, one per test, over a two-entry glossary.

use super::*;
use crate::content::{parse_entry, Kind, Text};
use crate::routes::Routes;
use std::path::{Path, PathBuf};

pub(super) fn glossary_for_tests() -> Glossary {
    glossary()
}

fn glossary() -> Glossary {
    let entry = |slug: &str, kind, fm: &str| {
        let (e, d) = parse_entry(
            &PathBuf::from(format!("{slug}.md")),
            kind,
            format!("---\n{fm}\n---\nFirst sentence of {slug}. Second.\n"),
        );
        assert!(d.is_empty(), "{d:?}");
        e.unwrap()
    };
    let entries = vec![
        entry("nsa", Kind::Body, "name: National Security Agency\nabbr: NSA\njurisdiction: United States"),
        entry("beijing-convention", Kind::Treaty, "name: 2010 Beijing Convention\naliases: [Beijing Convention]\nsummary: Aviation \"crimes\" treaty."),
        entry("commission", Kind::Body, "name: Commission\nautolink: false"),
    ];
    let (g, d) = Glossary::new(entries, &Routes::new("/"), |b| {
        summary::first_sentence(&summary::first_paragraph(b))
    });
    assert!(d.is_empty());
    g
}

fn render_with(md: &str, autolink: Autolink, own: Option<usize>) -> Rendered {
    render_input(md, &glossary(), autolink, own, false)
}

/// Renders `md` as the body of `a.md`.
pub(super) fn render_input(
    md: &str,
    g: &Glossary,
    autolink: Autolink,
    own: Option<usize>,
    sanitize: bool,
) -> Rendered {
    let file = Text {
        path: Path::new("a.md").to_path_buf(),
        text: format!("---\ntitle: t\n---\n{md}"),
        body_start: 16,
    };
    render(&Input {
        file: &file,
        glossary: g,
        autolink,
        own_entry: own,
        sanitize,
        editorial: true,
        sources: None,
        lang: "en",
        paragraph_ids: false,
        written: None,
        states: &[],
    })
}

fn html(md: &str) -> String {
    let r = render_with(md, Autolink::First, None);
    assert!(r.diags.is_empty(), "{:?}", r.diags);
    r.html
}

fn diags(md: &str) -> Vec<String> {
    render_with(md, Autolink::First, None)
        .diags
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn links(html: &str) -> Vec<&str> {
    html.match_indices("data-name=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

#[test]
fn first_mention_only_is_linked() {
    let h = html("The NSA and the NSA again; the National Security Agency too.");
    assert_eq!(links(&h), ["National Security Agency"]);
    assert!(
        h.contains(r#"<a class="gl gl-body" href="/glossary/bodies/nsa/""#),
        "{h}"
    );
}

#[test]
fn all_mode_links_every_mention() {
    let r = render_with("NSA, NSA.", Autolink::All, None);
    assert_eq!(links(&r.html).len(), 2);
}

#[test]
fn off_mode_links_only_explicit() {
    let r = render_with("NSA and [[nsa]].", Autolink::None, None);
    assert_eq!(links(&r.html).len(), 1);
    assert!(r.html.contains(">National Security Agency</a>"));
}

#[test]
fn longest_match_wins() {
    let h = html("Under the 2010 Beijing Convention, states …");
    assert!(h.contains(">2010 Beijing Convention</a>"), "{h}");
}

#[test]
fn never_in_code_headings_links_or_alt_text() {
    let h = html("# NSA\n\n`NSA` and [the NSA](https://x.org) and ![NSA](i.png) and <a href=\"#\">NSA</a>\n\n```\nNSA\n```\n\nFinally NSA.");
    assert_eq!(links(&h), ["National Security Agency"]);
    assert!(h.contains(">NSA</a>.</p>"), "{h}");
}

#[test]
fn explicit_link_then_no_autolink_after_it() {
    let h = html("NSA first. Then [[beijing-convention|the convention]], then Beijing Convention.");
    assert_eq!(
        links(&h),
        ["National Security Agency", "2010 Beijing Convention"]
    );
    assert!(h.contains(">the convention</a>"));
}

#[test]
fn no_self_links_on_an_entry_page() {
    let g = glossary();
    let own = g.find("nsa");
    let r = render_with(
        "The NSA and the 2010 Beijing Convention.",
        Autolink::First,
        own,
    );
    assert_eq!(links(&r.html), ["2010 Beijing Convention"]);
}

#[test]
fn entries_with_autolink_false_need_explicit_links() {
    let r = render_with("The Commission met. [[commission]].", Autolink::First, None);
    assert_eq!(links(&r.html), ["Commission"]);
    // `check` points at the plain mention of an entry linked explicitly elsewhere.
    let d: Vec<String> = r.diags.iter().map(ToString::to_string).collect();
    assert_eq!(d, ["warning: a.md:4:5: `Commission` is linked explicitly elsewhere in this article but mentioned here without a link; link this mention too (`[[commission]]`), or reword it"]);
}

#[test]
fn coverage_candidates_are_collected_in_check_mode() {
    let r = render_with(
        "The ICAO met the NSA and the Cyber Working Group.\n\n```\nFBI\n```\n",
        Autolink::First,
        None,
    );
    let names: Vec<_> = r.candidates.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["ICAO", "NSA", "Cyber Working Group"]);
}

#[test]
fn hover_card_attributes_are_escaped() {
    let h = html("[[beijing-convention]]");
    assert!(
        h.contains(r#"title="2010 Beijing Convention: Aviation &quot;crimes&quot; treaty.""#),
        "{h}"
    );
    assert!(h.contains(r#"data-kind="treaty""#));
    let h = html("[[nsa]]");
    assert!(
        h.contains(r#"data-summary="First sentence of nsa.""#),
        "{h}"
    );
    assert!(
        h.contains(r#"data-facts="Jurisdiction: United States""#),
        "{h}"
    );
}

#[test]
fn unknown_explicit_slug_is_an_error_with_position() {
    let d = diags("Text.\n\nSee [[nas]] here.");
    assert_eq!(d.len(), 1);
    assert!(
        d[0].starts_with("error: a.md:6:5: `nas` is not a glossary entry; did you mean `nsa`?"),
        "{}",
        d[0]
    );
}

#[test]
fn notes_are_numbered_by_first_reference() {
    let r = render_with(
        "B first[^b], then A[^a], B again[^b].\n\n[^a]: Note A.\n[^b]: Note B.\n",
        Autolink::First,
        None,
    );
    assert!(r.diags.is_empty(), "{:?}", r.diags);
    let nums: Vec<_> = r.notes.iter().map(|n| (n.number, n.html.trim())).collect();
    assert_eq!(nums, [(1, "<p>Note B.</p>"), (2, "<p>Note A.</p>")]);
    assert_eq!(r.notes[0].backrefs, ["fnref-1", "fnref-1-2"]);
    assert_eq!(r.notes[1].backrefs, ["fnref-2"]);
    assert!(r
        .html
        .contains(r##"<a id="fnref-1" href="#fn-1" role="doc-noteref">1</a>"##));
    assert!(r
        .html
        .contains(r##"<a id="fnref-1-2" href="#fn-1" role="doc-noteref">1</a>"##));
}

#[test]
fn sidenotes_precede_the_block_that_references_them() {
    let h = html("Intro.\n\nClaim[^x].\n\n[^x]: Source.\n\n    More.\n");
    let aside = h.find("<aside class=\"sidenote\"").unwrap();
    let claim = h.find("<p>Claim").unwrap();
    let intro = h.find("<p>Intro").unwrap();
    assert!(intro < aside && aside < claim, "{h}");
    assert!(
        h.contains(r#"<p><span class="sidenote-number">1</span> Source.</p>"#),
        "{h}"
    );
    assert_eq!(h.matches("id=\"fnref-1\"").count(), 1);
}

/// Issue 16: without the script a note floats where its element is, so a one-paragraph note
/// follows its reference inside the paragraph (level with that line); notes of several
/// blocks, and references inside emphasis, links or lists, keep the `<aside>` before the block.
#[test]
fn a_one_paragraph_note_follows_its_reference() {
    let h = html("Intro.\n\nA claim[^x] and *another[^y]*.\n\n- item[^z]\n\n[^x]: Source, *p. 2*.\n[^y]: Y.\n[^z]: Z.\n");
    assert!(
        h.contains(r##"<p>A claim<sup class="note-ref"><a id="fnref-1" href="#fn-1" role="doc-noteref">1</a></sup><span class="sidenote" role="note"><span class="sidenote-number">1</span> Source, <em>p. 2</em>.</span> and"##),
        "{h}"
    );
    assert_eq!(h.matches("<aside class=\"sidenote\"").count(), 2, "{h}");
    assert_eq!(parse_errors(&h), Vec::<String>::new(), "{h}");
    // Citations are one-paragraph notes too.
    let (html, _, msgs) = cited("A claim [@kwan].\n", false);
    assert!(msgs.is_empty(), "{msgs:?}");
    assert!(
        html.contains(r#"</sup><span class="sidenote" role="note"><span class="sidenote-number">1</span> Kevin Kwan"#),
        "{html}"
    );
}

#[test]
fn labels_match_case_insensitively_and_any_label_is_a_valid_id() {
    let r = render_with(
        "Text[^Über Note].\n\n[^über note]: N.\n",
        Autolink::First,
        None,
    );
    assert!(r.diags.is_empty(), "{:?}", r.diags);
    assert_eq!(r.notes.len(), 1);
    assert_eq!(r.notes[0].id, "fn-1");
}

#[test]
fn undefined_duplicate_and_unused_notes_are_reported() {
    let d = diags("One[^missing] two[^a].\n\n[^a]: A.\n[^a]: Again.\n[^unused]: U.\n");
    assert_eq!(d.len(), 3, "{d:#?}");
    assert!(
        d.iter()
            .any(|m| m.starts_with("error: a.md:4:4: the note `[^missing]` has no definition")),
        "{d:#?}"
    );
    assert!(
        d.iter()
            .any(|m| m.starts_with("error: a.md:7:1: the note `[^a]` is defined twice")),
        "{d:#?}"
    );
    assert!(
        d.iter()
            .any(|m| m.starts_with("warning: a.md:8:1: the note `[^unused]` is never referenced")),
        "{d:#?}"
    );
}

#[test]
fn escaped_note_syntax_is_not_a_reference() {
    assert!(diags("Write \\[^x] for a note, or `[^x]`.").is_empty());
}

#[test]
fn notes_referenced_from_notes_come_after() {
    let r = render_with(
        "A[^a] B[^b].\n\n[^a]: See[^c].\n[^b]: B.\n[^c]: C.\n",
        Autolink::First,
        None,
    );
    let order: Vec<_> = r.notes.iter().map(|n| n.html.trim().to_string()).collect();
    assert_eq!(order[1], "<p>B.</p>");
    assert!(order[2].contains("C."));
    assert_eq!(r.notes[2].backrefs, ["fnref-3"]);
}

#[test]
fn glossary_links_inside_notes() {
    let r = render_with(
        "Text[^n].\n\n[^n]: The NSA said so.\n",
        Autolink::First,
        None,
    );
    assert!(r.notes[0]
        .html
        .contains("data-name=\"National Security Agency\""));
}

#[test]
fn mentions_carry_their_sentence() {
    let r = render_with(
        "Intro here. Then the NSA spoke. Later more.\n\nAnd [[beijing-convention]].",
        Autolink::First,
        None,
    );
    let m: Vec<_> = r.mentions.iter().map(|m| m.sentence.as_str()).collect();
    assert_eq!(m, ["Then the NSA spoke.", "And 2010 Beijing Convention."]);
}

#[test]
fn headings_get_unique_ids() {
    let h = html("## The Group\n\n## The Group\n\n## Custom {#mine}\n");
    assert!(h.contains(r#"<h2 id="the-group">"#), "{h}");
    assert!(h.contains(r#"<h2 id="the-group-2">"#));
    assert!(h.contains(r#"<h2 id="mine">"#));
}

#[test]
fn dangerous_link_targets_are_neutralised() {
    let h = html("[x](javascript:alert(1)) [y]( JaVa\tscript:x) ![i](data:image/png;base64,AA) [d](data:text/html,x)");
    assert!(!h.to_lowercase().contains("javascript"), "{h}");
    assert!(h.contains("data:image/png"));
    assert!(!h.contains("data:text"));
}

#[test]
fn first_paragraph_and_words() {
    let r = render_with(
        "# T\n\nFirst *para* here[^n].\n\nMore.\n\n[^n]: x\n",
        Autolink::First,
        None,
    );
    assert_eq!(r.first_paragraph, "First para here.");
    assert!(r.words >= 5);
}

#[test]
fn raw_html_is_kept_unless_sanitized() {
    let md = "Hi <span onclick=\"x()\">there</span>[^n].\n\n<script>alert(1)</script>\n\n<iframe src=\"https://x.org\"></iframe>\n\n[^n]: The NSA.\n";
    let raw = html(md);
    assert!(raw.contains("<script>") && raw.contains("onclick"));
    let file = Text {
        path: Path::new("a.md").to_path_buf(),
        text: format!("---\ntitle: t\n---\n{md}"),
        body_start: 16,
    };
    let g = glossary();
    let r = render(&Input {
        file: &file,
        glossary: &g,
        autolink: Autolink::First,
        own_entry: None,
        sanitize: true,
        editorial: false,
        sources: None,
        lang: "en",
        paragraph_ids: true,
        written: None,
        states: &[],
    });
    for bad in ["<script", "onclick", "<iframe", "alert"] {
        assert!(!r.html.contains(bad), "{bad} in {}", r.html);
    }
    // Scholia's own markup survives.
    assert!(
        r.html.contains(r#"<span class="sidenote" role="note">"#),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains(r##"<a id="fnref-1" href="#fn-1" role="doc-noteref">1</a>"##),
        "{}",
        r.html
    );
    assert!(
        r.notes[0].html.contains(r#"data-kind="body""#),
        "{}",
        r.notes[0].html
    );
}

/// What html5ever had to repair: unclosed or stray tags, bad nesting.
pub(super) fn parse_errors(html: &str) -> Vec<String> {
    scraper::Html::parse_fragment(html)
        .errors
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Inputs the fuzzer crashed on (`tests/fuzz-regressions/markdown/`, one file each): they must
/// render in every mode without a panic and, when they hold no raw HTML, as HTML that needs no
/// repair.
#[test]
fn fuzz_regressions_render() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions/markdown");
    let g = glossary();
    let mut seen = 0;
    for file in std::fs::read_dir(dir).unwrap() {
        let bytes = std::fs::read(file.unwrap().path()).unwrap();
        let md = String::from_utf8_lossy(&bytes);
        for mode in [Autolink::None, Autolink::First, Autolink::All] {
            for sanitize in [false, true] {
                let r = render_input(&md, &g, mode, g.find("nsa"), sanitize);
                if !md.contains('<') {
                    let htmls = std::iter::once(&r.html).chain(r.notes.iter().map(|n| &n.html));
                    for html in htmls {
                        assert_eq!(parse_errors(html), Vec::<String>::new(), "{html}");
                    }
                }
            }
        }
        seen += 1;
    }
    assert!(seen > 0, "no regression inputs found");
}

/// Renders `md` as the body of `a.md` (line 4 on), without automatic links.
fn render_body(
    md: &str,
    sanitize: bool,
    sources: Option<&crate::cite::Sources>,
    paragraph_ids: bool,
) -> Rendered {
    let file = Text {
        path: Path::new("a.md").to_path_buf(),
        text: format!("---\ntitle: t\n---\n{md}"),
        body_start: 16,
    };
    let g = glossary();
    render(&Input {
        file: &file,
        glossary: &g,
        autolink: Autolink::None,
        own_entry: None,
        sanitize,
        editorial: false,
        sources,
        lang: "en",
        paragraph_ids,
        written: None,
        states: &[],
    })
}

/// Renders with a two-work bibliography; returns the HTML (body and notes) and the messages.
fn cited(md: &str, sanitize: bool) -> (String, Vec<Note>, Vec<String>) {
    use crate::cite::{BibFile, Sources, StyleChoice};
    let (sources, d) = Sources::load(
        &[BibFile {
            path: "sources.yaml".into(),
            text: "kwan:\n  type: Book\n  title: Crazy <Rich>\n  author: Kwan, Kevin\n  date: 2014\nun:\n  type: Report\n  title: World Situation\n  author: { name: United Nations }\n  date: 2020\n".into(),
        }],
        StyleChoice::Bundled(crate::cite::DEFAULT_STYLE),
    );
    assert!(d.is_empty(), "{d:?}");
    let r = render_body(md, sanitize, Some(&sources), false);
    let msgs = r.diags.iter().map(ToString::to_string).collect();
    (r.html, r.notes, msgs)
}

#[test]
fn citations_in_odd_places_render_balanced_html() {
    let cases = [
        "# Title [@kwan]\n",
        "| a | b |\n|---|---|\n| [@kwan] | [@un, p. 2] |\n",
        "> [^a]: > [^b]: nested [@kwan].\n\nx[^a]\n",
        "[@kwan][] and [@kwan](http://x.org) and [@]\n",
        "[see [@kwan]](http://x.org)\n",
        "![alt [@kwan]](x.png)\n",
        "- [@kwan]\n  - [@un; @kwan, p. 1]\n",
        "*[@kwan, p. *3*]*\n",
        "\\[@kwan] stays text\n",
    ];
    for md in cases {
        for sanitize in [false, true] {
            let (html, notes, _) = cited(md, sanitize);
            let all = format!(
                "{html}{}",
                notes.iter().map(|n| n.html.as_str()).collect::<String>()
            );
            assert!(
                !all.contains('\u{E000}'),
                "placeholder left in {md:?}: {all}"
            );
            assert!(!all.contains("<Rich>"), "unescaped in {md:?}: {all}");
            if !md.contains('<') {
                assert_eq!(parse_errors(&html), Vec::<String>::new(), "{md:?}: {html}");
            }
        }
    }
    let (html, notes, msgs) = cited("\\[@kwan] stays text\n", false);
    assert!(
        html.contains("[@kwan] stays text") && notes.is_empty(),
        "{html} {msgs:?}"
    );
}

#[test]
fn citations_share_the_footnote_numbering() {
    let (_, notes, msgs) = cited(
        "A[^x] b [@kwan] c [@un; @kwan, p. 9].\n\n[^x]: Note.\n",
        false,
    );
    assert!(msgs.is_empty(), "{msgs:?}");
    let texts: Vec<&str> = notes.iter().map(|n| n.html.as_str()).collect();
    assert_eq!(notes.len(), 3, "{texts:?}");
    assert!(texts[0].contains("Note."));
    assert!(
        texts[1].contains("Kevin Kwan, <i>Crazy &lt;rich&gt;</i> (2014)."),
        "{}",
        texts[1]
    );
    assert!(
        texts[2].contains("United Nations")
            && texts[2].contains("Kwan, <i>Crazy &lt;rich&gt;</i>, 9."),
        "{}",
        texts[2]
    );
}

#[test]
fn unknown_citation_key_is_reported_at_the_key() {
    let (_, _, msgs) = cited("Line one.\nSee [@kwn, p. 3].\n", false);
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(
        msgs[0].starts_with(
            "error: a.md:5:6: `@kwn` is not a key of the bibliography; did you mean `kwan`?"
        ),
        "{msgs:?}"
    );
}

/// Issue 16: `[^7][@key]` is a reference link to CommonMark; both the note and the
/// citation must render, in that order, wherever the pair stands.
#[test]
fn a_note_directly_followed_by_a_citation_keeps_both() {
    for md in [
        "A reservation.[^7][@kwan, p. 272]\n\n[^7]: Note.\n",
        "*A reservation.[^7][@kwan, p. 272]*\n\n[^7]: Note.\n",
        "> A reservation.[^7][@kwan, p. 272] after.\n\n[^7]: Note.\n",
    ] {
        let (html, notes, msgs) = cited(md, false);
        assert!(msgs.is_empty(), "{md:?}: {msgs:?}");
        let texts: Vec<&str> = notes.iter().map(|n| n.html.as_str()).collect();
        assert_eq!(notes.len(), 2, "{md:?}: {texts:?}");
        assert!(texts[0].contains("Note."), "{md:?}: {texts:?}");
        assert!(
            texts[1].contains("Kwan") && texts[1].contains("272"),
            "{texts:?}"
        );
        assert!(!html.contains("^7"), "{md:?}: {html}");
        assert_eq!(parse_errors(&html), Vec::<String>::new(), "{md:?}: {html}");
    }
    // A note followed by a citation inside another note: the citation stays inline.
    let (_, notes, msgs) = cited("X[^a]\n\n[^a]: See.[^b][@un]\n\n[^b]: B.\n", false);
    assert!(msgs.is_empty(), "{msgs:?}");
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(notes[0].html.contains("United Nations"), "{notes:?}");
    assert!(notes[0].html.contains("<sup"), "{notes:?}");
    // The note must still exist; other texts stay links as before.
    let (_, _, msgs) = cited("X.[^zz][@kwan]\n", false);
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(
        msgs[0].starts_with("error: a.md:4:3: the note `[^zz]` has no definition"),
        "{msgs:?}"
    );
}

/// Renders a commentary body with paragraph ids; returns the HTML.
fn with_ids(md: &str, sanitize: bool) -> String {
    let r = render_body(md, sanitize, None, true);
    assert!(r.diags.is_empty(), "{:?}", r.diags);
    r.html
}

/// The ids of the top-level paragraphs and block quotes, in order.
fn block_ids(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_fragment(html);
    let s = scraper::Selector::parse("p[id], blockquote[id]").unwrap();
    doc.select(&s)
        .map(|e| e.value().attr("id").unwrap().to_string())
        .collect()
}

#[test]
fn paragraph_ids_survive_edits_elsewhere_and_are_unique() {
    let before = "# Intro\n\nFirst point.\n\n> A quote\n> of two lines.\n\nSecond point.[^n]\n\n- a list item\n\n[^n]: A note.\n";
    let html = with_ids(before, false);
    let ids = block_ids(&html);
    assert_eq!(ids.len(), 3, "{html}");
    assert!(ids.iter().all(|id| id.starts_with("p-")), "{ids:?}");
    // Each block links to itself with a ¶, and nothing else got an id.
    for id in &ids {
        assert!(
            html.contains(&format!("<a class=\"pilcrow\" href=\"#{id}\"")),
            "{html}"
        );
    }
    assert!(
        !html.contains("<li id") && !html.contains('\u{E002}'),
        "{html}"
    );
    // Insert, edit and remove other paragraphs; re-wrap this one.
    let after = "# Intro\n\nA new opening.\n\nFirst point.\n\n> A quote of\n> two lines.\n\nSecond point, edited.[^n]\n\n[^n]: A note.\n";
    let ids2 = block_ids(&with_ids(after, false));
    assert_eq!(ids2.len(), 4);
    assert_eq!(ids2[1], ids[0], "first point");
    assert_eq!(ids2[2], ids[1], "the quote, re-wrapped");
    assert_ne!(ids2[3], ids[2], "an edited paragraph is another paragraph");
    // Repeated paragraphs, and a heading with the same id, stay distinct.
    let same = format!("Same.\n\nSame.\n\n# x {{#{}}}\n", ids[0]);
    let html = with_ids(&format!("First point.\n\n{same}"), true);
    let ids3 = block_ids(&html);
    assert_eq!(ids3.len(), 3, "{html}");
    assert_eq!(
        ids3[0],
        format!("{}-2", ids[0]),
        "the heading keeps its own id: {html}"
    );
    assert_eq!(ids3[2], format!("{}-2", ids3[1]));
    assert_eq!(parse_errors(&html), Vec::<String>::new());
}
