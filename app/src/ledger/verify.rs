//! The operator's ledger check: replays a case from its entries and checks
//! the stored facts every page relies on. `server ledger verify` runs it
//! over every case and prints each [`Finding`].

use std::collections::HashSet;

use chrono::NaiveDate;

use super::accrual::{charges_due, Order};
use super::allocation::Allocation;
use super::entry::{Entry, EntryKind, ObligationKind};
use super::money::Money;
use super::rules::held_never_overdrawn;
use super::statement::Statement;
use super::walk::Walk;

/// One thing wrong with a case's ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The entry it is about, if one.
    pub entry: Option<i64>,
    pub problem: String,
}

impl Finding {
    fn about(entry: i64, problem: impl Into<String>) -> Self {
        Finding {
            entry: Some(entry),
            problem: problem.into(),
        }
    }

    fn case(problem: impl Into<String>) -> Self {
        Finding {
            entry: None,
            problem: problem.into(),
        }
    }
}

/// What is wrong with a case's ledger as of `today`, if anything. `open`:
/// accrual runs on the case, so every charge due must be posted.
pub fn case(
    entries: &[Entry],
    orders: &[Order],
    emancipations: &[NaiveDate],
    today: NaiveDate,
    open: bool,
) -> Vec<Finding> {
    let mut found = Vec::new();
    let allocation = Allocation::replay(entries, today);
    charges(entries, orders, emancipations, today, open, &mut found);
    reversals(entries, today, &mut found);
    allocation_limits(&allocation, &mut found);
    if let Err(refused) = held_never_overdrawn(entries) {
        found.push(Finding::case(refused.to_string()));
    }
    every_view_agrees(entries, &allocation, today, &mut found);
    found
}

/// Every charge is one an order makes due (no charge without an order), and
/// on an open case every charge due is posted.
fn charges(
    entries: &[Entry],
    orders: &[Order],
    emancipations: &[NaiveDate],
    today: NaiveDate,
    open: bool,
    found: &mut Vec<Finding>,
) {
    let last_charge = entries
        .iter()
        .filter(|e| matches!(e.kind, EntryKind::Charge { .. }))
        .map(|e| e.effective)
        .max();
    let through = last_charge.map_or(today, |last| last.max(today));
    let due = charges_due(orders, emancipations, through);
    let due_keys: HashSet<String> = due.iter().map(|d| d.key()).collect();
    let posted: HashSet<&str> = entries.iter().map(|e| e.key.as_str()).collect();
    for entry in entries {
        if let EntryKind::Charge { obligation } = entry.kind {
            // Interest is charged on the ledger, not by an order.
            if obligation == ObligationKind::Interest && entry.key.starts_with("interest:") {
                continue;
            }
            if !obligation.accrues() {
                found.push(Finding::about(entry.id, "a charge of an arrears pace"));
            } else if !due_keys.contains(&entry.key) {
                found.push(Finding::about(
                    entry.id,
                    format!("charge `{}` is not due under any order", entry.key),
                ));
            }
        }
    }
    if open {
        for missing in due
            .iter()
            .filter(|d| d.on <= today && !posted.contains(d.key().as_str()))
        {
            found.push(Finding::case(format!(
                "charge `{}` is due but not posted",
                missing.key()
            )));
        }
    }
}

/// Every reversal names an entry of the case dated on or before it, and
/// changed something (took it out of history, or put it back).
fn reversals(entries: &[Entry], today: NaiveDate, found: &mut Vec<Finding>) {
    let until = entries
        .iter()
        .map(|e| e.effective)
        .max()
        .map_or(today, |last| last.max(today));
    let mut walk = Walk::new(entries, until);
    walk.advance_to(until);
    let walked = walk.finish_walked();
    for walked_entry in walked.entries_from(0) {
        let entry = walked_entry.entry;
        let EntryKind::Reversal { reverses } = entry.kind else {
            continue;
        };
        let problem = match entries.iter().find(|e| e.id == reverses) {
            None => format!("reverses entry {reverses}, which is not on this case"),
            Some(target) if target.effective > entry.effective => format!(
                "dated {} before the entry it reverses ({})",
                entry.effective, target.effective
            ),
            Some(_) if walked_entry.toggled.is_none() => "a reversal that changed nothing".into(),
            Some(_) => continue,
        };
        found.push(Finding::about(entry.id, problem));
    }
}

/// No debt paid more than its amount, no credit used more than it brought,
/// and nothing both owed and kept as credit.
fn allocation_limits(allocation: &Allocation, found: &mut Vec<Finding>) {
    for debt in &allocation.debts {
        if debt.paid > debt.amount || debt.paid.is_negative() {
            found.push(Finding::about(
                debt.entry,
                format!("paid {} of {}", debt.paid, debt.amount),
            ));
        }
    }
    for credit in &allocation.credits {
        let used: Money = allocation
            .applications
            .iter()
            .filter(|a| a.credit == credit.entry)
            .map(|a| a.amount)
            .sum();
        if used + credit.unapplied != credit.amount || credit.unapplied.is_negative() {
            found.push(Finding::about(
                credit.entry,
                format!(
                    "used {used} and kept {} of {}",
                    credit.unapplied, credit.amount
                ),
            ));
        }
    }
    let kept = allocation.credit() - allocation.refundable();
    if kept.is_positive() && allocation.unpaid().is_positive() {
        found.push(Finding::case(format!(
            "{kept} kept as credit while {} is unpaid",
            allocation.unpaid()
        )));
    }
}

