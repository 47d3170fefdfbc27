//! The history of a case: every entry of a range with what it did and the
//! running balance, filtered and cut into pages, plus the totals that tie
//! the opening balance to the closing one.

use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, Field, Problem};
use crate::ledger::{EntryKind, Line, Money, ObligationKind, Position, Statement};
use crate::reader::CaseRole;
use crate::reading::{self, Problems};

/// Lines per page of the history.
pub const PAGE_SIZE: usize = 50;

/// What a line is, as the history's filter offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// Support that fell due.
    Due,
    /// Payments.
    Received,
    /// A caseworker's correction of what is owed.
    Adjustment,
    /// An entry taken back.
    Reversal,
    /// Money sent on to the receiving parent, held or released.
    Sent,
}

impl LineKind {
    pub const ALL: [LineKind; 5] = [
        LineKind::Due,
        LineKind::Received,
        LineKind::Adjustment,
        LineKind::Reversal,
        LineKind::Sent,
    ];

    pub fn of(kind: &EntryKind) -> Self {
        match kind {
            EntryKind::Charge { .. } => LineKind::Due,
            EntryKind::Payment { .. } => LineKind::Received,
            EntryKind::Adjustment => LineKind::Adjustment,
            EntryKind::Reversal { .. } => LineKind::Reversal,
            EntryKind::Disbursement | EntryKind::Hold | EntryKind::Release | EntryKind::Fee => {
                LineKind::Sent
            }
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Due => "due",
            LineKind::Received => "received",
            LineKind::Adjustment => "adjustment",
            LineKind::Reversal => "reversal",
            LineKind::Sent => "sent",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// Which lines of which dates, as the history's form asks for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Filter {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub kind: Option<LineKind>,
    /// Only charges of this obligation.
    pub obligation: Option<ObligationKind>,
}

impl Filter {
    /// Reads the form: empty dates default to the last 24 months (from the
    /// first of the month), anything unreadable is an error at its field.
    /// Dates are kept to the case's `life`: a day before its opening or
    /// after today is moved to it, a year no case can have lived (before
    /// 1975, after this year, signed, five digits) is refused, so no request
    /// builds more than the case's own months.
    pub fn read(
        from: Option<&str>,
        to: Option<&str>,
        kind: Option<&str>,
        obligation: Option<&str>,
        life: Life,
    ) -> Result<Self, AppError> {
        let mut problems = Problems::default();
        let from = match chosen(from) {
            None => Some(default_from(life.today)),
            Some(text) => problems.take(Field::From, life.day(text)),
        };
        let to = match chosen(to) {
            None => Some(life.today),
            Some(text) => problems.take(Field::To, life.day(text)),
        };
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                problems.add(Field::To, Problem::EndsBeforeStart);
            }
        }
        let dates = from
            .zip(to)
            .map(|(from, to)| (life.clamp(from), life.clamp(to)));
        // Unknown filter values come only from edited URLs: show everything.
        problems.finish(dates).map(|(from, to)| Self {
            from,
            to,
            kind: chosen(kind).and_then(LineKind::parse),
            obligation: chosen(obligation).and_then(ObligationKind::parse),
        })
    }

    /// The lines it keeps.
    fn keeps(&self, line: &Line) -> bool {
        let kind_matches = self
            .kind
            .is_none_or(|kind| kind == LineKind::of(&line.kind));
        let obligation_matches = self.obligation.is_none_or(
            |wanted| matches!(line.kind, EntryKind::Charge { obligation } if obligation == wanted),
        );
        kind_matches && obligation_matches
    }
}

/// The federal child support program (Title IV-D of the Social Security
/// Act) began in 1975: no case's ledger holds a day before it.
const FIRST_CASE_YEAR: i32 = 1975;

/// The days a case has lived: from its opening to today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Life {
    opened_on: NaiveDate,
    today: NaiveDate,
}

impl Life {
    pub fn new(opened_on: NaiveDate, today: NaiveDate) -> Self {
        Self {
            opened_on: opened_on.min(today),
            today,
        }
    }

    /// A day typed into a range: from the first year any case could have
    /// (`from=2000-01-01` means "from the start", and is moved to it) to
    /// this year, or refused.
    fn day(&self, text: &str) -> Result<NaiveDate, Problem> {
        let day = reading::date(text)?;
        if day.year() < FIRST_CASE_YEAR {
            Err(Problem::BeforeCaseOpened)
        } else if day.year() > self.today.year() {
            Err(Problem::InTheFuture)
        } else {
            Ok(day)
        }
    }

