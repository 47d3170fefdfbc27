//! The person behind a request.

use std::sync::Arc;

use entity::{accounts, people};
use leptos::prelude::use_context;
use sea_orm::{ConnectionTrait, EntityTrait};
use tokio::sync::Mutex;
use tower_sessions::Session;

use super::{internal, session, state, AppState};
use crate::account::model::{AccountRole, User};
use crate::error::AppError;

/// The signed-in user of this request, if any.
pub async fn current() -> Result<Option<User>, AppError> {
    let session = session::current().await?;
    let state = state()?;
    let Some(account) = session::account_id(&session).await? else {
        return Ok(None);
    };
    match use_context::<RequestUser>() {
        Some(known) => known.load(&state.db, account).await,
        None => load(&state.db, account).await,
    }
}

/// The user of one request, loaded once. A page rendered on the server asks
/// in several places at once (the header, its notifications, the page), and
/// it is the same account row each time. Kept by account, so signing in or
/// out during the request loads the new one.
#[derive(Clone, Default)]
pub struct RequestUser(Arc<Mutex<Option<Loaded>>>);

/// The user of `account` (`None`: the account is gone or switched off).
struct Loaded {
    account: i32,
    user: Option<User>,
}

impl RequestUser {
    /// [`load`], once per account in this request.
    async fn load(
        &self,
        db: &impl ConnectionTrait,
        account: i32,
    ) -> Result<Option<User>, AppError> {
        // Held while loading, so the other parts of the page wait for this
        // load instead of making their own.
        let mut known = self.0.lock().await;
        if let Some(loaded) = known.as_ref().filter(|loaded| loaded.account == account) {
            return Ok(loaded.user.clone());
        }
        let user = load(db, account).await?;
        *known = Some(Loaded {
            account,
            user: user.clone(),
        });
        Ok(user)
    }
}

/// The user `session` is signed in as, if any (for handlers outside Leptos).
pub async fn of_session(session: &Session, state: &AppState) -> Result<Option<User>, AppError> {
    match session::account_id(session).await? {
        Some(account) => load(&state.db, account).await,
        None => Ok(None),
    }
}

/// The signed-in user, or "sign in first" — or, for staff without the second
/// factor the agency requires, "set it up first".
pub async fn require() -> Result<User, AppError> {
    let user = require_signed_in().await?;
    may_proceed(user, &state()?)
}

/// `user`, unless the agency requires a second factor they have not set up.
pub fn may_proceed(user: User, state: &AppState) -> Result<User, AppError> {
    if user.role.is_staff() && state.security.require_mfa_for_staff && !user.second_factor {
        return Err(AppError::SecondFactorSetupRequired);
    }
    Ok(user)
}

/// The signed-in user, with or without a second factor (to set one up).
pub async fn require_signed_in() -> Result<User, AppError> {
    current().await?.ok_or(AppError::SignInRequired)
}

/// The account `account_id` as a user (`None` if it is gone).
pub async fn load(db: &impl ConnectionTrait, account_id: i32) -> Result<Option<User>, AppError> {
    let Some((account, Some(person))) = accounts::Entity::find_by_id(account_id)
        .find_also_related(people::Entity)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    // A switched-off account's sessions end with it.
    if account.deactivated_at.is_some() {
        return Ok(None);
    }
    let role = AccountRole::parse(&account.role).ok_or_else(|| {
        internal(format!(
            "account {} has unknown role {}",
            account.id, account.role
        ))
    })?;
    Ok(Some(User {
        account_id: account.id,
        person_id: person.id,
        name: person.full_name,
        role,
        second_factor: account.totp_enabled_at.is_some(),
        language: account.locale,
    }))
}
