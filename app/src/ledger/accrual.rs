//! Which charges a case's orders make due, up to a day.
//!
//! Accrual on the server and the data generators both use this, so a charge
//! is always the same charge: one per obligation and due date, with the key
//! [`Due::key`] that the database keeps unique.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::entry::{Entry, EntryKind, ObligationKind};
use super::money::Money;
use super::schedule::{support_ends_on, Schedule};

/// One obligation of an order, as accrual needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Obligation {
    pub id: i64,
    pub kind: ObligationKind,
    pub amount: Money,
    pub schedule: Schedule,
}

/// An order with its obligations. A later order replaces it from the later
/// order's effective date (a modification).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub effective_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub obligations: Vec<Obligation>,
}

/// A charge that falls due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    pub obligation: i64,
    pub kind: ObligationKind,
    pub amount: Money,
    pub on: NaiveDate,
    /// The last day of the period it pays for.
    pub through: NaiveDate,
    /// Only part of a period is owed: `None` for a whole one.
    pub part: Option<Part>,
}

/// Part of a period, owed by the day: new terms began, or support ended, in
/// the middle of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// Days owed, from the due date through [`Due::through`].
    pub days: u32,
    /// Days in the whole period.
    pub of: u32,
}

impl Due {
    /// The charge's idempotency key: the same due date never posts twice,
    /// and a part of a period is another charge than the whole of it.
    pub fn key(&self) -> String {
        match self.part {
            None => format!("charge:{}:{}", self.obligation, self.on),
            Some(_) => format!("charge:{}:{}:to:{}", self.obligation, self.on, self.through),
        }
    }
}

/// Every charge due under `orders` from their start through `through`.
///
/// An order runs until its own end, or the day before the next order takes
/// effect. Child and medical support also end the day before the last child
/// is emancipated; spousal support does not. Arrears-payment obligations set
/// a pace and never charge (see [`ObligationKind::accrues`]).
pub fn charges_due(orders: &[Order], emancipations: &[NaiveDate], through: NaiveDate) -> Vec<Due> {
    let mut due = falls_due(orders, emancipations, through);
    due.retain(|d| d.kind.accrues());
    due
}

/// What the paying parent is expected to pay next, after `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextDue {
    pub on: NaiveDate,
    /// Support that falls due that day.
    pub support: Money,
    /// The order's arrears-payment pace due the same day (zero if none).
    pub toward_past_due: Money,
}

/// The first day after `today` anything falls due, and how much, for a case
/// with `past_due` support unpaid today. The order's arrears-payment pace is
/// asked only while past-due support remains, and never more than remains.
/// `None` when the orders have ended (or none is in force within a year).
pub fn next_due(
    orders: &[Order],
    emancipations: &[NaiveDate],
    today: NaiveDate,
    past_due: Money,
) -> Option<NextDue> {
    // Every frequency falls due at least once in 31 days; a year covers an
    // order that starts later.
    let horizon = today.checked_add_days(chrono::Days::new(366))?;
    let upcoming: Vec<Due> = falls_due(orders, emancipations, horizon)
        .into_iter()
        .filter(|d| d.on > today && (d.kind.accrues() || past_due.is_positive()))
        .collect();
    let on = upcoming.first()?.on;
    let mut next = NextDue {
        on,
        support: Money::ZERO,
        toward_past_due: Money::ZERO,
    };
    for due in upcoming.iter().take_while(|d| d.on == on) {
        match due.kind.accrues() {
            true => next.support += due.amount,
            false => next.toward_past_due += due.amount,
        }
    }
    next.toward_past_due = next.toward_past_due.min(past_due);
    Some(next)
}

/// The order in force on `day`: the latest to take effect by then, unless
/// it has ended.
pub fn in_force(orders: &[Order], day: NaiveDate) -> Option<&Order> {
    orders
        .iter()
        .filter(|order| order.effective_on <= day)
        .max_by_key(|order| order.effective_on)
        .filter(|order| order.ends_on.is_none_or(|end| day <= end))
}

