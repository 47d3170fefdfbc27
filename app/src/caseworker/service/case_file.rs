//! A case's file as the agency sees it: the case, its people, its latest
//! entries, its conversations and its audit log.

use std::collections::HashMap;

use entity::{accounts, audit_events, case_participants, people};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, IdenStatic, JoinType,
    QueryFilter, QueryResult, QuerySelect, QueryTrait, RelationTrait, SelectA, SelectB,
};

use crate::caseworker::model::{AuditLine, CaseFile, EntryLine, Participant};
use crate::components::pager::PageOf;
use crate::error::AppError;
use crate::ledger::Money;
use crate::messages::service::lists::case_threads;
use crate::requests::service::reading::case_requests;
use crate::server::access::{parent_role, Authorized, CaseAction};
use crate::server::audit::{self, AuditAction, AuditEvent, Source};
use crate::server::caller::Caller;
use crate::server::ledger::CaseRecords;
use crate::server::people::names_of;

/// Entries the case file lists (the history page has every one).
const LATEST_ENTRIES: usize = 25;

/// The agency's file on a case, for its caseworker or a supervisor. It is
/// read through the readers; only its line on the audit log is written
/// (with the other reads of the moment: `read_log`).
pub async fn case_file(
    caller: &Caller,
    case_number: &str,
    audit_page: u32,
) -> Result<CaseFile, AppError> {
    let Authorized { case, role } = caller.case(case_number, CaseAction::ReadFile).await?;
    let (db, reader, clock) = (caller.reads(), &caller.reader, caller.clock);
    let policy = &caller.state.ledger;
    let today = clock.today();
    let (case_id, caseworker) = (case.id, case.caseworker_id);
    let colleagues = match role.may(CaseAction::Reassign) {
        true => crate::server::people::colleagues(db).await?,
        false => Vec::new(),
    };
    let file = CaseRecords::recall(db, &caller.state.ledgers, [case_id])
        .await?
        .take(case_id);
    let event = AuditEvent::new(AuditAction::CaseOpened)
        .by(reader.person_id)
        .on_case(case_id);
    let log = &caller.state.read_log;
    log.record(event, &Source::of_request(), clock.now).await?;
    let (events, audit_paging) = audit::of_case(db, case_id, audit_page).await?;
    let recent = file.latest(LATEST_ENTRIES);
    // Every name the file shows, in one query.
    let names = names_of(
        db,
        caseworker
            .into_iter()
            .chain(recent.iter().filter_map(|r| r.written.posted_by))
            .chain(events.iter().filter_map(|event| event.actor_id)),
    )
    .await?;
    let name = |id: Option<i32>| id.and_then(|id| names.get(&id).cloned());
    let view = crate::balance::service::view_of_case(
        &file,
        case,
        role,
        name(caseworker),
        today,
        policy,
        clock.as_of(),
    )?;
    let on_hold = view
        .card
        .to_receiver
        .as_ref()
        .map(|money| money.on_hold.iter().map(|held| held.amount).sum())
        .unwrap_or(Money::ZERO);
    Ok(CaseFile {
        view,
        participants: participants(db, case_id).await?,
        entries: recent
            .into_iter()
            .map(|recent| {
                let poster = name(recent.written.posted_by);
                EntryLine::of(recent, poster)
            })
            .collect(),
        on_hold,
        threads: case_threads(db, reader, case_id, clock).await?,
        requests: case_requests(db, reader, case_id, role, clock).await?,
        audit: audit_lines_of(events, &names),
        audit_paging,
        fresh_pin: None,
        caseworker,
        colleagues,
    })
}

/// Who did what on the case, newest first, with the actors' names.
pub async fn audit_lines(
    db: &impl ConnectionTrait,
    case_id: i32,
    page: u32,
) -> Result<(Vec<AuditLine>, PageOf), AppError> {
    let (events, paging) = audit::of_case(db, case_id, page).await?;
    let actors = names_of(db, events.iter().filter_map(|event| event.actor_id)).await?;
    Ok((audit_lines_of(events, &actors), paging))
}

/// The audit log's rows as the file lists them, with the actors' names.
fn audit_lines_of(
    events: Vec<audit_events::Model>,
    names: &HashMap<i32, String>,
) -> Vec<AuditLine> {
    events
        .into_iter()
        .map(|event| AuditLine {
            at: event.at,
            actor_name: event.actor_id.and_then(|id| names.get(&id).cloned()),
            action: event.action,
            actor: event.actor_id,
            subject: event.subject_id,
            source: event.source,
            detail: event.detail,
        })
        .collect()
}

/// A participant, their person and the e-mail of their account, if any.
struct ParticipantRow {
    participant: case_participants::Model,
    person: Option<people::Model>,
    account_email: Option<String>,
}

const ACCOUNT_EMAIL: &str = "account_email";

impl FromQueryResult for ParticipantRow {
    fn from_query_result(row: &QueryResult, _prefix: &str) -> Result<Self, DbErr> {
        Ok(Self {
            participant: case_participants::Model::from_query_result(row, SelectA.as_str())?,
            person: people::Model::from_query_result_optional(row, SelectB.as_str())?,
            account_email: row.try_get("", ACCOUNT_EMAIL)?,
        })
    }
}

/// The case's parents with how to reach them, paying parent first (one
/// query: each participant with their person and account).
async fn participants(
    db: &impl ConnectionTrait,
    case_id: i32,
) -> Result<Vec<Participant>, AppError> {
    let query = case_participants::Entity::find()
        .filter(case_participants::Column::CaseId.eq(case_id))
        .find_also_related(people::Entity)
        .join_rev(JoinType::LeftJoin, accounts::Relation::Person.def())
        .column_as(accounts::Column::Email, ACCOUNT_EMAIL)
        .build(db.get_database_backend());
    let rows = ParticipantRow::find_by_statement(query).all(db).await?;
    let mut participants: Vec<Participant> = rows
        .into_iter()
        .filter_map(|row| {
            let person = row.person?;
            Some(Participant {
                person: person.id,
                role: parent_role(&row.participant.role)?,
                name: person.full_name,
                phone: person.phone,
                email: person.email,
                mailing_address: person.mailing_address,
                account_email: row.account_email,
            })
        })
        .collect();
    participants.sort_by_key(|p| p.role);
    Ok(participants)
}
