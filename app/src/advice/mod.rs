//! Advice: plain-language articles on what to do in common situations, a
//! glossary of the words the portal uses, and one search box over both.
//! Articles come from `app/content/` (Markdown with TOML front matter) and
//! live in the database, where supervisors edit and publish them.

pub mod api;
pub mod check_page;
#[cfg(feature = "ssr")]
pub mod content;
pub mod edit_pages;
pub mod editing;
#[cfg(feature = "ssr")]
pub mod editor;
pub mod eligibility;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod render;
#[cfg(feature = "ssr")]
pub mod search;
#[cfg(feature = "ssr")]
pub mod service;
