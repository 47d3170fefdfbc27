//! `/offline`: what the installed app shows for a page it never kept, when
//! there is no network. Kept with the app shell (signed out, so it holds
//! nothing of anyone's).

use leptos::prelude::*;

use crate::components::title::PageTitle;
use crate::config::Agency;
use crate::i18n::*;

#[component]
pub fn OfflinePage() -> impl IntoView {
    let i18n = use_i18n();
    let agency = use_context::<Agency>().unwrap_or_default();
    // Plain links: offline, only a whole page load can reach what was kept.
    view! {
        <PageTitle text=move || t_string!(i18n, offline.page_title).to_string() />
        <section class="page">
            <h1>{t!(i18n, offline.page_title)}</h1>
            <p class="lead">{t!(i18n, offline.page_intro)}</p>
            <ul>
                <li><a href="/dashboard">{t!(i18n, offline.page_overview)}</a></li>
                <li><a href="/advice">{t!(i18n, offline.page_advice)}</a></li>
            </ul>
            <p>
                {t!(i18n, offline.page_call)} " "
                <a href=format!("tel:{}", agency.phone)>{agency.phone.clone()}</a>
            </p>
        </section>
    }
}