/// Every due date of every obligation, arrears-payment pace included, in
/// date order. Support for children ends with the last emancipation; spousal
/// support and the pace run as long as the order.
///
/// Support is owed by the period, charged whole on its due date — except a
/// period cut short, which is owed for its days only (prorated by days in the
/// period, see [`Money::prorate`]): the last period before new terms take
/// effect or before support ends, and, when new terms take effect between
/// due dates, the days from then to their first due date. So a change of
/// terms in the middle of a month never charges the month twice.
fn falls_due(orders: &[Order], emancipations: &[NaiveDate], through: NaiveDate) -> Vec<Due> {
    let mut by_start: Vec<&Order> = orders.iter().collect();
    by_start.sort_by_key(|order| order.effective_on);

    let mut due = Vec::new();
    for (i, order) in by_start.iter().enumerate() {
        let replaced = by_start
            .get(i + 1)
            .and_then(|next| next.effective_on.pred_opt());
        let order_end = [order.ends_on, replaced].into_iter().flatten().min();
        for obligation in &order.obligations {
            let end = match obligation.kind {
                ObligationKind::SpousalSupport
                | ObligationKind::ArrearsPayment
                | ObligationKind::Interest => order_end,
                ObligationKind::ChildSupport | ObligationKind::MedicalSupport => {
                    support_ends_on(order_end, emancipations)
                }
            };
            let owed = Owed {
                obligation,
                starts: order.effective_on,
                // A case's first order owes from its first due date; new
                // terms owe from the day they take effect.
                from_the_first_day: i > 0,
                ends: end,
            };
            owed.charges(through, &mut due);
        }
    }
    due.sort_by_key(|d| (d.on, d.obligation));
    due
}

/// One obligation over the days it is owed.
struct Owed<'o> {
    obligation: &'o Obligation,
    starts: NaiveDate,
    from_the_first_day: bool,
    /// The last day owed; `None`: no end known yet.
    ends: Option<NaiveDate>,
}

impl Owed<'_> {
    /// Its charges due up to `through`, appended to `due`.
    fn charges(&self, through: NaiveDate, due: &mut Vec<Due>) {
        let schedule = self.obligation.schedule;
        let last = self.ends.map_or(through, |end| end.min(through));
        if last < self.starts {
            return;
        }
        let charge = |on: NaiveDate, until: NaiveDate, period: (NaiveDate, NaiveDate)| {
            let whole = on == period.0 && until >= period.1;
            let days = |a: NaiveDate, b: NaiveDate| u32::try_from((b - a).num_days()).unwrap_or(0);
            let part = (!whole).then(|| Part {
                days: days(on, until),
                of: days(period.0, period.1),
            });
            Due {
                obligation: self.obligation.id,
                kind: self.obligation.kind,
                amount: match part {
                    None => self.obligation.amount,
                    Some(part) => self.obligation.amount.prorate(part.days, part.of),
                },
                on,
                through: until.pred_opt().unwrap_or(until),
                part,
            }
        };
        // The day after the last one owed (exclusive end), if known.
        let stop = self.ends.and_then(|end| end.succ_opt());
        let until = |next: NaiveDate| stop.map_or(next, |stop| stop.min(next));
        if self.from_the_first_day {
            if let Some(period) = schedule.period_of(self.starts, self.starts) {
                if period.0 < self.starts {
                    due.push(charge(self.starts, until(period.1), period));
                }
            }
        }
        for on in schedule.series_dates(self.starts, self.starts, last) {
            let next = schedule
                .period_of(self.starts, on)
                .map_or(on, |(_, next)| next);
            due.push(charge(on, until(next), (on, next)));
        }
    }
}

/// What a change of terms does to a ledger through `today`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Recharge {
    /// Charges posted that the new terms no longer make due (to reverse).
    pub reverse: Vec<i64>,
    /// Charges due under the new terms and not posted yet (to post).
    pub charge: Vec<Due>,
}

