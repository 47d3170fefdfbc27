//! The history (`/cases/{number}/history`): every entry of a range with the
//! running balance, newest first, filtered and in pages — the form is a GET
//! form, so the page's address is the query and works without JavaScript.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;
use leptos_router::hooks::use_query_map;

use super::api::case_history;
use super::history::{History, HistoryLine, LineKind, Totals};
use super::history_text;
use super::pages::CaseTabs;
use crate::components::form::{choices, QueryForm, SelectField, TextField};
use crate::components::page::{case_number_param, AsOf, Load};
use crate::components::pager::{Order, PageOf, Pager};
use crate::components::term::GlossaryTerm;
use crate::components::text;
use crate::components::title::PageTitle;
use crate::error::{AppError, Field};
use crate::i18n::*;
use crate::ledger::{Money, ObligationKind};

/// The query parameters of the history and what reads the same range.
pub fn query_value(name: &'static str) -> Memo<Option<String>> {
    let query = use_query_map();
    Memo::new(move |_| query.with(|q| q.get(name)).filter(|v| !v.is_empty()))
}

#[component]
pub fn HistoryPage() -> impl IntoView {
    let i18n = use_i18n();
    let number = case_number_param();
    let (from, to) = (query_value("from"), query_value("to"));
    let (kind, obligation) = (query_value("kind"), query_value("obligation"));
    let page = query_value("page");
    let history = Resource::new(
        move || {
            (
                number.get(),
                from.get(),
                to.get(),
                kind.get(),
                obligation.get(),
                page.get().and_then(|p| p.parse::<u32>().ok()),
            )
        },
        |(number, from, to, kind, obligation, page)| {
            case_history(number, from, to, kind, obligation, page)
        },
    );
    view! {
        <PageTitle text=move || format!("{} · {}", t_string!(i18n, history.title), number.get()) />
        <section class="page wide">
            <h1>{t!(i18n, history.title)} " · " {move || number.get()}</h1>
            <CaseTabs case_number=number.get_untracked() />
            <Load
                resource=history
                answers=|error: AppError| match error {
                    AppError::Invalid(_) => Ok(view! { <FilterForm history=None error=Some(error) /> }.into_any()),
                    error => Err(error),
                }
                let:history
            >
                <FilterForm history=Some(history.clone()) error=None />
                <HistoryView history />
            </Load>
        </section>
    }
}

/// Range and filters. Shows what was asked (or, after a mistake, what was
/// typed) and the problem at its field.
#[component]
fn FilterForm(history: Option<History>, error: Option<AppError>) -> impl IntoView {
    let i18n = use_i18n();
    let typed = |name: &'static str| {
        use_query_map()
            .with_untracked(|q| q.get(name))
            .unwrap_or_default()
    };
    let (from, to) = match &history {
        Some(h) => (h.filter.from.to_string(), h.filter.to.to_string()),
        None => (typed("from"), typed("to")),
    };
    let kind = history.as_ref().and_then(|h| h.filter.kind);
    let obligation = history.as_ref().and_then(|h| h.filter.obligation);
    view! {
        <QueryForm action=use_location().pathname.get_untracked()>
            <fieldset class="filters">
                <legend>{t!(i18n, history.filter_legend)}</legend>
                <RangeFields from to error />
                <SelectField
                    name="kind"
                    label=t_string!(i18n, history.kind)
                    placeholder=t_string!(i18n, history.all_kinds)
                    choices=choices(LineKind::ALL, LineKind::as_str, |k| history_text::line_kind(i18n, k))
                    selected=kind.map(|k| k.as_str().to_owned())
                />
                <SelectField
                    name="obligation"
                    label=t_string!(i18n, history.obligation)
                    placeholder=t_string!(i18n, history.all_obligations)
                    choices=choices(
                        ObligationKind::ALL.into_iter().filter(|k| k.accrues()),
                        ObligationKind::as_str,
                        |k| text::obligation(i18n, k),
                    )
                    selected=obligation.map(|k| k.as_str().to_owned())
                />
                <button class="button primary" type="submit">{t!(i18n, history.apply)}</button>
            </fieldset>
        </QueryForm>
    }
    .into_any()
}

/// "From" and "To" dates, each with its problem if the last answer had one.
#[component]
pub fn RangeFields(from: String, to: String, error: Option<AppError>) -> impl IntoView {
    let i18n = use_i18n();
    let problem = move |field: Field| error.as_ref().and_then(|e| e.problem_with(field));
    view! {
        <TextField
            name="from"
            kind="date"
            label=t_string!(i18n, history.from)
            value=from
            problem=problem(Field::From)
        />
        <TextField
            name="to"
            kind="date"
            label=t_string!(i18n, history.to)
            value=to
            problem=problem(Field::To)
        />
    }
    .into_any()
}

