//! What an order requires: an amount of one kind, due on a schedule.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "obligations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub order_id: i32,
    /// `child_support`, `spousal_support`, `medical_support`, `arrears_payment`.
    pub kind: String,
    pub amount_cents: i64,
    /// `weekly`, `bi_weekly`, `semi_monthly`, `monthly`.
    pub frequency: String,
    /// Weekday (0 = Monday) or day of the month, by frequency.
    pub anchor_day: i16,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
