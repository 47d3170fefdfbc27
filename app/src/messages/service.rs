//! Conversations in the database. Who may see one: the parent it is with,
//! the case's caseworker (or the colleague it was given to) and supervisors
//! — never the other parent of the case.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use entity::{attachments, cases, message_threads, messages, support_requests, thread_reads};
use sea_orm::sea_query::{OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select, Set, TransactionTrait,
};

use super::model::{
    AttachmentLink, Conversation, Inbox, MessageView, ThreadSummary, WorkItem, WorkList,
};
use super::rules::{self, add_business_days, business_days_between, Status, Topic};
use crate::account::model::{AccountRole, CaseRole, User};
use crate::account::secret::random_code;
use crate::components::pager::PageOf;
use crate::config::MessagePolicy;

/// Conversations on one page of a list (the inbox, the work list).
const LISTED: u64 = 50;
use crate::error::{AppError, Field, Problem};
use crate::server::access::{authorize, missing, parent_cases, CaseAction};
use crate::server::audit::{self, AuditAction, AuditEvent, Source};
use crate::server::internal;
use crate::server::people::names_of;

/// What a page needs to know about "now": when, and in which time zone.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub now: DateTime<Utc>,
    pub zone: Tz,
}

impl Clock {
    pub(crate) fn local(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.zone)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }
}

/// A fresh key for a form that sends a message.
pub fn send_key() -> String {
    random_code(4, 5)
}

/// The reader's conversations, newest activity first.
pub async fn inbox(
    db: &impl ConnectionTrait,
    reader: &User,
    clock: Clock,
    reply_business_days: u32,
    page: u32,
) -> Result<Inbox, AppError> {
    let query = visible_threads(db, reader).await?;
    let (paging, skip) = PageOf::at(query.clone().count(db).await?, LISTED, page);
    let case_numbers = match reader.role {
        AccountRole::Parent => parent_cases(db, reader.person_id)
            .await?
            .into_iter()
            .map(|(case, _)| case.case_number)
            .collect(),
        _ => Vec::new(),
    };
    let threads = query
        .order_by_desc(message_threads::Column::LastMessageAt)
        .order_by_desc(message_threads::Column::Id)
        .offset(skip)
        .limit(LISTED)
        .all(db)
        .await?;
    let threads = summaries(db, reader, threads, clock).await?;
    Ok(Inbox {
        threads,
        paging,
        cases: case_numbers,
        send_key: send_key(),
        reply_business_days,
    })
}

/// The conversations of one case that `reader` may see, newest first.
pub async fn case_threads(
    db: &impl ConnectionTrait,
    reader: &User,
    case_id: i32,
    clock: Clock,
) -> Result<Vec<ThreadSummary>, AppError> {
    let threads = visible_threads(db, reader)
        .await?
        .filter(message_threads::Column::CaseId.eq(case_id))
        .order_by_desc(message_threads::Column::LastMessageAt)
        .all(db)
        .await?;
    summaries(db, reader, threads, clock).await
}

