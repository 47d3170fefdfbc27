//! Caseworkers' server functions. Each asks who is signed in and what they
//! may do on the case before it reads or changes anything; the service
//! checks again inside (one rule, `server::access`).

use leptos::prelude::*;

pub use super::model::AuditLine;
use super::model::{
    CaseFile, CaseForm, Caseload, OrderForm, OrderReview, PostingForm, PostingReview,
};
pub use crate::account::model::IssuedPin;
use crate::error::AppError;

/// The reader's caseload, narrowed and sorted, a page at a time.
#[server(endpoint = "caseload")]
pub async fn my_caseload(
    search: Option<String>,
    sort: Option<String>,
    page: Option<u32>,
) -> Result<Caseload, AppError> {
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    super::service::caseload::caseload(
        caller.db(),
        &caller.reader,
        search.as_deref().unwrap_or_default(),
        super::model::CaseloadSort::read(sort.as_deref().unwrap_or_default()),
        page.unwrap_or(1),
        caller.clock,
    )
    .await
}

/// The agency's file on a case (its caseworker and supervisors). Opening it
/// is on the case's audit log; a PIN issued a moment ago is shown this once.
#[server(endpoint = "case_file")]
pub async fn open_case_file(
    case_number: String,
    audit_page: Option<u32>,
) -> Result<CaseFile, AppError> {
    use crate::server::caller::Caller;
    use crate::server::once::{self, Once};
    let caller = Caller::signed_in().await?;
    let mut file =
        super::service::case_file::case_file(&caller, &case_number, audit_page.unwrap_or(1))
            .await?;
    let fresh: Option<crate::account::model::FreshPin> =
        once::take(Once::IssuedPin, caller.reader.account_id)?;
    file.fresh_pin = fresh.filter(|pin| pin.case_number == file.view.card.case_number);
    Ok(file)
}

/// Whether the reader may use `form` on the case: the blank forms ask
/// before anything is typed, so a case that is not the reader's is refused
/// (and the refusal recorded) at once.
#[server(endpoint = "may_use_form")]
pub async fn may_use_form(case_number: String, form: CaseForm) -> Result<(), AppError> {
    use crate::server::access::CaseAction;
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    let action = match form {
        CaseForm::Posting => CaseAction::Post,
        CaseForm::Order => CaseAction::ChangeOrder,
    };
    caller.case(&case_number, action).await.map(|_| ())
}

/// What a posting will do: checked, nothing stored.
#[server(endpoint = "review_posting")]
pub async fn review_posting(
    case_number: String,
    #[server(flatten)] form: PostingForm,
) -> Result<PostingReview, AppError> {
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    super::service::posting::review_posting(&caller, &case_number, &form).await
}

/// Posts a reviewed payment, adjustment, hold, release or reversal, then
/// goes back to the case.
#[server(endpoint = "post_entry")]
pub async fn post_entry(
    case_number: String,
    #[server(flatten)] form: PostingForm,
    key: String,
) -> Result<(), AppError> {
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    let id = super::service::posting::post(&caller, &case_number, &form, &key).await?;
    leptos_axum::redirect(&format!(
        "/caseload/{}?posted={id}",
        case_number.trim().to_ascii_uppercase()
    ));
    Ok(())
}

/// What new order terms will do: checked, nothing stored.
#[server(endpoint = "review_order")]
pub async fn review_order(
    case_number: String,
    #[server(flatten)] form: OrderForm,
) -> Result<OrderReview, AppError> {
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    super::service::order_change::review_order(&caller, &case_number, &form).await
}

/// Stores reviewed order terms, then goes back to the case (or to the
/// request the new terms answer).
#[server(endpoint = "change_order")]
pub async fn change_order(
    case_number: String,
    #[server(flatten)] form: OrderForm,
    key: String,
) -> Result<(), AppError> {
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    let answered: Option<i32> = form.request.trim().parse().ok();
    super::service::order_change::change_order(&caller, &case_number, &form, &key).await?;
    match answered {
        Some(request) => leptos_axum::redirect(&format!("/requests/{request}")),
        None => leptos_axum::redirect(&format!(
            "/caseload/{}?changed=order",
            case_number.trim().to_ascii_uppercase()
        )),
    }
    Ok(())
}

/// Issues a PIN to `person` on the case (voiding their earlier one). The
/// PIN is returned, and kept (sealed, in a cookie, never on the server)
/// until the case file shows it once, after the redirect.
#[server(endpoint = "issue_pin")]
pub async fn issue_pin(case_number: String, person: i32) -> Result<IssuedPin, AppError> {
    use crate::account::service::{activation, Attempt};
    use crate::server::caller::Caller;
    use crate::server::once::{self, Once};
    let caller = Caller::signed_in().await?;
    let attempt = Attempt::of_request(&caller.state);
    let fresh =
        activation::issue_pin(caller.db(), &attempt, &caller.reader, &case_number, person).await?;
    once::keep(Once::IssuedPin, caller.reader.account_id, &fresh)?;
    Ok(fresh.pin)
}

/// Who did what on the case, newest first (its caseworker and supervisors).
#[server(endpoint = "case_audit")]
pub async fn case_audit(
    case_number: String,
    page: Option<u32>,
) -> Result<Vec<AuditLine>, AppError> {
    use crate::server::access::CaseAction;
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    let case = caller.case(&case_number, CaseAction::ReadAudit).await?.case;
    let (lines, _) =
        super::service::case_file::audit_lines(caller.db(), case.id, page.unwrap_or(1)).await?;
    Ok(lines)
}
