//! How every page says dates, months, obligations, frequencies and payment
//! sources in the reader's language.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use leptos_i18n::I18nContext;

use crate::i18n::*;
use crate::ledger::{Frequency, Language, ObligationKind, PaymentSource};

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTHS_ES: [&str; 12] = [
    "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic",
];

/// `Nov 25, 2026` / `25 nov 2026`.
pub fn date(locale: Locale, date: NaiveDate) -> String {
    let month = date.month0() as usize;
    match locale {
        Locale::en => format!("{} {}, {}", MONTHS_EN[month], date.day(), date.year()),
        Locale::es => format!("{} {} {}", date.day(), MONTHS_ES[month], date.year()),
    }
}

/// `Nov 28, 2026, 5:30 PM` / `28 nov 2026, 17:30`.
pub fn date_time(locale: Locale, at: NaiveDateTime) -> String {
    let day = date(locale, at.date());
    match locale {
        Locale::en => format!("{day}, {}", at.format("%-I:%M %p")),
        Locale::es => format!("{day}, {}", at.format("%H:%M")),
    }
}

/// `Nov 2026` / `nov 2026`.
pub fn month(locale: Locale, date: NaiveDate) -> String {
    let month = date.month0() as usize;
    match locale {
        Locale::en => format!("{} {}", MONTHS_EN[month], date.year()),
        Locale::es => format!("{} {}", MONTHS_ES[month], date.year()),
    }
}

/// `Nov` / `nov`: an axis label.
pub fn month_short(locale: Locale, date: NaiveDate) -> &'static str {
    let month = date.month0() as usize;
    match locale {
        Locale::en => MONTHS_EN[month],
        Locale::es => MONTHS_ES[month],
    }
}

pub fn language(locale: Locale) -> Language {
    match locale {
        Locale::en => Language::English,
        Locale::es => Language::Spanish,
    }
}

pub fn obligation(i18n: I18nContext<Locale>, kind: ObligationKind) -> &'static str {
    match kind {
        ObligationKind::ChildSupport => t_string!(i18n, case.obligation_child_support),
        ObligationKind::SpousalSupport => t_string!(i18n, case.obligation_spousal_support),
        ObligationKind::MedicalSupport => t_string!(i18n, case.obligation_medical_support),
        ObligationKind::ArrearsPayment => t_string!(i18n, case.obligation_arrears_payment),
        ObligationKind::Interest => t_string!(i18n, case.obligation_interest),
    }
}

pub fn frequency(i18n: I18nContext<Locale>, frequency: Frequency) -> &'static str {
    match frequency {
        Frequency::Weekly => t_string!(i18n, case.frequency_weekly),
        Frequency::BiWeekly => t_string!(i18n, case.frequency_bi_weekly),
        Frequency::SemiMonthly => t_string!(i18n, case.frequency_semi_monthly),
        Frequency::Monthly => t_string!(i18n, case.frequency_monthly),
    }
}

/// Which day a schedule falls due: "the 1st of each month", "Fridays".
pub fn due_day(locale: Locale, schedule: crate::ledger::Schedule) -> String {
    const WEEKDAYS_EN: [&str; 7] = [
        "Mondays",
        "Tuesdays",
        "Wednesdays",
        "Thursdays",
        "Fridays",
        "Saturdays",
        "Sundays",
    ];
    const WEEKDAYS_ES: [&str; 7] = [
        "los lunes",
        "los martes",
        "los miércoles",
        "los jueves",
        "los viernes",
        "los sábados",
        "los domingos",
    ];
    let day = schedule.anchor_day;
    let weekday = usize::from(day.min(6));
    match (locale, schedule.frequency) {
        (Locale::en, Frequency::Weekly) => WEEKDAYS_EN[weekday].to_owned(),
        (Locale::en, Frequency::BiWeekly) => format!("every other week, {}", WEEKDAYS_EN[weekday]),
        (Locale::en, Frequency::SemiMonthly) => {
            format!("days {day} and {} of each month", day + 14)
        }
        (Locale::en, Frequency::Monthly) => format!("day {day} of each month"),
        (Locale::es, Frequency::Weekly) => WEEKDAYS_ES[weekday].to_owned(),
        (Locale::es, Frequency::BiWeekly) => format!("cada dos semanas, {}", WEEKDAYS_ES[weekday]),
        (Locale::es, Frequency::SemiMonthly) => {
            format!("los días {day} y {} de cada mes", day + 14)
        }
        (Locale::es, Frequency::Monthly) => format!("el día {day} de cada mes"),
    }
}

pub fn source(i18n: I18nContext<Locale>, source: PaymentSource) -> &'static str {
    match source {
        PaymentSource::IncomeWithholding => t_string!(i18n, balance.source_income_withholding),
        PaymentSource::Direct => t_string!(i18n, balance.source_direct),
        PaymentSource::TaxIntercept => t_string!(i18n, balance.source_tax_intercept),
        PaymentSource::LumpSum => t_string!(i18n, balance.source_lump_sum),
        PaymentSource::Garnishment => t_string!(i18n, balance.source_garnishment),
        PaymentSource::Unemployment => t_string!(i18n, balance.source_unemployment),
    }
}

/// "child support due" → "Child support due", to start a line or a label.
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_reads_the_way_each_language_writes_it() {
        let at = NaiveDate::from_ymd_opt(2026, 11, 28)
            .and_then(|day| day.and_hms_opt(17, 5, 0))
            .unwrap_or_else(|| panic!("not a real time"));
        assert_eq!(date_time(Locale::en, at), "Nov 28, 2026, 5:05 PM");
        assert_eq!(date_time(Locale::es, at), "28 nov 2026, 17:05");
    }
}
