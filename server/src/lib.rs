//! The portal's web server. `main.rs` is the CLI; everything it runs lives
//! here so the integration tests can build the same router in-process.

pub mod attachments;
pub mod browser;
pub mod bundle;
pub mod client;
pub mod config;
pub mod daily;
pub mod db;
pub mod export;
pub mod headers;
pub mod health;
pub mod language;
pub mod leave;
pub mod outage;
pub mod outbox;
pub mod pwa;
pub mod seed;
pub mod serve;
pub mod sessions;

use std::sync::{Arc, OnceLock};

use app::reader::Reader;
use app::server::{user, AppState};
use app::{shell, App};
use axum::extract::DefaultBodyLimit;
use axum::{
    middleware,
    routing::{get, post},
    Router,
};
use http::{HeaderName, Request};
use leptos::config::{Env, LeptosOptions};
use leptos::nonce::Nonce;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use sea_orm::DatabaseConnection;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;

use crate::bundle::Bundle;
use crate::config::Config;
use crate::headers::CspNonce;

/// The name cargo-leptos gives the browser bundle (`output-name` in Cargo.toml).
pub const BUNDLE_NAME: &str = "portal";

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub fn leptos_options(config: &Config) -> LeptosOptions {
    let mut options = LeptosOptions::builder()
        .output_name(Arc::<str>::from(BUNDLE_NAME))
        .site_root(Arc::<str>::from(
            config.site.root.to_string_lossy().as_ref(),
        ))
        .site_pkg_dir(Arc::<str>::from("pkg"))
        .site_addr(config.site.addr)
        .env(Env::PROD)
        .build();
    options.hash_files = bundle::fingerprinted(&options);
    options
}

/// The state of a server writing through `db` and reading through `reads`
/// ([`db::readers`]).
pub fn app_state(config: &Config, db: DatabaseConnection, reads: DatabaseConnection) -> AppState {
    let read_log = app::server::read_log::ReadLog::start(db.clone());
    AppState {
        leptos_options: leptos_options(config),
        db,
        reads,
        agency: config.agency.clone(),
        ledger: config.ledger,
        security: config.security.clone(),
        messages: config.messages,
        requests: config.requests,
        credential_gate: Arc::new(app::server::gate::CredentialGate::new(
            &config.security,
            config.secret_key(),
        )),
        secret_key: config.secret_key(),
        ledgers: Arc::default(),
        histories: Arc::default(),
        read_log,
        readers_of_sessions: Arc::default(),
        zone: config.time_zone(),
    }
}

/// Every route of the portal, with its layers, serving the bundle the site
/// holds (an error: the site is not the build beside this server).
pub fn router(state: AppState) -> Result<Router, bundle::BundleError> {
    let bundle = Bundle::of(&state.leptos_options)?;
    let files = files(&state.leptos_options, &bundle);
    let routes = routes(&state, &bundle).with_state(state.clone());
    Ok(with_layers(routes, files, &state, &bundle))
}

/// The built site's files (`pkg/`, the icons, the screenshots, the favicon),
/// precompressed where the build wrote a `.br` or `.gz` copy, with how long
/// a browser may keep each. A file needs neither the session nor the
/// database, so these skip both.
fn files(options: &LeptosOptions, bundle: &Bundle) -> Router {
    let root = std::path::Path::new(options.site_root.as_ref());
    let folder = |name: &str| {
        ServeDir::new(root.join(name))
            .precompressed_br()
            .precompressed_gzip()
    };
    let other_files = Router::new()
        .nest_service("/icons", folder("icons"))
        .nest_service("/screenshots", folder("screenshots"))
        .route_service("/favicon.svg", ServeFile::new(root.join("favicon.svg")))
        .layer(middleware::map_response(bundle::ask_first));
    Router::new()
        .nest_service("/pkg", folder(options.site_pkg_dir.as_ref()))
        .layer(middleware::from_fn_with_state(
            bundle.keeping(),
            bundle::cache_control,
        ))
        .merge(other_files)
}

