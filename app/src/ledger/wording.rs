//! The explanations in plain words, in each language the portal speaks.
//!
//! [`sentence`] builds the sentence once; each language only says how its
//! pieces read ([`Words`]), so English and Spanish cannot drift apart in
//! what they tell.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::entry::{ObligationKind, PaymentSource};
use super::explain::{Explained, Outcome, Paid, Reason, Reversed};
use super::money::Money;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Language {
    English,
    Spanish,
}

/// How one language says each piece of an explanation.
trait Words {
    const MONTHS: [&'static str; 12];
    fn short_date(&self, date: NaiveDate) -> String;
    fn fell_due(&self, amount: Money, on: &str) -> String;
    fn interest_charged(&self, amount: Money, on: &str) -> String;
    fn outcome(&self, outcome: &Outcome) -> String;
    fn reversed_later(&self, on: &str) -> String;
    fn rest_of(&self, month: &str) -> String;
    fn months_share(&self, month: &str, amount: Money) -> String;
    fn toward(&self, amount: Money, month: &str) -> String;
    fn kept_as_credit(&self, amount: Money) -> String;
    /// An intercept's excess: it pays no current support, it is refunded.
    fn to_refund(&self, amount: Money) -> String;
    fn nothing_yet(&self) -> &'static str;
    fn and(&self) -> &'static str;
    fn received_paid(&self, amount: Money, on: &str, what: &str) -> String;
    fn lowered_paid(&self, amount: Money, on: &str, what: &str) -> String;
    fn still_due(&self, amount: Money, month: &str) -> String;
    /// `what` (an amount, of a day) was reversed on `on`.
    fn reversed(&self, what: Reversed, amount: Money, original: &str, on: &str) -> String;
    fn put_back(&self, what: Reversed, amount: Money, original: &str, on: &str) -> String;
    fn no_effect(&self, on: &str) -> String;
    fn sent(&self, amount: Money, on: &str) -> String;
    fn held(&self, amount: Money, on: &str) -> String;
    fn released(&self, amount: Money, on: &str) -> String;
    fn fee_kept(&self, amount: Money, fiscal_year: i32, on: &str) -> String;

    /// A month's name, with its year when it is not the year of `beside`.
    fn month_name(&self, date: NaiveDate, beside: NaiveDate) -> String {
        let name = Self::MONTHS[date.month0() as usize];
        if date.year() == beside.year() {
            name.to_owned()
        } else {
            format!("{name} {}", date.year())
        }
    }
}

impl Explained {
    /// The reference English wording.
    pub fn english(&self) -> String {
        self.in_words(Language::English)
    }

