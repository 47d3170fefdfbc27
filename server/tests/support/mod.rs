//! Test harness shared by the server's integration tests: a fresh, migrated
//! database per test (SQLite file or PostgreSQL database), the router built
//! in-process, and helpers to call it with `tower::ServiceExt::oneshot`.

#![allow(dead_code)] // each test binary uses a different part of the harness

pub mod on_record;
pub mod program;
pub mod throwaway_postgres;

use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

use app::caseworker::model::PostingReview;
use app::error::AppError;
use axum::body::Body;
use axum::Router;
use chrono::NaiveDate;
use http::{header, Request, Response};
use http_body_util::BodyExt;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use server::config::Config;
use tower::ServiceExt;

/// Where the Postgres tests create their databases.
pub fn postgres_admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// The shipped `Leptos.toml`, without environment overrides.
pub fn config() -> Config {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Leptos.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    Config::parse(&text, &path).unwrap_or_else(|e| panic!("{e}"))
}

/// A migrated database that disappears when the test ends.
pub struct TestDb {
    pub db: DatabaseConnection,
    pub url: String,
    _cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, name } = self {
            let (admin_url, name, label) = (admin_url.clone(), name.clone(), name.clone());
            // Drop runs outside async; a thread with its own runtime removes the database.
            let dropped = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                runtime
                    .block_on(async {
                        let admin = Database::connect(&admin_url).await?;
                        admin
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                            ))
                            .await?;
                        admin.close().await
                    })
                    .map_err(std::io::Error::other)
            })
            .join();
            if !matches!(dropped, Ok(Ok(()))) {
                eprintln!("warning: could not drop test database {label}: {dropped:?}");
            }
        }
    }
}

/// A fresh SQLite database in a temporary file.
pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("portal.db").display()
    );
    let db = migrated(&url).await;
    TestDb {
        db,
        url,
        _cleanup: Cleanup::Sqlite(dir),
    }
}

/// A fresh PostgreSQL database at `TEST_DATABASE_URL`. No server there is a
/// failure: a run without PostgreSQL says so by leaving its tests out
/// (`PORTAL_SKIP_POSTGRES=1 make test`, which counts them as skipped).
pub async fn postgres() -> TestDb {
    let admin_url = postgres_admin_url();
    let admin = Database::connect(&admin_url).await.unwrap_or_else(|error| {
        panic!(
            "PostgreSQL is unreachable at {admin_url}: {error} \
             (PORTAL_SKIP_POSTGRES=1 make test leaves the PostgreSQL tests out)"
        )
    });
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "portal_test_{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        rand::random::<u32>()
    );
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap_or_else(|e| panic!("cannot create {name}: {e}"));
    let _ = admin.close().await;

    let url = database_url_with_name(&admin_url, &name);
    let cleanup = Cleanup::Postgres {
        admin_url: admin_url.clone(),
        name,
    };
    let db = migrated(&url).await;
    TestDb {
        db,
        url,
        _cleanup: cleanup,
    }
}

/// A calendar date the test names.
pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d} is not a date"))
}

/// A connection to the database at `url`, with every migration applied.
async fn migrated(url: &str) -> DatabaseConnection {
    let db = server::db::connect(url, 4)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    server::db::migrate(&db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    db
}

/// `postgres://u@h:p/old?x` → `postgres://u@h:p/new?x`
pub fn database_url_with_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let (server, _old) = base.rsplit_once('/').unwrap_or((base, ""));
    format!("{server}/{name}{query}")
}

/// The demo data on `db` as of today, and the portal's router on it.
pub async fn demo_router(db: &DatabaseConnection) -> Router {
    server::seed::demo::seed(db, config().today())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    router(db.clone())
}

/// The portal's router on `db`, as `server serve` would build it.
pub fn router(db: DatabaseConnection) -> Router {
    router_with(&config(), db)
}

/// The router with another configuration (reading through the writer, as
/// on PostgreSQL; `readers.rs` tests SQLite's readers beside it).
pub fn router_with(config: &Config, db: DatabaseConnection) -> Router {
    server::router(server::app_state(config, db.clone(), db)).unwrap_or_else(|e| panic!("{e}"))
}

pub struct Page {
    pub status: http::StatusCode,
    pub headers: http::HeaderMap,
    pub body: String,
}