/// The pages, the server functions, and the few plain axum routes: files,
/// downloads, the manifest and the service worker.
fn routes(state: &AppState, bundle: &Bundle) -> Router<AppState> {
    let routes = route_list().to_vec();
    let options = state.leptos_options.clone();
    let context_state = state.clone();
    let fallback_state = state.clone();
    let installable = pwa::InstallableApp::new(
        &state.leptos_options,
        bundle,
        &state.agency,
        state.security.session_idle_minutes,
    );
    let manifest = installable.clone();

    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/language/{code}", get(language::switch_language))
        .route("/leave", get(leave::leave))
        .route(
            "/manifest.webmanifest",
            get(move || async move { manifest.manifest_response() }),
        )
        .route(
            "/sw.js",
            get(move || async move { installable.service_worker_response() }),
        )
        .route("/cases/{number}/history.csv", get(export::history_csv))
        .route(
            "/messages/{id}/attach",
            post(attachments::attach).layer(DefaultBodyLimit::max(
                // The form's other fields and the multipart framing on top.
                state.messages.attachment_max_bytes() + 64 * 1024,
            )),
        )
        .route("/attachments/{id}", get(attachments::download))
        .leptos_routes_with_context(
            state,
            routes,
            move || provide_request_context(&context_state),
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(
            move || provide_request_context(&fallback_state), shell
        ))
}

/// What every request passes through, outermost last: request id, tracing,
/// headers, who the client is, same-origin writes; then, for all but the
/// `files`, the outage gate, the session, and who the reader is.
fn with_layers(router: Router, files: Router, state: &AppState, bundle: &Bundle) -> Router {
    router
        // Inside the session layer, which they read.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            user::find_reader,
        ))
        .layer(middleware::from_fn(pwa::name_the_viewer))
        // Inside the headers and request id: a refused request still gets both.
        .layer(sessions::layer(
            sessions::DatabaseStore::new(state.db.clone(), &state.security)
                .reading_from(state.reads.clone())
                .telling(state.readers_of_sessions.clone()),
            &state.security,
        ))
        // Outside the session layer, whose bare 500 it turns into the 503.
        .layer(middleware::from_fn_with_state(
            outage::DatabaseWatch::new(
                state.db.clone(),
                &state.agency,
                &bundle.stylesheet(&state.leptos_options),
            ),
            outage::gate,
        ))
        .merge(files)
        .layer(middleware::from_fn(headers::same_origin_writes))
        // Before anything reads who the client is.
        .layer(middleware::from_fn_with_state(
            trusted_proxies(state),
            client::find_client,
        ))
        .layer(middleware::from_fn_with_state(
            headers::ServedOverHttps(state.security.secure_cookies),
            headers::security_headers,
        ))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                let id = request
                    .headers()
                    .get(REQUEST_ID)
                    .and_then(|value| value.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", id, method = %request.method(), uri = %request.uri())
            }),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// The configured proxies (validated when the configuration was read; an
/// entry that still does not read trusts nothing).
fn trusted_proxies(state: &AppState) -> client::TrustedProxies {
    let header = client::ClientHeader::parse(&state.security.client_address_header);
    let header = header.unwrap_or_else(|| {
        tracing::error!("security.client_address_header: unknown; reading X-Forwarded-For");
        client::ClientHeader::XForwardedFor
    });
    client::TrustedProxies::parse(&state.security.trusted_proxies, header).unwrap_or_else(|entry| {
        tracing::error!(
            entry,
            "security.trusted_proxies: not an address nor a block; trusting no proxy"
        );
        client::TrustedProxies::default()
    })
}

/// The app's routes, found once per process. Finding them runs the app with
/// resource loading suppressed by a flag that is global to the process
/// (leptos-rs/leptos#4773): a page rendering on another thread meanwhile would
/// wait forever, so a second router (as each integration test builds) must
/// not look again.
fn route_list() -> &'static [AxumRouteListing] {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App))
}

/// What the app's components and server functions can ask for during a request.
fn provide_request_context(state: &AppState) {
    provide_context(state.clone());
    provide_context(state.agency.clone());
    let Some(parts) = leptos::prelude::use_context::<http::request::Parts>() else {
        return;
    };
    if let Some(CspNonce(value)) = parts.extensions.get::<CspNonce>().cloned() {
        provide_context(Nonce::from_value(value));
    }
    if let Some(reader) = parts.extensions.get::<Reader>().cloned() {
        provide_context(reader);
    }
}
