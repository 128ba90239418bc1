//! A body's place among other bodies over time and in rank: the diagram of its parent,
//! predecessors, successor and parts (drawn as inline SVG at build time), and the same
//! relations as links, which are its text alternative and the way to follow them.

use super::chart::{self, Around, Node};
use crate::content::Entry;
use crate::glossary::Relations;
use crate::theme::context::{ChartView, DiagramView, Link, RelationView};
use crate::theme::i18n::Text;

/// The theme's text `key`, or `default` (English) without it.
fn word<'a>(text: &'a Text, key: &str, default: &'a str) -> &'a str {
    text.get(key).map_or(default, String::as_str)
}

/// `2014–2018`, `since 2018`, `until 2018` or empty, in the language of `text`.
fn years(e: &Entry, text: &Text) -> String {
    match (e.established, e.dissolved) {
        (Some(a), Some(b)) => format!("{}–{}", a.year, b.year),
        (Some(a), None) => {
            word(text, "years_since", "since {year}").replace("{year}", &a.year.to_string())
        }
        (None, Some(b)) => {
            word(text, "years_until", "until {year}").replace("{year}", &b.year.to_string())
        }
        (None, None) => String::new(),
    }
}

fn node(e: &Entry, text: &Text) -> Node {
    Node {
        name: e.name.clone(),
        years: years(e, text),
    }
}

/// The diagram of body `e` among its relations, its words in the language of `text`;
/// `entry(j)` gives related entry `j` and its page's URL. `None` when the body has no
/// relations.
pub fn diagram<'a>(
    e: &Entry,
    rel: &Relations,
    text: &Text,
    entry: impl Fn(usize) -> (&'a Entry, &'a str),
) -> Option<DiagramView> {
    if rel.is_empty() {
        return None;
    }
    let mut links = Vec::new();
    let mut group = |key: &str, label: &'static str, items: &[usize]| -> Vec<Node> {
        if items.is_empty() {
            return Vec::new();
        }
        let entries: Vec<(&Entry, &str)> = items.iter().map(|&j| entry(j)).collect();
        links.push(RelationView {
            relation: word(text, key, label).to_string(),
            bodies: entries
                .iter()
                .map(|(x, url)| Link {
                    name: x.name.clone(),
                    url: url.to_string(),
                })
                .collect(),
        });
        entries.iter().map(|(x, _)| node(x, text)).collect()
    };
    let parent = group("relation_part_of", "Part of", rel.parent.as_slice());
    let predecessors = group("relation_predecessors", "Predecessors", &rel.predecessors);
    let successor = group("relation_successor", "Successor", rel.successor.as_slice());
    let children = group("relation_parts", "Parts", &rel.children);
    let alt = links
        .iter()
        .map(|l| {
            let names: Vec<&str> = l.bodies.iter().map(|b| b.name.as_str()).collect();
            format!(
                "{}{}{}",
                l.relation,
                word(text, "state_colon", ": "),
                names.join(word(text, "list_semicolon", "; "))
            )
        })
        .collect::<Vec<_>>()
        .join(word(text, "sentence_join", ". "));
    let caption =
        word(text, "diagram_caption", "{name} among related bodies").replace("{name}", &e.name);
    let svg = chart::relations(
        "body-diagram",
        &caption,
        &alt,
        &node(e, text),
        Around {
            parent: parent.first(),
            predecessors: &predecessors,
            successor: successor.first(),
            children: &children,
        },
    );
    Some(DiagramView {
        chart: ChartView::new(svg, caption, alt),
        relations: links,
    })
}
