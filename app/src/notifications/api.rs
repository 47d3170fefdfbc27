//! Server functions of the notification centre: only ever the signed-in
//! person's own.

use leptos::prelude::*;

use super::model::Notification;
use crate::error::AppError;

/// The reader's notifications, newest first; opening them marks them seen.
#[server(endpoint = "my_notifications")]
pub async fn my_notifications() -> Result<Vec<Notification>, AppError> {
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    super::service::open(caller.db(), &caller.reader, caller.clock).await
}

/// How many the reader has not seen (the header's count).
#[server(endpoint = "unseen_notifications")]
pub async fn unseen_notifications() -> Result<u64, AppError> {
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    crate::server::user::unseen(caller.db(), caller.reader.person_id).await
}
