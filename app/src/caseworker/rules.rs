//! Reading what a caseworker typed: every field checked, every problem
//! reported at its field at once, nothing half-read. What needs the ledger
//! (is that entry reversible, is that much held) is checked by the service.

use chrono::{Datelike, NaiveDate};

use super::model::{OrderForm, Posting, PostingForm};
use crate::error::{AppError, Field, Problem};
use crate::ledger::{Frequency, Money, PaymentSource, Schedule};
use crate::reading::{
    optional_amount, optional_text, past_date, positive_amount, signed_amount, Problems,
};

/// Longest reference and reason (the ledger's own limits).
pub const MAX_REFERENCE: usize = 100;
pub const MAX_REASON: usize = 2_000;

/// A posting read from its form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposed {
    pub posting: Posting,
    /// Signed for adjustments; zero for a reversal (it takes its entry's).
    pub amount: Money,
    pub date: NaiveDate,
    pub source: Option<PaymentSource>,
    pub reference: Option<String>,
    pub reason: Option<String>,
    pub reverses: Option<i64>,
}

/// New order terms read from their form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposedOrder {
    pub effective_on: NaiveDate,
    /// Falling due on the effective date's day; see [`ProposedOrder::keep_due_day`].
    pub schedule: Schedule,
    /// Keep the due day of the order in force when the new terms fall due as
    /// often (the form's default).
    pub keep_due_day: bool,
    pub child_support: Money,
    pub medical_support: Option<Money>,
    pub arrears_payment: Option<Money>,
    pub reference: String,
    pub reason: String,
}

pub fn read_posting(
    form: &PostingForm,
    today: NaiveDate,
    opened_on: NaiveDate,
) -> Result<Proposed, AppError> {
    let mut problems = Problems::default();
    let posting = problems.take(
        Field::Amount,
        Posting::parse(form.kind.trim()).ok_or(Problem::NotAChoice),
    );
    let Some(posting) = posting else {
        return problems.finish(None);
    };
    let amount = match posting {
        Posting::Reversal => Some(Money::ZERO),
        Posting::Adjustment => problems.take(Field::Amount, signed_amount(&form.amount)),
        _ => problems.take(Field::Amount, positive_amount(&form.amount)),
    };
    let date = problems.take(Field::Date, past_date(&form.date, today, opened_on));
    let source = match posting {
        Posting::Payment => problems.take(
            Field::Source,
            match form.source.trim() {
                "" => Err(Problem::Required),
                name => PaymentSource::parse(name).ok_or(Problem::NotAChoice),
            },
        ),
        _ => None,
    };
    let reference = problems.take(
        Field::Reference,
        optional_text(&form.reference, MAX_REFERENCE),
    );
    let reason = match (
        optional_text(&form.reason, MAX_REASON),
        posting.needs_reason(),
    ) {
        (Ok(None), true) => {
            problems.add(Field::Reason, Problem::Required);
            None
        }
        (read, _) => problems.take(Field::Reason, read).flatten(),
    };
    let reverses = match posting {
        Posting::Reversal => problems.take(
            Field::Entry,
            form.entry
                .trim()
                .parse::<i64>()
                .map_err(|_| Problem::Required),
        ),
        _ => None,
    };
    let proposed = match (amount, date) {
        (Some(amount), Some(date)) => Some(Proposed {
            posting,
            amount,
            date,
            source,
            reference: reference.flatten(),
            reason,
            reverses,
        }),
        _ => None,
    };
    problems.finish(proposed)
}

