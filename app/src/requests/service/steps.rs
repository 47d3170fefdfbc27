//! The agency moves a request on (a step), and a payment plan is settled.

use super::{authorize_request, kind_of, request_key, status_of, tell_other_parent};
use crate::error::{AppError, Field, Problem};
use crate::messages::service::conversation::mark_answered;
use crate::notice::Kind;
use crate::reader::User;
use crate::requests::model::StepFields;
use crate::requests::rules::{read_hearing, read_reason, RequestKind, RequestStatus, Step};
use crate::server::access::CaseAction;
use crate::server::audit::{self, AuditAction, AuditEvent, Source};
use crate::server::clock::Clock;
use crate::server::notices::{notify, Notice};
use chrono::{DateTime, Utc};
use entity::{request_events, support_requests};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};

/// Staff move a request on: start a review, set a hearing, decline or deny
/// with a reason. Approvals and decisions go through new order terms
/// ([`settle`]). Sent twice, the same form moves it once.
pub async fn take_step(
    db: &DatabaseConnection,
    reader: &User,
    id: i32,
    step: &str,
    form: &StepFields,
    key: &str,
    clock: Clock,
) -> Result<(), AppError> {
    let (request, case, role) = authorize_request(db, reader, id).await?;
    if !role.may(CaseAction::ChangeOrder) {
        return Err(AppError::Forbidden);
    }
    let kind = kind_of(&request)?;
    let step = Step::parse(step.trim())
        .filter(|step| !step.changes_order())
        .ok_or_else(|| AppError::invalid(Field::Request, Problem::NotAChoice))?;
    let today = clock.today();
    let mut event = request_events::ActiveModel {
        request_id: Set(request.id),
        by_id: Set(reader.person_id),
        at: Set(clock.now),
        ..Default::default()
    };
    match step {
        Step::ScheduleHearing => {
            let hearing = read_hearing(&form.hearing_at, &form.place, today)?;
            let at = hearing
                .at
                .and_local_timezone(clock.zone)
                .earliest()
                .ok_or_else(|| AppError::invalid(Field::HearingAt, Problem::NotADate))?;
            event.hearing_at = Set(Some(at.with_timezone(&Utc)));
            event.hearing_place = Set(Some(hearing.place));
        }
        Step::Decline | Step::Deny => event.note = Set(Some(read_reason(&form.reason)?)),
        _ => {}
    }
    let key = format!("step:{}", request_key(key)?);
    if already_taken(db, &key, request.id).await? {
        return Ok(());
    }
    let status = step
        .apply(kind, status_of(&request)?)
        .ok_or_else(|| AppError::invalid(Field::Request, Problem::RequestMovedOn))?;
    event.status = Set(status.as_str().to_owned());
    event.idempotency_key = Set(Some(key));
    let txn = db.begin().await?;
    move_to(&txn, request, status, event, reader, case.id, clock.now).await?;
    Ok(txn.commit().await?)
}

/// A step's key was used: on this request (a resend), or on another (a
/// stale form).
async fn already_taken(
    db: &impl ConnectionTrait,
    key: &str,
    request: i32,
) -> Result<bool, AppError> {
    let used = request_events::Entity::find()
        .filter(request_events::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?;
    match used {
        Some(event) if event.request_id == request => Ok(true),
        Some(_) => Err(AppError::FormUsed),
        None => Ok(false),
    }
}

/// Appends `event` (moving the request to `status`, under its key), updates
/// the request's status, answers its conversation and writes the audit line.
async fn move_to(
    txn: &impl ConnectionTrait,
    request: support_requests::Model,
    status: RequestStatus,
    event: request_events::ActiveModel,
    reader: &User,
    case: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let id = request.id;
    let thread = request.thread_id;
    let event = event.insert(txn).await?;
    tell_of_step(txn, &request, status, event.id, now).await?;
    let mut changed: support_requests::ActiveModel = request.into();
    changed.status = Set(status.as_str().to_owned());
    changed.updated_at = Set(now);
    changed.update(txn).await?;
    mark_answered(txn, thread, now).await?;
    let audit_event = AuditEvent::new(AuditAction::RequestMoved)
        .by(reader.person_id)
        .on_case(case)
        .detail(format!("request {id}: {}", status.as_str()));
    audit::record(txn, audit_event, &Source::of_request(), now).await
}

/// The request an order form answers, checked before the order is stored:
/// on this case, and open to approval (a plan) or a decision (a change).
pub async fn settling(
    db: &impl ConnectionTrait,
    case: i32,
    request: &str,
) -> Result<Option<support_requests::Model>, AppError> {
    let request = request.trim();
    if request.is_empty() {
        return Ok(None);
    }
    let refused = || AppError::invalid(Field::Request, Problem::RequestMovedOn);
    let id: i32 = request.parse().map_err(|_| refused())?;
    let Some(found) = support_requests::Entity::find_by_id(id).one(db).await? else {
        return Err(refused());
    };
    if found.case_id != case {
        return Err(refused());
    }
    let step = match kind_of(&found)? {
        RequestKind::PaymentPlan => Step::Approve,
        RequestKind::Modification => Step::Decide,
    };
    match step.apply(kind_of(&found)?, status_of(&found)?) {
        Some(_) => Ok(Some(found)),
        None => Err(refused()),
    }
}

/// Marks `request` approved or decided by `order`, inside the transaction
/// that stores the order.
pub async fn settle(
    txn: &impl ConnectionTrait,
    request: support_requests::Model,
    order: i32,
    reader: &User,
    order_key: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let status = match kind_of(&request)? {
        RequestKind::PaymentPlan => RequestStatus::Approved,
        RequestKind::Modification => RequestStatus::Decided,
    };
    let event = request_events::ActiveModel {
        request_id: Set(request.id),
        status: Set(status.as_str().to_owned()),
        by_id: Set(reader.person_id),
        at: Set(now),
        order_id: Set(Some(order)),
        idempotency_key: Set(Some(format!("settle:{order_key}"))),
        ..Default::default()
    };
    let case = request.case_id;
    move_to(txn, request, status, event, reader, case, now).await
}

/// The requester hears of every step; the other parent of a change of
/// support hears of its hearing and its outcome.
async fn tell_of_step(
    txn: &impl ConnectionTrait,
    request: &support_requests::Model,
    status: RequestStatus,
    event: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let requester = request.requester_id;
    let notice = Notice {
        person: requester,
        kind: Kind::RequestChanged,
        case: Some(request.case_id),
        amount: None,
        status: Some(status.as_str()),
        link: format!("/requests/{}", request.id),
        dedupe: format!("request_event:{event}:{requester}"),
    };
    notify(txn, notice, now).await?;
    let told = matches!(
        status,
        RequestStatus::HearingScheduled | RequestStatus::Decided | RequestStatus::Denied
    );
    if request.kind == RequestKind::Modification.as_str() && told {
        let tag = format!("event:{event}");
        tell_other_parent(txn, request, requester, status, &tag, now).await?;
    }
    Ok(())
}
