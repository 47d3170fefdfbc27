//! Money that agrees on every path (step 9), on SQLite and on PostgreSQL:
//! new terms in the middle of a month charge it once, every view of a case
//! tells the same balance, and accrual that read the old terms never posts
//! one of their charges after the change.

mod support;

use app::balance::history::History;
use app::balance::model::{CaseView, Overview, PrintStatement, Timeline};
use app::caseworker::model::OrderReview;
use app::ledger::{Allocation, EntryKind, Money, Statement};
use chrono::{Datelike, Days, Months, NaiveDate};
use entity::{cases, ledger_entries, obligations, orders};
use http::StatusCode;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use server::ledger::{accrual, case_entries};
use server::seed::demo::{self, DEMO_PASSWORD};
use support::{answer, call, error_of, get_as, router, sign_in_as, TestDb};

on_both_databases!(
    new_terms_mid_month_charge_it_once_and_every_view_agrees,
    accrual_that_read_the_old_terms_posts_none_of_their_charges,
);

/// The case of a $520 monthly order due on the 1st, years behind.
const CASE: &str = "CS-2019-002931";
const PAYER: &str = "behind.parent@example.com";
const SUPERVISOR: &str = "supervisor@example.com";

fn today() -> NaiveDate {
    support::config().today()
}

async fn case_id(db: &DatabaseConnection) -> i32 {
    cases::Entity::find()
        .filter(cases::Column::CaseNumber.eq(CASE))
        .one(db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("{CASE} is seeded"))
        .id
}

/// New terms for the case from `date`, keeping its due day.
fn terms(date: NaiveDate, dollars: &str) -> Vec<(&'static str, String)> {
    vec![
        ("case_number", CASE.into()),
        ("date", date.to_string()),
        ("frequency", "monthly".into()),
        ("due_day", "keep".into()),
        ("child_support", dollars.into()),
        ("medical_support", "".into()),
        ("arrears_payment", "".into()),
        ("reference", "FC-2019-2931-M1".into()),
        ("reason", "Income fell: modified by the court".into()),
    ]
}

