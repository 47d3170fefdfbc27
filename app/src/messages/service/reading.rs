//! Opening a conversation: its messages with what each side has seen, and
//! the reader's mark of how far they have read.

use super::files::files_of;
use super::lists::requests_of;
use super::thread::{authorize_thread, mark_read};
use super::{status_of, topic_of};
use crate::config::MessagePolicy;
use crate::error::AppError;
use crate::messages::model::{AttachmentLink, Conversation, MessageView};
use crate::messages::rules::{add_business_days, Status};
use crate::reader::User;
use crate::server::audit::{self, AuditAction};
use crate::server::clock::Clock;
use crate::server::people::names_of;
use crate::server::secret::form_key;
use entity::{message_threads, messages, thread_reads};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// One conversation, marked as read by the reader.
pub async fn open(
    db: &impl ConnectionTrait,
    reader: &User,
    thread_id: i32,
    clock: Clock,
    policy: MessagePolicy,
) -> Result<Conversation, AppError> {
    let (thread, case) = authorize_thread(db, reader, thread_id).await?;
    let what = Some(format!("conversation {thread_id}"));
    audit::staff_read(db, reader, AuditAction::ConversationRead, case.id, what).await?;
    let rows = messages::Entity::find()
        .filter(messages::Column::ThreadId.eq(thread.id))
        .order_by_asc(messages::Column::Id)
        .all(db)
        .await?;
    let names = names_of(
        db,
        rows.iter().map(|m| m.author_id).chain([thread.parent_id]),
    )
    .await?;
    let read_up_to = ReadUpTo::of(db, &thread).await?;
    let mut files: HashMap<i32, Vec<AttachmentLink>> = HashMap::new();
    for (message, link) in files_of(db, rows.iter().map(|m| m.id)).await? {
        files.entry(message).or_default().push(link);
    }
    if let Some(newest) = rows.last() {
        mark_read(db, thread.id, reader.person_id, newest.id, clock.now).await?;
    }
    let status = status_of(&thread)?;
    let waiting_since = thread.waiting_since.with_timezone(&clock.zone).date_naive();
    Ok(Conversation {
        id: thread.id,
        case_number: case.case_number,
        topic: topic_of(&thread)?,
        status,
        parent_name: names.get(&thread.parent_id).cloned().unwrap_or_default(),
        messages: rows
            .iter()
            .map(|m| {
                let from_agency = m.author_id != thread.parent_id;
                MessageView {
                    id: m.id,
                    author: names.get(&m.author_id).cloned().unwrap_or_default(),
                    from_agency,
                    body: m.body.clone(),
                    attachments: files.remove(&m.id).unwrap_or_default(),
                    sent_at: clock.local(m.sent_at),
                    seen: read_up_to.seen(m.id, from_agency),
                }
            })
            .collect(),
        reply_due: (status == Status::Waiting)
            .then(|| add_business_days(waiting_since, policy.reply_business_days)),
        reader_is_staff: reader.role.is_staff(),
        send_key: form_key(),
        attach_key: form_key(),
        attachment_max_mb: policy.attachment_max_mb,
        request: requests_of(db, [thread.id]).await?.get(&thread.id).copied(),
        assigned_to: match thread.assigned_to {
            Some(id) => names_of(db, [id]).await?.remove(&id),
            None => None,
        },
        colleagues: match reader.role.is_staff() {
            true => crate::server::people::colleagues(db).await?,
            false => Vec::new(),
        },
    })
}

/// How far each side of a conversation has read (0: nothing yet).
struct ReadUpTo {
    parent: i32,
    /// The agency's side has seen what any of its people has read.
    agency: i32,
}

impl ReadUpTo {
    async fn of(
        db: &impl ConnectionTrait,
        thread: &message_threads::Model,
    ) -> Result<Self, AppError> {
        let reads = thread_reads::Entity::find()
            .filter(thread_reads::Column::ThreadId.eq(thread.id))
            .all(db)
            .await?;
        let furthest = |parent: bool| {
            reads
                .iter()
                .filter(|r| (r.person_id == thread.parent_id) == parent)
                .map(|r| r.read_up_to)
                .max()
                .unwrap_or(0)
        };
        Ok(Self {
            parent: furthest(true),
            agency: furthest(false),
        })
    }

    /// Whether the other side has seen the message `id`.
    fn seen(&self, id: i32, from_agency: bool) -> bool {
        if from_agency {
            self.parent >= id
        } else {
            self.agency >= id
        }
    }
}
