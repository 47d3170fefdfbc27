//! One line of a case's ledger. Inserted, never updated or deleted (the
//! database refuses both): corrections are reversing entries.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ledger_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i32,
    /// `charge`, `payment`, `adjustment`, `reversal`, `disbursement`, `hold`, `release`.
    pub kind: String,
    /// Positive, except adjustments, which are signed; zero for reversals.
    pub amount_cents: i64,
    pub effective_on: Date,
    pub posted_at: DateTimeUtc,
    /// Charges: the obligation that fell due, and its kind.
    pub obligation_id: Option<i32>,
    pub obligation_kind: Option<String>,
    /// Payments: how the money came (`income_withholding`, `direct`, …).
    pub source: Option<String>,
    /// The payer's or the court's reference (check number, docket).
    pub reference: Option<String>,
    #[sea_orm(unique)]
    pub idempotency_key: String,
    /// Reversals: the entry they cancel (each entry at most once).
    #[sea_orm(unique)]
    pub reverses: Option<i64>,
    pub note: Option<String>,
    /// The person who posted it; `None` for the system (accrual, imports).
    pub posted_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
