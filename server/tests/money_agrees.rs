//! Money that agrees on every path (step 9), on SQLite and on PostgreSQL:
//! new terms in the middle of a month charge it once, every view of a case
//! tells the same balance, and accrual that read the old terms never posts
//! one of their charges after the change.

mod support;

use app::balance::history::History;
use app::balance::model::{CaseView, Overview, PrintStatement, Timeline};
use app::caseworker::model::{CaseFile, OrderReview};
use app::error::{Field, Problem};
use app::ledger::{Allocation, EntryKind, Money, PaymentSource, Statement};
use app::notice::Kind;
use app::notifications::model::Notification;
use app::server::ledger::{accrual, case_entries};
use chrono::{Datelike, Days, Months, NaiveDate};
use entity::{cases, ledger_entries, obligations, orders};
use http::StatusCode;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use server::seed::demo::{self, DEMO_PASSWORD};
use support::{
    answer, call, error_of, get_as, post_reviewed, posting, problems, review_problems, router,
    router_with, sign_in_as, with_key, TestDb,
};

on_both_databases!(
    new_terms_mid_month_charge_it_once_and_every_view_agrees,
    accrual_that_read_the_old_terms_posts_none_of_their_charges,
    a_reversal_counts_from_its_date_and_one_made_in_error_is_undone,
    held_money_is_never_overdrawn_and_the_receiver_is_told_it_is_on_hold,
    an_intercept_pays_past_due_support_only,
    the_ledger_check_finds_the_demo_clean_and_a_stray_charge,
    interest_is_charged_monthly_once_and_paid_after_support,
    the_service_fee_is_kept_once_a_year_from_money_sent_on,
);

/// The case of a $520 monthly order due on the 1st, years behind.
const CASE: &str = "CS-2019-002931";
const PAYER: &str = "behind.parent@example.com";
const SUPERVISOR: &str = "supervisor@example.com";
/// The caseworker of the demo's cases but one.
const ALEX: &str = "caseworker@example.com";

async fn case_file(router: &axum::Router, case: &str, cookie: &str) -> CaseFile {
    answer(router, "case_file", &[("case_number", case)], cookie).await
}

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
    app::server::ledger::accrue(&test.db, next_first)
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

