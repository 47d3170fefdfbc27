//! `GET /healthz`: is the server up, and can it reach its database?

use std::time::Duration;

use app::server::AppState;
use axum::{extract::State, http::StatusCode, Json};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Health {
    status: &'static str,
    database: &'static str,
}

/// 200 while the database answers, 503 while it does not. The pool reconnects
/// by itself, so the answer returns to 200 without a restart.
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let ping = tokio::time::timeout(Duration::from_secs(3), state.db.ping()).await;
    match ping {
        Ok(Ok(())) => (
            StatusCode::OK,
            Json(Health {
                status: "ok",
                database: "ok",
            }),
        ),
        failure => {
            let reason = match failure {
                Ok(Err(error)) => error.to_string(),
                _ => "timed out after 3 s".to_owned(),
            };
            tracing::warn!(%reason, "health check: database unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Health {
                    status: "unavailable",
                    database: "unavailable",
                }),
            )
        }
    }
}
