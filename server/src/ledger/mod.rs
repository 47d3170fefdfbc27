//! The ledger on the server: reading a case's entries into the domain types
//! of `app::ledger`, accruing charges, and posting payments and corrections.
//!
//! The rules live in `app::ledger`; this module only stores and loads.

pub mod accrual;
pub mod posting;
pub mod store;

pub use accrual::{accrue, AccrualReport};
pub use posting::{post, NewEntry, PostingError};
pub use store::{case_entries, case_orders, StoreError};
