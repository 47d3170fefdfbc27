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

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::cases::Entity",
        from = "Column::CaseId",
        to = "super::cases::Column::Id"
    )]
    Case,
}

impl Related<super::cases::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Case.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
