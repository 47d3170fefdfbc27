//! Posting a payment, an adjustment, a reversal or a disbursement: checked,
//! then appended in one transaction. Charges are accrual's alone.
//!
//! Every entry carries an idempotency key. Posting the same entry twice (a
//! retried request, a re-sent import file) returns the first result; the same
//! key on a different entry is refused.
//!
//! An entry a person posted is on the case's audit log, written in the same
//! transaction as the entry itself.
//!
//! Money sent on to a never-assistance family gives up the agency's yearly
//! service fee first ([`crate::ledger::fee`]): the sending is stored as what
//! was sent and, beside it under `<key>:fee`, what was kept — decided inside
//! the transaction that holds the case, so two sendings never both keep it.

use chrono::{NaiveDate, Utc};
use entity::{cases, ledger_entries};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter,
    QuerySelect, Set, SqlErr, TransactionTrait,
};
use thiserror::Error;

use super::record::case_entries;
use super::store::{entry_from_row, kind_name, StoreError};
use crate::error::AppError;
use crate::ledger::rules::{self, Refused};
use crate::ledger::{fee, Allocation, Entry, EntryKind, Money, Posted, ServiceFee};
use crate::server::audit::{self, AuditEvent, Source};

/// Longest reference and note a caseworker can type.
pub const MAX_REFERENCE: usize = 100;
pub const MAX_NOTE: usize = 2_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub case_id: i32,
    pub kind: EntryKind,
    /// Positive; adjustments are signed; reversals carry zero.
    pub amount: Money,
    pub effective: NaiveDate,
    pub reference: Option<String>,
    pub note: Option<String>,
    pub idempotency_key: String,
    pub posted_by: Option<i32>,
}

#[derive(Debug, Error)]
pub enum PostingError {
    /// Bad input, about one field of the form.
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: &'static str,
    },
    #[error("no case with id {0}")]
    NoSuchCase(i32),
    /// The key is already used by a different entry (id given).
    #[error("idempotency key already used by entry {0} with different details")]
    KeyConflict(i64),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The audit line or the parents' notification could not be written
    /// (its cause is logged).
    #[error("the audit log or a notification refused the entry")]
    Audit(AppError),
}

impl From<DbErr> for PostingError {
    fn from(error: DbErr) -> Self {
        PostingError::Store(StoreError::Db(error))
    }
}

fn invalid(field: &'static str, message: &'static str) -> PostingError {
    PostingError::Invalid { field, message }
}

/// Appends `entry` to its case's ledger, or returns the entry already posted
/// under its key. `today` is the agency's date: nothing is posted in the future.
pub async fn post<C: TransactionTrait<Transaction = DatabaseTransaction>>(
    db: &C,
    entry: NewEntry,
    today: NaiveDate,
    fee: Option<ServiceFee>,
) -> Result<Posted, PostingError> {
    post_audited(db, entry, today, fee, None).await
}

/// [`post`], and when the entry is new, `audit` (completed with the entry's
/// id) in the same transaction: neither is ever stored without the other.
pub async fn post_audited<C: TransactionTrait<Transaction = DatabaseTransaction>>(
    db: &C,
    entry: NewEntry,
    today: NaiveDate,
    fee: Option<ServiceFee>,
    audit: Option<(AuditEvent, Source)>,
) -> Result<Posted, PostingError> {
    check_fields(&entry, today)?;
    if matches!(entry.kind, EntryKind::Fee) {
        return Err(invalid(
            "kind",
            "the service fee is kept by the portal only",
        ));
    }
    let txn = db.begin().await?;
    if let Some(posted) = already_posted(&txn, &entry).await? {
        return Ok(posted);
    }
    // Postings on one case take turns (PostgreSQL; SQLite has one writer),
    // so the ledger read below is the one the new entry joins.
    let Some(case) = cases::Entity::find_by_id(entry.case_id)
        .lock_exclusive()
        .one(&txn)
        .await?
    else {
        return Err(PostingError::NoSuchCase(entry.case_id));
    };
    let entries = check_against_ledger(&txn, &entry).await?;
    let kept = match (entry.kind, fee) {
        (EntryKind::Disbursement, Some(fee)) if case.never_assistance => {
            let reversed = Allocation::replay(&entries, NaiveDate::MAX).reversed;
            fee::to_keep(fee, &entries, &reversed, entry.effective, entry.amount)
        }
        _ => Money::ZERO,
    };
    let rows = match kept.is_positive() {
        false => vec![entry.clone()],
        true => split_off_fee(&entry, kept),
    };
    let mut posted = None;
    for row in rows {
        match insert(&txn, &row, audit.clone()).await {
            Ok(id) => {
                posted.get_or_insert(id);
            }
            // Someone posted the same key between our check and our insert.
            Err(PostingError::Store(StoreError::Db(error)))
                if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) =>
            {
                drop(txn);
                let txn = db.begin().await?;
                return match already_posted(&txn, &entry).await? {
                    Some(posted) => Ok(posted),
                    None => Err(error.into()),
                };
            }
            Err(error) => return Err(error),
        }
    }
    let Some(id) = posted else {
        return Err(invalid("amount", "nothing to store"));
    };
    txn.commit().await?;
    Ok(Posted::New(id))
}

