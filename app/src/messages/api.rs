//! Server functions of secure messages. Each asks who is signed in and
//! whether that person may see the conversation or the case.

use leptos::prelude::*;

use super::model::{Conversation, Inbox};
use crate::error::AppError;

/// The signed-in person's conversations, newest first, a page at a time.
#[server(endpoint = "my_messages")]
pub async fn my_messages(page: Option<u32>) -> Result<Inbox, AppError> {
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    super::service::lists::inbox(
        caller.db(),
        &caller.reader,
        caller.clock,
        caller.state.messages.reply_business_days,
        page.unwrap_or(1),
    )
    .await
}

/// Staff: every conversation waiting for the agency, oldest first;
/// narrowed to a topic and a case when they are given.
#[server(endpoint = "work_list")]
pub async fn work_list(
    #[server(default)] topic: String,
    #[server(default)] case_number: String,
    page: Option<u32>,
) -> Result<super::model::WorkList, AppError> {
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    super::service::lists::work_list(
        caller.db(),
        &caller.reader,
        caller.clock,
        caller.state.messages,
        &topic,
        &case_number,
        page.unwrap_or(1),
    )
    .await
}

/// Staff give a conversation to a colleague (or take it themselves).
#[server(endpoint = "assign_conversation")]
pub async fn assign_conversation(thread: i32, to: i32) -> Result<(), AppError> {
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    super::service::conversation::assign(&caller, thread, to).await?;
    leptos_axum::redirect(&format!("/messages/{thread}"));
    Ok(())
}

/// One conversation; opening it marks it read.
#[server(endpoint = "conversation")]
pub async fn open_conversation(thread: i32) -> Result<Conversation, AppError> {
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    super::service::reading::open(
        caller.db(),
        &caller.reader,
        thread,
        caller.clock,
        caller.state.messages,
    )
    .await
}

/// A parent writes to the agency about one of their cases, then sees the
/// conversation.
#[server(endpoint = "start_conversation")]
pub async fn start_conversation(
    case_number: String,
    topic: String,
    body: String,
    key: String,
) -> Result<(), AppError> {
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    let thread =
        super::service::conversation::start(&caller, &case_number, &topic, &body, &key).await?;
    leptos_axum::redirect(&format!("/messages/{thread}"));
    Ok(())
}

/// Adds a message to a conversation.
#[server(endpoint = "send_message")]
pub async fn send_message(thread: i32, body: String, key: String) -> Result<(), AppError> {
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    super::service::conversation::reply(&caller, thread, &body, &key).await?;
    leptos_axum::redirect(&format!("/messages/{thread}"));
    Ok(())
}

/// Closes a conversation.
#[server(endpoint = "close_conversation")]
pub async fn close_conversation(thread: i32) -> Result<(), AppError> {
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    super::service::conversation::close(&caller, thread).await?;
    leptos_axum::redirect(&format!("/messages/{thread}"));
    Ok(())
}