async fn a_reversal_counts_from_its_date_and_one_made_in_error_is_undone(test: TestDb) {
    demo::seed(&test.db, today())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let router = router(test.db.clone());
    let alex = sign_in_as(&router, ALEX, DEMO_PASSWORD).await;
    let day = |back: u64| (today() - Days::new(back)).to_string();
    let received = day(10);
    post_reviewed(
        &router,
        &alex,
        posting(
            CASE,
            &[
                ("kind", "payment"),
                ("amount", "75"),
                ("date", &received),
                ("source", "direct"),
            ],
        ),
    )
    .await;
    let before = case_file(&router, CASE, &alex).await;
    let payment = before
        .entries
        .iter()
        .find(|e| e.amount == Money::from_cents(7_500) && e.effective.to_string() == received)
        .unwrap_or_else(|| panic!("the payment"))
        .id
        .to_string();
    let stored = support::entry_count(&test.db).await;

    // Dated before the payment: refused at the date, in review and on confirm.
    let early = day(11);
    let too_early = posting(
        CASE,
        &[
            ("kind", "reversal"),
            ("date", &early),
            ("entry", &payment),
            ("reason", "Check returned"),
        ],
    );
    let refused = call(&router, "review_posting", &too_early, Some(&alex)).await;
    assert_eq!(
        problems(error_of(&refused)),
        [(Field::Date, Problem::BeforeEntry)]
    );
    let confirmed = call(
        &router,
        "post_entry",
        &with_key(too_early, "made-up-key-1"),
        Some(&alex),
    )
    .await;
    assert_eq!(
        problems(error_of(&confirmed)),
        [(Field::Date, Problem::BeforeEntry)]
    );
    assert_eq!(
        support::entry_count(&test.db).await,
        stored,
        "nothing stored"
    );

    // On a later day it counts from that day: taken back in that day's month.
    let returned = day(5);
    let review = post_reviewed(
        &router,
        &alex,
        posting(
            CASE,
            &[
                ("kind", "reversal"),
                ("date", &returned),
                ("entry", &payment),
                ("reason", "Check returned"),
            ],
        ),
    )
    .await;
    assert_eq!(
        review.balance_after,
        review.balance_before + Money::from_cents(7_500)
    );
    let reversed = case_file(&router, CASE, &alex).await;
    let reversal = reversed
        .entries
        .iter()
        .find(|e| matches!(e.kind, EntryKind::Reversal { reverses } if reverses.to_string() == payment))
        .unwrap_or_else(|| panic!("the reversal"))
        .clone();
    assert!(
        reversal.reversible(),
        "a reversal made in error can be undone"
    );

    // The reversal was a mistake: undoing it puts the payment back, audited.
    let audited = support::audit_count(&test.db, "entry_posted").await;
    let reversal_id = reversal.id.to_string();
    let today = today().to_string();
    let review = post_reviewed(
        &router,
        &alex,
        posting(
            CASE,
            &[
                ("kind", "reversal"),
                ("date", &today),
                ("entry", &reversal_id),
                ("reason", "The check cleared after all"),
            ],
        ),
    )
    .await;
    assert_eq!(
        review.balance_after,
        review.balance_before - Money::from_cents(7_500)
    );
    let undone = case_file(&router, CASE, &alex).await;
    assert_eq!(undone.view.card.owed, before.view.card.owed);
    assert_eq!(
        support::audit_count(&test.db, "entry_posted").await,
        audited + 1
    );
    let reinstatement = undone.entries[0].clone();
    assert!(reinstatement.reinstates && !reinstatement.reversible());
    assert_eq!(
        review_problems(
            &router,
            &alex,
            CASE,
            &[
                ("kind", "reversal"),
                ("date", &today),
                ("entry", &reinstatement.id.to_string()),
                ("reason", "Again"),
            ]
        )
        .await,
        [(Field::Entry, Problem::NotReversible)]
    );

    // The month table shows each step in its own month, adding up.
    let payer = sign_in_as(&router, PAYER, DEMO_PASSWORD).await;
    let timeline: Timeline =
        answer(&router, "case_timeline", &[("case_number", CASE)], &payer).await;
    let mut opening = timeline.opening.balance;
    for month in &timeline.months {
        assert_eq!(
            opening + month.due - month.received + month.taken_back,
            month.closing.balance
        );
        opening = month.closing.balance;
    }
    assert_eq!(opening, undone.view.card.owed.max(opening));
}

