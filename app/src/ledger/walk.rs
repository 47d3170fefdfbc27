//! A replay that moves forward through a case's history, entry by entry, and
//! takes each reversal into account at its own place in that history.
//!
//! A reversal takes an entry out of history from the reversal's day on: the
//! walk undoes everything from that entry's place in replay order and replays
//! again without it. A reversal of a reversal (a re-instatement) puts the
//! entry back the same way. What every entry did the first time it was
//! replayed — as things stood that day — is kept as the walk's [`Story`]: a
//! statement shows it, and shows each reversal where it happened, so no month
//! is silently restated by a later one.

use std::collections::{BTreeSet, HashSet};

use chrono::{Datelike, NaiveDate};

use super::allocation::{Allocation, Application, Applied, Bucket, Replay, Role};
use super::entry::{Entry, EntryKind, ObligationKind};
use super::money::Money;

pub(crate) struct Walk<'a> {
    /// Every entry up to the walk's last day, in replay order.
    in_order: Vec<&'a Entry>,
    /// Beside `in_order`, empty when there is no reversal: no longer counts.
    cancelled: Vec<bool>,
    /// Every reversal, in replay order, with what it did once it took effect.
    reversals: Vec<Reversal>,
    /// Entries that no longer count: cancelled ones and retracted reversals.
    reversed: BTreeSet<i64>,
    /// The place of the next entry to replay.
    next: usize,
    /// Entries before this place have been replayed once: their story is told.
    told: usize,
    /// How much of the story to keep: a balance needs none, a statement
    /// what each entry paid, an explanation also why.
    telling: Telling,
    story: Story,
    replay: Replay,
    day: NaiveDate,
}

/// A reversal, and what it did on its day.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reversal {
    /// The reversal's own place in replay order.
    pub(crate) place: usize,
    /// Its target's place, if the target is there at all.
    target: Option<usize>,
    /// The entry it took out of history (or put back), and which of the two.
    /// `None`: it changed nothing (its target is unknown, dated after it, or
    /// already out of history) — the posting rules refuse such reversals.
    pub(crate) toggled: Option<Toggle>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Toggle {
    /// The place of the entry taken out or put back.
    pub(crate) original: usize,
    /// True: taken out of history; false: put back (a re-instatement).
    pub(crate) cancelled: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Telling {
    Nothing,
    /// What each entry paid (a statement's lines).
    WhatPaid,
    /// And which payment settled a debt, and what of the month was still
    /// due after each credit (an explanation's sentences).
    Why,
}

/// What each entry did the first time it was replayed, as things stood then.
#[derive(Default)]
pub(crate) struct Story {
    /// Every application made by an entry on its first replay, in that order.
    pub(crate) paid: Vec<Told>,
    /// Each credit on its first replay, in place order.
    pub(crate) credits: Vec<CreditTold>,
}

/// A credit as it came in.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CreditTold {
    pub(crate) place: usize,
    /// What it did not pay, kept as credit for later charges (an
    /// intercept's is refunded instead).
    pub(crate) kept: Money,
    /// The support due earlier in the same month still unpaid right after it
    /// came in (told with [`Telling::Why`]).
    pub(crate) still_due: Money,
}

/// One application as it was made.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Told {
    /// The place of the entry whose line shows it: the credit that paid, or
    /// for [`Bucket::FromCredit`], the charge that a kept credit paid — in
    /// either case the entry being replayed, so the story is in place order.
    pub(crate) line: usize,
    pub(crate) debt_due: NaiveDate,
    pub(crate) amount: Money,
    pub(crate) bucket: Bucket,
    /// This application paid the last of the debt (told with [`Telling::Why`]).
    pub(crate) settled: bool,
    /// The debt had been partly paid before (told with [`Telling::Why`]).
    pub(crate) rest: bool,
}

/// Replay order: by date; on the same day what is owed first, then what pays
/// or does nothing to it, then reversals, then re-instatements (reversals of
/// reversals); then by key, never by posting order (the id only separates
/// equal keys, which the database refuses). A reversal comes after every other
/// entry of its day because that is where it takes effect.
fn replay_order(entries: &[Entry], until: NaiveDate) -> Vec<&Entry> {
    let reversal_ids: HashSet<i64> = entries
        .iter()
        .filter(|e| matches!(e.kind, EntryKind::Reversal { .. }))
        .map(|e| e.id)
        .collect();
    // Day and same-day side in one number, where most comparisons end.
    let rank = |entry: &Entry| {
        let side = match entry.kind {
            EntryKind::Reversal { reverses } if reversal_ids.contains(&reverses) => 3,
            EntryKind::Reversal { .. } => 2,
            _ if entry.balance_effect().is_positive() => 0,
            _ => 1,
        };
        i64::from(entry.effective.num_days_from_ce()) * 4 + side
    };
    let mut ranked = Vec::with_capacity(entries.len());
    ranked.extend(
        entries
            .iter()
            .filter(|e| e.effective <= until)
            .map(|e| (rank(e), e)),
    );
    sort_nearly_sorted(&mut ranked);
    for same_rank in ranked.chunk_by_mut(|a, b| a.0 == b.0) {
        if same_rank.len() > 1 {
            same_rank.sort_unstable_by(|(_, a), (_, b)| a.key.cmp(&b.key).then(a.id.cmp(&b.id)));
        }
    }
    ranked.into_iter().map(|(_, e)| e).collect()
}

