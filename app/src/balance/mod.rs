//! A parent's view of a case (the full dashboard grows here).

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
