//! When an obligation falls due.
//!
//! An order says how often support is due and on which day; [`Schedule`]
//! turns that into dates. Every date is a calendar date in the agency's time
//! zone: there is no time of day in a due date.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Weekly,
    BiWeekly,
    SemiMonthly,
    Monthly,
}

impl Frequency {
    pub const ALL: [Frequency; 4] = [
        Frequency::Weekly,
        Frequency::BiWeekly,
        Frequency::SemiMonthly,
        Frequency::Monthly,
    ];

    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Weekly => "weekly",
            Frequency::BiWeekly => "bi_weekly",
            Frequency::SemiMonthly => "semi_monthly",
            Frequency::Monthly => "monthly",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == name)
    }
}

/// How often and on which day an obligation falls due.
///
/// `anchor_day` means, by frequency:
/// - weekly and bi-weekly: the weekday, 0 = Monday … 6 = Sunday. Bi-weekly
///   dates are every 14 days from the first such weekday on or after the
///   obligation starts.
/// - semi-monthly: the first day of the month it falls due (1–15); the second
///   is 14 days later (1st and 15th, 5th and 19th, …).
/// - monthly: the day of the month (1–31); in shorter months the last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Schedule {
    pub frequency: Frequency,
    pub anchor_day: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ScheduleError {
    #[error("a weekly or bi-weekly schedule needs a weekday (0 = Monday … 6 = Sunday)")]
    Weekday,
    #[error("a semi-monthly schedule starts on day 1 to 15 of the month")]
    SemiMonthlyDay,
    #[error("a monthly schedule needs a day of the month from 1 to 31")]
    MonthDay,
}

impl Schedule {
    pub fn new(frequency: Frequency, anchor_day: u8) -> Result<Self, ScheduleError> {
        let valid = match frequency {
            Frequency::Weekly | Frequency::BiWeekly => anchor_day <= 6,
            Frequency::SemiMonthly => (1..=15).contains(&anchor_day),
            Frequency::Monthly => (1..=31).contains(&anchor_day),
        };
        match (valid, frequency) {
            (true, _) => Ok(Self {
                frequency,
                anchor_day,
            }),
            (false, Frequency::Weekly | Frequency::BiWeekly) => Err(ScheduleError::Weekday),
            (false, Frequency::SemiMonthly) => Err(ScheduleError::SemiMonthlyDay),
            (false, Frequency::Monthly) => Err(ScheduleError::MonthDay),
        }
    }

    /// Monthly on the 1st: the most common order.
    pub fn monthly(day: u8) -> Result<Self, ScheduleError> {
        Self::new(Frequency::Monthly, day)
    }

    /// Every due date from `starts` to `ends` (both inclusive) of the series
    /// that begins on `starts`.
    pub fn due_dates(&self, starts: NaiveDate, ends: NaiveDate) -> Vec<NaiveDate> {
        self.series_dates(starts, starts, ends)
    }

