//! `server seed --cases N --seed S`: a large, realistic, random caseload for
//! measuring the portal at agency scale.
//!
//! Deterministic: case `n` of seed `S` is drawn from its own generator, so
//! the same command gives the same cases. Charges come from the same
//! [`charges_due`] as accrual (so accrual finds nothing left to post) and
//! rows go in by the thousand, with ids assigned here: one writer, no
//! round trip per row.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use app::account::service::records::new_account;
use app::reader::AccountRole;
use app::server::secret;

use app::ledger::accrual::{charges_due, Obligation, Order};
use app::ledger::{Frequency, Money, ObligationKind, PaymentSource, Schedule};
use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};
use entity::{
    accounts, case_participants, cases, children, ledger_entries, obligations, orders, people,
};
use indicatif::ProgressBar;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect, Set, TransactionTrait,
};
use sea_orm::{ColumnTrait, EntityName, Iterable};

use super::demo::DEMO_PASSWORD;
use super::SeedError;
use app::server::ledger::store::charge_row;
use app::server::ledger::StoreError;

/// Cases written per transaction.
const CASES_PER_BATCH: u32 = 500;
/// Bound-parameter budget per INSERT (SQLite allows 32,766).
const PARAMETERS_PER_INSERT: usize = 30_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseloadReport {
    /// Cases of this seed already there (an earlier run that was stopped).
    pub resumed_after: u32,
    /// Cases written by this run, and their ledger entries.
    pub cases: u32,
    pub entries: u64,
    pub elapsed: Duration,
}

/// Writes `cases` generated cases with their history up to `today`.
///
/// Each batch of cases is one transaction, written in case order, so a run
/// stopped anywhere (even by SIGKILL) leaves the first k cases whole and
/// nothing of the others; the same command then writes the rest.
pub async fn seed(
    db: &DatabaseConnection,
    cases: u32,
    seed: u64,
    today: NaiveDate,
    progress: &ProgressBar,
) -> Result<CaseloadReport, SeedError> {
    let started = Instant::now();
    let resumed_after = cases_of_seed(db, seed).await?;
    let mut ids = NextIds::after_existing(db).await?;
    let now = Utc::now();
    progress.set_length(u64::from(cases));
    progress.set_position(u64::from(resumed_after.min(cases)));
    let mut entries = 0;
    let mut n = resumed_after;
    while n < cases {
        let upto = (n + CASES_PER_BATCH).min(cases);
        let mut batch = Batch::default();
        for index in n..upto {
            generate_case(&mut batch, &mut ids, seed, index, today, now)?;
        }
        entries += batch.entries.len() as u64;
        batch.write(db).await?;
        progress.inc(u64::from(upto - n));
        n = upto;
    }
    // Also after a run that found nothing left to write: the run it resumes
    // may have been stopped between its last batch and these.
    if db.get_database_backend() == DatabaseBackend::Postgres {
        restart_sequences(db).await?;
    }
    // Fresh statistics for the planner: without them PostgreSQL scanned all
    // 100,000 cases for each parent's overview (no autovacuum had looked at
    // the new rows yet).
    db.execute_unprepared("ANALYZE").await?;
    progress.finish();
    Ok(CaseloadReport {
        resumed_after,
        cases: cases.saturating_sub(resumed_after),
        entries,
        elapsed: started.elapsed(),
    })
}

/// How many cases of `seed` exist: always its first ones, in order.
async fn cases_of_seed(db: &DatabaseConnection, seed: u64) -> Result<u32, SeedError> {
    let count = cases::Entity::find()
        .filter(cases::Column::CaseNumber.starts_with(format!("GEN-{seed}-")))
        .count(db)
        .await?;
    u32::try_from(count).map_err(|e| SeedError::Invalid(e.to_string()))
}

/// The e-mail address of the paying parent of generated case `index`.
pub fn payer_email(seed: u64, index: u32) -> String {
    format!("payer-{seed}-{}@generated.example", index + 1)
}

