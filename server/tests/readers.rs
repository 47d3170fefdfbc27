//! SQLite's readers beside its one writer: a parent's pages are read
//! through them, so reading sends nothing to the writer, and postings made
//! while many pages are being read are all stored and all seen at once.

mod support;

use app::balance::model::Overview;
use axum::Router;
use http::StatusCode;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use server::seed::demo::{self, DEMO_PASSWORD};
use support::{
    answer, borrowed, call, direct_payment, error_of, get_as, listen, sign_in_as, TestDb,
};
use tokio::task::JoinSet;

const CASE: &str = "CS-2020-004172";

/// The portal on `test`'s SQLite file, writing through `writer` and reading
/// through a pool of readers, as `server serve` builds it.
async fn portal(test: &TestDb, writer: DatabaseConnection) -> (Router, DatabaseConnection) {
    let readers = server::db::readers(&test.url, &test.db, 4)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let state = server::app_state(&support::config(), writer, readers.clone());
    (
        server::router(state).unwrap_or_else(|e| panic!("{e}")),
        readers,
    )
}

async fn seeded() -> TestDb {
    let test = support::sqlite().await;
    demo::seed(&test.db, support::config().today())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    test
}

#[tokio::test]
async fn a_parents_pages_send_nothing_to_the_writer() {
    let test = seeded().await;
    let mut writer = test.db.clone();
    let sent = listen(&mut writer);
    let (router, readers) = portal(&test, writer).await;
    let parent = sign_in_as(&router, "behind.parent@example.com", DEMO_PASSWORD).await;
    sent.lock().unwrap_or_else(|e| panic!("{e}")).clear();

    for path in [
        "/dashboard",
        "/cases/CS-2019-002931",
        "/cases/CS-2019-002931/history",
        "/cases/CS-2019-002931/history?from=2019-01-01",
        "/dashboard",
    ] {
        let page = get_as(&router, path, &parent).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
    }
    // Not even the session's idle expiry: it moved less than a minute.
    let sent = sent.lock().unwrap_or_else(|e| panic!("{e}")).clone();
    assert!(sent.is_empty(), "sent to the writer: {sent:#?}");

    // And the readers cannot write, whatever they are asked.
    let refused = readers.execute_unprepared("DELETE FROM audit_events").await;
    assert!(refused.is_err(), "a reader deleted the audit log");
}

