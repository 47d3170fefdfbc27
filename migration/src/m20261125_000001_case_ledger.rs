//! Cases, who is on them, their orders and obligations, and the ledger.
//!
//! Money is stored as integer cents (`BIGINT`): SeaORM reads SQLite decimals
//! as `f64`, and a ledger must not lose a cent. Ledger entries are
//! append-only, enforced here by triggers on both databases: a correction is
//! a reversing entry, never an update or a delete.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::{append_only, drop_append_only, index, unique};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(People::Table)
                    .col(pk_auto(People::Id))
                    .col(string(People::FullName))
                    .col(timestamp_with_time_zone(People::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Cases::Table)
                    .col(pk_auto(Cases::Id))
                    .col(string_uniq(Cases::CaseNumber))
                    .col(string(Cases::Office))
                    .col(integer_null(Cases::CaseworkerId))
                    .col(string(Cases::Status))
                    .col(date(Cases::OpenedOn))
                    .col(timestamp_with_time_zone(Cases::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Cases::Table, Cases::CaseworkerId)
                            .to(People::Table, People::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Cases::Table,
            "idx_cases_caseworker",
            [Cases::CaseworkerId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(CaseParticipants::Table)
                    .col(pk_auto(CaseParticipants::Id))
                    .col(integer(CaseParticipants::CaseId))
                    .col(integer(CaseParticipants::PersonId))
                    .col(string(CaseParticipants::Role))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CaseParticipants::Table, CaseParticipants::CaseId)
                            .to(Cases::Table, Cases::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CaseParticipants::Table, CaseParticipants::PersonId)
                            .to(People::Table, People::Id),
                    )
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            CaseParticipants::Table,
            "uq_case_participants_case_person",
            [CaseParticipants::CaseId, CaseParticipants::PersonId],
        )
        .await?;
        index(
            manager,
            CaseParticipants::Table,
            "idx_case_participants_person",
            [CaseParticipants::PersonId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Children::Table)
                    .col(pk_auto(Children::Id))
                    .col(integer(Children::CaseId))
                    .col(string(Children::FullName))
                    .col(date(Children::BornOn))
                    .col(date(Children::EmancipatesOn))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Children::Table, Children::CaseId)
                            .to(Cases::Table, Cases::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Children::Table,
            "idx_children_case",
            [Children::CaseId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Orders::Table)
                    .col(pk_auto(Orders::Id))
                    .col(integer(Orders::CaseId))
                    .col(string(Orders::Source))
                    .col(string(Orders::Reference))
                    .col(date(Orders::EffectiveOn))
                    .col(date_null(Orders::EndsOn))
                    .col(timestamp_with_time_zone(Orders::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Orders::Table, Orders::CaseId)
                            .to(Cases::Table, Cases::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Orders::Table,
            "idx_orders_case_effective",
            [Orders::CaseId, Orders::EffectiveOn],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Obligations::Table)
                    .col(pk_auto(Obligations::Id))
                    .col(integer(Obligations::OrderId))
                    .col(string(Obligations::Kind))
                    .col(big_integer(Obligations::AmountCents))
                    .col(string(Obligations::Frequency))
                    .col(small_integer(Obligations::AnchorDay))
                    .check(Expr::col(Obligations::AmountCents).gt(0))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Obligations::Table, Obligations::OrderId)
                            .to(Orders::Table, Orders::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Obligations::Table,
            "idx_obligations_order",
            [Obligations::OrderId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(LedgerEntries::Table)
                    .col(big_pk_auto(LedgerEntries::Id))
                    .col(integer(LedgerEntries::CaseId))
                    .col(string(LedgerEntries::Kind))
                    .col(big_integer(LedgerEntries::AmountCents))
                    .col(date(LedgerEntries::EffectiveOn))
                    .col(timestamp_with_time_zone(LedgerEntries::PostedAt))
                    .col(integer_null(LedgerEntries::ObligationId))
                    .col(string_null(LedgerEntries::ObligationKind))
                    .col(string_null(LedgerEntries::Source))
                    .col(string_null(LedgerEntries::Reference))
                    .col(string_uniq(LedgerEntries::IdempotencyKey))
                    .col(big_integer_null(LedgerEntries::Reverses).unique_key())
                    .col(text_null(LedgerEntries::Note))
                    .col(integer_null(LedgerEntries::PostedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .from(LedgerEntries::Table, LedgerEntries::CaseId)
                            .to(Cases::Table, Cases::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(LedgerEntries::Table, LedgerEntries::ObligationId)
                            .to(Obligations::Table, Obligations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(LedgerEntries::Table, LedgerEntries::Reverses)
                            .to(LedgerEntries::Table, LedgerEntries::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(LedgerEntries::Table, LedgerEntries::PostedBy)
                            .to(People::Table, People::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // A case's statement reads its entries by date.
        index(
            manager,
            LedgerEntries::Table,
            "idx_ledger_entries_case_effective",
            [LedgerEntries::CaseId, LedgerEntries::EffectiveOn],
        )
        .await?;
        // Accrual asks "up to which due date has this obligation been charged?"
        index(
            manager,
            LedgerEntries::Table,
            "idx_ledger_entries_obligation_effective",
            [LedgerEntries::ObligationId, LedgerEntries::EffectiveOn],
        )
        .await?;

        append_only(
            manager,
            "ledger_entries",
            "ledger entries are append-only: post a reversing entry instead",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_append_only(manager, "ledger_entries").await?;
        for table in [
            LedgerEntries::Table.into_iden(),
            Obligations::Table.into_iden(),
            Orders::Table.into_iden(),
            Children::Table.into_iden(),
            CaseParticipants::Table.into_iden(),
            Cases::Table.into_iden(),
            People::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
    FullName,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
    CaseNumber,
    Office,
    CaseworkerId,
    Status,
    OpenedOn,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CaseParticipants {
    Table,
    Id,
    CaseId,
    PersonId,
    Role,
}

#[derive(DeriveIden)]
enum Children {
    Table,
    Id,
    CaseId,
    FullName,
    BornOn,
    EmancipatesOn,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
    CaseId,
    Source,
    Reference,
    EffectiveOn,
    EndsOn,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Obligations {
    Table,
    Id,
    OrderId,
    Kind,
    AmountCents,
    Frequency,
    AnchorDay,
}

#[derive(DeriveIden)]
enum LedgerEntries {
    Table,
    Id,
    CaseId,
    Kind,
    AmountCents,
    EffectiveOn,
    PostedAt,
    ObligationId,
    ObligationKind,
    Source,
    Reference,
    IdempotencyKey,
    Reverses,
    Note,
    PostedBy,
}
