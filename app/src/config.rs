//! Configuration the pages need (both on the server and in the browser).
//! Loaded from `Leptos.toml` by the server; see `server/src/config.rs`.

use serde::{Deserialize, Serialize};

/// The agency that runs the cases: shown in the header and footer of every page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    pub name: String,
    pub phone: String,
    /// Office hours as people read them, in each language of the portal.
    pub hours: Localized,
    /// IANA time zone of the agency, e.g. "America/Chicago": due dates and
    /// "as of" times are in this zone.
    pub time_zone: String,
}

impl Default for Agency {
    fn default() -> Self {
        Self {
            name: "Child Support Services".into(),
            phone: "1-800-555-0100".into(),
            hours: Localized {
                en: "Monday to Friday, 8 am to 5 pm".into(),
                es: "De lunes a viernes, de 8 a. m. a 5 p. m.".into(),
            },
            time_zone: "America/Chicago".into(),
        }
    }
}

/// A text an agency writes in each language the portal speaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    pub en: String,
    pub es: String,
}

impl Localized {
    pub fn get(&self, locale: crate::i18n::Locale) -> &str {
        match locale {
            crate::i18n::Locale::en => &self.en,
            crate::i18n::Locale::es => &self.es,
        }
    }
}

/// How the ledger is read, set by agency policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerPolicy {
    /// Support paid up to this many days after its due date is "timing" (money
    /// in transit), not a missed payment.
    pub grace_days: u32,
}

impl Default for LedgerPolicy {
    fn default() -> Self {
        Self { grace_days: 5 }
    }
}
