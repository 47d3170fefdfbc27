//! Month by month (`/cases/{number}/months`): the timeline chart and its
//! table, then "Why is my balance this?" — every entry of each month in
//! plain words, with payments that are only days late marked as timing.

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;
use leptos_router::components::A;

use super::api::case_timeline;
use super::chart::{MonthsTable, TimelineChart};
use super::history_page::{query_value, RangeFields};
use super::model::Timeline;
use super::pages::CaseTabs;
use crate::components::form::QueryForm;
use crate::components::page::{case_number_param, AsOf, Load};
use crate::components::text;
use crate::components::title::PageTitle;
use crate::error::AppError;
use crate::i18n::*;
use crate::ledger::{Explained, Month, Outcome, Reason};
use crate::reader::CaseRole;
use leptos_router::hooks::use_location;

#[component]
pub fn MonthsPage() -> impl IntoView {
    let i18n = use_i18n();
    let number = case_number_param();
    let (from, to) = (query_value("from"), query_value("to"));
    let timeline = Resource::new(
        move || (number.get(), from.get(), to.get()),
        |(number, from, to)| case_timeline(number, from, to),
    );
    view! {
        <PageTitle text=move || format!("{} · {}", t_string!(i18n, months.title), number.get()) />
        <section class="page wide">
            <h1>{t!(i18n, months.title)} " · " {move || number.get()}</h1>
            <CaseTabs case_number=number.get_untracked() />
            <Load
                resource=timeline
                // A range typed into the address: its problem at its field.
                answers=move |error: AppError| match error {
                    AppError::Invalid(_) => Ok(view! {
                        <QueryForm action=use_location().pathname.get_untracked()>
                            <fieldset class="filters">
                                <legend>{t!(i18n, months.range_legend)}</legend>
                                <RangeFields
                                    from=from.get_untracked().unwrap_or_default()
                                    to=to.get_untracked().unwrap_or_default()
                                    error=Some(error)
                                />
                                <button class="button" type="submit">{t!(i18n, history.apply)}</button>
                            </fieldset>
                        </QueryForm>
                    }.into_any()),
                    error => Err(error),
                }
                let:timeline
            >
                <TimelineView timeline />
            </Load>
        </section>
    }
}

#[component]
fn TimelineView(timeline: Timeline) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let (from, to) = (timeline.filter.from, timeline.filter.to);
    let last_year = to
        .with_day(1)
        .and_then(|first| first.checked_sub_months(chrono::Months::new(11)))
        .unwrap_or(to);
    view! {
        <p class="range">
            {t!(i18n, history.showing)} " "
            <strong>{text::date(locale(), from)}</strong> " – "
            <strong>{text::date(locale(), to)}</strong>
            " · " <A href=format!("?from={last_year}&to={to}")>{t!(i18n, months.last_12)}</A>
            " · " <A href="?">{t!(i18n, months.last_24)}</A>
        </p>
        <TimelineChart months=timeline.months.clone() opening=timeline.opening.balance />
        <details class="table-alternative">
            <summary>{t!(i18n, chart.as_table)}</summary>
            <MonthsTable
                months=timeline.months.clone()
                sent=timeline.role != CaseRole::PayingParent
            />
        </details>
        <h2 id="why">{t!(i18n, months.why_heading)}</h2>
        <p>{t!(i18n, months.why_intro, days = move || timeline.grace_days)}</p>
        <MonthExplanations months=timeline.months explained=timeline.explained />
        <AsOf as_of=timeline.as_of />
    }
    .into_any()
}

/// Newest month first; the newest is open.
#[component]
fn MonthExplanations(months: Vec<Month>, explained: Vec<Explained>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let month_of = |day: NaiveDate| (day.year(), day.month());
    let newest = months.last().map(|m| m.month);
    months
        .into_iter()
        .rev()
        .map(|month| {
            let items: Vec<Explained> = explained
                .iter()
                .filter(|e| month_of(e.date) == month_of(month.month))
                .cloned()
                .collect();
            let open = Some(month.month) == newest;
            view! {
                <details class="month" open=open>
                    <summary>
                        <strong>{text::month(locale(), month.month)}</strong>
                        <span class="note">
                            " · " {t!(i18n, chart.due)} " " {month.due.to_string()}
                            " · " {t!(i18n, chart.received)} " " {month.received.to_string()}
                            {(!month.taken_back.is_zero()).then(|| view! {
                                " · " {t!(i18n, chart.taken_back)} " " {month.taken_back.to_string()}
                            })}
                            " · " {t!(i18n, months.closed_at)} " " {month.closing.balance.to_string()}
                        </span>
                    </summary>
                    {if items.is_empty() {
                        view! { <p>{t!(i18n, months.nothing)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="explained">
                                {items.into_iter().map(|item| {
                                    let timing = only_timing(&item);
                                    view! {
                                        <li class:timing=timing>
                                            {timing.then(|| view! {
                                                <span class="tag tag-timing">{t!(i18n, months.timing_tag)}</span>
                                                " "
                                            })}
                                            {move || item.in_words(text::language(locale()))}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </details>
            }
        })
        .collect_view()
}

/// Late, but within the grace days: money on its way, not debt trouble.
fn only_timing(item: &Explained) -> bool {
    matches!(
        item.reason,
        Reason::Due {
            outcome: Outcome::PaidLate { timing: true, .. } | Outcome::Unpaid { timing: true, .. },
            ..
        }
    )
}
