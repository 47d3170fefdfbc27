//! The notification centre: what a person should know since they last
//! looked — a payment received, money sent, a reply, a request that moved —
//! written in the same transaction as the event, shown once, and e-mailed
//! through an outbox (`server::outbox` sends it) when e-mail is on.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
pub mod text;
