//! What the ledger accepts beyond each entry's own fields: the rules that
//! depend on the entries already there. The caseworker's review and the
//! posting transaction both ask [`check`], so what a review promises is what
//! the transaction stores, and `server ledger verify` asks it of history.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use thiserror::Error;

use super::allocation::Allocation;
use super::entry::{Entry, EntryKind};
use super::money::Money;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum Refused {
    #[error("no such entry on this case")]
    NoSuchEntry,
    /// A reversal takes effect on its own date, so it cannot come before
    /// the entry it takes back.
    #[error("a reversal cannot be dated before the entry it reverses ({0})")]
    BeforeEntry(NaiveDate),
    #[error("this entry is already reversed")]
    AlreadyReversed,
    /// A re-instatement (a reversal of a reversal) is final: to take the
    /// entry out again, reverse the entry itself.
    #[error("a re-instatement cannot be reversed; reverse the entry itself instead")]
    Reinstatement,
    #[error("this reversal changed nothing, so reversing it changes nothing")]
    NoEffect,
    /// Money released would, on some day, be more than money held.
    #[error("more is released than is held on {0}")]
    MoreThanHeld(NaiveDate),
}

/// Whether `proposed` may join `entries`.
pub fn check(entries: &[Entry], proposed: &Entry) -> Result<(), Refused> {
    let standing = Allocation::replay(entries, NaiveDate::MAX).reversed;
    if let EntryKind::Reversal { reverses } = proposed.kind {
        let target = entries
            .iter()
            .find(|e| e.id == reverses)
            .ok_or(Refused::NoSuchEntry)?;
        if proposed.effective < target.effective {
            return Err(Refused::BeforeEntry(target.effective));
        }
        if standing.contains(&target.id) {
            return Err(Refused::AlreadyReversed);
        }
        if let EntryKind::Reversal { reverses: original } = target.kind {
            let original = entries.iter().find(|e| e.id == original);
            match original.map(|o| o.kind) {
                Some(EntryKind::Reversal { .. }) => return Err(Refused::Reinstatement),
                Some(_) if original.is_some_and(|o| standing.contains(&o.id)) => {}
                _ => return Err(Refused::NoEffect),
            }
        }
    }
    let moves_held = matches!(
        proposed.kind,
        EntryKind::Reversal { .. } | EntryKind::Hold | EntryKind::Release
    );
    if moves_held {
        let mut with: Vec<Entry> = entries.to_vec();
        with.push(proposed.clone());
        held_never_overdrawn(&with)?;
    }
    Ok(())
}

/// Checks that, in date order, money released never exceeds money held.
pub fn held_never_overdrawn(entries: &[Entry]) -> Result<(), Refused> {
    let out: BTreeSet<i64> = Allocation::replay(entries, NaiveDate::MAX).reversed;
    let mut moves: Vec<(NaiveDate, Money)> = entries
        .iter()
        .filter(|e| !out.contains(&e.id) && !e.held().is_zero())
        .map(|e| (e.effective, e.held()))
        .collect();
    // On one day, holds come before releases.
    moves.sort_by_key(|&(on, held)| (on, held.is_negative()));
    let mut held = Money::ZERO;
    for (on, change) in moves {
        held += change;
        if held.is_negative() {
            return Err(Refused::MoreThanHeld(on));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::entry::PaymentSource;
    use crate::ledger::testing::{date, entry, paid_by};

    fn reversal(id: i64, of: i64, on: NaiveDate) -> Entry {
        entry(id, EntryKind::Reversal { reverses: of }, 0, on)
    }

    #[test]
    fn a_reversal_is_dated_on_or_after_what_it_reverses() {
        let payment = paid_by(PaymentSource::Direct);
        let ledger = [entry(1, payment, 40_000, date(2025, 3, 10))];
        assert_eq!(
            check(&ledger, &reversal(2, 1, date(2025, 3, 9))),
            Err(Refused::BeforeEntry(date(2025, 3, 10)))
        );
        assert_eq!(check(&ledger, &reversal(2, 1, date(2025, 3, 10))), Ok(()));
        assert_eq!(
            check(&ledger, &reversal(2, 7, date(2025, 3, 10))),
            Err(Refused::NoSuchEntry)
        );
    }

    #[test]
    fn a_reversal_made_in_error_can_be_reversed_once_and_the_entry_again() {
        let payment = paid_by(PaymentSource::Direct);
        let mut ledger = vec![
            entry(1, payment, 40_000, date(2025, 3, 10)),
            reversal(2, 1, date(2025, 3, 12)),
        ];
        assert_eq!(
            check(&ledger, &reversal(3, 1, date(2025, 3, 13))),
            Err(Refused::AlreadyReversed)
        );
        let reinstate = reversal(3, 2, date(2025, 3, 14));
        assert_eq!(check(&ledger, &reinstate), Ok(()));
        ledger.push(reinstate);
        assert_eq!(
            check(&ledger, &reversal(4, 3, date(2025, 3, 15))),
            Err(Refused::Reinstatement)
        );
        assert_eq!(
            check(&ledger, &reversal(4, 2, date(2025, 3, 15))),
            Err(Refused::AlreadyReversed),
            "already retracted"
        );
        assert_eq!(
            check(&ledger, &reversal(4, 1, date(2025, 3, 15))),
            Ok(()),
            "the payment counts again, so it can be reversed again"
        );
    }

    #[test]
    fn money_released_is_never_more_than_money_held() {
        let ledger = vec![
            entry(1, EntryKind::Hold, 30_000, date(2025, 4, 1)),
            entry(2, EntryKind::Release, 20_000, date(2025, 4, 10)),
        ];
        let too_much = entry(3, EntryKind::Release, 10_001, date(2025, 4, 12));
        assert_eq!(
            check(&ledger, &too_much),
            Err(Refused::MoreThanHeld(date(2025, 4, 12)))
        );
        let early = entry(3, EntryKind::Release, 5_000, date(2025, 3, 30));
        assert_eq!(
            check(&ledger, &early),
            Err(Refused::MoreThanHeld(date(2025, 3, 30))),
            "nothing was held yet that day"
        );
        assert_eq!(
            check(&ledger, &reversal(3, 1, date(2025, 4, 20))),
            Err(Refused::MoreThanHeld(date(2025, 4, 10))),
            "a hold already released in part cannot be reversed"
        );
        assert_eq!(check(&ledger, &reversal(3, 2, date(2025, 4, 20))), Ok(()));
    }
}
