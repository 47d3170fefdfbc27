//! The payoff planner: "if I pay this much extra each time, when is my
//! past-due support gone?" Computed with the ledger's own arithmetic
//! ([`crate::ledger::payoff`]): in the browser as the parent types (an
//! island), and on the server for the amount the form sent (`?extra=`), so
//! it works the same without JavaScript.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use leptos_router::location::Url;

use super::model::PlannerBasis;
use crate::components::text;
use crate::i18n::*;
use crate::ledger::{payoff, Money, MoneyError, Payoff, PayoffError};

/// Why there is no plan to show.
#[derive(Debug, Clone, PartialEq, Eq)]
enum NoPlan {
    Amount(MoneyError),
    Plan(PayoffError),
}

fn plan(extra: &str, past_due: Money, basis: PlannerBasis) -> Result<Payoff, NoPlan> {
    let extra = Money::parse(extra.trim().trim_start_matches('$')).map_err(NoPlan::Amount)?;
    payoff(
        past_due,
        basis.current,
        extra,
        basis.schedule,
        basis.series_start,
        basis.from,
    )
    .map_err(NoPlan::Plan)
}

/// What the form starts with: the order's own pace if it has one, else a
/// tenth of the support (at least $10, in whole dollars).
fn suggested_extra(basis: PlannerBasis) -> Money {
    if basis.ordered_extra.is_positive() {
        return basis.ordered_extra;
    }
    basis
        .current
        .tenth_in_whole_dollars()
        .max(Money::from_cents(1_000))
}

#[component]
pub fn PayoffPlanner(past_due: Money, basis: PlannerBasis, case_number: String) -> impl IntoView {
    let i18n = use_i18n();
    let extra = use_query_map()
        .with_untracked(|q| q.get("extra"))
        .unwrap_or_else(|| suggested_extra(basis).amount().to_string());
    let locale = i18n.get_locale_untracked();
    view! { <PlannerForm past_due basis case_number start=extra locale /> }
}

/// The planner itself, an island: its texts are looked up for the reader's
/// language directly (`td_string!`), so the browser needs no translation
/// context, only the keys used here.
#[island]
fn PlannerForm(
    past_due: Money,
    basis: PlannerBasis,
    case_number: String,
    /// The amount to start with.
    start: String,
    locale: Locale,
) -> impl IntoView {
    let extra = RwSignal::new(start.clone());
    let result = Memo::new(move |_| extra.with(|text| plan(text, past_due, basis)));
    let invalid = move || {
        result.with(|r| {
            matches!(
                r,
                Err(NoPlan::Amount(_)) | Err(NoPlan::Plan(PayoffError::NoExtra))
            )
        })
    };
    // The plan as typed goes to the request form (a plain link: it works
    // without JavaScript, from the last "Show" too).
    let ask_href = move || {
        format!(
            "/cases/{case_number}/plan?extra={}",
            Url::escape(extra.get().trim())
        )
    };
    view! {
        <section class="planner" id="planner" aria-labelledby="planner-heading">
            <h3 id="planner-heading">{td_string!(locale, planner.heading)}</h3>
            <p>{td_string!(locale, planner.intro, current = basis.current).to_string()}</p>
            {basis.ordered_extra.is_positive().then(|| view! {
                <p class="note">
                    {td_string!(locale, planner.ordered, amount = basis.ordered_extra).to_string()}
                </p>
            })}
            // Without JavaScript "Show" sends the form; with it the plan
            // already follows the typing, so the form is not sent.
            <form method="get" action="#planner" on:submit=|event| event.prevent_default()>
                <div class="field" class:field-invalid=invalid>
                    <label for="extra">{td_string!(locale, planner.extra_label)}</label>
                    <p class="field-hint" id="extra-hint">{td_string!(locale, planner.extra_hint)}</p>
                    <div class="inline-field">
                        <input
                            id="extra"
                            name="extra"
                            type="text"
                            inputmode="decimal"
                            autocomplete="off"
                            value=start
                            aria-describedby="extra-hint planner-result"
                            aria-invalid=move || invalid().then_some("true")
                            on:input=move |event| extra.set(event_target_value(&event))
                        />
                        <button class="button" type="submit">{td_string!(locale, planner.show)}</button>
                    </div>
                </div>
            </form>
            <div id="planner-result" class="planner-result" aria-live="polite">
                {move || result.get().map_or_else(
                    |error| view! { <p class="field-error">{no_plan_text(locale, &error)}</p> }.into_any(),
                    |plan| plan_facts(locale, plan).into_any(),
                )}
            </div>
            <p class="note">{td_string!(locale, planner.make_it_official)}</p>
            <p>
                <a href=ask_href class="button primary">{td_string!(locale, planner.ask_for_plan)}</a>
            </p>
        </section>
    }
}

