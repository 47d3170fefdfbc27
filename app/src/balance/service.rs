//! The dashboard's and the case page's numbers, from the ledger engine.
//!
//! The queries are bounded: whatever the length of the histories and the
//! number of cases, a person's cards take three when their ledgers are kept
//! (their cases with each ledger's version, then the orders with their
//! obligations and the children of all of them at once), and one more for
//! the entries of any ledger that grew.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use entity::{case_participants, cases, people};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, IdenStatic, QueryFilter,
    QueryOrder, QueryResult, QuerySelect, QueryTrait, SelectA, SelectB,
};

use super::basis::planner_basis;
use super::history::{annotate, page_of, Filter, History, HistoryLine, LineKind, Totals};
use super::model::{
    CaseCard, CaseStatus, CaseView, Child, FeeTerms, HeldMoney, OrderView, PastDuePanel, Payment,
    PrintStatement, ReceiverMoney, Term, Timeline,
};
use super::worked::{WorkedHistories, WorkedHistory};
use crate::config::LedgerPolicy;
use crate::error::AppError;
use crate::ledger::accrual::{still_charging, Obligation};
use crate::ledger::{
    explain, in_force, next_due, to_receiver, Allocation, EntryKind, Money, ObligationKind,
    Statement,
};
use crate::reader::{CaseRole, User};
use crate::server::access::{parent_role, Authorized};
use crate::server::internal;
use crate::server::ledger::memory::LedgerVersion;
use crate::server::ledger::{CaseRecord, CaseRecords, LedgerMemory};

/// A card for each case `parent` is on, as of the end of `today`.
pub async fn cards(
    db: &impl ConnectionTrait,
    kept: &LedgerMemory,
    parent: &User,
    today: NaiveDate,
    policy: &LedgerPolicy,
) -> Result<Vec<CaseCard>, AppError> {
    let cases = parent_cases_with_versions(db, parent.person_id).await?;
    let versions = cases.iter().map(|(case, _, version)| (case.id, *version));
    let mut files = CaseRecords::recall_at(db, kept, versions).await?;
    cases
        .into_iter()
        .map(|(case, role, _)| {
            let file = files.take(case.id);
            Ok(card(&file, &case, role, today, policy)?.0)
        })
        .collect()
}

/// A case a parent is on, their role on it, and its ledger's version.
struct VersionedCase {
    participant: case_participants::Model,
    case: Option<cases::Model>,
    entries: i64,
    last_entry: Option<i64>,
}

impl FromQueryResult for VersionedCase {
    fn from_query_result(row: &QueryResult, _prefix: &str) -> Result<Self, DbErr> {
        Ok(Self {
            participant: case_participants::Model::from_query_result(row, SelectA.as_str())?,
            case: cases::Model::from_query_result_optional(row, SelectB.as_str())?,
            entries: row.try_get("", "entries")?,
            last_entry: row.try_get("", "last_entry")?,
        })
    }
}

/// The cases `person` is a parent on, with their role on each and each
/// ledger's version, by case id, in one query ([`parent_cases`] with the
/// versions the kept ledgers are checked against).
async fn parent_cases_with_versions(
    db: &impl ConnectionTrait,
    person: i32,
) -> Result<Vec<(cases::Model, CaseRole, Option<LedgerVersion>)>, AppError> {
    let case_id = Expr::col((case_participants::Entity, case_participants::Column::CaseId));
    let [entries, last_entry] = LedgerVersion::columns(case_id);
    let query = case_participants::Entity::find()
        .filter(case_participants::Column::PersonId.eq(person))
        .find_also_related(cases::Entity)
        .expr_as(entries, "entries")
        .expr_as(last_entry, "last_entry")
        .order_by_asc(case_participants::Column::CaseId)
        .build(db.get_database_backend());
    Ok(VersionedCase::find_by_statement(query)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|row| {
            let role = parent_role(&row.participant.role)?;
            let version = LedgerVersion::of_counted(row.entries, row.last_entry);
            Some((row.case?, role, version))
        })
        .collect())
}

/// The case page of `case`, for someone whose role on it is `role`.
pub async fn case_view(
    db: &impl ConnectionTrait,
    kept: &LedgerMemory,
    case: cases::Model,
    role: CaseRole,
    today: NaiveDate,
    policy: &LedgerPolicy,
    as_of: chrono::NaiveDateTime,
) -> Result<CaseView, AppError> {
    let file = CaseRecords::recall(db, kept, [case.id])
        .await?
        .take(case.id);
    let caseworker = match case.caseworker_id {
        Some(id) => people::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|person| person.full_name),
        None => None,
    };
    view_of_case(&file, case, role, caseworker, today, policy, as_of)
}

