//! How payments pay what is owed.
//!
//! The ledger is replayed in date order. Each debt (a support charge, or an
//! adjustment that adds to what is owed) waits until paid. Each credit (a
//! payment, or an adjustment that reduces what is owed) pays, in this order:
//!
//! 1. **current support**: charges due in the calendar month the money was
//!    received, up to that day, oldest first;
//! 2. **past-due support (arrears)**: everything else still unpaid, oldest
//!    first. This is also what an arrears-payment obligation pays down.
//!    Interest on past-due support, where it is charged, is paid last;
//! 3. what is left is a **credit**, which pays each later charge the day it
//!    falls due.
//!
//! Entries of the same day are replayed debts first, then by their key, so the
//! result depends only on the set of entries, never on the order of posting.
//! A reversed entry counts as if it had never been posted.

use std::collections::{BTreeSet, VecDeque};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::entry::{Entry, EntryKind, ObligationKind, PaymentSource};
use super::money::Money;
use super::walk::Walk;

/// Something owed: a support charge or an adjustment adding to what is owed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Debt {
    pub entry: i64,
    /// `None` for an adjustment.
    pub obligation: Option<ObligationKind>,
    pub due: NaiveDate,
    pub amount: Money,
    pub paid: Money,
    /// The day the last cent of it was paid.
    pub settled_on: Option<NaiveDate>,
}

impl Debt {
    #[inline]
    pub fn unpaid(&self) -> Money {
        self.amount - self.paid
    }

    /// Paid in full (a debt of nothing is, from the day it falls due).
    #[inline]
    pub fn is_settled(&self) -> bool {
        self.settled_on.is_some()
    }
}

/// Something that pays: a payment or an adjustment reducing what is owed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credit {
    pub entry: i64,
    pub received: NaiveDate,
    pub amount: Money,
    /// Not yet used: sits as a credit on the case.
    pub unapplied: Money,
    /// A tax refund intercept: it pays past-due support only (45 CFR
    /// 303.72), and what it took beyond that is owed back to the paying
    /// parent, not kept to pay later support.
    pub past_due_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    /// Paid support due in the month the money was received.
    Current,
    /// Paid support that was already past due.
    PastDue,
    /// A credit kept from earlier paid a charge the day it fell due.
    FromCredit,
}

/// `amount` of credit `credit` paid debt `debt` on `on`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub credit: i64,
    pub debt: i64,
    pub amount: Money,
    pub on: NaiveDate,
    pub bucket: Bucket,
}

/// The state of a case's ledger at the end of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    pub as_of: NaiveDate,
    /// In replay order: by due date.
    pub debts: Vec<Debt>,
    /// In replay order: by date received.
    pub credits: Vec<Credit>,
    pub applications: Vec<Application>,
    /// Entries cancelled by a reversal on or before `as_of`.
    pub reversed: BTreeSet<i64>,
}

impl Allocation {
    /// Replays every entry effective on or before `as_of`.
    pub fn replay(entries: &[Entry], as_of: NaiveDate) -> Self {
        let mut walk = Walk::new(entries, as_of);
        walk.advance_to(as_of);
        walk.finish()
    }

    /// What the paying parent owes (negative: the case is in credit).
    pub fn balance(&self) -> Money {
        self.unpaid() - self.credit()
    }

    /// Everything owed and not yet paid, due or not.
    pub fn unpaid(&self) -> Money {
        self.debts.iter().map(Debt::unpaid).sum()
    }

    /// Money received and not yet needed: pays future charges (and an
    /// intercept's excess, which is refunded instead).
    pub fn credit(&self) -> Money {
        self.credits.iter().map(|c| c.unapplied).sum()
    }

    /// What intercepts took beyond the past-due support they could pay:
    /// owed back to the paying parent.
    pub fn refundable(&self) -> Money {
        self.credits
            .iter()
            .filter(|c| c.past_due_only)
            .map(|c| c.unapplied)
            .sum()
    }

