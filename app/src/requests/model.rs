//! Requests as parents and the agency see them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::rules::{Document, Reason, RequestKind, RequestStatus, Step};
use crate::ledger::{Frequency, Money};
use crate::messages::model::AttachmentLink;

/// What the plan form starts from: the case's numbers and a fresh key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanStart {
    pub case_number: String,
    pub past_due: Money,
    /// Support due each period now, and how often.
    pub current: Money,
    pub frequency: Frequency,
    /// What the order already asks toward past-due support.
    pub ordered_extra: Money,
    /// The next due date: a plan usually starts there.
    pub next_due: NaiveDate,
    pub key: String,
}

/// What the change-of-support form starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeStart {
    pub case_number: String,
    /// Reasons to choose from, with the documents each needs.
    pub reasons: Vec<(Reason, Vec<Document>)>,
    pub income_change_percent: u32,
    pub review_after_months: u32,
    pub key: String,
}

/// One request in a list: the parent's case page, the case file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestSummary {
    pub id: i32,
    pub kind: RequestKind,
    pub status: RequestStatus,
    /// In the agency's time zone, `2026-11-25 09:31`.
    pub asked_at: String,
    /// The reader may open it (theirs, or staff); the other parent only
    /// learns that a review was asked for and where it stands.
    pub openable: bool,
    /// The hearing, once one is set (both parents may attend).
    pub hearing: Option<Hearing>,
    pub requester_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hearing {
    /// Local time, `2027-01-14 09:30`.
    pub at: String,
    pub place: String,
}

/// One request with its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestView {
    pub id: i32,
    pub case_number: String,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub requester_name: String,
    pub asked_at: String,
    /// A plan: extra each period, from a date.
    pub plan: Option<(Money, NaiveDate)>,
    pub reasons: Vec<Reason>,
    pub documents: Vec<Document>,
    /// Files sent in the request's conversation.
    pub files: Vec<AttachmentLink>,
    /// The conversation carrying the talk and the documents.
    pub thread: i32,
    /// Oldest first.
    pub history: Vec<RequestEvent>,
    pub hearing: Option<Hearing>,
    /// What the reader may do now (staff on the case; empty for parents).
    pub steps: Vec<Step>,
    /// For staff: the order form, filled from the order in force and the
    /// request, that approves or decides it.
    pub order_link: Option<String>,
    /// One-time key for a step's form.
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestEvent {
    pub status: RequestStatus,
    pub at: String,
    pub by: String,
    /// Why (a decline or a denial).
    pub note: Option<String>,
    pub hearing: Option<Hearing>,
}

/// A payment plan as the paying parent typed it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PlanFields {
    pub extra: String,
    pub starts_on: String,
    pub note: String,
}

/// A change of support as the form sends it: each reason is a checkbox,
/// present when ticked.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ChangeFields {
    #[serde(default)]
    pub income_change: Option<String>,
    #[serde(default)]
    pub job_loss: Option<String>,
    #[serde(default)]
    pub medical_insurance: Option<String>,
    #[serde(default)]
    pub child_care: Option<String>,
    #[serde(default)]
    pub living_arrangement: Option<String>,
    #[serde(default)]
    pub time_since_review: Option<String>,
    pub note: String,
}

impl ChangeFields {
    /// The reasons ticked, by name.
    pub fn reasons(&self) -> Vec<String> {
        [
            (Reason::IncomeChange, &self.income_change),
            (Reason::JobLoss, &self.job_loss),
            (Reason::MedicalInsurance, &self.medical_insurance),
            (Reason::ChildCare, &self.child_care),
            (Reason::LivingArrangement, &self.living_arrangement),
            (Reason::TimeSinceReview, &self.time_since_review),
        ]
        .into_iter()
        .filter(|(_, ticked)| ticked.as_deref().is_some_and(|v| !v.is_empty()))
        .map(|(reason, _)| reason.as_str().to_owned())
        .collect()
    }
}

/// What a staff step's form carries besides the step.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StepFields {
    /// Why, for a decline or a denial.
    #[serde(default)]
    pub reason: String,
    /// A hearing: `YYYY-MM-DDTHH:MM`, local to the agency.
    #[serde(default)]
    pub hearing_at: String,
    #[serde(default)]
    pub place: String,
}
