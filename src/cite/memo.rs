//! Citations formatted once per distinct situation rather than once per page.
//!
//! Hayagriva's `BibliographyDriver` formats a page's citations as one sequence, because a
//! citation's text depends on what came before it: its CSL position (first, subsequent,
//! ibid, ibid-with-locator, near-note), its citation number and the note of its first
//! reference, and the disambiguation of works whose notes would read the same. Formatting an
//! item is most of the cost (~1.6 ms with Chicago), and across a site the same item in the
//! same situation recurs thousands of times.
//!
//! So the driver's own bookkeeping is mirrored here ([`positions`], from hayagriva 0.10's
//! `BibliographyDriver::finish`, steps 1 and 4a), an item is formatted once per [`Key`] —
//! its work, its locator and the [`Props`] the style can see — by a short synthetic
//! sequence of that one work that puts it in the same situation ([`recipe`]), and the page's
//! citations are assembled from those items the way the driver assembles them. What the
//! driver does that depends on the whole page is left to the driver: a page where two works
//! could be confused (the trigger of disambiguation), a style that reorders or groups the
//! items of a citation, or a situation no one-work sequence reaches, is formatted by the
//! driver as before. `cite::tests` compares both ways over random pages, byte for byte.
//!
//! A synthetic run formats more than its target: every item alone in a citation of the run
//! is kept under the key the mirror gives it there. So the items of one work that a page
//! needs and the memo lacks are put, when they can be, in one sequence ([`batch`]) and
//! formatted by one run rather than one run each.

use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::citationberg::IndependentStyle;

/// Whether the previous cited item is the same work (hayagriva's `IbidState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Ibid {
    Different,
    WithLocator,
    Same,
}

/// A parsed locator, as hayagriva compares them.
pub(super) type Loc<'a> = Option<(Locator, &'a str)>;

/// One item of a citation as the driver sees it: its work (an index into the library's
/// keys), its locator, and whether it is hidden (only synthetic sequences hide items).
#[derive(Debug, Clone, Copy)]
pub(super) struct Item<'a> {
    pub work: usize,
    pub loc: Loc<'a>,
    pub hidden: bool,
}

/// One citation: its items in the order written and its note number.
#[derive(Debug, Clone)]
pub(super) struct Cite<'a> {
    pub items: Vec<Item<'a>>,
    pub note: usize,
}

/// What the style can see of an item's situation, in the final rendering: the fields a
/// style does not use are zeroed by [`Uses::normalise`], so that they do not split the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Props {
    pub first: bool,
    pub near: bool,
    /// The ibid state of the final rendering (hayagriva's step 4a).
    pub ibid: Ibid,
    /// The ibid state of the speculative rendering (step 1), which is what disambiguation
    /// compares; it differs from `ibid` after a citation of no known work.
    pub spec_ibid: Ibid,
    /// The citation number, from 0.
    pub number: usize,
    pub first_note: usize,
}

/// The cache key of one formatted item.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Key {
    pub work: usize,
    pub loc: Option<(Locator, String)>,
    pub first: bool,
    pub near: bool,
    pub ibid: Ibid,
    pub number: usize,
    pub first_note: usize,
}

impl Key {
    /// The key of the item as finally rendered (`spec` false), or as first rendered without
    /// its locator for disambiguation (`spec` true).
    pub fn new(item: &Item, p: &Props, spec: bool) -> Key {
        Key {
            work: item.work,
            loc: if spec {
                None
            } else {
                item.loc.map(|(l, v)| (l, v.to_string()))
            },
            first: p.first,
            near: p.near,
            ibid: if spec { p.spec_ibid } else { p.ibid },
            number: p.number,
            first_note: p.first_note,
        }
    }
}

/// What of an item's situation a style reads, and whether it rearranges a citation's items.
#[derive(Debug, Clone, Copy)]
pub(super) struct Uses {
    near: bool,
    /// The style tests a position ibid (or ibid-with-locator).
    ibid: bool,
    /// The style tests the position ibid-with-locator, which alone tells it from ibid.
    ibid_with_locator: bool,
    number: bool,
    first_note: bool,
    /// The style sorts or groups the items of a citation: a citation of several items is
    /// left to the driver.
    pub reorders: bool,
    /// The style collapses citations (numeric ranges, year suffixes): left to the driver.
    pub collapses: bool,
    pub near_distance: usize,
}