/// Sorts by rank. Entries are posted about when they happen, so each is at
/// most a few places from where it belongs: an insertion sort finishes in
/// about one pass. Input far from that order (more than a few moves per
/// entry) goes to the general sort instead of taking quadratic time.
fn sort_nearly_sorted<T: Copy>(ranked: &mut [(i64, T)]) {
    let mut moves_left = ranked.len() * 8;
    for next in 1..ranked.len() {
        let item = ranked[next];
        let mut at = next;
        while at > 0 && ranked[at - 1].0 > item.0 {
            ranked[at] = ranked[at - 1];
            at -= 1;
        }
        ranked[at] = item;
        match moves_left.checked_sub(next - at) {
            Some(left) => moves_left = left,
            None => return ranked.sort_unstable_by_key(|(rank, _)| *rank),
        }
    }
}

impl<'a> Walk<'a> {
    /// A walk over the entries effective up to `until`, before its first day.
    pub(crate) fn new(entries: &'a [Entry], until: NaiveDate) -> Self {
        let in_order = replay_order(entries, until);
        let (mut debts, mut credits) = (0, 0);
        for entry in &in_order {
            match Role::of(entry) {
                Some(Role::Debt) => debts += 1,
                Some(Role::Credit) => credits += 1,
                None => {}
            }
        }
        let reversals = locate_targets(&in_order);
        let cancelled = match reversals.is_empty() {
            true => Vec::new(),
            false => vec![false; in_order.len()],
        };
        Walk {
            in_order,
            cancelled,
            reversals,
            reversed: BTreeSet::new(),
            next: 0,
            told: 0,
            telling: Telling::Nothing,
            story: Story::default(),
            replay: Replay::with_capacity(debts, credits),
            day: NaiveDate::MIN,
        }
    }

    /// Keeps what each entry did the first time it was replayed ([`Story`]).
    pub(crate) fn telling(mut self, telling: Telling) -> Self {
        let (debts, credits) = (self.replay.debts.capacity(), self.replay.credits.capacity());
        self.telling = telling;
        self.story = Story {
            paid: Vec::with_capacity(debts + credits),
            credits: Vec::with_capacity(credits),
        };
        self
    }

    /// Replays through the end of `day` (days must not go backwards).
    pub(crate) fn advance_to(&mut self, day: NaiveDate) {
        self.day = day;
        while let Some(&entry) = self.in_order.get(self.next) {
            if entry.effective > day {
                break;
            }
            let place = self.next;
            self.next += 1;
            let first = place >= self.told;
            if first {
                self.told = place + 1;
            }
            if self.cancelled.get(place) == Some(&true) {
                continue;
            }
            match Role::of(entry) {
                Some(role) => self.replay_one(entry, place, role, first),
                None if first && matches!(entry.kind, EntryKind::Reversal { .. }) => {
                    if let Some(from) = self.take_effect(place) {
                        if from < self.next {
                            self.replay.undo_from(from);
                            self.next = from;
                        }
                    }
                }
                None => {}
            }
        }
    }

