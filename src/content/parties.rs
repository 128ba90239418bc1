//! A treaty's parties as data: `content/glossary/treaties/<slug>.parties.csv`, and what they
//! say on a given date.
//!
//! [`parse`] is a pure function from the file's text to [`Parties`] plus every problem of the
//! file at once, each at its PATH:LINE:COL (the column is that of the cell, counted in
//! characters, as an editor shows it). The csv crate splits the records; the cells' columns
//! are found by re-reading the raw record, because the crate reports a record's position only.
//!
//! The status functions ([`Party::standing`], [`Parties::counts`], [`Parties::steps`]) follow
//! the contract in CONTENT-FORMAT.md ("Treaty parties and status"): on a date a state is a
//! *party* if its consent is on or before that date and it has not withdrawn by then, and a
//! *signatory* if it signed on or before that date and had not consented by then; a state
//! that joined and later withdrew is neither.

use super::Date;
use crate::codes;
use crate::error::{did_you_mean, Diagnostic, LineIndex};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The columns of a parties file, in the order the contract lists them.
pub const COLUMNS: [&str; 7] = [
    "state",
    "signed",
    "consent",
    "kind",
    "in_force",
    "withdrawn",
    "note",
];

/// How a state expressed its consent to be bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConsentKind {
    /// Ratification.
    Ratification,
    /// Accession.
    Accession,
    /// Acceptance.
    Acceptance,
    /// Approval.
    Approval,
    /// Succession.
    Succession,
}

impl ConsentKind {
    const ALL: [ConsentKind; 5] = [
        ConsentKind::Ratification,
        ConsentKind::Accession,
        ConsentKind::Acceptance,
        ConsentKind::Approval,
        ConsentKind::Succession,
    ];

    /// The word as the file writes it: `ratification`, `accession`, …
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentKind::Ratification => "ratification",
            ConsentKind::Accession => "accession",
            ConsentKind::Acceptance => "acceptance",
            ConsentKind::Approval => "approval",
            ConsentKind::Succession => "succession",
        }
    }

    fn parse(s: &str) -> Option<ConsentKind> {
        ConsentKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One state's row.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Party {
    /// The state, as named in `states:`.
    pub state: String,
    /// Signature.
    pub signed: Option<Date>,
    /// Deposit of its consent to be bound.
    pub consent: Option<Date>,
    /// How it consented; set exactly when `consent` is.
    pub kind: Option<ConsentKind>,
    /// Entry into force for this state.
    pub in_force: Option<Date>,
    /// The date its withdrawal took effect.
    pub withdrawn: Option<Date>,
    /// Free text.
    pub note: String,
}

/// Where a state stands on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Standing {
    /// Bound since its consent (the treaty may not be in force yet).
    Party {
        /// Its consent.
        since: Date,
    },
    /// Signed, not (yet) consented.
    Signatory {
        /// Its signature.
        since: Date,
    },
    /// Consented and withdrew.
    Withdrawn {
        /// When the withdrawal took effect.
        on: Date,
    },
    /// None of these (yet), or nothing is known.
    Outside,
}

impl Party {
    /// Where this state stands on `date`.
    pub fn standing(&self, date: Date) -> Standing {
        let by = |d: Option<Date>| d.filter(|&d| d <= date);
        match (by(self.signed), by(self.consent), by(self.withdrawn)) {
            (_, Some(_), Some(on)) => Standing::Withdrawn { on },
            (_, Some(since), None) => Standing::Party { since },
            (Some(since), None, _) => Standing::Signatory { since },
            (None, None, _) => Standing::Outside,
        }
    }
}

/// The number of parties and of signatories on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Counts {
    /// States bound.
    pub parties: usize,
    /// States that signed and have not consented.
    pub signatories: usize,
}

/// A treaty's parties file, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Parties {
    /// The file, as the user names it.
    pub path: PathBuf,
    /// One row per state, in file order.
    pub rows: Vec<Party>,
}

impl Parties {
    /// The row of `state`, if the file has one.
    pub fn state(&self, state: &str) -> Option<&Party> {
        self.rows.iter().find(|p| p.state == state)
    }

    /// The number of parties and of signatories on `date`.
    pub fn counts(&self, date: Date) -> Counts {
        let mut c = Counts::default();
        for p in &self.rows {
            match p.standing(date) {
                Standing::Party { .. } => c.parties += 1,
                Standing::Signatory { .. } => c.signatories += 1,
                Standing::Withdrawn { .. } | Standing::Outside => {}
            }
        }
        c
    }

