//! A parent's view of a case (the full dashboard grows here).

pub mod api;
pub mod pages;
