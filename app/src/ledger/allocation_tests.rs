use std::collections::BTreeMap;

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::ledger::arbitrary;
use crate::ledger::entry::{post, PaymentSource, Posted};
use crate::ledger::testing::{date, dollars, paid_by};

/// A small ledger builder: ids in posting order, keys from the description.
#[derive(Default)]
struct Case(Vec<Entry>);

impl Case {
    fn add(&mut self, key: String, kind: EntryKind, amount: Money, effective: NaiveDate) -> i64 {
        let id = self.0.len() as i64 + 1;
        self.0.push(Entry {
            id,
            key,
            kind,
            amount,
            effective,
        });
        id
    }
    fn charge(&mut self, on: NaiveDate, amount: i64) -> i64 {
        let kind = EntryKind::Charge {
            obligation: ObligationKind::ChildSupport,
        };
        self.add(format!("charge:{on}"), kind, dollars(amount), on)
    }
    fn payment(&mut self, on: NaiveDate, amount: i64) -> i64 {
        let kind = paid_by(PaymentSource::Direct);
        let key = format!("payment:{on}:{}", self.0.len());
        self.add(key, kind, dollars(amount), on)
    }
    fn adjust(&mut self, on: NaiveDate, amount: i64) -> i64 {
        self.add(
            format!("adjustment:{on}:{amount}"),
            EntryKind::Adjustment,
            dollars(amount),
            on,
        )
    }
    fn reverse(&mut self, id: i64, on: NaiveDate) -> i64 {
        self.add(
            format!("reversal:{id}"),
            EntryKind::Reversal { reverses: id },
            Money::ZERO,
            on,
        )
    }
    fn at(&self, as_of: NaiveDate) -> Allocation {
        Allocation::replay(&self.0, as_of)
    }
}

fn applied(allocation: &Allocation, credit: i64) -> Vec<(i64, Money, Bucket)> {
    allocation
        .applications
        .iter()
        .filter(|a| a.credit == credit)
        .map(|a| (a.debt, a.amount, a.bucket))
        .collect()
}

#[test]
fn a_payment_pays_this_months_support_before_older_arrears() {
    let mut case = Case::default();
    let march = case.charge(date(2024, 3, 1), 400);
    let april = case.charge(date(2024, 4, 1), 400);
    let paid = case.payment(date(2024, 4, 10), 500);

    let now = case.at(date(2024, 4, 30));
    assert_eq!(
        applied(&now, paid),
        [
            (april, dollars(400), Bucket::Current),
            (march, dollars(100), Bucket::PastDue)
        ]
    );
    assert_eq!(now.balance(), dollars(300));
    assert_eq!(
        now.past_due(),
        dollars(300),
        "the rest of March is past due"
    );
}

#[test]
fn past_due_support_is_paid_oldest_first() {
    let mut case = Case::default();
    let jan = case.charge(date(2024, 1, 1), 300);
    let feb = case.charge(date(2024, 2, 1), 300);
    // Received in March, when nothing is due yet this month.
    let paid = case.payment(date(2024, 3, 5), 450);
    let now = case.at(date(2024, 3, 5));
    assert_eq!(
        applied(&now, paid),
        [
            (jan, dollars(300), Bucket::PastDue),
            (feb, dollars(150), Bucket::PastDue)
        ]
    );
    assert_eq!(now.debts[0].settled_on, Some(date(2024, 3, 5)));
    assert_eq!(now.debts[1].settled_on, None);
}

#[test]
fn an_overpayment_is_a_credit_that_pays_the_next_charge_when_it_falls_due() {
    let mut case = Case::default();
    case.charge(date(2024, 5, 1), 400);
    let paid = case.payment(date(2024, 5, 3), 600);
    let june = case.charge(date(2024, 6, 1), 400);

    let may = case.at(date(2024, 5, 31));
    assert_eq!(may.credit(), dollars(200));
    assert_eq!(may.balance(), dollars(-200));
    assert_eq!(may.past_due(), Money::ZERO);

    let june_state = case.at(date(2024, 6, 30));
    assert!(applied(&june_state, paid).contains(&(june, dollars(200), Bucket::FromCredit)));
    assert_eq!(june_state.credit(), Money::ZERO);
    assert_eq!(june_state.balance(), dollars(200));
}

#[test]
fn a_reversed_payment_pays_nothing_from_the_day_it_is_reversed() {
    let mut case = Case::default();
    case.charge(date(2024, 7, 1), 400);
    let bounced = case.payment(date(2024, 7, 2), 400);
    case.reverse(bounced, date(2024, 7, 9));

    assert_eq!(
        case.at(date(2024, 7, 5)).balance(),
        Money::ZERO,
        "counted until reversed"
    );
    let after = case.at(date(2024, 7, 10));
    assert_eq!(after.balance(), dollars(400));
    assert!(after.applications.is_empty());
    assert!(after.reversed.contains(&bounced));
}

