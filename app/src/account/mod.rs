//! Accounts: activating with a PIN, signing in and out, who is signed in.

pub mod api;
pub mod language;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod second_factor;
#[cfg(feature = "ssr")]
pub mod service;
