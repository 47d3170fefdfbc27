//! Signing in, activating with a PIN, issuing PINs: the rules, on the
//! database, each change in one transaction with its audit record.

use chrono::{DateTime, Duration, Utc};
use entity::{accounts, activation_pins, case_participants, cases, people};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use super::gate::{CredentialGate, TurnedAway};
use super::model::{AccountRole, CaseLink, IssuedPin, User};
use super::second_factor::{self, CodeUsed};
use super::secret::{self, at};
use crate::caseworker::model::FreshPin;
use crate::config::SecurityPolicy;
use crate::error::{AppError, Field, FieldError, Problem};
use crate::notifications::{self, model::Kind, service::Notice};
use crate::server::access::{self, authorize, CaseAction};
use crate::server::audit::{self, AuditAction, AuditEvent, Source};
use crate::server::sealed::SecretKey;
use crate::server::AppState;
use crate::server::{session, user};
use std::sync::Arc;

/// A request's surroundings: the agency's policy, where it came from, when,
/// and the gate every credential check passes.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub policy: SecurityPolicy,
    pub source: Source,
    pub now: DateTime<Utc>,
    pub gate: Arc<CredentialGate>,
}

impl Attempt {
    /// The request being served, now.
    pub fn of_request(state: &AppState) -> Self {
        Attempt {
            policy: state.security.clone(),
            source: Source::of_request(),
            now: Utc::now(),
            gate: state.credential_gate.clone(),
        }
    }

    /// Outside any request (the command line), now.
    pub fn offline(policy: SecurityPolicy) -> Self {
        Attempt {
            gate: Arc::new(CredentialGate::new(&policy, SecretKey::random())),
            policy,
            source: Source::default(),
            now: Utc::now(),
        }
    }

    fn window_start(&self) -> DateTime<Utc> {
        self.now - Duration::minutes(i64::from(self.policy.lockout_minutes))
    }

