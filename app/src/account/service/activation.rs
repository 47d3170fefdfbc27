//! PINs: a caseworker issues one; a parent uses it to create an account or
//! to reset its password (with the second step's code, when it has one).

use super::records::new_account;
use super::sign_in::pass_second_step;
use super::Attempt;
use crate::account::model::{FreshPin, IssuedPin};
use crate::error::{AppError, Field, FieldError, Problem};
use crate::notice::Kind;
use crate::reader::{AccountRole, User};
use crate::server::access::{authorize, CaseAction};
use crate::server::audit::{self, AuditAction, AuditEvent};
use crate::server::notices::{self, Notice};
use crate::server::secret::{self};
use crate::server::{session, user};
use chrono::{DateTime, Duration, Utc};
use entity::{accounts, activation_pins, case_participants, cases, people};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait,
};

/// What a parent types to activate an account (or to set a new password).
#[derive(Debug, Clone, Default)]
pub struct Activation {
    pub case_number: String,
    pub pin: String,
    pub email: String,
    pub password: String,
    pub confirm_password: String,
    /// For an account with a second step: its code, or a recovery code.
    pub code: String,
}

impl Activation {
    /// Every field's problem at once, so a person fixes the form in one go.
    fn check(&self) -> Result<(String, String), AppError> {
        let mut errors = Vec::new();
        let mut problem = |field, problem| errors.push(FieldError { field, problem });
        if self.case_number.trim().is_empty() {
            problem(Field::CaseNumber, Problem::Required);
        } else if self.case_number.len() > 40 {
            problem(Field::CaseNumber, Problem::TooLong);
        }
        let pin = secret::normalize_code(&self.pin);
        if pin.is_empty() {
            problem(Field::Pin, Problem::Required);
        } else if pin.len() > 40 {
            problem(Field::Pin, Problem::TooLong);
        }
        let email = secret::normalize_email(&self.email);
        if let Err(e) = &email {
            problem(Field::Email, *e);
        }
        let hints = [self.email.as_str(), self.case_number.as_str()];
        if let Err(e) = secret::check_new_password(&self.password, &hints) {
            problem(Field::Password, e);
        }
        if self.confirm_password != self.password {
            problem(Field::ConfirmPassword, Problem::PasswordsDiffer);
        }
        match email {
            Ok(email) if errors.is_empty() => Ok((email, pin)),
            _ => Err(AppError::Invalid(errors)),
        }
    }
}

/// Uses a PIN: creates the account of the person it was issued to, or, if
/// they have one, sets its e-mail and password (how a forgotten password is
/// reset). Returns the account. Whatever is wrong with the case number or
/// PIN, the answer is the same, and takes about as long.
pub async fn activate(
    db: &DatabaseConnection,
    attempt: &Attempt,
    form: &Activation,
) -> Result<User, AppError> {
    let (email, pin) = form.check()?;
    if attempt
        .turned_away(db, AuditAction::ActivationFailed)
        .await?
    {
        return Err(AppError::ActivationRefused);
    }
    let (case, issued) = pin_issued(db, attempt, &form.case_number, &pin).await?;
    let existing = accounts::Entity::find()
        .filter(accounts::Column::PersonId.eq(issued.person_id))
        .one(db)
        .await?;
    if let Some(account) = &existing {
        may_reset(db, attempt, form, &email, account, case.id).await?;
    }
    // Hashed before the transaction: SQLite's one connection is not held
    // while Argon2 works.
    let password_hash = attempt.gate.hash(&form.password).await?;
    let txn = db.begin().await?;
    if email_taken(&txn, &email, issued.person_id).await? {
        return Err(AppError::invalid(Field::Email, Problem::EmailTaken));
    }
    let (account_id, action) = match existing {
        Some(account) => {
            let told = account.email.clone();
            let mut account: accounts::ActiveModel = account.into();
            account.email = Set(email);
            account.password_hash = Set(password_hash);
            account.password_changed_at = Set(attempt.now);
            account.failed_sign_ins = Set(0);
            account.locked_until = Set(None);
            let account = account.update(&txn).await?;
            // Whoever was signed in with the old password is not any more,
            // and the address the account had hears of the change.
            session::end_all_of(&txn, account.id).await?;
            sign_in_changed(&txn, &account, told, attempt.now).await?;
            (account.id, AuditAction::PasswordReset)
        }
        None => {
            let role = AccountRole::Parent;
            let account = new_account(issued.person_id, email, password_hash, role, attempt.now);
            let id = account.insert(&txn).await?.id;
            (id, AuditAction::AccountActivated)
        }
    };
    use_pin(&txn, &issued, attempt).await?;
    let event = AuditEvent::new(action)
        .by(issued.person_id)
        .on_case(case.id);
    audit::record(&txn, event, &attempt.source, attempt.now).await?;
    txn.commit().await?;
    user::load(db, account_id)
        .await?
        .ok_or_else(|| crate::server::internal("account vanished"))
}