/// Gives the paying parents of the first `count` cases of `seed` an account
/// ([`payer_email`], password [`DEMO_PASSWORD`]), for measuring signed-in
/// pages. Accounts already there are kept; one hash serves them all (a
/// thousand Argon2 hashes of the same demo password would only cost time).
pub async fn payer_accounts(
    db: &DatabaseConnection,
    seed: u64,
    count: u32,
    now: DateTime<Utc>,
) -> Result<u32, SeedError> {
    let numbers: Vec<String> = (0..count).map(|index| case_number(seed, index)).collect();
    let mut payers = Vec::new();
    for numbers in numbers.chunks(1_000) {
        let case_ids: HashMap<i32, String> = cases::Entity::find()
            .select_only()
            .column(cases::Column::Id)
            .column(cases::Column::CaseNumber)
            .filter(cases::Column::CaseNumber.is_in(numbers.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?
            .into_iter()
            .collect();
        let paying: Vec<(i32, i32)> = case_participants::Entity::find()
            .select_only()
            .column(case_participants::Column::CaseId)
            .column(case_participants::Column::PersonId)
            .filter(case_participants::Column::CaseId.is_in(case_ids.keys().copied()))
            .filter(case_participants::Column::Role.eq("paying"))
            .into_tuple()
            .all(db)
            .await?;
        payers.extend(
            paying
                .into_iter()
                .filter_map(|(case, person)| Some((case_ids.get(&case)?.clone(), person))),
        );
    }
    let mut with_account = HashSet::new();
    for payers in payers.chunks(1_000) {
        let found: Vec<i32> = accounts::Entity::find()
            .select_only()
            .column(accounts::Column::PersonId)
            .filter(accounts::Column::PersonId.is_in(payers.iter().map(|(_, person)| *person)))
            .into_tuple()
            .all(db)
            .await?;
        with_account.extend(found);
    }
    let hash =
        secret::hash_blocking(DEMO_PASSWORD).map_err(|e| SeedError::Invalid(e.to_string()))?;
    let mut created = 0;
    let txn = db.begin().await?;
    for (number, person) in payers {
        if with_account.contains(&person) {
            continue;
        }
        let index = number
            .rsplit('-')
            .next()
            .and_then(|n| n.parse::<u32>().ok())
            .map_or(0, |n| n - 1);
        let email = payer_email(seed, index);
        new_account(person, email, hash.clone(), AccountRole::Parent, now)
            .insert(&txn)
            .await?;
        created += 1;
    }
    txn.commit().await?;
    Ok(created)
}

fn case_number(seed: u64, index: u32) -> String {
    format!("GEN-{seed}-{:07}", index + 1)
}

/// The next id of each table: ids are assigned here, not by the database.
struct NextIds {
    person: i32,
    case: i32,
    participant: i32,
    child: i32,
    order: i32,
    obligation: i32,
    entry: i64,
}

async fn max_id<E: EntityTrait>(
    db: &DatabaseConnection,
    column: E::Column,
) -> Result<i64, SeedError>
where
    E::Column: ColumnTrait,
{
    let max: Option<Option<i64>> = E::find()
        .select_only()
        // Cast: Postgres's MAX of an INTEGER column is an INT4.
        .column_as(
            Expr::from(Func::cast_as(Func::max(Expr::col(column)), "BIGINT")),
            "max_id",
        )
        .into_tuple()
        .one(db)
        .await?;
    Ok(max.flatten().unwrap_or(0))
}

impl NextIds {
    async fn after_existing(db: &DatabaseConnection) -> Result<Self, SeedError> {
        let next32 =
            |max: i64| i32::try_from(max + 1).map_err(|e| SeedError::Invalid(e.to_string()));
        Ok(Self {
            person: next32(max_id::<people::Entity>(db, people::Column::Id).await?)?,
            case: next32(max_id::<cases::Entity>(db, cases::Column::Id).await?)?,
            participant: next32(
                max_id::<case_participants::Entity>(db, case_participants::Column::Id).await?,
            )?,
            child: next32(max_id::<children::Entity>(db, children::Column::Id).await?)?,
            order: next32(max_id::<orders::Entity>(db, orders::Column::Id).await?)?,
            obligation: next32(max_id::<obligations::Entity>(db, obligations::Column::Id).await?)?,
            entry: max_id::<ledger_entries::Entity>(db, ledger_entries::Column::Id).await? + 1,
        })
    }
}

fn take<T: Copy + std::ops::AddAssign + From<u8>>(next: &mut T) -> T {
    let id = *next;
    *next += T::from(1);
    id
}

#[derive(Default)]
struct Batch {
    people: Vec<people::ActiveModel>,
    cases: Vec<cases::ActiveModel>,
    participants: Vec<case_participants::ActiveModel>,
    children: Vec<children::ActiveModel>,
    orders: Vec<orders::ActiveModel>,
    obligations: Vec<obligations::ActiveModel>,
    entries: Vec<ledger_entries::ActiveModel>,
}

impl Batch {
    async fn write(self, db: &DatabaseConnection) -> Result<(), SeedError> {
        let txn = db.begin().await?;
        insert_all(&txn, self.people).await?;
        insert_all(&txn, self.cases).await?;
        insert_all(&txn, self.participants).await?;
        insert_all(&txn, self.children).await?;
        insert_all(&txn, self.orders).await?;
        insert_all(&txn, self.obligations).await?;
        insert_all(&txn, self.entries).await?;
        txn.commit().await?;
        if db.get_database_backend() == DatabaseBackend::Postgres {
            restart_sequences(db).await?;
        }
        Ok(())
    }
}

async fn insert_all<A>(db: &impl ConnectionTrait, rows: Vec<A>) -> Result<(), SeedError>
where
    A: ActiveModelTrait + Send,
{
    let columns = <A::Entity as EntityTrait>::Column::iter().count().max(1);
    let per_insert = (PARAMETERS_PER_INSERT / columns).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(per_insert).collect();
        <A::Entity as EntityTrait>::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// After explicit ids, Postgres's sequences must start past them (after
/// every batch: the server may start between a stopped run and its resumption).
async fn restart_sequences(db: &DatabaseConnection) -> Result<(), SeedError> {
    let tables = [
        people::Entity.table_name(),
        cases::Entity.table_name(),
        case_participants::Entity.table_name(),
        children::Entity.table_name(),
        orders::Entity.table_name(),
        obligations::Entity.table_name(),
        ledger_entries::Entity.table_name(),
    ];
    for table in tables {
        db.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
             COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        ))
        .await?;
    }
    Ok(())
}

/// How a paying parent pays, which decides most of a case's story.
#[derive(Debug, Clone, Copy)]
enum Payer {
    /// Withheld from every paycheck, sometimes a few days late.
    Withholding,
    /// Pays directly, usually in full, sometimes late, sometimes skips.
    Irregular,
    /// Pays part, often nothing; tax refunds are intercepted.
    Behind,
    /// Misses months, then catches up with a lump sum.
    LumpSum,
}

const FIRST_NAMES: [&str; 16] = [
    "Alex", "Maria", "James", "Aisha", "Carlos", "Emily", "Darnell", "Mei", "Jose", "Sarah",
    "Tyrone", "Ana", "Kevin", "Fatima", "Luis", "Grace",
];
const LAST_NAMES: [&str; 16] = [
    "Smith",
    "Garcia",
    "Johnson",
    "Nguyen",
    "Brown",
    "Martinez",
    "Davis",
    "Lopez",
    "Wilson",
    "Hernandez",
    "Taylor",
    "Kim",
    "Moore",
    "Patel",
    "Jackson",
    "Rivera",
];

fn name(rng: &mut ChaCha8Rng) -> String {
    let first = FIRST_NAMES.choose(rng).copied().unwrap_or("Alex");
    let last = LAST_NAMES.choose(rng).copied().unwrap_or("Smith");
    format!("{first} {last}")
}

fn plus_days(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap_or(date)
}

fn minus_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_sub_months(Months::new(months)).unwrap_or(date)
}