    fn clamp(&self, day: NaiveDate) -> NaiveDate {
        day.clamp(self.opened_on, self.today)
    }
}

/// A form value, unless it is empty.
fn chosen(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

/// The first day of the month 24 months before `today`'s.
pub fn default_from(today: NaiveDate) -> NaiveDate {
    let first = today.with_day(1).unwrap_or(today);
    first.checked_sub_months(Months::new(23)).unwrap_or(first)
}

/// A statement line with what a person needs to read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryLine {
    pub line: Line,
    /// What it did to the balance (the running balance's step).
    pub change: Money,
    /// The caseworker's note: why an adjustment, reversal or hold.
    pub note: Option<String>,
    /// For a reversal: the date and kind of the entry it took back.
    pub reverses: Option<(NaiveDate, LineKind)>,
}

/// Sums of the lines a filter kept (all pages).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub due: Money,
    pub received: Money,
    pub paid_current: Money,
    pub paid_past_due: Money,
    /// What reversals took back (positive: the balance went up).
    pub reversed: Money,
    /// Sent on to the receiving parent.
    pub sent: Money,
    /// Put on hold, less what was released.
    pub held: Money,
    /// Sum of every line's change: unfiltered, opening + change = closing.
    pub change: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    pub case_number: String,
    pub role: CaseRole,
    pub opened_on: NaiveDate,
    pub filter: Filter,
    pub opening: Position,
    pub closing: Position,
    pub totals: Totals,
    /// This page's lines, newest first.
    pub lines: Vec<HistoryLine>,
    /// 1-based.
    pub page: u32,
    pub pages: u32,
    /// Lines the filter kept, on all pages.
    pub matching: u32,
    pub as_of: chrono::NaiveDateTime,
}

/// Every line of `statement` that `filter` keeps, oldest first, with its
/// change, note and what it reverses, and their totals.
pub fn annotate(
    statement: &Statement,
    filter: &Filter,
    note: impl Fn(i64) -> Option<String>,
    kinds: &HashMap<i64, (NaiveDate, LineKind)>,
) -> (Vec<HistoryLine>, Totals) {
    let mut previous = statement.opening.balance;
    let mut totals = Totals::default();
    let mut kept = Vec::new();
    for line in &statement.lines {
        let change = line.running_balance - previous;
        previous = line.running_balance;
        if !filter.keeps(line) {
            continue;
        }
        totals.due += line.due;
        totals.received += line.received;
        totals.paid_current += line.paid_current;
        totals.paid_past_due += line.paid_past_due;
        totals.sent += line.sent;
        totals.held += line.held;
        totals.change += change;
        let reverses = match line.kind {
            EntryKind::Reversal { reverses } => {
                totals.reversed += change;
                kinds.get(&reverses).copied()
            }
            _ => None,
        };
        kept.push(HistoryLine {
            line: line.clone(),
            change,
            note: note(line.entry),
            reverses,
        });
    }
    (kept, totals)
}

