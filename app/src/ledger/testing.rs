//! What the ledger's tests share: dates, entries, and charges as posted.

use chrono::NaiveDate;

use super::{Due, Entry, EntryKind, Money, PaymentSource};

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d} is not a date"))
}

pub fn dollars(amount: i64) -> Money {
    Money::from_cents(amount * 100)
}

pub fn entry(id: i64, kind: EntryKind, cents: i64, on: NaiveDate) -> Entry {
    entry_of(id, kind, Money::from_cents(cents), on)
}

/// An entry of whole dollars.
pub fn entry_in_dollars(id: i64, kind: EntryKind, amount: i64, on: NaiveDate) -> Entry {
    entry_of(id, kind, dollars(amount), on)
}

pub fn entry_of(id: i64, kind: EntryKind, amount: Money, on: NaiveDate) -> Entry {
    Entry {
        id,
        key: format!("e{id}"),
        kind,
        amount,
        effective: on,
    }
}

/// A payment's kind, by how it reached the agency.
pub fn paid_by(source: PaymentSource) -> EntryKind {
    EntryKind::Payment { source }
}

/// Charges that fell due, as the ledger posts them (ids from 1).
pub fn posted(dues: Vec<Due>) -> Vec<Entry> {
    dues.into_iter()
        .enumerate()
        .map(|(n, due)| Entry {
            id: n as i64 + 1,
            key: due.key(),
            kind: EntryKind::Charge {
                obligation: due.kind,
            },
            amount: due.amount,
            effective: due.on,
        })
        .collect()
}
