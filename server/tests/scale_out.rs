//! The scale path: several `server` programs on one PostgreSQL behind any
//! load balancer. Sessions live in the database, so a parent signed in
//! through one instance is signed in at every other, and signing out
//! anywhere ends the session everywhere.

mod support;

use http::StatusCode;
use server::seed::demo::{self, DEMO_PASSWORD};
use support::program::{over_http, server, start};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_postgres_serve_the_same_sessions() {
    let test = support::postgres().await;
    demo::seed(&test.db, support::config().today())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let logs = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut first = start(&mut server(&test.url), &logs.path().join("first.log"));
    let mut second = start(&mut server(&test.url), &logs.path().join("second.log"));
    let (first, second) = (first.address().await, second.address().await);
    assert_ne!(first, second);

    let signed_in = over_http(
        first,
        support::call_request(
            "sign_in",
            &[
                ("email", "paying.parent@example.com"),
                ("password", DEMO_PASSWORD),
            ],
            None,
        ),
    )
    .await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);
    let cookie = support::session_cookie(&signed_in)
        .unwrap_or_else(|| panic!("no session cookie: {:?}", signed_in.headers));

    let who = |at| {
        over_http(
            at,
            support::call_request("current_user", &[], Some(&cookie)),
        )
    };
    for instance in [first, second] {
        let user = who(instance).await;
        assert!(
            user.body.contains("Marcus Bell"),
            "{instance} knows the session: {}",
            user.body
        );
    }
    let page = over_http(
        second,
        http::Request::get("/dashboard")
            .header(http::header::COOKIE, &cookie)
            .body(axum::body::Body::empty())
            .unwrap_or_else(|e| panic!("{e}")),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    // His own case: the second instance knows who is asking.
    assert!(page.body.contains("CS-2020-004172"), "{}", page.body);

    let signed_out = over_http(
        second,
        support::call_request("sign_out", &[], Some(&cookie)),
    )
    .await;
    assert_eq!(signed_out.status, StatusCode::OK, "{}", signed_out.body);
    assert_eq!(
        who(first).await.body,
        "null",
        "signed out through the second instance, so at the first too"
    );
}
