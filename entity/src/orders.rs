//! A support order. A modification is a new order from its effective date;
//! the earlier one stays as history.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub case_id: i32,
    /// `court` or `agency`.
    pub source: String,
    /// The court's docket or the agency's order number.
    pub reference: String,
    pub effective_on: Date,
    /// Set when the order itself says when it ends.
    pub ends_on: Option<Date>,
    /// The form's one-time key, for orders a caseworker entered.
    pub idempotency_key: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
