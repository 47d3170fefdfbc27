//! What a request is and how it moves: its kinds, its statuses and the steps
//! the agency takes, the reasons for a change of support and the documents
//! each reason needs, and reading the forms. No database here.

use chrono::{Days, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, Field, Problem};
use crate::ledger::Money;
use crate::reading::{optional_text, positive_amount, Problems};

/// The longest note or reason on a request.
pub const MAX_NOTE: usize = 4_000;
/// The longest hearing place.
pub const MAX_PLACE: usize = 200;

macro_rules! named {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        $vis enum $name { $($(#[$vmeta])* $variant,)+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The name stored in the database and sent by forms.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }

            pub fn parse(name: &str) -> Option<Self> {
                match name { $($text => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

named! {
    /// What a parent asks for.
    pub enum RequestKind {
        /// Extra each period toward past-due support (the paying parent).
        PaymentPlan => "payment_plan",
        /// A review of the order's amount (either parent).
        Modification => "modification",
    }
}

named! {
    /// Where a request stands. A plan is received, then approved or
    /// declined; a change of support is received, reviewed, usually heard,
    /// then decided (new terms) or denied.
    pub enum RequestStatus {
        Received => "received",
        UnderReview => "under_review",
        HearingScheduled => "hearing_scheduled",
        Approved => "approved",
        Decided => "decided",
        Declined => "declined",
        Denied => "denied",
    }
}

named! {
    /// What the agency does to a request.
    pub enum Step {
        StartReview => "start_review",
        ScheduleHearing => "schedule_hearing",
        /// A plan: new order terms with its arrears payment.
        Approve => "approve",
        /// A change of support: the new order terms.
        Decide => "decide",
        Decline => "decline",
        Deny => "deny",
    }
}

named! {
    /// Why a parent asks for a change of support (the state's grounds).
    pub enum Reason {
        /// Income changed by more than the configured share.
        IncomeChange => "income_change",
        JobLoss => "job_loss",
        /// Medical insurance costs or coverage changed.
        MedicalInsurance => "medical_insurance",
        ChildCare => "child_care",
        /// Where the children live, or parenting time, changed.
        LivingArrangement => "living_arrangement",
        /// The order has not been reviewed for the configured time.
        TimeSinceReview => "time_since_review",
    }
}

named! {
    /// A paper the agency needs to review an order.
    pub enum Document {
        /// Pay stubs for the last three months.
        PayStubs => "pay_stubs",
        /// The latest tax return with W-2s or 1099s.
        TaxReturn => "tax_return",
        /// The letter ending the job (layoff, termination).
        JobLossLetter => "job_loss_letter",
        /// Unemployment or disability benefit statements.
        BenefitStatements => "benefit_statements",
        /// The insurance premium and who it covers.
        InsuranceCost => "insurance_cost",
        /// The child-care provider's statement of costs.
        ChildCareCosts => "child_care_costs",
        /// Where the children live: school records, a parenting-time order.
        LivingArrangementProof => "living_arrangement_proof",
    }
}

impl RequestStatus {
    /// Answered for good: nothing more happens to it.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Approved | Self::Decided | Self::Declined | Self::Denied
        )
    }
}

impl Step {
    /// The status `step` moves a request of `kind` in `status` to, if the
    /// step applies there.
    pub fn apply(self, kind: RequestKind, status: RequestStatus) -> Option<RequestStatus> {
        use RequestKind::*;
        use RequestStatus::*;
        match (kind, status, self) {
            (PaymentPlan, Received, Step::Approve) => Some(Approved),
            (PaymentPlan, Received, Step::Decline) => Some(Declined),
            (Modification, Received, Step::StartReview) => Some(UnderReview),
            // A hearing may be set, and set again (postponed).
            (Modification, UnderReview | HearingScheduled, Step::ScheduleHearing) => {
                Some(HearingScheduled)
            }
            (Modification, UnderReview | HearingScheduled, Step::Decide) => Some(Decided),
            (Modification, Received | UnderReview | HearingScheduled, Step::Deny) => Some(Denied),
            _ => None,
        }
    }

    /// The steps open on a request of `kind` in `status`, in the order a
    /// caseworker usually takes them.
    pub fn open(kind: RequestKind, status: RequestStatus) -> Vec<Step> {
        Step::ALL
            .iter()
            .copied()
            .filter(|step| step.apply(kind, status).is_some())
            .collect()
    }

    /// Carried out through new order terms (the order form), not a button.
    pub fn changes_order(self) -> bool {
        matches!(self, Step::Approve | Step::Decide)
    }
}

/// The documents for `reasons`, each once, in a stable order.
pub fn documents(reasons: &[Reason]) -> Vec<Document> {
    let mut needed: Vec<Document> = reasons
        .iter()
        .flat_map(|reason| match reason {
            Reason::IncomeChange | Reason::TimeSinceReview => {
                &[Document::PayStubs, Document::TaxReturn][..]
            }
            Reason::JobLoss => &[Document::JobLossLetter, Document::BenefitStatements][..],
            Reason::MedicalInsurance => &[Document::InsuranceCost][..],
            Reason::ChildCare => &[Document::ChildCareCosts][..],
            Reason::LivingArrangement => &[Document::LivingArrangementProof][..],
        })
        .copied()
        .collect();
    needed.sort();
    needed.dedup();
    needed
}

/// Reasons as stored: comma-separated names.
pub fn reasons_to_str(reasons: &[Reason]) -> String {
    reasons
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Stored reasons; an unknown name is skipped (it cannot be written).
pub fn reasons_from_str(stored: &str) -> Vec<Reason> {
    stored.split(',').filter_map(Reason::parse).collect()
}

/// A payment plan as proposed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanProposal {
    pub extra: Money,
    pub starts_on: NaiveDate,
    pub note: Option<String>,
}

/// Reads a plan: an extra amount above zero, a start from today to a year
/// ahead, an optional note.
pub fn read_plan(
    extra: &str,
    starts_on: &str,
    note: &str,
    today: NaiveDate,
) -> Result<PlanProposal, AppError> {
    let mut problems = Problems::default();
    let extra = problems.take(
        Field::Amount,
        positive_amount(extra.trim().trim_start_matches('$')),
    );
    let starts_on = problems.take(Field::Date, coming_date(starts_on, today, 366));
    let note = problems.take(Field::Body, optional_text(note, MAX_NOTE));
    let plan = match (extra, starts_on, note) {
        (Some(extra), Some(starts_on), Some(note)) => Some(PlanProposal {
            extra,
            starts_on,
            note,
        }),
        _ => None,
    };
    problems.finish(plan)
}

/// A change of support as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeProposal {
    pub reasons: Vec<Reason>,
    /// What changed, in the parent's words (the conversation's first message).
    pub note: String,
}

/// Reads a change of support: at least one reason from the list, and what
/// changed in a few words.
pub fn read_change(reasons: &[String], note: &str) -> Result<ChangeProposal, AppError> {
    let mut problems = Problems::default();
    let parsed: Option<Vec<Reason>> = reasons
        .iter()
        .filter(|name| !name.trim().is_empty())
        .map(|name| Reason::parse(name.trim()))
        .collect();
    let reasons = match parsed {
        None => problems.take(Field::Reasons, Err::<Vec<Reason>, _>(Problem::NotAChoice)),
        Some(list) if list.is_empty() => problems.take(Field::Reasons, Err(Problem::Required)),
        Some(mut list) => {
            list.sort();
            list.dedup();
            Some(list)
        }
    };
    let note = match optional_text(note, MAX_NOTE) {
        Ok(None) => Err(Problem::Required),
        read => read.map(Option::unwrap_or_default),
    };
    let note = problems.take(Field::Body, note);
    let change = match (reasons, note) {
        (Some(reasons), Some(note)) => Some(ChangeProposal { reasons, note }),
        _ => None,
    };
    problems.finish(change)
}

/// A hearing: when (the agency's local time) and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HearingProposal {
    pub at: NaiveDateTime,
    pub place: String,
}

/// Reads a hearing from a `datetime-local` field (`2027-01-14T09:30`) and a
/// place: from today to a year ahead.
pub fn read_hearing(at: &str, place: &str, today: NaiveDate) -> Result<HearingProposal, AppError> {
    let mut problems = Problems::default();
    let at = problems.take(Field::HearingAt, coming_time(at, today));
    let place = match optional_text(place, MAX_PLACE) {
        Ok(None) => Err(Problem::Required),
        read => read.map(Option::unwrap_or_default),
    };
    let place = problems.take(Field::Place, place);
    let hearing = match (at, place) {
        (Some(at), Some(place)) => Some(HearingProposal { at, place }),
        _ => None,
    };
    problems.finish(hearing)
}

/// Reads the reason for a decline or a denial (the parent reads it).
pub fn read_reason(reason: &str) -> Result<String, AppError> {
    match optional_text(reason, MAX_NOTE) {
        Ok(Some(reason)) => Ok(reason),
        Ok(None) => Err(AppError::invalid(Field::Reason, Problem::Required)),
        Err(problem) => Err(AppError::invalid(Field::Reason, problem)),
    }
}

/// A day from `today` to `days` ahead.
fn coming_date(text: &str, today: NaiveDate, days: u64) -> Result<NaiveDate, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::Required);
    }
    let date = crate::reading::date(text)?;
    let horizon = today.checked_add_days(Days::new(days)).unwrap_or(today);
    if date < today {
        Err(Problem::InThePast)
    } else if date > horizon {
        Err(Problem::TooFarAhead)
    } else {
        Ok(date)
    }
}

