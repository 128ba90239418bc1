//! The site's dated events (CONTENT-FORMAT.md, "Timeline"): commentaries published, treaties
//! adopted and entering into force, bodies established and dissolved, and the consent of each
//! state of interest to each treaty with a parties file. Pure functions from what the page
//! views read to a list of events; the `/timeline/` page shows them all, newest first and
//! grouped by year, and each entry page its own.

use super::chart;
use crate::content::parties::ConsentKind;
use crate::content::{Date, Entry, Kind};
use crate::theme::context::{ChartView, DateView, EventView, YearView};
use crate::theme::i18n::{self, Text};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum What {
    /// A commentary was published.
    Published,
    /// A treaty was adopted.
    Adopted,
    /// A treaty entered into force.
    InForce,
    /// A body was established.
    Established,
    /// A body was dissolved.
    Dissolved,
    /// A state of interest consented to a treaty.
    Consent,
}

impl What {
    /// The class templates style the event by.
    pub fn as_str(self) -> &'static str {
        match self {
            What::Published => "published",
            What::Adopted => "adopted",
            What::InForce => "in-force",
            What::Established => "established",
            What::Dissolved => "dissolved",
            What::Consent => "consent",
        }
    }
}

/// One dated event, linking to its page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Event {
    /// When.
    pub date: Date,
    /// What.
    pub what: What,
    /// The sentence, in English: `Entered into force: Convention on Cybercrime`.
    pub text: String,
    /// The name of what it is about (entry or commentary), and for a state's consent, the
    /// state and how it consented: what a page puts in its language's sentence.
    pub about: (String, Option<(String, &'static str)>),
    /// The page it links to.
    pub url: String,
}

/// The events of one glossary entry, oldest first. `states` are the states of interest.
pub fn entry_events(e: &Entry, url: &str, states: &[String]) -> Vec<Event> {
    let mut events = Vec::new();
    let mut add = |date: Option<Date>, what: What, text: String, consent| {
        if let Some(date) = date {
            events.push(Event {
                date,
                what,
                text,
                about: (e.name.clone(), consent),
                url: url.to_string(),
            });
        }
    };
    match e.kind {
        Kind::Body => {
            add(
                e.established,
                What::Established,
                format!("Established: {}", e.name),
                None,
            );
            add(
                e.dissolved,
                What::Dissolved,
                format!("Dissolved: {}", e.name),
                None,
            );
        }
        Kind::Treaty => {
            add(
                e.adopted,
                What::Adopted,
                format!("Adopted: {}", e.name),
                None,
            );
            add(
                e.in_force,
                What::InForce,
                format!("Entered into force: {}", e.name),
                None,
            );
            if let Some(p) = &e.record.parties {
                for state in states {
                    if let Some(row) = p.state(state) {
                        let how = row.kind.map_or("consent", ConsentKind::as_str);
                        add(
                            row.consent,
                            What::Consent,
                            format!("{state}: {how}, {}", e.name),
                            Some((state.clone(), how)),
                        );
                    }
                }
            }
        }
    }
    events.sort_by_key(|e| (e.date, e.what));
    events
}

/// A commentary's event.
pub fn published(title: &str, url: &str, date: Date) -> Event {
    Event {
        date,
        what: What::Published,
        text: format!("Published: {title}"),
        about: (title.to_string(), None),
        url: url.to_string(),
    }
}

/// Events newest first (by date, then by kind and text, so the order is stable).
pub fn newest_first(mut events: Vec<Event>) -> Vec<Event> {
    events
        .sort_by(|a, b| (b.date, a.what, &a.text, &a.url).cmp(&(a.date, b.what, &b.text, &b.url)));
    events
}

/// An event as templates see it, its sentence in the language of `text` (`event_KIND`:
/// `{name}`, and for a consent `{state}` and `{how}`), English without it.
pub fn view(e: &Event, text: &Text) -> EventView {
    let kind = e.what.as_str();
    let sentence = match text.get(&format!("event_{}", kind.replace('-', "_"))) {
        Some(pattern) => {
            let (name, consent) = &e.about;
            let (state, how) = consent
                .as_ref()
                .map(|(s, h)| {
                    let how = text.get(&format!("consent_{h}")).map_or(*h, String::as_str);
                    (s.as_str(), how)
                })
                .unwrap_or_default();
            pattern
                .replace("{name}", name)
                .replace("{state}", state)
                .replace("{how}", how)
        }
        None => e.text.clone(),
    };
    EventView {
        date: DateView::from(e.date),
        kind,
        text: sentence,
        url: e.url.clone(),
    }
}

/// Events (newest first) grouped by year, newest year first.
pub fn by_year(events: &[Event], text: &Text) -> Vec<YearView> {
    let mut years: Vec<YearView> = Vec::new();
    for e in events {
        match years.last_mut() {
            Some(y) if y.year == e.date.year => y.events.push(view(e, text)),
            _ => years.push(YearView {
                year: e.date.year,
                events: vec![view(e, text)],
            }),
        }
    }
    years
}

/// The overview chart: the number of events in each year, oldest year first; its words in
/// the language of `text` (English without it).
pub fn overview(years: &[YearView], text: &Text) -> Option<ChartView> {
    let counts: Vec<(u16, usize)> = years
        .iter()
        .rev()
        .map(|y| (y.year, y.events.len()))
        .collect();
    let (first, last) = (counts.first()?, counts.last()?);
    let total: usize = counts.iter().map(|c| c.1).sum();
    let busiest = counts
        .iter()
        .max_by_key(|c| (c.1, std::cmp::Reverse(c.0)))?;
    let caption = text
        .get("timeline_chart_caption")
        .map_or("Events per year, {from}–{to}", String::as_str)
        .replace("{from}", &first.0.to_string())
        .replace("{to}", &last.0.to_string());
    let english = if total == 1 {
        "{n} dated event from {from} to {to}; the most in {busiest} ({most}). The list below gives each one."
    } else {
        "{n} dated events from {from} to {to}; the most in {busiest} ({most}). The list below gives each one."
    };
    let text = i18n::plural(text, "timeline_chart_text", total as u64)
        .unwrap_or_else(|| english.replace("{n}", &total.to_string()))
        .replace("{from}", &first.0.to_string())
        .replace("{to}", &last.0.to_string())
        .replace("{busiest}", &busiest.0.to_string())
        .replace("{most}", &busiest.1.to_string());
    let svg = chart::bars("timeline-chart", &caption, &text, &counts)?;
    Some(ChartView::new(svg, caption, text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::status::tests::treaty;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn a_treaty_s_events_with_states_of_interest() {
        let e = treaty(
            "name: T\nadopted: 2001-01-01\nin_force: 2003-01-01\n",
            Some("state,consent,kind\nChina,2004-05-10,accession\nOther,2002-01-01,ratification\nUnited States,,\n"),
        );
        let states = ["China".to_string(), "United States".to_string()];
        let ev = entry_events(&e, "/t/", &states);
        let texts: Vec<&str> = ev.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(
            texts,
            ["Adopted: T", "Entered into force: T", "China: accession, T"]
        );
        let all = newest_first(
            ev.into_iter()
                .chain([published("A", "/a/", d("2003-01-01"))])
                .collect(),
        );
        let order: Vec<(String, What)> = all.iter().map(|e| (e.date.to_string(), e.what)).collect();
        assert_eq!(
            order,
            [
                ("2004-05-10".into(), What::Consent),
                ("2003-01-01".into(), What::Published),
                ("2003-01-01".into(), What::InForce),
                ("2001-01-01".into(), What::Adopted),
            ]
        );
        let years = by_year(&all, &Text::new());
        assert_eq!(
            years
                .iter()
                .map(|y| (y.year, y.events.len()))
                .collect::<Vec<_>>(),
            [(2004, 1), (2003, 2), (2001, 1)]
        );
        let chart = overview(&years, &Text::new()).unwrap();
        assert!(chart
            .text
            .starts_with("4 dated events from 2001 to 2004; the most in 2003 (2)"));
    }
}
