//! The caseworker's workspace in the database: the caseload, a case's file,
//! and the postings and order changes that move money — each checked, shown
//! for review, then stored in one transaction with its audit line.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use entity::{
    accounts, case_participants, cases, ledger_entries, message_threads, obligations, orders,
    people,
};
use sea_orm::sea_query::{Expr, Func, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set, TransactionTrait,
};

use super::model::{
    AuditLine, CaseFile, Caseload, CaseloadRow, CaseloadSort, EntryLine, OrderForm, OrderReview,
    Participant, Posting, PostingForm, PostingReview,
};
use super::rules::{read_order, read_posting, Proposed, ProposedOrder};
use crate::account::model::{AccountRole, CaseRole, User};
use crate::account::secret::random_code;
use crate::components::pager::PageOf;
use crate::config::LedgerPolicy;
use crate::error::{AppError, Field, Problem};
use crate::ledger::accrual::{recharge, Obligation, Order, Recharge};
use crate::ledger::rules::{self, Refused};
use crate::ledger::{
    in_force, Allocation, Entry, EntryKind, Money, ObligationKind, Schedule, ServiceFee,
};
use crate::messages::service::{case_threads, Clock};
use crate::server::access::{authorize, parent_role, Authorized, CaseAction};
use crate::server::audit::{self, AuditAction, AuditEvent, Source};
use crate::server::internal;
use crate::server::ledger_store::{case_orders, charge_row, entry_from_row};
use crate::server::people::names_of;
use crate::server::posting::{self, NewEntry, PostingError};

/// Cases on one page of the caseload.
pub const CASELOAD_PAGE: u64 = 50;
/// Entries the case file lists (the history page has every one).
const LATEST_ENTRIES: u64 = 25;

/// What a balance is, in SQL: the same sum as [`Entry::balance_effect`]
/// over the entries no reversal cancelled. Cast, because Postgres sums
/// BIGINTs into NUMERIC.
const BALANCE_SQL: &str = "CAST(SUM(CASE \
    WHEN ledger_entries.kind = 'charge' AND ledger_entries.obligation_kind <> 'arrears_payment' \
        THEN ledger_entries.amount_cents \
    WHEN ledger_entries.kind = 'payment' THEN -ledger_entries.amount_cents \
    WHEN ledger_entries.kind = 'adjustment' THEN ledger_entries.amount_cents \
    ELSE 0 END) AS BIGINT)";
/// No live reversal cancels it: a reversal itself reversed (a re-instatement)
/// no longer counts.
const NOT_REVERSED_SQL: &str = "NOT EXISTS (SELECT 1 FROM ledger_entries AS reversal \
    WHERE reversal.reverses = ledger_entries.id \
    AND NOT EXISTS (SELECT 1 FROM ledger_entries AS reinstatement \
        WHERE reinstatement.reverses = reversal.id))";

