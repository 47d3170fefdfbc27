//! Shared UI used by every area of the portal.

pub mod form;
pub mod layout;
pub mod page;
pub mod pager;
pub mod quick_exit;
pub mod term;
pub mod text;
pub mod title;
