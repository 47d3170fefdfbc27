//! Small helpers the migrations share. They only build statements: changing
//! one would change what a landed migration does, so they stay as they are.

use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;

/// Creates index `name` on `columns` of `table`.
pub(crate) async fn index<T, C, const N: usize>(
    manager: &SchemaManager<'_>,
    table: T,
    name: &str,
    columns: [C; N],
) -> Result<(), DbErr>
where
    T: IntoIden + 'static,
    C: IntoIden + 'static,
{
    create_index(manager, table, name, columns, false).await
}

/// Creates unique index `name` on `columns` of `table`.
pub(crate) async fn unique<T, C, const N: usize>(
    manager: &SchemaManager<'_>,
    table: T,
    name: &str,
    columns: [C; N],
) -> Result<(), DbErr>
where
    T: IntoIden + 'static,
    C: IntoIden + 'static,
{
    create_index(manager, table, name, columns, true).await
}

async fn create_index<T, C, const N: usize>(
    manager: &SchemaManager<'_>,
    table: T,
    name: &str,
    columns: [C; N],
    unique: bool,
) -> Result<(), DbErr>
where
    T: IntoIden + 'static,
    C: IntoIden + 'static,
{
    let mut statement = Index::create().name(name).table(table).to_owned();
    if unique {
        statement.unique();
    }
    for column in columns {
        statement.col(column);
    }
    manager.create_index(statement).await
}

/// Makes `table` append-only: the database itself refuses UPDATE and DELETE
/// (and TRUNCATE on PostgreSQL) with `message`.
pub(crate) async fn append_only(
    manager: &SchemaManager<'_>,
    table: &str,
    message: &str,
) -> Result<(), DbErr> {
    let statements = match manager.get_database_backend() {
        DbBackend::Postgres => vec![
            format!(
                "CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN
                   RAISE EXCEPTION '{message}';
                 END $$"
            ),
            format!(
                "CREATE TRIGGER {table}_no_update BEFORE UPDATE OR DELETE ON {table}
                 FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
            ),
            format!(
                "CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
                 FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()"
            ),
        ],
        _ => vec![
            format!(
                "CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
                 BEGIN SELECT RAISE(ABORT, '{message}'); END"
            ),
            format!(
                "CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
                 BEGIN SELECT RAISE(ABORT, '{message}'); END"
            ),
        ],
    };
    for statement in statements {
        manager
            .get_connection()
            .execute_unprepared(&statement)
            .await?;
    }
    Ok(())
}

/// Undoes [`append_only`] (the triggers go with their table).
pub(crate) async fn drop_append_only(
    manager: &SchemaManager<'_>,
    table: &str,
) -> Result<(), DbErr> {
    if manager.get_database_backend() == DbBackend::Postgres {
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "DROP FUNCTION IF EXISTS {table}_append_only() CASCADE"
            ))
            .await?;
    }
    Ok(())
}
