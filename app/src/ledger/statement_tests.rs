use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::ledger::arbitrary;
use crate::ledger::entry::PaymentSource;
use crate::ledger::testing::{date, dollars, paid_by};

fn entry(id: i64, kind: EntryKind, amount: Money, effective: NaiveDate) -> Entry {
    Entry {
        id,
        key: format!("e{id:05}"),
        kind,
        amount,
        effective,
    }
}

fn charge(id: i64, on: NaiveDate, amount: i64) -> Entry {
    entry(
        id,
        EntryKind::Charge {
            obligation: ObligationKind::ChildSupport,
        },
        dollars(amount),
        on,
    )
}

fn payment(id: i64, on: NaiveDate, amount: i64) -> Entry {
    entry(
        id,
        paid_by(PaymentSource::IncomeWithholding),
        dollars(amount),
        on,
    )
}

/// January paid on time, February missed, March paid with extra, a bounced
/// payment in April reversed a week later.
fn story() -> Vec<Entry> {
    vec![
        charge(1, date(2024, 1, 1), 400),
        payment(2, date(2024, 1, 5), 400),
        charge(3, date(2024, 2, 1), 400),
        charge(4, date(2024, 3, 1), 400),
        payment(5, date(2024, 3, 10), 600),
        charge(6, date(2024, 4, 1), 400),
        payment(7, date(2024, 4, 3), 400),
        entry(
            8,
            EntryKind::Reversal { reverses: 7 },
            Money::ZERO,
            date(2024, 4, 10),
        ),
    ]
}

#[test]
fn a_statement_tells_the_story_entry_by_entry() {
    let statement = Statement::build(&story(), date(2024, 1, 1), date(2024, 4, 30));
    assert_eq!(statement.opening, Position::default());
    let balances: Vec<Money> = statement.lines.iter().map(|l| l.running_balance).collect();
    let expected: Vec<Money> = [400, 0, 400, 800, 200, 600, 200, 600].map(dollars).to_vec();
    assert_eq!(balances, expected);
    let march_payment = &statement.lines[4];
    assert_eq!(march_payment.received, dollars(600));
    assert_eq!(march_payment.paid_current, dollars(400));
    assert_eq!(
        march_payment.paid_past_due,
        dollars(200),
        "half of February"
    );
    let bounced = &statement.lines[6];
    assert!(bounced.reversed);
    assert_eq!(
        bounced.paid_current,
        dollars(400),
        "what it paid the day it came in: April's support"
    );
    let reversal = &statement.lines[7];
    assert_eq!(
        reversal.taken_back,
        dollars(400),
        "taken back on its own day"
    );
    assert_eq!(reversal.change(), dollars(400));
    assert_eq!(
        statement.closing,
        Position {
            balance: dollars(600),
            past_due: dollars(600),
            credit: Money::ZERO
        }
    );
}

#[test]
fn months_sum_up_and_close_where_the_ledger_stood() {
    let statement = Statement::build(&story(), date(2024, 1, 1), date(2024, 4, 30));
    let feb = &statement.months[1];
    assert_eq!((feb.due, feb.received), (dollars(400), Money::ZERO));
    assert_eq!(feb.closing.past_due, dollars(400));
    let march = &statement.months[2];
    assert_eq!(march.closing.balance, dollars(200));
    // On April 9 the April payment still counted; the month closes after the reversal.
    assert_eq!(statement.months[3].closing.balance, dollars(600));
    assert_eq!(
        statement.totals,
        [ObligationTotal {
            obligation: Some(ObligationKind::ChildSupport),
            charged: dollars(1_600),
            paid: dollars(1_000),
        }]
    );
}

#[test]
fn a_range_starts_from_the_balance_before_it() {
    let statement = Statement::build(&story(), date(2024, 3, 1), date(2024, 3, 31));
    assert_eq!(statement.opening.balance, dollars(400));
    assert_eq!(statement.opening.past_due, dollars(400));
    assert_eq!(statement.lines.len(), 2);
    assert_eq!(statement.closing.balance, dollars(200));
}

fn any_range() -> impl Strategy<Value = (NaiveDate, NaiveDate)> {
    (0u64..arbitrary::DAYS + 400, 0u64..800).prop_map(|(from, length)| {
        let from = arbitrary::START + chrono::Days::new(from);
        (from, from + chrono::Days::new(length))
    })
}

fn config() -> ProptestConfig {
    ProptestConfig::with_cases(arbitrary::cases())
}

