//! `/leave`: the quick exit behind "Leave this site quickly". Ends the
//! session, asks the browser to forget what the portal stored (cookies,
//! storage, cached pages — so Back and the installed app show nothing
//! personal), and sends it to the neutral site the agency chose (which, by
//! the site-wide referrer policy, is not told where the visitor came from). A plain
//! link works without JavaScript; with it, the page replaces itself here.

use axum::{
    extract::State,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use tower_sessions::Session;

use app::server::AppState;

pub async fn leave(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
) -> Response {
    // Another site sending someone here only sends them on: it cannot sign
    // them out or empty their browser's copy of the portal.
    if crate::headers::from_another_site(&headers) {
        return away(&state.agency.quick_exit_url);
    }
    // The exit must never stop at an error page: a session that cannot be
    // ended here is logged, and the cleared cookie ends it in the browser.
    if let Err(error) = session.flush().await {
        tracing::warn!(%error, "quick exit: the session could not be deleted");
    }
    away_to(&state.agency.quick_exit_url)
}

/// To the neutral site, changing nothing.
fn away(quick_exit_url: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(neutral) = HeaderValue::from_str(quick_exit_url) {
        response.headers_mut().insert(header::LOCATION, neutral);
    }
    response
}

/// The quick exit's answer: to the neutral site, forgetting everything. Also
/// what the outage gate sends when `/leave` fails for want of the database.
pub fn away_to(quick_exit_url: &str) -> Response {
    let mut response = away(quick_exit_url);
    let headers = response.headers_mut();
    headers.insert(
        "clear-site-data",
        HeaderValue::from_static("\"cache\", \"cookies\", \"storage\""),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
