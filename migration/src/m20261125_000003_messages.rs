//! Secure messages between a parent and the case's caseworkers: threads per
//! case and topic, the messages in them (append-only, like the ledger),
//! their attachments (stored in the database, so every server instance and
//! every backup has them), and how far each person has read.

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
                    .table(MessageThreads::Table)
                    .col(pk_auto(MessageThreads::Id))
                    .col(integer(MessageThreads::CaseId))
                    // The parent the conversation is with: only they and staff see it.
                    .col(integer(MessageThreads::ParentId))
                    // `payment_question`, `missing_payment`, … (app::messages::Topic).
                    .col(string(MessageThreads::Topic))
                    // `waiting` (for the caseworker), `answered` or `closed`.
                    .col(string(MessageThreads::Status))
                    // The caseworker who took it; `None`: the case's caseworker.
                    .col(integer_null(MessageThreads::AssignedTo))
                    .col(timestamp_with_time_zone(MessageThreads::CreatedAt))
                    // Since when it has waited for the agency (the work list's clock).
                    .col(timestamp_with_time_zone(MessageThreads::WaitingSince))
                    .col(timestamp_with_time_zone(MessageThreads::LastMessageAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(MessageThreads::Table, MessageThreads::CaseId)
                            .to(Cases::Table, Cases::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(MessageThreads::Table, MessageThreads::ParentId)
                            .to(People::Table, People::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            MessageThreads::Table,
            "idx_message_threads_case",
            [MessageThreads::CaseId],
        )
        .await?;
        index(
            manager,
            MessageThreads::Table,
            "idx_message_threads_parent",
            [MessageThreads::ParentId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Messages::Table)
                    .col(pk_auto(Messages::Id))
                    .col(integer(Messages::ThreadId))
                    .col(integer(Messages::AuthorId))
                    // Plain text, shown escaped.
                    .col(text(Messages::Body))
                    .col(timestamp_with_time_zone(Messages::SentAt))
                    // A retried send (double click, reload) stores one message.
                    .col(string_uniq(Messages::IdempotencyKey))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Messages::Table, Messages::ThreadId)
                            .to(MessageThreads::Table, MessageThreads::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Messages::Table, Messages::AuthorId)
                            .to(People::Table, People::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Messages::Table,
            "idx_messages_thread",
            [Messages::ThreadId],
        )
        .await?;
        append_only(manager, "messages", "messages are append-only").await?;

        manager
            .create_table(
                Table::create()
                    .table(Attachments::Table)
                    .col(pk_auto(Attachments::Id))
                    .col(integer(Attachments::MessageId))
                    // As the sender named it (shown, never used as a path).
                    .col(string(Attachments::FileName))
                    // Found from the content: `application/pdf`, `image/jpeg`, `image/png`.
                    .col(string(Attachments::ContentType))
                    .col(big_integer(Attachments::SizeBytes))
                    .col(blob(Attachments::Content))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attachments::Table, Attachments::MessageId)
                            .to(Messages::Table, Messages::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            Attachments::Table,
            "idx_attachments_message",
            [Attachments::MessageId],
        )
        .await?;
        append_only(manager, "attachments", "attachments are append-only").await?;

        manager
            .create_table(
                Table::create()
                    .table(ThreadReads::Table)
                    .col(pk_auto(ThreadReads::Id))
                    .col(integer(ThreadReads::ThreadId))
                    .col(integer(ThreadReads::PersonId))
                    // The newest message this person has seen.
                    .col(integer(ThreadReads::ReadUpTo))
                    .col(timestamp_with_time_zone(ThreadReads::ReadAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ThreadReads::Table, ThreadReads::ThreadId)
                            .to(MessageThreads::Table, MessageThreads::Id),
                    )
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            ThreadReads::Table,
            "idx_thread_reads_thread_person",
            [ThreadReads::ThreadId, ThreadReads::PersonId],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ThreadReads::Table).to_owned())
            .await?;
        drop_append_only(manager, "attachments").await?;
        manager
            .drop_table(Table::drop().table(Attachments::Table).to_owned())
            .await?;
        drop_append_only(manager, "messages").await?;
        manager
            .drop_table(Table::drop().table(Messages::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(MessageThreads::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum MessageThreads {
    Table,
    Id,
    CaseId,
    ParentId,
    Topic,
    Status,
    AssignedTo,
    CreatedAt,
    WaitingSince,
    LastMessageAt,
}

#[derive(DeriveIden)]
enum Messages {
    Table,
    Id,
    ThreadId,
    AuthorId,
    Body,
    SentAt,
    IdempotencyKey,
}

#[derive(DeriveIden)]
enum Attachments {
    Table,
    Id,
    MessageId,
    FileName,
    ContentType,
    SizeBytes,
    Content,
}

#[derive(DeriveIden)]
enum ThreadReads {
    Table,
    Id,
    ThreadId,
    PersonId,
    ReadUpTo,
    ReadAt,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}