    /// Past-due support (arrears): unpaid debts due before `as_of`.
    pub fn past_due(&self) -> Money {
        self.past_due_split(0).total()
    }

    /// Past-due support split into what is only days late (due within the
    /// last `grace_days`: often just a payment in transit) and what is not.
    /// Only a case that is otherwise current is "only days late": when older
    /// support is unpaid too, the newest shortfall is not in transit either.
    pub fn past_due_split(&self, grace_days: u32) -> PastDue {
        let mut split = PastDue::default();
        for debt in self.debts.iter().filter(|d| d.due < self.as_of) {
            let late_by = (self.as_of - debt.due).num_days();
            if late_by <= i64::from(grace_days) {
                split.timing += debt.unpaid();
            } else {
                split.overdue += debt.unpaid();
            }
        }
        if split.overdue.is_positive() {
            split.overdue += split.timing;
            split.timing = Money::ZERO;
        }
        split
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastDue {
    /// Due within the grace period: likely timing, not trouble.
    pub timing: Money,
    /// Late beyond the grace period.
    pub overdue: Money,
}

impl PastDue {
    pub fn total(&self) -> Money {
        self.timing + self.overdue
    }
}

/// Same-day order: what is owed first, then what pays it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Role {
    Debt,
    Credit,
}

impl Role {
    pub(super) fn of(entry: &Entry) -> Option<Role> {
        match entry.kind {
            EntryKind::Charge { obligation } if obligation.accrues() => Some(Role::Debt),
            EntryKind::Payment { .. } => Some(Role::Credit),
            EntryKind::Adjustment if entry.amount.is_positive() => Some(Role::Debt),
            EntryKind::Adjustment if entry.amount.is_negative() => Some(Role::Credit),
            _ => None,
        }
    }
}

/// Which credit paid which debt, and which replayed entry (by its place in
/// replay order) made it happen: what an undo needs to know.
#[derive(Debug, Clone, Copy)]
pub(super) struct Applied {
    pub(super) credit: usize,
    pub(super) debt: usize,
    pub(super) by: usize,
}

/// The allocation rules at work, one entry at a time, in replay order. Each
/// entry comes with its place in that order (`at`) so that everything it did
/// can be undone from any place on (see [`Replay::undo_from`]).
#[derive(Default)]
pub(super) struct Replay {
    pub(super) debts: Vec<Debt>,
    pub(super) credits: Vec<Credit>,
    pub(super) applications: Vec<Application>,
    /// Beside `applications`.
    pub(super) applied: Vec<Applied>,
    /// Beside `debts` and `credits`: the place of their entries in replay order.
    pub(super) debt_at: Vec<usize>,
    pub(super) credit_at: Vec<usize>,
    /// Interest charges replayed so far (the second pass of past-due
    /// support is skipped while there are none).
    interest_owed: Money,
    /// Running sums, so a position is read without summing every debt.
    owed: Money,
    received: Money,
    paid: Money,
    /// Every debt before this index is paid in full.
    oldest_unpaid: usize,
    /// Skip list over paid debts: `skip[i]` leads, after a few hops, to the
    /// first unpaid debt at or after `i` (or `debts.len()`). Keeps paying
    /// past-due support linear when old arrears sit among paid months.
    skip: Vec<usize>,
    /// Every credit with money left, oldest first.
    pool: VecDeque<usize>,
}

impl Replay {
    /// Room for this many debts and credits, so that no list grows by copying.
    pub(super) fn with_capacity(debts: usize, credits: usize) -> Self {
        // An application is the smaller of a credit and a debt, so it uses up
        // one of them: without reversals there are no more than both together.
        let applications = debts + credits;
        Replay {
            debts: Vec::with_capacity(debts),
            debt_at: Vec::with_capacity(debts),
            skip: Vec::with_capacity(debts),
            credits: Vec::with_capacity(credits),
            credit_at: Vec::with_capacity(credits),
            applications: Vec::with_capacity(applications),
            applied: Vec::with_capacity(applications),
            ..Replay::default()
        }
    }

