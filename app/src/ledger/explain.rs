//! Why the balance is what it is, entry by entry, in plain words.
//!
//! [`explain`] returns language-neutral facts ([`Reason`]); pages turn them
//! into sentences in the reader's language ([`super::wording`], where
//! [`Explained::english`] is the reference wording, used in tests and logs).

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::allocation::{Bucket, Debt};
use super::entry::{Entry, EntryKind, ObligationKind, PaymentSource};
use super::money::Money;
use super::walk::{Telling, Walk, Walked};

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
    /// Some of it is still unpaid, `days` after it fell due. `timing`: only
    /// days late on a case that is otherwise current.
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

/// What a reversal took out of history (or put back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reversed {
    Payment,
    Charge,
    /// An adjustment that had added to what is owed.
    IncreaseAdjustment,
    /// An adjustment that had lowered what is owed.
    DecreaseAdjustment,
    Disbursement,
    Hold,
    Release,
    Fee,
}

impl Reversed {
    fn of(entry: &Entry) -> Option<Self> {
        Some(match entry.kind {
            EntryKind::Payment { .. } => Reversed::Payment,
            EntryKind::Charge { .. } => Reversed::Charge,
            EntryKind::Adjustment if entry.amount.is_positive() => Reversed::IncreaseAdjustment,
            EntryKind::Adjustment => Reversed::DecreaseAdjustment,
            EntryKind::Disbursement => Reversed::Disbursement,
            EntryKind::Hold => Reversed::Hold,
            EntryKind::Release => Reversed::Release,
            EntryKind::Fee => Reversed::Fee,
            EntryKind::Reversal { .. } => return None,
        })
    }
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
        /// `None`: an adjustment that lowered what is owed (not a payment).
        source: Option<PaymentSource>,
        amount: Money,
        /// What it paid the day it came in.
        paid: Vec<Paid>,
        kept_as_credit: Money,
        /// Support of this month still unpaid right after it came in.
        still_due_this_month: Money,
        /// Reversed later, on this day: it no longer counts.
        reversed_on: Option<NaiveDate>,
    },
    /// A reversal took an entry out of history, or (`put_back`) a reversal
    /// made in error was itself reversed and the entry counts again.
    Reversed {
        original: NaiveDate,
        amount: Money,
        what: Reversed,
        put_back: bool,
    },
    /// A reversal that changed nothing (refused by today's posting rules).
    NoEffect,
    SentToReceiver {
        amount: Money,
    },
    Held {
        amount: Money,
    },
    Released {
        amount: Money,
    },
    /// The agency's yearly service fee, kept from money sent on.
    ServiceFee {
        amount: Money,
        fiscal_year: i32,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explained {
    pub entry: i64,
    pub date: NaiveDate,
    pub reason: Reason,
}

/// Explains every entry dated from `from` to `to`, in replay order: what each
/// did on its day, and how each charge stood at the end of `to`. Support
/// unpaid for at most `grace_days` is "only days late" when nothing older is.
pub fn explain(
    entries: &[Entry],
    from: NaiveDate,
    to: NaiveDate,
    grace_days: u32,
) -> Vec<Explained> {
    let mut walk = Walk::new(entries, to).telling(Telling::Why);
    walk.advance_to(to);
    let walked = walk.finish_walked();
    let context = Context::of(&walked, grace_days);
    let first = walked.place_of(from);
    walked
        .entries_from(first)
        .enumerate()
        .map(|(n, walked_entry)| {
            let entry = walked_entry.entry;
            let reason = match (entry.kind, walked_entry.toggled) {
                (EntryKind::Reversal { .. }, toggled) => toggled
                    .and_then(|(original, cancelled)| {
                        Some(Reason::Reversed {
                            original: original.effective,
                            amount: original.amount.abs(),
                            what: Reversed::of(original)?,
                            put_back: !cancelled,
                        })
                    })
                    .unwrap_or(Reason::NoEffect),
                _ => context.reason(entry, first + n),
            };
            Explained {
                entry: entry.id,
                date: entry.effective,
                reason,
            }
        })
        .collect()
}

/// What explaining one entry needs from the whole walk.
struct Context<'w> {
    walked: &'w Walked<'w>,
    debts: HashMap<i64, &'w Debt>,
    /// Paid by each credit the day it came in, by its place.
    paid: HashMap<usize, Vec<Paid>>,
    /// Still due this month right after each credit came in, by its place.
    still_due: HashMap<usize, Money>,
    /// The day each entry out of history was reversed.
    reversed_on: HashMap<i64, NaiveDate>,
    grace_days: u32,
    /// Nothing is unpaid beyond the grace days: a shortfall can be timing.
    otherwise_current: bool,
}

