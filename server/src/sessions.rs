//! Sessions live in the database (tower-sessions' `SessionStore` on SeaORM),
//! so any number of servers share them and signing out ends a session on
//! every one of them.
//!
//! tower-sessions slides the idle expiry; the absolute lifetime is this
//! store's: a session is created at sign-in (the id is rotated then, which
//! creates a new row) and is never loaded once `max_age` has passed since.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use app::server::session::ACCOUNT_KEY;
use app::server::user::{session_with_reader, ReadersOfSessions};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use entity::sessions;
use sea_orm::sea_query::{ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use tower_sessions::cookie::SameSite;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions::{Expiry, SessionManagerLayer};

use app::config::SecurityPolicy;

/// The name of the session cookie.
pub const COOKIE_NAME: &str = "portal_session";
/// Its name over https: browsers keep a `__Host-` cookie only if it is
/// Secure, for the whole site and this host alone, so no sibling subdomain
/// can plant or overwrite it.
pub const SECURE_COOKIE_NAME: &str = "__Host-portal_session";

pub fn cookie_name(policy: &SecurityPolicy) -> &'static str {
    if policy.secure_cookies {
        SECURE_COOKIE_NAME
    } else {
        COOKIE_NAME
    }
}

#[derive(Debug, Clone)]
pub struct DatabaseStore {
    db: DatabaseConnection,
    /// Where sessions are looked up (the readers beside the writer).
    reads: DatabaseConnection,
    /// Each session as this store last read or wrote it.
    known: Arc<Mutex<HashMap<Id, Stored>>>,
    /// Where it leaves who each session it reads is signed in as.
    readers: Arc<ReadersOfSessions>,
    max_age: chrono::Duration,
    /// How far the stored idle expiry may lag behind: a session ends at most
    /// this much before its idle time is up (a minute, or a tenth of a
    /// shorter idle time).
    expiry_slack: chrono::Duration,
}

impl DatabaseStore {
    pub fn new(db: DatabaseConnection, policy: &SecurityPolicy) -> Self {
        let max_age = chrono::Duration::hours(i64::from(policy.session_max_hours));
        let idle = chrono::Duration::minutes(i64::from(policy.session_idle_minutes));
        let expiry_slack = chrono::Duration::minutes(1).min(idle / 10);
        Self {
            reads: db.clone(),
            db,
            known: Arc::default(),
            readers: Arc::default(),
            max_age,
            expiry_slack,
        }
    }

    /// Looks sessions up through `reads` (they are still written through
    /// the writer).
    pub fn reading_from(self, reads: DatabaseConnection) -> Self {
        Self { reads, ..self }
    }

    /// Leaves who each session read is signed in as with `readers`, where
    /// the request's lookup of its reader finds it (`user::find_reader`).
    pub fn telling(self, readers: Arc<ReadersOfSessions>) -> Self {
        Self { readers, ..self }
    }
}

/// A session's row as the database holds it.
#[derive(Debug, Clone, PartialEq)]
struct Stored {
    data: String,
    expires_at: DateTime<Utc>,
}

/// How many sessions the store remembers before it forgets the ended ones
/// (and, if that is not enough, all of them: remembering only saves writes).
const KNOWN_AT_MOST: usize = 100_000;

/// The session layer, configured by the agency's policy.
pub fn layer(store: DatabaseStore, policy: &SecurityPolicy) -> SessionManagerLayer<DatabaseStore> {
    SessionManagerLayer::new(store)
        .with_name(cookie_name(policy))
        .with_path("/")
        .with_http_only(true)
        // Lax: a link from an e-mail still arrives signed in; cross-site
        // posts are refused by the origin check anyway.
        .with_same_site(SameSite::Lax)
        .with_secure(policy.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(i64::from(
            policy.session_idle_minutes,
        ))))
        // Save on every request, so the idle expiry slides while in use.
        .with_always_save(true)
}

