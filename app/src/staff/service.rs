//! The supervisors' desk on the server. Only supervisors reach any of it;
//! a supervisor's own account is changed by another supervisor (so nobody
//! removes the last way in by mistake).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{accounts, cases, message_threads};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Set, TransactionTrait,
};

use super::model::{FreshPassword, StaffChange, StaffList, StaffMember};
use crate::account::service::records::add_staff;
use crate::account::service::Attempt;
use crate::error::{AppError, Field, Problem};
use crate::reader::{AccountRole, User};
use crate::reading::Problems;
use crate::server::access::require_supervisor;
use crate::server::access::{authorize, missing, CaseAction};
use crate::server::audit::{self, AuditAction, AuditEvent, Source};
use crate::server::people::{colleagues, names_of, staff_roles};
use crate::server::{internal, secret};

/// A first password: 20 characters of 31 (about 99 bits), in groups of five
/// so it can be read out and typed.
fn first_password() -> String {
    secret::random_code(4, 5)
}

/// Every staff account, with how many cases each works.
pub async fn staff_list(
    db: &impl ConnectionTrait,
    reader: &User,
    now: DateTime<Utc>,
) -> Result<StaffList, AppError> {
    require_supervisor(reader)?;
    let staff = accounts::Entity::find()
        .filter(accounts::Column::Role.is_in(staff_roles()))
        .all(db)
        .await?;
    let names = names_of(db, staff.iter().map(|a| a.person_id)).await?;
    let mut members = Vec::with_capacity(staff.len());
    for account in staff {
        let name = name_of(&names, &account)?;
        members.push(member(db, account, name, now).await?);
    }
    members.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(StaffList {
        members,
        me: reader.account_id,
    })
}

/// The name of the person `account` belongs to, which every account has.
fn name_of(names: &HashMap<i32, String>, account: &accounts::Model) -> Result<String, AppError> {
    names
        .get(&account.person_id)
        .cloned()
        .ok_or_else(|| internal(format!("account {} belongs to no person", account.id)))
}

/// One staff account as the desk shows it, with how many cases it works.
async fn member(
    db: &impl ConnectionTrait,
    account: accounts::Model,
    name: String,
    now: DateTime<Utc>,
) -> Result<StaffMember, AppError> {
    Ok(StaffMember {
        cases: cases::Entity::find()
            .filter(cases::Column::CaseworkerId.eq(account.person_id))
            .count(db)
            .await?,
        name,
        role: AccountRole::parse(&account.role).ok_or_else(|| {
            internal(format!(
                "account {} has unknown role {}",
                account.id, account.role
            ))
        })?,
        account: account.id,
        person: account.person_id,
        email: account.email,
        second_factor: account.totp_enabled_at.is_some(),
        locked: account.locked_until.is_some_and(|until| until > now),
        deactivated: account.deactivated_at.is_some(),
    })
}

/// Adds a caseworker or supervisor with a first password made here.
pub async fn add_member(
    db: &DatabaseConnection,
    reader: &User,
    name: &str,
    email: &str,
    role: &str,
    attempt: &Attempt,
) -> Result<FreshPassword, AppError> {
    require_supervisor(reader)?;
    // Every field is read first, so all the form's problems come back at once.
    let mut problems = Problems::default();
    let name = problems.take(
        Field::Person,
        Some(name.trim())
            .filter(|name| !name.is_empty())
            .ok_or(Problem::Required),
    );
    let email = problems.take(Field::Email, secret::normalize_email(email));
    let role = problems.take(
        Field::Role,
        AccountRole::parse(role)
            .filter(|role| role.is_staff())
            .ok_or(Problem::NotAChoice),
    );
    let (name, email, role) = problems.finish(
        name.zip(email)
            .zip(role)
            .map(|((name, email), role)| (name, email, role)),
    )?;
    let password = first_password();
    let user = add_staff(
        db,
        attempt,
        Some(reader.person_id),
        name,
        &email,
        &password,
        role,
    )
    .await?;
    Ok(FreshPassword {
        account: user.account_id,
        name: user.name,
        email,
        password,
    })
}

