//! Why the balance is what it is, entry by entry, in plain words.
//!
//! [`explain`] returns language-neutral facts ([`Reason`]); pages turn them
//! into sentences in the reader's language ([`super::wording`]);
//! [`Explained::english`] is the reference wording, used in tests and logs.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::allocation::{Allocation, Bucket};
use super::entry::{Entry, EntryKind, ObligationKind, PaymentSource};
use super::money::Money;
pub use super::wording::Language;

/// How a charge turned out, as of the end of the explained range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    PaidOnTime,
    /// Paid in full after the due date. `timing`: within the grace period,
    /// which usually means money in transit, not a missed payment.
    PaidLate {
        days: i64,
        timing: bool,
    },
    /// Some of it is still unpaid, `days` after it fell due.
    Unpaid {
        left: Money,
        days: i64,
        timing: bool,
    },
    /// Reversed: it no longer counts.
    Cancelled,
}

/// Part of a payment that paid the support of one due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paid {
    pub due: NaiveDate,
    pub amount: Money,
    /// This payment paid the last of it.
    pub settled: bool,
    /// It had been partly paid before.
    pub rest: bool,
    pub bucket: Bucket,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    Due {
        obligation: Option<ObligationKind>,
        amount: Money,
        outcome: Outcome,
    },
    Received {
        /// `None`: an adjustment that reduced what is owed.
        source: Option<PaymentSource>,
        amount: Money,
        paid: Vec<Paid>,
        kept_as_credit: Money,
        /// Support of this month still unpaid right after it came in.
        still_due_this_month: Money,
        cancelled: bool,
    },
    Reversed {
        original: NaiveDate,
        amount: Money,
        was_payment: bool,
    },
    SentToReceiver {
        amount: Money,
    },
    Held {
        amount: Money,
    },
    Released {
        amount: Money,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explained {
    pub entry: i64,
    pub date: NaiveDate,
    pub reason: Reason,
}

/// Explains every entry dated from `from` to `to`, as things stood at the end
/// of `to`. Payments are late "only by timing" within `grace_days`.
pub fn explain(
    entries: &[Entry],
    from: NaiveDate,
    to: NaiveDate,
    grace_days: u32,
) -> Vec<Explained> {
    let state = Allocation::replay(entries, to);
    let mut shown: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.effective >= from && e.effective <= to)
        .collect();
    shown.sort_by(|a, b| (a.effective, &a.key, a.id).cmp(&(b.effective, &b.key, b.id)));

    shown
        .into_iter()
        .map(|entry| Explained {
            entry: entry.id,
            date: entry.effective,
            reason: reason(entry, entries, &state, grace_days),
        })
        .collect()
}

fn reason(entry: &Entry, entries: &[Entry], state: &Allocation, grace_days: u32) -> Reason {
    let cancelled = state.reversed.contains(&entry.id);
    let within_grace = |days: i64| days <= i64::from(grace_days);
    match entry.kind {
        EntryKind::Charge { .. } | EntryKind::Adjustment
            if entry.balance_effect().is_positive() =>
        {
            let obligation = match entry.kind {
                EntryKind::Charge { obligation } => Some(obligation),
                _ => None,
            };
            let debt = state.debts.iter().find(|d| d.entry == entry.id);
            let outcome = match debt {
                None => Outcome::Cancelled,
                Some(debt) => match debt.settled_on {
                    Some(day) if day <= debt.due => Outcome::PaidOnTime,
                    Some(day) => {
                        let days = (day - debt.due).num_days();
                        Outcome::PaidLate {
                            days,
                            timing: within_grace(days),
                        }
                    }
                    None => {
                        let days = (state.as_of - debt.due).num_days();
                        Outcome::Unpaid {
                            left: debt.unpaid(),
                            days,
                            timing: within_grace(days),
                        }
                    }
                },
            };
            Reason::Due {
                obligation,
                amount: entry.amount,
                outcome,
            }
        }
        EntryKind::Payment { .. } | EntryKind::Adjustment => {
            let source = match entry.kind {
                EntryKind::Payment { source } => Some(source),
                _ => None,
            };
            received(entry, source, state, cancelled)
        }
        EntryKind::Charge { .. } => Reason::Due {
            obligation: None,
            amount: Money::ZERO,
            outcome: Outcome::Cancelled,
        },
        EntryKind::Reversal { reverses } => {
            let original = entries.iter().find(|e| e.id == reverses);
            Reason::Reversed {
                original: original.map_or(entry.effective, |o| o.effective),
                amount: original.map_or(Money::ZERO, |o| o.amount.abs()),
                was_payment: original.is_some_and(|o| o.balance_effect().is_negative()),
            }
        }
        EntryKind::Disbursement => Reason::SentToReceiver {
            amount: entry.amount,
        },
        EntryKind::Hold => Reason::Held {
            amount: entry.amount,
        },
        EntryKind::Release => Reason::Released {
            amount: entry.amount,
        },
    }
}

