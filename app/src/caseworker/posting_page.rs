//! `/caseload/{number}/post` and `/caseload/{number}/order`: actions that
//! move money, in two steps. The form is a GET, so its review is a page of
//! its own (the same with or without JavaScript) and changes nothing; only
//! the confirmation posts, once, with the review's one-time key.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

use super::api::{may_use_form, review_order, review_posting, ChangeOrder, PostEntry};
use super::model::{
    CaseForm, OrderForm, OrderReview, Posting, PostingForm, PostingReview, ORDER_FIELDS,
    POSTING_FIELDS,
};
use crate::components::form::{
    choices, problem_message, FixFields, QueryForm, SelectField, TextArea, TextField,
};
use crate::components::page::{case_number_param, refusal};
use crate::components::text;
use crate::components::title::PageTitle;
use crate::error::{AppError, Field, Problem};
use crate::i18n::*;
use crate::ledger::{Frequency, Money, PaymentSource};
use crate::requests::rules::RequestKind;

fn field(query: &ParamsMap, name: &str) -> String {
    query.get(name).unwrap_or_default()
}

/// What a review form shows again: the values typed, from the address, and
/// the problems the review found.
struct Refill {
    query: ParamsMap,
    problems: AppError,
}

impl Refill {
    fn value(&self, name: &str) -> String {
        field(&self.query, name)
    }

    fn problem(&self, about: Field) -> Option<Problem> {
        self.problems.problem_with(about)
    }

    /// A text field named `name`, with the problem found with `about`.
    fn text(
        &self,
        name: &'static str,
        about: Field,
        label: &'static str,
        hint: &'static str,
    ) -> impl IntoView {
        view! {
            <TextField
                name
                label
                hint
                value=self.value(name)
                problem=self.problem(about)
            />
        }
    }
}

/// A review was asked for: the form was sent.
fn reviewing(query: &ParamsMap) -> bool {
    query.get("review").is_some()
}

