//! Treaty pages over the `treaties` fixture: a fictional Model Convention whose parties file
//! has a state that signed only, one that acceded, and one that ratified and later withdrew,
//! so the status, the counts and the chart are known on every date.

use crate::util::*;
use quick_xml::events::Event;

const PAGE: &str = "glossary/treaties/model-convention/index.html";
const ENTRY: &str = "content/glossary/treaties/model-convention.md";

/// The fixture's entry with `parties_as_of` set to `date`.
fn as_of(site: &Site, date: &str) {
    let text = std::fs::read_to_string(site.root().join(ENTRY)).unwrap();
    let text: String = text
        .lines()
        .map(|l| match l.starts_with("parties_as_of:") {
            true => format!("parties_as_of: {date}\n"),
            false => format!("{l}\n"),
        })
        .collect();
    site.write(ENTRY, &text);
}

#[test]
fn status_line_states_of_interest_and_citation() {
    let site = Site::fixture("treaties");
    site.build_ok(&[]);
    let doc = site.html(PAGE);
    assert_eq!(
        texts(&doc, ".status-line"),
        ["In force since 1 January 2003. As of 1 January 2020: 2 parties and 2 signatories, according to example.org."]
    );
    assert_eq!(
        attrs(&doc, ".status-line a", "href"),
        ["https://example.org/status"]
    );
    assert_eq!(
        texts(&doc, ".states-of-interest li"),
        [
            "China: party since 10 May 2004",
            "United States: signatory only (signed 1 March 2001)"
        ]
    );
    assert_eq!(
        texts(&doc, "cite.oscola"),
        ["Model Convention (adopted 1 March 2001, entered into force 1 January 2003) 2222 UNTS 1"]
    );
}

#[test]
fn counts_follow_the_status_date() {
    let site = Site::fixture("treaties");
    // Alpha and Delta have ratified, Beta and the United States signed; not yet in force.
    as_of(&site, "2002-10-01");
    site.build_ok(&[]);
    let doc = site.html(PAGE);
    assert_eq!(
        texts(&doc, ".status-line"),
        ["Not yet in force. As of 1 October 2002: 2 parties and 2 signatories, according to example.org."]
    );
    assert_eq!(
        texts(&doc, ".states-of-interest li"),
        [
            "China: not a party",
            "United States: signatory only (signed 1 March 2001)"
        ]
    );
    // After Delta's withdrawal took effect: Alpha and China.
    as_of(&site, "2015-03-01");
    site.build_ok(&[]);
    let doc = site.html(PAGE);
    assert_eq!(texts(&doc, ".count-parties"), ["2 parties"]);
    // Before Delta withdrew: Alpha, Delta and China.
    as_of(&site, "2015-02-28");
    site.build_ok(&[]);
    assert_eq!(texts(&site.html(PAGE), ".count-parties"), ["3 parties"]);
}

#[test]
fn parties_table_lists_every_row() {
    let site = Site::fixture("treaties");
    site.build_ok(&[]);
    let doc = site.html(PAGE);
    assert_eq!(
        texts(&doc, ".parties-table tbody th"),
        ["Alpha", "Beta", "China", "Delta", "United States"]
    );
    assert_eq!(
        texts(&doc, ".parties-table tr.of-interest th"),
        ["China", "United States"]
    );
    let delta: Vec<String> = texts(&doc, ".parties-table tbody tr:nth-child(4) td");
    assert_eq!(
        delta,
        [
            "1 March 2001",
            "1 September 2002 (ratification)",
            "1 January 2003",
            "1 March 2015",
            "withdrew"
        ]
    );
    assert_eq!(
        attrs(
            &doc,
            ".parties-table tbody tr:nth-child(3) td time",
            "datetime"
        ),
        ["2004-05-10", "2004-06-10"]
    );
}

