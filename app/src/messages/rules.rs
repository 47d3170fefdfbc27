//! The rules of a conversation: what a message may be, how its status moves,
//! and the business-day clock that says when an answer is due.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, Field, Problem};

/// The longest message, in characters.
pub const MAX_BODY_CHARS: usize = 4_000;

/// What a conversation is about; the work list sorts and filters by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    PaymentQuestion,
    MissingPayment,
    AddressOrJob,
    MedicalInsurance,
    PaymentPlan,
    ChangeOfSupport,
    Other,
}

impl Topic {
    pub const ALL: [Topic; 7] = [
        Topic::PaymentQuestion,
        Topic::MissingPayment,
        Topic::AddressOrJob,
        Topic::MedicalInsurance,
        Topic::PaymentPlan,
        Topic::ChangeOfSupport,
        Topic::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Topic::PaymentQuestion => "payment_question",
            Topic::MissingPayment => "missing_payment",
            Topic::AddressOrJob => "address_or_job",
            Topic::MedicalInsurance => "medical_insurance",
            Topic::PaymentPlan => "payment_plan",
            Topic::ChangeOfSupport => "change_of_support",
            Topic::Other => "other",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

/// Where a conversation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The parent wrote last: the agency owes an answer.
    Waiting,
    /// The agency wrote last.
    Answered,
    Closed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Waiting => "waiting",
            Status::Answered => "answered",
            Status::Closed => "closed",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        [Status::Waiting, Status::Answered, Status::Closed]
            .into_iter()
            .find(|s| s.as_str() == name)
    }

    /// After a message from the parent (`true`) or from the agency. A closed
    /// conversation that gets a new message is open again.
    pub fn after_message(self, from_parent: bool) -> Status {
        if from_parent {
            Status::Waiting
        } else {
            Status::Answered
        }
    }
}

/// A message body as stored: trimmed, not empty, not too long. Line breaks
/// are kept; everything is shown as text, never as HTML.
pub fn body(text: &str) -> Result<String, AppError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(AppError::invalid(Field::Body, Problem::Required));
    }
    if trimmed.chars().count() > MAX_BODY_CHARS {
        return Err(AppError::invalid(Field::Body, Problem::TooLong));
    }
    // Windows line ends and stray control characters are not part of a message.
    Ok(trimmed
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect())
}

/// The text sent with a file: may be empty, otherwise as [`body`].
pub fn note(text: &str) -> Result<String, AppError> {
    if text.trim().is_empty() {
        return Ok(String::new());
    }
    body(text)
}

/// The file types a message may carry, as read from the file's content.
pub const ACCEPTED_TYPES: [&str; 3] = ["application/pdf", "image/jpeg", "image/png"];

/// A file's name as sent, made safe to show and to save: no folders, no
/// control or format characters (a right-to-left override could make
/// `report<U+202E>fdp.exe` show as `reportexe.pdf`), not too long, and ending in
/// the extension of `content_type`, the type read from the content, so the
/// name can never pass as another type. It is never used as a path.
#[cfg(feature = "ssr")]
pub fn file_name(sent: &str, content_type: &str) -> String {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    let base = sent.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && c.general_category() != GeneralCategory::Format)
        .take(120)
        .collect();
    let clean = clean.trim().trim_matches('.');
    let (extension, others) = extensions_of(content_type);
    let stem = match clean.rsplit_once('.') {
        Some((_, ext)) if ext.eq_ignore_ascii_case(extension) => return clean.to_owned(),
        Some((stem, ext)) if others.iter().any(|o| ext.eq_ignore_ascii_case(o)) => {
            return format!("{stem}.{ext}")
        }
        // Any other extension goes: the content decides what the file is.
        Some((stem, ext)) if ext.len() <= 10 && ext.chars().all(|c| c.is_ascii_alphanumeric()) => {
            stem
        }
        _ => clean,
    };
    let stem = stem.trim();
    let stem = if stem.is_empty() { "attachment" } else { stem };
    format!("{stem}.{extension}")
}

