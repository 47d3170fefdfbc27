use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::title::PageTitle;
use crate::i18n::*;

/// Shown for any address the portal does not know, with HTTP status 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();

    view! {
        <PageTitle text=move || t_string!(i18n, not_found.title).to_string() />
        <section class="page narrow">
            <h1>{t!(i18n, not_found.title)}</h1>
            <p>{t!(i18n, not_found.body)}</p>
            <p>
                <A href="/">{t!(i18n, not_found.home_link)}</A>
            </p>
        </section>
    }
}
