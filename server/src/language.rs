//! `GET /language/{code}?next=/path`: the language switcher without JavaScript.
//! Stores the choice in the same cookie the app reads, then goes back.

use axum::{
    extract::{Path, Query},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

/// The cookie leptos_i18n reads on the server and writes in the browser.
pub const LOCALE_COOKIE: &str = "i18n_pref_locale";

#[derive(Debug, Deserialize)]
pub struct Next {
    next: Option<String>,
}

pub async fn switch_language(Path(code): Path<String>, Query(query): Query<Next>) -> Response {
    let Ok(locale) = code.parse::<app::i18n::Locale>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let back = local_path(query.next.as_deref());
    let cookie = format!("{LOCALE_COOKIE}={locale}; Path=/; Max-Age=31536000; SameSite=Lax");
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
