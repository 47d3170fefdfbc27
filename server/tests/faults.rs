//! The real `server` program killed with SIGKILL in the middle of its bulk
//! work — writing a generated caseload, posting the charges due after
//! downtime — and started again: no half-written batch is left, the work
//! resumes, and the totals come out exactly as in a run never interrupted.
//! On SQLite and PostgreSQL. And a backup taken while the portal writes is a
//! consistent copy.

mod support;

use std::time::{Duration, Instant};

use chrono::Months;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use server::seed::demo::{self, DEMO_PASSWORD};
use support::program::{finish, server, start, Running};
use support::{borrowed, call, direct_payment, error_of, router, sign_in_as, TestDb};

on_both_databases!(
    a_caseload_seed_killed_midway_resumes_to_the_same_caseload,
    accrual_killed_midway_completes_after_a_restart,
);

/// Cases in a generated caseload: enough that the work takes seconds.
const CASES: u32 = 2_000;
/// Cases per transaction of the seed (`server::seed::caseload`).
const CASES_PER_BATCH: i64 = 500;

/// Polls `count` until `ready` holds for it, then kills `program` with
/// SIGKILL at once; the count at the kill. Panics if the program ends first
/// or nothing happens in two minutes.
async fn kill_when(
    program: &mut Running,
    mut count: impl AsyncFnMut() -> i64,
    ready: impl Fn(i64) -> bool,
) -> i64 {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        program.assert_running();
        let now = count().await;
        if ready(now) {
            program.kill();
            return now;
        }
        assert!(
            Instant::now() < deadline,
            "nothing happened:\n{}",
            program.output()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// One number from `sql`.
async fn number(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .unwrap_or_else(|| panic!("{sql}: no row"));
    row.try_get_by_index::<i64>(0)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Rows of text and numbers from `sql`, to compare two databases.
async fn table(db: &DatabaseConnection, sql: &str) -> Vec<(String, i64, i64)> {
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|row| {
            (
                row.try_get_by_index(0).unwrap_or_else(|e| panic!("{e}")),
                row.try_get_by_index(1).unwrap_or_else(|e| panic!("{e}")),
                row.try_get_by_index(2).unwrap_or_else(|e| panic!("{e}")),
            )
        })
        .collect()
}

/// A generated caseload, case by case: entries and their total.
const LEDGER_PER_CASE: &str = "SELECT c.case_number, COUNT(e.id), \
     CAST(COALESCE(SUM(e.amount_cents), 0) AS BIGINT) \
     FROM cases c LEFT JOIN ledger_entries e ON e.case_id = c.id \
     WHERE c.case_number LIKE 'GEN-%' GROUP BY c.case_number ORDER BY c.case_number";

/// Charges only, case by case.
const CHARGES_PER_CASE: &str = "SELECT c.case_number, COUNT(e.id), \
     CAST(COALESCE(SUM(e.amount_cents), 0) AS BIGINT) \
     FROM cases c LEFT JOIN ledger_entries e ON e.case_id = c.id AND e.kind = 'charge' \
     WHERE c.case_number LIKE 'GEN-%' GROUP BY c.case_number ORDER BY c.case_number";

/// Another empty database of the same kind as `test`'s.
async fn twin(test: &TestDb) -> TestDb {
    if test.url.starts_with("sqlite:") {
        support::sqlite().await
    } else {
        support::postgres().await
    }
}

async fn a_caseload_seed_killed_midway_resumes_to_the_same_caseload(test: TestDb) {
    let cases = CASES.to_string();
    let seed = |url: &str| {
        let mut command = server(url);
        command.args(["seed", "--cases", &cases, "--seed", "5"]);
        command
    };
    let logs = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let log = logs.path().join("seed.log");

    let mut seeding = start(&mut seed(&test.url), &log);
    let generated = "SELECT COUNT(*) FROM cases WHERE case_number LIKE 'GEN-5-%'";
    let at_kill = kill_when(
        &mut seeding,
        async || number(&test.db, generated).await,
        |written| written > 0,
    )
    .await;
    let after_kill = number(&test.db, generated).await;
    assert!(
        after_kill < i64::from(CASES),
        "killed midway: {after_kill} of {CASES} cases written"
    );
    assert_eq!(
        after_kill % CASES_PER_BATCH,
        0,
        "only whole batches are stored ({at_kill} seen at the kill)"
    );
    let orphans = "SELECT COUNT(*) FROM ledger_entries e \
                   WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = e.case_id)";
    assert_eq!(number(&test.db, orphans).await, 0);

    finish(&mut seed(&test.url));
    assert_eq!(number(&test.db, generated).await, i64::from(CASES));

    let never_stopped = twin(&test).await;
    finish(&mut seed(&never_stopped.url));
    assert_eq!(
        table(&test.db, LEDGER_PER_CASE).await,
        table(&never_stopped.db, LEDGER_PER_CASE).await,
        "the resumed caseload is the caseload of a run never stopped"
    );
}

async fn accrual_killed_midway_completes_after_a_restart(test: TestDb) {
    let today = support::config().today();
    // Histories that stop two years ago: the server has two years of
    // charges to post when it starts, as after a long downtime.
    let stopped_on = today - Months::new(24);
    let seed = |url: &str| {
        let mut command = server(url);
        command.args(["seed", "--cases", &CASES.to_string(), "--seed", "9"]);
        command.args(["--through", &stopped_on.to_string()]);
        command
    };
    finish(&mut seed(&test.url));
    let logs = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let charges = "SELECT COUNT(*) FROM ledger_entries WHERE kind = 'charge'";
    let before = number(&test.db, charges).await;

    let first_log = logs.path().join("first.log");
    let mut serving = start(&mut server(&test.url), &first_log);
    let at_kill = kill_when(
        &mut serving,
        async || number(&test.db, charges).await,
        |now| now > before,
    )
    .await;
    assert!(
        !serving.output().contains("accrual done"),
        "the kill came after accrual finished: make the caseload larger"
    );

    let second_log = logs.path().join("second.log");
    let mut restarted = start(&mut server(&test.url), &second_log);
    let deadline = Instant::now() + Duration::from_secs(180);
    while !restarted.output().contains("accrual done") {
        restarted.assert_running();
        assert!(
            Instant::now() < deadline,
            "no accrual:\n{}",
            restarted.output()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    restarted.kill();

    let never_stopped = twin(&test).await;
    finish(&mut seed(&never_stopped.url));
    app::server::ledger::accrual::accrue(&never_stopped.db, today)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let expected = number(&never_stopped.db, charges).await;
    assert!(
        before < at_kill && at_kill < expected,
        "killed midway: {before} charges before, {at_kill} at the kill, {expected} in the end"
    );
    assert_eq!(number(&test.db, charges).await, expected);
    assert_eq!(
        table(&test.db, CHARGES_PER_CASE).await,
        table(&never_stopped.db, CHARGES_PER_CASE).await,
        "every case charged exactly as by an accrual never stopped"
    );
}

/// `server backup` while the portal posts payments: the copy is whole (its
/// integrity check passes) and consistent (every payment in it has its
/// audit line, and no audit line is without its payment).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_the_portal_writes_is_consistent() {
    let test = support::sqlite().await;
    demo::seed(&test.db, support::config().today())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let portal = router(test.db.clone());
    let alex = sign_in_as(&portal, "caseworker@example.com", DEMO_PASSWORD).await;
    let today = support::config().today();
    let writing = tokio::spawn({
        let portal = portal.clone();
        async move {
            for n in 0..200 {
                let key = format!("during-backup-{n}");
                let form = direct_payment("CS-2020-004172", today, "5.00", "during backup", &key);
                let page = call(&portal, "post_entry", &borrowed(&form), Some(&alex)).await;
                assert_eq!(error_of(&page), None, "{}", page.body);
            }
        }
    });

    let folder = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let copy = folder.path().join("copy.db");
    tokio::time::sleep(Duration::from_millis(300)).await;
    finish(server(&test.url).arg("backup").arg(&copy));
    writing.await.unwrap_or_else(|e| panic!("{e}"));

    let copied = server::db::connect(&format!("sqlite://{}", copy.display()), 1)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let check = copied
        .query_one_raw(Statement::from_string(
            copied.get_database_backend(),
            "PRAGMA integrity_check",
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .and_then(|row| row.try_get_by_index::<String>(0).ok());
    assert_eq!(check.as_deref(), Some("ok"));
    let payments = number(
        &copied,
        "SELECT COUNT(*) FROM ledger_entries WHERE reference = 'during backup'",
    )
    .await;
    let audited = number(
        &copied,
        "SELECT COUNT(*) FROM audit_events a JOIN ledger_entries e \
         ON a.action = 'entry_posted' AND a.detail = 'entry ' || CAST(e.id AS TEXT) \
         WHERE e.reference = 'during backup'",
    )
    .await;
    assert!(
        0 < payments && payments < 200,
        "the copy was taken while payments were being posted ({payments} of 200 in it)"
    );
    assert_eq!(
        payments, audited,
        "every payment in the copy has its audit line"
    );

    let second = server(&test.url).arg("backup").arg(&copy).output();
    let refused = second.unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !refused.status.success(),
        "an existing file is never overwritten"
    );
}
