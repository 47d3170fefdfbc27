//! Who may sign in, and what they did: accounts (parents and staff),
//! activation PINs, sessions, and the audit log.
//!
//! Secrets are stored only as argon2id hashes (passwords, PINs). Lockout and
//! PIN tries are counted here, not in a server's memory, so any number of
//! servers share them. The audit log is append-only, enforced by triggers as
//! the ledger is.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::{append_only, drop_append_only, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Accounts::Table)
                    .col(pk_auto(Accounts::Id))
                    .col(integer_uniq(Accounts::PersonId))
                    // Trimmed and lower-cased by the application.
                    .col(string_uniq(Accounts::Email))
                    .col(string(Accounts::PasswordHash))
                    // `parent`, `caseworker` or `supervisor`.
                    .col(string(Accounts::Role))
                    .col(integer(Accounts::FailedSignIns).default(0))
                    .col(timestamp_with_time_zone_null(Accounts::LockedUntil))
                    // Base32 TOTP secret once the second factor is enrolled.
                    .col(string_null(Accounts::TotpSecret))
                    .col(timestamp_with_time_zone_null(Accounts::TotpEnabledAt))
                    // The 30-second step of the last code accepted: a code works once.
                    .col(big_integer_null(Accounts::TotpLastStep))
                    .col(timestamp_with_time_zone(Accounts::CreatedAt))
                    .col(timestamp_with_time_zone(Accounts::PasswordChangedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Accounts::Table, Accounts::PersonId)
                            .to(People::Table, People::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RecoveryCodes::Table)
                    .col(pk_auto(RecoveryCodes::Id))
                    .col(integer(RecoveryCodes::AccountId))
                    .col(string(RecoveryCodes::CodeHash))
                    .col(timestamp_with_time_zone_null(RecoveryCodes::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RecoveryCodes::Table, RecoveryCodes::AccountId)
                            .to(Accounts::Table, Accounts::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            RecoveryCodes::Table,
            "idx_recovery_codes_account",
            [RecoveryCodes::AccountId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ActivationPins::Table)
                    .col(pk_auto(ActivationPins::Id))
                    .col(integer(ActivationPins::CaseId))
                    .col(integer(ActivationPins::PersonId))
                    .col(string(ActivationPins::PinHash))
                    .col(integer(ActivationPins::IssuedBy))
                    .col(timestamp_with_time_zone(ActivationPins::IssuedAt))
                    .col(timestamp_with_time_zone(ActivationPins::ExpiresAt))
                    .col(integer(ActivationPins::FailedTries).default(0))
                    .col(timestamp_with_time_zone_null(ActivationPins::UsedAt))
                    .col(timestamp_with_time_zone_null(ActivationPins::VoidedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ActivationPins::Table, ActivationPins::CaseId)
                            .to(Cases::Table, Cases::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ActivationPins::Table, ActivationPins::PersonId)
                            .to(People::Table, People::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ActivationPins::Table, ActivationPins::IssuedBy)
                            .to(People::Table, People::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            ActivationPins::Table,
            "idx_activation_pins_case",
            [ActivationPins::CaseId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(string(Sessions::Id).primary_key())
                    // The session's record as JSON.
                    .col(text(Sessions::Data))
                    // When an idle session ends; it slides with each request.
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    // Sign-in time: no session outlives the absolute lifetime from here.
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    // Whose session it is, so signing out everywhere is one delete.
                    .col(integer_null(Sessions::AccountId))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Sessions::Table,
            "idx_sessions_expires",
            [Sessions::ExpiresAt],
        )
        .await?;
        index(
            manager,
            Sessions::Table,
            "idx_sessions_account",
            [Sessions::AccountId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(big_pk_auto(AuditEvents::Id))
                    .col(timestamp_with_time_zone(AuditEvents::At))
                    // Who did it; `None` for someone not signed in, or the system.
                    .col(integer_null(AuditEvents::ActorId))
                    .col(string(AuditEvents::Action))
                    .col(integer_null(AuditEvents::CaseId))
                    // Whom it was about (the account signing in, the PIN's parent).
                    .col(integer_null(AuditEvents::SubjectId))
                    // The client's address.
                    .col(string_null(AuditEvents::Source))
                    .col(text_null(AuditEvents::Detail))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            AuditEvents::Table,
            "idx_audit_events_case_at",
            [AuditEvents::CaseId, AuditEvents::At],
        )
        .await?;
        // The per-address sign-in throttle counts recent failures from one source.
        index(
            manager,
            AuditEvents::Table,
            "idx_audit_events_source_action_at",
            [AuditEvents::Source, AuditEvents::Action, AuditEvents::At],
        )
        .await?;

        append_only(manager, "audit_events", "the audit log is append-only").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_append_only(manager, "audit_events").await?;
        for table in [
            AuditEvents::Table.into_iden(),
            Sessions::Table.into_iden(),
            ActivationPins::Table.into_iden(),
            RecoveryCodes::Table.into_iden(),
            Accounts::Table.into_iden(),
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
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    PersonId,
    Email,
    PasswordHash,
    Role,
    FailedSignIns,
    LockedUntil,
    TotpSecret,
    TotpEnabledAt,
    TotpLastStep,
    CreatedAt,
    PasswordChangedAt,
}

#[derive(DeriveIden)]
enum RecoveryCodes {
    Table,
    Id,
    AccountId,
    CodeHash,
    UsedAt,
}

#[derive(DeriveIden)]
enum ActivationPins {
    Table,
    Id,
    CaseId,
    PersonId,
    PinHash,
    IssuedBy,
    IssuedAt,
    ExpiresAt,
    FailedTries,
    UsedAt,
    VoidedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    Data,
    ExpiresAt,
    CreatedAt,
    AccountId,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    At,
    ActorId,
    Action,
    CaseId,
    SubjectId,
    Source,
    Detail,
}
