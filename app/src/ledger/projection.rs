//! The payoff planner's arithmetic: pay `extra` on top of current support
//! each period, and when is past-due support gone?
//!
//! Runs in the browser as the parent types, with the same rules as the server.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::money::Money;
use super::schedule::Schedule;

/// Plans longer than this are not plans: the answer is "talk to us".
pub const MAX_PERIODS: u32 = 1_200;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payoff {
    /// Number of payments until past-due support is zero.
    pub periods: u32,
    /// The due date of the last of them.
    pub paid_off_on: NaiveDate,
    /// Everything paid meanwhile: current support plus all past-due support.
    pub total_paid: Money,
    /// Each regular payment: current support plus the extra amount.
    pub per_period: Money,
    /// The last payment, which only needs what is left.
    pub last_payment: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum PayoffError {
    #[error("nothing is past due")]
    NothingPastDue,
    #[error("the extra amount must be more than zero")]
    NoExtra,
    #[error("at this pace it would take more than {MAX_PERIODS} payments")]
    TooLong,
}

/// The plan: `current` support per period plus `extra`, starting with the first
/// due date on or after `from` of the obligation's own series, which began on
/// `series_start` (every other week keeps its phase).
pub fn payoff(
    past_due: Money,
    current: Money,
    extra: Money,
    schedule: Schedule,
    series_start: NaiveDate,
    from: NaiveDate,
) -> Result<Payoff, PayoffError> {
    if !past_due.is_positive() {
        return Err(PayoffError::NothingPastDue);
    }
    if !extra.is_positive() {
        return Err(PayoffError::NoExtra);
    }
    // An amount too large to count in cents is too large to plan.
    let cents = |money: Money| money.cents().map_err(|_| PayoffError::TooLong);
    let (owed, step) = (cents(past_due)?, cents(extra)?);
    let periods = u32::try_from(owed.div_euclid(step) + i64::from(owed.rem_euclid(step) != 0))
        .map_err(|_| PayoffError::TooLong)?;
    if periods > MAX_PERIODS {
        return Err(PayoffError::TooLong);
    }
    // Enough calendar for `periods` due dates of any frequency (≤ 31 days apart).
    let horizon = from
        .checked_add_days(Days::new(u64::from(periods) * 31 + 31))
        .ok_or(PayoffError::TooLong)?;
    let paid_off_on = schedule
        .series_dates(series_start, from, horizon)
        .get(periods as usize - 1)
        .copied()
        .ok_or(PayoffError::TooLong)?;
    let left_for_last = past_due - extra.times(periods - 1);
    Ok(Payoff {
        periods,
        paid_off_on,
        total_paid: current.times(periods) + past_due,
        per_period: current + extra,
        last_payment: current + left_for_last,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::schedule::Frequency;
    use crate::ledger::testing::{date, dollars};
    use proptest::prelude::*;

    #[test]
    fn fifty_a_month_clears_six_hundred_in_a_year() {
        let monthly = Schedule::monthly(1).unwrap_or_else(|e| panic!("{e}"));
        let plan = payoff(
            dollars(600),
            dollars(400),
            dollars(50),
            monthly,
            date(2020, 1, 1),
            date(2025, 1, 15),
        );
        assert_eq!(
            plan,
            Ok(Payoff {
                periods: 12,
                paid_off_on: date(2026, 1, 1),
                total_paid: dollars(400 * 12 + 600),
                per_period: dollars(450),
                last_payment: dollars(450),
            })
        );
    }

    #[test]
    fn an_uneven_amount_ends_with_a_smaller_last_payment() {
        let weekly = Schedule::new(Frequency::Weekly, 4).unwrap_or_else(|e| panic!("{e}"));
        let plan = payoff(
            dollars(250),
            dollars(100),
            dollars(40),
            weekly,
            date(2020, 1, 1),
            date(2025, 3, 3),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(plan.periods, 7);
        assert_eq!(
            plan.last_payment,
            dollars(110),
            "$10 left after six weeks of $40"
        );
        assert_eq!(plan.paid_off_on, date(2025, 4, 18), "the seventh Friday");
    }

    #[test]
    fn impossible_plans_say_why() {
        let monthly = Schedule::monthly(1).unwrap_or_else(|e| panic!("{e}"));
        let at = date(2025, 1, 1);
        assert_eq!(
            payoff(Money::ZERO, dollars(1), dollars(1), monthly, at, at),
            Err(PayoffError::NothingPastDue)
        );
        assert_eq!(
            payoff(dollars(1), dollars(1), Money::ZERO, monthly, at, at),
            Err(PayoffError::NoExtra)
        );
        assert_eq!(
            payoff(
                dollars(100_000),
                dollars(1),
                Money::from_cents(5),
                monthly,
                at,
                at
            ),
            Err(PayoffError::TooLong)
        );
    }

    #[test]
    fn every_other_week_plans_follow_the_orders_own_fortnights() {
        let fortnightly = Schedule::new(Frequency::BiWeekly, 4).unwrap_or_else(|e| panic!("{e}"));
        // The order began Jan 8, 2024: its Fridays are Jan 12, 26, … Mar 8, 22.
        let plan = payoff(
            dollars(100),
            dollars(200),
            dollars(50),
            fortnightly,
            date(2024, 1, 8),
            date(2024, 3, 1),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(plan.paid_off_on, date(2024, 3, 22), "not Mar 1 and 15");
    }

    proptest! {
        #[test]
        fn the_plan_pays_exactly_what_is_past_due(
            past_due in 1i64..5_000_000,
            current in 0i64..200_000,
            extra in 1i64..500_000,
        ) {
            let monthly = Schedule::monthly(15).unwrap_or_else(|e| panic!("{e}"));
            let (past_due, current, extra) =
                (Money::from_cents(past_due), Money::from_cents(current), Money::from_cents(extra));
            match payoff(past_due, current, extra, monthly, date(2020, 1, 1), date(2025, 1, 1)) {
                Ok(plan) => {
                    let n = plan.periods;
                    prop_assert!(extra.times(n) >= past_due);
                    prop_assert!(extra.times(n - 1) < past_due);
                    prop_assert_eq!(plan.per_period.times(n - 1) + plan.last_payment, plan.total_paid);
                    prop_assert!(plan.last_payment <= plan.per_period);
                }
                Err(error) => prop_assert_eq!(error, PayoffError::TooLong),
            }
        }
    }
}
