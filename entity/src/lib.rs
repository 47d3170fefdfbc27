//! SeaORM entities of the portal. They follow the migrations in `migration/`:
//! a table appears here in the same commit as the migration that creates it.
