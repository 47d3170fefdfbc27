//! The dashboard's numbers, from the ledger engine. The queries are bounded:
//! one for the person's cases, one for all their entries, however long the
//! histories are.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::ledger_entries;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::model::{CaseCard, Payment};
use crate::account::model::User;
use crate::error::AppError;
use crate::ledger::{Allocation, Entry, EntryKind, Money};
use crate::server::access::parent_cases;
use crate::server::internal;
use crate::server::ledger_store::entry_from_row;

/// A card for each case `parent` is on, as of the end of `today`.
pub async fn cards(
    db: &impl ConnectionTrait,
    parent: &User,
    today: NaiveDate,
    grace_days: u32,
) -> Result<Vec<CaseCard>, AppError> {
    let cases = parent_cases(db, parent.person_id).await?;
    let case_ids: Vec<i32> = cases.iter().map(|(case, _)| case.id).collect();
    let mut entries: HashMap<i32, Vec<Entry>> = HashMap::new();
    for row in ledger_entries::Entity::find()
        .filter(ledger_entries::Column::CaseId.is_in(case_ids))
        .order_by_asc(ledger_entries::Column::Id)
        .all(db)
        .await?
    {
        let entry = entry_from_row(&row).map_err(internal)?;
        entries.entry(row.case_id).or_default().push(entry);
    }
    Ok(cases
        .into_iter()
        .map(|(case, role)| {
            let entries = entries.remove(&case.id).unwrap_or_default();
            card(case.case_number, role, &entries, today, grace_days)
        })
        .collect())
}

fn card(
    case_number: String,
    role: crate::account::model::CaseRole,
    entries: &[Entry],
    today: NaiveDate,
    grace_days: u32,
) -> CaseCard {
    let allocation = Allocation::replay(entries, today);
    let past_due = allocation.past_due_split(grace_days);
    let last_payment = entries
        .iter()
        .filter(|e| e.effective <= today && !allocation.reversed.contains(&e.id))
        .filter_map(|e| match e.kind {
            EntryKind::Payment { source } => Some((e.effective, e.id, e.amount, source)),
            _ => None,
        })
        .max()
        .map(|(on, _, amount, source)| Payment { on, amount, source });
    let balance = allocation.balance();
    CaseCard {
        case_number,
        role,
        owed: if balance.is_positive() {
            balance
        } else {
            Money::ZERO
        },
        past_due_timing: past_due.timing,
        past_due_overdue: past_due.overdue,
        credit: allocation.credit(),
        last_payment,
    }
}
