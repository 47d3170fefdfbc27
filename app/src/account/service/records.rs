//! Account rows: a new account, a staff member's, and the cases an
//! account may open.

use super::Attempt;
use crate::account::model::CaseLink;
use crate::error::{AppError, Field, Problem};
use crate::reader::{AccountRole, User};
use crate::server::access::{self};
use crate::server::audit::{self, AuditAction, AuditEvent, Source};
use crate::server::secret::{self, at};
use crate::server::user;
use chrono::{DateTime, Utc};
use entity::{accounts, cases, people};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};

/// Cases a staff member's overview lists.
pub const STAFF_CASES_LISTED: u64 = 50;

/// The cases `user` may open, with their role on each: a parent's own, a
/// caseworker's assigned, every case for a supervisor.
pub async fn my_cases(db: &DatabaseConnection, user: &User) -> Result<Vec<CaseLink>, AppError> {
    use crate::reader::CaseRole;
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
