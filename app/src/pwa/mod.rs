//! The portal as an installed app: the service worker is registered here,
//! a waiting new version is offered, and a page the service worker served
//! from the device says so ("offline — as of …") and holds its actions.
//! The service worker itself is `public/sw.js`; the manifest is made by the
//! server from its configuration (`server/src/pwa.rs`).

mod offline;
mod page;
mod worker;

pub use offline::OfflineNotice;
pub use page::OfflinePage;
pub use worker::{KeepFirstPage, UpdatePrompt};

/// The app's colour (the phone's title bar), as in the manifest.
pub const THEME_COLOUR: &str = "#1d4f91";
