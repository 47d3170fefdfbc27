//! What caseworkers do on a case: issue PINs, read its audit log (the pages
//! come with the case view).

pub mod api;