    fn replay_one(&mut self, entry: &Entry, place: usize, role: Role, first: bool) {
        let before = self.replay.applications.len();
        match role {
            Role::Debt => self.replay.owe(entry, place),
            Role::Credit => self.replay.pay(entry, place),
        }
        if !first || self.telling == Telling::Nothing {
            return;
        }
        let why = self.telling == Telling::Why;
        for n in before..self.replay.applications.len() {
            let application = &self.replay.applications[n];
            let applied = self.replay.applied[n];
            let debt = &self.replay.debts[applied.debt];
            let line = match application.bucket {
                Bucket::FromCredit => self.replay.debt_at[applied.debt],
                Bucket::Current | Bucket::PastDue => self.replay.credit_at[applied.credit],
            };
            // A statement reads the story in replay order, a line at a time.
            debug_assert_eq!(line, place, "told on another entry's line");
            self.story.paid.push(Told {
                line,
                debt_due: debt.due,
                amount: application.amount,
                bucket: application.bucket,
                settled: why && debt.unpaid().is_zero(),
                rest: why && debt.paid > application.amount,
            });
        }
        if role != Role::Credit {
            return;
        }
        let kept = self
            .replay
            .credits
            .last()
            .map_or(Money::ZERO, |c| c.unapplied);
        let still_due = match why {
            false => Money::ZERO,
            true => {
                let month_starts = entry.effective.with_day(1).unwrap_or(entry.effective);
                let debts = &self.replay.debts;
                let this_month = debts.partition_point(|d| d.due < month_starts);
                debts[this_month..]
                    .iter()
                    .filter(|d| d.due <= entry.effective)
                    .map(|d| d.unpaid())
                    .sum()
            }
        };
        self.story.credits.push(CreditTold {
            place,
            kept,
            still_due,
        });
    }

    /// Takes the reversal at `place` into account: the place from which the
    /// replay must be undone, if anything it did changes.
    fn take_effect(&mut self, place: usize) -> Option<usize> {
        let at = self.reversal_at(place)?;
        let toggle = self.toggle(at);
        self.reversals[at].toggled = toggle;
        // Only what is owed or pays changes the replay.
        toggle
            .map(|t| t.original)
            .filter(|&original| Role::of(self.in_order[original]).is_some())
    }

    fn reversal_at(&self, place: usize) -> Option<usize> {
        self.reversals
            .binary_search_by_key(&place, |r| r.place)
            .ok()
    }

    fn toggle(&mut self, at: usize) -> Option<Toggle> {
        let Reversal { place, target, .. } = self.reversals[at];
        let target = target?;
        let entry = self.in_order[target];
        if entry.effective > self.in_order[place].effective || self.cancelled[target] {
            return None;
        }
        let original = match entry.kind {
            // A re-instatement: the reversal it retracts no longer counts,
            // and the entry that reversal took out of history is back.
            EntryKind::Reversal { .. } => {
                let retracted = self.reversals[self.reversal_at(target)?].toggled;
                let original = retracted.filter(|t| t.cancelled)?.original;
                self.cancelled[target] = true;
                self.reversed.insert(entry.id);
                self.cancelled[original] = false;
                self.reversed.remove(&self.in_order[original].id);
                return Some(Toggle {
                    original,
                    cancelled: false,
                });
            }
            _ => target,
        };
        self.cancelled[original] = true;
        self.reversed.insert(entry.id);
        Some(Toggle {
            original,
            cancelled: true,
        })
    }

    /// Support past due at the end of the day walked to: unpaid support that
    /// fell due before it, interest left out (interest is never on interest).
    pub(crate) fn past_due_support(&self) -> Money {
        self.replay
            .debts
            .iter()
            .filter(|d| d.due < self.day && d.obligation != Some(ObligationKind::Interest))
            .map(|d| d.unpaid())
            .sum()
    }

    /// (balance, past-due, credit) at the end of the day walked to.
    pub(crate) fn position(&self) -> (Money, Money, Money) {
        self.replay.position(self.day)
    }

    /// The allocation at the day walked to.
    pub(crate) fn finish(self) -> Allocation {
        Allocation {
            as_of: self.day,
            debts: self.replay.debts,
            credits: self.replay.credits,
            applications: self.replay.applications,
            reversed: self.reversed,
        }
    }

    /// The walk at its last day, with where everything came from.
    pub(crate) fn finish_walked(self) -> Walked<'a> {
        Walked {
            in_order: self.in_order,
            reversals: self.reversals,
            cancelled: self.cancelled,
            story: self.story,
            allocation: Allocation {
                as_of: self.day,
                debts: self.replay.debts,
                credits: self.replay.credits,
                applications: self.replay.applications,
                reversed: self.reversed,
            },
            applied: self.replay.applied,
        }
    }
}

/// Every reversal in `in_order` with its target's place: one pass, whatever
/// the number of reversals.
fn locate_targets(in_order: &[&Entry]) -> Vec<Reversal> {
    let mut reversals: Vec<(i64, Reversal)> = in_order
        .iter()
        .enumerate()
        .filter_map(|(place, e)| match e.kind {
            EntryKind::Reversal { reverses } => Some((
                reverses,
                Reversal {
                    place,
                    target: None,
                    toggled: None,
                },
            )),
            _ => None,
        })
        .collect();
    if reversals.is_empty() {
        return Vec::new();
    }
    reversals.sort_unstable_by_key(|(target, r)| (*target, r.place));
    for (place, entry) in in_order.iter().enumerate() {
        let first = reversals.partition_point(|(target, _)| *target < entry.id);
        for (_, reversal) in reversals[first..]
            .iter_mut()
            .take_while(|(target, _)| *target == entry.id)
        {
            reversal.target.get_or_insert(place);
        }
    }
    let mut in_place_order: Vec<Reversal> = reversals.into_iter().map(|(_, r)| r).collect();
    in_place_order.sort_unstable_by_key(|r| r.place);
    in_place_order
}

