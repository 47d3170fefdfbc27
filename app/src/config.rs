//! Configuration the pages need.
//! Loaded from `Leptos.toml` by the server; see `server/src/config.rs`.

use serde::{Deserialize, Serialize};

use crate::ledger::Money;

/// The agency that runs the cases: shown in the header and footer of every page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    pub name: String,
    /// The installed app's name, and the shorter one under its icon.
    pub app_name: String,
    pub app_short_name: String,
    pub phone: String,
    /// Office hours as people read them, in each language of the portal.
    pub hours: Localized,
    /// IANA time zone of the agency, e.g. "America/Chicago": due dates and
    /// "as of" times are in this zone.
    pub time_zone: String,
    /// The neutral site "Leave this site quickly" shows (http or https).
    pub quick_exit_url: String,
}

impl Default for Agency {
    fn default() -> Self {
        Self {
            name: "Child Support Services".into(),
            app_name: "Child Support Portal".into(),
            app_short_name: "Child Support".into(),
            phone: "1-800-555-0100".into(),
            hours: Localized {
                en: "Monday to Friday, 8 am to 5 pm".into(),
                es: "De lunes a viernes, de 8 a. m. a 5 p. m.".into(),
            },
            time_zone: "America/Chicago".into(),
            quick_exit_url: "https://www.weather.gov/".into(),
        }
    }
}

/// A text an agency writes in each language the portal speaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    pub en: String,
    pub es: String,
}

impl Localized {
    pub fn get(&self, locale: crate::i18n::Locale) -> &str {
        match locale {
            crate::i18n::Locale::en => &self.en,
            crate::i18n::Locale::es => &self.es,
        }
    }
}

/// How the ledger is read, set by agency policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerPolicy {
    /// Support paid up to this many days after its due date is "timing" (money
    /// in transit), not a missed payment.
    pub grace_days: u32,
    /// Past-due support above which the passport can be denied (federal
    /// rule: $2,500).
    pub passport_threshold: Money,
    /// Past-due support above which a tax refund can be intercepted.
    pub tax_intercept_threshold: Money,
    /// Days behind after which driving and professional licences can be
    /// suspended.
    pub license_days_behind: u32,
    /// Annual simple interest on past-due support, e.g. "0.06"; "0" = none
    /// (the rule: [`crate::ledger::interest`]).
    #[serde(default)]
    pub interest: rust_decimal::Decimal,
    /// The first day interest counts (needed when `interest` is not zero).
    #[serde(default)]
    pub interest_from: Option<chrono::NaiveDate>,
    /// The yearly service fee kept on never-assistance cases ($35 under
    /// federal rules); zero = none (the rule: [`crate::ledger::fee`]).
    #[serde(default)]
    pub service_fee: Money,
    /// Sent on in a federal fiscal year before the fee is kept ($550).
    #[serde(default = "federal_fee_threshold")]
    pub service_fee_threshold: Money,
}

fn federal_fee_threshold() -> Money {
    Money::from_cents(55_000)
}

impl Default for LedgerPolicy {
    fn default() -> Self {
        Self {
            grace_days: 5,
            passport_threshold: Money::from_cents(250_000),
            tax_intercept_threshold: Money::from_cents(50_000),
            license_days_behind: 90,
            interest: rust_decimal::Decimal::ZERO,
            interest_from: None,
            service_fee: Money::ZERO,
            service_fee_threshold: federal_fee_threshold(),
        }
    }
}

impl LedgerPolicy {
    /// The agency's yearly service fee, when it keeps one.
    pub fn service_fee_policy(&self) -> Option<crate::ledger::ServiceFee> {
        self.service_fee
            .is_positive()
            .then_some(crate::ledger::ServiceFee {
                amount: self.service_fee,
                threshold: self.service_fee_threshold,
            })
    }

    /// The agency's interest, when it charges any.
    pub fn interest_policy(&self) -> Option<crate::ledger::interest::InterestPolicy> {
        let from = self.interest_from?;
        (!self.interest.is_zero() && self.interest.is_sign_positive()).then_some(
            crate::ledger::interest::InterestPolicy {
                rate: self.interest,
                from,
            },
        )
    }
}

