//! A case as a parent or caseworker opens it: the overview cards, the case
//! page, its history, month by month, the printable statement.

pub mod api;
#[cfg(feature = "ssr")]
pub mod basis;
pub mod case_page;
pub mod chart;
pub mod history;
pub mod history_page;
pub mod history_text;
pub mod model;
pub mod months_page;
pub mod pages;
pub mod planner;
#[cfg(feature = "ssr")]
pub mod service;
pub mod statement_page;
#[cfg(feature = "ssr")]
pub mod worked;
