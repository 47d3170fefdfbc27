//! A case record: what the ledger and the orders hold for a case, read once
//! for every view of it (the dashboard's cards, the case page, the history,
//! the statement, the check of a whole caseload).

use std::cmp::Reverse;
use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use entity::{children, ledger_entries, obligations, orders};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect,
};

use super::memory::{LedgerMemory, LedgerVersion};
use super::store::{assemble_orders, entry_from_row, StoreError, Written};
use crate::ledger::accrual::Order;
use crate::ledger::{Allocation, Entry, EntryKind};

/// What the ledger and the orders hold for one case.
#[derive(Debug, Default, Clone)]
pub struct CaseRecord {
    /// In the order they were posted.
    pub entries: Vec<Entry>,
    /// What people wrote beside entries (a note: why an adjustment,
    /// reversal or hold), and who posted them, by entry; only entries a
    /// person posted or wrote on.
    pub written: HashMap<i64, Written>,
    pub orders: Vec<orders::Model>,
    pub obligations: Vec<obligations::Model>,
    /// Oldest first.
    pub children: Vec<children::Model>,
}

impl CaseRecord {
    /// The orders as the ledger rules read them.
    pub fn terms(&self) -> Result<Vec<Order>, StoreError> {
        assemble_orders(&self.orders, &self.obligations)
    }

    /// The days the children stop being owed support.
    pub fn emancipations(&self) -> Vec<NaiveDate> {
        self.children.iter().map(|c| c.emancipates_on).collect()
    }

    /// The note written beside entry `id`, if any.
    pub fn note(&self, id: i64) -> Option<String> {
        self.written
            .get(&id)
            .and_then(|written| written.note.clone())
    }

    /// The latest `limit` entries by date (then by posting), with what was
    /// written beside them and whether they are out of history, as the
    /// ledger's rules decide it for every other view of the case.
    pub fn latest(&self, limit: usize) -> Vec<RecentEntry> {
        let out_of_history = Allocation::replay(&self.entries, NaiveDate::MAX).reversed;
        let mut newest_first: Vec<&Entry> = self.entries.iter().collect();
        newest_first.sort_by_key(|entry| Reverse((entry.effective, entry.id)));
        newest_first
            .into_iter()
            .take(limit)
            .map(|entry| {
                let written = self.written.get(&entry.id).cloned().unwrap_or_default();
                RecentEntry::of(entry, &self.entries, &out_of_history, written)
            })
            .collect()
    }
}

/// One of a case's latest entries, as a caseworker reviews it.
#[derive(Debug, Clone)]
pub struct RecentEntry {
    pub entry: Entry,
    pub written: Written,
    /// Out of history: reversed, or a reversal itself retracted.
    pub reversed: bool,
    /// A reversal of a reversal: it puts an entry back.
    pub reinstates: bool,
}

impl RecentEntry {
    /// `entry` of the ledger `entries`, whose entries `out_of_history` no
    /// longer count ([`Allocation::reversed`]).
    pub fn of(
        entry: &Entry,
        entries: &[Entry],
        out_of_history: &BTreeSet<i64>,
        written: Written,
    ) -> Self {
        RecentEntry {
            entry: entry.clone(),
            written,
            reversed: out_of_history.contains(&entry.id),
            reinstates: matches!(
                entry.kind,
                EntryKind::Reversal { reverses } if entries.iter().any(|e| e.id == reverses
                    && matches!(e.kind, EntryKind::Reversal { .. }))
            ),
        }
    }
}

/// Every entry of a case, in the order they were posted.
pub async fn case_entries(
    db: &impl ConnectionTrait,
    case_id: i32,
) -> Result<Vec<Entry>, StoreError> {
    Ok(CaseRecords::ledger(db, case_id).await?.entries)
}

/// Case records for several cases, read with one query per table, however
/// many cases and however long their histories.
#[derive(Debug, Default)]
pub struct CaseRecords(HashMap<i32, CaseRecord>);

impl CaseRecords {
    /// Everything: ledgers, orders with their obligations, children.
    pub async fn load(
        db: &impl ConnectionTrait,
        case_ids: impl IntoIterator<Item = i32>,
    ) -> Result<Self, StoreError> {
        let case_ids: Vec<i32> = case_ids.into_iter().collect();
        let files = Self::ledgers(db, case_ids.iter().copied()).await?;
        files.with_terms(db, case_ids).await
    }

