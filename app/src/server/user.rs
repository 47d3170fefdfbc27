//! The person behind a request.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use entity::{accounts, notifications, people, sessions};
use http::request::Parts;
use http::Method;
use leptos::prelude::use_context;
use sea_orm::sea_query::{Expr, ExprTrait, Query, QueryStatementBuilder};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, IdenStatic, Iterable,
    JoinType, PaginatorTrait, QueryFilter, QueryResult, QuerySelect, QueryTrait, RelationTrait,
    SelectA, SelectB,
};
use tower_sessions::Session;

use super::{internal, session, state, AppState};
use crate::error::AppError;
use crate::reader::{AccountRole, Reader, User};

/// The signed-in user of this request, if any: the one [`find_reader`]
/// found, unless the request signed someone in or out since.
pub async fn current() -> Result<Option<User>, AppError> {
    let session = session::current().await?;
    let Some(account) = session::account_id(&session).await? else {
        return Ok(None);
    };
    let found = use_context::<Parts>()
        .and_then(|parts| parts.extensions.get::<Reader>().cloned())
        .and_then(|reader| reader.user)
        .filter(|user| user.account_id == account);
    match found {
        Some(user) => Ok(Some(user)),
        None => load(&state()?.reads, account).await,
    }
}

/// Middleware: finds who is asking once per request, before any page or
/// server function runs, and keeps it in the request ([`Reader`]). Static
/// files are not asked about; a page also gets the reader's unseen count for
/// its header. What cannot be read is logged and left out: the page's own
/// call to [`current`] then fails with it, where it can be shown.
pub async fn find_reader(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if is_a_file(request.uri().path()) {
        return next.run(request).await;
    }
    let is_page = request.method() == Method::GET && !request.uri().path().starts_with("/api/");
    if let Some(session) = request.extensions().get::<Session>().cloned() {
        match reader_of(&state, &session, is_page).await {
            Ok(reader) => {
                request.extensions_mut().insert(reader);
            }
            Err(error) => tracing::error!(%error, "who is asking could not be read"),
        }
    }
    next.run(request).await
}

