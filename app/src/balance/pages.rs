//! The overview (`/dashboard`): one card per case, and what every case page
//! shares: the card, the case's tabs, and how a case's role and status read.

use leptos::prelude::*;
use leptos_router::components::A;

use super::api::overview;
use super::model::{CaseCard, CaseStatus, FeeTerms, Overview, Payment, ReceiverMoney, Term};
use crate::components::page::{AsOf, Load};
use crate::components::term::GlossaryTerm;
use crate::components::text;
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::ledger::{Money, NextDue};
use crate::reader::CaseRole;
use leptos_i18n::I18nContext;

#[component]
pub fn MyCasesPage() -> impl IntoView {
    let i18n = use_i18n();
    let overview = Resource::new(|| (), |_| overview());
    view! {
        <PageTitle text=move || t_string!(i18n, cases.my_cases_title).to_string() />
        <section class="page wide">
            <h1>{t!(i18n, cases.my_cases_title)}</h1>
            <Load resource=overview let:overview>
                <OverviewView overview />
            </Load>
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
    view! {
        <p>{t!(i18n, cases.my_cases_intro)}</p>
        <div class="cards">
            {overview
                .cards
                .into_iter()
                .map(|card| view! { <CaseCardView card heading=true /> })
                .collect_view()}
        </div>
        {(!overview.staff_cases.is_empty()).then(|| view! {
            <ul class="case-list">
                {overview.staff_cases.into_iter().map(|case| view! {
                    <li>
                        <A href=format!("/cases/{}", case.case_number)>{case.case_number.clone()}</A>
                        " · "
                        {role_text(i18n, case.role)}
                    </li>
                }).collect_view()}
            </ul>
            <p><A href="/caseload">{t!(i18n, caseload.whole)}</A></p>
        })}
        <AsOf as_of=overview.as_of />
    }
    .into_any()
}

/// Where a case stands: what is owed and past due, what the order asks and
/// when, the last payment, and for the receiving side what was sent on.
#[component]
pub fn CaseCardView(
    card: CaseCard,
    /// On the dashboard the card names its case; on the case page the page does.
    heading: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let past_due = card.past_due();
    let timing = card.past_due_timing;
    let heading_id = format!("case-{}", card.case_number);
    let labelled_by = heading.then(|| heading_id.clone());
    let terms = card.terms.clone();
    let next_due = card.next_due;
    view! {
        <article class="card" aria-labelledby=labelled_by>
            {heading.then(|| view! {
                <h2 id=heading_id>
                    <A href=format!("/cases/{}", card.case_number)>{card.case_number.clone()}</A>
                </h2>
            })}
            <p class="card-role">{role_text(i18n, card.role)}</p>
            <dl class="facts">
                <dt>
                    {move || match card.role {
                        CaseRole::PayingParent => t_string!(i18n, balance.owed_paying),
                        CaseRole::ReceivingParent => t_string!(i18n, balance.owed_receiving),
                        _ => t_string!(i18n, balance.owed_staff),
                    }}
                </dt>
                <dd class="amount" data-figure="owed">{card.owed.to_string()}</dd>
                <dt><GlossaryTerm slug="past-due-support">{t!(i18n, balance.past_due)}</GlossaryTerm></dt>
                <dd class="amount" data-figure="past-due">
                    {past_due.to_string()}
                    {timing.is_positive().then(|| view! {
                        <span class="note">
                            " — " <GlossaryTerm slug="timing">{t!(i18n, balance.timing_note)}</GlossaryTerm> " " {timing.to_string()}
                        </span>
                    })}
                </dd>
                <AddedCharges interest=card.interest rate=card.interest_rate fee=card.service_fee />
                {card.credit.is_positive().then(|| view! {
                    <dt><GlossaryTerm slug="credit">{t!(i18n, balance.credit)}</GlossaryTerm></dt>
                    <dd class="amount" data-figure="credit">{card.credit.to_string()}</dd>
                })}
                {(!terms.is_empty()).then(|| view! {
                    <dt><GlossaryTerm slug="order">{t!(i18n, balance.order_says)}</GlossaryTerm></dt>
                    <dd><Terms terms=terms.clone() /></dd>
                })}
                <NextDueFact next_due receiving=card.role == CaseRole::ReceivingParent />
                <LastPaymentFact payment=card.last_payment />
                {card
                    .to_receiver
                    .map(|money| {
                        let receiving = card.role == CaseRole::ReceivingParent;
                        view! { <ReceiverFacts money receiving /> }
                    })}
            </dl>
        </article>
    }
    .into_any()
}

/// Interest and the service fee, where the case has them.
#[component]
fn AddedCharges(
    interest: Money,
    rate: Option<rust_decimal::Decimal>,
    fee: Option<FeeTerms>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {interest.is_positive().then(|| view! {
            <dt>{t!(i18n, balance.interest)}</dt>
            <dd class="amount" data-figure="interest">{interest.to_string()}</dd>
        })}
        {rate.map(|rate| view! {
            <dt>{t!(i18n, balance.interest_rate)}</dt>
            <dd data-figure="interest-rate">
                {t!(i18n, balance.interest_rate_value, rate = move || (rate * rust_decimal::Decimal::ONE_HUNDRED).normalize().to_string())}
            </dd>
        })}
        {fee.map(|fee| view! {
            <dt>{t!(i18n, balance.service_fee)}</dt>
            <dd data-figure="service-fee">
                {t!(i18n, balance.service_fee_terms,
                    amount = move || fee.amount.to_string(),
                    threshold = move || fee.threshold.to_string())}
                <span class="note">
                    " — " {t!(i18n, balance.service_fee_kept,
                        year = move || fee.fiscal_year,
                        kept = move || fee.kept_this_year.to_string())}
                </span>
            </dd>
        })}
    }
}

