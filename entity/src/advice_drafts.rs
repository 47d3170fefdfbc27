//! A supervisor's unpublished edit of an article: at most one per article,
//! changed freely until it is published (then it becomes a version and goes).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "advice_drafts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub article_id: i32,
    pub title: String,
    pub summary: String,
    pub keywords: String,
    pub action: String,
    pub body: String,
    /// The supervisor who saved it last (a person).
    pub author_id: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
