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

/// The order entries are replayed and shown in: by date; on the same day what
/// is owed first, then what pays or does nothing to it; then by key, never by
/// posting order.
fn replay_key(entry: &Entry) -> (NaiveDate, bool, &str, i64) {
    let pays_or_other = !entry.balance_effect().is_positive();
    (entry.effective, pays_or_other, entry.key.as_str(), entry.id)
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
    /// (credit index, debt index) of each application, to undo it.
    applied: Vec<(usize, usize)>,
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
        self.skip.push(debt);
        self.owed += entry.amount;
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
        self.received += entry.amount.abs();

        // 1. Current support: charges due this month (debts are in due order).
        let month_starts = received.with_day(1).unwrap_or(received);
        let current_from = self.oldest_unpaid
            + self.debts[self.oldest_unpaid..].partition_point(|d| d.due < month_starts);
        let mut debt = self.unpaid_from(current_from);
        while debt < self.debts.len() && !self.credits[credit].unapplied.is_zero() {
            if self.debts[debt].obligation.is_some() {
                self.apply(credit, debt, received, Bucket::Current);
            }
            debt = self.unpaid_from(debt + 1);
        }
        // 2. Past-due support, oldest first.
        let mut debt = self.unpaid_from(self.oldest_unpaid);
        while debt < self.debts.len() && !self.credits[credit].unapplied.is_zero() {
            self.apply(credit, debt, received, Bucket::PastDue);
            debt = self.unpaid_from(debt + 1);
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
        self.paid += amount;
        self.applied.push((credit, debt));
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

    /// The first unpaid debt at or after `from`, or `debts.len()`.
    fn unpaid_from(&mut self, from: usize) -> usize {
        let mut at = from;
        while at < self.debts.len() && self.debts[at].unpaid().is_zero() {
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
            .is_some_and(|d| d.unpaid().is_zero())
        {
            self.oldest_unpaid += 1;
        }
    }
}

/// A replay that moves forward day by day and can take a reversal into
/// account on the day it happens: the reversed entry is taken out of history
/// by undoing everything from its date and replaying again without it. A
/// statement reads each month's closing from one walk this way, instead of
/// replaying the whole case again for every reversal.
pub(crate) struct Walk<'a> {
    /// Every entry up to the walk's last day, in replay order.
    in_order: Vec<&'a Entry>,
    /// Entries that owe or pay, in replay order.
    events: Vec<(&'a Entry, Role)>,
    /// (day, entry it cancels) of each reversal, by day.
    reversals: Vec<(NaiveDate, i64)>,
    next_reversal: usize,
    reversed: BTreeSet<i64>,
    /// Next event to replay.
    next: usize,
    /// Sizes of (debts, credits, applications) before each replayed event.
    marks: Vec<(usize, usize, usize)>,
    replay: Replay,
    day: NaiveDate,
}

impl<'a> Walk<'a> {
    /// A walk over the entries effective up to `until`, before its first day.
    pub(crate) fn new(entries: &'a [Entry], until: NaiveDate) -> Self {
        let mut keyed: Vec<_> = entries
            .iter()
            .filter(|e| e.effective <= until)
            .map(|e| (replay_key(e), e))
            .collect();
        // Keys end with the id, so they are unique: an unstable sort is exact.
        keyed.sort_unstable_by_key(|(key, _)| *key);
        let in_order: Vec<&Entry> = keyed.into_iter().map(|(_, e)| e).collect();
        let events = in_order
            .iter()
            .filter_map(|e| Role::of(e).map(|role| (*e, role)))
            .collect();
        let mut reversals: Vec<(NaiveDate, i64)> = entries
            .iter()
            .filter(|e| e.effective <= until)
            .filter_map(|e| match e.kind {
                EntryKind::Reversal { reverses } => Some((e.effective, reverses)),
                _ => None,
            })
            .collect();
        reversals.sort_unstable();
        Walk {
            marks: Vec::with_capacity(in_order.len()),
            in_order,
            events,
            reversals,
            next_reversal: 0,
            reversed: BTreeSet::new(),
            next: 0,
            replay: Replay::default(),
            day: NaiveDate::MIN,
        }
    }

    /// Replays through the end of `day` (days must not go backwards).
    pub(crate) fn advance_to(&mut self, day: NaiveDate) {
        self.day = day;
        let mut rewind_to = self.next;
        while let Some(&(on, target)) = self.reversals.get(self.next_reversal) {
            if on > day {
                break;
            }
            self.next_reversal += 1;
            if self.reversed.insert(target) {
                if let Some(at) = self.events[..self.next]
                    .iter()
                    .position(|(e, _)| e.id == target)
                {
                    rewind_to = rewind_to.min(at);
                }
            }
        }
        if rewind_to < self.next {
            self.rewind(rewind_to);
        }
        while let Some(&(entry, role)) = self.events.get(self.next) {
            if entry.effective > day {
                break;
            }
            let replay = &self.replay;
            self.marks.push((
                replay.debts.len(),
                replay.credits.len(),
                replay.applications.len(),
            ));
            self.next += 1;
            if self.reversed.contains(&entry.id) {
                continue;
            }
            match role {
                Role::Debt => self.replay.owe(entry),
                Role::Credit => self.replay.pay(entry),
            }
        }
    }

    /// Undoes every event from `event` on, as if they had not been replayed.
    fn rewind(&mut self, event: usize) {
        let (debts, credits, applications) = self.marks[event];
        let replay = &mut self.replay;
        while replay.applications.len() > applications {
            let (Some(application), Some((credit, debt))) =
                (replay.applications.pop(), replay.applied.pop())
            else {
                break;
            };
            replay.credits[credit].unapplied += application.amount;
            replay.debts[debt].paid -= application.amount;
            replay.debts[debt].settled_on = None;
            replay.paid -= application.amount;
        }
        for debt in replay.debts.drain(debts..) {
            replay.owed -= debt.amount;
        }
        for credit in replay.credits.drain(credits..) {
            replay.received -= credit.amount;
        }
        replay.skip.truncate(debts);
        for (i, skip) in replay.skip.iter_mut().enumerate() {
            *skip = i;
        }
        replay.oldest_unpaid = 0;
        replay.advance_oldest_unpaid();
        replay.pool = (0..replay.credits.len())
            .filter(|c| !replay.credits[*c].unapplied.is_zero())
            .collect();
        self.marks.truncate(event);
        self.next = event;
    }

    /// (balance, past-due, credit) at the end of the day walked to.
    pub(crate) fn position(&self) -> (Money, Money, Money) {
        let replay = &self.replay;
        let unpaid = replay.owed - replay.paid;
        let due_today: Money = replay
            .debts
            .iter()
            .rev()
            .take_while(|d| d.due >= self.day)
            .map(Debt::unpaid)
            .sum();
        (
            replay.owed - replay.received,
            unpaid - due_today,
            replay.received - replay.paid,
        )
    }

    /// The allocation at the day walked to, and every entry in replay order.
    pub(crate) fn finish_in_order(self) -> (Allocation, Vec<&'a Entry>) {
        let in_order = self.in_order;
        let allocation = Allocation {
            as_of: self.day,
            debts: self.replay.debts,
            credits: self.replay.credits,
            applications: self.replay.applications,
            reversed: self.reversed,
        };
        (allocation, in_order)
    }

    pub(crate) fn finish(self) -> Allocation {
        self.finish_in_order().0
    }
}

#[cfg(test)]
#[path = "allocation_tests.rs"]
mod tests;