/// A refused activation, on the record (with its case, when there is one).
async fn refuse(
    db: &DatabaseConnection,
    attempt: &Attempt,
    case: Option<i32>,
    detail: &'static str,
) -> Result<(), AppError> {
    let mut event = AuditEvent::new(AuditAction::ActivationFailed).detail(detail);
    if let Some(case) = case {
        event = event.on_case(case);
    }
    audit::record(db, event, &attempt.source, attempt.now).await
}

/// The case and the live PIN `pin` is, after the same number of checks
/// whether the case exists or not.
async fn pin_issued(
    db: &DatabaseConnection,
    attempt: &Attempt,
    case_number: &str,
    pin: &str,
) -> Result<(cases::Model, activation_pins::Model), AppError> {
    let case = cases::Entity::find()
        .filter(cases::Column::CaseNumber.eq(case_number.trim()))
        .one(db)
        .await?;
    let Some(case) = case else {
        attempt
            .gate
            .first_match(pin, Vec::new(), PIN_CHECKS)
            .await?;
        refuse(db, attempt, None, "unknown case number").await?;
        return Err(AppError::ActivationRefused);
    };
    let mut valid = activation_pins::Entity::find()
        .filter(activation_pins::Column::CaseId.eq(case.id))
        .filter(activation_pins::Column::UsedAt.is_null())
        .filter(activation_pins::Column::VoidedAt.is_null())
        .filter(activation_pins::Column::ExpiresAt.gt(attempt.now))
        .all(db)
        .await?;
    let hashes = valid.iter().map(|p| p.pin_hash.clone()).collect();
    let matched = attempt.gate.first_match(pin, hashes, PIN_CHECKS).await?;
    match matched.filter(|&i| i < valid.len()) {
        Some(i) => Ok((case, valid.swap_remove(i))),
        None => {
            count_wrong_pin(db, attempt, &valid).await?;
            refuse(db, attempt, Some(case.id), "wrong PIN").await?;
            Err(AppError::ActivationRefused)
        }
    }
}

/// Whether a PIN may reset `account`: a parent's, to an address no other
/// account has, past its second step if it has one. Checked before any
/// code is used up.
async fn may_reset(
    db: &DatabaseConnection,
    attempt: &Attempt,
    form: &Activation,
    email: &str,
    account: &accounts::Model,
    case: i32,
) -> Result<(), AppError> {
    if email_taken(db, email, account.person_id).await? {
        return Err(AppError::invalid(Field::Email, Problem::EmailTaken));
    }
    // A PIN resets a parent's password, never a caseworker's.
    if AccountRole::parse(&account.role) != Some(AccountRole::Parent) {
        refuse(db, attempt, Some(case), "PIN of a staff account").await?;
        return Err(AppError::ActivationRefused);
    }
    // Nor steps around the account's second step.
    if account.totp_enabled_at.is_some() {
        if form.code.trim().is_empty() {
            return Err(AppError::invalid(Field::Code, Problem::SecondStepOn));
        }
        // Locked by wrong codes: no more tries until it unlocks.
        if account
            .locked_until
            .is_some_and(|until| until > attempt.now)
        {
            return Err(AppError::invalid(Field::Code, Problem::WrongCode));
        }
        pass_second_step(db, attempt, account, &form.code).await?;
    }
    Ok(())
}

/// Whether an account of someone other than `person` has `email`.
async fn email_taken(
    db: &impl ConnectionTrait,
    email: &str,
    person: i32,
) -> Result<bool, AppError> {
    let taken = accounts::Entity::find()
        .filter(accounts::Column::Email.eq(email))
        .filter(accounts::Column::PersonId.ne(person))
        .count(db)
        .await?;
    Ok(taken > 0)
}

