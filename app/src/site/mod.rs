//! Public pages of the site that belong to no single area.

mod home;
mod not_found;

pub use home::HomePage;
pub use not_found::NotFound;
