//! Reading what people type into forms: each field read on its own, every
//! problem collected at its field, so a form reports all of them at once and
//! nothing half-read goes further.

use chrono::NaiveDate;

use crate::error::{AppError, Field, FieldError, Problem};
use crate::ledger::Money;

/// Collects the problems of one form.
#[derive(Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    pub fn add(&mut self, field: Field, problem: Problem) {
        self.0.push(FieldError { field, problem });
    }

    /// `Some(value)` when it read, else notes the problem at `field`.
    pub fn take<T>(&mut self, field: Field, read: Result<T, Problem>) -> Option<T> {
        read.map_err(|problem| self.add(field, problem)).ok()
    }

    pub fn finish<T>(self, value: Option<T>) -> Result<T, AppError> {
        match value {
            Some(value) if self.0.is_empty() => Ok(value),
            _ => Err(AppError::Invalid(self.0)),
        }
    }
}

pub fn positive_amount(text: &str) -> Result<Money, Problem> {
    let amount = signed_amount(text)?;
    if amount.is_positive() {
        Ok(amount)
    } else {
        Err(Problem::NotPositive)
    }
}

pub fn signed_amount(text: &str) -> Result<Money, Problem> {
    if text.trim().is_empty() {
        return Err(Problem::Required);
    }
    let amount = Money::parse(text).map_err(|_| Problem::NotAnAmount)?;
    if amount.is_zero() {
        return Err(Problem::Zero);
    }
    Ok(amount)
}

pub fn optional_amount(text: &str) -> Result<Option<Money>, Problem> {
    match text.trim() {
        "" => Ok(None),
        _ => positive_amount(text).map(Some),
    }
}

/// A day no later than `latest` and not before the case was opened.
pub fn past_date(
    text: &str,
    latest: NaiveDate,
    opened_on: NaiveDate,
) -> Result<NaiveDate, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::Required);
    }
    let date = date(text)?;
    if date > latest {
        Err(Problem::InTheFuture)
    } else if date < opened_on {
        Err(Problem::BeforeCaseOpened)
    } else {
        Ok(date)
    }
}

/// A calendar day as forms send it: `YYYY-MM-DD`, a four-digit year and
/// nothing else. (chrono's `%Y` also reads signed and five-digit years, which
/// no person means and which would make a range of millions of months.)
pub fn date(text: &str) -> Result<NaiveDate, Problem> {
    let text = text.trim();
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return Err(Problem::NotADate);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| Problem::NotADate)
}

/// Trimmed text without control characters (line breaks kept), `None` when empty.
pub fn optional_text(text: &str, max: usize) -> Result<Option<String>, Problem> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect();
    if cleaned.chars().count() > max {
        Err(Problem::TooLong)
    } else if cleaned.is_empty() {
        Ok(None)
    } else {
        Ok(Some(cleaned))
    }
}
