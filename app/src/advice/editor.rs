//! Supervisors' editing on the server: the list of articles, one article's
//! editor, and keeping an edit — as a draft (one per article, unfinished is
//! fine), or published as a new version that readers see at once, audited,
//! with the search index rebuilt in the same transaction.

use chrono::{DateTime, Utc};
use entity::{advice_articles, advice_drafts, advice_versions};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};

use super::editing::{
    ArticleFields, Author, DraftNote, Editor, EditorRow, Intent, Saved, VersionRow,
};
use super::render::Values;
use super::service::{as_readers_see, latest_version, publish, reindex, Published};
use crate::error::{AppError, Field, Problem};
use crate::reader::User;
use crate::server::access::require_supervisor;
use crate::server::audit::{self, AuditAction, AuditEvent, Source};
use crate::server::clock::Clock;
use crate::server::people::names_of;

/// Every article in both languages, in list order, with what is published
/// and whether a draft waits.
pub async fn rows(db: &impl ConnectionTrait, reader: &User) -> Result<Vec<EditorRow>, AppError> {
    require_supervisor(reader)?;
    let articles = advice_articles::Entity::find()
        .order_by_asc(advice_articles::Column::Position)
        .order_by_asc(advice_articles::Column::Slug)
        .order_by_asc(advice_articles::Column::Locale)
        .all(db)
        .await?;
    let drafts = advice_drafts::Entity::find().all(db).await?;
    let mut latest = Vec::with_capacity(articles.len());
    for article in articles {
        if let Some(version) = latest_version(db, article.id).await? {
            latest.push((article, version));
        }
    }
    let names = names_of(
        db,
        latest
            .iter()
            .filter_map(|(_, version)| version.author_id)
            .chain(drafts.iter().map(|draft| draft.author_id)),
    )
    .await?;
    Ok(latest
        .into_iter()
        .map(|(article, version)| EditorRow {
            draft_by: drafts
                .iter()
                .find(|draft| draft.article_id == article.id)
                .map(|draft| names.get(&draft.author_id).cloned().unwrap_or_default()),
            author: author(&version, &names),
            slug: article.slug,
            locale: article.locale,
            title: version.title,
            version: version.version,
            published_on: version.published_at.date_naive().to_string(),
        })
        .collect())
}

fn author(
    version: &advice_versions::Model,
    names: &std::collections::HashMap<i32, String>,
) -> Author {
    match version.author_id {
        Some(person) if !version.from_repository => {
            Author::Supervisor(names.get(&person).cloned().unwrap_or_default())
        }
        _ => Author::Repository,
    }
}

async fn article(
    db: &impl ConnectionTrait,
    slug: &str,
    locale: &str,
) -> Result<advice_articles::Model, AppError> {
    advice_articles::Entity::find()
        .filter(advice_articles::Column::Slug.eq(slug))
        .filter(advice_articles::Column::Locale.eq(locale))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

async fn draft_of(
    db: &impl ConnectionTrait,
    article: i32,
) -> Result<Option<advice_drafts::Model>, AppError> {
    Ok(advice_drafts::Entity::find()
        .filter(advice_drafts::Column::ArticleId.eq(article))
        .one(db)
        .await?)
}

/// The editor of `slug` in `locale`: the draft (or what is published), its
/// preview, and every published version.
pub async fn editor(
    db: &impl ConnectionTrait,
    reader: &User,
    slug: &str,
    locale: &str,
    values: &Values,
    clock: &Clock,
) -> Result<Editor, AppError> {
    require_supervisor(reader)?;
    let article = article(db, slug, locale).await?;
    let versions = advice_versions::Entity::find()
        .filter(advice_versions::Column::ArticleId.eq(article.id))
        .order_by_desc(advice_versions::Column::Version)
        .all(db)
        .await?;
    let latest = versions.first().ok_or(AppError::NotFound)?;
    let draft = draft_of(db, article.id).await?;
    let names = names_of(
        db,
        versions
            .iter()
            .filter_map(|version| version.author_id)
            .chain(draft.iter().map(|draft| draft.author_id)),
    )
    .await?;
    let fields = match &draft {
        Some(draft) => ArticleFields {
            title: draft.title.clone(),
            summary: draft.summary.clone(),
            keywords: draft.keywords.clone(),
            action: draft.action.clone(),
            body: draft.body.clone(),
        },
        None => ArticleFields {
            title: latest.title.clone(),
            summary: latest.summary.clone(),
            keywords: latest.keywords.clone(),
            action: latest.action.clone(),
            body: latest.body.clone(),
        },
    };
    Ok(Editor {
        based_on: latest.version,
        preview: as_readers_see(values, &fields.title, &fields.summary, &fields.body),
        fields,
        draft: draft.map(|draft| DraftNote {
            by: names.get(&draft.author_id).cloned().unwrap_or_default(),
            saved_at: clock.local(draft.updated_at),
        }),
        versions: versions
            .iter()
            .map(|version| VersionRow {
                version: version.version,
                title: version.title.clone(),
                published_on: version.published_at.date_naive().to_string(),
                author: author(version, &names),
            })
            .collect(),
        placeholders: values.names().map(str::to_owned).collect(),
        slug: article.slug,
        locale: article.locale,
    })
}

/// What the editor's form sent.
pub struct Edit<'a> {
    pub slug: &'a str,
    pub locale: &'a str,
    /// The version the supervisor started from.
    pub based_on: i32,
    pub fields: ArticleFields,
    pub intent: Intent,
}

