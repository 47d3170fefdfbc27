//! Requests a parent makes of the agency — a payment plan toward past-due
//! support, or a change of support (a review of the order) — and how the
//! agency answers them. Each rides on a conversation (`messages`), which
//! carries the talk and the documents; an approval or a decision is new
//! order terms (`caseworker`'s order form), stored with it.

pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
