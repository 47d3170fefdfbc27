//! Security headers on every response, and the refusal of writes that come
//! from another site.
//!
//! The Content-Security-Policy allows the portal's own scripts and wasm and
//! nothing else. Leptos writes a few inline scripts (the hydration bootstrap,
//! resolved data); each carries this request's nonce, which is minted here
//! and handed to the renderer through the request's extensions.

use axum::extract::State;
use axum::response::IntoResponse;
use axum::{extract::Request, middleware::Next, response::Response};
use base64::Engine as _;
use http::{header, HeaderValue, Method, StatusCode};
use rand::RngCore as _;

/// A fresh 128-bit nonce for one response.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

impl CspNonce {
    pub fn generate() -> Self {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        Self(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    }

    pub fn policy(&self) -> String {
        format!(
            "default-src 'self'; script-src 'self' 'nonce-{}' 'wasm-unsafe-eval'; \
             style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
             manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; \
             form-action 'self'; frame-ancestors 'none'",
            self.0
        )
    }
}

/// Whether the portal is served over https (`security.secure_cookies`, which
/// production requires): browsers are then told never to use plain http.
#[derive(Debug, Clone, Copy)]
pub struct ServedOverHttps(pub bool);

pub async fn security_headers(
    State(ServedOverHttps(https)): State<ServedOverHttps>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = CspNonce::generate();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;

    let headers = response.headers_mut();
    if let Ok(policy) = HeaderValue::from_str(&nonce.policy()) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        // Same-origin requests keep their Referer: a form posted without
        // JavaScript returns to the page it came from (with its errors).
        // Other sites never learn which page linked to them.
        (header::REFERRER_POLICY, "same-origin"),
        (
            header::HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=()",
        ),
        (
            header::HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

/// Whether a GET navigation came from another site (a link or a redirect
/// there): the browser says so in `Sec-Fetch-Site`; a browser too old to say
/// is judged by its `Referer`, and one that sends neither came from a
/// bookmark or a typed address. `/leave` and `/language/…` change nothing
/// for such a request, so no other site can sign someone out or change
/// their language.
pub fn from_another_site(headers: &http::HeaderMap) -> bool {
    // A referring page's address: its host ends at the path.
    said_to_be_from_another_site(headers, header::REFERER, |rest| rest.split('/').next())
}

/// Whether the browser's `Sec-Fetch-Site`, or else the host of the address
/// in `fallback` (`Referer` or `Origin`, read by `host`) against `Host`, says
/// the request came from another site. A request with neither says nothing.
fn said_to_be_from_another_site(
    headers: &http::HeaderMap,
    fallback: header::HeaderName,
    host: fn(&str) -> Option<&str>,
) -> bool {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    if let Some(site) = text(header::HeaderName::from_static("sec-fetch-site")) {
        return !matches!(site, "same-origin" | "none");
    }
    match text(fallback) {
        Some(address) => {
            let host = address.split_once("://").and_then(|(_, rest)| host(rest));
            host.is_none() || host != text(header::HOST)
        }
        None => false,
    }
}

/// Refuses a request that changes something (anything but GET, HEAD,
/// OPTIONS) when the browser says it comes from another site: cross-site
/// request forgery. Browsers send `Sec-Fetch-Site` or `Origin` with every
/// such request; a client that sends neither is not a browser and cannot
/// carry someone else's cookies.
pub async fn same_origin_writes(request: Request, next: Next) -> Response {
    if is_cross_site_write(&request) {
        tracing::warn!(uri = %request.uri(), "refused a cross-site request");
        return (
            StatusCode::FORBIDDEN,
            "Refused: this request came from another site.\n",
        )
            .into_response();
    }
    next.run(request).await
}

fn is_cross_site_write(request: &Request) -> bool {
    let reads = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    // An origin is a scheme and a host, nothing after: the rest is the host.
    !reads && said_to_be_from_another_site(request.headers(), header::ORIGIN, |rest| Some(rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_nonce_is_new_and_lands_in_the_policy() {
        let (a, b) = (CspNonce::generate(), CspNonce::generate());
        assert_ne!(a.0, b.0);
        assert_eq!(a.0.len(), 22, "16 bytes, base64 without padding");
        assert!(a.policy().contains(&format!("'nonce-{}'", a.0)));
        assert!(a.policy().contains("frame-ancestors 'none'"));
        assert!(!a.policy().contains("unsafe-inline"));
    }

    fn post(headers: &[(&'static str, &str)]) -> Request {
        let mut request = Request::post("/api/sign_in");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(axum::body::Body::empty()).unwrap_or_default()
    }

    #[test]
    fn writes_from_another_site_are_told_apart_from_our_own() {
        assert!(!is_cross_site_write(&post(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(!is_cross_site_write(&post(&[("sec-fetch-site", "none")])));
        assert!(is_cross_site_write(&post(&[(
            "sec-fetch-site",
            "cross-site"
        )])));
        assert!(is_cross_site_write(&post(&[(
            "sec-fetch-site",
            "same-site"
        )])));
        let host = ("host", "portal.example:3000");
        assert!(!is_cross_site_write(&post(&[
            host,
            ("origin", "https://portal.example:3000")
        ])));
        assert!(is_cross_site_write(&post(&[
            host,
            ("origin", "https://evil.example")
        ])));
        assert!(is_cross_site_write(&post(&[host, ("origin", "null")])));
        assert!(!is_cross_site_write(&post(&[host])), "not a browser");
        let get = Request::get("/")
            .header("sec-fetch-site", "cross-site")
            .body(axum::body::Body::empty());
        assert!(
            !is_cross_site_write(&get.unwrap_or_default()),
            "links from other sites are fine"
        );
    }
}
