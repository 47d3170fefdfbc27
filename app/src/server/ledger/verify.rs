//! `server ledger verify [--case N]`: every case replayed from its entries and
//! checked ([`crate::ledger::verify::case`]), a few hundred cases per read.

use crate::ledger::verify::{self, Finding};
use chrono::NaiveDate;
use entity::cases;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::record::CaseRecords;
use super::store::StoreError;

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
        let mut files = CaseRecords::load(db, chunk.iter().map(|c| c.id)).await?;
        for case in chunk {
            let file = files.take(case.id);
            let findings = verify::case(
                &file.entries,
                &file.terms()?,
                &file.emancipations(),
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
