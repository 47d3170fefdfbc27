//! A conversation between one parent and the agency about one case.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "message_threads")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub case_id: i32,
    /// The parent the conversation is with: only they and staff see it.
    pub parent_id: i32,
    /// `payment_question`, `missing_payment`, … (`app::messages::Topic`).
    pub topic: String,
    /// `waiting` (for the caseworker), `answered` or `closed`.
    pub status: String,
    /// The caseworker who took it; `None`: the case's caseworker.
    pub assigned_to: Option<i32>,
    pub created_at: DateTimeUtc,
    /// Since when it has waited for the agency.
    pub waiting_since: DateTimeUtc,
    pub last_message_at: DateTimeUtc,
}

belongs_to_a_case!();

impl ActiveModelBehavior for ActiveModel {}
