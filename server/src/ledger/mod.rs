//! The ledger on the server: reading a case's entries into the domain types
//! of `app::ledger`, accruing charges, and posting payments and corrections.
//!
//! The rules live in `app::ledger`; this module only stores and loads.

pub mod accrual;
pub mod verify;
/// Reading and posting live with the app, whose server functions need them too.
pub use app::server::ledger_store as store;
pub use app::server::posting;

pub use accrual::{accrue, AccrualPlan, AccrualReport};
pub use posting::{post, NewEntry, PostingError};
pub use store::{case_entries, case_orders, StoreError};
