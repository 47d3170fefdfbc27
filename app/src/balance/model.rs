//! What the dashboard shows, as both sides see it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::account::model::{CaseLink, CaseRole};
use crate::ledger::{Money, PaymentSource};

/// A signed-in person's overview: a card per case they are a parent on;
/// staff get their list of cases instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    /// When the numbers were read, in the agency's time zone (`2026-11-25 07:58`).
    pub as_of: String,
    pub cards: Vec<CaseCard>,
    pub staff_cases: Vec<CaseLink>,
}

/// Where one case stands today, for one of its parents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseCard {
    pub case_number: String,
    pub role: CaseRole,
    /// Owed by the paying parent (zero when paid ahead).
    pub owed: Money,
    /// Past-due support due within the grace days: most likely money in transit.
    pub past_due_timing: Money,
    /// Past-due support older than that: arrears.
    pub past_due_overdue: Money,
    /// Paid ahead: pays the next charges as they fall due.
    pub credit: Money,
    pub last_payment: Option<Payment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub on: NaiveDate,
    pub amount: Money,
    pub source: PaymentSource,
}
