//! Server functions of requests. Each asks who is signed in and whether that
//! person may ask on the case, or see or move the request.

use leptos::prelude::*;

use super::model::{
    ChangeFields, ChangeStart, PlanFields, PlanStart, RequestSummary, RequestView, StepFields,
};
use crate::error::AppError;

/// What the payment-plan form needs (the paying parent only).
#[server(endpoint = "plan_start")]
pub async fn open_plan_form(case_number: String) -> Result<PlanStart, AppError> {
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    super::service::asking::plan_start(&caller, &case_number).await
}

/// The paying parent proposes a payment plan, then sees the request.
#[server(endpoint = "ask_plan")]
pub async fn ask_plan(
    case_number: String,
    #[server(flatten)] form: PlanFields,
    key: String,
) -> Result<(), AppError> {
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    let id = super::service::asking::ask_plan(&caller, &case_number, &form, &key).await?;
    leptos_axum::redirect(&format!("/requests/{id}"));
    Ok(())
}

/// What the change-of-support form needs.
#[server(endpoint = "change_start")]
pub async fn open_change_form(case_number: String) -> Result<ChangeStart, AppError> {
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    super::service::asking::change_start(&caller, &case_number).await
}

/// A parent asks for a change of support, then sees the request (and the
/// documents it needs).
#[server(endpoint = "ask_change")]
pub async fn ask_change(
    case_number: String,
    #[server(flatten)] form: ChangeFields,
    key: String,
) -> Result<(), AppError> {
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    let id = super::service::asking::ask_change(&caller, &case_number, &form, &key).await?;
    leptos_axum::redirect(&format!("/requests/{id}"));
    Ok(())
}

/// One request, for the parent who asked or the agency.
#[server(endpoint = "request")]
pub async fn open_request(id: i32) -> Result<RequestView, AppError> {
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    super::service::reading::open(caller.db(), &caller.reader, id, caller.clock).await
}

/// The requests of a case the reader may know of.
#[server(endpoint = "case_requests")]
pub async fn case_requests(case_number: String) -> Result<Vec<RequestSummary>, AppError> {
    use crate::server::access::CaseAction;
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    let case = caller.case(&case_number, CaseAction::View).await?;
    super::service::reading::case_requests(
        caller.reads(),
        &caller.reader,
        case.case.id,
        case.role,
        caller.clock,
    )
    .await
}

/// Staff move a request on (start a review, set a hearing, decline, deny).
#[server(endpoint = "request_step")]
pub async fn request_step(
    id: i32,
    step: String,
    #[server(flatten)] form: StepFields,
    key: String,
) -> Result<(), AppError> {
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    let (db, reader, clock) = (caller.db(), &caller.reader, caller.clock);
    super::service::steps::take_step(db, reader, id, &step, &form, &key, clock).await?;
    leptos_axum::redirect(&format!("/requests/{id}"));
    Ok(())
}
