//! The supervisors' desk: who works at the agency (staff accounts: added,
//! given another role, unlocked, switched off) and who works which case
//! (a case given to another caseworker). Every change is audited.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
