//! Notifications as their reader sees them.

use serde::{Deserialize, Serialize};

use crate::ledger::Money;
use crate::requests::rules::RequestStatus;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A payment reached the agency (the paying parent's).
    PaymentReceived,
    /// Money was sent on (the receiving parent's).
    MoneySent,
    /// Money for the receiving parent is held back: not sent (theirs).
    MoneyHeld,
    /// The agency answered a conversation (the parent's).
    ReplyReceived,
    /// A parent wrote (the case's caseworker's).
    MessageReceived,
    /// A parent asked for a plan or a change of support (the caseworker's).
    RequestReceived,
    /// The agency moved the reader's request on.
    RequestChanged,
    /// The other parent asked for a review of the order, or its hearing was
    /// set (the parent who did not ask).
    ReviewRequested,
    /// The account's e-mail address or password was changed (told to the
    /// address it had).
    SignInChanged,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::PaymentReceived,
        Kind::MoneySent,
        Kind::MoneyHeld,
        Kind::ReplyReceived,
        Kind::MessageReceived,
        Kind::RequestReceived,
        Kind::RequestChanged,
        Kind::ReviewRequested,
        Kind::SignInChanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::PaymentReceived => "payment_received",
            Kind::MoneySent => "money_sent",
            Kind::MoneyHeld => "money_held",
            Kind::ReplyReceived => "reply_received",
            Kind::MessageReceived => "message_received",
            Kind::RequestReceived => "request_received",
            Kind::RequestChanged => "request_changed",
            Kind::ReviewRequested => "review_requested",
            Kind::SignInChanged => "sign_in_changed",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

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
