//! The ledgers read lately, kept between requests.
//!
//! A ledger is append-only: the database refuses to change or delete an
//! entry. So a case's ledger that holds as many entries as when it was read,
//! up to the same last one, is the very ledger that was read, and the views
//! ask the database only that (one small query for all their cases) before
//! they use the entries they kept. A case with a new entry is read again.

use std::sync::Arc;

use entity::ledger_entries;
use quick_cache::sync::Cache;
use quick_cache::Weighter;
use sea_orm::sea_query::{Expr, ExprTrait, Query, QueryStatementBuilder};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::record::{CaseRecord, CaseRecords};
use super::store::StoreError;

/// Entries kept at most, over every case (a 20-year weekly case has about
/// 2,000; a kept entry takes about 150 bytes).
const ENTRIES_KEPT: u64 = 200_000;

/// The ledgers (entries and notes) of the cases read lately, by case id.
pub struct LedgerMemory {
    kept: Cache<i32, Arc<Kept>, ByEntries>,
}

/// A case's ledger as read, and how to tell it is still whole.
struct Kept {
    version: LedgerVersion,
    record: CaseRecord,
}

/// A case's ledger as it stands: how many entries, up to which. Entries are
/// never changed or taken out, so two reads of the same version hold the
/// same entries, and what was worked out of one holds for the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LedgerVersion {
    count: i64,
    last: i64,
}

impl LedgerVersion {
    /// The version of a ledger of `count` entries up to `last` (none: no
    /// entries), as [`Self::columns`] read it.
    pub fn of_counted(count: i64, last: Option<i64>) -> Option<Self> {
        let last = last?;
        (count > 0).then_some(Self { count, last })
    }

    /// The count and the last id of the entries of the case whose id is
    /// `case_id`, as two columns for a query about cases: the versions come
    /// with the cases, in the same trip.
    pub fn columns(case_id: Expr) -> [Expr; 2] {
        let of = |expr: Expr| {
            let select = Query::select()
                .expr(expr)
                .from(ledger_entries::Entity)
                .and_where(
                    Expr::col((ledger_entries::Entity, ledger_entries::Column::CaseId))
                        .eq(case_id.clone()),
                )
                .to_owned();
            Expr::SubQuery(None, Box::new(select.into_sub_query_statement()))
        };
        let id = || Expr::col((ledger_entries::Entity, ledger_entries::Column::Id));
        [of(id().count()), of(id().max())]
    }

    /// The version of `record`'s ledger; none for a ledger without entries.
    fn of(record: &CaseRecord) -> Option<Self> {
        let last = record.entries.iter().map(|entry| entry.id).max()?;
        let count = i64::try_from(record.entries.len()).ok()?;
        Some(Self { count, last })
    }
}

#[derive(Clone)]
struct ByEntries;

impl Weighter<i32, Arc<Kept>> for ByEntries {
    fn weight(&self, _case: &i32, kept: &Arc<Kept>) -> u64 {
        kept.record.entries.len() as u64 + 1
    }
}

impl Default for LedgerMemory {
    fn default() -> Self {
        Self::new(ENTRIES_KEPT)
    }
}

impl std::fmt::Debug for LedgerMemory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LedgerMemory")
            .field("cases", &self.kept.len())
            .finish()
    }
}

impl LedgerMemory {
    /// Keeps at most `entries` entries.
    pub fn new(entries: u64) -> Self {
        // quick_cache sizes its tables by an estimate of the items it holds.
        let cases = usize::try_from(entries / 50).unwrap_or(usize::MAX).max(16);
        Self {
            kept: Cache::with_weighter(cases, entries, ByEntries),
        }
    }

    /// The ledgers of `case_ids` as the database holds them now: those kept
    /// and still whole as they are, the others read (and kept).
    pub async fn ledgers(
        &self,
        db: &impl ConnectionTrait,
        case_ids: impl IntoIterator<Item = i32>,
    ) -> Result<CaseRecords, StoreError> {
        let versions = Self::versions(db, case_ids).await?;
        self.ledgers_at(db, versions).await
    }

    /// The ledgers of cases whose versions were just read (with the cases,
    /// [`LedgerVersion::columns`]): those kept at that version as they are,
    /// the others read (and kept).
    pub async fn ledgers_at(
        &self,
        db: &impl ConnectionTrait,
        versions: impl IntoIterator<Item = (i32, LedgerVersion)>,
    ) -> Result<CaseRecords, StoreError> {
        let mut files = CaseRecords::default();
        let mut changed = Vec::new();
        for (case, version) in versions {
            match self.kept.get(&case) {
                Some(kept) if kept.version == version => {
                    files.put(case, kept.record.clone());
                }
                _ => changed.push(case),
            }
        }
        if !changed.is_empty() {
            for (case, record) in CaseRecords::ledgers(db, changed).await?.into_inner() {
                self.keep(case, &record);
                files.put(case, record);
            }
        }
        Ok(files)
    }

    /// The ledger of one case, and its version (none: no entries yet).
    pub async fn ledger(
        &self,
        db: &impl ConnectionTrait,
        case_id: i32,
    ) -> Result<(CaseRecord, Option<LedgerVersion>), StoreError> {
        let version = self.version(db, case_id).await?;
        self.ledger_at(db, case_id, version).await
    }

    /// The ledger of one case whose version was just read (none: it had no
    /// entries), with the version of what is returned: a ledger that grew
    /// meanwhile is read whole, as it is now.
    pub async fn ledger_at(
        &self,
        db: &impl ConnectionTrait,
        case_id: i32,
        version: Option<LedgerVersion>,
    ) -> Result<(CaseRecord, Option<LedgerVersion>), StoreError> {
        let Some(version) = version else {
            return Ok((CaseRecord::default(), None));
        };
        let record = self
            .ledgers_at(db, [(case_id, version)])
            .await?
            .take(case_id);
        let version = LedgerVersion::of(&record);
        Ok((record, version))
    }

    /// The version of the ledger of `case_id` in the database now (none:
    /// no entries yet): one small query.
    pub async fn version(
        &self,
        db: &impl ConnectionTrait,
        case_id: i32,
    ) -> Result<Option<LedgerVersion>, StoreError> {
        Ok(Self::versions(db, [case_id])
            .await?
            .pop()
            .map(|(_, version)| version))
    }

    /// The versions of the ledgers of `case_ids` that have entries.
    async fn versions(
        db: &impl ConnectionTrait,
        case_ids: impl IntoIterator<Item = i32>,
    ) -> Result<Vec<(i32, LedgerVersion)>, StoreError> {
        Ok(ledger_entries::Entity::find()
            .select_only()
            .column(ledger_entries::Column::CaseId)
            .expr(ledger_entries::Column::Id.count())
            .expr(ledger_entries::Column::Id.max())
            .filter(ledger_entries::Column::CaseId.is_in(case_ids))
            .group_by(ledger_entries::Column::CaseId)
            .into_tuple::<(i32, i64, i64)>()
            .all(db)
            .await?
            .into_iter()
            .map(|(case, count, last)| (case, LedgerVersion { count, last }))
            .collect())
    }

    fn keep(&self, case: i32, record: &CaseRecord) {
        let Some(version) = LedgerVersion::of(record) else {
            return;
        };
        let kept = Kept {
            version,
            // Read by `CaseRecords::ledgers`: entries and notes only.
            record: record.clone(),
        };
        self.kept.insert(case, Arc::new(kept));
    }
}