/// Marks the PIN used, once, even when two requests carry it at the same
/// moment: the second finds it used and is refused.
async fn use_pin(
    txn: &impl ConnectionTrait,
    issued: &activation_pins::Model,
    attempt: &Attempt,
) -> Result<(), AppError> {
    let used = activation_pins::Entity::update_many()
        .col_expr(
            activation_pins::Column::UsedAt,
            Expr::value(Some(attempt.now)),
        )
        .filter(activation_pins::Column::Id.eq(issued.id))
        .filter(activation_pins::Column::UsedAt.is_null())
        .exec(txn)
        .await?;
    if used.rows_affected != 1 {
        return Err(AppError::ActivationRefused);
    }
    Ok(())
}

/// Tells the person that their sign-in changed, by e-mail at `address` (the
/// one the account had: if someone else changed it, its owner still hears).
async fn sign_in_changed(
    txn: &impl ConnectionTrait,
    account: &accounts::Model,
    address: String,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let notice = Notice {
        person: account.person_id,
        kind: Kind::SignInChanged,
        case: None,
        amount: None,
        status: None,
        link: "/account/security".into(),
        dedupe: format!("sign-in-changed:{}:{}", account.id, now.timestamp_micros()),
    };
    notices::notify_at(txn, notice, now, Some(address)).await
}

/// Verifications every activation spends at least, so a case with the
/// usual two parents' PINs cannot be told from no case by timing.
const PIN_CHECKS: usize = 2;

/// A wrong PIN counts against every valid PIN of the case (it cannot be
/// known whose it was meant to be); at the policy's count a PIN is void.
async fn count_wrong_pin(
    db: &DatabaseConnection,
    attempt: &Attempt,
    valid: &[activation_pins::Model],
) -> Result<(), AppError> {
    let txn = db.begin().await?;
    for pin in valid {
        let tries = pin.failed_tries + 1;
        let mut counted: activation_pins::ActiveModel = pin.clone().into();
        counted.failed_tries = Set(tries);
        if u32::try_from(tries).unwrap_or(0) >= attempt.policy.pin_tries {
            counted.voided_at = Set(Some(attempt.now));
            let event = AuditEvent::new(AuditAction::PinVoided)
                .on_case(pin.case_id)
                .about(pin.person_id)
                .detail(format!("{tries} wrong PINs"));
            audit::record(&txn, event, &attempt.source, attempt.now).await?;
        }
        counted.update(&txn).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Issues a new PIN to `person` on the case, voiding any earlier one of
/// theirs there. The PIN is returned once (with whom it is for) and stored
/// only as a hash.
pub async fn issue_pin(
    db: &DatabaseConnection,
    attempt: &Attempt,
    actor: &User,
    case_number: &str,
    person: i32,
) -> Result<FreshPin, AppError> {
    let case = authorize(db, db, actor, case_number, CaseAction::IssuePin)
        .await?
        .case;
    let participant = case_participants::Entity::find()
        .filter(case_participants::Column::CaseId.eq(case.id))
        .filter(case_participants::Column::PersonId.eq(person))
        .find_also_related(people::Entity)
        .one(db)
        .await?;
    let Some((_, Some(named))) = participant else {
        return Err(AppError::invalid(Field::Person, Problem::NotOnCase));
    };
    let pin = secret::new_pin();
    let pin_hash = attempt.gate.hash(&secret::normalize_code(&pin)).await?;
    let expires_at = attempt.now + Duration::days(i64::from(attempt.policy.pin_valid_days));
    let txn = db.begin().await?;
    activation_pins::Entity::update_many()
        .col_expr(
            activation_pins::Column::VoidedAt,
            Expr::value(Some(attempt.now)),
        )
        .filter(activation_pins::Column::CaseId.eq(case.id))
        .filter(activation_pins::Column::PersonId.eq(person))
        .filter(activation_pins::Column::UsedAt.is_null())
        .filter(activation_pins::Column::VoidedAt.is_null())
        .exec(&txn)
        .await?;
    activation_pins::ActiveModel {
        case_id: Set(case.id),
        person_id: Set(person),
        pin_hash: Set(pin_hash),
        issued_by: Set(actor.person_id),
        issued_at: Set(attempt.now),
        expires_at: Set(expires_at),
        failed_tries: Set(0),
        used_at: Set(None),
        voided_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let event = AuditEvent::new(AuditAction::PinIssued)
        .by(actor.person_id)
        .on_case(case.id)
        .about(person);
    audit::record(&txn, event, &attempt.source, attempt.now).await?;
    txn.commit().await?;
    Ok(FreshPin {
        case_number: case.case_number,
        person,
        name: named.full_name,
        pin: IssuedPin { pin, expires_at },
    })
}
