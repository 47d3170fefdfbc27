//! `/caseload/{number}`: the agency's file on a case. What the parents see
//! (the card, the orders, the children), and what only the agency does: how
//! to reach each parent, PINs, the latest entries with their notes and a way
//! to reverse each, the conversations, the audit log, and the actions.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::{open_case_file, IssuePin};
use super::model::{AuditLine, CaseFile, EntryLine, Participant};
use crate::account::model::FreshPin;
use crate::balance::case_page::{Children, Orders};
use crate::balance::pages::{role_text, CaseCardView};
use crate::components::form::{field_problem, FormAlert, SelectField};
use crate::components::page::{case_number_param, AsOf, Load};
use crate::components::pager::{Order, Pager};
use crate::components::text;
use crate::components::title::PageTitle;
use crate::error::Field;
use crate::i18n::*;
use crate::ledger::{EntryKind, Money};
use crate::messages::model::ThreadSummary;
use crate::messages::pages::{status_text, topic_text};
use crate::reader::Colleague;
use crate::requests::pages::CaseRequests;
use crate::staff::api::ReassignCase;

#[component]
pub fn CaseFilePage() -> impl IntoView {
    let i18n = use_i18n();
    let number = case_number_param();
    let issue = ServerAction::<IssuePin>::new();
    let reassign = ServerAction::<ReassignCase>::new();
    let query = leptos_router::hooks::use_query_map();
    let audit_page =
        move || query.with(|q| q.get("audit_page").and_then(|p| p.parse::<u32>().ok()));
    let file = Resource::new(
        move || (number.get(), audit_page()),
        |(number, audit_page)| open_case_file(number, audit_page),
    );
    view! {
        <PageTitle text=move || format!("{} {}", t_string!(i18n, file.title), number.get()) />
        <section class="page wide">
            <Load resource=file let(file)>
                <FileView file issue reassign />
            </Load>
        </section>
    }
}

#[component]
fn FileView(
    file: CaseFile,
    issue: ServerAction<IssuePin>,
    reassign: ServerAction<ReassignCase>,
) -> impl IntoView {
    let i18n = use_i18n();
    let number = file.view.card.case_number.clone();
    let base = format!("/caseload/{number}");
    view! {
        <p class="crumbs"><A href="/caseload">{t!(i18n, caseload.title)}</A></p>
        <h1>{t!(i18n, file.title)} " " {number.clone()}</h1>
        <Done />
        {file.fresh_pin.map(|pin| view! { <FreshPinPanel pin /> })}
        <div class="case-grid">
            <CaseCardView card=file.view.card.clone() heading=false />
            <FileActions number=number.clone() on_hold=file.on_hold />
        </div>
        {(!file.colleagues.is_empty()).then(|| view! {
            <ReassignForm
                case_number=number.clone()
                caseworker=file.caseworker
                colleagues=file.colleagues.clone()
                reassign
            />
        })}
        <h2>{t!(i18n, file.people_heading)}</h2>
        <FormAlert result=issue.value() />
        <div class="cards">
            {file.participants.into_iter().map(|person| view! {
                <ParticipantCard person case_number=number.clone() issue />
            }).collect_view()}
        </div>
        <h2 id="entries-heading">{t!(i18n, file.entries_heading)}</h2>
        <EntryTable entries=file.entries base=base.clone() />
        <h2>{t!(i18n, case.order_heading)}</h2>
        <Orders orders=file.view.orders.clone() />
        <CaseRequests case_number=number.clone() requests=file.requests />
        <h2>{t!(i18n, cases.children)}</h2>
        <Children children=file.view.children.clone() />
        <h2>{t!(i18n, file.messages_heading)}</h2>
        <CaseThreads threads=file.threads />
        <h2>{t!(i18n, file.audit_heading)}</h2>
        <AuditTable lines=file.audit />
        <Pager paging=file.audit_paging order=Order::NewestFirst param="audit_page" />
        <AsOf as_of=file.view.as_of />
    }
    .into_any()
}

/// What a caseworker can do on the case: post, hold and release, change
/// the order, read the history.
#[component]
fn FileActions(number: String, on_hold: Money) -> impl IntoView {
    let i18n = use_i18n();
    let base = format!("/caseload/{number}");
    let holds = on_hold.is_positive();
    view! {
        <nav class="file-actions" aria-labelledby="actions-heading">
            <h2 id="actions-heading">{t!(i18n, file.actions_heading)}</h2>
            <ul>
                <li><A href=format!("{base}/post?kind=payment")>{t!(i18n, file.action_payment)}</A></li>
                <li><A href=format!("{base}/post?kind=adjustment")>{t!(i18n, file.action_adjustment)}</A></li>
                <li><A href=format!("{base}/post?kind=hold")>{t!(i18n, file.action_hold)}</A></li>
                {holds.then(|| view! {
                    <li>
                        <A href=format!("{base}/post?kind=release&amount={}", on_hold.amount())>
                            {t!(i18n, file.action_release)}
                        </A>
                    </li>
                })}
                <li><A href=format!("{base}/order")>{t!(i18n, file.action_order)}</A></li>
                <li><A href=format!("/cases/{number}/history")>{t!(i18n, file.action_history)}</A></li>
            </ul>
        </nav>
    }
}