    /// Whether this attempt at `action` is turned away before anything is
    /// checked: its address failed too often lately (`Ok(true)`, to be
    /// answered like any refusal), or the portal is checking all it can
    /// (`Err(Busy)`). Either is counted, not hashed nor written down.
    async fn turned_away(
        &self,
        db: &impl ConnectionTrait,
        action: AuditAction,
    ) -> Result<bool, AppError> {
        let failures = audit::count_from(db, &self.source, action, self.window_start()).await?;
        if failures >= u64::from(self.policy.failures_per_address) {
            self.gate
                .count(action, TurnedAway::AddressBlocked, &self.source);
            return Ok(true);
        }
        if !self.gate.admit() {
            self.gate
                .count(action, TurnedAway::OverTheLimit, &self.source);
            return Err(AppError::Busy);
        }
        Ok(false)
    }
}

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
async fn pass_second_step(
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

/// One more wrong password (or code); at the policy's count the account locks.
pub(super) async fn count_failure(
    db: &DatabaseConnection,
    attempt: &Attempt,
    account: &accounts::Model,
    what: &'static str,
) -> Result<(), AppError> {
    let txn = db.begin().await?;
    // Counted in the database, so concurrent attempts on several servers add up.
    accounts::Entity::update_many()
        .col_expr(
            accounts::Column::FailedSignIns,
            Expr::col(accounts::Column::FailedSignIns).add(1),
        )
        .filter(accounts::Column::Id.eq(account.id))
        .exec(&txn)
        .await?;
    let failures = accounts::Entity::find_by_id(account.id)
        .one(&txn)
        .await?
        .map_or(0, |a| a.failed_sign_ins);
    let event = AuditEvent::new(AuditAction::SignInFailed)
        .about(account.person_id)
        .detail(what);
    audit::record(&txn, event, &attempt.source, attempt.now).await?;
    if u32::try_from(failures).unwrap_or(0) >= attempt.policy.lockout_after {
        let until = attempt.now + Duration::minutes(i64::from(attempt.policy.lockout_minutes));
        accounts::Entity::update_many()
            .col_expr(accounts::Column::FailedSignIns, Expr::value(0))
            .col_expr(accounts::Column::LockedUntil, Expr::value(Some(until)))
            .filter(accounts::Column::Id.eq(account.id))
            .exec(&txn)
            .await?;
        let event = AuditEvent::new(AuditAction::AccountLocked)
            .about(account.person_id)
            .detail(format!("{failures} failed sign-ins"));
        audit::record(&txn, event, &attempt.source, attempt.now).await?;
    }
    txn.commit().await?;
    Ok(())
}

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
    let refuse = |case: Option<i32>, detail: &'static str| {
        let mut event = AuditEvent::new(AuditAction::ActivationFailed).detail(detail);
        if let Some(case) = case {
            event = event.on_case(case);
        }
        audit::record(db, event, &attempt.source, attempt.now)
    };
    if attempt
        .turned_away(db, AuditAction::ActivationFailed)
        .await?
    {
        return Err(AppError::ActivationRefused);
    }
    let case = cases::Entity::find()
        .filter(cases::Column::CaseNumber.eq(form.case_number.trim()))
        .one(db)
        .await?;
    let Some(case) = case else {
        attempt
            .gate
            .first_match(&pin, Vec::new(), PIN_CHECKS)
            .await?;
        refuse(None, "unknown case number").await?;
        return Err(AppError::ActivationRefused);
    };
    let valid = activation_pins::Entity::find()
        .filter(activation_pins::Column::CaseId.eq(case.id))
        .filter(activation_pins::Column::UsedAt.is_null())
        .filter(activation_pins::Column::VoidedAt.is_null())
        .filter(activation_pins::Column::ExpiresAt.gt(attempt.now))
        .all(db)
        .await?;
    let hashes = valid.iter().map(|p| p.pin_hash.clone()).collect();
    let matched = attempt.gate.first_match(&pin, hashes, PIN_CHECKS).await?;
    let Some(issued) = matched.and_then(|i| valid.get(i)) else {
        count_wrong_pin(db, attempt, &valid).await?;
        refuse(Some(case.id), "wrong PIN").await?;
        return Err(AppError::ActivationRefused);
    };

    let existing = accounts::Entity::find()
        .filter(accounts::Column::PersonId.eq(issued.person_id))
        .one(db)
        .await?;
    if let Some(account) = &existing {
        // Before any code is used up: an address another account has.
        let taken = accounts::Entity::find()
            .filter(accounts::Column::Email.eq(email.as_str()))
            .filter(accounts::Column::PersonId.ne(issued.person_id))
            .count(db)
            .await?;
        if taken > 0 {
            return Err(AppError::invalid(Field::Email, Problem::EmailTaken));
        }
        // A PIN resets a parent's password, never a caseworker's.
        if AccountRole::parse(&account.role) != Some(AccountRole::Parent) {
            refuse(Some(case.id), "PIN of a staff account").await?;
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
    }

    // Hashed before the transaction: SQLite's one connection is not held
    // while Argon2 works.
    let password_hash = attempt.gate.hash(&form.password).await?;
    let txn = db.begin().await?;
    let taken = accounts::Entity::find()
        .filter(accounts::Column::Email.eq(email.as_str()))
        .filter(accounts::Column::PersonId.ne(issued.person_id))
        .one(&txn)
        .await?;
    if taken.is_some() {
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
            let account = new_account(
                issued.person_id,
                email,
                password_hash,
                AccountRole::Parent,
                attempt.now,
            );
            (
                account.insert(&txn).await?.id,
                AuditAction::AccountActivated,
            )
        }
    };
    // Used once, even by two requests carrying it at the same moment.
    let used = activation_pins::Entity::update_many()
        .col_expr(
            activation_pins::Column::UsedAt,
            Expr::value(Some(attempt.now)),
        )
        .filter(activation_pins::Column::Id.eq(issued.id))
        .filter(activation_pins::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if used.rows_affected != 1 {
        return Err(AppError::ActivationRefused);
    }
    let event = AuditEvent::new(action)
        .by(issued.person_id)
        .on_case(case.id);
    audit::record(&txn, event, &attempt.source, attempt.now).await?;
    txn.commit().await?;
    user::load(db, account_id)
        .await?
        .ok_or_else(|| crate::server::internal("account vanished"))
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
    notifications::service::notify_at(txn, notice, now, Some(address)).await
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
    let case = authorize(db, actor, case_number, CaseAction::IssuePin)
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

/// The cases `user` may open, with their role on each: a parent's own, a
/// caseworker's assigned, every case for a supervisor.
/// Cases a staff member's overview lists.
pub const STAFF_CASES_LISTED: u64 = 50;

pub async fn my_cases(db: &DatabaseConnection, user: &User) -> Result<Vec<CaseLink>, AppError> {
    use crate::account::model::CaseRole;
    let links = match user.role {
        AccountRole::Parent => access::parent_cases(db, user.person_id)
            .await?
            .into_iter()
            .map(|(case, role)| CaseLink {
                case_number: case.case_number,
                role,
            })
            .collect(),
        // Staff see the first of theirs here; the caseload pages through all.
        AccountRole::Caseworker | AccountRole::Supervisor => {
            let mut query = cases::Entity::find()
                .order_by_asc(cases::Column::CaseNumber)
                .limit(STAFF_CASES_LISTED);
            let role = if user.role == AccountRole::Caseworker {
                query = query.filter(cases::Column::CaseworkerId.eq(user.person_id));
                CaseRole::AssignedCaseworker
            } else {
                CaseRole::Supervisor
            };
            query
                .all(db)
                .await?
                .into_iter()
                .map(|case| CaseLink {
                    case_number: case.case_number,
                    role,
                })
                .collect()
        }
    };
    Ok(links)
}

/// Creates a caseworker's or supervisor's account, by a supervisor (`actor`)
/// or from the command line (`server caseworker add`).
pub async fn add_staff(
    db: &DatabaseConnection,
    attempt: &Attempt,
    actor: Option<i32>,
    name: &str,
    email: &str,
    password: &str,
    role: AccountRole,
) -> Result<User, AppError> {
    let now = attempt.now;
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::invalid(Field::Person, Problem::Required));
    }
    let email = secret::normalize_email(email).map_err(at(Field::Email))?;
    secret::check_new_password(password, &[email.as_str(), name]).map_err(at(Field::Password))?;
    let password_hash = attempt.gate.hash(password).await?;
    let txn = db.begin().await?;
    if accounts::Entity::find()
        .filter(accounts::Column::Email.eq(email.as_str()))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(AppError::invalid(Field::Email, Problem::EmailTaken));
    }
    let person = people::ActiveModel {
        full_name: Set(name.to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let account = new_account(person.id, email, password_hash, role, now)
        .insert(&txn)
        .await?;
    let mut event = AuditEvent::new(AuditAction::StaffAccountCreated)
        .about(person.id)
        .detail(role.as_str());
    if let Some(actor) = actor {
        event = event.by(actor);
    }
    audit::record(&txn, event, &Source::default(), now).await?;
    txn.commit().await?;
    user::load(db, account.id)
        .await?
        .ok_or_else(|| crate::server::internal("account vanished"))
}

/// A new account row: not locked, no second factor yet.
pub fn new_account(
    person: i32,
    email: String,
    password_hash: String,
    role: AccountRole,
    now: DateTime<Utc>,
) -> accounts::ActiveModel {
    accounts::ActiveModel {
        person_id: Set(person),
        email: Set(email),
        password_hash: Set(password_hash),
        role: Set(role.as_str().to_owned()),
        failed_sign_ins: Set(0),
        locked_until: Set(None),
        totp_secret: Set(None),
        totp_enabled_at: Set(None),
        totp_last_step: Set(None),
        created_at: Set(now),
        password_changed_at: Set(now),
        deactivated_at: Set(None),
        ..Default::default()
    }
}
