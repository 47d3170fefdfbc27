//! The daily task: accrual now, then at each of the agency's midnights.
//! What accrual posts is [`app::server::ledger::accrual`]'s; this only
//! decides when.

use std::time::Duration;

use app::ledger::interest::InterestPolicy;
use app::server::ledger::accrual::{accrue, accrue_interest};
use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;
use sea_orm::DatabaseConnection;

/// Accrues now, then again at each of the agency's midnights, for as long
/// as the server runs: a charge due today counts from the first second of
/// today, not from whenever a periodic job next wakes. A failed run is
/// logged and retried a minute later.
pub fn spawn_daily(db: DatabaseConnection, time_zone: Tz, interest: Option<InterestPolicy>) {
    tokio::spawn(async move {
        loop {
            let now = Utc::now().with_timezone(&time_zone);
            let day = now.date_naive();
            let accrued = match accrue(&db, day).await {
                Ok(report) => match interest {
                    Some(policy) => accrue_interest(&db, policy, day)
                        .await
                        .map(|interest| (report, interest)),
                    None => Ok((report, 0)),
                },
                Err(error) => Err(error),
            };
            let wait = match accrued {
                Ok((report, interest)) => {
                    tracing::info!(
                        through = %day,
                        cases = report.cases,
                        charges = report.charges_posted,
                        interest,
                        "accrual done"
                    );
                    until_next_midnight(now)
                }
                Err(error) => {
                    tracing::error!(%error, "accrual failed; will retry");
                    Duration::from_secs(60)
                }
            };
            tokio::time::sleep(wait).await;
        }
    });
}

/// How long from `now` until the agency's next midnight (a second past it,
/// so the new day has surely begun). Where a time change skips midnight,
/// the day's first instant.
pub fn until_next_midnight(now: DateTime<Tz>) -> Duration {
    let tomorrow = now.date_naive().succ_opt().unwrap_or(now.date_naive());
    let midnight = (0..=3)
        .filter_map(|hour| tomorrow.and_hms_opt(hour, 0, 1))
        .find_map(|at| now.timezone().from_local_datetime(&at).earliest());
    midnight
        .and_then(|at| (at - now).to_std().ok())
        .unwrap_or(Duration::from_secs(60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accrual_wakes_a_second_after_the_agencys_midnight() {
        let chicago: Tz = "America/Chicago".parse().unwrap_or(Tz::UTC);
        let at = |y, m, d, h, min| {
            chicago
                .with_ymd_and_hms(y, m, d, h, min, 0)
                .earliest()
                .unwrap_or_else(|| panic!("a real time"))
        };
        assert_eq!(
            until_next_midnight(at(2026, 12, 6, 23, 50)),
            Duration::from_secs(10 * 60 + 1)
        );
        // The night clocks go back: 25 hours from midnight to midnight.
        assert_eq!(
            until_next_midnight(at(2026, 10, 31, 23, 0)),
            Duration::from_secs(3_600 + 1)
        );
        assert_eq!(
            until_next_midnight(at(2026, 11, 1, 0, 0)),
            Duration::from_secs(25 * 3_600 + 1)
        );
    }
}