impl Uses {
    /// Reads the style. The variables and the near-note test are looked up in the style's
    /// debug form, which names every element, condition and variable it holds: a name that
    /// is not there is not used (hayagriva reads the citation number and the first note
    /// only through those variables, and near-note and the ibid state only through the
    /// position conditions, where `ibid` holds for both ibid states).
    pub fn of(style: &IndependentStyle) -> Uses {
        let text = format!("{style:?}");
        let c = &style.citation;
        Uses {
            near: text.contains("NearNote"),
            ibid: text.contains("Ibid"),
            ibid_with_locator: text.contains("IbidWithLocator"),
            number: text.contains("CitationNumber"),
            first_note: text.contains("FirstReferenceNoteNumber"),
            reorders: c.sort.is_some() || c.cite_group_delimiter.is_some(),
            collapses: c.collapse.is_some(),
            near_distance: c.near_note_distance as usize,
        }
    }

    /// Zeroes what the style does not read.
    pub fn normalise(&self, mut p: Props) -> Props {
        p.near &= self.near;
        for ibid in [&mut p.ibid, &mut p.spec_ibid] {
            if !self.ibid {
                *ibid = Ibid::Different;
            } else if !self.ibid_with_locator && *ibid == Ibid::WithLocator {
                *ibid = Ibid::Same;
            }
        }
        if !self.number {
            p.number = 0;
        }
        if !self.first_note {
            p.first_note = 0;
        }
        p
    }
}

/// hayagriva's `IbidState::with_last`.
fn with_last(this: &Item, last: Option<&Item>, honour_hidden: bool) -> Ibid {
    match last {
        Some(l) if l.work == this.work && !(honour_hidden && l.hidden) => {
            if l.loc == this.loc {
                Ibid::Same
            } else if this.loc.is_none() {
                Ibid::Different
            } else {
                Ibid::WithLocator
            }
        }
        _ => Ibid::Different,
    }
}

/// Each item's situation, as `BibliographyDriver::finish` computes it for a style that keeps
/// the items of a citation in order, every citation having a note number, and the
/// bibliography unsorted (citations are formatted with the style's bibliography removed).
pub(super) fn positions(cites: &[Cite], near_distance: usize) -> Vec<Vec<Props>> {
    // Citation numbers: the works in order of first appearance.
    let mut numbers: Vec<usize> = Vec::new();
    let number = |numbers: &mut Vec<usize>, w: usize| match numbers.iter().position(|&x| x == w) {
        Some(n) => n,
        None => {
            numbers.push(w);
            numbers.len() - 1
        }
    };
    for c in cites {
        for it in &c.items {
            number(&mut numbers, it.work);
        }
    }
    let mut seen: Vec<usize> = Vec::new();
    let mut last: Option<&Item> = None;
    let mut out = Vec::with_capacity(cites.len());
    for (ci, c) in cites.iter().enumerate() {
        let before = &cites[..ci];
        let mut props = Vec::with_capacity(c.items.len());
        for (j, it) in c.items.iter().enumerate() {
            let cites_it = |p: &&Cite| p.items.iter().any(|x| x.work == it.work);
            let near = before
                .iter()
                .rev()
                .take(near_distance)
                .any(|p| cites_it(&p));
            let first_note = before.iter().find(cites_it).map_or(c.note, |p| p.note);
            let first = !seen.contains(&it.work);
            if first {
                seen.push(it.work);
            }
            let spec_ibid = with_last(it, last, true);
            last = Some(it);
            let previous = if j > 0 {
                c.items.get(j - 1)
            } else {
                before.last().and_then(|p| p.items.last())
            };
            props.push(Props {
                first,
                near,
                ibid: with_last(it, previous, false),
                spec_ibid,
                number: number(&mut numbers, it.work),
                first_note,
            });
        }
        out.push(props);
    }
    out
}

