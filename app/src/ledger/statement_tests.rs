use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::ledger::entry::PaymentSource;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn dollars(amount: i64) -> Money {
    Money::from_cents(amount * 100)
}

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
        EntryKind::Payment {
            source: PaymentSource::IncomeWithholding,
        },
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
        Money::ZERO,
        "a reversed payment paid nothing"
    );
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

fn any_case() -> impl Strategy<Value = Vec<Entry>> {
    let one = prop_oneof![
        4 => (0u64..900, 1i64..100_000).prop_map(|(d, c)| (0u8, d, c)),
        4 => (0u64..900, 1i64..150_000).prop_map(|(d, c)| (1u8, d, c)),
        1 => (0u64..900, -50_000i64..50_000).prop_filter("non-zero", |(_, c)| *c != 0).prop_map(|(d, c)| (2u8, d, c)),
        1 => (0u64..900, 0i64..40).prop_map(|(d, c)| (3u8, d, c)),
    ];
    prop::collection::vec(one, 0..40).prop_map(|drafts| {
        let start = date(2022, 1, 1);
        let mut entries: Vec<Entry> = Vec::new();
        for (i, (kind, day, cents)) in drafts.into_iter().enumerate() {
            let id = i as i64 + 1;
            let on = start + chrono::Days::new(day);
            let kind = match kind {
                0 => EntryKind::Charge {
                    obligation: ObligationKind::ChildSupport,
                },
                1 => EntryKind::Payment {
                    source: PaymentSource::Direct,
                },
                2 => EntryKind::Adjustment,
                _ => {
                    // Reverse an earlier charge or payment dated on or before this day.
                    let target = entries
                        .iter()
                        .filter(|e| {
                            matches!(e.kind, EntryKind::Charge { .. } | EntryKind::Payment { .. })
                        })
                        .filter(|e| e.effective <= on)
                        .nth(cents as usize);
                    match target {
                        Some(t) => EntryKind::Reversal { reverses: t.id },
                        None => continue,
                    }
                }
            };
            let amount = if matches!(kind, EntryKind::Reversal { .. }) {
                Money::ZERO
            } else {
                Money::from_cents(cents)
            };
            entries.push(entry(id, kind, amount, on));
        }
        // A reversal names each target at most once.
        let mut seen = std::collections::BTreeSet::new();
        entries.retain(|e| match e.kind {
            EntryKind::Reversal { reverses } => seen.insert(reverses),
            _ => true,
        });
        entries
    })
}

proptest! {
    #[test]
    fn every_month_closes_where_a_replay_to_that_day_stands(
        entries in any_case(),
        from_day in 0u64..900,
        length in 0u64..400,
    ) {
        let from = date(2022, 1, 1) + chrono::Days::new(from_day);
        let to = from + chrono::Days::new(length);
        let statement = Statement::build(&entries, from, to);

        prop_assert_eq!(statement.closing, Position::of(&Allocation::replay(&entries, to)));
        for month in &statement.months {
            let next = month.month.checked_add_months(Months::new(1)).unwrap_or(to);
            let last = next.pred_opt().unwrap_or(next).min(to);
            prop_assert_eq!(month.closing, Position::of(&Allocation::replay(&entries, last)),
                "month {}", month.month);
        }
        let last_balance = statement.lines.last().map_or(statement.opening.balance, |l| l.running_balance);
        prop_assert_eq!(last_balance, statement.closing.balance);
    }
}

proptest! {
    #[test]
    fn each_line_shows_what_its_entry_paid_in_the_allocation(
        entries in any_case(),
        from_day in 0u64..900,
        length in 0u64..400,
    ) {
        let from = date(2022, 1, 1) + chrono::Days::new(from_day);
        let to = from + chrono::Days::new(length);
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
            prop_assert_eq!(line.reversed, allocation.reversed.contains(&line.entry));
            if !line.reversed && !line.received.is_zero() {
                prop_assert_eq!(line.paid_current + line.paid_past_due + line.to_credit, line.received);
            }
        }
    }
}
