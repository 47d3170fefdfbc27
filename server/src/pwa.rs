//! What makes the portal an installable app: the web app manifest (named
//! from the configuration), the service worker (`public/sw.js`, stamped with
//! this build's fingerprint so a deploy replaces the cached shell), and the
//! header that tells the service worker whose pages it is keeping.

use std::collections::BTreeSet;
use std::hash::{DefaultHasher, Hasher};
use std::path::Path;
use std::sync::Arc;

use axum::{
    extract::Request,
    http::{header, HeaderValue},
    middleware::Next,
    response::{IntoResponse, Response},
};
use leptos::config::LeptosOptions;
use serde_json::json;
use tower_sessions::Session;

use app::config::Agency;
use app::server::session::{ACCOUNT_KEY, PARENT_KEY};

/// The header that names the reader of a page: `none`, or a key of the
/// signed-in account (its id: the service worker compares keys, nothing more,
/// and only the reader's own browser sees it).
pub const VIEWER_HEADER: &str = "x-portal-viewer";

/// The service worker's source; its placeholders are filled per build.
const SERVICE_WORKER: &str = include_str!("../../public/sw.js");

/// The offline page, precached with the shell (app/src/site/offline.rs).
const OFFLINE_PAGE: &str = "/offline";

/// The manifest and service worker of this build, made once at start.
#[derive(Debug, Clone)]
pub struct InstallableApp {
    manifest: Arc<str>,
    service_worker: Arc<str>,
}

impl InstallableApp {
    /// `idle_minutes`: how long the device keeps a parent's pages after
    /// the last one came from the server (the session's idle timeout).
    pub fn new(
        options: &LeptosOptions,
        bundle: &crate::bundle::Bundle,
        agency: &Agency,
        idle_minutes: u32,
    ) -> Self {
        let bundle = BundleFiles::of(options, bundle);
        Self {
            manifest: manifest(agency).into(),
            service_worker: service_worker(&bundle, agency, idle_minutes).into(),
        }
    }
}

/// The files of the client bundle, as pages link them.
struct BundleFiles {
    /// Site paths (`/pkg/portal.js`…) and where each is on disk.
    files: Vec<(String, std::path::PathBuf)>,
}

impl BundleFiles {
    /// The main script, wasm and stylesheet, and every other script and wasm
    /// piece in the package directory: a split build loads each page's piece
    /// when the page is first opened, and offline that must come from the cache.
    fn of(options: &LeptosOptions, bundle: &crate::bundle::Bundle) -> Self {
        let root = Path::new(options.site_root.as_ref());
        let pkg = options.site_pkg_dir.as_ref();
        let mut names: BTreeSet<String> = bundle.files().map(str::to_owned).into();
        // No package directory (tests without a built bundle): the main files only.
        if let Ok(entries) = std::fs::read_dir(root.join(pkg)) {
            names.extend(
                entries
                    .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
                    .filter(|file| file.ends_with(".js") || file.ends_with(".wasm")),
            );
        }
        let files = names
            .into_iter()
            .map(|file| (format!("/{pkg}/{file}"), root.join(pkg).join(&file)))
            .collect();
        Self { files }
    }

    /// Changes whenever a file of the bundle does. Not a secret and not
    /// compared across builds of different compilers: a fingerprint only.
    fn fingerprint(&self) -> String {
        let mut hasher = DefaultHasher::new();
        hasher.write(env!("CARGO_PKG_VERSION").as_bytes());
        for (_, on_disk) in &self.files {
            match std::fs::read(on_disk) {
                Ok(bytes) => hasher.write(&bytes),
                // Tests run without a built bundle; the page would 404 too.
                Err(_) => hasher.write(b"missing"),
            }
        }
        format!("{:016x}", hasher.finish())
    }
}

/// The paths the service worker keeps for this build.
fn shell_files(bundle: &BundleFiles) -> Vec<String> {
    let mut files: Vec<String> = bundle.files.iter().map(|(path, _)| path.clone()).collect();
    files.extend(
        [
            OFFLINE_PAGE,
            "/favicon.svg",
            "/manifest.webmanifest",
            "/icons/icon-192.png",
            "/icons/icon-512.png",
        ]
        .map(str::to_owned),
    );
    files
}