impl Page {
    /// The whole of `response`, read.
    pub async fn read<B>(response: Response<B>) -> Page
    where
        B: axum::body::HttpBody,
        B::Error: std::fmt::Display,
    {
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .to_bytes();
        Page {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }
}

pub async fn send(router: &Router, request: Request<Body>) -> Page {
    let response: Response<Body> = router
        .clone()
        .oneshot(request)
        .await
        .unwrap_or_else(|e| match e {});
    Page::read(response).await
}

pub async fn get(router: &Router, uri: &str) -> Page {
    send(
        router,
        Request::get(uri)
            .body(Body::empty())
            .unwrap_or_else(|e| panic!("{e}")),
    )
    .await
}

/// Calls a server function as the JavaScript client does (form-encoded).
pub async fn call(
    router: &Router,
    function: &str,
    fields: &[(&str, &str)],
    cookie: Option<&str>,
) -> Page {
    call_from(router, function, fields, cookie, None).await
}

/// [`call`] from a client address, as the listener hands it to the router.
pub async fn call_from(
    router: &Router,
    function: &str,
    fields: &[(&str, &str)],
    cookie: Option<&str>,
    address: Option<std::net::SocketAddr>,
) -> Page {
    let mut request = call_request(function, fields, cookie);
    if let Some(address) = address {
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(address));
    }
    send(router, request).await
}

/// The request of a server function's call, as the JavaScript client sends it.
pub fn call_request(
    function: &str,
    fields: &[(&str, &str)],
    cookie: Option<&str>,
) -> Request<Body> {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    call_request_with_body(function, body, cookie)
}

/// [`call_request`] with a body as it is, well-formed or not.
pub fn call_request_with_body(function: &str, body: String, cookie: Option<&str>) -> Request<Body> {
    let mut request = Request::post(format!("/api/{function}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "portal.test")
        .header("sec-fetch-site", "same-origin");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request
        .body(Body::from(body))
        .unwrap_or_else(|e| panic!("{e}"))
}

pub fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The field problems of a server function's refusal (panics on anything else).
pub fn problems(error: Option<AppError>) -> Vec<(app::error::Field, app::error::Problem)> {
    match error {
        Some(AppError::Invalid(list)) => list.iter().map(|e| (e.field, e.problem)).collect(),
        other => panic!("expected field problems, got {other:?}"),
    }
}

/// The answer to signing in with `email` and `password`.
pub async fn try_sign_in(router: &Router, email: &str, password: &str) -> Page {
    call(
        router,
        "sign_in",
        &[("email", email), ("password", password)],
        None,
    )
    .await
}

/// The account signed in with `email`.
pub async fn account_of(db: &DatabaseConnection, email: &str) -> entity::accounts::Model {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    entity::accounts::Entity::find()
        .filter(entity::accounts::Column::Email.eq(email))
        .one(db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no account {email}"))
}

/// The server function's error, or `None` when it succeeded.
pub fn error_of(page: &Page) -> Option<AppError> {
    if page.status.is_success() {
        return None;
    }
    Some(
        serde_json::from_str(&page.body)
            .unwrap_or_else(|e| panic!("{} {}: {e}", page.status, page.body)),
    )
}

/// `portal_session=…` from a response, ready for a `Cookie` header.
pub fn session_cookie(page: &Page) -> Option<String> {
    page.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("portal_session="))
        .and_then(|v| v.split(';').next())
        .filter(|pair| pair.len() > "portal_session=".len())
        .map(str::to_owned)
}

/// The `Cookie` header a browser sends after `page`: `cookies` with what
/// the page set, and without what it cleared.
pub fn cookies_after(cookies: &str, page: &Page) -> String {
    let mut jar: Vec<(String, String)> = cookies
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    for set in page
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
    {
        let Some((name, value)) = set.split(';').next().and_then(|pair| pair.split_once('='))
        else {
            continue;
        };
        jar.retain(|(k, _)| k != name);
        if !value.is_empty() && !set.contains("Max-Age=0") {
            jar.push((name.to_owned(), value.to_owned()));
        }
    }
    jar.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// How long one test may take. The slowest take seconds; a test that waits
/// longer is stuck, and should fail with its name rather than hold CI.
pub const TEST_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(240);

/// Runs `test`, failing it when it outlives [`TEST_TIME_LIMIT`].
pub async fn within_time_limit(test: impl std::future::Future<Output = ()>) {
    if tokio::time::timeout(TEST_TIME_LIMIT, test).await.is_err() {
        panic!("still running after {TEST_TIME_LIMIT:?}: stuck");
    }
}

/// Runs each named `async fn(TestDb)` once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::support::within_time_limit(async {
                        super::$name($crate::support::sqlite().await).await
                    })
                    .await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::support::within_time_limit(async {
                        super::$name($crate::support::postgres().await).await
                    })
                    .await
                }
            )*
        }
    };
}