#[test]
fn adjustments_add_to_or_reduce_what_is_owed() {
    let mut case = Case::default();
    let judgment = case.adjust(date(2024, 1, 10), 1_200);
    let current = case.charge(date(2024, 2, 1), 400);
    let forgiven = case.adjust(date(2024, 2, 5), -500);
    let now = case.at(date(2024, 2, 28));
    // A reduction pays like a payment: this month's support, then the oldest.
    assert_eq!(
        applied(&now, forgiven),
        [
            (current, dollars(400), Bucket::Current),
            (judgment, dollars(100), Bucket::PastDue)
        ]
    );
    assert_eq!(now.balance(), dollars(1_100));
}

#[test]
fn an_arrears_payment_obligation_never_adds_to_what_is_owed() {
    let mut case = Case::default();
    case.charge(date(2024, 3, 1), 400);
    case.add(
        "arrears:2024-03-01".into(),
        EntryKind::Charge {
            obligation: ObligationKind::ArrearsPayment,
        },
        dollars(100),
        date(2024, 3, 1),
    );
    assert_eq!(case.at(date(2024, 3, 31)).balance(), dollars(400));
}

#[test]
fn money_sent_on_or_held_does_not_change_what_is_owed() {
    let mut case = Case::default();
    case.charge(date(2024, 3, 1), 400);
    case.payment(date(2024, 3, 2), 400);
    for kind in [EntryKind::Disbursement, EntryKind::Hold, EntryKind::Release] {
        case.add(format!("{kind:?}"), kind, dollars(400), date(2024, 3, 4));
    }
    assert_eq!(case.at(date(2024, 3, 31)).balance(), Money::ZERO);
}

#[test]
fn arrears_only_days_old_are_told_apart_from_real_delinquency() {
    let mut case = Case::default();
    case.charge(date(2024, 2, 1), 400);
    case.payment(date(2024, 2, 1), 400);
    case.charge(date(2024, 3, 1), 400);
    let split = case.at(date(2024, 3, 4)).past_due_split(5);
    assert_eq!(split.timing, dollars(400), "March's support is 3 days late");
    assert_eq!(split.overdue, Money::ZERO, "and nothing older is unpaid");
}

#[test]
fn a_parent_behind_is_never_told_the_newest_shortfall_is_in_transit() {
    let mut case = Case::default();
    case.charge(date(2024, 2, 1), 400);
    case.charge(date(2024, 3, 1), 400);
    let split = case.at(date(2024, 3, 4)).past_due_split(5);
    assert_eq!(split.timing, Money::ZERO, "February is a month late");
    assert_eq!(split.overdue, dollars(800), "so March is not timing either");
}

#[test]
fn a_tax_refund_intercept_pays_past_due_support_only() {
    let mut case = Case::default();
    let march = case.charge(date(2024, 3, 1), 400);
    let april = case.charge(date(2024, 4, 1), 400);
    let intercepted = case.add(
        "intercept:2024".into(),
        paid_by(PaymentSource::TaxIntercept),
        dollars(1_000),
        date(2024, 4, 10),
    );
    let now = case.at(date(2024, 4, 30));
    assert_eq!(
        applied(&now, intercepted),
        [(march, dollars(400), Bucket::PastDue)],
        "March, past due; never April, this month's support"
    );
    assert_eq!(now.debts[1].entry, april);
    assert_eq!(now.debts[1].unpaid(), dollars(400));
    assert_eq!(now.refundable(), dollars(600), "owed back, not kept");
    // Nor does its rest pay May when it falls due.
    case.charge(date(2024, 5, 1), 400);
    let may = case.at(date(2024, 5, 2));
    assert_eq!(may.unpaid(), dollars(800));
    assert_eq!(may.balance(), dollars(200));
}

#[test]
fn posting_the_same_entry_twice_changes_nothing() {
    let mut ledger = Vec::new();
    let entry = Entry {
        id: 0,
        key: "withholding:acme:2024-03-29".into(),
        kind: paid_by(PaymentSource::IncomeWithholding),
        amount: dollars(250),
        effective: date(2024, 3, 29),
    };
    assert_eq!(post(&mut ledger, entry.clone()), Posted::New(1));
    assert_eq!(post(&mut ledger, entry.clone()), Posted::AlreadyPosted(1));
    let different = Entry {
        amount: dollars(999),
        ..entry
    };
    assert_eq!(post(&mut ledger, different), Posted::KeyConflict(1));
    assert_eq!(ledger.len(), 1);
}

