//! A style with its `type` tests decided in advance for one shape of entry.
//!
//! Every commentary's "Cite this" is one work formatted by the site's style, and in a profile
//! of a 10,000-commentary build that was about a quarter of the CPU, most of it hayagriva
//! testing `<if type="…">`: each test walks selectors over the entry and its parents, and a
//! style such as Chicago tests dozens of types in macros that are evaluated again at every
//! level of the layout (hayagriva asks each element whether it will print before printing it).
//!
//! Whether an entry is of a CSL type depends only on its own type, its parents' types and
//! whether it has a URL and a publisher (hayagriva 0.10's `matches_entry_type`), never on a
//! title or a name. So for each such [`shape`] hayagriva is asked once per type the style
//! tests, with a probe style of one `<choose>`, and the style is rewritten with those answers
//! ([`specialise`]): a branch whose answer is known tests nothing, and takes the same branch.
//! Hayagriva itself answers, so the rewrite cannot disagree with it; `cite::tests` formats
//! works both ways with every bundled style and compares them byte for byte. The key is only
//! as complete as that reading of `matches_entry_type`: a new hayagriva must be read again
//! for what else it looks at (the test varies URLs, not every field).
//!
//! The memo's runs (`memo.rs`) are of one work too, so they use the same specialised style
//! for citations; `cite::tests` compares what they give with the driver's plain style.

use hayagriva::citationberg::taxonomy::Kind;
use hayagriva::citationberg::{Choose, ChooseBranch, ChooseMatch, IndependentStyle};
use hayagriva::citationberg::{
    LayoutRenderingElement as El, NamesChild, Sort, SortKey, TextTarget,
};
use hayagriva::Entry;

/// What of an entry decides its CSL types: its type, its URL and publisher or their absence,
/// and the same of its parents.
pub(super) fn shape(e: &Entry) -> String {
    let mut s = format!(
        "{:?}{}{}",
        e.entry_type(),
        u8::from(e.has("url")),
        u8::from(e.has("publisher"))
    );
    for p in e.parents() {
        s.push('(');
        s.push_str(&shape(p));
        s.push(')');
    }
    s
}

/// A probe style: a bibliography of one `<choose>` that prints `y` when the entry is of the
/// type in its `if` and `n` when not.
pub(super) fn probe_style() -> Option<IndependentStyle> {
    IndependentStyle::from_xml(concat!(
        r#"<?xml version="1.0" encoding="utf-8"?>"#,
        r#"<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">"#,
        r#"<info><title>probe</title><id>probe</id>"#,
        r#"<updated>2024-01-01T00:00:00+00:00</updated></info>"#,
        r#"<citation><layout><text value="c"/></layout></citation>"#,
        r#"<bibliography><layout><choose><if type="book"><text value="y"/></if>"#,
        r#"<else><text value="n"/></else></choose></layout></bibliography></style>"#,
    ))
    .ok()
}

/// The probe style asking about `kind`.
pub(super) fn probe_for(probe: &IndependentStyle, kind: Kind) -> Option<IndependentStyle> {
    let mut p = probe.clone();
    match p.bibliography.as_mut()?.layout.elements.first_mut()? {
        El::Choose(c) => c.if_.type_ = Some(vec![kind]),
        _ => return None,
    }
    Some(p)
}

/// `style` with every `type` test answered by `is`, or `None` when `is` cannot answer one.
pub(super) fn specialise(
    style: &IndependentStyle,
    mut is: impl FnMut(Kind) -> Option<bool>,
) -> Option<IndependentStyle> {
    let mut kinds: Vec<Kind> = Vec::new();
    let mut s = style.clone();
    each_choose(&mut s, &mut |c| {
        for k in branches(c).flat_map(|b| b.type_.iter().flatten()) {
            if !kinds.contains(k) {
                kinds.push(*k);
            }
        }
    });
    let mut answers = Vec::with_capacity(kinds.len());
    for k in kinds {
        answers.push((k, is(k)?));
    }
    let of = |k: &Kind| answers.iter().find(|(a, _)| a == k).map(|(_, t)| *t);
    each_choose(&mut s, &mut |c| {
        branches(c).for_each(|b| fold(b, &of));
        cut_after_certain(c);
    });
    prune_macros(&mut s);
    Some(s)
}

