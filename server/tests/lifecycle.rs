//! Start-up and outage behaviour: clear errors for a busy port or an
//! unreachable database, and a health check that follows the database.

mod support;

use std::time::Duration;

use app::error::AppError;
use axum::body::Body;
use entity::ledger_entries;
use http::{header, Request, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::seed::demo::{self, DEMO_PASSWORD};
use server::serve::ServeError;
use support::throwaway_postgres::ThrowawayPostgres;

#[tokio::test]
async fn a_port_in_use_is_a_clear_error() {
    let taken = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let test = support::sqlite().await;
    let mut config = support::config();
    config.site.addr = taken.local_addr().unwrap_or_else(|e| panic!("{e}"));
    config.database.url = test.url.clone();

    let error = server::serve::serve(config).await.err();
    assert!(matches!(error, Some(ServeError::Bind { .. })), "{error:?}");
    let message = error.map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("cannot listen on 127.0.0.1:"), "{message}");
    assert!(message.contains("LEPTOS_SITE_ADDR"), "{message}");
}

#[tokio::test]
async fn an_unreachable_database_is_a_clear_error() {
    let mut config = support::config();
    config.site.addr = "127.0.0.1:0".parse().unwrap_or_else(|e| panic!("{e:?}"));
    config.database.url = "postgres://portal:secret@127.0.0.1:1/portal".into();

    let message = server::serve::serve(config)
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        message.starts_with("cannot connect to the database at postgres://portal:***@"),
        "{message}"
    );
    assert!(!message.contains("secret"), "{message}");
}

/// PostgreSQL stopped under a running router (a server of the test's own):
/// pages, the app's calls and forms sent without JavaScript get a clear 503,
/// `/healthz` says why, and everything comes back by itself when the
/// database does — the session still signed in, nothing lost, nothing doubled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_answers_503_and_service_comes_back_by_itself() {
    let Some(postgres) = ThrowawayPostgres::start() else {
        return;
    };
    let db = server::db::connect(&postgres.url(), 4)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    server::db::migrate(&db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let today = support::config().today();
    demo::seed(&db, today)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let router = support::router(db.clone());
    let alex = support::sign_in_as(&router, "caseworker@example.com", DEMO_PASSWORD).await;
    let before = payment(today, "17.00", "k-before-outage");
    let posted = support::call(
        &router,
        "post_entry",
        &support::borrowed(&before),
        Some(&alex),
    )
    .await;
    assert_eq!(support::error_of(&posted), None, "{}", posted.body);

    postgres.stop();

    let health = support::get(&router, "/healthz").await;
    assert_eq!(health.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        health.body.contains(r#""database":"unavailable""#),
        "{}",
        health.body
    );

    let page = support::get_as(&router, &format!("/caseload/{CASE}"), &alex).await;
    assert_eq!(
        page.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        page.body
    );
    assert!(
        page.body.contains("cannot reach its records"),
        "{}",
        page.body
    );
    assert_eq!(page.headers[header::RETRY_AFTER], "30");
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");

    let during = payment(today, "23.00", "k-during-outage");
    let from_app = support::call(
        &router,
        "post_entry",
        &support::borrowed(&during),
        Some(&alex),
    )
    .await;
    assert_eq!(from_app.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(support::error_of(&from_app), Some(AppError::Unavailable));

    let without_js = support::send(&router, form_post("post_entry", &during, &alex)).await;
    assert_eq!(without_js.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        without_js
            .body
            .contains("<h1>The portal cannot reach its records"),
        "{}",
        without_js.body
    );

    // The quick exit still works: away to the neutral site, forgetting all.
    let leave = support::get_as(&router, "/leave", &alex).await;
    assert_eq!(leave.status, StatusCode::SEE_OTHER, "{}", leave.body);
    assert_eq!(
        leave.headers[header::LOCATION],
        support::config().agency.quick_exit_url.as_str()
    );
    assert!(leave.headers.contains_key("clear-site-data"));

    postgres.start_again();
    let mut health = StatusCode::SERVICE_UNAVAILABLE;
    for _ in 0..40 {
        health = support::get(&router, "/healthz").await.status;
        if health == StatusCode::OK {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(health, StatusCode::OK, "health recovers without a restart");
    let page = support::get_as(&router, &format!("/caseload/{CASE}"), &alex).await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "still signed in: {}",
        page.body
    );
    let resent = support::call(
        &router,
        "post_entry",
        &support::borrowed(&during),
        Some(&alex),
    )
    .await;
    assert_eq!(support::error_of(&resent), None, "{}", resent.body);

    let mut references: Vec<(String, i64)> = ledger_entries::Entity::find()
        .filter(ledger_entries::Column::Reference.is_in(["k-before-outage", "k-during-outage"]))
        .all(&db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|entry| (entry.reference.unwrap_or_default(), entry.amount_cents))
        .collect();
    references.sort();
    assert_eq!(
        references,
        [
            ("k-before-outage".to_owned(), 1_700),
            ("k-during-outage".to_owned(), 2_300)
        ],
        "the payment before the outage kept, the one sent during it stored once when sent again"
    );
}

const CASE: &str = "CS-2020-004172";

/// A direct payment on `CASE` whose reference is also its one-time key.
fn payment(day: chrono::NaiveDate, amount: &str, key: &str) -> support::Form {
    support::direct_payment(CASE, day, amount, key, key)
}

/// `form` sent by a browser without JavaScript: it wants a page back.
fn form_post(function: &str, form: &[(String, String)], cookie: &str) -> Request<Body> {
    let mut request = support::call_request(function, &support::borrowed(form), Some(cookie));
    request.headers_mut().insert(
        header::ACCEPT,
        http::HeaderValue::from_static("text/html,application/xhtml+xml"),
    );
    request
}
