//! `server seed --demo`: seven cases that tell the stories a caseworker
//! meets every week, with years of history up to today.
//!
//! | case | story |
//! |---|---|
//! | CS-2020-004172 | on time, every paycheck, by income withholding (semi-monthly) |
//! | CS-2019-002931 | growing arrears: partial and missed months, a returned check, tax intercepts held then released, a bank garnishment |
//! | CS-2018-001205 | job loss: unemployment benefits, then a modified order with an arrears payment |
//! | CS-2016-000388 | two children, the older emancipated: the order steps down |
//! | CS-2021-005560 | Jordan Ellis pays here … |
//! | CS-2022-006013 | … and receives here; the latest payment is on hold (mail came back) |
//! | CS-2025-007741 | a new case whose parents have not activated their accounts |
//!
//! Demo accounts, all with the password `portal-demo-2026`:
//! `paying.parent@example.com` (Marcus Bell), `receiving.parent@example.com`
//! (Dana Bell), `two.cases@example.com` (Jordan Ellis), `behind.parent@example.com`
//! (Ray Torres, in arrears), `erin.walsh@example.com` and `olivia.price@example.com`
//! (receiving in CS-2018-001205 and CS-2016-000388), `caseworker@example.com`
//! (Alex Morgan), `jamie.chen@example.com` (Jamie Chen, caseworker) and
//! `supervisor@example.com` (Morgan Reyes); PINs for CS-2025-007741 in [`DEMO_PINS`].
//!
//! Everything is scripted (no randomness): the same day gives the same data.
//! Payments are posted through [`app::server::ledger::post`], charges by accrual.

use app::ledger::{EntryKind, Frequency, Money, ObligationKind, PaymentSource, Posted, Schedule};
use app::reader::AccountRole;
use app::server::secret;
use chrono::{Datelike, Days, Months, NaiveDate};
use entity::{cases, people};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    TransactionTrait,
};

use super::records::{self, NewCase, NewOrder, Terms};
use super::SeedError;
use app::server::ledger::store::kind_name;
use app::server::ledger::{accrue, post, NewEntry};

/// The demo's case numbers, in the order of the table above.
pub const CASE_NUMBERS: [&str; 7] = [
    "CS-2020-004172",
    "CS-2019-002931",
    "CS-2018-001205",
    "CS-2016-000388",
    "CS-2021-005560",
    "CS-2022-006013",
    "CS-2025-007741",
];

const OFFICE: &str = "Riverside County — Central Office";

/// Why Jordan's latest payment is held, as the receiving parent reads it.
pub const HOLD_REASON: &str =
    "Mail to you came back undelivered: confirm your address with your caseworker to release it.";

/// The password of every demo account (demo data only: never in production).
pub const DEMO_PASSWORD: &str = "portal-demo-2026";

/// PINs the caseworker gave the parents of the not-yet-activated case.
pub const DEMO_PINS: [(&str, &str); 2] = [
    ("Chris Young", "W4TR-B9KD-7741"),
    ("Taylor Brooks", "H3NX-Q8VM-7741"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoOutcome {
    Written { entries: u64 },
    AlreadyThere,
}

/// Writes the demo cases unless they are there already, then accrues every
/// charge due through `today`.
pub async fn seed(db: &DatabaseConnection, today: NaiveDate) -> Result<DemoOutcome, SeedError> {
    let present = cases::Entity::find()
        .filter(cases::Column::CaseNumber.is_in(CASE_NUMBERS))
        .count(db)
        .await?;
    if present > 0 {
        return Ok(DemoOutcome::AlreadyThere);
    }
    let txn = db.begin().await?;
    let mut demo = Demo {
        txn: &txn,
        today,
        payments: 0,
    };
    demo.write().await?;
    let payments = demo.payments;
    txn.commit().await?;
    let accrued = accrue(db, today).await?;
    Ok(DemoOutcome::Written {
        entries: payments + accrued.charges_posted,
    })
}

struct Demo<'a> {
    txn: &'a DatabaseTransaction,
    today: NaiveDate,
    payments: u64,
}

fn usd(cents: i64) -> Money {
    Money::from_cents(cents)
}

fn schedule(frequency: Frequency, day: u8) -> Result<Schedule, SeedError> {
    Schedule::new(frequency, day).map_err(|e| SeedError::Invalid(e.to_string()))
}

fn child_support(cents: i64, schedule: Schedule) -> Terms {
    Terms {
        kind: ObligationKind::ChildSupport,
        amount: usd(cents),
        schedule,
    }
}

fn plus_days(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap_or(date)
}

fn plus_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months)).unwrap_or(date)
}