pub fn read_order(
    form: &OrderForm,
    today: NaiveDate,
    opened_on: NaiveDate,
) -> Result<ProposedOrder, AppError> {
    let mut problems = Problems::default();
    // A new order may start up to a year ahead (a court sets a future date).
    let horizon = today
        .checked_add_days(chrono::Days::new(366))
        .unwrap_or(today);
    let effective_on = problems.take(Field::Date, past_date(&form.date, horizon, opened_on));
    let frequency = problems.take(
        Field::Frequency,
        Frequency::parse(form.frequency.trim()).ok_or(Problem::NotAChoice),
    );
    let keep_due_day = problems.take(
        Field::DueDay,
        match form.due_day.trim() {
            "" | "keep" => Ok(true),
            "date" => Ok(false),
            _ => Err(Problem::NotAChoice),
        },
    );
    let child_support = problems.take(Field::ChildSupport, positive_amount(&form.child_support));
    let medical_support = problems.take(
        Field::MedicalSupport,
        optional_amount(&form.medical_support),
    );
    let arrears_payment = problems.take(
        Field::ArrearsPayment,
        optional_amount(&form.arrears_payment),
    );
    let reference = match optional_text(&form.reference, MAX_REFERENCE) {
        Ok(None) => Err(Problem::Required),
        read => read.map(Option::unwrap_or_default),
    };
    let reference = problems.take(Field::Reference, reference);
    let reason = match optional_text(&form.reason, MAX_REASON) {
        Ok(None) => Err(Problem::Required),
        read => read.map(Option::unwrap_or_default),
    };
    let reason = problems.take(Field::Reason, reason);
    let schedule = match (effective_on, frequency) {
        (Some(on), Some(frequency)) => Schedule::new(frequency, anchor_day(frequency, on)).ok(),
        _ => None,
    };
    let order = match (
        effective_on,
        schedule,
        child_support,
        medical_support,
        arrears_payment,
    ) {
        (Some(effective_on), Some(schedule), Some(child_support), Some(medical), Some(arrears)) => {
            Some(ProposedOrder {
                effective_on,
                schedule,
                keep_due_day: keep_due_day.unwrap_or(true),
                child_support,
                medical_support: medical,
                arrears_payment: arrears,
                reference: reference.unwrap_or_default(),
                reason: reason.unwrap_or_default(),
            })
        }
        _ => None,
    };
    problems.finish(order)
}

