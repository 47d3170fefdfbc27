//! While the database cannot be reached, pages and server functions answer
//! 503 with a clear message instead of each failing in its own way.
//!
//! Nothing polls: when a request fails (500, or the session layer's bare
//! 500), the gate asks the database. If it does not answer, the failure was
//! the outage and the person gets the 503 page, or `AppError::Unavailable`
//! for the app's own calls. While down, every request asks again first, so
//! service resumes by itself the moment the database answers (the pool
//! makes new connections on its own). Nothing half-done is stored: every
//! write is one transaction. (One that committed just before the outage may
//! still get this page, if the session could not be saved after it: the
//! page asks people to check before sending again.)

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use app::account::language;
use app::components::quick_exit::LEAVE_PATH;
use app::error::AppError;
use app::i18n::Locale;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderMap, HeaderValue, StatusCode};
use sea_orm::DatabaseConnection;

/// How long a health question to the database may take. (A pool with no
/// connection free for this long is also answered 503: the pool retries
/// a dead server until its own timeout, so the two cannot be told apart
/// through it.)
const PING_TIMEOUT: Duration = Duration::from_secs(2);
/// What the 503 tells browsers and load balancers.
const RETRY_AFTER_SECONDS: &str = "30";

#[derive(Clone)]
pub struct DatabaseWatch {
    db: DatabaseConnection,
    agency_phone: Arc<str>,
    quick_exit_url: Arc<str>,
    /// The bundle's stylesheet, which the outage page links.
    stylesheet: Arc<str>,
    down: Arc<AtomicBool>,
}

impl DatabaseWatch {
    pub fn new(db: DatabaseConnection, agency: &app::config::Agency, stylesheet: &str) -> Self {
        Self {
            db,
            agency_phone: agency.phone.as_str().into(),
            quick_exit_url: agency.quick_exit_url.as_str().into(),
            stylesheet: stylesheet.into(),
            down: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Asks the database, and remembers the answer (logging each change).
    async fn answers(&self) -> bool {
        let up = matches!(
            tokio::time::timeout(PING_TIMEOUT, self.db.ping()).await,
            Ok(Ok(()))
        );
        let was_down = self.down.swap(!up, Ordering::Relaxed);
        match (was_down, up) {
            (false, false) => tracing::error!("the database cannot be reached: answering 503"),
            (true, true) => tracing::info!("the database answers again: service resumed"),
            _ => {}
        }
        up
    }
}

pub async fn gate(State(watch): State<DatabaseWatch>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path == LEAVE_PATH {
        // The quick exit never stops at an error page: without the
        // database it still sends the person away, forgetting everything.
        let response = next.run(request).await;
        if response.status().is_server_error() {
            return crate::leave::away_to(&watch.quick_exit_url);
        }
        return response;
    }
    if !needs_the_database(path) {
        return next.run(request).await;
    }
    let is_api = path.starts_with("/api/");
    let wants_page = !is_api || accepts_html(request.headers());
    let here = try_again_at(request.uri(), is_api);
    let locale = locale_of(request.headers());

    if watch.down.load(Ordering::Relaxed) && !watch.answers().await {
        return unavailable(&watch, wants_page, locale, &here);
    }
    let response = next.run(request).await;
    if response.status() == StatusCode::INTERNAL_SERVER_ERROR && !watch.answers().await {
        return unavailable(&watch, wants_page, locale, &here);
    }
    response
}

/// Where "Try again" leads: the page asked for, or the home page for a
/// form's target (not a page) or a path another site could hide behind
/// (`//elsewhere.example/`).
fn try_again_at(uri: &http::Uri, is_api: bool) -> String {
    let whole = uri.path_and_query().map_or("/", |whole| whole.as_str());
    let elsewhere = whole.starts_with("//") || whole.starts_with("/\\");
    if is_api || elsewhere || !whole.starts_with('/') {
        "/".to_owned()
    } else {
        whole.to_owned()
    }
}

/// Files of the site and the health check never touch the database.
fn needs_the_database(path: &str) -> bool {
    const NO_DATABASE: [&str; 7] = [
        "/healthz",
        "/pkg/",
        "/icons/",
        "/screenshots/",
        "/favicon.svg",
        "/sw.js",
        "/manifest.webmanifest",
    ];
    !NO_DATABASE.iter().any(|prefix| path.starts_with(prefix))
}

/// A form sent without JavaScript (the browser wants a page back), as
/// opposed to the app's own call (which reads the error as JSON).
fn accepts_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// The reader's language: their choice (cookie), else the browser's first.
fn locale_of(headers: &HeaderMap) -> Locale {
    let chosen = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(language::from_cookies);
    chosen.unwrap_or_else(|| {
        let spanish_first = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|list| list.trim_start().to_ascii_lowercase().starts_with("es"));
        if spanish_first {
            Locale::es
        } else {
            Locale::en
        }
    })
}

fn unavailable(watch: &DatabaseWatch, page: bool, locale: Locale, here: &str) -> Response {
    let mut response = if page {
        let document =
            app::site::unavailable_document(locale, here, &watch.agency_phone, &watch.stylesheet);
        (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            Body::from(document),
        )
            .into_response()
    } else {
        let error = serde_json::to_string(&AppError::Unavailable).unwrap_or_default();
        ([(header::CONTENT_TYPE, "application/json")], error).into_response()
    };
    *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    let headers = response.headers_mut();
    headers.insert(
        header::RETRY_AFTER,
        HeaderValue::from_static(RETRY_AFTER_SECONDS),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_files_and_the_health_check_pass_untouched() {
        assert!(!needs_the_database("/pkg/portal.wasm"));
        assert!(!needs_the_database("/healthz"));
        assert!(needs_the_database("/dashboard"));
        assert!(needs_the_database("/api/dashboard"));
        assert!(needs_the_database("/cases/CS-1/history.csv"));
    }

    #[test]
    fn try_again_stays_on_this_site_and_on_pages() {
        let at = |uri: &str, api| try_again_at(&uri.parse().unwrap_or_default(), api);
        assert_eq!(at("/dashboard?x=1", false), "/dashboard?x=1");
        assert_eq!(at("//elsewhere.example/x", false), "/");
        assert_eq!(at("/\\elsewhere.example/x", false), "/");
        assert_eq!(at("/api/post_entry", true), "/");
    }

    #[test]
    fn the_language_is_the_choice_then_the_browsers() {
        let mut headers = HeaderMap::new();
        assert_eq!(locale_of(&headers), Locale::en);
        headers.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("es-MX,es;q=0.9"),
        );
        assert_eq!(locale_of(&headers), Locale::es);
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("i18n_pref_locale=en"),
        );
        assert_eq!(locale_of(&headers), Locale::en);
    }
}
