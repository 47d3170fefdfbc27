//! Read as an attacker would: floods of sign-ins, ranges of millions of
//! months, one code used twice at once. On SQLite and on PostgreSQL.

mod support;

use std::net::SocketAddr;

use app::error::{AppError, Field, Problem};
use app::server::AppState;
use axum::Router;
use chrono::Utc;
use entity::audit_events;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use server::config::Config;
use support::{audit_count, call_from, date, error_of, get_as, on_record, sign_in_as, TestDb};

on_both_databases!(
    a_blocked_address_is_answered_without_hashing_and_counted_not_logged_each,
    beyond_the_portal_s_limit_people_are_asked_to_wait_without_hashing,
    a_range_outside_the_case_s_life_is_refused_at_its_field,
    behind_a_trusted_proxy_each_client_is_counted_on_its_own,
    ipv6_clients_are_counted_per_64,
    staff_reads_and_refused_attempts_are_on_the_case_s_record,
    over_https_the_cookie_is_host_only_and_browsers_keep_to_https,
    another_site_cannot_sign_someone_out_or_change_their_language,
    production_will_not_serve_the_demo_data,
    staff_lists_come_a_page_at_a_time,
);

const PASSWORD: &str = "maple syrup on tuesdays";
const CASE: &str = "CS-ABUSE-000001";

/// One case opened in March 2024, its paying parent with an account, and the
/// server's state (to read its gate) beside its router.
struct World {
    state: AppState,
    router: Router,
    db: DatabaseConnection,
}

async fn world(db: DatabaseConnection, config: &Config) -> World {
    let parents = (
        on_record::person(&db, "Pat Payer").await,
        on_record::person(&db, "Robin Receiver").await,
    );
    on_record::case(&db, CASE, None, date(2024, 3, 15), parents).await;
    on_record::parent_account(&db, parents.0, "pat@example.com", PASSWORD).await;
    let state = server::app_state(config, db.clone(), db.clone());
    World {
        router: server::router(state.clone()).unwrap_or_else(|e| panic!("{e}")),
        state,
        db,
    }
}

impl World {
    /// What the gate counted of blocked addresses, written to the audit log.
    async fn write_down_blocked_attempts(&self) {
        self.state
            .credential_gate
            .record(&self.db, Utc::now())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }

    /// How many audit lines say `detail` and match `about`.
    async fn audit_lines(&self, detail: &str, about: sea_orm::sea_query::SimpleExpr) -> u64 {
        audit_events::Entity::find()
            .filter(audit_events::Column::Detail.eq(detail))
            .filter(about)
            .count(&self.db)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }
}

async fn sign_in_from(world: &World, address: SocketAddr, password: &str) -> support::Page {
    call_from(
        &world.router,
        "sign_in",
        &[("email", "pat@example.com"), ("password", password)],
        None,
        Some(address),
    )
    .await
}

async fn a_blocked_address_is_answered_without_hashing_and_counted_not_logged_each(test: TestDb) {
    let mut config = support::config();
    config.security.failures_per_address = 3;
    config.security.lockout_after = 100;
    let world = world(test.db, &config).await;
    let prober: SocketAddr = ([203, 0, 113, 7], 50_000).into();
    for _ in 0..3 {
        let page = sign_in_from(&world, prober, "a guess").await;
        assert_eq!(error_of(&page), Some(AppError::SignInRefused));
    }
    let hashed = world.state.credential_gate.hashed();
    let logged = audit_count(&world.db, "sign_in_failed").await;
    for _ in 0..25 {
        let page = sign_in_from(&world, prober, "a guess").await;
        assert_eq!(error_of(&page), Some(AppError::SignInRefused));
    }
    let right = sign_in_from(&world, prober, PASSWORD).await;
    assert_eq!(error_of(&right), Some(AppError::SignInRefused));
    assert_eq!(
        world.state.credential_gate.hashed(),
        hashed,
        "a blocked address costs no hash"
    );
    assert_eq!(
        audit_count(&world.db, "sign_in_failed").await,
        logged,
        "nor an audit row each"
    );
    // Counted, and written down as one row with the count.
    world.write_down_blocked_attempts().await;
    let rows = audit_count(&world.db, "sign_in_failed").await;
    assert_eq!(rows, logged + 1);
    let tally = audit_events::Column::Source.eq("203.0.113.7");
    assert_eq!(
        world
            .audit_lines("address blocked: 26 attempts", tally)
            .await,
        1
    );
}