fn plus_years(date: NaiveDate, years: u32) -> NaiveDate {
    plus_months(date, years * 12)
}

impl Demo<'_> {
    /// The first of the month, `months` months before this one.
    fn months_ago(&self, months: u32) -> NaiveDate {
        let first = self.today.with_day(1).unwrap_or(self.today);
        first
            .checked_sub_months(Months::new(months))
            .unwrap_or(first)
    }

    fn years_ago(&self, years: u32) -> NaiveDate {
        self.today
            .checked_sub_months(Months::new(years * 12))
            .unwrap_or(self.today)
    }

    /// Posts an entry dated `on` unless that is still in the future.
    async fn entry(
        &mut self,
        case: &Case,
        kind: EntryKind,
        amount: Money,
        on: NaiveDate,
        note: Option<&str>,
    ) -> Result<Option<i64>, SeedError> {
        if on > self.today {
            return Ok(None);
        }
        self.payments += 1;
        let key = format!(
            "{}:{}:{on}:{}",
            case.number,
            kind_name(&kind),
            self.payments
        );
        let entry = NewEntry {
            case_id: case.id,
            kind,
            amount,
            effective: on,
            reference: None,
            note: note.map(str::to_owned),
            idempotency_key: key.clone(),
            posted_by: None,
        };
        match post(self.txn, entry, self.today, None).await {
            Ok(Posted::New(id) | Posted::AlreadyPosted(id)) => Ok(Some(id)),
            Ok(Posted::KeyConflict(_)) => Err(SeedError::Invalid(format!("key {key} reused"))),
            Err(source) => Err(SeedError::Posting { key, source }),
        }
    }

    /// Money received and, two days later, sent on to the receiving parent.
    async fn receive(
        &mut self,
        case: &Case,
        source: PaymentSource,
        amount: Money,
        on: NaiveDate,
    ) -> Result<Option<i64>, SeedError> {
        let id = self
            .entry(case, EntryKind::Payment { source }, amount, on, None)
            .await?;
        if id.is_some() {
            self.entry(
                case,
                EntryKind::Disbursement,
                amount,
                plus_days(on, 2),
                None,
            )
            .await?;
        }
        Ok(id)
    }

    async fn write(&mut self) -> Result<(), SeedError> {
        let alex = records::person(self.txn, "Alex Morgan").await?;
        let jamie = records::person(self.txn, "Jamie Chen").await?;
        self.on_time_withholding(alex).await?;
        self.growing_arrears(alex).await?;
        self.job_loss_and_modification(jamie).await?;
        self.older_child_emancipated(jamie).await?;
        self.one_parent_two_roles(alex).await?;
        self.not_yet_activated(jamie).await?;
        self.accounts(alex, jamie).await?;
        self.contacts().await?;
        Ok(())
    }

    /// Phones (555-01xx, kept for fiction), e-mails and mailing addresses of
    /// the demo parents, for the agency's file.
    async fn contacts(&mut self) -> Result<(), SeedError> {
        const CONTACTS: [(&str, &str, &str, &str); 13] = [
            (
                "Marcus Bell",
                "(312) 555-0101",
                "paying.parent@example.com",
                "118 Elm Street, Riverside, IL 60546",
            ),
            (
                "Dana Bell",
                "(312) 555-0102",
                "receiving.parent@example.com",
                "42 Birch Lane, Apt 3, Riverside, IL 60546",
            ),
            (
                "Ray Torres",
                "(312) 555-0103",
                "behind.parent@example.com",
                "907 Walnut Avenue, Berwyn, IL 60402",
            ),
            (
                "Maria Lopez",
                "(312) 555-0104",
                "maria.lopez@example.com",
                "15 Cedar Court, Riverside, IL 60546",
            ),
            (
                "Kevin Walsh",
                "(312) 555-0105",
                "kevin.walsh@example.com",
                "3301 Oak Park Avenue, Berwyn, IL 60402",
            ),
            (
                "Erin Walsh",
                "(312) 555-0106",
                "erin.walsh@example.com",
                "88 Maple Drive, Lyons, IL 60534",
            ),
            (
                "Daniel Price",
                "(312) 555-0107",
                "daniel.price@example.com",
                "240 Pine Street, Brookfield, IL 60513",
            ),
            (
                "Olivia Price",
                "(312) 555-0108",
                "olivia.price@example.com",
                "12 Spruce Road, Brookfield, IL 60513",
            ),
            (
                "Jordan Ellis",
                "(312) 555-0109",
                "two.cases@example.com",
                "501 Harlem Avenue, Forest Park, IL 60130",
            ),
            (
                "Priya Nair",
                "(312) 555-0110",
                "priya.nair@example.com",
                "77 Linden Street, Oak Park, IL 60302",
            ),
            (
                "Sam Ortiz",
                "(312) 555-0113",
                "sam.ortiz@example.com",
                "410 Des Plaines Avenue, Forest Park, IL 60130",
            ),
            (
                "Chris Young",
                "(312) 555-0111",
                "chris.young@example.com",
                "9 Poplar Place, Riverside, IL 60546",
            ),
            (
                "Taylor Brooks",
                "(312) 555-0112",
                "taylor.brooks@example.com",
                "63 Aspen Way, North Riverside, IL 60546",
            ),
        ];
        for (name, phone, email, address) in CONTACTS {
            let person = people::Entity::find()
                .filter(people::Column::FullName.eq(name))
                .one(self.txn)
                .await?;
            if let Some(person) = person {
                records::contact(self.txn, person.id, phone, email, address).await?;
            }
        }
        Ok(())
    }

    /// Signed-in demo users (all with [`DEMO_PASSWORD`]) and the PINs of the
    /// parents who have not activated yet.
    async fn accounts(&mut self, alex: i32, jamie: i32) -> Result<(), SeedError> {
        let now = chrono::Utc::now();
        let supervisor = records::person(self.txn, "Morgan Reyes").await?;
        let people = [
            (
                "Marcus Bell",
                "paying.parent@example.com",
                AccountRole::Parent,
            ),
            (
                "Dana Bell",
                "receiving.parent@example.com",
                AccountRole::Parent,
            ),
            ("Jordan Ellis", "two.cases@example.com", AccountRole::Parent),
            (
                "Ray Torres",
                "behind.parent@example.com",
                AccountRole::Parent,
            ),
            ("Erin Walsh", "erin.walsh@example.com", AccountRole::Parent),
            (
                "Olivia Price",
                "olivia.price@example.com",
                AccountRole::Parent,
            ),
        ];
        let mut accounts = vec![
            (alex, "caseworker@example.com", AccountRole::Caseworker),
            (jamie, "jamie.chen@example.com", AccountRole::Caseworker),
            (
                supervisor,
                "supervisor@example.com",
                AccountRole::Supervisor,
            ),
        ];
        for (name, email, role) in people {
            accounts.push((self.person_named(name).await?, email, role));
        }
        let password_hash =
            secret::hash_blocking(DEMO_PASSWORD).map_err(|e| SeedError::Invalid(e.to_string()))?;
        for (person, email, role) in accounts {
            records::account(self.txn, person, email, &password_hash, role, now).await?;
        }
        let case = self.case_numbered(CASE_NUMBERS[6]).await?;
        for (name, pin) in DEMO_PINS {
            let person = self.person_named(name).await?;
            let pin_hash = secret::hash_blocking(&secret::normalize_code(pin))
                .map_err(|e| SeedError::Invalid(e.to_string()))?;
            // A year, not the policy's days: demo data is often tried later.
            let expires = now + chrono::Duration::days(365);
            records::pin(self.txn, case, person, &pin_hash, jamie, now, expires).await?;
        }
        Ok(())
    }

    async fn person_named(&self, name: &str) -> Result<i32, SeedError> {
        people::Entity::find()
            .filter(people::Column::FullName.eq(name))
            .one(self.txn)
            .await?
            .map(|person| person.id)
            .ok_or_else(|| SeedError::Invalid(format!("demo person {name} is missing")))
    }

    async fn case_numbered(&self, number: &str) -> Result<i32, SeedError> {
        cases::Entity::find()
            .filter(cases::Column::CaseNumber.eq(number))
            .one(self.txn)
            .await?
            .map(|case| case.id)
            .ok_or_else(|| SeedError::Invalid(format!("demo case {number} is missing")))
    }

    async fn open_case(
        &mut self,
        number: &'static str,
        caseworker: i32,
        opened_on: NaiveDate,
        paying: i32,
        receiving: i32,
    ) -> Result<Case, SeedError> {
        let id = records::case(
            self.txn,
            NewCase {
                case_number: number,
                office: OFFICE,
                caseworker: Some(caseworker),
                opened_on,
                paying,
                receiving,
                never_assistance: true,
            },
        )
        .await?;
        Ok(Case { id, number })
    }

    async fn order(
        &mut self,
        case: &Case,
        source: &str,
        reference: &str,
        effective_on: NaiveDate,
        terms: &[Terms],
    ) -> Result<(), SeedError> {
        records::order(
            self.txn,
            NewOrder {
                case_id: case.id,
                source,
                reference,
                effective_on,
                ends_on: None,
                terms,
            },
        )
        .await?;
        Ok(())
    }

    /// Marcus pays $237.50 on the 1st and 15th straight from each paycheck;
    /// some arrive a day or three later (timing, not trouble).
    async fn on_time_withholding(&mut self, caseworker: i32) -> Result<(), SeedError> {
        let paying = records::person(self.txn, "Marcus Bell").await?;
        let receiving = records::person(self.txn, "Dana Bell").await?;
        let start = self.months_ago(72);
        let case = self
            .open_case(CASE_NUMBERS[0], caseworker, start, paying, receiving)
            .await?;
        let born = self.years_ago(9);
        records::child(self.txn, case.id, "Ava Bell", born, plus_years(born, 18)).await?;
        let semi_monthly = schedule(Frequency::SemiMonthly, 1)?;
        self.order(
            &case,
            "court",
            "FC-2020-0417",
            start,
            &[child_support(23_750, semi_monthly)],
        )
        .await?;
        let lags = [0, 1, 0, 2, 0, 0, 3, 1];
        for (n, due) in semi_monthly
            .due_dates(start, self.today)
            .into_iter()
            .enumerate()
        {
            let on = plus_days(due, lags[n % lags.len()]);
            self.receive(&case, PaymentSource::IncomeWithholding, usd(23_750), on)
                .await?;
        }
        Ok(())
    }

    /// Ray paid $520 a month in full for two years, then less and less: $300
    /// most months, nothing every fourth month, a check that bounced. Tax
    /// refunds are intercepted each spring (held 45 days, then released) and
    /// a bank garnishment brought in a lump. Arrears still grow.
    async fn growing_arrears(&mut self, caseworker: i32) -> Result<(), SeedError> {
        let paying = records::person(self.txn, "Ray Torres").await?;
        let receiving = records::person(self.txn, "Maria Lopez").await?;
        let start = self.months_ago(84);
        let case = self
            .open_case(CASE_NUMBERS[1], caseworker, start, paying, receiving)
            .await?;
        for (name, age) in [("Sofia Torres", 12), ("Mateo Torres", 8)] {
            let born = self.years_ago(age);
            records::child(self.txn, case.id, name, born, plus_years(born, 18)).await?;
        }
        let monthly = schedule(Frequency::Monthly, 1)?;
        self.order(
            &case,
            "court",
            "FC-2019-2931",
            start,
            &[child_support(52_000, monthly)],
        )
        .await?;
        for month in 0..84 {
            let first = plus_months(start, month);
            if month < 24 {
                self.receive(
                    &case,
                    PaymentSource::Direct,
                    usd(52_000),
                    plus_days(first, 4),
                )
                .await?;
            } else if month % 4 != 3 {
                let paid = self
                    .receive(
                        &case,
                        PaymentSource::Direct,
                        usd(30_000),
                        plus_days(first, 9),
                    )
                    .await?;
                if let (30, Some(id)) = (month, paid) {
                    self.entry(
                        &case,
                        EntryKind::Reversal { reverses: id },
                        Money::ZERO,
                        plus_days(first, 16),
                        Some("Check returned by the bank: insufficient funds"),
                    )
                    .await?;
                }
            }
            if month >= 36 && first.month() == 3 {
                let on = plus_days(first, 19);
                let amount = usd(115_000);
                let source = PaymentSource::TaxIntercept;
                if self
                    .entry(&case, EntryKind::Payment { source }, amount, on, None)
                    .await?
                    .is_some()
                {
                    self.entry(
                        &case,
                        EntryKind::Hold,
                        amount,
                        on,
                        Some("Joint tax return: held for the other filer's claim"),
                    )
                    .await?;
                    self.entry(&case, EntryKind::Release, amount, plus_days(on, 45), None)
                        .await?;
                    self.entry(
                        &case,
                        EntryKind::Disbursement,
                        amount,
                        plus_days(on, 46),
                        None,
                    )
                    .await?;
                }
            }
            if month == 50 {
                self.receive(
                    &case,
                    PaymentSource::Garnishment,
                    usd(187_500),
                    plus_days(first, 12),
                )
                .await?;
            }
        }
        Ok(())
    }

    /// Kevin paid $650 a month by withholding until he lost his job; half
    /// came from unemployment for six months; the agency then modified the
    /// order to $480 plus $50 a month toward what fell behind.
    async fn job_loss_and_modification(&mut self, caseworker: i32) -> Result<(), SeedError> {
        let paying = records::person(self.txn, "Kevin Walsh").await?;
        let receiving = records::person(self.txn, "Erin Walsh").await?;
        let start = self.months_ago(96);
        let case = self
            .open_case(CASE_NUMBERS[2], caseworker, start, paying, receiving)
            .await?;
        let born = self.years_ago(11);
        records::child(self.txn, case.id, "Liam Walsh", born, plus_years(born, 18)).await?;
        let monthly = schedule(Frequency::Monthly, 1)?;
        self.order(
            &case,
            "court",
            "FC-2018-1205",
            start,
            &[child_support(65_000, monthly)],
        )
        .await?;
        let modified = self.months_ago(30);
        self.order(
            &case,
            "agency",
            "ADM-MOD-2023-0881",
            modified,
            &[
                child_support(48_000, monthly),
                Terms {
                    kind: ObligationKind::ArrearsPayment,
                    amount: usd(5_000),
                    schedule: monthly,
                },
            ],
        )
        .await?;
        for month in 0..96 {
            let first = plus_months(start, month);
            let (source, cents) = match month {
                0..60 => (PaymentSource::IncomeWithholding, 65_000),
                60..66 => (PaymentSource::Unemployment, 32_500),
                _ if first < modified => continue,
                _ => (PaymentSource::IncomeWithholding, 53_000),
            };
            self.receive(&case, source, usd(cents), plus_days(first, 2))
                .await?;
        }
        Ok(())
    }

    /// $150 a week for two children until Noah turned 18; the order then
    /// stepped down to $95 a week for Emma.
    async fn older_child_emancipated(&mut self, caseworker: i32) -> Result<(), SeedError> {
        let paying = records::person(self.txn, "Daniel Price").await?;
        let receiving = records::person(self.txn, "Olivia Price").await?;
        let start = self.months_ago(120);
        let case = self
            .open_case(CASE_NUMBERS[3], caseworker, start, paying, receiving)
            .await?;
        let noah_born = plus_months(self.years_ago(19), 6);
        let noah_free = plus_years(noah_born, 18);
        let emma_born = self.years_ago(15);
        records::child(self.txn, case.id, "Noah Price", noah_born, noah_free).await?;
        records::child(
            self.txn,
            case.id,
            "Emma Price",
            emma_born,
            plus_years(emma_born, 18),
        )
        .await?;
        let fridays = schedule(Frequency::Weekly, 4)?;
        self.order(
            &case,
            "court",
            "FC-2016-0388",
            start,
            &[child_support(15_000, fridays)],
        )
        .await?;
        self.order(
            &case,
            "agency",
            "ADM-MOD-2025-0112",
            noah_free,
            &[child_support(9_500, fridays)],
        )
        .await?;
        for friday in fridays.due_dates(start, self.today) {
            let cents = if friday < noah_free { 15_000 } else { 9_500 };
            self.receive(&case, PaymentSource::IncomeWithholding, usd(cents), friday)
                .await?;
        }
        Ok(())
    }

    /// Jordan pays $300 a month for one child and receives $275 every other
    /// Friday for another.
    async fn one_parent_two_roles(&mut self, caseworker: i32) -> Result<(), SeedError> {
        let jordan = records::person(self.txn, "Jordan Ellis").await?;
        let priya = records::person(self.txn, "Priya Nair").await?;
        let sam = records::person(self.txn, "Sam Ortiz").await?;

        let start = self.months_ago(48);
        let pays = self
            .open_case(CASE_NUMBERS[4], caseworker, start, jordan, priya)
            .await?;
        let born = self.years_ago(7);
        records::child(self.txn, pays.id, "Kai Ellis", born, plus_years(born, 18)).await?;
        let on_the_15th = schedule(Frequency::Monthly, 15)?;
        self.order(
            &pays,
            "court",
            "FC-2021-5560",
            start,
            &[child_support(30_000, on_the_15th)],
        )
        .await?;
        for (n, due) in on_the_15th
            .due_dates(start, self.today)
            .into_iter()
            .enumerate()
        {
            let late = if n % 6 == 5 { 12 } else { 0 };
            self.receive(
                &pays,
                PaymentSource::Direct,
                usd(30_000),
                plus_days(due, late),
            )
            .await?;
        }

        let start = self.months_ago(36);
        let receives = self
            .open_case(CASE_NUMBERS[5], caseworker, start, sam, jordan)
            .await?;
        let born = self.years_ago(5);
        records::child(
            self.txn,
            receives.id,
            "Rosa Ortiz",
            born,
            plus_years(born, 18),
        )
        .await?;
        let every_other_friday = schedule(Frequency::BiWeekly, 4)?;
        self.order(
            &receives,
            "court",
            "FC-2022-6013",
            start,
            &[child_support(27_500, every_other_friday)],
        )
        .await?;
        let fridays = every_other_friday.due_dates(start, self.today);
        let latest = fridays.last().copied();
        for friday in fridays {
            if Some(friday) != latest {
                self.receive(
                    &receives,
                    PaymentSource::IncomeWithholding,
                    usd(27_500),
                    friday,
                )
                .await?;
                continue;
            }
            // The latest payment waits: mail to Jordan came back.
            let source = PaymentSource::IncomeWithholding;
            if self
                .entry(
                    &receives,
                    EntryKind::Payment { source },
                    usd(27_500),
                    friday,
                    None,
                )
                .await?
                .is_some()
            {
                self.entry(
                    &receives,
                    EntryKind::Hold,
                    usd(27_500),
                    friday,
                    Some(HOLD_REASON),
                )
                .await?;
            }
        }
        Ok(())
    }

    /// Opened ten months ago; the first withholding took three months to
    /// start, so there is a little past-due support from the start.
    async fn not_yet_activated(&mut self, caseworker: i32) -> Result<(), SeedError> {
        let paying = records::person(self.txn, "Chris Young").await?;
        let receiving = records::person(self.txn, "Taylor Brooks").await?;
        let start = self.months_ago(10);
        let case = self
            .open_case(CASE_NUMBERS[6], caseworker, start, paying, receiving)
            .await?;
        let born = self.years_ago(3);
        records::child(self.txn, case.id, "Jamie Young", born, plus_years(born, 18)).await?;
        let monthly = schedule(Frequency::Monthly, 1)?;
        self.order(
            &case,
            "agency",
            "ADM-2025-7741",
            start,
            &[child_support(41_000, monthly)],
        )
        .await?;
        for month in 3..10 {
            let on = plus_days(plus_months(start, month), 3);
            self.receive(&case, PaymentSource::IncomeWithholding, usd(41_000), on)
                .await?;
        }
        Ok(())
    }
}

struct Case {
    id: i32,
    number: &'static str,
}
