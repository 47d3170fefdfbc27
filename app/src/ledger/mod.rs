//! The case ledger: exact money, due dates, and how payments pay what is owed.
//!
//! Pure domain code: no I/O, no Leptos, compiles to wasm so the browser can run
//! the same rules (the payoff planner). The server stores entries; this module
//! says what they mean. Rules are documented where they live:
//! rounding in [`money`], due dates in [`schedule`], allocation in [`allocation`].

pub mod accrual;
pub mod allocation;
#[cfg(test)]
pub(crate) mod arbitrary;
pub mod entry;
pub mod explain;
pub mod fee;
pub mod interest;
pub mod money;
pub mod projection;
pub mod receiver;
pub mod rules;
pub mod schedule;
pub mod statement;
#[cfg(test)]
pub(crate) mod testing;
pub mod verify;
mod walk;
pub mod wording;

pub use accrual::{charges_due, in_force, next_due, Due, NextDue};
pub use allocation::{Allocation, Application, Bucket, Credit, Debt, PastDue};
pub use entry::{post, Entry, EntryKind, ObligationKind, PaymentSource, Posted};
pub use explain::{explain, Explained, Outcome, Reason, Reversed};
pub use fee::ServiceFee;
pub use money::{Money, MoneyError};
pub use projection::{payoff, Payoff, PayoffError};
pub use receiver::{to_receiver, Held, ToReceiver};
pub use schedule::{Frequency, Schedule, ScheduleError};
pub use statement::{Line, Month, ObligationTotal, Position, Statement};
pub use wording::Language;
