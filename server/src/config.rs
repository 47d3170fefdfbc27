//! Runtime configuration: `Leptos.toml`, then environment variables on top.
//!
//! cargo-leptos keeps its build settings in `Cargo.toml`; this file is what
//! an agency edits. Every key has an environment variable (see README).

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::client::{ClientHeader, TrustedProxies};
use app::config::{Agency, LedgerPolicy, MessagePolicy, RequestPolicy, SecurityPolicy};
use app::ledger::Money;
use app::server::sealed::SecretKey;
use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::Deserialize;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub site: Site,
    pub database: Database,
    pub agency: Agency,
    pub ledger: LedgerPolicy,
    pub security: SecurityPolicy,
    pub messages: MessagePolicy,
    pub requests: RequestPolicy,
    pub email: Email,
    /// `agency.time_zone` as a zone: what checking the configuration read,
    /// kept by every way of making one (`parse`, `apply_env`).
    #[serde(skip, default = "zone_before_checking")]
    zone: Tz,
}

fn zone_before_checking() -> Tz {
    Tz::UTC
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// Where the server listens, e.g. `127.0.0.1:3000` (port 0 picks a free one).
    pub addr: SocketAddr,
    /// Folder with the built site (`pkg/` and the public assets).
    pub root: PathBuf,
    pub environment: Environment,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Development,
    Production,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Database {
    /// `sqlite://path?mode=rwc` (the default) or `postgres://…`.
    pub url: String,
    pub max_connections: u32,
}

/// E-mail for notifications, sent from the outbox over SMTP. Off unless
/// an agency turns it on with its mail server.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Email {
    pub enabled: bool,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub security: SmtpSecurity,
    /// Empty: the server takes mail without signing in.
    pub username: String,
    pub password: String,
    /// `Name <address>`.
    pub from: String,
    /// Where links in e-mails point: the portal as parents reach it.
    pub portal_url: String,
    /// How often the outbox is looked at.
    pub poll_seconds: u32,
    /// A message not sent after this many tries is given up (and logged).
    pub max_attempts: u32,
    /// News older than this is not sent at all (after an outage, or when
    /// e-mail is first turned on).
    pub max_age_hours: u32,
}

/// How the connection to the mail server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain SMTP: only for a relay on the same host or network.
    None,
    /// SMTP upgraded with STARTTLS (usually port 587).
    Starttls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: key `{key}`: {message}")]
    Invalid {
        path: PathBuf,
        key: String,
        message: String,
    },
    #[error("environment variable {name}: {message}")]
    Env { name: &'static str, message: String },
}

