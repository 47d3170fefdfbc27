//! The annual service fee on never-assistance cases.
//!
//! Federal rules (42 U.S.C. 654(6)(B), 45 CFR 302.33(e)) have agencies charge a
//! yearly fee on a case whose family never received public assistance, once a
//! threshold has been collected and sent on to the family in a federal fiscal
//! year (October 1 to September 30): $35 after $550 since fiscal year 2019.
//! Agencies choose who pays; here it is kept from the money sent on to the
//! receiving parent, so it never changes what the paying parent owes.
//!
//! **The rule, stated once:** on a case marked never-assistance, once the
//! money sent on in the fiscal year has reached the threshold, the next money
//! sent on in that year gives up the fee first (all of it, or what is left of
//! it when a sending is smaller than the fee), until the year's fee is kept.
//! The sending that reaches the threshold is sent in full. Nothing is kept
//! when the agency's fee is zero (the default: off).

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::entry::Entry;
use super::money::Money;

/// The agency's fee: how much, and after how much sent on in a fiscal year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceFee {
    pub amount: Money,
    pub threshold: Money,
}

/// The federal fiscal year `day` is in, named by the year it ends in:
/// fiscal year 2027 runs from 2026-10-01 to 2027-09-30.
pub fn fiscal_year(day: NaiveDate) -> i32 {
    match day.month() {
        10..=12 => day.year() + 1,
        _ => day.year(),
    }
}

/// What to keep as the fee from `sending`, about to be sent on `day`, given
/// the case's entries (those in `reversed` no longer count).
pub fn to_keep(
    fee: ServiceFee,
    entries: &[Entry],
    reversed: &BTreeSet<i64>,
    day: NaiveDate,
    sending: Money,
) -> Money {
    if !fee.amount.is_positive() || !sending.is_positive() {
        return Money::ZERO;
    }
    let (sent, kept) = year_so_far(entries, reversed, fiscal_year(day), day);
    if sent < fee.threshold {
        return Money::ZERO;
    }
    let left = fee.amount - kept;
    if left.is_positive() {
        left.min(sending)
    } else {
        Money::ZERO
    }
}

/// What was kept as the fee in fiscal year `year` (entries in `reversed`
/// left out).
pub fn kept_in(entries: &[Entry], reversed: &BTreeSet<i64>, year: i32) -> Money {
    year_so_far(entries, reversed, year, NaiveDate::MAX).1
}