/// Makes `change` to the staff account `account_id`; a new password comes
/// back to be shown once.
pub async fn change(
    db: &DatabaseConnection,
    reader: &User,
    account_id: i32,
    change: StaffChange,
    attempt: &Attempt,
) -> Result<Option<FreshPassword>, AppError> {
    require_supervisor(reader)?;
    let now = attempt.now;
    let (account, member) = changeable(db, reader, account_id, change, now).await?;

    // A new password is made and hashed before the transaction: SQLite's one
    // connection is not held while Argon2 works.
    let new_password = match change {
        StaffChange::NewPassword => {
            let password = first_password();
            let hash = attempt.gate.hash(&password).await?;
            Some((password, hash))
        }
        _ => None,
    };
    let txn = db.begin().await?;
    let mut fresh = None;
    let person = account.person_id;
    let mut changed: accounts::ActiveModel = account.into();
    match change {
        StaffChange::MakeCaseworker => {
            changed.role = Set(AccountRole::Caseworker.as_str().to_owned());
        }
        StaffChange::MakeSupervisor => {
            changed.role = Set(AccountRole::Supervisor.as_str().to_owned());
        }
        StaffChange::Unlock => {
            changed.failed_sign_ins = Set(0);
            changed.locked_until = Set(None);
        }
        StaffChange::NewPassword => {
            let Some((password, hash)) = new_password else {
                return Err(internal("new password not made"));
            };
            changed.password_hash = Set(hash);
            changed.password_changed_at = Set(now);
            fresh = Some(FreshPassword {
                account: account_id,
                name: member.name.clone(),
                email: member.email.clone(),
                password,
            });
        }
        StaffChange::Deactivate => {
            changed.deactivated_at = Set(Some(now));
            // Conversations given to them go back to their cases' caseworkers.
            message_threads::Entity::update_many()
                .col_expr(
                    message_threads::Column::AssignedTo,
                    Expr::value(Option::<i32>::None),
                )
                .filter(message_threads::Column::AssignedTo.eq(person))
                .exec(&txn)
                .await?;
        }
        StaffChange::Reactivate => {
            changed.deactivated_at = Set(None);
        }
    }
    changed.update(&txn).await?;
    // A new password, or switched off: sessions opened before are worth nothing.
    if matches!(change, StaffChange::NewPassword | StaffChange::Deactivate) {
        crate::server::session::end_all_of(&txn, account_id).await?;
    }
    let event = AuditEvent::new(AuditAction::StaffChanged)
        .by(reader.person_id)
        .about(person)
        .detail(change.as_str());
    audit::record(&txn, event, &attempt.source, now).await?;
    txn.commit().await?;
    Ok(fresh)
}

/// The staff account `account_id` and what the desk shows of it, if
/// `change` may be made to it: never to one's own account, only a change
/// the desk offers, and no one is switched off while they still have cases.
async fn changeable(
    db: &DatabaseConnection,
    reader: &User,
    account_id: i32,
    change: StaffChange,
    now: DateTime<Utc>,
) -> Result<(accounts::Model, StaffMember), AppError> {
    let account = accounts::Entity::find_by_id(account_id)
        .filter(accounts::Column::Role.is_in(staff_roles()))
        .one(db)
        .await?
        .ok_or_else(|| missing(reader))?;
    if account.id == reader.account_id {
        return Err(AppError::invalid(Field::Person, Problem::OwnAccount));
    }
    let name = name_of(&names_of(db, [account.person_id]).await?, &account)?;
    let member = member(db, account.clone(), name, now).await?;
    if !StaffChange::offered(&member).contains(&change) {
        return Err(AppError::invalid(Field::Person, Problem::NotAChoice));
    }
    if change == StaffChange::Deactivate && member.cases > 0 {
        return Err(AppError::invalid(Field::Person, Problem::StillHasCases));
    }
    Ok((account, member))
}

/// Gives the case numbered `case_number` to the colleague `to`.
pub async fn reassign_case(
    db: &DatabaseConnection,
    reader: &User,
    case_number: &str,
    to: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let case = authorize(db, db, reader, case_number, CaseAction::Reassign)
        .await?
        .case;
    if !colleagues(db).await?.iter().any(|c| c.person == to) {
        return Err(AppError::invalid(Field::Person, Problem::NotAChoice));
    }
    if case.caseworker_id == Some(to) {
        return Ok(());
    }
    let from = case.caseworker_id;
    let case_id = case.id;
    let txn = db.begin().await?;
    let mut changed: cases::ActiveModel = case.into();
    changed.caseworker_id = Set(Some(to));
    changed.update(&txn).await?;
    let mut event = AuditEvent::new(AuditAction::CaseReassigned)
        .by(reader.person_id)
        .on_case(case_id)
        .about(to);
    if let Some(from) = from {
        let name = names_of(&txn, [from]).await?.remove(&from);
        let name = name.ok_or_else(|| internal(format!("case {case_id}: no person {from}")))?;
        event = event.detail(format!("from {name}"));
    }
    audit::record(&txn, event, &Source::of_request(), now).await?;
    txn.commit().await?;
    Ok(())
}