fn service_worker(bundle: &BundleFiles, agency: &Agency, idle_minutes: u32) -> String {
    let files = serde_json::to_string(&shell_files(bundle)).unwrap_or_else(|_| "[]".into());
    // The exit address was checked to be a plain web address (config.rs); as
    // a JSON string it cannot end the literal early.
    let exit = serde_json::to_string(&agency.quick_exit_url).unwrap_or_else(|_| "\"/\"".into());
    SERVICE_WORKER
        .replace("'__BUILD__'", &format!("'{}'", bundle.fingerprint()))
        .replace("__SHELL_FILES__", &files)
        .replace("'__QUICK_EXIT_URL__'", &exit)
        .replace("'__IDLE_MINUTES__'", &idle_minutes.to_string())
}

fn manifest(agency: &Agency) -> String {
    let icon = |src: &str, size: &str, purpose: &str| json!({ "src": src, "sizes": size, "type": "image/png", "purpose": purpose });
    let screenshot = |src: &str, size: &str, form_factor: &str, label: &str| json!({ "src": src, "sizes": size, "type": "image/png", "form_factor": form_factor, "label": label });
    json!({
        "id": "/",
        "name": agency.app_name,
        "short_name": agency.app_short_name,
        "description": "See what your child support order says, what has been paid and what is owed; message your caseworker.",
        "lang": "en",
        "dir": "ltr",
        "start_url": "/dashboard",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "background_color": "#ffffff",
        "theme_color": app::pwa::THEME_COLOUR,
        "categories": ["government", "finance"],
        "icons": [
            icon("/icons/icon-192.png", "192x192", "any"),
            icon("/icons/icon-512.png", "512x512", "any"),
            icon("/icons/maskable-512.png", "512x512", "maskable"),
        ],
        "screenshots": [
            screenshot("/screenshots/overview-narrow.png", "390x844", "narrow", "Your cases at a glance"),
            screenshot("/screenshots/overview-wide.png", "1280x800", "wide", "Your cases at a glance"),
        ],
    })
    .to_string()
}

