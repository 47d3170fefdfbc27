//! How a history line is said: its kind and a few words of what it is.

use leptos_i18n::I18nContext;

use super::history::{HistoryLine, LineKind};
use crate::components::text::{date, obligation, source};
use crate::i18n::*;
use crate::ledger::{EntryKind, Money};

pub fn line_kind(i18n: I18nContext<Locale>, kind: LineKind) -> &'static str {
    match kind {
        LineKind::Due => t_string!(i18n, history.kind_due),
        LineKind::Received => t_string!(i18n, history.kind_received),
        LineKind::Adjustment => t_string!(i18n, history.kind_adjustment),
        LineKind::Reversal => t_string!(i18n, history.kind_reversal),
        LineKind::Sent => t_string!(i18n, history.kind_sent),
    }
}

/// What a history line is, in a few words: "Child support due", "Payment —
/// withheld from wages", "Reversal of the payment of Mar 1, 2025".
pub fn describe(i18n: I18nContext<Locale>, line: &HistoryLine) -> String {
    let locale = i18n.get_locale_untracked();
    match line.line.kind {
        EntryKind::Charge { obligation: kind } => {
            format!(
                "{} {}",
                obligation(i18n, kind),
                t_string!(i18n, history.due_suffix)
            )
        }
        EntryKind::Payment { source: from } => {
            format!(
                "{} — {}",
                t_string!(i18n, history.payment),
                source(i18n, from)
            )
        }
        EntryKind::Adjustment => t_string!(i18n, history.adjustment).to_owned(),
        EntryKind::Reversal { .. } => {
            let what = match line.reverses {
                Some((on, kind)) => format!(
                    "{} {} · {}",
                    t_string!(i18n, history.reversal_of),
                    line_kind(i18n, kind).to_lowercase(),
                    date(locale, on)
                ),
                None => t_string!(i18n, history.kind_reversal).to_owned(),
            };
            // What it took back, where the running balance moves.
            match line.line.taken_back {
                taken if taken.is_positive() => format!("{what} · +{taken}"),
                taken if taken.is_negative() => format!("{what} · {taken}"),
                _ => what,
            }
        }
        EntryKind::Disbursement => {
            with_amount(t_string!(i18n, history.disbursement), line.line.sent)
        }
        EntryKind::Hold => with_amount(t_string!(i18n, history.hold), line.line.held),
        EntryKind::Release => with_amount(t_string!(i18n, history.release), -line.line.held),
        EntryKind::Fee => with_amount(t_string!(i18n, history.fee), line.line.fee),
    }
}

/// "Sent to the receiving parent · $300.00": money that moves on, not owed.
fn with_amount(what: &str, amount: Money) -> String {
    format!("{what} · {amount}")
}
