//! For routes a browser opens directly (downloads, file uploads), outside
//! the server functions: who is asking, and what the browser gets when the
//! answer is no.

use app::error::AppError;
use app::reader::User;
use app::server::{user, AppState};
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

/// The signed-in user of `session`, held to the same rules as the pages
/// (staff without a required second factor are sent to set it up).
pub async fn signed_in(state: &AppState, session: &Session) -> Result<User, AppError> {
    let reader = user::of_session(session, state)
        .await?
        .ok_or(AppError::SignInRequired)?;
    user::may_proceed(reader, state)
}

/// Anonymous people go to sign in and come back to `back`; staff without a
/// second factor go to set it up; anything else is its status, in words.
pub fn refusal(error: AppError, back: &str) -> Response {
    match error {
        AppError::SignInRequired => Redirect::to(&format!(
            "/login?next={}",
            leptos_router::location::Url::escape(back)
        ))
        .into_response(),
        AppError::SecondFactorSetupRequired => Redirect::to("/account/security").into_response(),
        error => {
            let status = error.status();
            (status, status.canonical_reason().unwrap_or("refused")).into_response()
        }
    }
}
