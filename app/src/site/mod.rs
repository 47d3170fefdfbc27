//! Public pages of the site that belong to no single area.

mod home;
mod not_found;
#[cfg(feature = "ssr")]
mod unavailable;

pub use home::HomePage;
pub use not_found::NotFound;
#[cfg(feature = "ssr")]
pub use unavailable::unavailable_document;