async fn beyond_the_portal_s_limit_people_are_asked_to_wait_without_hashing(test: TestDb) {
    let mut config = support::config();
    config.security.credential_checks_per_second = 2;
    let world = world(test.db, &config).await;
    // Eight addresses at the same moment, none of them blocked: the portal
    // checks two (three if a second turns meanwhile) and asks the rest to wait.
    let sends: Vec<_> = (0..8u8)
        .map(|i| {
            let address: SocketAddr = ([198, 51, 100, i], 50_000).into();
            let router = world.router.clone();
            tokio::spawn(async move {
                let fields = [("email", "pat@example.com"), ("password", "a guess")];
                error_of(&call_from(&router, "sign_in", &fields, None, Some(address)).await)
            })
        })
        .collect();
    let mut answers = Vec::new();
    for send in sends {
        answers.push(send.await.unwrap_or_else(|e| panic!("{e}")));
    }
    let busy = answers
        .iter()
        .filter(|a| **a == Some(AppError::Busy))
        .count();
    let checked = answers
        .iter()
        .filter(|a| **a == Some(AppError::SignInRefused))
        .count();
    assert!(busy >= 4 && busy + checked == 8, "{answers:?}");
    assert_eq!(
        world.state.credential_gate.hashed(),
        checked as u64,
        "only what was checked was hashed"
    );
}

async fn a_range_outside_the_case_s_life_is_refused_at_its_field(test: TestDb) {
    let config = support::config();
    let world = world(test.db, &config).await;
    let cookie = sign_in_as(&world.router, "pat@example.com", PASSWORD).await;
    let history = |from: &'static str| {
        let (router, cookie) = (world.router.clone(), cookie.clone());
        async move {
            call_from(
                &router,
                "case_history",
                &[("case_number", CASE), ("from", from), ("to", "")],
                Some(&cookie),
                None,
            )
            .await
        }
    };
    for (from, problem) in [
        ("0001-01-01", Problem::BeforeCaseOpened),
        ("+262143-01-01", Problem::NotADate),
        ("12024-01-01", Problem::NotADate),
        ("9999-12-31", Problem::InTheFuture),
    ] {
        let page = history(from).await;
        assert_eq!(
            error_of(&page),
            Some(AppError::invalid(Field::From, problem)),
            "{from}"
        );
    }
    // A day of a year the case lived is moved to its opening.
    let early = history("2024-01-01").await;
    assert_eq!(error_of(&early), None, "{}", early.body);
    assert!(
        early.body.contains("\"from\":\"2024-03-15\""),
        "{}",
        early.body
    );
    // The CSV and the pages answer the same.
    // The pages say so at the field; the CSV is refused as a mistake.
    for uri in [
        format!("/cases/{CASE}/months?from=0001-01-01"),
        format!("/cases/{CASE}/statement?from=0001-01-01"),
    ] {
        let page = get_as(&world.router, &uri, &cookie).await;
        assert_eq!(page.status, http::StatusCode::OK, "{uri}");
        assert!(
            page.body
                .contains("This date is before the case was opened."),
            "{uri}"
        );
    }
    let csv = get_as(
        &world.router,
        &format!("/cases/{CASE}/history.csv?from=0001-01-01"),
        &cookie,
    )
    .await;
    assert_eq!(csv.status, http::StatusCode::UNPROCESSABLE_ENTITY);
}

/// A sign-in through a proxy at `proxy` that says it forwards `client`.
async fn sign_in_through(
    world: &World,
    proxy: SocketAddr,
    client: &str,
    password: &str,
) -> support::Page {
    let mut request = support::call_request(
        "sign_in",
        &[("email", "pat@example.com"), ("password", password)],
        None,
    );
    request.headers_mut().insert(
        "x-forwarded-for",
        client.parse().unwrap_or_else(|e| panic!("{e}")),
    );
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(proxy));
    support::send(&world.router, request).await
}