/// The case's conversations, newest first.
#[component]
fn CaseThreads(threads: Vec<ThreadSummary>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {if threads.is_empty() {
            view! { <p>{t!(i18n, file.no_messages)}</p> }.into_any()
        } else {
            view! {
                <ul class="threads">
                    {threads.into_iter().map(|thread| {
                        let (topic, status) = (thread.topic, thread.status);
                        view! {
                            <li class="thread" class:unread=thread.unread>
                                <A href=format!("/messages/{}", thread.id)>{topic_text(i18n, topic)}</A>
                                <span class="note thread-facts">
                                    {thread.parent_name} " · " {status_text(i18n, status)}
                                    " · " {thread.last_message_at}
                                </span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

/// Supervisors give the case to another caseworker.
#[component]
fn ReassignForm(
    case_number: String,
    caseworker: Option<i32>,
    colleagues: Vec<Colleague>,
    reassign: ServerAction<ReassignCase>,
) -> impl IntoView {
    let i18n = use_i18n();
    let problem = field_problem(
        Signal::derive(move || reassign.value().get()),
        Field::Person,
    );
    view! {
        <h2 id="reassign-heading">{t!(i18n, staff.reassign_heading)}</h2>
        <FormAlert result=reassign.value() />
        <ActionForm action=reassign attr:aria-labelledby="reassign-heading" attr:class="inline-form">
            <input type="hidden" name="case_number" value=case_number />
            <SelectField
                name="to"
                label=t_string!(i18n, staff.reassign_to)
                choices=Colleague::choices(colleagues)
                selected=caseworker.map(|person| person.to_string())
                problem
            />
            <button type="submit" class="button">{t!(i18n, staff.reassign)}</button>
        </ActionForm>
    }
}

/// "Posted", "order changed": what the last action did, from the address
/// the action came back to.
#[component]
fn Done() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    move || {
        query.with(|q| {
            let message = if q.get("posted").is_some() {
                t_string!(i18n, file.done_posted)
            } else if q.get("changed").is_some() {
                t_string!(i18n, file.done_order)
            } else {
                return None;
            };
            Some(view! { <p class="notice" role="status">{message}</p> })
        })
    }
}

#[component]
fn FreshPinPanel(pin: FreshPin) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let expires = pin.pin.expires_at.date_naive();
    view! {
        <section class="notice pin" aria-labelledby="pin-heading">
            <h2 id="pin-heading">{t!(i18n, file.pin_heading, name = move || pin.name.clone())}</h2>
            <p class="pin-value"><code>{pin.pin.pin.clone()}</code></p>
            <p>
                {t!(i18n, file.pin_read_out)} " "
                {t!(i18n, file.pin_expires)} " " {text::date(locale(), expires)}
            </p>
        </section>
    }
}

#[component]
fn ParticipantCard(
    person: Participant,
    case_number: String,
    issue: ServerAction<IssuePin>,
) -> impl IntoView {
    let i18n = use_i18n();
    let role = person.role;
    let missing = move || t_string!(i18n, file.not_on_file);
    let activated = person.account_email.is_some();
    view! {
        <article class="card participant">
            <h3>{person.name.clone()}</h3>
            <p class="card-role">{role_text(i18n, role)}</p>
            <dl class="facts">
                <dt>{t!(i18n, file.phone)}</dt>
                <dd>{person.phone.clone().map(|phone| view! {
                    <a href=format!("tel:{phone}")>{phone.clone()}</a>
                }.into_any()).unwrap_or_else(|| missing().into_any())}</dd>
                <dt>{t!(i18n, file.email)}</dt>
                <dd>{person.email.clone().unwrap_or_else(|| missing().to_owned())}</dd>
                <dt>{t!(i18n, file.address)}</dt>
                <dd class="address">{person.mailing_address.clone().unwrap_or_else(|| missing().to_owned())}</dd>
                <dt>{t!(i18n, file.account)}</dt>
                <dd>{person.account_email.clone().unwrap_or_else(|| t_string!(i18n, file.no_account).to_owned())}</dd>
            </dl>
            <ActionForm action=issue>
                <input type="hidden" name="case_number" value=case_number />
                <input type="hidden" name="person" value=person.person />
                <button type="submit" class="button">
                    {move || if activated {
                        t_string!(i18n, file.reset_pin)
                    } else {
                        t_string!(i18n, file.issue_pin)
                    }}
                    <span class="visually-hidden">" — " {person.name.clone()}</span>
                </button>
            </ActionForm>
        </article>
    }
}

#[component]
fn EntryTable(entries: Vec<EntryLine>, base: String) -> impl IntoView {
    let i18n = use_i18n();
    if entries.is_empty() {
        return view! { <p>{t!(i18n, history.no_lines)}</p> }.into_any();
    }
    view! {
        <table class="ledger entries" aria-labelledby="entries-heading">
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, history.col_date)}</th>
                    <th scope="col">{t!(i18n, file.col_entry)}</th>
                    <th scope="col" class="amount">{t!(i18n, file.col_amount)}</th>
                    <th scope="col">{t!(i18n, file.col_note)}</th>
                    <th scope="col">{t!(i18n, file.col_by)}</th>
                    <th scope="col"><span class="visually-hidden">{t!(i18n, file.col_actions)}</span></th>
                </tr>
            </thead>
            <tbody>
                {entries.into_iter().map(|entry| view! { <EntryRow entry base=base.clone() /> }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn EntryRow(entry: EntryLine, base: String) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let label = move |column: fn(I18nContext<Locale>) -> &'static str| move || column(i18n);
    let (effective, kind, id) = (entry.effective, entry.kind, entry.id);
    let reversible = entry.reversible();
    let details: Vec<String> = [entry.reference.clone(), entry.note.clone()]
        .into_iter()
        .flatten()
        .collect();
    view! {
        <tr class:reversed=entry.reversed id=format!("entry-{id}")>
            <td data-label=label(|i18n| t_string!(i18n, history.col_date))>
                {text::date(locale(), effective)}
            </td>
            <td data-label=label(|i18n| t_string!(i18n, file.col_entry))>
                {entry_text(i18n, kind)} " #" {id}
                {entry.reversed.then(|| view! { " " <span class="tag">{t!(i18n, history.reversed_tag)}</span> })}
            </td>
            <td class="amount" data-label=label(|i18n| t_string!(i18n, file.col_amount))>
                {(!matches!(kind, EntryKind::Reversal { .. })).then(|| entry.amount.to_string())}
            </td>
            <td data-label=label(|i18n| t_string!(i18n, file.col_note))>{details.join(" · ")}</td>
            <td data-label=label(|i18n| t_string!(i18n, file.col_by))>
                {entry.posted_by.clone().unwrap_or_else(|| t_string!(i18n, file.by_system).to_owned())}
            </td>
            <td>
                {reversible.then(|| view! {
                    <A href=format!("{base}/post?kind=reversal&entry={id}")>
                        // Reversing a reversal made in error puts its entry back.
                        {match kind {
                            EntryKind::Reversal { .. } => t!(i18n, file.reinstate).into_any(),
                            _ => t!(i18n, file.reverse).into_any(),
                        }}
                        <span class="visually-hidden">" #" {id}</span>
                    </A>
                })}
            </td>
        </tr>
    }
}

/// What an entry is, in a word or two.
pub fn entry_text(i18n: I18nContext<Locale>, kind: EntryKind) -> String {
    match kind {
        EntryKind::Charge { obligation } => text::capitalized(&format!(
            "{} {}",
            text::obligation(i18n, obligation),
            t_string!(i18n, history.due_suffix)
        )),
        EntryKind::Payment { source } => format!(
            "{} · {}",
            t_string!(i18n, history.payment),
            text::source(i18n, source)
        ),
        EntryKind::Adjustment => t_string!(i18n, file.entry_adjustment).to_owned(),
        EntryKind::Reversal { reverses } => {
            format!("{} #{reverses}", t_string!(i18n, history.reversal_of))
        }
        EntryKind::Disbursement => t_string!(i18n, history.disbursement).to_owned(),
        EntryKind::Hold => t_string!(i18n, history.hold).to_owned(),
        EntryKind::Release => t_string!(i18n, history.release).to_owned(),
        EntryKind::Fee => t_string!(i18n, history.fee).to_owned(),
    }
}

#[component]
fn AuditTable(lines: Vec<AuditLine>) -> impl IntoView {
    let i18n = use_i18n();
    if lines.is_empty() {
        return view! { <p>{t!(i18n, file.no_audit)}</p> }.into_any();
    }
    view! {
        <table class="ledger audit">
            <caption class="visually-hidden">{t!(i18n, file.audit_heading)}</caption>
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, file.col_when)}</th>
                    <th scope="col">{t!(i18n, file.col_what)}</th>
                    <th scope="col">{t!(i18n, file.col_by)}</th>
                    <th scope="col">{t!(i18n, file.col_detail)}</th>
                </tr>
            </thead>
            <tbody>
                {lines.into_iter().map(|line| view! {
                    <tr>
                        <td>{line.at.format("%Y-%m-%d %H:%M UTC").to_string()}</td>
                        <td><code>{line.action}</code></td>
                        <td>{line.actor_name.unwrap_or_default()}</td>
                        <td>{line.detail.unwrap_or_default()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
