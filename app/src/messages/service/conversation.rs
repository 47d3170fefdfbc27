//! One conversation: starting one, replying, giving it to a colleague,
//! closing it, and who may do each (opening one is in `reading`).

use super::status_of;
use super::thread::{authorize_thread, mark_read};
use crate::error::{AppError, Field, Problem};
use crate::messages::rules::{self, Status, Topic};
use crate::reader::User;
use crate::server::access::CaseAction;
use crate::server::audit::{self, AuditAction, AuditEvent, Source};
use crate::server::caller::Caller;
use crate::server::internal;
use chrono::{DateTime, Utc};
use entity::{cases, message_threads, messages};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait,
};

/// A parent starts a conversation about one of their cases; the id of the
/// conversation (the same one again if this form was already sent).
pub async fn start(
    caller: &Caller,
    case_number: &str,
    topic: &str,
    body: &str,
    key: &str,
) -> Result<i32, AppError> {
    let (db, reader, now) = (caller.db(), &caller.reader, caller.clock.now);
    // Staff write from the case; this form is a parent's.
    let authorized = caller.case(case_number, CaseAction::AskAsParent).await?;
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

/// Adds a message to a conversation the reader may see.
pub async fn reply(caller: &Caller, thread_id: i32, body: &str, key: &str) -> Result<(), AppError> {
    let (db, reader, now) = (caller.db(), &caller.reader, caller.clock.now);
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
    let status = status_of(&thread)?;
    let message = insert_message(txn, thread_id, reader.person_id, body, key, now).await?;
    tell_other_side(txn, &thread, case_id, from_parent, message.id, now).await?;
    let mut changed: message_threads::ActiveModel = thread.into();
    if from_parent && status != Status::Waiting {
        changed.waiting_since = Set(now);
    }
    changed.status = Set(status.after_message(from_parent).as_str().to_owned());
    changed.last_message_at = Set(now);
    changed.update(txn).await?;
    mark_read(txn, thread_id, reader.person_id, message.id, now).await?;
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
async fn tell_other_side(
    txn: &impl ConnectionTrait,
    thread: &message_threads::Model,
    case: i32,
    from_parent: bool,
    message: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (parent, assigned) = (thread.parent_id, thread.assigned_to);
    use crate::notice::Kind;
    use crate::server::notices::{notify, Notice};
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
        link: format!("/messages/{}", thread.id),
        dedupe: format!("message:{message}:{person}"),
    };
    notify(txn, notice, now).await
}

/// Staff give a conversation to a colleague (themself: "take it"); it then
/// waits on that colleague's work list, and they may answer it.
pub async fn assign(caller: &Caller, thread_id: i32, to: i32) -> Result<(), AppError> {
    let (db, reader, now) = (caller.db(), &caller.reader, caller.clock.now);
    if !reader.role.is_staff() {
        return Err(AppError::Forbidden);
    }
    let (thread, case) = authorize_thread(db, reader, thread_id).await?;
    let is_staff = crate::server::people::colleagues(db)
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
pub async fn close(caller: &Caller, thread_id: i32) -> Result<(), AppError> {
    let (db, reader, now) = (caller.db(), &caller.reader, caller.clock.now);
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

/// The message this form already stored, if it was sent before. A key
/// is its sender's: someone else's key is refused, never answered with
/// their message.
pub(super) async fn already_sent(
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
