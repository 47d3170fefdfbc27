//! What each kind of notification says, in the reader's language: on the
//! page (with its details) and in the e-mail (without them).

use crate::i18n::*;

use super::model::Kind;

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