/// `threads` as lists show them, each marked unread if the reader has not
/// seen its latest message.
async fn summaries(
    db: &impl ConnectionTrait,
    reader: &User,
    threads: Vec<message_threads::Model>,
    clock: Clock,
) -> Result<Vec<ThreadSummary>, AppError> {
    let (numbers, names) = labels_of(db, &threads).await?;
    let read: HashMap<i32, DateTime<Utc>> = thread_reads::Entity::find()
        .filter(thread_reads::Column::PersonId.eq(reader.person_id))
        .filter(thread_reads::Column::ThreadId.is_in(threads.iter().map(|t| t.id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.thread_id, r.read_at))
        .collect();
    threads
        .into_iter()
        .map(|thread| {
            Ok(ThreadSummary {
                id: thread.id,
                case_number: numbers.get(&thread.case_id).cloned().unwrap_or_default(),
                topic: topic_of(&thread)?,
                status: status_of(&thread)?,
                parent_name: names.get(&thread.parent_id).cloned().unwrap_or_default(),
                last_message_at: clock.local(thread.last_message_at),
                unread: read
                    .get(&thread.id)
                    .is_none_or(|seen| *seen < thread.last_message_at),
            })
        })
        .collect()
}

/// The conversations `reader` may see: a parent's own; a caseworker's
/// cases' and those given to them; every one for a supervisor.
async fn visible_threads(
    db: &impl ConnectionTrait,
    reader: &User,
) -> Result<Select<message_threads::Entity>, AppError> {
    let query = message_threads::Entity::find();
    Ok(match reader.role {
        AccountRole::Parent => query.filter(message_threads::Column::ParentId.eq(reader.person_id)),
        AccountRole::Caseworker => {
            let mine = cases::Entity::find()
                .filter(cases::Column::CaseworkerId.eq(reader.person_id))
                .all(db)
                .await?;
            query.filter(
                Condition::any()
                    .add(message_threads::Column::CaseId.is_in(mine.iter().map(|c| c.id)))
                    .add(message_threads::Column::AssignedTo.eq(reader.person_id)),
            )
        }
        AccountRole::Supervisor => query,
    })
}

/// What waits for the agency, oldest first, with the business days it has
/// waited; staff only.
pub async fn work_list(
    db: &impl ConnectionTrait,
    reader: &User,
    clock: Clock,
    policy: MessagePolicy,
    topic: &str,
    case_number: &str,
    page: u32,
) -> Result<WorkList, AppError> {
    if !reader.role.is_staff() {
        return Err(AppError::Forbidden);
    }
    let topic = match topic.trim() {
        "" => None,
        name => Some(
            Topic::parse(name)
                .ok_or_else(|| AppError::invalid(Field::Topic, Problem::NotAChoice))?,
        ),
    };
    let case_number = case_number.trim().to_ascii_uppercase();
    let mut query = visible_threads(db, reader)
        .await?
        .filter(message_threads::Column::Status.eq(Status::Waiting.as_str()));
    if let Some(topic) = topic {
        query = query.filter(message_threads::Column::Topic.eq(topic.as_str()));
    }
    if !case_number.is_empty() {
        let case = cases::Entity::find()
            .filter(cases::Column::CaseNumber.eq(case_number.as_str()))
            .one(db)
            .await?;
        // No such case: nothing of it waits.
        query = query.filter(message_threads::Column::CaseId.eq(case.map_or(0, |c| c.id)));
    }
    let (paging, skip) = PageOf::at(query.clone().count(db).await?, LISTED, page);
    let threads = query
        .order_by_asc(message_threads::Column::WaitingSince)
        .order_by_asc(message_threads::Column::Id)
        .offset(skip)
        .limit(LISTED)
        .all(db)
        .await?;
    let (numbers, names) = labels_of(db, &threads).await?;
    let assignees = names_of(db, threads.iter().filter_map(|t| t.assigned_to)).await?;
    let requests = requests_of(db, threads.iter().map(|t| t.id)).await?;
    let today = clock.now.with_timezone(&clock.zone).date_naive();
    let items = threads
        .iter()
        .map(|thread| {
            let since = thread.waiting_since.with_timezone(&clock.zone).date_naive();
            let waited = business_days_between(since, today);
            Ok(WorkItem {
                thread: thread.id,
                case_number: numbers.get(&thread.case_id).cloned().unwrap_or_default(),
                topic: topic_of(thread)?,
                parent_name: names.get(&thread.parent_id).cloned().unwrap_or_default(),
                waiting_since: clock.local(thread.waiting_since),
                business_days: waited,
                overdue: waited > policy.reply_business_days,
                request: requests.get(&thread.id).copied(),
                assigned_to: thread
                    .assigned_to
                    .and_then(|id| assignees.get(&id).cloned()),
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(WorkList {
        items,
        reply_business_days: policy.reply_business_days,
        topic,
        case_number,
        paging,
    })
}

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
    let reads = thread_reads::Entity::find()
        .filter(thread_reads::Column::ThreadId.eq(thread.id))
        .all(db)
        .await?;
    let mut files: HashMap<i32, Vec<AttachmentLink>> = HashMap::new();
    for (message, link) in files_of(db, rows.iter().map(|m| m.id)).await? {
        files.entry(message).or_default().push(link);
    }
    // The agency's side has seen up to what any of its people has read.
    let parent_read = reads
        .iter()
        .filter(|r| r.person_id == thread.parent_id)
        .map(|r| r.read_up_to)
        .max()
        .unwrap_or(0);
    let agency_read = reads
        .iter()
        .filter(|r| r.person_id != thread.parent_id)
        .map(|r| r.read_up_to)
        .max()
        .unwrap_or(0);
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
                    seen: if from_agency {
                        parent_read >= m.id
                    } else {
                        agency_read >= m.id
                    },
                }
            })
            .collect(),
        reply_due: (status == Status::Waiting)
            .then(|| add_business_days(waiting_since, policy.reply_business_days)),
        reader_is_staff: reader.role.is_staff(),
        send_key: send_key(),
        attach_key: send_key(),
        attachment_max_mb: policy.attachment_max_mb,
        request: requests_of(db, [thread.id]).await?.get(&thread.id).copied(),
        assigned_to: match thread.assigned_to {
            Some(id) => names_of(db, [id]).await?.remove(&id),
            None => None,
        },
        colleagues: match reader.role.is_staff() {
            true => crate::staff::service::colleagues(db).await?,
            false => Vec::new(),
        },
    })
}

