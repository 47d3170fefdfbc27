//! The browser bundle's file names, and how long a browser may keep them.
//!
//! A release build fingerprints the bundle: cargo-leptos (`hash-files` in
//! Cargo.toml) names its files `portal.<hash>.js`, `.wasm` and `.css` and
//! writes the hashes to `hash.txt` beside the server binary, where Leptos's
//! `HydrationScripts` and `HashedStylesheet` read them. A fingerprinted file
//! never changes under its name, so browsers keep it for a year without
//! asking again; a new build has new names. A bundle built without hashes
//! (the tests' bare site) keeps the plain names and is revalidated each time.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};
use leptos::config::LeptosOptions;
use thiserror::Error;

/// How browsers may keep a fingerprinted file: a year, without asking.
pub const KEPT_FOR_GOOD: &str = "public, max-age=31536000, immutable";

/// Any other site file: kept, but asked about (a 304) before each use.
pub const ASK_FIRST: &str = "no-cache";

/// An error: never kept.
const NEVER_KEPT: &str = "no-store";

#[derive(Debug, Error)]
pub enum BundleError {
    #[error("cannot read the bundle's hashes in {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} names no {kind} file (rebuild with `make build`)")]
    Incomplete { path: PathBuf, kind: &'static str },
    #[error("{file} is missing: the site in {site} is not the build beside this server (rebuild with `make build`)")]
    Missing { file: PathBuf, site: PathBuf },
}

/// The names of this build's script, wasm and stylesheet in the package folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    pub js: String,
    pub wasm: String,
    pub css: String,
    /// Whether the names carry their content's hash.
    pub fingerprinted: bool,
}

impl Bundle {
    /// The bundle the site of `options` holds: fingerprinted when the build
    /// wrote its hash file beside this server ([`hash_file`]), each named
    /// file then checked to be in the site.
    pub fn of(options: &LeptosOptions) -> Result<Self, BundleError> {
        let name = options.output_name.as_ref();
        if !options.hash_files {
            return Ok(Self {
                js: format!("{name}.js"),
                wasm: format!("{name}.wasm"),
                css: format!("{name}.css"),
                fingerprinted: false,
            });
        }
        let path = hash_file(options);
        let hashes = std::fs::read_to_string(&path).map_err(|source| BundleError::Read {
            path: path.clone(),
            source,
        })?;
        let named = |kind: &'static str| {
            hashes
                .lines()
                .filter_map(|line| line.split_once(':'))
                .find(|(file, _)| file.trim() == kind)
                .map(|(_, hash)| format!("{name}.{}.{kind}", hash.trim()))
                .ok_or_else(|| BundleError::Incomplete {
                    path: path.clone(),
                    kind,
                })
        };
        let bundle = Self {
            js: named("js")?,
            wasm: named("wasm")?,
            css: named("css")?,
            fingerprinted: true,
        };
        let pkg = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
        for file in bundle.files() {
            let file = pkg.join(file);
            if !file.is_file() {
                return Err(BundleError::Missing {
                    file,
                    site: PathBuf::from(options.site_root.as_ref()),
                });
            }
        }
        Ok(bundle)
    }

    /// The script, the wasm and the stylesheet.
    pub fn files(&self) -> [&str; 3] {
        [&self.js, &self.wasm, &self.css]
    }

    /// The stylesheet's path on the site (pages outside the app link it).
    pub fn stylesheet(&self, options: &LeptosOptions) -> String {
        format!("/{}/{}", options.site_pkg_dir, self.css)
    }

    /// The package folder's caching rule for this bundle.
    pub fn keeping(&self) -> Keeping {
        let lasting = match self.fingerprinted {
            true => self.files().map(str::to_owned).into(),
            false => HashSet::new(),
        };
        Keeping(Arc::new(lasting))
    }
}

/// Where cargo-leptos writes the hashes and Leptos reads them: beside the
/// running binary.
pub fn hash_file(options: &LeptosOptions) -> PathBuf {
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    beside.join(options.hash_file.as_ref())
}

/// Whether the build beside this server fingerprinted its bundle.
pub fn fingerprinted(options: &LeptosOptions) -> bool {
    hash_file(options).is_file()
}

/// The package folder's fingerprinted file names.
#[derive(Debug, Clone)]
pub struct Keeping(Arc<HashSet<String>>);

/// Says that a site file outside the package folder (an icon, the favicon)
/// is to be asked about before each use: its name stays when it changes.
pub async fn ask_first(mut response: Response) -> Response {
    say_how_long(&mut response, ASK_FIRST);
    response
}

/// Says how long a browser may keep what the package folder sent: a
/// fingerprinted file for good, anything else after asking.
pub async fn cache_control(
    State(keeping): State<Keeping>,
    request: Request,
    next: Next,
) -> Response {
    let lasting = request
        .uri()
        .path()
        .rsplit('/')
        .next()
        .is_some_and(|file| keeping.0.contains(file));
    let mut response = next.run(request).await;
    say_how_long(
        &mut response,
        if lasting { KEPT_FOR_GOOD } else { ASK_FIRST },
    );
    response
}

/// `keeping` for a file sent (or not modified); an error is never kept.
fn say_how_long(response: &mut Response, keeping: &'static str) {
    let sent = response.status().is_success() || response.status().is_redirection();
    let value = if sent { keeping } else { NEVER_KEPT };
    let value = HeaderValue::from_static(value);
    response.headers_mut().insert(header::CACHE_CONTROL, value);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(site: &Path, hash_files: bool) -> LeptosOptions {
        LeptosOptions::builder()
            .output_name("portal")
            .site_root(site.to_string_lossy().as_ref())
            .site_pkg_dir("pkg")
            .hash_files(hash_files)
            .build()
    }

    #[test]
    fn a_bundle_built_without_hashes_has_the_plain_names() {
        let site = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let bundle = Bundle::of(&options(site.path(), false)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(bundle.files(), ["portal.js", "portal.wasm", "portal.css"]);
        assert!(!bundle.fingerprinted);
    }

    #[test]
    fn a_fingerprinted_bundle_is_named_from_the_hash_file_and_must_be_in_the_site() {
        // The test binary's folder stands for the server's: the hash file
        // is written beside it under a name of this test's own.
        let site = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut options = options(site.path(), true);
        options.hash_file = "hash-of-a-bundle-test.txt".into();
        let path = hash_file(&options);
        std::fs::write(&path, "js: Aa1\nwasm: Bb-2\ncss: Cc_3\n").unwrap_or_else(|e| panic!("{e}"));

        let missing = Bundle::of(&options);
        assert!(
            matches!(missing, Err(BundleError::Missing { .. })),
            "{missing:?}"
        );

        let pkg = site.path().join("pkg");
        std::fs::create_dir_all(&pkg).unwrap_or_else(|e| panic!("{e}"));
        for file in ["portal.Aa1.js", "portal.Bb-2.wasm", "portal.Cc_3.css"] {
            std::fs::write(pkg.join(file), "x").unwrap_or_else(|e| panic!("{e}"));
        }
        let bundle = Bundle::of(&options).unwrap_or_else(|e| panic!("{e}"));
        std::fs::remove_file(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            bundle.files(),
            ["portal.Aa1.js", "portal.Bb-2.wasm", "portal.Cc_3.css"]
        );
        assert!(bundle.fingerprinted);
        assert_eq!(bundle.stylesheet(&options), "/pkg/portal.Cc_3.css");
    }
}
