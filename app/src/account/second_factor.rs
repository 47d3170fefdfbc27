//! The optional second step at sign-in: a six-digit code from an
//! authenticator app (TOTP, RFC 6238: SHA-1, 30 seconds, one step of clock
//! drift allowed), or one of ten single-use recovery codes.

use base64::Engine as _;
use chrono::{DateTime, Utc};
use entity::{accounts, recovery_codes};
use qrcode::render::svg;
use qrcode::QrCode;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait,
};
use totp_rs::{Algorithm, Builder, Secret, Totp};

use super::model::{PendingSecondFactor, SecuritySettings};
use super::service::Attempt;
use crate::config::SecurityPolicy;
use crate::error::{AppError, Field, Problem};
use crate::reader::User;
use crate::server::audit::{self, AuditAction, AuditEvent};
use crate::server::gate::CredentialGate;
use crate::server::sealed::SecretKey;
use crate::server::secret;
use crate::server::{internal, session};

/// What authenticator apps show as the account's issuer.
const ISSUER: &str = "Child Support Portal";
pub const RECOVERY_CODES: usize = 10;

/// A new random secret (160 bits), base32 as authenticator apps take it.
pub fn new_secret() -> String {
    Secret::from(rand::random::<[u8; 20]>()).to_base32()
}

fn totp(secret_base32: &str, account_name: &str) -> Result<Totp, AppError> {
    let secret = Secret::try_from_base32(secret_base32)
        .map_err(|e| internal(format!("bad TOTP secret: {e:?}")))?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret)
        .with_account_name(account_name)
        .with_issuer(Some(ISSUER))
        .build()
        .map_err(|e| internal(format!("TOTP: {e:?}")))
}

/// What a phone scans to add the account: the `otpauth://` address, and the
/// same as a QR code (an SVG image in a `data:` address, which the
/// Content-Security-Policy allows for images).
pub fn enrolment(secret_base32: &str, account_name: &str) -> Result<(String, String), AppError> {
    let url = totp(secret_base32, account_name)?
        .to_url()
        .map_err(|e| internal(format!("TOTP: {e:?}")))?;
    let svg = QrCode::new(url.as_bytes())
        .map_err(internal)?
        .render::<svg::Color>()
        .min_dimensions(200, 200)
        .build();
    let image = format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    );
    Ok((url, image))
}

