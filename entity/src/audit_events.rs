//! The audit log: who did what, when, on which case, from where. Inserted,
//! never updated or deleted (the database refuses both).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    /// The person who acted; `None` when not signed in, or the system.
    pub actor_id: Option<i32>,
    /// What happened (`sign_in`, `sign_in_failed`, `pin_issued`, `case_opened`, …).
    pub action: String,
    pub case_id: Option<i32>,
    /// The person it was about, when not the actor.
    pub subject_id: Option<i32>,
    /// The client's address.
    pub source: Option<String>,
    /// The block the per-address throttle counts: the address for IPv4,
    /// its /64 for IPv6.
    pub source_block: Option<String>,
    pub detail: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