/// A finished walk: the allocation at its last day, what each entry did as
/// things stood when it happened, and where each entry sits in replay order.
/// What a statement and an explanation read.
pub(crate) struct Walked<'a> {
    pub(crate) allocation: Allocation,
    pub(crate) story: Story,
    in_order: Vec<&'a Entry>,
    reversals: Vec<Reversal>,
    cancelled: Vec<bool>,
    /// Beside `allocation.applications`.
    applied: Vec<Applied>,
}

impl<'a> Walked<'a> {
    /// How many entries the walk went through.
    pub(crate) fn len(&self) -> usize {
        self.in_order.len()
    }

    /// The place in replay order of the first entry effective on or after `day`.
    pub(crate) fn place_of(&self, day: NaiveDate) -> usize {
        self.in_order.partition_point(|e| e.effective < day)
    }

    /// The entries from place `first` on, in replay order.
    pub(crate) fn entries_from(&self, first: usize) -> impl Iterator<Item = WalkedEntry<'a>> + '_ {
        let first = first.min(self.in_order.len());
        self.in_order[first..]
            .iter()
            .enumerate()
            .map(move |(n, &entry)| {
                let place = first + n;
                WalkedEntry {
                    entry,
                    toggled: self.toggled_by(entry, place),
                    reversed: self.cancelled.get(place) == Some(&true),
                }
            })
    }

    /// Each application standing at the end of the walk, with its debt's
    /// obligation (`None`: an adjustment).
    pub(crate) fn applications(
        &self,
    ) -> impl Iterator<Item = (&Application, Option<ObligationKind>)> {
        let allocation = &self.allocation;
        allocation
            .applications
            .iter()
            .zip(&self.applied)
            .map(|(application, applied)| (application, allocation.debts[applied.debt].obligation))
    }

    /// For a reversal at `place`: the entry it took out or put back.
    fn toggled_by(&self, entry: &Entry, place: usize) -> Option<(&'a Entry, bool)> {
        if !matches!(entry.kind, EntryKind::Reversal { .. }) {
            return None;
        }
        let found = self
            .reversals
            .binary_search_by_key(&place, |r| r.place)
            .ok()?;
        let toggle = self.reversals[found].toggled?;
        Some((self.in_order[toggle.original], toggle.cancelled))
    }
}

pub(crate) struct WalkedEntry<'a> {
    pub(crate) entry: &'a Entry,
    /// For a reversal that changed something: the entry it took out of
    /// history (`true`) or put back (`false`).
    pub(crate) toggled: Option<(&'a Entry, bool)>,
    /// No longer counts at the end of the walk.
    pub(crate) reversed: bool,
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::sort_nearly_sorted;

    fn sorted(mut ranked: Vec<(i64, usize)>) -> Vec<i64> {
        sort_nearly_sorted(&mut ranked);
        ranked.into_iter().map(|(rank, _)| rank).collect()
    }

    #[test]
    fn far_from_sorted_input_is_sorted_all_the_same() {
        let backwards: Vec<(i64, usize)> = (0..5_000).rev().map(|r| (r, 0)).collect();
        assert_eq!(sorted(backwards), (0..5_000).collect::<Vec<i64>>());
    }

    proptest! {
        #[test]
        fn sorts_any_input(ranks in prop::collection::vec(-50i64..50, 0..300)) {
            let input: Vec<(i64, usize)> = ranks.iter().copied().zip(0..).collect();
            let mut expected = ranks.clone();
            expected.sort_unstable();
            prop_assert_eq!(sorted(input), expected);
        }

        #[test]
        fn sorts_nearly_sorted_input(ranks in prop::collection::vec(0i64..4, 0..300)) {
            // Each rank a little off an increasing sequence.
            let input: Vec<(i64, usize)> = ranks.iter().enumerate().map(|(i, r)| (i as i64 + r, i)).collect();
            let mut expected: Vec<i64> = input.iter().map(|(r, _)| *r).collect();
            expected.sort_unstable();
            prop_assert_eq!(sorted(input), expected);
        }
    }
}