    /// The due dates from `from` to `to` (both inclusive) of the series that
    /// begins on `series_start`. Only every-other-week series depend on where
    /// they begin: they fall every 14 days from the first such weekday on or
    /// after it, and keep that phase before and after it.
    pub fn series_dates(
        &self,
        series_start: NaiveDate,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Vec<NaiveDate> {
        let mut dates = Vec::new();
        if to < from {
            return dates;
        }
        match self.frequency {
            Frequency::Weekly | Frequency::BiWeekly => {
                let step: i64 = if self.frequency == Frequency::Weekly {
                    7
                } else {
                    14
                };
                let origin = match self.frequency {
                    Frequency::Weekly => from,
                    _ => series_start,
                };
                let Some(first) = self.first_weekday_on_or_after(origin) else {
                    return dates;
                };
                // The first date of the series on or after `from`.
                let behind = (from - first).num_days();
                let steps = behind.div_euclid(step) + i64::from(behind.rem_euclid(step) != 0);
                let mut date = first.checked_add_signed(chrono::Duration::days(steps * step));
                while let Some(due) = date.filter(|d| *d <= to) {
                    dates.push(due);
                    date = due.checked_add_signed(chrono::Duration::days(step));
                }
            }
            Frequency::SemiMonthly | Frequency::Monthly => {
                let days: &[u8] = if self.frequency == Frequency::Monthly {
                    &[self.anchor_day][..]
                } else {
                    &[self.anchor_day, self.anchor_day + 14][..]
                };
                let mut month = NaiveDate::from_ymd_opt(from.year(), from.month(), 1);
                while let Some(first) = month.filter(|m| *m <= to) {
                    for day in days {
                        let due = day_in_month(first, *day);
                        if due >= from && due <= to {
                            dates.push(due);
                        }
                    }
                    month = first.checked_add_months(Months::new(1));
                }
            }
        }
        dates
    }

    /// The period of the series beginning on `series_start` that `day`
    /// falls in: its due date (on or before `day`) and the next one.
    pub fn period_of(
        &self,
        series_start: NaiveDate,
        day: NaiveDate,
    ) -> Option<(NaiveDate, NaiveDate)> {
        // Every frequency falls due at least once in 31 days.
        let span = Days::new(32);
        let due = *self
            .series_dates(series_start, day.checked_sub_days(span)?, day)
            .last()?;
        let next = *self
            .series_dates(series_start, day.succ_opt()?, day.checked_add_days(span)?)
            .first()?;
        Some((due, next))
    }

    fn first_weekday_on_or_after(&self, day: NaiveDate) -> Option<NaiveDate> {
        let weekday = weekday_from_index(self.anchor_day);
        let ahead = (7 + weekday.num_days_from_monday() - day.weekday().num_days_from_monday()) % 7;
        day.checked_add_days(Days::new(u64::from(ahead)))
    }
}

fn weekday_from_index(index: u8) -> Weekday {
    match index {
        0 => Weekday::Mon,
        1 => Weekday::Tue,
        2 => Weekday::Wed,
        3 => Weekday::Thu,
        4 => Weekday::Fri,
        5 => Weekday::Sat,
        _ => Weekday::Sun,
    }
}

/// Day `day` of the month starting at `first`, or the month's last day.
fn day_in_month(first: NaiveDate, day: u8) -> NaiveDate {
    let last = first
        .checked_add_months(Months::new(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(first);
    NaiveDate::from_ymd_opt(first.year(), first.month(), u32::from(day)).unwrap_or(last)
}

/// The last day child support is owed: the day before the youngest child
/// covered by the order is emancipated, or the order's own end, whichever
/// comes first. `None`: no end known yet.
pub fn support_ends_on(
    order_ends_on: Option<NaiveDate>,
    emancipation_dates: &[NaiveDate],
) -> Option<NaiveDate> {
    let last_child = emancipation_dates.iter().max().and_then(|d| d.pred_opt());
    match (order_ends_on, last_child) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::testing::date;
    use proptest::prelude::*;

    /// Dates as (year, month, day), so that an expected series reads on one line.
    fn days<const N: usize>(days: [(i32, u32, u32); N]) -> Vec<NaiveDate> {
        days.map(|(y, m, d)| date(y, m, d)).to_vec()
    }

    fn schedule(frequency: Frequency, day: u8) -> Schedule {
        Schedule::new(frequency, day).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn monthly_on_the_31st_falls_on_each_months_last_day() {
        let dates = schedule(Frequency::Monthly, 31).due_dates(date(2024, 1, 1), date(2024, 4, 30));
        assert_eq!(
            dates,
            days([(2024, 1, 31), (2024, 2, 29), (2024, 3, 31), (2024, 4, 30)])
        );
    }

    #[test]
    fn monthly_starts_with_the_first_due_date_on_or_after_the_start() {
        let dates = schedule(Frequency::Monthly, 1).due_dates(date(2024, 1, 15), date(2024, 3, 1));
        assert_eq!(dates, [date(2024, 2, 1), date(2024, 3, 1)]);
    }

    #[test]
    fn weekly_falls_on_the_weekday() {
        // 2024-01-03 is a Wednesday; Fridays (4) from then on.
        let dates = schedule(Frequency::Weekly, 4).due_dates(date(2024, 1, 3), date(2024, 1, 31));
        assert_eq!(
            dates,
            days([(2024, 1, 5), (2024, 1, 12), (2024, 1, 19), (2024, 1, 26)])
        );
        assert!(dates.iter().all(|d| d.weekday() == Weekday::Fri));
    }

    #[test]
    fn bi_weekly_is_every_other_week_from_the_first_weekday() {
        let dates = schedule(Frequency::BiWeekly, 0).due_dates(date(2024, 1, 1), date(2024, 2, 15));
        assert_eq!(
            dates,
            days([(2024, 1, 1), (2024, 1, 15), (2024, 1, 29), (2024, 2, 12)])
        );
    }

    #[test]
    fn semi_monthly_is_the_1st_and_15th_by_default() {
        let dates =
            schedule(Frequency::SemiMonthly, 1).due_dates(date(2024, 2, 1), date(2024, 3, 31));
        assert_eq!(
            dates,
            days([(2024, 2, 1), (2024, 2, 15), (2024, 3, 1), (2024, 3, 15)])
        );
        let late =
            schedule(Frequency::SemiMonthly, 15).due_dates(date(2023, 2, 1), date(2023, 2, 28));
        assert_eq!(
            late,
            [date(2023, 2, 15), date(2023, 2, 28)],
            "29th clamps in February"
        );
    }

    #[test]
    fn invalid_anchor_days_are_refused() {
        assert_eq!(
            Schedule::new(Frequency::Weekly, 7),
            Err(ScheduleError::Weekday)
        );
        assert_eq!(
            Schedule::new(Frequency::SemiMonthly, 16),
            Err(ScheduleError::SemiMonthlyDay)
        );
        assert_eq!(
            Schedule::new(Frequency::Monthly, 0),
            Err(ScheduleError::MonthDay)
        );
        assert_eq!(
            Schedule::new(Frequency::Monthly, 32),
            Err(ScheduleError::MonthDay)
        );
    }

    #[test]
    fn support_ends_the_day_before_the_last_child_is_emancipated() {
        let kids = [date(2030, 6, 1), date(2027, 3, 9)];
        assert_eq!(support_ends_on(None, &kids), Some(date(2030, 5, 31)));
        assert_eq!(
            support_ends_on(Some(date(2028, 1, 1)), &kids),
            Some(date(2028, 1, 1))
        );
        assert_eq!(support_ends_on(None, &[]), None);
    }

    #[test]
    fn every_other_week_keeps_the_phase_of_its_own_series() {
        let fortnightly = schedule(Frequency::BiWeekly, 4); // Fridays
        let series_start = date(2024, 1, 8); // first Friday: Jan 12
        let later = fortnightly.series_dates(series_start, date(2024, 3, 1), date(2024, 3, 31));
        assert_eq!(later, [date(2024, 3, 8), date(2024, 3, 22)]);
        let naive = fortnightly.due_dates(date(2024, 3, 1), date(2024, 3, 31));
        assert_eq!(
            naive[0],
            date(2024, 3, 1),
            "a series begun on Mar 1 is another"
        );
        assert_eq!(
            fortnightly.period_of(series_start, date(2024, 3, 20)),
            Some((date(2024, 3, 8), date(2024, 3, 22)))
        );
        assert_eq!(
            fortnightly.period_of(series_start, date(2024, 1, 10)),
            Some((date(2023, 12, 29), date(2024, 1, 12))),
            "the phase holds before the series begins"
        );
    }

    #[test]
    fn a_monthly_period_runs_from_one_due_date_to_the_next() {
        let monthly = schedule(Frequency::Monthly, 31);
        let start = date(2024, 1, 1);
        assert_eq!(
            monthly.period_of(start, date(2024, 3, 15)),
            Some((date(2024, 2, 29), date(2024, 3, 31)))
        );
        assert_eq!(
            monthly.period_of(start, date(2024, 3, 31)),
            Some((date(2024, 3, 31), date(2024, 4, 30)))
        );
    }

    fn any_schedule() -> impl Strategy<Value = Schedule> {
        prop_oneof![
            (0u8..=6).prop_map(|d| Schedule {
                frequency: Frequency::Weekly,
                anchor_day: d
            }),
            (0u8..=6).prop_map(|d| Schedule {
                frequency: Frequency::BiWeekly,
                anchor_day: d
            }),
            (1u8..=15).prop_map(|d| Schedule {
                frequency: Frequency::SemiMonthly,
                anchor_day: d
            }),
            (1u8..=31).prop_map(|d| Schedule {
                frequency: Frequency::Monthly,
                anchor_day: d
            }),
        ]
    }

    proptest! {
        #[test]
        fn due_dates_are_increasing_inside_the_bounds_and_evenly_spread(
            schedule in any_schedule(),
            start in 0i64..20_000,
            length in 0u64..1_500,
        ) {
            let starts = date(1990, 1, 1) + chrono::Duration::days(start);
            let ends = starts + Days::new(length);
            let dates = schedule.due_dates(starts, ends);
            prop_assert!(dates.windows(2).all(|w| w[0] < w[1]));
            prop_assert!(dates.iter().all(|d| *d >= starts && *d <= ends));
            // The count never strays more than two periods from the average
            // rate (1461 days = 4 years: 208.7 weeks, 96 half-months, 48 months).
            let days = i64::try_from(length + 1).unwrap_or(i64::MAX);
            let expected = match schedule.frequency {
                Frequency::Weekly => days / 7,
                Frequency::BiWeekly => days / 14,
                Frequency::SemiMonthly => days * 96 / 1461,
                Frequency::Monthly => days * 48 / 1461,
            };
            let count = i64::try_from(dates.len()).unwrap_or(i64::MAX);
            prop_assert!((count - expected).abs() <= 2, "{count} dates, about {expected} expected");
        }
    }
}