async fn held_money_is_never_overdrawn_and_the_receiver_is_told_it_is_on_hold(test: TestDb) {
    demo::seed(&test.db, today())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let router = router(test.db.clone());
    let alex = sign_in_as(&router, ALEX, DEMO_PASSWORD).await;
    let case = "CS-2020-004172";
    let day = |back: u64| (today() - Days::new(back)).to_string();
    let (held_on, released_on, earlier) = (day(3), day(1), day(4));
    post_reviewed(
        &router,
        &alex,
        posting(
            case,
            &[
                ("kind", "hold"),
                ("amount", "100"),
                ("date", &held_on),
                ("reason", "Mail to you came back: confirm your address"),
            ],
        ),
    )
    .await;
    let dana = sign_in_as(&router, "receiving.parent@example.com", DEMO_PASSWORD).await;
    let told: Vec<Notification> = answer(&router, "my_notifications", &[], &dana).await;
    assert!(told.iter().any(|n| n.kind == Kind::MoneyHeld
        && n.amount == Some(Money::from_cents(10_000))
        && n.link.ends_with("#on-hold")));
    assert!(
        !told
            .iter()
            .any(|n| n.kind == Kind::MoneySent && n.amount == Some(Money::from_cents(10_000))),
        "held money is not sent"
    );

    // Nothing is released before it was held.
    assert_eq!(
        review_problems(
            &router,
            &alex,
            case,
            &[
                ("kind", "release"),
                ("amount", "10"),
                ("date", &earlier),
                ("reason", "Address confirmed"),
            ]
        )
        .await,
        [(Field::Amount, Problem::MoreThanHeld)]
    );
    post_reviewed(
        &router,
        &alex,
        posting(
            case,
            &[
                ("kind", "release"),
                ("amount", "60"),
                ("date", &released_on),
                ("reason", "Address confirmed"),
            ],
        ),
    )
    .await;

    // A hold already released in part cannot be reversed.
    let file = case_file(&router, case, &alex).await;
    let hold = file
        .entries
        .iter()
        .find(|e| matches!(e.kind, EntryKind::Hold) && e.effective.to_string() == held_on)
        .unwrap_or_else(|| panic!("the hold"))
        .id
        .to_string();
    assert_eq!(
        review_problems(
            &router,
            &alex,
            case,
            &[
                ("kind", "reversal"),
                ("date", &released_on),
                ("entry", &hold),
                ("reason", "Held in error"),
            ]
        )
        .await,
        [(Field::Entry, Problem::MoreThanHeld)]
    );

    // The rule holds inside the posting transaction too, whoever posts.
    let id = cases::Entity::find()
        .filter(cases::Column::CaseNumber.eq(case))
        .one(&test.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|c| c.id)
        .unwrap_or_default();
    let overdrawn = app::server::ledger::post(
        &test.db,
        app::server::ledger::NewEntry {
            case_id: id,
            kind: EntryKind::Release,
            amount: Money::from_cents(4_001),
            effective: today(),
            reference: None,
            note: None,
            idempotency_key: "import:release:1".into(),
            posted_by: None,
        },
        today(),
        None,
    )
    .await;
    assert!(
        matches!(
            overdrawn,
            Err(app::server::ledger::PostingError::Invalid {
                field: "amount",
                ..
            })
        ),
        "{overdrawn:?}"
    );
}

