//! `server ledger verify [--case N]`: every case replayed from its entries and
//! checked ([`app::ledger::verify::case`]), a few hundred cases per read.

use std::collections::HashMap;

use app::ledger::verify::{self, Finding};
use app::ledger::Entry;
use chrono::NaiveDate;
use entity::{cases, children, ledger_entries, obligations, orders};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::store::{assemble_orders, entry_from_row, StoreError};

/// Cases read at once: a few queries per chunk, whatever the caseload.
const CHUNK: usize = 500;

/// A finding on a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFinding {
    pub case_number: String,
    pub finding: Finding,
}

impl std::fmt::Display for CaseFinding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.finding.entry {
            Some(entry) => write!(
                f,
                "{}: entry {entry}: {}",
                self.case_number, self.finding.problem
            ),
            None => write!(f, "{}: {}", self.case_number, self.finding.problem),
        }
    }
}

/// The cases to check: one by its number, or all. `None`: no such case.
pub async fn cases_to_check(
    db: &DatabaseConnection,
    case_number: Option<&str>,
) -> Result<Option<Vec<cases::Model>>, StoreError> {
    let mut query = cases::Entity::find().order_by_asc(cases::Column::Id);
    if let Some(number) = case_number {
        query = query.filter(cases::Column::CaseNumber.eq(number.trim().to_ascii_uppercase()));
    }
    let found = query.all(db).await?;
    Ok((case_number.is_none() || !found.is_empty()).then_some(found))
}

/// Checks `cases` as of `today`, calling `checked` with the number done
/// after each chunk; everything found, in case order.
pub async fn verify(
    db: &DatabaseConnection,
    cases: &[cases::Model],
    today: NaiveDate,
    checked: impl Fn(u64),
) -> Result<Vec<CaseFinding>, StoreError> {
    let mut found = Vec::new();
    let mut done = 0u64;
    for chunk in cases.chunks(CHUNK) {
        let ids: Vec<i32> = chunk.iter().map(|c| c.id).collect();
        let mut entries: HashMap<i32, Vec<Entry>> = HashMap::new();
        for row in ledger_entries::Entity::find()
            .filter(ledger_entries::Column::CaseId.is_in(ids.clone()))
            .order_by_asc(ledger_entries::Column::Id)
            .all(db)
            .await?
        {
            entries
                .entry(row.case_id)
                .or_default()
                .push(entry_from_row(&row)?);
        }
        let order_rows = orders::Entity::find()
            .filter(orders::Column::CaseId.is_in(ids.clone()))
            .all(db)
            .await?;
        let case_of_order: HashMap<i32, i32> =
            order_rows.iter().map(|o| (o.id, o.case_id)).collect();
        let mut obligations_of: HashMap<i32, Vec<obligations::Model>> = HashMap::new();
        for row in obligations::Entity::find()
            .filter(obligations::Column::OrderId.is_in(case_of_order.keys().copied()))
            .all(db)
            .await?
        {
            if let Some(case) = case_of_order.get(&row.order_id) {
                obligations_of.entry(*case).or_default().push(row);
            }
        }
        let mut emancipations: HashMap<i32, Vec<NaiveDate>> = HashMap::new();
        for child in children::Entity::find()
            .filter(children::Column::CaseId.is_in(ids))
            .all(db)
            .await?
        {
            emancipations
                .entry(child.case_id)
                .or_default()
                .push(child.emancipates_on);
        }
        for case in chunk {
            let case_orders: Vec<orders::Model> = order_rows
                .iter()
                .filter(|o| o.case_id == case.id)
                .cloned()
                .collect();
            let case_obligations = obligations_of.get(&case.id).map_or(&[][..], Vec::as_slice);
            let terms = assemble_orders(&case_orders, case_obligations)?;
            let findings = verify::case(
                entries.get(&case.id).map_or(&[][..], Vec::as_slice),
                &terms,
                emancipations.get(&case.id).map_or(&[][..], Vec::as_slice),
                today,
                case.status == "open",
            );
            found.extend(findings.into_iter().map(|finding| CaseFinding {
                case_number: case.case_number.clone(),
                finding,
            }));
        }
        done += chunk.len() as u64;
        checked(done);
    }
    Ok(found)
}
