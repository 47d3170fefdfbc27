//! The supervisors' server functions. A password made here is kept (sealed,
//! in a cookie, never on the server) until the desk shows it once, after
//! the redirect.

use leptos::prelude::*;

use super::model::{FreshPassword, StaffDesk};
use crate::error::AppError;

#[cfg(feature = "ssr")]
fn keep_to_show_once(
    caller: &crate::server::caller::Caller,
    fresh: &FreshPassword,
) -> Result<(), AppError> {
    use crate::server::once::{self, Once};
    once::keep(Once::FirstPassword, caller.reader.account_id, fresh)
}

/// Every staff account, and a password made a moment ago (shown this once).
#[server(endpoint = "staff_desk")]
pub async fn open_staff_desk() -> Result<StaffDesk, AppError> {
    use crate::server::caller::Caller;
    use crate::server::once::{self, Once};
    let caller = Caller::signed_in().await?;
    let list = super::service::staff_list(caller.db(), &caller.reader, caller.clock.now).await?;
    let fresh = once::take(Once::FirstPassword, caller.reader.account_id)?;
    Ok(StaffDesk { list, fresh })
}

/// Adds a caseworker or supervisor; their first password is shown once.
#[server(endpoint = "add_staff_member")]
pub async fn add_staff_member(
    name: String,
    email: String,
    role: String,
) -> Result<FreshPassword, AppError> {
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    let attempt = crate::account::service::Attempt::of_request(&caller.state);
    let fresh =
        super::service::add_member(caller.db(), &caller.reader, &name, &email, &role, &attempt)
            .await?;
    keep_to_show_once(&caller, &fresh)?;
    Ok(fresh)
}

/// Another role, an unlock, a new password, switched off or on again.
#[server(endpoint = "change_staff")]
pub async fn change_staff(account: i32, change: String) -> Result<(), AppError> {
    use crate::error::{Field, Problem};
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    let change = super::model::StaffChange::parse(&change)
        .ok_or_else(|| AppError::invalid(Field::Person, Problem::NotAChoice))?;
    let attempt = crate::account::service::Attempt::of_request(&caller.state);
    let fresh =
        super::service::change(caller.db(), &caller.reader, account, change, &attempt).await?;
    if let Some(fresh) = fresh {
        keep_to_show_once(&caller, &fresh)?;
    }
    Ok(())
}

/// Gives a case to another caseworker (supervisors).
#[server(endpoint = "reassign_case")]
pub async fn reassign_case(case_number: String, to: i32) -> Result<(), AppError> {
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    super::service::reassign_case(
        caller.db(),
        &caller.reader,
        &case_number,
        to,
        caller.clock.now,
    )
    .await
}
