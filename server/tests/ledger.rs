//! The ledger on the server: accrual, posting, idempotency, reversals, the
//! append-only rule and the demo data, on SQLite and on PostgreSQL.

mod support;

use app::ledger::{
    Allocation, EntryKind, Frequency, Money, ObligationKind, PaymentSource, Posted, Schedule,
};
use app::server::ledger::{accrue, case_entries, post, NewEntry, PostingError};
use chrono::NaiveDate;
use entity::ledger_entries;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait};
use server::seed::caseload;
use server::seed::demo::{self, DemoOutcome, CASE_NUMBERS, DEMO_PASSWORD};
use server::seed::records::{self, NewOrder, Terms};
use support::{date, on_record, TestDb};

on_both_databases!(
    accrual_posts_each_due_date_once_and_catches_up,
    a_payment_is_posted_once_whatever_the_retries,
    bad_input_is_refused_at_its_field_and_nothing_is_stored,
    a_reversal_cancels_a_payment_once,
    the_database_refuses_to_change_or_delete_an_entry,
    the_demo_tells_its_stories_and_is_written_once,
    a_generated_caseload_is_deterministic_and_fully_accrued,
);

fn dollars(amount: i64) -> Money {
    Money::from_cents(amount * 100)
}

/// A case with a $400 monthly order from Jan 1, 2024; returns its id.
async fn case_with_monthly_order(db: &DatabaseConnection, number: &str) -> i32 {
    let parents = (
        on_record::person(db, "Pat Payer").await,
        on_record::person(db, "Robin Receiver").await,
    );
    let case_id = on_record::case(db, number, None, date(2024, 1, 1), parents).await;
    records::child(db, case_id, "Kid", date(2020, 1, 1), date(2038, 1, 1))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let monthly = Schedule::new(Frequency::Monthly, 1).unwrap_or_else(|e| panic!("{e}"));
    records::order(
        db,
        NewOrder {
            case_id,
            source: "court",
            reference: "T-1",
            effective_on: date(2024, 1, 1),
            ends_on: None,
            terms: &[Terms {
                kind: ObligationKind::ChildSupport,
                amount: dollars(400),
                schedule: monthly,
            }],
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    case_id
}

fn payment(case_id: i32, amount: i64, on: NaiveDate, key: &str) -> NewEntry {
    NewEntry {
        case_id,
        kind: EntryKind::Payment {
            source: PaymentSource::Direct,
        },
        amount: dollars(amount),
        effective: on,
        reference: Some("check 1001".into()),
        note: None,
        idempotency_key: key.into(),
        posted_by: None,
    }
}

async fn entry_count(db: &DatabaseConnection) -> u64 {
    ledger_entries::Entity::find()
        .count(db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn balance(db: &DatabaseConnection, case_id: i32, on: NaiveDate) -> Money {
    let entries = case_entries(db, case_id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    Allocation::replay(&entries, on).balance()
}

async fn accrual_posts_each_due_date_once_and_catches_up(test: TestDb) {
    let db = &test.db;
    let case_id = case_with_monthly_order(db, "T-ACCRUE").await;

    let first = accrue(db, date(2024, 3, 15))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(first.charges_posted, 3, "Jan, Feb, Mar");
    let again = accrue(db, date(2024, 3, 31))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.charges_posted, 0, "running twice posts nothing new");

    // The server was down from March to June: the next run catches up.
    let later = accrue(db, date(2024, 6, 2))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(later.charges_posted, 3, "Apr, May, Jun");
    assert_eq!(balance(db, case_id, date(2024, 6, 2)).await, dollars(2_400));
    let entries = case_entries(db, case_id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(entries.iter().all(|e| e.key.starts_with("charge:")));
}

async fn a_payment_is_posted_once_whatever_the_retries(test: TestDb) {
    let db = &test.db;
    let case_id = case_with_monthly_order(db, "T-IDEM").await;
    let today = date(2024, 2, 10);
    accrue(db, today).await.unwrap_or_else(|e| panic!("{e}"));

    let sent = payment(case_id, 250, date(2024, 2, 5), "portal:abc-123");
    let first = post(db, sent.clone(), today, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let Posted::New(id) = first else {
        panic!("expected a new entry, got {first:?}")
    };
    let retried = post(db, sent.clone(), today, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(retried, Posted::AlreadyPosted(id));

    let different = NewEntry {
        amount: dollars(260),
        ..sent
    };
    match post(db, different, today, None).await {
        Err(PostingError::KeyConflict(existing)) => assert_eq!(existing, id),
        other => panic!("expected a key conflict, got {other:?}"),
    }
    assert_eq!(entry_count(db).await, 3, "two charges and one payment");
    assert_eq!(balance(db, case_id, today).await, dollars(550));
}

async fn bad_input_is_refused_at_its_field_and_nothing_is_stored(test: TestDb) {
    let db = &test.db;
    let case_id = case_with_monthly_order(db, "T-BAD").await;
    let today = date(2024, 2, 10);
    let before = entry_count(db).await;

    let cases = [
        (payment(case_id, 0, today, "k1"), "amount"),
        (payment(case_id, 100, date(2024, 2, 11), "k2"), "effective"),
        (payment(case_id, 100, today, "  "), "idempotency_key"),
        (
            NewEntry {
                reference: Some("x".repeat(101)),
                ..payment(case_id, 100, today, "k3")
            },
            "reference",
        ),
        (
            NewEntry {
                kind: EntryKind::Charge {
                    obligation: ObligationKind::ChildSupport,
                },
                ..payment(case_id, 100, today, "k4")
            },
            "kind",
        ),
        (
            NewEntry {
                kind: EntryKind::Adjustment,
                amount: Money::ZERO,
                ..payment(case_id, 100, today, "k5")
            },
            "amount",
        ),
    ];
    for (entry, expected) in cases {
        match post(db, entry, today, None).await {
            Err(PostingError::Invalid { field, .. }) => assert_eq!(field, expected),
            other => panic!("expected {expected} to be refused, got {other:?}"),
        }
    }
    match post(db, payment(99_999, 100, today, "k6"), today, None).await {
        Err(PostingError::NoSuchCase(99_999)) => {}
        other => panic!("expected no such case, got {other:?}"),
    }
    assert_eq!(entry_count(db).await, before, "nothing half-written");
}

async fn a_reversal_cancels_a_payment_once(test: TestDb) {
    let db = &test.db;
    let case_id = case_with_monthly_order(db, "T-REV").await;
    let other_case = case_with_monthly_order(db, "T-OTHER").await;
    let today = date(2024, 1, 31);
    accrue(db, today).await.unwrap_or_else(|e| panic!("{e}"));

    let Ok(Posted::New(paid)) = post(
        db,
        payment(case_id, 400, date(2024, 1, 3), "chk"),
        today,
        None,
    )
    .await
    else {
        panic!("payment not posted")
    };
    assert_eq!(balance(db, case_id, today).await, Money::ZERO);

    let reversal = |key: &str, case_id: i32| NewEntry {
        case_id,
        kind: EntryKind::Reversal { reverses: paid },
        amount: Money::ZERO,
        effective: date(2024, 1, 10),
        reference: None,
        note: Some("Returned check".into()),
        idempotency_key: key.into(),
        posted_by: None,
    };
    match post(db, reversal("rev-other", other_case), today, None).await {
        Err(PostingError::Invalid {
            field: "reverses", ..
        }) => {}
        other => panic!("a case cannot reverse another case's entry: {other:?}"),
    }
    let posted = post(db, reversal("rev-1", case_id), today, None).await;
    assert!(matches!(posted, Ok(Posted::New(_))), "{posted:?}");
    assert_eq!(
        balance(db, case_id, today).await,
        dollars(400),
        "owed again"
    );
    match post(db, reversal("rev-2", case_id), today, None).await {
        Err(PostingError::Invalid {
            field: "reverses", ..
        }) => {}
        other => panic!("an entry is reversed at most once: {other:?}"),
    }
}

async fn the_database_refuses_to_change_or_delete_an_entry(test: TestDb) {
    let db = &test.db;
    case_with_monthly_order(db, "T-APPEND").await;
    accrue(db, date(2024, 2, 1))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let before = entry_count(db).await;
    for statement in [
        "UPDATE ledger_entries SET amount_cents = 1",
        "DELETE FROM ledger_entries",
    ] {
        let refused = db.execute_unprepared(statement).await;
        let message = format!("{refused:?}");
        assert!(
            message.contains("append-only"),
            "{statement} must be refused, got {message}"
        );
    }
    assert_eq!(entry_count(db).await, before);
}

async fn the_demo_tells_its_stories_and_is_written_once(test: TestDb) {
    let db = &test.db;
    let today = date(2026, 11, 24);
    let written = demo::seed(db, today)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let DemoOutcome::Written { entries } = written else {
        panic!("expected the demo to be written, got {written:?}")
    };
    assert!(entries > 2_000, "years of history: {entries} entries");
    assert_eq!(entry_count(db).await, entries);
    assert_eq!(
        demo::seed(db, today)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        DemoOutcome::AlreadyThere
    );

    let ids: Vec<(i32, String)> = entity::cases::Entity::find()
        .all(db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|c| (c.id, c.case_number))
        .collect();
    let id_of = |number: &str| {
        ids.iter()
            .find(|(_, n)| n == number)
            .map(|(id, _)| *id)
            .unwrap_or_else(|| panic!("{number} missing"))
    };
    let state = |entries: &[app::ledger::Entry]| Allocation::replay(entries, today);

    let on_time = case_entries(db, id_of(CASE_NUMBERS[0]))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let on_time = state(&on_time);
    assert!(
        on_time.past_due_split(5).overdue.is_zero(),
        "nothing overdue beyond timing"
    );

    let behind = case_entries(db, id_of(CASE_NUMBERS[1]))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        behind
            .iter()
            .any(|e| matches!(e.kind, EntryKind::Reversal { .. })),
        "returned check"
    );
    assert!(
        behind.iter().any(|e| e.kind
            == EntryKind::Payment {
                source: PaymentSource::TaxIntercept
            }),
        "tax intercept"
    );
    let behind = state(&behind);
    assert!(
        behind.past_due() > dollars(5_000),
        "arrears grew: {}",
        behind.past_due()
    );

    let two_roles = entity::case_participants::Entity::find()
        .all(db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let person_roles = |person: i32| {
        let mut roles: Vec<&str> = two_roles
            .iter()
            .filter(|p| p.person_id == person)
            .map(|p| p.role.as_str())
            .collect();
        roles.sort_unstable();
        roles
    };
    assert!(
        two_roles
            .iter()
            .any(|p| person_roles(p.person_id) == ["paying", "receiving"]),
        "one person pays in one case and receives in another"
    );
}

async fn generated_entries(
    db: &DatabaseConnection,
    case_number: &str,
) -> Vec<(String, i64, NaiveDate, String)> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    let case = entity::cases::Entity::find()
        .filter(entity::cases::Column::CaseNumber.eq(case_number))
        .one(db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("{case_number} missing"));
    ledger_entries::Entity::find()
        .filter(ledger_entries::Column::CaseId.eq(case.id))
        .order_by_asc(ledger_entries::Column::Id)
        .all(db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|e| {
            (
                e.kind,
                e.amount_cents,
                e.effective_on,
                e.source.unwrap_or_default(),
            )
        })
        .collect()
}

async fn a_generated_caseload_is_deterministic_and_fully_accrued(test: TestDb) {
    let db = &test.db;
    let today = date(2026, 11, 24);
    let hidden = indicatif::ProgressBar::hidden();
    // Something already there: generated ids must start after it.
    case_with_monthly_order(db, "T-BEFORE").await;

    let report = caseload::seed(db, 40, 11, today, &hidden)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.cases, 40);
    assert!(
        report.entries > 40 * 20,
        "histories: {} entries",
        report.entries
    );
    let accrued = accrue(db, today).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        accrued.charges_posted, 35,
        "only the hand-made case had charges to post (Jan 2024 to Nov 2026)"
    );

    // The same cases again, written by a run that stopped after 20 and the
    // same command resuming it.
    let again = support::sqlite().await;
    caseload::seed(&again.db, 20, 11, today, &hidden)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let resumed = caseload::seed(&again.db, 40, 11, today, &hidden)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((resumed.resumed_after, resumed.cases), (20, 20));
    for n in ["GEN-11-0000001", "GEN-11-0000017", "GEN-11-0000040"] {
        assert_eq!(
            generated_entries(db, n).await,
            generated_entries(&again.db, n).await,
            "{n}"
        );
    }
    let complete = caseload::seed(db, 40, 11, today, &hidden)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (complete.resumed_after, complete.cases, complete.entries),
        (40, 0, 0),
        "a complete caseload is not written twice"
    );

    // Paying parents get accounts for load tests, once, and can sign in.
    let now = chrono::Utc::now();
    let created = caseload::payer_accounts(db, 11, 3, now).await;
    assert_eq!(created.unwrap_or_else(|e| panic!("{e}")), 3);
    let again_created = caseload::payer_accounts(db, 11, 3, now).await;
    assert_eq!(again_created.unwrap_or_else(|e| panic!("{e}")), 0);
    let portal = support::router(db.clone());
    support::sign_in_as(&portal, &caseload::payer_email(11, 2), DEMO_PASSWORD).await;

    // The database's own ids continue after the generated ones.
    let case_id = case_with_monthly_order(db, "T-AFTER").await;
    let posted = post(db, payment(case_id, 10, today, "after-seed"), today, None).await;
    assert!(matches!(posted, Ok(Posted::New(_))), "{posted:?}");
}
