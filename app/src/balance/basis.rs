//! What the payoff planner starts from, worked out on the server from the
//! order in force (the planner island then runs in the browser).

use chrono::NaiveDate;

use super::model::PlannerBasis;
use crate::ledger::accrual::{still_charging, Obligation, Order};
use crate::ledger::{in_force, Money};

/// What the payoff planner starts from: the support due each period under
/// the order in force (only what still charges, and only on the main
/// obligation's schedule), that schedule, and any arrears pace it already
/// sets. An arrears-only order plans on its pace's schedule, with no current
/// support. `None` when no order is in force.
pub fn planner_basis(
    orders: &[Order],
    emancipations: &[NaiveDate],
    today: NaiveDate,
) -> Option<PlannerBasis> {
    let order = in_force(orders, today)?;
    let charging: Vec<&Obligation> = still_charging(order, emancipations, today).collect();
    let main = charging
        .iter()
        .filter(|o| o.kind.accrues())
        .min_by_key(|o| o.kind)
        .or_else(|| charging.iter().find(|o| !o.kind.accrues()))?;
    let frequency = main.schedule.frequency;
    let on_schedule = |accrues: bool| -> Money {
        charging
            .iter()
            .filter(|o| o.kind.accrues() == accrues && o.schedule.frequency == frequency)
            .map(|o| o.amount)
            .sum()
    };
    Some(PlannerBasis {
        current: on_schedule(true),
        schedule: main.schedule,
        series_start: order.effective_on,
        from: today,
        ordered_extra: on_schedule(false),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::testing::date as on;
    use crate::ledger::{Frequency, ObligationKind, Schedule};

    fn obligation(id: i64, kind: ObligationKind, cents: i64, frequency: Frequency) -> Obligation {
        let schedule = match frequency {
            Frequency::Monthly => Schedule::monthly(1),
            other => Schedule::new(other, 4),
        };
        Obligation {
            id,
            kind,
            amount: Money::from_cents(cents),
            schedule: schedule.unwrap_or_else(|e| panic!("{e:?}")),
        }
    }

    fn order(obligations: Vec<Obligation>) -> Vec<Order> {
        vec![Order {
            effective_on: on(2024, 1, 1),
            ends_on: None,
            obligations,
        }]
    }

    #[test]
    fn an_arrears_only_order_plans_with_no_current_support() {
        let orders = order(vec![obligation(
            1,
            ObligationKind::ArrearsPayment,
            10_000,
            Frequency::Monthly,
        )]);
        let basis = planner_basis(&orders, &[], on(2026, 6, 15));
        let basis = basis.unwrap_or_else(|| panic!("an arrears-only order gets a planner"));
        assert_eq!(basis.current, Money::ZERO);
        assert_eq!(basis.ordered_extra, Money::from_cents(10_000));
        assert_eq!(basis.schedule.frequency, Frequency::Monthly);
        assert_eq!(basis.series_start, on(2024, 1, 1));
    }

    #[test]
    fn amounts_of_another_frequency_are_never_added_into_one_period() {
        let orders = order(vec![
            obligation(1, ObligationKind::ChildSupport, 11_500, Frequency::Weekly),
            obligation(2, ObligationKind::MedicalSupport, 5_000, Frequency::Monthly),
            obligation(3, ObligationKind::ArrearsPayment, 2_000, Frequency::Weekly),
        ]);
        let basis = planner_basis(&orders, &[], on(2026, 6, 15));
        let basis = basis.unwrap_or_else(|| panic!("an order is in force"));
        assert_eq!(basis.schedule.frequency, Frequency::Weekly);
        assert_eq!(basis.current, Money::from_cents(11_500), "not $165 a week");
        assert_eq!(basis.ordered_extra, Money::from_cents(2_000));
    }

    #[test]
    fn support_that_ended_with_emancipation_is_not_planned_for() {
        let orders = order(vec![
            obligation(1, ObligationKind::ChildSupport, 52_000, Frequency::Monthly),
            obligation(
                2,
                ObligationKind::ArrearsPayment,
                10_000,
                Frequency::Monthly,
            ),
        ]);
        let grown_up = [on(2026, 3, 10)];
        let basis = planner_basis(&orders, &grown_up, on(2026, 6, 15));
        let basis = basis.unwrap_or_else(|| panic!("the arrears payment still charges"));
        assert_eq!(basis.current, Money::ZERO);
        assert_eq!(basis.ordered_extra, Money::from_cents(10_000));
    }
}
