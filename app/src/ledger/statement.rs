//! A statement of a case for any range of dates: every entry with what it
//! did and the running balance, a summary per month, and totals per
//! obligation. Derived from the entries every time; never stored.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::allocation::{Allocation, Bucket};
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
    fn of(allocation: &Allocation) -> Self {
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
    pub fn build(entries: &[Entry], from: NaiveDate, to: NaiveDate) -> Self {
        let before = from.pred_opt().unwrap_or(from);
        let opening = Position::of(&Allocation::replay(entries, before));
        let at_end = Allocation::replay(entries, to);
        let epochs = Epochs::new(entries, from, to, at_end);
        let final_state = epochs.last();

        let lines = lines(entries, from, to, opening.balance, final_state);
        let months = months(&lines, &epochs, from, to);
        let totals = totals(final_state, from, to);
        Statement {
            from,
            to,
            opening,
            closing: Position::of(final_state),
            lines,
            months,
            totals,
        }
    }
}

/// Allocations that stay true between reversals. Replaying is chronological,
/// so the state on any day can be read from a later replay's applications,
/// as long as no reversal falls in between (a reversal rewrites the past).
struct Epochs {
    /// (last day it is valid for, allocation as of that day), ascending.
    states: Vec<(NaiveDate, Allocation)>,
}

impl Epochs {
    fn new(entries: &[Entry], from: NaiveDate, to: NaiveDate, at_end: Allocation) -> Self {
        let mut reversal_days: Vec<NaiveDate> = entries
            .iter()
            .filter(|e| matches!(e.kind, EntryKind::Reversal { .. }))
            .map(|e| e.effective)
            .filter(|d| *d > from && *d <= to)
            .collect();
        reversal_days.sort();
        reversal_days.dedup();
        let mut states: Vec<(NaiveDate, Allocation)> = reversal_days
            .into_iter()
            .filter_map(|day| day.pred_opt())
            .map(|eve| (eve, Allocation::replay(entries, eve)))
            .collect();
        states.push((to, at_end));
        Self { states }
    }

    fn last(&self) -> &Allocation {
        // `new` always pushes the state at the end.
        &self.states[self.states.len() - 1].1
    }

    /// The position at the end of `day` (within the statement's range).
    fn position(&self, day: NaiveDate) -> Position {
        let state = self
            .states
            .iter()
            .find(|(valid_until, _)| *valid_until >= day)
            .map_or_else(|| self.last(), |(_, state)| state);
        // Every application on or before `day` paid a debt due by then from
        // a credit received by then, so the balance is simply what fell due
        // minus what came in; only past-due needs to know which debt was paid.
        let due_of: HashMap<i64, NaiveDate> =
            state.debts.iter().map(|d| (d.entry, d.due)).collect();
        let mut position = Position::default();
        for debt in state.debts.iter().filter(|d| d.due <= day) {
            position.balance += debt.amount;
            if debt.due < day {
                position.past_due += debt.amount;
            }
        }
        for credit in state.credits.iter().filter(|c| c.received <= day) {
            position.balance -= credit.amount;
            position.credit += credit.amount;
        }
        for application in state.applications.iter().filter(|a| a.on <= day) {
            position.credit -= application.amount;
            if due_of.get(&application.debt).is_some_and(|due| *due < day) {
                position.past_due -= application.amount;
            }
        }
        position
    }
}

fn lines(
    entries: &[Entry],
    from: NaiveDate,
    to: NaiveDate,
    opening: Money,
    state: &Allocation,
) -> Vec<Line> {
    let by_id: BTreeMap<i64, &Entry> = entries.iter().map(|e| (e.id, e)).collect();
    let mut shown: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.effective >= from && e.effective <= to)
        .collect();
    shown.sort_by(|a, b| {
        let debts_first = |e: &Entry| !e.balance_effect().is_positive();
        (a.effective, debts_first(a), &a.key, a.id).cmp(&(
            b.effective,
            debts_first(b),
            &b.key,
            b.id,
        ))
    });

    // What each entry paid, by bucket: as the credit (a payment) for current
    // and past-due support, as the debt (a charge) for what credit paid.
    let mut paid_by: HashMap<(Bucket, i64), Money> = HashMap::new();
    for a in &state.applications {
        let entry = if a.bucket == Bucket::FromCredit {
            a.debt
        } else {
            a.credit
        };
        *paid_by.entry((a.bucket, entry)).or_default() += a.amount;
    }

    let mut running = opening;
    shown
        .into_iter()
        .map(|entry| {
            let effect = match entry.kind {
                EntryKind::Reversal { reverses } => by_id
                    .get(&reverses)
                    .filter(|target| target.effective <= entry.effective)
                    .map_or(Money::ZERO, |target| -target.balance_effect()),
                _ => entry.balance_effect(),
            };
            running += effect;
            let applied = |bucket: Bucket| {
                paid_by
                    .get(&(bucket, entry.id))
                    .copied()
                    .unwrap_or_default()
            };
            let reversed = state.reversed.contains(&entry.id);
            let received =
                if effect.is_negative() && !matches!(entry.kind, EntryKind::Reversal { .. }) {
                    -effect
                } else {
                    Money::ZERO
                };
            let (paid_current, paid_past_due) =
                (applied(Bucket::Current), applied(Bucket::PastDue));
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
                paid_from_credit: applied(Bucket::FromCredit),
                running_balance: running,
                reversed,
            }
        })
        .collect()
}

fn months(lines: &[Line], epochs: &Epochs, from: NaiveDate, to: NaiveDate) -> Vec<Month> {
    // Lines are in date order: each month takes the next run of them.
    let mut rest = lines;
    let mut months = Vec::new();
    let mut first = from.with_day(1).unwrap_or(from);
    while first <= to {
        let next = first.checked_add_months(Months::new(1)).unwrap_or(to);
        let last = next.pred_opt().unwrap_or(next).min(to);
        let count = rest.iter().take_while(|line| line.date < next).count();
        let (inside, later) = rest.split_at(count);
        rest = later;
        let mut month = Month {
            month: first,
            due: Money::ZERO,
            received: Money::ZERO,
            paid_current: Money::ZERO,
            paid_past_due: Money::ZERO,
            closing: epochs.position(last),
        };
        for line in inside.iter().filter(|line| !line.reversed) {
            month.due += line.due;
            month.received += line.received;
            month.paid_current += line.paid_current;
            month.paid_past_due += line.paid_past_due;
        }
        months.push(month);
        if next <= first {
            break;
        }
        first = next;
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
