//! The audit log: who did what, when, on which case, from where. Appended to
//! inside the same transaction as the change it records, so neither is ever
//! stored without the other.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::extract::ConnectInfo;
use chrono::{DateTime, Utc};
use entity::audit_events;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};

use crate::components::pager::PageOf;
use crate::error::AppError;
use crate::reader::User;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    SignIn,
    SignInFailed,
    AccountLocked,
    SignOut,
    ActivationFailed,
    AccountActivated,
    PasswordReset,
    PinIssued,
    PinVoided,
    CaseOpened,
    StaffAccountCreated,
    SecondFactorEnabled,
    SecondFactorDisabled,
    RecoveryCodeUsed,
    MessageSent,
    ThreadClosed,
    ThreadAssigned,
    EntryPosted,
    OrderChanged,
    RequestMade,
    RequestMoved,
    CaseReassigned,
    StaffChanged,
    AdvicePublished,
    /// Staff read a case's history, statement, months, CSV, a conversation
    /// or a file (parents reading their own case are not recorded).
    HistoryRead,
    StatementRead,
    TimelineRead,
    HistoryExported,
    ConversationRead,
    AttachmentRead,
    /// Someone signed in asked for what is not theirs.
    AccessRefused,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SignIn => "sign_in",
            AuditAction::SignInFailed => "sign_in_failed",
            AuditAction::AccountLocked => "account_locked",
            AuditAction::SignOut => "sign_out",
            AuditAction::ActivationFailed => "activation_failed",
            AuditAction::AccountActivated => "account_activated",
            AuditAction::PasswordReset => "password_reset",
            AuditAction::PinIssued => "pin_issued",
            AuditAction::PinVoided => "pin_voided",
            AuditAction::CaseOpened => "case_opened",
            AuditAction::StaffAccountCreated => "staff_account_created",
            AuditAction::SecondFactorEnabled => "second_factor_enabled",
            AuditAction::SecondFactorDisabled => "second_factor_disabled",
            AuditAction::RecoveryCodeUsed => "recovery_code_used",
            AuditAction::MessageSent => "message_sent",
            AuditAction::ThreadClosed => "thread_closed",
            AuditAction::ThreadAssigned => "thread_assigned",
            AuditAction::CaseReassigned => "case_reassigned",
            AuditAction::StaffChanged => "staff_changed",
            AuditAction::AdvicePublished => "advice_published",
            AuditAction::EntryPosted => "entry_posted",
            AuditAction::OrderChanged => "order_changed",
            AuditAction::RequestMade => "request_made",
            AuditAction::RequestMoved => "request_moved",
            AuditAction::HistoryRead => "history_read",
            AuditAction::StatementRead => "statement_read",
            AuditAction::TimelineRead => "timeline_read",
            AuditAction::HistoryExported => "history_exported",
            AuditAction::ConversationRead => "conversation_read",
            AuditAction::AttachmentRead => "attachment_read",
            AuditAction::AccessRefused => "access_refused",
        }
    }
}

/// One thing that happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub action: AuditAction,
    /// Who acted (`None`: not signed in, or the system).
    pub actor: Option<i32>,
    pub case: Option<i32>,
    /// Whom it was about, when not the actor.
    pub subject: Option<i32>,
    pub detail: Option<String>,
}

impl AuditEvent {
    pub fn new(action: AuditAction) -> Self {
        Self {
            action,
            actor: None,
            case: None,
            subject: None,
            detail: None,
        }
    }

    pub fn by(mut self, person: i32) -> Self {
        self.actor = Some(person);
        self
    }

    pub fn on_case(mut self, case: i32) -> Self {
        self.case = Some(case);
        self
    }

