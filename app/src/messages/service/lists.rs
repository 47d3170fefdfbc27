//! Lists of conversations: the reader's inbox, a case's conversations and
//! the staff work list, with what each waits for.

use super::{status_of, topic_of};
use crate::components::pager::PageOf;
use crate::config::MessagePolicy;
use crate::error::{AppError, Field, Problem};
use crate::messages::model::{Inbox, ThreadSummary, WorkItem, WorkList};
use crate::messages::rules::{business_days_between, Status, Topic};
use crate::reader::{AccountRole, User};
use crate::server::access::parent_cases;
use crate::server::clock::Clock;
use crate::server::people::names_of;
use crate::server::secret::form_key;
use chrono::{DateTime, Utc};
use entity::{cases, message_threads, support_requests, thread_reads};
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use std::collections::HashMap;

/// Conversations on one page of a list (the inbox, the work list).
const LISTED: u64 = 50;

/// The reader's conversations, newest activity first.
pub async fn inbox(
    db: &impl ConnectionTrait,
    reader: &User,
    clock: Clock,
    reply_business_days: u32,
    page: u32,
) -> Result<Inbox, AppError> {
    let query = visible_threads(reader);
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
        send_key: form_key(),
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
    let threads = visible_threads(reader)
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
    if threads.is_empty() {
        return Ok(Vec::new());
    }
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
fn visible_threads(reader: &User) -> Select<message_threads::Entity> {
    let query = message_threads::Entity::find();
    match reader.role {
        AccountRole::Parent => query.filter(message_threads::Column::ParentId.eq(reader.person_id)),
        AccountRole::Caseworker => {
            // Their cases, as a subquery: a caseworker may have hundreds.
            let mine = Query::select()
                .column(cases::Column::Id)
                .from(cases::Entity)
                .and_where(cases::Column::CaseworkerId.eq(reader.person_id))
                .to_owned();
            query.filter(
                Condition::any()
                    .add(message_threads::Column::CaseId.in_subquery(mine))
                    .add(message_threads::Column::AssignedTo.eq(reader.person_id)),
            )
        }
        AccountRole::Supervisor => query,
    }
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
    let mut query = visible_threads(reader)
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

/// The requests `threads` carry: request id by thread id.
pub(super) async fn requests_of(
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
pub(super) async fn labels_of(
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
