//! Signing in: the password, then the second step for accounts that have
//! one; every refusal alike, and counted towards the lockout.

use super::{count_failure, Attempt};
use crate::account::second_factor::{self, CodeUsed};
use crate::error::{AppError, Field, Problem};
use crate::reader::User;
use crate::server::audit::{self, AuditAction, AuditEvent};
use crate::server::secret::{self, at};
use crate::server::user;
use chrono::{DateTime, Utc};
use entity::accounts;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};

/// Where a right password leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignedIn {
    /// Signed in.
    Complete(User),
    /// The account has a second factor: its code comes next.
    SecondStep { account: i32 },
}

/// Checks an e-mail and password. Every refusal — unknown e-mail, wrong
/// password, locked account, blocked address — looks and takes the same.
pub async fn sign_in(
    db: &DatabaseConnection,
    attempt: &Attempt,
    email: &str,
    password: &str,
) -> Result<SignedIn, AppError> {
    let email = secret::normalize_email(email).map_err(at(Field::Email))?;
    if password.is_empty() {
        return Err(AppError::invalid(Field::Password, Problem::Required));
    }
    let refuse = |detail: &'static str, account: Option<&accounts::Model>| {
        let mut event = AuditEvent::new(AuditAction::SignInFailed).detail(detail);
        if let Some(account) = account {
            event = event.about(account.person_id);
        }
        audit::record(db, event, &attempt.source, attempt.now)
    };

    if attempt.turned_away(db, AuditAction::SignInFailed).await? {
        return Err(AppError::SignInRefused);
    }
    let account = accounts::Entity::find()
        .filter(accounts::Column::Email.eq(email.as_str()))
        .one(db)
        .await?;
    let Some(account) = account else {
        attempt.gate.verify_nothing(password).await?;
        refuse("unknown e-mail", None).await?;
        return Err(AppError::SignInRefused);
    };
    if account
        .locked_until
        .is_some_and(|until| until > attempt.now)
    {
        attempt.gate.verify_nothing(password).await?;
        refuse("account locked", Some(&account)).await?;
        return Err(AppError::SignInRefused);
    }
    if account.deactivated_at.is_some() {
        attempt.gate.verify_nothing(password).await?;
        refuse("account deactivated", Some(&account)).await?;
        return Err(AppError::SignInRefused);
    }
    if !attempt
        .gate
        .verify(password, &account.password_hash)
        .await?
    {
        count_failure(db, attempt, &account, "wrong password").await?;
        return Err(AppError::SignInRefused);
    }
    if account.totp_enabled_at.is_some() {
        return Ok(SignedIn::SecondStep {
            account: account.id,
        });
    }
    complete_sign_in(db, attempt, &account)
        .await
        .map(SignedIn::Complete)
}

/// The second step: a code from the app, or a recovery code. A wrong code
/// counts towards the lockout like a wrong password.
pub async fn second_step(
    db: &DatabaseConnection,
    attempt: &Attempt,
    account: i32,
    password_at: DateTime<Utc>,
    code: &str,
) -> Result<User, AppError> {
    if code.trim().is_empty() {
        return Err(AppError::invalid(Field::Code, Problem::Required));
    }
    let account = accounts::Entity::find_by_id(account)
        .one(db)
        .await?
        .ok_or(AppError::SignInRequired)?;
    // The password typed before the code was changed meanwhile (a reset):
    // it no longer opens anything.
    if account.password_changed_at > password_at {
        return Err(AppError::SignInRequired);
    }
    let locked = account
        .locked_until
        .is_some_and(|until| until > attempt.now);
    if locked || account.deactivated_at.is_some() {
        return Err(AppError::SignInRefused);
    }
    if account.totp_secret.is_none() {
        return Err(AppError::SignInRequired);
    }
    if attempt.turned_away(db, AuditAction::SignInFailed).await? {
        return Err(AppError::SignInRefused);
    }
    pass_second_step(db, attempt, &account, code).await?;
    complete_sign_in(db, attempt, &account).await
}

/// Uses `code` as `account`'s second step; a wrong (or already used) code
/// counts towards the lockout like a wrong password.
pub(super) async fn pass_second_step(
    db: &DatabaseConnection,
    attempt: &Attempt,
    account: &accounts::Model,
    code: &str,
) -> Result<(), AppError> {
    match second_factor::use_code(db, &attempt.gate, account, code, attempt.now).await? {
        Some(CodeUsed::App) => Ok(()),
        Some(CodeUsed::RecoveryCode) => {
            let event = AuditEvent::new(AuditAction::RecoveryCodeUsed).by(account.person_id);
            audit::record(db, event, &attempt.source, attempt.now).await
        }
        None => {
            count_failure(db, attempt, account, "wrong code").await?;
            Err(AppError::invalid(Field::Code, Problem::WrongCode))
        }
    }
}

/// Every step passed: the failures are forgotten and the sign-in recorded.
async fn complete_sign_in(
    db: &DatabaseConnection,
    attempt: &Attempt,
    account: &accounts::Model,
) -> Result<User, AppError> {
    let txn = db.begin().await?;
    accounts::Entity::update_many()
        .col_expr(accounts::Column::FailedSignIns, Expr::value(0))
        .col_expr(
            accounts::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(accounts::Column::Id.eq(account.id))
        .exec(&txn)
        .await?;
    let event = AuditEvent::new(AuditAction::SignIn).by(account.person_id);
    audit::record(&txn, event, &attempt.source, attempt.now).await?;
    txn.commit().await?;
    user::load(db, account.id)
        .await?
        .ok_or(AppError::SignInRefused)
}
