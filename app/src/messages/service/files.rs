//! Files in a conversation: attaching one (type read from its content,
//! within the size and the daily quota) and downloading it.

use super::conversation::{already_sent, append};
use super::thread::authorize_thread;
use crate::config::MessagePolicy;
use crate::error::{AppError, Field, Problem};
use crate::messages::model::AttachmentLink;
use crate::messages::rules::{self};
use crate::reader::User;
use crate::server::access::missing;
use crate::server::audit::{self, AuditAction};
use crate::server::internal;
use chrono::{DateTime, Utc};
use entity::{attachments, messages};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};

/// The files sent in a conversation, oldest first.
pub(crate) async fn thread_files(
    db: &impl ConnectionTrait,
    thread_id: i32,
) -> Result<Vec<AttachmentLink>, AppError> {
    let sent = messages::Entity::find()
        .filter(messages::Column::ThreadId.eq(thread_id))
        .select_only()
        .column(messages::Column::Id)
        .into_tuple::<i32>()
        .all(db)
        .await?;
    Ok(files_of(db, sent)
        .await?
        .into_iter()
        .map(|(_, link)| link)
        .collect())
}

/// What was attached to `messages` (their ids), without the files
/// themselves: each with the message it came with, oldest first.
pub(super) async fn files_of(
    db: &impl ConnectionTrait,
    messages: impl IntoIterator<Item = i32>,
) -> Result<Vec<(i32, AttachmentLink)>, AppError> {
    Ok(attachments::Entity::find()
        .select_only()
        .columns([
            attachments::Column::Id,
            attachments::Column::MessageId,
            attachments::Column::FileName,
            attachments::Column::ContentType,
            attachments::Column::SizeBytes,
        ])
        .filter(attachments::Column::MessageId.is_in(messages))
        .order_by_asc(attachments::Column::Id)
        .into_tuple::<(i32, i32, String, String, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, message, file_name, content_type, size_bytes)| {
            let link = AttachmentLink {
                id,
                file_name,
                content_type,
                size_bytes,
            };
            (message, link)
        })
        .collect())
}

/// A file as it arrived, with the form it came in.
pub struct Upload {
    /// The name the sender's device gave it.
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// A few words sent with it (may be empty).
    pub note: String,
    /// The form's idempotency key.
    pub key: String,
}

/// The bytes `reader` sent in files since `since`.
async fn uploaded_since(
    db: &impl ConnectionTrait,
    reader: &User,
    since: DateTime<Utc>,
) -> Result<i64, AppError> {
    let sent = Query::select()
        .column(messages::Column::Id)
        .from(messages::Entity)
        .and_where(messages::Column::AuthorId.eq(reader.person_id))
        .and_where(messages::Column::SentAt.gt(since))
        .to_owned();
    let sizes: Vec<i64> = attachments::Entity::find()
        .filter(attachments::Column::MessageId.in_subquery(sent))
        .select_only()
        .column(attachments::Column::SizeBytes)
        .into_tuple()
        .all(db)
        .await?;
    Ok(sizes.iter().sum())
}

/// Sends a file (PDF, JPEG or PNG, by its content) with an optional note.
pub async fn attach(
    db: &DatabaseConnection,
    reader: &User,
    thread_id: i32,
    upload: Upload,
    now: DateTime<Utc>,
    policy: &MessagePolicy,
) -> Result<(), AppError> {
    let (thread, case) = authorize_thread(db, reader, thread_id).await?;
    let Upload {
        file_name,
        bytes,
        note,
        key,
    } = upload;
    let note = rules::note(&note)?;
    let key = key.as_str();
    let at_attachment = |problem| AppError::invalid(Field::Attachment, problem);
    if bytes.is_empty() {
        return Err(at_attachment(Problem::Required));
    }
    if bytes.len() > policy.attachment_max_bytes() {
        return Err(at_attachment(Problem::FileTooLarge));
    }
    let size = i64::try_from(bytes.len()).map_err(internal)?;
    if uploaded_since(db, reader, now - chrono::Duration::hours(24)).await? + size
        > policy.daily_upload_bytes()
    {
        return Err(at_attachment(Problem::DailyUploadQuota));
    }
    let content_type = infer::get(&bytes)
        .map(|kind| kind.mime_type())
        .filter(|mime| rules::ACCEPTED_TYPES.contains(mime))
        .ok_or_else(|| at_attachment(Problem::FileType))?;
    if already_sent(db, reader, key).await?.is_some() {
        return Ok(());
    }
    let txn = db.begin().await?;
    let message = append(&txn, reader, thread, case.id, note, key, now).await?;
    attachments::ActiveModel {
        message_id: Set(message.id),
        file_name: Set(rules::file_name(&file_name, content_type)),
        content_type: Set(content_type.to_owned()),
        size_bytes: Set(size),
        content: Set(bytes),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A file of a conversation the reader may see: its name, type and bytes.
pub async fn download(
    db: &DatabaseConnection,
    reader: &User,
    attachment_id: i32,
) -> Result<(String, String, Vec<u8>), AppError> {
    let what = format!("attachment {attachment_id}");
    let message = match attachments::Entity::find_by_id(attachment_id)
        .one(db)
        .await?
    {
        Some(file) => messages::Entity::find_by_id(file.message_id)
            .one(db)
            .await?
            .map(|message| (file, message)),
        None => None,
    };
    let Some((file, message)) = message else {
        audit::refused(db, reader, None, &what).await?;
        return Err(missing(reader));
    };
    let (_, case) = authorize_thread(db, reader, message.thread_id).await?;
    audit::staff_read(db, reader, AuditAction::AttachmentRead, case.id, Some(what)).await?;
    Ok((file.file_name, file.content_type, file.content))
}
