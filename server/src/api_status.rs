//! Server functions answer every error with 500. A refused sign-in or a form
//! with mistakes is not a server failure: this gives each error its real
//! status, read from the error the function returned (a small JSON body).

use app::error::AppError;
use axum::body::{to_bytes, Body};
use axum::{extract::Request, middleware::Next, response::Response};
use http::StatusCode;

/// Errors larger than this are not ours: left as they are.
const LIMIT: usize = 64 * 1024;

pub fn status_of(error: &AppError) -> StatusCode {
    match error {
        AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Transport(_) => StatusCode::BAD_REQUEST,
        AppError::SignInRequired | AppError::SignInRefused => StatusCode::UNAUTHORIZED,
        AppError::Forbidden | AppError::CrossSite | AppError::SecondFactorSetupRequired => {
            StatusCode::FORBIDDEN
        }
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::FormUsed => StatusCode::CONFLICT,
        AppError::Busy => StatusCode::TOO_MANY_REQUESTS,
        AppError::Invalid(_) | AppError::ActivationRefused => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

pub async fn real_status(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !is_api || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, LIMIT).await else {
        parts.status = StatusCode::INTERNAL_SERVER_ERROR;
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = status_of(&error);
    }
    Response::from_parts(parts, Body::from(bytes))
}