/// The change from `before` to `after` (the orders, with the new terms among
/// them), on a ledger holding `entries`: every charge posted under the old
/// terms that the new ones do not make due is reversed — a whole period the
/// new terms now split, a date they replace — and every charge due under the
/// new terms that is not posted yet is posted. Charges reversed by a person
/// (posted in error) stay reversed: their keys are taken.
pub fn recharge(
    entries: &[Entry],
    before: &[Order],
    after: &[Order],
    emancipations: &[NaiveDate],
    today: NaiveDate,
) -> Recharge {
    let due_before: HashSet<String> = charges_due(before, emancipations, today)
        .iter()
        .map(Due::key)
        .collect();
    let due_after = charges_due(after, emancipations, today);
    let keys_after: HashSet<String> = due_after.iter().map(Due::key).collect();
    let reversed: HashSet<i64> = entries
        .iter()
        .filter_map(|e| match e.kind {
            EntryKind::Reversal { reverses } => Some(reverses),
            _ => None,
        })
        .collect();
    let posted: HashSet<&str> = entries.iter().map(|e| e.key.as_str()).collect();
    Recharge {
        reverse: entries
            .iter()
            .filter(|e| matches!(e.kind, EntryKind::Charge { .. }) && !reversed.contains(&e.id))
            .filter(|e| due_before.contains(&e.key) && !keys_after.contains(&e.key))
            .map(|e| e.id)
            .collect(),
        charge: due_after
            .into_iter()
            .filter(|d| !posted.contains(d.key().as_str()))
            .collect(),
    }
}