/// What [`case_view`] shows, from the case's record as recalled and its
/// caseworker's name: for a page that reads more of the record.
pub fn view_of_case(
    file: &CaseRecord,
    case: cases::Model,
    role: CaseRole,
    caseworker: Option<String>,
    today: NaiveDate,
    policy: &LedgerPolicy,
    as_of: chrono::NaiveDateTime,
) -> Result<CaseView, AppError> {
    let (card, allocation) = card(file, &case, role, today, policy)?;
    let orders = order_views(file, today)?;
    let past_due = past_due_panel(&card, &allocation, file, today, policy)?;
    Ok(CaseView {
        as_of,
        card,
        office: case.office,
        status: CaseStatus::parse(&case.status).ok_or_else(|| {
            internal(format!(
                "case {} has unknown status {}",
                case.id, case.status
            ))
        })?,
        opened_on: case.opened_on,
        children: file
            .children
            .iter()
            .map(|child| Child {
                name: child.full_name.clone(),
                age: age_on(child.born_on, today),
            })
            .collect(),
        orders,
        caseworker,
        past_due,
    })
}

/// A page of the history of `case`.
pub async fn history(
    db: &impl ConnectionTrait,
    kept: &LedgerMemory,
    worked: &WorkedHistories,
    Authorized { case, role }: Authorized,
    filter: Filter,
    page: u32,
    as_of: chrono::NaiveDateTime,
) -> Result<History, AppError> {
    let history = worked_history(db, kept, worked, case.id, filter).await?;
    let matching = u32::try_from(history.lines.len()).map_err(|_| {
        internal(format!(
            "case {}: a history of {} lines",
            case.id,
            history.lines.len()
        ))
    })?;
    let (lines, page, pages) = page_of(&history.lines, page);
    Ok(History {
        case_number: case.case_number,
        role,
        opened_on: case.opened_on,
        filter,
        opening: history.opening,
        closing: history.closing,
        totals: history.totals,
        lines,
        page,
        pages,
        matching,
        as_of,
    })
}

/// Every line `filter` keeps of the ledger of `case_id`: worked out once per
/// version of the ledger, then kept.
async fn worked_history(
    db: &impl ConnectionTrait,
    kept: &LedgerMemory,
    worked: &WorkedHistories,
    case_id: i32,
    filter: Filter,
) -> Result<Arc<WorkedHistory>, AppError> {
    let version = kept.version(db, case_id).await?;
    if let Some(history) = version.and_then(|version| worked.get(case_id, version, filter)) {
        return Ok(history);
    }
    // Worked from the ledger as read now, and kept under that read's version.
    let (file, version) = kept.ledger_at(db, case_id, version).await?;
    let (lines, totals, statement) = lines(&file, &filter);
    let history = Arc::new(WorkedHistory {
        lines,
        totals,
        opening: statement.opening,
        closing: statement.closing,
    });
    if let Some(version) = version {
        worked.keep(case_id, version, filter, history.clone());
    }
    Ok(history)
}

