//! One step in a request's history. Inserted, never updated or deleted.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "request_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub request_id: i32,
    /// The status the request moved to.
    pub status: String,
    pub by_id: i32,
    pub at: DateTimeUtc,
    /// Why, for a decline or a denial (shown to the requester).
    pub note: Option<String>,
    pub hearing_at: Option<DateTimeUtc>,
    pub hearing_place: Option<String>,
    /// The order that carried out an approval or a decision.
    pub order_id: Option<i32>,
    /// A staff step's one-time key (`None` for the parent's own).
    #[sea_orm(unique)]
    pub idempotency_key: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
