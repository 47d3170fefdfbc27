//! Notifications as their reader sees them.

use serde::{Deserialize, Serialize};

use crate::ledger::Money;
use crate::notice::Kind;
use crate::requests::rules::RequestStatus;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i32,
    pub kind: Kind,
    pub case_number: Option<String>,
    pub amount: Option<Money>,
    pub status: Option<RequestStatus>,
    /// Where it leads.
    pub link: String,
    /// In the agency's time zone, `2026-11-25 09:31`.
    pub at: String,
    /// Not seen before this page was opened.
    pub new: bool,
}
