//! Something a person should know: a payment received, money sent, a reply,
//! a request that moved. Written once (`dedupe_key`); `read_at` is set when
//! the person has seen it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub person_id: i32,
    /// `payment_received`, `reply_received`, … (`app::notifications::Kind`).
    pub kind: String,
    pub case_id: Option<i32>,
    pub amount_cents: Option<i64>,
    /// A request's new status, for `request_changed`.
    pub status: Option<String>,
    /// Where it leads in the portal (a path).
    pub link: String,
    #[sea_orm(unique)]
    pub dedupe_key: String,
    pub created_at: DateTimeUtc,
    pub read_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