    pub fn about(mut self, person: i32) -> Self {
        self.subject = Some(person);
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// The client's address as the server found it (through the proxies it
/// trusts), put on the request before anything reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

tokio::task_local! {
    /// The client of the request the current task serves, for the axum
    /// handlers outside Leptos (CSV export, file download); set by the
    /// server's middleware around every request.
    pub static REQUEST_CLIENT: Option<IpAddr>;
}

/// Where a request came from, as far as this server can tell.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Source(pub Option<IpAddr>);

impl Source {
    /// The client address of the request being served (none in tests that
    /// call the router directly without one).
    pub fn of_request() -> Self {
        let parts = leptos::prelude::use_context::<http::request::Parts>();
        let client = parts
            .and_then(|parts| client_address(&parts.extensions))
            .or_else(|| REQUEST_CLIENT.try_with(|client| *client).ok().flatten());
        Source(client)
    }

    /// The address as the audit log shows it.
    pub fn text(&self) -> Option<String> {
        self.0.map(|address| address.to_string())
    }

    /// What the per-address throttle counts: an IPv4 address, or the /64 an
    /// IPv6 address is in (a home or a phone is given a whole /64).
    pub fn block(&self) -> Option<String> {
        self.0.map(|address| match address {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => {
                let network = u128::from(v6) & (u128::MAX << 64);
                format!("{}/64", Ipv6Addr::from(network))
            }
        })
    }
}

/// The client's address of a request: the one found through trusted
/// proxies, else the connection's peer.
/// (An IPv4 client of a server listening on `[::]` arrives as
/// `::ffff:a.b.c.d`: it is counted as the IPv4 address it is.)
pub fn client_address(extensions: &http::Extensions) -> Option<IpAddr> {
    extensions
        .get::<ClientAddress>()
        .map(|ClientAddress(address)| *address)
        .or_else(|| {
            extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(address)| address.ip())
        })
        .map(|address| address.to_canonical())
}

/// Records that the staff member `reader` read something of `case` (with
/// `action`); a parent reading their own case is not recorded.
pub async fn staff_read(
    db: &impl ConnectionTrait,
    reader: &User,
    action: AuditAction,
    case: i32,
    detail: Option<String>,
) -> Result<(), AppError> {
    match staff_read_event(reader, action, case, detail) {
        Some(event) => record(db, event, &Source::of_request(), Utc::now()).await,
        None => Ok(()),
    }
}

/// The line [`staff_read`] writes; none for a parent.
pub fn staff_read_event(
    reader: &User,
    action: AuditAction,
    case: i32,
    detail: Option<String>,
) -> Option<AuditEvent> {
    if !reader.role.is_staff() {
        return None;
    }
    let event = AuditEvent::new(action).by(reader.person_id).on_case(case);
    Some(match detail {
        Some(detail) => event.detail(detail),
        None => event,
    })
}

/// Records that `reader` was refused `what` (on `case`, when it exists):
/// who, what and where from.
pub async fn refused(
    db: &impl ConnectionTrait,
    reader: &User,
    case: Option<i32>,
    what: &str,
) -> Result<(), AppError> {
    let mut event = AuditEvent::new(AuditAction::AccessRefused)
        .by(reader.person_id)
        .detail(what.chars().take(80).collect::<String>());
    if let Some(case) = case {
        event = event.on_case(case);
    }
    record(db, event, &Source::of_request(), Utc::now()).await
}

/// Appends `event` at `at`.
pub async fn record(
    db: &impl ConnectionTrait,
    event: AuditEvent,
    source: &Source,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    row(event, source, at).insert(db).await?;
    Ok(())
}

/// The line of `event` as the audit log stores it.
pub(crate) fn row(
    event: AuditEvent,
    source: &Source,
    at: DateTime<Utc>,
) -> audit_events::ActiveModel {
    audit_events::ActiveModel {
        at: Set(at),
        actor_id: Set(event.actor),
        action: Set(event.action.as_str().to_owned()),
        case_id: Set(event.case),
        subject_id: Set(event.subject),
        source: Set(source.text()),
        source_block: Set(source.block()),
        detail: Set(event.detail),
        ..Default::default()
    }
}

/// How many times `action` came from `source` since `since`: the
/// per-address throttle. An unknown source is never throttled.
pub async fn count_from(
    db: &impl ConnectionTrait,
    source: &Source,
    action: AuditAction,
    since: DateTime<Utc>,
) -> Result<u64, AppError> {
    let Some(block) = source.block() else {
        return Ok(0);
    };
    Ok(audit_events::Entity::find()
        .filter(audit_events::Column::SourceBlock.eq(block))
        .filter(audit_events::Column::Action.eq(action.as_str()))
        .filter(audit_events::Column::At.gt(since))
        .count(db)
        .await?)
}

/// Audit rows on one page of a case's log.
const PER_PAGE: u64 = 50;

/// One page of what was recorded on a case, newest first. Counted apart:
/// a count over the whole log in the page's query (a window) reads every
/// row of a case opened thousands of times, where the index answers both.
pub async fn of_case(
    db: &impl ConnectionTrait,
    case: i32,
    page: u32,
) -> Result<(Vec<audit_events::Model>, PageOf), AppError> {
    let on_case = audit_events::Entity::find().filter(audit_events::Column::CaseId.eq(case));
    let (paging, skip) = PageOf::at(on_case.clone().count(db).await?, PER_PAGE, page);
    let events = on_case
        .order_by_desc(audit_events::Column::At)
        .order_by_desc(audit_events::Column::Id)
        .offset(skip)
        .limit(PER_PAGE)
        .all(db)
        .await?;
    Ok((events, paging))
}
