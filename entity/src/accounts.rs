//! Someone who can sign in: a parent (whose role comes from each case's
//! participants) or a member of staff (caseworker, supervisor).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub person_id: i32,
    /// Trimmed and lower-cased.
    #[sea_orm(unique)]
    pub email: String,
    /// argon2id, PHC string format.
    pub password_hash: String,
    /// `parent`, `caseworker` or `supervisor`.
    pub role: String,
    /// Wrong passwords since the last sign-in or lockout.
    pub failed_sign_ins: i32,
    pub locked_until: Option<DateTimeUtc>,
    /// Base32 TOTP secret; the second factor is on once `totp_enabled_at` is set.
    pub totp_secret: Option<String>,
    pub totp_enabled_at: Option<DateTimeUtc>,
    /// The time step of the last code accepted, so no code works twice.
    pub totp_last_step: Option<i64>,
    pub created_at: DateTimeUtc,
    pub password_changed_at: DateTimeUtc,
    /// A staff account a supervisor switched off: it cannot sign in, and its
    /// sessions end.
    pub deactivated_at: Option<DateTimeUtc>,
    /// The language they chose (`en`, `es`), remembered across devices.
    pub locale: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::people::Entity",
        from = "Column::PersonId",
        to = "super::people::Column::Id"
    )]
    Person,
}

impl Related<super::people::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
