//! Server functions of requests. Each asks who is signed in and whether that
//! person may ask on the case, or see or move the request.

// A server function's arguments are its form's fields.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::model::{ChangeStart, PlanStart, RequestSummary, RequestView};
use crate::error::AppError;

/// What the payment-plan form needs (the paying parent only).
#[server(endpoint = "plan_start")]
pub async fn open_plan_form(case_number: String) -> Result<PlanStart, AppError> {
    use crate::server::{state, user};
    let reader = user::require().await?;
    let state = state()?;
    let today = state.agency_now().date_naive();
    super::service::asking::plan_start(&state.db, &reader, &case_number, today, &state.ledger).await
}

/// The paying parent proposes a payment plan, then sees the request.
#[server(endpoint = "ask_plan")]
pub async fn ask_plan(
    case_number: String,
    extra: String,
    starts_on: String,
    note: String,
    key: String,
) -> Result<(), AppError> {
    use crate::server::{state, user};
    let reader = user::require().await?;
    let state = state()?;
    let form = super::service::asking::PlanForm {
        extra,
        starts_on,
        note,
    };
    let now = state.agency_now();
    let id = super::service::asking::ask_plan(
        &state.db,
        &reader,
        &case_number,
        &form,
        &key,
        now.with_timezone(&chrono::Utc),
        now.date_naive(),
    )
    .await?;
    leptos_axum::redirect(&format!("/requests/{id}"));
    Ok(())
}

/// What the change-of-support form needs.
#[server(endpoint = "change_start")]
pub async fn open_change_form(case_number: String) -> Result<ChangeStart, AppError> {
    use crate::server::{state, user};
    let reader = user::require().await?;
    let state = state()?;
    super::service::asking::change_start(&state.db, &reader, &case_number, state.requests).await
}

/// A parent asks for a change of support, then sees the request (and the
/// documents it needs). Each reason is a checkbox: present when ticked.
#[server(endpoint = "ask_change")]
pub async fn ask_change(
    case_number: String,
    #[server(default)] income_change: Option<String>,
    #[server(default)] job_loss: Option<String>,
    #[server(default)] medical_insurance: Option<String>,
    #[server(default)] child_care: Option<String>,
    #[server(default)] living_arrangement: Option<String>,
    #[server(default)] time_since_review: Option<String>,
    note: String,
    key: String,
) -> Result<(), AppError> {
    use super::rules::Reason;
    use crate::server::{state, user};
    let reader = user::require().await?;
    let state = state()?;
    let ticked = [
        (Reason::IncomeChange, income_change),
        (Reason::JobLoss, job_loss),
        (Reason::MedicalInsurance, medical_insurance),
        (Reason::ChildCare, child_care),
        (Reason::LivingArrangement, living_arrangement),
        (Reason::TimeSinceReview, time_since_review),
    ];
    let reasons: Vec<String> = ticked
        .into_iter()
        .filter(|(_, box_value)| box_value.as_deref().is_some_and(|v| !v.is_empty()))
        .map(|(reason, _)| reason.as_str().to_owned())
        .collect();
    let id = super::service::asking::ask_change(
        &state.db,
        &reader,
        &case_number,
        &reasons,
        &note,
        &key,
        chrono::Utc::now(),
    )
    .await?;
    leptos_axum::redirect(&format!("/requests/{id}"));
    Ok(())
}

/// One request, for the parent who asked or the agency.
#[server(endpoint = "request")]
pub async fn open_request(id: i32) -> Result<RequestView, AppError> {
    use crate::server::{state, user};
    let reader = user::require().await?;
    let state = state()?;
    let clock = state.clock();
    super::service::reading::open(&state.db, &reader, id, clock).await
}

/// The requests of a case the reader may know of.
#[server(endpoint = "case_requests")]
pub async fn case_requests(case_number: String) -> Result<Vec<RequestSummary>, AppError> {
    use crate::server::access::{authorize, CaseAction};
    use crate::server::{state, user};
    let reader = user::require().await?;
    let state = state()?;
    let authorized = authorize(&state.db, &reader, &case_number, CaseAction::View).await?;
    let clock = state.clock();
    super::service::reading::case_requests(
        &state.db,
        &reader,
        authorized.case.id,
        authorized.role,
        clock,
    )
    .await
}

/// Staff move a request on (start a review, set a hearing, decline, deny).
#[server(endpoint = "request_step")]
pub async fn request_step(
    id: i32,
    step: String,
    #[server(default)] reason: String,
    #[server(default)] hearing_at: String,
    #[server(default)] place: String,
    key: String,
) -> Result<(), AppError> {
    use crate::server::{state, user};
    let reader = user::require().await?;
    let state = state()?;
    let form = super::service::steps::StepForm {
        reason,
        hearing_at,
        place,
    };
    let clock = state.clock();
    super::service::steps::take_step(&state.db, &reader, id, &step, &form, &key, clock).await?;
    leptos_axum::redirect(&format!("/requests/{id}"));
    Ok(())
}