/// What is due next and when, and for the receiving parent when it should
/// reach them.
#[component]
fn NextDueFact(next_due: Option<NextDue>, receiving: bool) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    view! {
        <dt><GlossaryTerm slug="due-date">{t!(i18n, balance.next_due)}</GlossaryTerm></dt>
        <dd data-figure="next-due">
            {match next_due {
                Some(next) => view! {
                    <span class="amount">{next.support.to_string()}</span>
                    " · " {text::date(locale(), next.on)}
                    {next.toward_past_due.is_positive().then(|| view! {
                        <span class="note">
                            " (+ " {next.toward_past_due.to_string()} " "
                            <GlossaryTerm slug="arrears-payment">{t!(i18n, balance.toward_past_due)}</GlossaryTerm> ")"
                        </span>
                    })}
                }.into_any(),
                None => view! { {t!(i18n, balance.nothing_due)} }.into_any(),
            }}
            // When that money should reach the receiving parent.
            {(receiving && next_due.is_some()).then(|| view! {
                <span class="note" data-figure="reaches-you">
                    " — " {t!(i18n, balance.reaches_you)}
                </span>
            })}
        </dd>
    }
}

#[component]
fn LastPaymentFact(payment: Option<Payment>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    view! {
        <dt>{t!(i18n, balance.last_payment)}</dt>
        <dd data-figure="last-payment">
            {match payment {
                Some(payment) => view! {
                    <span class="amount">{payment.amount.to_string()}</span>
                    " · " {text::date(locale(), payment.on)} " · "
                    {text::source(i18n, payment.source)}
                }.into_any(),
                None => view! { {t!(i18n, balance.no_payment)} }.into_any(),
            }}
        </dd>
    }
}

