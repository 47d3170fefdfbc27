//! `make bench`: the statement of a 20-year weekly case (≈2,000 entries).
//! Budget: ≤ 200 µs for the whole life of the case.

use app::ledger::{
    Allocation, Entry, EntryKind, Frequency, Money, ObligationKind, PaymentSource, Schedule,
    Statement,
};
use chrono::{Datelike, Days, NaiveDate};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

/// The server's allocator, so the benchmark measures what the server runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Twenty years of $115 due every Friday, paid by withholding a few days
/// later, short now and then, with a tax intercept each spring and a
/// returned payment once a year.
fn twenty_year_weekly_case() -> (Vec<Entry>, NaiveDate, NaiveDate) {
    let from = NaiveDate::from_ymd_opt(2006, 1, 2).unwrap_or_default();
    let to = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap_or_default();
    let fridays = Schedule::new(Frequency::Weekly, 4)
        .map(|s| s.due_dates(from, to))
        .unwrap_or_default();
    let mut entries = Vec::with_capacity(fridays.len() * 2 + 64);
    let mut next_id = 0;
    let mut push = |entries: &mut Vec<Entry>, key: String, kind, cents, on| {
        next_id += 1;
        entries.push(Entry {
            id: next_id,
            key,
            kind,
            amount: Money::from_cents(cents),
            effective: on,
        });
        next_id
    };
    for (n, friday) in fridays.iter().enumerate() {
        push(
            &mut entries,
            format!("charge:1:{friday}"),
            EntryKind::Charge {
                obligation: ObligationKind::ChildSupport,
            },
            11_500,
            *friday,
        );
        let paid = if n % 9 == 0 { 8_000 } else { 11_500 };
        let on = friday
            .checked_add_days(Days::new((n % 4) as u64))
            .unwrap_or(*friday);
        let id = push(
            &mut entries,
            format!("withholding:{on}"),
            EntryKind::Payment {
                source: PaymentSource::IncomeWithholding,
            },
            paid,
            on,
        );
        if n % 52 == 30 {
            let later = on.checked_add_days(Days::new(6)).unwrap_or(on);
            push(
                &mut entries,
                format!("reversal:{on}"),
                EntryKind::Reversal { reverses: id },
                0,
                later,
            );
        }
        if friday.month() == 4 && friday.day() <= 7 {
            push(
                &mut entries,
                format!("tax:{friday}"),
                EntryKind::Payment {
                    source: PaymentSource::TaxIntercept,
                },
                90_000,
                *friday,
            );
        }
    }
    (entries, from, to)
}

fn statement(c: &mut Criterion) {
    let (entries, from, to) = twenty_year_weekly_case();
    eprintln!("20-year weekly case: {} entries", entries.len());
    c.bench_function("statement: 20-year weekly case, whole life", |b| {
        b.iter(|| Statement::build(black_box(&entries), from, to))
    });
    let last_two_years = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or(from);
    c.bench_function("statement: 20-year weekly case, last 24 months", |b| {
        b.iter(|| Statement::build(black_box(&entries), last_two_years, to))
    });
    c.bench_function("balance: 20-year weekly case, one replay", |b| {
        b.iter(|| Allocation::replay(black_box(&entries), to).balance())
    });
}

criterion_group!(benches, statement);
criterion_main!(benches);
