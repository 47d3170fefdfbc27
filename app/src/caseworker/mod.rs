//! The caseworker's workspace: the caseload, a case's file with its people,
//! ledger, conversations and audit log, and the actions that change a case —
//! postings and new order terms, each reviewed before it is stored — and
//! PINs.

pub mod api;
pub mod case_file_page;
pub mod caseload_page;
pub mod model;
pub mod posting_page;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