/// The obligations of `order` that still charge on `day`: child and medical
/// support end with the last child's emancipation.
pub fn still_charging<'o>(
    order: &'o Order,
    emancipations: &[NaiveDate],
    day: NaiveDate,
) -> impl Iterator<Item = &'o Obligation> {
    let support_ends = support_ends_on(None, emancipations);
    order.obligations.iter().filter(move |o| match o.kind {
        ObligationKind::ChildSupport | ObligationKind::MedicalSupport => {
            support_ends.is_none_or(|end| day <= end)
        }
        ObligationKind::SpousalSupport
        | ObligationKind::ArrearsPayment
        | ObligationKind::Interest => true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::schedule::Frequency;
    use crate::ledger::testing::{self, date};
    use proptest::prelude::*;

    fn obligation(id: i64, kind: ObligationKind, dollars: i64, schedule: Schedule) -> Obligation {
        Obligation {
            id,
            kind,
            amount: Money::from_cents(dollars * 100),
            schedule,
        }
    }

    fn monthly() -> Schedule {
        Schedule::monthly(1).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_modification_replaces_the_order_from_its_effective_date() {
        let orders = [
            order(
                date(2024, 1, 1),
                vec![obligation(1, ObligationKind::ChildSupport, 400, monthly())],
            ),
            order(
                date(2024, 4, 1),
                vec![obligation(2, ObligationKind::ChildSupport, 300, monthly())],
            ),
        ];
        let due = charges_due(&orders, &[date(2040, 1, 1)], date(2024, 5, 31));
        let amounts: Vec<(NaiveDate, i64)> = due
            .iter()
            .map(|d| (d.on, d.amount.test_cents() / 100))
            .collect();
        assert_eq!(
            amounts,
            [
                (date(2024, 1, 1), 400),
                (date(2024, 2, 1), 400),
                (date(2024, 3, 1), 400),
                (date(2024, 4, 1), 300),
                (date(2024, 5, 1), 300),
            ]
        );
        assert_eq!(due[3].key(), "charge:2:2024-04-01");
    }

    #[test]
    fn child_support_stops_at_emancipation_but_spousal_support_does_not() {
        let orders = [order(
            date(2024, 1, 1),
            vec![
                obligation(1, ObligationKind::ChildSupport, 400, monthly()),
                obligation(2, ObligationKind::SpousalSupport, 200, monthly()),
                obligation(3, ObligationKind::ArrearsPayment, 50, monthly()),
            ],
        )];
        let due = charges_due(&orders, &[date(2024, 3, 1)], date(2024, 4, 30));
        let child = due.iter().filter(|d| d.obligation == 1).count();
        let spousal = due.iter().filter(|d| d.obligation == 2).count();
        assert_eq!((child, spousal), (2, 4), "Jan and Feb; Jan to Apr");
        assert!(due.iter().all(|d| d.obligation != 3), "a pace, not a debt");
    }

    #[test]
    fn nothing_is_due_after_the_order_ends_or_before_it_starts() {
        let weekly = Schedule::new(Frequency::Weekly, 4).unwrap_or_else(|e| panic!("{e}"));
        let orders = [Order {
            effective_on: date(2024, 6, 3),
            ends_on: Some(date(2024, 6, 20)),
            obligations: vec![obligation(7, ObligationKind::ChildSupport, 90, weekly)],
        }];
        let due = charges_due(&orders, &[], date(2030, 1, 1));
        let dates: Vec<NaiveDate> = due.iter().map(|d| d.on).collect();
        assert_eq!(dates, [date(2024, 6, 7), date(2024, 6, 14)]);
        assert!(charges_due(&orders, &[], date(2024, 6, 6)).is_empty());
    }

    #[test]
    fn next_due_adds_up_the_day_and_names_the_pace_apart() {
        let orders = [
            order(
                date(2024, 1, 1),
                vec![obligation(1, ObligationKind::ChildSupport, 400, monthly())],
            ),
            order(
                date(2025, 1, 1),
                vec![
                    obligation(2, ObligationKind::ChildSupport, 300, monthly()),
                    obligation(3, ObligationKind::MedicalSupport, 40, monthly()),
                    obligation(4, ObligationKind::ArrearsPayment, 50, monthly()),
                ],
            ),
        ];
        let next = next_due(
            &orders,
            &[date(2040, 1, 1)],
            date(2024, 12, 1),
            Money::from_cents(60_000),
        );
        assert_eq!(
            next,
            Some(NextDue {
                on: date(2025, 1, 1),
                support: Money::from_cents(34_000),
                toward_past_due: Money::from_cents(5_000),
            }),
            "the modification in force by then, not today's order"
        );
        let in_force_now = in_force(&orders, date(2024, 12, 1)).map(|o| o.effective_on);
        assert_eq!(in_force_now, Some(date(2024, 1, 1)));
        assert_eq!(
            in_force(&orders, date(2025, 1, 1)).map(|o| o.effective_on),
            Some(date(2025, 1, 1))
        );
        assert_eq!(in_force(&orders, date(2023, 12, 31)), None);
    }

    #[test]
    fn nothing_is_next_after_the_last_child_or_the_order_ends() {
        let orders = [Order {
            effective_on: date(2024, 1, 1),
            ends_on: Some(date(2026, 1, 31)),
            obligations: vec![obligation(1, ObligationKind::ChildSupport, 400, monthly())],
        }];
        assert_eq!(
            next_due(&orders, &[date(2025, 6, 1)], date(2025, 5, 2), Money::ZERO),
            None
        );
        assert_eq!(
            next_due(&orders, &[date(2040, 1, 1)], date(2026, 1, 1), Money::ZERO),
            None
        );
        assert_eq!(in_force(&orders, date(2026, 2, 1)), None, "ended");
        let next = next_due(
            &orders,
            &[date(2040, 1, 1)],
            date(2025, 12, 31),
            Money::ZERO,
        );
        assert_eq!(next.map(|n| n.on), Some(date(2026, 1, 1)));
    }

    /// An order with no end of its own.
    fn order(effective_on: NaiveDate, obligations: Vec<Obligation>) -> Order {
        Order {
            effective_on,
            ends_on: None,
            obligations,
        }
    }

    fn amounts(due: &[Due]) -> Vec<(NaiveDate, i64)> {
        due.iter().map(|d| (d.on, d.amount.test_cents())).collect()
    }

    #[test]
    fn new_terms_in_the_middle_of_a_month_never_charge_it_twice() {
        let orders = [
            order(
                date(2024, 1, 1),
                vec![obligation(1, ObligationKind::ChildSupport, 400, monthly())],
            ),
            // From March 15, $310 a month, still due on the 1st.
            order(
                date(2024, 3, 15),
                vec![obligation(2, ObligationKind::ChildSupport, 310, monthly())],
            ),
        ];
        let due = charges_due(&orders, &[date(2040, 1, 1)], date(2024, 4, 30));
        assert_eq!(
            amounts(&due),
            [
                (date(2024, 1, 1), 40_000),
                (date(2024, 2, 1), 40_000),
                (date(2024, 3, 1), 18_065),  // $400 × 14/31 days, Mar 1–14
                (date(2024, 3, 15), 17_000), // $310 × 17/31 days, Mar 15–31
                (date(2024, 4, 1), 31_000),
            ]
        );
        assert_eq!(due[2].key(), "charge:1:2024-03-01:to:2024-03-14");
        assert_eq!(due[3].key(), "charge:2:2024-03-15:to:2024-03-31");
        assert_eq!(due[4].key(), "charge:2:2024-04-01");
    }

    #[test]
    fn a_change_reverses_the_whole_month_it_splits_and_charges_its_parts() {
        let old = order(
            date(2024, 1, 1),
            vec![obligation(1, ObligationKind::ChildSupport, 400, monthly())],
        );
        let new = order(
            date(2024, 3, 15),
            vec![obligation(2, ObligationKind::ChildSupport, 310, monthly())],
        );
        let kids = [date(2040, 1, 1)];
        let today = date(2024, 4, 10);
        let before = [old.clone()];
        let entries = testing::posted(charges_due(&before, &kids, today));
        let change = recharge(&entries, &before, &[old, new], &kids, today);
        assert_eq!(change.reverse, [3, 4], "March 1 and April 1, each whole");
        let posted: Vec<String> = change.charge.iter().map(Due::key).collect();
        assert_eq!(
            posted,
            [
                "charge:1:2024-03-01:to:2024-03-14",
                "charge:2:2024-03-15:to:2024-03-31",
                "charge:2:2024-04-01",
            ]
        );
    }

    #[test]
    fn support_ending_mid_period_is_owed_for_its_days() {
        let orders = [order(
            date(2024, 1, 1),
            vec![
                obligation(1, ObligationKind::ChildSupport, 300, monthly()),
                obligation(2, ObligationKind::SpousalSupport, 100, monthly()),
            ],
        )];
        // The last child turns 18 on March 11: support through March 10.
        let due = charges_due(&orders, &[date(2024, 3, 11)], date(2024, 4, 30));
        let child: Vec<(NaiveDate, i64)> = amounts(&due)
            .into_iter()
            .zip(&due)
            .filter(|(_, d)| d.obligation == 1)
            .map(|(a, _)| a)
            .collect();
        assert_eq!(
            child,
            [
                (date(2024, 1, 1), 30_000),
                (date(2024, 2, 1), 30_000),
                (date(2024, 3, 1), 9_677), // $300 × 10/31
            ]
        );
        let spousal = due.iter().filter(|d| d.obligation == 2).count();
        assert_eq!(spousal, 4, "spousal support goes on");
    }

    #[test]
    fn the_pace_is_asked_only_while_something_is_past_due_and_never_more() {
        let orders = [order(
            date(2024, 1, 1),
            vec![
                obligation(1, ObligationKind::ChildSupport, 400, monthly()),
                obligation(2, ObligationKind::ArrearsPayment, 100, monthly()),
            ],
        )];
        let kids = [date(2040, 1, 1)];
        let on = |past_due: i64| {
            next_due(
                &orders,
                &kids,
                date(2024, 5, 10),
                Money::from_cents(past_due),
            )
        };
        assert_eq!(on(0).map(|n| n.toward_past_due), Some(Money::ZERO));
        assert_eq!(
            on(4_000).map(|n| n.toward_past_due),
            Some(Money::from_cents(4_000))
        );
        assert_eq!(
            on(90_000).map(|n| n.toward_past_due),
            Some(Money::from_cents(10_000))
        );
        // Support has ended; only the pace is left, and nothing is past due.
        let ended = next_due(&orders, &[date(2024, 3, 1)], date(2024, 5, 10), Money::ZERO);
        assert_eq!(ended, None);
    }

    fn any_schedule() -> impl Strategy<Value = Schedule> {
        prop_oneof![
            (0u8..=6).prop_map(|d| Schedule::new(Frequency::Weekly, d)),
            (0u8..=6).prop_map(|d| Schedule::new(Frequency::BiWeekly, d)),
            (1u8..=15).prop_map(|d| Schedule::new(Frequency::SemiMonthly, d)),
            (1u8..=31).prop_map(|d| Schedule::new(Frequency::Monthly, d)),
        ]
        .prop_map(|s| s.unwrap_or_else(|e| panic!("{e}")))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::ledger::arbitrary::cases()))]

        /// Whatever the changes of terms and their schedules, and whenever
        /// support ends, every day from the first due date on is paid for by
        /// exactly one charge of each kind of support: none twice, none missed.
        #[test]
        fn every_day_is_charged_once_whatever_the_changes(
            changes in prop::collection::vec((0u64..900, any_schedule(), 1i64..2_000), 1..5),
            ends in prop::option::of(0u64..1_200),
            emancipation in prop::option::of(0u64..1_200),
            ended in prop::option::of(0u64..400),
        ) {
            let start = date(2022, 1, 1);
            let day = |n: u64| start + chrono::Days::new(n);
            let mut starts: Vec<u64> = changes.iter().map(|c| c.0).collect();
            starts.sort_unstable();
            starts.dedup();
            // The last order may end, some days after it starts.
            let last_start = starts.last().copied().unwrap_or(0);
            let ended = ended.map(|after| day(last_start + after));
            let orders: Vec<Order> = starts
                .iter()
                .zip(&changes)
                .enumerate()
                .map(|(i, (&on, &(_, schedule, dollars)))| Order {
                    effective_on: day(on),
                    ends_on: if i + 1 == starts.len() { ended } else { None },
                    obligations: vec![
                        obligation(i as i64 * 2 + 1, ObligationKind::ChildSupport, dollars, schedule),
                        obligation(i as i64 * 2 + 2, ObligationKind::SpousalSupport, dollars, schedule),
                    ],
                })
                .collect();
            let kids: Vec<NaiveDate> = emancipation.map(day).into_iter().collect();
            let through = day(ends.unwrap_or(1_300));
            let due = charges_due(&orders, &kids, through);
            for kind in [ObligationKind::ChildSupport, ObligationKind::SpousalSupport] {
                let mut charged: Vec<&Due> = due.iter().filter(|d| d.kind == kind).collect();
                charged.sort_by_key(|d| d.on);
                for pair in charged.windows(2) {
                    prop_assert_eq!(pair[0].through.succ_opt(), Some(pair[1].on),
                        "{:?}: {} through {} then {}", kind, pair[0].on, pair[0].through, pair[1].on);
                }
                for d in &charged {
                    let whole = orders
                        .iter()
                        .flat_map(|o| &o.obligations)
                        .find(|o| o.id == d.obligation)
                        .map(|o| o.amount);
                    prop_assert!(d.on <= d.through && d.amount.is_positive());
                    match d.part {
                        None => prop_assert_eq!(Some(d.amount), whole),
                        Some(part) => {
                            prop_assert!(part.days < part.of);
                            prop_assert!(whole.is_some_and(|w| d.amount <= w), "a part is no more than the whole");
                        }
                    }
                }
                // Nothing is owed after support or the order ends.
                let support_end = match kind {
                    ObligationKind::ChildSupport => support_ends_on(ended, &kids),
                    _ => ended,
                };
                if let (Some(last), Some(end)) = (charged.last(), support_end) {
                    prop_assert!(last.through <= end);
                }
            }
        }
    }
}
