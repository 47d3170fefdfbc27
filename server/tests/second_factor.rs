//! The optional second step at sign-in (TOTP and recovery codes), and the
//! agency's rule that staff must use it, on SQLite and on PostgreSQL.

mod support;

use app::account::model::SecuritySettings;
use app::account::service;
use app::error::{AppError, Field, Problem};
use app::reader::AccountRole;
use app::server::secret;
use axum::Router;
use chrono::Utc;
use http::header;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use server::seed::records;
use support::{
    call, error_of, on_record, router, router_with, session_cookie, try_sign_in, TestDb,
};
use totp_rs::{Algorithm, Builder, Secret};

on_both_databases!(
    a_parent_turns_on_the_second_step_and_signs_in_with_a_code_once,
    a_lost_phone_is_what_recovery_codes_are_for,
    staff_must_set_up_the_second_step_when_the_agency_says_so,
    one_code_sent_twice_at_the_same_moment_signs_in_once,
    a_changed_credential_ends_the_other_sessions_and_sign_out_everywhere_ends_all,
    a_pin_reset_asks_for_the_second_step_and_tells_the_old_address,
    a_pin_never_resets_a_staff_account,
);

const PASSWORD: &str = "maple syrup on tuesdays";

async fn parent(test: &TestDb, email: &str) {
    let person = on_record::person(&test.db, "Pat Payer").await;
    on_record::parent_account(&test.db, person, email, PASSWORD).await;
}

async fn settings(router: &Router, cookie: &str) -> SecuritySettings {
    let page = call(router, "my_security", &[], Some(cookie)).await;
    serde_json::from_str(&page.body).unwrap_or_else(|e| panic!("{}: {e}", page.body))
}

/// The code an authenticator app shows `seconds_ahead` from now.
fn app_code(key: &str, seconds_ahead: i64) -> String {
    let secret = Secret::try_from_base32(key.replace(' ', "")).unwrap_or_else(|e| panic!("{e:?}"));
    let totp = Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(30)
        .with_secret(secret)
        .build()
        .unwrap_or_else(|e| panic!("{e:?}"));
    totp.generate((Utc::now().timestamp() + seconds_ahead) as u64)
        .to_string()
}

/// Signs in and turns the second step on; returns the key and the recovery codes.
async fn enrol(router: &Router, email: &str) -> (String, Vec<String>) {
    let signed_in = try_sign_in(router, email, PASSWORD).await;
    let cookie = session_cookie(&signed_in).unwrap_or_else(|| panic!("{}", signed_in.body));
    assert_eq!(
        error_of(&call(router, "start_second_factor", &[], Some(&cookie)).await),
        None
    );
    let pending = settings(router, &cookie)
        .await
        .pending
        .unwrap_or_else(|| panic!("no key to scan"));
    assert!(pending.qr_image.starts_with("data:image/svg+xml;base64,"));

    let wrong = call(
        router,
        "confirm_second_factor",
        &[("code", "000000"), ("password", PASSWORD)],
        Some(&cookie),
    )
    .await;
    assert_eq!(
        error_of(&wrong),
        Some(AppError::invalid(Field::Code, Problem::WrongCode))
    );
    // Turning it on takes the password too (someone at an unlocked screen
    // cannot put their own phone on the account).
    let code = app_code(&pending.key, 0);
    let no_password = call(
        router,
        "confirm_second_factor",
        &[("code", &code), ("password", "not the password")],
        Some(&cookie),
    )
    .await;
    assert_eq!(
        error_of(&no_password),
        Some(AppError::invalid(Field::Password, Problem::WrongPassword))
    );
    let right = call(
        router,
        "confirm_second_factor",
        &[("code", &code), ("password", PASSWORD)],
        Some(&cookie),
    )
    .await;
    assert_eq!(error_of(&right), None, "{}", right.body);

    // The codes ride to the page in a sealed cookie, stored nowhere.
    let with_codes = support::cookies_after(&cookie, &right);
    let shown = call(router, "my_security", &[], Some(&with_codes)).await;
    let now_on: SecuritySettings =
        serde_json::from_str(&shown.body).unwrap_or_else(|e| panic!("{}: {e}", shown.body));
    assert!(now_on.second_factor && now_on.pending.is_none());
    assert_eq!(now_on.fresh_recovery_codes.len(), 10);
    assert_eq!(now_on.recovery_codes_left, 10);
    assert!(!with_codes.contains(&now_on.fresh_recovery_codes[0]));
    let after = support::cookies_after(&with_codes, &shown);
    assert!(
        settings(router, &after)
            .await
            .fresh_recovery_codes
            .is_empty(),
        "shown once"
    );
    (pending.key, now_on.fresh_recovery_codes)
}

