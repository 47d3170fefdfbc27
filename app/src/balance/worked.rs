//! Histories worked out lately, kept by the ledger they were worked from.
//!
//! A history's lines need the whole ledger replayed, whatever page is shown
//! (each line's running balance and what paid what come from everything
//! before it). A ledger whose version is the same holds the same entries
//! (`LedgerMemory`), so the lines worked out for a filter hold until the
//! case's next entry, and the next page, or the same page asked again, is a
//! slice of them.

use std::sync::Arc;

use quick_cache::sync::Cache;
use quick_cache::Weighter;

use super::history::{Filter, HistoryLine, Totals};
use crate::ledger::Position;
use crate::server::ledger::memory::LedgerVersion;

/// Lines kept at most, over every case and filter.
const LINES_KEPT: u64 = 100_000;

/// Every line a filter keeps of a case's ledger, oldest first, with the
/// totals and the balances either side.
#[derive(Debug)]
pub struct WorkedHistory {
    pub lines: Vec<HistoryLine>,
    pub totals: Totals,
    pub opening: Position,
    pub closing: Position,
}

type Key = (i32, LedgerVersion, Filter);

/// The histories worked out lately, by case, ledger version and filter.
pub struct WorkedHistories {
    kept: Cache<Key, Arc<WorkedHistory>, ByLines>,
}

#[derive(Clone)]
struct ByLines;

impl Weighter<Key, Arc<WorkedHistory>> for ByLines {
    fn weight(&self, _key: &Key, worked: &Arc<WorkedHistory>) -> u64 {
        worked.lines.len() as u64 + 1
    }
}

impl Default for WorkedHistories {
    fn default() -> Self {
        Self {
            kept: Cache::with_weighter(1_000, LINES_KEPT, ByLines),
        }
    }
}

impl std::fmt::Debug for WorkedHistories {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkedHistories")
            .field("kept", &self.kept.len())
            .finish()
    }
}

impl WorkedHistories {
    /// What was worked out of version `version` of the ledger of `case` for `filter`.
    pub fn get(
        &self,
        case: i32,
        version: LedgerVersion,
        filter: Filter,
    ) -> Option<Arc<WorkedHistory>> {
        self.kept.get(&(case, version, filter))
    }

    pub fn keep(
        &self,
        case: i32,
        version: LedgerVersion,
        filter: Filter,
        worked: Arc<WorkedHistory>,
    ) {
        self.kept.insert((case, version, filter), worked);
    }

    /// How many histories are kept.
    pub fn len(&self) -> usize {
        self.kept.len()
    }

    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }
}
