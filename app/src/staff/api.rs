//! The supervisors' server functions. A password made here is kept (sealed,
//! in a cookie, never on the server) until the desk shows it once, after
//! the redirect.

use leptos::prelude::*;

use super::model::{FreshPassword, StaffDesk};
use crate::error::AppError;

#[cfg(feature = "ssr")]
async fn keep_to_show_once(fresh: &FreshPassword) -> Result<(), AppError> {
    use crate::server::once::{self, Once};
    let reader = crate::server::user::require().await?;
    once::keep(Once::FirstPassword, reader.account_id, fresh)
}

/// Every staff account, and a password made a moment ago (shown this once).
#[server(endpoint = "staff_desk")]
pub async fn open_staff_desk() -> Result<StaffDesk, AppError> {
    use crate::server::once::{self, Once};
    use crate::server::{state, user};
    let reader = user::require().await?;
    let list = super::service::staff_list(&state()?.db, &reader, chrono::Utc::now()).await?;
    let fresh = once::take(Once::FirstPassword, reader.account_id)?;
    Ok(StaffDesk { list, fresh })
}

/// Adds a caseworker or supervisor; their first password is shown once.
#[server(endpoint = "add_staff_member")]
pub async fn add_staff_member(
    name: String,
    email: String,
    role: String,
) -> Result<FreshPassword, AppError> {
    use crate::server::{state, user};
    let reader = user::require().await?;
    let state = state()?;
    let attempt = crate::account::service::Attempt::of_request(&state);
    let fresh =
        super::service::add_member(&state.db, &reader, &name, &email, &role, &attempt).await?;
    keep_to_show_once(&fresh).await?;
    Ok(fresh)
}

/// Another role, an unlock, a new password, switched off or on again.
#[server(endpoint = "change_staff")]
pub async fn change_staff(account: i32, change: String) -> Result<(), AppError> {
    use crate::error::{Field, Problem};
    use crate::server::{state, user};
    let reader = user::require().await?;
    let change = super::model::StaffChange::parse(&change)
        .ok_or_else(|| AppError::invalid(Field::Person, Problem::NotAChoice))?;
    let state = state()?;
    let attempt = crate::account::service::Attempt::of_request(&state);
    let fresh = super::service::change(&state.db, &reader, account, change, &attempt).await?;
    if let Some(fresh) = fresh {
        keep_to_show_once(&fresh).await?;
    }
    Ok(())
}

/// Gives a case to another caseworker (supervisors).
#[server(endpoint = "reassign_case")]
pub async fn reassign_case(case_number: String, to: i32) -> Result<(), AppError> {
    use crate::server::{state, user};
    let reader = user::require().await?;
    super::service::reassign_case(&state()?.db, &reader, &case_number, to, chrono::Utc::now()).await
}