impl Config {
    /// Reads `path`, then applies the environment overrides.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        let mut config = Self::parse(&text, path)?;
        config.apply_env(|name| std::env::var(name).ok())?;
        Ok(config)
    }

    /// Parses the TOML text; an error names the key it is about.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let invalid = |key: String, message: String| ConfigError::Invalid {
            path: path.to_owned(),
            key,
            message,
        };
        let deserializer = toml::Deserializer::parse(text)
            .map_err(|error| invalid("(file)".into(), one_line(&error.to_string())))?;
        let mut config: Config =
            serde_path_to_error::deserialize(deserializer).map_err(|error| {
                let key = error.path().to_string();
                invalid(key, one_line(&error.into_inner().to_string()))
            })?;
        config.zone = config
            .validate()
            .map_err(|(key, message)| invalid(key.into(), message))?;
        Ok(config)
    }

    /// Environment variables win over the file. `lookup` is the environment
    /// (a closure so tests need not touch the process's variables).
    pub fn apply_env(
        &mut self,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<(), ConfigError> {
        self.apply_site_env(&lookup)?;
        self.apply_agency_env(&lookup);
        self.apply_ledger_env(&lookup)?;
        self.apply_message_env(&lookup)?;
        self.apply_email_env(&lookup)?;
        self.apply_security_env(&lookup)?;
        self.zone = self.validate().map_err(|(key, message)| ConfigError::Env {
            name: env_name_of(key),
            message,
        })?;
        Ok(())
    }

    fn apply_site_env(
        &mut self,
        lookup: &impl Fn(&str) -> Option<String>,
    ) -> Result<(), ConfigError> {
        const ADDRESS: &str = "is not an address like 127.0.0.1:3000";
        set_from_env(lookup, "LEPTOS_SITE_ADDR", &mut self.site.addr, ADDRESS)?;
        if let Some(value) = lookup("LEPTOS_SITE_ROOT") {
            self.site.root = value.into();
        }
        if let Some(value) = lookup("PORTAL_ENVIRONMENT") {
            self.site.environment = match value.as_str() {
                "development" => Environment::Development,
                "production" => Environment::Production,
                _ => {
                    return Err(ConfigError::Env {
                        name: "PORTAL_ENVIRONMENT",
                        message: format!("`{value}` is neither `development` nor `production`"),
                    })
                }
            };
        }
        if let Some(value) = lookup("DATABASE_URL") {
            self.database.url = value;
        }
        if let Some(value) = lookup("PORTAL_DATABASE_MAX_CONNECTIONS") {
            let connections: NonZeroU32 = value.parse().map_err(|_| ConfigError::Env {
                name: "PORTAL_DATABASE_MAX_CONNECTIONS",
                message: format!("`{value}` is not a positive whole number"),
            })?;
            self.database.max_connections = connections.get();
        }
        Ok(())
    }

    fn apply_agency_env(&mut self, lookup: &impl Fn(&str) -> Option<String>) {
        let agency = &mut self.agency;
        for (name, field) in [
            ("PORTAL_AGENCY_NAME", &mut agency.name),
            ("PORTAL_APP_NAME", &mut agency.app_name),
            ("PORTAL_APP_SHORT_NAME", &mut agency.app_short_name),
            ("PORTAL_AGENCY_PHONE", &mut agency.phone),
            ("PORTAL_AGENCY_HOURS", &mut agency.hours.en),
            ("PORTAL_AGENCY_HOURS_ES", &mut agency.hours.es),
            ("PORTAL_AGENCY_TIME_ZONE", &mut agency.time_zone),
            ("PORTAL_QUICK_EXIT_URL", &mut agency.quick_exit_url),
        ] {
            if let Some(value) = lookup(name) {
                *field = value;
            }
        }
    }

    fn apply_ledger_env(
        &mut self,
        lookup: &impl Fn(&str) -> Option<String>,
    ) -> Result<(), ConfigError> {
        let ledger = &mut self.ledger;
        set_from_env(
            lookup,
            "PORTAL_LEDGER_GRACE_DAYS",
            &mut ledger.grace_days,
            DAYS,
        )?;
        let behind = &mut ledger.license_days_behind;
        set_from_env(lookup, "PORTAL_LICENSE_DAYS_BEHIND", behind, DAYS)?;
        for (name, field) in [
            ("PORTAL_PASSPORT_THRESHOLD", &mut ledger.passport_threshold),
            (
                "PORTAL_TAX_INTERCEPT_THRESHOLD",
                &mut ledger.tax_intercept_threshold,
            ),
            ("PORTAL_LEDGER_SERVICE_FEE", &mut ledger.service_fee),
            (
                "PORTAL_LEDGER_SERVICE_FEE_THRESHOLD",
                &mut ledger.service_fee_threshold,
            ),
        ] {
            if let Some(value) = lookup(name) {
                *field = Money::parse(&value).map_err(|e| ConfigError::Env {
                    name,
                    message: format!("`{value}`: {e}"),
                })?;
            }
        }
        if let Some(value) = lookup("PORTAL_LEDGER_INTEREST") {
            ledger.interest = value.trim().parse().map_err(|_| ConfigError::Env {
                name: "PORTAL_LEDGER_INTEREST",
                message: format!("`{value}` is not an annual rate like 0.06"),
            })?;
        }
        if let Some(value) = lookup("PORTAL_LEDGER_INTEREST_FROM") {
            ledger.interest_from = match value.trim() {
                "" => None,
                day => Some(day.parse().map_err(|_| ConfigError::Env {
                    name: "PORTAL_LEDGER_INTEREST_FROM",
                    message: format!("`{value}` is not a date (YYYY-MM-DD)"),
                })?),
            };
        }
        Ok(())
    }

    /// Messages and requests to change support.
    fn apply_message_env(
        &mut self,
        lookup: &impl Fn(&str) -> Option<String>,
    ) -> Result<(), ConfigError> {
        const MEGABYTES: &str = "is not a whole number of megabytes";
        let messages = &mut self.messages;
        let reply_days = &mut messages.reply_business_days;
        set_from_env(lookup, "PORTAL_REPLY_BUSINESS_DAYS", reply_days, DAYS)?;
        let largest = &mut messages.attachment_max_mb;
        set_from_env(lookup, "PORTAL_ATTACHMENT_MAX_MB", largest, MEGABYTES)?;
        let daily = &mut messages.daily_upload_mb;
        set_from_env(lookup, "PORTAL_DAILY_UPLOAD_MB", daily, MEGABYTES)?;
        let requests = &mut self.requests;
        let percent = &mut requests.income_change_percent;
        set_from_env(lookup, "PORTAL_INCOME_CHANGE_PERCENT", percent, WHOLE)?;
        let months = &mut requests.review_after_months;
        set_from_env(lookup, "PORTAL_REVIEW_AFTER_MONTHS", months, WHOLE)
    }

    fn apply_security_env(
        &mut self,
        lookup: &impl Fn(&str) -> Option<String>,
    ) -> Result<(), ConfigError> {
        let security = &mut self.security;
        for (name, field) in [
            (
                "PORTAL_SESSION_IDLE_MINUTES",
                &mut security.session_idle_minutes,
            ),
            ("PORTAL_SESSION_MAX_HOURS", &mut security.session_max_hours),
            ("PORTAL_LOCKOUT_AFTER", &mut security.lockout_after),
            ("PORTAL_LOCKOUT_MINUTES", &mut security.lockout_minutes),
            (
                "PORTAL_FAILURES_PER_ADDRESS",
                &mut security.failures_per_address,
            ),
            (
                "PORTAL_CREDENTIAL_CHECKS_PER_SECOND",
                &mut security.credential_checks_per_second,
            ),
            ("PORTAL_PIN_VALID_DAYS", &mut security.pin_valid_days),
            ("PORTAL_PIN_TRIES", &mut security.pin_tries),
        ] {
            set_from_env(lookup, name, field, WHOLE)?;
        }
        let secure_cookies = &mut security.secure_cookies;
        set_from_env(
            lookup,
            "PORTAL_SECURE_COOKIES",
            secure_cookies,
            TRUE_OR_FALSE,
        )?;
        let staff_mfa = &mut security.require_mfa_for_staff;
        set_from_env(
            lookup,
            "PORTAL_REQUIRE_MFA_FOR_STAFF",
            staff_mfa,
            TRUE_OR_FALSE,
        )?;
        if let Some(value) = lookup("PORTAL_SECRET_KEY") {
            security.secret_key = Some(app::config::SecretText(value));
        }
        if let Some(value) = lookup("PORTAL_CLIENT_ADDRESS_HEADER") {
            security.client_address_header = value;
        }
        if let Some(value) = lookup("PORTAL_TRUSTED_PROXIES") {
            security.trusted_proxies = value
                .split(',')
                .map(str::trim)
                .filter(|entry| !entry.is_empty())
                .map(str::to_owned)
                .collect();
        }
        Ok(())
    }

    /// Checks every key, and reads the agency's time zone; an error names the
    /// key and what is wrong with it.
    fn validate(&self) -> Result<Tz, (&'static str, String)> {
        let zone = self.check_site_and_agency()?;
        self.check_messages_and_requests()?;
        self.check_email()?;
        self.check_ledger()?;
        self.check_security()?;
        Ok(zone)
    }

    /// What must be set; the agency's time zone, read.
    fn check_site_and_agency(&self) -> Result<Tz, (&'static str, String)> {
        let required = [
            ("database.url", &self.database.url),
            ("agency.name", &self.agency.name),
            ("agency.app_name", &self.agency.app_name),
            ("agency.app_short_name", &self.agency.app_short_name),
            ("agency.phone", &self.agency.phone),
            ("agency.hours.en", &self.agency.hours.en),
            ("agency.hours.es", &self.agency.hours.es),
            ("agency.time_zone", &self.agency.time_zone),
            ("agency.quick_exit_url", &self.agency.quick_exit_url),
        ];
        for (key, value) in required {
            if value.trim().is_empty() {
                return Err((key, "must not be empty".into()));
            }
        }
        if self.database.max_connections == 0 {
            return Err(("database.max_connections", "must be at least 1".into()));
        }
        let zone = self.agency.time_zone.parse().map_err(|_| {
            (
                "agency.time_zone",
                format!(
                    "`{}` is not an IANA time zone like America/Chicago",
                    self.agency.time_zone
                ),
            )
        })?;
        if !is_web_address(&self.agency.quick_exit_url) {
            return Err((
                "agency.quick_exit_url",
                format!(
                    "`{}` is not a web address like https://www.weather.gov/",
                    self.agency.quick_exit_url
                ),
            ));
        }
        Ok(zone)
    }

    /// Messages and requests to change support.
    fn check_messages_and_requests(&self) -> Check {
        if !(1..=30).contains(&self.messages.reply_business_days) {
            return Err((
                "messages.reply_business_days",
                "must be 1 to 30 business days".into(),
            ));
        }
        if !(1..=50).contains(&self.messages.attachment_max_mb) {
            return Err((
                "messages.attachment_max_mb",
                "must be 1 to 50 megabytes".into(),
            ));
        }
        if self.messages.daily_upload_mb < self.messages.attachment_max_mb {
            return Err((
                "messages.daily_upload_mb",
                "must be at least messages.attachment_max_mb".into(),
            ));
        }
        if !(1..=100).contains(&self.requests.income_change_percent) {
            return Err((
                "requests.income_change_percent",
                "must be 1 to 100 percent".into(),
            ));
        }
        if !(1..=120).contains(&self.requests.review_after_months) {
            return Err((
                "requests.review_after_months",
                "must be 1 to 120 months".into(),
            ));
        }
        Ok(())
    }

    /// E-mail, when it is turned on; the outbox always.
    fn check_email(&self) -> Check {
        if self.email.enabled {
            if self.email.from.parse::<lettre::message::Mailbox>().is_err() {
                return Err((
                    "email.from",
                    format!(
                        "`{}` is not an address like Agency <no-reply@agency.gov>",
                        self.email.from
                    ),
                ));
            }
            if self.email.smtp_host.trim().is_empty() {
                return Err(("email.smtp_host", "is empty".into()));
            }
            // Mail says what happened on a case: it crosses a network only encrypted.
            if self.email.security == SmtpSecurity::None && !is_this_machine(&self.email.smtp_host)
            {
                return Err((
                    "email.security",
                    format!(
                        "must be starttls or tls for `{}`: plain SMTP only to a relay on this machine",
                        self.email.smtp_host
                    ),
                ));
            }
        }
        if !(1..=3600).contains(&self.email.poll_seconds) {
            return Err(("email.poll_seconds", "must be 1 to 3600 seconds".into()));
        }
        if !(1..=50).contains(&self.email.max_attempts) {
            return Err(("email.max_attempts", "must be 1 to 50".into()));
        }
        Ok(())
    }

    /// The ledger's policy: grace, interest, thresholds.
    fn check_ledger(&self) -> Check {
        if self.ledger.grace_days > 31 {
            return Err(("ledger.grace_days", "must be 0 to 31 days".into()));
        }
        let interest = self.ledger.interest;
        if interest.is_sign_negative() || interest > rust_decimal::Decimal::ONE {
            return Err((
                "ledger.interest",
                "must be an annual rate from 0 to 1 (0.06 is 6 %)".into(),
            ));
        }
        if !interest.is_zero() && self.ledger.interest_from.is_none() {
            return Err((
                "ledger.interest_from",
                "is needed when interest is charged: the first day it counts".into(),
            ));
        }
        for (key, threshold) in [
            ("ledger.passport_threshold", self.ledger.passport_threshold),
            (
                "ledger.tax_intercept_threshold",
                self.ledger.tax_intercept_threshold,
            ),
            ("ledger.service_fee", self.ledger.service_fee),
            (
                "ledger.service_fee_threshold",
                self.ledger.service_fee_threshold,
            ),
        ] {
            if threshold.is_negative() {
                return Err((key, "must not be negative".into()));
            }
        }
        Ok(())
    }

    /// Sessions, lockouts, proxies and the key that seals secrets.
    fn check_security(&self) -> Check {
        let security = &self.security;
        for (key, value) in [
            (
                "security.session_idle_minutes",
                security.session_idle_minutes,
            ),
            ("security.session_max_hours", security.session_max_hours),
            ("security.lockout_after", security.lockout_after),
            ("security.lockout_minutes", security.lockout_minutes),
            (
                "security.failures_per_address",
                security.failures_per_address,
            ),
            (
                "security.credential_checks_per_second",
                security.credential_checks_per_second,
            ),
            ("security.pin_valid_days", security.pin_valid_days),
            ("security.pin_tries", security.pin_tries),
        ] {
            if value == 0 {
                return Err((key, "must be at least 1".into()));
            }
        }
        if security.session_idle_minutes > security.session_max_hours.saturating_mul(60) {
            return Err((
                "security.session_idle_minutes",
                "must not be longer than security.session_max_hours".into(),
            ));
        }
        if self.site.environment == Environment::Production && !security.secure_cookies {
            return Err((
                "security.secure_cookies",
                "must be true in production (serve the portal over https)".into(),
            ));
        }
        let Some(header) = ClientHeader::parse(&security.client_address_header) else {
            return Err((
                "security.client_address_header",
                "must be x-forwarded-for or forwarded".into(),
            ));
        };
        if let Err(entry) = TrustedProxies::parse(&security.trusted_proxies, header) {
            return Err((
                "security.trusted_proxies",
                format!("`{entry}` is neither an address nor a CIDR block"),
            ));
        }
        if self.site.environment == Environment::Production && !security.require_mfa_for_staff {
            return Err((
                "security.require_mfa_for_staff",
                "must be true in production (staff sign in with a second step)".into(),
            ));
        }
        match &security.secret_key {
            Some(key) => {
                if let Err(problem) = SecretKey::from_base64(&key.0) {
                    return Err(("security.secret_key", problem.into()));
                }
            }
            None if self.site.environment == Environment::Production => {
                return Err((
                    "security.secret_key",
                    "must be set in production (openssl rand -base64 32)".into(),
                ));
            }
            None => {}
        }
        Ok(())
    }

    /// The key that seals secrets: the configured one (validated when the
    /// configuration was read), or in development the published
    /// development key.
    pub fn secret_key(&self) -> SecretKey {
        match &self.security.secret_key {
            None => SecretKey::development(),
            Some(key) => SecretKey::from_base64(&key.0).unwrap_or_else(|problem| {
                // Cannot happen after validation; if it did, nothing sealed
                // opens (second steps fail closed) rather than a known key.
                tracing::error!(problem, "security.secret_key: using a random key");
                SecretKey::random()
            }),
        }
    }

    /// The agency's time zone.
    pub fn time_zone(&self) -> Tz {
        self.zone
    }

    fn apply_email_env(
        &mut self,
        lookup: &impl Fn(&str) -> Option<String>,
    ) -> Result<(), ConfigError> {
        let email = &mut self.email;
        set_from_env(
            lookup,
            "PORTAL_EMAIL_ENABLED",
            &mut email.enabled,
            TRUE_OR_FALSE,
        )?;
        for (name, field) in [
            ("PORTAL_SMTP_HOST", &mut email.smtp_host),
            ("PORTAL_SMTP_USERNAME", &mut email.username),
            ("PORTAL_SMTP_PASSWORD", &mut email.password),
            ("PORTAL_EMAIL_FROM", &mut email.from),
            ("PORTAL_URL", &mut email.portal_url),
        ] {
            if let Some(value) = lookup(name) {
                *field = value;
            }
        }
        set_from_env(
            lookup,
            "PORTAL_SMTP_PORT",
            &mut email.smtp_port,
            "is not a port number",
        )?;
        if let Some(value) = lookup("PORTAL_SMTP_SECURITY") {
            email.security = match value.as_str() {
                "none" => SmtpSecurity::None,
                "starttls" => SmtpSecurity::Starttls,
                "tls" => SmtpSecurity::Tls,
                _ => {
                    return Err(ConfigError::Env {
                        name: "PORTAL_SMTP_SECURITY",
                        message: format!("`{value}` is not none, starttls or tls"),
                    })
                }
            };
        }
        Ok(())
    }

    /// Today's date where the agency is: due dates are calendar dates there.
    pub fn today(&self) -> NaiveDate {
        chrono::Utc::now()
            .with_timezone(&self.time_zone())
            .date_naive()
    }
}

