//! Server-only glue: the state every request sees.

use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;

use crate::config::Agency;

/// Shared by the axum handlers and the server functions (through context).
#[derive(Clone, axum::extract::FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub agency: Agency,
}