proptest! {
    #![proptest_config(config())]

    /// The one property: every view of a case agrees to the cent. The
    /// statement's closing, the last running balance, each month's table row
    /// and the chart's closing are the replay (the dashboard's balance) on
    /// that day; each month's opening + due − received + taken back = its
    /// closing; the months add up to the lines (the history and the CSV).
    #[test]
    fn every_view_of_a_case_agrees_to_the_cent(
        entries in arbitrary::any_ledger(60),
        (from, to) in any_range(),
    ) {
        let statement = Statement::build(&entries, from, to);
        let before = from.pred_opt().unwrap_or(from);
        prop_assert_eq!(statement.opening, Position::of(&Allocation::replay(&entries, before)));
        prop_assert_eq!(statement.closing, Position::of(&Allocation::replay(&entries, to)));

        let mut opening = statement.opening.balance;
        for month in &statement.months {
            let next = month.month.checked_add_months(Months::new(1)).unwrap_or(to);
            let last = next.pred_opt().unwrap_or(next).min(to);
            prop_assert_eq!(month.closing, Position::of(&Allocation::replay(&entries, last)),
                "month {}", month.month);
            prop_assert_eq!(opening + month.due - month.received + month.taken_back,
                month.closing.balance, "month {} adds up", month.month);
            opening = month.closing.balance;
        }
        prop_assert_eq!(opening, statement.closing.balance);

        let mut running = statement.opening.balance;
        for line in &statement.lines {
            running += line.change();
            prop_assert_eq!(line.running_balance, running, "entry {}", line.entry);
        }
        prop_assert_eq!(running, statement.closing.balance);
        // At each day's last line, the running balance is that day's replay.
        for pair in statement.lines.windows(2).filter(|w| w[0].date != w[1].date) {
            let day = pair[0].date;
            prop_assert_eq!(pair[0].running_balance, Allocation::replay(&entries, day).balance(),
                "end of {}", day);
        }

        let sum = |pick: fn(&Line) -> Money| statement.lines.iter().map(pick).sum::<Money>();
        let month_sum = |pick: fn(&Month) -> Money| statement.months.iter().map(pick).sum::<Money>();
        prop_assert_eq!(month_sum(|m| m.due), sum(|l| l.due));
        prop_assert_eq!(month_sum(|m| m.received), sum(|l| l.received));
        prop_assert_eq!(month_sum(|m| m.taken_back), sum(|l| l.taken_back));
        prop_assert_eq!(month_sum(|m| m.sent), sum(|l| l.sent));
        prop_assert_eq!(month_sum(|m| m.held), sum(|l| l.held));
        prop_assert_eq!(month_sum(|m| m.fee), sum(|l| l.fee));
    }

    /// What each line says it paid never contradicts the running balance as
    /// it stood: money kept as credit means nothing was owed, money paid
    /// toward support means that much was owed just before.
    #[test]
    fn what_a_line_paid_agrees_with_the_balance_that_day(
        entries in arbitrary::any_ledger(60),
        (from, to) in any_range(),
    ) {
        let statement = Statement::build(&entries, from, to);
        let is_intercept = |kind: &EntryKind| matches!(
            kind,
            EntryKind::Payment { source: PaymentSource::TaxIntercept }
        );
        // An intercept's excess is owed back to the paying parent: it sits
        // beside unpaid support, so the balance alone no longer tells what
        // was owed. Checked until an intercept has come in (a later reversal
        // of what one paid can leave it an excess too).
        let first_intercept = entries
            .iter()
            .filter(|e| is_intercept(&e.kind))
            .map(|e| e.effective)
            .min();
        let mut before = statement.opening.balance;
        for line in &statement.lines {
            let paid = line.paid_current + line.paid_past_due;
            prop_assert!(!paid.is_negative() && !line.to_credit.is_negative());
            prop_assert!(paid + line.to_credit <= line.received, "entry {}", line.entry);
            if is_intercept(&line.kind) {
                prop_assert!(line.paid_current.is_zero(), "an intercept pays past-due support only");
                before = line.running_balance;
                continue;
            }
            let refunds_held = first_intercept.is_some_and(|first| first <= line.date);
            if paid.is_positive() && !refunds_held {
                prop_assert!(before >= paid, "entry {} paid {} of {} owed", line.entry, paid, before);
            }
            if line.to_credit.is_positive() {
                prop_assert!(line.running_balance <= -line.to_credit,
                    "entry {} kept {} as credit at a balance of {}",
                    line.entry, line.to_credit, line.running_balance);
            }
            if line.paid_from_credit.is_positive() {
                prop_assert!(before <= -line.paid_from_credit, "entry {}", line.entry);
            }
            before = line.running_balance;
        }
    }

    /// Without reversals, what a line paid is what the allocation says its
    /// entry paid: the story as it stood is the story as it stands.
    #[test]
    fn without_reversals_each_line_shows_what_the_allocation_paid(
        entries in arbitrary::any_ledger(60),
        (from, to) in any_range(),
    ) {
        let entries: Vec<Entry> = entries
            .into_iter()
            .filter(|e| !matches!(e.kind, EntryKind::Reversal { .. }))
            .collect();
        let statement = Statement::build(&entries, from, to);
        let allocation = Allocation::replay(&entries, to);
        let mut paid: std::collections::BTreeMap<i64, [Money; 3]> = Default::default();
        for a in &allocation.applications {
            let (entry, slot) = match a.bucket {
                Bucket::Current => (a.credit, 0),
                Bucket::PastDue => (a.credit, 1),
                Bucket::FromCredit => (a.debt, 2),
            };
            paid.entry(entry).or_default()[slot] += a.amount;
        }
        let shown = entries.iter().filter(|e| e.effective >= from && e.effective <= to).count();
        prop_assert_eq!(statement.lines.len(), shown);
        for line in &statement.lines {
            let [current, past_due, from_credit] = paid.get(&line.entry).copied().unwrap_or_default();
            prop_assert_eq!(
                (line.paid_current, line.paid_past_due, line.paid_from_credit),
                (current, past_due, from_credit),
                "entry {}", line.entry
            );
            if !line.received.is_zero() {
                prop_assert_eq!(line.paid_current + line.paid_past_due + line.to_credit, line.received);
            }
        }
    }
}
