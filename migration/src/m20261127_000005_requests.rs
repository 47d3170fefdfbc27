//! Requests a parent makes of the agency: a payment plan (extra each period
//! toward past-due support) or a change of support (a review of the order).
//! Each rides on a conversation (`thread_id`), which carries the talk and the
//! documents; the request keeps what was asked and where it stands.
//! `request_events` is the request's history, append-only like the ledger:
//! received, under review, hearing scheduled, approved, decided, declined,
//! denied — who moved it, when, and why.

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
                    .table(SupportRequests::Table)
                    .col(pk_auto(SupportRequests::Id))
                    .col(integer(SupportRequests::CaseId))
                    .col(integer(SupportRequests::RequesterId))
                    // `payment_plan` or `modification` (app::requests::RequestKind).
                    .col(string(SupportRequests::Kind))
                    .col(integer(SupportRequests::ThreadId))
                    // A plan: the extra amount each period, from a date.
                    .col(big_integer_null(SupportRequests::ExtraCents))
                    .col(date_null(SupportRequests::StartsOn))
                    // A modification: the reasons, comma-separated names.
                    .col(string_null(SupportRequests::Reasons))
                    // The latest event's status, for lists (history: request_events).
                    .col(string(SupportRequests::Status))
                    .col(timestamp_with_time_zone(SupportRequests::CreatedAt))
                    .col(timestamp_with_time_zone(SupportRequests::UpdatedAt))
                    // A resent form stores one request.
                    .col(string_uniq(SupportRequests::IdempotencyKey))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SupportRequests::Table, SupportRequests::CaseId)
                            .to(Cases::Table, Cases::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SupportRequests::Table, SupportRequests::RequesterId)
                            .to(People::Table, People::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SupportRequests::Table, SupportRequests::ThreadId)
                            .to(MessageThreads::Table, MessageThreads::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            SupportRequests::Table,
            "idx_support_requests_case",
            [SupportRequests::CaseId],
        )
        .await?;
        index(
            manager,
            SupportRequests::Table,
            "idx_support_requests_thread",
            [SupportRequests::ThreadId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(RequestEvents::Table)
                    .col(pk_auto(RequestEvents::Id))
                    .col(integer(RequestEvents::RequestId))
                    .col(string(RequestEvents::Status))
                    .col(integer(RequestEvents::ById))
                    .col(timestamp_with_time_zone(RequestEvents::At))
                    // Why (a decline or denial), as written for the parent.
                    .col(text_null(RequestEvents::Note))
                    .col(timestamp_with_time_zone_null(RequestEvents::HearingAt))
                    .col(string_null(RequestEvents::HearingPlace))
                    // The order that carried out an approval or decision.
                    .col(integer_null(RequestEvents::OrderId))
                    // A resent step (double click) moves the request once.
                    .col(string_null(RequestEvents::IdempotencyKey).unique_key())
                    .foreign_key(
                        ForeignKey::create()
                            .from(RequestEvents::Table, RequestEvents::RequestId)
                            .to(SupportRequests::Table, SupportRequests::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RequestEvents::Table, RequestEvents::ById)
                            .to(People::Table, People::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RequestEvents::Table, RequestEvents::OrderId)
                            .to(Orders::Table, Orders::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            RequestEvents::Table,
            "idx_request_events_request",
            [RequestEvents::RequestId],
        )
        .await?;
        append_only(manager, "request_events", "request history is append-only").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_append_only(manager, "request_events").await?;
        manager
            .drop_table(Table::drop().table(RequestEvents::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(SupportRequests::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SupportRequests {
    Table,
    Id,
    CaseId,
    RequesterId,
    Kind,
    ThreadId,
    ExtraCents,
    StartsOn,
    Reasons,
    Status,
    CreatedAt,
    UpdatedAt,
    IdempotencyKey,
}

#[derive(DeriveIden)]
enum RequestEvents {
    Table,
    Id,
    RequestId,
    Status,
    ById,
    At,
    Note,
    HearingAt,
    HearingPlace,
    OrderId,
    IdempotencyKey,
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

#[derive(DeriveIden)]
enum MessageThreads {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
}