/// Password, then `code`: the new session's cookie.
async fn both_steps(router: &Router, email: &str, code: &str) -> String {
    let cookie = password_step(router, email).await;
    let page = call(router, "second_step", &[("code", code)], Some(&cookie)).await;
    session_cookie(&page).unwrap_or_else(|| panic!("{}", page.body))
}

/// Password first: the answer sends the person to the second step.
async fn password_step(router: &Router, email: &str) -> String {
    let page = call(
        router,
        "sign_in",
        &[
            ("email", email),
            ("password", PASSWORD),
            ("next", "/dashboard"),
        ],
        None,
    )
    .await;
    assert_eq!(error_of(&page), None, "{}", page.body);
    assert_eq!(
        page.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok()),
        Some("/login/second-step?next=%2Fdashboard")
    );
    let cookie = session_cookie(&page).unwrap_or_else(|| panic!("no session"));
    let half_way = call(router, "my_cases", &[], Some(&cookie)).await;
    assert_eq!(
        error_of(&half_way),
        Some(AppError::SignInRequired),
        "not signed in before the code"
    );
    cookie
}

async fn a_parent_turns_on_the_second_step_and_signs_in_with_a_code_once(test: TestDb) {
    parent(&test, "pat@example.com").await;
    let router = router(test.db.clone());
    let (key, _) = enrol(&router, "pat@example.com").await;
    // The key rests sealed with the agency's key, never as the app has it.
    let stored = support::account_of(&test.db, "pat@example.com")
        .await
        .totp_secret
        .unwrap_or_default();
    assert!(
        stored.starts_with("sealed.v1.") && !stored.contains(&key),
        "{stored}"
    );

    let cookie = password_step(&router, "pat@example.com").await;
    let wrong = call(&router, "second_step", &[("code", "123456")], Some(&cookie)).await;
    assert_eq!(
        error_of(&wrong),
        Some(AppError::invalid(Field::Code, Problem::WrongCode))
    );
    // The next step's code: the current one was spent turning the factor on.
    let code = app_code(&key, 30);
    let done = call(
        &router,
        "second_step",
        &[("code", &code), ("next", "/dashboard")],
        Some(&cookie),
    )
    .await;
    assert_eq!(error_of(&done), None, "{}", done.body);
    let cookie = session_cookie(&done).unwrap_or_else(|| panic!("a new session id"));
    assert_eq!(
        error_of(&call(&router, "my_cases", &[], Some(&cookie)).await),
        None
    );

    // The same code never works twice.
    let again = password_step(&router, "pat@example.com").await;
    let replay = call(&router, "second_step", &[("code", &code)], Some(&again)).await;
    assert_eq!(
        error_of(&replay),
        Some(AppError::invalid(Field::Code, Problem::WrongCode))
    );

    // Turning it off takes the password.
    let signed_in = cookie;
    let failures = |db: sea_orm::DatabaseConnection| async move {
        support::account_of(&db, "pat@example.com")
            .await
            .failed_sign_ins
    };
    let before = failures(test.db.clone()).await;
    let wrong = call(
        &router,
        "disable_second_factor",
        &[("password", "not it at all")],
        Some(&signed_in),
    )
    .await;
    assert_eq!(
        error_of(&wrong),
        Some(AppError::invalid(Field::Password, Problem::WrongPassword))
    );
    // Counted like a wrong password at sign-in: a stolen session cannot
    // guess it without end.
    assert_eq!(failures(test.db.clone()).await, before + 1);
    let off = call(
        &router,
        "disable_second_factor",
        &[("password", PASSWORD)],
        Some(&signed_in),
    )
    .await;
    assert_eq!(error_of(&off), None, "{}", off.body);
    let plain = try_sign_in(&router, "pat@example.com", PASSWORD).await;
    assert_eq!(
        plain
            .headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok()),
        Some("/dashboard")
    );
}

async fn a_lost_phone_is_what_recovery_codes_are_for(test: TestDb) {
    parent(&test, "pat@example.com").await;
    let router = router(test.db.clone());
    let (_, codes) = enrol(&router, "pat@example.com").await;
    let cookie = password_step(&router, "pat@example.com").await;
    let typed = codes[3].to_lowercase().replace('-', " ");
    let done = call(&router, "second_step", &[("code", &typed)], Some(&cookie)).await;
    assert_eq!(error_of(&done), None, "{}", done.body);
    let signed_in = session_cookie(&done).unwrap_or_default();
    assert_eq!(settings(&router, &signed_in).await.recovery_codes_left, 9);

    let cookie = password_step(&router, "pat@example.com").await;
    let reused = call(
        &router,
        "second_step",
        &[("code", &codes[3])],
        Some(&cookie),
    )
    .await;
    assert_eq!(
        error_of(&reused),
        Some(AppError::invalid(Field::Code, Problem::WrongCode))
    );
    // Wrong codes count towards the lockout like wrong passwords.
    for _ in 0..4 {
        call(&router, "second_step", &[("code", "999999")], Some(&cookie)).await;
    }
    let locked = call(
        &router,
        "second_step",
        &[("code", &codes[4])],
        Some(&cookie),
    )
    .await;
    assert_eq!(error_of(&locked), Some(AppError::SignInRefused));
}

