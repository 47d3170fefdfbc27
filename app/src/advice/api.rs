//! Advice's server functions: public, no sign-in. Each takes the reader's
//! language (anything but `es` reads English).

use leptos::prelude::*;

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
