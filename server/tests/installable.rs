//! The installed app through the real router: the manifest and service
//! worker, the header that tells the service worker whose pages it keeps,
//! and the language a parent chose following their account to every
//! device — on SQLite and on PostgreSQL.

mod support;

use http::header;
use server::seed::demo::DEMO_PASSWORD;
use support::{account_of, call, error_of, get, get_as, router, sign_in_as, try_sign_in, TestDb};

on_both_databases!(
    the_manifest_and_service_worker_are_served_for_installing,
    every_page_names_its_reader_and_how_the_browser_may_keep_it,
    a_chosen_language_follows_the_account_to_another_device,
);

const PARENT: &str = "receiving.parent@example.com";

fn header_of<'a>(page: &'a support::Page, name: &str) -> Option<&'a str> {
    page.headers.get(name).and_then(|value| value.to_str().ok())
}

/// All `Set-Cookie` values of a response.
fn cookies_set(page: &support::Page) -> Vec<String> {
    page.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok().map(str::to_owned))
        .collect()
}

async fn the_manifest_and_service_worker_are_served_for_installing(test: TestDb) {
    let router = router(test.db);
    let manifest = get(&router, "/manifest.webmanifest").await;
    assert_eq!(manifest.status, 200);
    assert_eq!(
        header_of(&manifest, "content-type"),
        Some("application/manifest+json")
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&manifest.body).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(manifest["name"], support::config().agency.app_name.as_str());
    assert_eq!(manifest["start_url"], "/dashboard");

    let worker = get(&router, "/sw.js").await;
    assert_eq!(worker.status, 200);
    assert!(header_of(&worker, "content-type").is_some_and(|t| t.starts_with("text/javascript")));
    assert_eq!(header_of(&worker, "cache-control"), Some("no-cache"));
    assert!(worker.body.contains("const BUILD = '"));
    for placeholder in ["__BUILD__", "__SHELL_FILES__", "__QUICK_EXIT_URL__"] {
        assert!(
            !worker.body.contains(placeholder),
            "{placeholder} is filled"
        );
    }

    // Every page links the manifest.
    let home = get(&router, "/").await;
    assert!(home
        .body
        .contains(r#"<link rel="manifest" href="/manifest.webmanifest""#));
    // The page the app shows offline for a page it never kept.
    let offline = get(&router, "/offline").await;
    assert_eq!(offline.status, 200);
    assert!(offline
        .body
        .contains("This page is not saved on this device"));
}

async fn every_page_names_its_reader_and_how_the_browser_may_keep_it(test: TestDb) {
    let router = support::demo_router(&test.db).await;
    let visitor = get(&router, "/advice").await;
    assert_eq!(header_of(&visitor, "x-portal-viewer"), Some("none"));

    let cookie = sign_in_as(&router, PARENT, DEMO_PASSWORD).await;
    let account = account_of(&test.db, PARENT).await.id;
    let page = get_as(&router, "/dashboard", &cookie).await;
    let viewer = format!("account-{account}");
    assert_eq!(header_of(&page, "x-portal-viewer"), Some(viewer.as_str()));
    // A personal page stays out of the browser's cache; a public one is
    // asked for again.
    assert_eq!(header_of(&page, "cache-control"), Some("private, no-store"));
    assert_eq!(header_of(&visitor, "cache-control"), Some("no-cache"));
    // Not on what is not a page.
    let worker = get_as(&router, "/sw.js", &cookie).await;
    assert_eq!(header_of(&worker, "x-portal-viewer"), None);

    // Signing out says so on the response that did it.
    let out = call(&router, "sign_out", &[], Some(&cookie)).await;
    assert_eq!(error_of(&out), None);
    let after = get_as(&router, "/dashboard", &cookie).await;
    assert_eq!(header_of(&after, "x-portal-viewer"), Some("none"));

    // Staff pages stay on no device: the worker is told so, not whose.
    let staff = sign_in_as(&router, "caseworker@example.com", DEMO_PASSWORD).await;
    let work = get_as(&router, "/dashboard", &staff).await;
    assert_eq!(header_of(&work, "x-portal-viewer"), Some("staff"));
    assert_eq!(header_of(&work, "cache-control"), Some("private, no-store"));
    // And the worker forgets a parent's pages once the session's idle time
    // has passed.
    let worker = get(&router, "/sw.js").await;
    let idle = support::config().security.session_idle_minutes;
    assert!(worker
        .body
        .contains(&format!("const IDLE_MINUTES = {idle};")));
}

async fn a_chosen_language_follows_the_account_to_another_device(test: TestDb) {
    let router = support::demo_router(&test.db).await;
    // On the phone, signed in, the parent switches to Spanish (no JavaScript).
    let phone = sign_in_as(&router, PARENT, DEMO_PASSWORD).await;
    let switched = get_as(&router, "/language/es?next=/dashboard", &phone).await;
    assert_eq!(switched.status, 303);
    assert_eq!(
        account_of(&test.db, PARENT).await.locale.as_deref(),
        Some("es")
    );

    // On a laptop that never chose, signing in brings Spanish along.
    let laptop = try_sign_in(&router, PARENT, DEMO_PASSWORD).await;
    assert_eq!(error_of(&laptop), None);
    assert!(
        cookies_set(&laptop)
            .iter()
            .any(|cookie| cookie.starts_with("i18n_pref_locale=es;")),
        "{:?}",
        cookies_set(&laptop)
    );
}