    /// The number of parties over time: one `(date, parties on that date)` per date on which
    /// the number changes (a consent or a withdrawal), oldest first. Dates on which the count
    /// ends where it started (a consent and a withdrawal the same day) are kept, so that the
    /// steps name every dated change.
    pub fn steps(&self) -> Vec<(Date, usize)> {
        let mut dates: Vec<Date> = self
            .rows
            .iter()
            .flat_map(|p| [p.consent, p.withdrawn.filter(|_| p.consent.is_some())])
            .flatten()
            .collect();
        dates.sort();
        dates.dedup();
        dates
            .into_iter()
            .map(|d| (d, self.counts(d).parties))
            .collect()
    }
}

/// The parties file of the treaty entry at `entry` (`x.md` → `x.parties.csv`).
pub fn beside(entry: &Path) -> PathBuf {
    entry.with_extension("parties.csv")
}

/// The treaty entry a parties file belongs to (`x.parties.csv` → `x.md`), if `path` names one.
pub fn owner(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let stem = name.strip_suffix(".parties.csv")?;
    (!stem.is_empty()).then(|| path.with_file_name(format!("{stem}.md")))
}

/// The cells of the record that starts at byte `start` of `text`, as found by re-reading it
/// the way the csv crate does (a quote opens a quoted cell only at the start of a cell).
struct Cells {
    /// Byte offset of each cell's first byte, its opening quote included.
    starts: Vec<usize>,
    /// The opening quote of a cell still open at the end of the file: the csv crate reads
    /// such a cell to the end without complaint, swallowing every row after it.
    unclosed: Option<usize>,
}

fn cells(text: &str, start: usize) -> Cells {
    #[derive(Clone, Copy)]
    enum S {
        CellStart,
        Plain,
        Quoted(usize),
        QuoteInQuoted(usize),
    }
    let mut state = S::CellStart;
    let mut starts = vec![start];
    for (i, &b) in text.as_bytes().iter().enumerate().skip(start) {
        state = match (state, b) {
            (S::Quoted(open), b'"') => S::QuoteInQuoted(open),
            (S::Quoted(open), _) => S::Quoted(open),
            // `""` inside a quoted cell is a quote.
            (S::QuoteInQuoted(open), b'"') => S::Quoted(open),
            (S::CellStart, b'"') => S::Quoted(i),
            (_, b',') => {
                starts.push(i + 1);
                S::CellStart
            }
            (_, b'\n' | b'\r') => break,
            _ => S::Plain,
        };
    }
    let unclosed = match state {
        S::Quoted(open) => Some(open),
        _ => None,
    };
    Cells { starts, unclosed }
}

