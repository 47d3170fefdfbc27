//! Which charges a case's orders make due, up to a day.
//!
//! Accrual on the server and the data generators both use this, so a charge
//! is always the same charge: one per obligation and due date, with the key
//! [`Due::key`] that the database keeps unique.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::entry::ObligationKind;
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
}

impl Due {
    /// The charge's idempotency key: the same due date never posts twice.
    pub fn key(&self) -> String {
        format!("charge:{}:{}", self.obligation, self.on)
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

/// The first day after `today` anything falls due, and how much. `None`
/// when the orders have ended (or none is in force within a year).
pub fn next_due(
    orders: &[Order],
    emancipations: &[NaiveDate],
    today: NaiveDate,
) -> Option<NextDue> {
    // Every frequency falls due at least once in 31 days; a year covers an
    // order that starts later.
    let horizon = today.checked_add_days(chrono::Days::new(366))?;
    let upcoming: Vec<Due> = falls_due(orders, emancipations, horizon)
        .into_iter()
        .filter(|d| d.on > today)
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
fn falls_due(orders: &[Order], emancipations: &[NaiveDate], through: NaiveDate) -> Vec<Due> {
    let mut by_start: Vec<&Order> = orders.iter().collect();
    by_start.sort_by_key(|order| order.effective_on);

    let mut due = Vec::new();
    for (i, order) in by_start.iter().enumerate() {
        let replaced = by_start
            .get(i + 1)
            .and_then(|next| next.effective_on.pred_opt());
        let order_end = [order.ends_on, replaced, Some(through)]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(through);
        for obligation in &order.obligations {
            let end = match obligation.kind {
                ObligationKind::SpousalSupport | ObligationKind::ArrearsPayment => Some(order_end),
                ObligationKind::ChildSupport | ObligationKind::MedicalSupport => {
                    support_ends_on(Some(order_end), emancipations)
                }
            }
            .unwrap_or(order_end);
            due.extend(
                obligation
                    .schedule
                    .due_dates(order.effective_on, end)
                    .into_iter()
                    .map(|on| Due {
                        obligation: obligation.id,
                        kind: obligation.kind,
                        amount: obligation.amount,
                        on,
                    }),
            );
        }
    }
    due.sort_by_key(|d| (d.on, d.obligation));
    due
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::schedule::Frequency;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

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
            Order {
                effective_on: date(2024, 1, 1),
                ends_on: None,
                obligations: vec![obligation(1, ObligationKind::ChildSupport, 400, monthly())],
            },
            Order {
                effective_on: date(2024, 4, 1),
                ends_on: None,
                obligations: vec![obligation(2, ObligationKind::ChildSupport, 300, monthly())],
            },
        ];
        let due = charges_due(&orders, &[date(2040, 1, 1)], date(2024, 5, 31));
        let amounts: Vec<(NaiveDate, i64)> =
            due.iter().map(|d| (d.on, d.amount.cents() / 100)).collect();
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
        let orders = [Order {
            effective_on: date(2024, 1, 1),
            ends_on: None,
            obligations: vec![
                obligation(1, ObligationKind::ChildSupport, 400, monthly()),
                obligation(2, ObligationKind::SpousalSupport, 200, monthly()),
                obligation(3, ObligationKind::ArrearsPayment, 50, monthly()),
            ],
        }];
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
            Order {
                effective_on: date(2024, 1, 1),
                ends_on: None,
                obligations: vec![obligation(1, ObligationKind::ChildSupport, 400, monthly())],
            },
            Order {
                effective_on: date(2025, 1, 1),
                ends_on: None,
                obligations: vec![
                    obligation(2, ObligationKind::ChildSupport, 300, monthly()),
                    obligation(3, ObligationKind::MedicalSupport, 40, monthly()),
                    obligation(4, ObligationKind::ArrearsPayment, 50, monthly()),
                ],
            },
        ];
        let next = next_due(&orders, &[date(2040, 1, 1)], date(2024, 12, 1));
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
            next_due(&orders, &[date(2025, 6, 1)], date(2025, 5, 2)),
            None
        );
        assert_eq!(
            next_due(&orders, &[date(2040, 1, 1)], date(2026, 1, 1)),
            None
        );
        assert_eq!(in_force(&orders, date(2026, 2, 1)), None, "ended");
        let next = next_due(&orders, &[date(2040, 1, 1)], date(2025, 12, 31));
        assert_eq!(next.map(|n| n.on), Some(date(2026, 1, 1)));
    }
}
