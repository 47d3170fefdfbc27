//! Changing a case's order: the new terms checked against the case, shown
//! for review, then the order, its obligations and the recharged months
//! stored in one transaction with its audit line.

use chrono::{NaiveDate, Utc};
use entity::{cases, obligations, orders};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
    TransactionTrait,
};

use crate::caseworker::model::{OrderForm, OrderReview};
use crate::caseworker::rules::{read_order, ProposedOrder};
use crate::error::AppError;
use crate::ledger::accrual::{recharge, Obligation, Order, Recharge};
use crate::ledger::{in_force, Allocation, Entry, EntryKind, Money, ObligationKind, Schedule};
use crate::reader::User;
use crate::server::access::{authorize, CaseAction};
use crate::server::audit::{self, AuditAction, AuditEvent, Source};
use crate::server::caller::Caller;
use crate::server::internal;
use crate::server::ledger::case_entries;
use crate::server::ledger::store::{case_orders, charge_row, reversal_row};
use crate::server::secret::form_key;

use super::ledger_key;

/// New terms checked against the case, before anything is stored.
struct OrderPlan {
    case: cases::Model,
    /// The request the terms answer, open to them.
    request: Option<entity::support_requests::Model>,
    proposed: ProposedOrder,
}

impl OrderPlan {
    async fn check(
        db: &impl ConnectionTrait,
        reader: &User,
        case_number: &str,
        form: &OrderForm,
        today: NaiveDate,
    ) -> Result<Self, AppError> {
        let case = authorize(db, db, reader, case_number, CaseAction::ChangeOrder)
            .await?
            .case;
        let mut proposed = read_order(form, today, case.opened_on)?;
        let request = crate::requests::service::steps::settling(db, case.id, &form.request).await?;
        let (orders, _) = case_orders(db, case.id).await.map_err(internal)?;
        proposed.schedule = due_day_kept(&proposed, &orders);
        Ok(Self {
            case,
            request,
            proposed,
        })
    }

    /// The new order, its obligations numbered by `ids` (child support,
    /// medical support, arrears payment).
    fn order(&self, ids: [i64; 3]) -> Order {
        let proposed = &self.proposed;
        let terms = [
            (ObligationKind::ChildSupport, Some(proposed.child_support)),
            (ObligationKind::MedicalSupport, proposed.medical_support),
            (ObligationKind::ArrearsPayment, proposed.arrears_payment),
        ];
        Order {
            effective_on: proposed.effective_on,
            ends_on: None,
            obligations: terms
                .into_iter()
                .zip(ids)
                .filter_map(|((kind, amount), id)| {
                    Some(Obligation {
                        id,
                        kind,
                        amount: amount?,
                        schedule: proposed.schedule,
                    })
                })
                .collect(),
        }
    }
}

/// The schedule of new terms: the due day of the order in force on their
/// effective date, when the caseworker keeps it and they fall due as often;
/// otherwise the effective date's own day.
fn due_day_kept(proposed: &ProposedOrder, orders: &[Order]) -> Schedule {
    let in_force_then = in_force(orders, proposed.effective_on)
        .and_then(|order| order.obligations.iter().min_by_key(|o| o.kind))
        .map(|main| main.schedule);
    match in_force_then {
        Some(schedule)
            if proposed.keep_due_day && schedule.frequency == proposed.schedule.frequency =>
        {
            schedule
        }
        _ => proposed.schedule,
    }
}

/// A case's ledger, orders and children's emancipation dates as the
/// database holds them: what new terms are checked against.
struct CaseLedger {
    entries: Vec<Entry>,
    orders: Vec<Order>,
    emancipations: Vec<NaiveDate>,
}

impl CaseLedger {
    async fn read(db: &impl ConnectionTrait, case_id: i32) -> Result<Self, AppError> {
        let entries = case_entries(db, case_id).await.map_err(internal)?;
        let (orders, emancipations) = case_orders(db, case_id).await.map_err(internal)?;
        Ok(Self {
            entries,
            orders,
            emancipations,
        })
    }

    /// What `new` terms do to the ledger through `today`.
    fn recharge(&self, new: Order, today: NaiveDate) -> Recharge {
        let mut after = self.orders.clone();
        after.push(new);
        recharge(
            &self.entries,
            &self.orders,
            &after,
            &self.emancipations,
            today,
        )
    }

    /// The balance now and after `recharge`.
    fn balances(&self, recharge: &Recharge, today: NaiveDate) -> (Money, Money) {
        let before = Allocation::replay(&self.entries, today).balance();
        let mut after = self.entries.clone();
        let mut next = after.iter().map(|e| e.id).max().unwrap_or(0);
        let mut push = |kind, amount, effective, key: String| {
            next += 1;
            after.push(Entry {
                id: next,
                key,
                kind,
                amount,
                effective,
            });
        };
        for entry in &recharge.reverse {
            push(
                EntryKind::Reversal { reverses: *entry },
                Money::ZERO,
                today,
                format!("~reverse:{entry}"),
            );
        }
        for due in &recharge.charge {
            push(
                EntryKind::Charge {
                    obligation: due.kind,
                },
                due.amount,
                due.on,
                due.key(),
            );
        }
        (before, Allocation::replay(&after, today).balance())
    }
}