/// The time step `code` belongs to, if it is right for `secret` at `now`
/// (or one step either side) and newer than `last_step`: a code works once.
pub fn check_code(
    secret_base32: &str,
    code: &str,
    last_step: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Option<i64>, AppError> {
    let code: String = code.chars().filter(char::is_ascii_digit).collect();
    if code.len() != 6 {
        return Ok(None);
    }
    let now = u64::try_from(now.timestamp()).unwrap_or(0);
    let step = totp(secret_base32, "")?
        .check(&code, now)
        .and_then(|step| i64::try_from(step).ok());
    Ok(step.filter(|step| last_step.is_none_or(|last| *step > last)))
}

/// Ten new recovery codes (`XXXXX-XXXXX`), to show once, with their hashes.
/// Made before any transaction begins: hashing is slow on purpose, and a
/// transaction holds a connection (the embedded database has only one).
pub struct RecoveryCodes {
    codes: Vec<String>,
    hashes: Vec<String>,
}

impl RecoveryCodes {
    pub async fn new(gate: &CredentialGate) -> Result<Self, AppError> {
        let codes: Vec<String> = (0..RECOVERY_CODES)
            .map(|_| secret::random_code(2, 5))
            .collect();
        let hashes = gate
            .hash_each(codes.iter().map(|c| secret::normalize_code(c)).collect())
            .await?;
        Ok(Self { codes, hashes })
    }

    /// Replaces any earlier codes of `account` with these; the codes to show.
    pub async fn store(
        self,
        db: &impl ConnectionTrait,
        account: i32,
    ) -> Result<Vec<String>, AppError> {
        recovery_codes::Entity::delete_many()
            .filter(recovery_codes::Column::AccountId.eq(account))
            .exec(db)
            .await?;
        for code_hash in self.hashes {
            recovery_codes::ActiveModel {
                account_id: Set(account),
                code_hash: Set(code_hash),
                used_at: Set(None),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
        Ok(self.codes)
    }
}

/// Uses `code` for `account`'s second step, once: a code from the app, or
/// an unused recovery code. The step or the recovery code is marked used by
/// a conditional update, so of two requests carrying one code at the same
/// moment only one gets through. What was used, if anything.
pub async fn use_code(
    db: &impl ConnectionTrait,
    gate: &CredentialGate,
    account: &accounts::Model,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Option<CodeUsed>, AppError> {
    let Some(stored) = account.totp_secret.as_deref() else {
        return Ok(None);
    };
    // A key that does not open is the agency's fault (a changed
    // `security.secret_key`), not the person's: recovery codes still work,
    // and nothing counts against them.
    let key = gate.open_totp_key(stored);
    if let Some(key) = &key {
        if let Some(step) = check_code(key, code, account.totp_last_step, now)? {
            let newer = accounts::Column::TotpLastStep
                .is_null()
                .or(accounts::Column::TotpLastStep.lt(step));
            let mut used = accounts::Entity::update_many()
                .col_expr(accounts::Column::TotpLastStep, Expr::value(Some(step)));
            // A key stored before keys were sealed is sealed now.
            if !SecretKey::is_sealed(stored) {
                used = used.col_expr(
                    accounts::Column::TotpSecret,
                    Expr::value(Some(gate.seal_totp_key(key)?)),
                );
            }
            let used = used
                .filter(accounts::Column::Id.eq(account.id))
                .filter(newer)
                .exec(db)
                .await?;
            return Ok((used.rows_affected == 1).then_some(CodeUsed::App));
        }
    }
    let recovered = use_recovery_code(db, gate, account, code, now).await?;
    if recovered.is_none() && key.is_none() {
        return Err(internal(
            "an authenticator key does not open with security.secret_key",
        ));
    }
    Ok(recovered)
}

/// Uses `code` as one of `account`'s unused recovery codes.
async fn use_recovery_code(
    db: &impl ConnectionTrait,
    gate: &CredentialGate,
    account: &accounts::Model,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Option<CodeUsed>, AppError> {
    let typed = secret::normalize_code(code);
    if typed.len() != 10 {
        return Ok(None);
    }
    let unused = recovery_codes::Entity::find()
        .filter(recovery_codes::Column::AccountId.eq(account.id))
        .filter(recovery_codes::Column::UsedAt.is_null())
        .all(db)
        .await?;
    let hashes = unused.iter().map(|c| c.code_hash.clone()).collect();
    let Some(code) = gate
        .first_match(&typed, hashes, 0)
        .await?
        .and_then(|i| unused.get(i))
    else {
        return Ok(None);
    };
    let used = recovery_codes::Entity::update_many()
        .col_expr(recovery_codes::Column::UsedAt, Expr::value(Some(now)))
        .filter(recovery_codes::Column::Id.eq(code.id))
        .filter(recovery_codes::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok((used.rows_affected == 1).then_some(CodeUsed::RecoveryCode))
}

/// What a second step was passed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeUsed {
    App,
    RecoveryCode,
}

/// The settings page of `user`: whether the second factor is on, what to
/// scan while one is being set up (`pending` secret), codes just made.
pub async fn settings(
    db: &impl ConnectionTrait,
    user: &User,
    policy: &SecurityPolicy,
    pending: Option<String>,
    fresh_recovery_codes: Vec<String>,
) -> Result<SecuritySettings, AppError> {
    let account = accounts::Entity::find_by_id(user.account_id)
        .one(db)
        .await?
        .ok_or(AppError::SignInRequired)?;
    let pending = match pending {
        Some(key) if account.totp_enabled_at.is_none() => {
            let (_, qr_image) = enrolment(&key, &account.email)?;
            let grouped = key
                .as_bytes()
                .chunks(4)
                .map(|group| String::from_utf8_lossy(group).into_owned())
                .collect::<Vec<_>>()
                .join(" ");
            Some(PendingSecondFactor {
                key: grouped,
                qr_image,
            })
        }
        _ => None,
    };
    let recovery_codes_left = recovery_codes::Entity::find()
        .filter(recovery_codes::Column::AccountId.eq(account.id))
        .filter(recovery_codes::Column::UsedAt.is_null())
        .count(db)
        .await?;
    Ok(SecuritySettings {
        second_factor: account.totp_enabled_at.is_some(),
        second_factor_required: user.role.is_staff() && policy.require_mfa_for_staff,
        pending,
        fresh_recovery_codes,
        recovery_codes_left,
    })
}

/// Turns the second factor on with the `key` being set up, once the app's
/// first `code` proves the phone has it and the password is typed again.
/// Every other session of the account ends with it (`current` stays), in
/// the same transaction. Returns the new recovery codes.
pub async fn enable(
    db: &DatabaseConnection,
    attempt: &Attempt,
    user: &User,
    current: Option<&str>,
    key: &str,
    code: &str,
    password: &str,
) -> Result<Vec<String>, AppError> {
    let account = accounts::Entity::find_by_id(user.account_id)
        .one(db)
        .await?
        .ok_or(AppError::SignInRequired)?;
    check_password(db, attempt, &account, password).await?;
    let Some(step) = check_code(key, code, None, attempt.now)? else {
        return Err(AppError::invalid(Field::Code, Problem::WrongCode));
    };
    let recovery = RecoveryCodes::new(&attempt.gate).await?;
    let txn = db.begin().await?;
    accounts::Entity::update_many()
        .col_expr(
            accounts::Column::TotpSecret,
            Expr::value(Some(attempt.gate.seal_totp_key(key)?)),
        )
        .col_expr(
            accounts::Column::TotpEnabledAt,
            Expr::value(Some(attempt.now)),
        )
        .col_expr(accounts::Column::TotpLastStep, Expr::value(Some(step)))
        .filter(accounts::Column::Id.eq(user.account_id))
        .exec(&txn)
        .await?;
    let codes = recovery.store(&txn, user.account_id).await?;
    session::end_others_of(&txn, user.account_id, current).await?;
    let event = AuditEvent::new(AuditAction::SecondFactorEnabled).by(user.person_id);
    audit::record(&txn, event, &attempt.source, attempt.now).await?;
    txn.commit().await?;
    Ok(codes)
}

/// The account's password typed again, to be sure it is them: a wrong one
/// counts towards the lockout like a wrong one at sign-in.
async fn check_password(
    db: &DatabaseConnection,
    attempt: &Attempt,
    account: &accounts::Model,
    password: &str,
) -> Result<(), AppError> {
    if password.is_empty() {
        return Err(AppError::invalid(Field::Password, Problem::Required));
    }
    if account
        .locked_until
        .is_some_and(|until| until > attempt.now)
    {
        return Err(AppError::invalid(Field::Password, Problem::WrongPassword));
    }
    if attempt
        .gate
        .verify(password, &account.password_hash)
        .await?
    {
        return Ok(());
    }
    super::service::count_failure(db, attempt, account, "wrong password").await?;
    Err(AppError::invalid(Field::Password, Problem::WrongPassword))
}

/// Turns the second factor off, after the password is typed again. Staff
/// whose agency requires it cannot.
pub async fn disable(
    db: &DatabaseConnection,
    attempt: &Attempt,
    user: &User,
    current: Option<&str>,
    password: &str,
) -> Result<(), AppError> {
    if user.role.is_staff() && attempt.policy.require_mfa_for_staff {
        return Err(AppError::Forbidden);
    }
    let account = accounts::Entity::find_by_id(user.account_id)
        .one(db)
        .await?
        .ok_or(AppError::SignInRequired)?;
    check_password(db, attempt, &account, password).await?;
    let txn = db.begin().await?;
    accounts::Entity::update_many()
        .col_expr(
            accounts::Column::TotpSecret,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            accounts::Column::TotpEnabledAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            accounts::Column::TotpLastStep,
            Expr::value(Option::<i64>::None),
        )
        .filter(accounts::Column::Id.eq(account.id))
        .exec(&txn)
        .await?;
    recovery_codes::Entity::delete_many()
        .filter(recovery_codes::Column::AccountId.eq(account.id))
        .exec(&txn)
        .await?;
    session::end_others_of(&txn, account.id, current).await?;
    let event = AuditEvent::new(AuditAction::SecondFactorDisabled).by(user.person_id);
    audit::record(&txn, event, &attempt.source, attempt.now).await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_works_in_its_window_once_and_not_an_hour_later() {
        let secret = new_secret();
        let now = Utc::now();
        let code = totp(&secret, "")
            .map(|t| t.generate(now.timestamp() as u64).to_string())
            .unwrap_or_default();
        let step = check_code(&secret, &code, None, now).ok().flatten();
        assert!(step.is_some(), "the current code");
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(
            check_code(&secret, &spaced, None, now).ok().flatten(),
            step,
            "typed with a space"
        );
        assert_eq!(
            check_code(&secret, &code, step, now).ok().flatten(),
            None,
            "used already"
        );
        let later = now + chrono::Duration::hours(1);
        assert_eq!(
            check_code(&secret, &code, None, later).ok().flatten(),
            None,
            "an hour later"
        );
        assert_eq!(check_code(&secret, "12345", None, now).ok().flatten(), None);
    }

    #[test]
    fn an_enrolment_is_an_otpauth_address_and_its_qr_code() {
        let (url, image) = enrolment(&new_secret(), "pat@example.com").unwrap_or_default();
        assert!(url.starts_with("otpauth://totp/"), "{url}");
        assert!(url.contains("issuer=Child%20Support%20Portal"), "{url}");
        assert!(image.starts_with("data:image/svg+xml;base64,"));
    }
}