async fn staff_must_set_up_the_second_step_when_the_agency_says_so(test: TestDb) {
    let mut config = support::config();
    config.security.require_mfa_for_staff = true;
    let router = router_with(&config, test.db.clone());
    service::records::add_staff(
        &test.db,
        &service::Attempt::offline(config.security.clone()),
        None,
        "Casey Worker",
        "casey@agency.example",
        PASSWORD,
        AccountRole::Caseworker,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let page = try_sign_in(&router, "casey@agency.example", PASSWORD).await;
    let cookie = session_cookie(&page).unwrap_or_default();
    let blocked = call(&router, "my_cases", &[], Some(&cookie)).await;
    assert_eq!(
        error_of(&blocked),
        Some(AppError::SecondFactorSetupRequired)
    );
    assert_eq!(blocked.status, http::StatusCode::FORBIDDEN);
    assert!(settings(&router, &cookie).await.second_factor_required);
    // A page sends them to set it up, whatever the client accepts.
    let page = support::get_as(&router, "/work", &cookie).await;
    assert_eq!(
        (page.status, page.headers.get(http::header::LOCATION)),
        (
            http::StatusCode::FOUND,
            Some(&http::HeaderValue::from_static("/account/security"))
        ),
        "{}",
        page.body
    );

    let (key, _) = enrol(&router, "casey@agency.example").await;
    let cookie = both_steps(&router, "casey@agency.example", &app_code(&key, 30)).await;
    assert_eq!(
        error_of(&call(&router, "my_cases", &[], Some(&cookie)).await),
        None
    );
    let off = call(
        &router,
        "disable_second_factor",
        &[("password", PASSWORD)],
        Some(&cookie),
    )
    .await;
    assert_eq!(
        error_of(&off),
        Some(AppError::Forbidden),
        "staff cannot turn it off"
    );
}

async fn one_code_sent_twice_at_the_same_moment_signs_in_once(test: TestDb) {
    parent(&test, "pat@example.com").await;
    let router = router(test.db.clone());
    let (key, codes) = enrol(&router, "pat@example.com").await;
    // The next step's code, then a recovery code: each sent by two requests
    // at once (a stolen code replayed while its owner uses it).
    for code in [app_code(&key, 30), codes[0].clone()] {
        let (first, second) = (
            password_step(&router, "pat@example.com").await,
            password_step(&router, "pat@example.com").await,
        );
        let send = |cookie: String| {
            let (router, code) = (router.clone(), code.clone());
            async move { call(&router, "second_step", &[("code", &code)], Some(&cookie)).await }
        };
        let (a, b) = tokio::join!(tokio::spawn(send(first)), tokio::spawn(send(second)));
        let answers = [a, b].map(|page| error_of(&page.unwrap_or_else(|e| panic!("{e}"))));
        let signed_in = answers.iter().filter(|a| a.is_none()).count();
        assert_eq!(signed_in, 1, "{code}: {answers:?}");
        assert!(
            answers.contains(&Some(AppError::invalid(Field::Code, Problem::WrongCode))),
            "{answers:?}"
        );
    }
}

/// Whether `cookie` is still a signed-in session.
async fn signed_in(router: &Router, cookie: &str) -> bool {
    error_of(&call(router, "my_cases", &[], Some(cookie)).await).is_none()
}

async fn sign_in_plain(router: &Router, email: &str) -> String {
    let page = try_sign_in(router, email, PASSWORD).await;
    session_cookie(&page).unwrap_or_else(|| panic!("{}", page.body))
}

async fn a_changed_credential_ends_the_other_sessions_and_sign_out_everywhere_ends_all(
    test: TestDb,
) {
    parent(&test, "pat@example.com").await;
    let router = router(test.db.clone());
    let phone = sign_in_plain(&router, "pat@example.com").await;
    let library = sign_in_plain(&router, "pat@example.com").await;
    let (key, codes) = enrol(&router, "pat@example.com").await;
    assert!(
        !signed_in(&router, &phone).await,
        "turning it on ends the others"
    );
    assert!(!signed_in(&router, &library).await);

    let laptop = both_steps(&router, "pat@example.com", &app_code(&key, 30)).await;
    let tablet = both_steps(&router, "pat@example.com", &codes[0]).await;
    assert!(signed_in(&router, &laptop).await && signed_in(&router, &tablet).await);
    let off = call(
        &router,
        "disable_second_factor",
        &[("password", PASSWORD)],
        Some(&laptop),
    )
    .await;
    assert_eq!(error_of(&off), None, "{}", off.body);
    assert!(
        signed_in(&router, &laptop).await,
        "the one making the change stays"
    );
    assert!(
        !signed_in(&router, &tablet).await,
        "turning it off ends the others"
    );

    let phone = sign_in_plain(&router, "pat@example.com").await;
    let everywhere = call(&router, "sign_out_everywhere", &[], Some(&laptop)).await;
    assert_eq!(error_of(&everywhere), None, "{}", everywhere.body);
    assert!(!signed_in(&router, &laptop).await && !signed_in(&router, &phone).await);
    let sessions = entity::sessions::Entity::find()
        .filter(entity::sessions::Column::AccountId.is_not_null())
        .count(&test.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sessions, 0);
}

/// A case with `person` as its paying parent, and a PIN issued to them.
async fn pin_for(test: &TestDb, email: &str) -> &'static str {
    let person = support::account_of(&test.db, email).await.person_id;
    let other = on_record::person(&test.db, "Robin Receiver").await;
    let opened_on = support::date(2024, 1, 1);
    let case = on_record::case(&test.db, "CS-2FA-000001", None, opened_on, (person, other)).await;
    let pin = "K7QD-M2ZP-X9RA";
    let hash =
        secret::hash_blocking(&secret::normalize_code(pin)).unwrap_or_else(|e| panic!("{e}"));
    let now = Utc::now();
    records::pin(
        &test.db,
        case,
        person,
        &hash,
        person,
        now,
        now + chrono::Duration::days(3),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    pin
}

fn reset<'a>(pin: &'a str, email: &'a str, code: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("case_number", "CS-2FA-000001"),
        ("pin", pin),
        ("email", email),
        ("password", "a brand new passphrase here"),
        ("confirm_password", "a brand new passphrase here"),
        ("code", code),
    ]
}