/// What new order terms will do, to confirm; nothing is stored.
pub async fn review_order(
    caller: &Caller,
    case_number: &str,
    form: &OrderForm,
) -> Result<OrderReview, AppError> {
    let (db, reader, today) = (caller.db(), &caller.reader, caller.clock.today());
    let plan = OrderPlan::check(db, reader, case_number, form, today).await?;
    let ledger = CaseLedger::read(db, plan.case.id).await?;
    // Numbers no stored obligation has, for the review only.
    let recharge = ledger.recharge(plan.order([-1, -2, -3]), today);
    let (balance_before, balance_after) = ledger.balances(&recharge, today);
    let proposed = &plan.proposed;
    Ok(OrderReview {
        case_number: plan.case.case_number.clone(),
        effective_on: proposed.effective_on,
        frequency: proposed.schedule.frequency,
        schedule: proposed.schedule,
        child_support: proposed.child_support,
        medical_support: proposed.medical_support,
        arrears_payment: proposed.arrears_payment,
        reference: proposed.reference.clone(),
        reason: proposed.reason.clone(),
        recharged: u32::try_from(recharge.reverse.len()).unwrap_or(u32::MAX),
        balance_before,
        balance_after,
        request: match &plan.request {
            Some(request) => Some((
                request.id,
                crate::requests::rules::RequestKind::parse(&request.kind)
                    .ok_or_else(|| internal(format!("request {} kind", request.id)))?,
            )),
            None => None,
        },
        key: form_key(),
    })
}

/// Stores new order terms from their effective date: the order and its
/// obligations, reversals of the charges they change, the charges due under
/// them through today, and the audit line — in one transaction that first
/// locks the case and then reads its ledger, so that accrual (which locks
/// the cases it charges) can neither slip a charge of the old terms in
/// between nor miss the new ones. Sent twice, the same form stores one order.
pub async fn change_order(
    caller: &Caller,
    case_number: &str,
    form: &OrderForm,
    key: &str,
) -> Result<(), AppError> {
    let (db, reader, today) = (caller.db(), &caller.reader, caller.clock.today());
    let key = ledger_key(key)?;
    let plan = OrderPlan::check(db, reader, case_number, form, today).await?;
    let txn = db.begin().await?;
    cases::Entity::find_by_id(plan.case.id)
        .lock_exclusive()
        .one(&txn)
        .await?;
    let already = orders::Entity::find()
        .filter(orders::Column::IdempotencyKey.eq(key.as_str()))
        .one(&txn)
        .await?;
    if let Some(order) = already {
        return match order.case_id == plan.case.id {
            true => Ok(()),
            false => Err(AppError::FormUsed),
        };
    }
    // The ledger and orders as they stand, read under the case's lock.
    let ledger = CaseLedger::read(&txn, plan.case.id).await?;
    let now = Utc::now();
    let proposed = &plan.proposed;
    let order = orders::ActiveModel {
        case_id: Set(plan.case.id),
        source: Set("agency".into()),
        reference: Set(proposed.reference.clone()),
        effective_on: Set(proposed.effective_on),
        ends_on: Set(None),
        idempotency_key: Set(Some(key.clone())),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut ids = [0_i64; 3];
    for (slot, (kind, amount)) in ids.iter_mut().zip([
        (ObligationKind::ChildSupport, Some(proposed.child_support)),
        (ObligationKind::MedicalSupport, proposed.medical_support),
        (ObligationKind::ArrearsPayment, proposed.arrears_payment),
    ]) {
        if let Some(amount) = amount {
            *slot = i64::from(
                insert_obligation(&txn, order.id, kind, amount, proposed.schedule).await?,
            );
        }
    }
    let recharge = ledger.recharge(plan.order(ids), today);
    for entry in &recharge.reverse {
        let key = format!("order:{}:reverses:{entry}", order.id);
        let by = reader.person_id;
        reversal_row(plan.case.id, *entry, today, key, &proposed.reason, by, now)
            .insert(&txn)
            .await?;
    }
    for due in &recharge.charge {
        charge_row(plan.case.id, due, now)?.insert(&txn).await?;
    }
    let event = AuditEvent::new(AuditAction::OrderChanged)
        .by(reader.person_id)
        .on_case(plan.case.id)
        .detail(format!(
            "order {} from {}: {} charges reversed, {} charged",
            order.id,
            proposed.effective_on,
            recharge.reverse.len(),
            recharge.charge.len()
        ));
    audit::record(&txn, event, &Source::of_request(), now).await?;
    if let Some(request) = plan.request {
        crate::requests::service::steps::settle(&txn, request, order.id, reader, &key, now).await?;
    }
    txn.commit().await?;
    Ok(())
}

async fn insert_obligation(
    txn: &impl ConnectionTrait,
    order: i32,
    kind: ObligationKind,
    amount: Money,
    schedule: Schedule,
) -> Result<i32, AppError> {
    let row = obligations::ActiveModel {
        order_id: Set(order),
        kind: Set(kind.as_str().into()),
        amount_cents: Set(amount.cents().map_err(internal)?),
        frequency: Set(schedule.frequency.as_str().into()),
        anchor_day: Set(i16::from(schedule.anchor_day)),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(row.id)
}
