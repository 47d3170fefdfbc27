//! Money on its way to the receiving parent: what was sent, and what the
//! agency holds back.
//!
//! Disbursements, holds and releases never change what is owed (the paying
//! parent has paid either way); they say where the money went after.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::entry::{Entry, EntryKind};
use super::money::Money;

/// Money received and held back, not yet released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Held {
    /// The hold's entry (its note says why).
    pub entry: i64,
    pub since: NaiveDate,
    /// What of it is still held.
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ToReceiver {
    /// The latest money sent: when and how much.
    pub last_sent: Option<(NaiveDate, Money)>,
    /// Sent since January 1st of `today`'s year.
    pub sent_this_year: Money,
    pub on_hold: Vec<Held>,
}

/// Where the money stands on `today`, leaving out entries in `reversed`.
/// Releases let go of the oldest hold first.
pub fn to_receiver(entries: &[Entry], reversed: &BTreeSet<i64>, today: NaiveDate) -> ToReceiver {
    let mut counted: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.effective <= today && !reversed.contains(&e.id))
        .collect();
    counted.sort_by_key(|e| (e.effective, e.id));

    let mut result = ToReceiver::default();
    let mut released = Money::ZERO;
    for entry in counted {
        match entry.kind {
            EntryKind::Disbursement => {
                result.last_sent = Some((entry.effective, entry.amount));
                if entry.effective.year() == today.year() {
                    result.sent_this_year += entry.amount;
                }
            }
            EntryKind::Hold => result.on_hold.push(Held {
                entry: entry.id,
                since: entry.effective,
                amount: entry.amount,
            }),
            EntryKind::Release => released += entry.amount,
            _ => {}
        }
    }
    for held in &mut result.on_hold {
        let let_go = released.min(held.amount);
        held.amount -= let_go;
        released -= let_go;
    }
    result.on_hold.retain(|held| held.amount.is_positive());
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::entry::PaymentSource;
    use crate::ledger::testing::{date, entry_in_dollars as entry, paid_by};
    use proptest::prelude::*;

    #[test]
    fn a_release_lets_go_of_the_oldest_hold_and_reversed_sends_do_not_count() {
        let payment = paid_by(PaymentSource::TaxIntercept);
        let entries = [
            entry(1, payment, 900, date(2025, 12, 20)),
            entry(2, EntryKind::Disbursement, 300, date(2025, 12, 22)),
            entry(3, EntryKind::Hold, 600, date(2026, 3, 1)),
            entry(4, EntryKind::Hold, 200, date(2026, 4, 1)),
            entry(5, EntryKind::Release, 700, date(2026, 5, 1)),
            entry(6, EntryKind::Disbursement, 700, date(2026, 5, 2)),
            entry(7, EntryKind::Disbursement, 50, date(2026, 6, 1)),
            entry(8, EntryKind::Disbursement, 75, date(2026, 7, 1)),
        ];
        let reversed = BTreeSet::from([7]);
        let now = to_receiver(&entries, &reversed, date(2026, 6, 30));
        assert_eq!(
            now.last_sent,
            Some((date(2026, 5, 2), Money::from_cents(70_000)))
        );
        assert_eq!(
            now.sent_this_year,
            Money::from_cents(70_000),
            "not last year's"
        );
        assert_eq!(
            now.on_hold,
            [Held {
                entry: 4,
                since: date(2026, 4, 1),
                amount: Money::from_cents(10_000),
            }]
        );
        let before_release = to_receiver(&entries, &reversed, date(2026, 4, 30));
        let held: Money = before_release.on_hold.iter().map(|h| h.amount).sum();
        assert_eq!(held, Money::from_cents(80_000));
    }

    proptest! {
        /// Whatever the order, what is held is what was held minus what was
        /// released (never below zero), and never more than any one hold.
        #[test]
        fn held_is_holds_minus_releases(
            moves in prop::collection::vec((any::<bool>(), 1i64..1_000, 0u32..60), 0..30)
        ) {
            let entries: Vec<Entry> = moves
                .iter()
                .enumerate()
                .map(|(i, &(hold, dollars, day))| {
                    let kind = if hold { EntryKind::Hold } else { EntryKind::Release };
                    let on = date(2026, 1, 1) + chrono::Days::new(u64::from(day));
                    entry(i as i64 + 1, kind, dollars, on)
                })
                .collect();
            let result = to_receiver(&entries, &BTreeSet::new(), date(2026, 12, 31));
            let sum = |hold: bool| -> Money {
                moves.iter().filter(|m| m.0 == hold).map(|m| Money::from_cents(m.1 * 100)).sum()
            };
            let expected = (sum(true) - sum(false)).max(Money::ZERO);
            let held: Money = result.on_hold.iter().map(|h| h.amount).sum();
            prop_assert_eq!(held, expected);
        }
    }
}