/// An absolute http(s) address with a host, fit for a `Location` header.
fn is_web_address(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        !rest.is_empty()
            && !rest.starts_with('/')
            && !text.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

/// A key's problem: the key and what is wrong with its value.
type Check = Result<(), (&'static str, String)>;

const WHOLE: &str = "is not a whole number";
const DAYS: &str = "is not a whole number of days";
const TRUE_OR_FALSE: &str = "is neither `true` nor `false`";

/// Sets `field` from the environment variable `name` when it is set; a value
/// that does not parse is an error saying what it should be (`problem`).
fn set_from_env<T: FromStr>(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    field: &mut T,
    problem: &str,
) -> Result<(), ConfigError> {
    if let Some(value) = lookup(name) {
        *field = value.parse().map_err(|_| ConfigError::Env {
            name,
            message: format!("`{value}` {problem}"),
        })?;
    }
    Ok(())
}

fn env_name_of(key: &str) -> &'static str {
    match key {
        "database.url" => "DATABASE_URL",
        "database.max_connections" => "PORTAL_DATABASE_MAX_CONNECTIONS",
        "agency.name" => "PORTAL_AGENCY_NAME",
        "agency.app_name" => "PORTAL_APP_NAME",
        "agency.app_short_name" => "PORTAL_APP_SHORT_NAME",
        "agency.phone" => "PORTAL_AGENCY_PHONE",
        "agency.hours.en" => "PORTAL_AGENCY_HOURS",
        "agency.hours.es" => "PORTAL_AGENCY_HOURS_ES",
        "agency.quick_exit_url" => "PORTAL_QUICK_EXIT_URL",
        "ledger.grace_days" => "PORTAL_LEDGER_GRACE_DAYS",
        "ledger.passport_threshold" => "PORTAL_PASSPORT_THRESHOLD",
        "ledger.tax_intercept_threshold" => "PORTAL_TAX_INTERCEPT_THRESHOLD",
        "ledger.license_days_behind" => "PORTAL_LICENSE_DAYS_BEHIND",
        "ledger.interest" => "PORTAL_LEDGER_INTEREST",
        "ledger.interest_from" => "PORTAL_LEDGER_INTEREST_FROM",
        "ledger.service_fee" => "PORTAL_LEDGER_SERVICE_FEE",
        "ledger.service_fee_threshold" => "PORTAL_LEDGER_SERVICE_FEE_THRESHOLD",
        "messages.reply_business_days" => "PORTAL_REPLY_BUSINESS_DAYS",
        "messages.attachment_max_mb" => "PORTAL_ATTACHMENT_MAX_MB",
        "messages.daily_upload_mb" => "PORTAL_DAILY_UPLOAD_MB",
        "requests.income_change_percent" => "PORTAL_INCOME_CHANGE_PERCENT",
        "email.from" => "PORTAL_EMAIL_FROM",
        "email.smtp_host" => "PORTAL_SMTP_HOST",
        "email.security" => "PORTAL_SMTP_SECURITY",
        "requests.review_after_months" => "PORTAL_REVIEW_AFTER_MONTHS",
        "security.session_idle_minutes" => "PORTAL_SESSION_IDLE_MINUTES",
        "security.session_max_hours" => "PORTAL_SESSION_MAX_HOURS",
        "security.secure_cookies" => "PORTAL_SECURE_COOKIES",
        "security.lockout_after" => "PORTAL_LOCKOUT_AFTER",
        "security.lockout_minutes" => "PORTAL_LOCKOUT_MINUTES",
        "security.failures_per_address" => "PORTAL_FAILURES_PER_ADDRESS",
        "security.credential_checks_per_second" => "PORTAL_CREDENTIAL_CHECKS_PER_SECOND",
        "security.pin_valid_days" => "PORTAL_PIN_VALID_DAYS",
        "security.pin_tries" => "PORTAL_PIN_TRIES",
        "security.require_mfa_for_staff" => "PORTAL_REQUIRE_MFA_FOR_STAFF",
        "security.trusted_proxies" => "PORTAL_TRUSTED_PROXIES",
        "security.client_address_header" => "PORTAL_CLIENT_ADDRESS_HEADER",
        "security.secret_key" => "PORTAL_SECRET_KEY",
        _ => "PORTAL_AGENCY_TIME_ZONE",
    }
}

/// `localhost`, or a loopback address.
fn is_this_machine(host: &str) -> bool {
    let host = host.trim().trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|address| address.is_loopback())
}