/// Answers a branch's type tests. A branch whose outcome they decide is left with no tests
/// and the match that gives that outcome over none (all: true; any: false); otherwise the
/// type tests, which cannot change it, are dropped and the others stay.
fn fold(b: &mut ChooseBranch, of: &impl Fn(&Kind) -> Option<bool>) {
    let Some(types) = b.type_.take() else { return };
    let answers: Vec<bool> = types.iter().filter_map(of).collect();
    if answers.len() != types.len() {
        b.type_ = Some(types);
        return;
    }
    let decided = match b.match_ {
        ChooseMatch::Any => answers.contains(&true).then_some(true),
        ChooseMatch::All => answers.contains(&false).then_some(false),
        ChooseMatch::None => answers.contains(&true).then_some(false),
    };
    let others = tests_besides_type(b);
    // Without other tests, the types alone decide: any of none is false, all (or none) of
    // none is true, which is what the types gave.
    let outcome = decided.or((!others).then_some(b.match_ != ChooseMatch::Any));
    if let Some(t) = outcome {
        *b = ChooseBranch {
            disambiguate: None,
            is_numeric: None,
            is_uncertain_date: None,
            locator: None,
            position: None,
            type_: None,
            variable: None,
            match_: if t {
                ChooseMatch::All
            } else {
                ChooseMatch::Any
            },
            children: if t {
                std::mem::take(&mut b.children)
            } else {
                Vec::new()
            },
        };
    }
}

/// Whether the branch tests anything but types.
fn tests_besides_type(b: &ChooseBranch) -> bool {
    b.disambiguate.is_some()
        || b.is_numeric.is_some()
        || b.is_uncertain_date.is_some()
        || b.locator.is_some()
        || b.position.is_some()
        || b.variable.is_some()
}

/// Empties what follows a branch that is always taken: hayagriva never gets there.
fn cut_after_certain(c: &mut Choose) {
    // No tests: all (or none) of none is true.
    let certain = |b: &ChooseBranch| {
        b.type_.is_none() && !tests_besides_type(b) && b.match_ != ChooseMatch::Any
    };
    let first = branches(c).position(|b| certain(b));
    if let Some(i) = first {
        for b in branches(c).skip(i + 1) {
            b.children.clear();
        }
        if let Some(o) = &mut c.otherwise {
            o.children.clear();
        }
    }
}

fn branches(c: &mut Choose) -> impl Iterator<Item = &mut ChooseBranch> {
    std::iter::once(&mut c.if_).chain(&mut c.else_if)
}

/// Calls `f` on every `<choose>` of the style (its citation and bibliography layouts and its
/// macros) before its branches' children.
fn each_choose(s: &mut IndependentStyle, f: &mut impl FnMut(&mut Choose)) {
    let mut on = |el: &mut El| {
        if let El::Choose(c) = el {
            f(c);
        }
    };
    walk(&mut s.citation.layout.elements, &mut on);
    if let Some(b) = &mut s.bibliography {
        walk(&mut b.layout.elements, &mut on);
    }
    for m in &mut s.macros {
        walk(&mut m.children, &mut on);
    }
}

/// Drops the macros that nothing reaches, now that branches which cannot be taken are empty:
/// hayagriva looks a macro up by its name along the list each time it is used.
fn prune_macros(s: &mut IndependentStyle) {
    let mut reached: Vec<String> = Vec::new();
    let uses = |els: &mut [El], reached: &mut Vec<String>| {
        walk(els, &mut |el| {
            if let El::Text(t) = el {
                if let TextTarget::Macro { name } = &t.target {
                    reached.push(name.clone());
                }
            }
        })
    };
    uses(&mut s.citation.layout.elements, &mut reached);
    let mut sorts: Vec<&Sort> = s.citation.sort.iter().collect();
    if let Some(b) = &mut s.bibliography {
        uses(&mut b.layout.elements, &mut reached);
        sorts.extend(&b.sort);
    }
    for key in sorts.into_iter().flat_map(|s| &s.keys) {
        if let SortKey::MacroName { name, .. } = key {
            reached.push(name.clone());
        }
    }
    let mut done = 0;
    while done < reached.len() {
        let name = reached[done].clone();
        done += 1;
        // Hayagriva takes the first macro of a name; so does this.
        if reached[..done - 1].contains(&name) {
            continue;
        }
        if let Some(m) = s.macros.iter_mut().find(|m| m.name == name) {
            uses(&mut m.children, &mut reached);
        }
    }
    s.macros.retain(|m| reached.contains(&m.name));
}