/// The body of a two-step page: the review, once the form was sent and
/// passed it; else the form, with any problems found; else the refusal.
fn review_or_form<R: Clone + Send + Sync + 'static>(
    review: Resource<Result<Option<R>, AppError>>,
    confirm: fn(R, ParamsMap) -> AnyView,
    form: fn(ParamsMap, AppError) -> AnyView,
) -> impl IntoView {
    let query = use_query_map();
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let query = query.get_untracked();
                match review.await {
                    Ok(Some(review)) => confirm(review, query),
                    Ok(None) => form(query, AppError::Invalid(vec![])),
                    Err(problems @ AppError::Invalid(_)) => form(query, problems),
                    Err(error) => refusal(error).into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn PostingPage() -> impl IntoView {
    let i18n = use_i18n();
    let number = case_number_param();
    let query = use_query_map();
    let review = Resource::new(
        move || (number.get(), query.get()),
        |(number, query)| async move {
            if !reviewing(&query) {
                return may_use_form(number, CaseForm::Posting).await.map(|()| None);
            }
            let [kind, amount, date, source, reference, reason, entry] =
                POSTING_FIELDS.map(|name| field(&query, name));
            let form = PostingForm {
                kind,
                amount,
                date,
                source,
                reference,
                reason,
                entry,
            };
            review_posting(number, form).await.map(Some)
        },
    );
    let posting = Memo::new(move |_| query.with(|q| Posting::parse(&field(q, "kind"))));
    view! {
        <PageTitle text=move || posting_title(i18n, posting.get()).to_string() />
        <section class="page narrow">
            <p class="crumbs"><A href=move || format!("/caseload/{}", number.get())>{t!(i18n, file.back)}</A></p>
            <h1>{move || posting_title(i18n, posting.get())} " · " {move || number.get()}</h1>
            {review_or_form(
                review,
                |review, query| view! { <ConfirmPosting review query /> }.into_any(),
                |query, problems| view! { <PostingFormView query problems /> }.into_any(),
            )}
        </section>
    }
}

fn posting_title(i18n: I18nContext<Locale>, posting: Option<Posting>) -> &'static str {
    match posting {
        Some(Posting::Payment) | None => t_string!(i18n, file.action_payment),
        Some(Posting::Adjustment) => t_string!(i18n, file.action_adjustment),
        Some(Posting::Hold) => t_string!(i18n, file.action_hold),
        Some(Posting::Release) => t_string!(i18n, file.action_release),
        Some(Posting::Reversal) => t_string!(i18n, file.action_reversal),
    }
}

#[component]
fn PostingFormView(query: ParamsMap, problems: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let number = case_number_param().get_untracked();
    let posting = Posting::parse(&field(&query, "kind")).unwrap_or(Posting::Payment);
    let refill = Refill {
        query,
        problems: problems.clone(),
    };
    let sources = choices(PaymentSource::ALL, PaymentSource::as_str, |source| {
        text::source(i18n, source)
    });
    view! {
        <FixFields problems=problems.clone() />
        <QueryForm action=format!("/caseload/{number}/post")>
            <input type="hidden" name="kind" value=posting.as_str() />
            <input type="hidden" name="review" value="1" />
            {(posting == Posting::Reversal).then(|| view! {
                <input type="hidden" name="entry" value=refill.value("entry") />
                <p>{t!(i18n, file.reversal_of_entry)} " #" {refill.value("entry")}</p>
                {refill.problem(Field::Entry).map(|problem| view! {
                    <p class="field-error">{problem_message(i18n, problem)}</p>
                })}
            })}
            {(posting != Posting::Reversal).then(|| {
                let hint = if posting == Posting::Adjustment {
                    t_string!(i18n, file.amount_signed_hint)
                } else {
                    t_string!(i18n, file.amount_hint)
                };
                refill.text("amount", Field::Amount, t_string!(i18n, file.amount), hint)
            })}
            <TextField
                name="date"
                label=if posting == Posting::Payment {
                    t_string!(i18n, file.date_received)
                } else {
                    t_string!(i18n, file.date_effective)
                }
                hint=t_string!(i18n, file.date_hint)
                kind="date"
                value=refill.value("date")
                problem=refill.problem(Field::Date)
            />
            {(posting == Posting::Payment).then(|| view! {
                <SelectField
                    name="source"
                    label=t_string!(i18n, file.source)
                    choices=sources.clone()
                    placeholder=t_string!(i18n, file.choose)
                    selected=refill.value("source")
                    problem=refill.problem(Field::Source)
                />
            })}
            {matches!(posting, Posting::Payment | Posting::Adjustment).then(|| {
                let (label, hint) = (t_string!(i18n, file.reference), t_string!(i18n, file.reference_hint));
                refill.text("reference", Field::Reference, label, hint)
            })}
            {posting.needs_reason().then(|| view! {
                <TextArea
                    name="reason"
                    label=t_string!(i18n, file.reason)
                    hint=t_string!(i18n, file.reason_hint)
                    value=refill.value("reason")
                    rows=3
                    problem=refill.problem(Field::Reason)
                />
            })}
            <button type="submit" class="button primary">{t!(i18n, file.review)}</button>
        </QueryForm>
    }
    .into_any()
}

/// The address of the form again, with what was typed (to change it).
fn change_link(path: String, query: &ParamsMap, fields: &[&str]) -> String {
    let pairs: Vec<String> = fields
        .iter()
        .map(|name| {
            format!(
                "{name}={}",
                leptos_router::location::Url::escape(&field(query, name))
            )
        })
        .collect();
    format!("{path}?{}", pairs.join("&"))
}

#[component]
fn ConfirmPosting(review: PostingReview, query: ParamsMap) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let post = ServerAction::<PostEntry>::new();
    let number = review.case_number.clone();
    let date = review.date;
    let posting = review.posting;
    let change = change_link(format!("/caseload/{number}/post"), &query, &POSTING_FIELDS);
    let hidden = POSTING_FIELDS.map(|name| (name, field(&query, name)));
    view! {
        <h2>{t!(i18n, file.review_heading)}</h2>
        <dl class="facts review">
            <dt>{t!(i18n, file.what)}</dt>
            <dd>{move || posting_title(i18n, Some(posting))}</dd>
            {review.reverses.clone().map(|entry| {
                let kind = entry.kind;
                view! {
                    <dt>{t!(i18n, file.reversal_of_entry)}</dt>
                    <dd>
                        "#" {entry.id} " · " {super::case_file_page::entry_text(i18n, kind)}
                        " · " {text::date(locale(), entry.effective)}
                    </dd>
                }
            })}
            <dt>{t!(i18n, file.amount)}</dt>
            <dd class="amount" data-figure="review-amount">{review.amount.to_string()}</dd>
            <dt>{if posting == Posting::Payment { t!(i18n, file.date_received).into_any() } else { t!(i18n, file.date_effective).into_any() }}</dt>
            <dd>{text::date(locale(), date)}</dd>
            {review.source.map(|source| view! {
                <dt>{t!(i18n, file.source)}</dt>
                <dd>{text::source(i18n, source)}</dd>
            })}
            {review.reference.clone().map(|reference| view! {
                <dt>{t!(i18n, file.reference)}</dt>
                <dd>{reference}</dd>
            })}
            {review.reason.clone().map(|reason| view! {
                <dt>{t!(i18n, file.reason)}</dt>
                <dd class="message-body">{reason}</dd>
            })}
        </dl>
        <BalanceChange before=review.balance_before after=review.balance_after />
        <ConfirmAlert result=post.value() />
        <ActionForm action=post>
            <input type="hidden" name="case_number" value=number.clone() />
            {hidden.into_iter().map(|(name, value)| view! {
                <input type="hidden" name=name value=value />
            }).collect_view()}
            <input type="hidden" name="key" value=review.key.clone() />
            <button type="submit" class="button primary">{t!(i18n, file.confirm)}</button>
        </ActionForm>
        <p><A href=change>{t!(i18n, file.change)}</A></p>
    }
    .into_any()
}

