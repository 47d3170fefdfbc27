//! Conversations in the database. Who may see one: the parent it is with,
//! the case's caseworker (or the colleague it was given to) and supervisors
//! — never the other parent of the case.

pub mod conversation;
pub mod files;
pub mod lists;
pub mod reading;
mod thread;

use entity::message_threads;

use super::rules::{Status, Topic};
use crate::error::AppError;
use crate::server::internal;

pub(super) fn topic_of(thread: &message_threads::Model) -> Result<Topic, AppError> {
    Topic::parse(&thread.topic)
        .ok_or_else(|| internal(format!("thread {} has topic {}", thread.id, thread.topic)))
}

pub(super) fn status_of(thread: &message_threads::Model) -> Result<Status, AppError> {
    Status::parse(&thread.status)
        .ok_or_else(|| internal(format!("thread {} has status {}", thread.id, thread.status)))
}
