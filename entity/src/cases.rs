//! A child support case: the agency's file on one family's order.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub case_number: String,
    /// The agency office that runs the case.
    pub office: String,
    /// The person (a caseworker) the case is assigned to.
    pub caseworker_id: Option<i32>,
    /// `open` or `closed`.
    pub status: String,
    pub opened_on: Date,
    pub created_at: DateTimeUtc,
    /// The family never received public assistance: the yearly service fee
    /// applies (`app::ledger::fee`).
    pub never_assistance: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
