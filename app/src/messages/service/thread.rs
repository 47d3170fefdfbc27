//! Who may see a conversation, and how far someone has read it: what
//! opening, writing in and attaching to a conversation all start from.

use chrono::{DateTime, Utc};
use entity::{cases, message_threads, thread_reads};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, Set};

use crate::error::AppError;
use crate::reader::{AccountRole, User};
use crate::server::access::missing;
use crate::server::audit;

/// The thread and its case, if `reader` may see it. Someone else's thread
/// and one that does not exist are refused alike.
pub(super) async fn authorize_thread(
    db: &impl ConnectionTrait,
    reader: &User,
    thread_id: i32,
) -> Result<(message_threads::Model, cases::Model), AppError> {
    let what = format!("conversation {thread_id}");
    let Some((thread, Some(case))) = message_threads::Entity::find_by_id(thread_id)
        .find_also_related(cases::Entity)
        .one(db)
        .await?
    else {
        audit::refused(db, reader, None, &what).await?;
        return Err(missing(reader));
    };
    let allowed = match reader.role {
        AccountRole::Parent => thread.parent_id == reader.person_id,
        AccountRole::Caseworker => {
            case.caseworker_id == Some(reader.person_id)
                || thread.assigned_to == Some(reader.person_id)
        }
        AccountRole::Supervisor => true,
    };
    if allowed {
        Ok((thread, case))
    } else {
        audit::refused(db, reader, Some(case.id), &what).await?;
        Err(AppError::Forbidden)
    }
}

/// Records that `person` has read `thread` up to message `up_to`.
pub(super) async fn mark_read(
    db: &impl ConnectionTrait,
    thread: i32,
    person: i32,
    up_to: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let row = thread_reads::ActiveModel {
        thread_id: Set(thread),
        person_id: Set(person),
        read_up_to: Set(up_to),
        read_at: Set(now),
        ..Default::default()
    };
    thread_reads::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                thread_reads::Column::ThreadId,
                thread_reads::Column::PersonId,
            ])
            .update_columns([thread_reads::Column::ReadUpTo, thread_reads::Column::ReadAt])
            .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}
