//! Requests in the database. Who sees one: the parent who asked, the case's
//! caseworker and supervisors. The other parent of a change of support
//! learns that a review was asked for, where it stands and when the hearing
//! is — never the reasons, the words or the documents.

use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use entity::{orders, request_events, support_requests};
use leptos_router::location::Url;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};

use super::model::{ChangeStart, Hearing, PlanStart, RequestEvent, RequestSummary, RequestView};
use super::rules::{
    documents, read_change, read_hearing, read_plan, read_reason, reasons_from_str, reasons_to_str,
    Reason, RequestKind, RequestStatus, Step,
};
use crate::account::model::{CaseRole, User};
use crate::account::secret::random_code;
use crate::config::{LedgerPolicy, RequestPolicy};
use crate::error::{AppError, Field, Problem};
use crate::ledger::accrual::in_force;
use crate::ledger::ObligationKind;
use crate::messages::rules::Topic;
use crate::messages::service::{append, mark_answered, new_thread, thread_files, Clock};
use crate::notifications::model::Kind;
use crate::notifications::service::{notify, parents, Notice};
use crate::server::access::{authorize, missing, role_on_case, CaseAction};
use crate::server::audit::{self, AuditAction, AuditEvent, Source};
use crate::server::internal;
use crate::server::ledger_store::case_orders;
use crate::server::people::names_of;

/// A fresh one-time key for a request's form.
pub fn form_key() -> String {
    random_code(4, 5)
}

/// What the payment-plan form needs: the paying parent's past-due support
/// and the order's pace. Only the paying parent proposes a plan.
pub async fn plan_start(
    db: &impl ConnectionTrait,
    reader: &User,
    case_number: &str,
    today: NaiveDate,
    policy: &LedgerPolicy,
) -> Result<PlanStart, AppError> {
    let authorized = authorize(db, reader, case_number, CaseAction::View).await?;
    if authorized.role != CaseRole::PayingParent {
        return Err(AppError::Forbidden);
    }
    let case_number = authorized.case.case_number.clone();
    let (orders, emancipations) = case_orders(db, authorized.case.id)
        .await
        .map_err(internal)?;
    // No order in force: nothing to pay extra on.
    let basis = crate::balance::service::planner_basis(&orders, &emancipations, today)
        .ok_or(AppError::Forbidden)?;
    let view = crate::balance::service::case_view(
        db,
        authorized.case,
        CaseRole::PayingParent,
        today,
        policy,
        // The planner shows no "as of".
        chrono::NaiveDateTime::default(),
    )
    .await?;
    let past_due = view.past_due.map(|panel| panel.past_due);
    let next_due = basis
        .schedule
        .series_dates(
            basis.series_start,
            today.succ_opt().unwrap_or(today),
            today.checked_add_days(Days::new(62)).unwrap_or(today),
        )
        .first()
        .copied()
        .unwrap_or(today);
    Ok(PlanStart {
        case_number,
        past_due: past_due.unwrap_or_default(),
        current: basis.current,
        frequency: basis.schedule.frequency,
        ordered_extra: basis.ordered_extra,
        next_due,
        key: form_key(),
    })
}

/// The form of a plan request, as typed.
#[derive(Debug, Clone, Default)]
pub struct PlanForm {
    pub extra: String,
    pub starts_on: String,
    pub note: String,
}