async fn an_intercept_pays_past_due_support_only(test: TestDb) {
    demo::seed(&test.db, today())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let id = case_id(&test.db).await;
    let posted = app::server::ledger::post(
        &test.db,
        app::server::ledger::NewEntry {
            case_id: id,
            kind: EntryKind::Payment {
                source: PaymentSource::TaxIntercept,
            },
            amount: Money::from_cents(100_000),
            effective: today(),
            reference: Some("IRS offset".into()),
            note: None,
            idempotency_key: "offset:test".into(),
            posted_by: None,
        },
        today(),
        None,
    )
    .await;
    assert!(posted.is_ok(), "{posted:?}");
    let entries = case_entries(&test.db, id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let statement = Statement::build(&entries, today(), today());
    let line = statement
        .lines
        .iter()
        .find(|l| {
            l.kind
                == EntryKind::Payment {
                    source: PaymentSource::TaxIntercept,
                }
        })
        .unwrap_or_else(|| panic!("the intercept's line"));
    assert_eq!(line.paid_current, Money::ZERO, "never this month's support");
    assert_eq!(
        line.paid_past_due,
        Money::from_cents(100_000),
        "the case is years behind"
    );
}

async fn the_ledger_check_finds_the_demo_clean_and_a_stray_charge(test: TestDb) {
    demo::seed(&test.db, today())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let all = app::server::ledger::verify::cases_to_check(&test.db, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_default();
    let found = app::server::ledger::verify::verify(&test.db, &all, today(), |_| {})
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let lines: Vec<String> = found.iter().map(ToString::to_string).collect();
    assert_eq!(lines, Vec::<String>::new());

    // A charge no order makes due, slipped in by hand.
    let id = case_id(&test.db).await;
    ledger_entries::Entity::insert(ledger_entries::ActiveModel {
        case_id: sea_orm::Set(id),
        kind: sea_orm::Set("charge".into()),
        amount_cents: sea_orm::Set(1_234),
        effective_on: sea_orm::Set(today()),
        posted_at: sea_orm::Set(chrono::Utc::now()),
        obligation_kind: sea_orm::Set(Some("child_support".into())),
        idempotency_key: sea_orm::Set("charge:by-hand".into()),
        ..Default::default()
    })
    .exec(&test.db)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let one = app::server::ledger::verify::cases_to_check(&test.db, Some(CASE))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_default();
    let found = app::server::ledger::verify::verify(&test.db, &one, today(), |_| {})
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let lines: Vec<String> = found.iter().map(ToString::to_string).collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with(&format!("{CASE}: entry ")));
    assert!(lines[0].ends_with("charge `charge:by-hand` is not due under any order"));
}

async fn interest_is_charged_monthly_once_and_paid_after_support(test: TestDb) {
    demo::seed(&test.db, today())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let policy = app::ledger::interest::InterestPolicy {
        rate: "0.06".parse().unwrap_or_default(),
        from: today()
            .with_day(1)
            .and_then(|first| first.checked_sub_months(Months::new(3)))
            .unwrap_or_else(|| panic!("three months ago")),
    };
    let posted = accrual::accrue_interest(&test.db, policy, today())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        posted >= 3,
        "three months on the case years behind: {posted}"
    );
    let again = accrual::accrue_interest(&test.db, policy, today())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again, 0, "each month once");

    let id = case_id(&test.db).await;
    let entries = case_entries(&test.db, id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let interest: Vec<&app::ledger::Entry> = entries
        .iter()
        .filter(|e| {
            e.kind
                == EntryKind::Charge {
                    obligation: app::ledger::ObligationKind::Interest,
                }
        })
        .collect();
    assert_eq!(interest.len(), 3);
    let expected = app::ledger::interest::interest_due(&entries, policy, today());
    assert_eq!(
        interest.iter().map(|e| e.amount).collect::<Vec<_>>(),
        expected.iter().map(|d| d.amount).collect::<Vec<_>>()
    );
    // Years behind: no payment reaches the interest while support is unpaid.
    let now = Allocation::replay(&entries, today());
    let unpaid_interest: Money = now
        .debts
        .iter()
        .filter(|d| d.obligation == Some(app::ledger::ObligationKind::Interest))
        .map(|d| d.unpaid())
        .sum();
    assert_eq!(unpaid_interest, interest.iter().map(|e| e.amount).sum());

    // The card says so, and the ledger check is content.
    let router = router(test.db.clone());
    let payer = sign_in_as(&router, PAYER, DEMO_PASSWORD).await;
    let view: CaseView = answer(&router, "case_overview", &[("case_number", CASE)], &payer).await;
    assert_eq!(view.card.interest, unpaid_interest);
    let one = app::server::ledger::verify::cases_to_check(&test.db, Some(CASE))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_default();
    let found = app::server::ledger::verify::verify(&test.db, &one, today(), |_| {})
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(found.is_empty(), "{found:?}");
}

