//! A signed-in person's cases, and one case (plain for now: the balance,
//! history and chart come with the dashboard).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::{use_location, use_params_map};

use super::api::case_overview;
use crate::account::api::my_cases;
use crate::account::model::CaseRole;
use crate::error::AppError;
use crate::i18n::*;
use leptos_i18n::I18nContext;

#[component]
pub fn MyCasesPage() -> impl IntoView {
    let i18n = use_i18n();
    let cases = Resource::new(|| (), |_| my_cases());
    view! {
        <Title text=move || t_string!(i18n, cases.my_cases_title).to_string() />
        <section class="page">
            <h1>{t!(i18n, cases.my_cases_title)}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    match cases.await {
                        Ok(list) if list.is_empty() => view! { <p>{t!(i18n, cases.none)}</p> }.into_any(),
                        Ok(list) => view! {
                            <p>{t!(i18n, cases.my_cases_intro)}</p>
                            <ul class="case-list">
                                {list.into_iter().map(|case| view! {
                                    <li>
                                        <A href=format!("/cases/{}", case.case_number)>{case.case_number.clone()}</A>
                                        " · "
                                        {move || role_text(i18n, case.role)}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => refusal(error).into_any(),
                    }
                })}
            </Suspense>
            <p class="aside">
                <A href="/account/security">{t!(i18n, security.link)}</A>
            </p>
        </section>
    }
}

#[component]
pub fn CasePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let number = move || params.with(|p| p.get("number").unwrap_or_default());
    let overview = Resource::new(number, case_overview);
    view! {
        <Title text=move || format!("{} {}", t_string!(i18n, cases.case_title), number()) />
        <section class="page">
            <Suspense>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(case) => view! {
                            <h1>{t!(i18n, cases.case_title)} " " {case.case_number.clone()}</h1>
                            <dl class="facts">
                                <dt>{t!(i18n, cases.your_role)}</dt>
                                <dd>{move || role_text(i18n, case.role)}</dd>
                                <dt>{t!(i18n, cases.office)}</dt>
                                <dd>{case.office.clone()}</dd>
                                <dt>{t!(i18n, cases.status)}</dt>
                                <dd>{move || status_text(i18n, &case.status)}</dd>
                                <dt>{t!(i18n, cases.children)}</dt>
                                <dd>{case.children.join(", ")}</dd>
                            </dl>
                        }.into_any(),
                        Err(error) => refusal(error).into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// What a page shows instead of its content when the server said no:
/// anonymous people go to sign in (and come back), others see why.
pub fn refusal(error: AppError) -> impl IntoView {
    match error {
        AppError::SignInRequired => {
            let here = use_location().pathname.get_untracked();
            let path = format!(
                "/login?next={}",
                leptos_router::location::Url::escape(&here)
            );
            view! { <Redirect path /> }.into_any()
        }
        AppError::SecondFactorSetupRequired => {
            view! { <Redirect path="/account/security" /> }.into_any()
        }
        AppError::Forbidden | AppError::NotFound => view! { <Forbidden /> }.into_any(),
        _ => view! { <crate::components::layout::ErrorText /> }.into_any(),
    }
}

/// Shown, with HTTP status 403, for a page that is not the reader's to see.
#[component]
pub fn Forbidden() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::FORBIDDEN);
    }
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, cases.forbidden_title)}</h1>
        <p>{t!(i18n, cases.forbidden_body)}</p>
    }
}

pub fn role_text(i18n: I18nContext<Locale>, role: CaseRole) -> &'static str {
    match role {
        CaseRole::PayingParent => t_string!(i18n, cases.role_paying_parent),
        CaseRole::ReceivingParent => t_string!(i18n, cases.role_receiving_parent),
        CaseRole::AssignedCaseworker => t_string!(i18n, cases.role_assigned_caseworker),
        CaseRole::Supervisor => t_string!(i18n, cases.role_supervisor),
    }
}

/// A case's status as stored (`open` / `closed`), in the reader's language.
fn status_text(i18n: I18nContext<Locale>, status: &str) -> &'static str {
    match status {
        "closed" => t_string!(i18n, cases.status_closed),
        _ => t_string!(i18n, cases.status_open),
    }
}