/// toml's messages span several lines with a source excerpt; one line reads
/// better in a terminal and a log.
fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = include_str!("../../Leptos.toml");
    /// 32 bytes, base64: a key for the tests.
    const KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("Leptos.toml"))
    }

    fn invalid_key(text: &str) -> String {
        match parse(text) {
            Err(ConfigError::Invalid { key, .. }) => key,
            other => panic!("expected an invalid-key error, got {other:?}"),
        }
    }

    #[test]
    fn the_shipped_file_is_valid() {
        let config = parse(SHIPPED).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.site.addr.port(), 3000);
        assert!(config.database.url.starts_with("sqlite://data/portal.db"));
        assert_eq!(config.site.environment, Environment::Development);
    }

    #[test]
    fn a_wrong_type_names_its_key() {
        let text = SHIPPED.replace("max_connections = 10", "max_connections = \"ten\"");
        assert_eq!(invalid_key(&text), "database.max_connections");
    }

    #[test]
    fn an_unknown_key_is_named() {
        let text = SHIPPED.replace("[agency]", "[agency]\nnmae = \"typo\"");
        assert_eq!(invalid_key(&text), "agency.nmae");
    }

    #[test]
    fn a_missing_key_is_named() {
        let text = SHIPPED.replace("[agency]", "[ignored]\n[agency]");
        let error = parse(&text).map(|_| ()).unwrap_err().to_string();
        assert!(error.contains("ignored"), "{error}");
        let without_phone: String = SHIPPED
            .lines()
            .filter(|line| !line.starts_with("phone"))
            .collect::<Vec<_>>()
            .join("\n");
        let error = parse(&without_phone).map(|_| ()).unwrap_err().to_string();
        assert!(
            error.contains("agency") && error.contains("phone"),
            "{error}"
        );
    }

    #[test]
    fn broken_toml_is_reported_on_one_line() {
        let error = parse("[site\naddr = 1")
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("Leptos.toml: key `(file)`"), "{error}");
        assert!(!error.contains('\n'), "{error}");
    }

    #[test]
    fn an_empty_agency_name_is_refused() {
        let text = SHIPPED.replace("name = \"", "name = \"  \" # ");
        assert_eq!(invalid_key(&text), "agency.name");
    }

    #[test]
    fn the_quick_exit_goes_to_a_web_address() {
        for bad in [
            "",
            "www.weather.gov",
            "javascript:alert(1)",
            "https:///x",
            "https://a b",
        ] {
            let text = SHIPPED.replace(
                "quick_exit_url = \"https://www.weather.gov/\"",
                &format!("quick_exit_url = {bad:?}"),
            );
            assert_eq!(invalid_key(&text), "agency.quick_exit_url", "{bad}");
        }
    }

    #[test]
    fn environment_variables_override_the_file() {
        let mut config = parse(SHIPPED).unwrap_or_else(|e| panic!("{e}"));
        config
            .apply_env(|name| match name {
                "LEPTOS_SITE_ADDR" => Some("0.0.0.0:8080".into()),
                "DATABASE_URL" => Some("postgres://postgres@127.0.0.1/portal".into()),
                "PORTAL_AGENCY_NAME" => Some("Lake County CSEA".into()),
                "PORTAL_ENVIRONMENT" => Some("production".into()),
                "PORTAL_SECURE_COOKIES" | "PORTAL_REQUIRE_MFA_FOR_STAFF" => Some("true".into()),
                "PORTAL_SECRET_KEY" => Some(KEY.into()),
                _ => None,
            })
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.site.addr.to_string(), "0.0.0.0:8080");
        assert_eq!(config.database.url, "postgres://postgres@127.0.0.1/portal");
        assert_eq!(config.agency.name, "Lake County CSEA");
        assert_eq!(config.site.environment, Environment::Production);
        assert!(config.security.secure_cookies);
    }

    #[test]
    fn production_refuses_cookies_over_http_and_staff_without_a_second_step() {
        let mut config = parse(SHIPPED).unwrap_or_else(|e| panic!("{e}"));
        let error = config
            .apply_env(|name| (name == "PORTAL_ENVIRONMENT").then(|| "production".into()))
            .unwrap_err()
            .to_string();
        assert!(error.contains("PORTAL_SECURE_COOKIES"), "{error}");
        let error = config
            .apply_env(|name| match name {
                "PORTAL_ENVIRONMENT" => Some("production".into()),
                "PORTAL_SECURE_COOKIES" => Some("true".into()),
                _ => None,
            })
            .unwrap_err()
            .to_string();
        assert!(error.contains("PORTAL_REQUIRE_MFA_FOR_STAFF"), "{error}");
        let error = config
            .apply_env(|name| match name {
                "PORTAL_ENVIRONMENT" => Some("production".into()),
                "PORTAL_SECURE_COOKIES" | "PORTAL_REQUIRE_MFA_FOR_STAFF" => Some("true".into()),
                _ => None,
            })
            .unwrap_err()
            .to_string();
        assert!(error.contains("PORTAL_SECRET_KEY"), "{error}");
        let error = config
            .apply_env(|name| match name {
                "PORTAL_SECRET_KEY" => Some("c2hvcnQ=".into()),
                _ => None,
            })
            .unwrap_err()
            .to_string();
        assert!(error.contains("32 bytes"), "{error}");
    }

    #[test]
    fn mail_crosses_a_network_only_encrypted() {
        let on = SHIPPED.replace(
            "enabled = false                 # PORTAL_EMAIL_ENABLED",
            "enabled = true # ",
        );
        assert!(parse(&on).is_ok(), "plain SMTP to a relay on this machine");
        let remote = on.replace(
            "smtp_host = \"127.0.0.1\"",
            "smtp_host = \"mail.agency.example\"",
        );
        assert_eq!(invalid_key(&remote), "email.security");
        let encrypted = remote.replace("security = \"none\"", "security = \"starttls\"");
        assert!(parse(&encrypted).is_ok());
    }

    #[test]
    fn trusted_proxies_are_addresses_or_blocks() {
        let text = SHIPPED.replace(
            "trusted_proxies = []",
            "trusted_proxies = [\"10.0.0.0/8\", \"::1\"]",
        );
        let config = parse(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.security.trusted_proxies.len(), 2);
        let bad = SHIPPED.replace(
            "trusted_proxies = []",
            "trusted_proxies = [\"the load balancer\"]",
        );
        assert_eq!(invalid_key(&bad), "security.trusted_proxies");
    }

    #[test]
    fn security_numbers_must_be_positive() {
        let text = SHIPPED.replace("lockout_after = 5", "lockout_after = 0");
        assert_eq!(invalid_key(&text), "security.lockout_after");
    }

    #[test]
    fn a_bad_environment_value_names_the_variable() {
        let mut config = parse(SHIPPED).unwrap_or_else(|e| panic!("{e}"));
        let error = config
            .apply_env(|name| (name == "LEPTOS_SITE_ADDR").then(|| "localhost".into()))
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("environment variable LEPTOS_SITE_ADDR"),
            "{error}"
        );

        let error = config
            .apply_env(|name| (name == "PORTAL_AGENCY_PHONE").then(String::new))
            .unwrap_err()
            .to_string();
        assert!(error.contains("PORTAL_AGENCY_PHONE"), "{error}");
    }

    #[test]
    fn a_pool_of_no_connections_is_refused_where_it_is_read() {
        let mut config = parse(SHIPPED).unwrap_or_else(|e| panic!("{e}"));
        for value in ["0", "-1", "ten"] {
            let error = config
                .apply_env(|name| {
                    (name == "PORTAL_DATABASE_MAX_CONNECTIONS").then(|| value.to_owned())
                })
                .unwrap_err()
                .to_string();
            assert!(
                error.contains("PORTAL_DATABASE_MAX_CONNECTIONS")
                    && error.contains("is not a positive whole number"),
                "{value}: {error}"
            );
        }
    }

    #[test]
    fn the_time_zone_is_the_one_configured_and_a_bad_one_is_refused() {
        let mut config = parse(SHIPPED).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.time_zone(), Tz::America__Chicago);
        config
            .apply_env(|name| {
                (name == "PORTAL_AGENCY_TIME_ZONE").then(|| "Pacific/Auckland".into())
            })
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.time_zone(), Tz::Pacific__Auckland);

        let text = SHIPPED.replace("America/Chicago", "Central Time");
        assert_eq!(invalid_key(&text), "agency.time_zone");
        let error = config
            .apply_env(|name| (name == "PORTAL_AGENCY_TIME_ZONE").then(|| "Mars/Olympus".into()))
            .unwrap_err()
            .to_string();
        assert!(error.contains("PORTAL_AGENCY_TIME_ZONE"), "{error}");
    }
}
