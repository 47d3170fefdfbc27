//! Many people at once: the same payment confirmed a hundred times at the
//! same moment is stored once; a hundred different payments at once are all
//! stored, to the cent — on SQLite and on PostgreSQL. (SQLite takes requests
//! one at a time on its one connection; on PostgreSQL the sends really race,
//! so the same key also meets the unique index there.)

mod support;

use axum::Router;
use chrono::NaiveDate;
use entity::{audit_events, cases, ledger_entries};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use server::seed::demo::DEMO_PASSWORD;
use support::{borrowed, call, direct_payment, error_of, sign_in_as, Form, Page, TestDb};
use tokio::task::JoinSet;

on_both_databases!(
    the_same_payment_sent_a_hundred_times_at_once_is_stored_once,
    a_hundred_payments_at_once_are_all_stored_to_the_cent,
);

const CASE: &str = "CS-2020-004172";
const AT_ONCE: usize = 100;

fn today() -> NaiveDate {
    support::config().today()
}

/// The confirmed posting of a direct payment of `amount` on `CASE`.
fn payment(amount: &str, reference: &str, key: &str) -> Form {
    direct_payment(CASE, today(), amount, reference, key)
}

/// Sends every form at the same time, as `cookie`; the answers.
async fn all_at_once(router: &Router, cookie: &str, forms: Vec<Form>) -> Vec<Page> {
    let mut sending = JoinSet::new();
    for form in forms {
        let (router, cookie) = (router.clone(), cookie.to_owned());
        sending.spawn(
            async move { call(&router, "post_entry", &borrowed(&form), Some(&cookie)).await },
        );
    }
    let mut answers = Vec::with_capacity(AT_ONCE);
    while let Some(answer) = sending.join_next().await {
        answers.push(answer.unwrap_or_else(|e| panic!("a send panicked: {e}")));
    }
    answers
}

/// The entries of `CASE` with `reference`: how many, and their total in cents.
async fn stored(db: &DatabaseConnection, reference: &str) -> (usize, i64) {
    let case = cases::Entity::find()
        .filter(cases::Column::CaseNumber.eq(CASE))
        .one(db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no case {CASE}"));
    let rows = ledger_entries::Entity::find()
        .filter(ledger_entries::Column::CaseId.eq(case.id))
        .filter(ledger_entries::Column::Reference.eq(reference))
        .all(db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    (rows.len(), rows.iter().map(|row| row.amount_cents).sum())
}

/// The audit log's lines for posted entries.
async fn posted_lines(db: &DatabaseConnection) -> u64 {
    audit_events::Entity::find()
        .filter(audit_events::Column::Action.eq("entry_posted"))
        .count(db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn the_same_payment_sent_a_hundred_times_at_once_is_stored_once(test: TestDb) {
    let router = support::demo_router(&test.db).await;
    let alex = sign_in_as(&router, "caseworker@example.com", DEMO_PASSWORD).await;
    let forms = vec![payment("41.17", "same form", "k-same-form"); AT_ONCE];

    let answers = all_at_once(&router, &alex, forms).await;
    // Every send is answered as a success: the first stored it, the others
    // found it.
    for answer in &answers {
        assert_eq!(error_of(answer), None, "{}", answer.body);
    }
    assert_eq!(stored(&test.db, "same form").await, (1, 4_117));
    assert_eq!(
        posted_lines(&test.db).await,
        1,
        "one audit line for one entry"
    );
}

async fn a_hundred_payments_at_once_are_all_stored_to_the_cent(test: TestDb) {
    let router = support::demo_router(&test.db).await;
    let alex = sign_in_as(&router, "caseworker@example.com", DEMO_PASSWORD).await;
    // $1.01, $2.02, … $101.00: every amount different, every key its own.
    let forms: Vec<_> = (1..=AT_ONCE)
        .map(|n| {
            let cents = n * 101;
            let amount = format!("{}.{:02}", cents / 100, cents % 100);
            payment(&amount, "one of many", &format!("k-many-{n}"))
        })
        .collect();
    let expected: i64 = (1..=AT_ONCE as i64).map(|n| n * 101).sum();

    let answers = all_at_once(&router, &alex, forms).await;
    for answer in &answers {
        assert_eq!(error_of(answer), None, "{}", answer.body);
    }
    assert_eq!(stored(&test.db, "one of many").await, (AT_ONCE, expected));
    assert_eq!(
        posted_lines(&test.db).await,
        AT_ONCE as u64,
        "an audit line each"
    );
}
