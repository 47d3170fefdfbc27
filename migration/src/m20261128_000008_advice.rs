//! Advice: articles (one row per slug and language), their published
//! versions (kept for ever: the database refuses to change or delete one),
//! at most one draft each, the glossary, and the search index built from
//! what is published — FTS5 on SQLite, a `tsvector` with a GIN index on
//! PostgreSQL.

use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::{append_only, drop_append_only, unique};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AdviceArticles::Table)
                    .col(pk_auto(AdviceArticles::Id))
                    .col(string(AdviceArticles::Slug))
                    // `en` or `es`.
                    .col(string(AdviceArticles::Locale))
                    // Where it stands in the list of articles.
                    .col(integer(AdviceArticles::Position))
                    .col(timestamp_with_time_zone(AdviceArticles::CreatedAt))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            AdviceArticles::Table,
            "idx_advice_articles_slug_locale",
            [AdviceArticles::Slug, AdviceArticles::Locale],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(AdviceVersions::Table)
                    .col(pk_auto(AdviceVersions::Id))
                    .col(integer(AdviceVersions::ArticleId))
                    // 1, 2, 3… per article; the highest is what readers see.
                    .col(integer(AdviceVersions::Version))
                    .col(string(AdviceVersions::Title))
                    .col(string(AdviceVersions::Summary))
                    // Comma-separated words people search for.
                    .col(text(AdviceVersions::Keywords))
                    // `change_request`, `message`, `payment_plan` or `none`.
                    .col(string(AdviceVersions::Action))
                    // Markdown, with `{{placeholders}}` for configured values.
                    .col(text(AdviceVersions::Body))
                    // Loaded from the repository's files (not a supervisor's edit).
                    .col(boolean(AdviceVersions::FromRepository))
                    .col(integer_null(AdviceVersions::AuthorId))
                    .col(timestamp_with_time_zone(AdviceVersions::PublishedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AdviceVersions::Table, AdviceVersions::ArticleId)
                            .to(AdviceArticles::Table, AdviceArticles::Id),
                    )
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            AdviceVersions::Table,
            "idx_advice_versions_article_version",
            [AdviceVersions::ArticleId, AdviceVersions::Version],
        )
        .await?;
        append_only(
            manager,
            "advice_versions",
            "advice_versions is append-only: publish a new version instead",
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(AdviceDrafts::Table)
                    .col(pk_auto(AdviceDrafts::Id))
                    .col(integer_uniq(AdviceDrafts::ArticleId))
                    .col(string(AdviceDrafts::Title))
                    .col(string(AdviceDrafts::Summary))
                    .col(text(AdviceDrafts::Keywords))
                    .col(string(AdviceDrafts::Action))
                    .col(text(AdviceDrafts::Body))
                    .col(integer(AdviceDrafts::AuthorId))
                    .col(timestamp_with_time_zone(AdviceDrafts::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AdviceDrafts::Table, AdviceDrafts::ArticleId)
                            .to(AdviceArticles::Table, AdviceArticles::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(GlossaryTerms::Table)
                    .col(pk_auto(GlossaryTerms::Id))
                    .col(string(GlossaryTerms::Slug))
                    .col(string(GlossaryTerms::Locale))
                    .col(string(GlossaryTerms::Term))
                    .col(text(GlossaryTerms::Definition))
                    // Comma-separated slugs of related terms.
                    .col(string(GlossaryTerms::SeeAlso))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            GlossaryTerms::Table,
            "idx_glossary_terms_slug_locale",
            [GlossaryTerms::Slug, GlossaryTerms::Locale],
        )
        .await?;

        // The search index: rebuilt from the published articles and the
        // glossary whenever either changes.
        let statements: &[&str] = match manager.get_database_backend() {
            DbBackend::Postgres => &[
                "CREATE TABLE advice_search (
                   id SERIAL PRIMARY KEY,
                   kind TEXT NOT NULL,
                   slug TEXT NOT NULL,
                   locale TEXT NOT NULL,
                   shown_title TEXT NOT NULL,
                   excerpt TEXT NOT NULL,
                   document TSVECTOR NOT NULL
                 )",
                "CREATE INDEX idx_advice_search_document ON advice_search USING GIN (document)",
            ],
            // `title` and `body` hold the searchable words (accents and case
            // folded by the app); the rest is what a result shows.
            _ => &["CREATE VIRTUAL TABLE advice_search USING fts5(
                   kind UNINDEXED, slug UNINDEXED, locale UNINDEXED,
                   shown_title UNINDEXED, excerpt UNINDEXED, title, body,
                   tokenize = 'porter unicode61 remove_diacritics 2'
                 )"],
        };
        for statement in statements {
            manager
                .get_connection()
                .execute_unprepared(statement)
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP TABLE advice_search")
            .await?;
        drop_append_only(manager, "advice_versions").await?;
        for table in [
            GlossaryTerms::Table.into_iden(),
            AdviceDrafts::Table.into_iden(),
            AdviceVersions::Table.into_iden(),
            AdviceArticles::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum AdviceArticles {
    Table,
    Id,
    Slug,
    Locale,
    Position,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AdviceVersions {
    Table,
    Id,
    ArticleId,
    Version,
    Title,
    Summary,
    Keywords,
    Action,
    Body,
    FromRepository,
    AuthorId,
    PublishedAt,
}

#[derive(DeriveIden)]
enum AdviceDrafts {
    Table,
    Id,
    ArticleId,
    Title,
    Summary,
    Keywords,
    Action,
    Body,
    AuthorId,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum GlossaryTerms {
    Table,
    Id,
    Slug,
    Locale,
    Term,
    Definition,
    SeeAlso,
}
