//! `/work`: what waits for the agency — conversations where the parent wrote
//! last — oldest first, with the business days waited and overdue marked.

use leptos::prelude::*;
use leptos_router::components::A;

use super::api::work_list;
use super::model::{WorkItem, WorkList};
use super::pages::topic_text;
use super::rules::Topic;
use crate::components::form::{choices, QueryForm, SelectField, TextField};
use crate::components::page::Load;
use crate::components::pager::{Order, Pager};
use crate::components::title::PageTitle;
use crate::i18n::*;
use leptos_i18n::I18nContext;
use leptos_router::hooks::use_query_map;

#[component]
pub fn WorkPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let list = Resource::new(
        move || query.get(),
        |query| {
            let field = |name: &str| query.get(name).unwrap_or_default();
            let page = query.get("page").and_then(|p| p.parse().ok());
            work_list(field("topic"), field("case_number"), page)
        },
    );
    view! {
        <PageTitle text=move || t_string!(i18n, work.title).to_string() />
        <section class="page wide">
            <h1>{t!(i18n, work.title)}</h1>
            <Load resource=list let:list>
                <WorkView list />
            </Load>
        </section>
    }
}

#[component]
fn WorkView(list: WorkList) -> impl IntoView {
    let i18n = use_i18n();
    let days = list.reply_business_days;
    let filter = view! { <WorkFilter topic=list.topic case_number=list.case_number.clone() /> };
    if list.items.is_empty() {
        return view! { {filter} <p>{t!(i18n, work.empty)}</p> }.into_any();
    }
    view! {
        {filter}
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
        <Pager paging=list.paging order=Order::OldestFirst />
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
                <A href=format!("/messages/{}", item.thread)>{topic_text(i18n, topic)}</A>
                {item.assigned_to.clone().map(|name| view! {
                    <span class="note">" · " {t!(i18n, work.given_to)} " " {name}</span>
                })}
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

/// Narrow the list to a topic and a case (a GET form: the same without JS).
#[component]
fn WorkFilter(topic: Option<Topic>, case_number: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <QueryForm action="/work">
            <div class="filters">
                <SelectField
                    name="topic"
                    label=t_string!(i18n, work.filter_topic)
                    placeholder=t_string!(i18n, work.filter_all)
                    choices=choices(Topic::ALL, Topic::as_str, |topic| topic_text(i18n, topic))
                    selected=topic.map(|topic| topic.as_str().to_owned())
                />
                <TextField
                    name="case_number"
                    label=t_string!(i18n, work.filter_case)
                    value=case_number
                    autocomplete="off"
                />
                <button type="submit" class="button">{t!(i18n, work.filter_show)}</button>
            </div>
        </QueryForm>
    }
}
