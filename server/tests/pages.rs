//! The app shell, the 404 page, languages and security headers, rendered by
//! the real router in-process, on SQLite and on PostgreSQL.

mod support;

use axum::body::Body;
use http::{header, Request, StatusCode};
use support::{get, router, send, TestDb};

on_both_databases!(
    home_page_shows_the_shell_with_the_agency_from_config,
    unknown_address_gets_the_not_found_page_with_status_404,
    every_response_carries_the_security_headers,
    spanish_comes_from_accept_language_and_the_cookie_wins,
    language_switch_without_javascript_sets_the_cookie_and_returns,
    health_check_reports_the_database,
    pages_rendered_at_the_same_time_keep_their_own_titles,
);

async fn home_page_shows_the_shell_with_the_agency_from_config(test: TestDb) {
    let page = get(&router(test.db), "/").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(
        body.contains("Riverside County Child Support Services"),
        "agency name"
    );
    assert!(
        body.contains("1-800-555-0142"),
        "agency phone in the footer"
    );
    assert!(
        body.contains("Monday to Friday, 8 am to 5 pm"),
        "office hours"
    );
    assert!(
        body.contains(r#"<html lang="en""#),
        "html lang: {}",
        &body[..body.len().min(400)]
    );
    assert!(body.contains(r##"href="#main""##), "skip link");
    assert!(body.contains(r#"<main id="main""#), "main landmark");
    assert!(body.contains("<footer"), "footer");
    assert!(
        body.contains("Your child support, in plain words"),
        "home heading"
    );
    assert!(body.contains("/pkg/portal.js"), "hydration script");
    assert!(
        !body.contains("data-hydrated"),
        "only the browser marks hydration"
    );
}

async fn unknown_address_gets_the_not_found_page_with_status_404(test: TestDb) {
    let page = get(&router(test.db), "/no/such/page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("Page not found"));
    assert!(
        page.body
            .contains("Riverside County Child Support Services"),
        "inside the shell"
    );
}

async fn every_response_carries_the_security_headers(test: TestDb) {
    let router = router(test.db);
    for uri in ["/", "/healthz", "/no/such/page"] {
        let page = get(&router, uri).await;
        let header = |name: &str| {
            page.headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_else(|| panic!("{uri}: no {name} header"))
                .to_owned()
        };
        let policy = header("content-security-policy");
        assert!(policy.contains("default-src 'self'"), "{uri}: {policy}");
        assert!(policy.contains("frame-ancestors 'none'"), "{uri}: {policy}");
        assert!(policy.contains("'wasm-unsafe-eval'"), "{uri}: {policy}");
        assert!(!policy.contains("unsafe-inline"), "{uri}: {policy}");
        assert_eq!(header("x-content-type-options"), "nosniff");
        assert_eq!(header("referrer-policy"), "same-origin");
        assert!(!header("x-request-id").is_empty());
    }

    // The inline scripts Leptos writes carry this response's nonce.
    let page = get(&router, "/").await;
    let policy = page.headers["content-security-policy"]
        .to_str()
        .unwrap_or_default();
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_else(|| panic!("no nonce in {policy}"));
    assert!(
        page.body.contains(&format!(r#"nonce="{nonce}""#)),
        "scripts carry the nonce"
    );
}

async fn spanish_comes_from_accept_language_and_the_cookie_wins(test: TestDb) {
    let router = router(test.db);
    let request = |headers: &[(http::HeaderName, &str)]| {
        let mut builder = Request::get("/");
        for (name, value) in headers {
            builder = builder.header(name, *value);
        }
        builder
            .body(Body::empty())
            .unwrap_or_else(|e| panic!("{e}"))
    };

    let spanish = send(
        &router,
        request(&[(header::ACCEPT_LANGUAGE, "es-MX,es;q=0.9,en;q=0.5")]),
    )
    .await;
    assert!(spanish.body.contains(r#"<html lang="es""#));
    assert!(spanish
        .body
        .contains("Su manutención de menores, en palabras sencillas"));
    assert!(spanish.body.contains("Saltar al contenido principal"));
    assert!(
        spanish
            .body
            .contains("De lunes a viernes, de 8 a. m. a 5 p. m."),
        "hours in Spanish"
    );

    let chosen = send(
        &router,
        request(&[
            (header::ACCEPT_LANGUAGE, "es-MX,es;q=0.9"),
            (header::COOKIE, "i18n_pref_locale=en"),
        ]),
    )
    .await;
    assert!(chosen.body.contains(r#"<html lang="en""#));
    assert!(chosen.body.contains("Your child support, in plain words"));
}

async fn language_switch_without_javascript_sets_the_cookie_and_returns(test: TestDb) {
    let router = router(test.db);
    let page = get(&router, "/language/es?next=/some/page").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.headers[header::LOCATION], "/some/page");
    let cookie = page.headers[header::SET_COOKIE]
        .to_str()
        .unwrap_or_default();
    assert!(cookie.starts_with("i18n_pref_locale=es;"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");

    let offsite = get(&router, "/language/en?next=//evil.example").await;
    assert_eq!(offsite.headers[header::LOCATION], "/");

    let unknown = get(&router, "/language/fr").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

async fn health_check_reports_the_database(test: TestDb) {
    let page = get(&router(test.db), "/healthz").await;
    assert_eq!(page.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&page.body).unwrap_or_default();
    assert_eq!(json, serde_json::json!({"status": "ok", "database": "ok"}));
}

/// Every page's `<title>` is its own even when many render at once: leptos_meta
/// used to read a reactive title outside the request's arena, so under load a
/// page took the title of another request on the same thread (or panicked).
async fn pages_rendered_at_the_same_time_keep_their_own_titles(test: TestDb) {
    let router = router(test.db);
    let requests = (0..200).map(|index| {
        let spanish = index % 2 == 1;
        let router = router.clone();
        tokio::spawn(async move {
            let request = Request::get("/login")
                .header(header::ACCEPT_LANGUAGE, if spanish { "es" } else { "en" })
                .body(Body::empty())
                .unwrap_or_else(|e| panic!("{e}"));
            (spanish, send(&router, request).await)
        })
    });
    let mut wrong = Vec::new();
    for request in requests.collect::<Vec<_>>() {
        let (spanish, page) = request.await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(page.status, StatusCode::OK);
        let expected = if spanish {
            "<title>Iniciar sesión · "
        } else {
            "<title>Sign in · "
        };
        if !page.body.contains(expected) {
            let title = page
                .body
                .split("<title>")
                .nth(1)
                .and_then(|rest| rest.split("</title>").next());
            wrong.push(format!("{expected} but {title:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of 200 pages had another page's title: {wrong:?}",
        wrong.len()
    );
}
