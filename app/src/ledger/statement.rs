//! A statement of a case for any range of dates: every entry with what it
//! did and the running balance, a summary per month, and totals per
//! obligation. Derived from the entries every time; never stored.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::allocation::{Allocation, Bucket};
use super::entry::{Entry, EntryKind, ObligationKind};
use super::money::Money;
use super::walk::{Telling, Walk, Walked, WalkedEntry};

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
    /// Kept by the agency as its service fee (negative: given back).
    pub fee: Money,
    pub running_balance: Money,
    /// Out of history by the statement's end (reversed, or a reversal retracted).
    pub reversed: bool,
}

impl Line {
    /// What it did to the balance: the step from the running balance before it.
    #[inline]
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
    /// What reversals in the month did to the balance.
    pub taken_back: Money,
    /// Sent on to the receiving parent in the month (held money is not sent).
    pub sent: Money,
    /// Put on hold in the month, less what was released.
    pub held: Money,
    /// Kept as the agency's service fee in the month.
    pub fee: Money,
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

        let (lines, months) = lines_and_months(&walked, from, opening.balance, &closings);
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
/// what it did as things stood that day, and the months they add up to.
///
/// One pass in replay order, which is date order: the story is told in the
/// same order (what an entry paid on its first replay is told when it is
/// replayed), so each line takes the next run of it, and each month the next
/// run of lines. `closings` are (first day, first day of the next month,
/// position at the month's end), in order.
fn lines_and_months(
    walked: &Walked,
    from: NaiveDate,
    opening: Money,
    closings: &[(NaiveDate, NaiveDate, Position)],
) -> (Vec<Line>, Vec<Month>) {
    let first = walked.place_of(from);
    let mut paid = walked
        .story
        .paid
        .iter()
        .skip_while(|told| told.line < first)
        .peekable();
    let mut credits = walked
        .story
        .credits
        .iter()
        .skip_while(|c| c.place < first)
        .peekable();
    let mut closings = closings.iter();
    let mut months = Vec::with_capacity(closings.len());
    let mut month: Option<(NaiveDate, Month)> = None;
    let mut lines: Vec<Line> = Vec::with_capacity(walked.len().saturating_sub(first));
    for (place, walked) in (first..).zip(walked.entries_from(first)) {
        let mut what_paid = WhatPaid::default();
        while let Some(told) = paid.next_if(|told| told.line == place) {
            let column = match told.bucket {
                Bucket::Current => &mut what_paid.current,
                Bucket::PastDue => &mut what_paid.past_due,
                Bucket::FromCredit => &mut what_paid.from_credit,
            };
            *column += told.amount;
        }
        // What a payment did not pay is kept as credit (a payment cancelled
        // the day it came in never counted, and kept nothing).
        if let Some(credit) = credits.next_if(|c| c.place == place) {
            what_paid.to_credit = credit.kept;
        }
        let before = lines.last().map_or(opening, |line| line.running_balance);
        lines.push(line(&walked, before, what_paid));
        let Some(line) = lines.last() else {
            continue; // just pushed
        };
        // Months without lines close as they stood.
        while month.as_ref().is_none_or(|(next, _)| line.date >= *next) {
            months.extend(month.take().map(|(_, done)| done));
            let Some(&(first_day, next, closing)) = closings.next() else {
                break;
            };
            month = Some((
                next,
                Month {
                    month: first_day,
                    closing,
                    ..Month::default()
                },
            ));
        }
        if let Some((_, month)) = month.as_mut() {
            month.add(line);
        }
    }
    months.extend(month.map(|(_, done)| done));
    months.extend(closings.map(|&(first_day, _, closing)| Month {
        month: first_day,
        closing,
        ..Month::default()
    }));
    (lines, months)
}

/// What an entry paid on its first replay, as a line shows it.
#[derive(Default)]
struct WhatPaid {
    current: Money,
    past_due: Money,
    /// For a charge: what a credit kept from earlier paid of it.
    from_credit: Money,
    /// For a credit: what it did not pay.
    to_credit: Money,
}

/// An entry's line, `before` being the running balance before it.
#[inline]
fn line(walked: &WalkedEntry, before: Money, paid: WhatPaid) -> Line {
    let entry = walked.entry;
    let zero = Money::ZERO;
    // What a reversal did is what its entry did, the other way (or the same
    // way, for a re-instatement).
    let (due, received, taken_back, sent, held, fee) = match (entry.kind, walked.toggled) {
        (EntryKind::Reversal { .. }, Some((original, cancelled))) => {
            let sign = |amount: Money| if cancelled { -amount } else { amount };
            let taken_back = sign(original.balance_effect());
            let (sent, held, fee) = (original.sent(), original.held(), original.fee());
            (zero, zero, taken_back, sign(sent), sign(held), sign(fee))
        }
        (EntryKind::Reversal { .. }, None) => (zero, zero, zero, zero, zero, zero),
        _ => {
            let effect = entry.balance_effect();
            let (due, received) = match effect.is_positive() {
                true => (effect, zero),
                false => (zero, -effect),
            };
            (due, received, zero, entry.sent(), entry.held(), entry.fee())
        }
    };
    Line {
        entry: entry.id,
        date: entry.effective,
        kind: entry.kind,
        due,
        received,
        paid_current: paid.current,
        paid_past_due: paid.past_due,
        to_credit: paid.to_credit,
        paid_from_credit: paid.from_credit,
        taken_back,
        sent,
        held,
        fee,
        running_balance: before + due - received + taken_back,
        reversed: walked.reversed,
    }
}

impl Month {
    fn add(&mut self, line: &Line) {
        self.due += line.due;
        self.received += line.received;
        self.taken_back += line.taken_back;
        self.sent += line.sent;
        self.held += line.held;
        self.fee += line.fee;
    }
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
