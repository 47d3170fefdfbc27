//! People, cases and accounts a test puts on record, as the seed data does.
//! Cases are in "Test office" and not marked as never on public assistance
//! (so no yearly service fee is kept).

use app::reader::AccountRole;
use chrono::{NaiveDate, Utc};
use sea_orm::DatabaseConnection;
use server::seed::records::{self, NewCase};

pub async fn person(db: &DatabaseConnection, name: &str) -> i32 {
    records::person(db, name)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The paying and the receiving parent of a case.
pub type Parents = (i32, i32);

/// A case opened on `opened_on` between `parents`; its id.
pub async fn case(
    db: &DatabaseConnection,
    number: &str,
    caseworker: Option<i32>,
    opened_on: NaiveDate,
    (paying, receiving): Parents,
) -> i32 {
    let new = NewCase {
        case_number: number,
        office: "Test office",
        caseworker,
        opened_on,
        paying,
        receiving,
        never_assistance: false,
    };
    records::case(db, new)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A parent's account, signed in with `email` and `password`.
pub async fn parent_account(db: &DatabaseConnection, person: i32, email: &str, password: &str) {
    let hash = app::server::secret::hash_blocking(password).unwrap_or_else(|e| panic!("{e}"));
    records::account(db, person, email, &hash, AccountRole::Parent, Utc::now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}
