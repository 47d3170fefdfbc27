//! Identity and access through the real router: sign-in, lockout, PIN
//! activation, sessions, cross-site refusal, and the access matrix — every
//! server function as every kind of person — on SQLite and on PostgreSQL.

mod support;

use app::account::service;
use app::error::{AppError, Field, Problem};
use app::reader::AccountRole;
use axum::body::Body;
use axum::Router;
use chrono::Utc;
use entity::{accounts, activation_pins, audit_events};
use http::{header, Request, StatusCode};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use server::seed::records;
use support::{
    call, call_from, date, error_of, get, get_as, on_record, router, send, session_cookie,
    sign_in_as, try_sign_in, urlencode, Page, TestDb,
};

on_both_databases!(
    a_parent_signs_in_and_out_and_the_session_ends_on_the_server,
    five_wrong_passwords_lock_the_account_with_the_same_message,
    an_unknown_email_is_refused_like_a_wrong_password,
    many_failures_from_one_address_block_that_address_only,
    a_pin_activates_an_account_once_and_resets_a_password_later,
    five_wrong_pins_void_the_pin_and_a_case_number_cannot_be_probed,
    activation_checks_every_field_and_stores_nothing_on_error,
    reissuing_a_pin_voids_the_earlier_one,
    writes_from_another_site_are_refused,
    every_server_function_answers_only_whom_it_should,
    the_audit_log_cannot_be_changed,
    pages_send_visitors_to_sign_in_and_refuse_other_cases_by_url,
    forms_work_without_javascript,
    the_demo_accounts_sign_in_and_the_demo_pins_activate,
    huge_and_malformed_input_is_refused_at_its_field,
);

const PASSWORD: &str = "maple syrup on tuesdays";

/// Two cases, their parents and caseworkers, and a supervisor.
struct World {
    router: Router,
    db: DatabaseConnection,
    case_a: &'static str,
    case_b: &'static str,
    paying_a: i32,
    receiving_a: i32,
    paying_b: i32,
    /// Case A's caseworker (a person).
    worker_a: i32,
}

async fn world(db: DatabaseConnection) -> World {
    let attempt = service::Attempt::offline(support::config().security);
    let staff = |name: &'static str, email: &'static str, role| {
        let (db, attempt) = (db.clone(), attempt.clone());
        async move {
            service::records::add_staff(&db, &attempt, None, name, email, PASSWORD, role)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        }
    };
    let worker_a = staff(
        "Casey Worker",
        "casey@agency.example",
        AccountRole::Caseworker,
    )
    .await;
    let worker_b = staff(
        "Blair Worker",
        "blair@agency.example",
        AccountRole::Caseworker,
    )
    .await;
    staff(
        "Sam Supervisor",
        "sam@agency.example",
        AccountRole::Supervisor,
    )
    .await;

    let person = |name: &'static str| on_record::person(&db, name);
    let (paying_a, receiving_a) = (person("Pat Payer").await, person("Robin Receiver").await);
    let (paying_b, receiving_b) = (person("Alex Other").await, person("Jamie Other").await);
    for (number, worker, paying, receiving) in [
        ("CS-TEST-000001", worker_a.person_id, paying_a, receiving_a),
        ("CS-TEST-000002", worker_b.person_id, paying_b, receiving_b),
    ] {
        let parents = (paying, receiving);
        let case = on_record::case(&db, number, Some(worker), date(2024, 1, 1), parents).await;
        records::child(&db, case, "Kim", date(2018, 5, 1), date(2036, 5, 1))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    for (person, email) in [
        (paying_a, "pat@example.com"),
        (receiving_a, "robin@example.com"),
        (paying_b, "alex@example.com"),
    ] {
        parent_account(&db, person, email).await;
    }
    World {
        router: router(db.clone()),
        db,
        case_a: "CS-TEST-000001",
        case_b: "CS-TEST-000002",
        paying_a,
        receiving_a,
        paying_b,
        worker_a: worker_a.person_id,
    }
}

async fn parent_account(db: &DatabaseConnection, person: i32, email: &str) {
    on_record::parent_account(db, person, email, PASSWORD).await;
}

async fn sign_in(world: &World, email: &str) -> String {
    let page = try_sign_in(&world.router, email, PASSWORD).await;
    assert_eq!(error_of(&page), None, "{email}: {}", page.body);
    session_cookie(&page).unwrap_or_else(|| panic!("{email}: no session cookie"))
}

async fn audit_actions(db: &DatabaseConnection) -> Vec<String> {
    audit_events::Entity::find()
        .all(db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|e| e.action)
        .collect()
}

async fn a_parent_signs_in_and_out_and_the_session_ends_on_the_server(test: TestDb) {
    let world = world(test.db).await;
    let page = try_sign_in(&world.router, " Pat@Example.com ", PASSWORD).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(
        page.headers.get(header::LOCATION).map(|v| v.as_bytes()),
        Some(&b"/dashboard"[..])
    );
    let set_cookie = page
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    let cookie = session_cookie(&page).unwrap_or_default();

    let me = call(&world.router, "current_user", &[], Some(&cookie)).await;
    assert!(me.body.contains("Pat Payer"), "{}", me.body);
    let cases = call(&world.router, "my_cases", &[], Some(&cookie)).await;
    assert!(
        cases.body.contains(world.case_a) && !cases.body.contains(world.case_b),
        "{}",
        cases.body
    );

    let out = call(&world.router, "sign_out", &[], Some(&cookie)).await;
    assert_eq!(error_of(&out), None);
    // The old cookie is worth nothing now, even if someone kept it.
    let after = call(&world.router, "my_cases", &[], Some(&cookie)).await;
    assert_eq!(error_of(&after), Some(AppError::SignInRequired));
    let actions = audit_actions(&world.db).await;
    assert!(
        actions.contains(&"sign_in".into()) && actions.contains(&"sign_out".into()),
        "{actions:?}"
    );

    // "Leave this site quickly" ends the session too, has the browser forget
    // the site, and goes to the agency's neutral site.
    let again = sign_in_as(&world.router, "pat@example.com", PASSWORD).await;
    let left = get_as(&world.router, "/leave", &again).await;
    assert_eq!(left.status, StatusCode::SEE_OTHER);
    assert_eq!(
        left.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok()),
        Some(support::config().agency.quick_exit_url.as_str())
    );
    let forget = left
        .headers
        .get("clear-site-data")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        ["cache", "cookies", "storage"]
            .iter()
            .all(|what| forget.contains(&format!("\"{what}\""))),
        "{forget}"
    );
    let after = call(&world.router, "my_cases", &[], Some(&again)).await;
    assert_eq!(error_of(&after), Some(AppError::SignInRequired));
    // Nobody signed in: it still goes there.
    let visitor = get(&world.router, "/leave").await;
    assert_eq!(visitor.status, StatusCode::SEE_OTHER);
}

