//! Advice in the database: what the repository ships is loaded on start
//! (a newer file replaces an older file's version; a supervisor's edit is
//! kept), readers get the latest published version, and the search index
//! follows what is published.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{advice_articles, advice_versions, glossary_terms};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};

use super::content::{self, ArticleFile, ContentError};
use super::editing::Preview;
use super::model::{AdviceAction, Article, ArticleLink, HitKind, SearchResults, Term};
use super::render::{self, Values};
use super::search::{self, Entry};
use crate::error::AppError;
use crate::server::internal;

/// What loading the repository's advice changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Loaded {
    /// Articles (one language each) new or with a newer file.
    pub published: usize,
    /// Articles whose file changed but a supervisor's edit is kept.
    pub kept_edits: usize,
    pub terms: usize,
}

impl From<ContentError> for AppError {
    fn from(error: ContentError) -> Self {
        internal(error)
    }
}

/// Loads the advice the repository ships: new articles, newer files of
/// articles nobody edited, and the glossary; then rebuilds the search index.
/// Running it again with the same files changes nothing.
pub async fn load_repository(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<Loaded, AppError> {
    let files = content::articles()?;
    let terms = content::glossary()?;
    let txn = db.begin().await?;
    let mut loaded = Loaded::default();
    for file in &files {
        let article = match advice_articles::Entity::find()
            .filter(advice_articles::Column::Slug.eq(&file.slug))
            .filter(advice_articles::Column::Locale.eq(&file.locale))
            .one(&txn)
            .await?
        {
            Some(article) => article,
            None => {
                advice_articles::ActiveModel {
                    slug: Set(file.slug.clone()),
                    locale: Set(file.locale.clone()),
                    position: Set(file.position),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
            }
        };
        let latest = latest_version(&txn, article.id).await?;
        match latest {
            Some(version) if same_as_file(&version, file) => {}
            Some(version) if !version.from_repository => loaded.kept_edits += 1,
            _ => {
                let next = latest.as_ref().map_or(1, |v| v.version + 1);
                publish(
                    &txn,
                    article.id,
                    next,
                    Published::from_file(file),
                    None,
                    now,
                )
                .await?;
                loaded.published += 1;
            }
        }
    }
    for term in &terms {
        for locale in content::LOCALES {
            let words = term.in_locale(locale);
            let stored = glossary_terms::Entity::find()
                .filter(glossary_terms::Column::Slug.eq(&term.slug))
                .filter(glossary_terms::Column::Locale.eq(locale))
                .one(&txn)
                .await?;
            let mut row = match stored {
                Some(row) => row.into(),
                None => glossary_terms::ActiveModel {
                    slug: Set(term.slug.clone()),
                    locale: Set(locale.to_owned()),
                    ..Default::default()
                },
            };
            row.term = Set(words.term.clone());
            row.definition = Set(words.definition.clone());
            row.see_also = Set(term.see_also.join(","));
            row.save(&txn).await?;
            loaded.terms += 1;
        }
    }
    reindex(&txn).await?;
    txn.commit().await?;
    Ok(loaded)
}

/// What a published version says.
pub struct Published {
    pub title: String,
    pub summary: String,
    pub keywords: String,
    pub action: AdviceAction,
    pub body: String,
    pub from_repository: bool,
}

impl Published {
    fn from_file(file: &ArticleFile) -> Self {
        Self {
            title: file.title.clone(),
            summary: file.summary.clone(),
            keywords: file.keywords.join(", "),
            action: file.action,
            body: file.body.clone(),
            from_repository: true,
        }
    }
}

fn same_as_file(version: &advice_versions::Model, file: &ArticleFile) -> bool {
    version.title == file.title
        && version.summary == file.summary
        && version.keywords == file.keywords.join(", ")
        && version.action == file.action.as_str()
        && version.body == file.body
}

/// Appends version `number` of the article.
pub async fn publish(
    db: &impl ConnectionTrait,
    article: i32,
    number: i32,
    what: Published,
    author: Option<i32>,
    now: DateTime<Utc>,
) -> Result<advice_versions::Model, AppError> {
    Ok(advice_versions::ActiveModel {
        article_id: Set(article),
        version: Set(number),
        title: Set(what.title),
        summary: Set(what.summary),
        keywords: Set(what.keywords),
        action: Set(what.action.as_str().to_owned()),
        body: Set(what.body),
        from_repository: Set(what.from_repository),
        author_id: Set(author),
        published_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn latest_version(
    db: &impl ConnectionTrait,
    article: i32,
) -> Result<Option<advice_versions::Model>, AppError> {
    Ok(advice_versions::Entity::find()
        .filter(advice_versions::Column::ArticleId.eq(article))
        .order_by_desc(advice_versions::Column::Version)
        .one(db)
        .await?)
}

/// Every article in `locale` with its latest version, in list order.
async fn published(
    db: &impl ConnectionTrait,
    locale: &str,
) -> Result<Vec<(advice_articles::Model, advice_versions::Model)>, AppError> {
    let articles = advice_articles::Entity::find()
        .filter(advice_articles::Column::Locale.eq(locale))
        .order_by_asc(advice_articles::Column::Position)
        .order_by_asc(advice_articles::Column::Slug)
        .all(db)
        .await?;
    let ids: Vec<i32> = articles.iter().map(|a| a.id).collect();
    let mut latest: HashMap<i32, advice_versions::Model> = HashMap::new();
    for version in advice_versions::Entity::find()
        .filter(advice_versions::Column::ArticleId.is_in(ids))
        .all(db)
        .await?
    {
        let newer = latest
            .get(&version.article_id)
            .is_none_or(|seen| seen.version < version.version);
        if newer {
            latest.insert(version.article_id, version);
        }
    }
    Ok(articles
        .into_iter()
        .filter_map(|article| {
            let version = latest.remove(&article.id)?;
            Some((article, version))
        })
        .collect())
}

/// The articles in `locale`, in list order.
pub async fn index(db: &impl ConnectionTrait, locale: &str) -> Result<Vec<ArticleLink>, AppError> {
    Ok(published(db, locale)
        .await?
        .into_iter()
        .map(|(article, version)| ArticleLink {
            slug: article.slug,
            title: version.title,
            summary: version.summary,
        })
        .collect())
}

/// The article `slug` in `locale`, rendered with `values`.
pub async fn article(
    db: &impl ConnectionTrait,
    slug: &str,
    locale: &str,
    values: &Values,
) -> Result<Article, AppError> {
    let article = advice_articles::Entity::find()
        .filter(advice_articles::Column::Slug.eq(slug))
        .filter(advice_articles::Column::Locale.eq(locale))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let version = latest_version(db, article.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let shown = as_readers_see(values, &version.title, &version.summary, &version.body);
    Ok(Article {
        slug: article.slug,
        title: shown.title,
        summary: shown.summary,
        html: shown.html,
        action: AdviceAction::parse(&version.action).unwrap_or(AdviceAction::None),
        version: version.version,
        published_on: version.published_at.date_naive().to_string(),
        editable: false,
    })
}

/// An article's words as readers get them: the agency's values filled in,
/// the Markdown rendered and sanitised (the editor's preview is the same).
pub fn as_readers_see(values: &Values, title: &str, summary: &str, body: &str) -> Preview {
    Preview {
        title: values.fill(title),
        summary: values.fill(summary),
        html: render::to_html(&values.fill(body)),
    }
}

/// The glossary in `locale`, alphabetical in that language.
pub async fn glossary(db: &impl ConnectionTrait, locale: &str) -> Result<Vec<Term>, AppError> {
    let rows = glossary_terms::Entity::find()
        .filter(glossary_terms::Column::Locale.eq(locale))
        .all(db)
        .await?;
    let names: HashMap<String, String> = rows
        .iter()
        .map(|row| (row.slug.clone(), row.term.clone()))
        .collect();
    let mut terms: Vec<Term> = rows
        .into_iter()
        .map(|row| Term {
            see_also: row
                .see_also
                .split(',')
                .filter_map(|slug| Some((slug.to_owned(), names.get(slug)?.clone())))
                .collect(),
            slug: row.slug,
            term: row.term,
            definition: row.definition,
        })
        .collect();
    terms.sort_by_key(|term| search::fold(&term.term));
    Ok(terms)
}

/// Articles and terms matching `query` in `locale`; when none does, the
/// articles most people need.
pub async fn find(
    db: &impl ConnectionTrait,
    locale: &str,
    query: &str,
    values: &Values,
) -> Result<SearchResults, AppError> {
    let query: String = query
        .trim()
        .chars()
        .take(super::model::MAX_QUERY_CHARS)
        .collect();
    let mut hits = search::find(db, locale, &query).await?;
    for hit in &mut hits {
        hit.title = values.fill(&hit.title);
        hit.excerpt = values.fill(&hit.excerpt);
    }
    let suggestions = match hits.is_empty() {
        true => index(db, locale).await?.into_iter().take(4).collect(),
        false => Vec::new(),
    };
    Ok(SearchResults {
        query,
        hits,
        suggestions,
    })
}

/// A parent's cases, with the months since each one's order took effect
/// (what the eligibility check fills in). Staff and visitors have none.
pub async fn case_facts(
    db: &impl ConnectionTrait,
    reader: Option<&crate::reader::User>,
    today: chrono::NaiveDate,
) -> Result<Vec<super::eligibility::CaseFacts>, AppError> {
    use crate::reader::AccountRole;
    let Some(reader) = reader.filter(|user| user.role == AccountRole::Parent) else {
        return Ok(Vec::new());
    };
    let mut facts = Vec::new();
    for (case, _) in crate::server::access::parent_cases(db, reader.person_id).await? {
        let in_force = entity::orders::Entity::find()
            .filter(entity::orders::Column::CaseId.eq(case.id))
            .filter(entity::orders::Column::EffectiveOn.lte(today))
            .order_by_desc(entity::orders::Column::EffectiveOn)
            .one(db)
            .await?;
        facts.push(super::eligibility::CaseFacts {
            case_number: case.case_number,
            months_since_order: in_force.map(|order| months_between(order.effective_on, today)),
        });
    }
    Ok(facts)
}

/// Whole months from `from` to `to` (0 when `to` is earlier).
fn months_between(from: chrono::NaiveDate, to: chrono::NaiveDate) -> u32 {
    use chrono::Datelike;
    let months = (to.year() - from.year()) * 12 + to.month() as i32
        - from.month() as i32
        - i32::from(to.day() < from.day());
    u32::try_from(months).unwrap_or(0)
}

/// Rebuilds the search index from what is published now.
pub async fn reindex(db: &impl ConnectionTrait) -> Result<(), AppError> {
    let mut entries = Vec::new();
    for locale in content::LOCALES {
        for (article, version) in published(db, locale).await? {
            entries.push(Entry {
                kind: HitKind::Article,
                slug: article.slug,
                locale: locale.to_owned(),
                heading_words: format!("{} {}", version.title, version.keywords),
                body_words: format!("{} {}", version.summary, render::to_text(&version.body)),
                title: version.title,
                excerpt: version.summary,
            });
        }
        for term in glossary(db, locale).await? {
            entries.push(Entry {
                kind: HitKind::Term,
                slug: term.slug,
                locale: locale.to_owned(),
                heading_words: term.term.clone(),
                body_words: term.definition.clone(),
                title: term.term,
                excerpt: term.definition,
            });
        }
    }
    search::rebuild(db, &entries).await
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::months_between;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn months_are_whole_months() {
        assert_eq!(months_between(day(2023, 11, 27), day(2026, 11, 27)), 36);
        assert_eq!(months_between(day(2023, 11, 28), day(2026, 11, 27)), 35);
        assert_eq!(months_between(day(2026, 1, 31), day(2026, 2, 28)), 0);
        assert_eq!(months_between(day(2027, 1, 1), day(2026, 1, 1)), 0);
    }
}