/// Calls `f` on every element, a `<choose>` before its branches' children.
fn walk(els: &mut [El], f: &mut impl FnMut(&mut El)) {
    for el in els {
        f(el);
        match el {
            El::Group(g) => walk(&mut g.children, f),
            El::Choose(c) => {
                for b in branches(c) {
                    walk(&mut b.children, f);
                }
                if let Some(o) = &mut c.otherwise {
                    walk(&mut o.children, f);
                }
            }
            El::Names(n) => {
                for child in &mut n.children {
                    if let NamesChild::Substitute(s) = child {
                        walk(&mut s.children, f);
                    }
                }
            }
            El::Text(_) | El::Date(_) | El::Number(_) | El::Label(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn branch(types: &[Kind], m: ChooseMatch, variable: bool) -> ChooseBranch {
        let mut b = probe_for(&probe_style().unwrap(), Kind::Book)
            .and_then(
                |s| match s.bibliography?.layout.elements.into_iter().next()? {
                    El::Choose(c) => Some(c.if_),
                    _ => None,
                },
            )
            .unwrap();
        b.type_ = Some(types.to_vec());
        b.match_ = m;
        b.variable = variable.then(Vec::new);
        b
    }

    /// The outcome over no tests: `Some(true)` all-of-none, `Some(false)` any-of-none, `None`
    /// when tests are left.
    fn outcome(b: &ChooseBranch) -> Option<bool> {
        let none = b.type_.is_none() && b.variable.is_none();
        none.then(|| b.match_.test(std::iter::empty()))
    }

    #[test]
    fn a_branch_decided_by_its_types_tests_nothing_and_keeps_the_same_outcome() {
        // A webpage: only `webpage` is true.
        let of = |k: &Kind| Some(*k == Kind::Webpage);
        let (web, book) = (Kind::Webpage, Kind::Book);
        for (types, m, variable, want) in [
            (vec![book, web], ChooseMatch::Any, false, Some(true)),
            (vec![book, web], ChooseMatch::Any, true, Some(true)),
            (vec![book], ChooseMatch::Any, false, Some(false)),
            (vec![book], ChooseMatch::Any, true, None),
            (vec![web], ChooseMatch::All, false, Some(true)),
            (vec![web], ChooseMatch::All, true, None),
            (vec![web, book], ChooseMatch::All, true, Some(false)),
            (vec![book], ChooseMatch::None, false, Some(true)),
            (vec![book], ChooseMatch::None, true, None),
            (vec![web], ChooseMatch::None, true, Some(false)),
        ] {
            let mut b = branch(&types, m, variable);
            let kept = b.children.len();
            fold(&mut b, &of);
            assert_eq!(outcome(&b), want, "{types:?} {m:?} variable: {variable}");
            assert_eq!(b.type_, None);
            // A branch that cannot be taken loses its children; one that can keeps them.
            let children = if want == Some(false) { 0 } else { kept };
            assert_eq!(b.children.len(), children);
            if want.is_none() {
                assert_eq!((b.match_, b.variable.is_some()), (m, true));
            }
        }
    }

    #[test]
    fn a_type_without_an_answer_is_left_to_hayagriva() {
        let mut b = branch(&[Kind::Book, Kind::Webpage], ChooseMatch::Any, false);
        fold(&mut b, &|k: &Kind| (*k == Kind::Book).then_some(false));
        assert_eq!(b.type_, Some(vec![Kind::Book, Kind::Webpage]));
        let s = probe_style().unwrap();
        assert!(specialise(&s, |_| None).is_none());
        assert!(specialise(&s, |_| Some(true)).is_some());
    }

    #[test]
    fn macros_that_only_untaken_branches_reach_are_dropped() {
        let s = IndependentStyle::from_xml(concat!(
            r#"<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">"#,
            r#"<info><title>t</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>"#,
            r#"<macro name="a"><text macro="b"/></macro><macro name="b"><text value="b"/></macro>"#,
            r#"<macro name="c"><text value="c"/></macro><macro name="d"><text value="d"/></macro>"#,
            r#"<macro name="e"><text value="e"/></macro><macro name="f"><text value="f"/></macro>"#,
            r#"<citation><layout><text value="x"/></layout></citation>"#,
            r#"<bibliography><sort><key macro="e"/></sort><layout><group><choose>"#,
            r#"<if type="book"><text macro="c"/></if><else-if type="webpage"><text macro="a"/>"#,
            r#"</else-if><else><text macro="f"/></else></choose></group></layout></bibliography>"#,
            r#"</style>"#,
        ))
        .unwrap();
        let kept = |s: &IndependentStyle| -> Vec<String> {
            s.macros.iter().map(|m| m.name.clone()).collect()
        };
        assert_eq!(kept(&s), ["a", "b", "c", "d", "e", "f"]);
        // A webpage never takes the book branch nor the `else`; a book never the webpage's.
        let web = specialise(&s, |k| Some(k == Kind::Webpage)).unwrap();
        assert_eq!(kept(&web), ["a", "b", "e"]);
        let book = specialise(&s, |k| Some(k == Kind::Book)).unwrap();
        assert_eq!(kept(&book), ["c", "e"]);
        // Neither: only the `else` can be taken.
        let other = specialise(&s, |_| Some(false)).unwrap();
        assert_eq!(kept(&other), ["e", "f"]);
    }
}
