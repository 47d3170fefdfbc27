//! How payments pay what is owed.
//!
//! The ledger is replayed in date order. Each debt (a support charge, or an
//! adjustment that adds to what is owed) waits until paid. Each credit (a
//! payment, or an adjustment that reduces what is owed) pays, in this order:
//!
//! 1. **current support**: charges due in the calendar month the money was
//!    received, up to that day, oldest first;
//! 2. **past-due support (arrears)**: everything else still unpaid, oldest
//!    first. This is also what an arrears-payment obligation pays down;
//! 3. what is left is a **credit**, which pays each later charge the day it
//!    falls due.
//!
//! Entries of the same day are replayed debts first, then by their key, so the
//! result depends only on the set of entries, never on the order of posting.
//! A reversed entry counts as if it had never been posted.

use std::collections::{BTreeSet, VecDeque};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::entry::{Entry, EntryKind, ObligationKind};
use super::money::Money;

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
    pub fn unpaid(&self) -> Money {
        self.amount - self.paid
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
        let counted: Vec<&Entry> = entries.iter().filter(|e| e.effective <= as_of).collect();
        let reversed: BTreeSet<i64> = counted
            .iter()
            .filter_map(|e| match e.kind {
                EntryKind::Reversal { reverses } => Some(reverses),
                _ => None,
            })
            .collect();

        let mut events: Vec<(&Entry, Role)> = counted
            .into_iter()
            .filter(|e| !reversed.contains(&e.id))
            .filter_map(|e| Role::of(e).map(|role| (e, role)))
            .collect();
        events.sort_by(|(a, ra), (b, rb)| {
            (a.effective, *ra, &a.key, a.id).cmp(&(b.effective, *rb, &b.key, b.id))
        });

        let mut replay = Replay::default();
        for (entry, role) in events {
            match role {
                Role::Debt => replay.owe(entry),
                Role::Credit => replay.pay(entry),
            }
        }
        Allocation {
            as_of,
            debts: replay.debts,
            credits: replay.credits,
            applications: replay.applications,
            reversed,
        }
    }

    /// What the paying parent owes (negative: the case is in credit).
    pub fn balance(&self) -> Money {
        self.unpaid() - self.credit()
    }

    /// Everything owed and not yet paid, due or not.
    pub fn unpaid(&self) -> Money {
        self.debts.iter().map(Debt::unpaid).sum()
    }

    /// Money received and not yet needed: pays future charges.
    pub fn credit(&self) -> Money {
        self.credits.iter().map(|c| c.unapplied).sum()
    }

    /// Past-due support (arrears): unpaid debts due before `as_of`.
    pub fn past_due(&self) -> Money {
        self.past_due_split(0).total()
    }

    /// Past-due support split into what is only days late (due within the
    /// last `grace_days`: often just a payment in transit) and what is not.
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
enum Role {
    Debt,
    Credit,
}

impl Role {
    fn of(entry: &Entry) -> Option<Role> {
        match entry.kind {
            EntryKind::Charge { obligation } if obligation.accrues() => Some(Role::Debt),
            EntryKind::Payment { .. } => Some(Role::Credit),
            EntryKind::Adjustment if entry.amount.is_positive() => Some(Role::Debt),
            EntryKind::Adjustment if entry.amount.is_negative() => Some(Role::Credit),
            _ => None,
        }
    }
}

#[derive(Default)]
struct Replay {
    debts: Vec<Debt>,
    credits: Vec<Credit>,
    applications: Vec<Application>,
    /// Every debt before this index is paid in full.
    oldest_unpaid: usize,
    /// Credits with money left, oldest first.
    pool: VecDeque<usize>,
}

impl Replay {
    fn owe(&mut self, entry: &Entry) {
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
            settled_on: None,
        });
        let debt = self.debts.len() - 1;
        while let Some(&credit) = self.pool.front() {
            self.apply(credit, debt, entry.effective, Bucket::FromCredit);
            if self.credits[credit].unapplied.is_zero() {
                self.pool.pop_front();
            }
            if self.debts[debt].unpaid().is_zero() {
                break;
            }
        }
        self.advance_oldest_unpaid();
    }

    fn pay(&mut self, entry: &Entry) {
        let received = entry.effective;
        self.credits.push(Credit {
            entry: entry.id,
            received,
            amount: entry.amount.abs(),
            unapplied: entry.amount.abs(),
        });
        let credit = self.credits.len() - 1;

        // 1. Current support: charges due this month, found from the newest back.
        let month_starts = received.with_day(1).unwrap_or(received);
        let current_from = self.debts[self.oldest_unpaid..]
            .iter()
            .rposition(|d| d.due < month_starts)
            .map_or(self.oldest_unpaid, |i| self.oldest_unpaid + i + 1);
        for debt in current_from..self.debts.len() {
            if self.credits[credit].unapplied.is_zero() {
                break;
            }
            if self.debts[debt].obligation.is_some() {
                self.apply(credit, debt, received, Bucket::Current);
            }
        }
        // 2. Past-due support, oldest first.
        let mut debt = self.oldest_unpaid;
        while debt < self.debts.len() && !self.credits[credit].unapplied.is_zero() {
            self.apply(credit, debt, received, Bucket::PastDue);
            debt += 1;
        }
        // 3. The rest is a credit.
        if !self.credits[credit].unapplied.is_zero() {
            self.pool.push_back(credit);
        }
        self.advance_oldest_unpaid();
    }

    fn apply(&mut self, credit: usize, debt: usize, on: chrono::NaiveDate, bucket: Bucket) {
        let amount = self.credits[credit]
            .unapplied
            .min(self.debts[debt].unpaid());
        if !amount.is_positive() {
            return;
        }
        self.credits[credit].unapplied -= amount;
        let owed = &mut self.debts[debt];
        owed.paid += amount;
        if owed.unpaid().is_zero() {
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

    fn advance_oldest_unpaid(&mut self) {
        while self
            .debts
            .get(self.oldest_unpaid)
            .is_some_and(|d| d.unpaid().is_zero())
        {
            self.oldest_unpaid += 1;
        }
    }
}

#[cfg(test)]
#[path = "allocation_tests.rs"]
mod tests;
