//! A case's front page (`/cases/{number}`): where it stands, the order and
//! its history, the children, who to call, and — when support is past due —
//! what can happen and the way out.

use leptos::prelude::*;
use leptos_router::components::A;

use super::api::case_overview;
use super::model::{CaseView, Child, OrderView, PastDuePanel};
use super::pages::{status_text, CaseCardView, CaseTabs, Terms};
use super::planner::PayoffPlanner;
use crate::components::page::{case_number_param, AsOf, Load};
use crate::components::text;
use crate::components::title::PageTitle;
use crate::config::Agency;
use crate::i18n::*;
use crate::reader::CaseRole;

/// The case's requests on its page, drawn by the requests area (the shell
/// gives it): from the case number and the reader's role on the case. It is
/// only drawn once the case itself let the reader in.
pub type RequestsSection = fn(String, CaseRole) -> AnyView;

#[component]
pub fn CasePage(requests: RequestsSection) -> impl IntoView {
    let i18n = use_i18n();
    let number = case_number_param();
    let case = Resource::new(move || number.get(), case_overview);
    view! {
        <PageTitle text=move || format!("{} {}", t_string!(i18n, cases.case_title), number.get()) />
        <section class="page wide">
            <Load resource=case let:case>
                <CaseOverview case requests />
            </Load>
        </section>
    }
}

#[component]
fn CaseOverview(case: CaseView, requests: RequestsSection) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let role = case.card.role;
    let number = case.card.case_number.clone();
    let opened_on = case.opened_on;
    view! {
        <h1>{t!(i18n, cases.case_title)} " " {number.clone()}</h1>
        <CaseTabs case_number=number.clone() />
        <div class="case-grid">
            <CaseCardView card=case.card.clone() heading=false />
            <CaseworkerCard name=case.caseworker.clone() />
        </div>
        {case.past_due.clone().map(|panel| {
            let case_number = number.clone();
            view! { <PastDue panel role case_number /> }
        })}
        <h2>{t!(i18n, case.order_heading)}</h2>
        <Orders orders=case.orders.clone() />
        {requests(number.clone(), role)}
        <h2>{t!(i18n, cases.children)}</h2>
        <Children children=case.children.clone() />
        <h2>{t!(i18n, case.about_heading)}</h2>
        <dl class="facts">
            <dt>{t!(i18n, cases.office)}</dt>
            <dd>{case.office.clone()}</dd>
            <dt>{t!(i18n, cases.status)}</dt>
            <dd>{status_text(i18n, case.status)}</dd>
            <dt>{t!(i18n, case.opened)}</dt>
            <dd>{text::date(locale(), opened_on)}</dd>
        </dl>
        <AsOf as_of=case.as_of />
    }
    .into_any()
}

/// Who to call: the assigned caseworker, on the agency's line and hours.
#[component]
fn CaseworkerCard(name: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let agency = use_context::<Agency>().unwrap_or_default();
    let phone_link = format!("tel:{}", agency.phone.replace(' ', ""));
    let hours = agency.hours.clone();
    view! {
        <aside class="card contact-card" aria-labelledby="caseworker-heading">
            <h2 id="caseworker-heading">{t!(i18n, case.caseworker_heading)}</h2>
            <p class="contact-name">
                {match name {
                    Some(name) => name.into_any(),
                    None => t!(i18n, case.no_caseworker).into_any(),
                }}
            </p>
            <dl class="facts">
                <dt>{t!(i18n, layout.phone)}</dt>
                <dd><a href=phone_link>{agency.phone.clone()}</a></dd>
                <dt>{t!(i18n, layout.hours)}</dt>
                <dd>{move || hours.get(i18n.get_locale()).to_owned()}</dd>
            </dl>
            <p><A href="/messages#new-message">{t!(i18n, case.write_link)}</A></p>
        </aside>
    }
    .into_any()
}

/// Every order of the case, the one in force first and marked.
#[component]
pub fn Orders(orders: Vec<OrderView>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    if orders.is_empty() {
        return view! { <p>{t!(i18n, case.no_order)}</p> }.into_any();
    }
    view! {
        <ol class="orders">
            {orders.into_iter().map(|order| {
                let source = order.source.clone();
                view! {
                    <li class="order" class:in-force=order.in_force>
                        <p class="order-heading">
                            {order.in_force.then(|| view! {
                                <strong class="badge">{t!(i18n, case.in_force)}</strong> " "
                            })}
                            {t!(i18n, case.effective)} " " {text::date(locale(), order.effective_on)}
                            {order.ends_on.map(|end| view! {
                                " · " {t!(i18n, case.ends)} " " {text::date(locale(), end)}
                            })}
                        </p>
                        <Terms terms=order.terms />
                        <p class="note">
                            {move || if source == "court" {
                                t_string!(i18n, case.source_court)
                            } else {
                                t_string!(i18n, case.source_agency)
                            }}
                            " · " {order.reference.clone()}
                        </p>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

#[component]
pub fn Children(children: Vec<Child>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="children">
            {children.into_iter().map(|child| view! {
                <li>
                    {child.name} " · "
                    {t!(i18n, case.age, age = move || child.age)}
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// What past-due support can lead to, with the case's own numbers, and the
/// payoff planner for whoever can act on it.
#[component]
fn PastDue(panel: PastDuePanel, role: CaseRole, case_number: String) -> impl IntoView {
    let i18n = use_i18n();
    // The planner and "what can happen to you" are for the paying parent.
    let paying = role == CaseRole::PayingParent;
    let past_due = panel.past_due.to_string();
    let tax_threshold = panel.tax_intercept_threshold.to_string();
    let passport_threshold = panel.passport_threshold.to_string();
    let license_days = panel.license_days_behind;
    let behind = panel.days_behind;
    let planner = panel.planner.filter(|_| paying);
    let past_due_amount = panel.past_due;
    view! {
        <section class="past-due" aria-labelledby="past-due-heading">
            <h2 id="past-due-heading">{t!(i18n, enforcement.heading)}</h2>
            <p>
                {t!(i18n, enforcement.summary, amount = {
                    let past_due = past_due.clone();
                    move || past_due.clone()
                }, days = move || behind)}
            </p>
            <p>
                {move || if paying {
                    t_string!(i18n, enforcement.intro_paying)
                } else {
                    t_string!(i18n, enforcement.intro_receiving)
                }}
            </p>
            <ul class="enforcement">
                <li>{t!(i18n, enforcement.withholding)}</li>
                <li class:applies=panel.tax_intercept()>
                    {if panel.tax_intercept() {
                        t!(i18n, enforcement.tax_over, threshold = {
                            let t = tax_threshold.clone();
                            move || t.clone()
                        }).into_any()
                    } else {
                        t!(i18n, enforcement.tax_under, threshold = {
                            let t = tax_threshold.clone();
                            move || t.clone()
                        }).into_any()
                    }}
                </li>
                <li class:applies=panel.license()>
                    {t!(i18n, enforcement.license, days = move || license_days)}
                </li>
                <li class:applies=panel.passport()>
                    {if panel.passport() {
                        t!(i18n, enforcement.passport_over, threshold = {
                            let t = passport_threshold.clone();
                            move || t.clone()
                        }).into_any()
                    } else {
                        t!(i18n, enforcement.passport_under, threshold = {
                            let t = passport_threshold.clone();
                            move || t.clone()
                        }).into_any()
                    }}
                </li>
                <li>{t!(i18n, enforcement.court)}</li>
            </ul>
            {planner.map(|basis| view! { <PayoffPlanner past_due=past_due_amount basis case_number /> })}
        </section>
    }
    .into_any()
}
