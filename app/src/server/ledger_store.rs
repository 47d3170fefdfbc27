//! Rows ↔ domain: a stored entry becomes a `ledger::Entry`, a case's orders
//! become the terms accrual reads. The server's accrual and posting, and the
//! pages' server functions, all read the ledger through here.

use std::collections::HashMap;

use crate::ledger::accrual::{Due, Obligation, Order};
use crate::ledger::{Entry, EntryKind, Frequency, Money, ObligationKind, PaymentSource, Schedule};
use chrono::{DateTime, NaiveDate, Utc};
use entity::{children, ledger_entries, obligations, orders};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error(transparent)]
    Db(#[from] DbErr),
    /// A row the domain cannot read: a bug or a hand-edited database.
    #[error("{table} row {id}: {problem}")]
    Unreadable {
        table: &'static str,
        id: i64,
        problem: String,
    },
}

fn unreadable(table: &'static str, id: i64, problem: impl Into<String>) -> StoreError {
    StoreError::Unreadable {
        table,
        id,
        problem: problem.into(),
    }
}

/// Every entry of a case, in the order they were posted.
pub async fn case_entries(
    db: &impl ConnectionTrait,
    case_id: i32,
) -> Result<Vec<Entry>, StoreError> {
    ledger_entries::Entity::find()
        .filter(ledger_entries::Column::CaseId.eq(case_id))
        .order_by_asc(ledger_entries::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(entry_from_row)
        .collect()
}

pub fn entry_from_row(row: &ledger_entries::Model) -> Result<Entry, StoreError> {
    let bad = |problem: &str| unreadable("ledger_entries", row.id, problem);
    let kind = match row.kind.as_str() {
        "charge" => EntryKind::Charge {
            obligation: row
                .obligation_kind
                .as_deref()
                .and_then(ObligationKind::parse)
                .ok_or_else(|| bad("a charge without a known obligation kind"))?,
        },
        "payment" => EntryKind::Payment {
            source: row
                .source
                .as_deref()
                .and_then(PaymentSource::parse)
                .ok_or_else(|| bad("a payment without a known source"))?,
        },
        "adjustment" => EntryKind::Adjustment,
        "reversal" => EntryKind::Reversal {
            reverses: row
                .reverses
                .ok_or_else(|| bad("a reversal that names no entry"))?,
        },
        "disbursement" => EntryKind::Disbursement,
        "hold" => EntryKind::Hold,
        "release" => EntryKind::Release,
        "fee" => EntryKind::Fee,
        other => return Err(bad(&format!("unknown kind `{other}`"))),
    };
    Ok(Entry {
        id: row.id,
        key: row.idempotency_key.clone(),
        kind,
        amount: Money::from_cents(row.amount_cents),
        effective: row.effective_on,
    })
}

/// The name a kind is stored under.
pub fn kind_name(kind: &EntryKind) -> &'static str {
    match kind {
        EntryKind::Charge { .. } => "charge",
        EntryKind::Payment { .. } => "payment",
        EntryKind::Adjustment => "adjustment",
        EntryKind::Reversal { .. } => "reversal",
        EntryKind::Disbursement => "disbursement",
        EntryKind::Hold => "hold",
        EntryKind::Release => "release",
        EntryKind::Fee => "fee",
    }
}

/// How a charge that fell due is stored (the id is left to the database).
pub fn charge_row(
    case_id: i32,
    due: &Due,
    posted_at: DateTime<Utc>,
) -> ledger_entries::ActiveModel {
    ledger_entries::ActiveModel {
        case_id: Set(case_id),
        kind: Set("charge".into()),
        amount_cents: Set(due.amount.cents()),
        effective_on: Set(due.on),
        posted_at: Set(posted_at),
        obligation_id: Set(i32::try_from(due.obligation).ok()),
        obligation_kind: Set(Some(due.kind.as_str().into())),
        source: Set(None),
        reference: Set(None),
        idempotency_key: Set(due.key()),
        reverses: Set(None),
        note: Set(None),
        posted_by: Set(None),
        ..Default::default()
    }
}

pub fn obligation_from_row(row: &obligations::Model) -> Result<Obligation, StoreError> {
    let bad = |problem: String| unreadable("obligations", i64::from(row.id), problem);
    let kind = ObligationKind::parse(&row.kind)
        .ok_or_else(|| bad(format!("unknown kind `{}`", row.kind)))?;
    let frequency = Frequency::parse(&row.frequency)
        .ok_or_else(|| bad(format!("unknown frequency `{}`", row.frequency)))?;
    let anchor_day = u8::try_from(row.anchor_day).map_err(|e| bad(e.to_string()))?;
    let schedule = Schedule::new(frequency, anchor_day).map_err(|e| bad(e.to_string()))?;
    Ok(Obligation {
        id: i64::from(row.id),
        kind,
        amount: Money::from_cents(row.amount_cents),
        schedule,
    })
}

/// A case's orders with their obligations, and its children's emancipation
/// dates: everything accrual needs to know what falls due.
pub async fn case_orders(
    db: &impl ConnectionTrait,
    case_id: i32,
) -> Result<(Vec<Order>, Vec<NaiveDate>), StoreError> {
    let orders = orders::Entity::find()
        .filter(orders::Column::CaseId.eq(case_id))
        .all(db)
        .await?;
    let obligations = obligations::Entity::find()
        .filter(obligations::Column::OrderId.is_in(orders.iter().map(|o| o.id)))
        .all(db)
        .await?;
    let emancipations = children::Entity::find()
        .filter(children::Column::CaseId.eq(case_id))
        .all(db)
        .await?
        .into_iter()
        .map(|child| child.emancipates_on)
        .collect();
    Ok((assemble_orders(&orders, &obligations)?, emancipations))
}

/// Groups obligations under their orders.
pub fn assemble_orders(
    orders: &[orders::Model],
    obligations: &[obligations::Model],
) -> Result<Vec<Order>, StoreError> {
    let mut by_order: HashMap<i32, Vec<Obligation>> = HashMap::new();
    for row in obligations {
        by_order
            .entry(row.order_id)
            .or_default()
            .push(obligation_from_row(row)?);
    }
    Ok(orders
        .iter()
        .map(|order| Order {
            effective_on: order.effective_on,
            ends_on: order.ends_on,
            obligations: by_order.remove(&order.id).unwrap_or_default(),
        })
        .collect())
}
