//! The network block an audit row's address belongs to: the address itself
//! for IPv4, its /64 for IPv6 (one household or phone is given a whole /64,
//! so the per-address throttle counts the block, not each of its addresses).
//! Rows written before this have none, and cannot be given one: the log is
//! append-only.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AuditEvents::Table)
                    .add_column(string_null(AuditEvents::SourceBlock))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            AuditEvents::Table,
            "idx_audit_events_block_action_at",
            [
                AuditEvents::SourceBlock,
                AuditEvents::Action,
                AuditEvents::At,
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_audit_events_block_action_at")
                    .table(AuditEvents::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(AuditEvents::Table)
                    .drop_column(AuditEvents::SourceBlock)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    SourceBlock,
    Action,
    At,
}
