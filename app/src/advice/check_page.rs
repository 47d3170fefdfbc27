//! `/advice/check`: is a review of my order likely? A GET form, so the
//! answer is an address that works without JavaScript; a signed-in parent
//! gets the order's age filled in from their case.

use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::eligibility_check;
use super::eligibility::{CheckForm, CheckPage, Finding, Outcome, Thresholds, Verdict};
use crate::components::form::{Checkbox, QueryForm, SelectField, TextField};
use crate::components::page::Load;
use crate::components::title::PageTitle;
use crate::error::Field;
use crate::i18n::*;
use crate::requests::pages::document_text;

/// The form's fields as they are in the address.
const FIELDS: [&str; 9] = [
    "case_number",
    "income_then",
    "income_now",
    "job_lost",
    "months_out_of_work",
    "insurance_changed",
    "child_care_changed",
    "months_since_order",
    "checked",
];

#[component]
pub fn EligibilityPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let typed = move || query.with(|q| FIELDS.map(|name| q.get(name)));
    let page = Resource::new(
        typed,
        |[case, then, now, lost, out, insurance, care, since, checked]| {
            let form = CheckForm {
                case_number: case.unwrap_or_default(),
                income_then: then.unwrap_or_default(),
                income_now: now.unwrap_or_default(),
                job_lost: lost.is_some(),
                months_out_of_work: out.unwrap_or_default(),
                insurance_changed: insurance.is_some(),
                child_care_changed: care.is_some(),
                months_since_order: since.unwrap_or_default(),
            };
            eligibility_check(form, checked.is_some())
        },
    );
    view! {
        <PageTitle text=move || t_string!(i18n, check.title).to_string() />
        <Meta name="description" content=move || t_string!(i18n, check.intro).to_string() />
        <section class="page narrow">
            <p class="crumbs"><A href="/advice">{t!(i18n, advice.title)}</A></p>
            <h1>{t!(i18n, check.title)}</h1>
            <p>{t!(i18n, check.intro)}</p>
            <Load resource=page let:page>
                <CheckView page typed=typed() />
            </Load>
        </section>
    }
}

#[component]
fn CheckView(page: CheckPage, typed: [Option<String>; 9]) -> impl IntoView {
    let i18n = use_i18n();
    let [case, then, now, lost, out, insurance, care, since, _] = typed;
    let problems = page.problems.clone();
    let problem = move |field: Field| {
        problems
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.problem)
    };
    // The order's age: as typed, else from the chosen (or only) case.
    let chosen = case
        .clone()
        .or_else(|| page.cases.first().map(|c| c.case_number.clone()));
    let since = since.or_else(|| {
        page.cases
            .iter()
            .find(|c| Some(&c.case_number) == chosen.as_ref())
            .and_then(|c| c.months_since_order)
            .map(|months| months.to_string())
    });
    let thresholds = page.thresholds;
    let selected = chosen.clone();
    view! {
        <QueryForm action="/advice/check">
            <input type="hidden" name="checked" value="1" />
            {(!page.cases.is_empty()).then(|| view! {
                <SelectField
                    name="case_number"
                    label=t_string!(i18n, check.case_label)
                    choices=page.cases.iter().map(|c| (c.case_number.clone(), c.case_number.clone())).collect()
                    selected=selected.clone()
                />
            })}
            <fieldset>
                <legend>{t!(i18n, check.income_legend)}</legend>
                <p class="field-hint" id="income-hint">{t!(i18n, check.income_hint)}</p>
                <TextField name="income_then" inputmode="decimal" label=t_string!(i18n, check.income_then) value=then problem=problem(Field::IncomeThen) />
                <TextField name="income_now" inputmode="decimal" label=t_string!(i18n, check.income_now) value=now problem=problem(Field::IncomeNow) />
            </fieldset>
            <fieldset>
                <legend>{t!(i18n, check.changes_legend)}</legend>
                <Checkbox name="job_lost" label=t_string!(i18n, check.job_lost) checked=lost.is_some() />
                <TextField name="months_out_of_work" inputmode="decimal" label=t_string!(i18n, check.months_out_of_work) value=out problem=problem(Field::MonthsOutOfWork) />
                <Checkbox name="insurance_changed" label=t_string!(i18n, check.insurance_changed) checked=insurance.is_some() />
                <Checkbox name="child_care_changed" label=t_string!(i18n, check.child_care_changed) checked=care.is_some() />
                <TextField name="months_since_order" inputmode="decimal" label=t_string!(i18n, check.months_since_order) value=since problem=problem(Field::MonthsSinceOrder) />
            </fieldset>
            <button type="submit" class="button">{t!(i18n, check.submit)}</button>
        </QueryForm>
        {page.outcome.map(|outcome| view! { <OutcomeView outcome thresholds case_number=chosen.clone() /> })}
    }
}