/// A parent starts a conversation about one of their cases; the id of the
/// conversation (the same one again if this form was already sent).
pub async fn start(
    db: &DatabaseConnection,
    reader: &User,
    case_number: &str,
    topic: &str,
    body: &str,
    key: &str,
    now: DateTime<Utc>,
) -> Result<i32, AppError> {
    let authorized = authorize(db, reader, case_number, CaseAction::View).await?;
    if !matches!(
        authorized.role,
        CaseRole::PayingParent | CaseRole::ReceivingParent
    ) {
        // Staff write from the case; this form is a parent's.
        return Err(AppError::Forbidden);
    }
    let topic = Topic::parse(topic.trim());
    let body = rules::body(body);
    let mut problems = Vec::new();
    if topic.is_none() {
        problems.push(crate::error::FieldError {
            field: Field::Topic,
            problem: Problem::Required,
        });
    }
    if let Err(AppError::Invalid(mut body_problems)) = body.clone() {
        problems.append(&mut body_problems);
    }
    let (Some(topic), Ok(body), true) = (topic, body, problems.is_empty()) else {
        return Err(AppError::Invalid(problems));
    };
    if let Some(existing) = already_sent(db, reader, key).await? {
        return Ok(existing.thread_id);
    }
    let txn = db.begin().await?;
    let thread = new_thread(&txn, authorized.case.id, reader.person_id, topic, now).await?;
    let id = thread.id;
    append(&txn, reader, thread, authorized.case.id, body, key, now).await?;
    txn.commit().await?;
    Ok(id)
}

