//! A replay that moves forward day by day through a case's history and takes
//! each reversal into account on the day it happens.
//!
//! A reversal takes an entry out of history as if it had never been posted:
//! the walk undoes everything from that entry's place in replay order on and
//! replays again without it. A statement reads the position at each month's
//! end from one walk this way, exactly as a full replay to that day would.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};

use super::allocation::{Allocation, Application, Applied, Replay, Role};
use super::entry::{Entry, EntryKind, ObligationKind};
use super::money::Money;

pub(crate) struct Walk<'a> {
    /// Every entry up to the walk's last day, in replay order.
    in_order: Vec<&'a Entry>,
    /// Every reversal up to the last day, in replay order (so by day).
    reversals: Vec<Reversal>,
    next_reversal: usize,
    reversed: BTreeSet<i64>,
    /// Beside `in_order`, empty when there is no reversal: cancelled so far.
    cancelled: Vec<bool>,
    /// The place in `in_order` of the next entry to replay.
    next: usize,
    replay: Replay,
    day: NaiveDate,
}

#[derive(Debug, Clone, Copy)]
struct Reversal {
    on: NaiveDate,
    /// The reversal's own place in replay order.
    place: usize,
    target: i64,
    /// The target's place in replay order, if it is there at all.
    target_place: Option<usize>,
}

/// The order entries are replayed and shown in: by date; on the same day what
/// is owed first, then what pays or does nothing to it; then by key, never by
/// posting order (the id only separates equal keys, which the database refuses).
fn replay_order(entries: &[Entry], until: NaiveDate) -> Vec<&Entry> {
    // Day and same-day side in one number, where most comparisons end.
    let rank = |entry: &Entry| {
        let pays_or_other = !entry.balance_effect().is_positive();
        i64::from(entry.effective.num_days_from_ce()) * 2 + i64::from(pays_or_other)
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
        let mut reversals: Vec<Reversal> = in_order
            .iter()
            .enumerate()
            .filter_map(|(place, e)| match e.kind {
                EntryKind::Reversal { reverses } => Some(Reversal {
                    on: e.effective,
                    place,
                    target: reverses,
                    target_place: None,
                }),
                _ => None,
            })
            .collect();
        locate_targets(&in_order, &mut reversals);
        let (mut debts, mut credits) = (0, 0);
        for entry in &in_order {
            match Role::of(entry) {
                Some(Role::Debt) => debts += 1,
                Some(Role::Credit) => credits += 1,
                None => {}
            }
        }
        let replay = Replay::with_capacity(debts, credits);
        let cancelled = if reversals.is_empty() {
            Vec::new()
        } else {
            vec![false; in_order.len()]
        };
        Walk {
            in_order,
            reversals,
            next_reversal: 0,
            reversed: BTreeSet::new(),
            cancelled,
            next: 0,
            replay,
            day: NaiveDate::MIN,
        }
    }

    /// Replays through the end of `day` (days must not go backwards).
    pub(crate) fn advance_to(&mut self, day: NaiveDate) {
        self.day = day;
        let mut undo_from = self.next;
        while let Some(&reversal) = self.reversals.get(self.next_reversal) {
            if reversal.on > day {
                break;
            }
            self.next_reversal += 1;
            if !self.reversed.insert(reversal.target) {
                continue;
            }
            if let Some(place) = reversal.target_place {
                self.cancelled[place] = true;
                undo_from = undo_from.min(place);
            }
        }
        if undo_from < self.next {
            self.replay.undo_from(undo_from);
            self.next = undo_from;
        }
        while let Some(&entry) = self.in_order.get(self.next) {
            if entry.effective > day {
                break;
            }
            let place = self.next;
            self.next += 1;
            if self.cancelled.get(place) == Some(&true) {
                continue;
            }
            match Role::of(entry) {
                Some(Role::Debt) => self.replay.owe(entry, place),
                Some(Role::Credit) => self.replay.pay(entry, place),
                None => {}
            }
        }
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
            allocation: Allocation {
                as_of: self.day,
                debts: self.replay.debts,
                credits: self.replay.credits,
                applications: self.replay.applications,
                reversed: self.reversed,
            },
            applied: self.replay.applied,
            debt_at: self.replay.debt_at,
            credit_at: self.replay.credit_at,
        }
    }
}

/// Finds each reversal's target in `in_order`: one pass, whatever the
/// number of reversals.
fn locate_targets(in_order: &[&Entry], reversals: &mut [Reversal]) {
    if reversals.is_empty() {
        return;
    }
    let mut targets: Vec<(i64, usize)> = reversals
        .iter()
        .enumerate()
        .map(|(r, reversal)| (reversal.target, r))
        .collect();
    targets.sort_unstable();
    for (place, entry) in in_order.iter().enumerate() {
        let first = targets.partition_point(|&(target, _)| target < entry.id);
        for &(_, r) in targets[first..].iter().take_while(|(t, _)| *t == entry.id) {
            reversals[r].target_place.get_or_insert(place);
        }
    }
}

/// A finished walk: the allocation at its last day, and for each entry and
/// each application, where it sits in replay order. What a statement reads.
pub(crate) struct Walked<'a> {
    pub(crate) allocation: Allocation,
    in_order: Vec<&'a Entry>,
    reversals: Vec<Reversal>,
    cancelled: Vec<bool>,
    /// Beside `allocation.applications`, `.debts` and `.credits`.
    applied: Vec<Applied>,
    debt_at: Vec<usize>,
    credit_at: Vec<usize>,
}

impl<'a> Walked<'a> {
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
                    cancels: self.cancelled_by(entry, place),
                    reversed: self.cancelled.get(place) == Some(&true),
                }
            })
    }

    /// Each application, with the places in replay order of the credit that
    /// paid and of the debt it paid, and that debt's obligation.
    pub(crate) fn applications(&self) -> impl Iterator<Item = Paying<'_>> {
        let allocation = &self.allocation;
        allocation
            .applications
            .iter()
            .zip(&self.applied)
            .map(|(application, applied)| Paying {
                application,
                credit_place: self.credit_at[applied.credit],
                debt_place: self.debt_at[applied.debt],
                obligation: allocation.debts[applied.debt].obligation,
            })
    }

    /// For a reversal at `place`: the entry it cancels, if it was found.
    fn cancelled_by(&self, entry: &Entry, place: usize) -> Option<&'a Entry> {
        if !matches!(entry.kind, EntryKind::Reversal { .. }) {
            return None;
        }
        let found = self
            .reversals
            .binary_search_by_key(&place, |r| r.place)
            .ok()?;
        let target = self.reversals[found].target_place?;
        self.in_order.get(target).copied()
    }
}

pub(crate) struct WalkedEntry<'a> {
    pub(crate) entry: &'a Entry,
    /// For a reversal: the entry it cancels.
    pub(crate) cancels: Option<&'a Entry>,
    /// Cancelled by a reversal.
    pub(crate) reversed: bool,
}

pub(crate) struct Paying<'w> {
    pub(crate) application: &'w Application,
    pub(crate) credit_place: usize,
    pub(crate) debt_place: usize,
    /// `None`: an adjustment.
    pub(crate) obligation: Option<ObligationKind>,
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