/// The schedule's anchor from the first due date: its weekday for weekly
/// and every-other-week orders, its day of the month otherwise (twice a
/// month: the first of the two days, the second being 14 days later).
pub fn anchor_day(frequency: Frequency, first: NaiveDate) -> u8 {
    let day = first.day() as u8;
    match frequency {
        Frequency::Weekly | Frequency::BiWeekly => first.weekday().num_days_from_monday() as u8,
        Frequency::SemiMonthly if day > 15 => (day - 14).min(15),
        Frequency::SemiMonthly | Frequency::Monthly => day,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    const TODAY: (i32, u32, u32) = (2026, 11, 27);

    fn read(form: PostingForm) -> Result<Proposed, AppError> {
        read_posting(&form, day(TODAY.0, TODAY.1, TODAY.2), day(2020, 1, 1))
    }

    fn payment(amount: &str, date: &str, source: &str) -> PostingForm {
        PostingForm {
            kind: "payment".into(),
            amount: amount.into(),
            date: date.into(),
            source: source.into(),
            ..Default::default()
        }
    }

    fn problems(result: Result<Proposed, AppError>) -> Vec<(Field, Problem)> {
        match result {
            Err(AppError::Invalid(errors)) => errors.iter().map(|e| (e.field, e.problem)).collect(),
            other => panic!("expected field problems, got {other:?}"),
        }
    }

    #[test]
    fn a_payment_reads_its_amount_date_source_and_reference() {
        let mut form = payment("$1,250.5", "2026-11-20", "direct");
        form.reference = "  check 1042 ".into();
        let read = read(form).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(read.posting, Posting::Payment);
        assert_eq!(read.amount, Money::from_cents(125_050));
        assert_eq!(read.date, day(2026, 11, 20));
        assert_eq!(read.source, Some(PaymentSource::Direct));
        assert_eq!(read.reference.as_deref(), Some("check 1042"));
        assert_eq!(read.reason, None, "a payment needs no reason");
    }

    #[test]
    fn every_problem_of_a_payment_is_named_at_its_field_at_once() {
        assert_eq!(
            problems(read(payment("", "", ""))),
            [
                (Field::Amount, Problem::Required),
                (Field::Date, Problem::Required),
                (Field::Source, Problem::Required),
            ]
        );
        assert_eq!(
            problems(read(payment("12.345", "2026-13-01", "cash"))),
            [
                (Field::Amount, Problem::NotAnAmount),
                (Field::Date, Problem::NotADate),
                (Field::Source, Problem::NotAChoice),
            ]
        );
        assert_eq!(
            problems(read(payment("-5", "2026-11-28", "direct"))),
            [
                (Field::Amount, Problem::NotPositive),
                (Field::Date, Problem::InTheFuture),
            ]
        );
        assert_eq!(
            problems(read(payment("0", "2019-12-31", "direct"))),
            [
                (Field::Amount, Problem::Zero),
                (Field::Date, Problem::BeforeCaseOpened),
            ]
        );
        let mut long = payment("5", "2026-11-27", "direct");
        long.reference = "x".repeat(MAX_REFERENCE + 1);
        assert_eq!(problems(read(long)), [(Field::Reference, Problem::TooLong)]);
    }

    #[test]
    fn corrections_and_holds_need_a_reason_and_adjustments_may_be_negative() {
        let adjustment = |amount: &str, reason: &str| PostingForm {
            kind: "adjustment".into(),
            amount: amount.into(),
            date: "2026-11-01".into(),
            reason: reason.into(),
            ..Default::default()
        };
        assert_eq!(
            problems(read(adjustment("-40", " \n "))),
            [(Field::Reason, Problem::Required)]
        );
        let read_ok = read(adjustment("-40", "Court credit for direct payments"))
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(read_ok.amount, Money::from_cents(-4_000));
        for kind in ["hold", "release"] {
            let form = PostingForm {
                kind: kind.into(),
                amount: "-1".into(),
                date: "2026-11-01".into(),
                ..Default::default()
            };
            assert_eq!(
                problems(read(form)),
                [
                    (Field::Amount, Problem::NotPositive),
                    (Field::Reason, Problem::Required)
                ],
                "{kind}"
            );
        }
    }

    #[test]
    fn a_reversal_names_its_entry_and_carries_no_amount() {
        let form = PostingForm {
            kind: "reversal".into(),
            amount: "999".into(),
            date: "2026-11-27".into(),
            reason: "Check returned by the bank".into(),
            entry: "42".into(),
            ..Default::default()
        };
        let read_ok = read(form.clone()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((read_ok.amount, read_ok.reverses), (Money::ZERO, Some(42)));
        let unnamed = PostingForm {
            entry: "first".into(),
            ..form
        };
        assert_eq!(problems(read(unnamed)), [(Field::Entry, Problem::Required)]);
    }

    #[test]
    fn an_unknown_kind_is_refused() {
        let form = PostingForm {
            kind: "charge".into(),
            ..payment("5", "2026-11-27", "direct")
        };
        assert_eq!(problems(read(form)), [(Field::Amount, Problem::NotAChoice)]);
    }

    #[test]
    fn new_order_terms_are_read_with_their_schedule() {
        let form = OrderForm {
            date: "2026-12-04".into(),
            frequency: "weekly".into(),
            due_day: "date".into(),
            child_support: "95".into(),
            medical_support: "".into(),
            arrears_payment: "12.50".into(),
            reference: "FC-2026-118".into(),
            reason: "Modified after review".into(),
            request: String::new(),
        };
        let today = day(TODAY.0, TODAY.1, TODAY.2);
        let order = read_order(&form, today, day(2020, 1, 1)).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(order.effective_on, day(2026, 12, 4));
        // 2026-12-04 is a Friday.
        assert_eq!(order.schedule.anchor_day, 4);
        assert_eq!(order.child_support, Money::from_cents(9_500));
        assert_eq!(order.medical_support, None);
        assert_eq!(order.arrears_payment, Some(Money::from_cents(1_250)));
        assert!(!order.keep_due_day);
        let odd = OrderForm {
            due_day: "tuesdays".into(),
            ..form.clone()
        };
        let refused = read_order(&odd, today, day(2020, 1, 1));
        assert_eq!(
            refused.err().and_then(|e| e.problem_with(Field::DueDay)),
            Some(Problem::NotAChoice)
        );

        let empty = read_order(&OrderForm::default(), today, day(2020, 1, 1));
        let Err(AppError::Invalid(errors)) = empty else {
            panic!("an empty form must be refused")
        };
        let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                Field::Date,
                Field::Frequency,
                Field::ChildSupport,
                Field::Reference,
                Field::Reason
            ]
        );
    }

    #[test]
    fn anchors_follow_the_first_due_date() {
        let friday = day(2026, 12, 4);
        assert_eq!(anchor_day(Frequency::Weekly, friday), 4);
        assert_eq!(anchor_day(Frequency::BiWeekly, friday), 4);
        assert_eq!(anchor_day(Frequency::Monthly, day(2026, 12, 31)), 31);
        assert_eq!(anchor_day(Frequency::SemiMonthly, day(2026, 12, 1)), 1);
        assert_eq!(anchor_day(Frequency::SemiMonthly, day(2026, 12, 20)), 6);
        assert_eq!(anchor_day(Frequency::SemiMonthly, day(2026, 12, 31)), 15);
    }
}