    /// The same, with the ledgers `kept` from earlier reads that are still
    /// whole (for the views; a posting reads [`Self::load`]).
    pub async fn recall(
        db: &impl ConnectionTrait,
        kept: &LedgerMemory,
        case_ids: impl IntoIterator<Item = i32>,
    ) -> Result<Self, StoreError> {
        let case_ids: Vec<i32> = case_ids.into_iter().collect();
        let files = kept.ledgers(db, case_ids.iter().copied()).await?;
        files.with_terms(db, case_ids).await
    }

    /// The same, for cases whose ledgers' versions came with them (a case
    /// without a version has no entries yet).
    pub async fn recall_at(
        db: &impl ConnectionTrait,
        kept: &LedgerMemory,
        cases: impl IntoIterator<Item = (i32, Option<LedgerVersion>)>,
    ) -> Result<Self, StoreError> {
        let cases: Vec<(i32, Option<LedgerVersion>)> = cases.into_iter().collect();
        let versions = cases
            .iter()
            .filter_map(|(case, version)| Some((*case, (*version)?)));
        let files = kept.ledgers_at(db, versions).await?;
        files
            .with_terms(db, cases.into_iter().map(|(case, _)| case).collect())
            .await
    }

    /// Adds the orders, their obligations and the children of `case_ids`.
    async fn with_terms(
        mut self,
        db: &impl ConnectionTrait,
        case_ids: Vec<i32>,
    ) -> Result<Self, StoreError> {
        // Each order with its obligations, in one query: a row per
        // obligation (one without any for an order that has none).
        let of_order = obligations::Entity::belongs_to(orders::Entity)
            .from(obligations::Column::OrderId)
            .to(orders::Column::Id)
            .into();
        let rows = orders::Entity::find()
            .join_rev(JoinType::LeftJoin, of_order)
            .select_also(obligations::Entity)
            .filter(orders::Column::CaseId.is_in(case_ids.clone()))
            .order_by_asc(orders::Column::EffectiveOn)
            .order_by_asc(orders::Column::Id)
            .order_by_asc(obligations::Column::Id)
            .all(db)
            .await?;
        for (order, obligation) in rows {
            let file = self.0.entry(order.case_id).or_default();
            if let Some(obligation) = obligation {
                file.obligations.push(obligation);
            }
            if file.orders.last().is_none_or(|last| last.id != order.id) {
                file.orders.push(order);
            }
        }
        for child in children::Entity::find()
            .filter(children::Column::CaseId.is_in(case_ids))
            .order_by_asc(children::Column::BornOn)
            .all(db)
            .await?
        {
            self.0
                .entry(child.case_id)
                .or_default()
                .children
                .push(child);
        }
        Ok(self)
    }

    /// Only the ledgers (entries and notes): the history needs no orders.
    pub async fn ledgers(
        db: &impl ConnectionTrait,
        case_ids: impl IntoIterator<Item = i32>,
    ) -> Result<Self, StoreError> {
        let mut files: HashMap<i32, CaseRecord> = HashMap::new();
        for row in ledger_entries::Entity::find()
            .filter(ledger_entries::Column::CaseId.is_in(case_ids))
            .order_by_asc(ledger_entries::Column::Id)
            .all(db)
            .await?
        {
            let (file, written_id) = (files.entry(row.case_id).or_default(), row.id);
            file.entries.push(entry_from_row(&row)?);
            let written = Written::of(row);
            if written != Written::default() {
                file.written.insert(written_id, written);
            }
        }
        Ok(Self(files))
    }

    /// The ledger of one case.
    pub async fn ledger(db: &impl ConnectionTrait, case_id: i32) -> Result<CaseRecord, StoreError> {
        Ok(Self::ledgers(db, [case_id]).await?.take(case_id))
    }

    /// The file of `case_id`; an empty one for a case with nothing on
    /// file yet (a new case: no entries, no orders).
    pub fn take(&mut self, case_id: i32) -> CaseRecord {
        self.0.remove(&case_id).unwrap_or_default()
    }

    /// Adds the file of `case_id`.
    pub fn put(&mut self, case_id: i32, file: CaseRecord) {
        self.0.insert(case_id, file);
    }

    /// Every file read, by case id.
    pub fn into_inner(self) -> HashMap<i32, CaseRecord> {
        self.0
    }
}