/// A new conversation of `parent` with the agency about `case`, waiting for
/// the agency from `now`, with no message yet.
pub(crate) async fn new_thread(
    txn: &impl ConnectionTrait,
    case: i32,
    parent: i32,
    topic: Topic,
    now: DateTime<Utc>,
) -> Result<message_threads::Model, AppError> {
    Ok(message_threads::ActiveModel {
        case_id: Set(case),
        parent_id: Set(parent),
        topic: Set(topic.as_str().to_owned()),
        status: Set(Status::Waiting.as_str().to_owned()),
        assigned_to: Set(None),
        created_at: Set(now),
        waiting_since: Set(now),
        last_message_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?)
}

/// The agency acted on what the conversation asked (a request moved): it
/// no longer waits on the work list, and the parent sees something new.
pub(crate) async fn mark_answered(
    txn: &impl ConnectionTrait,
    thread_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Some(thread) = message_threads::Entity::find_by_id(thread_id)
        .one(txn)
        .await?
    else {
        return Err(internal(format!("thread {thread_id} is gone")));
    };
    let mut changed: message_threads::ActiveModel = thread.into();
    changed.status = Set(Status::Answered.as_str().to_owned());
    changed.last_message_at = Set(now);
    changed.update(txn).await?;
    Ok(())
}

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
async fn files_of(
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

/// Adds a message to a conversation the reader may see.
pub async fn reply(
    db: &DatabaseConnection,
    reader: &User,
    thread_id: i32,
    body: &str,
    key: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (thread, case) = authorize_thread(db, reader, thread_id).await?;
    let body = rules::body(body)?;
    if already_sent(db, reader, key).await?.is_some() {
        return Ok(());
    }
    let txn = db.begin().await?;
    append(&txn, reader, thread, case.id, body, key, now).await?;
    txn.commit().await?;
    Ok(())
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

/// Appends a message to `thread` and moves its status: a parent's message
/// waits for the agency, the agency's answers it.
pub(crate) async fn append(
    txn: &impl ConnectionTrait,
    reader: &User,
    thread: message_threads::Model,
    case_id: i32,
    body: String,
    key: &str,
    now: DateTime<Utc>,
) -> Result<messages::Model, AppError> {
    let thread_id = thread.id;
    let from_parent = reader.person_id == thread.parent_id;
    let (parent, assigned) = (thread.parent_id, thread.assigned_to);
    let status = status_of(&thread)?;
    let message = insert_message(txn, thread_id, reader.person_id, body, key, now).await?;
    let mut changed: message_threads::ActiveModel = thread.into();
    if from_parent && status != Status::Waiting {
        changed.waiting_since = Set(now);
    }
    changed.status = Set(status.after_message(from_parent).as_str().to_owned());
    changed.last_message_at = Set(now);
    changed.update(txn).await?;
    mark_read(txn, thread_id, reader.person_id, message.id, now).await?;
    tell_other_side(
        txn,
        thread_id,
        case_id,
        from_parent,
        parent,
        assigned,
        message.id,
        now,
    )
    .await?;
    let event = AuditEvent::new(AuditAction::MessageSent)
        .by(reader.person_id)
        .on_case(case_id)
        .detail(format!("thread {thread_id}"));
    audit::record(txn, event, &Source::of_request(), now).await?;
    Ok(message)
}

/// A new message is news for the other side: the parent when the agency
/// answered; the colleague it was given to, or else the case's caseworker,
/// when the parent wrote.
#[allow(clippy::too_many_arguments)]
async fn tell_other_side(
    txn: &impl ConnectionTrait,
    thread: i32,
    case: i32,
    from_parent: bool,
    parent: i32,
    assigned: Option<i32>,
    message: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use crate::notifications::model::Kind;
    use crate::notifications::service::{notify, Notice};
    let (person, kind) = if from_parent {
        let caseworker = match assigned {
            Some(colleague) => Some(colleague),
            None => cases::Entity::find_by_id(case)
                .one(txn)
                .await?
                .and_then(|case| case.caseworker_id),
        };
        let Some(caseworker) = caseworker else {
            return Ok(());
        };
        (caseworker, Kind::MessageReceived)
    } else {
        (parent, Kind::ReplyReceived)
    };
    let notice = Notice {
        person,
        kind,
        case: Some(case),
        amount: None,
        status: None,
        link: format!("/messages/{thread}"),
        dedupe: format!("message:{message}:{person}"),
    };
    notify(txn, notice, now).await
}

/// Staff give a conversation to a colleague (themself: "take it"); it then
/// waits on that colleague's work list, and they may answer it.
pub async fn assign(
    db: &DatabaseConnection,
    reader: &User,
    thread_id: i32,
    to: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if !reader.role.is_staff() {
        return Err(AppError::Forbidden);
    }
    let (thread, case) = authorize_thread(db, reader, thread_id).await?;
    let is_staff = crate::staff::service::colleagues(db)
        .await?
        .iter()
        .any(|c| c.person == to);
    if !is_staff {
        return Err(AppError::invalid(Field::Person, Problem::NotAChoice));
    }
    let txn = db.begin().await?;
    let mut changed: message_threads::ActiveModel = thread.into();
    changed.assigned_to = Set(Some(to));
    changed.update(&txn).await?;
    let event = AuditEvent::new(AuditAction::ThreadAssigned)
        .by(reader.person_id)
        .on_case(case.id)
        .about(to)
        .detail(format!("thread {thread_id}"));
    audit::record(&txn, event, &Source::of_request(), now).await?;
    txn.commit().await?;
    Ok(())
}

/// Closes a conversation (either side may; a new message opens it again).
pub async fn close(
    db: &DatabaseConnection,
    reader: &User,
    thread_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (thread, case) = authorize_thread(db, reader, thread_id).await?;
    let txn = db.begin().await?;
    let mut changed: message_threads::ActiveModel = thread.into();
    changed.status = Set(Status::Closed.as_str().to_owned());
    changed.update(&txn).await?;
    let event = AuditEvent::new(AuditAction::ThreadClosed)
        .by(reader.person_id)
        .on_case(case.id)
        .detail(format!("thread {thread_id}"));
    audit::record(&txn, event, &Source::of_request(), now).await?;
    txn.commit().await?;
    Ok(())
}

/// The thread and its case, if `reader` may see it. Someone else's thread
/// and one that does not exist are refused alike.
async fn authorize_thread(
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

/// The message this form already stored, if it was sent before. A key
/// is its sender's: someone else's key is refused, never answered with
/// their message.
async fn already_sent(
    db: &impl ConnectionTrait,
    reader: &User,
    key: &str,
) -> Result<Option<messages::Model>, AppError> {
    if key.trim().is_empty() || key.len() > 64 {
        return Err(AppError::invalid(Field::Body, Problem::Required));
    }
    let existing = messages::Entity::find()
        .filter(messages::Column::IdempotencyKey.eq(key.trim()))
        .one(db)
        .await?;
    match existing {
        Some(message) if message.author_id != reader.person_id => Err(AppError::Forbidden),
        found => Ok(found),
    }
}

async fn insert_message(
    db: &impl ConnectionTrait,
    thread_id: i32,
    author: i32,
    body: String,
    key: &str,
    now: DateTime<Utc>,
) -> Result<messages::Model, AppError> {
    Ok(messages::ActiveModel {
        thread_id: Set(thread_id),
        author_id: Set(author),
        body: Set(body),
        sent_at: Set(now),
        idempotency_key: Set(key.trim().to_owned()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Records that `person` has read `thread` up to message `up_to`.
async fn mark_read(
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

/// The requests `threads` carry: request id by thread id.
async fn requests_of(
    db: &impl ConnectionTrait,
    threads: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, i32>, AppError> {
    Ok(support_requests::Entity::find()
        .filter(support_requests::Column::ThreadId.is_in(threads))
        .select_only()
        .columns([
            support_requests::Column::ThreadId,
            support_requests::Column::Id,
        ])
        .into_tuple::<(i32, i32)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// The case numbers and the parents' names of `threads`, by id.
async fn labels_of(
    db: &impl ConnectionTrait,
    threads: &[message_threads::Model],
) -> Result<(HashMap<i32, String>, HashMap<i32, String>), AppError> {
    let numbers = cases::Entity::find()
        .filter(cases::Column::Id.is_in(threads.iter().map(|t| t.case_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|case| (case.id, case.case_number))
        .collect();
    let names = names_of(db, threads.iter().map(|t| t.parent_id)).await?;
    Ok((numbers, names))
}

fn topic_of(thread: &message_threads::Model) -> Result<Topic, AppError> {
    Topic::parse(&thread.topic)
        .ok_or_else(|| internal(format!("thread {} has topic {}", thread.id, thread.topic)))
}

fn status_of(thread: &message_threads::Model) -> Result<Status, AppError> {
    Status::parse(&thread.status)
        .ok_or_else(|| internal(format!("thread {} has status {}", thread.id, thread.status)))
}
