//! Accrual: post a charge for every due date up to today.
//!
//! Idempotent (each charge's key is unique per obligation and due date, and
//! the insert skips keys already there), so it runs at start-up, every day,
//! and after any downtime it simply catches up.
//!
//! Charges go in a thousand at a time, each INSERT whole or not at all, and
//! not as one transaction: a catch-up after long downtime would otherwise
//! hold SQLite's one connection for as long as it takes. Each obligation's
//! charges go in date order, so a run stopped anywhere (even by SIGKILL)
//! leaves every obligation charged up to some day, and the next run, which
//! only looks past that day, completes it.

use std::collections::HashMap;
use std::time::Duration;

use app::ledger::accrual::charges_due;
use chrono::{NaiveDate, Utc};
use entity::{cases, children, ledger_entries, obligations, orders};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use super::store::{assemble_orders, charge_row, StoreError};

/// Rows per INSERT: well under SQLite's and Postgres's parameter limits.
const BATCH: usize = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AccrualReport {
    pub cases: usize,
    pub charges_posted: u64,
}

/// Posts every charge due through `through` on every open case.
pub async fn accrue(
    db: &DatabaseConnection,
    through: NaiveDate,
) -> Result<AccrualReport, StoreError> {
    let open: Vec<i32> = cases::Entity::find()
        .select_only()
        .column(cases::Column::Id)
        .filter(cases::Column::Status.eq("open"))
        .into_tuple()
        .all(db)
        .await?;
    let mut orders_of: HashMap<i32, Vec<orders::Model>> = HashMap::new();
    for order in orders::Entity::find().all(db).await? {
        orders_of.entry(order.case_id).or_default().push(order);
    }
    let mut obligations_of: HashMap<i32, Vec<obligations::Model>> = HashMap::new();
    for obligation in obligations::Entity::find().all(db).await? {
        obligations_of
            .entry(obligation.order_id)
            .or_default()
            .push(obligation);
    }
    let mut emancipations_of: HashMap<i32, Vec<NaiveDate>> = HashMap::new();
    for child in children::Entity::find().all(db).await? {
        emancipations_of
            .entry(child.case_id)
            .or_default()
            .push(child.emancipates_on);
    }
    let charged_through = charged_through(db).await?;

    let now = Utc::now();
    let mut new_charges = Vec::new();
    for case_id in &open {
        let Some(case_orders) = orders_of.get(case_id) else {
            continue;
        };
        let case_obligations: Vec<obligations::Model> = case_orders
            .iter()
            .flat_map(|order| obligations_of.get(&order.id).into_iter().flatten().cloned())
            .collect();
        let terms = assemble_orders(case_orders, &case_obligations)?;
        let emancipations = emancipations_of.get(case_id).map_or(&[][..], Vec::as_slice);
        for due in charges_due(&terms, emancipations, through) {
            let last = charged_through.get(&due.obligation).copied().flatten();
            if last.is_some_and(|last| due.on <= last) {
                continue;
            }
            new_charges.push((*case_id, due));
        }
    }

    new_charges.sort_by_key(|(_, due)| (due.obligation, due.on));
    let mut posted = 0;
    let rows: Vec<_> = new_charges
        .iter()
        .map(|(case_id, due)| charge_row(*case_id, due, now))
        .collect();
    let mut charges = rows.into_iter().peekable();
    while charges.peek().is_some() {
        let batch: Vec<_> = charges.by_ref().take(BATCH).collect();
        let inserted = ledger_entries::Entity::insert_many(batch)
            .on_conflict_do_nothing_on([ledger_entries::Column::IdempotencyKey])
            .exec_without_returning(db)
            .await?;
        if let sea_orm::TryInsertResult::Inserted(count) = inserted {
            posted += count;
        }
    }
    Ok(AccrualReport {
        cases: open.len(),
        charges_posted: posted,
    })
}

/// The last due date charged so far, per obligation. Accrual only looks past
/// it, so a charge that was reversed (posted in error) is not posted again.
async fn charged_through(
    db: &DatabaseConnection,
) -> Result<HashMap<i64, Option<NaiveDate>>, StoreError> {
    let rows: Vec<(Option<i32>, Option<NaiveDate>)> = ledger_entries::Entity::find()
        .select_only()
        .column(ledger_entries::Column::ObligationId)
        .column_as(ledger_entries::Column::EffectiveOn.max(), "last_due")
        .filter(ledger_entries::Column::Kind.eq("charge"))
        .group_by(ledger_entries::Column::ObligationId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(obligation, last)| Some((i64::from(obligation?), last)))
        .collect())
}

/// Accrues now and then whenever the agency's date changes, for as long as
/// the server runs. Failures are logged and retried on the next tick.
pub fn spawn_daily(db: DatabaseConnection, today: impl Fn() -> NaiveDate + Send + 'static) {
    tokio::spawn(async move {
        let mut last_run: Option<NaiveDate> = None;
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            let day = today();
            if last_run == Some(day) {
                continue;
            }
            match accrue(&db, day).await {
                Ok(report) => {
                    last_run = Some(day);
                    tracing::info!(
                        through = %day,
                        cases = report.cases,
                        charges = report.charges_posted,
                        "accrual done"
                    );
                }
                Err(error) => tracing::error!(%error, "accrual failed; will retry"),
            }
        }
    });
}
