//! Reading requests: one request with its events, documents and hearing,
//! and a case's requests for its page.

use super::{authorize_request, kind_of, status_of};
use crate::error::AppError;
use crate::ledger::accrual::in_force;
use crate::ledger::ObligationKind;
use crate::messages::service::files::thread_files;
use crate::reader::{CaseRole, User};
use crate::requests::model::{Hearing, RequestEvent, RequestSummary, RequestView};
use crate::requests::rules::{documents, reasons_from_str, RequestKind, RequestStatus, Step};
use crate::server::access::CaseAction;
use crate::server::clock::Clock;
use crate::server::internal;
use crate::server::ledger::store::case_orders;
use crate::server::people::names_of;
use crate::server::secret::form_key;
use entity::{orders, request_events, support_requests};
use leptos_router::location::Url;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// One request with its history and, for staff, what they may do next.
pub async fn open(
    db: &impl ConnectionTrait,
    reader: &User,
    id: i32,
    clock: Clock,
) -> Result<RequestView, AppError> {
    let (request, case, role) = authorize_request(db, reader, id).await?;
    let kind = kind_of(&request)?;
    let status = status_of(&request)?;
    let events = request_events::Entity::find()
        .filter(request_events::Column::RequestId.eq(request.id))
        .order_by_asc(request_events::Column::Id)
        .all(db)
        .await?;
    let names = names_of(
        db,
        events.iter().map(|e| e.by_id).chain([request.requester_id]),
    )
    .await?;
    let history: Vec<RequestEvent> = events
        .iter()
        .map(|event| {
            Ok(RequestEvent {
                status: RequestStatus::parse(&event.status)
                    .ok_or_else(|| internal(format!("request event {} status", event.id)))?,
                at: clock.local(event.at),
                by: names.get(&event.by_id).cloned().unwrap_or_default(),
                note: event.note.clone(),
                hearing: hearing_of(event, clock),
            })
        })
        .collect::<Result<_, AppError>>()?;
    let hearing = history.iter().rev().find_map(|e| e.hearing.clone());
    let reasons = request
        .reasons
        .as_deref()
        .map(reasons_from_str)
        .unwrap_or_default();
    let staff = role.may(CaseAction::ChangeOrder);
    let steps = match staff {
        true => Step::open(kind, status),
        false => Vec::new(),
    };
    let order_link = match steps.iter().any(|s| s.changes_order()) {
        true => Some(order_link(db, &request, &case, kind, clock).await?),
        false => None,
    };
    Ok(RequestView {
        id: request.id,
        case_number: case.case_number,
        kind,
        status,
        requester_name: names
            .get(&request.requester_id)
            .cloned()
            .unwrap_or_default(),
        asked_at: clock.local(request.created_at),
        plan: request
            .extra_cents
            .zip(request.starts_on)
            .map(|(cents, on)| (crate::ledger::Money::from_cents(cents), on)),
        documents: documents(&reasons),
        reasons,
        files: thread_files(db, request.thread_id).await?,
        thread: request.thread_id,
        history,
        hearing,
        steps,
        order_link,
        key: form_key(),
    })
}