fn args<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Reviews then stores `form` as the supervisor.
async fn change_order(router: &axum::Router, form: &[(&'static str, String)]) -> OrderReview {
    let supervisor = sign_in_as(router, SUPERVISOR, DEMO_PASSWORD).await;
    let review: OrderReview = answer(router, "review_order", &args(form), &supervisor).await;
    let mut confirm = form.to_vec();
    confirm.push(("key", review.key.clone()));
    let changed = call(router, "change_order", &args(&confirm), Some(&supervisor)).await;
    assert_eq!(error_of(&changed), None, "{}", changed.body);
    review
}

async fn new_terms_mid_month_charge_it_once_and_every_view_agrees(test: TestDb) {
    demo::seed(&test.db, today())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let router = router(test.db.clone());
    let month = today()
        .with_day(1)
        .and_then(|first| first.checked_sub_months(Months::new(1)))
        .unwrap_or_else(|| panic!("last month"));
    let fifteenth = month + Days::new(14);
    let review = change_order(&router, &terms(fifteenth, "400")).await;
    assert_eq!(review.schedule.anchor_day, 1, "the order's due day is kept");
    assert!(
        review.recharged >= 2,
        "last month's and this month's charges"
    );

    // Last month is charged once: $520 for the 14 days before the 15th and
    // $400 for the rest, each prorated by the month's days.
    let entries = case_entries(&test.db, case_id(&test.db).await)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let as_of = Allocation::replay(&entries, today());
    let next = month
        .checked_add_months(Months::new(1))
        .unwrap_or_else(|| panic!("next month"));
    let days = u32::try_from((next - month).num_days()).unwrap_or(0);
    let charged: Money = entries
        .iter()
        .filter(|e| matches!(e.kind, EntryKind::Charge { .. }))
        .filter(|e| e.effective >= month && e.effective < next)
        .filter(|e| !as_of.reversed.contains(&e.id))
        .map(|e| e.amount)
        .sum();
    let expected = Money::from_cents(52_000).prorate(14, days)
        + Money::from_cents(40_000).prorate(days - 14, days);
    assert_eq!(charged, expected);
    let statement = Statement::build(&entries, month, next.pred_opt().unwrap_or(next));
    assert_eq!(
        statement.months[0].due,
        expected + Money::from_cents(52_000)
    );
    assert_eq!(
        statement.months[0].due - statement.months[0].received + statement.months[0].taken_back,
        statement.months[0].closing.balance - statement.opening.balance,
        "the month adds up, its own full charge taken back where it happened"
    );

    // Every view the paying parent has tells the same balance, to the cent.
    let payer = sign_in_as(&router, PAYER, DEMO_PASSWORD).await;
    let balance = as_of.balance();
    let overview: Overview = answer(&router, "overview", &[], &payer).await;
    let card = overview
        .cards
        .iter()
        .find(|c| c.case_number == CASE)
        .unwrap_or_else(|| panic!("the card of {CASE}"));
    assert_eq!(card.owed, balance.max(Money::ZERO));
    let view: CaseView = answer(&router, "case_overview", &[("case_number", CASE)], &payer).await;
    assert_eq!(view.card.owed, card.owed);
    let from = "2019-01-01";
    let range = [("case_number", CASE), ("from", from)];
    let history: History = answer(&router, "case_history", &range, &payer).await;
    assert_eq!(history.closing.balance, balance);
    assert_eq!(
        history.opening.balance + history.totals.change,
        history.closing.balance
    );
    assert_eq!(
        history.lines.first().map(|l| l.line.running_balance),
        Some(balance),
        "the newest line"
    );
    let timeline: Timeline = answer(&router, "case_timeline", &range, &payer).await;
    assert_eq!(
        timeline.months.last().map(|m| m.closing.balance),
        Some(balance)
    );
    let mut opening = timeline.opening.balance;
    for month in &timeline.months {
        assert_eq!(
            opening + month.due - month.received + month.taken_back,
            month.closing.balance,
            "{}",
            month.month
        );
        opening = month.closing.balance;
    }
    let printed: PrintStatement = answer(&router, "case_statement", &range, &payer).await;
    assert_eq!(printed.closing.balance, balance);
    let csv = get_as(
        &router,
        &format!("/cases/{CASE}/history.csv?from={from}"),
        &payer,
    )
    .await;
    assert_eq!(csv.status, StatusCode::OK);
    let mut rows = csv::Reader::from_reader(csv.body.as_bytes());
    let headers = rows.headers().cloned().unwrap_or_default();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap_or(usize::MAX);
    let (change, last_balance) = (at("change"), at("balance"));
    let records: Vec<csv::StringRecord> = rows.records().map(|r| r.unwrap_or_default()).collect();
    let money = |text: &str| Money::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    let sum: Money = records[1..].iter().map(|r| money(&r[change])).sum();
    assert_eq!(money(&records[0][last_balance]) + sum, balance);
    assert_eq!(
        records.last().map(|r| money(&r[last_balance])),
        Some(balance)
    );
}

async fn accrual_that_read_the_old_terms_posts_none_of_their_charges(test: TestDb) {
    demo::seed(&test.db, today())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let router = router(test.db.clone());
    // Accrual reads the orders as they stand and plans next month's charge …
    let next_first = today()
        .with_day(1)
        .and_then(|first| first.checked_add_months(Months::new(1)))
        .unwrap_or_else(|| panic!("next month"));
    let planned = accrual::plan(&test.db, next_first)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // … then new terms from that day are stored before it posts.
    change_order(&router, &terms(next_first, "300")).await;
    let report = accrual::post(&test.db, planned)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.changed_meanwhile, 1, "{report:?}");

    // Neither that run nor the next leaves a charge of the old terms there.
    server::ledger::accrue(&test.db, next_first)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let id = case_id(&test.db).await;
    let newest = orders::Entity::find()
        .filter(orders::Column::CaseId.eq(id))
        .order_by_desc(orders::Column::Id)
        .one(&test.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the new order"));
    let new_obligations: Vec<i32> = obligations::Entity::find()
        .filter(obligations::Column::OrderId.eq(newest.id))
        .all(&test.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|o| o.id)
        .collect();
    let charges: Vec<ledger_entries::Model> = ledger_entries::Entity::find()
        .filter(ledger_entries::Column::CaseId.eq(id))
        .filter(ledger_entries::Column::Kind.eq("charge"))
        .filter(ledger_entries::Column::EffectiveOn.eq(next_first))
        .all(&test.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(charges.len(), 1, "{charges:?}");
    assert!(charges[0]
        .obligation_id
        .is_some_and(|o| new_obligations.contains(&o)));
    assert_eq!(charges[0].amount_cents, 30_000);
}
