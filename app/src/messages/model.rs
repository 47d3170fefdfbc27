//! Conversations as both sides see them.

use crate::components::pager::PageOf;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::reader::Colleague;

use super::rules::{Status, Topic};

/// The signed-in person's conversations, newest activity first, and what
/// starting a new one needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    /// This page's conversations, newest first.
    pub threads: Vec<ThreadSummary>,
    pub paging: PageOf,
    /// The cases a parent can write about (empty for staff).
    pub cases: Vec<String>,
    /// Makes a resent form (double click, reload) store one message.
    pub send_key: String,
    /// The agency answers within this many business days.
    pub reply_business_days: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadSummary {
    pub id: i32,
    pub case_number: String,
    pub topic: Topic,
    pub status: Status,
    /// The parent the conversation is with (staff see whom; a parent, themself).
    pub parent_name: String,
    /// In the agency's time zone, `2026-11-25 09:31`.
    pub last_message_at: String,
    /// Something new since the reader last opened it.
    pub unread: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    pub id: i32,
    pub case_number: String,
    pub topic: Topic,
    pub status: Status,
    pub parent_name: String,
    /// Oldest first.
    pub messages: Vec<MessageView>,
    /// While the agency owes an answer: the business day it is due.
    pub reply_due: Option<NaiveDate>,
    pub reader_is_staff: bool,
    pub send_key: String,
    /// The file form's own key (a page has two forms that send).
    pub attach_key: String,
    /// The largest file a message may carry.
    pub attachment_max_mb: u32,
    /// The payment plan or change-of-support request it carries, if any.
    pub request: Option<i32>,
    /// Staff: the colleague it was given to (`None`: the case's caseworker).
    pub assigned_to: Option<String>,
    /// Staff: who it can be given to (empty for parents).
    pub colleagues: Vec<Colleague>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    pub id: i32,
    pub author: String,
    pub from_agency: bool,
    /// Plain text: pages show it as text, never as HTML.
    pub body: String,
    pub attachments: Vec<AttachmentLink>,
    pub sent_at: String,
    /// The other side has opened the conversation since (a read receipt).
    pub seen: bool,
}

/// A file sent with a message, to download from `/attachments/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentLink {
    pub id: i32,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
}

/// What waits for the agency: conversations where the parent wrote last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkList {
    /// Oldest wait first.
    pub items: Vec<WorkItem>,
    pub reply_business_days: u32,
    /// The filter it was read with.
    pub topic: Option<Topic>,
    pub case_number: String,
    pub paging: PageOf,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkItem {
    pub thread: i32,
    pub case_number: String,
    pub topic: Topic,
    pub parent_name: String,
    pub waiting_since: String,
    /// Business days waited so far.
    pub business_days: u32,
    /// Waited longer than the agency promises.
    pub overdue: bool,
    /// The request it carries (a plan or a change of support), if any.
    pub request: Option<i32>,
    /// The colleague it was given to, if not the case's caseworker.
    pub assigned_to: Option<String>,
}
