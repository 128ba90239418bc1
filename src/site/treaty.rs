//! What a treaty page shows beyond its facts: the formal citation, the status on the date the
//! parties were last checked, the parties table, each state of interest, and the chart of
//! the number of parties over time. Pure functions from the entry (and the states of
//! interest) to the template's view, so that the page's fingerprint (the entry's) covers all
//! of it.

use super::chart;
use crate::cite::Sources;
use crate::content::parties::Parties;
use crate::content::{Date, Entry};
use crate::glossary::status::{as_of, in_force_on, state_on_in, status_text_in};
use crate::routes::Routes;
use crate::theme::context::{
    ChartView, PartiesSourceView, PartyView, StateView, StatusView, TreatyView,
};
use crate::theme::i18n::{self, Text};
use minijinja::Value;

/// The formal citation in OSCOLA form:
/// `Name (adopted 14 December 1973, entered into force 20 February 1977) 1035 UNTS 167`;
/// `not yet in force` without an `in_force` date, no series part without `treaty_series`.
pub fn citation(e: &Entry) -> String {
    let mut parts = Vec::new();
    if let Some(a) = e.adopted {
        parts.push(format!("adopted {}", a.text()));
    }
    parts.push(match e.in_force {
        Some(d) => format!("entered into force {}", d.text()),
        None => "not yet in force".into(),
    });
    let mut s = format!("{} ({})", e.name, parts.join(", "));
    if let Some(series) = &e.record.treaty_series {
        s.push(' ');
        s.push_str(series);
    }
    s
}

/// The parties source as a link: a URL, or a key of the bibliography (its work and its item
/// on the sources page); anything else is shown as written.
fn source(text: &str, lang: &str, sources: &Sources, routes: &Routes) -> PartiesSourceView {
    let key = text.trim_start_matches('@');
    if let Some((_, rest)) = text.split_once("://") {
        // The host names the source well enough in a sentence; the link has the rest.
        let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
        PartiesSourceView {
            text: host.trim_start_matches("www.").to_string(),
            url: Some(text.to_string()),
            work: None,
        }
    } else if sources.contains(key) {
        let work = sources
            .bibliography(lang, &[key])
            .into_iter()
            .next()
            .map(|(_, html)| Value::from_safe_string(html));
        PartiesSourceView {
            text: key.to_string(),
            url: Some(routes.work_url(key)),
            work,
        }
    } else {
        PartiesSourceView {
            text: text.to_string(),
            url: None,
            work: None,
        }
    }
}

/// The treaty view of an entry; `states` are the states of interest; its words in the
/// language of `text`, its sources' citations in `lang`'s locale.
pub fn view(
    e: &Entry,
    states: &[String],
    lang: &str,
    sources: &Sources,
    routes: &Routes,
    text: &Text,
) -> TreatyView {
    let parties = e.record.parties.as_ref();
    let date = as_of(e);
    let status = date.map(|d| {
        let counts = parties.map(|p| p.counts(d));
        StatusView {
            as_of: d.into(),
            in_force: in_force_on(e, d),
            in_force_date: e.in_force.map(Into::into),
            text: status_text_in(e, d, text),
            parties: counts.map(|c| c.parties),
            signatories: counts.map(|c| c.signatories),
            partial: e.record.parties_partial,
            source: e
                .record
                .parties_source
                .as_deref()
                .map(|s| source(s, lang, sources, routes)),
        }
    });
    let rows = parties
        .map(|p| {
            p.rows
                .iter()
                .map(|r| PartyView {
                    state: r.state.clone(),
                    signed: r.signed.map(Into::into),
                    consent: r.consent.map(Into::into),
                    kind: r.kind.map(|k| k.as_str()),
                    in_force: r.in_force.map(Into::into),
                    withdrawn: r.withdrawn.map(Into::into),
                    note: r.note.clone(),
                    of_interest: states.contains(&r.state),
                })
                .collect()
        })
        .unwrap_or_default();
    let states = match date {
        Some(d) => states
            .iter()
            .map(|s| {
                let st = state_on_in(parties, s, d, text);
                StateView {
                    state: s.clone(),
                    standing: st.standing,
                    text: st.text,
                }
            })
            .collect(),
        None => Vec::new(),
    };
    let chart = match (parties, date) {
        (Some(p), Some(d)) => chart_view(e, p, d, text),
        _ => None,
    };
    TreatyView {
        citation: citation(e),
        status,
        parties: rows,
        states,
        chart,
    }
}

/// The chart of the number of parties, with its caption and text alternative, in the
/// language of `text`.
fn chart_view(e: &Entry, p: &Parties, end: Date, text: &Text) -> Option<ChartView> {
    let points = p.steps();
    let (first, last) = (points.first()?, points.last()?);
    let most = points.iter().map(|p| p.1).max().unwrap_or(0);
    let get = |key: &str| text.get(key).cloned().unwrap_or_default();
    let count = |key: &str, n: usize| i18n::plural(text, key, n as u64).unwrap_or_default();
    let caption = get(if e.record.parties_partial {
        "chart_caption_partial"
    } else {
        "chart_caption"
    })
    .replace("{name}", &e.name)
    .replace("{from}", &first.0.year.to_string())
    .replace("{to}", &end.year.max(last.0.year).to_string());
    let desc = get("chart_text")
        .replace("{first}", &count("parties_count", first.1))
        .replace("{first_date}", &i18n::local_date(text, first.0))
        .replace("{last}", &last.1.to_string())
        .replace("{last_date}", &i18n::local_date(text, last.0))
        .replace("{most}", &most.to_string())
        .replace("{changes}", &count("dated_changes", points.len()));
    let svg = chart::steps("parties-chart", &caption, &desc, &points, end, |d| {
        i18n::local_date(text, d)
    })?;
    Some(ChartView::new(svg, caption, desc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::status::tests::treaty;

    #[test]
    fn citation_in_oscola_form() {
        let e = treaty(
            "name: Protected Persons Convention\nadopted: 1973-12-14\nin_force: 1977-02-20\ntreaty_series: 1035 UNTS 167\n",
            None,
        );
        assert_eq!(
            citation(&e),
            "Protected Persons Convention (adopted 14 December 1973, entered into force 20 February 1977) 1035 UNTS 167"
        );
        let e = treaty("name: Beijing Convention\nadopted: 2010-09-10\n", None);
        assert_eq!(
            citation(&e),
            "Beijing Convention (adopted 10 September 2010, not yet in force)"
        );
    }
}
