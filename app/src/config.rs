//! Configuration the pages need (both on the server and in the browser).
//! Loaded from `Leptos.toml` by the server; see `server/src/config.rs`.

use serde::{Deserialize, Serialize};

/// The agency that runs the cases: shown in the header and footer of every page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    pub name: String,
    pub phone: String,
    /// Office hours as people read them, e.g. "Monday to Friday, 8 am to 5 pm".
    pub hours: String,
    /// IANA time zone of the agency, e.g. "America/Chicago": due dates and
    /// "as of" times are in this zone.
    pub time_zone: String,
}

impl Default for Agency {
    fn default() -> Self {
        Self {
            name: "Child Support Services".into(),
            phone: "1-800-555-0100".into(),
            hours: "Monday to Friday, 8 am to 5 pm".into(),
            time_zone: "America/Chicago".into(),
        }
    }
}