    pub(super) fn owe(&mut self, entry: &Entry, at: usize) {
        let obligation = match entry.kind {
            EntryKind::Charge { obligation } => Some(obligation),
            _ => None,
        };
        self.debts.push(Debt {
            entry: entry.id,
            obligation,
            due: entry.effective,
            amount: entry.amount,
            paid: Money::ZERO,
            settled_on: entry.amount.is_zero().then_some(entry.effective),
        });
        self.debt_at.push(at);
        let debt = self.debts.len() - 1;
        self.skip.push(debt);
        self.owed += entry.amount;
        if obligation == Some(ObligationKind::Interest) {
            self.interest_owed += entry.amount;
        }
        while let Some(&credit) = self.pool.front() {
            self.apply(credit, debt, at, entry.effective, Bucket::FromCredit);
            if self.credits[credit].unapplied.is_zero() {
                self.pool.pop_front();
            }
            if self.debts[debt].is_settled() {
                break;
            }
        }
        self.advance_oldest_unpaid();
    }

    pub(super) fn pay(&mut self, entry: &Entry, at: usize) {
        let received = entry.effective;
        let amount = entry.amount.abs();
        let past_due_only = matches!(
            entry.kind,
            EntryKind::Payment {
                source: PaymentSource::TaxIntercept
            }
        );
        self.credits.push(Credit {
            entry: entry.id,
            received,
            amount,
            unapplied: amount,
            past_due_only,
        });
        self.credit_at.push(at);
        let credit = self.credits.len() - 1;
        self.received += amount;

        // Debts are in due order, none due after today: this month's are the
        // last few, where current support begins.
        let month_starts = received.with_day(1).unwrap_or(received);
        let this_month = self.debts[self.oldest_unpaid..]
            .iter()
            .rev()
            .take_while(|d| d.due >= month_starts)
            .count();
        let current_from = self.debts.len() - this_month;
        // 1. Current support: charges due this month.
        if !past_due_only {
            let mut debt = self.unpaid_from(current_from);
            while debt < self.debts.len() && !self.credits[credit].unapplied.is_zero() {
                if self.debts[debt]
                    .obligation
                    .is_some_and(ObligationKind::is_support)
                {
                    self.apply(credit, debt, at, received, Bucket::Current);
                }
                debt = self.unpaid_from(debt + 1);
            }
        }
        // 2. Past-due support, oldest first (an intercept: only what fell
        // due before this month); interest on it last of all.
        let past_due_end = match past_due_only {
            true => current_from,
            false => self.debts.len(),
        };
        for interest in [false, true] {
            let mut debt = self.unpaid_from(self.oldest_unpaid);
            while debt < past_due_end && !self.credits[credit].unapplied.is_zero() {
                let is_interest = self.debts[debt].obligation == Some(ObligationKind::Interest);
                if is_interest == interest {
                    self.apply(credit, debt, at, received, Bucket::PastDue);
                }
                debt = self.unpaid_from(debt + 1);
            }
            if self.interest_owed.is_zero() {
                break;
            }
        }
        // 3. The rest is a credit that pays later charges as they fall due;
        // an intercept's rest is refunded instead.
        if !self.credits[credit].unapplied.is_zero() && !past_due_only {
            self.pool.push_back(credit);
        }
        self.advance_oldest_unpaid();
    }

