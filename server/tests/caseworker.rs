//! The caseworker's workspace on the demo data: the caseload, a case's file,
//! postings reviewed then stored once, reversals, holds, new order terms
//! that recharge from their effective date, PINs shown once — and bad input
//! stores nothing — on SQLite and on PostgreSQL.

mod support;

use app::balance::model::Overview;
use app::caseworker::model::{CaseFile, Caseload, OrderReview, PostingReview};
use app::error::{AppError, Field, Problem};
use app::ledger::{EntryKind, Frequency, Money};
use chrono::{Datelike, Days, NaiveDate};
use entity::{audit_events, cases, ledger_entries, orders};
use http::{header, Request, StatusCode};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use server::seed::demo::DEMO_PASSWORD;
use support::{
    answer, call, error_of, get_as, post_reviewed, posting, problems, review_problems, send,
    sign_in_as, urlencode, with_key, TestDb,
};

on_both_databases!(
    a_payment_is_reviewed_then_posted_once_and_the_parent_sees_it,
    reversals_adjustments_holds_and_releases_say_why_and_check_the_ledger,
    new_order_terms_recharge_from_their_effective_date,
    the_caseload_sums_each_case_as_the_ledger_does,
    the_case_file_shows_contacts_to_staff_and_a_pin_once,
    the_audit_log_is_read_a_page_at_a_time_with_its_count,
);

/// The agency's date, which the server posts and accrues by.
fn today() -> NaiveDate {
    support::config().today()
}

