//! The notification centre and the e-mail outbox. A notification is written
//! in the same transaction as what it tells of (a payment posted, a reply, a
//! request moved), once: its `dedupe_key` is unique, so a retried or
//! replayed event shows one. An e-mail for it waits in `email_outbox` until
//! the background sender hands it to the SMTP server (at least once: a crash
//! between sending and marking it sent sends it again).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(pk_auto(Notifications::Id))
                    .col(integer(Notifications::PersonId))
                    // `payment_received`, `reply_received`, … (app::notifications::Kind).
                    .col(string(Notifications::Kind))
                    .col(integer_null(Notifications::CaseId))
                    // What it is about, for the sentence: an amount, a status.
                    .col(big_integer_null(Notifications::AmountCents))
                    .col(string_null(Notifications::Status))
                    // Where it leads in the portal.
                    .col(string(Notifications::Link))
                    .col(string_uniq(Notifications::DedupeKey))
                    .col(timestamp_with_time_zone(Notifications::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Notifications::Table, Notifications::PersonId)
                            .to(People::Table, People::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Notifications::Table, Notifications::CaseId)
                            .to(Cases::Table, Cases::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Notifications::Table,
            "idx_notifications_person",
            [Notifications::PersonId, Notifications::Id],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(EmailOutbox::Table)
                    .col(pk_auto(EmailOutbox::Id))
                    .col(integer_uniq(EmailOutbox::NotificationId))
                    .col(string(EmailOutbox::ToAddress))
                    // `pending`, `sent`, `failed` (gave up) or `expired`.
                    .col(string(EmailOutbox::Status))
                    .col(integer(EmailOutbox::Attempts))
                    .col(timestamp_with_time_zone(EmailOutbox::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(EmailOutbox::SentAt))
                    .col(text_null(EmailOutbox::LastError))
                    .col(timestamp_with_time_zone(EmailOutbox::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(EmailOutbox::Table, EmailOutbox::NotificationId)
                            .to(Notifications::Table, Notifications::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            EmailOutbox::Table,
            "idx_email_outbox_due",
            [EmailOutbox::Status, EmailOutbox::NextAttemptAt],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EmailOutbox::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Notifications::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    PersonId,
    Kind,
    CaseId,
    AmountCents,
    Status,
    Link,
    DedupeKey,
    CreatedAt,
    ReadAt,
}

#[derive(DeriveIden)]
enum EmailOutbox {
    Table,
    Id,
    NotificationId,
    ToAddress,
    Status,
    Attempts,
    NextAttemptAt,
    SentAt,
    LastError,
    CreatedAt,
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