    /// The sentence a person reads, in `language`.
    pub fn in_words(&self, language: Language) -> String {
        sentence(self, language)
    }
}

/// `explained` as a sentence in `language`.
pub fn sentence(explained: &Explained, language: Language) -> String {
    match language {
        Language::English => build(explained, &English),
        Language::Spanish => build(explained, &Spanish),
    }
}

fn build(explained: &Explained, words: &impl Words) -> String {
    let on = words.short_date(explained.date);
    match &explained.reason {
        Reason::Due {
            obligation,
            amount,
            outcome,
        } => {
            let charged = match obligation {
                Some(ObligationKind::Interest) => words.interest_charged(*amount, &on),
                _ => words.fell_due(*amount, &on),
            };
            format!("{charged} {}", words.outcome(outcome))
        }
        Reason::Received {
            source,
            amount,
            paid,
            kept_as_credit,
            still_due_this_month,
            reversed_on,
        } => {
            let mut parts: Vec<String> = paid
                .iter()
                .map(|p| paid_part(p, explained.date, words))
                .collect();
            if kept_as_credit.is_positive() {
                parts.push(match source {
                    Some(PaymentSource::TaxIntercept) => words.to_refund(*kept_as_credit),
                    _ => words.kept_as_credit(*kept_as_credit),
                });
            }
            let what = match parts.len() {
                0 => words.nothing_yet().to_owned(),
                1 => parts.remove(0),
                _ => {
                    let last = parts.pop().unwrap_or_default();
                    format!("{} {} {last}", parts.join(", "), words.and())
                }
            };
            let mut sentence = match source {
                Some(_) => words.received_paid(*amount, &on, &what),
                None => words.lowered_paid(*amount, &on, &what),
            };
            if still_due_this_month.is_positive() {
                let month = words.month_name(explained.date, explained.date);
                sentence.push(' ');
                sentence.push_str(&words.still_due(*still_due_this_month, &month));
            }
            if let Some(day) = reversed_on {
                sentence.push(' ');
                sentence.push_str(&words.reversed_later(&words.short_date(*day)));
            }
            sentence
        }
        Reason::Reversed {
            original,
            amount,
            what,
            put_back,
        } => {
            let original = words.short_date(*original);
            match put_back {
                false => words.reversed(*what, *amount, &original, &on),
                true => words.put_back(*what, *amount, &original, &on),
            }
        }
        Reason::NoEffect => words.no_effect(&on),
        Reason::SentToReceiver { amount } => words.sent(*amount, &on),
        Reason::Held { amount } => words.held(*amount, &on),
        Reason::Released { amount } => words.released(*amount, &on),
        Reason::ServiceFee {
            amount,
            fiscal_year,
        } => words.fee_kept(*amount, *fiscal_year, &on),
    }
}

fn paid_part(paid: &Paid, on: NaiveDate, words: &impl Words) -> String {
    let month = words.month_name(paid.due, on);
    match (paid.settled, paid.rest) {
        (true, true) => words.rest_of(&month),
        (true, false) => words.months_share(&month, paid.amount),
        (false, _) => words.toward(paid.amount, &month),
    }
}

struct English;

impl Words for English {
    const MONTHS: [&'static str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];

    fn short_date(&self, date: NaiveDate) -> String {
        format!(
            "{} {}",
            &Self::MONTHS[date.month0() as usize][..3],
            date.day()
        )
    }
    fn fell_due(&self, amount: Money, on: &str) -> String {
        format!("{amount} fell due {on}.")
    }
    fn interest_charged(&self, amount: Money, on: &str) -> String {
        format!(
            "{amount} of interest on the past-due support of the month before was charged {on}."
        )
    }
    fn outcome(&self, outcome: &Outcome) -> String {
        match outcome {
            Outcome::PaidOnTime => "It was paid on time.".into(),
            Outcome::PaidLate { days, timing: true } => {
                format!("It was paid {days} days later: a matter of timing, not a missed payment.")
            }
            Outcome::PaidLate { days, .. } => format!("It was paid {days} days late."),
            Outcome::Unpaid {
                left, timing: true, ..
            } => format!("{left} of it is not paid yet; it is only a few days old."),
            Outcome::Unpaid { left, days, .. } => {
                format!("{left} of it is past due by {days} days.")
            }
            Outcome::Cancelled => "It was cancelled.".into(),
        }
    }
    fn reversed_later(&self, on: &str) -> String {
        format!("It was reversed on {on} and no longer counts.")
    }
    fn rest_of(&self, month: &str) -> String {
        format!("the rest of {month}")
    }
    fn months_share(&self, month: &str, amount: Money) -> String {
        format!("{month}'s {amount}")
    }
    fn toward(&self, amount: Money, month: &str) -> String {
        format!("{amount} toward {month}")
    }
    fn kept_as_credit(&self, amount: Money) -> String {
        format!("{amount} kept as credit for the next payment due")
    }
    fn to_refund(&self, amount: Money) -> String {
        format!("{amount} more than was past due, which is refunded to the paying parent")
    }
    fn nothing_yet(&self) -> &'static str {
        "nothing yet"
    }
    fn and(&self) -> &'static str {
        "and"
    }
    fn received_paid(&self, amount: Money, on: &str, what: &str) -> String {
        format!("{amount} received {on} paid {what}.")
    }
    fn lowered_paid(&self, amount: Money, on: &str, what: &str) -> String {
        format!("A correction on {on} lowered what is owed by {amount}: it paid {what}.")
    }
    fn still_due(&self, amount: Money, month: &str) -> String {
        format!("{amount} of {month}'s support is still due.")
    }
    fn reversed(&self, what: Reversed, amount: Money, original: &str, on: &str) -> String {
        match what {
            Reversed::Payment => format!(
                "The {amount} payment of {original} was reversed on {on}: it no longer counts."
            ),
            Reversed::Charge => format!("The {amount} charge of {original} was cancelled on {on}."),
            Reversed::IncreaseAdjustment => format!(
                "The correction of {original} that added {amount} to what is owed was taken back on {on}."
            ),
            Reversed::DecreaseAdjustment => format!(
                "The correction of {original} that lowered what is owed by {amount} was taken back on {on}."
            ),
            Reversed::Disbursement => format!(
                "The {amount} sent to the receiving parent on {original} was reversed on {on}: it was not sent."
            ),
            Reversed::Hold => format!(
                "The hold of {amount} from {original} was reversed on {on}: that money is not on hold."
            ),
            Reversed::Release => format!(
                "The release of {amount} on {original} was reversed on {on}: that money is on hold again."
            ),
            Reversed::Fee => format!(
                "The {amount} service fee kept on {original} was given back on {on}: it is sent on with the next money."
            ),
        }
    }
    fn put_back(&self, what: Reversed, amount: Money, original: &str, on: &str) -> String {
        let entry = match what {
            Reversed::Payment => format!("the {amount} payment of {original}"),
            Reversed::Charge => format!("the {amount} charge of {original}"),
            Reversed::IncreaseAdjustment | Reversed::DecreaseAdjustment => {
                format!("the {amount} correction of {original}")
            }
            Reversed::Disbursement => format!("the {amount} sent on {original}"),
            Reversed::Hold => format!("the hold of {amount} from {original}"),
            Reversed::Release => format!("the release of {amount} on {original}"),
            Reversed::Fee => format!("the {amount} service fee kept on {original}"),
        };
        format!("A reversal made in error was corrected on {on}: {entry} counts again.")
    }
    fn no_effect(&self, on: &str) -> String {
        format!("A reversal on {on} changed nothing.")
    }
    fn sent(&self, amount: Money, on: &str) -> String {
        format!("{amount} was sent to the receiving parent on {on}.")
    }
    fn held(&self, amount: Money, on: &str) -> String {
        format!("{amount} is on hold since {on}.")
    }
    fn released(&self, amount: Money, on: &str) -> String {
        format!("{amount} on hold was released on {on}.")
    }
    fn fee_kept(&self, amount: Money, fiscal_year: i32, on: &str) -> String {
        format!(
            "On {on} the agency kept {amount} of the money sent on to the receiving parent: the yearly \
             service fee for federal fiscal year {fiscal_year} (October to September), which federal rules \
             charge on cases that never received public assistance, once enough has been sent that year. \
             It does not change what is owed."
        )
    }
}

