//! "Now", where the agency is: due dates, "as of" times and the times a
//! page shows are all read on this one clock.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Timelike, Utc};
use chrono_tz::Tz;

/// The moment a request is answered, and the agency's time zone.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub now: DateTime<Utc>,
    pub zone: Tz,
}

impl Clock {
    /// Now, in the agency's time zone.
    pub fn agency_now(&self) -> DateTime<Tz> {
        self.now.with_timezone(&self.zone)
    }

    /// Today, where the agency is.
    pub fn today(&self) -> NaiveDate {
        self.agency_now().date_naive()
    }

    /// "As of": the agency's local date and time, to the minute.
    pub fn as_of(&self) -> NaiveDateTime {
        let local = self.agency_now().naive_local();
        local
            .with_second(0)
            .and_then(|at| at.with_nanosecond(0))
            .unwrap_or(local)
    }

    /// `at` as the agency's wall clock reads it: `2026-11-28 17:30`.
    pub fn local(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.zone)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }
}
