//! The caseworker's workspace as both sides of the wire see it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::balance::model::CaseView;
use crate::ledger::{EntryKind, Frequency, Money, PaymentSource};
use crate::messages::model::ThreadSummary;
use crate::reader::CaseRole;

/// `/caseload`: the cases a caseworker runs (a supervisor: every case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caseload {
    pub rows: Vec<CaseloadRow>,
    pub search: String,
    pub sort: CaseloadSort,
    /// Cases matching the search, on every page.
    pub matching: u32,
    pub page: u32,
    pub pages: u32,
    /// A supervisor's list: every case, with whose it is.
    pub every_case: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseloadSort {
    #[default]
    CaseNumber,
    /// Most owed first.
    Owed,
    /// Most recent payment, posting or message first.
    Activity,
}

impl CaseloadSort {
    pub const ALL: [CaseloadSort; 3] = [Self::CaseNumber, Self::Owed, Self::Activity];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CaseNumber => "case_number",
            Self::Owed => "owed",
            Self::Activity => "activity",
        }
    }

    /// Anything unknown sorts by case number.
    pub fn read(name: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|sort| sort.as_str() == name)
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseloadRow {
    pub case_number: String,
    pub paying: String,
    pub receiving: String,
    /// What the paying parent owes (negative: paid ahead).
    pub balance: Money,
    /// The latest payment, posting by a person, or message, in the agency's time.
    pub last_activity: Option<NaiveDate>,
    /// Conversations waiting for the agency.
    pub waiting: u32,
    pub caseworker: Option<String>,
}

/// The agency's file on a case (`/caseload/{number}`): what its parents see,
/// plus their contact details, the ledger's latest entries with their notes,
/// the conversations and the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFile {
    pub view: CaseView,
    pub participants: Vec<Participant>,
    /// The latest entries, newest first.
    pub entries: Vec<EntryLine>,
    /// Held back from the receiving parent, not yet released.
    pub on_hold: Money,
    pub threads: Vec<ThreadSummary>,
    /// Requests made on the case, newest first.
    pub requests: Vec<crate::requests::model::RequestSummary>,
    /// A page of the audit log, newest first.
    pub audit: Vec<AuditLine>,
    pub audit_paging: crate::components::pager::PageOf,
    /// A PIN issued a moment ago, shown this once.
    pub fresh_pin: Option<crate::account::model::FreshPin>,
    /// Who works the case.
    pub caseworker: Option<i32>,
    /// Supervisors: whom the case can be given to (empty for caseworkers).
    pub colleagues: Vec<crate::reader::Colleague>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub person: i32,
    pub role: CaseRole,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub mailing_address: Option<String>,
    /// The e-mail they sign in with, once they have an account.
    pub account_email: Option<String>,
}

/// One ledger entry as the agency reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryLine {
    pub id: i64,
    pub kind: EntryKind,
    pub amount: Money,
    pub effective: NaiveDate,
    pub reference: Option<String>,
    pub note: Option<String>,
    /// Who posted it (`None`: accrual or an import).
    pub posted_by: Option<String>,
    /// Out of history: a later reversal cancelled it (or, for a reversal,
    /// a re-instatement retracted it).
    pub reversed: bool,
    /// A reversal of a reversal made in error: it put an entry back.
    pub reinstates: bool,
}

impl EntryLine {
    /// One of the latest entries, posted by `posted_by` (a name).
    #[cfg(feature = "ssr")]
    pub fn of(
        recent: crate::server::ledger::record::RecentEntry,
        posted_by: Option<String>,
    ) -> Self {
        let crate::server::ledger::record::RecentEntry {
            entry,
            written,
            reversed,
            reinstates,
        } = recent;
        EntryLine {
            id: entry.id,
            kind: entry.kind,
            amount: entry.amount,
            effective: entry.effective,
            reference: written.reference,
            note: written.note,
            posted_by,
            reversed,
            reinstates,
        }
    }

    /// What still counts can be reversed — a reversal made in error too
    /// (which re-instates its entry) — except a re-instatement itself.
    pub fn reversible(&self) -> bool {
        !self.reversed && !self.reinstates
    }
}

