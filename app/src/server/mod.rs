//! Server-only glue: the state every request sees, who is asking, what they
//! may do, and the audit log.

pub mod access;
pub mod audit;
pub mod caller;
pub mod clock;
pub mod gate;
pub mod ledger;
pub mod notices;
pub mod once;
pub mod people;
pub mod read_log;
pub mod sealed;
pub mod secret;
pub mod session;
pub mod user;

use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use sea_orm::DatabaseConnection;

use crate::config::{Agency, LedgerPolicy, MessagePolicy, RequestPolicy, SecurityPolicy};
use crate::error::AppError;

/// Shared by the axum handlers and the server functions (through context).
#[derive(Clone, axum::extract::FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    /// Writes, and reads whose answer decides a write.
    pub db: DatabaseConnection,
    /// Reads for pages: on SQLite, read-only connections beside the writer.
    #[from_ref(skip)]
    pub reads: DatabaseConnection,
    pub agency: Agency,
    pub ledger: LedgerPolicy,
    pub security: SecurityPolicy,
    pub messages: MessagePolicy,
    pub requests: RequestPolicy,
    /// Shared by every request of this server: the limit on credential
    /// checks and the tally of what it turned away.
    pub credential_gate: std::sync::Arc<gate::CredentialGate>,
    /// The ledgers read lately, for the views (`ledger::memory`).
    pub ledgers: std::sync::Arc<ledger::LedgerMemory>,
    /// The histories worked out of them lately (`balance::worked`).
    pub histories: std::sync::Arc<crate::balance::worked::WorkedHistories>,
    /// Staff reads for the audit log, written together (`read_log`).
    pub read_log: read_log::ReadLog,
    /// Who each session the store just read is signed in as (`user`).
    pub readers_of_sessions: std::sync::Arc<user::ReadersOfSessions>,
    /// Seals secrets kept at rest and values shown once.
    pub secret_key: sealed::SecretKey,
    /// The agency's time zone (`agency.time_zone`, checked when the
    /// configuration was read).
    pub zone: chrono_tz::Tz,
}

impl AppState {
    /// The clock of this moment.
    pub fn clock(&self) -> clock::Clock {
        clock::Clock {
            now: chrono::Utc::now(),
            zone: self.zone,
        }
    }

    /// Now, where the agency is: due dates and "as of" times are read there.
    pub fn agency_now(&self) -> chrono::DateTime<chrono_tz::Tz> {
        self.clock().agency_now()
    }
}

/// The state, inside a server function or a page rendered on the server.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(request_ended)
}

/// What a page's server function gets when it resumes after its request
/// ended: the browser gave up, the render was dropped and its context with
/// it, and the answer has nowhere to go. Nothing is wrong with the portal,
/// so it is not logged as an error (every request provides the context, so
/// a missing one means exactly this).
pub fn request_ended() -> AppError {
    tracing::debug!("a server function resumed after its request ended");
    AppError::Internal
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
