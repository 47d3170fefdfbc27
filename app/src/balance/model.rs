//! What the dashboard and the case page show, as both sides see it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::history::{Filter, HistoryLine, Totals};
use crate::account::model::CaseLink;
use crate::ledger::{
    Explained, Frequency, Money, Month, NextDue, ObligationKind, PaymentSource, Position, Schedule,
};
use crate::reader::CaseRole;

/// A signed-in person's overview: a card per case they are a parent on;
/// staff get their list of cases instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    /// When the numbers were read, in the agency's time zone.
    pub as_of: chrono::NaiveDateTime,
    pub cards: Vec<CaseCard>,
    pub staff_cases: Vec<CaseLink>,
}

/// Where one case stands today, for one of its parents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseCard {
    pub case_number: String,
    pub role: CaseRole,
    /// Owed by the paying parent (zero when paid ahead).
    pub owed: Money,
    /// Past-due support due within the grace days: most likely money in transit.
    pub past_due_timing: Money,
    /// Past-due support older than that: arrears.
    pub past_due_overdue: Money,
    /// Paid ahead: pays the next charges as they fall due.
    pub credit: Money,
    /// Of what is past due, interest (where the agency charges it).
    pub interest: Money,
    /// The agency's annual interest rate on past-due support, if any.
    pub interest_rate: Option<rust_decimal::Decimal>,
    pub last_payment: Option<Payment>,
    /// What the order in force says, per period (empty when none is).
    pub terms: Vec<Term>,
    pub next_due: Option<NextDue>,
    /// Money on its way to the receiving parent: for them (and staff) only.
    pub to_receiver: Option<ReceiverMoney>,
    /// The agency's yearly service fee, on a never-assistance case.
    pub service_fee: Option<FeeTerms>,
}

/// The yearly service fee as a card says it (`crate::ledger::fee`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeTerms {
    pub amount: Money,
    /// Sent on in a federal fiscal year before it is kept.
    pub threshold: Money,
    /// The federal fiscal year of today (October to September).
    pub fiscal_year: i32,
    pub kept_this_year: Money,
}

impl CaseCard {
    pub fn past_due(&self) -> Money {
        self.past_due_timing + self.past_due_overdue
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub on: NaiveDate,
    pub amount: Money,
    pub source: PaymentSource,
}

/// One obligation of an order: `amount` of `kind`, due `frequency`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub kind: ObligationKind,
    pub amount: Money,
    pub frequency: Frequency,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiverMoney {
    pub last_sent: Option<(NaiveDate, Money)>,
    pub sent_this_year: Money,
    pub on_hold: Vec<HeldMoney>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldMoney {
    pub since: NaiveDate,
    pub amount: Money,
    /// Why, as the caseworker wrote it when holding it.
    pub reason: Option<String>,
}

/// Whether the agency still works a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaseStatus {
    Open,
    Closed,
}

impl CaseStatus {
    /// The status as stored; `None` for anything else.
    pub fn parse(stored: &str) -> Option<Self> {
        match stored {
            "open" => Some(CaseStatus::Open),
            "closed" => Some(CaseStatus::Closed),
            _ => None,
        }
    }
}

/// The case page: the card, and what the case is made of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseView {
    pub as_of: chrono::NaiveDateTime,
    pub card: CaseCard,
    pub office: String,
    pub status: CaseStatus,
    pub opened_on: NaiveDate,
    /// Oldest first. Names and ages only: never where anyone lives.
    pub children: Vec<Child>,
    /// Newest first; the one in force is marked.
    pub orders: Vec<OrderView>,
    /// The assigned caseworker's name (the agency's line and hours come from
    /// the configuration every page has).
    pub caseworker: Option<String>,
    /// Present when support is past due.
    pub past_due: Option<PastDuePanel>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Child {
    pub name: String,
    pub age: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    /// `court` or `agency`.
    pub source: String,
    pub reference: String,
    pub effective_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub terms: Vec<Term>,
    pub in_force: bool,
}

/// What past-due support can lead to, with the case's own numbers, and what
/// the payoff planner starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastDuePanel {
    pub past_due: Money,
    /// Days since the oldest support still unpaid fell due.
    pub days_behind: i64,
    pub tax_intercept_threshold: Money,
    pub passport_threshold: Money,
    pub license_days_behind: u32,
    /// `None` when no order is in force to pay on (the case has ended).
    pub planner: Option<PlannerBasis>,
}

impl PastDuePanel {
    pub fn tax_intercept(&self) -> bool {
        self.past_due > self.tax_intercept_threshold
    }

    pub fn passport(&self) -> bool {
        self.past_due > self.passport_threshold
    }

    pub fn license(&self) -> bool {
        self.days_behind >= i64::from(self.license_days_behind)
    }
}

/// Everything the payoff planner needs to run in the browser. Only support
/// due on the main obligation's schedule counts per period: amounts due on
/// another schedule are never added into one figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannerBasis {
    /// Support due each period under the order in force.
    pub current: Money,
    pub schedule: Schedule,
    /// The day the obligation's series of due dates began (the order's
    /// effective date): every-other-week plans keep its phase.
    pub series_start: NaiveDate,
    /// The plan's payments start with the first due date after this day.
    pub from: NaiveDate,
    /// What the order already asks on top, toward past-due support.
    pub ordered_extra: Money,
}

/// A statement for a range, to print or download.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintStatement {
    pub case_number: String,
    pub office: String,
    /// The parents on the case and their roles.
    pub parties: Vec<(CaseRole, String)>,
    pub filter: Filter,
    pub opening: Position,
    pub closing: Position,
    pub totals: Totals,
    /// Oldest first.
    pub lines: Vec<HistoryLine>,
    pub as_of: chrono::NaiveDateTime,
}

/// Month by month over a range: what fell due, what came in, where the
/// balance closed (the chart and its table), and each entry explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeline {
    pub case_number: String,
    pub role: CaseRole,
    pub filter: Filter,
    pub opening: Position,
    pub months: Vec<Month>,
    /// Oldest first.
    pub explained: Vec<Explained>,
    pub grace_days: u32,
    pub as_of: chrono::NaiveDateTime,
}
