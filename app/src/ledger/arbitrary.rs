//! Random ledgers for property tests: everything the posting rules accept.
//!
//! Charges of every obligation that accrues (interest too), payments from every source,
//! adjustments both ways, money sent on, held and released, reversals of any
//! entry dated on or after it (the same day included), and re-instatements
//! (a reversal of a reversal made in error). Keys are random, so entries of
//! the same day come in any order, and ids are a permutation: the order the
//! entries were posted in is arbitrary too.

use chrono::{Days, NaiveDate};
use proptest::prelude::*;

use super::entry::{Entry, EntryKind, ObligationKind, PaymentSource};
use super::money::Money;

/// The first day a generated entry can fall on; they spread over 1,500 days.
pub(crate) const START: NaiveDate = match NaiveDate::from_ymd_opt(2020, 1, 1) {
    Some(day) => day,
    None => NaiveDate::MIN,
};
pub(crate) const DAYS: u64 = 1_500;

/// How many cases each ledger property runs: at least 10,000 in `make
/// test`, more with `LEDGER_PROPTEST_CASES` (`make verify-deep`).
pub(crate) fn cases() -> u32 {
    std::env::var("LEDGER_PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000)
}

/// One entry to be, before it is checked against the ones before it.
#[derive(Debug, Clone)]
pub(crate) enum Draft {
    Charge(u64, i64, ObligationKind),
    Payment(u64, i64, PaymentSource),
    Adjustment(u64, i64),
    Disbursement(u64, i64),
    /// The agency's service fee, kept from money sent on.
    Fee(u64, i64),
    Hold(u64, i64),
    Release(u64, i64),
    /// Reverses the `pick`-th entry that may be reversed, `later` days after it.
    Reversal {
        pick: usize,
        later: u64,
    },
}

fn day() -> impl Strategy<Value = u64> {
    0..DAYS
}

fn draft() -> impl Strategy<Value = Draft> {
    let obligation = prop_oneof![
        3 => Just(ObligationKind::ChildSupport),
        1 => Just(ObligationKind::MedicalSupport),
        1 => Just(ObligationKind::SpousalSupport),
        1 => Just(ObligationKind::Interest),
    ];
    let source = prop::sample::select(PaymentSource::ALL.to_vec());
    let later = prop_oneof![Just(0u64), 0u64..40, 0u64..600];
    prop_oneof![
        4 => (day(), 1i64..200_000, obligation).prop_map(|(d, c, o)| Draft::Charge(d, c, o)),
        4 => (day(), 1i64..300_000, source).prop_map(|(d, c, s)| Draft::Payment(d, c, s)),
        2 => (day(), -100_000i64..100_000)
            .prop_filter("an adjustment is never zero", |(_, c)| *c != 0)
            .prop_map(|(d, c)| Draft::Adjustment(d, c)),
        1 => (day(), 1i64..100_000).prop_map(|(d, c)| Draft::Disbursement(d, c)),
        1 => (day(), 1i64..5_000).prop_map(|(d, c)| Draft::Fee(d, c)),
        1 => (day(), 1i64..100_000).prop_map(|(d, c)| Draft::Hold(d, c)),
        1 => (day(), 1i64..100_000).prop_map(|(d, c)| Draft::Release(d, c)),
        3 => (any::<usize>(), later).prop_map(|(pick, later)| Draft::Reversal { pick, later }),
    ]
}

/// A ledger of up to `max` entries, in the order they were posted.
pub(crate) fn any_ledger(max: usize) -> impl Strategy<Value = Vec<Entry>> {
    (
        prop::collection::vec((draft(), any::<u32>()), 0..max),
        any::<u64>(),
    )
        .prop_map(|(drafts, shuffle)| build(&drafts, shuffle))
}

/// The same ledger posted in two different orders (different ids, same keys).
pub(crate) fn any_ledger_twice(max: usize) -> impl Strategy<Value = (Vec<Entry>, Vec<Entry>)> {
    (
        prop::collection::vec((draft(), any::<u32>()), 0..max),
        any::<u64>(),
        any::<u64>(),
    )
        .prop_map(|(drafts, a, b)| (build(&drafts, a), build(&drafts, b)))
}

/// What a reversal may name, as the posting rules say.
#[derive(Clone, Copy, PartialEq)]
enum State {
    /// Counts; may be reversed.
    Live,
    /// Taken out of history by the reversal at this index.
    Cancelled,
    /// A live reversal of the entry at this index: may be retracted.
    Reversing(usize),
    /// A retracted reversal, or a re-instatement: may not be reversed.
    Final,
}

/// Turns drafts into entries the posting rules accept, with ids given by a
/// permutation drawn from `shuffle`.
fn build(drafts: &[(Draft, u32)], shuffle: u64) -> Vec<Entry> {
    let mut made: Vec<(Entry, State)> = Vec::new();
    let mut held = 0i64;
    for (n, (draft, key)) in drafts.iter().enumerate() {
        let on = |day: u64| START + Days::new(day);
        let money = Money::from_cents;
        let (kind, amount, effective, state) = match *draft {
            Draft::Charge(d, c, obligation) => (
                EntryKind::Charge { obligation },
                money(c),
                on(d),
                State::Live,
            ),
            Draft::Payment(d, c, source) => {
                (EntryKind::Payment { source }, money(c), on(d), State::Live)
            }
            Draft::Adjustment(d, c) => (EntryKind::Adjustment, money(c), on(d), State::Live),
            Draft::Disbursement(d, c) => (EntryKind::Disbursement, money(c), on(d), State::Live),
            Draft::Fee(d, c) => (EntryKind::Fee, money(c), on(d), State::Live),
            Draft::Hold(d, c) => {
                held += c;
                (EntryKind::Hold, money(c), on(d), State::Live)
            }
            Draft::Release(d, c) => {
                // Never more than is held.
                let c = c.min(held);
                if c == 0 {
                    continue;
                }
                held -= c;
                (EntryKind::Release, money(c), on(d), State::Live)
            }
            Draft::Reversal { pick, later } => {
                let may: Vec<usize> = (0..made.len())
                    .filter(|&i| match made[i].1 {
                        // Not a hold whose money has been released.
                        State::Live => held >= receiver_effect(&made[i].0),
                        // Putting a release back needs the money still held.
                        State::Reversing(original) => held >= -receiver_effect(&made[original].0),
                        State::Cancelled | State::Final => false,
                    })
                    .collect();
                let Some(&target) = may.get(pick % may.len().max(1)) else {
                    continue;
                };
                let effective = made[target].0.effective + Days::new(later);
                let reverses = made[target].0.id;
                let state = match made[target].1 {
                    State::Reversing(original) => {
                        made[target].1 = State::Final;
                        made[original].1 = State::Live;
                        held += receiver_effect(&made[original].0);
                        State::Final
                    }
                    _ => {
                        made[target].1 = State::Cancelled;
                        held -= receiver_effect(&made[target].0);
                        State::Reversing(target)
                    }
                };
                (
                    EntryKind::Reversal { reverses },
                    Money::ZERO,
                    effective,
                    state,
                )
            }
        };
        let id = i64::try_from(made.len()).unwrap_or(i64::MAX) + 1;
        let entry = Entry {
            id,
            key: format!("{key:08x}:{n}"),
            kind,
            amount,
            effective,
        };
        made.push((entry, state));
    }
    renumber(made.into_iter().map(|(e, _)| e).collect(), shuffle)
}

/// What an entry does to the money held, in cents.
fn receiver_effect(entry: &Entry) -> i64 {
    entry.held().test_cents()
}

/// New ids, a permutation of the old ones, with reversals following them.
fn renumber(mut entries: Vec<Entry>, shuffle: u64) -> Vec<Entry> {
    let count = entries.len();
    let mut ids: Vec<i64> = (1..=i64::try_from(count).unwrap_or(0)).collect();
    // A small deterministic shuffle (Fisher–Yates on a linear congruential walk).
    let mut state = shuffle | 1;
    for i in (1..count).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = usize::try_from(state >> 33).unwrap_or(0) % (i + 1);
        ids.swap(i, j);
    }
    for entry in &mut entries {
        if let EntryKind::Reversal { reverses } = &mut entry.kind {
            *reverses = ids[usize::try_from(*reverses - 1).unwrap_or(0)];
        }
    }
    for (entry, id) in entries.iter_mut().zip(&ids) {
        entry.id = *id;
    }
    entries.sort_by_key(|e| e.id);
    entries
}
