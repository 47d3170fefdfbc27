//! Advice's server functions: public, no sign-in. Each takes the reader's
//! language (anything but `es` reads English).

use leptos::prelude::*;

use super::editing::{ArticleFields, Editor, EditorRow, Saved};
use super::eligibility::{CheckForm, CheckPage};
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

/// An article; a supervisor also gets the way to its editor.
#[server(endpoint = "advice_article")]
pub async fn advice_article(slug: String, locale: String) -> Result<Article, AppError> {
    use crate::reader::AccountRole;
    let state = crate::server::state()?;
    let mut article =
        super::service::article(&state.db, &slug, language(&locale), &values(&state)).await?;
    let reader = crate::server::user::current().await?;
    article.editable = reader.is_some_and(|reader| reader.role == AccountRole::Supervisor);
    Ok(article)
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
pub async fn eligibility_check(
    #[server(default)] form: CheckForm,
    #[server(default)] checked: bool,
) -> Result<CheckPage, AppError> {
    use super::eligibility::{check, Thresholds};
    let (reader, state, clock) = crate::server::caller::Caller::anyone().await?;
    let today = clock.today();
    let cases = super::service::case_facts(&state.db, reader.as_ref(), today).await?;
    let thresholds = Thresholds {
        income_change_percent: state.requests.income_change_percent,
        review_after_months: state.requests.review_after_months,
    };
    let (outcome, problems) = if checked {
        match form.read() {
            Ok(answers) => (Some(check(&answers, thresholds)), Vec::new()),
            Err(AppError::Invalid(problems)) => (None, problems),
            Err(other) => return Err(other),
        }
    } else {
        (None, Vec::new())
    };
    Ok(CheckPage {
        cases,
        thresholds,
        outcome,
        problems,
    })
}

/// Every article in both languages, for supervisors to edit.
#[server(endpoint = "advice_editor_rows")]
pub async fn advice_editor_rows() -> Result<Vec<EditorRow>, AppError> {
    let caller = crate::server::caller::Caller::signed_in().await?;
    super::editor::rows(caller.db(), &caller.reader).await
}

/// One article's editor (supervisors).
#[server(endpoint = "advice_editor")]
pub async fn advice_editor(slug: String, locale: String) -> Result<Editor, AppError> {
    let caller = crate::server::caller::Caller::signed_in().await?;
    let (db, reader, values) = (caller.db(), &caller.reader, values(&caller.state));
    super::editor::editor(db, reader, &slug, &locale, &values, &caller.clock).await
}

/// Keeps an edit as a draft, publishes it, or drops the draft (supervisors).
#[server(endpoint = "save_advice")]
pub async fn save_advice(
    slug: String,
    locale: String,
    based_on: i32,
    #[server(default)] fields: ArticleFields,
    intent: String,
) -> Result<Saved, AppError> {
    use super::editing::Intent;
    use super::editor::{save, Edit};
    use crate::error::{Field, Problem};
    let caller = crate::server::caller::Caller::signed_in().await?;
    let intent = Intent::parse(&intent)
        .ok_or_else(|| AppError::invalid(Field::Version, Problem::NotAChoice))?;
    let edit = Edit {
        slug: &slug,
        locale: &locale,
        based_on,
        fields,
        intent,
    };
    let values = values(&caller.state);
    save(caller.db(), &caller.reader, edit, &values, caller.clock.now).await
}