async fn behind_a_trusted_proxy_each_client_is_counted_on_its_own(test: TestDb) {
    let mut config = support::config();
    config.security.failures_per_address = 3;
    config.security.lockout_after = 100;
    config.security.trusted_proxies = vec!["10.0.0.0/8".into()];
    let world = world(test.db, &config).await;
    let proxy: SocketAddr = ([10, 0, 0, 2], 40_000).into();
    // One prober behind the agency's proxy is blocked …
    for _ in 0..3 {
        let page = sign_in_through(&world, proxy, "203.0.113.7", "a guess").await;
        assert_eq!(error_of(&page), Some(AppError::SignInRefused));
    }
    let prober = sign_in_through(&world, proxy, "203.0.113.7", PASSWORD).await;
    assert_eq!(error_of(&prober), Some(AppError::SignInRefused));
    // … and the parent behind the same proxy is not.
    let parent = sign_in_through(&world, proxy, "198.51.100.2", PASSWORD).await;
    assert_eq!(error_of(&parent), None, "{}", parent.body);
    let from_client = entity::audit_events::Entity::find()
        .filter(entity::audit_events::Column::Source.eq("203.0.113.7"))
        .count(&world.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        from_client, 3,
        "the audit log names the client, not the proxy"
    );
    // A connection that is not the proxy cannot claim to be someone else.
    let outsider: SocketAddr = ([192, 0, 2, 50], 40_000).into();
    for _ in 0..3 {
        sign_in_through(&world, outsider, "198.51.100.77", "a guess").await;
    }
    let spoofed = sign_in_through(&world, outsider, "198.51.100.78", PASSWORD).await;
    assert_eq!(
        error_of(&spoofed),
        Some(AppError::SignInRefused),
        "still counted as itself"
    );
}

async fn ipv6_clients_are_counted_per_64(test: TestDb) {
    let mut config = support::config();
    config.security.failures_per_address = 3;
    config.security.lockout_after = 100;
    let world = world(test.db, &config).await;
    let at = |text: &str| -> SocketAddr {
        format!("[{text}]:443")
            .parse()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    // A phone hops between addresses of its /64.
    for host in [
        "2001:db8:1:2::1",
        "2001:db8:1:2::99",
        "2001:db8:1:2:ffff::7",
    ] {
        sign_in_from(&world, at(host), "a guess").await;
    }
    let same_block = sign_in_from(&world, at("2001:db8:1:2::abcd"), PASSWORD).await;
    assert_eq!(error_of(&same_block), Some(AppError::SignInRefused));
    let next_block = sign_in_from(&world, at("2001:db8:1:3::1"), PASSWORD).await;
    assert_eq!(error_of(&next_block), None, "{}", next_block.body);
    // What the block tried while blocked is one tally, not one per address.
    sign_in_from(&world, at("2001:db8:1:2::beef"), "a guess").await;
    world.write_down_blocked_attempts().await;
    let tally = audit_events::Column::SourceBlock.eq("2001:db8:1:2::/64");
    assert_eq!(
        world
            .audit_lines("address blocked: 2 attempts", tally)
            .await,
        1
    );
}

/// A GET as a browser at `address` sends it, signed in with `cookie`.
async fn get_from(router: &Router, uri: &str, cookie: &str, address: SocketAddr) -> support::Page {
    let mut request = http::Request::get(uri)
        .header(http::header::COOKIE, cookie)
        .body(axum::body::Body::empty())
        .unwrap_or_else(|e| panic!("{e}"));
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(address));
    support::send(router, request).await
}

