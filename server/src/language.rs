//! `GET /language/{code}?next=/path`: the language switcher without JavaScript.
//! Stores the choice in the same cookie the app reads (and on the account of
//! someone signed in), then goes back.

use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use tower_sessions::Session;

use app::account::language;
use app::server::AppState;

#[derive(Debug, Deserialize)]
pub struct Next {
    next: Option<String>,
}

pub async fn switch_language(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    Query(query): Query<Next>,
    headers: HeaderMap,
) -> Response {
    let Ok(locale) = code.parse::<app::i18n::Locale>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let back = local_path(query.next.as_deref());
    // From another site: back to the page, the language unchanged.
    if crate::headers::from_another_site(&headers) {
        return (StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response();
    }
    // The choice still holds in this browser if the account cannot keep it.
    match app::server::session::account_id(&session).await {
        Ok(Some(account)) => {
            if let Err(error) = language::remember(&state.db, account, locale).await {
                tracing::warn!(?error, "the language could not be kept on the account");
            }
        }
        Ok(None) => {}
        Err(error) => tracing::warn!(?error, "the session could not be read"),
    }
    let cookie = language::cookie(locale);
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// Only paths on this site: `//evil.example` and `https://…` become `/`.
fn local_path(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path(Some("/cases/123")), "/cases/123");
        assert_eq!(local_path(Some("//evil.example/x")), "/");
        assert_eq!(local_path(Some("https://evil.example")), "/");
        assert_eq!(local_path(Some("/\\evil.example")), "/");
        assert_eq!(local_path(Some("/a\r\nSet-Cookie: x=y")), "/");
        assert_eq!(local_path(None), "/");
    }
}
