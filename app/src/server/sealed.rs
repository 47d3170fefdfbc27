//! Secrets the portal keeps, never in plain text: the authenticator keys in
//! the accounts table (and the one being set up, in the session), and the
//! values shown once (a PIN just issued, a first password, recovery codes),
//! which travel from the form to the page that shows them in a short-lived
//! sealed cookie and are stored nowhere. AES-256-GCM from `ring`, with the
//! agency's key (`security.secret_key`); each use names its purpose as
//! associated data, so a value sealed for one cannot be opened as another.

use std::sync::Arc;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use rand::RngCore as _;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};

use super::internal;
use crate::error::AppError;

/// How a sealed value starts (a version, should the scheme ever change).
const PREFIX: &str = "sealed.v1.";

/// The key every sealed value is made with.
#[derive(Clone)]
pub struct SecretKey(Arc<LessSafeKey>);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

/// Development only: a key everyone can read in this file. Production
/// refuses to start without its own (`server::config`).
const DEVELOPMENT_KEY: [u8; 32] = *b"portal-development-key-not-prod!";

impl SecretKey {
    /// 32 bytes, base64-encoded (`openssl rand -base64 32`).
    pub fn from_base64(text: &str) -> Result<Self, &'static str> {
        let bytes = STANDARD.decode(text.trim()).map_err(|_| "is not base64")?;
        Self::from_bytes(&bytes).ok_or("must be 32 bytes (openssl rand -base64 32)")
    }

    /// A key nobody knows (not even after a restart).
    pub fn random() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        Self::from_bytes(&bytes).unwrap_or_else(|| unreachable!("32 bytes"))
    }

    pub fn development() -> Self {
        Self::from_bytes(&DEVELOPMENT_KEY).unwrap_or_else(|| unreachable!("32 bytes"))
    }

    fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let key = UnboundKey::new(&AES_256_GCM, bytes).ok()?;
        Some(Self(Arc::new(LessSafeKey::new(key))))
    }

    /// `plain`, sealed for `purpose`: text safe for a column or a cookie.
    pub fn seal(&self, plain: &[u8], purpose: &str) -> Result<String, AppError> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let mut sealed = plain.to_vec();
        self.0
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(purpose.as_bytes()),
                &mut sealed,
            )
            .map_err(|_| internal("sealing failed"))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(out)))
    }

    /// What [`seal`](Self::seal) sealed for `purpose`; `None` when `text`
    /// was not sealed so, with this key, or was changed.
    pub fn open(&self, text: &str, purpose: &str) -> Option<Vec<u8>> {
        let bytes = URL_SAFE_NO_PAD.decode(text.strip_prefix(PREFIX)?).ok()?;
        let (nonce, sealed) = bytes.split_at_checked(NONCE_LEN)?;
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut sealed = sealed.to_vec();
        let plain = self
            .0
            .open_in_place(nonce, Aad::from(purpose.as_bytes()), &mut sealed)
            .ok()?;
        Some(plain.to_vec())
    }

    /// Whether `text` is a sealed value (and not, say, a key stored before
    /// keys were sealed).
    pub fn is_sealed(text: &str) -> bool {
        text.starts_with(PREFIX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_purpose() {
        let key = SecretKey::development();
        let sealed = key.seal(b"JBSWY3DPEHPK3PXP", "totp").unwrap_or_default();
        assert!(SecretKey::is_sealed(&sealed));
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(
            key.open(&sealed, "totp").as_deref(),
            Some(&b"JBSWY3DPEHPK3PXP"[..])
        );
        assert_eq!(key.open(&sealed, "pin"), None, "another purpose");
        let other = SecretKey::from_base64("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(other.open(&sealed, "totp"), None, "another key");
        let mut changed = sealed.clone().into_bytes();
        let last = changed.len() - 2;
        changed[last] = if changed[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(key.open(&String::from_utf8_lossy(&changed), "totp"), None);
        assert_ne!(
            key.seal(b"same", "totp").ok(),
            key.seal(b"same", "totp").ok(),
            "fresh nonces"
        );
        assert!(SecretKey::from_base64("c2hvcnQ=").is_err());
    }
}
