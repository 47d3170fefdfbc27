//! Asking: what the plan and change forms start from, and a parent's
//! request stored with its first event and told to the caseworker.

use super::{request_key, tell_other_parent};
use crate::error::{AppError, Field, Problem};
use crate::messages::rules::Topic;
use crate::messages::service::conversation::{append, new_thread};
use crate::notice::Kind;
use crate::reader::CaseRole;
use crate::requests::model::{ChangeFields, ChangeStart, PlanFields, PlanStart};
use crate::requests::rules::{
    documents, read_change, read_plan, reasons_to_str, Reason, RequestKind, RequestStatus,
};
use crate::server::access::CaseAction;
use crate::server::audit::{self, AuditAction, AuditEvent, Source};
use crate::server::caller::Caller;
use crate::server::internal;
use crate::server::ledger::store::case_orders;
use crate::server::notices::{notify, Notice};
use crate::server::secret::form_key;
use chrono::{DateTime, Days, NaiveDate, Utc};
use entity::{request_events, support_requests};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait,
};

/// What the payment-plan form needs: the paying parent's past-due support
/// and the order's pace. Only the paying parent proposes a plan.
pub async fn plan_start(caller: &Caller, case_number: &str) -> Result<PlanStart, AppError> {
    let authorized = caller.case(case_number, CaseAction::ProposePlan).await?;
    let (db, today) = (caller.db(), caller.clock.today());
    let case_number = authorized.case.case_number.clone();
    let (orders, emancipations) = case_orders(db, authorized.case.id)
        .await
        .map_err(internal)?;
    // No order in force: nothing to pay extra on.
    let basis = crate::balance::basis::planner_basis(&orders, &emancipations, today)
        .ok_or(AppError::Forbidden)?;
    let view = crate::balance::service::case_view(
        caller.reads(),
        &caller.state.ledgers,
        authorized.case,
        CaseRole::PayingParent,
        today,
        &caller.state.ledger,
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

/// The paying parent proposes a payment plan; the id of the request (the
/// same one again if this form was already sent).
pub async fn ask_plan(
    caller: &Caller,
    case_number: &str,
    form: &PlanFields,
    key: &str,
) -> Result<i32, AppError> {
    let authorized = caller.case(case_number, CaseAction::ProposePlan).await?;
    let plan = read_plan(
        &form.extra,
        &form.starts_on,
        &form.note,
        caller.clock.today(),
    )?;
    let asked = Asked {
        case: authorized.case.id,
        kind: RequestKind::PaymentPlan,
        extra_cents: Some(plan.extra.cents().map_err(internal)?),
        starts_on: Some(plan.starts_on),
        reasons: None,
        note: plan.note,
    };
    asked.store(caller, key).await
}

/// A parent asks for a change of support; the id of the request.
pub async fn ask_change(
    caller: &Caller,
    case_number: &str,
    form: &ChangeFields,
    key: &str,
) -> Result<i32, AppError> {
    let authorized = caller.case(case_number, CaseAction::AskAsParent).await?;
    let change = read_change(&form.reasons(), &form.note)?;
    let asked = Asked {
        case: authorized.case.id,
        kind: RequestKind::Modification,
        extra_cents: None,
        starts_on: None,
        reasons: Some(reasons_to_str(&change.reasons)),
        note: Some(change.note),
    };
    asked.store(caller, key).await
}

/// What the change-of-support form needs: the reasons and their documents.
pub async fn change_start(caller: &Caller, case_number: &str) -> Result<ChangeStart, AppError> {
    let authorized = caller.case(case_number, CaseAction::AskAsParent).await?;
    let policy = caller.state.requests;
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
    async fn store(self, caller: &Caller, key: &str) -> Result<i32, AppError> {
        let (db, reader, now) = (caller.db(), &caller.reader, caller.clock.now);
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
