//! A case's ledger is read once and kept, and so is the history worked out
//! of it: the next view asks only whether the ledger grew. An entry posted
//! in between is on the very next view — on SQLite and on PostgreSQL.

mod support;

use std::sync::{Arc, Mutex};

use app::balance::history::History;
use server::seed::demo::{self, DEMO_PASSWORD};
use support::{answer, post_reviewed, posting, sign_in_as, TestDb};

on_both_databases!(a_ledger_is_read_once_and_a_new_entry_is_seen_at_once);

const CASE: &str = "CS-2020-004172";

/// How many of the statements `sent` read a ledger's entries whole (their
/// idempotency keys), rather than only counting them.
fn ledger_reads(sent: &Arc<Mutex<Vec<String>>>) -> usize {
    let sent = sent.lock().unwrap_or_else(|e| panic!("{e}"));
    sent.iter()
        .filter(|statement| statement.contains("\"ledger_entries\".\"idempotency_key\""))
        .count()
}

async fn a_ledger_is_read_once_and_a_new_entry_is_seen_at_once(test: TestDb) {
    let today = support::config().today();
    demo::seed(&test.db, today)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut db = test.db.clone();
    let sent = support::listen(&mut db);
    let state = server::app_state(&support::config(), db.clone(), db);
    let worked = state.histories.clone();
    let router = server::router(state).unwrap_or_else(|e| panic!("{e}"));
    let dana = sign_in_as(&router, "receiving.parent@example.com", DEMO_PASSWORD).await;
    let alex = sign_in_as(&router, "caseworker@example.com", DEMO_PASSWORD).await;
    let whole = [("case_number", CASE)];

    let first: History = answer(&router, "case_history", &whole, &dana).await;
    let read_first = ledger_reads(&sent);
    assert_eq!(read_first, 1, "the first view reads the ledger");
    let again: History = answer(&router, "case_history", &whole, &dana).await;
    assert_eq!(
        ledger_reads(&sent),
        read_first,
        "the second view reads it again"
    );
    assert_eq!(again.closing, first.closing);
    assert_eq!(again.matching, first.matching);
    assert_eq!(again.lines, first.lines);
    assert_eq!(worked.len(), 1, "the history was worked out once and kept");

    let day = today.to_string();
    post_reviewed(
        &router,
        &alex,
        posting(
            CASE,
            &[
                ("kind", "payment"),
                ("amount", "12.34"),
                ("date", day.as_str()),
                ("source", "direct"),
                ("reference", "kept-ledger check"),
            ],
        ),
    )
    .await;
    let after: History = answer(&router, "case_history", &whole, &dana).await;
    assert!(after.matching > first.matching, "the payment is a new line");
    assert_eq!(
        worked.len(),
        2,
        "the grown ledger's history is worked out anew"
    );
    assert_eq!(
        first.closing.balance - after.closing.balance,
        app::ledger::Money::parse("12.34").unwrap_or_else(|e| panic!("{e}"))
    );
}