/// A local date and time from `today` to a year ahead. Browsers send
/// `YYYY-MM-DDTHH:MM`; without JavaScript some send a space, and seconds.
fn coming_time(text: &str, today: NaiveDate) -> Result<NaiveDateTime, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::Required);
    }
    let at = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .ok_or(Problem::NotADate)?;
    coming_date(&at.date().to_string(), today, 366).map(|_| at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn problems(error: AppError) -> Vec<(Field, Problem)> {
        match error {
            AppError::Invalid(list) => list.into_iter().map(|e| (e.field, e.problem)).collect(),
            other => panic!("expected field problems, got {other:?}"),
        }
    }

    #[test]
    fn names_round_trip() {
        for kind in RequestKind::ALL {
            assert_eq!(RequestKind::parse(kind.as_str()), Some(*kind));
        }
        for status in RequestStatus::ALL {
            assert_eq!(RequestStatus::parse(status.as_str()), Some(*status));
        }
        for reason in Reason::ALL {
            assert_eq!(Reason::parse(reason.as_str()), Some(*reason));
        }
        assert_eq!(Step::parse("approve"), Some(Step::Approve));
        assert_eq!(Step::parse("delete"), None);
    }

    #[test]
    fn a_plan_is_approved_or_declined_once() {
        use RequestKind::PaymentPlan;
        use RequestStatus::*;
        assert_eq!(
            Step::open(PaymentPlan, Received),
            [Step::Approve, Step::Decline]
        );
        assert_eq!(Step::Approve.apply(PaymentPlan, Received), Some(Approved));
        assert_eq!(Step::Decline.apply(PaymentPlan, Received), Some(Declined));
        assert_eq!(Step::Approve.apply(PaymentPlan, Declined), None);
        assert_eq!(Step::StartReview.apply(PaymentPlan, Received), None);
        assert_eq!(
            Step::Decide.apply(PaymentPlan, Received),
            None,
            "a plan is approved, not decided"
        );
    }

    #[test]
    fn a_change_of_support_is_reviewed_heard_and_decided() {
        use RequestKind::Modification;
        use RequestStatus::*;
        assert_eq!(
            Step::open(Modification, Received),
            [Step::StartReview, Step::Deny]
        );
        assert_eq!(
            Step::open(Modification, UnderReview),
            [Step::ScheduleHearing, Step::Decide, Step::Deny]
        );
        assert_eq!(
            Step::ScheduleHearing.apply(Modification, HearingScheduled),
            Some(HearingScheduled)
        );
        assert_eq!(
            Step::Decide.apply(Modification, HearingScheduled),
            Some(Decided)
        );
        assert_eq!(
            Step::Decide.apply(Modification, Received),
            None,
            "reviewed first"
        );
        assert_eq!(Step::Approve.apply(Modification, UnderReview), None);
    }

    proptest! {
        /// Whatever the agency clicks, a request only moves forward: once
        /// answered for good nothing applies, and no step leads back to
        /// received.
        #[test]
        fn requests_only_move_forward(
            plan in any::<bool>(),
            steps in proptest::collection::vec(0..Step::ALL.len(), 0..12),
        ) {
            let kind = if plan { RequestKind::PaymentPlan } else { RequestKind::Modification };
            let mut status = RequestStatus::Received;
            for index in steps {
                let step = Step::ALL[index];
                match step.apply(kind, status) {
                    Some(next) => {
                        prop_assert!(!status.is_final());
                        prop_assert_ne!(next, RequestStatus::Received);
                        status = next;
                    }
                    None => prop_assert!(status.is_final() || !Step::open(kind, status).contains(&step)),
                }
            }
            if status.is_final() {
                prop_assert!(Step::open(kind, status).is_empty());
            }
        }
    }

    #[test]
    fn documents_follow_the_reasons_each_once() {
        assert_eq!(
            documents(&[Reason::IncomeChange, Reason::TimeSinceReview]),
            [Document::PayStubs, Document::TaxReturn]
        );
        assert_eq!(
            documents(&[Reason::ChildCare, Reason::JobLoss]),
            [
                Document::JobLossLetter,
                Document::BenefitStatements,
                Document::ChildCareCosts
            ]
        );
        assert!(documents(&[]).is_empty());
        let every = documents(Reason::ALL);
        assert_eq!(
            every.len(),
            Document::ALL.len(),
            "every document is some reason's"
        );
    }

    #[test]
    fn reasons_are_stored_as_names() {
        let reasons = [Reason::JobLoss, Reason::ChildCare];
        assert_eq!(reasons_to_str(&reasons), "job_loss,child_care");
        assert_eq!(reasons_from_str("job_loss,child_care"), reasons);
    }

    #[test]
    fn a_plan_names_each_problem_at_its_field() {
        let today = day(2026, 11, 27);
        let plan = read_plan("$50", "2026-12-01", "  ", today);
        assert_eq!(
            plan,
            Ok(PlanProposal {
                extra: Money::from_cents(5_000),
                starts_on: day(2026, 12, 1),
                note: None
            })
        );
        let Err(error) = read_plan("0", "2026-11-01", "", today) else {
            panic!("a zero plan starting last month was read");
        };
        assert_eq!(
            problems(error),
            [
                (Field::Amount, Problem::Zero),
                (Field::Date, Problem::InThePast)
            ]
        );
        let Err(error) = read_plan("lots", "2028-01-01", "", today) else {
            panic!("read");
        };
        assert_eq!(
            problems(error),
            [
                (Field::Amount, Problem::NotAnAmount),
                (Field::Date, Problem::TooFarAhead)
            ]
        );
    }

    #[test]
    fn a_change_needs_a_listed_reason_and_what_changed() {
        let asked = read_change(
            &["job_loss".into(), "income_change".into(), "job_loss".into()],
            "Laid off in October.",
        );
        assert_eq!(
            asked.map(|c| c.reasons),
            Ok(vec![Reason::IncomeChange, Reason::JobLoss])
        );
        let Err(error) = read_change(&[], " ") else {
            panic!("an empty change was read");
        };
        assert_eq!(
            problems(error),
            [
                (Field::Reasons, Problem::Required),
                (Field::Body, Problem::Required)
            ]
        );
        let Err(error) = read_change(&["lottery".into()], "won") else {
            panic!("an unlisted reason was read");
        };
        assert_eq!(problems(error), [(Field::Reasons, Problem::NotAChoice)]);
    }

    #[test]
    fn a_hearing_is_a_coming_time_and_a_place() {
        let today = day(2026, 11, 27);
        let hearing = read_hearing("2027-01-14T09:30", "Courtroom 3B", today);
        assert_eq!(
            hearing.map(|h| h.at.to_string()),
            Ok("2027-01-14 09:30:00".into())
        );
        let Err(error) = read_hearing("2026-11-20T09:30", "", today) else {
            panic!("a past hearing without a place was read");
        };
        assert_eq!(
            problems(error),
            [
                (Field::HearingAt, Problem::InThePast),
                (Field::Place, Problem::Required)
            ]
        );
        let Err(error) = read_hearing("next tuesday", "Room 1", today) else {
            panic!("read");
        };
        assert_eq!(problems(error), [(Field::HearingAt, Problem::NotADate)]);
    }

    #[test]
    fn a_decline_says_why() {
        assert_eq!(
            read_reason(" Income not shown "),
            Ok("Income not shown".into())
        );
        assert_eq!(
            read_reason(""),
            Err(AppError::invalid(Field::Reason, Problem::Required))
        );
    }
}
