//! Opening the database (SQLite file or PostgreSQL) and migrating it.

use std::path::Path;
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, DbErr,
    Statement,
};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum DbError {
    #[error("cannot connect to the database at {url}: {source}")]
    Connect { url: String, source: DbErr },
    #[error("cannot create the folder for the SQLite database {path}: {source}")]
    CreateFolder {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot migrate the database: {0}")]
    Migrate(DbErr),
    #[error("cannot load the advice articles into the database (details in the log above)")]
    Advice(app::error::AppError),
    #[error("{0} exists already: a backup never overwrites a file, choose a new name")]
    BackupExists(String),
    #[error("`server backup` copies the embedded SQLite database; back PostgreSQL up with pg_dump (docs/OPERATIONS.md)")]
    BackupPostgres,
    #[error("cannot write the backup {path}: {source}")]
    Backup { path: String, source: DbErr },
}

/// Connects, creating the SQLite file (and its folder) when it does not exist.
///
/// SQLite takes one writer at a time, and a transaction that read before it
/// writes cannot wait for its turn: it fails at once ("database is locked")
/// when another wrote meanwhile. So the embedded database gets one
/// connection (whatever `max_connections` says), which takes requests in
/// turn — nothing slow, like password hashing, runs while a transaction holds
/// it — in WAL mode, so that another process reading the file (the `server`
/// commands, `sqlite3 .backup`) works beside it. Waiting for another
/// process's write stops before a request gives up waiting for the
/// connection. Reading is [`readers`]' work. PostgreSQL, the way to scale,
/// gets the pool `max_connections`.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbError> {
    prepare_sqlite_folder(url)?;
    let mut options = pool(url, max_connections);
    if is_sqlite(url) {
        options.max_connections(1).map_sqlx_sqlite_opts(|sqlite| {
            sqlite_connection(sqlite).journal_mode(SqliteJournalMode::Wal)
        });
    }
    open(url, options).await
}

/// The connections that only read, beside the writer [`connect`] opened.
///
/// On a SQLite file: a pool of `count` read-only connections. WAL lets each
/// read its snapshot while the one writer writes, so the pages people read
/// most (their overview, a case's history, the agency's file) neither queue
/// behind each other nor behind a posting. Elsewhere (PostgreSQL, an
/// in-memory SQLite database that only its own connection sees) the writer's
/// pool reads too.
pub async fn readers(
    url: &str,
    writer: &DatabaseConnection,
    count: u32,
) -> Result<DatabaseConnection, DbError> {
    if !is_sqlite(url) || url.contains(":memory:") || url.contains("mode=memory") {
        return Ok(writer.clone());
    }
    let mut options = pool(url, count);
    options.map_sqlx_sqlite_opts(|sqlite| {
        sqlite_connection(sqlite)
            .read_only(true)
            .create_if_missing(false)
    });
    open(url, options).await
}

/// A pool of `size` connections to `url`.
///
/// A connection taken from the pool is not pinged first unless it sat idle
/// (a proxy or the server may have dropped it meanwhile); a SQLite file's
/// never is. The ping on every query was a second trip to the database
/// each time: to SQLite's thread and back, to PostgreSQL and back.
fn pool(url: &str, size: u32) -> ConnectOptions {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(size)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        .sqlx_logging(false);
    if is_sqlite(url) {
        options.test_before_acquire(false);
    } else {
        options.test_before_acquire_if_idle_for(Duration::from_secs(30));
    }
    options
}

async fn open(url: &str, options: ConnectOptions) -> Result<DatabaseConnection, DbError> {
    Database::connect(options)
        .await
        .map_err(|source| DbError::Connect {
            url: redact(url),
            source,
        })
}

/// What the writer and the readers of a SQLite file share: waiting for
/// another process's write stops before a request gives up waiting for the
/// connection, and a whole case's ledger comes over at once (sqlx's default
/// of 50 rows made the connection's thread and the request trade places
/// every 50).
fn sqlite_connection(sqlite: SqliteConnectOptions) -> SqliteConnectOptions {
    sqlite
        .busy_timeout(Duration::from_secs(3))
        .row_buffer_size(4096)
}

