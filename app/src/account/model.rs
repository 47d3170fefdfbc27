//! Who is signed in, as both sides see it.

use serde::{Deserialize, Serialize};

/// What kind of account someone has. A parent's role differs per case (see
/// [`CaseRole`]); staff roles are the account's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountRole {
    Parent,
    /// Sees and acts on the cases assigned to them.
    Caseworker,
    /// Sees every case; manages caseworkers and advice.
    Supervisor,
}

impl AccountRole {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountRole::Parent => "parent",
            AccountRole::Caseworker => "caseworker",
            AccountRole::Supervisor => "supervisor",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        [Self::Parent, Self::Caseworker, Self::Supervisor]
            .into_iter()
            .find(|role| role.as_str() == name)
    }

    pub fn is_staff(self) -> bool {
        self != AccountRole::Parent
    }
}

/// Someone signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub account_id: i32,
    pub person_id: i32,
    pub name: String,
    pub role: AccountRole,
    /// Signs in with a code from an authenticator app as well.
    pub second_factor: bool,
    /// The language they chose (`en`, `es`), if they did.
    pub language: Option<String>,
}

impl User {
    /// The language they chose, if they did.
    pub fn locale(&self) -> Option<crate::i18n::Locale> {
        self.language.as_deref().and_then(|code| code.parse().ok())
    }
}

/// Who someone is on one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseRole {
    PayingParent,
    ReceivingParent,
    AssignedCaseworker,
    Supervisor,
}

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