/// Page `page` (1-based, clamped) of `lines`, newest first, and the number
/// of pages.
pub fn page_of(lines: &[HistoryLine], page: u32) -> (Vec<HistoryLine>, u32, u32) {
    let pages = lines.len().div_ceil(PAGE_SIZE).max(1);
    let page = (page.max(1) as usize).min(pages);
    let newest_first = lines.iter().rev();
    let shown = newest_first
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .cloned()
        .collect();
    (
        shown,
        u32::try_from(page).unwrap_or(1),
        u32::try_from(pages).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::testing::date;
    use crate::ledger::{Entry, PaymentSource};

    #[test]
    fn empty_dates_mean_the_last_24_months_and_bad_ones_are_named() {
        let today = date(2026, 11, 25);
        let life = Life::new(date(2019, 3, 14), today);
        let filter = Filter::read(None, Some(""), Some("received"), None, life);
        assert_eq!(
            filter,
            Ok(Filter {
                from: date(2024, 12, 1),
                to: today,
                kind: Some(LineKind::Received),
                obligation: None,
            })
        );
        let bad = Filter::read(Some("2026-13-01"), Some("soon"), None, None, life);
        assert_eq!(
            bad.as_ref().err().and_then(|e| e.problem_with(Field::From)),
            Some(Problem::NotADate)
        );
        assert_eq!(
            bad.as_ref().err().and_then(|e| e.problem_with(Field::To)),
            Some(Problem::NotADate)
        );
        let backwards = Filter::read(Some("2026-05-01"), Some("2026-04-30"), None, None, life);
        assert_eq!(
            backwards.err().and_then(|e| e.problem_with(Field::To)),
            Some(Problem::EndsBeforeStart)
        );
    }

    #[test]
    fn a_range_is_kept_to_the_case_s_life() {
        let today = date(2026, 11, 25);
        let life = Life::new(date(2019, 3, 14), today);
        let problem = |from: &str, to: &str, field| {
            Filter::read(Some(from), Some(to), None, None, life)
                .err()
                .and_then(|e| e.problem_with(field))
        };
        // Years the case did not live, however they are written.
        for (year, problem_at_from) in [
            ("0001-01-01", Problem::BeforeCaseOpened),
            ("1974-12-31", Problem::BeforeCaseOpened),
            ("2027-01-01", Problem::InTheFuture),
            ("9999-12-31", Problem::InTheFuture),
        ] {
            assert_eq!(
                problem(year, "", Field::From),
                Some(problem_at_from),
                "{year}"
            );
        }
        for written in [
            "+2020-01-01",
            "-0001-01-01",
            "12026-01-01",
            "+262143-12-31",
            "2020-1-01",
        ] {
            assert_eq!(
                problem(written, "", Field::From),
                Some(Problem::NotADate),
                "{written}"
            );
            assert_eq!(
                problem("", written, Field::To),
                Some(Problem::NotADate),
                "{written}"
            );
        }
        assert_eq!(
            problem("2020-01-01", "2031-01-01", Field::To),
            Some(Problem::InTheFuture)
        );
        // Other days are moved to its first and last day: "from 2000" is
        // "from the start".
        let whole = Filter::read(Some("2000-01-01"), Some("2026-12-31"), None, None, life);
        assert_eq!(
            whole.map(|f| (f.from, f.to)),
            Ok((date(2019, 3, 14), today))
        );
        let young = Life::new(date(2026, 6, 2), today);
        let default = Filter::read(None, None, None, None, young);
        assert_eq!(default.map(|f| f.from), Ok(date(2026, 6, 2)));
    }

    #[test]
    fn totals_tie_the_opening_to_the_closing_and_pages_run_newest_first() {
        let charge = EntryKind::Charge {
            obligation: ObligationKind::ChildSupport,
        };
        let payment = EntryKind::Payment {
            source: PaymentSource::Direct,
        };
        let mut entries = Vec::new();
        for month in 1..=12u32 {
            let id = i64::from(month) * 10;
            let on = date(2025, month, 1);
            entries.push(Entry {
                id,
                key: format!("c{month}"),
                kind: charge,
                amount: Money::from_cents(40_000),
                effective: on,
            });
            entries.push(Entry {
                id: id + 1,
                key: format!("p{month}"),
                kind: payment,
                amount: Money::from_cents(35_000),
                effective: on,
            });
        }
        // March's payment bounced.
        entries.push(Entry {
            id: 500,
            key: "r".into(),
            kind: EntryKind::Reversal { reverses: 31 },
            amount: Money::ZERO,
            effective: date(2025, 3, 20),
        });
        let statement = Statement::build(&entries, date(2025, 2, 1), date(2025, 12, 31));
        let all = Filter {
            from: statement.from,
            to: statement.to,
            kind: None,
            obligation: None,
        };
        let kinds = HashMap::from([(31, (date(2025, 3, 1), LineKind::Received))]);
        let (lines, totals) = annotate(&statement, &all, |_| None, &kinds);
        assert_eq!(lines.len(), 23);
        assert_eq!(
            statement.opening.balance + totals.change,
            statement.closing.balance
        );
        assert_eq!(
            totals.change,
            totals.due - totals.received + totals.reversed
        );
        assert_eq!(totals.reversed, Money::from_cents(35_000));
        let reversal = lines.iter().find(|l| l.line.entry == 500);
        assert_eq!(
            reversal.and_then(|l| l.reverses),
            Some((date(2025, 3, 1), LineKind::Received))
        );

        let payments = Filter {
            kind: Some(LineKind::Received),
            ..all
        };
        let (received, _) = annotate(&statement, &payments, |_| None, &kinds);
        assert_eq!(received.len(), 11);

        let (first, page, pages) = page_of(&lines, 1);
        assert_eq!((page, pages), (1, 1));
        assert_eq!(first.first().map(|l| l.line.date), Some(date(2025, 12, 1)));
        let many: Vec<HistoryLine> = std::iter::repeat_n(lines[0].clone(), 120).collect();
        let (last, page, pages) = page_of(&many, 9);
        assert_eq!(
            (last.len(), page, pages),
            (20, 3, 3),
            "clamped to the last page"
        );
    }
}
