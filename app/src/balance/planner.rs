//! The payoff planner: "if I pay this much extra each time, when is my
//! past-due support gone?" Computed with the ledger's own arithmetic
//! ([`crate::ledger::payoff`]): in the browser as the parent types, and on
//! the server for the same form sent without JavaScript (`?extra=`).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use leptos_router::location::Url;

use super::model::PlannerBasis;
use super::text;
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
    payoff(past_due, basis.current, extra, basis.schedule, basis.from).map_err(NoPlan::Plan)
}

/// What the form starts with: the order's own pace if it has one, else a
/// tenth of the support (at least $10, in whole dollars).
fn suggested_extra(basis: PlannerBasis) -> Money {
    if basis.ordered_extra.is_positive() {
        return basis.ordered_extra;
    }
    let tenth = basis.current.cents() / 1_000 * 100;
    Money::from_cents(tenth.max(1_000))
}

#[component]
pub fn PayoffPlanner(past_due: Money, basis: PlannerBasis, case_number: String) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let initial = query
        .with_untracked(|q| q.get("extra"))
        .unwrap_or_else(|| suggested_extra(basis).amount().to_string());
    let extra = RwSignal::new(initial.clone());
    let result = Memo::new(move |_| extra.with(|text| plan(text, past_due, basis)));
    let invalid = move || {
        result.with(|r| {
            matches!(
                r,
                Err(NoPlan::Amount(_)) | Err(NoPlan::Plan(PayoffError::NoExtra))
            )
        })
    };
    view! {
        <section class="planner" id="planner" aria-labelledby="planner-heading">
            <h3 id="planner-heading">{t!(i18n, planner.heading)}</h3>
            <p>{t!(i18n, planner.intro, current = move || basis.current.to_string())}</p>
            {basis.ordered_extra.is_positive().then(|| view! {
                <p class="note">
                    {t!(i18n, planner.ordered, amount = move || basis.ordered_extra.to_string())}
                </p>
            })}
            <form method="get" action="#planner" on:submit=|event| event.prevent_default()>
                <div class="field" class:field-invalid=invalid>
                    <label for="extra">{t!(i18n, planner.extra_label)}</label>
                    <p class="field-hint" id="extra-hint">{t!(i18n, planner.extra_hint)}</p>
                    <div class="inline-field">
                        <input
                            id="extra"
                            name="extra"
                            type="text"
                            inputmode="decimal"
                            autocomplete="off"
                            value=initial
                            aria-describedby="extra-hint planner-result"
                            aria-invalid=move || invalid().then_some("true")
                            on:input=move |event| extra.set(event_target_value(&event))
                        />
                        <button class="button" type="submit">{t!(i18n, planner.show)}</button>
                    </div>
                </div>
            </form>
            <div id="planner-result" class="planner-result" aria-live="polite">
                {move || result.get().map_or_else(
                    |error| view! { <p class="field-error">{no_plan_text(i18n, &error)}</p> }.into_any(),
                    |plan| view! { <PlanFacts plan /> }.into_any(),
                )}
            </div>
            <p class="note">{t!(i18n, planner.make_it_official)}</p>
            // The plan as typed goes to the request form (a plain link: it
            // works without JavaScript, from the last "Show" too).
            <p>
                <A
                    href=move || format!("/cases/{case_number}/plan?extra={}", Url::escape(extra.get().trim()))
                    attr:class="button primary"
                >
                    {t!(i18n, planner.ask_for_plan)}
                </A>
            </p>
        </section>
    }
    .into_any()
}

#[component]
fn PlanFacts(plan: Payoff) -> impl IntoView {
    let i18n = use_i18n();
    let on = move || text::date(i18n.get_locale(), plan.paid_off_on);
    view! {
        <dl class="facts plan">
            <dt>{t!(i18n, planner.each_payment)}</dt>
            <dd class="amount" data-figure="plan-per-period">{plan.per_period.to_string()}</dd>
            <dt>{t!(i18n, planner.paid_off_on)}</dt>
            <dd data-figure="plan-paid-off">
                <strong>{on}</strong> " · "
                {t!(i18n, planner.payments, n = move || plan.periods)}
            </dd>
            <dt>{t!(i18n, planner.last_payment)}</dt>
            <dd class="amount">{plan.last_payment.to_string()}</dd>
            <dt>{t!(i18n, planner.total)}</dt>
            <dd class="amount" data-figure="plan-total">{plan.total_paid.to_string()}</dd>
        </dl>
    }
    .into_any()
}

fn no_plan_text(i18n: leptos_i18n::I18nContext<Locale>, error: &NoPlan) -> &'static str {
    match error {
        NoPlan::Amount(MoneyError::TooManyDecimals) => t_string!(i18n, planner.too_many_decimals),
        NoPlan::Amount(_) => t_string!(i18n, planner.not_an_amount),
        NoPlan::Plan(PayoffError::NoExtra) => t_string!(i18n, planner.no_extra),
        NoPlan::Plan(PayoffError::TooLong) => t_string!(i18n, planner.too_long),
        NoPlan::Plan(PayoffError::NothingPastDue) => t_string!(i18n, planner.nothing_past_due),
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