async fn five_wrong_passwords_lock_the_account_with_the_same_message(test: TestDb) {
    let world = world(test.db).await;
    for _ in 0..5 {
        let page = try_sign_in(&world.router, "pat@example.com", "not my password").await;
        assert_eq!(error_of(&page), Some(AppError::SignInRefused));
    }
    // Now even the right password is refused, with the very same answer.
    let page = try_sign_in(&world.router, "pat@example.com", PASSWORD).await;
    assert_eq!(error_of(&page), Some(AppError::SignInRefused));
    assert_eq!(session_cookie(&page), None);
    let account = accounts::Entity::find()
        .filter(accounts::Column::Email.eq("pat@example.com"))
        .one(&world.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no account"));
    assert!(account.locked_until.is_some_and(|until| until > Utc::now()));
    assert!(audit_actions(&world.db)
        .await
        .contains(&"account_locked".into()));

    // Once the lock has passed, the right password works again.
    let mut unlocked: accounts::ActiveModel = account.into();
    unlocked.locked_until = Set(Some(Utc::now() - chrono::Duration::minutes(1)));
    unlocked
        .update(&world.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    sign_in(&world, "pat@example.com").await;
}

async fn many_failures_from_one_address_block_that_address_only(test: TestDb) {
    let world = world(test.db).await;
    let prober: std::net::SocketAddr = ([203, 0, 113, 7], 50_000).into();
    let parent: std::net::SocketAddr = ([198, 51, 100, 2], 50_000).into();
    let sign_in_from = |address, email: &'static str, password: &'static str| {
        let router = world.router.clone();
        async move {
            call_from(
                &router,
                "sign_in",
                &[("email", email), ("password", password)],
                None,
                Some(address),
            )
            .await
        }
    };
    // Guesses at an account that does not exist (so no account locks, only
    // the address), one short of the agency's limit: the address still works.
    let limit = support::config().security.failures_per_address;
    for _ in 1..limit {
        let page = sign_in_from(prober, "nobody@example.com", "a guess").await;
        assert_eq!(error_of(&page), Some(AppError::SignInRefused));
    }
    let still = sign_in_from(prober, "pat@example.com", PASSWORD).await;
    assert_eq!(error_of(&still), None, "{}", still.body);
    // One more failure reaches the limit: now even a right password from
    // that address is refused, alike.
    let last = sign_in_from(prober, "nobody@example.com", "a guess").await;
    assert_eq!(error_of(&last), Some(AppError::SignInRefused));
    let blocked = sign_in_from(prober, "pat@example.com", PASSWORD).await;
    assert_eq!(error_of(&blocked), Some(AppError::SignInRefused));
    assert_eq!(session_cookie(&blocked), None);
    // The parent at their own address is not affected.
    let own = sign_in_from(parent, "pat@example.com", PASSWORD).await;
    assert_eq!(error_of(&own), None, "{}", own.body);
    assert!(session_cookie(&own).is_some());
}

async fn an_unknown_email_is_refused_like_a_wrong_password(test: TestDb) {
    let world = world(test.db).await;
    let unknown = try_sign_in(&world.router, "nobody@example.com", PASSWORD).await;
    let wrong = try_sign_in(&world.router, "pat@example.com", "wrong password!").await;
    assert_eq!((unknown.status, &unknown.body), (wrong.status, &wrong.body));
    let empty = try_sign_in(&world.router, "", "").await;
    assert_eq!(
        error_of(&empty),
        Some(AppError::invalid(Field::Email, Problem::Required))
    );
}

/// Issues a PIN on `case` to `person` as the case's caseworker.
async fn issue_pin(world: &World, case: &str, person: i32) -> String {
    let cookie = sign_in(world, "casey@agency.example").await;
    let page = call(
        &world.router,
        "issue_pin",
        &[("case_number", case), ("person", &person.to_string())],
        Some(&cookie),
    )
    .await;
    assert_eq!(error_of(&page), None, "{}", page.body);
    let issued: app::account::model::IssuedPin =
        serde_json::from_str(&page.body).unwrap_or_else(|e| panic!("{e}"));
    issued.pin
}

/// Tries to activate with these, as a parent would (password typed twice).
async fn try_activation(world: &World, case: &str, pin: &str, email: &str, password: &str) -> Page {
    call(
        &world.router,
        "activate",
        &activation(case, pin, email, password),
        None,
    )
    .await
}

fn activation<'a>(
    case: &'a str,
    pin: &'a str,
    email: &'a str,
    password: &'a str,
) -> Vec<(&'static str, &'a str)> {
    vec![
        ("case_number", case),
        ("pin", pin),
        ("email", email),
        ("password", password),
        ("confirm_password", password),
    ]
}

async fn a_pin_activates_an_account_once_and_resets_a_password_later(test: TestDb) {
    let world = world(test.db).await;
    // The receiving parent of case A has an account; make a new participant without one.
    let new_parent = records::person(&world.db, "Taylor New")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let case_a = entity::cases::Entity::find()
        .filter(entity::cases::Column::CaseNumber.eq(world.case_a))
        .one(&world.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no case"));
    entity::case_participants::ActiveModel {
        case_id: Set(case_a.id),
        person_id: Set(new_parent),
        role: Set("receiving".into()),
        ..Default::default()
    }
    .insert(&world.db)
    .await
    .unwrap_or_else(|e| panic!("{e}"));

    let pin = issue_pin(&world, world.case_a, new_parent).await;
    let typed = pin.to_lowercase().replace('-', " ");
    let page = try_activation(
        &world,
        world.case_a,
        &typed,
        "taylor@example.com",
        "a brand new long password",
    )
    .await;
    assert_eq!(error_of(&page), None, "{}", page.body);
    let cookie = session_cookie(&page).unwrap_or_else(|| panic!("signed in after activation"));
    let cases = call(&world.router, "my_cases", &[], Some(&cookie)).await;
    assert!(cases.body.contains(world.case_a), "{}", cases.body);

    // Single use.
    let again = try_activation(
        &world,
        world.case_a,
        &pin,
        "taylor@example.com",
        "another long password ok",
    )
    .await;
    assert_eq!(error_of(&again), Some(AppError::ActivationRefused));

    // Forgotten password: a new PIN sets a new one on the same account.
    let pin = issue_pin(&world, world.case_a, world.paying_a).await;
    let page = try_activation(
        &world,
        world.case_a,
        &pin,
        "pat@example.com",
        "completely different words",
    )
    .await;
    assert_eq!(error_of(&page), None, "{}", page.body);
    let old = try_sign_in(&world.router, "pat@example.com", PASSWORD).await;
    assert_eq!(error_of(&old), Some(AppError::SignInRefused));
    let new = try_sign_in(
        &world.router,
        "pat@example.com",
        "completely different words",
    )
    .await;
    assert_eq!(error_of(&new), None);
    let actions = audit_actions(&world.db).await;
    for expected in [
        "pin_issued",
        "account_activated",
        "password_reset",
        "activation_failed",
    ] {
        assert!(
            actions.contains(&expected.into()),
            "{expected}: {actions:?}"
        );
    }
}

async fn five_wrong_pins_void_the_pin_and_a_case_number_cannot_be_probed(test: TestDb) {
    let world = world(test.db).await;
    let pin = issue_pin(&world, world.case_a, world.paying_a).await;
    let unknown_case = try_activation(
        &world,
        "CS-NO-SUCH",
        &pin,
        "pat@example.com",
        "a brand new long password",
    )
    .await;
    let wrong_pin = try_activation(
        &world,
        world.case_a,
        "AAAA-BBBB-CCCC",
        "pat@example.com",
        "a brand new long password",
    )
    .await;
    assert_eq!(
        (unknown_case.status, &unknown_case.body),
        (wrong_pin.status, &wrong_pin.body)
    );
    for _ in 0..4 {
        try_activation(
            &world,
            world.case_a,
            "AAAA-BBBB-CCCC",
            "pat@example.com",
            "a brand new long password",
        )
        .await;
    }
    // The right PIN, after five wrong ones, no longer works.
    let page = try_activation(
        &world,
        world.case_a,
        &pin,
        "pat@example.com",
        "a brand new long password",
    )
    .await;
    assert_eq!(error_of(&page), Some(AppError::ActivationRefused));
    let pins = activation_pins::Entity::find()
        .all(&world.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        pins.iter()
            .all(|p| p.voided_at.is_some() && p.used_at.is_none()),
        "{pins:?}"
    );
    assert!(pins
        .iter()
        .all(|p| p.pin_hash.starts_with("$argon2id$") && !p.pin_hash.contains(&pin)));
}

async fn activation_checks_every_field_and_stores_nothing_on_error(test: TestDb) {
    let world = world(test.db).await;
    let pin = issue_pin(&world, world.case_a, world.paying_a).await;
    let fields = [
        ("case_number", world.case_a),
        ("pin", pin.as_str()),
        ("email", "not-an-email"),
        ("password", "short"),
        ("confirm_password", "different"),
    ];
    let page = call(&world.router, "activate", &fields, None).await;
    assert_eq!(
        support::problems(error_of(&page)),
        [
            (Field::Email, Problem::NotAnEmail),
            (Field::Password, Problem::PasswordTooShort),
            (Field::ConfirmPassword, Problem::PasswordsDiffer),
        ]
    );
    let weak = try_activation(
        &world,
        world.case_a,
        &pin,
        "pat@example.com",
        "password1234",
    )
    .await;
    assert_eq!(
        error_of(&weak),
        Some(AppError::invalid(Field::Password, Problem::PasswordTooWeak))
    );
    let taken = try_activation(
        &world,
        world.case_a,
        &pin,
        "robin@example.com",
        "a brand new long password",
    )
    .await;
    assert_eq!(
        error_of(&taken),
        Some(AppError::invalid(Field::Email, Problem::EmailTaken))
    );
    // None of these used the PIN or counted against it.
    let pins = activation_pins::Entity::find()
        .all(&world.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pins.len(), 1);
    assert!(
        pins[0].used_at.is_none() && pins[0].voided_at.is_none() && pins[0].failed_tries == 0,
        "{pins:?}"
    );
    let ok = try_activation(
        &world,
        world.case_a,
        &pin,
        "pat@example.com",
        "a brand new long password",
    )
    .await;
    assert_eq!(error_of(&ok), None, "{}", ok.body);
}

async fn reissuing_a_pin_voids_the_earlier_one(test: TestDb) {
    let world = world(test.db).await;
    let first = issue_pin(&world, world.case_a, world.paying_a).await;
    let second = issue_pin(&world, world.case_a, world.paying_a).await;
    assert_ne!(first, second);
    let old = try_activation(
        &world,
        world.case_a,
        &first,
        "pat@example.com",
        "a brand new long password",
    )
    .await;
    assert_eq!(error_of(&old), Some(AppError::ActivationRefused));
    let new = try_activation(
        &world,
        world.case_a,
        &second,
        "pat@example.com",
        "a brand new long password",
    )
    .await;
    assert_eq!(error_of(&new), None, "{}", new.body);
    // A PIN for someone not on the case is refused at its field.
    let cookie = sign_in(&world, "casey@agency.example").await;
    let page = call(
        &world.router,
        "issue_pin",
        &[
            ("case_number", world.case_a),
            ("person", &world.paying_b.to_string()),
        ],
        Some(&cookie),
    )
    .await;
    assert_eq!(
        error_of(&page),
        Some(AppError::invalid(Field::Person, Problem::NotOnCase))
    );
}

async fn writes_from_another_site_are_refused(test: TestDb) {
    let world = world(test.db).await;
    let request = Request::post("/api/sign_in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "portal.test")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from(format!(
            "email=pat%40example.com&password={}",
            urlencode(PASSWORD)
        )))
        .unwrap_or_else(|e| panic!("{e}"));
    let page = send(&world.router, request).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(session_cookie(&page), None);
    assert!(!audit_actions(&world.db).await.contains(&"sign_in".into()));
}

