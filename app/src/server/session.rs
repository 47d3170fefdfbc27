//! The signed-in account, as the session remembers it.

use tower_sessions::Session;

use super::internal;
use crate::error::AppError;

/// The session key under which the signed-in account's id is kept (the
/// session store also copies it into its own column).
pub const ACCOUNT_KEY: &str = "account";

/// The session of the request being served.
pub async fn current() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(internal)
}

/// The signed-in account's id, if any.
pub async fn account_id(session: &Session) -> Result<Option<i32>, AppError> {
    session.get::<i32>(ACCOUNT_KEY).await.map_err(internal)
}

/// Signs `account` in: a new session id (so an id planted before sign-in is
/// worth nothing after it), then the account.
pub async fn begin(session: &Session, account: i32) -> Result<(), AppError> {
    session.cycle_id().await.map_err(internal)?;
    session.insert(ACCOUNT_KEY, account).await.map_err(internal)
}

/// Signs out: the session is deleted on the server, the cookie cleared.
pub async fn end(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(internal)
}
