//! The caseworker's workspace in the database, one file a task: the
//! caseload, a case's file, posting, and changing an order.

pub mod case_file;
pub mod caseload;
pub mod order_change;
pub mod posting;

use crate::error::AppError;

/// The ledger key of a staff form's one-time key.
pub(super) fn ledger_key(key: &str) -> Result<String, AppError> {
    let key = key.trim();
    if key.is_empty() || key.len() > 64 {
        return Err(AppError::FormUsed);
    }
    Ok(format!("staff:{key}"))
}
