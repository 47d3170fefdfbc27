//! The case views on the demo data: the history reconciles with a replay,
//! pages and filters hold, the CSV sums to the balance, and the number of
//! queries does not grow with the length of a history — on SQLite and on
//! PostgreSQL.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use app::balance::history::{History, LineKind, PAGE_SIZE};
use app::balance::model::{CaseView, PrintStatement, Timeline};
use app::error::{Field, Problem};
use app::ledger::{Allocation, Money};
use app::server::ledger::case_entries;
use chrono::NaiveDate;
use entity::cases;
use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::seed::demo::{self, DEMO_PASSWORD};
use support::{answer, call, error_of, get_as, router, sign_in_as, TestDb};

on_both_databases!(
    a_case_status_the_portal_does_not_know_is_an_error,
    the_history_reconciles_with_a_replay,
    the_csv_sums_to_the_balance,
    queries_do_not_grow_with_the_history
);

fn today() -> NaiveDate {
    support::config().today()
}

async fn seeded(test: &TestDb) -> axum::Router {
    demo::seed(&test.db, today())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    router(test.db.clone())
}

async fn balance_today(test: &TestDb, case_number: &str) -> Money {
    let case = cases::Entity::find()
        .filter(cases::Column::CaseNumber.eq(case_number))
        .one(&test.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no case {case_number}"));
    let entries = case_entries(&test.db, case.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    Allocation::replay(&entries, today()).balance()
}

async fn the_history_reconciles_with_a_replay(test: TestDb) {
    let router = seeded(&test).await;
    let cookie = sign_in_as(&router, "paying.parent@example.com", DEMO_PASSWORD).await;
    let case = "CS-2020-004172";
    let number = [("case_number", case)];

    // The default: the last 24 months, newest first, in pages.
    let history: History = answer(&router, "case_history", &number, &cookie).await;
    assert_eq!(history.filter.to, today());
    assert_eq!(
        history.opening.balance + history.totals.change,
        history.closing.balance
    );
    assert_eq!(history.closing.balance, balance_today(&test, case).await);
    assert_eq!(
        history.totals.change,
        history.totals.due - history.totals.received + history.totals.reversed
    );
    assert!(history.pages > 1, "two years of semi-monthly pay is pages");
    assert_eq!(history.lines.len(), PAGE_SIZE);
    let newest = history.lines.first().map(|l| l.line.date);
    let page_two: History = answer(
        &router,
        "case_history",
        &[("case_number", case), ("page", "2")],
        &cookie,
    )
    .await;
    assert!(page_two.lines.iter().all(|l| Some(l.line.date) <= newest));
    assert_eq!(page_two.matching, history.matching);

    // The whole life of the case opens at zero.
    let opened = history.opened_on.to_string();
    let whole: History = answer(
        &router,
        "case_history",
        &[("case_number", case), ("from", &opened)],
        &cookie,
    )
    .await;
    assert_eq!(whole.opening.balance, Money::ZERO);
    assert_eq!(whole.totals.change, whole.closing.balance);

    // Filters keep only what they name.
    let payments: History = answer(
        &router,
        "case_history",
        &[("case_number", case), ("kind", "received")],
        &cookie,
    )
    .await;
    assert!(payments.matching > 0);
    assert!(payments
        .lines
        .iter()
        .all(|l| LineKind::of(&l.line.kind) == LineKind::Received));
    assert_eq!(payments.totals.due, Money::ZERO);

    // A bad date is named at its field, and nothing else happens.
    let bad = call(
        &router,
        "case_history",
        &[
            ("case_number", case),
            ("from", "2026-02-30"),
            ("to", "soon"),
        ],
        Some(&cookie),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = error_of(&bad);
    assert_eq!(
        error.as_ref().and_then(|e| e.problem_with(Field::From)),
        Some(Problem::NotADate)
    );
    assert_eq!(
        error.as_ref().and_then(|e| e.problem_with(Field::To)),
        Some(Problem::NotADate)
    );

    // Month by month agrees with the history's range.
    let timeline: Timeline = answer(&router, "case_timeline", &number, &cookie).await;
    assert_eq!(timeline.months.len(), 24);
    assert_eq!(
        timeline.months.last().map(|m| m.closing.balance),
        Some(history.closing.balance)
    );
    assert!(!timeline.explained.is_empty());

    // The case page: the order in force, children with ages, the caseworker.
    let view: CaseView = answer(&router, "case_overview", &number, &cookie).await;
    assert_eq!(view.orders.iter().filter(|o| o.in_force).count(), 1);
    assert!(!view.children.is_empty());
    assert_eq!(view.caseworker.as_deref(), Some("Alex Morgan"));
    assert!(
        view.past_due.is_none(),
        "the on-time payer owes nothing past due"
    );
}

/// A status written by hand (or by a newer version) is not shown as "open":
/// the page fails, and says so, and the cause is in the log.
async fn a_case_status_the_portal_does_not_know_is_an_error(test: TestDb) {
    use app::balance::model::CaseStatus;
    use sea_orm::sea_query::Expr;
    let router = seeded(&test).await;
    let cookie = sign_in_as(&router, "paying.parent@example.com", DEMO_PASSWORD).await;
    let number = [("case_number", "CS-2020-004172")];
    let view: CaseView = answer(&router, "case_overview", &number, &cookie).await;
    assert_eq!(view.status, CaseStatus::Open);

    cases::Entity::update_many()
        .col_expr(cases::Column::Status, Expr::value("suspended"))
        .filter(cases::Column::CaseNumber.eq("CS-2020-004172"))
        .exec(&test.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let page = call(&router, "case_overview", &number, Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(error_of(&page), Some(app::error::AppError::Internal));
}

async fn the_csv_sums_to_the_balance(test: TestDb) {
    let router = seeded(&test).await;
    let cookie = sign_in_as(&router, "receiving.parent@example.com", DEMO_PASSWORD).await;
    let case = "CS-2020-004172";
    let page = get_as(
        &router,
        &format!("/cases/{case}/history.csv?from=2020-01-01"),
        &cookie,
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/csv")));
    let mut rows = csv::Reader::from_reader(page.body.as_bytes());
    let headers = rows.headers().cloned().unwrap_or_default();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let (change, balance) = (column("change"), column("balance"));
    let records: Vec<csv::StringRecord> = rows.records().map(|r| r.unwrap_or_default()).collect();
    let money = |text: &str| Money::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    let opening = money(&records[0][balance]);
    let sum: Money = records[1..].iter().map(|r| money(&r[change])).sum();
    let last = money(&records[records.len() - 1][balance]);
    assert_eq!(opening + sum, last, "opening + changes = last balance");
    assert_eq!(last, balance_today(&test, case).await);

    // The print view's statement is the same range, every line.
    let statement: PrintStatement = answer(
        &router,
        "case_statement",
        &[("case_number", case), ("from", "2020-01-01")],
        &cookie,
    )
    .await;
    assert_eq!(statement.lines.len(), records.len() - 1);
    assert_eq!(statement.closing.balance, last);
    assert_eq!(statement.parties.len(), 2, "both parents are named");

    // Not someone else's case, and not without signing in.
    let other = get_as(&router, "/cases/CS-2019-002931/history.csv", &cookie).await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    let anonymous = support::get(&router, &format!("/cases/{case}/history.csv")).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous
        .headers
        .get(http::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("/login?next=")));
}

/// Counts the queries a request makes through the router's connection.
async fn queries_do_not_grow_with_the_history(test: TestDb) {
    demo::seed(&test.db, today())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let count = Arc::new(AtomicUsize::new(0));
    let mut counted = test.db.clone();
    let counter = count.clone();
    counted.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let router = router(counted);
    let supervisor = sign_in_as(&router, "supervisor@example.com", DEMO_PASSWORD).await;
    let queries = |function: &'static str, case: &'static str| {
        let (router, count, supervisor) = (router.clone(), count.clone(), supervisor.clone());
        async move {
            let before = count.load(Ordering::SeqCst);
            let page = call(
                &router,
                function,
                &[("case_number", case)],
                Some(&supervisor),
            )
            .await;
            assert_eq!(error_of(&page), None, "{function} {case}: {}", page.body);
            count.load(Ordering::SeqCst) - before
        }
    };
    // Ten years of history against a few months of it.
    let (long, short) = ("CS-2016-000388", "CS-2025-007741");
    for function in [
        "case_overview",
        "case_history",
        "case_timeline",
        "case_statement",
    ] {
        let (many, few) = (
            queries(function, long).await,
            queries(function, short).await,
        );
        assert_eq!(many, few, "{function}: {many} queries against {few}");
        eprintln!("{function}: {many} queries (session and audit included)");
        assert!(many <= 12, "{function}: {many} queries");
    }

    // A person's cards: one case or two, the same queries.
    let overview_queries = |email: &'static str| {
        let (router, count) = (router.clone(), count.clone());
        async move {
            let cookie = sign_in_as(&router, email, DEMO_PASSWORD).await;
            let before = count.load(Ordering::SeqCst);
            let page = call(&router, "overview", &[], Some(&cookie)).await;
            assert_eq!(error_of(&page), None);
            count.load(Ordering::SeqCst) - before
        }
    };
    let one = overview_queries("paying.parent@example.com").await;
    let two = overview_queries("two.cases@example.com").await;
    assert_eq!(one, two, "cards: {one} queries for one case, {two} for two");
    eprintln!("overview: {one} queries (session included)");
}
