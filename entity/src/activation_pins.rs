//! A PIN a caseworker gave a parent to activate an account on a case (or to
//! link the case to the account they have, or to set a new password).
//! Single use; stored only as a hash; expires; void after too many wrong tries
//! or when another PIN is issued to the same person on the same case.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activation_pins")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub case_id: i32,
    /// The participant it was issued to.
    pub person_id: i32,
    /// argon2id of the PIN.
    pub pin_hash: String,
    /// The caseworker who issued it.
    pub issued_by: i32,
    pub issued_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    /// Wrong PINs tried on its case while it was valid.
    pub failed_tries: i32,
    pub used_at: Option<DateTimeUtc>,
    pub voided_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
