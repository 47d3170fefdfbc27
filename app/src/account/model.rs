//! An account's cases, PINs and sign-in security, as both sides see them.

use serde::{Deserialize, Serialize};

use crate::reader::CaseRole;

/// A case as its list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseLink {
    pub case_number: String,
    pub role: CaseRole,
}

/// A PIN as the caseworker reads it out: shown once, stored only as a hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedPin {
    pub pin: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// The sign-in security of the signed-in account, for its settings page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecuritySettings {
    pub second_factor: bool,
    /// Staff must have the second factor (agency policy): it cannot be turned off.
    pub second_factor_required: bool,
    /// Set up but not confirmed yet: what to scan or type into the app.
    pub pending: Option<PendingSecondFactor>,
    /// Shown once, right after the second factor was turned on.
    pub fresh_recovery_codes: Vec<String>,
    pub recovery_codes_left: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingSecondFactor {
    /// The key in groups of four, for typing it in.
    pub key: String,
    /// A QR code of the `otpauth://` address, as an image address.
    pub qr_image: String,
}

/// A PIN just issued, for the participant it was issued to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreshPin {
    pub case_number: String,
    pub person: i32,
    pub name: String,
    pub pin: IssuedPin,
}