async fn staff_reads_and_refused_attempts_are_on_the_case_s_record(test: TestDb) {
    use server::seed::demo::{self, DEMO_PASSWORD};
    demo::seed(&test.db, Utc::now().date_naive())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let router = support::router(test.db.clone());
    let desk: SocketAddr = ([192, 0, 2, 10], 50_000).into();
    let case = "CS-2020-004172";
    let alex = sign_in_as(&router, "caseworker@example.com", DEMO_PASSWORD).await;
    for function in ["case_history", "case_statement", "case_timeline"] {
        let page = call_from(
            &router,
            function,
            &[("case_number", case)],
            Some(&alex),
            Some(desk),
        )
        .await;
        assert_eq!(error_of(&page), None, "{function}: {}", page.body);
    }
    let csv = get_from(&router, &format!("/cases/{case}/history.csv"), &alex, desk).await;
    assert_eq!(csv.status, http::StatusCode::OK);
    // The parent reading their own case is not staff: not recorded.
    let dana = sign_in_as(&router, "receiving.parent@example.com", DEMO_PASSWORD).await;
    call_from(
        &router,
        "case_history",
        &[("case_number", case)],
        Some(&dana),
        Some(desk),
    )
    .await;
    // A parent trying someone else's case, and a case that does not exist.
    let marcus = sign_in_as(&router, "paying.parent@example.com", DEMO_PASSWORD).await;
    let prying: SocketAddr = ([198, 51, 100, 66], 50_000).into();
    for number in ["CS-2019-002931", "CS-2099-000001"] {
        let page = call_from(
            &router,
            "case_overview",
            &[("case_number", number)],
            Some(&marcus),
            Some(prying),
        )
        .await;
        assert_eq!(error_of(&page), Some(AppError::Forbidden), "{number}");
    }
    let elsewhere = get_from(
        &router,
        "/cases/CS-2019-002931/history.csv",
        &marcus,
        prying,
    )
    .await;
    assert_eq!(elsewhere.status, http::StatusCode::FORBIDDEN);

    let rows = entity::audit_events::Entity::find()
        .all(&test.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let alex_person = support::account_of(&test.db, "caseworker@example.com")
        .await
        .person_id;
    let marcus_person = support::account_of(&test.db, "paying.parent@example.com")
        .await
        .person_id;
    for action in [
        "history_read",
        "statement_read",
        "timeline_read",
        "history_exported",
    ] {
        let found: Vec<_> = rows.iter().filter(|r| r.action == action).collect();
        assert_eq!(found.len(), 1, "{action}: {found:?}");
        assert_eq!(found[0].actor_id, Some(alex_person));
        assert_eq!(
            found[0].source.as_deref(),
            Some("192.0.2.10"),
            "{action}: where from"
        );
    }
    let refused: Vec<_> = rows
        .iter()
        .filter(|r| r.action == "access_refused")
        .collect();
    assert_eq!(refused.len(), 3, "{refused:?}");
    assert!(
        refused
            .iter()
            .all(|r| r.actor_id == Some(marcus_person)
                && r.source.as_deref() == Some("198.51.100.66"))
    );
    assert!(refused
        .iter()
        .any(|r| r.case_id.is_none() && r.detail.as_deref() == Some("view: CS-2099-000001")));

    // The case's own audit view shows who read it.
    let file: app::caseworker::model::CaseFile =
        support::answer(&router, "case_file", &[("case_number", case)], &alex).await;
    let actions: Vec<&str> = file.audit.iter().map(|line| line.action.as_str()).collect();
    for action in [
        "history_read",
        "statement_read",
        "timeline_read",
        "history_exported",
    ] {
        assert!(actions.contains(&action), "{action}: {actions:?}");
    }
}

fn header<'a>(page: &'a support::Page, name: &str) -> Option<&'a str> {
    page.headers.get(name).and_then(|v| v.to_str().ok())
}

async fn over_https_the_cookie_is_host_only_and_browsers_keep_to_https(test: TestDb) {
    let mut config = support::config();
    let plain = world(test.db.clone(), &config).await;
    let home = support::get(&plain.router, "/").await;
    assert_eq!(
        header(&home, "strict-transport-security"),
        None,
        "not over http"
    );

    config.security.secure_cookies = true;
    let secure = world_on(test.db, &config);
    let home = support::get(&secure.router, "/").await;
    assert_eq!(
        header(&home, "strict-transport-security"),
        Some("max-age=31536000; includeSubDomains")
    );
    let signed_in = sign_in_from(&secure, ([198, 51, 100, 2], 443).into(), PASSWORD).await;
    let cookie = header(&signed_in, "set-cookie").unwrap_or_default();
    assert!(cookie.starts_with("__Host-portal_session="), "{cookie}");
    assert!(
        cookie.contains("Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Domain"), "{cookie}");
}

/// The router of another configuration on the same database.
fn world_on(db: DatabaseConnection, config: &Config) -> World {
    let state = server::app_state(config, db.clone(), db.clone());
    World {
        router: server::router(state.clone()).unwrap_or_else(|e| panic!("{e}")),
        state,
        db,
    }
}

/// Whether the answer sets the language cookie.
fn sets_language(page: &support::Page) -> bool {
    page.headers
        .get_all(http::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|cookie| cookie.starts_with("i18n_pref_locale=es"))
}

