//! Rows ↔ domain: a stored entry becomes a `ledger::Entry`, a case's orders
//! become the terms accrual reads; and the reads that are not a whole case
//! file: what was written beside one entry, a caseload's balances in SQL.
//! (A caseworker's latest entries come from the kept record:
//! `CaseRecord::latest`.)

use std::collections::HashMap;

use crate::ledger::accrual::{Due, Obligation, Order};
use crate::ledger::{
    Entry, EntryKind, Frequency, Money, MoneyError, ObligationKind, PaymentSource, Schedule,
};
use chrono::{DateTime, NaiveDate, Utc};
use entity::{children, ledger_entries, obligations, orders};
use sea_orm::sea_query::{Expr, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, Set};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error(transparent)]
    Db(#[from] DbErr),
    /// An amount past what the table's cents hold.
    #[error(transparent)]
    Money(#[from] MoneyError),
    /// A value the table cannot hold: a bug upstream.
    #[error("{table}.{column} cannot hold {value}")]
    Unwritable {
        table: &'static str,
        column: &'static str,
        value: i64,
    },
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
) -> Result<ledger_entries::ActiveModel, StoreError> {
    let obligation = i32::try_from(due.obligation).map_err(|_| StoreError::Unwritable {
        table: "ledger_entries",
        column: "obligation_id",
        value: due.obligation,
    })?;
    let mut row =
        charge_without_obligation(case_id, due.kind, due.amount, due.on, due.key(), posted_at)?;
    row.obligation_id = Set(Some(obligation));
    Ok(row)
}

/// A charge as stored, of `kind`, under its one-time `key`: with no
/// obligation row (interest has none) and no note until the caller adds them.
pub fn charge_without_obligation(
    case_id: i32,
    kind: ObligationKind,
    amount: Money,
    on: NaiveDate,
    key: String,
    posted_at: DateTime<Utc>,
) -> Result<ledger_entries::ActiveModel, StoreError> {
    Ok(ledger_entries::ActiveModel {
        case_id: Set(case_id),
        kind: Set("charge".into()),
        amount_cents: Set(amount.cents()?),
        effective_on: Set(on),
        posted_at: Set(posted_at),
        obligation_id: Set(None),
        obligation_kind: Set(Some(kind.as_str().into())),
        source: Set(None),
        reference: Set(None),
        idempotency_key: Set(key),
        reverses: Set(None),
        note: Set(None),
        posted_by: Set(None),
        ..Default::default()
    })
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

/// How a reversal that a change of order makes is stored: it takes a charge
/// of the replaced terms out of history, for `note`'s reason.
pub fn reversal_row(
    case_id: i32,
    reverses: i64,
    on: NaiveDate,
    key: String,
    note: &str,
    posted_by: i32,
    posted_at: DateTime<Utc>,
) -> ledger_entries::ActiveModel {
    ledger_entries::ActiveModel {
        case_id: Set(case_id),
        kind: Set("reversal".into()),
        amount_cents: Set(0),
        effective_on: Set(on),
        posted_at: Set(posted_at),
        idempotency_key: Set(key),
        reverses: Set(Some(reverses)),
        note: Set(Some(note.into())),
        posted_by: Set(Some(posted_by)),
        ..Default::default()
    }
}

/// What a person wrote beside an entry, and who posted it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    pub reference: Option<String>,
    pub note: Option<String>,
    /// A person's id; accrual's charges have none.
    pub posted_by: Option<i32>,
}

impl Written {
    pub(super) fn of(row: ledger_entries::Model) -> Self {
        Written {
            reference: row.reference,
            note: row.note,
            posted_by: row.posted_by,
        }
    }
}

/// What was written beside entry `id`, if there is such an entry.
pub async fn written(db: &impl ConnectionTrait, id: i64) -> Result<Option<Written>, StoreError> {
    Ok(ledger_entries::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Written::of))
}

/// What a balance is, in SQL: the same sum as [`Entry::balance_effect`]
/// over the entries no reversal cancelled. Cast, because Postgres sums
/// BIGINTs into NUMERIC.
const BALANCE_SQL: &str = "CAST(SUM(CASE \
    WHEN ledger_entries.kind = 'charge' AND ledger_entries.obligation_kind <> 'arrears_payment' \
        THEN ledger_entries.amount_cents \
    WHEN ledger_entries.kind = 'payment' THEN -ledger_entries.amount_cents \
    WHEN ledger_entries.kind = 'adjustment' THEN ledger_entries.amount_cents \
    ELSE 0 END) AS BIGINT)";
/// No live reversal cancels it: a reversal itself reversed (a re-instatement)
/// no longer counts.
const NOT_REVERSED_SQL: &str = "NOT EXISTS (SELECT 1 FROM ledger_entries AS reversal \
    WHERE reversal.reverses = ledger_entries.id \
    AND NOT EXISTS (SELECT 1 FROM ledger_entries AS reinstatement \
        WHERE reinstatement.reverses = reversal.id))";

/// A case's balance and the day of its latest posting by a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub balance: Money,
    pub last_posting: Option<NaiveDate>,
}

/// The standing of every case `case_ids` selects that has entries, summed
/// by the database in one grouped query (a caseload sorts thousands).
pub async fn standings(
    db: &impl ConnectionTrait,
    case_ids: SelectStatement,
) -> Result<HashMap<i32, Standing>, StoreError> {
    let rows: Vec<(i32, Option<i64>, Option<NaiveDate>)> = ledger_entries::Entity::find()
        .select_only()
        .column(ledger_entries::Column::CaseId)
        .column_as(Expr::cust(BALANCE_SQL), "balance")
        // A person's posting (not accrual's charges) is activity.
        .column_as(
            Expr::cust(
                "MAX(CASE WHEN ledger_entries.kind <> 'charge' \
                 THEN ledger_entries.effective_on END)",
            ),
            "last_posting",
        )
        .filter(ledger_entries::Column::CaseId.in_subquery(case_ids))
        .filter(Expr::cust(NOT_REVERSED_SQL))
        .group_by(ledger_entries::Column::CaseId)
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(case, balance, last_posting)| {
            // A group has at least one entry, and every term of the sum is
            // a number: no sum is a broken query, not a zero balance.
            let balance = balance.map(Money::from_cents).ok_or_else(|| {
                unreadable(
                    "ledger_entries",
                    i64::from(case),
                    "the case's balance is no sum",
                )
            })?;
            Ok((
                case,
                Standing {
                    balance,
                    last_posting,
                },
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::testing::{date, dollars};

    fn due(obligation: i64) -> Due {
        Due {
            obligation,
            kind: ObligationKind::ChildSupport,
            amount: dollars(400),
            on: date(2025, 3, 1),
            through: date(2025, 3, 31),
            part: None,
        }
    }

    #[test]
    fn a_charge_is_stored_under_its_obligation_and_key() {
        let row = charge_row(7, &due(12), Utc::now()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(row.obligation_id, Set(Some(12)));
        assert_eq!(row.idempotency_key, Set("charge:12:2025-03-01".to_owned()));
        assert_eq!(row.amount_cents, Set(40_000));
    }

    #[test]
    fn an_obligation_id_past_the_column_is_an_error_not_a_charge_without_one() {
        let refused = charge_row(7, &due(i64::from(i32::MAX) + 1), Utc::now());
        assert!(matches!(
            refused,
            Err(StoreError::Unwritable {
                column: "obligation_id",
                ..
            })
        ));
    }
}