/// A sequence of citations of one work whose last item is `target` in the situation
/// `want` (compared after [`Uses::normalise`], the citation number aside: it is the driver's
/// offset), or `None` when no such sequence is among those tried. Only one work appears,
/// so nothing in it is disambiguated; its other items are hidden or have other locators.
///
/// Tried: an earlier citation of the work (hidden or not, with the target's locator, none
/// or another), then some empty citations (they count for near-note and break the final
/// ibid), then an earlier item in the target's own citation.
pub(super) fn recipe<'a>(
    target: Item<'a>,
    want: &Props,
    uses: &Uses,
    other: Loc<'a>,
) -> Option<Vec<Cite<'a>>> {
    let w = target.work;
    let variants = [
        None,
        Some((false, target.loc)),
        Some((false, None)),
        Some((false, other)),
        Some((true, target.loc)),
        Some((true, None)),
        Some((true, other)),
    ];
    let d = uses.near_distance;
    let mut gaps = vec![0, 1, d.saturating_sub(1), d];
    gaps.sort_unstable();
    gaps.dedup();
    let want = uses.normalise(Props {
        number: 0,
        spec_ibid: Ibid::Different,
        ..*want
    });
    for pre in variants {
        for &gap in &gaps {
            if pre.is_none() && gap > 0 {
                continue;
            }
            for same in variants {
                let item = |(hidden, loc): (bool, Loc<'a>)| Item {
                    work: w,
                    loc,
                    hidden,
                };
                let mut cites = Vec::new();
                let mut note = want.first_note;
                if let Some(p) = pre {
                    cites.push(Cite {
                        items: vec![item(p)],
                        note,
                    });
                    note += 1;
                    for _ in 0..gap {
                        cites.push(Cite {
                            items: Vec::new(),
                            note,
                        });
                        note += 1;
                    }
                }
                let mut items: Vec<Item> = same.map(item).into_iter().collect();
                items.push(target);
                cites.push(Cite { items, note });
                let got = positions(&cites, d);
                let got = got.last().and_then(|c| c.last())?;
                let got = uses.normalise(Props {
                    number: 0,
                    spec_ibid: Ibid::Different,
                    ..*got
                });
                if got == want {
                    return Some(cites);
                }
            }
        }
    }
    None
}

/// One sequence of citations of one work that puts several `targets` (each an item and the
/// situation wanted for it, compared as in [`recipe`]) in their situations at once, one
/// citation each, so that one synthetic run formats them all; the targets it cannot place
/// after those before are left out (a second first citation, a situation the order rules
/// out). Whatever it places, the caller keys each formatted item by what [`positions`] says
/// of the whole sequence, not by the target it was meant for.
pub(super) fn batch<'a>(targets: &[(Item<'a>, Props)], uses: &Uses) -> Vec<Cite<'a>> {
    let d = uses.near_distance;
    let mut gaps = vec![0, 1, d.saturating_sub(1), d, d + 1];
    gaps.sort_unstable();
    gaps.dedup();
    let plain = |p: &Props| {
        uses.normalise(Props {
            number: 0,
            spec_ibid: Ibid::Different,
            ..*p
        })
    };
    // A first citation can only open the sequence.
    let mut order: Vec<&(Item, Props)> = targets.iter().filter(|(_, p)| p.first).take(1).collect();
    order.extend(targets.iter().filter(|(_, p)| !p.first));
    let mut cites: Vec<Cite> = Vec::new();
    let Some((head, props)) = order.first() else {
        return cites;
    };
    let mut note = props.first_note;
    if !props.first {
        // The work's first citation, hidden: the targets all follow one.
        cites.push(Cite {
            items: vec![Item {
                work: head.work,
                loc: None,
                hidden: true,
            }],
            note,
        });
        note += 1;
    }
    for (item, props) in order {
        let want = plain(props);
        for &gap in &gaps {
            let mut tried = cites.clone();
            let mut n = note;
            for _ in 0..gap {
                tried.push(Cite {
                    items: Vec::new(),
                    note: n,
                });
                n += 1;
            }
            tried.push(Cite {
                items: vec![*item],
                note: n,
            });
            let got = positions(&tried, d);
            if got.last().and_then(|c| c.last()).map(plain) == Some(want) {
                cites = tried;
                note = n + 1;
                break;
            }
        }
    }
    cites
}
