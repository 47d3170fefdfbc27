//! The modification eligibility check: from a few answers (income then and
//! now, a lost job, changed insurance or child-care costs, the order's age)
//! and the agency's thresholds, is a review of the order likely? The answer
//! names its reasons, which become the change-of-support request's reasons
//! and so its documents checklist.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::ledger::Money;
use crate::requests::rules::{documents, Document, Reason};

/// What a parent told the check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answers {
    /// Monthly income when the order was set, and now.
    pub income_then: Option<Money>,
    pub income_now: Option<Money>,
    /// A job lost, and how many months out of work so far.
    pub job_lost: bool,
    pub months_out_of_work: Option<u32>,
    /// Medical insurance for the children costs differently or covers
    /// differently.
    pub insurance_changed: bool,
    /// Child-care costs changed.
    pub child_care_changed: bool,
    /// Months since the order was set or last reviewed.
    pub months_since_order: Option<u32>,
}

/// The agency's thresholds (`[requests]` in the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    pub income_change_percent: u32,
    pub review_after_months: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// At least one reason the agency reviews orders for.
    LikelyToQualify,
    /// A change the caseworker has to weigh (costs), nothing that decides.
    TalkToCaseworker,
    /// Nothing yet that would start a review.
    ProbablyNotYet,
}

/// Why the check answered as it did: one line each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "finding")]
pub enum Finding {
    /// Income changed by `percent` (rounded down), at or above the threshold.
    IncomeChanged {
        percent: u32,
    },
    /// Income changed, but by less than the threshold.
    IncomeChangedLittle {
        percent: u32,
    },
    /// Income before is zero or unknown: the change cannot be measured.
    IncomeUnmeasured,
    JobLost {
        months: u32,
    },
    /// Out of work only a short while: often back at work soon.
    JobLostRecently,
    InsuranceChanged,
    ChildCareChanged,
    OrderOld {
        months: u32,
    },
    OrderRecent {
        months: u32,
    },
}

/// The most months the form accepts (50 years).
pub const MAX_MONTHS: u32 = 600;

/// A signed-in parent's case, with what the check can fill in from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFacts {
    pub case_number: String,
    /// Months since the order in force took effect.
    pub months_since_order: Option<u32>,
}

/// The check as the page shows it: the reader's cases (signed-in parents)
/// and, once answered, the outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckPage {
    pub cases: Vec<CaseFacts>,
    pub thresholds: Thresholds,
    pub outcome: Option<Outcome>,
    /// What was wrong with the answers (then there is no outcome).
    pub problems: Vec<crate::error::FieldError>,
}

/// The form as typed (a GET form: a text per field, a box per tick).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CheckForm {
    pub case_number: String,
    pub income_then: String,
    pub income_now: String,
    pub job_lost: bool,
    pub months_out_of_work: String,
    pub insurance_changed: bool,
    pub child_care_changed: bool,
    pub months_since_order: String,
}

impl CheckForm {
    /// The answers, or every problem at its field.
    pub fn read(&self) -> Result<Answers, crate::error::AppError> {
        use crate::error::{Field, Problem};
        use crate::reading::Problems;
        // An income may be nothing (a job lost), never less.
        let income = |text: &str| -> Result<Option<Money>, Problem> {
            match text.trim() {
                "" => Ok(None),
                typed => match Money::parse(typed) {
                    Ok(amount) if amount.is_negative() => Err(Problem::NotPositive),
                    Ok(amount) => Ok(Some(amount)),
                    Err(_) => Err(Problem::NotAnAmount),
                },
            }
        };
        let months = |text: &str| -> Result<Option<u32>, Problem> {
            match text.trim() {
                "" => Ok(None),
                typed => match typed.parse::<u32>() {
                    Ok(months) if months <= MAX_MONTHS => Ok(Some(months)),
                    _ => Err(Problem::NotAChoice),
                },
            }
        };
        let mut problems = Problems::default();
        let income_then = problems.take(Field::IncomeThen, income(&self.income_then));
        let income_now = problems.take(Field::IncomeNow, income(&self.income_now));
        let out_of_work = problems.take(Field::MonthsOutOfWork, months(&self.months_out_of_work));
        let since_order = problems.take(Field::MonthsSinceOrder, months(&self.months_since_order));
        let answers = income_then
            .zip(income_now)
            .zip(out_of_work.zip(since_order))
            .map(
                |((income_then, income_now), (months_out_of_work, months_since_order))| Answers {
                    income_then,
                    income_now,
                    job_lost: self.job_lost,
                    months_out_of_work,
                    insurance_changed: self.insurance_changed,
                    child_care_changed: self.child_care_changed,
                    months_since_order,
                },
            );
        problems.finish(answers)
    }
}

