//! `/work`: what waits for the agency — conversations where the parent wrote
//! last — oldest first, with the business days waited and overdue marked.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::api::work_list;
use super::model::{WorkItem, WorkList};
use super::pages::topic_text;
use crate::balance::pages::refusal;
use crate::i18n::*;
use leptos_i18n::I18nContext;

#[component]
pub fn WorkPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |_| work_list());
    view! {
        <Title text=move || t_string!(i18n, work.title).to_string() />
        <section class="page wide">
            <h1>{t!(i18n, work.title)}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) => view! { <WorkView list /> }.into_any(),
                        Err(error) => refusal(error).into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn WorkView(list: WorkList) -> impl IntoView {
    let i18n = use_i18n();
    let days = list.reply_business_days;
    if list.items.is_empty() {
        return view! { <p>{t!(i18n, work.empty)}</p> }.into_any();
    }
    view! {
        <p>{t!(i18n, work.intro, days = move || days)}</p>
        <table class="ledger work">
            <caption class="visually-hidden">{t!(i18n, work.caption)}</caption>
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, work.col_waiting)}</th>
                    <th scope="col">{t!(i18n, work.col_topic)}</th>
                    <th scope="col">{t!(i18n, work.col_case)}</th>
                    <th scope="col">{t!(i18n, work.col_parent)}</th>
                    <th scope="col">{t!(i18n, work.col_since)}</th>
                </tr>
            </thead>
            <tbody>
                {list.items.into_iter().map(|item| view! { <WorkRow item /> }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn WorkRow(item: WorkItem) -> impl IntoView {
    let i18n = use_i18n();
    let (days, topic) = (item.business_days, item.topic);
    // Labels for the phone layout, where each row stacks into a card.
    let label = move |column: fn(I18nContext<Locale>) -> &'static str| move || column(i18n);
    view! {
        <tr class:overdue=item.overdue>
            <td data-label=label(|i18n| t_string!(i18n, work.col_waiting))>
                {t!(i18n, work.business_days, n = move || days)}
                {item.overdue.then(|| view! { " " <span class="tag tag-overdue">{t!(i18n, work.overdue)}</span> })}
            </td>
            <td data-label=label(|i18n| t_string!(i18n, work.col_topic))>
                <A href=format!("/messages/{}", item.thread)>{move || topic_text(i18n, topic)}</A>
                {item.request.map(|id| view! {
                    " · " <A href=format!("/requests/{id}")>{t!(i18n, requests.request_number, id = move || id)}</A>
                })}
            </td>
            <td data-label=label(|i18n| t_string!(i18n, work.col_case))>{item.case_number}</td>
            <td data-label=label(|i18n| t_string!(i18n, work.col_parent))>{item.parent_name}</td>
            <td data-label=label(|i18n| t_string!(i18n, work.col_since))>{item.waiting_since}</td>
        </tr>
    }
}
