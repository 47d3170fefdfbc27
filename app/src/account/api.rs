//! Server functions for signing in and out and activating an account. Thin:
//! who is asking, then the service. Each answers a form the browser posts: it
//! follows the redirect, or comes back to the form with the error in the
//! address.

use leptos::prelude::*;

use super::model::{CaseLink, SecuritySettings};
use crate::error::AppError;
use crate::reader::User;

/// Where to go after signing in: a path on this site, else the dashboard.
/// Only visible ASCII: the path becomes a `Location` header.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && path.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            path.to_owned()
        }
        _ => "/dashboard".to_owned(),
    }
}

#[server(endpoint = "sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use super::service::sign_in::{sign_in, SignedIn};
    use super::service::Attempt;
    use crate::server::{session, state};
    let state = state()?;
    let attempt = Attempt::of_request(&state);
    let session = session::current().await?;
    let next = safe_next(next.as_deref());
    match sign_in(&state.db, &attempt, &email, &password).await? {
        SignedIn::Complete(user) => {
            session::begin(&session, &user).await?;
            super::language::at_sign_in(&user).await;
            leptos_axum::redirect(&next);
        }
        SignedIn::SecondStep { account } => {
            session::await_second_step(&session, account, attempt.now).await?;
            let escaped = leptos_router::location::Url::escape(&next);
            leptos_axum::redirect(&format!("/login/second-step?next={escaped}"));
        }
    }
    Ok(())
}

/// The code from the authenticator app (or a recovery code), after the password.
#[server(endpoint = "second_step")]
pub async fn second_step(code: String, next: Option<String>) -> Result<(), AppError> {
    use super::service::Attempt;
    use crate::server::{session, state};
    let state = state()?;
    let attempt = Attempt::of_request(&state);
    let session = session::current().await?;
    let (account, password_at) = session::awaiting_second_step(&session, attempt.now)
        .await?
        .ok_or(AppError::SignInRequired)?;
    let user =
        super::service::sign_in::second_step(&state.db, &attempt, account, password_at, &code)
            .await?;
    session::begin(&session, &user).await?;
    super::language::at_sign_in(&user).await;
    leptos_axum::redirect(&safe_next(next.as_deref()));
    Ok(())
}

/// The signed-in account's sign-in security (shows new recovery codes once).
#[server(endpoint = "my_security")]
pub async fn my_security() -> Result<SecuritySettings, AppError> {
    use crate::server::caller::Caller;
    use crate::server::once::{self, Once};
    use crate::server::session;
    let caller = Caller::without_second_step().await?;
    let (db, user) = (caller.db(), &caller.reader);
    let pending = session::pending_key(&session::current().await?).await?;
    let fresh =
        once::take::<Vec<String>>(Once::RecoveryCodes, user.account_id)?.unwrap_or_default();
    super::second_factor::settings(db, user, &caller.state.security, pending, fresh).await
}

/// Starts setting up the second factor: a new key to scan.
#[server(endpoint = "start_second_factor")]
pub async fn start_second_factor() -> Result<(), AppError> {
    use crate::server::{session, user};
    let user = user::require_signed_in().await?;
    if user.second_factor {
        return Err(AppError::Forbidden);
    }
    let session = session::current().await?;
    session::keep_pending_key(&session, &super::second_factor::new_secret()).await?;
    leptos_axum::redirect("/account/security");
    Ok(())
}