/// The months out of work after which a job loss counts on its own.
pub const JOB_LOSS_MONTHS: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
    /// The request's reasons, and the documents they need.
    pub reasons: Vec<Reason>,
    pub documents: Vec<Document>,
}

/// The check itself.
pub fn check(answers: &Answers, thresholds: Thresholds) -> Outcome {
    let mut findings = Vec::new();
    let mut reasons = Vec::new();
    let mut to_weigh = false;

    match (answers.income_then, answers.income_now) {
        (Some(then), Some(now)) if then.is_positive() => {
            let percent = change_percent(then, now);
            if percent >= thresholds.income_change_percent {
                findings.push(Finding::IncomeChanged { percent });
                reasons.push(Reason::IncomeChange);
            } else if percent > 0 {
                findings.push(Finding::IncomeChangedLittle { percent });
            }
        }
        (Some(_), Some(now)) if now.is_positive() => {
            findings.push(Finding::IncomeUnmeasured);
            to_weigh = true;
        }
        _ => {}
    }
    if answers.job_lost {
        let months = answers.months_out_of_work.unwrap_or(0);
        if months >= JOB_LOSS_MONTHS {
            findings.push(Finding::JobLost { months });
            reasons.push(Reason::JobLoss);
        } else {
            findings.push(Finding::JobLostRecently);
            to_weigh = true;
        }
    }
    if answers.insurance_changed {
        findings.push(Finding::InsuranceChanged);
        reasons.push(Reason::MedicalInsurance);
        to_weigh = true;
    }
    if answers.child_care_changed {
        findings.push(Finding::ChildCareChanged);
        reasons.push(Reason::ChildCare);
        to_weigh = true;
    }
    if let Some(months) = answers.months_since_order {
        if months >= thresholds.review_after_months {
            findings.push(Finding::OrderOld { months });
            reasons.push(Reason::TimeSinceReview);
        } else {
            findings.push(Finding::OrderRecent { months });
        }
    }

    let decisive = reasons.iter().any(|r| {
        matches!(
            r,
            Reason::IncomeChange | Reason::JobLoss | Reason::TimeSinceReview
        )
    });
    let verdict = match (decisive, to_weigh) {
        (true, _) => Verdict::LikelyToQualify,
        (false, true) => Verdict::TalkToCaseworker,
        (false, false) => Verdict::ProbablyNotYet,
    };
    Outcome {
        verdict,
        documents: documents(&reasons),
        findings,
        reasons,
    }
}

