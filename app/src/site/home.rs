use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::title::PageTitle;
use crate::config::Agency;
use crate::i18n::*;

/// The front door: what the portal does, in plain words.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let agency = use_context::<Agency>().unwrap_or_default();

    view! {
        <PageTitle text=move || t_string!(i18n, home.title).to_string() />
        <section class="page">
            <h1>{t!(i18n, home.title)}</h1>
            <p class="lead">{t!(i18n, home.intro)}</p>
            <h2>{t!(i18n, home.what_you_can_do)}</h2>
            <ul class="feature-list">
                <li>{t!(i18n, home.see_balance)}</li>
                <li>{t!(i18n, home.see_history)}</li>
                <li>{t!(i18n, home.message_caseworker)}</li>
                <li>{t!(i18n, home.request_change)}</li>
            </ul>
            <h2 id="answers-heading">{t!(i18n, home.advice_heading)}</h2>
            <ul class="questions" aria-labelledby="answers-heading">
                <li><A href="/advice/change-of-support">{t!(i18n, home.q_change)}</A></li>
                <li><A href="/advice/documents">{t!(i18n, home.q_documents)}</A></li>
                <li><A href="/advice/missing-payments">{t!(i18n, home.q_missing)}</A></li>
                <li><A href="/advice/unpaid-support">{t!(i18n, home.q_unpaid)}</A></li>
            </ul>
            <p><A href="/advice">{t!(i18n, home.all_advice)}</A></p>
            <h2>{t!(i18n, home.getting_started)}</h2>
            <p>{t!(i18n, home.pin_explained)}</p>
            <p>
                {t!(i18n, home.call_us)} " "
                <a href=format!("tel:{}", agency.phone)>{agency.phone.clone()}</a>
            </p>
        </section>
    }
}