fn received(
    entry: &Entry,
    source: Option<PaymentSource>,
    state: &Allocation,
    cancelled: bool,
) -> Reason {
    let amount = entry.amount.abs();
    let mine = || state.applications.iter().filter(|a| a.credit == entry.id);
    let paid: Vec<Paid> = mine()
        .filter(|a| a.bucket != Bucket::FromCredit)
        .filter_map(|a| {
            let debt = state.debts.iter().find(|d| d.entry == a.debt)?;
            let paid_before: Money = state
                .applications
                .iter()
                .filter(|b| b.debt == a.debt && b.on < a.on)
                .map(|b| b.amount)
                .sum();
            let paid_through_now: Money = state
                .applications
                .iter()
                .filter(|b| b.debt == a.debt && b.on <= a.on)
                .map(|b| b.amount)
                .sum();
            Some(Paid {
                due: debt.due,
                amount: a.amount,
                settled: paid_through_now == debt.amount,
                rest: paid_before.is_positive(),
                bucket: a.bucket,
            })
        })
        .collect();
    let used_now: Money = paid.iter().map(|p| p.amount).sum();
    let month = (entry.effective.year(), entry.effective.month());
    let still_due_this_month = state
        .debts
        .iter()
        .filter(|d| (d.due.year(), d.due.month()) == month && d.due <= entry.effective)
        .map(|d| {
            let paid_by_then: Money = state
                .applications
                .iter()
                .filter(|a| a.debt == d.entry && a.on <= entry.effective)
                .map(|a| a.amount)
                .sum();
            d.amount - paid_by_then
        })
        .sum();
    Reason::Received {
        source,
        amount,
        kept_as_credit: if cancelled {
            Money::ZERO
        } else {
            amount - used_now
        },
        paid,
        still_due_this_month,
        cancelled,
    }
}

impl Explained {
    /// The reference English wording.
    pub fn english(&self) -> String {
        self.in_words(Language::English)
    }

    /// The sentence a person reads, in `language`.
    pub fn in_words(&self, language: Language) -> String {
        super::wording::sentence(self, language)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn dollars(amount: i64) -> Money {
        Money::from_cents(amount * 100)
    }

    fn entry(id: i64, kind: EntryKind, amount: i64, on: NaiveDate) -> Entry {
        Entry {
            id,
            key: format!("e{id}"),
            kind,
            amount: dollars(amount),
            effective: on,
        }
    }

    const CHARGE: EntryKind = EntryKind::Charge {
        obligation: ObligationKind::ChildSupport,
    };
    const WITHHOLDING: EntryKind = EntryKind::Payment {
        source: PaymentSource::IncomeWithholding,
    };

    #[test]
    fn a_payment_is_explained_by_what_it_paid() {
        let entries = [
            entry(1, CHARGE, 400, date(2024, 3, 1)),
            entry(2, WITHHOLDING, 250, date(2024, 3, 20)),
            entry(3, CHARGE, 400, date(2024, 4, 1)),
            entry(4, WITHHOLDING, 250, date(2024, 4, 2)),
        ];
        let lines = explain(&entries, date(2024, 3, 1), date(2024, 4, 30), 5);
        let words: Vec<String> = lines.iter().map(Explained::english).collect();
        assert_eq!(
            words[1],
            "$250.00 received Mar 20 paid $250.00 toward March. $150.00 of March's support is still due."
        );
        assert_eq!(
            words[3],
            "$250.00 received Apr 2 paid $250.00 toward April. $150.00 of April's support is still due."
        );
        assert_eq!(
            words[0],
            "$400.00 fell due Mar 1. $150.00 of it is past due by 60 days."
        );
    }

    #[test]
    fn the_rest_of_a_month_and_a_credit_are_named() {
        let entries = [
            entry(1, CHARGE, 400, date(2024, 5, 1)),
            entry(2, WITHHOLDING, 100, date(2024, 5, 2)),
            entry(
                3,
                EntryKind::Payment {
                    source: PaymentSource::TaxIntercept,
                },
                500,
                date(2024, 5, 20),
            ),
        ];
        let lines = explain(&entries, date(2024, 5, 1), date(2024, 5, 31), 5);
        assert_eq!(
            lines[2].english(),
            "$500.00 received May 20 paid the rest of May and $200.00 kept as credit for the next payment due."
        );
    }

    #[test]
    fn a_few_days_late_is_timing_not_trouble() {
        let entries = [
            entry(1, CHARGE, 400, date(2024, 6, 1)),
            entry(2, WITHHOLDING, 400, date(2024, 6, 4)),
            entry(3, CHARGE, 400, date(2024, 7, 1)),
            entry(4, WITHHOLDING, 400, date(2024, 7, 30)),
        ];
        let lines = explain(&entries, date(2024, 6, 1), date(2024, 7, 31), 5);
        assert!(matches!(
            lines[0].reason,
            Reason::Due {
                outcome: Outcome::PaidLate {
                    days: 3,
                    timing: true
                },
                ..
            }
        ));
        assert!(matches!(
            lines[2].reason,
            Reason::Due {
                outcome: Outcome::PaidLate {
                    days: 29,
                    timing: false
                },
                ..
            }
        ));
        assert!(lines[0]
            .english()
            .contains("a matter of timing, not a missed payment"));
    }

    #[test]
    fn a_reversal_says_what_no_longer_counts() {
        let entries = [
            entry(1, CHARGE, 400, date(2024, 8, 1)),
            entry(
                2,
                EntryKind::Payment {
                    source: PaymentSource::Direct,
                },
                400,
                date(2024, 8, 2),
            ),
            Entry {
                id: 3,
                key: "r".into(),
                kind: EntryKind::Reversal { reverses: 2 },
                amount: Money::ZERO,
                effective: date(2024, 8, 9),
            },
        ];
        let lines = explain(&entries, date(2024, 8, 1), date(2024, 8, 31), 5);
        assert_eq!(
            lines[1].english(),
            "$400.00 received Aug 2 was reversed and paid nothing."
        );
        assert_eq!(
            lines[2].english(),
            "The $400.00 payment of Aug 2 was reversed on Aug 9: it no longer counts."
        );
    }
}