#[component]
fn HistoryView(history: History) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let number = history.case_number.clone();
    let (from, to) = (history.filter.from, history.filter.to);
    let range = format!("from={from}&to={to}");
    let filtered = history.filter.kind.is_some() || history.filter.obligation.is_some();
    let whole_life = format!("?from={}&to={}", history.opened_on, to);
    view! {
        <p class="range">
            {t!(i18n, history.showing)} " "
            <strong>{text::date(locale(), from)}</strong> " – "
            <strong>{text::date(locale(), to)}</strong>
            " · " <A href=whole_life>{t!(i18n, history.whole_life)}</A>
        </p>
        <ul class="actions">
            <li>
                <a href=format!("/cases/{number}/history.csv?{range}") download="">
                    {t!(i18n, history.download_csv)}
                </a>
            </li>
            <li>
                <A href=format!("/cases/{number}/statement?{range}")>{t!(i18n, history.print)}</A>
            </li>
        </ul>
        <Summary
            opening=history.opening.balance
            closing=history.closing.balance
            totals=history.totals
            filtered
        />
        {if history.lines.is_empty() {
            view! { <p>{t!(i18n, history.no_lines)}</p> }.into_any()
        } else {
            view! { <LinesTable lines=history.lines.clone() newest_first=true /> }.into_any()
        }}
        <Pager paging=PageOf { page: history.page, pages: history.pages, matching: u64::from(history.matching) } order=Order::NewestFirst always=true>
            " · " {t!(i18n, history.matching, n = move || history.matching)}
        </Pager>
        <AsOf as_of=history.as_of />
    }
    .into_any()
}

/// Opening balance, what the lines add up to, closing balance.
#[component]
pub fn Summary(opening: Money, closing: Money, totals: Totals, filtered: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <dl class="facts summary">
            <dt><GlossaryTerm slug="running-balance">{t!(i18n, history.opening)}</GlossaryTerm></dt>
            <dd class="amount" data-figure="opening">{opening.to_string()}</dd>
            <dt>{t!(i18n, history.total_due)}</dt>
            <dd class="amount" data-figure="total-due">{totals.due.to_string()}</dd>
            <dt>{t!(i18n, history.total_received)}</dt>
            <dd class="amount" data-figure="total-received">{totals.received.to_string()}</dd>
            {(!totals.reversed.is_zero()).then(|| view! {
                <dt>{t!(i18n, history.total_reversed)}</dt>
                <dd class="amount" data-figure="total-reversed">{totals.reversed.to_string()}</dd>
            })}
            {(!totals.sent.is_zero()).then(|| view! {
                <dt>{t!(i18n, history.total_sent)}</dt>
                <dd class="amount" data-figure="total-sent">{totals.sent.to_string()}</dd>
            })}
            <dt><GlossaryTerm slug="running-balance">{t!(i18n, history.closing)}</GlossaryTerm></dt>
            <dd class="amount" data-figure="closing">{closing.to_string()}</dd>
        </dl>
        <p class="note">
            {move || if filtered {
                t_string!(i18n, history.filtered_note)
            } else {
                t_string!(i18n, history.reconcile_note)
            }}
        </p>
    }
    .into_any()
}

/// The glossary entries of the table's columns, in order.
const COLUMN_TERMS: [Option<&str>; 7] = [
    None,
    None,
    Some("charge"),
    None,
    Some("current-support"),
    Some("past-due-support"),
    Some("running-balance"),
];

/// The lines as a table; on a phone each row stacks into a small card,
/// every cell labelled by its column.
#[component]
pub fn LinesTable(
    lines: Vec<HistoryLine>,
    /// The history's order; a statement runs oldest first.
    newest_first: bool,
) -> impl IntoView {
    // Only the server renders this table (it is not an island), in the one
    // language of the request: each word is looked up once, not per line.
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let headers = [
        t_string!(i18n, history.col_date),
        t_string!(i18n, history.col_description),
        t_string!(i18n, history.col_due),
        t_string!(i18n, history.col_received),
        t_string!(i18n, history.col_paid_current),
        t_string!(i18n, history.col_paid_past_due),
        t_string!(i18n, history.col_balance),
    ];
    let reversed_tag = t_string!(i18n, history.reversed_tag);
    let blank = |money: Money| (!money.is_zero()).then(|| money.to_string());
    view! {
        <table class="ledger">
            <caption class="visually-hidden">
                {if newest_first {
                    t_string!(i18n, history.caption)
                } else {
                    t_string!(i18n, history.caption_oldest_first)
                }}
            </caption>
            <thead>
                <tr>
                    {headers.into_iter().zip(COLUMN_TERMS).map(|(h, term)| view! {
                        <th scope="col">
                            {match term {
                                Some(slug) => view! { <GlossaryTerm slug>{h}</GlossaryTerm> }.into_any(),
                                None => h.into_any(),
                            }}
                        </th>
                    }).collect_view()}
                </tr>
            </thead>
            <tbody>
                {lines.into_iter().map(|line| {
                    let description = history_text::describe(i18n, &line);
                    let on = line.line.date;
                    view! {
                        <tr class:reversed=line.line.reversed data-entry=line.line.entry>
                            <td data-label=headers[0]>{text::date(locale, on)}</td>
                            <td data-label=headers[1]>
                                {description}
                                {line.line.reversed.then(|| view! {
                                    <span class="tag">{reversed_tag}</span>
                                })}
                                {line.note.clone().map(|note| view! { <span class="line-note">{note}</span> })}
                            </td>
                            <td class="num" data-label=headers[2]>{blank(line.line.due)}</td>
                            <td class="num" data-label=headers[3]>{blank(line.line.received)}</td>
                            <td class="num" data-label=headers[4]>{blank(line.line.paid_current)}</td>
                            <td class="num" data-label=headers[5]>{blank(line.line.paid_past_due)}</td>
                            <td class="num balance" data-label=headers[6]>
                                {line.line.running_balance.to_string()}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