struct Spanish;

impl Words for Spanish {
    const MONTHS: [&'static str; 12] = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ];

    fn short_date(&self, date: NaiveDate) -> String {
        format!(
            "el {} de {}",
            date.day(),
            Self::MONTHS[date.month0() as usize]
        )
    }
    fn fell_due(&self, amount: Money, on: &str) -> String {
        format!("Se debían {amount} {on}.")
    }
    fn interest_charged(&self, amount: Money, on: &str) -> String {
        format!("Se cobraron {amount} de intereses sobre la manutención atrasada del mes anterior {on}.")
    }
    fn outcome(&self, outcome: &Outcome) -> String {
        match outcome {
            Outcome::PaidOnTime => "Se pagó a tiempo.".into(),
            Outcome::PaidLate { days, timing: true } => {
                format!("Se pagó {days} días después: es cuestión de tiempo, no un pago no hecho.")
            }
            Outcome::PaidLate { days, .. } => format!("Se pagó con {days} días de atraso."),
            Outcome::Unpaid {
                left, timing: true, ..
            } => format!("Faltan {left}; solo han pasado unos días."),
            Outcome::Unpaid { left, days, .. } => {
                format!("Faltan {left}, con {days} días de atraso.")
            }
            Outcome::Cancelled => "Se canceló.".into(),
        }
    }
    fn reversed_later(&self, on: &str) -> String {
        format!("Se revirtió {on} y ya no cuenta.")
    }
    fn rest_of(&self, month: &str) -> String {
        format!("lo que faltaba de {month}")
    }
    fn months_share(&self, month: &str, amount: Money) -> String {
        format!("los {amount} de {month}")
    }
    fn toward(&self, amount: Money, month: &str) -> String {
        format!("{amount} de lo de {month}")
    }
    fn kept_as_credit(&self, amount: Money) -> String {
        format!("{amount} quedan como crédito para el próximo pago")
    }
    fn to_refund(&self, amount: Money) -> String {
        format!("{amount} más de lo atrasado, que se devuelven al padre o la madre que paga")
    }
    fn nothing_yet(&self) -> &'static str {
        "nada todavía"
    }
    fn and(&self) -> &'static str {
        "y"
    }
    fn received_paid(&self, amount: Money, on: &str, what: &str) -> String {
        format!("El pago de {amount} recibido {on} pagó {what}.")
    }
    fn lowered_paid(&self, amount: Money, on: &str, what: &str) -> String {
        format!("Una corrección {on} redujo lo que se debe en {amount}: pagó {what}.")
    }
    fn still_due(&self, amount: Money, month: &str) -> String {
        format!("Aún se deben {amount} de la manutención de {month}.")
    }
    fn reversed(&self, what: Reversed, amount: Money, original: &str, on: &str) -> String {
        match what {
            Reversed::Payment => {
                format!("El pago de {amount} de {original} se revirtió {on}: ya no cuenta.")
            }
            Reversed::Charge => format!("El cargo de {amount} de {original} se canceló {on}."),
            Reversed::IncreaseAdjustment => format!(
                "La corrección de {original} que sumó {amount} a lo que se debe se anuló {on}."
            ),
            Reversed::DecreaseAdjustment => format!(
                "La corrección de {original} que redujo lo que se debe en {amount} se anuló {on}."
            ),
            Reversed::Disbursement => format!(
                "El envío de {amount} al padre o la madre que recibe de {original} se revirtió {on}: no se envió."
            ),
            Reversed::Hold => format!(
                "La retención de {amount} de {original} se revirtió {on}: ese dinero no está retenido."
            ),
            Reversed::Release => format!(
                "La liberación de {amount} de {original} se revirtió {on}: ese dinero vuelve a estar retenido."
            ),
            Reversed::Fee => format!(
                "La tarifa de servicio de {amount} retenida {original} se devolvió {on}: se envía con el próximo dinero."
            ),
        }
    }
    fn put_back(&self, what: Reversed, amount: Money, original: &str, on: &str) -> String {
        let entry = match what {
            Reversed::Payment => format!("el pago de {amount} de {original}"),
            Reversed::Charge => format!("el cargo de {amount} de {original}"),
            Reversed::IncreaseAdjustment | Reversed::DecreaseAdjustment => {
                format!("la corrección de {amount} de {original}")
            }
            Reversed::Disbursement => format!("el envío de {amount} de {original}"),
            Reversed::Hold => format!("la retención de {amount} de {original}"),
            Reversed::Release => format!("la liberación de {amount} de {original}"),
            Reversed::Fee => format!("la tarifa de servicio de {amount} retenida {original}"),
        };
        format!("Una reversión hecha por error se corrigió {on}: {entry} vuelve a contar.")
    }
    fn no_effect(&self, on: &str) -> String {
        format!("Una reversión {on} no cambió nada.")
    }
    fn sent(&self, amount: Money, on: &str) -> String {
        format!("Se enviaron {amount} al padre o la madre que recibe {on}.")
    }
    fn held(&self, amount: Money, on: &str) -> String {
        format!("{amount} están retenidos desde {on}.")
    }
    fn released(&self, amount: Money, on: &str) -> String {
        format!("Se liberaron {amount} retenidos {on}.")
    }
    fn fee_kept(&self, amount: Money, fiscal_year: i32, on: &str) -> String {
        format!(
            "{on} la agencia retuvo {amount} del dinero enviado al padre o la madre que recibe: la tarifa \
             anual de servicio del año fiscal federal {fiscal_year} (de octubre a septiembre), que las reglas \
             federales cobran en los casos que nunca recibieron asistencia pública, una vez enviado lo \
             suficiente ese año. No cambia lo que se debe."
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::testing::date;
    use crate::ledger::{explain, Entry, EntryKind, ObligationKind, PaymentSource};

    #[test]
    fn both_languages_say_the_same_facts() {
        let entries = [
            Entry {
                id: 1,
                key: "c".into(),
                kind: EntryKind::Charge {
                    obligation: ObligationKind::ChildSupport,
                },
                amount: Money::from_cents(40_000),
                effective: date(2024, 5, 1),
            },
            Entry {
                id: 2,
                key: "p".into(),
                kind: EntryKind::Payment {
                    source: PaymentSource::Direct,
                },
                amount: Money::from_cents(10_000),
                effective: date(2024, 5, 2),
            },
        ];
        let lines = explain(&entries, date(2024, 5, 1), date(2024, 5, 31), 5);
        assert_eq!(
            lines[1].in_words(Language::Spanish),
            "El pago de $100.00 recibido el 2 de mayo pagó $100.00 de lo de mayo. \
             Aún se deben $300.00 de la manutención de mayo."
        );
        assert_eq!(
            lines[0].in_words(Language::Spanish),
            "Se debían $400.00 el 1 de mayo. Faltan $300.00, con 30 días de atraso."
        );
        assert_eq!(
            lines[1].english(),
            "$100.00 received May 2 paid $100.00 toward May. $300.00 of May's support is still due."
        );
    }
}