#[component]
fn OutcomeView(
    outcome: Outcome,
    thresholds: Thresholds,
    case_number: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let verdict = outcome.verdict;
    let reasons = outcome
        .reasons
        .iter()
        .map(|reason| reason.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let request = match &case_number {
        Some(number) => format!("/cases/{number}/change?reasons={reasons}"),
        None => "/dashboard".to_owned(),
    };
    view! {
        <section class="notice outcome" aria-labelledby="outcome-heading" data-verdict=match verdict {
            Verdict::LikelyToQualify => "likely",
            Verdict::TalkToCaseworker => "talk",
            Verdict::ProbablyNotYet => "not_yet",
        }>
            <h2 id="outcome-heading">
                {move || match verdict {
                    Verdict::LikelyToQualify => t_string!(i18n, check.verdict_likely),
                    Verdict::TalkToCaseworker => t_string!(i18n, check.verdict_talk),
                    Verdict::ProbablyNotYet => t_string!(i18n, check.verdict_not_yet),
                }}
            </h2>
            <ul class="findings">
                {outcome.findings.into_iter().map(|finding| view! { <li><FindingText finding thresholds /></li> }).collect_view()}
            </ul>
            {(!outcome.documents.is_empty()).then(|| view! {
                <h3>{t!(i18n, check.documents_heading)}</h3>
                <ul class="checklist">
                    {outcome.documents.into_iter().map(|document| view! {
                        <li>{document_text(i18n, document)}</li>
                    }).collect_view()}
                </ul>
            })}
            <p>
                {match verdict {
                    Verdict::ProbablyNotYet => view! {
                        <A href="/messages">{t!(i18n, advice.action_message)}</A>
                    }.into_any(),
                    _ => view! {
                        <A href=request attr:class="button">{t!(i18n, advice.action_change)}</A>
                    }.into_any(),
                }}
            </p>
        </section>
    }
}

#[component]
fn FindingText(finding: Finding, thresholds: Thresholds) -> impl IntoView {
    let i18n = use_i18n();
    let share = thresholds.income_change_percent;
    let age = thresholds.review_after_months;
    match finding {
        Finding::IncomeChanged { percent } => t!(
            i18n,
            check.finding_income_changed,
            percent = move || percent,
            threshold = move || share
        )
        .into_any(),
        Finding::IncomeChangedLittle { percent } => t!(
            i18n,
            check.finding_income_little,
            percent = move || percent,
            threshold = move || share
        )
        .into_any(),
        Finding::IncomeUnmeasured => t!(i18n, check.finding_income_unmeasured).into_any(),
        Finding::JobLost { months } => {
            t!(i18n, check.finding_job_lost, months = move || months).into_any()
        }
        Finding::JobLostRecently => t!(i18n, check.finding_job_recent).into_any(),
        Finding::InsuranceChanged => t!(i18n, check.finding_insurance).into_any(),
        Finding::ChildCareChanged => t!(i18n, check.finding_child_care).into_any(),
        Finding::OrderOld { months } => t!(
            i18n,
            check.finding_order_old,
            months = move || months,
            threshold = move || age
        )
        .into_any(),
        Finding::OrderRecent { months } => t!(
            i18n,
            check.finding_order_recent,
            months = move || months,
            threshold = move || age
        )
        .into_any(),
    }
}
