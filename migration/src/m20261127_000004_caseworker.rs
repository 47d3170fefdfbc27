//! The caseworker's workspace: how the agency reaches a person (phone,
//! e-mail, mailing address — staff see them on the case view, parents never
//! see each other's), and a one-time key on orders so that a new order
//! entered twice (a double click) is stored once.
//!
//! One `ALTER TABLE` per column: SQLite takes one change per statement, and
//! adds no UNIQUE column, so the key's uniqueness is an index.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::unique;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [People::Phone, People::Email, People::MailingAddress] {
            manager
                .alter_table(
                    Table::alter()
                        .table(People::Table)
                        .add_column(string_null(column))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Orders::Table)
                    .add_column(string_null(Orders::IdempotencyKey))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            Orders::Table,
            "uq_orders_idempotency_key",
            [Orders::IdempotencyKey],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("uq_orders_idempotency_key")
                    .table(Orders::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Orders::Table)
                    .drop_column(Orders::IdempotencyKey)
                    .to_owned(),
            )
            .await?;
        for column in [People::Phone, People::Email, People::MailingAddress] {
            manager
                .alter_table(
                    Table::alter()
                        .table(People::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum People {
    Table,
    Phone,
    Email,
    MailingAddress,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    IdempotencyKey,
}
