//! Server functions of the notification centre: only ever the signed-in
//! person's own.

use leptos::prelude::*;

use super::model::Notification;
use crate::error::AppError;

/// The reader's notifications, newest first; opening them marks them seen.
#[server(endpoint = "my_notifications")]
pub async fn my_notifications() -> Result<Vec<Notification>, AppError> {
    use crate::server::{state, user};
    let reader = user::require().await?;
    let state = state()?;
    let clock = state.clock();
    super::service::open(&state.db, &reader, clock).await
}

/// How many the reader has not seen (the header's count).
#[server(endpoint = "unseen_notifications")]
pub async fn unseen_notifications() -> Result<u64, AppError> {
    use crate::server::{state, user};
    let reader = user::require().await?;
    user::unseen(&state()?.db, reader.person_id).await
}