/// Brings the schema up to date, then loads the advice the repository ships
/// (new articles and newer files; a supervisor's edits are kept).
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbError> {
    Migrator::up(db, None).await.map_err(DbError::Migrate)?;
    app::advice::service::load_repository(db, chrono::Utc::now())
        .await
        .map_err(DbError::Advice)?;
    Ok(())
}

/// Copies the SQLite database into `file` with `VACUUM INTO`: one read
/// transaction, so the copy is the database as of one moment, whole and
/// consistent, while the portal goes on writing (WAL mode lets it).
pub async fn backup(db: &DatabaseConnection, file: &Path) -> Result<(), DbError> {
    if db.get_database_backend() != DatabaseBackend::Sqlite {
        return Err(DbError::BackupPostgres);
    }
    let path = file.display().to_string();
    if file.exists() {
        return Err(DbError::BackupExists(path));
    }
    let statement = Statement::from_sql_and_values(
        DatabaseBackend::Sqlite,
        "VACUUM INTO ?",
        [path.clone().into()],
    );
    db.execute_raw(statement)
        .await
        .map(|_| ())
        .map_err(|source| DbError::Backup { path, source })
}

fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:")
}

fn prepare_sqlite_folder(url: &str) -> Result<(), DbError> {
    let Some(rest) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    else {
        return Ok(());
    };
    let file = rest.split('?').next().unwrap_or_default();
    if file.is_empty() || file.starts_with(":memory:") {
        return Ok(());
    }
    match Path::new(file).parent() {
        Some(folder) if !folder.as_os_str().is_empty() => {
            std::fs::create_dir_all(folder).map_err(|source| DbError::CreateFolder {
                path: file.to_owned(),
                source,
            })
        }
        _ => Ok(()),
    }
}

/// The URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((credentials, host)) => match credentials.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_a_message() {
        assert_eq!(
            redact("postgres://portal:s3cret@db.internal:5432/portal"),
            "postgres://portal:***@db.internal:5432/portal"
        );
        assert_eq!(
            redact("postgres://postgres@127.0.0.1/x"),
            "postgres://postgres@127.0.0.1/x"
        );
        assert_eq!(
            redact("sqlite://data/portal.db?mode=rwc"),
            "sqlite://data/portal.db?mode=rwc"
        );
    }

    #[test]
    fn a_busy_connection_is_not_pinged_before_each_query() {
        let sqlite = pool("sqlite://data/portal.db?mode=rwc", 4);
        assert!(!sqlite.get_test_before_acquire());
        assert_eq!(sqlite.get_test_before_acquire_if_idle_for(), None);
        let postgres = pool("postgres://portal@db.internal/portal", 10);
        assert!(!postgres.get_test_before_acquire());
        assert_eq!(
            postgres.get_test_before_acquire_if_idle_for(),
            Some(Duration::from_secs(30))
        );
    }

    #[tokio::test]
    async fn a_new_sqlite_file_and_its_folder_are_created() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("nested/portal.db");
        let url = format!("sqlite://{}?mode=rwc", file.display());
        let db = connect(&url, 1).await.unwrap_or_else(|e| panic!("{e}"));
        migrate(&db).await.unwrap_or_else(|e| panic!("{e}"));
        assert!(file.exists());
    }

    #[tokio::test]
    async fn the_embedded_database_writes_ahead() {
        use sea_orm::{ConnectionTrait, Statement};
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("p.db").display());
        let db = connect(&url, 8).await.unwrap_or_else(|e| panic!("{e}"));
        let mode = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                "PRAGMA journal_mode",
            ))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .and_then(|row| row.try_get_by_index::<String>(0).ok());
        assert_eq!(mode.as_deref(), Some("wal"));
    }
}
