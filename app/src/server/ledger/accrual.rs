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

use std::collections::{BTreeSet, HashMap};

use crate::ledger::accrual::{charges_due, Due};
use crate::ledger::interest::{interest_due, InterestDue, InterestPolicy};
use crate::ledger::ObligationKind;
use chrono::{NaiveDate, Utc};
use entity::{cases, children, ledger_entries, obligations, orders};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};

use super::record::CaseRecords;
use super::store::{assemble_orders, charge_row, charge_without_obligation, StoreError};

/// Rows per INSERT: well under SQLite's and Postgres's parameter limits.
const BATCH: usize = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AccrualReport {
    pub cases: usize,
    pub charges_posted: u64,
    /// Cases whose orders changed while accrual ran: left for the next run.
    pub changed_meanwhile: usize,
}

/// What accrual is about to post, and the orders it read to decide it.
#[derive(Debug, Clone, Default)]
pub struct AccrualPlan {
    open_cases: usize,
    /// (case, charge), in obligation and date order.
    charges: Vec<(i32, Due)>,
    /// How many orders each case had when the plan was read.
    orders_read: HashMap<i32, usize>,
}

/// Posts every charge due through `through` on every open case. Cases
/// whose orders change meanwhile are planned again at once.
pub async fn accrue(
    db: &DatabaseConnection,
    through: NaiveDate,
) -> Result<AccrualReport, StoreError> {
    let mut report = post(db, plan(db, through).await?).await?;
    if report.changed_meanwhile > 0 {
        let again = post(db, plan(db, through).await?).await?;
        report.charges_posted += again.charges_posted;
        report.changed_meanwhile = again.changed_meanwhile;
    }
    Ok(report)
}

/// Reads every open case's orders and works out the charges due through
/// `through` that are not posted yet.
pub async fn plan(db: &DatabaseConnection, through: NaiveDate) -> Result<AccrualPlan, StoreError> {
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

    let mut plan = AccrualPlan {
        open_cases: open.len(),
        ..AccrualPlan::default()
    };
    for case_id in &open {
        let Some(case_orders) = orders_of.get(case_id) else {
            continue;
        };
        plan.orders_read.insert(*case_id, case_orders.len());
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
            plan.charges.push((*case_id, due));
        }
    }
    plan.charges
        .sort_by_key(|(_, due)| (due.obligation, due.on));
    Ok(plan)
}

/// Posts what `plan` found, a batch at a time. Each batch first locks its
/// cases (shared, on PostgreSQL; SQLite takes one writer at a time anyway)
/// and checks that their orders are still the ones the plan read: a change
/// of terms locks its case for as long as it writes, so a charge of terms
/// replaced in the meantime is never posted (the next run plans it again).
pub async fn post(db: &DatabaseConnection, plan: AccrualPlan) -> Result<AccrualReport, StoreError> {
    let now = Utc::now();
    let mut report = AccrualReport {
        cases: plan.open_cases,
        ..AccrualReport::default()
    };
    let mut changed: BTreeSet<i32> = BTreeSet::new();
    let mut charges = plan.charges.into_iter().peekable();
    while charges.peek().is_some() {
        let batch: Vec<(i32, Due)> = charges.by_ref().take(BATCH).collect();
        let case_ids: BTreeSet<i32> = batch.iter().map(|(case, _)| *case).collect();
        let txn = db.begin().await?;
        cases::Entity::find()
            .filter(cases::Column::Id.is_in(case_ids.iter().copied()))
            .order_by_asc(cases::Column::Id)
            .lock_shared()
            .all(&txn)
            .await?;
        let counts: Vec<(i32, i64)> = orders::Entity::find()
            .select_only()
            .column(orders::Column::CaseId)
            .column_as(orders::Column::Id.count(), "orders")
            .filter(orders::Column::CaseId.is_in(case_ids.iter().copied()))
            .group_by(orders::Column::CaseId)
            .into_tuple()
            .all(&txn)
            .await?;
        for (case, count) in counts {
            let read = plan.orders_read.get(&case).copied().unwrap_or(0);
            if usize::try_from(count).ok() != Some(read) {
                changed.insert(case);
            }
        }
        let rows: Vec<_> = batch
            .iter()
            .filter(|(case, _)| !changed.contains(case))
            .map(|(case, due)| charge_row(*case, due, now))
            .collect::<Result<_, _>>()?;
        if !rows.is_empty() {
            let inserted = ledger_entries::Entity::insert_many(rows)
                .on_conflict_do_nothing_on([ledger_entries::Column::IdempotencyKey])
                .exec_without_returning(&txn)
                .await?;
            if let sea_orm::TryInsertResult::Inserted(count) = inserted {
                report.charges_posted += count;
            }
        }
        txn.commit().await?;
    }
    report.changed_meanwhile = changed.len();
    if !changed.is_empty() {
        tracing::info!(cases = ?changed, "orders changed while accruing: planned again");
    }
    Ok(report)
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

/// Posts the interest of every month ended by `through` on every open case
/// (see [`crate::ledger::interest`]), a chunk of cases at a time; months
/// already charged are skipped by their keys. The number posted.
pub async fn accrue_interest(
    db: &DatabaseConnection,
    policy: InterestPolicy,
    through: NaiveDate,
) -> Result<u64, StoreError> {
    let open: Vec<i32> = cases::Entity::find()
        .select_only()
        .column(cases::Column::Id)
        .filter(cases::Column::Status.eq("open"))
        .order_by_asc(cases::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let now = Utc::now();
    let mut posted = 0;
    for chunk in open.chunks(500) {
        let ledgers = CaseRecords::ledgers(db, chunk.iter().copied()).await?;
        let rows: Vec<ledger_entries::ActiveModel> = ledgers
            .into_inner()
            .into_iter()
            .flat_map(|(case, file)| {
                interest_due(&file.entries, policy, through)
                    .into_iter()
                    .map(move |due| interest_row(case, &due, now))
            })
            .collect::<Result<_, _>>()?;
        for batch in rows.chunks(BATCH) {
            let inserted = ledger_entries::Entity::insert_many(batch.to_vec())
                .on_conflict_do_nothing_on([ledger_entries::Column::IdempotencyKey])
                .exec_without_returning(db)
                .await?;
            if let sea_orm::TryInsertResult::Inserted(count) = inserted {
                posted += count;
            }
        }
    }
    Ok(posted)
}

/// How a month's interest is stored.
fn interest_row(
    case_id: i32,
    due: &InterestDue,
    posted_at: chrono::DateTime<Utc>,
) -> Result<ledger_entries::ActiveModel, StoreError> {
    let key = due.key(case_id);
    let interest = ObligationKind::Interest;
    let mut row = charge_without_obligation(case_id, interest, due.amount, due.on, key, posted_at)?;
    let month = due.month.format("%Y-%m");
    row.note = sea_orm::Set(Some(format!(
        "{} past due at the end of {month}",
        due.past_due
    )));
    Ok(row)
}
