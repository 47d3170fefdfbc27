//! A statement of a case for any range of dates: every entry with what it
//! did and the running balance, a summary per month, and totals per
//! obligation. Derived from the entries every time; never stored.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::allocation::{Allocation, Bucket, Walk};
use super::entry::{Entry, EntryKind, ObligationKind};
use super::money::Money;

/// Where a case stands at the end of a day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// Owed by the paying parent; negative when the case is in credit.
    pub balance: Money,
    /// Past-due support (arrears).
    pub past_due: Money,
    /// Received and not yet needed.
    pub credit: Money,
}

impl Position {
    pub fn of(allocation: &Allocation) -> Self {
        Self {
            balance: allocation.balance(),
            past_due: allocation.past_due(),
            credit: allocation.credit(),
        }
    }
}

/// One entry as a statement shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub entry: i64,
    pub date: NaiveDate,
    pub kind: EntryKind,
    /// What fell due (a charge, or an adjustment adding to what is owed).
    pub due: Money,
    /// What came in (a payment, or an adjustment reducing what is owed).
    pub received: Money,
    pub paid_current: Money,
    pub paid_past_due: Money,
    /// Kept as credit when it came in (it pays later charges as they fall due).
    pub to_credit: Money,
    /// For a charge: how much of it a credit kept from earlier paid.
    pub paid_from_credit: Money,
    pub running_balance: Money,
    /// Cancelled by a reversal on or before the statement's end.
    pub reversed: bool,
}

/// One calendar month of a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Month {
    /// The first day of the month.
    pub month: NaiveDate,
    pub due: Money,
    pub received: Money,
    pub paid_current: Money,
    pub paid_past_due: Money,
    /// At the end of the month (or of the statement, if sooner).
    pub closing: Position,
}

/// Charged and paid per obligation (`None`: adjustments) within the range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObligationTotal {
    pub obligation: Option<ObligationKind>,
    pub charged: Money,
    pub paid: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// At the end of the day before `from`.
    pub opening: Position,
    pub closing: Position,
    pub lines: Vec<Line>,
    pub months: Vec<Month>,
    pub totals: Vec<ObligationTotal>,
}

impl Statement {
    /// The statement of `entries` from `from` to `to`, both inclusive.
    ///
    /// One walk through the case's history: it stops at the day before
    /// `from` (the opening) and at each month's end (the closings), taking
    /// each reversal into account from its own date, exactly as a full
    /// replay to that day would.
    pub fn build(entries: &[Entry], from: NaiveDate, to: NaiveDate) -> Self {
        let before = from.pred_opt().unwrap_or(from);
        let mut walk = Walk::new(entries, to.max(before));
        walk.advance_to(before);
        let opening = Position::from(walk.position());

        let mut closings = Vec::new();
        let mut first = from.with_day(1).unwrap_or(from);
        while first <= to {
            let next = first.checked_add_months(Months::new(1)).unwrap_or(to);
            let last = next.pred_opt().unwrap_or(next).min(to);
            walk.advance_to(last.max(before));
            closings.push((first, next, Position::from(walk.position())));
            if next <= first {
                break;
            }
            first = next;
        }
        walk.advance_to(to.max(before));
        let closing = Position::from(walk.position());
        let (final_state, in_order) = walk.finish_in_order();

        let lines = lines(entries, &in_order, from, opening.balance, &final_state);
        let months = months(&lines, &closings);
        let totals = totals(&final_state, from, to);
        Statement {
            from,
            to,
            opening,
            closing,
            lines,
            months,
            totals,
        }
    }
}

impl From<(Money, Money, Money)> for Position {
    fn from((balance, past_due, credit): (Money, Money, Money)) -> Self {
        Self {
            balance,
            past_due,
            credit,
        }
    }
}