/// Keeps `edit`: a draft, a published version, or the draft dropped. A
/// publish that cannot go ahead still keeps the words as the draft, so
/// nothing typed is lost while its problems are fixed.
pub async fn save(
    db: &DatabaseConnection,
    reader: &User,
    edit: Edit<'_>,
    values: &Values,
    now: DateTime<Utc>,
) -> Result<Saved, AppError> {
    require_supervisor(reader)?;
    let article = article(db, edit.slug, edit.locale).await?;
    if edit.intent == Intent::Discard {
        advice_drafts::Entity::delete_many()
            .filter(advice_drafts::Column::ArticleId.eq(article.id))
            .exec(db)
            .await?;
        return Ok(Saved::Discarded);
    }
    let fields = edit.fields.tidy()?;
    let txn = db.begin().await?;
    if edit.intent == Intent::Preview {
        keep_draft(&txn, article.id, &fields, reader.person_id, now).await?;
        txn.commit().await?;
        return Ok(Saved::Draft);
    }
    let latest = latest_version(&txn, article.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let known: Vec<&str> = values.names().collect();
    let ready = match fields.ready_to_publish(&known) {
        Ok(_) if latest.version != edit.based_on => Err(AppError::invalid(
            Field::Version,
            Problem::PublishedMeanwhile,
        )),
        ready => ready,
    };
    let action = match ready {
        Ok(action) => action,
        Err(problems) => {
            keep_draft(&txn, article.id, &fields, reader.person_id, now).await?;
            txn.commit().await?;
            return Err(problems);
        }
    };
    let number = latest.version + 1;
    publish(
        &txn,
        article.id,
        number,
        Published {
            title: fields.title,
            summary: fields.summary,
            keywords: fields.keywords,
            action,
            body: fields.body,
            from_repository: false,
        },
        Some(reader.person_id),
        now,
    )
    .await?;
    advice_drafts::Entity::delete_many()
        .filter(advice_drafts::Column::ArticleId.eq(article.id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        AuditEvent::new(AuditAction::AdvicePublished)
            .by(reader.person_id)
            .detail(format!(
                "{} ({}) version {number}",
                article.slug, article.locale
            )),
        &Source::of_request(),
        now,
    )
    .await?;
    reindex(&txn).await?;
    txn.commit().await?;
    Ok(Saved::Published(number))
}

/// Writes the article's one draft (a new one, or over the one there is).
async fn keep_draft(
    db: &impl ConnectionTrait,
    article: i32,
    fields: &ArticleFields,
    author: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut draft: advice_drafts::ActiveModel = match draft_of(db, article).await? {
        Some(draft) => draft.into(),
        None => advice_drafts::ActiveModel {
            article_id: Set(article),
            ..Default::default()
        },
    };
    draft.title = Set(fields.title.clone());
    draft.summary = Set(fields.summary.clone());
    draft.keywords = Set(fields.keywords.clone());
    draft.action = Set(fields.action.clone());
    draft.body = Set(fields.body.clone());
    draft.author_id = Set(author);
    draft.updated_at = Set(now);
    draft.save(db).await?;
    Ok(())
}
