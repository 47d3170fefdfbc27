//! The portal's schema, as a history of migrations.
//!
//! Each change is a new file listed in [`Migrator::migrations`]; a file that
//! has landed on `main` is never edited. The server runs these at start-up
//! (`server serve`) and on demand (`server migrate`).

pub use sea_orm_migration::prelude::*;

mod m20261125_000001_case_ledger;
mod m20261125_000002_identity;
mod m20261125_000003_messages;
mod m20261127_000004_caseworker;
mod m20261127_000005_requests;
mod m20261127_000006_notifications;
mod m20261128_000007_staff;
mod m20261128_000008_advice;
mod m20261128_000009_language;
mod m20261206_000010_never_assistance;
mod m20261206_000011_audit_source_block;
mod support;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_case_ledger::Migration),
            Box::new(m20261125_000002_identity::Migration),
            Box::new(m20261125_000003_messages::Migration),
            Box::new(m20261127_000004_caseworker::Migration),
            Box::new(m20261127_000005_requests::Migration),
            Box::new(m20261127_000006_notifications::Migration),
            Box::new(m20261128_000007_staff::Migration),
            Box::new(m20261128_000008_advice::Migration),
            Box::new(m20261128_000009_language::Migration),
            Box::new(m20261206_000010_never_assistance::Migration),
            Box::new(m20261206_000011_audit_source_block::Migration),
        ]
    }
}
