//! Interest on past-due support, where the agency charges it
//! (`ledger.interest`, an annual rate; off by default).
//!
//! **The rule, stated once.** Interest is simple — never charged on interest —
//! and worked out per calendar month: the support past due at the end of the
//! month (unpaid support that fell due before its last day, interest left
//! out) × the annual rate × the month's days ÷ 365, rounded to the cent,
//! halves away from zero ([`Money::round`]). It is charged on the first day
//! of the next month, as its own obligation kind, and paid after all support.
//! Months before `from` (the day the agency began charging) owe none; a month
//! that `from` falls in owes for its days from `from` on.

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::entry::{Entry, EntryKind, ObligationKind};
use super::money::Money;
use super::walk::Walk;

/// The agency's interest: an annual simple rate, from a day on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterestPolicy {
    /// Annual, e.g. 0.06 for 6 %. Positive.
    pub rate: Decimal,
    /// The first day interest counts.
    pub from: NaiveDate,
}

/// Interest for one month, charged on the first day of the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterestDue {
    /// The first day of the month it is for.
    pub month: NaiveDate,
    /// The day it is charged: the first of the next month.
    pub on: NaiveDate,
    /// Support past due at the end of the month.
    pub past_due: Money,
    pub amount: Money,
}

impl InterestDue {
    /// Unique across the ledger: one per case and month.
    pub fn key(&self, case: i32) -> String {
        format!("interest:{case}:{}", self.month.format("%Y-%m"))
    }

    /// The entry that charges it.
    pub fn entry(&self, id: i64, case: i32) -> Entry {
        Entry {
            id,
            key: self.key(case),
            kind: EntryKind::Charge {
                obligation: ObligationKind::Interest,
            },
            amount: self.amount,
            effective: self.on,
        }
    }
}

/// The interest of every month that ended before `through` (charged on or
/// before it), on the ledger `entries`. Months that owe nothing are left out.
pub fn interest_due(
    entries: &[Entry],
    policy: InterestPolicy,
    through: NaiveDate,
) -> Vec<InterestDue> {
    let mut due = Vec::new();
    let Some(first) = entries.iter().map(|e| e.effective).min() else {
        return due;
    };
    let start = first.max(policy.from);
    let Some(mut month) = start.with_day(1) else {
        return due;
    };
    let mut walk = Walk::new(entries, through);
    while let Some(next) = month.checked_add_months(Months::new(1)) {
        if next > through {
            break;
        }
        let Some(last) = next.pred_opt() else {
            break;
        };
        walk.advance_to(last);
        let past_due = walk.past_due_support();
        let counted_from = month.max(policy.from);
        let days = (next - counted_from).num_days();
        let exact = past_due.amount() * policy.rate * Decimal::from(days) / Decimal::from(365);
        // The rate is at most 100 % (the configuration refuses more), so a
        // month's interest is less than what is past due: it always rounds.
        let amount = Money::round(exact).unwrap_or(past_due);
        if amount.is_positive() {
            due.push(InterestDue {
                month,
                on: next,
                past_due,
                amount,
            });
        }
        month = next;
    }
    due
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::entry::PaymentSource;
    use crate::ledger::testing::{date, entry, paid_by};
    use crate::ledger::Allocation;

    const CHARGE: EntryKind = EntryKind::Charge {
        obligation: ObligationKind::ChildSupport,
    };

    fn six_percent(from: NaiveDate) -> InterestPolicy {
        InterestPolicy {
            rate: Decimal::new(6, 2),
            from,
        }
    }

    #[test]
    fn a_month_owes_rate_times_past_due_times_its_days_over_365_rounded_once() {
        let entries = [
            entry(1, CHARGE, 100_000, date(2025, 1, 1)),
            entry(2, CHARGE, 100_000, date(2025, 2, 1)),
            entry(3, CHARGE, 100_000, date(2025, 3, 31)),
        ];
        let due = interest_due(&entries, six_percent(date(2025, 1, 1)), date(2025, 4, 1));
        let amounts: Vec<(NaiveDate, i64, i64)> = due
            .iter()
            .map(|d| (d.on, d.past_due.test_cents(), d.amount.test_cents()))
            .collect();
        assert_eq!(
            amounts,
            [
                // $1,000 × 6 % × 31/365 = $5.0958… → $5.10
                (date(2025, 2, 1), 100_000, 510),
                // $2,000 × 6 % × 28/365 = $9.2054… → $9.21
                (date(2025, 3, 1), 200_000, 921),
                // March 31's charge is not yet past due on March 31.
                (date(2025, 4, 1), 200_000, 1_019),
            ]
        );
        assert_eq!(due[0].key(7), "interest:7:2025-01");
    }

    #[test]
    fn interest_is_simple_counts_from_its_first_day_and_is_paid_last() {
        let mut entries = vec![entry(1, CHARGE, 100_000, date(2025, 1, 1))];
        // From January 16: half of January's days.
        let policy = six_percent(date(2025, 1, 16));
        let january = interest_due(&entries, policy, date(2025, 2, 1));
        assert_eq!(january.len(), 1);
        // $1,000 × 6 % × 16/365 = $2.6301… → $2.63
        assert_eq!(january[0].amount, Money::from_cents(263));
        entries.push(january[0].entry(2, 1));
        let february = interest_due(&entries, policy, date(2025, 3, 1));
        // February's base is the support alone, not January's interest.
        assert_eq!(february[1].past_due, Money::from_cents(100_000));

        // A payment pays the support first, the interest after.
        entries.push(entry(
            3,
            paid_by(PaymentSource::Direct),
            100_100,
            date(2025, 2, 10),
        ));
        let now = Allocation::replay(&entries, date(2025, 2, 10));
        let interest = now.debts.iter().find(|d| d.entry == 2);
        assert_eq!(interest.map(|d| d.paid), Some(Money::from_cents(100)));
        assert_eq!(now.debts[0].unpaid(), Money::ZERO);
    }
}