/// "Sent to you" and "On hold", for the receiving parent.
#[component]
fn ReceiverFacts(
    money: ReceiverMoney,
    /// Read by the receiving parent ("sent to you"), or by staff.
    receiving: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    view! {
        <dt>
            <GlossaryTerm slug="disbursement">
                {move || if receiving {
                    t_string!(i18n, balance.sent_to_you)
                } else {
                    t_string!(i18n, balance.sent_to_receiver)
                }}
            </GlossaryTerm>
        </dt>
        <dd data-figure="sent">
            {match money.last_sent {
                Some((on, amount)) => view! {
                    <span class="amount">{amount.to_string()}</span>
                    " · " {text::date(locale(), on)}
                    <span class="note">
                        " — " {t!(i18n, balance.sent_this_year)} " "
                        {money.sent_this_year.to_string()}
                    </span>
                }.into_any(),
                None => view! { {t!(i18n, balance.nothing_sent)} }.into_any(),
            }}
        </dd>
        {(!money.on_hold.is_empty()).then(|| view! {
            <dt id="on-hold"><GlossaryTerm slug="hold">{t!(i18n, balance.on_hold)}</GlossaryTerm></dt>
            {money.on_hold.into_iter().map(|held| view! {
                <dd data-figure="on-hold">
                    <span class="amount">{held.amount.to_string()}</span>
                    " · " {t!(i18n, balance.held_since)} " " {text::date(locale(), held.since)}
                    {held.reason.map(|reason| view! { <span class="held-reason">{reason}</span> })}
                </dd>
            }).collect_view()}
        })}
    }
    .into_any()
}

/// An order's terms: "$450.00 monthly child support", one per line.
#[component]
pub fn Terms(terms: Vec<Term>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="terms">
            {terms.into_iter().map(|term| view! {
                <li>
                    <span class="amount">{term.amount.to_string()}</span> " "
                    {text::frequency(i18n, term.frequency)} " · "
                    {text::obligation(i18n, term.kind)}
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// Which view of a case this is, for its tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseTab {
    Overview,
    History,
    Months,
    Statement,
}

/// The case's views; the router marks the current one (`aria-current`).
#[component]
pub fn CaseTabs(case_number: String) -> impl IntoView {
    let i18n = use_i18n();
    let base = format!("/cases/{case_number}");
    // `exact`: the overview's address is the start of every other tab's.
    let tab = move |href: String, label: &'static str| {
        view! { <li><A href=href exact=true>{label}</A></li> }
    };
    view! {
        <nav class="case-tabs" aria-label=move || t_string!(i18n, case.tabs_label).to_string()>
            <ul>
                {[
                    (CaseTab::Overview, ""),
                    (CaseTab::History, "/history"),
                    (CaseTab::Months, "/months"),
                    (CaseTab::Statement, "/statement"),
                ]
                    .map(|(which, path)| {
                        let href = format!("{base}{path}");
                        move || tab(href.clone(), tab_label(i18n, which))
                    })
                    .into_iter()
                    .collect_view()}
            </ul>
        </nav>
    }
    .into_any()
}

fn tab_label(i18n: I18nContext<Locale>, tab: CaseTab) -> &'static str {
    match tab {
        CaseTab::Overview => t_string!(i18n, case.tab_overview),
        CaseTab::History => t_string!(i18n, case.tab_history),
        CaseTab::Months => t_string!(i18n, case.tab_months),
        CaseTab::Statement => t_string!(i18n, case.tab_statement),
    }
}

/// A person's part in a case, in the reader's language.
pub fn role_text(i18n: I18nContext<Locale>, role: CaseRole) -> &'static str {
    match role {
        CaseRole::PayingParent => t_string!(i18n, cases.role_paying_parent),
        CaseRole::ReceivingParent => t_string!(i18n, cases.role_receiving_parent),
        CaseRole::AssignedCaseworker => t_string!(i18n, cases.role_assigned_caseworker),
        CaseRole::Supervisor => t_string!(i18n, cases.role_supervisor),
    }
}

/// A case's status, in the reader's language.
pub fn status_text(i18n: I18nContext<Locale>, status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::Open => t_string!(i18n, cases.status_open),
        CaseStatus::Closed => t_string!(i18n, cases.status_closed),
    }
}
