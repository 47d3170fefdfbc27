//! A parent's request of the agency: a payment plan or a change of support.
//! The conversation `thread_id` carries the talk and the documents.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "support_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub case_id: i32,
    pub requester_id: i32,
    /// `payment_plan` or `modification` (`app::requests::RequestKind`).
    pub kind: String,
    pub thread_id: i32,
    /// A plan: extra cents each period toward past-due support.
    pub extra_cents: Option<i64>,
    /// A plan: the first day it counts.
    pub starts_on: Option<Date>,
    /// A modification: comma-separated reason names.
    pub reasons: Option<String>,
    /// The latest event's status (`received`, `under_review`, …).
    pub status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    #[sea_orm(unique)]
    pub idempotency_key: String,
}

belongs_to_a_case!();

impl ActiveModelBehavior for ActiveModel {}