/// The extension a type is saved with, and the others it is known by.
#[cfg(feature = "ssr")]
fn extensions_of(content_type: &str) -> (&'static str, &'static [&'static str]) {
    match content_type {
        "application/pdf" => ("pdf", &[]),
        "image/jpeg" => ("jpg", &["jpeg", "jpe"]),
        "image/png" => ("png", &[]),
        _ => ("bin", &[]),
    }
}

fn is_business_day(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Business days (Monday to Friday) after `from`, up to and including `to`:
/// a message sent on Friday and looked at on Monday has waited one.
pub fn business_days_between(from: NaiveDate, to: NaiveDate) -> u32 {
    let mut days = 0;
    let mut day = from;
    while day < to {
        day = day.checked_add_days(Days::new(1)).unwrap_or(to);
        if is_business_day(day) {
            days += 1;
        }
    }
    days
}

/// The business day `count` business days after `from`: when an answer is due.
pub fn add_business_days(from: NaiveDate, count: u32) -> NaiveDate {
    let mut day = from;
    let mut left = count;
    while left > 0 {
        match day.checked_add_days(Days::new(1)) {
            Some(next) => day = next,
            None => break,
        }
        if is_business_day(day) {
            left -= 1;
        }
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::testing::date;
    use proptest::prelude::*;

    #[test]
    fn a_message_is_text_of_a_sensible_length() {
        assert_eq!(
            body("   ").err().and_then(|e| e.problem_with(Field::Body)),
            Some(Problem::Required)
        );
        let long = "a".repeat(MAX_BODY_CHARS + 1);
        assert_eq!(
            body(&long).err().and_then(|e| e.problem_with(Field::Body)),
            Some(Problem::TooLong)
        );
        let exactly = "ñ".repeat(MAX_BODY_CHARS);
        assert!(body(&exactly).is_ok(), "characters, not bytes");
        assert_eq!(
            body(" <script>alert(1)</script>\r\nline two\u{0}\n")
                .ok()
                .as_deref(),
            Some("<script>alert(1)</script>\nline two"),
            "kept as text (the page escapes it), control characters dropped"
        );
    }

    #[test]
    #[cfg(feature = "ssr")]
    fn file_names_are_only_names_and_end_as_their_content_is() {
        let pdf = "application/pdf";
        assert_eq!(
            file_name("C:\\Users\\dana\\pay stub.pdf", pdf),
            "pay stub.pdf"
        );
        assert_eq!(file_name("../../etc/passwd", pdf), "passwd.pdf");
        assert_eq!(file_name("a\u{0}b\u{7}.png", "image/png"), "ab.png");
        assert_eq!(file_name("..", pdf), "attachment.pdf");
        assert!(file_name(&"x".repeat(500), pdf).chars().count() <= 124);
        // The content decides the type; the name follows it.
        assert_eq!(file_name("photo.png", "image/jpeg"), "photo.jpg");
        assert_eq!(file_name("photo.JPEG", "image/jpeg"), "photo.JPEG");
        assert_eq!(file_name("invoice.pdf.exe", pdf), "invoice.pdf.pdf");
        assert_eq!(file_name("scan", "image/png"), "scan.png");
        assert_eq!(file_name("v1.2 final", pdf), "v1.2 final.pdf");
        // Bidi overrides and invisible characters cannot disguise a name.
        assert_eq!(file_name("report\u{202E}fdp.exe", pdf), "reportfdp.pdf");
        assert_eq!(
            file_name("pay\u{200B}stub\u{2066}.pdf\u{FEFF}", pdf),
            "paystub.pdf"
        );
    }

    #[test]
    fn the_clock_counts_weekdays() {
        let friday = date(2026, 11, 20);
        assert_eq!(business_days_between(friday, date(2026, 11, 23)), 1);
        assert_eq!(business_days_between(friday, date(2026, 11, 22)), 0);
        assert_eq!(business_days_between(friday, friday), 0);
        assert_eq!(add_business_days(friday, 2), date(2026, 11, 24));
        assert_eq!(add_business_days(date(2026, 11, 21), 1), date(2026, 11, 23));
    }

    #[test]
    fn the_parent_writing_last_means_the_agency_owes_an_answer() {
        assert_eq!(Status::Closed.after_message(true), Status::Waiting);
        assert_eq!(Status::Waiting.after_message(false), Status::Answered);
        assert_eq!(Status::parse("answered"), Some(Status::Answered));
        assert_eq!(Topic::parse("missing_payment"), Some(Topic::MissingPayment));
        assert_eq!(Topic::parse("<script>"), None);
    }

    proptest! {
        /// Adding n business days and counting them back gives n; the day
        /// reached is always a weekday.
        #[test]
        fn adding_and_counting_agree(start in 0u64..3_000, n in 0u32..60) {
            let from = date(2020, 1, 1) + Days::new(start);
            let due = add_business_days(from, n);
            prop_assert_eq!(business_days_between(from, due), n);
            prop_assert!(n == 0 || is_business_day(due));
        }
    }
}
