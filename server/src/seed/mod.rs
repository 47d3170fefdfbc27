//! Data for trying and measuring the portal: `server seed --demo` writes a
//! handful of cases that tell real stories; `server seed --cases N` writes a
//! large random caseload. Neither runs against a production configuration.

pub mod caseload;
pub mod demo;
pub mod records;

use sea_orm::DbErr;
use thiserror::Error;

use app::server::ledger::{PostingError, StoreError};

#[derive(Debug, Error)]
pub enum SeedError {
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("posting demo entry {key}: {source}")]
    Posting { key: String, source: PostingError },
    #[error("the configuration says production: demo and generated data are refused")]
    Production,
    #[error("{0}")]
    Invalid(String),
}
