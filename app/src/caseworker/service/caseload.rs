//! The caseload: a caseworker's cases (every case for a supervisor),
//! searched, sorted by what is owed or waiting, a page at a time.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use entity::{case_participants, cases, message_threads, people};
use sea_orm::sea_query::{Expr, Func, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
};

use crate::caseworker::model::{Caseload, CaseloadRow, CaseloadSort};
use crate::error::AppError;
use crate::ledger::Money;
use crate::reader::{AccountRole, CaseRole, User};
use crate::server::access::parent_role;
use crate::server::clock::Clock;
use crate::server::ledger::store::standings;
use crate::server::people::names_of;

/// Cases on one page of the caseload.
pub const CASELOAD_PAGE: u64 = 50;

/// The reader's caseload: a caseworker's cases, or every case for a
/// supervisor; narrowed by `search` (case number or a parent's name).
pub async fn caseload(
    db: &impl ConnectionTrait,
    reader: &User,
    search: &str,
    sort: CaseloadSort,
    page: u32,
    clock: Clock,
) -> Result<Caseload, AppError> {
    let search = search.trim().chars().take(100).collect::<String>();
    let visible = visible_cases(reader, &search)?;
    let count = cases::Entity::find()
        .filter(visible.clone())
        .count(db)
        .await?;
    let pages = count.div_ceil(CASELOAD_PAGE).max(1);
    let page = u64::from(page.max(1)).min(pages);
    let offset = (page - 1) * CASELOAD_PAGE;

    let (page_cases, sums) = page_of_cases(db, visible, sort, offset, clock).await?;
    let parents = parents_of(db, page_cases.iter().map(|c| c.id)).await?;
    let workers = names_of(db, page_cases.iter().filter_map(|c| c.caseworker_id)).await?;
    let rows = page_cases
        .into_iter()
        .map(|case| {
            let sum = sums.of(case.id);
            let (paying, receiving) = parents.get(&case.id).cloned().unwrap_or_default();
            CaseloadRow {
                case_number: case.case_number,
                paying,
                receiving,
                balance: sum.balance,
                last_activity: sum.last_activity,
                waiting: sum.waiting,
                caseworker: case.caseworker_id.and_then(|id| workers.get(&id).cloned()),
            }
        })
        .collect();
    Ok(Caseload {
        rows,
        search,
        sort,
        matching: u32::try_from(count).unwrap_or(u32::MAX),
        page: u32::try_from(page).unwrap_or(1),
        pages: u32::try_from(pages).unwrap_or(1),
        every_case: reader.role == AccountRole::Supervisor,
    })
}

/// What the reader may see, narrowed by `search` (trimmed): a case number,
/// or a parent's name.
fn visible_cases(reader: &User, search: &str) -> Result<Condition, AppError> {
    let mut visible = Condition::all();
    match reader.role {
        AccountRole::Parent => return Err(AppError::Forbidden),
        AccountRole::Caseworker => {
            visible = visible.add(cases::Column::CaseworkerId.eq(reader.person_id));
        }
        AccountRole::Supervisor => {}
    }
    if search.is_empty() {
        return Ok(visible);
    }
    let pattern = format!("%{}%", search.to_uppercase());
    let named = case_participants::Entity::find()
        .select_only()
        .column(case_participants::Column::CaseId)
        .inner_join(people::Entity)
        .filter(sea_orm::sea_query::ExprTrait::like(
            Func::upper(Expr::col((people::Entity, people::Column::FullName))),
            &pattern,
        ))
        .into_query();
    Ok(visible.add(
        Condition::any()
            .add(cases::Column::CaseNumber.like(&pattern))
            .add(cases::Column::Id.in_subquery(named)),
    ))
}