impl InstallableApp {
    /// `GET /manifest.webmanifest`
    pub fn manifest_response(&self) -> Response {
        (
            [
                (header::CONTENT_TYPE, "application/manifest+json"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            self.manifest.to_string(),
        )
            .into_response()
    }

    /// `GET /sw.js`: revalidated every time, so a deploy is seen at the next visit.
    pub fn service_worker_response(&self) -> Response {
        (
            [
                (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            self.service_worker.to_string(),
        )
            .into_response()
    }
}

/// Names the reader of every page (see [`VIEWER_HEADER`]), after the page
/// ran: signing in or out shows on the response that did it. A page for
/// someone signed in is never stored by the browser's own cache (on a shared
/// device it would outlive the sign-out; the service worker keeps what the
/// offline app needs, and empties it at sign-out); other pages are asked
/// for again each time, since what they show changes with a sign-in.
/// The signed-in account of a session, and whether it is a parent's.
async fn reader_of(
    session: &Session,
) -> Result<Option<(i32, bool)>, tower_sessions::session::Error> {
    let Some(account) = session.get::<i32>(ACCOUNT_KEY).await? else {
        return Ok(None);
    };
    let parent = session.get::<bool>(PARENT_KEY).await?.unwrap_or(false);
    Ok(Some((account, parent)))
}

pub async fn name_the_viewer(request: Request, next: Next) -> Response {
    let session = request.extensions().get::<Session>().cloned();
    let mut response = next.run(request).await;
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    if !is_page {
        return response;
    }
    let reader = match session {
        Some(session) => reader_of(&session).await,
        None => Ok(None),
    };
    let (viewer, keeping) = match reader {
        // A parent's own pages may stay on their phone; staff pages never
        // stay on a device (it may be shared, and they show many families).
        Ok(Some((id, true))) => (format!("account-{id}"), "private, no-store"),
        Ok(Some((_, false))) => ("staff".to_owned(), "private, no-store"),
        Ok(None) => ("none".to_owned(), "no-cache"),
        // Unknown: kept by nobody, and the service worker keeps nothing
        // personal for a reader it cannot name.
        Err(error) => {
            tracing::warn!(%error, "the session could not be read to name the viewer");
            ("none".to_owned(), "private, no-store")
        }
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&viewer) {
        headers.insert(VIEWER_HEADER, value);
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(keeping));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agency() -> Agency {
        Agency::default()
    }

    /// The bundle of a build without hashes.
    fn plain(options: &LeptosOptions) -> crate::bundle::Bundle {
        crate::bundle::Bundle::of(options).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_service_worker_is_stamped_with_the_build_and_its_files() {
        let options = LeptosOptions::builder()
            .output_name("portal")
            .site_root("/nonexistent")
            .build();
        let worker = service_worker(&BundleFiles::of(&options, &plain(&options)), &agency(), 30);
        for placeholder in [
            "__BUILD__",
            "__SHELL_FILES__",
            "__QUICK_EXIT_URL__",
            "__IDLE_MINUTES__",
        ] {
            assert!(!worker.contains(placeholder), "{placeholder} is filled");
        }
        assert!(worker.contains("\"/pkg/portal.wasm\""));
        assert!(worker.contains("\"/offline\""));
        assert!(worker.contains("const QUICK_EXIT_URL = \"https://www.weather.gov/\""));
        assert!(worker.contains("const IDLE_MINUTES = 30;"));
    }

    #[test]
    fn another_bundle_is_another_build() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir_all(dir.path().join("pkg")).unwrap_or_else(|e| panic!("{e}"));
        let options = LeptosOptions::builder()
            .output_name("portal")
            .site_root(dir.path().to_string_lossy().to_string())
            .build();
        let wasm = dir.path().join("pkg/portal.wasm");
        std::fs::write(&wasm, b"one build").unwrap_or_else(|e| panic!("{e}"));
        let first = BundleFiles::of(&options, &plain(&options)).fingerprint();
        assert_eq!(
            first,
            BundleFiles::of(&options, &plain(&options)).fingerprint(),
            "stable"
        );
        std::fs::write(&wasm, b"the next build").unwrap_or_else(|e| panic!("{e}"));
        let second = BundleFiles::of(&options, &plain(&options)).fingerprint();
        assert_ne!(first, second);
        // A page's piece of a split bundle is part of the build too.
        let piece = dir.path().join("pkg/chunk_7.wasm");
        std::fs::write(&piece, b"a page").unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(
            second,
            BundleFiles::of(&options, &plain(&options)).fingerprint()
        );
    }

    #[test]
    fn the_service_worker_keeps_every_piece_of_a_split_bundle() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let pkg = dir.path().join("pkg");
        std::fs::create_dir_all(&pkg).unwrap_or_else(|e| panic!("{e}"));
        for file in [
            "portal.wasm",
            "portal.wasm.br",
            "portal.js",
            "__wasm_split.js",
            "chunk_3.wasm",
            "chunk_3.wasm.gz",
            "__wasm_split_manifest.json",
        ] {
            std::fs::write(pkg.join(file), file).unwrap_or_else(|e| panic!("{e}"));
        }
        let options = LeptosOptions::builder()
            .output_name("portal")
            .site_root(dir.path().to_string_lossy().to_string())
            .build();
        let kept = shell_files(&BundleFiles::of(&options, &plain(&options)));
        for file in [
            "portal.wasm",
            "portal.js",
            "portal.css",
            "__wasm_split.js",
            "chunk_3.wasm",
        ] {
            assert!(kept.contains(&format!("/pkg/{file}")), "{file} is kept");
        }
        for file in [
            "portal.wasm.br",
            "chunk_3.wasm.gz",
            "__wasm_split_manifest.json",
        ] {
            assert!(!kept.contains(&format!("/pkg/{file}")), "{file} is not");
        }
    }

    #[test]
    fn the_service_worker_keeps_the_fingerprinted_names() {
        let options = LeptosOptions::builder()
            .output_name("portal")
            .site_root("/nonexistent")
            .build();
        let bundle = crate::bundle::Bundle {
            js: "portal.Aa1.js".into(),
            wasm: "portal.Bb2.wasm".into(),
            css: "portal.Cc3.css".into(),
            fingerprinted: true,
        };
        let kept = shell_files(&BundleFiles::of(&options, &bundle));
        for file in ["portal.Aa1.js", "portal.Bb2.wasm", "portal.Cc3.css"] {
            assert!(kept.contains(&format!("/pkg/{file}")), "{file} is kept");
        }
        assert!(
            !kept.iter().any(|path| path == "/pkg/portal.js"),
            "{kept:?}"
        );
    }

    #[test]
    fn the_manifest_names_the_app_from_the_configuration() {
        let mut agency = agency();
        agency.app_name = "Lake County Child Support".into();
        agency.app_short_name = "Lake CS".into();
        let manifest: serde_json::Value =
            serde_json::from_str(&manifest(&agency)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(manifest["name"], "Lake County Child Support");
        assert_eq!(manifest["short_name"], "Lake CS");
        assert_eq!(manifest["display"], "standalone");
        let purposes: Vec<_> = manifest["icons"]
            .as_array()
            .unwrap_or_else(|| panic!("no icons"))
            .iter()
            .map(|icon| icon["purpose"].as_str().unwrap_or_default())
            .collect();
        assert!(purposes.contains(&"maskable"));
    }
}
