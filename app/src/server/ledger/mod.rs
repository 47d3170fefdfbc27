//! The ledger's store: the only code that reads or writes `ledger_entries`.
//!
//! The rules live in [`crate::ledger`] and know nothing of tables; this
//! module turns rows into its types and back. Every view reads a case
//! through [`record`], a person's posting goes through [`posting`], and
//! the charges that fall due through [`accrual`] (run each day by the
//! server's daily task).

pub mod accrual;
pub mod memory;
pub mod posting;
pub mod record;
pub mod store;
pub mod verify;

pub use accrual::{accrue, AccrualPlan, AccrualReport};
pub use memory::LedgerMemory;
pub use posting::{post, NewEntry, PostingError};
pub use record::case_entries;
pub use record::{CaseRecord, CaseRecords};
pub use store::{case_orders, StoreError};

use crate::error::AppError;

/// `?` on the store in a server function: the cause goes to the log.
impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        super::internal(error)
    }
}