#[tokio::test]
async fn who_is_reading_is_one_query_the_session_with_its_account() {
    let test = seeded().await;
    let mut readers = server::db::readers(&test.url, &test.db, 2)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let read = listen(&mut readers);
    let state = server::app_state(&support::config(), test.db.clone(), readers);
    let router = server::router(state).unwrap_or_else(|e| panic!("{e}"));
    let parent = sign_in_as(&router, "receiving.parent@example.com", DEMO_PASSWORD).await;
    read.lock().unwrap_or_else(|e| panic!("{e}")).clear();

    // The home page reads nothing of its own: what it sends is the header's.
    let page = get_as(&router, "/", &parent).await;
    assert_eq!(page.status, StatusCode::OK);
    let person = support::account_of(&test.db, "receiving.parent@example.com")
        .await
        .person_id;
    let unseen = app::server::user::unseen(&test.db, person)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(unseen > 0, "the demo leaves Dana something to read");
    // (Leptos marks where the number goes: `(<!>3<!> new)`.)
    let header = format!("Notifications (<!>{unseen}<!> new)");
    assert!(page.body.contains(&header), "the header says {header}");
    let sent = read.lock().unwrap_or_else(|e| panic!("{e}")).clone();
    assert_eq!(sent.len(), 1, "{sent:#?}");
    for table in [
        "\"sessions\"",
        "\"accounts\"",
        "\"people\"",
        "\"notifications\"",
    ] {
        assert!(sent[0].contains(table), "{table}: {}", sent[0]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postings_while_pages_are_read_are_all_stored_and_seen() {
    let test = seeded().await;
    let (router, readers) = portal(&test, test.db.clone()).await;
    let alex = sign_in_as(&router, "caseworker@example.com", DEMO_PASSWORD).await;
    let dana = sign_in_as(&router, "receiving.parent@example.com", DEMO_PASSWORD).await;
    let before: Overview = answer(&router, "overview", &[], &dana).await;

    let mut at_once = JoinSet::new();
    for n in 0..20 {
        let (router, alex) = (router.clone(), alex.clone());
        at_once.spawn(async move {
            let key = format!("k-side-by-side-{n}");
            let form = direct_payment(CASE, support::config().today(), "1.00", &key, &key);
            let posted = call(&router, "post_entry", &borrowed(&form), Some(&alex)).await;
            assert_eq!(error_of(&posted), None, "payment {n}: {}", posted.body);
        });
    }
    for n in 0..40 {
        let (router, dana) = (router.clone(), dana.clone());
        let path = match n % 2 {
            0 => "/dashboard".to_owned(),
            _ => format!("/cases/{CASE}/history"),
        };
        at_once.spawn(async move {
            let page = get_as(&router, &path, &dana).await;
            assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
        });
    }
    while let Some(done) = at_once.join_next().await {
        done.unwrap_or_else(|e| panic!("{e}"));
    }

    // Every payment is stored, and the readers see all of them at once.
    assert_eq!(
        support::entry_count(&test.db).await,
        support::entry_count(&readers).await
    );
    let after: Overview = answer(&router, "overview", &[], &dana).await;
    // What the paying parent owes, less what they paid ahead.
    let balance = |overview: &Overview| {
        overview
            .cards
            .iter()
            .find(|card| card.case_number == CASE)
            .map(|card| card.owed - card.credit)
            .unwrap_or_else(|| panic!("no card for {CASE}"))
    };
    assert_eq!(
        balance(&before) - balance(&after),
        app::ledger::Money::parse("20.00").unwrap_or_else(|e| panic!("{e}"))
    );
}

/// What each signed-in page asks of the database, counted, once its cases'
/// ledgers are kept: each query costs a hand-off to SQLite's thread and
/// back, whatever its size, so they are few and do not grow with the data.
#[tokio::test]
async fn a_page_asks_few_queries() {
    let test = seeded().await;
    let mut readers = server::db::readers(&test.url, &test.db, 2)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let read = listen(&mut readers);
    let state = server::app_state(&support::config(), test.db.clone(), readers);
    let router = server::router(state).unwrap_or_else(|e| panic!("{e}"));
    let parent = sign_in_as(&router, "behind.parent@example.com", DEMO_PASSWORD).await;
    let alex = sign_in_as(&router, "caseworker@example.com", DEMO_PASSWORD).await;
    for (page, cookie, at_most) in [
        // The session with its reader; the cases with their ledgers'
        // versions; orders with their obligations; children.
        ("/dashboard", &parent, 4),
        // The session; the case with the parent on it; its ledger's version.
        ("/cases/CS-2019-002931/history", &parent, 3),
        // The session; the case; its ledger's version (the latest entries
        // and their reversals come from the kept ledger); orders; children;
        // a page of the audit log and its count; every name the file shows;
        // participants with their accounts; conversations (the caseworker's
        // cases a subquery); requests.
        ("/caseload/CS-2020-004172", &alex, 11),
    ] {
        // The first visit reads the ledger; the second is the one counted.
        assert_eq!(
            get_as(&router, page, cookie).await.status,
            StatusCode::OK,
            "{page}"
        );
        read.lock().unwrap_or_else(|e| panic!("{e}")).clear();
        assert_eq!(
            get_as(&router, page, cookie).await.status,
            StatusCode::OK,
            "{page}"
        );
        let sent = read.lock().unwrap_or_else(|e| panic!("{e}")).clone();
        assert!(
            sent.len() <= at_most,
            "{page}: {} queries: {sent:#?}",
            sent.len()
        );
    }
}

/// An account whose role the portal does not know is a broken record: its
/// pages say something went wrong where the page would be (and the log says
/// what), as before the session and its reader were read together — the
/// session itself still loads, so the answer is the portal's page, not an
/// empty 500 from the session layer.
#[tokio::test]
async fn an_account_the_portal_cannot_read_gets_the_error_page() {
    let test = seeded().await;
    let (router, _readers) = portal(&test, test.db.clone()).await;
    let parent = sign_in_as(&router, "behind.parent@example.com", DEMO_PASSWORD).await;
    test.db
        .execute_unprepared(
            "UPDATE accounts SET role = 'auditor' WHERE email = 'behind.parent@example.com'",
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let page = get_as(&router, "/dashboard", &parent).await;
    assert!(
        page.body.contains("Something went wrong"),
        "the portal's error page: {}",
        page.body
    );
}
