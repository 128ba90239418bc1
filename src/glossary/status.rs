//! A treaty's status on a date, in words: in force or not, the number of parties, and where
//! each state of interest stands. Shared by the treaty page (on the date its parties were
//! checked) and by the links to the treaty inside a commentary (on the commentary's date).

use crate::content::parties::{Parties, Party, Standing};
use crate::content::{Date, Entry, Kind};
use crate::theme::i18n::{self, Text};

/// The date a treaty's status is shown for: `parties_as_of`, else the newest date in its
/// parties file (never the day of the build, so that a build is reproducible).
pub fn as_of(e: &Entry) -> Option<Date> {
    e.record.parties_as_of.or_else(|| {
        let p = e.record.parties.as_ref()?;
        p.rows
            .iter()
            .flat_map(|r| [r.signed, r.consent, r.in_force, r.withdrawn])
            .flatten()
            .max()
    })
}

/// Whether the treaty is in force on `date` (by its `in_force` date).
pub fn in_force_on(e: &Entry, date: Date) -> bool {
    e.in_force.is_some_and(|d| d <= date)
}

/// `In force since 20 February 1977` / `Not yet in force` on `date`.
pub fn status_text(e: &Entry, date: Date) -> String {
    status_text_in(e, date, &Text::new())
}

/// [`status_text`] in the language of `text` (the theme's; English where it lacks a key).
pub fn status_text_in(e: &Entry, date: Date, text: &Text) -> String {
    match e.in_force {
        Some(d) if d <= date => say(text, "status_in_force_since", "In force since {date}", d),
        _ => say(text, "status_not_in_force", "Not yet in force", date),
    }
}

/// The theme's text `key` (`default` without it) with `{date}` put in.
fn say(text: &Text, key: &str, default: &str, date: Date) -> String {
    text.get(key)
        .map_or(default, String::as_str)
        .replace("{date}", &i18n::local_date(text, date))
}

/// Where a state stands, in words.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StateStatus {
    /// `party`, `signatory`, `withdrawn`, `none` or `unknown`.
    pub standing: &'static str,
    /// `party since 5 August 1987`, `signatory only (signed …)`, `not a party`, …
    pub text: String,
}

/// A state on `date`. A row with no date at all says nothing about the state (an
/// unverified row): it reads "no dated record", never "not a party"; without a parties file
/// nothing is known about any state.
pub fn state_on(parties: Option<&Parties>, state: &str, date: Date) -> StateStatus {
    state_on_in(parties, state, date, &Text::new())
}

/// [`state_on`] in the language of `text`.
pub fn state_on_in(parties: Option<&Parties>, state: &str, date: Date, text: &Text) -> StateStatus {
    let row = parties.and_then(|p| p.state(state));
    let (standing, key, default, on) = match row.map(|r| (r, r.standing(date))) {
        Some((r, _)) if undated(r) => (
            "unknown",
            "state_no_record",
            "no dated record (see the note)",
            date,
        ),
        Some((_, Standing::Party { since })) => {
            ("party", "state_party_since", "party since {date}", since)
        }
        Some((_, Standing::Signatory { since })) => (
            "signatory",
            "state_signatory",
            "signatory only (signed {date})",
            since,
        ),
        Some((_, Standing::Withdrawn { on })) => (
            "withdrawn",
            "state_withdrew",
            "not a party (withdrew {date})",
            on,
        ),
        None if parties.is_none() => ("unknown", "state_no_data", "no parties data", date),
        Some((_, Standing::Outside)) | None => ("none", "state_not_party", "not a party", date),
    };
    StateStatus {
        standing,
        text: say(text, key, default, on),
    }
}

fn undated(r: &Party) -> bool {
    [r.signed, r.consent, r.in_force, r.withdrawn]
        .iter()
        .all(Option::is_none)
}

/// The treaty on `date` in one line: `Not yet in force; 0 parties; China: not a party`.
/// States are left out without a parties file (nothing is known about them).
pub fn summary_on(e: &Entry, date: Date, states: &[String]) -> String {
    summary_on_in(e, date, states, &Text::new())
}

/// [`summary_on`] in the language of `text`.
pub fn summary_on_in(e: &Entry, date: Date, states: &[String], text: &Text) -> String {
    let mut parts = vec![status_text_in(e, date, text)];
    if let Some(p) = &e.record.parties {
        let n = p.counts(date).parties;
        let (key, one, other) = if e.record.parties_partial {
            (
                "listed_parties_count",
                "{n} listed party",
                "{n} listed parties",
            )
        } else {
            ("parties_count", "{n} party", "{n} parties")
        };
        parts.push(
            i18n::plural(text, key, n as u64).unwrap_or_else(|| {
                (if n == 1 { one } else { other }).replace("{n}", &n.to_string())
            }),
        );
        for s in states {
            parts.push(format!(
                "{s}{}{}",
                text.get("state_colon").map_or(": ", String::as_str),
                state_on_in(Some(p), s, date, text).text
            ));
        }
    }
    parts.join(text.get("list_semicolon").map_or("; ", String::as_str))
}

