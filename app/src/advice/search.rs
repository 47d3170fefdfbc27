//! One search over the published articles and the glossary, tolerant of
//! accents and case: the app folds both the indexed words and the query
//! ("manutención" = "MANUTENCION"), and the database ranks — FTS5 with bm25
//! on SQLite, `tsvector` with `ts_rank` and the language's stemmer on
//! PostgreSQL. The index is derived data, rebuilt whenever what is
//! published changes.

use sea_orm::{ConnectionTrait, DbBackend, Statement};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::model::{HitKind, SearchHit};
use crate::error::AppError;

/// The most results a search shows.
const MAX_HITS: usize = 20;
/// The most words of a query that count.
const MAX_TERMS: usize = 12;

/// Lower case, accents off: what is indexed and what is looked for.
pub fn fold(text: &str) -> String {
    text.to_lowercase()
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect()
}

/// The words of a query, folded: letters and digits only (nothing the
/// databases' query syntax could read as an operator).
pub fn terms(query: &str) -> Vec<String> {
    fold(query)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| word.chars().count() >= 2)
        .take(MAX_TERMS)
        .map(str::to_owned)
        .collect()
}

/// Something searchable: an article or a term, in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: HitKind,
    pub slug: String,
    pub locale: String,
    pub title: String,
    pub excerpt: String,
    /// Words that weigh most: the title and the keywords.
    pub heading_words: String,
    pub body_words: String,
}

fn kind_name(kind: HitKind) -> &'static str {
    match kind {
        HitKind::Article => "article",
        HitKind::Term => "term",
    }
}

/// PostgreSQL's text search configuration for a language (a constant, so
/// it is written into the statement, never taken from input).
fn pg_config(locale: &str) -> &'static str {
    match locale {
        "es" => "spanish",
        _ => "english",
    }
}

/// Replaces the whole index with `entries`.
pub async fn rebuild(db: &impl ConnectionTrait, entries: &[Entry]) -> Result<(), AppError> {
    let backend = db.get_database_backend();
    db.execute_unprepared("DELETE FROM advice_search").await?;
    for entry in entries {
        let (heading, body) = (fold(&entry.heading_words), fold(&entry.body_words));
        let statement = match backend {
            DbBackend::Postgres => {
                let config = pg_config(&entry.locale);
                Statement::from_sql_and_values(
                    backend,
                    format!(
                        "INSERT INTO advice_search (kind, slug, locale, shown_title, excerpt, document)
                         VALUES ($1, $2, $3, $4, $5,
                           setweight(to_tsvector('{config}', $6), 'A') ||
                           setweight(to_tsvector('{config}', $7), 'D'))"
                    ),
                    [
                        kind_name(entry.kind).into(),
                        entry.slug.clone().into(),
                        entry.locale.clone().into(),
                        entry.title.clone().into(),
                        entry.excerpt.clone().into(),
                        heading.into(),
                        body.into(),
                    ],
                )
            }
            _ => Statement::from_sql_and_values(
                backend,
                "INSERT INTO advice_search (kind, slug, locale, shown_title, excerpt, title, body)
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    kind_name(entry.kind).into(),
                    entry.slug.clone().into(),
                    entry.locale.clone().into(),
                    entry.title.clone().into(),
                    entry.excerpt.clone().into(),
                    heading.into(),
                    body.into(),
                ],
            ),
        };
        db.execute_raw(statement).await?;
    }
    Ok(())
}

/// One search query from the terms: each written as `each` writes it,
/// joined by the engine's `or`.
fn any_of(terms: &[String], each: impl Fn(&str) -> String, or: &str) -> String {
    terms
        .iter()
        .map(|term| each(term))
        .collect::<Vec<_>>()
        .join(or)
}

/// What matches any word of `query` in `locale`, best first.
pub async fn find(
    db: &impl ConnectionTrait,
    locale: &str,
    query: &str,
) -> Result<Vec<SearchHit>, AppError> {
    let terms = terms(query);
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    // Any word, each also as the start of a longer one.
    let (sql, query) = match backend {
        DbBackend::Postgres => (
            format!(
                "SELECT kind, slug, shown_title, excerpt
                 FROM advice_search, to_tsquery('{}', $1) AS query
                 WHERE locale = $2 AND document @@ query
                 ORDER BY ts_rank(document, query) DESC, shown_title
                 LIMIT {MAX_HITS}",
                pg_config(locale)
            ),
            any_of(&terms, |term| format!("{term}:*"), " | "),
        ),
        _ => (
            format!(
                "SELECT kind, slug, shown_title, excerpt
                 FROM advice_search
                 WHERE advice_search MATCH ? AND locale = ?
                 ORDER BY bm25(advice_search, 0, 0, 0, 0, 0, 10.0, 1.0), shown_title
                 LIMIT {MAX_HITS}"
            ),
            any_of(&terms, |term| format!("\"{term}\"*"), " OR "),
        ),
    };
    let statement = Statement::from_sql_and_values(backend, sql, [query.into(), locale.into()]);
    let rows = db.query_all_raw(statement).await?;
    let mut hits = Vec::with_capacity(rows.len());
    for row in rows {
        let kind: String = row.try_get("", "kind")?;
        hits.push(SearchHit {
            kind: match kind.as_str() {
                "term" => HitKind::Term,
                _ => HitKind::Article,
            },
            slug: row.try_get("", "slug")?,
            title: row.try_get("", "shown_title")?,
            excerpt: row.try_get("", "excerpt")?,
        });
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn accents_and_case_fold_away() {
        assert_eq!(fold("Manutención AÑO Él"), "manutencion ano el");
        assert_eq!(
            terms("¿Cómo pido un CAMBIO de manutención?"),
            ["como", "pido", "un", "cambio", "de", "manutencion"]
        );
    }

    #[test]
    fn operators_never_reach_the_database() {
        assert_eq!(terms("\"a\" OR b* & !c | d:* (e)"), ["or"]);
        assert!(terms("*** ::: \"\"").is_empty());
    }

    proptest! {
        #[test]
        fn terms_are_plain_words(query in "\\PC{0,300}") {
            let terms = terms(&query);
            prop_assert!(terms.len() <= MAX_TERMS);
            for term in terms {
                prop_assert!(term.chars().all(char::is_alphanumeric), "{}", term);
                prop_assert!(term.chars().count() >= 2);
            }
        }
    }
}
