//! A body's relations over the `treaties` fixture: the Old Leading Group was succeeded by the
//! New Commission, which is part of the Central Committee and has one part, the Sub-Office.

use crate::util::*;

const NEW: &str = "glossary/bodies/new-commission/index.html";

#[test]
fn the_diagram_draws_each_related_body_and_the_list_links_them() {
    let site = Site::fixture("treaties");
    site.build_ok(&[]);
    let html = site.read(NEW);
    let doc = site.html(NEW);
    assert_eq!(
        texts(&doc, "dl.relations dt"),
        ["Part of", "Predecessors", "Parts"]
    );
    assert_eq!(
        attrs(&doc, "dl.relations a", "href"),
        [
            "/glossary/bodies/central-committee/",
            "/glossary/bodies/old-group/",
            "/glossary/bodies/sub-office/"
        ]
    );
    // The SVG as written, parsed as XML: a box per body, this one marked.
    let start = html.find("<svg").expect("an svg");
    let end = html[start..].find("</svg>").expect("closed") + start + "</svg>".len();
    let mut reader = quick_xml::Reader::from_str(&html[start..end]);
    let (mut rects, mut texts_seen, mut current) = (0, String::new(), 0);
    let mut in_text = false;
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                in_text = name == "tspan";
                if name == "g" {
                    let class = e.try_get_attribute("class").unwrap();
                    if class.is_some_and(|c| c.value.contains("node-current")) {
                        current += 1;
                    }
                }
            }
            quick_xml::events::Event::Empty(e) if e.name().as_ref() == "rect" => rects += 1,
            quick_xml::events::Event::Text(t) if in_text => {
                texts_seen.push_str(&t.html_content());
                texts_seen.push('|');
            }
            quick_xml::events::Event::End(_) => in_text = false,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(rects, 4);
    assert_eq!(current, 1);
    assert_eq!(
        texts_seen,
        "Central|Committee|Old Leading|Group|2014–2018|New Commission|since 2018|Sub-Office|"
    );
    assert_eq!(
        texts(&doc, "figure.diagram-figure svg desc"),
        ["Part of: Central Committee. Predecessors: Old Leading Group. Parts: Sub-Office"]
    );
}

#[test]
fn a_part_shows_its_parent_and_a_treaty_has_no_diagram() {
    let site = Site::fixture("treaties");
    site.build_ok(&[]);
    assert_eq!(
        texts(
            &site.html("glossary/bodies/sub-office/index.html"),
            "dl.relations dt"
        ),
        ["Part of"]
    );
    let treaty = site.html("glossary/treaties/model-convention/index.html");
    assert_eq!(treaty.select(&sel(".body-relations")).count(), 0);
}