/// Who is calling, in the access matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    PayingParent,
    ReceivingParent,
    OtherCaseParent,
    AssignedCaseworker,
    UnassignedCaseworker,
    Supervisor,
}

/// A server function, its arguments, and who may call it.
type Row<'a> = (&'static str, Vec<(&'static str, &'a str)>, Vec<Who>);

const EVERYONE: [Who; 7] = [
    Who::Anonymous,
    Who::PayingParent,
    Who::ReceivingParent,
    Who::OtherCaseParent,
    Who::AssignedCaseworker,
    Who::UnassignedCaseworker,
    Who::Supervisor,
];

async fn every_server_function_answers_only_whom_it_should(test: TestDb) {
    use Who::*;
    let world = world(test.db).await;
    let mut cookies = Vec::new();
    for who in EVERYONE {
        let email = match who {
            Anonymous => None,
            PayingParent => Some("pat@example.com"),
            ReceivingParent => Some("robin@example.com"),
            OtherCaseParent => Some("alex@example.com"),
            AssignedCaseworker => Some("casey@agency.example"),
            UnassignedCaseworker => Some("blair@agency.example"),
            Supervisor => Some("sam@agency.example"),
        };
        let cookie = match email {
            Some(email) => Some(sign_in(&world, email).await),
            None => None,
        };
        cookies.push((who, cookie));
    }
    let paying = world.paying_a.to_string();
    let receiving = world.receiving_a.to_string();
    let day = support::config().today().to_string();
    let forbidden = Some(AppError::Forbidden);
    // Each server function, its arguments on case A, and who may call it.
    let mut table: Vec<Row> = vec![
        ("current_user", vec![], EVERYONE.to_vec()),
        // Advice is public.
        ("advice_index", vec![("locale", "en")], EVERYONE.to_vec()),
        (
            "advice_article",
            vec![("slug", "change-of-support"), ("locale", "es")],
            EVERYONE.to_vec(),
        ),
        ("advice_glossary", vec![("locale", "en")], EVERYONE.to_vec()),
        (
            "search_advice",
            vec![("query", "arrears"), ("locale", "en")],
            EVERYONE.to_vec(),
        ),
        (
            "eligibility_check",
            vec![("checked", "true")],
            EVERYONE.to_vec(),
        ),
        ("my_cases", vec![], EVERYONE[1..].to_vec()),
        ("my_security", vec![], EVERYONE[1..].to_vec()),
        ("overview", vec![], EVERYONE[1..].to_vec()),
        ("my_messages", vec![], EVERYONE[1..].to_vec()),
        ("my_notifications", vec![], EVERYONE[1..].to_vec()),
        ("unseen_notifications", vec![], EVERYONE[1..].to_vec()),
        (
            "work_list",
            vec![],
            vec![AssignedCaseworker, UnassignedCaseworker, Supervisor],
        ),
        ("start_second_factor", vec![], EVERYONE[1..].to_vec()),
        (
            "issue_pin",
            vec![("case_number", world.case_a), ("person", &paying)],
            vec![AssignedCaseworker, Supervisor],
        ),
        (
            "issue_pin",
            vec![("case_number", world.case_a), ("person", &receiving)],
            vec![AssignedCaseworker, Supervisor],
        ),
        (
            "case_audit",
            vec![("case_number", world.case_a)],
            vec![AssignedCaseworker, Supervisor],
        ),
        (
            "caseload",
            vec![],
            vec![AssignedCaseworker, UnassignedCaseworker, Supervisor],
        ),
        (
            "case_file",
            vec![("case_number", world.case_a)],
            vec![AssignedCaseworker, Supervisor],
        ),
    ];
    // What moves money, reviewed and then posted: the case's caseworker and
    // supervisors only. `{who}` gives each caller a form key of their own.
    let payment = [
        ("case_number", world.case_a),
        ("kind", "payment"),
        ("amount", "10.00"),
        ("date", day.as_str()),
        ("source", "direct"),
        ("reference", ""),
        ("reason", ""),
        ("entry", ""),
    ];
    let order = [
        ("case_number", world.case_a),
        ("date", day.as_str()),
        ("frequency", "monthly"),
        ("child_support", "300"),
        ("medical_support", ""),
        ("arrears_payment", ""),
        ("reference", "ORDER-1"),
        ("reason", "New order"),
    ];
    let staff_on_case = vec![AssignedCaseworker, Supervisor];
    table.push(("review_posting", payment.to_vec(), staff_on_case.clone()));
    table.push((
        "post_entry",
        [&payment[..], &[("key", "pay-{who}")]].concat(),
        staff_on_case.clone(),
    ));
    table.push(("review_order", order.to_vec(), staff_on_case.clone()));
    table.push((
        "change_order",
        [&order[..], &[("key", "order-{who}")]].concat(),
        staff_on_case,
    ));
    // Parents ask: a plan is the paying parent's; a change of support
    // either parent's.
    let next_week = (support::config().today() + chrono::Days::new(7)).to_string();
    table.push((
        "plan_start",
        vec![("case_number", world.case_a)],
        vec![PayingParent],
    ));
    table.push((
        "ask_plan",
        vec![
            ("case_number", world.case_a),
            ("extra", "25"),
            ("starts_on", next_week.as_str()),
            ("note", ""),
            ("key", "plan-{who}"),
        ],
        vec![PayingParent],
    ));
    table.push((
        "change_start",
        vec![("case_number", world.case_a)],
        vec![PayingParent, ReceivingParent],
    ));
    table.push((
        "ask_change",
        vec![
            ("case_number", world.case_a),
            ("job_loss", "on"),
            ("note", "Laid off"),
            ("key", "change-{who}"),
        ],
        vec![PayingParent, ReceivingParent],
    ));
    table.push((
        "case_requests",
        vec![("case_number", world.case_a)],
        vec![
            PayingParent,
            ReceivingParent,
            AssignedCaseworker,
            Supervisor,
        ],
    ));
    // Every view of a case: its parents, its caseworker and supervisors.
    for view in [
        "case_overview",
        "case_history",
        "case_timeline",
        "case_statement",
    ] {
        table.push((
            view,
            vec![("case_number", world.case_a)],
            vec![
                PayingParent,
                ReceivingParent,
                AssignedCaseworker,
                Supervisor,
            ],
        ));
    }
    check_rows(&world.router, &cookies, &table).await;
    // Requests: a plan (Pat's, request 1) and two changes of support (Pat's
    // 2, Robin's 3), asked above; each parent sees only their own, the
    // other parent of the case none. The agency sets a hearing on Robin's
    // (repeatable, so every allowed caller can) once a supervisor started
    // its review.
    let started = call(
        &world.router,
        "request_step",
        &[("id", "3"), ("step", "start_review"), ("key", "start-3")],
        cookies.last().and_then(|(_, cookie)| cookie.as_deref()),
    )
    .await;
    assert_eq!(error_of(&started), None, "{}", started.body);
    let hearing_at = format!(
        "{}T10:00",
        support::config().today() + chrono::Days::new(20)
    );
    let requests: Vec<Row> = vec![
        (
            "request",
            vec![("id", "1")],
            vec![PayingParent, AssignedCaseworker, Supervisor],
        ),
        (
            "request",
            vec![("id", "3")],
            vec![ReceivingParent, AssignedCaseworker, Supervisor],
        ),
        (
            "request_step",
            vec![
                ("id", "3"),
                ("step", "schedule_hearing"),
                ("hearing_at", hearing_at.as_str()),
                ("place", "Room 2"),
                ("key", "hearing-{who}"),
            ],
            vec![AssignedCaseworker, Supervisor],
        ),
    ];
    check_rows(&world.router, &cookies, &requests).await;
    // The supervisors' desk and the advice editor: theirs alone. (Case A goes to the caseworker
    // it has; a spare caseworker gets a new password, which ends their sessions, not Blair's.)
    let worker_a = world.worker_a.to_string();
    let spare = service::records::add_staff(
        &world.db,
        &service::Attempt::offline(support::config().security),
        None,
        "Dana Spare",
        "dana@agency.example",
        PASSWORD,
        AccountRole::Caseworker,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"))
    .account_id
    .to_string();
    let desk: Vec<Row> = vec![
        ("staff_desk", vec![], vec![Supervisor]),
        (
            "reassign_case",
            vec![("case_number", world.case_a), ("to", &worker_a)],
            vec![Supervisor],
        ),
        (
            "add_staff_member",
            vec![
                ("name", "New {who}"),
                ("email", "new.{who}@agency.example"),
                ("role", "caseworker"),
            ],
            vec![Supervisor],
        ),
        (
            "change_staff",
            vec![("account", &spare), ("change", "new_password")],
            vec![Supervisor],
        ),
        ("advice_editor_rows", vec![], vec![Supervisor]),
        (
            "advice_editor",
            vec![("slug", "documents"), ("locale", "en")],
            vec![Supervisor],
        ),
        (
            "save_advice",
            vec![
                ("slug", "documents"),
                ("locale", "en"),
                ("based_on", "1"),
                ("fields[title]", "Drafted by {who}"),
                ("intent", "preview"),
            ],
            vec![Supervisor],
        ),
    ];
    check_rows(&world.router, &cookies, &desk).await;
    // Case B is no one's but its own people's: a case number from a URL
    // opens nothing else, and one that does not exist looks the same.
    for (who, cookie) in &cookies[1..] {
        for case in [world.case_b, "CS-NO-SUCH"] {
            let page = call(
                &world.router,
                "case_overview",
                &[("case_number", case)],
                cookie.as_deref(),
            )
            .await;
            let error = error_of(&page);
            match (who, case) {
                (OtherCaseParent, "CS-TEST-000002")
                | (UnassignedCaseworker, "CS-TEST-000002")
                | (Supervisor, "CS-TEST-000002") => {
                    assert_eq!(error, None, "{who:?} on {case}")
                }
                (Supervisor, _) => assert_eq!(error, Some(AppError::NotFound)),
                _ => assert_eq!(error, forbidden, "{who:?} on {case}"),
            }
        }
    }
    // Staff opening a case is on its audit log.
    let actions = audit_actions(&world.db).await;
    assert!(actions.contains(&"case_opened".into()), "{actions:?}");
}

/// Calls every row's function as every caller: the allowed ones get an
/// answer, anonymous callers "sign in", everyone else "forbidden".
async fn check_rows(router: &Router, cookies: &[(Who, Option<String>)], table: &[Row<'_>]) {
    let denied_anonymous = Some(AppError::SignInRequired);
    let forbidden = Some(AppError::Forbidden);
    for (function, args, allowed) in table {
        for (who, cookie) in cookies {
            let named = format!("{who:?}");
            let args: Vec<(&str, String)> = args
                .iter()
                .map(|(name, value)| (*name, value.replace("{who}", &named)))
                .collect();
            let args: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
            let page = call(router, function, &args, cookie.as_deref()).await;
            let error = error_of(&page);
            if let Some(error) = &error {
                assert_eq!(page.status, error.status(), "{function} as {who:?}");
                assert_ne!(
                    page.status,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "{function} as {who:?}"
                );
            }
            if allowed.contains(who) {
                assert_eq!(
                    error, None,
                    "{function} as {who:?} should be allowed: {}",
                    page.body
                );
            } else if *who == Who::Anonymous {
                assert_eq!(error, denied_anonymous, "{function} as {who:?}");
            } else {
                assert_eq!(error, forbidden, "{function} as {who:?}");
            }
        }
    }
}

async fn the_audit_log_cannot_be_changed(test: TestDb) {
    use sea_orm::ConnectionTrait;
    let world = world(test.db).await;
    sign_in(&world, "pat@example.com").await;
    for statement in [
        "UPDATE audit_events SET action = 'nothing'",
        "DELETE FROM audit_events",
    ] {
        let refused = world.db.execute_unprepared(statement).await;
        assert!(refused.is_err(), "{statement} was allowed");
    }
    assert!(!audit_actions(&world.db).await.is_empty());
}

/// A page as a browser asks for it.
async fn get_page(router: &Router, uri: &str, cookie: Option<&str>) -> Page {
    let mut request = Request::get(uri)
        .header(header::HOST, "portal.test")
        .header(header::ACCEPT, "text/html,application/xhtml+xml");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    send(
        router,
        request
            .body(Body::empty())
            .unwrap_or_else(|e| panic!("{e}")),
    )
    .await
}

async fn pages_send_visitors_to_sign_in_and_refuse_other_cases_by_url(test: TestDb) {
    let world = world(test.db).await;
    let home = get_page(&world.router, "/", None).await;
    assert_eq!(home.status, StatusCode::OK);
    assert_eq!(
        session_cookie(&home),
        None,
        "no session for a visitor who did nothing"
    );

    let dashboard = get_page(&world.router, "/dashboard", None).await;
    assert_eq!(dashboard.status, StatusCode::FOUND, "{}", dashboard.body);
    assert_eq!(
        dashboard
            .headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok()),
        Some("/login?next=%2Fdashboard")
    );
    // A client that does not ask for HTML (a script, a load tester) is sent
    // to sign in too, never given an empty page.
    let plain = get(&world.router, "/dashboard").await;
    assert_eq!(
        (plain.status, plain.headers.get(header::LOCATION)),
        (
            StatusCode::FOUND,
            Some(&http::HeaderValue::from_static("/login?next=%2Fdashboard"))
        ),
        "{}",
        plain.body
    );
    let login = get_page(&world.router, "/login?next=%2Fdashboard", None).await;
    assert_eq!(login.status, StatusCode::OK);
    assert!(
        login.body.contains(r#"name="email""#)
            && login.body.contains(r#"autocomplete="current-password""#)
    );

    let cookie = sign_in(&world, "pat@example.com").await;
    let mine = get_page(
        &world.router,
        &format!("/cases/{}", world.case_a),
        Some(&cookie),
    )
    .await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(
        mine.body.contains("the paying parent") && mine.body.contains("Kim"),
        "{}",
        mine.body
    );
    // Typing /logout offers the button; it does not sign out by itself.
    let logout = get_page(&world.router, "/logout", Some(&cookie)).await;
    assert_eq!(logout.status, StatusCode::OK);
    assert!(
        logout
            .body
            .contains("Sign out of the portal on this device"),
        "{}",
        logout.body
    );
    assert_eq!(
        error_of(&call(&world.router, "my_cases", &[], Some(&cookie)).await),
        None
    );
    let theirs = get_page(
        &world.router,
        &format!("/cases/{}", world.case_b),
        Some(&cookie),
    )
    .await;
    assert_eq!(theirs.status, StatusCode::FORBIDDEN);
    assert!(theirs.body.contains("Not your case") && !theirs.body.contains("Alex Other"));
}

/// A plain HTML form post: the browser follows redirects.
async fn post_form(router: &Router, function: &str, body: String, referer: &str) -> Page {
    post_form_from(router, function, body, Some(referer)).await
}

/// A plain HTML form post, with the page it came from if the browser says.
async fn post_form_from(
    router: &Router,
    function: &str,
    body: String,
    referer: Option<&str>,
) -> Page {
    let mut request = Request::post(format!("/api/{function}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::HOST, "portal.test")
        .header(header::ORIGIN, "http://portal.test");
    if let Some(referer) = referer {
        request = request.header(header::REFERER, referer);
    }
    let request = request
        .body(Body::from(body))
        .unwrap_or_else(|e| panic!("{e}"));
    send(router, request).await
}

async fn forms_work_without_javascript(test: TestDb) {
    let world = world(test.db).await;
    let referer = "http://portal.test/login?next=%2Fcases%2FCS-TEST-000001";
    let wrong = post_form(
        &world.router,
        "sign_in",
        "email=pat%40example.com&password=nope&next=".into(),
        referer,
    )
    .await;
    assert_eq!(wrong.status, StatusCode::FOUND);
    let back = wrong
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        back.starts_with("http://portal.test/login?next=") && back.contains("__err="),
        "{back}"
    );
    // A browser that keeps the page it came from to itself is still sent
    // on (home), not shown the error's JSON under its status.
    let unreferred = post_form_from(
        &world.router,
        "sign_in",
        "email=pat%40example.com&password=nope&next=".into(),
        None,
    )
    .await;
    assert_eq!(unreferred.status, StatusCode::FOUND, "{}", unreferred.body);
    // The form page, opened at that address, shows the error.
    let path = back.trim_start_matches("http://portal.test");
    let page = get_page(&world.router, path, None).await;
    assert!(
        page.body.contains("do not match an account"),
        "{}",
        page.body
    );

    let body = format!(
        "email=pat%40example.com&password={}&next=%2Fcases%2FCS-TEST-000001",
        urlencode(PASSWORD)
    );
    let right = post_form(&world.router, "sign_in", body, referer).await;
    assert_eq!(right.status, StatusCode::FOUND);
    assert_eq!(
        right
            .headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok()),
        Some("/cases/CS-TEST-000001")
    );
    assert!(session_cookie(&right).is_some());
}

async fn the_demo_accounts_sign_in_and_the_demo_pins_activate(test: TestDb) {
    use server::seed::demo::{self, DEMO_PASSWORD, DEMO_PINS};
    demo::seed(&test.db, Utc::now().date_naive())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let router = router(test.db.clone());
    let expected = [
        ("paying.parent@example.com", vec!["CS-2020-004172"]),
        (
            "two.cases@example.com",
            vec!["CS-2021-005560", "CS-2022-006013"],
        ),
        ("behind.parent@example.com", vec!["CS-2019-002931"]),
        ("erin.walsh@example.com", vec!["CS-2018-001205"]),
        ("olivia.price@example.com", vec!["CS-2016-000388"]),
        ("supervisor@example.com", demo::CASE_NUMBERS.to_vec()),
    ];
    for (email, cases) in expected {
        let page = try_sign_in(&router, email, DEMO_PASSWORD).await;
        let cookie = session_cookie(&page).unwrap_or_else(|| panic!("{email}: {}", page.body));
        let mine = call(&router, "my_cases", &[], Some(&cookie)).await;
        for case in cases {
            assert!(
                mine.body.contains(case),
                "{email} should see {case}: {}",
                mine.body
            );
        }
    }
    for (who, pin) in DEMO_PINS {
        let email = format!("{}@example.com", who.to_lowercase().replace(' ', "."));
        let page = call(
            &router,
            "activate",
            &activation(
                "CS-2025-007741",
                pin,
                &email,
                "lanterns over the quiet harbor",
            ),
            None,
        )
        .await;
        assert_eq!(error_of(&page), None, "{who}: {}", page.body);
    }
}

async fn huge_and_malformed_input_is_refused_at_its_field(test: TestDb) {
    let world = world(test.db).await;
    let huge = "x".repeat(10_000);
    let email = format!("{huge}@example.com");
    let page = try_sign_in(&world.router, &email, PASSWORD).await;
    assert_eq!(
        error_of(&page),
        Some(AppError::invalid(Field::Email, Problem::TooLong))
    );
    let page = try_sign_in(&world.router, "pat@example.com", &huge).await;
    assert_eq!(error_of(&page), Some(AppError::SignInRefused));

    let page = try_activation(&world, &huge, &huge, &email, &huge).await;
    assert_eq!(
        support::problems(error_of(&page)),
        [
            (Field::CaseNumber, Problem::TooLong),
            (Field::Pin, Problem::TooLong),
            (Field::Email, Problem::TooLong),
            (Field::Password, Problem::TooLong),
        ]
    );

    // A person id that is not a number is the client's mistake, not a server failure.
    let cookie = sign_in(&world, "casey@agency.example").await;
    let page = call(
        &world.router,
        "issue_pin",
        &[("case_number", world.case_a), ("person", "abc")],
        Some(&cookie),
    )
    .await;
    assert!(
        page.status.is_client_error(),
        "{} {}",
        page.status,
        page.body
    );
}