/// A link followed to `uri`, from `site` (`Sec-Fetch-Site`).
async fn follow(world: &World, uri: &str, cookie: &str, site: &str) -> support::Page {
    let request = http::Request::get(uri)
        .header(http::header::COOKIE, cookie)
        .header(http::header::HOST, "portal.test")
        .header("sec-fetch-site", site)
        .body(axum::body::Body::empty())
        .unwrap_or_else(|e| panic!("{e}"));
    support::send(&world.router, request).await
}

async fn another_site_cannot_sign_someone_out_or_change_their_language(test: TestDb) {
    let config = support::config();
    let world = world(test.db, &config).await;
    let cookie = sign_in_as(&world.router, "pat@example.com", PASSWORD).await;
    let still_signed_in = |cookie: String| {
        let router = world.router.clone();
        async move { error_of(&support::call(&router, "my_cases", &[], Some(&cookie)).await).is_none() }
    };
    // A link on another site: sent on, nothing changed.
    let language = follow(
        &world,
        "/language/es?next=/dashboard",
        &cookie,
        "cross-site",
    )
    .await;
    assert_eq!(header(&language, "location"), Some("/dashboard"));
    assert!(!sets_language(&language), "the language stays");
    let leave = follow(&world, "/leave", &cookie, "cross-site").await;
    assert_eq!(header(&leave, "location"), Some("https://www.weather.gov/"));
    assert_eq!(header(&leave, "clear-site-data"), None);
    assert!(
        still_signed_in(cookie.clone()).await,
        "not signed out by another site"
    );
    // The same links on the portal itself do what they say.
    let language = follow(
        &world,
        "/language/es?next=/dashboard",
        &cookie,
        "same-origin",
    )
    .await;
    assert!(sets_language(&language));
    let leave = follow(&world, "/leave", &cookie, "same-origin").await;
    assert!(header(&leave, "clear-site-data").is_some());
    assert!(!still_signed_in(cookie).await);
}

async fn production_will_not_serve_the_demo_data(test: TestDb) {
    assert!(server::serve::refuse_demo_data(&test.db).await.is_ok());
    server::seed::demo::seed(&test.db, Utc::now().date_naive())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        server::serve::refuse_demo_data(&test.db).await,
        Err(server::serve::ServeError::DemoData(accounts)) if accounts > 5
    ));
}

async fn staff_lists_come_a_page_at_a_time(test: TestDb) {
    use app::messages::model::{Inbox, WorkList};
    use server::seed::demo::{self, DEMO_PASSWORD};
    demo::seed(&test.db, Utc::now().date_naive())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let router = support::router(test.db.clone());
    let dana = sign_in_as(&router, "receiving.parent@example.com", DEMO_PASSWORD).await;
    for n in 0..55 {
        let key = format!("k-flood-{n}");
        let body = format!("Question {n}");
        let page = support::call(
            &router,
            "start_conversation",
            &[
                ("case_number", "CS-2020-004172"),
                ("topic", "missing_payment"),
                ("body", &body),
                ("key", &key),
            ],
            Some(&dana),
        )
        .await;
        assert_eq!(error_of(&page), None, "{}", page.body);
    }
    let alex = sign_in_as(&router, "caseworker@example.com", DEMO_PASSWORD).await;
    let first: WorkList = support::answer(&router, "work_list", &[], &alex).await;
    assert_eq!(first.items.len(), 50);
    assert_eq!((first.paging.page, first.paging.pages), (1, 2));
    let second: WorkList = support::answer(&router, "work_list", &[("page", "2")], &alex).await;
    assert_eq!(second.items.len() as u64, first.paging.matching - 50);
    assert!(second
        .items
        .iter()
        .all(|item| !first.items.iter().any(|f| f.thread == item.thread)));

    let supervisor = sign_in_as(&router, "supervisor@example.com", DEMO_PASSWORD).await;
    let inbox: Inbox = support::answer(&router, "my_messages", &[], &supervisor).await;
    assert_eq!(inbox.threads.len(), 50);
    assert!(inbox.paging.pages >= 2);

    let file: app::caseworker::model::CaseFile = support::answer(
        &router,
        "case_file",
        &[("case_number", "CS-2020-004172")],
        &alex,
    )
    .await;
    assert_eq!(file.audit.len(), 50);
    assert!(file.audit_paging.matching > 55);
    let page = get_as(&router, "/caseload/CS-2020-004172?audit_page=2", &alex).await;
    assert!(
        page.body.contains("?audit%5Fpage=1\">"),
        "a link back to the newest"
    );
}
