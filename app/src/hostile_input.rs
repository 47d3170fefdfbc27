//! Every parser of what people type, fed random and hostile text: very
//! long, control and bidi characters, odd Unicode, numbers in every
//! notation. None may panic, and what each accepts keeps its shape. (That
//! nothing is stored for such input is `server/tests/fuzz.rs`'s part.)

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;

use crate::account::api::safe_next;
use crate::advice::search::terms;
use crate::balance::history::{Filter, Life};
use crate::caseworker::model::{CaseloadSort, OrderForm, PostingForm};
use crate::caseworker::rules::{read_order, read_posting};
use crate::ledger::Money;
use crate::messages::rules::{body, file_name};
use crate::reading::{date, optional_amount, past_date, positive_amount, signed_amount};
use crate::requests::rules::{read_hearing, read_plan};
use crate::server::secret::{normalize_code, normalize_email};

/// Text an attacker, or a confused phone keyboard, might send.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        // Anything at all, control characters included.
        any::<String>(),
        "\\PC{0,80}",
        // Control, bidi, zero-width and byte-order marks among ordinary text.
        "([a-z0-9 .,$-]|[\\x00-\\x1F\\x7F-\\x9F]|[\\x{200B}-\\x{200F}]|[\\x{202A}-\\x{202E}]|[\\x{2066}-\\x{2069}]|\\x{FEFF}|\\x{00AD}){0,40}",
        // Numbers in every notation.
        "[-+]?[0-9]{0,30}([.,][0-9]{0,30})?([eE][-+]?[0-9]{1,6})?",
        "\\$ ?-?[0-9]{1,3}(,[0-9]{3}){0,8}(\\.[0-9]{0,5})?",
        "0[xob][0-9a-fA-F_]{1,20}",
        "[１２３٣۴५๖〇]{1,12}",
        Just("NaN".to_owned()),
        Just("-inf".to_owned()),
        Just("1e400".to_owned()),
        Just("79228162514264337593543950336".to_owned()),
        Just("-0.00".to_owned()),
        // Dates in every notation.
        "[-+]?[0-9]{1,7}-[0-9]{1,3}-[0-9]{1,3}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?",
        Just("+262143-12-31".to_owned()),
        Just("2024-02-30".to_owned()),
        // Very long.
        "[0-9a-zA-Z@.\\-]{1000,4000}",
    ]
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn money_is_read_or_refused_never_guessed(text in hostile()) {
        if let Ok(money) = Money::parse(&text) {
            // Two decimals at most, and it reads back as itself.
            prop_assert_eq!(Money::parse(&money.to_string()), Ok(money));
        }
        for money in [positive_amount(&text), signed_amount(&text)].into_iter().flatten() {
            prop_assert!(!money.is_zero());
        }
        if let Ok(Some(money)) = optional_amount(&text) {
            prop_assert!(money.is_positive());
        }
    }

    #[test]
    fn dates_are_four_digit_years_or_refused(
        text in prop_oneof![hostile(), "(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"],
    ) {
        if let Ok(read) = date(&text) {
            prop_assert!((0..=9999).contains(&read.year()));
            prop_assert_eq!(read.to_string(), text.trim());
        }
        let (today, opened) = (day(2026, 12, 6), day(2019, 3, 14));
        if let Ok(read) = past_date(&text, today, opened) {
            prop_assert!(opened <= read && read <= today);
        }
        if let Ok(filter) = Filter::read(Some(&text), Some(&text), Some(&text), Some(&text), Life::new(opened, today)) {
            prop_assert!(opened <= filter.from && filter.from <= filter.to && filter.to <= today);
        }
    }

    #[test]
    fn e_mail_addresses_and_codes_come_out_plain(text in hostile()) {
        if let Ok(email) = normalize_email(&text) {
            prop_assert!(email.len() <= 254);
            prop_assert!(!email.chars().any(|c| c.is_whitespace() || c.is_control()));
            let invisible = ['\u{200B}', '\u{202E}', '\u{FEFF}'];
            prop_assert!(!email.contains(invisible));
            prop_assert_eq!(email.matches('@').count(), 1);
        }
        prop_assert!(normalize_code(&text).chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
    }

    #[test]
    fn names_and_messages_carry_nothing_that_hides_or_controls(text in hostile()) {
        use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
        let named = file_name(&text, "application/pdf");
        prop_assert!(named.ends_with(".pdf"));
        prop_assert!(named.chars().count() <= 124);
        prop_assert!(!named.chars().any(|c| c.is_control() || c.general_category() == GeneralCategory::Format));
        prop_assert!(!named.contains(['/', '\\']));
        if let Ok(message) = body(&text) {
            prop_assert!(!message.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
        }
    }

    #[test]
    fn searches_links_and_choices_never_panic(text in hostile()) {
        let _ = terms(&text);
        let _ = CaseloadSort::read(&text);
        let next = safe_next(Some(&text));
        prop_assert!(next.starts_with('/') && !next.starts_with("//"));
        prop_assert!(next.bytes().all(|b| b.is_ascii_graphic()));
    }

    #[test]
    fn whole_forms_of_hostile_text_are_refused_at_their_fields(
        fields in proptest::collection::vec(hostile(), 9),
    ) {
        let (today, opened) = (day(2026, 12, 6), day(2019, 3, 14));
        let posting = PostingForm {
            kind: fields[0].clone(),
            amount: fields[1].clone(),
            date: fields[2].clone(),
            source: fields[3].clone(),
            reference: fields[4].clone(),
            reason: fields[5].clone(),
            entry: fields[6].clone(),
        };
        let _ = read_posting(&posting, today, opened);
        let order = OrderForm {
            date: fields[0].clone(),
            frequency: fields[1].clone(),
            due_day: fields[2].clone(),
            child_support: fields[3].clone(),
            medical_support: fields[4].clone(),
            arrears_payment: fields[5].clone(),
            reference: fields[6].clone(),
            reason: fields[7].clone(),
            request: fields[8].clone(),
        };
        let _ = read_order(&order, today, opened);
        if let Ok(plan) = read_plan(&fields[0], &fields[1], &fields[2], today) {
            prop_assert!(plan.extra.is_positive() && plan.starts_on >= today);
        }
        let _ = read_hearing(&fields[3], &fields[4], today);
    }
}