/// Parses a parties file. Every problem is reported; `None` when there was any error.
pub fn parse(path: &Path, text: &str) -> (Option<Parties>, Vec<Diagnostic>) {
    // The csv crate would skip a byte-order mark itself; removing it here keeps the offsets
    // it reports and the ones `cell_starts` computes in the same text.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let index = LineIndex::new(text);
    let mut diags = Vec::new();
    let at = |offset: usize| index.line_col(text, offset);
    let mut err = |code, offset: usize, msg: String| {
        let (line, col) = at(offset);
        diags.push(Diagnostic::error(code, path, line, col, msg));
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        None => {
            err(
                codes::PARTIES_FORMAT,
                0,
                format!(
                    "the parties file is empty; start it with the header row `{}`",
                    COLUMNS.join(",")
                ),
            );
            return (None, diags);
        }
        Some(Err(e)) => {
            err(codes::PARTIES_FORMAT, csv_offset(&e), csv_message(&e));
            return (None, diags);
        }
        Some(Ok(h)) => h,
    };
    let header_starts = cells(text, 0).starts;
    // Column index in the file → index in COLUMNS.
    let mut map: Vec<Option<usize>> = Vec::new();
    let mut seen: HashMap<usize, usize> = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        let offset = header_starts.get(i).copied().unwrap_or(0);
        let name = name.trim();
        match COLUMNS.iter().position(|c| *c == name) {
            Some(c) if seen.contains_key(&c) => {
                err(
                    codes::PARTIES_FORMAT,
                    offset,
                    format!("the column `{name}` appears twice in the header; keep one"),
                );
                map.push(None);
            }
            Some(c) => {
                seen.insert(c, i);
                map.push(Some(c));
            }
            None => {
                err(
                    codes::PARTIES_FORMAT,
                    offset,
                    format!(
                        "unknown column `{name}`{}; the columns are {} (any order; put free text in `note`)",
                        did_you_mean(name, COLUMNS),
                        COLUMNS.join(", ")
                    ),
                );
                map.push(None);
            }
        }
    }
    let has_state = seen.contains_key(&0);
    if !has_state {
        err(
            codes::PARTIES_FORMAT,
            0,
            "the header has no `state` column; add it (every row names its state)".into(),
        );
    }
    let mut rows = Vec::new();
    let mut states: HashMap<String, usize> = HashMap::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                err(codes::PARTIES_FORMAT, csv_offset(&e), csv_message(&e));
                continue;
            }
        };
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let Cells { starts, unclosed } = cells(text, start);
        if let Some(open) = unclosed {
            err(
                codes::PARTIES_FORMAT,
                open,
                "this quote is never closed, so the rest of the file is read as one cell; close it with `\"` (a quote inside a quoted cell is written `\"\"`)".into(),
            );
            break;
        }
        let cell_at = |i: usize| starts.get(i).copied().unwrap_or(start);
        if record.len() != header.len() {
            // A blank line between rows is not a record to the csv crate; a row of one empty
            // cell is the only way to get here with nothing written, and it is still wrong.
            let (offset, msg) = if record.len() > header.len() {
                (
                    cell_at(header.len()),
                    format!(
                        "this row has {} cells but the header has {}; remove the extra cells, or quote a cell that contains a comma",
                        record.len(),
                        header.len()
                    ),
                )
            } else {
                (
                    start,
                    format!(
                        "this row has {} cell{} but the header has {}; add the missing cells (empty ones are written as nothing between commas)",
                        record.len(),
                        if record.len() == 1 { "" } else { "s" },
                        header.len()
                    ),
                )
            };
            err(codes::PARTIES_FORMAT, offset, msg);
            continue;
        }
        // Cells by contract column: (text, offset).
        let mut cells: [(&str, usize); 7] = [("", start); 7];
        for (i, value) in record.iter().enumerate() {
            if let Some(Some(c)) = map.get(i) {
                cells[*c] = (value.trim(), cell_at(i));
            }
        }
        let mut ok = true;
        let mut date = |c: usize, err: &mut dyn FnMut(codes::Code, usize, String)| {
            let (value, offset) = cells[c];
            if value.is_empty() {
                return None;
            }
            match Date::parse(value) {
                Ok(d) => Some(d),
                Err(e) => {
                    ok = false;
                    err(codes::BAD_DATE, offset, format!("`{}`: {e}", COLUMNS[c]));
                    None
                }
            }
        };
        let signed = date(1, &mut err);
        let consent = date(2, &mut err);
        let in_force = date(4, &mut err);
        let withdrawn = date(5, &mut err);
        let (state, state_at) = cells[0];
        if state.is_empty() {
            ok = false;
            // Without a `state` column every row would say so again.
            if !has_state {
                continue;
            }
            err(
                codes::PARTIES_FORMAT,
                state_at,
                "the `state` cell is empty; name the state as `states:` in scholia.yaml does"
                    .into(),
            );
        } else if let Some(first) = states.get(state) {
            ok = false;
            err(
                codes::DUPLICATE_STATE,
                state_at,
                format!("`{state}` already has a row (line {first}); keep one row per state"),
            );
        } else {
            states.insert(state.to_string(), at(start).0);
        }
        let (kind_text, kind_at) = cells[3];
        // An unknown kind is reported once, not again as a kind without a consent.
        let mut kind_bad = false;
        let kind = if kind_text.is_empty() {
            None
        } else if let Some(k) = ConsentKind::parse(kind_text) {
            Some(k)
        } else {
            kind_bad = true;
            ok = false;
            err(
                codes::PARTIES_FORMAT,
                kind_at,
                format!(
                    "`kind` is `{kind_text}`{}; write one of {} (lower case), or nothing",
                    did_you_mean(kind_text, ConsentKind::ALL.map(ConsentKind::as_str)),
                    ConsentKind::ALL.map(ConsentKind::as_str).join(", ")
                ),
            );
            None
        };
        let mut rule = |offset: usize, msg: String| {
            ok = false;
            err(codes::PARTY_DATES, offset, msg);
        };
        // Only a cell that was written is checked against the others: a bad date has already
        // been reported and would otherwise look empty here.
        match (kind_text.is_empty(), cells[2].0.is_empty()) {
            (false, true) if !kind_bad => rule(
                kind_at,
                format!("`kind` is `{kind_text}` but `consent` is empty; give the date the instrument was deposited, or leave `kind` empty"),
            ),
            (true, false) => rule(
                cells[2].1,
                "`consent` has a date but `kind` is empty; say how the state consented (ratification, accession, acceptance, approval or succession)".into(),
            ),
            _ => {}
        }
        if let (Some(s), Some(c)) = (signed, consent) {
            if c < s {
                rule(
                    cells[2].1,
                    format!("`consent` ({c}) is before `signed` ({s}); a state consents on or after signing (an accession has no signature: leave `signed` empty)"),
                );
            }
        }
        match (consent, withdrawn) {
            (Some(c), Some(w)) if w < c => rule(
                cells[5].1,
                format!("`withdrawn` ({w}) is before `consent` ({c}); a state can withdraw only after it has consented"),
            ),
            (None, Some(w)) if cells[2].0.is_empty() => rule(
                cells[5].1,
                format!("`withdrawn` ({w}) is set but `consent` is empty; only a state that consented can withdraw (a signature is not withdrawn: leave `withdrawn` empty)"),
            ),
            _ => {}
        }
        if ok {
            rows.push(Party {
                state: state.to_string(),
                signed,
                consent,
                kind,
                in_force,
                withdrawn,
                note: cells[6].0.to_string(),
            });
        }
    }
    if diags.is_empty() {
        let parties = Parties {
            path: path.to_path_buf(),
            rows,
        };
        (Some(parties), diags)
    } else {
        (None, diags)
    }
}

