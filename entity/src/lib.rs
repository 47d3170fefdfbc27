//! SeaORM entities of the portal. They follow the migrations in `migration/`:
//! a table appears here in the same commit as the migration that creates it.
//!
//! Money columns are integer cents (`*_cents`); kinds, roles and statuses are
//! the snake_case names the domain types in `app::ledger` parse. Ledger
//! entries are append-only: the database refuses updates and deletes.

/// The relations of a table whose rows each belong to one case (`case_id`):
/// the case, then any others given, with the join to the case.
macro_rules! belongs_to_a_case {
    ($($others:tt)*) => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {
            #[sea_orm(
                belongs_to = "super::cases::Entity",
                from = "Column::CaseId",
                to = "super::cases::Column::Id"
            )]
            Case,
            $($others)*
        }

        impl Related<super::cases::Entity> for Entity {
            fn to() -> RelationDef {
                Relation::Case.def()
            }
        }
    };
}

pub mod accounts;
pub mod activation_pins;
pub mod advice_articles;
pub mod advice_drafts;
pub mod advice_versions;
pub mod attachments;
pub mod audit_events;
pub mod case_participants;
pub mod cases;
pub mod children;
pub mod email_outbox;
pub mod glossary_terms;
pub mod ledger_entries;
pub mod message_threads;
pub mod messages;
pub mod notifications;
pub mod obligations;
pub mod orders;
pub mod people;
pub mod recovery_codes;
pub mod request_events;
pub mod sessions;
pub mod support_requests;
pub mod thread_reads;