/// Money sent on to a never-assistance family gives up the yearly fee once
/// the threshold has been sent in the federal fiscal year: exactly once a
/// year, split from the sending in the transaction that stores it, never
/// changing what is owed, and shown to both parents.
async fn the_service_fee_is_kept_once_a_year_from_money_sent_on(test: TestDb) {
    demo::seed(&test.db, today())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut config = support::config();
    config.ledger.service_fee = Money::from_cents(3_500);
    let fee = config.ledger.service_fee_policy();
    assert!(fee.is_some());
    let case = "CS-2020-004172";
    let id = cases::Entity::find()
        .filter(cases::Column::CaseNumber.eq(case))
        .one(&test.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|c| c.id)
        .unwrap_or_else(|| panic!("{case} is seeded"));
    let send = |cents: i64, key: &str| app::server::ledger::NewEntry {
        case_id: id,
        kind: EntryKind::Disbursement,
        amount: Money::from_cents(cents),
        effective: today(),
        reference: None,
        note: None,
        idempotency_key: key.into(),
        posted_by: None,
    };
    let kept_this_year = |entries: &[app::ledger::Entry]| -> Money {
        let year = app::ledger::fee::fiscal_year(today());
        entries
            .iter()
            .filter(|e| app::ledger::fee::fiscal_year(e.effective) == year)
            .map(app::ledger::Entry::fee)
            .sum()
    };
    let before = case_entries(&test.db, id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        kept_this_year(&before),
        Money::ZERO,
        "the demo keeps no fee"
    );
    let balance_before = Allocation::replay(&before, today()).balance();

    // $600 reaches the threshold (if the year had not already); $20 and
    // $100 after it give up the fee until $35 is kept, and not a cent more.
    for (cents, key) in [
        (60_000, "sdu:1"),
        (2_000, "sdu:2"),
        (10_000, "sdu:3"),
        (5_000, "sdu:4"),
    ] {
        let posted = app::server::ledger::post(&test.db, send(cents, key), today(), fee).await;
        assert!(posted.is_ok(), "{posted:?}");
        // Sent again (a retried import): nothing more is stored.
        let count = support::entry_count(&test.db).await;
        let again = app::server::ledger::post(&test.db, send(cents, key), today(), fee).await;
        assert!(
            matches!(again, Ok(app::ledger::Posted::AlreadyPosted(_))),
            "{again:?}"
        );
        assert_eq!(support::entry_count(&test.db).await, count);
    }
    let entries = case_entries(&test.db, id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(kept_this_year(&entries), Money::from_cents(3_500));
    let new: Vec<&app::ledger::Entry> = entries
        .iter()
        .filter(|e| e.id > before.iter().map(|b| b.id).max().unwrap_or(0))
        .collect();
    let sent: Money = new.iter().map(|e| e.sent()).sum();
    let kept: Money = new.iter().map(|e| e.fee()).sum();
    assert_eq!(
        sent + kept,
        Money::from_cents(77_000),
        "every cent is sent or kept"
    );
    assert_eq!(
        Allocation::replay(&entries, today()).balance(),
        balance_before,
        "the fee does not change what is owed"
    );
    // The last sending, after the fee was kept, went on whole.
    assert!(
        new.iter()
            .any(|e| matches!(e.kind, EntryKind::Disbursement)
                && e.amount == Money::from_cents(5_000))
    );

    // Both parents see it: the card's terms and the history's line.
    let router = router_with(&config, test.db.clone());
    let dana = sign_in_as(&router, "receiving.parent@example.com", DEMO_PASSWORD).await;
    let view: CaseView = answer(&router, "case_overview", &[("case_number", case)], &dana).await;
    let terms = view
        .card
        .service_fee
        .unwrap_or_else(|| panic!("the card tells the fee"));
    assert_eq!(terms.kept_this_year, Money::from_cents(3_500));
    assert_eq!(terms.threshold, Money::from_cents(55_000));
    let range = [
        ("case_number", case),
        ("from", &*today().to_string()),
        ("to", &*today().to_string()),
    ];
    let history: History = answer(&router, "case_history", &range, &dana).await;
    let fees: Money = history.lines.iter().map(|l| l.line.fee).sum();
    assert_eq!(fees, Money::from_cents(3_500));
    // The case page says it in words, and when money should reach her.
    let page = get_as(&router, &format!("/cases/{case}"), &dana).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"data-figure="service-fee""#));
    assert!(page.body.contains("kept in fiscal year"));
    assert!(page.body.contains(r#"data-figure="reaches-you""#));
    // The paying parent is never told when money reaches them.
    let payer = sign_in_as(&router, PAYER, DEMO_PASSWORD).await;
    let theirs = get_as(&router, &format!("/cases/{CASE}"), &payer).await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(theirs.body.contains(r#"data-figure="service-fee""#));
    assert!(!theirs.body.contains(r#"data-figure="reaches-you""#));

    // A family that received assistance keeps all it is sent.
    let other = cases::Entity::find()
        .filter(cases::Column::CaseNumber.eq(CASE))
        .one(&test.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("{CASE} is seeded"));
    let mut assisted: cases::ActiveModel = other.clone().into();
    assisted.never_assistance = sea_orm::Set(false);
    sea_orm::ActiveModelTrait::update(assisted, &test.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let posted = app::server::ledger::post(
        &test.db,
        app::server::ledger::NewEntry {
            case_id: other.id,
            idempotency_key: "sdu:other".into(),
            ..send(90_000, "unused")
        },
        today(),
        fee,
    )
    .await;
    assert!(posted.is_ok(), "{posted:?}");
    let theirs = case_entries(&test.db, other.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(kept_this_year(&theirs), Money::ZERO);
}