/// One line of a case's audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    pub at: DateTime<Utc>,
    pub action: String,
    pub actor: Option<i32>,
    pub actor_name: Option<String>,
    pub subject: Option<i32>,
    pub source: Option<String>,
    pub detail: Option<String>,
}

/// What a caseworker can post by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Posting {
    Payment,
    /// Adds to (positive) or takes from (negative) what is owed.
    Adjustment,
    /// Holds money back from the receiving parent.
    Hold,
    /// Lets held money go to the receiving parent.
    Release,
    /// Cancels an entry.
    Reversal,
}

impl Posting {
    pub const ALL: [Posting; 5] = [
        Self::Payment,
        Self::Adjustment,
        Self::Hold,
        Self::Release,
        Self::Reversal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Payment => "payment",
            Self::Adjustment => "adjustment",
            Self::Hold => "hold",
            Self::Release => "release",
            Self::Reversal => "reversal",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == name)
    }

    /// Corrections and holds say why; a payment's reference is enough.
    pub fn needs_reason(self) -> bool {
        self != Self::Payment
    }
}

/// A posting as the caseworker typed it: every field is text, as forms send it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PostingForm {
    pub kind: String,
    pub amount: String,
    /// `YYYY-MM-DD`: when the money was received, or the entry counts from.
    pub date: String,
    pub source: String,
    pub reference: String,
    pub reason: String,
    /// The entry a reversal cancels.
    pub entry: String,
}

/// A posting checked and ready: what it will do, to confirm before it is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostingReview {
    pub case_number: String,
    pub posting: Posting,
    /// Signed for adjustments; for a reversal, the amount it takes back.
    pub amount: Money,
    pub date: NaiveDate,
    pub source: Option<PaymentSource>,
    pub reference: Option<String>,
    pub reason: Option<String>,
    /// The entry a reversal cancels.
    pub reverses: Option<EntryLine>,
    /// What the paying parent owes before and after (negative: paid ahead).
    pub balance_before: Money,
    pub balance_after: Money,
    /// The confirmation form's one-time key: a double click posts once.
    pub key: String,
}

/// New order terms as the caseworker typed them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OrderForm {
    /// `YYYY-MM-DD`: the first day the new terms count.
    pub date: String,
    pub frequency: String,
    /// `keep` (or empty): the due day of the order in force, when it falls
    /// due as often; `date`: the effective date's day (or weekday).
    #[serde(default)]
    pub due_day: String,
    pub child_support: String,
    /// Optional.
    pub medical_support: String,
    /// Optional: the pace of paying down past-due support.
    pub arrears_payment: String,
    /// The court's docket or the agency's order number.
    pub reference: String,
    pub reason: String,
    /// The payment plan or change-of-support request these terms answer
    /// (its id), or empty.
    #[serde(default)]
    pub request: String,
}

/// New order terms, checked, with what they change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderReview {
    pub case_number: String,
    pub effective_on: NaiveDate,
    pub frequency: Frequency,
    /// When it falls due (the due day kept or taken from the date).
    pub schedule: crate::ledger::Schedule,
    pub child_support: Money,
    pub medical_support: Option<Money>,
    pub arrears_payment: Option<Money>,
    pub reference: String,
    pub reason: String,
    /// Charges already posted that the new terms change (a date they
    /// replace, a period they split): reversed, then charged again.
    pub recharged: u32,
    pub balance_before: Money,
    pub balance_after: Money,
    /// The request these terms approve or decide.
    pub request: Option<(i32, crate::requests::rules::RequestKind)>,
    pub key: String,
}

/// The forms that change a case's money, each asked for before it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaseForm {
    /// A payment, adjustment, hold, release or reversal.
    Posting,
    /// New order terms.
    Order,
}

/// The fields of the posting form, as the address carries them.
pub const POSTING_FIELDS: [&str; 7] = [
    "kind",
    "amount",
    "date",
    "source",
    "reference",
    "reason",
    "entry",
];

/// The fields of the order form, as the address carries them.
pub const ORDER_FIELDS: [&str; 9] = [
    "date",
    "frequency",
    "due_day",
    "child_support",
    "medical_support",
    "arrears_payment",
    "reference",
    "reason",
    "request",
];