async fn entries(db: &DatabaseConnection) -> u64 {
    ledger_entries::Entity::find()
        .count(db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn audited(db: &DatabaseConnection, action: &str) -> Vec<audit_events::Model> {
    audit_events::Entity::find()
        .filter(audit_events::Column::Action.eq(action))
        .all(db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Borrowed pairs for [`call`] from owned ones.
fn args<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn file(router: &axum::Router, case: &str, cookie: &str) -> CaseFile {
    answer(router, "case_file", &[("case_number", case)], cookie).await
}

async fn a_payment_is_reviewed_then_posted_once_and_the_parent_sees_it(test: TestDb) {
    let router = support::demo_router(&test.db).await;
    let alex = sign_in_as(&router, "caseworker@example.com", DEMO_PASSWORD).await;
    let case = "CS-2020-004172";
    let day = today().to_string();
    let stored = entries(&test.db).await;

    // Mistakes come back at their fields, all at once; nothing is stored.
    let future = (today() + Days::new(1)).to_string();
    let bad = call(
        &router,
        "review_posting",
        &posting(
            case,
            &[
                ("kind", "payment"),
                ("amount", "12,5.0.0"),
                ("date", &future),
            ],
        ),
        Some(&alex),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        problems(error_of(&bad)),
        [
            (Field::Amount, Problem::NotAnAmount),
            (Field::Date, Problem::InTheFuture),
            (Field::Source, Problem::Required),
        ]
    );
    let bad_post = call(
        &router,
        "post_entry",
        &with_key(
            posting(case, &[("kind", "payment"), ("amount", "-3")]),
            "k-bad",
        ),
        Some(&alex),
    )
    .await;
    assert!(error_of(&bad_post).is_some());
    assert_eq!(entries(&test.db).await, stored, "nothing stored");

    // The review says what the payment will do, and stores nothing.
    let form = posting(
        case,
        &[
            ("kind", "payment"),
            ("amount", "125.00"),
            ("date", &day),
            ("source", "direct"),
            ("reference", "money order 5521"),
        ],
    );
    let review: PostingReview = answer(&router, "review_posting", &form, &alex).await;
    assert_eq!(review.amount, Money::from_cents(12_500));
    assert_eq!(
        review.balance_after,
        review.balance_before - Money::from_cents(12_500)
    );
    assert_eq!(entries(&test.db).await, stored);

    // Confirmed twice (a double click): one entry, one audit line.
    for _ in 0..2 {
        let posted = call(
            &router,
            "post_entry",
            &with_key(form.clone(), &review.key),
            Some(&alex),
        )
        .await;
        assert_eq!(error_of(&posted), None, "{}", posted.body);
    }
    assert_eq!(entries(&test.db).await, stored + 1);
    let posted = audited(&test.db, "entry_posted").await;
    assert_eq!(posted.len(), 1);
    // The same key for a different payment is a stale form, refused.
    let mut changed = form.clone();
    changed[2] = ("amount", "999.00");
    let stale = call(
        &router,
        "post_entry",
        &with_key(changed, &review.key),
        Some(&alex),
    )
    .await;
    assert_eq!(error_of(&stale), Some(AppError::FormUsed));
    assert_eq!(entries(&test.db).await, stored + 1);

    // The receiving parent sees it on her card.
    let dana = sign_in_as(&router, "receiving.parent@example.com", DEMO_PASSWORD).await;
    let overview: Overview = answer(&router, "overview", &[], &dana).await;
    let payment = overview.cards[0]
        .last_payment
        .clone()
        .unwrap_or_else(|| panic!("no last payment"));
    assert_eq!(
        (payment.on, payment.amount),
        (today(), Money::from_cents(12_500))
    );

    // Without JavaScript the confirmation posts and comes back to the case.
    let body = with_key(form.clone(), "k-no-js")
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let request = Request::post("/api/post_entry")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::HOST, "portal.test")
        .header(header::ORIGIN, "http://portal.test")
        .header(
            header::REFERER,
            "http://portal.test/caseload/CS-2020-004172/post",
        )
        .header(header::COOKIE, &alex)
        .body(axum::body::Body::from(body))
        .unwrap_or_else(|e| panic!("{e}"));
    let page = send(&router, request).await;
    let location = page
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        location.starts_with("/caseload/CS-2020-004172?posted="),
        "{location}"
    );

    // Parents and other caseworkers cannot post.
    for email in ["receiving.parent@example.com", "jamie.chen@example.com"] {
        let cookie = sign_in_as(&router, email, DEMO_PASSWORD).await;
        let refused = call(
            &router,
            "post_entry",
            &with_key(form.clone(), "k-refused"),
            Some(&cookie),
        )
        .await;
        assert_eq!(error_of(&refused), Some(AppError::Forbidden), "{email}");
    }
    assert_eq!(entries(&test.db).await, stored + 2);
}

async fn reversals_adjustments_holds_and_releases_say_why_and_check_the_ledger(test: TestDb) {
    let router = support::demo_router(&test.db).await;
    let alex = sign_in_as(&router, "caseworker@example.com", DEMO_PASSWORD).await;
    let case = "CS-2019-002931";
    let day = today().to_string();
    // A payment comes in; the bank returns it a few days later.
    let pay = posting(
        case,
        &[
            ("kind", "payment"),
            ("amount", "60"),
            ("date", &day),
            ("source", "direct"),
        ],
    );
    post_reviewed(&router, &alex, pay).await;
    let before = file(&router, case, &alex).await;
    let payment = before
        .entries
        .iter()
        .find(|e| matches!(e.kind, EntryKind::Payment { .. }) && e.reversible())
        .unwrap_or_else(|| panic!("no payment to reverse"))
        .clone();
    assert_eq!(payment.amount, Money::from_cents(6_000));
    assert_eq!(payment.posted_by.as_deref(), Some("Alex Morgan"));
    let id = payment.id.to_string();

    // A reversal needs a reason; with one, it takes the payment back.
    assert_eq!(
        review_problems(
            &router,
            &alex,
            case,
            &[("kind", "reversal"), ("date", &day), ("entry", &id)]
        )
        .await,
        [(Field::Reason, Problem::Required)]
    );
    let form = posting(
        case,
        &[
            ("kind", "reversal"),
            ("date", &day),
            ("entry", &id),
            ("reason", "Check returned: insufficient funds"),
        ],
    );
    let review: PostingReview = answer(&router, "review_posting", &form, &alex).await;
    assert_eq!(review.amount, payment.amount);
    assert_eq!(review.balance_after, review.balance_before + payment.amount);
    let posted = call(
        &router,
        "post_entry",
        &with_key(form.clone(), &review.key),
        Some(&alex),
    )
    .await;
    assert_eq!(error_of(&posted), None, "{}", posted.body);
    let after = file(&router, case, &alex).await;
    assert!(after
        .entries
        .iter()
        .any(|e| e.id == payment.id && e.reversed));
    assert_eq!(after.view.card.owed, before.view.card.owed + payment.amount);

    // Not twice; reversing the reversal (made in error) would put the
    // payment back: the review says so and stores nothing.
    let again = call(&router, "review_posting", &form, Some(&alex)).await;
    assert_eq!(
        problems(error_of(&again)),
        [(Field::Entry, Problem::NotReversible)]
    );
    let reversal = after.entries[0].id.to_string();
    let mut of_reversal = form.clone();
    of_reversal[7] = ("entry", &reversal);
    let undo: PostingReview = answer(&router, "review_posting", &of_reversal, &alex).await;
    assert_eq!(undo.balance_after, undo.balance_before - payment.amount);

    // An adjustment may reduce what is owed, with its reason on the entry.
    let adjust = posting(
        case,
        &[
            ("kind", "adjustment"),
            ("amount", "-40"),
            ("date", &day),
            ("reason", "Credit for direct payment proven in court"),
        ],
    );
    post_reviewed(&router, &alex, adjust).await;
    let adjusted = file(&router, case, &alex).await;
    assert_eq!(
        adjusted.view.card.owed,
        after.view.card.owed - Money::from_cents(4_000)
    );
    assert_eq!(
        adjusted.entries[0].note.as_deref(),
        Some("Credit for direct payment proven in court")
    );

    // Hold, then release no more than is held.
    let hold = posting(
        case,
        &[
            ("kind", "hold"),
            ("amount", "50"),
            ("date", &day),
            ("reason", "Address unknown"),
        ],
    );
    post_reviewed(&router, &alex, hold).await;
    let held = file(&router, case, &alex).await.on_hold;
    assert_eq!(held, adjusted.on_hold + Money::from_cents(5_000));
    let too_much = (held + Money::from_cents(1)).amount().to_string();
    assert_eq!(
        review_problems(
            &router,
            &alex,
            case,
            &[
                ("kind", "release"),
                ("amount", &too_much),
                ("date", &day),
                ("reason", "Found"),
            ]
        )
        .await,
        [(Field::Amount, Problem::MoreThanHeld)]
    );
    let all = held.amount().to_string();
    let release = posting(
        case,
        &[
            ("kind", "release"),
            ("amount", &all),
            ("date", &day),
            ("reason", "Address confirmed"),
        ],
    );
    post_reviewed(&router, &alex, release).await;
    assert_eq!(file(&router, case, &alex).await.on_hold, Money::ZERO);
    assert_eq!(audited(&test.db, "entry_posted").await.len(), 5);
}

async fn new_order_terms_recharge_from_their_effective_date(test: TestDb) {
    let router = support::demo_router(&test.db).await;
    let jamie = sign_in_as(&router, "jamie.chen@example.com", DEMO_PASSWORD).await;
    let case = "CS-2016-000388";
    let orders_before = orders::Entity::find().count(&test.db).await.unwrap_or(0);
    let stored = entries(&test.db).await;
    let form = |date: &str, amount: &str| -> Vec<(&'static str, String)> {
        vec![
            ("case_number", case.into()),
            ("date", date.into()),
            ("frequency", "weekly".into()),
            ("child_support", amount.into()),
            ("medical_support", "".into()),
            ("arrears_payment", "".into()),
            ("reference", "FC-2016-0388-M2".into()),
            ("reason", "Review: income fell".into()),
        ]
    };

    let bad = form("", "zero");
    let refused = call(&router, "review_order", &args(&bad), Some(&jamie)).await;
    assert_eq!(
        problems(error_of(&refused)),
        [
            (Field::Date, Problem::Required),
            (Field::ChildSupport, Problem::NotAnAmount)
        ]
    );

    // Twelve weeks back, on a Friday (the order's paying day, so each old
    // charge has its new one whatever day the test runs): the weekly charges
    // since then are recharged.
    let mut start = today() - Days::new(7 * 12);
    while start.weekday() != chrono::Weekday::Fri {
        start = start - Days::new(1);
    }
    let good = form(&start.to_string(), "80");
    let review: OrderReview = answer(&router, "review_order", &args(&good), &jamie).await;
    assert_eq!(review.frequency, Frequency::Weekly);
    assert!(review.recharged >= 12, "{}", review.recharged);
    // Each week charged again at $80 instead of $95.
    assert_eq!(
        review.balance_after,
        review.balance_before - Money::from_cents(1_500).times(review.recharged)
    );
    assert_eq!(entries(&test.db).await, stored, "a review stores nothing");

    let mut confirm = good.clone();
    confirm.push(("key", review.key.clone()));
    for _ in 0..2 {
        let changed = call(&router, "change_order", &args(&confirm), Some(&jamie)).await;
        assert_eq!(error_of(&changed), None, "{}", changed.body);
    }
    assert_eq!(
        orders::Entity::find().count(&test.db).await.unwrap_or(0),
        orders_before + 1
    );
    let after = file(&router, case, &jamie).await;
    assert_eq!(after.view.card.owed, review.balance_after.max(Money::ZERO));
    let terms = &after.view.card.terms;
    assert_eq!(terms.len(), 1);
    assert_eq!(terms[0].amount, Money::from_cents(8_000));
    assert_eq!(
        entries(&test.db).await,
        stored + 2 * u64::from(review.recharged)
    );
    assert_eq!(audited(&test.db, "order_changed").await.len(), 1);

    // Accrual afterwards finds nothing more to charge today.
    let report = app::server::ledger::accrue(&test.db, today())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.charges_posted, 0);

    // Only the case's caseworker and supervisors change orders.
    let alex = sign_in_as(&router, "caseworker@example.com", DEMO_PASSWORD).await;
    let refused = call(&router, "review_order", &args(&good), Some(&alex)).await;
    assert_eq!(error_of(&refused), Some(AppError::Forbidden));
}

async fn the_caseload_sums_each_case_as_the_ledger_does(test: TestDb) {
    let router = support::demo_router(&test.db).await;
    let alex = sign_in_as(&router, "caseworker@example.com", DEMO_PASSWORD).await;
    let mine: Caseload = answer(&router, "caseload", &[], &alex).await;
    let numbers: Vec<&str> = mine.rows.iter().map(|r| r.case_number.as_str()).collect();
    assert_eq!(
        numbers,
        [
            "CS-2019-002931",
            "CS-2020-004172",
            "CS-2021-005560",
            "CS-2022-006013"
        ]
    );
    assert!(!mine.every_case);
    // The SQL sum agrees with the ledger engine's balance, case by case.
    for row in &mine.rows {
        let file = file(&router, &row.case_number, &alex).await;
        let card = &file.view.card;
        assert_eq!(
            row.balance.max(Money::ZERO),
            card.owed,
            "{}",
            row.case_number
        );
        assert_eq!(
            (-row.balance).max(Money::ZERO),
            card.credit,
            "{}",
            row.case_number
        );
    }
    let by_owed: Caseload = answer(&router, "caseload", &[("sort", "owed")], &alex).await;
    assert_eq!(by_owed.rows[0].case_number, "CS-2019-002931");
    assert!(by_owed
        .rows
        .windows(2)
        .all(|w| w[0].balance >= w[1].balance));
    let found: Caseload = answer(&router, "caseload", &[("search", "torres")], &alex).await;
    assert_eq!(found.rows.len(), 1);
    assert_eq!(found.rows[0].paying, "Ray Torres");
    let by_number: Caseload = answer(&router, "caseload", &[("search", "2021-005")], &alex).await;
    assert_eq!(by_number.matching, 1);

    let morgan = sign_in_as(&router, "supervisor@example.com", DEMO_PASSWORD).await;
    let every: Caseload = answer(&router, "caseload", &[("sort", "activity")], &morgan).await;
    assert!(every.every_case);
    assert_eq!(every.matching, 7);
    assert!(every.rows.iter().all(|r| r.caseworker.is_some()));

    let dana = sign_in_as(&router, "receiving.parent@example.com", DEMO_PASSWORD).await;
    let refused = call(&router, "caseload", &[], Some(&dana)).await;
    assert_eq!(error_of(&refused), Some(AppError::Forbidden));
}

async fn the_case_file_shows_contacts_to_staff_and_a_pin_once(test: TestDb) {
    let router = support::demo_router(&test.db).await;
    let alex = sign_in_as(&router, "caseworker@example.com", DEMO_PASSWORD).await;
    let page = get_as(&router, "/caseload/CS-2020-004172", &alex).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "(312) 555-0101",
        "42 Birch Lane",
        "Post a payment",
        "Audit log",
    ] {
        assert!(page.body.contains(text), "{text} missing");
    }
    // A parent never opens the agency's file, not even their own case's.
    let dana = sign_in_as(&router, "receiving.parent@example.com", DEMO_PASSWORD).await;
    let refused = get_as(&router, "/caseload/CS-2020-004172", &dana).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(!refused.body.contains("555-0101"));
    // The blank forms that move money ask first: someone else's case is
    // refused before anything is typed, and the refusal is on its record.
    let jamies_case = "/caseload/CS-2025-007741";
    for (path, who) in [
        (format!("{jamies_case}/post?kind=payment"), &alex),
        (format!("{jamies_case}/order"), &alex),
        ("/caseload/CS-2020-004172/post?kind=hold".to_owned(), &dana),
    ] {
        let refused = get_as(&router, &path, who).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
        assert!(!refused.body.contains("name=\"date\""), "{path}: no form");
    }
    let refusals = audited(&test.db, "access_refused").await;
    let refused = |action| {
        refusals
            .iter()
            .filter(|event| event.detail.as_deref() == Some(action))
            .count()
    };
    assert_eq!(
        (refused("post"), refused("change_order")),
        (2, 1),
        "{refusals:?}"
    );

    // The review page, without JavaScript: mistakes at their fields, then a
    // confirmation of what was typed.
    let bad = get_as(
        &router,
        "/caseload/CS-2020-004172/post?kind=payment&review=1&amount=abc&date=&source=direct",
        &alex,
    )
    .await;
    assert!(bad.body.contains("Enter an amount in dollars and cents"));
    let good = get_as(
        &router,
        &format!(
            "/caseload/CS-2020-004172/post?kind=payment&review=1&amount=80&date={}&source=direct",
            today()
        ),
        &alex,
    )
    .await;
    assert!(
        good.body.contains("Check before you confirm"),
        "{}",
        good.body
    );

    // A PIN for the parent who has not activated: shown once on the file.
    let jamie = sign_in_as(&router, "jamie.chen@example.com", DEMO_PASSWORD).await;
    let case = "CS-2025-007741";
    let chris = file(&router, case, &jamie)
        .await
        .participants
        .into_iter()
        .find(|p| p.name == "Chris Young")
        .unwrap_or_else(|| panic!("Chris Young is on the case"));
    assert_eq!(chris.account_email, None);
    let person = chris.person.to_string();
    let issued = call(
        &router,
        "issue_pin",
        &[("case_number", case), ("person", &person)],
        Some(&jamie),
    )
    .await;
    let pin: app::account::model::IssuedPin =
        serde_json::from_str(&issued.body).unwrap_or_else(|e| panic!("{}: {e}", issued.body));
    // The PIN rides to the file in a sealed cookie, and is stored nowhere.
    let cookies = support::cookies_after(&jamie, &issued);
    let sessions = entity::sessions::Entity::find()
        .all(&test.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(sessions.iter().all(|s| !s.data.contains(&pin.pin)));
    assert!(!cookies.contains(&pin.pin));
    // The file, and the cookies it leaves behind.
    let router = &router;
    let read = move |cookies: String| async move {
        let page = call(
            router,
            "case_file",
            &[("case_number", case)],
            Some(&cookies),
        )
        .await;
        let file: CaseFile = serde_json::from_str(&page.body).unwrap_or_else(|e| panic!("{e}"));
        (file, support::cookies_after(&cookies, &page))
    };
    let (file_now, cookies) = read(cookies).await;
    assert_eq!(file_now.fresh_pin.map(|fresh| fresh.pin.pin), Some(pin.pin));
    let (file_again, _) = read(cookies).await;
    assert_eq!(file_again.fresh_pin, None, "only once");
}

/// The file's audit log comes a page at a time, newest first, each page
/// with the count of the whole log; a page past the end is the last one.
async fn the_audit_log_is_read_a_page_at_a_time_with_its_count(test: TestDb) {
    let router = support::demo_router(&test.db).await;
    let alex = sign_in_as(&router, "caseworker@example.com", DEMO_PASSWORD).await;
    let case = cases::Entity::find()
        .filter(cases::Column::CaseNumber.eq("CS-2020-004172"))
        .one(&test.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the demo case"));
    let at = chrono::Utc::now() - chrono::Duration::days(30);
    let lines = (0..120).map(|n| audit_events::ActiveModel {
        at: Set(at + chrono::Duration::minutes(n)),
        action: Set("case_opened".into()),
        case_id: Set(Some(case.id)),
        detail: Set(Some(format!("line {n}"))),
        ..Default::default()
    });
    audit_events::Entity::insert_many(lines)
        .exec(&test.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let on_case = || audit_events::Entity::find().filter(audit_events::Column::CaseId.eq(case.id));
    let page_of = |page: u32| {
        let router = router.clone();
        let alex = alex.clone();
        async move {
            let page = page.to_string();
            let file: CaseFile = answer(
                &router,
                "case_file",
                &[("case_number", "CS-2020-004172"), ("audit_page", &page)],
                &alex,
            )
            .await;
            file
        }
    };
    // Each opening is on the log before its page is read.
    let first = page_of(1).await;
    let in_all = on_case()
        .count(&test.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(in_all > 120);
    assert_eq!(first.audit_paging.matching, in_all);
    assert_eq!(first.audit_paging.pages as u64, in_all.div_ceil(50));
    let newest = on_case()
        .order_by_desc(audit_events::Column::At)
        .order_by_desc(audit_events::Column::Id)
        .all(&test.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(first.audit.len(), 50);
    assert_eq!(first.audit[0].at, newest[0].at);

    let third = page_of(3).await;
    assert_eq!(
        (third.audit_paging.page, third.audit_paging.matching),
        (3, in_all + 1)
    );
    let details = |file: &CaseFile| -> Vec<Option<String>> {
        file.audit.iter().map(|line| line.detail.clone()).collect()
    };
    // Page 3 of the log as it stood then: one opening newer shifts it by one.
    let expected: Vec<Option<String>> = newest[99..newest.len().min(149)]
        .iter()
        .map(|event| event.detail.clone())
        .collect();
    assert_eq!(details(&third), expected);

    let past_the_end = page_of(999).await;
    let pages = (in_all + 2).div_ceil(50) as u32;
    assert_eq!(
        (
            past_the_end.audit_paging.page,
            past_the_end.audit_paging.pages
        ),
        (pages, pages)
    );
    assert_eq!(
        past_the_end.audit.len() as u64,
        in_all + 2 - 50 * u64::from(pages - 1)
    );
}
