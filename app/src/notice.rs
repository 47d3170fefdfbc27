//! What a notice is about ([`Kind`]) and how it is said in each language:
//! shared by every area that tells someone something (through
//! `server::notices`) and by the notification centre that lists them.

use serde::{Deserialize, Serialize};

use crate::i18n::*;

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

/// The one-line headline of `kind`.
pub fn headline(locale: Locale, kind: Kind) -> &'static str {
    match kind {
        Kind::PaymentReceived => td_string!(locale, notices.payment_received),
        Kind::MoneySent => td_string!(locale, notices.money_sent),
        Kind::MoneyHeld => td_string!(locale, notices.money_held),
        Kind::ReplyReceived => td_string!(locale, notices.reply_received),
        Kind::MessageReceived => td_string!(locale, notices.message_received),
        Kind::RequestReceived => td_string!(locale, notices.request_received),
        Kind::RequestChanged => td_string!(locale, notices.request_changed),
        Kind::ReviewRequested => td_string!(locale, notices.review_requested),
        Kind::SignInChanged => td_string!(locale, notices.sign_in_changed),
    }
}

/// An e-mail's headline, its "sign in to see it" line and why it says no
/// more, in `locale`.
pub fn email_parts(locale: Locale, kind: Kind) -> (&'static str, &'static str, &'static str) {
    (
        headline(locale, kind),
        td_string!(locale, notices.email_sign_in),
        td_string!(locale, notices.email_privacy),
    )
}