/// How much `now` differs from `then`, in whole percent of `then`
/// (rounded down, so "14.9%" never passes a 15% threshold).
fn change_percent(then: Money, now: Money) -> u32 {
    let change = (now.amount() - then.amount()).abs() * Decimal::ONE_HUNDRED / then.amount();
    u32::try_from(change.trunc()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const POLICY: Thresholds = Thresholds {
        income_change_percent: 15,
        review_after_months: 36,
    };

    fn money(text: &str) -> Option<Money> {
        Some(Money::parse(text).unwrap_or_else(|e| panic!("{e}")))
    }

    #[test]
    fn an_income_change_at_the_threshold_qualifies_and_just_below_does_not() {
        let at = Answers {
            income_then: money("4000"),
            income_now: money("3400"),
            ..Answers::default()
        };
        let outcome = check(&at, POLICY);
        assert_eq!(outcome.verdict, Verdict::LikelyToQualify);
        assert_eq!(outcome.findings, [Finding::IncomeChanged { percent: 15 }]);
        assert_eq!(outcome.documents, [Document::PayStubs, Document::TaxReturn]);

        let below = Answers {
            income_now: money("3400.04"),
            ..at
        };
        let outcome = check(&below, POLICY);
        assert_eq!(outcome.verdict, Verdict::ProbablyNotYet);
        assert_eq!(
            outcome.findings,
            [Finding::IncomeChangedLittle { percent: 14 }]
        );
        assert!(outcome.documents.is_empty());
    }

    #[test]
    fn a_job_lost_for_a_month_qualifies_a_week_is_for_the_caseworker() {
        let lost = Answers {
            job_lost: true,
            months_out_of_work: Some(2),
            ..Answers::default()
        };
        let outcome = check(&lost, POLICY);
        assert_eq!(outcome.verdict, Verdict::LikelyToQualify);
        assert_eq!(outcome.reasons, [Reason::JobLoss]);
        assert_eq!(
            outcome.documents,
            [Document::JobLossLetter, Document::BenefitStatements]
        );
        let recent = Answers {
            months_out_of_work: Some(0),
            ..lost
        };
        assert_eq!(check(&recent, POLICY).verdict, Verdict::TalkToCaseworker);
    }

    #[test]
    fn costs_are_weighed_by_the_caseworker_with_their_documents() {
        let costs = Answers {
            insurance_changed: true,
            child_care_changed: true,
            months_since_order: Some(12),
            ..Answers::default()
        };
        let outcome = check(&costs, POLICY);
        assert_eq!(outcome.verdict, Verdict::TalkToCaseworker);
        assert_eq!(
            outcome.documents,
            [Document::InsuranceCost, Document::ChildCareCosts]
        );
        assert!(outcome
            .findings
            .contains(&Finding::OrderRecent { months: 12 }));
    }

    #[test]
    fn an_old_order_can_be_reviewed_for_its_age_alone() {
        let old = Answers {
            months_since_order: Some(36),
            ..Answers::default()
        };
        let outcome = check(&old, POLICY);
        assert_eq!(outcome.verdict, Verdict::LikelyToQualify);
        assert_eq!(outcome.reasons, [Reason::TimeSinceReview]);
        assert_eq!(
            check(&Answers::default(), POLICY).verdict,
            Verdict::ProbablyNotYet
        );
    }

    #[test]
    fn the_form_names_each_mistake_at_its_field() {
        use crate::error::{AppError, Field, Problem};
        let form = CheckForm {
            income_then: "a lot".into(),
            income_now: "-5".into(),
            months_out_of_work: "601".into(),
            months_since_order: "ten".into(),
            ..CheckForm::default()
        };
        let problems: Vec<(Field, Problem)> = match form.read() {
            Err(AppError::Invalid(list)) => list.iter().map(|e| (e.field, e.problem)).collect(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            problems,
            vec![
                (Field::IncomeThen, Problem::NotAnAmount),
                (Field::IncomeNow, Problem::NotPositive),
                (Field::MonthsOutOfWork, Problem::NotAChoice),
                (Field::MonthsSinceOrder, Problem::NotAChoice),
            ]
        );
        let blank = CheckForm::default().read();
        assert_eq!(blank, Ok(Answers::default()));
    }

    #[test]
    fn income_from_nothing_cannot_be_measured() {
        let from_zero = Answers {
            income_then: money("0"),
            income_now: money("2500"),
            ..Answers::default()
        };
        let outcome = check(&from_zero, POLICY);
        assert_eq!(outcome.findings, [Finding::IncomeUnmeasured]);
        assert_eq!(outcome.verdict, Verdict::TalkToCaseworker);
    }

    proptest! {
        /// The verdict follows the reasons: a decisive reason means likely;
        /// without one, "likely" never appears; documents follow reasons.
        #[test]
        fn the_verdict_follows_the_reasons(
            then in 0i64..2_000_000,
            now in 0i64..2_000_000,
            job_lost: bool,
            months_out in proptest::option::of(0u32..60),
            insurance_changed: bool,
            child_care_changed: bool,
            months_since in proptest::option::of(0u32..240),
        ) {
            let answers = Answers {
                income_then: Some(Money::from_cents(then)),
                income_now: Some(Money::from_cents(now)),
                job_lost,
                months_out_of_work: months_out,
                insurance_changed,
                child_care_changed,
                months_since_order: months_since,
            };
            let outcome = check(&answers, POLICY);
            let decisive = outcome.reasons.iter().any(|r| {
                matches!(r, Reason::IncomeChange | Reason::JobLoss | Reason::TimeSinceReview)
            });
            prop_assert_eq!(decisive, outcome.verdict == Verdict::LikelyToQualify);
            prop_assert_eq!(&outcome.documents, &documents(&outcome.reasons));
            if let Some(months) = months_since {
                prop_assert_eq!(
                    outcome.reasons.contains(&Reason::TimeSinceReview),
                    months >= POLICY.review_after_months
                );
            }
        }

        /// The share is of the income before: a rise is never a smaller
        /// share than the same fall back.
        #[test]
        fn a_rise_is_no_smaller_a_share_than_the_fall_back(then in 1i64..1_000_000, delta in 0i64..1_000_000) {
            let up = change_percent(Money::from_cents(then), Money::from_cents(then + delta));
            let down = change_percent(Money::from_cents(then + delta), Money::from_cents(then));
            prop_assert!(up >= down, "{} < {}", up, down);
        }
    }
}