/// The paying parent's balance before and after: what the action does.
#[component]
fn BalanceChange(before: Money, after: Money) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="balance-change">
            {t!(i18n, file.balance_before)} " " <strong data-figure="balance-before">{before.to_string()}</strong>
            " → " {t!(i18n, file.balance_after)} " " <strong data-figure="balance-after">{after.to_string()}</strong>
        </p>
    }
}

/// A confirmation that failed: the form had been used, or the case changed
/// since the review (field problems then mean "review again").
#[component]
fn ConfirmAlert(#[prop(into)] result: Signal<Option<Result<(), AppError>>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        result
            .with(|result| match result {
                Some(Err(AppError::Invalid(_))) => Some(t_string!(i18n, file.changed_since_review)),
                Some(Err(error)) => crate::components::form::form_message(i18n, error),
                _ => None,
            })
            .map(|message| view! { <p class="form-alert" role="alert">{message}</p> })
    }
}

#[component]
pub fn OrderPage() -> impl IntoView {
    let i18n = use_i18n();
    let number = case_number_param();
    let query = use_query_map();
    let review = Resource::new(
        move || (number.get(), query.get()),
        |(number, query)| async move {
            if !reviewing(&query) {
                return may_use_form(number, CaseForm::Order).await.map(|()| None);
            }
            let [date, frequency, due_day, child_support, medical_support, arrears_payment, reference, reason, request] =
                ORDER_FIELDS.map(|name| field(&query, name));
            let form = OrderForm {
                date,
                frequency,
                due_day,
                child_support,
                medical_support,
                arrears_payment,
                reference,
                reason,
                request,
            };
            review_order(number, form).await.map(Some)
        },
    );
    view! {
        <PageTitle text=move || t_string!(i18n, file.action_order).to_string() />
        <section class="page narrow">
            <p class="crumbs"><A href=move || format!("/caseload/{}", number.get())>{t!(i18n, file.back)}</A></p>
            <h1>{t!(i18n, file.action_order)} " · " {move || number.get()}</h1>
            {review_or_form(
                review,
                |review, query| view! { <ConfirmOrder review query /> }.into_any(),
                |query, problems| view! { <OrderFormView query problems /> }.into_any(),
            )}
        </section>
    }
}

#[component]
fn OrderFormView(query: ParamsMap, problems: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let number = case_number_param().get_untracked();
    let refill = Refill {
        query,
        problems: problems.clone(),
    };
    let frequencies = choices(Frequency::ALL, Frequency::as_str, |frequency| {
        text::frequency(i18n, frequency)
    });
    view! {
        <p>{t!(i18n, file.order_intro)}</p>
        <FixFields problems=problems.clone() />
        <AnswersRequest request=refill.value("request") problems=problems.clone() />
        <QueryForm action=format!("/caseload/{number}/order")>
            <input type="hidden" name="review" value="1" />
            <input type="hidden" name="request" value=refill.value("request") />
            <TextField
                name="date"
                label=t_string!(i18n, file.order_date)
                hint=t_string!(i18n, file.order_date_hint)
                kind="date"
                value=refill.value("date")
                problem=refill.problem(Field::Date)
            />
            <SelectField
                name="frequency"
                label=t_string!(i18n, file.frequency)
                choices=frequencies
                placeholder=t_string!(i18n, file.choose)
                selected=refill.value("frequency")
                problem=refill.problem(Field::Frequency)
            />
            <SelectField
                name="due_day"
                label=t_string!(i18n, file.due_day)
                choices=vec![
                    ("keep".to_owned(), t_string!(i18n, file.due_day_keep).to_owned()),
                    ("date".to_owned(), t_string!(i18n, file.due_day_date).to_owned()),
                ]
                placeholder=t_string!(i18n, file.choose)
                selected=refill.value("due_day")
                problem=refill.problem(Field::DueDay)
            />
            {[
                ("child_support", Field::ChildSupport, t_string!(i18n, file.child_support), t_string!(i18n, file.amount_hint)),
                ("medical_support", Field::MedicalSupport, t_string!(i18n, file.medical_support), t_string!(i18n, file.optional_amount_hint)),
                ("arrears_payment", Field::ArrearsPayment, t_string!(i18n, file.arrears_payment), t_string!(i18n, file.arrears_payment_hint)),
                ("reference", Field::Reference, t_string!(i18n, file.order_reference), t_string!(i18n, file.order_reference_hint)),
            ]
            .map(|(name, about, label, hint)| refill.text(name, about, label, hint))
            .into_iter()
            .collect_view()}
            <TextArea
                name="reason"
                label=t_string!(i18n, file.reason)
                hint=t_string!(i18n, file.order_reason_hint)
                value=refill.value("reason")
                rows=3
                problem=refill.problem(Field::Reason)
            />
            <button type="submit" class="button primary">{t!(i18n, file.review)}</button>
        </QueryForm>
    }
    .into_any()
}

