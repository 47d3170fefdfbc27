//! A statement of a case for any range of dates: every entry with what it
//! did and the running balance, a summary per month, and totals per
//! obligation. Derived from the entries every time; never stored.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::allocation::{Allocation, Bucket};
use super::entry::{Entry, EntryKind, ObligationKind};
use super::money::Money;
use super::walk::{Telling, Walk, Walked};

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

/// One entry as a statement shows it: what it did when it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub entry: i64,
    pub date: NaiveDate,
    pub kind: EntryKind,
    /// What fell due (a charge, or an adjustment adding to what is owed).
    pub due: Money,
    /// What came in (a payment, or an adjustment reducing what is owed).
    pub received: Money,
    /// What it paid, as things stood that day (a later reversal shows on its
    /// own line instead of restating this one).
    pub paid_current: Money,
    pub paid_past_due: Money,
    /// Kept as credit when it came in (it pays later charges as they fall due).
    pub to_credit: Money,
    /// For a charge: how much of it a credit kept from earlier paid.
    pub paid_from_credit: Money,
    /// For a reversal: what it did to the balance on its day (positive: the
    /// balance went up, as when a payment is taken back).
    pub taken_back: Money,
    /// Sent on to the receiving parent (negative: a sending reversed).
    pub sent: Money,
    /// Put on hold (negative: released, or a hold reversed).
    pub held: Money,
    pub running_balance: Money,
    /// Out of history by the statement's end (reversed, or a reversal retracted).
    pub reversed: bool,
}

impl Line {
    /// What it did to the balance: the step from the running balance before it.
    pub fn change(&self) -> Money {
        self.due - self.received + self.taken_back
    }
}

/// One calendar month of a statement. Its lines add up to it, reversals
/// included where they happened: `opening + due − received + taken_back =
/// closing.balance`, the opening being the previous month's closing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Month {
    /// The first day of the month.
    pub month: NaiveDate,
    pub due: Money,
    pub received: Money,
    pub paid_current: Money,
    pub paid_past_due: Money,
    /// What reversals in the month did to the balance.
    pub taken_back: Money,
    /// Sent on to the receiving parent in the month (held money is not sent).
    pub sent: Money,
    /// Put on hold in the month, less what was released.
    pub held: Money,
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
        let mut walk = Walk::new(entries, to.max(before)).telling(Telling::WhatPaid);
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
        let walked = walk.finish_walked();

        let lines = lines(&walked, from, opening.balance);
        let months = months(&lines, &closings);
        let totals = totals(&walked, from, to);
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

/// One line per entry from `from` on, each with the balance after it and
/// what it did as things stood that day.
fn lines(walked: &Walked, from: NaiveDate, opening: Money) -> Vec<Line> {
    let first = walked.place_of(from);
    let mut running = opening;
    let mut lines: Vec<Line> = walked
        .entries_from(first)
        .map(|walked| {
            let entry = walked.entry;
            let mut line = Line {
                entry: entry.id,
                date: entry.effective,
                kind: entry.kind,
                due: Money::ZERO,
                received: Money::ZERO,
                paid_current: Money::ZERO,
                paid_past_due: Money::ZERO,
                to_credit: Money::ZERO,
                paid_from_credit: Money::ZERO,
                taken_back: Money::ZERO,
                sent: Money::ZERO,
                held: Money::ZERO,
                running_balance: running,
                reversed: walked.reversed,
            };
            match (entry.kind, walked.toggled) {
                (EntryKind::Reversal { .. }, Some((original, cancelled))) => {
                    let sign = |amount: Money| if cancelled { -amount } else { amount };
                    line.taken_back = sign(original.balance_effect());
                    (line.sent, line.held) = (sign(original.sent()), sign(original.held()));
                }
                (EntryKind::Reversal { .. }, None) => {}
                _ => {
                    let effect = entry.balance_effect();
                    if effect.is_positive() {
                        line.due = effect;
                    } else {
                        line.received = -effect;
                    }
                    (line.sent, line.held) = (entry.sent(), entry.held());
                }
            }
            running += line.change();
            line.running_balance = running;
            line
        })
        .collect();

    // What each payment paid, and what of each charge a kept credit paid,
    // the first time it was replayed.
    for told in &walked.story.paid {
        let Some(line) = line_at(&mut lines, first, told.line) else {
            continue; // before the statement's range
        };
        let column = match told.bucket {
            Bucket::Current => &mut line.paid_current,
            Bucket::PastDue => &mut line.paid_past_due,
            Bucket::FromCredit => &mut line.paid_from_credit,
        };
        *column += told.amount;
    }
    // What a payment did not pay is kept as credit (a payment cancelled the
    // day it came in never counted, and kept nothing).
    for &(place, _) in &walked.story.credits {
        if let Some(line) = line_at(&mut lines, first, place) {
            line.to_credit = line.received - line.paid_current - line.paid_past_due;
        }
    }
    lines
}

/// The line of the entry at `place` in replay order, if it is in the range.
fn line_at(lines: &mut [Line], first: usize, place: usize) -> Option<&mut Line> {
    lines.get_mut(place.checked_sub(first)?)
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
            taken_back: Money::ZERO,
            sent: Money::ZERO,
            held: Money::ZERO,
            closing,
        };
        for line in inside {
            month.due += line.due;
            month.received += line.received;
            month.paid_current += line.paid_current;
            month.paid_past_due += line.paid_past_due;
            month.taken_back += line.taken_back;
            month.sent += line.sent;
            month.held += line.held;
        }
        months.push(month);
    }
    months
}

/// Charged and paid per obligation within the range, in the order of
/// `Option<ObligationKind>`: adjustments first, then each kind as declared.
fn totals(walked: &Walked, from: NaiveDate, to: NaiveDate) -> Vec<ObligationTotal> {
    // `ALL` lists the kinds in the order they are declared, which is their order.
    let slot = |obligation: Option<ObligationKind>| obligation.map_or(0, |kind| kind as usize + 1);
    let mut sums: [Option<(Money, Money)>; ObligationKind::ALL.len() + 1] = Default::default();
    let within = |day: NaiveDate| from <= day && day <= to;
    for debt in walked.allocation.debts.iter().filter(|d| within(d.due)) {
        sums[slot(debt.obligation)].get_or_insert_default().0 += debt.amount;
    }
    for (application, obligation) in walked.applications().filter(|(a, _)| within(a.on)) {
        sums[slot(obligation)].get_or_insert_default().1 += application.amount;
    }
    let obligations = std::iter::once(None).chain(ObligationKind::ALL.map(Some));
    obligations
        .zip(sums)
        .filter_map(|(obligation, sum)| {
            sum.map(|(charged, paid)| ObligationTotal {
                obligation,
                charged,
                paid,
            })
        })
        .collect()
}

#[cfg(test)]
#[path = "statement_tests.rs"]
mod tests;