/// `in_order`: the entries up to the statement's end, in replay order.
fn lines(
    entries: &[Entry],
    in_order: &[&Entry],
    from: NaiveDate,
    opening: Money,
    state: &Allocation,
) -> Vec<Line> {
    // (id, position) of every entry, by id; usually already in that order.
    let mut by_id: Vec<(i64, usize)> = entries
        .iter()
        .enumerate()
        .map(|(at, e)| (e.id, at))
        .collect();
    if !by_id.is_sorted() {
        by_id.sort_unstable();
    }
    let position_of = |id: i64| {
        by_id
            .binary_search_by_key(&id, |(id, _)| *id)
            .ok()
            .map(|found| by_id[found].1)
    };
    let entry_with_id = |id: i64| position_of(id).map(|at| &entries[at]);
    let first_shown = in_order.partition_point(|e| e.effective < from);
    let shown = &in_order[first_shown..];

    // What each shown entry paid, by bucket: as the credit (a payment) for
    // current and past-due support, as the debt (a charge) for what credit paid.
    let mut line_of = vec![usize::MAX; entries.len()];
    for (line, entry) in shown.iter().enumerate() {
        if let Some(at) = position_of(entry.id) {
            line_of[at] = line;
        }
    }
    let mut paid_by = vec![[Money::ZERO; 3]; shown.len()];
    for a in &state.applications {
        let (entry, slot) = match a.bucket {
            Bucket::Current => (a.credit, 0),
            Bucket::PastDue => (a.credit, 1),
            Bucket::FromCredit => (a.debt, 2),
        };
        if let Some(line) = position_of(entry).and_then(|at| paid_by.get_mut(line_of[at])) {
            line[slot] += a.amount;
        }
    }

    let mut running = opening;
    shown
        .iter()
        .zip(paid_by)
        .map(|(entry, [paid_current, paid_past_due, paid_from_credit])| {
            let effect = match entry.kind {
                EntryKind::Reversal { reverses } => entry_with_id(reverses)
                    .filter(|target| target.effective <= entry.effective)
                    .map_or(Money::ZERO, |target| -target.balance_effect()),
                _ => entry.balance_effect(),
            };
            running += effect;
            let reversed = state.reversed.contains(&entry.id);
            let received =
                if effect.is_negative() && !matches!(entry.kind, EntryKind::Reversal { .. }) {
                    -effect
                } else {
                    Money::ZERO
                };
            let to_credit = if reversed || received.is_zero() {
                Money::ZERO
            } else {
                received - paid_current - paid_past_due
            };
            Line {
                entry: entry.id,
                date: entry.effective,
                kind: entry.kind,
                due: if effect.is_positive() && !matches!(entry.kind, EntryKind::Reversal { .. }) {
                    effect
                } else {
                    Money::ZERO
                },
                received,
                paid_current,
                paid_past_due,
                to_credit,
                paid_from_credit,
                running_balance: running,
                reversed,
            }
        })
        .collect()
}

/// Sums each month's lines; `closings` are (first day, first day of the next
/// month, position at the month's end), in order.
fn months(lines: &[Line], closings: &[(NaiveDate, NaiveDate, Position)]) -> Vec<Month> {
    // Lines are in date order: each month takes the next run of them.
    let mut rest = lines;
    let mut months = Vec::with_capacity(closings.len());
    for &(first, next, closing) in closings {
        let count = rest.iter().take_while(|line| line.date < next).count();
        let (inside, later) = rest.split_at(count);
        rest = later;
        let mut month = Month {
            month: first,
            due: Money::ZERO,
            received: Money::ZERO,
            paid_current: Money::ZERO,
            paid_past_due: Money::ZERO,
            closing,
        };
        for line in inside.iter().filter(|line| !line.reversed) {
            month.due += line.due;
            month.received += line.received;
            month.paid_current += line.paid_current;
            month.paid_past_due += line.paid_past_due;
        }
        months.push(month);
    }
    months
}

fn totals(state: &Allocation, from: NaiveDate, to: NaiveDate) -> Vec<ObligationTotal> {
    let mut totals: BTreeMap<Option<ObligationKind>, (Money, Money)> = BTreeMap::new();
    for debt in state.debts.iter().filter(|d| d.due >= from && d.due <= to) {
        totals.entry(debt.obligation).or_default().0 += debt.amount;
    }
    let obligation_of: BTreeMap<i64, Option<ObligationKind>> = state
        .debts
        .iter()
        .map(|d| (d.entry, d.obligation))
        .collect();
    for application in state
        .applications
        .iter()
        .filter(|a| a.on >= from && a.on <= to)
    {
        let obligation = obligation_of.get(&application.debt).copied().flatten();
        totals.entry(obligation).or_default().1 += application.amount;
    }
    totals
        .into_iter()
        .map(|(obligation, (charged, paid))| ObligationTotal {
            obligation,
            charged,
            paid,
        })
        .collect()
}

#[cfg(test)]
#[path = "statement_tests.rs"]
mod tests;
