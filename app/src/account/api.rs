//! Server functions for signing in and out and activating an account. Thin:
//! who is asking, then the service. Each answers a form: with JavaScript the
//! page shows the result in place; without it the browser follows the
//! redirect (or comes back to the form, with the error in the address).

use leptos::prelude::*;

use super::model::{CaseLink, User};
use crate::error::AppError;

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
    use crate::server::{session, state};
    let state = state()?;
    let attempt = super::service::Attempt::of_request(state.security);
    let user = super::service::sign_in(&state.db, &attempt, &email, &password).await?;
    session::begin(&session::current().await?, user.account_id).await?;
    leptos_axum::redirect(&safe_next(next.as_deref()));
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

#[server(endpoint = "activate")]
pub async fn activate(
    case_number: String,
    pin: String,
    email: String,
    password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    use crate::server::{session, state};
    let state = state()?;
    let attempt = super::service::Attempt::of_request(state.security);
    let form = super::service::Activation {
        case_number,
        pin,
        email,
        password,
        confirm_password,
    };
    let user = super::service::activate(&state.db, &attempt, &form).await?;
    session::begin(&session::current().await?, user.account_id).await?;
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
    let user = crate::server::user::require().await?;
    super::service::my_cases(&crate::server::state()?.db, &user).await
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