/// One case with its people, children, orders and history.
fn generate_case(
    batch: &mut Batch,
    ids: &mut NextIds,
    seed: u64,
    index: u32,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), SeedError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed.rotate_left(32) ^ u64::from(index));
    let case_id = take(&mut ids.case);
    let opened = minus_months(today, rng.random_range(6..60))
        .with_day(1)
        .unwrap_or(today);

    let paying = take(&mut ids.person);
    let receiving = take(&mut ids.person);
    for id in [paying, receiving] {
        batch.people.push(people::ActiveModel {
            id: Set(id),
            full_name: Set(name(&mut rng)),
            // 555-0100…0199 are the numbers kept for fiction. Taken from the
            // id, not the generator, so the rest of the case stays the same.
            phone: Set(Some(format!("(312) 555-01{:02}", id % 100))),
            email: Set(None),
            mailing_address: Set(None),
            created_at: Set(now),
        });
    }
    batch.cases.push(cases::ActiveModel {
        id: Set(case_id),
        case_number: Set(case_number(seed, index)),
        office: Set(["North Office", "Central Office", "South Office"][index as usize % 3].into()),
        caseworker_id: Set(None),
        status: Set("open".into()),
        opened_on: Set(opened),
        created_at: Set(now),
        // Most families in a caseload never received assistance.
        never_assistance: Set(!index.is_multiple_of(3)),
    });
    for (person_id, role) in [(paying, "paying"), (receiving, "receiving")] {
        batch.participants.push(case_participants::ActiveModel {
            id: Set(take(&mut ids.participant)),
            case_id: Set(case_id),
            person_id: Set(person_id),
            role: Set(role.into()),
        });
    }

    let mut emancipations = Vec::new();
    for _ in 0..rng.random_range(1..=3) {
        let age_at_opening_months = rng.random_range(0..16 * 12);
        let born = minus_months(opened, age_at_opening_months);
        let emancipates = born
            .checked_add_months(Months::new(18 * 12))
            .unwrap_or(born);
        emancipations.push(emancipates);
        batch.children.push(children::ActiveModel {
            id: Set(take(&mut ids.child)),
            case_id: Set(case_id),
            full_name: Set(name(&mut rng)),
            born_on: Set(born),
            emancipates_on: Set(emancipates),
        });
    }

    let frequency = match rng.random_range(0..100) {
        0..55 => Frequency::Monthly,
        55..75 => Frequency::BiWeekly,
        75..90 => Frequency::SemiMonthly,
        _ => Frequency::Weekly,
    };
    let anchor_day = match frequency {
        Frequency::Weekly | Frequency::BiWeekly => 4,
        Frequency::SemiMonthly => 1,
        Frequency::Monthly => [1, 1, 1, 15, 5][rng.random_range(0..5)],
    };
    let Ok(schedule) = Schedule::new(frequency, anchor_day) else {
        return Ok(());
    };
    let monthly_cents: i64 = rng.random_range(150..1_500) * 100;
    let per_period = |monthly: i64| match frequency {
        Frequency::Monthly => monthly,
        Frequency::SemiMonthly => monthly / 2,
        Frequency::BiWeekly => monthly * 12 / 26,
        Frequency::Weekly => monthly * 12 / 52,
    };

    let mut terms = Vec::new();
    let mut order_starts = vec![opened];
    if rng.random_bool(0.2) {
        let months =
            (today.year() - opened.year()) * 12 + today.month() as i32 - opened.month() as i32;
        if months > 12 {
            let at = opened
                .checked_add_months(Months::new(rng.random_range(6..months as u32 - 3)))
                .unwrap_or(opened);
            order_starts.push(at);
        }
    }
    for (n, starts) in order_starts.iter().enumerate() {
        let order_id = take(&mut ids.order);
        batch.orders.push(orders::ActiveModel {
            id: Set(order_id),
            case_id: Set(case_id),
            source: Set(if n == 0 { "court" } else { "agency" }.into()),
            reference: Set(format!("GEN-ORD-{order_id}")),
            effective_on: Set(*starts),
            ends_on: Set(None),
            idempotency_key: Set(None),
            created_at: Set(now),
        });
        let change = if n == 0 {
            100
        } else {
            rng.random_range(70..130)
        };
        let amount = Money::from_cents(per_period(monthly_cents * change / 100));
        let amount_cents = amount.cents().map_err(StoreError::from)?;
        let obligation_id = take(&mut ids.obligation);
        batch.obligations.push(obligations::ActiveModel {
            id: Set(obligation_id),
            order_id: Set(order_id),
            kind: Set(ObligationKind::ChildSupport.as_str().into()),
            amount_cents: Set(amount_cents),
            frequency: Set(frequency.as_str().into()),
            anchor_day: Set(i16::from(anchor_day)),
        });
        terms.push(Order {
            effective_on: *starts,
            ends_on: None,
            obligations: vec![Obligation {
                id: i64::from(obligation_id),
                kind: ObligationKind::ChildSupport,
                amount,
                schedule,
            }],
        });
    }

    let payer = match rng.random_range(0..100) {
        0..45 => Payer::Withholding,
        45..70 => Payer::Irregular,
        70..85 => Payer::Behind,
        _ => Payer::LumpSum,
    };
    let mut entry = |mut row: ledger_entries::ActiveModel| {
        row.id = Set(take(&mut ids.entry));
        batch.entries.push(row);
    };
    let payment_row = |source: PaymentSource, cents: i64, on: NaiveDate, key: String| {
        ledger_entries::ActiveModel {
            case_id: Set(case_id),
            kind: Set("payment".into()),
            amount_cents: Set(cents),
            effective_on: Set(on),
            posted_at: Set(now),
            obligation_id: Set(None),
            obligation_kind: Set(None),
            source: Set(Some(source.as_str().into())),
            reference: Set(None),
            idempotency_key: Set(key),
            reverses: Set(None),
            note: Set(None),
            posted_by: Set(None),
            ..Default::default()
        }
    };

    let mut skipped: i64 = 0;
    for (n, due) in charges_due(&terms, &emancipations, today)
        .into_iter()
        .enumerate()
    {
        let cents = due.amount.cents().map_err(StoreError::from)?;
        entry(charge_row(case_id, &due, now)?);
        let pay =
            |cents: i64, lag: u64, source: PaymentSource| (cents, plus_days(due.on, lag), source);
        let payment = match payer {
            Payer::Withholding => Some(pay(
                cents,
                rng.random_range(0..=3),
                PaymentSource::IncomeWithholding,
            )),
            Payer::Irregular if rng.random_bool(0.12) => None,
            Payer::Irregular => {
                let part = if rng.random_bool(0.8) {
                    cents
                } else {
                    cents * rng.random_range(50..100) / 100
                };
                Some(pay(part, rng.random_range(0..20), PaymentSource::Direct))
            }
            Payer::Behind if rng.random_bool(0.45) => None,
            Payer::Behind => Some(pay(
                cents * rng.random_range(20..80) / 100,
                rng.random_range(0..25),
                PaymentSource::Direct,
            )),
            Payer::LumpSum if rng.random_bool(0.25) => {
                skipped += cents;
                None
            }
            Payer::LumpSum if skipped > 0 && rng.random_bool(0.15) => {
                let lump = skipped + cents;
                skipped = 0;
                Some(pay(lump, rng.random_range(5..25), PaymentSource::LumpSum))
            }
            Payer::LumpSum => Some(pay(
                cents,
                rng.random_range(0..5),
                PaymentSource::IncomeWithholding,
            )),
        };
        if let Some((cents, on, source)) =
            payment.filter(|(cents, on, _)| *cents > 0 && *on <= today)
        {
            entry(payment_row(source, cents, on, format!("gen:{case_id}:{n}")));
        }
        if matches!(payer, Payer::Behind) && due.on.month() == 3 && due.on.day() <= 7 {
            let on = plus_days(due.on, 20);
            if on <= today {
                let refund = rng.random_range(300..2_500) * 100;
                let key = format!("gen:{case_id}:tax:{}", due.on);
                entry(payment_row(PaymentSource::TaxIntercept, refund, on, key));
            }
        }
    }
    Ok(())
}