/// Where the csv crate found a problem (the start of the record), as a byte offset.
fn csv_offset(e: &csv::Error) -> usize {
    e.position().map_or(0, |p| p.byte() as usize)
}

/// The csv crate's message, with how to fix the usual cause.
fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => {
            "this row is not valid UTF-8; save the file with UTF-8 encoding".into()
        }
        _ => format!("this row cannot be read as CSV ({e}); check its quotes: a cell with a comma or a quote is written \"like \"\"this\"\"\""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn ok(text: &str) -> Parties {
        let (p, diags) = parse(Path::new("t.parties.csv"), text);
        assert!(diags.is_empty(), "{diags:?}");
        p.unwrap()
    }

    fn errors(text: &str) -> Vec<String> {
        let (p, diags) = parse(Path::new("t.parties.csv"), text);
        assert!(p.is_none());
        diags.iter().map(ToString::to_string).collect()
    }

    /// Signed 2000, consented 2002, withdrew 2010 (A); signed 2001 only (B); acceded 2005 (C).
    const THREE: &str = "state,signed,consent,kind,in_force,withdrawn,note\n\
        A,2000-01-01,2002-03-04,ratification,2002-04-03,2010-06-30,\n\
        B,2001-05-05,,,,,signed only\n\
        C,,2005-07-01,accession,2005-08-01,,\"joined, late\"\n";

    #[test]
    fn standing_follows_the_contract() {
        let p = ok(THREE);
        let a = p.state("A").unwrap();
        assert_eq!(a.standing(d("1999-12-31")), Standing::Outside);
        assert_eq!(
            a.standing(d("2000-01-01")),
            Standing::Signatory {
                since: d("2000-01-01")
            }
        );
        assert_eq!(
            a.standing(d("2002-03-04")),
            Standing::Party {
                since: d("2002-03-04")
            }
        );
        assert_eq!(
            a.standing(d("2010-06-29")),
            Standing::Party {
                since: d("2002-03-04")
            }
        );
        // Joined and later withdrew: neither a party nor a signatory.
        assert_eq!(
            a.standing(d("2010-06-30")),
            Standing::Withdrawn {
                on: d("2010-06-30")
            }
        );
        assert_eq!(p.state("C").unwrap().note, "joined, late");
        assert!(p.state("D").is_none());
    }

    #[test]
    fn counts_on_dates() {
        let p = ok(THREE);
        let c = |s| p.counts(d(s));
        assert_eq!(c("1999-01-01"), Counts::default());
        assert_eq!(
            c("2001-06-01"),
            Counts {
                parties: 0,
                signatories: 2
            }
        );
        assert_eq!(
            c("2002-03-04"),
            Counts {
                parties: 1,
                signatories: 1
            }
        );
        assert_eq!(
            c("2005-07-01"),
            Counts {
                parties: 2,
                signatories: 1
            }
        );
        assert_eq!(
            c("2010-06-30"),
            Counts {
                parties: 1,
                signatories: 1
            }
        );
        assert_eq!(
            p.steps(),
            vec![
                (d("2002-03-04"), 1),
                (d("2005-07-01"), 2),
                (d("2010-06-30"), 1)
            ]
        );
    }

    #[test]
    fn columns_in_any_order_and_optional() {
        let p = ok("note,consent,state,kind\n x ,1999-01-01,Z,succession\r\n");
        let z = p.state("Z").unwrap();
        assert_eq!(z.kind, Some(ConsentKind::Succession));
        assert_eq!(z.note, "x");
        assert!(ok("\u{feff}state\n").rows.is_empty());
    }

    #[test]
    fn every_problem_at_its_cell() {
        let text = "state,signed,consnt,kind\n\
            A,2001-02-30,,\n\
            A,,,accession\n\
            \"B, the\",2002-01-01,,x\n";
        let e = errors(text);
        assert_eq!(
            e,
            [
                "error: t.parties.csv:1:14: unknown column `consnt`; did you mean `consent`?; the columns are state, signed, consent, kind, in_force, withdrawn, note (any order; put free text in `note`)",
                "error: t.parties.csv:2:3: `signed`: `2001-02-30` is not a real date: February 2001 has 28 days",
                "error: t.parties.csv:3:1: `A` already has a row (line 2); keep one row per state",
                "error: t.parties.csv:3:5: `kind` is `accession` but `consent` is empty; give the date the instrument was deposited, or leave `kind` empty",
                "error: t.parties.csv:4:22: `kind` is `x`; write one of ratification, accession, acceptance, approval, succession (lower case), or nothing",
            ]
        );
    }

    #[test]
    fn date_order_and_pairing() {
        let e = errors(
            "state,signed,consent,kind,withdrawn\n\
             A,2002-01-01,2001-01-01,ratification,\n\
             B,,2001-01-01,accession,2000-01-01\n\
             C,,2001-01-01,,\n\
             D,2000-01-01,,,2001-01-01\n\
             E,1,2\n",
        );
        assert_eq!(e.len(), 5, "{e:#?}");
        assert!(e[0]
            .starts_with("error: t.parties.csv:2:14: `consent` (2001-01-01) is before `signed`"));
        assert!(e[1].starts_with(
            "error: t.parties.csv:3:25: `withdrawn` (2000-01-01) is before `consent`"
        ));
        assert!(
            e[2].starts_with("error: t.parties.csv:4:4: `consent` has a date but `kind` is empty")
        );
        assert!(e[3].starts_with(
            "error: t.parties.csv:5:16: `withdrawn` (2001-01-01) is set but `consent` is empty"
        ));
        assert!(
            e[4].starts_with("error: t.parties.csv:6:1: this row has 3 cells but the header has 5")
        );
    }

    #[test]
    fn header_problems_and_broken_csv() {
        assert_eq!(
            errors("signed,signed\n"),
            [
                "error: t.parties.csv:1:8: the column `signed` appears twice in the header; keep one",
                "error: t.parties.csv:1:1: the header has no `state` column; add it (every row names its state)",
            ]
        );
        assert!(errors("")[0].contains("the parties file is empty"));
        let e = errors("state,note\nA,\"x\"y,z\n");
        assert!(e[0].starts_with("error: t.parties.csv:2:"), "{e:?}");
    }

    #[test]
    fn quoted_cells_keep_columns() {
        assert_eq!(cells("a,\"b,\"\"c\",d\ne", 0).starts, vec![0, 2, 10]);
        assert_eq!(cells("x\r\n\"a\nb\",c", 3).starts, vec![3, 9]);
        // A quote inside a plain cell is a character, not an opening.
        assert_eq!(cells("5\" disk,b", 0).starts, vec![0, 8]);
        assert_eq!(cells("a,\"open\nb,c", 0).unclosed, Some(2));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, ..Default::default() })]

        /// Any text of CSV-ish pieces: no panic, and every problem has a position in the file
        /// (a line that exists, a column from 1).
        #[test]
        fn any_input_gets_positioned_answers(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "state", "signed", "consent", "kind", "withdrawn", "note", ",", "\"", "\"\"",
                    "\n", "\r\n", "\u{feff}", "China", "2001-02-03", "2001-02-30", "accession",
                    "é", " ", "x",
                ]),
                0..40,
            )
        ) {
            let text: String = pieces.concat();
            let (parties, diags) = parse(Path::new("p.csv"), &text);
            let lines = text.lines().count().max(1);
            for d in &diags {
                proptest::prop_assert!(d.line >= 1 && d.line <= lines + 1 && d.col >= 1, "{d}");
            }
            proptest::prop_assert_eq!(parties.is_some(), diags.is_empty());
        }
    }

    #[test]
    fn owner_and_beside() {
        let md = Path::new("content/glossary/treaties/x.md");
        assert_eq!(
            beside(md),
            Path::new("content/glossary/treaties/x.parties.csv")
        );
        assert_eq!(owner(&beside(md)).as_deref(), Some(md));
        assert_eq!(owner(Path::new("a/.parties.csv")), None);
        assert_eq!(owner(Path::new("a/x.csv")), None);
    }
}
