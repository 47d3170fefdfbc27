//! A word the portal uses, linked to its plain-language definition in the
//! glossary, so nobody has to guess what "arrears" or "disbursement" means.

use leptos::prelude::*;
use leptos_router::components::A;

/// `children`, linked to the glossary's entry `slug` (a slug in
/// `app/content/glossary.toml`).
#[component]
pub fn GlossaryTerm(slug: &'static str, children: Children) -> impl IntoView {
    view! {
        <A href=format!("/advice/glossary#{slug}") attr:class="term">{children()}</A>
    }
}