fn plan_facts(locale: Locale, plan: Payoff) -> impl IntoView {
    view! {
        <dl class="facts plan">
            <dt>{td_string!(locale, planner.each_payment)}</dt>
            <dd class="amount" data-figure="plan-per-period">{plan.per_period.to_string()}</dd>
            <dt>{td_string!(locale, planner.paid_off_on)}</dt>
            <dd data-figure="plan-paid-off">
                <strong>{text::date(locale, plan.paid_off_on)}</strong> " · "
                {td_string!(locale, planner.payments, n = plan.periods).to_string()}
            </dd>
            <dt>{td_string!(locale, planner.last_payment)}</dt>
            <dd class="amount">{plan.last_payment.to_string()}</dd>
            <dt>{td_string!(locale, planner.total)}</dt>
            <dd class="amount" data-figure="plan-total">{plan.total_paid.to_string()}</dd>
        </dl>
    }
}

fn no_plan_text(locale: Locale, error: &NoPlan) -> &'static str {
    match error {
        NoPlan::Amount(MoneyError::TooManyDecimals) => {
            td_string!(locale, planner.too_many_decimals)
        }
        NoPlan::Amount(_) => td_string!(locale, planner.not_an_amount),
        NoPlan::Plan(PayoffError::NoExtra) => td_string!(locale, planner.no_extra),
        NoPlan::Plan(PayoffError::TooLong) => td_string!(locale, planner.too_long),
        NoPlan::Plan(PayoffError::NothingPastDue) => td_string!(locale, planner.nothing_past_due),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::Schedule;
    use chrono::NaiveDate;

    fn basis(current: i64, ordered: i64) -> PlannerBasis {
        PlannerBasis {
            current: Money::from_cents(current),
            schedule: Schedule::monthly(1).unwrap_or_else(|e| panic!("{e}")),
            series_start: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default(),
            from: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default(),
            ordered_extra: Money::from_cents(ordered),
        }
    }

    #[test]
    fn the_form_reads_what_people_type() {
        let past_due = Money::from_cents(60_000);
        let plan = plan(" $50 ", past_due, basis(40_000, 0)).map(|p| p.periods);
        assert_eq!(plan, Ok(12));
        assert_eq!(
            super::plan("fifty", past_due, basis(40_000, 0)),
            Err(NoPlan::Amount(MoneyError::NotANumber))
        );
        assert_eq!(
            super::plan("0", past_due, basis(40_000, 0)),
            Err(NoPlan::Plan(PayoffError::NoExtra))
        );
    }

    #[test]
    fn the_suggestion_is_the_orders_pace_or_a_tenth_of_support() {
        assert_eq!(suggested_extra(basis(45_000, 0)), Money::from_cents(4_500));
        assert_eq!(
            suggested_extra(basis(45_000, 7_500)),
            Money::from_cents(7_500)
        );
        assert_eq!(suggested_extra(basis(5_000, 0)), Money::from_cents(1_000));
    }
}