/// Activating again with a PIN, the form filled as [`reset`] fills it.
async fn reset_with(router: &Router, pin: &str, email: &str, code: &str) -> support::Page {
    call(router, "activate", &reset(pin, email, code), None).await
}

async fn a_pin_reset_asks_for_the_second_step_and_tells_the_old_address(test: TestDb) {
    parent(&test, "pat@example.com").await;
    let router = router(test.db.clone());
    let (key, codes) = enrol(&router, "pat@example.com").await;
    let kept = both_steps(&router, "pat@example.com", &app_code(&key, 30)).await;
    let pin = pin_for(&test, "pat@example.com").await;

    // Whoever holds the PIN still needs the second step.
    let without = reset_with(&router, pin, "new@example.com", "").await;
    assert_eq!(
        error_of(&without),
        Some(AppError::invalid(Field::Code, Problem::SecondStepOn))
    );
    let wrong = reset_with(&router, pin, "new@example.com", "000000").await;
    assert_eq!(
        error_of(&wrong),
        Some(AppError::invalid(Field::Code, Problem::WrongCode))
    );
    assert_eq!(
        support::account_of(&test.db, "pat@example.com")
            .await
            .failed_sign_ins,
        1
    );
    // The app's codes were all used: a recovery code does as well.
    let done = reset_with(&router, pin, "new@example.com", &codes[1]).await;
    assert_eq!(error_of(&done), None, "{}", done.body);

    assert!(
        !signed_in(&router, &kept).await,
        "the reset ends every session"
    );
    let told = entity::email_outbox::Entity::find()
        .filter(entity::email_outbox::Column::ToAddress.eq("pat@example.com"))
        .count(&test.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(told, 1, "the old address hears of the change");
}

async fn a_pin_never_resets_a_staff_account(test: TestDb) {
    let attempt = service::Attempt::offline(support::config().security);
    service::records::add_staff(
        &test.db,
        &attempt,
        None,
        "Casey Worker",
        "casey@agency.example",
        PASSWORD,
        AccountRole::Caseworker,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let router = router(test.db.clone());
    // A PIN that names the caseworker (a bad row, or a caseworker who is
    // also a parent on some case) does not take over their account.
    let pin = pin_for(&test, "casey@agency.example").await;
    let page = reset_with(&router, pin, "mine@example.com", "").await;
    assert_eq!(error_of(&page), Some(AppError::ActivationRefused));
    let account = support::account_of(&test.db, "casey@agency.example").await;
    assert_eq!(account.email, "casey@agency.example");
}