/// The paying parent proposes a payment plan; the id of the request (the
/// same one again if this form was already sent).
pub async fn ask_plan(
    db: &DatabaseConnection,
    reader: &User,
    case_number: &str,
    form: &PlanForm,
    key: &str,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<i32, AppError> {
    let authorized = authorize(db, reader, case_number, CaseAction::View).await?;
    if authorized.role != CaseRole::PayingParent {
        return Err(AppError::Forbidden);
    }
    let plan = read_plan(&form.extra, &form.starts_on, &form.note, today)?;
    let asked = Asked {
        case: authorized.case.id,
        kind: RequestKind::PaymentPlan,
        extra_cents: Some(plan.extra.cents()),
        starts_on: Some(plan.starts_on),
        reasons: None,
        note: plan.note,
    };
    asked.store(db, reader, key, now).await
}

/// A parent asks for a change of support; the id of the request.
pub async fn ask_change(
    db: &DatabaseConnection,
    reader: &User,
    case_number: &str,
    reasons: &[String],
    note: &str,
    key: &str,
    now: DateTime<Utc>,
) -> Result<i32, AppError> {
    let authorized = authorize(db, reader, case_number, CaseAction::View).await?;
    if !matches!(
        authorized.role,
        CaseRole::PayingParent | CaseRole::ReceivingParent
    ) {
        return Err(AppError::Forbidden);
    }
    let change = read_change(reasons, note)?;
    let asked = Asked {
        case: authorized.case.id,
        kind: RequestKind::Modification,
        extra_cents: None,
        starts_on: None,
        reasons: Some(reasons_to_str(&change.reasons)),
        note: Some(change.note),
    };
    asked.store(db, reader, key, now).await
}

/// What the change-of-support form needs: the reasons and their documents.
pub async fn change_start(
    db: &impl ConnectionTrait,
    reader: &User,
    case_number: &str,
    policy: RequestPolicy,
) -> Result<ChangeStart, AppError> {
    let authorized = authorize(db, reader, case_number, CaseAction::View).await?;
    if !matches!(
        authorized.role,
        CaseRole::PayingParent | CaseRole::ReceivingParent
    ) {
        return Err(AppError::Forbidden);
    }
    Ok(ChangeStart {
        case_number: authorized.case.case_number,
        reasons: Reason::ALL
            .iter()
            .map(|reason| (*reason, documents(&[*reason])))
            .collect(),
        income_change_percent: policy.income_change_percent,
        review_after_months: policy.review_after_months,
        key: form_key(),
    })
}

/// A request as read from its form, to store.
struct Asked {
    case: i32,
    kind: RequestKind,
    extra_cents: Option<i64>,
    starts_on: Option<NaiveDate>,
    reasons: Option<String>,
    /// The conversation's first message, if the parent wrote one.
    note: Option<String>,
}

impl Asked {
    /// Stores the request, its conversation, the "received" event and the
    /// audit line in one transaction. One open request of a kind per parent
    /// and case: a second is refused with a link to the first.
    async fn store(
        self,
        db: &DatabaseConnection,
        reader: &User,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<i32, AppError> {
        let key = request_key(key)?;
        let existing = support_requests::Entity::find()
            .filter(support_requests::Column::IdempotencyKey.eq(key.as_str()))
            .one(db)
            .await?;
        if let Some(request) = existing {
            return match request.requester_id == reader.person_id && request.case_id == self.case {
                true => Ok(request.id),
                false => Err(AppError::FormUsed),
            };
        }
        let open = support_requests::Entity::find()
            .filter(support_requests::Column::CaseId.eq(self.case))
            .filter(support_requests::Column::RequesterId.eq(reader.person_id))
            .filter(support_requests::Column::Kind.eq(self.kind.as_str()))
            .all(db)
            .await?
            .into_iter()
            .any(|r| RequestStatus::parse(&r.status).is_some_and(|s| !s.is_final()));
        if open {
            return Err(AppError::invalid(Field::Request, Problem::AlreadyAsked));
        }
        let topic = match self.kind {
            RequestKind::PaymentPlan => Topic::PaymentPlan,
            RequestKind::Modification => Topic::ChangeOfSupport,
        };
        let txn = db.begin().await?;
        let thread = new_thread(&txn, self.case, reader.person_id, topic, now).await?;
        let thread_id = thread.id;
        if let Some(note) = self.note {
            let message_key = format!("{key}:note");
            append(&txn, reader, thread, self.case, note, &message_key, now).await?;
        }
        let request = support_requests::ActiveModel {
            case_id: Set(self.case),
            requester_id: Set(reader.person_id),
            kind: Set(self.kind.as_str().to_owned()),
            thread_id: Set(thread_id),
            extra_cents: Set(self.extra_cents),
            starts_on: Set(self.starts_on),
            reasons: Set(self.reasons),
            status: Set(RequestStatus::Received.as_str().to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            idempotency_key: Set(key),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        request_events::ActiveModel {
            request_id: Set(request.id),
            status: Set(RequestStatus::Received.as_str().to_owned()),
            by_id: Set(reader.person_id),
            at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let event = AuditEvent::new(AuditAction::RequestMade)
            .by(reader.person_id)
            .on_case(self.case)
            .detail(format!("request {} ({})", request.id, self.kind.as_str()));
        audit::record(&txn, event, &Source::of_request(), now).await?;
        tell_of_request(&txn, &request, reader.person_id, now).await?;
        txn.commit().await?;
        Ok(request.id)
    }
}

/// A request form's key, checked.
fn request_key(key: &str) -> Result<String, AppError> {
    let key = key.trim();
    if key.is_empty() || key.len() > 64 {
        return Err(AppError::FormUsed);
    }
    Ok(key.to_owned())
}

/// The request and the reader's role on its case, if the reader may see
/// it: the parent who asked, the case's caseworker, supervisors. Anyone
/// else — the other parent too — is refused as if it did not exist.
async fn authorize_request(
    db: &impl ConnectionTrait,
    reader: &User,
    id: i32,
) -> Result<(support_requests::Model, entity::cases::Model, CaseRole), AppError> {
    let refused = missing(reader);
    let Some((request, Some(case))) = support_requests::Entity::find_by_id(id)
        .find_also_related(entity::cases::Entity)
        .one(db)
        .await?
    else {
        return Err(refused);
    };
    let role = role_on_case(db, reader, &case).await?;
    match role {
        Some(role) if role.may(CaseAction::ReadFile) => Ok((request, case, role)),
        Some(role) if request.requester_id == reader.person_id => Ok((request, case, role)),
        _ => Err(refused),
    }
}

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

/// What a staff step's form carries besides the step.
#[derive(Debug, Clone, Default)]
pub struct StepForm {
    /// Why, for a decline or a denial.
    pub reason: String,
    /// A hearing: `YYYY-MM-DDTHH:MM`, local to the agency.
    pub hearing_at: String,
    pub place: String,
}

/// Staff move a request on: start a review, set a hearing, decline or deny
/// with a reason. Approvals and decisions go through new order terms
/// ([`settle`]). Sent twice, the same form moves it once.
pub async fn take_step(
    db: &DatabaseConnection,
    reader: &User,
    id: i32,
    step: &str,
    form: &StepForm,
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
    let today = clock.now.with_timezone(&clock.zone).date_naive();
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
    let txn = db.begin().await?;
    move_to(
        &txn, request, status, event, &key, reader, case.id, clock.now,
    )
    .await?;
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

/// Appends `event` (moving the request to `status`), updates the request's
/// status, answers its conversation and writes the audit line.
#[allow(clippy::too_many_arguments)]
async fn move_to(
    txn: &impl ConnectionTrait,
    request: support_requests::Model,
    status: RequestStatus,
    mut event: request_events::ActiveModel,
    key: &str,
    reader: &User,
    case: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let id = request.id;
    let thread = request.thread_id;
    event.idempotency_key = Set(Some(key.to_owned()));
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
        ..Default::default()
    };
    let case = request.case_id;
    let key = format!("settle:{order_key}");
    move_to(txn, request, status, event, &key, reader, case, now).await
}

/// A new request is news for the case's caseworker, and a change of
/// support for the other parent (that a review was asked, nothing more).
async fn tell_of_request(
    txn: &impl ConnectionTrait,
    request: &support_requests::Model,
    requester: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let case = entity::cases::Entity::find_by_id(request.case_id)
        .one(txn)
        .await?
        .ok_or_else(|| internal(format!("request {} has no case", request.id)))?;
    if let Some(caseworker) = case.caseworker_id {
        let notice = Notice {
            person: caseworker,
            kind: Kind::RequestReceived,
            case: Some(case.id),
            amount: None,
            status: None,
            link: format!("/requests/{}", request.id),
            dedupe: format!("request:{}:{caseworker}", request.id),
        };
        notify(txn, notice, now).await?;
    }
    if request.kind == RequestKind::Modification.as_str() {
        tell_other_parent(
            txn,
            request,
            requester,
            RequestStatus::Received,
            "asked",
            now,
        )
        .await?;
    }
    Ok(())
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
        status: Some(status),
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

async fn tell_other_parent(
    txn: &impl ConnectionTrait,
    request: &support_requests::Model,
    requester: i32,
    status: RequestStatus,
    tag: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let number = entity::cases::Entity::find_by_id(request.case_id)
        .one(txn)
        .await?
        .map(|case| case.case_number)
        .unwrap_or_default();
    for (person, _) in parents(txn, request.case_id).await? {
        if person == requester {
            continue;
        }
        let notice = Notice {
            person,
            kind: Kind::ReviewRequested,
            case: Some(request.case_id),
            amount: None,
            status: Some(status),
            link: format!("/cases/{number}"),
            dedupe: format!("review:{}:{tag}:{person}", request.id),
        };
        notify(txn, notice, now).await?;
    }
    Ok(())
}

fn hearing_of(event: &request_events::Model, clock: Clock) -> Option<Hearing> {
    Some(Hearing {
        at: clock.local(event.hearing_at?),
        place: event.hearing_place.clone()?,
    })
}

fn kind_of(request: &support_requests::Model) -> Result<RequestKind, AppError> {
    RequestKind::parse(&request.kind)
        .ok_or_else(|| internal(format!("request {} has kind {}", request.id, request.kind)))
}

fn status_of(request: &support_requests::Model) -> Result<RequestStatus, AppError> {
    RequestStatus::parse(&request.status).ok_or_else(|| {
        internal(format!(
            "request {} has status {}",
            request.id, request.status
        ))
    })
}
