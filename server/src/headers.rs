//! Security headers on every response.
//!
//! The Content-Security-Policy allows the portal's own scripts and wasm and
//! nothing else. Leptos writes a few inline scripts (the hydration bootstrap,
//! resolved data); each carries this request's nonce, which is minted here
//! and handed to the renderer through the request's extensions.

use axum::{extract::Request, middleware::Next, response::Response};
use base64::Engine as _;
use http::{header, HeaderValue};
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

pub async fn security_headers(mut request: Request, next: Next) -> Response {
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
        (header::REFERRER_POLICY, "no-referrer"),
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
    response
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
}