    fn apply(&mut self, credit: usize, debt: usize, by: usize, on: NaiveDate, bucket: Bucket) {
        // All it has left, or all that is unpaid, which settles the debt.
        // (The sign of a difference: a decimal comparison takes twice as long,
        // and this runs once per application in every replay.)
        let (unapplied, unpaid) = (self.credits[credit].unapplied, self.debts[debt].unpaid());
        let short = unpaid - unapplied;
        let (amount, settles) = match short.is_positive() {
            true => (unapplied, false),
            false => (unpaid, true),
        };
        if !amount.is_positive() {
            return;
        }
        self.credits[credit].unapplied -= amount;
        self.paid += amount;
        self.applied.push(Applied { credit, debt, by });
        let owed = &mut self.debts[debt];
        owed.paid += amount;
        if settles {
            owed.settled_on = Some(on);
        }
        self.applications.push(Application {
            credit: self.credits[credit].entry,
            debt: owed.entry,
            amount,
            on,
            bucket,
        });
    }

    /// Undoes everything the entries from place `at` on did, as if they had
    /// not been replayed. What they appended is at the end of each list.
    pub(super) fn undo_from(&mut self, at: usize) {
        let kept = self.applied.partition_point(|a| a.by < at);
        let mut oldest_unpaid = self.oldest_unpaid;
        let mut first_refilled = usize::MAX;
        while self.applications.len() > kept {
            let (Some(application), Some(applied)) = (self.applications.pop(), self.applied.pop())
            else {
                break;
            };
            self.credits[applied.credit].unapplied += application.amount;
            let debt = &mut self.debts[applied.debt];
            debt.paid -= application.amount;
            debt.settled_on = None;
            self.paid -= application.amount;
            oldest_unpaid = oldest_unpaid.min(applied.debt);
            first_refilled = first_refilled.min(applied.credit);
        }
        let debts = self.debt_at.partition_point(|&place| place < at);
        for debt in self.debts.drain(debts..) {
            self.owed -= debt.amount;
            if debt.obligation == Some(ObligationKind::Interest) {
                self.interest_owed -= debt.amount;
            }
        }
        self.debt_at.truncate(debts);
        let credits = self.credit_at.partition_point(|&place| place < at);
        for credit in self.credits.drain(credits..) {
            self.received -= credit.amount;
        }
        self.credit_at.truncate(credits);

        // Debts unpaid again may sit behind skips: reset them from the
        // oldest one on (before it every debt is still paid in full).
        self.oldest_unpaid = oldest_unpaid.min(debts);
        self.skip.truncate(debts);
        for i in self.oldest_unpaid..self.skip.len() {
            self.skip[i] = i;
        }
        self.advance_oldest_unpaid();
        // Credits with money left: those that had some, and those refilled.
        let first = self
            .pool
            .front()
            .map_or(first_refilled, |&c| c.min(first_refilled));
        self.pool = (first.min(credits)..credits)
            .filter(|&c| !self.credits[c].unapplied.is_zero() && !self.credits[c].past_due_only)
            .collect();
    }

    /// (balance, past-due, credit) at the end of `day`, with every entry up
    /// to `day` replayed.
    pub(super) fn position(&self, day: NaiveDate) -> (Money, Money, Money) {
        let unpaid = self.owed - self.paid;
        let due_today: Money = self
            .debts
            .iter()
            .rev()
            .take_while(|d| d.due >= day)
            .map(Debt::unpaid)
            .sum();
        (
            self.owed - self.received,
            unpaid - due_today,
            self.received - self.paid,
        )
    }

    /// The first unpaid debt at or after `from`, or `debts.len()`.
    fn unpaid_from(&mut self, from: usize) -> usize {
        let mut at = from;
        while at < self.debts.len() && self.debts[at].is_settled() {
            at = self.skip[at].max(at + 1);
        }
        // Path compression: everything walked over now points at `at`.
        let mut walk = from;
        while walk < at {
            let next = self.skip[walk].max(walk + 1);
            self.skip[walk] = at;
            walk = next;
        }
        at
    }

    fn advance_oldest_unpaid(&mut self) {
        while self
            .debts
            .get(self.oldest_unpaid)
            .is_some_and(Debt::is_settled)
        {
            self.oldest_unpaid += 1;
        }
    }
}

#[cfg(test)]
#[path = "allocation_tests.rs"]
mod tests;
