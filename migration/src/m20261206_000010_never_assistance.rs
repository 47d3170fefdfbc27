//! Whether a case's family never received public assistance (TANF, foster
//! care): federal rules charge such cases a yearly service fee once enough
//! support has been sent on in a fiscal year (docs/ledger.md, "Fees").

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Cases::Table)
                    // Set at intake; false charges no fee, the safe side.
                    .add_column(boolean(Cases::NeverAssistance).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Cases::Table)
                    .drop_column(Cases::NeverAssistance)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    NeverAssistance,
}
