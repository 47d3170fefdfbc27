//! Server-only glue: the state every request sees, who is asking, what they
//! may do, and the audit log.

pub mod access;
pub mod audit;
pub mod session;
pub mod user;

use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use sea_orm::DatabaseConnection;

use crate::config::{Agency, SecurityPolicy};
use crate::error::AppError;

/// Shared by the axum handlers and the server functions (through context).
#[derive(Clone, axum::extract::FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub agency: Agency,
    pub security: SecurityPolicy,
}

/// The state, inside a server function or a page rendered on the server.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| internal("AppState missing from context"))
}

/// Logs what went wrong and gives the person the plain "internal error".
pub fn internal(cause: impl std::fmt::Display) -> AppError {
    tracing::error!(%cause, "internal error");
    AppError::Internal
}

/// `?` on database calls: the cause goes to the log, not to the page.
impl From<sea_orm::DbErr> for AppError {
    fn from(error: sea_orm::DbErr) -> Self {
        internal(error)
    }
}