/// A sending that gives up `kept` as the fee: what was sent under the
/// sending's key, and what was kept beside it (the key holds the fee itself
/// when all of the sending was kept).
fn split_off_fee(sending: &NewEntry, kept: Money) -> Vec<NewEntry> {
    let fee = |key: String| NewEntry {
        kind: EntryKind::Fee,
        amount: kept,
        idempotency_key: key,
        note: Some(format!(
            "Yearly service fee, federal fiscal year {}",
            fee::fiscal_year(sending.effective)
        )),
        ..sending.clone()
    };
    let sent = sending.amount - kept;
    match sent.is_positive() {
        false => vec![fee(sending.idempotency_key.clone())],
        true => vec![
            NewEntry {
                amount: sent,
                ..sending.clone()
            },
            fee(format!("{}:fee", sending.idempotency_key)),
        ],
    }
}

/// Appends one entry, with its audit line and the notice it gives; its id.
async fn insert(
    txn: &DatabaseTransaction,
    entry: &NewEntry,
    audit: Option<(AuditEvent, Source)>,
) -> Result<i64, PostingError> {
    let amount_cents = (entry.amount.cents()).map_err(|_| invalid("amount", "is too large"))?;
    let row = ledger_entries::ActiveModel {
        case_id: Set(entry.case_id),
        kind: Set(kind_name(&entry.kind).into()),
        amount_cents: Set(amount_cents),
        effective_on: Set(entry.effective),
        posted_at: Set(Utc::now()),
        obligation_id: Set(None),
        obligation_kind: Set(None),
        source: Set(match entry.kind {
            EntryKind::Payment { source } => Some(source.as_str().into()),
            _ => None,
        }),
        reference: Set(entry.reference.clone()),
        idempotency_key: Set(entry.idempotency_key.clone()),
        reverses: Set(match entry.kind {
            EntryKind::Reversal { reverses } => Some(reverses),
            _ => None,
        }),
        note: Set(entry.note.clone()),
        posted_by: Set(entry.posted_by),
        ..Default::default()
    };
    let id = ledger_entries::Entity::insert(row)
        .exec(txn)
        .await?
        .last_insert_id;
    if let Some((event, source)) = audit {
        let event = event.on_case(entry.case_id).detail(format!("entry {id}"));
        audit::record(txn, event, &source, Utc::now())
            .await
            .map_err(PostingError::Audit)?;
    }
    let told = crate::server::notices::entry_posted(
        txn,
        entry.case_id,
        id,
        &entry.kind,
        entry.amount,
        entry.effective,
        Utc::now(),
    );
    told.await.map_err(PostingError::Audit)?;
    Ok(id)
}

