//! Small helpers the migrations share. They only build statements: changing
//! one would change what a landed migration does, so they stay as they are.

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
    let mut statement = Index::create().name(name).table(table).to_owned();
    for column in columns {
        statement.col(column);
    }
    manager.create_index(statement).await
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
    let mut statement = Index::create().name(name).table(table).unique().to_owned();
    for column in columns {
        statement.col(column);
    }
    manager.create_index(statement).await
}