/// Says which request the order form answers, and why it no longer can.
#[component]
fn AnswersRequest(request: String, problems: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let id: Option<i32> = request.trim().parse().ok();
    id.map(|id| {
        view! {
            <p class="notice" id="request-notice">
                {t!(i18n, requests.order_answers)} " "
                <A href=format!("/requests/{id}")>{t!(i18n, requests.request_number, id = move || id)}</A>
            </p>
            {problems.problem_with(Field::Request).map(|problem| view! {
                <p class="field-error" id="request-error">{problem_message(i18n, problem)}</p>
            })}
        }
    })
}

#[component]
fn ConfirmOrder(review: OrderReview, query: ParamsMap) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let change = ServerAction::<ChangeOrder>::new();
    let number = review.case_number.clone();
    let effective = review.effective_on;
    let frequency = review.frequency;
    let schedule = review.schedule;
    let recharged = review.recharged;
    let back = change_link(format!("/caseload/{number}/order"), &query, &ORDER_FIELDS);
    let hidden = ORDER_FIELDS.map(|name| (name, field(&query, name)));
    let optional = |amount: Option<Money>| {
        amount.map_or_else(|| t_string!(i18n, file.none).to_owned(), |a| a.to_string())
    };
    view! {
        <h2>{t!(i18n, file.review_heading)}</h2>
        {review.request.map(|(id, kind)| view! {
            <p class="notice">
                {move || match kind {
                    RequestKind::PaymentPlan => t_string!(i18n, requests.order_approves_plan),
                    RequestKind::Modification => t_string!(i18n, requests.order_decides_change),
                }}
                " " <A href=format!("/requests/{id}")>{t!(i18n, requests.request_number, id = move || id)}</A>
            </p>
        })}
        <dl class="facts review">
            <dt>{t!(i18n, file.order_date)}</dt>
            <dd>{text::date(locale(), effective)}</dd>
            <dt>{t!(i18n, file.frequency)}</dt>
            <dd>{text::frequency(i18n, frequency)}</dd>
            <dt>{t!(i18n, file.due_day)}</dt>
            <dd>{text::due_day(locale(), schedule)}</dd>
            <dt>{t!(i18n, file.child_support)}</dt>
            <dd class="amount">{review.child_support.to_string()}</dd>
            <dt>{t!(i18n, file.medical_support)}</dt>
            <dd class="amount">{optional(review.medical_support)}</dd>
            <dt>{t!(i18n, file.arrears_payment)}</dt>
            <dd class="amount">{optional(review.arrears_payment)}</dd>
            <dt>{t!(i18n, file.order_reference)}</dt>
            <dd>{review.reference.clone()}</dd>
            <dt>{t!(i18n, file.reason)}</dt>
            <dd class="message-body">{review.reason.clone()}</dd>
        </dl>
        {(recharged > 0).then(|| view! {
            <p class="notice">{t!(i18n, file.recharged, n = move || recharged)}</p>
        })}
        <BalanceChange before=review.balance_before after=review.balance_after />
        <ConfirmAlert result=change.value() />
        <ActionForm action=change>
            <input type="hidden" name="case_number" value=number.clone() />
            {hidden.into_iter().map(|(name, value)| view! {
                <input type="hidden" name=name value=value />
            }).collect_view()}
            <input type="hidden" name="key" value=review.key.clone() />
            <button type="submit" class="button primary">{t!(i18n, file.confirm_order)}</button>
        </ActionForm>
        <p><A href=back>{t!(i18n, file.change)}</A></p>
    }
    .into_any()
}