/// Signs a demo or test account in with `password`; its session cookie.
pub async fn sign_in_as(router: &Router, email: &str, password: &str) -> String {
    let page = try_sign_in(router, email, password).await;
    session_cookie(&page).unwrap_or_else(|| panic!("{email} could not sign in: {}", page.body))
}

/// A GET with a session cookie.
pub async fn get_as(router: &Router, uri: &str, cookie: &str) -> Page {
    send(
        router,
        Request::get(uri)
            .header(header::HOST, "portal.test")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap_or_else(|e| panic!("{e}")),
    )
    .await
}

/// A server function's answer, which must be a success.
pub async fn answer<T: serde::de::DeserializeOwned>(
    router: &Router,
    function: &str,
    args: &[(&str, &str)],
    cookie: &str,
) -> T {
    let page = call(router, function, args, Some(cookie)).await;
    assert_eq!(error_of(&page), None, "{function} {args:?}: {}", page.body);
    serde_json::from_str(&page.body).unwrap_or_else(|e| panic!("{function}: {e}"))
}

/// A posting form's fields on `case`, every one sent as forms send them.
pub fn posting<'a>(case: &'a str, fields: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form: Vec<(&str, &str)> = vec![("case_number", case)];
    for name in app::caseworker::model::POSTING_FIELDS {
        let value = fields
            .iter()
            .find(|(field, _)| *field == name)
            .map_or("", |(_, value)| *value);
        form.push((name, value));
    }
    form
}

/// The field problems the review of a posting on `case` finds, as `cookie`.
pub async fn review_problems(
    router: &Router,
    cookie: &str,
    case: &str,
    fields: &[(&str, &str)],
) -> Vec<(app::error::Field, app::error::Problem)> {
    let page = call(
        router,
        "review_posting",
        &posting(case, fields),
        Some(cookie),
    )
    .await;
    problems(error_of(&page))
}

/// Reviews a posting `form` as `cookie`, then confirms it with the review's
/// key; the confirmation must go through. The review.
pub async fn post_reviewed(
    router: &Router,
    cookie: &str,
    form: Vec<(&str, &str)>,
) -> PostingReview {
    let review: PostingReview = answer(router, "review_posting", &form, cookie).await;
    let posted = call(
        router,
        "post_entry",
        &with_key(form, &review.key),
        Some(cookie),
    )
    .await;
    assert_eq!(error_of(&posted), None, "{}", posted.body);
    review
}

/// A form's fields, owned: a send may outlive the test's borrows.
pub type Form = Vec<(String, String)>;

/// The confirmed posting of a direct payment of `amount` on `case`, received
/// on `day`, with its one-time key.
pub fn direct_payment(
    case: &str,
    day: NaiveDate,
    amount: &str,
    reference: &str,
    key: &str,
) -> Form {
    let day = day.to_string();
    let fields = [
        ("kind", "payment"),
        ("amount", amount),
        ("date", day.as_str()),
        ("source", "direct"),
        ("reference", reference),
    ];
    with_key(posting(case, &fields), key)
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect()
}

/// An owned form's fields as [`call`] takes them.
pub fn borrowed(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// A form's fields with its one-time key.
pub fn with_key<'a>(mut form: Vec<(&'a str, &'a str)>, key: &'a str) -> Vec<(&'a str, &'a str)> {
    form.push(("key", key));
    form
}

/// Every statement sent through `connection` from now on, in a list.
pub fn listen(
    connection: &mut DatabaseConnection,
) -> std::sync::Arc<std::sync::Mutex<Vec<String>>> {
    let sent = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = sent.clone();
    connection.set_metric_callback(move |info| {
        if let Ok(mut sent) = log.lock() {
            sent.push(info.statement.to_string());
        }
    });
    sent
}

/// How many ledger entries the database holds.
pub async fn entry_count(db: &sea_orm::DatabaseConnection) -> u64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    entity::ledger_entries::Entity::find()
        .count(db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// How many audit rows of `action` the database holds.
pub async fn audit_count(db: &sea_orm::DatabaseConnection, action: &str) -> u64 {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    entity::audit_events::Entity::find()
        .filter(entity::audit_events::Column::Action.eq(action))
        .count(db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}
