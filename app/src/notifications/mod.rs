//! The notification centre: what a person should know since they last
//! looked — a payment received, money sent, a reply, a request that moved.
//! Areas write them with `server::notices` in the event's transaction; here
//! they are listed, once new, to their person only.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