fn check_fields(entry: &NewEntry, today: NaiveDate) -> Result<(), PostingError> {
    let key = entry.idempotency_key.trim();
    if key.is_empty() || key.len() > 200 {
        return Err(invalid("idempotency_key", "must be 1 to 200 characters"));
    }
    match entry.kind {
        EntryKind::Charge { .. } => {
            return Err(invalid("kind", "charges are posted by accrual only"))
        }
        EntryKind::Adjustment if entry.amount.is_zero() => {
            return Err(invalid("amount", "an adjustment cannot be zero"))
        }
        EntryKind::Adjustment => {}
        EntryKind::Reversal { .. } if !entry.amount.is_zero() => {
            return Err(invalid(
                "amount",
                "a reversal takes the amount of the entry it cancels",
            ))
        }
        EntryKind::Reversal { .. } => {}
        EntryKind::Payment { .. }
        | EntryKind::Disbursement
        | EntryKind::Hold
        | EntryKind::Release
        | EntryKind::Fee => {
            if !entry.amount.is_positive() {
                return Err(invalid("amount", "must be more than zero"));
            }
        }
    }
    if entry.effective > today {
        return Err(invalid("effective", "cannot be in the future"));
    }
    if entry
        .reference
        .as_ref()
        .is_some_and(|r| r.chars().count() > MAX_REFERENCE)
    {
        return Err(invalid("reference", "is longer than 100 characters"));
    }
    if entry
        .note
        .as_ref()
        .is_some_and(|n| n.chars().count() > MAX_NOTE)
    {
        return Err(invalid("note", "is longer than 2,000 characters"));
    }
    Ok(())
}

/// The entry already stored under this key, if any: the same entry means
/// "already posted", anything else is a conflict.
async fn already_posted(
    txn: &DatabaseTransaction,
    entry: &NewEntry,
) -> Result<Option<Posted>, PostingError> {
    let Some(earlier) = posted_under(txn, &entry.idempotency_key).await? else {
        return Ok(None);
    };
    let same = earlier.case_id == entry.case_id
        && earlier.entry.kind == entry.kind
        && earlier.entry.amount == entry.amount
        && earlier.entry.effective == entry.effective;
    if same {
        Ok(Some(Posted::AlreadyPosted(earlier.entry.id)))
    } else {
        Err(PostingError::KeyConflict(earlier.entry.id))
    }
}

/// An entry stored under an idempotency key, as it was posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Earlier {
    pub case_id: i32,
    pub posted_by: Option<i32>,
    /// A sending with the fee kept from it added back (a fee under the key
    /// itself was all of it).
    pub entry: Entry,
}

/// The entry first posted under `key`, if any.
pub async fn posted_under(
    db: &impl ConnectionTrait,
    key: &str,
) -> Result<Option<Earlier>, PostingError> {
    let Some(existing) = ledger_entries::Entity::find()
        .filter(ledger_entries::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let mut stored = entry_from_row(&existing)?;
    match stored.kind {
        EntryKind::Fee => stored.kind = EntryKind::Disbursement,
        EntryKind::Disbursement => {
            let beside = format!("{key}:fee");
            if let Some(kept) = ledger_entries::Entity::find()
                .filter(ledger_entries::Column::IdempotencyKey.eq(beside))
                .one(db)
                .await?
            {
                stored.amount += entry_from_row(&kept)?.amount;
            }
        }
        _ => {}
    }
    Ok(Some(Earlier {
        case_id: existing.case_id,
        posted_by: existing.posted_by,
        entry: stored,
    }))
}

/// The rules that depend on the entries already there ([`rules::check`]):
/// a reversal names a live entry of the same case, dated on or after it;
/// money released never exceeds money held.
async fn check_against_ledger(
    txn: &DatabaseTransaction,
    entry: &NewEntry,
) -> Result<Vec<Entry>, PostingError> {
    let entries = case_entries(txn, entry.case_id).await?;
    let proposed = Entry {
        id: entries.iter().map(|e| e.id).max().unwrap_or(0) + 1,
        key: entry.idempotency_key.clone(),
        kind: entry.kind,
        amount: entry.amount,
        effective: entry.effective,
    };
    rules::check(&entries, &proposed).map_err(|refused| match refused {
        Refused::BeforeEntry(_) => invalid(
            "effective",
            "a reversal cannot be dated before the entry it reverses",
        ),
        Refused::MoreThanHeld(_) => invalid("amount", "more is released than is held"),
        Refused::NoSuchEntry => invalid("reverses", "no such entry on this case"),
        Refused::AlreadyReversed | Refused::Reinstatement | Refused::NoEffect => {
            invalid("reverses", "this entry cannot be reversed")
        }
    })?;
    Ok(entries)
}
