//! After the router shows another page, focus goes to its heading, so a
//! screen reader announces the new page and the next Tab starts there (a
//! page loaded whole starts at the top by itself). Filters and pages of a
//! list change only the query: focus stays where the reader is.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast;

/// How often, and how long, to look for the new page's heading: it appears
/// once the page's data has arrived.
const LOOK_EVERY: Duration = Duration::from_millis(50);
const LOOK_TRIES: u32 = 100;

#[component]
pub fn FocusHeadingOnNavigate() -> impl IntoView {
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|previous| previous != path) {
            focus_new_heading(heading(), LOOK_TRIES);
        }
        path
    });
}

fn heading() -> Option<web_sys::HtmlElement> {
    document()
        .query_selector("main h1")
        .ok()
        .flatten()
        .and_then(|element| element.dyn_into().ok())
}

/// Focuses the first `main h1` that is not `old` (the previous page's).
fn focus_new_heading(old: Option<web_sys::HtmlElement>, tries: u32) {
    let new = heading().filter(|found| {
        old.as_ref()
            .is_none_or(|old| !old.is_same_node(Some(found)) || !old.is_connected())
    });
    match new {
        Some(found) => {
            if !found.has_attribute("tabindex") {
                let _ = found.set_attribute("tabindex", "-1");
            }
            let _ = found.focus();
        }
        None if tries > 0 => {
            set_timeout(move || focus_new_heading(old, tries - 1), LOOK_EVERY);
        }
        None => {}
    }
}