fn backend(error: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

fn to_chrono(at: time::OffsetDateTime) -> DateTime<Utc> {
    DateTime::from_timestamp(at.unix_timestamp(), at.nanosecond()).unwrap_or(DateTime::UNIX_EPOCH)
}

fn to_time(at: DateTime<Utc>) -> time::OffsetDateTime {
    let nanos =
        i128::from(at.timestamp()) * 1_000_000_000 + i128::from(at.timestamp_subsec_nanos());
    time::OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

/// A record's data as stored: keys in order, so the same data is always
/// the same text (and an unchanged session is recognised).
fn data_text(record: &Record) -> session_store::Result<String> {
    let sorted: std::collections::BTreeMap<_, _> = record.data.iter().collect();
    serde_json::to_string(&sorted).map_err(backend)
}

/// The signed-in account of a record, kept beside it for "sign out everywhere".
fn account_of(record: &Record) -> Option<i32> {
    record
        .data
        .get(ACCOUNT_KEY)
        .and_then(|value| value.as_i64())
        .and_then(|id| i32::try_from(id).ok())
}

impl DatabaseStore {
    /// Whether the database may hold something other than `stored` for `id`
    /// (not if this store just read or wrote it so, give or take the slack
    /// on the idle expiry).
    fn worth_writing(&self, id: &Id, stored: &Stored) -> bool {
        let known = self.known.lock().unwrap_or_else(PoisonError::into_inner);
        known.get(id).is_none_or(|was| {
            was.data != stored.data || was.expires_at < stored.expires_at - self.expiry_slack
        })
    }

    fn remember(&self, id: Id, stored: Stored) {
        let mut known = self.known.lock().unwrap_or_else(PoisonError::into_inner);
        if known.len() >= KNOWN_AT_MOST {
            let now = Utc::now();
            known.retain(|_, was| was.expires_at > now);
            if known.len() >= KNOWN_AT_MOST {
                known.clear();
            }
        }
        known.insert(id, stored);
    }

    fn forget(&self, id: &Id) {
        self.known
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(id);
    }

    /// Inserts `record` unless its id is taken; whether it was inserted.
    async fn insert(&self, record: &Record) -> session_store::Result<bool> {
        let row = sessions::ActiveModel {
            id: Set(record.id.to_string()),
            data: Set(data_text(record)?),
            expires_at: Set(to_chrono(record.expiry_date)),
            created_at: Set(Utc::now()),
            account_id: Set(account_of(record)),
        };
        let inserted = sessions::Entity::insert(row)
            .on_conflict(
                OnConflict::column(sessions::Column::Id)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await
            .map_err(backend)?;
        Ok(inserted > 0)
    }
}

#[async_trait]
impl SessionStore for DatabaseStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // Ids are random 128-bit numbers: a collision is all but impossible,
        // and never overwrites someone else's session.
        while !self.insert(record).await? {
            record.id = Id::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        // Every request saves (the idle expiry slides), but a session whose
        // data is the same and whose expiry moved less than a minute is not
        // written again: a write (and its flush to disk) on every page was
        // the costliest part of a signed-in request under load. One this
        // store has just read so is not even sent: the single writer would
        // take every signed-in request in turn.
        let stored = Stored {
            data: data_text(record)?,
            expires_at: to_chrono(record.expiry_date),
        };
        if !self.worth_writing(&record.id, &stored) {
            return Ok(());
        }
        let worth_writing = sessions::Column::Data
            .ne(stored.data.as_str())
            .or(sessions::Column::ExpiresAt.lt(stored.expires_at - self.expiry_slack));
        // A session deleted meanwhile (signed out elsewhere) stays deleted.
        sessions::Entity::update_many()
            .col_expr(sessions::Column::Data, stored.data.as_str().into())
            .col_expr(sessions::Column::ExpiresAt, stored.expires_at.into())
            .col_expr(sessions::Column::AccountId, account_of(record).into())
            .filter(sessions::Column::Id.eq(record.id.to_string()))
            .filter(worth_writing)
            .exec(&self.db)
            .await
            .map_err(backend)?;
        self.remember(record.id, stored);
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let now = Utc::now();
        let key = id.to_string();
        let found = session_with_reader(&self.reads, &key, now, now - self.max_age)
            .await
            .map_err(backend)?;
        let Some((row, reader)) = found else {
            self.forget(id);
            return Ok(None);
        };
        // An account that cannot be read as a user is left for the reader's
        // own lookup, which reports it where the page can show it.
        if let Ok(reader) = reader {
            self.readers.put(key, row.account_id, reader);
        }
        let record = Record {
            id: *id,
            data: serde_json::from_str(&row.data)
                .map_err(|e| session_store::Error::Decode(e.to_string()))?,
            expiry_date: to_time(row.expires_at),
        };
        self.remember(
            *id,
            Stored {
                data: row.data,
                expires_at: row.expires_at,
            },
        );
        Ok(Some(record))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.forget(id);
        sessions::Entity::delete_by_id(id.to_string())
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl ExpiredDeletion for DatabaseStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        let now = Utc::now();
        sessions::Entity::delete_many()
            .filter(
                sessions::Column::ExpiresAt
                    .lte(now)
                    .or(sessions::Column::CreatedAt.lte(now - self.max_age)),
            )
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

/// Deletes ended sessions every `every`, for as long as the server runs.
pub fn spawn_cleanup(store: DatabaseStore, every: std::time::Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            if let Err(error) = store.delete_expired().await {
                tracing::warn!(%error, "could not delete ended sessions");
            }
        }
    });
}
