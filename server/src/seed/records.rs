//! Writing the records a case is made of, one at a time (the demo and the
//! tests; the large generator batches its own).

use app::account::service::records::new_account;
use app::ledger::{Money, ObligationKind, Schedule};
use app::reader::AccountRole;
use chrono::{NaiveDate, Utc};
use entity::{case_participants, cases, children, obligations, orders, people};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

/// A parent's role on one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Paying,
    Receiving,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Paying => "paying",
            Role::Receiving => "receiving",
        }
    }
}

pub async fn person(db: &impl ConnectionTrait, full_name: &str) -> Result<i32, DbErr> {
    let row = people::ActiveModel {
        full_name: Set(full_name.into()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// How the agency reaches `person`.
pub async fn contact(
    db: &impl ConnectionTrait,
    person: i32,
    phone: &str,
    email: &str,
    mailing_address: &str,
) -> Result<(), DbErr> {
    people::ActiveModel {
        id: Set(person),
        phone: Set(Some(phone.into())),
        email: Set(Some(email.into())),
        mailing_address: Set(Some(mailing_address.into())),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

pub struct NewCase<'a> {
    pub case_number: &'a str,
    pub office: &'a str,
    pub caseworker: Option<i32>,
    pub opened_on: NaiveDate,
    pub paying: i32,
    pub receiving: i32,
    /// The family never received public assistance (the yearly fee applies).
    pub never_assistance: bool,
}

/// An open case with its two parents.
pub async fn case(db: &impl ConnectionTrait, new: NewCase<'_>) -> Result<i32, DbErr> {
    let row = cases::ActiveModel {
        case_number: Set(new.case_number.into()),
        office: Set(new.office.into()),
        caseworker_id: Set(new.caseworker),
        status: Set("open".into()),
        opened_on: Set(new.opened_on),
        created_at: Set(Utc::now()),
        never_assistance: Set(new.never_assistance),
        ..Default::default()
    }
    .insert(db)
    .await?;
    for (person_id, role) in [(new.paying, Role::Paying), (new.receiving, Role::Receiving)] {
        case_participants::ActiveModel {
            case_id: Set(row.id),
            person_id: Set(person_id),
            role: Set(role.as_str().into()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(row.id)
}

pub async fn child(
    db: &impl ConnectionTrait,
    case_id: i32,
    full_name: &str,
    born_on: NaiveDate,
    emancipates_on: NaiveDate,
) -> Result<i32, DbErr> {
    let row = children::ActiveModel {
        case_id: Set(case_id),
        full_name: Set(full_name.into()),
        born_on: Set(born_on),
        emancipates_on: Set(emancipates_on),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// What an order requires, before it is stored.
#[derive(Debug, Clone, Copy)]
pub struct Terms {
    pub kind: ObligationKind,
    pub amount: Money,
    pub schedule: Schedule,
}

pub struct NewOrder<'a> {
    pub case_id: i32,
    pub source: &'a str,
    pub reference: &'a str,
    pub effective_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub terms: &'a [Terms],
}

/// An order with its obligations; returns the order's id.
pub async fn order(db: &impl ConnectionTrait, new: NewOrder<'_>) -> Result<i32, DbErr> {
    let row = orders::ActiveModel {
        case_id: Set(new.case_id),
        source: Set(new.source.into()),
        reference: Set(new.reference.into()),
        effective_on: Set(new.effective_on),
        ends_on: Set(new.ends_on),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    for terms in new.terms {
        obligations::ActiveModel {
            order_id: Set(row.id),
            kind: Set(terms.kind.as_str().into()),
            amount_cents: Set(terms
                .amount
                .cents()
                .map_err(|e| DbErr::Custom(e.to_string()))?),
            frequency: Set(terms.schedule.frequency.as_str().into()),
            anchor_day: Set(i16::from(terms.schedule.anchor_day)),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(row.id)
}

/// An account for `person` with an already hashed password.
pub async fn account(
    db: &impl ConnectionTrait,
    person: i32,
    email: &str,
    password_hash: &str,
    role: AccountRole,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<i32, DbErr> {
    let account = new_account(
        person,
        email.to_owned(),
        password_hash.to_owned(),
        role,
        now,
    );
    Ok(account.insert(db).await?.id)
}

/// An activation PIN (already hashed) for `person` on `case`.
pub async fn pin(
    db: &impl ConnectionTrait,
    case: i32,
    person: i32,
    pin_hash: &str,
    issued_by: i32,
    now: chrono::DateTime<chrono::Utc>,
    expires: chrono::DateTime<chrono::Utc>,
) -> Result<i32, DbErr> {
    let pin = entity::activation_pins::ActiveModel {
        case_id: Set(case),
        person_id: Set(person),
        pin_hash: Set(pin_hash.to_owned()),
        issued_by: Set(issued_by),
        issued_at: Set(now),
        expires_at: Set(expires),
        failed_tries: Set(0),
        used_at: Set(None),
        voided_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(pin.id)
}
