//! Payment plans and changes of support on the demo data: a parent asks,
//! bad input stores nothing, the agency moves the request on and approves or
//! decides it with new order terms in the same transaction; who may see and
//! move what — on SQLite and on PostgreSQL.

mod support;

use app::balance::model::CaseView;
use app::caseworker::model::OrderReview;
use app::error::{AppError, Field, Problem};
use app::ledger::{Money, ObligationKind};
use app::messages::model::{Conversation, WorkList};
use app::requests::model::{PlanStart, RequestSummary, RequestView};
use app::requests::rules::{Document, Reason, RequestKind, RequestStatus, Step};
use chrono::{Days, NaiveDate};
use entity::{ledger_entries, obligations, request_events, support_requests};
use http::StatusCode;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use server::seed::demo::DEMO_PASSWORD;
use support::{answer, call, error_of, problems, sign_in_as, TestDb};

on_both_databases!(
    a_payment_plan_is_proposed_approved_and_accrues,
    a_change_of_support_moves_through_its_statuses,
    a_request_can_be_denied_and_each_step_needs_its_details,
);

fn today() -> NaiveDate {
    support::config().today()
}

async fn stored_requests(db: &DatabaseConnection) -> Vec<support_requests::Model> {
    support_requests::Entity::find()
        .all(db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn events_of(db: &DatabaseConnection, request: i32) -> Vec<request_events::Model> {
    request_events::Entity::find()
        .filter(request_events::Column::RequestId.eq(request))
        .all(db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The query of a link the page offers, decoded, as a form sends it.
fn query_of(link: &str) -> Vec<(String, String)> {
    let query = link.split_once('?').map_or("", |(_, q)| q);
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, value)| (name.to_owned(), decode(value)))
        .collect()
}

fn decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], bytes.get(i + 1..i + 3)) {
            (b'%', Some(hex)) => {
                let hex = std::str::from_utf8(hex).unwrap_or("00");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

fn borrowed(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// Reviews then confirms the order form behind a request's link.
async fn confirm_order_link(
    router: &axum::Router,
    case: &str,
    link: &str,
    cookie: &str,
) -> (OrderReview, support::Page) {
    let mut form = vec![("case_number".to_owned(), case.to_owned())];
    form.extend(query_of(link));
    let review: OrderReview = answer(router, "review_order", &borrowed(&form), cookie).await;
    form.push(("key".into(), review.key.clone()));
    let page = call(router, "change_order", &borrowed(&form), Some(cookie)).await;
    (review, page)
}

async fn a_payment_plan_is_proposed_approved_and_accrues(test: TestDb) {
    let router = support::demo_router(&test.db).await;
    let ray = sign_in_as(&router, "behind.parent@example.com", DEMO_PASSWORD).await;
    let case = "CS-2019-002931";
    let start: PlanStart = answer(&router, "plan_start", &[("case_number", case)], &ray).await;
    assert!(start.past_due.is_positive());
    assert!(start.next_due > today());

    // Mistakes at their fields, all at once; nothing stored.
    let yesterday = (today() - Days::new(1)).to_string();
    let bad = call(
        &router,
        "ask_plan",
        &[
            ("case_number", case),
            ("extra", "0"),
            ("starts_on", &yesterday),
            ("note", ""),
            ("key", &start.key),
        ],
        Some(&ray),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        problems(error_of(&bad)),
        [
            (Field::Amount, Problem::Zero),
            (Field::Date, Problem::InThePast)
        ]
    );
    assert!(stored_requests(&test.db).await.is_empty());

    // Sent twice (a double click): one request, one conversation.
    let starts = start.next_due.to_string();
    let plan = [
        ("case_number", case),
        ("extra", "$50"),
        ("starts_on", starts.as_str()),
        ("note", "I can pay more since my new job."),
        ("key", start.key.as_str()),
    ];
    for _ in 0..2 {
        let asked = call(&router, "ask_plan", &plan, Some(&ray)).await;
        assert_eq!(error_of(&asked), None, "{}", asked.body);
    }
    let stored = stored_requests(&test.db).await;
    assert_eq!(stored.len(), 1);
    let request = &stored[0];
    assert_eq!(request.extra_cents, Some(5_000));
    let id = request.id.to_string();

    // A second plan while this one is open is refused, with a reason.
    let again = call(
        &router,
        "ask_plan",
        &[
            ("case_number", case),
            ("extra", "60"),
            ("starts_on", starts.as_str()),
            ("note", ""),
            ("key", "another-key"),
        ],
        Some(&ray),
    )
    .await;
    assert_eq!(
        problems(error_of(&again)),
        [(Field::Request, Problem::AlreadyAsked)]
    );

    // The parent follows it; the agency's steps are not theirs.
    let mine: RequestView = answer(&router, "request", &[("id", &id)], &ray).await;
    assert_eq!(mine.status, RequestStatus::Received);
    assert!(mine.steps.is_empty() && mine.order_link.is_none());
    assert_eq!(mine.plan, Some((Money::from_cents(5_000), start.next_due)));

    // Only the paying parent proposes a plan; another case's parent and an
    // unassigned caseworker see nothing of it.
    let dana = sign_in_as(&router, "receiving.parent@example.com", DEMO_PASSWORD).await;
    let jamie = sign_in_as(&router, "jamie.chen@example.com", DEMO_PASSWORD).await;
    for cookie in [&dana, &jamie] {
        let refused = call(&router, "request", &[("id", &id)], Some(cookie)).await;
        assert_eq!(error_of(&refused), Some(AppError::Forbidden));
    }

    // On the caseworker's work list, carrying the request.
    let alex = sign_in_as(&router, "caseworker@example.com", DEMO_PASSWORD).await;
    let work: WorkList = answer(&router, "work_list", &[], &alex).await;
    assert!(work
        .items
        .iter()
        .any(|item| item.request == Some(request.id)));
    let thread = request.thread_id.to_string();
    let conversation: Conversation =
        answer(&router, "conversation", &[("thread", &thread)], &alex).await;
    assert_eq!(conversation.request, Some(request.id));
    assert_eq!(conversation.messages.len(), 1, "the parent's note");

    // The caseworker approves it through new order terms, filled in.
    let view: RequestView = answer(&router, "request", &[("id", &id)], &alex).await;
    assert_eq!(view.steps, [Step::Approve, Step::Decline]);
    let link = view.order_link.unwrap_or_default();
    let (review, confirmed) = confirm_order_link(&router, case, &link, &alex).await;
    assert_eq!(review.request, Some((request.id, RequestKind::PaymentPlan)));
    assert_eq!(review.arrears_payment, Some(Money::from_cents(5_000)));
    assert_eq!(review.effective_on, start.next_due);
    assert_eq!(error_of(&confirmed), None, "{}", confirmed.body);

    let approved: RequestView = answer(&router, "request", &[("id", &id)], &ray).await;
    assert_eq!(approved.status, RequestStatus::Approved);
    let events = events_of(&test.db, request.id).await;
    let order = events.last().and_then(|e| e.order_id);
    assert!(order.is_some(), "the approval names its order");
    let arrears = obligations::Entity::find()
        .filter(obligations::Column::OrderId.eq(order.unwrap_or_default()))
        .filter(obligations::Column::Kind.eq(ObligationKind::ArrearsPayment.as_str()))
        .one(&test.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(arrears.map(|o| o.amount_cents), Some(5_000));

    // Approving again (another order form) is refused: it has moved on.
    let (_, again) = {
        let mut form = vec![("case_number".to_owned(), case.to_owned())];
        form.extend(query_of(&link));
        let page = call(&router, "review_order", &borrowed(&form), Some(&alex)).await;
        (form, page)
    };
    assert_eq!(
        problems(error_of(&again)),
        [(Field::Request, Problem::RequestMovedOn)]
    );

    // The plan falls due with the support from its first day: the next
    // payment expected is support plus the extra. It paces paying down
    // what is owed, so accrual never charges it as new debt.
    let overview: CaseView = answer(&router, "case_overview", &[("case_number", case)], &ray).await;
    let next = overview
        .card
        .next_due
        .unwrap_or_else(|| panic!("nothing due next"));
    assert_eq!(next.on, start.next_due);
    assert_eq!(next.toward_past_due, Money::from_cents(5_000));
    assert_eq!(next.support, start.current);
    app::server::ledger::accrue(&test.db, start.next_due)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let plan_charges = ledger_entries::Entity::find()
        .filter(ledger_entries::Column::ObligationKind.eq(ObligationKind::ArrearsPayment.as_str()))
        .count(&test.db)
        .await
        .unwrap_or(0);
    assert_eq!(plan_charges, 0);
}

async fn a_change_of_support_moves_through_its_statuses(test: TestDb) {
    let router = support::demo_router(&test.db).await;
    let dana = sign_in_as(&router, "receiving.parent@example.com", DEMO_PASSWORD).await;
    let marcus = sign_in_as(&router, "paying.parent@example.com", DEMO_PASSWORD).await;
    let alex = sign_in_as(&router, "caseworker@example.com", DEMO_PASSWORD).await;
    let case = "CS-2020-004172";

    // No reason and no words: both named; nothing stored.
    let bad = call(
        &router,
        "ask_change",
        &[("case_number", case), ("note", "  "), ("key", "change-1")],
        Some(&dana),
    )
    .await;
    assert_eq!(
        problems(error_of(&bad)),
        [
            (Field::Reasons, Problem::Required),
            (Field::Body, Problem::Required)
        ]
    );
    assert!(stored_requests(&test.db).await.is_empty());

    let asked = call(
        &router,
        "ask_change",
        &[
            ("case_number", case),
            ("income_change", "on"),
            ("child_care", "on"),
            ("note", "Day care went up to $900 a month in September."),
            ("key", "change-1"),
        ],
        Some(&dana),
    )
    .await;
    assert_eq!(error_of(&asked), None, "{}", asked.body);
    let request = stored_requests(&test.db).await.remove(0);
    let id = request.id.to_string();
    let view: RequestView = answer(&router, "request", &[("id", &id)], &dana).await;
    assert_eq!(view.reasons, [Reason::IncomeChange, Reason::ChildCare]);
    assert_eq!(
        view.documents,
        [
            Document::PayStubs,
            Document::TaxReturn,
            Document::ChildCareCosts
        ]
    );

    // The other parent is told a review was asked — not why, not by whom.
    let told: Vec<RequestSummary> =
        answer(&router, "case_requests", &[("case_number", case)], &marcus).await;
    assert_eq!(told.len(), 1);
    assert!(!told[0].openable && told[0].requester_name.is_empty());
    assert_eq!(told[0].kind, RequestKind::Modification);
    let refused = call(&router, "request", &[("id", &id)], Some(&marcus)).await;
    assert_eq!(error_of(&refused), Some(AppError::Forbidden));
    let conversation = call(
        &router,
        "conversation",
        &[("thread", &request.thread_id.to_string())],
        Some(&marcus),
    )
    .await;
    assert_eq!(error_of(&conversation), Some(AppError::Forbidden));

    // A parent cannot move it; the caseworker starts the review, once.
    let pairs = [
        ("id", id.as_str()),
        ("step", "start_review"),
        ("key", "step-1"),
    ];
    let refused = call(&router, "request_step", &pairs, Some(&dana)).await;
    assert_eq!(error_of(&refused), Some(AppError::Forbidden));
    for _ in 0..2 {
        let moved = call(&router, "request_step", &pairs, Some(&alex)).await;
        assert_eq!(error_of(&moved), None, "{}", moved.body);
    }
    assert_eq!(events_of(&test.db, request.id).await.len(), 2);

    // A hearing needs a coming time and a place.
    let past = format!("{}T09:30", today() - Days::new(3));
    let hearing_day = today() + Days::new(30);
    let coming = format!("{hearing_day}T09:30");
    let bad = call(
        &router,
        "request_step",
        &[
            ("id", &id),
            ("step", "schedule_hearing"),
            ("hearing_at", &past),
            ("place", ""),
            ("key", "step-2"),
        ],
        Some(&alex),
    )
    .await;
    assert_eq!(
        problems(error_of(&bad)),
        [
            (Field::HearingAt, Problem::InThePast),
            (Field::Place, Problem::Required)
        ]
    );
    let set = call(
        &router,
        "request_step",
        &[
            ("id", &id),
            ("step", "schedule_hearing"),
            ("hearing_at", &coming),
            ("place", "Family Court, Room 3B"),
            ("key", "step-2"),
        ],
        Some(&alex),
    )
    .await;
    assert_eq!(error_of(&set), None, "{}", set.body);
    let told: Vec<RequestSummary> =
        answer(&router, "case_requests", &[("case_number", case)], &marcus).await;
    assert_eq!(told[0].status, RequestStatus::HearingScheduled);
    let hearing = told[0]
        .hearing
        .clone()
        .unwrap_or_else(|| panic!("no hearing"));
    assert_eq!(hearing.at, format!("{hearing_day} 09:30"));
    assert_eq!(hearing.place, "Family Court, Room 3B");

    // Decided with new terms: the order and the decision in one go.
    let view: RequestView = answer(&router, "request", &[("id", &id)], &alex).await;
    assert_eq!(
        view.steps,
        [Step::ScheduleHearing, Step::Decide, Step::Deny]
    );
    let link = view.order_link.unwrap_or_default();
    let (review, confirmed) = confirm_order_link(&router, case, &link, &alex).await;
    assert_eq!(
        review.request,
        Some((request.id, RequestKind::Modification))
    );
    assert_eq!(error_of(&confirmed), None, "{}", confirmed.body);
    let decided: RequestView = answer(&router, "request", &[("id", &id)], &dana).await;
    assert_eq!(decided.status, RequestStatus::Decided);
    let statuses: Vec<RequestStatus> = decided.history.iter().map(|e| e.status).collect();
    assert_eq!(
        statuses,
        [
            RequestStatus::Received,
            RequestStatus::UnderReview,
            RequestStatus::HearingScheduled,
            RequestStatus::Decided
        ]
    );
    // Answered for good: the parent may ask again.
    let again = call(
        &router,
        "ask_change",
        &[
            ("case_number", case),
            ("time_since_review", "on"),
            ("note", "Asking again next year."),
            ("key", "change-2"),
        ],
        Some(&dana),
    )
    .await;
    assert_eq!(error_of(&again), None, "{}", again.body);
}

async fn a_request_can_be_denied_and_each_step_needs_its_details(test: TestDb) {
    let router = support::demo_router(&test.db).await;
    let marcus = sign_in_as(&router, "paying.parent@example.com", DEMO_PASSWORD).await;
    let alex = sign_in_as(&router, "caseworker@example.com", DEMO_PASSWORD).await;
    let jamie = sign_in_as(&router, "jamie.chen@example.com", DEMO_PASSWORD).await;
    let case = "CS-2020-004172";
    let asked = call(
        &router,
        "ask_change",
        &[
            ("case_number", case),
            ("job_loss", "on"),
            ("note", "Laid off."),
            ("key", "deny-1"),
        ],
        Some(&marcus),
    )
    .await;
    assert_eq!(error_of(&asked), None, "{}", asked.body);
    let id = stored_requests(&test.db).await.remove(0).id.to_string();

    // An unlisted step, a step that does not apply yet, an unassigned
    // caseworker: each refused, nothing stored.
    for (step, cookie, expected) in [
        (
            "delete",
            &alex,
            Some(AppError::invalid(Field::Request, Problem::NotAChoice)),
        ),
        (
            "approve",
            &alex,
            Some(AppError::invalid(Field::Request, Problem::NotAChoice)),
        ),
        ("schedule_hearing", &jamie, Some(AppError::Forbidden)),
    ] {
        let page = call(
            &router,
            "request_step",
            &[
                ("id", &id),
                ("step", step),
                ("hearing_at", ""),
                ("place", ""),
                ("key", "x-1"),
            ],
            Some(cookie),
        )
        .await;
        assert_eq!(error_of(&page), expected, "{step}");
    }
    let early = call(
        &router,
        "request_step",
        &[
            ("id", &id),
            ("step", "schedule_hearing"),
            ("hearing_at", &format!("{}T10:00", today() + Days::new(9))),
            ("place", "Room 1"),
            ("key", "x-2"),
        ],
        Some(&alex),
    )
    .await;
    assert_eq!(
        problems(error_of(&early)),
        [(Field::Request, Problem::RequestMovedOn)],
        "a hearing comes after the review starts"
    );
    assert_eq!(events_of(&test.db, id.parse().unwrap_or(0)).await.len(), 1);

    let no_reason = call(
        &router,
        "request_step",
        &[
            ("id", &id),
            ("step", "deny"),
            ("reason", " "),
            ("key", "x-3"),
        ],
        Some(&alex),
    )
    .await;
    assert_eq!(
        problems(error_of(&no_reason)),
        [(Field::Reason, Problem::Required)]
    );
    let denied = call(
        &router,
        "request_step",
        &[
            ("id", &id),
            ("step", "deny"),
            (
                "reason",
                "Your new job pays about the same; send pay stubs if that changes.",
            ),
            ("key", "x-3"),
        ],
        Some(&alex),
    )
    .await;
    assert_eq!(error_of(&denied), None, "{}", denied.body);
    let view: RequestView = answer(&router, "request", &[("id", &id)], &marcus).await;
    assert_eq!(view.status, RequestStatus::Denied);
    let last = view.history.last().and_then(|e| e.note.clone());
    assert_eq!(
        last.as_deref(),
        Some("Your new job pays about the same; send pay stubs if that changes.")
    );
    // The step's key cannot move another request (a stale form).
    let again = call(
        &router,
        "request_step",
        &[
            ("id", &id),
            ("step", "deny"),
            ("reason", "again"),
            ("key", "x-3"),
        ],
        Some(&alex),
    )
    .await;
    assert_eq!(
        error_of(&again),
        None,
        "the same form, resent: nothing more"
    );
    assert_eq!(events_of(&test.db, id.parse().unwrap_or(0)).await.len(), 2);
}
