//! A published version of an advice article. Append-only: the database
//! refuses to change or delete one; a correction is a new version.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "advice_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub article_id: i32,
    /// 1, 2, 3… per article.
    pub version: i32,
    pub title: String,
    pub summary: String,
    /// Comma-separated words people search for.
    pub keywords: String,
    /// `change_request`, `message`, `payment_plan` or `none`.
    pub action: String,
    /// Markdown, with `{{placeholders}}` for configured values.
    pub body: String,
    /// Loaded from the repository's files, not a supervisor's edit: a newer
    /// file replaces it on the next start; a supervisor's edit stays.
    pub from_repository: bool,
    /// The supervisor who published it (a person).
    pub author_id: Option<i32>,
    pub published_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