/// What a link to a treaty inside a commentary written on `written` says about it: its
/// status then and, where different, on its status date, in the language of `text`. `None`
/// for a body, or a treaty with neither an `in_force` date nor a parties file (nothing dated
/// to say).
pub fn card_on(e: &Entry, written: Date, states: &[String], text: &Text) -> Option<String> {
    if e.kind != Kind::Treaty || (e.in_force.is_none() && e.record.parties.is_none()) {
        return None;
    }
    let then = summary_on_in(e, written, states, text);
    let mut s = dated(
        text,
        "card_when_written",
        "When this was written ({date}): {status}",
        written,
        &then,
    );
    if let Some(now) = as_of(e).filter(|&d| d > written) {
        let later = summary_on_in(e, now, states, text);
        if later != then {
            let second = dated(text, "card_as_of", "As of {date}: {status}", now, &later);
            s = text
                .get("card_sentences")
                .map_or("{first}. {second}", String::as_str)
                .replace("{second}", &second)
                .replace("{first}", &s);
        }
    }
    Some(s)
}

/// What a link to a treaty outside a commentary (an entry's text, a free page) says about
/// it: its status on its status date, when it has a parties file. `None` otherwise.
pub fn card_now(e: &Entry, states: &[String], text: &Text) -> Option<String> {
    if e.kind != Kind::Treaty || e.record.parties.is_none() {
        return None;
    }
    let d = as_of(e)?;
    let status = summary_on_in(e, d, states, text);
    Some(dated(
        text,
        "card_as_of",
        "As of {date}: {status}",
        d,
        &status,
    ))
}

/// The theme's text `key` (`default` without it) with `{date}` and `{status}` put in.
fn dated(text: &Text, key: &str, default: &str, date: Date, status: &str) -> String {
    say(text, key, default, date).replace("{status}", status)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::content::{parse_entry, parties};
    use std::path::Path;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    pub(crate) fn treaty(front: &str, csv: Option<&str>) -> Entry {
        let text = format!("---\n{front}---\n\nA treaty.\n");
        let (e, diags) = parse_entry(Path::new("t.md"), Kind::Treaty, text);
        assert!(diags.is_empty(), "{diags:?}");
        let mut e = e.unwrap();
        e.record.parties = csv.map(|c| parties::parse(Path::new("t.parties.csv"), c).0.unwrap());
        e
    }

    const CSV: &str = "state,signed,consent,kind,withdrawn,note\n\
                       A,2000-01-01,2002-01-01,ratification,,\n\
                       B,2000-01-01,,,,\n\
                       C,,2001-01-01,accession,2003-01-01,\n\
                       U,,,,,unverified\n";

    #[test]
    fn states_on_a_date() {
        let e = treaty("name: T\nin_force: 2002-06-01\n", Some(CSV));
        let p = e.record.parties.as_ref();
        let on = |s, day| state_on(p, s, d(day)).text;
        assert_eq!(
            on("A", "2001-01-01"),
            "signatory only (signed 1 January 2000)"
        );
        assert_eq!(on("A", "2002-01-01"), "party since 1 January 2002");
        assert_eq!(
            on("C", "2003-01-01"),
            "not a party (withdrew 1 January 2003)"
        );
        assert_eq!(on("U", "2003-01-01"), "no dated record (see the note)");
        assert_eq!(on("Z", "2003-01-01"), "not a party");
        assert_eq!(state_on(None, "A", d("2003-01-01")).standing, "unknown");
        // Without parties_as_of the status is for the newest date in the file.
        assert_eq!(as_of(&e), Some(d("2003-01-01")));
        assert_eq!(
            status_text(&e, d("2003-01-01")),
            "In force since 1 June 2002"
        );
        assert_eq!(status_text(&e, d("2002-05-31")), "Not yet in force");
    }

    #[test]
    fn a_card_then_and_later() {
        let e = treaty(
            "name: T\nin_force: 2002-06-01\nparties_as_of: 2010-01-01\n",
            Some(CSV),
        );
        let states = ["A".to_string(), "Z".to_string()];
        assert_eq!(
            card_on(&e, d("2001-06-01"), &states, &Text::new()).unwrap(),
            "When this was written (1 June 2001): Not yet in force; 1 party; A: signatory only (signed 1 January 2000); Z: not a party. \
             As of 1 January 2010: In force since 1 June 2002; 1 party; A: party since 1 January 2002; Z: not a party"
        );
        // Written after the status date: nothing later to add.
        assert_eq!(
            card_on(&e, d("2011-01-01"), &states, &Text::new()).unwrap(),
            "When this was written (1 January 2011): In force since 1 June 2002; 1 party; A: party since 1 January 2002; Z: not a party"
        );
        let bare = treaty("name: T\n", None);
        assert!(card_on(&bare, d("2011-01-01"), &states, &Text::new()).is_none());
        assert!(card_now(&bare, &states, &Text::new()).is_none());
        assert_eq!(
            card_now(&e, &states, &Text::new()).unwrap(),
            "As of 1 January 2010: In force since 1 June 2002; 1 party; A: party since 1 January 2002; Z: not a party"
        );
    }
}