/// (sent on, kept as the fee) in fiscal year `year` through `day`.
fn year_so_far(
    entries: &[Entry],
    reversed: &BTreeSet<i64>,
    year: i32,
    day: NaiveDate,
) -> (Money, Money) {
    entries
        .iter()
        .filter(|e| e.effective <= day && fiscal_year(e.effective) == year)
        .filter(|e| !reversed.contains(&e.id))
        .fold((Money::ZERO, Money::ZERO), |(sent, kept), e| {
            (sent + e.sent(), kept + e.fee())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::testing::{date, dollars, entry_of as entry};
    use crate::ledger::EntryKind;
    use proptest::prelude::*;

    /// The federal amounts since fiscal year 2019.
    fn federal() -> ServiceFee {
        ServiceFee {
            amount: Money::from_cents(3_500),
            threshold: Money::from_cents(55_000),
        }
    }

    #[test]
    fn the_fiscal_year_starts_in_october() {
        assert_eq!(fiscal_year(date(2026, 9, 30)), 2026);
        assert_eq!(fiscal_year(date(2026, 10, 1)), 2027);
        assert_eq!(fiscal_year(date(2027, 1, 15)), 2027);
    }

    #[test]
    fn nothing_is_kept_until_the_threshold_has_been_sent_in_the_year() {
        let none = BTreeSet::new();
        let sent = |cents: &[i64]| -> Vec<Entry> {
            cents
                .iter()
                .zip(1..)
                .map(|(&c, id)| {
                    let on = date(2026, 10, 1) + chrono::Days::new(id as u64 * 7);
                    entry(id, EntryKind::Disbursement, Money::from_cents(c), on)
                })
                .collect()
        };
        let day = date(2027, 3, 1);
        // $549.99 sent: not yet; the sending that reaches $550 goes in full.
        assert_eq!(
            to_keep(federal(), &sent(&[54_999]), &none, day, dollars(300)),
            Money::ZERO
        );
        // $550 sent: the next sending gives up the fee.
        assert_eq!(
            to_keep(
                federal(),
                &sent(&[30_000, 25_000]),
                &none,
                day,
                dollars(300)
            ),
            dollars(35)
        );
        // A sending smaller than the fee gives all it has; the rest comes next.
        let mut entries = sent(&[55_000]);
        assert_eq!(
            to_keep(federal(), &entries, &none, day, dollars(20)),
            dollars(20)
        );
        entries.push(entry(9, EntryKind::Fee, dollars(20), day));
        assert_eq!(
            to_keep(federal(), &entries, &none, day, dollars(100)),
            dollars(15)
        );
        entries.push(entry(10, EntryKind::Fee, dollars(15), day));
        assert_eq!(
            to_keep(federal(), &entries, &none, day, dollars(100)),
            Money::ZERO
        );
        // A new fiscal year starts again from nothing sent.
        assert_eq!(
            to_keep(federal(), &entries, &none, date(2027, 10, 2), dollars(100)),
            Money::ZERO
        );
    }

    #[test]
    fn a_reversed_fee_is_kept_again_and_reversed_sendings_do_not_count() {
        let day = date(2027, 3, 1);
        let entries = vec![
            entry(1, EntryKind::Disbursement, dollars(600), date(2026, 11, 1)),
            entry(2, EntryKind::Fee, dollars(35), date(2026, 12, 1)),
        ];
        let mut reversed = BTreeSet::from([2]);
        assert_eq!(
            to_keep(federal(), &entries, &reversed, day, dollars(50)),
            dollars(35)
        );
        reversed.insert(1);
        assert_eq!(
            to_keep(federal(), &entries, &reversed, day, dollars(50)),
            Money::ZERO
        );
    }

    #[test]
    fn an_agency_without_a_fee_keeps_nothing() {
        let off = ServiceFee {
            amount: Money::ZERO,
            threshold: Money::ZERO,
        };
        let entries = vec![entry(
            1,
            EntryKind::Disbursement,
            dollars(900),
            date(2026, 11, 1),
        )];
        assert_eq!(
            to_keep(
                off,
                &entries,
                &BTreeSet::new(),
                date(2027, 1, 1),
                dollars(100)
            ),
            Money::ZERO
        );
    }

    proptest! {
        /// Whatever is sent, in whatever amounts: each fiscal year keeps the fee
        /// exactly once the threshold has been sent before, never more, and
        /// never more than a sending.
        #[test]
        fn each_year_keeps_the_fee_once_and_never_more(
            sendings in prop::collection::vec((0u64..800, 1i64..40_000), 1..60),
        ) {
            let mut entries: Vec<Entry> = Vec::new();
            let mut day = date(2025, 8, 1);
            for (n, (days, cents)) in sendings.into_iter().enumerate() {
                day = day + chrono::Days::new(days / 10);
                let sending = Money::from_cents(cents);
                let keep = to_keep(federal(), &entries, &BTreeSet::new(), day, sending);
                prop_assert!(!keep.is_negative() && keep <= sending);
                let id = 2 * n as i64;
                if keep < sending {
                    entries.push(entry(id + 1, EntryKind::Disbursement, sending - keep, day));
                }
                if keep.is_positive() {
                    entries.push(entry(id + 2, EntryKind::Fee, keep, day));
                }
            }
            let years: BTreeSet<i32> = entries.iter().map(|e| fiscal_year(e.effective)).collect();
            for year in years {
                let kept = kept_in(&entries, &BTreeSet::new(), year);
                if kept.is_zero() {
                    continue; // a year that kept none
                }
                prop_assert!(kept <= federal().amount, "{year}: kept {kept}");
                let sent_before_last: Money = entries
                    .iter()
                    .filter(|e| fiscal_year(e.effective) == year)
                    .map(Entry::sent)
                    .sum();
                prop_assert!(sent_before_last >= federal().threshold);
            }
        }
    }
}
