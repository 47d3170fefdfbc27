//! Advice's server functions: public, no sign-in. Each takes the reader's
//! language (anything but `es` reads English).

use leptos::prelude::*;

use super::eligibility::CheckPage;
use super::model::{Article, ArticleLink, SearchResults, Term};
use crate::error::AppError;

/// `es` or `en`.
#[cfg(feature = "ssr")]
fn language(locale: &str) -> &'static str {
    match locale {
        "es" => "es",
        _ => "en",
    }
}

/// The agency's configured values that articles name as `{{name}}`.
#[cfg(feature = "ssr")]
pub fn values(state: &crate::server::AppState) -> super::render::Values {
    super::render::Values::new([
        ("agency_name", state.agency.name.clone()),
        ("agency_phone", state.agency.phone.clone()),
        (
            "income_change_percent",
            state.requests.income_change_percent.to_string(),
        ),
        (
            "review_after_months",
            state.requests.review_after_months.to_string(),
        ),
        (
            "passport_threshold",
            state.ledger.passport_threshold.to_string(),
        ),
        (
            "tax_intercept_threshold",
            state.ledger.tax_intercept_threshold.to_string(),
        ),
        (
            "reply_business_days",
            state.messages.reply_business_days.to_string(),
        ),
        (
            "attachment_max_mb",
            state.messages.attachment_max_mb.to_string(),
        ),
    ])
}

#[server(endpoint = "advice_index")]
pub async fn advice_index(locale: String) -> Result<Vec<ArticleLink>, AppError> {
    let state = crate::server::state()?;
    super::service::index(&state.db, language(&locale)).await
}

#[server(endpoint = "advice_article")]
pub async fn advice_article(slug: String, locale: String) -> Result<Article, AppError> {
    let state = crate::server::state()?;
    super::service::article(&state.db, &slug, language(&locale), &values(&state)).await
}

#[server(endpoint = "advice_glossary")]
pub async fn advice_glossary(locale: String) -> Result<Vec<Term>, AppError> {
    let state = crate::server::state()?;
    super::service::glossary(&state.db, language(&locale)).await
}

#[server(endpoint = "search_advice")]
pub async fn search_advice(query: String, locale: String) -> Result<SearchResults, AppError> {
    let state = crate::server::state()?;
    super::service::find(&state.db, language(&locale), &query, &values(&state)).await
}

/// The modification eligibility check: the reader's cases (a signed-in
/// parent's, to fill in the order's age) and, once answered (`checked`),
/// the outcome — or what is wrong with the answers.
#[server(endpoint = "eligibility_check")]
#[allow(clippy::too_many_arguments)] // a form's fields, one by one
pub async fn eligibility_check(
    #[server(default)] case_number: String,
    #[server(default)] income_then: String,
    #[server(default)] income_now: String,
    #[server(default)] job_lost: Option<String>,
    #[server(default)] months_out_of_work: String,
    #[server(default)] insurance_changed: Option<String>,
    #[server(default)] child_care_changed: Option<String>,
    #[server(default)] months_since_order: String,
    #[server(default)] checked: Option<String>,
) -> Result<CheckPage, AppError> {
    use super::eligibility::{check, CheckForm, Thresholds};
    let state = crate::server::state()?;
    let reader = crate::server::user::current().await?;
    let today = state.agency_now().date_naive();
    let cases = super::service::case_facts(&state.db, reader.as_ref(), today).await?;
    let thresholds = Thresholds {
        income_change_percent: state.requests.income_change_percent,
        review_after_months: state.requests.review_after_months,
    };
    let form = CheckForm {
        case_number,
        income_then,
        income_now,
        job_lost: job_lost.is_some(),
        months_out_of_work,
        insurance_changed: insurance_changed.is_some(),
        child_care_changed: child_care_changed.is_some(),
        months_since_order,
    };
    let (outcome, problems) = match checked {
        None => (None, Vec::new()),
        Some(_) => match form.read() {
            Ok(answers) => (Some(check(&answers, thresholds)), Vec::new()),
            Err(AppError::Invalid(problems)) => (None, problems),
            Err(other) => return Err(other),
        },
    };
    Ok(CheckPage {
        cases,
        thresholds,
        outcome,
        problems,
    })
}
