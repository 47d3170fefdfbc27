//! Staff reads go on the audit log together, each stored before its page
//! is shown (app/src/server/read_log.rs).

mod support;

use app::server::audit::{AuditAction, AuditEvent, Source};
use app::server::read_log::ReadLog;
use chrono::Utc;
use entity::audit_events;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use server::seed::demo::{self, DEMO_PASSWORD};
use support::TestDb;
use tokio::task::JoinSet;

async fn openings(test: &TestDb) -> u64 {
    audit_events::Entity::find()
        .filter(audit_events::Column::Action.eq(AuditAction::CaseOpened.as_str()))
        .count(&test.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Three hundred reads at once: each answered only once stored, all stored.
async fn reads_at_once_are_each_stored_before_they_are_answered(test: TestDb) {
    let log = ReadLog::start(test.db.clone());
    let before = openings(&test).await;
    let mut reads = JoinSet::new();
    for n in 0..300 {
        let (log, db) = (log.clone(), test.db.clone());
        reads.spawn(async move {
            let event = AuditEvent::new(AuditAction::CaseOpened).detail(format!("read {n}"));
            log.record(event, &Source::default(), Utc::now())
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            // Answered: it is there for anyone who looks.
            audit_events::Entity::find()
                .filter(audit_events::Column::Detail.eq(format!("read {n}")))
                .count(&db)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        });
    }
    while let Some(seen) = reads.join_next().await {
        assert_eq!(seen.unwrap_or_else(|e| panic!("{e}")), 1);
    }
    assert_eq!(openings(&test).await, before + 300);
}

/// A read the log cannot store is an error, never a page without its line.
async fn a_read_that_cannot_be_stored_is_an_error(test: TestDb) {
    let log = ReadLog::start(test.db.clone());
    test.db
        .clone()
        .close()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let event = AuditEvent::new(AuditAction::CaseOpened);
    let answer = log.record(event, &Source::default(), Utc::now()).await;
    assert!(answer.is_err(), "{answer:?}");
}

/// Caseworkers opening case files at once: each opening is on the log.
async fn every_case_file_opened_at_once_is_on_the_log(test: TestDb) {
    let config = support::config();
    demo::seed(&test.db, config.today())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let router = support::router_with(&config, test.db.clone());
    let cookie = support::sign_in_as(&router, "caseworker@example.com", DEMO_PASSWORD).await;
    let before = openings(&test).await;
    let mut pages = JoinSet::new();
    for _ in 0..24 {
        let (router, cookie) = (router.clone(), cookie.clone());
        pages.spawn(
            async move { support::get_as(&router, "/caseload/CS-2020-004172", &cookie).await },
        );
    }
    while let Some(page) = pages.join_next().await {
        let page = page.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(page.status, http::StatusCode::OK, "{}", page.body);
    }
    assert_eq!(openings(&test).await, before + 24);
}

on_both_databases!(
    reads_at_once_are_each_stored_before_they_are_answered,
    a_read_that_cannot_be_stored_is_an_error,
    every_case_file_opened_at_once_is_on_the_log,
);