/// A fresh one-time key for a confirmation form.
pub fn form_key() -> String {
    random_code(4, 5)
}

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
    let mut visible = Condition::all();
    match reader.role {
        AccountRole::Parent => return Err(AppError::Forbidden),
        AccountRole::Caseworker => {
            visible = visible.add(cases::Column::CaseworkerId.eq(reader.person_id));
        }
        AccountRole::Supervisor => {}
    }
    let search = search.trim().chars().take(100).collect::<String>();
    if !search.is_empty() {
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
        visible = visible.add(
            Condition::any()
                .add(cases::Column::CaseNumber.like(&pattern))
                .add(cases::Column::Id.in_subquery(named)),
        );
    }
    let matching = cases::Entity::find().filter(visible.clone());
    let count = matching.clone().count(db).await?;
    let pages = count.div_ceil(CASELOAD_PAGE).max(1);
    let page = u64::from(page.max(1)).min(pages);
    let offset = (page - 1) * CASELOAD_PAGE;

    // By case number the database pages; by money or activity every
    // matching case is summed first (one grouped query each).
    let (page_cases, sums) = match sort {
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
            (page_cases, sums)
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
            (page_cases, sums)
        }
    };
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
        let balances: Vec<(i32, Option<i64>, Option<NaiveDate>)> = ledger_entries::Entity::find()
            .select_only()
            .column(ledger_entries::Column::CaseId)
            .column_as(Expr::cust(BALANCE_SQL), "balance")
            // A person's posting (not accrual's charges) is activity.
            .column_as(
                Expr::cust(
                    "MAX(CASE WHEN ledger_entries.kind <> 'charge' \
                     THEN ledger_entries.effective_on END)",
                ),
                "last_posting",
            )
            .filter(ledger_entries::Column::CaseId.in_subquery(case_ids.clone()))
            .filter(Expr::cust(NOT_REVERSED_SQL))
            .group_by(ledger_entries::Column::CaseId)
            .into_tuple()
            .all(db)
            .await?;
        for (case, balance, last_posting) in balances {
            let sum = sums.entry(case).or_default();
            sum.balance = Money::from_cents(balance.unwrap_or(0));
            sum.last_activity = last_posting;
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

/// The agency's file on a case, for its caseworker or a supervisor.
pub async fn case_file(
    db: &impl ConnectionTrait,
    reader: &User,
    case_number: &str,
    policy: &LedgerPolicy,
    clock: Clock,
    as_of: chrono::NaiveDateTime,
    audit_page: u32,
) -> Result<CaseFile, AppError> {
    let Authorized { case, role } =
        authorize(db, reader, case_number, CaseAction::ReadFile).await?;
    let today = clock.now.with_timezone(&clock.zone).date_naive();
    let (case_id, caseworker) = (case.id, case.caseworker_id);
    let colleagues = match role.may(CaseAction::Reassign) {
        true => crate::staff::service::colleagues(db).await?,
        false => Vec::new(),
    };
    let view = crate::balance::service::case_view(db, case, role, today, policy, as_of).await?;
    let on_hold = view
        .card
        .to_receiver
        .as_ref()
        .map(|money| money.on_hold.iter().map(|held| held.amount).sum())
        .unwrap_or(Money::ZERO);
    let event = AuditEvent::new(AuditAction::CaseOpened)
        .by(reader.person_id)
        .on_case(case_id);
    audit::record(db, event, &Source::of_request(), clock.now).await?;
    let (audit, audit_paging) = audit_lines(db, case_id, audit_page).await?;
    Ok(CaseFile {
        view,
        participants: participants(db, case_id).await?,
        entries: latest_entries(db, case_id).await?,
        on_hold,
        threads: case_threads(db, reader, case_id, clock).await?,
        audit,
        audit_paging,
        fresh_pin: None,
        caseworker,
        colleagues,
    })
}

/// Who did what on the case, newest first, with the actors' names.
pub async fn audit_lines(
    db: &impl ConnectionTrait,
    case_id: i32,
    page: u32,
) -> Result<(Vec<AuditLine>, PageOf), AppError> {
    let (events, paging) = audit::of_case(db, case_id, page).await?;
    let actors = names_of(db, events.iter().filter_map(|event| event.actor_id)).await?;
    let lines = events
        .into_iter()
        .map(|event| AuditLine {
            at: event.at,
            actor_name: event.actor_id.and_then(|id| actors.get(&id).cloned()),
            action: event.action,
            actor: event.actor_id,
            subject: event.subject_id,
            source: event.source,
            detail: event.detail,
        })
        .collect();
    Ok((lines, paging))
}

/// The case's parents with how to reach them, paying parent first.
async fn participants(
    db: &impl ConnectionTrait,
    case_id: i32,
) -> Result<Vec<Participant>, AppError> {
    let rows = case_participants::Entity::find()
        .filter(case_participants::Column::CaseId.eq(case_id))
        .find_also_related(people::Entity)
        .all(db)
        .await?;
    let logins: HashMap<i32, String> = accounts::Entity::find()
        .filter(accounts::Column::PersonId.is_in(rows.iter().map(|(p, _)| p.person_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|account| (account.person_id, account.email))
        .collect();
    let mut participants: Vec<Participant> = rows
        .into_iter()
        .filter_map(|(participant, person)| {
            let person = person?;
            Some(Participant {
                person: person.id,
                role: parent_role(&participant.role)?,
                name: person.full_name,
                phone: person.phone,
                email: person.email,
                mailing_address: person.mailing_address,
                account_email: logins.get(&person.id).cloned(),
            })
        })
        .collect();
    participants.sort_by_key(|p| p.role);
    Ok(participants)
}

/// The latest entries by date (then by posting), with whether each was
/// reversed and who posted it.
async fn latest_entries(
    db: &impl ConnectionTrait,
    case_id: i32,
) -> Result<Vec<EntryLine>, AppError> {
    let rows = ledger_entries::Entity::find()
        .filter(ledger_entries::Column::CaseId.eq(case_id))
        .order_by_desc(ledger_entries::Column::EffectiveOn)
        .order_by_desc(ledger_entries::Column::Id)
        .limit(LATEST_ENTRIES)
        .all(db)
        .await?;
    // Reversals of these rows, and those reversals' own reversals (a
    // reversal made in error, retracted): only a live reversal takes an
    // entry out of history.
    let reversals = ledger_entries::Entity::find()
        .filter(ledger_entries::Column::Reverses.is_in(rows.iter().map(|row| row.id)))
        .all(db)
        .await?;
    let retracted: HashSet<i64> = ledger_entries::Entity::find()
        .filter(ledger_entries::Column::Reverses.is_in(reversals.iter().map(|r| r.id)))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|row| row.reverses)
        .collect();
    let reversed: HashSet<i64> = reversals
        .iter()
        .filter(|r| !retracted.contains(&r.id))
        .filter_map(|r| r.reverses)
        .collect();
    // Rows that re-instate: reversals whose target is itself a reversal.
    let targets_reversals: HashSet<i64> = ledger_entries::Entity::find()
        .filter(ledger_entries::Column::Id.is_in(rows.iter().filter_map(|row| row.reverses)))
        .filter(ledger_entries::Column::Kind.eq("reversal"))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.id)
        .collect();
    let posters = names_of(db, rows.iter().filter_map(|row| row.posted_by)).await?;
    rows.into_iter()
        .map(|row| {
            let entry = entry_from_row(&row).map_err(internal)?;
            Ok(EntryLine {
                id: row.id,
                kind: entry.kind,
                amount: entry.amount,
                effective: entry.effective,
                reference: row.reference,
                note: row.note,
                posted_by: row.posted_by.and_then(|id| posters.get(&id).cloned()),
                reversed: reversed.contains(&row.id) || retracted.contains(&row.id),
                reinstates: row.reverses.is_some_and(|t| targets_reversals.contains(&t)),
            })
        })
        .collect()
}

/// A posting checked against the form's rules and the ledger as it stands.
struct Checked {
    case: cases::Model,
    proposed: Proposed,
    entries: Vec<Entry>,
    /// For a reversal: the entry it cancels, as the case file lists it.
    target: Option<EntryLine>,
}

async fn check_posting(
    db: &impl ConnectionTrait,
    reader: &User,
    case_number: &str,
    form: &PostingForm,
    today: NaiveDate,
) -> Result<Checked, AppError> {
    let case = authorize(db, reader, case_number, CaseAction::Post)
        .await?
        .case;
    let proposed = read_posting(form, today, case.opened_on)?;
    let entries = crate::server::ledger_store::case_entries(db, case.id)
        .await
        .map_err(internal)?;
    // Out of history: reversed entries and retracted reversals.
    let reversed = Allocation::replay(&entries, NaiveDate::MAX).reversed;
    let mut target = None;
    if proposed.posting == Posting::Reversal {
        let wanted = proposed.reverses.unwrap_or_default();
        let Some(entry) = entries.iter().find(|e| e.id == wanted) else {
            return Err(AppError::invalid(Field::Entry, Problem::Required));
        };
        let row = ledger_entries::Entity::find_by_id(wanted)
            .one(db)
            .await?
            .ok_or_else(|| internal(format!("entry {wanted} vanished")))?;
        target = Some(EntryLine {
            id: entry.id,
            kind: entry.kind,
            amount: entry.amount,
            effective: entry.effective,
            reference: row.reference,
            note: row.note,
            posted_by: None,
            reversed: reversed.contains(&entry.id),
            reinstates: matches!(
                entry.kind,
                EntryKind::Reversal { reverses }
                    if entries.iter().any(|e| e.id == reverses
                        && matches!(e.kind, EntryKind::Reversal { .. }))
            ),
        });
    }
    let checked = Checked {
        case,
        proposed,
        entries,
        target,
    };
    let proposed_entry = checked.entry(i64::MAX, "~review");
    rules::check(&checked.entries, &proposed_entry).map_err(|refused| match refused {
        Refused::BeforeEntry(_) => AppError::invalid(Field::Date, Problem::BeforeEntry),
        // A reversal's form has no amount: the entry it names is the problem.
        Refused::MoreThanHeld(_) if checked.proposed.posting == Posting::Reversal => {
            AppError::invalid(Field::Entry, Problem::MoreThanHeld)
        }
        Refused::MoreThanHeld(_) => AppError::invalid(Field::Amount, Problem::MoreThanHeld),
        Refused::NoSuchEntry => AppError::invalid(Field::Entry, Problem::Required),
        Refused::AlreadyReversed | Refused::Reinstatement | Refused::NoEffect => {
            AppError::invalid(Field::Entry, Problem::NotReversible)
        }
    })?;
    Ok(checked)
}

impl Checked {
    /// The posting as a ledger entry, numbered `id`.
    fn entry(&self, id: i64, key: &str) -> Entry {
        Entry {
            id,
            key: key.into(),
            kind: self.kind(),
            amount: self.proposed.amount,
            effective: self.proposed.date,
        }
    }
    fn kind(&self) -> EntryKind {
        match self.proposed.posting {
            Posting::Payment => EntryKind::Payment {
                source: self
                    .proposed
                    .source
                    .unwrap_or(crate::ledger::PaymentSource::Direct),
            },
            Posting::Adjustment => EntryKind::Adjustment,
            Posting::Hold => EntryKind::Hold,
            Posting::Release => EntryKind::Release,
            Posting::Reversal => EntryKind::Reversal {
                reverses: self.proposed.reverses.unwrap_or_default(),
            },
        }
    }

    /// The balance now and with this posting.
    fn balances(&self, today: NaiveDate) -> (Money, Money) {
        let before = Allocation::replay(&self.entries, today).balance();
        let mut with = self.entries.clone();
        let id = with.iter().map(|e| e.id).max().unwrap_or(0) + 1;
        with.push(self.entry(id, "~review"));
        (before, Allocation::replay(&with, today).balance())
    }
}

/// What a posting will do, to confirm; nothing is stored.
pub async fn review_posting(
    db: &impl ConnectionTrait,
    reader: &User,
    case_number: &str,
    form: &PostingForm,
    today: NaiveDate,
) -> Result<PostingReview, AppError> {
    let checked = check_posting(db, reader, case_number, form, today).await?;
    let (balance_before, balance_after) = checked.balances(today);
    let proposed = &checked.proposed;
    Ok(PostingReview {
        case_number: checked.case.case_number.clone(),
        posting: proposed.posting,
        amount: match &checked.target {
            Some(target) => target.amount,
            None => proposed.amount,
        },
        date: proposed.date,
        source: proposed.source,
        reference: proposed.reference.clone(),
        reason: proposed.reason.clone(),
        reverses: checked.target.clone(),
        balance_before,
        balance_after,
        key: form_key(),
    })
}

/// Stores a reviewed posting; the entry's id. The same form sent again
/// (a double click, a reload) returns the entry it already stored.
pub async fn post(
    db: &DatabaseConnection,
    reader: &User,
    case_number: &str,
    form: &PostingForm,
    key: &str,
    today: NaiveDate,
    fee: Option<ServiceFee>,
) -> Result<i64, AppError> {
    let key = ledger_key(key)?;
    let case = authorize(db, reader, case_number, CaseAction::Post)
        .await?
        .case;
    // Before the ledger checks: once posted, a reversal's entry is reversed
    // and a release's money released, so the second send must stop here.
    if let Some(existing) = ledger_entries::Entity::find()
        .filter(ledger_entries::Column::IdempotencyKey.eq(key.as_str()))
        .one(db)
        .await?
    {
        let sent = read_posting(form, today, case.opened_on)?;
        let stored = posting::as_posted(db, &existing).await.map_err(internal)?;
        let same = existing.case_id == case.id
            && existing.posted_by == Some(reader.person_id)
            && stored.amount == sent.amount
            && stored.effective == sent.date
            && crate::server::ledger_store::kind_name(&stored.kind) == sent.posting.as_str();
        return if same {
            Ok(existing.id)
        } else {
            Err(AppError::FormUsed)
        };
    }
    let checked = check_posting(db, reader, case_number, form, today).await?;
    let entry = NewEntry {
        case_id: checked.case.id,
        kind: checked.kind(),
        amount: checked.proposed.amount,
        effective: checked.proposed.date,
        reference: checked.proposed.reference.clone(),
        note: checked.proposed.reason.clone(),
        idempotency_key: key,
        posted_by: Some(reader.person_id),
    };
    let event = AuditEvent::new(AuditAction::EntryPosted).by(reader.person_id);
    let audit = Some((event, Source::of_request()));
    match posting::post_audited(db, entry, today, fee, audit).await {
        Ok(crate::ledger::Posted::New(id) | crate::ledger::Posted::AlreadyPosted(id)) => Ok(id),
        Ok(crate::ledger::Posted::KeyConflict(_)) | Err(PostingError::KeyConflict(_)) => {
            Err(AppError::FormUsed)
        }
        Err(PostingError::Audit(error)) => Err(error),
        Err(error) => Err(internal(error)),
    }
}

/// The ledger key of a staff form's one-time key.
fn ledger_key(key: &str) -> Result<String, AppError> {
    let key = key.trim();
    if key.is_empty() || key.len() > 64 {
        return Err(AppError::FormUsed);
    }
    Ok(format!("staff:{key}"))
}

/// New terms checked against the case, before anything is stored.
struct OrderPlan {
    case: cases::Model,
    /// The request the terms answer, open to them.
    request: Option<entity::support_requests::Model>,
    proposed: ProposedOrder,
}

impl OrderPlan {
    async fn check(
        db: &impl ConnectionTrait,
        reader: &User,
        case_number: &str,
        form: &OrderForm,
        today: NaiveDate,
    ) -> Result<Self, AppError> {
        let case = authorize(db, reader, case_number, CaseAction::ChangeOrder)
            .await?
            .case;
        let mut proposed = read_order(form, today, case.opened_on)?;
        let request = crate::requests::service::settling(db, case.id, &form.request).await?;
        let (orders, _) = case_orders(db, case.id).await.map_err(internal)?;
        proposed.schedule = due_day_kept(&proposed, &orders);
        Ok(Self {
            case,
            request,
            proposed,
        })
    }

    /// The new order, its obligations numbered by `ids` (child support,
    /// medical support, arrears payment).
    fn order(&self, ids: [i64; 3]) -> Order {
        let proposed = &self.proposed;
        let terms = [
            (ObligationKind::ChildSupport, Some(proposed.child_support)),
            (ObligationKind::MedicalSupport, proposed.medical_support),
            (ObligationKind::ArrearsPayment, proposed.arrears_payment),
        ];
        Order {
            effective_on: proposed.effective_on,
            ends_on: None,
            obligations: terms
                .into_iter()
                .zip(ids)
                .filter_map(|((kind, amount), id)| {
                    Some(Obligation {
                        id,
                        kind,
                        amount: amount?,
                        schedule: proposed.schedule,
                    })
                })
                .collect(),
        }
    }
}

/// The schedule of new terms: the due day of the order in force on their
/// effective date, when the caseworker keeps it and they fall due as often;
/// otherwise the effective date's own day.
fn due_day_kept(proposed: &ProposedOrder, orders: &[Order]) -> Schedule {
    let in_force_then = in_force(orders, proposed.effective_on)
        .and_then(|order| order.obligations.iter().min_by_key(|o| o.kind))
        .map(|main| main.schedule);
    match in_force_then {
        Some(schedule)
            if proposed.keep_due_day && schedule.frequency == proposed.schedule.frequency =>
        {
            schedule
        }
        _ => proposed.schedule,
    }
}

/// A case's ledger, orders and children's emancipation dates as the
/// database holds them: what new terms are checked against.
struct CaseLedger {
    entries: Vec<Entry>,
    orders: Vec<Order>,
    emancipations: Vec<NaiveDate>,
}

impl CaseLedger {
    async fn read(db: &impl ConnectionTrait, case_id: i32) -> Result<Self, AppError> {
        let entries = crate::server::ledger_store::case_entries(db, case_id)
            .await
            .map_err(internal)?;
        let (orders, emancipations) = case_orders(db, case_id).await.map_err(internal)?;
        Ok(Self {
            entries,
            orders,
            emancipations,
        })
    }

    /// What `new` terms do to the ledger through `today`.
    fn recharge(&self, new: Order, today: NaiveDate) -> Recharge {
        let mut after = self.orders.clone();
        after.push(new);
        recharge(
            &self.entries,
            &self.orders,
            &after,
            &self.emancipations,
            today,
        )
    }

    /// The balance now and after `recharge`.
    fn balances(&self, recharge: &Recharge, today: NaiveDate) -> (Money, Money) {
        let before = Allocation::replay(&self.entries, today).balance();
        let mut after = self.entries.clone();
        let mut next = after.iter().map(|e| e.id).max().unwrap_or(0);
        let mut push = |kind, amount, effective, key: String| {
            next += 1;
            after.push(Entry {
                id: next,
                key,
                kind,
                amount,
                effective,
            });
        };
        for entry in &recharge.reverse {
            push(
                EntryKind::Reversal { reverses: *entry },
                Money::ZERO,
                today,
                format!("~reverse:{entry}"),
            );
        }
        for due in &recharge.charge {
            push(
                EntryKind::Charge {
                    obligation: due.kind,
                },
                due.amount,
                due.on,
                due.key(),
            );
        }
        (before, Allocation::replay(&after, today).balance())
    }
}

/// What new order terms will do, to confirm; nothing is stored.
pub async fn review_order(
    db: &impl ConnectionTrait,
    reader: &User,
    case_number: &str,
    form: &OrderForm,
    today: NaiveDate,
) -> Result<OrderReview, AppError> {
    let plan = OrderPlan::check(db, reader, case_number, form, today).await?;
    let ledger = CaseLedger::read(db, plan.case.id).await?;
    // Numbers no stored obligation has, for the review only.
    let recharge = ledger.recharge(plan.order([-1, -2, -3]), today);
    let (balance_before, balance_after) = ledger.balances(&recharge, today);
    let proposed = &plan.proposed;
    Ok(OrderReview {
        case_number: plan.case.case_number.clone(),
        effective_on: proposed.effective_on,
        frequency: proposed.schedule.frequency,
        schedule: proposed.schedule,
        child_support: proposed.child_support,
        medical_support: proposed.medical_support,
        arrears_payment: proposed.arrears_payment,
        reference: proposed.reference.clone(),
        reason: proposed.reason.clone(),
        recharged: u32::try_from(recharge.reverse.len()).unwrap_or(u32::MAX),
        balance_before,
        balance_after,
        request: match &plan.request {
            Some(request) => Some((
                request.id,
                crate::requests::rules::RequestKind::parse(&request.kind)
                    .ok_or_else(|| internal(format!("request {} kind", request.id)))?,
            )),
            None => None,
        },
        key: form_key(),
    })
}

/// Stores new order terms from their effective date: the order and its
/// obligations, reversals of the charges they change, the charges due under
/// them through today, and the audit line — in one transaction that first
/// locks the case and then reads its ledger, so that accrual (which locks
/// the cases it charges) can neither slip a charge of the old terms in
/// between nor miss the new ones. Sent twice, the same form stores one order.
pub async fn change_order(
    db: &DatabaseConnection,
    reader: &User,
    case_number: &str,
    form: &OrderForm,
    key: &str,
    today: NaiveDate,
) -> Result<(), AppError> {
    let key = ledger_key(key)?;
    let plan = OrderPlan::check(db, reader, case_number, form, today).await?;
    let txn = db.begin().await?;
    cases::Entity::find_by_id(plan.case.id)
        .lock_exclusive()
        .one(&txn)
        .await?;
    let already = orders::Entity::find()
        .filter(orders::Column::IdempotencyKey.eq(key.as_str()))
        .one(&txn)
        .await?;
    if let Some(order) = already {
        return match order.case_id == plan.case.id {
            true => Ok(()),
            false => Err(AppError::FormUsed),
        };
    }
    // The ledger and orders as they stand, read under the case's lock.
    let ledger = CaseLedger::read(&txn, plan.case.id).await?;
    let now = Utc::now();
    let proposed = &plan.proposed;
    let order = orders::ActiveModel {
        case_id: Set(plan.case.id),
        source: Set("agency".into()),
        reference: Set(proposed.reference.clone()),
        effective_on: Set(proposed.effective_on),
        ends_on: Set(None),
        idempotency_key: Set(Some(key.clone())),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut ids = [0_i64; 3];
    for (slot, (kind, amount)) in ids.iter_mut().zip([
        (ObligationKind::ChildSupport, Some(proposed.child_support)),
        (ObligationKind::MedicalSupport, proposed.medical_support),
        (ObligationKind::ArrearsPayment, proposed.arrears_payment),
    ]) {
        if let Some(amount) = amount {
            *slot = i64::from(
                insert_obligation(&txn, order.id, kind, amount, proposed.schedule).await?,
            );
        }
    }
    let recharge = ledger.recharge(plan.order(ids), today);
    for entry in &recharge.reverse {
        ledger_entries::ActiveModel {
            case_id: Set(plan.case.id),
            kind: Set("reversal".into()),
            amount_cents: Set(0),
            effective_on: Set(today),
            posted_at: Set(now),
            idempotency_key: Set(format!("order:{}:reverses:{entry}", order.id)),
            reverses: Set(Some(*entry)),
            note: Set(Some(proposed.reason.clone())),
            posted_by: Set(Some(reader.person_id)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    for due in &recharge.charge {
        charge_row(plan.case.id, due, now).insert(&txn).await?;
    }
    let event = AuditEvent::new(AuditAction::OrderChanged)
        .by(reader.person_id)
        .on_case(plan.case.id)
        .detail(format!(
            "order {} from {}: {} charges reversed, {} charged",
            order.id,
            proposed.effective_on,
            recharge.reverse.len(),
            recharge.charge.len()
        ));
    audit::record(&txn, event, &Source::of_request(), now).await?;
    if let Some(request) = plan.request {
        crate::requests::service::settle(&txn, request, order.id, reader, &key, now).await?;
    }
    txn.commit().await?;
    Ok(())
}

async fn insert_obligation(
    txn: &impl ConnectionTrait,
    order: i32,
    kind: ObligationKind,
    amount: Money,
    schedule: Schedule,
) -> Result<i32, AppError> {
    let row = obligations::ActiveModel {
        order_id: Set(order),
        kind: Set(kind.as_str().into()),
        amount_cents: Set(amount.cents()),
        frequency: Set(schedule.frequency.as_str().into()),
        anchor_day: Set(i16::from(schedule.anchor_day)),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(row.id)
}