/// The order form filled from the order in force and the request: a plan's
/// extra becomes the order's arrears payment from the plan's first day; a
/// change of support starts from today's terms, for the caseworker to edit.
async fn order_link(
    db: &impl ConnectionTrait,
    request: &support_requests::Model,
    case: &entity::cases::Model,
    kind: RequestKind,
    clock: Clock,
) -> Result<String, AppError> {
    let today = clock.now.with_timezone(&clock.zone).date_naive();
    let (orders_in_case, _) = case_orders(db, case.id).await.map_err(internal)?;
    let current = in_force(&orders_in_case, today);
    let reference = orders::Entity::find()
        .filter(orders::Column::CaseId.eq(case.id))
        .order_by_desc(orders::Column::EffectiveOn)
        .one(db)
        .await?
        .map(|order| order.reference)
        .unwrap_or_default();
    let amount = |kind: ObligationKind| {
        current
            .and_then(|order| order.obligations.iter().find(|o| o.kind == kind))
            .map(|o| o.amount.amount().to_string())
            .unwrap_or_default()
    };
    let frequency = current
        .and_then(|order| order.obligations.first())
        .map(|o| o.schedule.frequency.as_str())
        .unwrap_or("monthly");
    let (date, arrears, reason) = match kind {
        RequestKind::PaymentPlan => (
            request.starts_on.unwrap_or(today),
            request
                .extra_cents
                .map(|c| crate::ledger::Money::from_cents(c).amount().to_string())
                .unwrap_or_default(),
            format!("Payment plan request {} approved", request.id),
        ),
        RequestKind::Modification => (
            today,
            amount(ObligationKind::ArrearsPayment),
            format!("Change of support request {} decided", request.id),
        ),
    };
    let query = [
        ("date", date.to_string()),
        ("frequency", frequency.to_owned()),
        ("child_support", amount(ObligationKind::ChildSupport)),
        ("medical_support", amount(ObligationKind::MedicalSupport)),
        ("arrears_payment", arrears),
        ("reference", reference),
        ("reason", reason),
        ("request", request.id.to_string()),
    ];
    let encoded: Vec<String> = query
        .iter()
        .map(|(name, value)| format!("{name}={}", Url::escape(value)))
        .collect();
    Ok(format!(
        "/caseload/{}/order?{}",
        case.case_number,
        encoded.join("&")
    ))
}

/// The requests of a case the reader may know of, newest first: a parent's
/// own, and the other parent's changes of support (that one was asked,
/// its status and hearing only); every one for staff.
pub async fn case_requests(
    db: &impl ConnectionTrait,
    reader: &User,
    case_id: i32,
    role: CaseRole,
    clock: Clock,
) -> Result<Vec<RequestSummary>, AppError> {
    let requests = support_requests::Entity::find()
        .filter(support_requests::Column::CaseId.eq(case_id))
        .order_by_desc(support_requests::Column::Id)
        .all(db)
        .await?;
    let staff = role.may(CaseAction::ReadFile);
    let visible: Vec<support_requests::Model> = requests
        .into_iter()
        .filter(|r| {
            staff
                || r.requester_id == reader.person_id
                || r.kind == RequestKind::Modification.as_str()
        })
        .collect();
    let hearings = latest_hearings(db, visible.iter().map(|r| r.id), clock).await?;
    let names = names_of(db, visible.iter().map(|r| r.requester_id)).await?;
    visible
        .iter()
        .map(|request| {
            let openable = staff || request.requester_id == reader.person_id;
            Ok(RequestSummary {
                id: request.id,
                kind: kind_of(request)?,
                status: status_of(request)?,
                asked_at: clock.local(request.created_at),
                openable,
                hearing: hearings.get(&request.id).cloned(),
                requester_name: match openable {
                    true => names
                        .get(&request.requester_id)
                        .cloned()
                        .unwrap_or_default(),
                    false => String::new(),
                },
            })
        })
        .collect()
}

async fn latest_hearings(
    db: &impl ConnectionTrait,
    requests: impl IntoIterator<Item = i32>,
    clock: Clock,
) -> Result<HashMap<i32, Hearing>, AppError> {
    let requests: Vec<i32> = requests.into_iter().collect();
    if requests.is_empty() {
        return Ok(HashMap::new());
    }
    let events = request_events::Entity::find()
        .filter(request_events::Column::RequestId.is_in(requests))
        .filter(request_events::Column::HearingAt.is_not_null())
        .order_by_asc(request_events::Column::Id)
        .all(db)
        .await?;
    Ok(events
        .iter()
        .filter_map(|event| Some((event.request_id, hearing_of(event, clock)?)))
        .collect())
}

fn hearing_of(event: &request_events::Model, clock: Clock) -> Option<Hearing> {
    Some(Hearing {
        at: clock.local(event.hearing_at?),
        place: event.hearing_place.clone()?,
    })
}