/// One page of the visible cases in `sort`'s order, with their sums.
async fn page_of_cases(
    db: &impl ConnectionTrait,
    visible: Condition,
    sort: CaseloadSort,
    offset: u64,
    clock: Clock,
) -> Result<(Vec<cases::Model>, CaseSums), AppError> {
    let matching = cases::Entity::find().filter(visible.clone());
    // By case number the database pages; by money or activity every
    // matching case is summed first (one grouped query each).
    match sort {
        CaseloadSort::CaseNumber => {
            let page_cases = matching
                .order_by_asc(cases::Column::CaseNumber)
                .offset(offset)
                .limit(CASELOAD_PAGE)
                .all(db)
                .await?;
            let ids: Vec<i32> = page_cases.iter().map(|c| c.id).collect();
            let ids = cases::Entity::find()
                .select_only()
                .column(cases::Column::Id)
                .filter(cases::Column::Id.is_in(ids))
                .into_query();
            let sums = CaseSums::load(db, ids, clock).await?;
            Ok((page_cases, sums))
        }
        CaseloadSort::Owed | CaseloadSort::Activity => {
            let ids = matching
                .select_only()
                .column(cases::Column::Id)
                .into_query();
            let sums = CaseSums::load(db, ids, clock).await?;
            let mut all = cases::Entity::find().filter(visible).all(db).await?;
            all.sort_by(|a, b| {
                let (a_sum, b_sum) = (sums.of(a.id), sums.of(b.id));
                let order = match sort {
                    CaseloadSort::Owed => b_sum.balance.cmp(&a_sum.balance),
                    _ => b_sum.last_activity.cmp(&a_sum.last_activity),
                };
                order.then_with(|| a.case_number.cmp(&b.case_number))
            });
            let start = usize::try_from(offset).unwrap_or(usize::MAX);
            let page_cases = all
                .into_iter()
                .skip(start)
                .take(CASELOAD_PAGE as usize)
                .collect();
            Ok((page_cases, sums))
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct CaseSum {
    balance: Money,
    last_activity: Option<NaiveDate>,
    waiting: u32,
}

/// Balances, latest activity and waiting conversations of the cases whose
/// ids `case_ids` selects, read with two grouped queries.
struct CaseSums(HashMap<i32, CaseSum>);

impl CaseSums {
    async fn load(
        db: &impl ConnectionTrait,
        case_ids: SelectStatement,
        clock: Clock,
    ) -> Result<Self, AppError> {
        let mut sums: HashMap<i32, CaseSum> = HashMap::new();
        for (case, standing) in standings(db, case_ids.clone()).await? {
            let sum = sums.entry(case).or_default();
            sum.balance = standing.balance;
            sum.last_activity = standing.last_posting;
        }
        let threads: Vec<(i32, Option<chrono::DateTime<Utc>>, Option<i64>)> =
            message_threads::Entity::find()
                .select_only()
                .column(message_threads::Column::CaseId)
                .column_as(message_threads::Column::LastMessageAt.max(), "last_message")
                .column_as(
                    Expr::cust(
                        "CAST(SUM(CASE WHEN message_threads.status = 'waiting' \
                         THEN 1 ELSE 0 END) AS BIGINT)",
                    ),
                    "waiting",
                )
                .filter(message_threads::Column::CaseId.in_subquery(case_ids))
                .group_by(message_threads::Column::CaseId)
                .into_tuple()
                .all(db)
                .await?;
        for (case, last_message, waiting) in threads {
            let sum = sums.entry(case).or_default();
            let day = last_message.map(|at| at.with_timezone(&clock.zone).date_naive());
            sum.last_activity = sum.last_activity.max(day);
            sum.waiting = u32::try_from(waiting.unwrap_or(0)).unwrap_or(0);
        }
        Ok(Self(sums))
    }

    fn of(&self, case: i32) -> CaseSum {
        self.0.get(&case).copied().unwrap_or_default()
    }
}

/// The paying and the receiving parent's names of each case, by case id.
async fn parents_of(
    db: &impl ConnectionTrait,
    case_ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, (String, String)>, AppError> {
    let rows = case_participants::Entity::find()
        .filter(case_participants::Column::CaseId.is_in(case_ids))
        .find_also_related(people::Entity)
        .all(db)
        .await?;
    let mut parents: HashMap<i32, (String, String)> = HashMap::new();
    for (participant, person) in rows {
        let (Some(person), Some(role)) = (person, parent_role(&participant.role)) else {
            continue;
        };
        let names = parents.entry(participant.case_id).or_default();
        match role {
            CaseRole::PayingParent => names.0 = person.full_name,
            _ => names.1 = person.full_name,
        }
    }
    Ok(parents)
}