impl<'w> Context<'w> {
    fn of(walked: &'w Walked<'w>, grace_days: u32) -> Self {
        let allocation = &walked.allocation;
        let mut paid: HashMap<usize, Vec<Paid>> = HashMap::new();
        for told in walked
            .story
            .paid
            .iter()
            .filter(|t| t.bucket != Bucket::FromCredit)
        {
            paid.entry(told.line).or_default().push(Paid {
                due: told.debt_due,
                amount: told.amount,
                settled: told.settled,
                rest: told.rest,
                bucket: told.bucket,
            });
        }
        let reversed_on = walked
            .entries_from(0)
            .filter_map(|w| match w.toggled {
                Some((original, true)) if allocation.reversed.contains(&original.id) => {
                    Some((original.id, w.entry.effective))
                }
                _ => None,
            })
            .collect();
        Context {
            walked,
            debts: allocation.debts.iter().map(|d| (d.entry, d)).collect(),
            paid,
            still_due: walked
                .story
                .credits
                .iter()
                .map(|c| (c.place, c.still_due))
                .collect(),
            reversed_on,
            grace_days,
            otherwise_current: allocation.past_due_split(grace_days).overdue.is_zero(),
        }
    }

    fn reason(&self, entry: &Entry, place: usize) -> Reason {
        let within_grace = |days: i64| days <= i64::from(self.grace_days);
        let as_of = self.walked.allocation.as_of;
        match entry.kind {
            EntryKind::Charge { .. } | EntryKind::Adjustment
                if entry.balance_effect().is_positive() =>
            {
                let obligation = match entry.kind {
                    EntryKind::Charge { obligation } => Some(obligation),
                    _ => None,
                };
                let outcome = match self.debts.get(&entry.id) {
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
                            let days = (as_of - debt.due).num_days();
                            Outcome::Unpaid {
                                left: debt.unpaid(),
                                days,
                                timing: within_grace(days) && self.otherwise_current,
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
                let amount = entry.amount.abs();
                let paid = self.paid.get(&place).cloned().unwrap_or_default();
                let used: Money = paid.iter().map(|p| p.amount).sum();
                // A payment reversed the day it came in never counted.
                let counted = self.still_due.get(&place);
                Reason::Received {
                    source,
                    amount,
                    kept_as_credit: counted.map_or(Money::ZERO, |_| amount - used),
                    still_due_this_month: counted.copied().unwrap_or_default(),
                    paid,
                    reversed_on: self.reversed_on.get(&entry.id).copied(),
                }
            }
            EntryKind::Charge { .. } => Reason::Due {
                obligation: None,
                amount: Money::ZERO,
                outcome: Outcome::Cancelled,
            },
            EntryKind::Reversal { .. } => Reason::NoEffect,
            EntryKind::Disbursement => Reason::SentToReceiver {
                amount: entry.amount,
            },
            EntryKind::Hold => Reason::Held {
                amount: entry.amount,
            },
            EntryKind::Release => Reason::Released {
                amount: entry.amount,
            },
            EntryKind::Fee => Reason::ServiceFee {
                amount: entry.amount,
                fiscal_year: super::fee::fiscal_year(entry.effective),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::testing::{date, entry_in_dollars as entry, paid_by};

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
            entry(3, paid_by(PaymentSource::LumpSum), 500, date(2024, 5, 20)),
        ];
        let lines = explain(&entries, date(2024, 5, 1), date(2024, 5, 31), 5);
        assert_eq!(
            lines[2].english(),
            "$500.00 received May 20 paid the rest of May and $200.00 kept as credit for the next payment due."
        );
    }

    #[test]
    fn an_intercept_pays_what_is_past_due_and_its_rest_is_refunded() {
        let entries = [
            entry(1, CHARGE, 400, date(2024, 4, 1)),
            entry(2, CHARGE, 400, date(2024, 5, 1)),
            entry(
                3,
                paid_by(PaymentSource::TaxIntercept),
                500,
                date(2024, 5, 20),
            ),
        ];
        let lines = explain(&entries, date(2024, 5, 1), date(2024, 5, 31), 5);
        assert_eq!(
            lines[1].english(),
            "$500.00 received May 20 paid April's $400.00 and $100.00 more than was past due, \
             which is refunded to the paying parent. $400.00 of May's support is still due."
        );
    }

    #[test]
    fn a_correction_is_not_a_payment_and_one_payment_settles_a_month() {
        let entries = [
            entry(1, CHARGE, 400, date(2024, 6, 1)),
            entry(2, WITHHOLDING, 200, date(2024, 6, 14)),
            Entry {
                key: "e2b".into(),
                ..entry(3, WITHHOLDING, 200, date(2024, 6, 14))
            },
            entry(4, EntryKind::Adjustment, -50, date(2024, 6, 20)),
        ];
        let lines = explain(&entries, date(2024, 6, 1), date(2024, 6, 30), 5);
        assert_eq!(
            lines[1].english(),
            "$200.00 received Jun 14 paid $200.00 toward June. $200.00 of June's support is still due."
        );
        assert_eq!(
            lines[2].english(),
            "$200.00 received Jun 14 paid the rest of June.",
            "only the second payment of the day settles June"
        );
        assert_eq!(
            lines[3].english(),
            "A correction on Jun 20 lowered what is owed by $50.00: it paid $50.00 kept as credit for the next payment due."
        );
    }

    #[test]
    fn reversals_say_what_they_took_back_and_a_re_instatement_what_counts_again() {
        let entries = [
            entry(1, EntryKind::Hold, 300, date(2024, 7, 2)),
            entry(2, EntryKind::Adjustment, -100, date(2024, 7, 3)),
            Entry {
                key: "r1".into(),
                ..entry(3, EntryKind::Reversal { reverses: 1 }, 0, date(2024, 7, 9))
            },
            Entry {
                key: "r2".into(),
                ..entry(4, EntryKind::Reversal { reverses: 2 }, 0, date(2024, 7, 10))
            },
            Entry {
                key: "r3".into(),
                ..entry(5, EntryKind::Reversal { reverses: 4 }, 0, date(2024, 7, 11))
            },
        ];
        let lines = explain(&entries, date(2024, 7, 1), date(2024, 7, 31), 5);
        let words: Vec<String> = lines.iter().map(Explained::english).collect();
        assert_eq!(
            words[2],
            "The hold of $300.00 from Jul 2 was reversed on Jul 9: that money is not on hold."
        );
        assert_eq!(
            words[3],
            "The correction of Jul 3 that lowered what is owed by $100.00 was taken back on Jul 10."
        );
        assert_eq!(
            words[4],
            "A reversal made in error was corrected on Jul 11: the $100.00 correction of Jul 3 counts again."
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
            entry(2, paid_by(PaymentSource::Direct), 400, date(2024, 8, 2)),
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
            "$400.00 received Aug 2 paid August's $400.00. It was reversed on Aug 9 and no longer counts."
        );
        assert_eq!(
            lines[2].english(),
            "The $400.00 payment of Aug 2 was reversed on Aug 9: it no longer counts."
        );
    }
}
