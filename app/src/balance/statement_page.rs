//! The print view (`/cases/{number}/statement`): a clean statement for a
//! range — agency, case, parties, totals and every line, oldest first —
//! laid out for paper by the print style sheet.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::api::case_statement;
use super::history_page::{query_value, LinesTable, RangeFields, Summary};
use super::model::PrintStatement;
use super::pages::{role_text, CaseTabs};
use crate::components::form::QueryForm;
use crate::components::page::{case_number_param, Load};
use crate::components::text;
use crate::components::title::PageTitle;
use crate::config::Agency;
use crate::error::AppError;
use crate::i18n::*;

#[component]
pub fn StatementPage() -> impl IntoView {
    let i18n = use_i18n();
    let number = case_number_param();
    let (from, to) = (query_value("from"), query_value("to"));
    let statement = Resource::new(
        move || (number.get(), from.get(), to.get()),
        |(number, from, to)| case_statement(number, from, to),
    );
    view! {
        <PageTitle text=move || format!("{} · {}", t_string!(i18n, statement.title), number.get()) />
        <section class="page wide statement">
            <div class="no-print">
                <CaseTabs case_number=number.get_untracked() />
            </div>
            <Load
                resource=statement
                answers=move |error: AppError| match error {
                    AppError::Invalid(_) => Ok(view! {
                        <RangeForm
                            from=from.get_untracked().unwrap_or_default()
                            to=to.get_untracked().unwrap_or_default()
                            error=Some(error)
                        />
                    }.into_any()),
                    error => Err(error),
                }
                let:statement
            >
                <RangeForm
                    from=statement.filter.from.to_string()
                    to=statement.filter.to.to_string()
                    error=None
                />
                <StatementView statement />
            </Load>
        </section>
    }
}

#[component]
fn RangeForm(from: String, to: String, error: Option<AppError>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <QueryForm action=use_location().pathname.get_untracked()>
            <fieldset class="filters no-print">
                <legend>{t!(i18n, statement.range_legend)}</legend>
                <RangeFields from to error />
                <button class="button" type="submit">{t!(i18n, history.apply)}</button>
                <PrintButton />
            </fieldset>
        </QueryForm>
    }
    .into_any()
}

/// Printing needs the browser's print dialog: with JavaScript a button
/// opens it; without, the page says how.
#[component]
fn PrintButton() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PrintDialogButton
            print=t_string!(i18n, statement.print).to_owned()
            hint=t_string!(i18n, statement.print_hint).to_owned()
        />
    }
}

/// The button as an island: the server and hydration render the hint, and
/// the browser swaps in the button once it runs.
#[island]
fn PrintDialogButton(print: String, hint: String) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    move || {
        if hydrated.get() {
            view! {
                <button
                    class="button primary"
                    type="button"
                    on:click=move |_| {
                        let _ = window().print();
                    }
                >
                    {print.clone()}
                </button>
            }
            .into_any()
        } else {
            view! { <p class="note">{hint.clone()}</p> }.into_any()
        }
    }
}

#[component]
fn StatementView(statement: PrintStatement) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let agency = use_context::<Agency>().unwrap_or_default();
    let (from, to) = (statement.filter.from, statement.filter.to);
    view! {
        <header class="statement-head">
            <p class="statement-agency">{agency.name.clone()} " · " {statement.office.clone()}</p>
            <h1>{t!(i18n, statement.title)}</h1>
            <dl class="facts">
                <dt>{t!(i18n, cases.case_title)}</dt>
                <dd>{statement.case_number.clone()}</dd>
                {statement.parties.into_iter().map(|(role, name)| view! {
                    <dt>{move || text::capitalized(role_text(i18n, role))}</dt>
                    <dd>{name}</dd>
                }).collect_view()}
                <dt>{t!(i18n, statement.period)}</dt>
                <dd>
                    {move || text::date(locale(), from)} " – " {move || text::date(locale(), to)}
                </dd>
                <dt>{t!(i18n, statement.prepared)}</dt>
                <dd>{move || text::date_time(i18n.get_locale(), statement.as_of)}</dd>
            </dl>
        </header>
        <Summary
            opening=statement.opening.balance
            closing=statement.closing.balance
            totals=statement.totals
            filtered=false
        />
        {if statement.lines.is_empty() {
            view! { <p>{t!(i18n, history.no_lines)}</p> }.into_any()
        } else {
            view! { <LinesTable lines=statement.lines newest_first=false /> }.into_any()
        }}
    }
    .into_any()
}
