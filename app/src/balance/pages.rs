//! A signed-in person's cases, and one case (plain for now: the balance,
//! history and chart come with the dashboard).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::{use_location, use_params_map};

use super::api::{case_overview, overview};
use super::model::{CaseCard, Overview};
use crate::account::model::CaseRole;
use crate::error::AppError;
use crate::i18n::*;
use crate::ledger::PaymentSource;
use leptos_i18n::I18nContext;

#[component]
pub fn MyCasesPage() -> impl IntoView {
    let i18n = use_i18n();
    let overview = Resource::new(|| (), |_| overview());
    view! {
        <Title text=move || t_string!(i18n, cases.my_cases_title).to_string() />
        <section class="page">
            <h1>{t!(i18n, cases.my_cases_title)}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(overview) => view! { <OverviewView overview /> }.into_any(),
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
fn OverviewView(overview: Overview) -> impl IntoView {
    let i18n = use_i18n();
    if overview.cards.is_empty() && overview.staff_cases.is_empty() {
        return view! { <p>{t!(i18n, cases.none)}</p> }.into_any();
    }
    let as_of = overview.as_of.clone();
    view! {
        <p>{t!(i18n, cases.my_cases_intro)}</p>
        <div class="cards">
            {overview.cards.into_iter().map(|card| view! { <CaseCardView card /> }).collect_view()}
        </div>
        {(!overview.staff_cases.is_empty()).then(|| view! {
            <ul class="case-list">
                {overview.staff_cases.into_iter().map(|case| view! {
                    <li>
                        <A href=format!("/cases/{}", case.case_number)>{case.case_number.clone()}</A>
                        " · "
                        {move || role_text(i18n, case.role)}
                    </li>
                }).collect_view()}
            </ul>
        })}
        <p class="as-of">{t!(i18n, balance.as_of)} " " {as_of}</p>
    }
    .into_any()
}

#[component]
fn CaseCardView(card: CaseCard) -> impl IntoView {
    let i18n = use_i18n();
    let paying = card.role == CaseRole::PayingParent;
    let past_due = card.past_due_timing + card.past_due_overdue;
    let timing = card.past_due_timing;
    let heading_id = format!("case-{}", card.case_number);
    let labelled_by = heading_id.clone();
    view! {
        <article class="card" aria-labelledby=labelled_by>
            <h2 id=heading_id>
                <A href=format!("/cases/{}", card.case_number)>{card.case_number.clone()}</A>
            </h2>
            <p class="card-role">{move || role_text(i18n, card.role)}</p>
            <dl class="facts">
                <dt>
                    {move || if paying {
                        t_string!(i18n, balance.owed_paying)
                    } else {
                        t_string!(i18n, balance.owed_receiving)
                    }}
                </dt>
                <dd class="amount">{card.owed.to_string()}</dd>
                <dt>{t!(i18n, balance.past_due)}</dt>
                <dd class="amount">
                    {past_due.to_string()}
                    {timing.is_positive().then(|| view! {
                        <span class="note">
                            " — " {t!(i18n, balance.timing_note)} " " {timing.to_string()}
                        </span>
                    })}
                </dd>
                {card.credit.is_positive().then(|| view! {
                    <dt>{t!(i18n, balance.credit)}</dt>
                    <dd class="amount">{card.credit.to_string()}</dd>
                })}
                <dt>{t!(i18n, balance.last_payment)}</dt>
                <dd>
                    {match card.last_payment {
                        Some(payment) => view! {
                            {payment.amount.to_string()} " · " {payment.on.to_string()} " · "
                            {move || source_text(i18n, payment.source)}
                        }.into_any(),
                        None => view! { {t!(i18n, balance.no_payment)} }.into_any(),
                    }}
                </dd>
            </dl>
        </article>
    }
}

fn source_text(i18n: I18nContext<Locale>, source: PaymentSource) -> &'static str {
    match source {
        PaymentSource::IncomeWithholding => t_string!(i18n, balance.source_income_withholding),
        PaymentSource::Direct => t_string!(i18n, balance.source_direct),
        PaymentSource::TaxIntercept => t_string!(i18n, balance.source_tax_intercept),
        PaymentSource::LumpSum => t_string!(i18n, balance.source_lump_sum),
        PaymentSource::Garnishment => t_string!(i18n, balance.source_garnishment),
        PaymentSource::Unemployment => t_string!(i18n, balance.source_unemployment),
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
