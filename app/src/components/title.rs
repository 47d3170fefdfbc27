//! The page's `<title>`.

use leptos::prelude::*;
use leptos_meta::Title;

/// Sets the page's title; in the browser it follows its signals (language, route).
///
/// On the server the text is worked out while the page renders. leptos_meta reads a
/// reactive title only after rendering, outside the request's reactive arena, so
/// under concurrent requests it read whichever request last ran on that thread:
/// another person's case number or language, or a panic that dropped the response
/// (found by the load benchmark, pinned by a test in `server/tests/pages.rs`).
#[component]
pub fn PageTitle<F>(text: F) -> impl IntoView
where
    F: Fn() -> String + Send + Sync + 'static,
{
    #[cfg(feature = "ssr")]
    let text = text();
    view! { <Title text /> }
}
