//! The real `server` program as a browser meets it: a page's files fetched
//! one after another over one kept-alive connection.

mod support;

use std::time::{Duration, Instant};

use axum::body::Body;
use http::{Request, StatusCode};
use http_body_util::BodyExt;
use server::seed::demo::{self, DEMO_PASSWORD};
use support::program::{connection, server, start};

/// Linux delays an acknowledgement by at least 40 ms (after the first dozen
/// or so, which it sends at once); a response that waits for one takes
/// longer than this.
const NO_STALL: Duration = Duration::from_millis(25);

/// A site of one stylesheet, as big as the portal's.
fn site() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(pkg.join("portal.css"), STYLESHEET.repeat(600))
        .unwrap_or_else(|e| panic!("{e}"));
    site
}

const STYLESHEET: &str = ".field { margin: 0 0 1rem; }\n";

#[tokio::test]
async fn a_file_needs_neither_the_session_nor_the_database() {
    let test = support::sqlite().await;
    let site = site();
    let mut config = support::config();
    config.site.root = site.path().to_path_buf();
    demo::seed(&test.db, config.today())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let router = support::router_with(&config, test.db.clone());
    let cookie = support::sign_in_as(&router, "paying.parent@example.com", DEMO_PASSWORD).await;
    // The database goes away: a signed-in browser still gets its files.
    test.db
        .clone()
        .close()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let file = support::get_as(&router, "/pkg/portal.css", &cookie).await;
    assert_eq!(file.status, StatusCode::OK, "{}", file.body);
    assert_eq!(file.body.len(), STYLESHEET.len() * 600);
    let page = support::get_as(&router, "/dashboard", &cookie).await;
    assert_eq!(
        page.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "a page needs it"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_on_one_kept_alive_connection_come_without_delay() {
    let test = support::sqlite().await;
    let site = site();
    let log = site.path().join("server.log");
    let mut running = start(server(&test.url).env("LEPTOS_SITE_ROOT", site.path()), &log);
    let address = running.address().await;

    let mut sender = connection(address).await;
    let mut took = Vec::new();
    for _ in 0..40 {
        sender.ready().await.unwrap_or_else(|e| panic!("{e}"));
        let started = Instant::now();
        let request = Request::get("/pkg/portal.css")
            .header(http::header::HOST, address.to_string())
            .body(Body::empty())
            .unwrap_or_else(|e| panic!("{e}"));
        let response = sender
            .send_request(request)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(response.status(), StatusCode::OK);
        let body = response
            .into_body()
            .collect()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .to_bytes();
        assert_eq!(body.len(), STYLESHEET.len() * 600);
        took.push(started.elapsed());
    }
    running.assert_running();
    took.sort();
    assert!(
        took[took.len() / 2] <= Duration::from_millis(5) && took[took.len() - 1] < NO_STALL,
        "forty requests on one connection took {took:?}"
    );
}

/// A build's fingerprinted files are kept for good; the plain-named ones,
/// the icons and the pages are asked about first; a missing file is not kept.
#[tokio::test]
async fn a_fingerprinted_file_is_kept_for_a_year_and_the_rest_are_asked_about() {
    let test = support::sqlite().await;
    let site = site();
    let pkg = site.path().join("pkg");
    for file in ["portal.Js1.js", "portal.Wa-2.wasm", "portal.Cs_3.css"] {
        std::fs::write(pkg.join(file), file).unwrap_or_else(|e| panic!("{e}"));
    }
    let mut config = support::config();
    config.site.root = site.path().to_path_buf();
    let mut state = server::app_state(&config, test.db.clone(), test.db.clone());
    // As cargo-leptos leaves it beside the server, under this test's name.
    state.leptos_options.hash_files = true;
    state.leptos_options.hash_file = "hash-of-the-connections-test.txt".into();
    let _hashes = HashFile::write(
        server::bundle::hash_file(&state.leptos_options),
        "js: Js1\nwasm: Wa-2\ncss: Cs_3\n",
    );
    let router = server::router(state).unwrap_or_else(|e| panic!("{e}"));

    let caching = |page: &support::Page| {
        page.headers
            .get(http::header::CACHE_CONTROL)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    for file in ["/pkg/portal.Cs_3.css", "/pkg/portal.Wa-2.wasm"] {
        let kept = support::get(&router, file).await;
        assert_eq!(kept.status, StatusCode::OK, "{file}");
        assert_eq!(
            caching(&kept).as_deref(),
            Some("public, max-age=31536000, immutable"),
            "{file}"
        );
    }
    let plain = support::get(&router, "/pkg/portal.css").await;
    assert_eq!(caching(&plain).as_deref(), Some("no-cache"));
    let missing = support::get(&router, "/pkg/portal.Old.css").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(caching(&missing).as_deref(), Some("no-store"));

    let home = support::get(&router, "/").await;
    assert!(
        home.body.contains("href=\"/pkg/portal.Cs_3.css\""),
        "the page links the build's stylesheet: {}",
        home.body
    );
    assert!(home.body.contains("/pkg/portal.Js1.js"), "and its script");
    assert_eq!(caching(&home).as_deref(), Some("no-cache"));
}

/// A hash file beside the test binary, removed when the test ends (Leptos
/// reads it while it renders each page).
struct HashFile(std::path::PathBuf);

impl HashFile {
    fn write(path: std::path::PathBuf, hashes: &str) -> Self {
        std::fs::write(&path, hashes).unwrap_or_else(|e| panic!("{e}"));
        Self(path)
    }
}

impl Drop for HashFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
