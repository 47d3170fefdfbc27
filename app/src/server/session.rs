//! The signed-in account, as the session remembers it.

use axum::extract::FromRequestParts;
use entity::sessions;
use leptos::prelude::use_context;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use tower_sessions::Session;

use super::internal;
use crate::error::AppError;
use crate::reader::{AccountRole, User};

/// The session key under which the signed-in account's id is kept (the
/// session store also copies it into its own column).
pub const ACCOUNT_KEY: &str = "account";

/// The session of the request being served.
pub async fn current() -> Result<Session, AppError> {
    let Some(mut parts) = use_context::<http::request::Parts>() else {
        return Err(super::request_ended());
    };
    Session::from_request_parts(&mut parts, &())
        .await
        .map_err(|(_, why)| internal(why))
}

/// The signed-in account's id, if any.
pub async fn account_id(session: &Session) -> Result<Option<i32>, AppError> {
    session.get::<i32>(ACCOUNT_KEY).await.map_err(internal)
}

/// An account whose password was right and whose second step is to come,
/// and since when (Unix milliseconds).
const AWAITING_KEY: &str = "awaiting_second_step";
/// A second factor being set up: its key (sealed), until the first code
/// confirms it.
const PENDING_KEY: &str = "pending_second_factor";
const PENDING_PURPOSE: &str = "pending_totp";

/// How long the second step may take after the password.
const SECOND_STEP_SECONDS: i64 = 5 * 60;

/// Whether the signed-in account is a parent's: only a parent's pages may
/// stay on a device (the service worker is told so with every page).
pub const PARENT_KEY: &str = "parent";

/// Signs `user` in: a new session id (so an id planted before sign-in is
/// worth nothing after it), then the account.
pub async fn begin(session: &Session, user: &User) -> Result<(), AppError> {
    session.cycle_id().await.map_err(internal)?;
    session.remove_value(AWAITING_KEY).await.map_err(internal)?;
    let parent = user.role == AccountRole::Parent;
    session.insert(PARENT_KEY, parent).await.map_err(internal)?;
    session
        .insert(ACCOUNT_KEY, user.account_id)
        .await
        .map_err(internal)
}

/// The password was right; the code from the app is still to come.
pub async fn await_second_step(
    session: &Session,
    account: i32,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    session.cycle_id().await.map_err(internal)?;
    session
        .insert(AWAITING_KEY, (account, now.timestamp_millis()))
        .await
        .map_err(internal)
}

/// The account waiting for its second step, and since when (its password
/// was right then), if it has not waited too long.
pub async fn awaiting_second_step(
    session: &Session,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<(i32, chrono::DateTime<chrono::Utc>)>, AppError> {
    let awaiting = session
        .get::<(i32, i64)>(AWAITING_KEY)
        .await
        .map_err(internal)?;
    Ok(awaiting
        .filter(|(_, since)| now.timestamp_millis() - since <= SECOND_STEP_SECONDS * 1000)
        .and_then(|(account, since)| {
            chrono::DateTime::from_timestamp_millis(since).map(|since| (account, since))
        }))
}

/// Ends every session of `account` (after its password or second step
/// changed, a session opened before is worth nothing).
pub async fn end_all_of(db: &impl ConnectionTrait, account: i32) -> Result<u64, AppError> {
    let ended = sessions::Entity::delete_many()
        .filter(sessions::Column::AccountId.eq(account))
        .exec(db)
        .await?;
    Ok(ended.rows_affected)
}

/// Ends every session of `account` but `current` (the id of the one making
/// a change).
pub async fn end_others_of(
    db: &impl ConnectionTrait,
    account: i32,
    current: Option<&str>,
) -> Result<u64, AppError> {
    let mut others =
        sessions::Entity::delete_many().filter(sessions::Column::AccountId.eq(account));
    if let Some(id) = current {
        others = others.filter(sessions::Column::Id.ne(id));
    }
    Ok(others.exec(db).await?.rows_affected)
}

/// The id of `session` as the store keeps it.
pub fn id_of(session: &Session) -> Option<String> {
    session.id().map(|id| id.to_string())
}

/// Keeps the authenticator key being set up, sealed.
pub async fn keep_pending_key(session: &Session, key: &str) -> Result<(), AppError> {
    let sealed = super::state()?
        .secret_key
        .seal(key.as_bytes(), PENDING_PURPOSE)?;
    session.insert(PENDING_KEY, sealed).await.map_err(internal)
}

/// The authenticator key being set up, if any.
pub async fn pending_key(session: &Session) -> Result<Option<String>, AppError> {
    let Some(sealed) = session.get::<String>(PENDING_KEY).await.map_err(internal)? else {
        return Ok(None);
    };
    let key = super::state()?.secret_key.open(&sealed, PENDING_PURPOSE);
    Ok(key.and_then(|plain| String::from_utf8(plain).ok()))
}

pub async fn forget_pending_key(session: &Session) -> Result<(), AppError> {
    session
        .remove_value(PENDING_KEY)
        .await
        .map(|_| ())
        .map_err(internal)
}

/// Signs out: the session is deleted on the server, the cookie cleared.
pub async fn end(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(internal)
}
