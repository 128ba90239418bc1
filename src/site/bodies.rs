//! A body's place among other bodies over time and in rank: the diagram of its parent,
//! predecessors, successor and parts (drawn as inline SVG at build time), and the same
//! relations as links, which are its text alternative and the way to follow them.

use super::chart::{self, Around, Node};
use crate::content::Entry;
use crate::glossary::Relations;
use crate::theme::context::{ChartView, DiagramView, Link, RelationView};

/// `2014–2018`, `since 2018`, `until 2018` or empty.
pub fn years(e: &Entry) -> String {
    match (e.established, e.dissolved) {
        (Some(a), Some(b)) => format!("{}–{}", a.year, b.year),
        (Some(a), None) => format!("since {}", a.year),
        (None, Some(b)) => format!("until {}", b.year),
        (None, None) => String::new(),
    }
}

fn node(e: &Entry) -> Node {
    Node {
        name: e.name.clone(),
        years: years(e),
    }
}

/// The diagram of body `e` among its relations; `entry(j)` gives related entry `j` and its
/// page's URL. `None` when the body has no relations.
pub fn diagram<'a>(
    e: &Entry,
    rel: &Relations,
    entry: impl Fn(usize) -> (&'a Entry, &'a str),
) -> Option<DiagramView> {
    if rel.is_empty() {
        return None;
    }
    let mut links = Vec::new();
    let mut group = |label: &'static str, items: &[usize]| -> Vec<Node> {
        if items.is_empty() {
            return Vec::new();
        }
        let entries: Vec<(&Entry, &str)> = items.iter().map(|&j| entry(j)).collect();
        links.push(RelationView {
            relation: label,
            bodies: entries
                .iter()
                .map(|(x, url)| Link {
                    name: x.name.clone(),
                    url: url.to_string(),
                })
                .collect(),
        });
        entries.iter().map(|(x, _)| node(x)).collect()
    };
    let parent = group("Part of", rel.parent.as_slice());
    let predecessors = group("Predecessors", &rel.predecessors);
    let successor = group("Successor", rel.successor.as_slice());
    let children = group("Parts", &rel.children);
    let text = links
        .iter()
        .map(|l| {
            let names: Vec<&str> = l.bodies.iter().map(|b| b.name.as_str()).collect();
            format!("{}: {}", l.relation, names.join("; "))
        })
        .collect::<Vec<_>>()
        .join(". ");
    let caption = format!("{} among related bodies", e.name);
    let svg = chart::relations(
        "body-diagram",
        &caption,
        &text,
        &node(e),
        Around {
            parent: parent.first(),
            predecessors: &predecessors,
            successor: successor.first(),
            children: &children,
        },
    );
    Some(DiagramView {
        chart: ChartView::new(svg, caption, text),
        relations: links,
    })
}
