//! Notifications read by their person only: the newest, marked seen.

use entity::{cases, notifications};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::model::Notification;
use crate::error::AppError;
use crate::ledger::Money;
use crate::notice::Kind;
use crate::reader::User;
use crate::requests::rules::RequestStatus;
use crate::server::clock::Clock;

/// How many a page lists (the newest).
const LISTED: u64 = 50;

/// The reader's newest notifications; those not seen before are marked new,
/// and seen from now on.
pub async fn open(
    db: &impl ConnectionTrait,
    reader: &User,
    clock: Clock,
) -> Result<Vec<Notification>, AppError> {
    let rows = notifications::Entity::find()
        .filter(notifications::Column::PersonId.eq(reader.person_id))
        .order_by_desc(notifications::Column::Id)
        .limit(LISTED)
        .all(db)
        .await?;
    let numbers: std::collections::HashMap<i32, String> = cases::Entity::find()
        .filter(cases::Column::Id.is_in(rows.iter().filter_map(|r| r.case_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|case| (case.id, case.case_number))
        .collect();
    notifications::Entity::update_many()
        .col_expr(
            notifications::Column::ReadAt,
            sea_orm::sea_query::Expr::value(clock.now),
        )
        .filter(notifications::Column::PersonId.eq(reader.person_id))
        .filter(notifications::Column::ReadAt.is_null())
        .exec(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(Notification {
                id: row.id,
                kind: Kind::parse(&row.kind)?,
                case_number: row.case_id.and_then(|id| numbers.get(&id).cloned()),
                amount: row.amount_cents.map(Money::from_cents),
                status: row.status.as_deref().and_then(RequestStatus::parse),
                link: row.link,
                at: clock.local(row.created_at),
                new: row.read_at.is_none(),
            })
        })
        .collect())
}
