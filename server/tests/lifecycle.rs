//! Start-up and outage behaviour: clear errors for a busy port or an
//! unreachable database, and a health check that follows the database.

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use http::StatusCode;
use server::serve::ServeError;
use support::proxy::Outage;

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

/// Cuts the connection to PostgreSQL under a running router: /healthz goes
/// to 503 and comes back to 200 once the database is reachable again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_follows_the_database_through_an_outage() {
    let Some(test) = support::postgres().await else {
        return;
    };
    let target: SocketAddr = "127.0.0.1:5432".parse().unwrap_or_else(|e| panic!("{e:?}"));
    let outage = Outage::forward_to(target).await;
    let name = test.url.rsplit('/').next().unwrap_or_default().to_owned();
    let via_proxy = format!("postgres://postgres@{}/{name}", outage.addr);
    let db = server::db::connect(&via_proxy, 2)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let router = support::router(db);

    assert_eq!(
        support::get(&router, "/healthz").await.status,
        StatusCode::OK
    );

    outage.cut();
    let down = support::get(&router, "/healthz").await;
    assert_eq!(down.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        down.body.contains(r#""database":"unavailable""#),
        "{}",
        down.body
    );

    outage.restore();
    let mut status = StatusCode::SERVICE_UNAVAILABLE;
    for _ in 0..20 {
        status = support::get(&router, "/healthz").await.status;
        if status == StatusCode::OK {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(status, StatusCode::OK, "health recovers without a restart");
}