/// The statement of the case's whole life adds up month by month and closes
/// where the balance stands; the lines' changes add up to it too.
fn every_view_agrees(
    entries: &[Entry],
    allocation: &Allocation,
    today: NaiveDate,
    found: &mut Vec<Finding>,
) {
    let Some(first) = entries.iter().map(|e| e.effective).min() else {
        return;
    };
    let to = entries
        .iter()
        .map(|e| e.effective)
        .max()
        .map_or(today, |last| last.max(today));
    let statement = Statement::build(entries, first, to);
    let mut opening = statement.opening.balance;
    for month in &statement.months {
        let closing = opening + month.due - month.received + month.taken_back;
        if closing != month.closing.balance {
            found.push(Finding::case(format!(
                "{}: {opening} + {} − {} + {} is {closing}, but the month closes at {}",
                month.month.format("%Y-%m"),
                month.due,
                month.received,
                month.taken_back,
                month.closing.balance
            )));
        }
        opening = month.closing.balance;
    }
    let last_line = statement
        .lines
        .last()
        .map_or(statement.opening.balance, |l| l.running_balance);
    let standing = Allocation::replay(entries, to).balance();
    if last_line != standing || statement.closing.balance != standing {
        found.push(Finding::case(format!(
            "the history ends at {last_line} and the statement at {}, but the balance is {standing}",
            statement.closing.balance
        )));
    }
    if to == today && standing != allocation.balance() {
        found.push(Finding::case("the balance differs between two replays"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::accrual::Obligation;
    use crate::ledger::entry::{ObligationKind, PaymentSource};
    use crate::ledger::schedule::Schedule;
    use crate::ledger::testing::{date, posted};
    use proptest::prelude::*;

    fn order() -> Order {
        Order {
            effective_on: date(2025, 1, 1),
            ends_on: None,
            obligations: vec![Obligation {
                id: 7,
                kind: ObligationKind::ChildSupport,
                amount: Money::from_cents(40_000),
                schedule: Schedule::monthly(1).unwrap_or_else(|e| panic!("{e}")),
            }],
        }
    }

    fn accrued(through: NaiveDate) -> Vec<Entry> {
        posted(charges_due(&[order()], &[], through))
    }

    #[test]
    fn a_sound_ledger_has_nothing_to_report() {
        let today = date(2025, 6, 10);
        let mut entries = accrued(today);
        entries.push(Entry {
            id: 100,
            key: "p".into(),
            kind: EntryKind::Payment {
                source: PaymentSource::Direct,
            },
            amount: Money::from_cents(50_000),
            effective: date(2025, 3, 3),
        });
        assert_eq!(case(&entries, &[order()], &[], today, true), []);
    }

    #[test]
    fn a_stray_charge_a_missing_one_and_an_early_reversal_are_named() {
        let today = date(2025, 6, 10);
        let mut entries = accrued(today);
        entries.retain(|e| e.effective != date(2025, 4, 1));
        entries.push(Entry {
            id: 50,
            key: "charge:9:2025-02-14".into(),
            kind: EntryKind::Charge {
                obligation: ObligationKind::ChildSupport,
            },
            amount: Money::from_cents(100),
            effective: date(2025, 2, 14),
        });
        entries.push(Entry {
            id: 51,
            key: "r".into(),
            kind: EntryKind::Reversal { reverses: 5 },
            amount: Money::ZERO,
            effective: date(2025, 4, 30),
        });
        let found = case(&entries, &[order()], &[], today, true);
        let problems: Vec<(Option<i64>, &str)> = found
            .iter()
            .map(|f| (f.entry, f.problem.as_str()))
            .collect();
        assert_eq!(
            problems,
            [
                (
                    Some(50),
                    "charge `charge:9:2025-02-14` is not due under any order"
                ),
                (None, "charge `charge:7:2025-04-01` is due but not posted"),
                (
                    Some(51),
                    "dated 2025-04-30 before the entry it reverses (2025-05-01)"
                ),
            ]
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::ledger::arbitrary::cases() / 10))]

        /// Whatever the posting rules accepted, the replay finds every
        /// view agreeing and every allocation within its limits.
        #[test]
        fn any_accepted_ledger_replays_cleanly(entries in crate::ledger::arbitrary::any_ledger(60)) {
            let today = crate::ledger::arbitrary::START + chrono::Days::new(2_200);
            let allocation = Allocation::replay(&entries, today);
            let mut found = Vec::new();
            allocation_limits(&allocation, &mut found);
            every_view_agrees(&entries, &allocation, today, &mut found);
            prop_assert_eq!(found, Vec::<Finding>::new());
        }
    }
}