/// Confirms the key being set up with the app's first code.
#[server(endpoint = "confirm_second_factor")]
pub async fn confirm_second_factor(code: String, password: String) -> Result<(), AppError> {
    use super::service::Attempt;
    use crate::server::caller::Caller;
    use crate::server::once::{self, Once};
    use crate::server::session;
    let caller = Caller::without_second_step().await?;
    let user = &caller.reader;
    let session = session::current().await?;
    let key = session::pending_key(&session)
        .await?
        .ok_or(AppError::invalid(
            crate::error::Field::Code,
            crate::error::Problem::Required,
        ))?;
    let attempt = Attempt::of_request(&caller.state);
    let current = session::id_of(&session);
    let codes = super::second_factor::enable(
        caller.db(),
        &attempt,
        user,
        current.as_deref(),
        &key,
        &code,
        &password,
    )
    .await?;
    // The codes first: the factor is on now, and they are shown only here.
    once::keep(Once::RecoveryCodes, user.account_id, &codes)?;
    session::forget_pending_key(&session).await?;
    leptos_axum::redirect("/account/security");
    Ok(())
}

/// Turns the second factor off (the password again, to be sure it is them).
#[server(endpoint = "disable_second_factor")]
pub async fn disable_second_factor(password: String) -> Result<(), AppError> {
    use super::service::Attempt;
    use crate::server::caller::Caller;
    let caller = Caller::without_second_step().await?;
    let attempt = Attempt::of_request(&caller.state);
    let current = crate::server::session::id_of(&crate::server::session::current().await?);
    let (db, user) = (caller.db(), &caller.reader);
    super::second_factor::disable(db, &attempt, user, current.as_deref(), &password).await?;
    leptos_axum::redirect("/account/security");
    Ok(())
}

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::server::audit::{self, AuditAction, AuditEvent, Source};
    use crate::server::{session, state, user};
    if let Some(user) = user::current().await? {
        let event = AuditEvent::new(AuditAction::SignOut).by(user.person_id);
        audit::record(
            &state()?.db,
            event,
            &Source::of_request(),
            chrono::Utc::now(),
        )
        .await?;
    }
    session::end(&session::current().await?).await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Ends every session of the signed-in account, this one too.
#[server(endpoint = "sign_out_everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    use crate::server::audit::{self, AuditAction, AuditEvent, Source};
    use crate::server::caller::Caller;
    use crate::server::session;
    let caller = Caller::without_second_step().await?;
    let (db, user) = (caller.db(), &caller.reader);
    let ended = session::end_all_of(db, user.account_id).await?;
    let event = AuditEvent::new(AuditAction::SignOut)
        .by(user.person_id)
        .detail(format!("everywhere: {ended} sessions"));
    audit::record(db, event, &Source::of_request(), caller.clock.now).await?;
    session::end(&session::current().await?).await?;
    leptos_axum::redirect("/");
    Ok(())
}

#[server(endpoint = "activate")]
pub async fn activate(
    case_number: String,
    pin: String,
    email: String,
    password: String,
    confirm_password: String,
    code: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{session, state};
    let state = state()?;
    let attempt = super::service::Attempt::of_request(&state);
    let form = super::service::activation::Activation {
        case_number,
        pin,
        email,
        password,
        confirm_password,
        code: code.unwrap_or_default(),
    };
    let user = super::service::activation::activate(&state.db, &attempt, &form).await?;
    session::begin(&session::current().await?, &user).await?;
    super::language::at_sign_in(&user).await;
    leptos_axum::redirect("/dashboard");
    Ok(())
}

/// The signed-in user, if any.
#[server(endpoint = "current_user")]
pub async fn current_user() -> Result<Option<User>, AppError> {
    crate::server::user::current().await
}

/// The cases the signed-in user may open.
#[server(endpoint = "my_cases")]
pub async fn my_cases() -> Result<Vec<CaseLink>, AppError> {
    let caller = crate::server::caller::Caller::signed_in().await?;
    super::service::records::my_cases(caller.db(), &caller.reader).await
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_paths_on_this_site_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/cases/CS-1")), "/cases/CS-1");
        for elsewhere in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "dashboard",
            "/a\r\nSet-Cookie: x=1",
            "/café",
        ] {
            assert_eq!(safe_next(Some(elsewhere)), "/dashboard", "{elsewhere}");
        }
        assert_eq!(safe_next(None), "/dashboard");
    }
}