/// Sign-in, sessions and PINs, set by agency policy (NIST SP 800-63B and
/// OWASP ASVS level 2 are the defaults' anchors).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityPolicy {
    /// A session unused this long ends.
    pub session_idle_minutes: u32,
    /// A session ends this long after sign-in, used or not.
    pub session_max_hours: u32,
    /// Send the session cookie only over https (on wherever the portal is
    /// served over https, which production must be).
    pub secure_cookies: bool,
    /// Wrong passwords in a row that lock an account …
    pub lockout_after: u32,
    /// … for this long.
    pub lockout_minutes: u32,
    /// Failed sign-ins from one address within `lockout_minutes` after which
    /// that address is refused too, whichever accounts it tries.
    pub failures_per_address: u32,
    /// Sign-ins, second steps, activations and resets the whole portal
    /// checks per second, from every address together; beyond it people are
    /// asked to wait a minute, before anything is read or hashed.
    pub credential_checks_per_second: u32,
    /// An activation PIN expires this long after it was issued.
    pub pin_valid_days: u32,
    /// Wrong PINs tried on a case that void its PINs.
    pub pin_tries: u32,
    /// Staff must enrol and use a second factor (TOTP).
    pub require_mfa_for_staff: bool,
    /// The proxies in front of the portal (addresses or CIDR blocks): only
    /// a connection from one of them may say, in `Forwarded` or
    /// `X-Forwarded-For`, whom it forwards. None by default.
    #[serde(default)]
    pub trusted_proxies: Vec<String>,
    /// The header those proxies write the client into: `x-forwarded-for`
    /// (Caddy, nginx, most load balancers) or `forwarded` (RFC 7239). Only
    /// that one is read: a client could send the other itself.
    #[serde(default = "x_forwarded_for")]
    pub client_address_header: String,
    /// The key that seals authenticator keys and values shown once: 32
    /// bytes, base64 (`openssl rand -base64 32`). Production needs one.
    #[serde(default, skip_serializing)]
    pub secret_key: Option<SecretText>,
}

fn x_forwarded_for() -> String {
    "x-forwarded-for".to_owned()
}

/// A secret from configuration: never printed, never sent.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct SecretText(pub String);

impl std::fmt::Debug for SecretText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretText(…)")
    }
}

impl Default for SecurityPolicy {
    fn default() -> Self {
        Self {
            session_idle_minutes: 30,
            session_max_hours: 12,
            secure_cookies: false,
            lockout_after: 5,
            lockout_minutes: 15,
            failures_per_address: 20,
            credential_checks_per_second: 30,
            pin_valid_days: 30,
            pin_tries: 5,
            require_mfa_for_staff: true,
            trusted_proxies: Vec::new(),
            client_address_header: x_forwarded_for(),
            secret_key: None,
        }
    }
}

/// Secure messages, set by agency policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessagePolicy {
    /// The agency answers a message within this many business days; after
    /// that the work list marks it overdue.
    pub reply_business_days: u32,
    /// The largest attachment, in megabytes.
    pub attachment_max_mb: u32,
    /// What one account may upload in 24 hours, in megabytes.
    pub daily_upload_mb: u32,
}

impl MessagePolicy {
    pub fn attachment_max_bytes(&self) -> usize {
        self.attachment_max_mb as usize * 1024 * 1024
    }

    pub fn daily_upload_bytes(&self) -> i64 {
        i64::from(self.daily_upload_mb) * 1024 * 1024
    }
}

impl Default for MessagePolicy {
    fn default() -> Self {
        Self {
            reply_business_days: 2,
            attachment_max_mb: 10,
            daily_upload_mb: 50,
        }
    }
}

/// Payment plans and changes of support, set by agency policy (and by the
/// state's guidelines for reviewing an order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestPolicy {
    /// An income change of at least this share (percent) is a reason to
    /// review the order.
    pub income_change_percent: u32,
    /// An order this old (months since it was set or last reviewed) may be
    /// reviewed without any other reason.
    pub review_after_months: u32,
}

impl Default for RequestPolicy {
    fn default() -> Self {
        Self {
            income_change_percent: 15,
            review_after_months: 36,
        }
    }
}
