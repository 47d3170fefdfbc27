//! Signed-in sessions, shared by every server (tower-sessions' store).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The session's record, as JSON.
    pub data: String,
    /// When it ends if unused; slides with each request.
    pub expires_at: DateTimeUtc,
    /// When it began (sign-in): it ends at the absolute lifetime from here.
    pub created_at: DateTimeUtc,
    /// The signed-in account, if any.
    pub account_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