/// A static file's path: its last part has an extension (`/pkg/app.wasm`,
/// `/favicon.svg`); no page's does.
fn is_a_file(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

async fn reader_of(state: &AppState, session: &Session, is_page: bool) -> Result<Reader, AppError> {
    let Some(account) = session::account_id(session).await? else {
        return Ok(Reader::default());
    };
    let just_read = session
        .id()
        .and_then(|id| state.readers_of_sessions.take(&id.to_string(), account));
    if let Some(found) = just_read {
        return Ok(match found {
            Some((user, unseen)) => Reader {
                user: Some(user),
                unseen: is_page.then_some(unseen),
            },
            None => Reader::default(),
        });
    }
    if !is_page {
        let user = load(&state.reads, account).await?;
        return Ok(Reader { user, unseen: None });
    }
    Ok(match load_with_unseen(&state.reads, account).await? {
        Some((user, unseen)) => Reader {
            user: Some(user),
            unseen: Some(unseen),
        },
        None => Reader::default(),
    })
}

/// The account, its person, and how many notifications they have not read,
/// in one query (a page's header shows the count).
#[derive(Debug)]
struct AccountWithUnseen {
    account: accounts::Model,
    person: Option<people::Model>,
    unseen: i64,
}

impl FromQueryResult for AccountWithUnseen {
    fn from_query_result(row: &QueryResult, _prefix: &str) -> Result<Self, DbErr> {
        Ok(Self {
            account: accounts::Model::from_query_result(row, SelectA.as_str())?,
            person: people::Model::from_query_result_optional(row, SelectB.as_str())?,
            unseen: row.try_get("", UNSEEN)?,
        })
    }
}

const UNSEEN: &str = "unseen";

/// [`load`], with the count [`unseen`] gives, in one trip to the database.
async fn load_with_unseen(
    db: &impl ConnectionTrait,
    account_id: i32,
) -> Result<Option<(User, u64)>, AppError> {
    let query = accounts::Entity::find_by_id(account_id)
        .find_also_related(people::Entity)
        .expr_as(unread_of_the_person(), UNSEEN)
        .build(db.get_database_backend());
    match AccountWithUnseen::find_by_statement(query).one(db).await? {
        Some(found) => found.user(),
        None => Ok(None),
    }
}

/// How many notifications of the person joined in the query are unread.
fn unread_of_the_person() -> Expr {
    let unread = Query::select()
        .expr(Expr::col((notifications::Entity, notifications::Column::Id)).count())
        .from(notifications::Entity)
        .and_where(
            Expr::col((notifications::Entity, notifications::Column::PersonId))
                .equals((people::Entity, people::Column::Id)),
        )
        .and_where(Expr::col((notifications::Entity, notifications::Column::ReadAt)).is_null())
        .to_owned();
    Expr::SubQuery(None, Box::new(unread.into_sub_query_statement()))
}

impl AccountWithUnseen {
    fn user(self) -> Result<Option<(User, u64)>, AppError> {
        let unseen = u64::try_from(self.unseen)
            .map_err(|_| internal(format!("a count of {} notifications", self.unseen)))?;
        Ok(user_of(self.account, self.person)?.map(|user| (user, unseen)))
    }
}

/// A session as stored, with the user it is signed in as (if that account
/// is still on) and their unread count — or why that account cannot be
/// read as a user (the session itself is still whole).
pub type SessionWithReader = (sessions::Model, Result<Option<(User, u64)>, AppError>);

/// The session `id`, unless it has ended (idle until `now`, or begun before
/// `begun_after`), read in one query with its account, person and unread
/// count: the session store's read, which [`find_reader`] then needs not
/// repeat ([`ReadersOfSessions`]).
pub async fn session_with_reader(
    db: &impl ConnectionTrait,
    id: &str,
    now: DateTime<Utc>,
    begun_after: DateTime<Utc>,
) -> Result<Option<SessionWithReader>, DbErr> {
    let to_account = sessions::Entity::belongs_to(accounts::Entity)
        .from(sessions::Column::AccountId)
        .to(accounts::Column::Id)
        .into();
    let mut select = sessions::Entity::find_by_id(id.to_owned())
        .filter(sessions::Column::ExpiresAt.gt(now))
        .filter(sessions::Column::CreatedAt.gt(begun_after))
        .join(JoinType::LeftJoin, to_account)
        .join(JoinType::LeftJoin, accounts::Relation::Person.def());
    for column in accounts::Column::iter() {
        let alias = format!("{}{}", SelectA.as_str(), column.as_str());
        select = select.column_as(Expr::col((accounts::Entity, column)), alias);
    }
    for column in people::Column::iter() {
        let alias = format!("{}{}", SelectB.as_str(), column.as_str());
        select = select.column_as(Expr::col((people::Entity, column)), alias);
    }
    let query = select
        .expr_as(unread_of_the_person(), UNSEEN)
        .build(db.get_database_backend());
    let Some(row) = db.query_one_raw(query).await? else {
        return Ok(None);
    };
    let session = sessions::Model::from_query_result(&row, "")?;
    let reader = match accounts::Model::from_query_result_optional(&row, SelectA.as_str())? {
        Some(account) => AccountWithUnseen {
            account,
            person: people::Model::from_query_result_optional(&row, SelectB.as_str())?,
            unseen: row.try_get("", UNSEEN)?,
        }
        .user(),
        None => Ok(None),
    };
    Ok(Some((session, reader)))
}

/// Who the sessions the store has just read are signed in as: the store
/// puts each here as it reads it, and [`find_reader`], a moment later in the
/// same request, takes it instead of asking the database again. Only an
/// answer from this moment is taken, for the account the session names.
#[derive(Debug, Default)]
pub struct ReadersOfSessions {
    just_read: Mutex<HashMap<String, JustRead>>,
}

#[derive(Debug)]
struct JustRead {
    at: Instant,
    account: Option<i32>,
    reader: Option<(User, u64)>,
}

/// How old an answer [`ReadersOfSessions`] still hands over may be: the
/// time between the store's read and the reader's lookup in one request.
const JUST_NOW: Duration = Duration::from_secs(1);

impl ReadersOfSessions {
    /// Keeps who the session `id` (signed in as `account`) was read with.
    pub fn put(&self, id: String, account: Option<i32>, reader: Option<(User, u64)>) {
        let mut just_read = self
            .just_read
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // Reads no request took (a response's save reads too) go stale.
        if just_read.len() >= 1_000 {
            just_read.retain(|_, read| read.at.elapsed() < JUST_NOW);
        }
        let at = Instant::now();
        just_read.insert(
            id,
            JustRead {
                at,
                account,
                reader,
            },
        );
    }

    /// Who the session `id`, signed in as `account`, was just read with.
    fn take(&self, id: &str, account: i32) -> Option<Option<(User, u64)>> {
        let mut just_read = self
            .just_read
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let read = just_read.remove(id)?;
        (read.at.elapsed() < JUST_NOW && read.account == Some(account)).then_some(read.reader)
    }
}

/// How many notifications `person` has not read yet.
pub async fn unseen(db: &impl ConnectionTrait, person: i32) -> Result<u64, AppError> {
    Ok(notifications::Entity::find()
        .filter(notifications::Column::PersonId.eq(person))
        .filter(notifications::Column::ReadAt.is_null())
        .count(db)
        .await?)
}

/// The user `session` is signed in as, if any (for handlers outside Leptos).
pub async fn of_session(session: &Session, state: &AppState) -> Result<Option<User>, AppError> {
    match session::account_id(session).await? {
        Some(account) => load(&state.reads, account).await,
        None => Ok(None),
    }
}

/// The signed-in user, or "sign in first" — or, for staff without the second
/// factor the agency requires, "set it up first".
pub async fn require() -> Result<User, AppError> {
    let user = require_signed_in().await?;
    may_proceed(user, &state()?)
}

/// `user`, unless the agency requires a second factor they have not set up.
pub fn may_proceed(user: User, state: &AppState) -> Result<User, AppError> {
    if user.role.is_staff() && state.security.require_mfa_for_staff && !user.second_factor {
        return Err(AppError::SecondFactorSetupRequired);
    }
    Ok(user)
}

/// The signed-in user, with or without a second factor (to set one up).
pub async fn require_signed_in() -> Result<User, AppError> {
    current().await?.ok_or(AppError::SignInRequired)
}

/// The account `account_id` as a user (`None` if it is gone).
pub async fn load(db: &impl ConnectionTrait, account_id: i32) -> Result<Option<User>, AppError> {
    match accounts::Entity::find_by_id(account_id)
        .find_also_related(people::Entity)
        .one(db)
        .await?
    {
        Some((account, person)) => user_of(account, person),
        None => Ok(None),
    }
}

/// An account and its person as a user (`None` if switched off).
fn user_of(
    account: accounts::Model,
    person: Option<people::Model>,
) -> Result<Option<User>, AppError> {
    let Some(person) = person else {
        return Ok(None);
    };
    // A switched-off account's sessions end with it.
    if account.deactivated_at.is_some() {
        return Ok(None);
    }
    let role = AccountRole::parse(&account.role).ok_or_else(|| {
        internal(format!(
            "account {} has unknown role {}",
            account.id, account.role
        ))
    })?;
    Ok(Some(User {
        account_id: account.id,
        person_id: person.id,
        name: person.full_name,
        role,
        second_factor: account.totp_enabled_at.is_some(),
        language: account.locale,
    }))
}