/// The clean statement of `case` for a range: parties, every line, totals.
/// The print view and the CSV export read it.
pub async fn printable(
    db: &impl ConnectionTrait,
    kept: &LedgerMemory,
    worked: &WorkedHistories,
    case: cases::Model,
    filter: Filter,
    as_of: chrono::NaiveDateTime,
) -> Result<PrintStatement, AppError> {
    let history = worked_history(db, kept, worked, case.id, filter).await?;
    let participants = case_participants::Entity::find()
        .filter(case_participants::Column::CaseId.eq(case.id))
        .all(db)
        .await?;
    let names: HashMap<i32, String> = people::Entity::find()
        .filter(people::Column::Id.is_in(participants.iter().map(|p| p.person_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|person| (person.id, person.full_name))
        .collect();
    let mut parties: Vec<(CaseRole, String)> = participants
        .iter()
        .filter_map(|p| Some((parent_role(&p.role)?, names.get(&p.person_id)?.clone())))
        .collect();
    parties.sort();
    Ok(PrintStatement {
        case_number: case.case_number,
        office: case.office,
        parties,
        filter,
        opening: history.opening,
        closing: history.closing,
        totals: history.totals,
        lines: history.lines.clone(),
        as_of,
    })
}

/// The months of a range and the explanation of each entry in it.
pub async fn timeline(
    db: &impl ConnectionTrait,
    kept: &LedgerMemory,
    case: cases::Model,
    role: CaseRole,
    filter: Filter,
    grace_days: u32,
    as_of: chrono::NaiveDateTime,
) -> Result<Timeline, AppError> {
    let (file, _) = kept.ledger(db, case.id).await?;
    let statement = Statement::build(&file.entries, filter.from, filter.to);
    Ok(Timeline {
        case_number: case.case_number,
        role,
        filter,
        opening: statement.opening,
        months: statement.months,
        explained: explain(&file.entries, filter.from, filter.to, grace_days),
        grace_days,
        as_of,
    })
}

/// The card, and the replay it was read from.
fn card(
    file: &CaseRecord,
    case: &cases::Model,
    role: CaseRole,
    today: NaiveDate,
    policy: &LedgerPolicy,
) -> Result<(CaseCard, Allocation), AppError> {
    let entries = &file.entries;
    let allocation = Allocation::replay(entries, today);
    let past_due = allocation.past_due_split(policy.grace_days);
    let last_payment = entries
        .iter()
        .filter(|e| e.effective <= today && !allocation.reversed.contains(&e.id))
        .filter_map(|e| match e.kind {
            EntryKind::Payment { source } => Some((e.effective, e.id, e.amount, source)),
            _ => None,
        })
        .max()
        .map(|(on, _, amount, source)| Payment { on, amount, source });
    let orders = file.terms()?;
    let emancipations = file.emancipations();
    let terms = in_force(&orders, today)
        .map(|order| terms_of(still_charging(order, &emancipations, today)))
        .unwrap_or_default();
    let balance = allocation.balance();
    let to_receiver = (role != CaseRole::PayingParent).then(|| {
        let money = to_receiver(entries, &allocation.reversed, today);
        ReceiverMoney {
            last_sent: money.last_sent,
            sent_this_year: money.sent_this_year,
            on_hold: money
                .on_hold
                .into_iter()
                .map(|held| HeldMoney {
                    since: held.since,
                    amount: held.amount,
                    reason: file.note(held.entry),
                })
                .collect(),
        }
    });
    let service_fee = policy
        .service_fee_policy()
        .filter(|_| case.never_assistance)
        .map(|fee| {
            let year = crate::ledger::fee::fiscal_year(today);
            FeeTerms {
                amount: fee.amount,
                threshold: fee.threshold,
                fiscal_year: year,
                kept_this_year: crate::ledger::fee::kept_in(entries, &allocation.reversed, year),
            }
        });
    let card = CaseCard {
        case_number: case.case_number.clone(),
        service_fee,
        role,
        owed: balance.max(Money::ZERO),
        past_due_timing: past_due.timing,
        past_due_overdue: past_due.overdue,
        credit: allocation.credit(),
        interest: allocation
            .debts
            .iter()
            .filter(|d| d.obligation == Some(ObligationKind::Interest))
            .map(|d| d.unpaid())
            .sum(),
        interest_rate: policy.interest_policy().map(|p| p.rate),
        last_payment,
        terms,
        next_due: next_due(&orders, &emancipations, today, past_due.total()),
        to_receiver,
    };
    Ok((card, allocation))
}

/// The statement of the filter's range, and its kept lines with totals.
fn lines(file: &CaseRecord, filter: &Filter) -> (Vec<HistoryLine>, Totals, Statement) {
    let statement = Statement::build(&file.entries, filter.from, filter.to);
    let reversed_kinds: HashMap<i64, (NaiveDate, LineKind)> = file
        .entries
        .iter()
        .map(|e| (e.id, (e.effective, LineKind::of(&e.kind))))
        .collect();
    let (lines, totals) = annotate(&statement, filter, |id| file.note(id), &reversed_kinds);
    (lines, totals, statement)
}

fn order_views(file: &CaseRecord, today: NaiveDate) -> Result<Vec<OrderView>, AppError> {
    let orders = file.terms()?;
    let current = in_force(&orders, today).map(|o| o.effective_on);
    // `orders` came back in the order of the rows: oldest first.
    Ok(file
        .orders
        .iter()
        .zip(&orders)
        .rev()
        .map(|(row, order)| OrderView {
            source: row.source.clone(),
            reference: row.reference.clone(),
            effective_on: row.effective_on,
            ends_on: row.ends_on,
            terms: terms_of(order.obligations.iter()),
            in_force: current == Some(order.effective_on),
        })
        .collect())
}
/// Obligations as terms, support first, the arrears pace last.
fn terms_of<'o>(obligations: impl Iterator<Item = &'o Obligation>) -> Vec<Term> {
    let mut terms: Vec<Term> = obligations
        .map(|o| Term {
            kind: o.kind,
            amount: o.amount,
            frequency: o.schedule.frequency,
        })
        .collect();
    terms.sort_by_key(|t| t.kind);
    terms
}

fn past_due_panel(
    card: &CaseCard,
    allocation: &Allocation,
    file: &CaseRecord,
    today: NaiveDate,
    policy: &LedgerPolicy,
) -> Result<Option<PastDuePanel>, AppError> {
    let past_due = card.past_due();
    if !past_due.is_positive() {
        return Ok(None);
    }
    let oldest_unpaid = allocation
        .debts
        .iter()
        .filter(|d| d.due <= today && d.unpaid().is_positive())
        .map(|d| d.due)
        .min()
        .unwrap_or(today);
    let orders = file.terms()?;
    let planner = planner_basis(&orders, &file.emancipations(), today);
    Ok(Some(PastDuePanel {
        past_due,
        days_behind: (today - oldest_unpaid).num_days(),
        tax_intercept_threshold: policy.tax_intercept_threshold,
        passport_threshold: policy.passport_threshold,
        license_days_behind: policy.license_days_behind,
        planner,
    }))
}

/// Whole years from `born` to `day`.
fn age_on(born: NaiveDate, day: NaiveDate) -> u32 {
    day.years_since(born).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_counts_whole_years_and_birthdays_on_the_day() {
        let born = NaiveDate::from_ymd_opt(2015, 3, 10).unwrap_or_default();
        let on = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert_eq!(age_on(born, on(2026, 3, 9)), 10);
        assert_eq!(age_on(born, on(2026, 3, 10)), 11);
        assert_eq!(age_on(born, on(2014, 1, 1)), 0, "not born yet");
    }
}
