//! `/caseload`: the cases a caseworker runs (a supervisor: every case),
//! searched by case number or a parent's name, sorted by case number, by
//! what is owed or by the latest activity, fifty to a page.

use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::my_caseload;
use super::model::{Caseload, CaseloadRow, CaseloadSort};
use crate::components::form::{choices, QueryForm, SelectField, TextField};
use crate::components::page::Load;
use crate::components::text;
use crate::components::title::PageTitle;
use crate::i18n::*;

#[component]
pub fn CaseloadPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let list = Resource::new(
        move || {
            query.with(|q| {
                (
                    q.get("q"),
                    q.get("sort"),
                    q.get("page").and_then(|p| p.parse::<u32>().ok()),
                )
            })
        },
        |(search, sort, page)| my_caseload(search, sort, page),
    );
    view! {
        <PageTitle text=move || t_string!(i18n, caseload.title).to_string() />
        <section class="page wide">
            <h1>{t!(i18n, caseload.title)}</h1>
            <Load resource=list let:list>
                <CaseloadView list />
            </Load>
        </section>
    }
}

#[component]
fn CaseloadView(list: Caseload) -> impl IntoView {
    let i18n = use_i18n();
    let every_case = list.every_case;
    let (search, sort) = (list.search.clone(), list.sort);
    let (page, pages, matching) = (list.page, list.pages, list.matching);
    let page_link = {
        let search = search.clone();
        move |page: u32| {
            format!(
                "/caseload?q={}&sort={}&page={page}",
                leptos_router::location::Url::escape(&search),
                sort.as_str()
            )
        }
    };
    view! {
        <QueryForm action="/caseload">
            <div class="filters">
                <TextField
                    name="q"
                    kind="search"
                    label=t_string!(i18n, caseload.search_label)
                    value=search.clone()
                    maxlength=100
                />
                <SelectField
                    name="sort"
                    label=t_string!(i18n, caseload.sort_label)
                    choices=choices(CaseloadSort::ALL, CaseloadSort::as_str, |sort| sort_text(i18n, sort))
                    selected=sort.as_str().to_owned()
                />
                <button type="submit" class="button">{t!(i18n, caseload.apply)}</button>
            </div>
        </QueryForm>
        <p role="status">{t!(i18n, caseload.matching, n = move || matching)}</p>
        {(!list.rows.is_empty()).then(|| view! {
            <table class="ledger caseload">
                <caption class="visually-hidden">{t!(i18n, caseload.caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, caseload.col_case)}</th>
                        <th scope="col">{t!(i18n, caseload.col_paying)}</th>
                        <th scope="col">{t!(i18n, caseload.col_receiving)}</th>
                        <th scope="col" class="amount">{t!(i18n, caseload.col_owed)}</th>
                        <th scope="col">{t!(i18n, caseload.col_activity)}</th>
                        <th scope="col">{t!(i18n, caseload.col_waiting)}</th>
                        {every_case.then(|| view! { <th scope="col">{t!(i18n, caseload.col_caseworker)}</th> })}
                    </tr>
                </thead>
                <tbody>
                    {list.rows.into_iter().map(|row| view! { <Row row every_case /> }).collect_view()}
                </tbody>
            </table>
        })}
        {(pages > 1).then(|| view! {
            <nav class="pages" aria-label=move || t_string!(i18n, caseload.pages_label).to_string()>
                {(page > 1).then(|| view! { <A href=page_link(page - 1)>{t!(i18n, history.newer)}</A> })}
                " " {t!(i18n, history.page_of, page = move || page, pages = move || pages)} " "
                {(page < pages).then(|| view! { <A href=page_link(page + 1)>{t!(i18n, history.older)}</A> })}
            </nav>
        })}
    }
    .into_any()
}

#[component]
fn Row(row: CaseloadRow, every_case: bool) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let label = move |column: fn(I18nContext<Locale>) -> &'static str| move || column(i18n);
    let waiting = row.waiting;
    let activity = row.last_activity;
    view! {
        <tr>
            <td data-label=label(|i18n| t_string!(i18n, caseload.col_case))>
                <A href=format!("/caseload/{}", row.case_number)>{row.case_number.clone()}</A>
            </td>
            <td data-label=label(|i18n| t_string!(i18n, caseload.col_paying))>{row.paying}</td>
            <td data-label=label(|i18n| t_string!(i18n, caseload.col_receiving))>{row.receiving}</td>
            <td class="amount" data-label=label(|i18n| t_string!(i18n, caseload.col_owed))>
                {row.balance.to_string()}
            </td>
            <td data-label=label(|i18n| t_string!(i18n, caseload.col_activity))>
                {move || activity.map(|day| text::date(locale(), day)).unwrap_or_default()}
            </td>
            <td data-label=label(|i18n| t_string!(i18n, caseload.col_waiting))>
                {(waiting > 0).then(|| view! {
                    <span class="tag">{t!(i18n, caseload.waiting, n = move || waiting)}</span>
                })}
            </td>
            {every_case.then(|| view! {
                <td data-label=label(|i18n| t_string!(i18n, caseload.col_caseworker))>
                    {row.caseworker.clone().unwrap_or_default()}
                </td>
            })}
        </tr>
    }
}

fn sort_text(i18n: I18nContext<Locale>, sort: CaseloadSort) -> &'static str {
    match sort {
        CaseloadSort::CaseNumber => t_string!(i18n, caseload.sort_case_number),
        CaseloadSort::Owed => t_string!(i18n, caseload.sort_owed),
        CaseloadSort::Activity => t_string!(i18n, caseload.sort_activity),
    }
}
