//! Secure messages on the demo data: a parent writes, the caseworker
//! answers, each sees what the other read; nobody else on or off the case
//! reads a word; bad input stores nothing — on SQLite and on PostgreSQL.

mod support;

use app::error::{AppError, Field, Problem};
use app::messages::model::{Conversation, Inbox, WorkList};
use app::messages::rules::Status;
use chrono::Utc;
use entity::{message_threads, messages};
use http::StatusCode;
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};
use server::seed::demo::{self, DEMO_PASSWORD};
use support::{answer, call, error_of, get_as, router, router_with, send, sign_in_as, TestDb};

on_both_databases!(
    a_parent_and_the_caseworker_talk_and_no_one_else_listens,
    files_are_checked_by_content_and_read_only_in_their_conversation
);

/// The person behind an account, as a form sends it.
async fn person_of(db: &sea_orm::DatabaseConnection, email: &str) -> String {
    support::account_of(db, email).await.person_id.to_string()
}

async fn a_parent_and_the_caseworker_talk_and_no_one_else_listens(test: TestDb) {
    demo::seed(&test.db, Utc::now().date_naive())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let router = router(test.db.clone());
    let dana = sign_in_as(&router, "receiving.parent@example.com", DEMO_PASSWORD).await;
    let case = [("case_number", "CS-2020-004172")];

    // Mistakes are named at their fields, and nothing is stored.
    let bad = call(
        &router,
        "start_conversation",
        &[
            case[0],
            ("topic", "gossip"),
            ("body", "   "),
            ("key", "k-bad"),
        ],
        Some(&dana),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let error = error_of(&bad);
    for field in [Field::Topic, Field::Body] {
        assert_eq!(
            error.as_ref().and_then(|e| e.problem_with(field)),
            Some(Problem::Required)
        );
    }
    let too_long = "x".repeat(4_001);
    let long = call(
        &router,
        "start_conversation",
        &[
            case[0],
            ("topic", "other"),
            ("body", &too_long),
            ("key", "k-long"),
        ],
        Some(&dana),
    )
    .await;
    assert_eq!(
        error_of(&long).and_then(|e| e.problem_with(Field::Body)),
        Some(Problem::TooLong)
    );
    let stored = message_threads::Entity::find().count(&test.db).await;
    assert_eq!(stored.unwrap_or(u64::MAX), 0);

    // Dana reports a missing payment; sending the form twice stores it once.
    let text = "The payment of <b>Nov 1</b> never came.\n<script>alert(1)</script>";
    for _ in 0..2 {
        let sent = call(
            &router,
            "start_conversation",
            &[
                case[0],
                ("topic", "missing_payment"),
                ("body", text),
                ("key", "k-dana-1"),
            ],
            Some(&dana),
        )
        .await;
        assert_eq!(error_of(&sent), None, "{}", sent.body);
    }
    assert_eq!(
        messages::Entity::find().count(&test.db).await.unwrap_or(0),
        1
    );
    let inbox: Inbox = answer(&router, "my_messages", &[], &dana).await;
    assert_eq!(inbox.threads.len(), 1);
    let thread = inbox.threads[0].id.to_string();
    let thread_arg = [("thread", thread.as_str())];

    // Who may read it: Dana, the case's caseworker, a supervisor. Not Marcus
    // (the other parent), not another case's parent, not another caseworker.
    let marcus = sign_in_as(&router, "paying.parent@example.com", DEMO_PASSWORD).await;
    let jordan = sign_in_as(&router, "two.cases@example.com", DEMO_PASSWORD).await;
    let alex = sign_in_as(&router, "caseworker@example.com", DEMO_PASSWORD).await;
    let jamie = sign_in_as(&router, "jamie.chen@example.com", DEMO_PASSWORD).await;
    let morgan = sign_in_as(&router, "supervisor@example.com", DEMO_PASSWORD).await;
    for (who, cookie) in [("Marcus", &marcus), ("Jordan", &jordan), ("Jamie", &jamie)] {
        for function in ["conversation", "close_conversation"] {
            let page = call(&router, function, &thread_arg, Some(cookie)).await;
            assert_eq!(
                error_of(&page),
                Some(AppError::Forbidden),
                "{who} {function}"
            );
        }
        let reply = call(
            &router,
            "send_message",
            &[
                thread_arg[0],
                ("body", "hello"),
                ("key", &format!("k-{who}")),
            ],
            Some(cookie),
        )
        .await;
        assert_eq!(error_of(&reply), Some(AppError::Forbidden), "{who} replies");
        let theirs: Inbox = answer(&router, "my_messages", &[], cookie).await;
        assert!(theirs.threads.is_empty(), "{who} sees no thread");
    }
    let anonymous = call(&router, "conversation", &thread_arg, None).await;
    assert_eq!(error_of(&anonymous), Some(AppError::SignInRequired));
    // Staff write from the case, not with the parents' form.
    let staff_start = call(
        &router,
        "start_conversation",
        &[
            case[0],
            ("topic", "other"),
            ("body", "hi"),
            ("key", "k-alex-0"),
        ],
        Some(&alex),
    )
    .await;
    assert_eq!(error_of(&staff_start), Some(AppError::Forbidden));
    // Someone else's key is not a way into their conversation.
    let stolen = call(
        &router,
        "start_conversation",
        &[
            case[0],
            ("topic", "other"),
            ("body", "hi"),
            ("key", "k-dana-1"),
        ],
        Some(&marcus),
    )
    .await;
    assert_eq!(error_of(&stolen), Some(AppError::Forbidden));

    // It waits on the work list of the case's caseworker, not on another's;
    // a parent has no work list.
    let alex_list: WorkList = answer(&router, "work_list", &[], &alex).await;
    let waiting: Vec<i32> = alex_list.items.iter().map(|i| i.thread).collect();
    assert_eq!(waiting, [inbox.threads[0].id]);
    assert!(!alex_list.items[0].overdue);
    let jamie_list: WorkList = answer(&router, "work_list", &[], &jamie).await;
    assert!(jamie_list.items.is_empty());
    let parent_list = call(&router, "work_list", &[], Some(&dana)).await;
    assert_eq!(error_of(&parent_list), Some(AppError::Forbidden));
    // Ten days later it is overdue, counted in business days.
    let ten_days_ago = Utc::now() - chrono::Duration::days(10);
    let thread_row = message_threads::Entity::find_by_id(inbox.threads[0].id)
        .one(&test.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no thread"));
    let mut older: message_threads::ActiveModel = thread_row.into();
    older.waiting_since = sea_orm::Set(ten_days_ago);
    sea_orm::ActiveModelTrait::update(older, &test.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let later: WorkList = answer(&router, "work_list", &[], &alex).await;
    assert!(later.items[0].overdue);
    assert!(
        (6..=8).contains(&later.items[0].business_days),
        "{}",
        later.items[0].business_days
    );

    // Narrowed to a topic and a case (typed in any case); a topic not on
    // the list is named at its field.
    let narrowed: WorkList = answer(
        &router,
        "work_list",
        &[
            ("topic", "missing_payment"),
            ("case_number", "cs-2020-004172"),
        ],
        &alex,
    )
    .await;
    assert_eq!(narrowed.items.len(), 1);
    for filter in [("topic", "payment_plan"), ("case_number", "CS-2019-002931")] {
        let other: WorkList = answer(&router, "work_list", &[filter], &alex).await;
        assert!(other.items.is_empty(), "{filter:?}");
    }
    let gossip = call(&router, "work_list", &[("topic", "gossip")], Some(&alex)).await;
    assert_eq!(
        error_of(&gossip),
        Some(AppError::invalid(Field::Topic, Problem::NotAChoice))
    );

    // Given to a colleague: it waits on Jamie's list, Jamie may read it; a
    // parent cannot give it, and only staff can be given it.
    let before: Conversation = answer(&router, "conversation", &thread_arg, &alex).await;
    assert_eq!(before.assigned_to, None);
    let jamie_id = before
        .colleagues
        .iter()
        .find(|c| c.name == "Jamie Chen")
        .map(|c| c.person.to_string())
        .unwrap_or_else(|| panic!("Jamie is not a colleague"));
    let to_jamie = [("thread", thread.as_str()), ("to", jamie_id.as_str())];
    let refused = call(&router, "assign_conversation", &to_jamie, Some(&dana)).await;
    assert_eq!(error_of(&refused), Some(AppError::Forbidden));
    let dana_id = person_of(&test.db, "receiving.parent@example.com").await;
    let to_parent = [("thread", thread.as_str()), ("to", dana_id.as_str())];
    let refused = call(&router, "assign_conversation", &to_parent, Some(&alex)).await;
    assert_eq!(
        error_of(&refused),
        Some(AppError::invalid(Field::Person, Problem::NotAChoice))
    );
    let given = call(&router, "assign_conversation", &to_jamie, Some(&alex)).await;
    assert_eq!(error_of(&given), None, "{}", given.body);
    let jamie_list: WorkList = answer(&router, "work_list", &[], &jamie).await;
    assert_eq!(jamie_list.items.len(), 1);
    assert_eq!(
        jamie_list.items[0].assigned_to.as_deref(),
        Some("Jamie Chen")
    );
    let _: Conversation = answer(&router, "conversation", &thread_arg, &jamie).await;

    // The caseworker reads it (a receipt for Dana) and answers.
    let seen_by_alex: Conversation = answer(&router, "conversation", &thread_arg, &alex).await;
    assert_eq!(seen_by_alex.status, Status::Waiting);
    assert!(seen_by_alex.reply_due.is_some());
    assert_eq!(
        seen_by_alex.messages[0].body, text,
        "stored as typed, shown as text"
    );
    let answered = call(
        &router,
        "send_message",
        &[
            thread_arg[0],
            ("body", "Found it: it was sent on Nov 3."),
            ("key", "k-alex-1"),
        ],
        Some(&alex),
    )
    .await;
    assert_eq!(error_of(&answered), None, "{}", answered.body);

    let answered_list: WorkList = answer(&router, "work_list", &[], &alex).await;
    assert!(
        answered_list.items.is_empty(),
        "answered: off the work list"
    );
    let dana_view: Conversation = answer(&router, "conversation", &thread_arg, &dana).await;
    assert_eq!(dana_view.status, Status::Answered);
    assert_eq!(dana_view.messages.len(), 2);
    assert!(
        dana_view.messages[0].seen,
        "the caseworker read Dana's message"
    );
    assert!(dana_view.messages[1].from_agency);
    assert_eq!(dana_view.reply_due, None);
    let alex_view: Conversation = answer(&router, "conversation", &thread_arg, &alex).await;
    assert!(alex_view.messages[1].seen, "Dana read the answer");

    // The page shows the message as text: the tags are escaped.
    let page = get_as(&router, &format!("/messages/{thread}"), &dana).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.body.contains("<script>alert(1)"));

    // The supervisor can read and close it; Dana writing again reopens it.
    let _: Conversation = answer(&router, "conversation", &thread_arg, &morgan).await;
    let closed = call(&router, "close_conversation", &thread_arg, Some(&morgan)).await;
    assert_eq!(error_of(&closed), None);
    let again = call(
        &router,
        "send_message",
        &[
            thread_arg[0],
            ("body", "One more question."),
            ("key", "k-dana-2"),
        ],
        Some(&dana),
    )
    .await;
    assert_eq!(error_of(&again), None);
    let reopened: Conversation = answer(&router, "conversation", &thread_arg, &dana).await;
    assert_eq!(reopened.status, Status::Waiting);

    // Messages are history: the database refuses to change them.
    for statement in [
        "UPDATE messages SET body = 'changed'",
        "DELETE FROM messages",
    ] {
        assert!(
            test.db.execute_unprepared(statement).await.is_err(),
            "{statement}"
        );
    }
}

/// A multipart form as a browser sends it: `key`, `note`, then `file`.
fn file_form(
    cookie: &str,
    thread: &str,
    file_name: &str,
    bytes: &[u8],
) -> http::Request<axum::body::Body> {
    let boundary = "----portal-test-boundary";
    let mut body = Vec::new();
    for (name, value) in [
        ("key", format!("k-file-{file_name}-{}", bytes.len())),
        ("note", "Pay stub for November".into()),
    ] {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    http::Request::post(format!("/messages/{thread}/attach"))
        .header(
            http::header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(http::header::HOST, "portal.test")
        .header("sec-fetch-site", "same-origin")
        .header(http::header::COOKIE, cookie)
        .body(axum::body::Body::from(body))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn location(page: &support::Page) -> String {
    page.headers
        .get(http::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

async fn files_are_checked_by_content_and_read_only_in_their_conversation(test: TestDb) {
    demo::seed(&test.db, Utc::now().date_naive())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut config = support::config();
    config.messages.attachment_max_mb = 1;
    config.messages.daily_upload_mb = 1;
    let router = router_with(&config, test.db.clone());
    let dana = sign_in_as(&router, "receiving.parent@example.com", DEMO_PASSWORD).await;
    let started = call(
        &router,
        "start_conversation",
        &[
            ("case_number", "CS-2020-004172"),
            ("topic", "missing_payment"),
            ("body", "Here is my pay stub."),
            ("key", "k-start"),
        ],
        Some(&dana),
    )
    .await;
    assert_eq!(error_of(&started), None, "{}", started.body);
    let inbox: Inbox = answer(&router, "my_messages", &[], &dana).await;
    let thread = inbox.threads[0].id.to_string();
    let back = format!("/messages/{thread}");

    // A PNG, whatever its name says (and however a right-to-left override
    // would make it read).
    let png: Vec<u8> = [&b"\x89PNG\r\n\x1a\n"[..], &[0u8; 64]].concat();
    let sent = send(
        &router,
        file_form(&dana, &thread, "stub\u{202E}fdp.pdf", &png),
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(location(&sent), back);

    // A text file called .pdf, and a PDF over the limit: refused at the field.
    let text = send(
        &router,
        file_form(&dana, &thread, "notes.pdf", b"just words"),
    )
    .await;
    assert!(
        location(&text).ends_with("?attach=type#attach-heading"),
        "{}",
        location(&text)
    );
    let big: Vec<u8> = [&b"%PDF-1.7\n"[..], &vec![b'x'; 1024 * 1024 + 1]].concat();
    let large = send(&router, file_form(&dana, &thread, "big.pdf", &big)).await;
    assert!(
        location(&large).contains("?attach=too_large"),
        "{} {}",
        large.status,
        location(&large)
    );
    // Under the size limit, but over what one account may send in a day.
    let almost: Vec<u8> = [&b"%PDF-1.7\n"[..], &vec![b'x'; 1024 * 1024 - 20]].concat();
    let over = send(&router, file_form(&dana, &thread, "more.pdf", &almost)).await;
    assert!(
        location(&over).contains("?attach=quota"),
        "{} {}",
        over.status,
        location(&over)
    );
    let stored = entity::attachments::Entity::find().count(&test.db).await;
    assert_eq!(stored.unwrap_or(0), 1, "only the PNG");

    // It shows in the conversation, under its name, as a PNG.
    let view: Conversation = answer(&router, "conversation", &[("thread", &thread)], &dana).await;
    let file = view
        .messages
        .iter()
        .flat_map(|m| m.attachments.clone())
        .next()
        .unwrap_or_else(|| panic!("no attachment"));
    // Named as what it is: a PNG cannot pass as a PDF, nor hide behind
    // invisible characters.
    assert_eq!(
        (file.file_name.as_str(), file.content_type.as_str()),
        ("stubfdp.png", "image/png")
    );

    // Dana and the caseworker download it; the other parent cannot.
    let url = format!("/attachments/{}", file.id);
    let alex = sign_in_as(&router, "caseworker@example.com", DEMO_PASSWORD).await;
    for cookie in [&dana, &alex] {
        let got = get_as(&router, &url, cookie).await;
        assert_eq!(got.status, StatusCode::OK);
        let header = |name| {
            got.headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
        };
        assert_eq!(header(http::header::CONTENT_TYPE), "image/png");
        assert!(header(http::header::CONTENT_DISPOSITION)
            .starts_with("attachment; filename=\"stubfdp.png\""));
        assert_eq!(got.body.len(), String::from_utf8_lossy(&png).len());
    }
    // The caseworker's download is on the record; the parent's own is not.
    assert_eq!(support::audit_count(&test.db, "attachment_read").await, 1);
    let marcus = sign_in_as(&router, "paying.parent@example.com", DEMO_PASSWORD).await;
    assert_eq!(
        get_as(&router, &url, &marcus).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(support::audit_count(&test.db, "access_refused").await, 1);
    let other = send(&router, file_form(&marcus, &thread, "x.png", &png)).await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    let anonymous = support::get(&router, &url).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
}