// ---- invariants ------------------------------------------------------------

/// The allocation with entry ids replaced by keys, to compare across orders.
fn by_key(entries: &[Entry], allocation: &Allocation) -> Vec<(String, String, Money, Bucket)> {
    let key: BTreeMap<i64, &str> = entries.iter().map(|e| (e.id, e.key.as_str())).collect();
    let mut applications: Vec<_> = allocation
        .applications
        .iter()
        .map(|a| {
            (
                key[&a.credit].to_owned(),
                key[&a.debt].to_owned(),
                a.amount,
                a.bucket,
            )
        })
        .collect();
    applications.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    applications
}

fn any_day() -> impl Strategy<Value = NaiveDate> {
    (0..arbitrary::DAYS + 600).prop_map(|d| arbitrary::START + chrono::Days::new(d))
}

fn config() -> ProptestConfig {
    ProptestConfig::with_cases(arbitrary::cases())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn balance_is_charges_minus_credits_and_no_cent_is_made_or_lost(
        entries in arbitrary::any_ledger(60),
        as_of in any_day(),
    ) {
        let allocation = Allocation::replay(&entries, as_of);

        let expected: Money = entries
            .iter()
            .filter(|e| e.effective <= as_of && !allocation.reversed.contains(&e.id))
            .map(Entry::balance_effect)
            .sum();
        prop_assert_eq!(allocation.balance(), expected);

        for debt in &allocation.debts {
            let paid: Money = allocation.applications.iter()
                .filter(|a| a.debt == debt.entry).map(|a| a.amount).sum();
            prop_assert_eq!(paid, debt.paid);
            prop_assert!(debt.paid <= debt.amount, "a debt is never overpaid");
            prop_assert!(!debt.paid.is_negative());
        }
        for credit in &allocation.credits {
            let used: Money = allocation.applications.iter()
                .filter(|a| a.credit == credit.entry).map(|a| a.amount).sum();
            prop_assert_eq!(used + credit.unapplied, credit.amount, "every cent is accounted for");
            prop_assert!(!credit.unapplied.is_negative());
        }
        prop_assert!(allocation.applications.iter().all(|a| a.amount.is_positive()));
        // Money is either owed or kept as credit, never both (an
        // intercept's excess is owed back, not kept).
        let kept = allocation.credit() - allocation.refundable();
        prop_assert!(kept.is_zero() || allocation.unpaid().is_zero());
        if allocation.credit().is_zero() {
            prop_assert!(allocation.past_due() <= allocation.balance());
        }
        // An intercept paid nothing but support that was past due.
        for a in &allocation.applications {
            let intercept = allocation.credits.iter().any(|c| c.entry == a.credit && c.past_due_only);
            if intercept {
                prop_assert_eq!(a.bucket, Bucket::PastDue);
                let due = allocation.debts.iter().find(|d| d.entry == a.debt).map(|d| d.due);
                prop_assert!(due.is_some_and(|due| due < a.on.with_day(1).unwrap_or(a.on)),
                    "an intercept paid support of its own month");
            }
        }
        let split = allocation.past_due_split(5);
        prop_assert_eq!(split.total(), allocation.past_due());
        prop_assert!(split.timing.is_zero() || split.overdue.is_zero(),
            "only a case otherwise current is only days late");
    }

    #[test]
    fn the_result_does_not_depend_on_the_order_of_posting(
        (first, second) in arbitrary::any_ledger_twice(60),
        as_of in any_day(),
    ) {
        let a = Allocation::replay(&first, as_of);
        let b = Allocation::replay(&second, as_of);
        prop_assert_eq!(by_key(&first, &a), by_key(&second, &b));
        prop_assert_eq!(a.balance(), b.balance());
        prop_assert_eq!(a.past_due(), b.past_due());
        prop_assert_eq!(a.credit(), b.credit());
    }

    #[test]
    fn re_posting_an_entry_changes_nothing(entries in arbitrary::any_ledger(60), pick in 0usize..60) {
        prop_assume!(!entries.is_empty());
        let mut ledger = entries.clone();
        let again = entries[pick % entries.len()].clone();
        let outcome = post(&mut ledger, again.clone());
        prop_assert_eq!(outcome, Posted::AlreadyPosted(again.id));
        let as_of = date(2024, 12, 31);
        prop_assert_eq!(Allocation::replay(&ledger, as_of), Allocation::replay(&entries, as_of));
    }
}