#[test]
fn chart_is_well_formed_svg_with_a_point_per_change() {
    let site = Site::fixture("treaties");
    site.build_ok(&[]);
    let html = site.read(PAGE);
    let doc = site.html(PAGE);
    assert_eq!(doc.select(&sel("figure.chart-figure svg")).count(), 1);
    assert_eq!(
        texts(&doc, "figure.chart-figure figcaption"),
        ["Number of parties to the Model Convention, 2002–2020"]
    );
    // The SVG as written in the page, parsed as XML on its own.
    let start = html.find("<svg").expect("an svg");
    let end = html[start..].find("</svg>").expect("closed") + start + "</svg>".len();
    let mut reader = quick_xml::Reader::from_str(&html[start..end]);
    let (mut circles, mut depth, mut title, mut desc, mut text_of) = (0, 0i32, 0, 0, None);
    let mut desc_text = String::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                depth += 1;
                let name = e.name().as_ref().to_string();
                match name.as_str() {
                    "circle" => circles += 1,
                    "title" if depth == 2 => title += 1,
                    "desc" => {
                        desc += 1;
                        text_of = Some("desc");
                    }
                    "svg" => {
                        let role = e.try_get_attribute("role").unwrap().unwrap();
                        assert_eq!(&role.value[..], "img");
                    }
                    _ => {}
                }
            }
            Event::Empty(e) => assert_ne!(e.name().as_ref(), "circle", "a point has a title"),
            Event::Text(t) if text_of.is_some() => desc_text.push_str(&t.html_content()),
            Event::End(_) => {
                depth -= 1;
                text_of = None;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0);
    // Consents on 1 June 2002, 1 September 2002 and 10 May 2004; a withdrawal on 1 March 2015.
    assert_eq!(circles, 4);
    assert_eq!((title, desc), (1, 1));
    assert!(
        desc_text.starts_with("The number of parties went from 1 party on 1 June 2002 to 2 on 1 March 2015, and was at most 3"),
        "{desc_text}"
    );
}

#[test]
fn a_treaty_without_parties_has_a_citation_and_no_table() {
    let site = Site::fixture("treaties");
    site.build_ok(&[]);
    let doc = site.html("glossary/treaties/pending-protocol/index.html");
    assert_eq!(
        texts(&doc, "cite.oscola"),
        ["Pending Protocol (adopted 5 May 2019, not yet in force)"]
    );
    assert!(texts(&doc, ".status-line").is_empty());
    assert_eq!(doc.select(&sel(".parties-table, svg.chart")).count(), 0);
}

#[test]
fn a_bad_parties_file_fails_the_build_at_its_cell() {
    let site = Site::fixture("treaties");
    site.write(
        "content/glossary/treaties/model-convention.parties.csv",
        "state,signed,consent,kind\nAlpha,2001-03-01,2000-01-01,ratification\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("error: content/glossary/treaties/model-convention.parties.csv:2:18: `consent` (2000-01-01) is before `signed` (2001-03-01)"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_treaty_link_in_a_commentary_says_its_status_on_the_commentary_s_date() {
    let site = Site::fixture("treaties");
    site.build_ok(&[]);
    // Written on 1 July 2002, before entry into force (1 January 2003).
    let doc = site.html("commentaries/early/index.html");
    let then = "When this was written (1 July 2002): Not yet in force; 1 party; China: not a party; United States: signatory only (signed 1 March 2001). \
                As of 1 January 2020: In force since 1 January 2003; 2 parties; China: party since 10 May 2004; United States: signatory only (signed 1 March 2001)";
    assert_eq!(
        attrs(
            &doc,
            "a.gl-treaty[href$='/model-convention/']",
            "data-status"
        ),
        [then]
    );
    // Without JavaScript the title says the same.
    let title = attrs(&doc, "a.gl-treaty[href$='/model-convention/']", "title");
    assert!(title[0].ends_with(&format!("({then}.)")), "{title:?}");
    // A treaty with nothing dated has no status.
    assert!(attrs(
        &doc,
        "a.gl-treaty[href$='/pending-protocol/']",
        "data-status"
    )
    .is_empty());
    // Written after Delta's withdrawal, when the status was already what it is on the status
    // date: nothing later to add.
    let later = site.html("commentaries/later/index.html");
    assert_eq!(
        attrs(&later, "a.gl-treaty", "data-status"),
        ["When this was written (1 January 2016): In force since 1 January 2003; 2 parties; China: party since 10 May 2004; United States: signatory only (signed 1 March 2001)"]
    );
}

#[test]
fn backlinks_give_the_status_on_each_commentary_s_date() {
    let site = Site::fixture("treaties");
    site.build_ok(&[]);
    let doc = site.html(PAGE);
    assert_eq!(
        texts(&doc, ".backlink-list li .backlink-title a"),
        ["A later look", "An early look"]
    );
    assert_eq!(
        texts(&doc, ".backlink-status"),
        [
            "Then: In force since 1 January 2003; 2 parties; China: party since 10 May 2004; United States: signatory only (signed 1 March 2001).",
            "Then: Not yet in force; 1 party; China: not a party; United States: signatory only (signed 1 March 2001).",
        ]
    );
}

#[test]
fn outside_a_commentary_a_treaty_link_says_its_status_on_its_status_date() {
    let site = Site::fixture("treaties");
    site.build_ok(&[]);
    let doc = site.html("glossary/treaties/pending-protocol/index.html");
    assert_eq!(
        attrs(&doc, ".prose a.gl-treaty", "data-status"),
        ["As of 1 January 2020: In force since 1 January 2003; 2 parties; China: party since 10 May 2004; United States: signatory only (signed 1 March 2001)"]
    );
}
