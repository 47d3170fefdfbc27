//! The request pages: a parent proposes a payment plan
//! (`/cases/{n}/plan`) or asks for a change of support (`/cases/{n}/change`);
//! both sides follow it at `/requests/{id}`, where staff move it on.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::{
    case_requests, open_change_form, open_plan_form, open_request, AskChange, AskPlan, RequestStep,
};
use super::model::{ChangeStart, Hearing, PlanStart, RequestEvent, RequestSummary, RequestView};
use super::rules::{Document, Reason, RequestKind, RequestStatus, Step};
use crate::components::form::{field_problem, FieldProblem, FormAlert, TextArea, TextField};
use crate::components::page::{case_number_param, id_param, Load};
use crate::components::text;
use crate::components::title::PageTitle;
use crate::error::{AppError, Field};
use crate::i18n::*;
use crate::ledger::Money;
use crate::reader::CaseRole;

type Answer = Signal<Option<Result<(), AppError>>>;

/// `/cases/{n}/plan`: extra each period toward past-due support, from a day.
#[component]
pub fn PlanRequestPage() -> impl IntoView {
    let i18n = use_i18n();
    let number = case_number_param();
    let ask = ServerAction::<AskPlan>::new();
    let start = Resource::new(move || number.get(), open_plan_form);
    let result = Signal::derive(move || ask.value().get());
    view! {
        <PageTitle text=move || t_string!(i18n, requests.plan_title).to_string() />
        <section class="page narrow">
            <p class="crumbs"><A href=move || format!("/cases/{}", number.get())>{t!(i18n, requests.back_to_case)}</A></p>
            <h1>{t!(i18n, requests.plan_title)}</h1>
            <Load resource=start let:start>
                <PlanForm start ask result />
            </Load>
        </section>
    }
}

#[component]
fn PlanForm(start: PlanStart, ask: ServerAction<AskPlan>, result: Answer) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let query = use_query_map();
    let extra = query
        .with_untracked(|q| q.get("extra"))
        .unwrap_or_else(|| suggested(&start).amount().to_string());
    let (past_due, current) = (start.past_due.to_string(), start.current.to_string());
    let frequency = start.frequency;
    let ordered = start.ordered_extra;
    view! {
        <dl class="facts">
            <dt>{t!(i18n, requests.past_due_now)}</dt>
            <dd class="amount">{past_due}</dd>
            <dt>{t!(i18n, requests.support_now)}</dt>
            <dd>
                <span class="amount">{current}</span> " · "
                {text::frequency(i18n, frequency)}
            </dd>
            {ordered.is_positive().then(|| view! {
                <dt>{t!(i18n, requests.ordered_extra)}</dt>
                <dd class="amount">{ordered.to_string()}</dd>
            })}
        </dl>
        <p>{t!(i18n, requests.plan_intro)}</p>
        <FormAlert result />
        <RequestProblem result />
        <ActionForm action=ask attr:novalidate=true>
            <input type="hidden" name="case_number" value=start.case_number.clone() />
            <input type="hidden" name="key" value=start.key.clone() />
            <TextField
                autocomplete="off"
                name="extra"
                label=t_string!(i18n, requests.extra_label)
                hint=t_string!(i18n, requests.extra_hint)
                value=extra
                inputmode="decimal"
                problem=field_problem(result, Field::Amount)
            />
            <TextField
                autocomplete="off"
                name="starts_on"
                label=t_string!(i18n, requests.starts_label)
                hint=t_string!(i18n, requests.starts_hint)
                kind="date"
                value=start.next_due.to_string()
                problem=field_problem(result, Field::Date)
            />
            <TextArea
                name="note"
                rows=5
                maxlength=super::rules::MAX_NOTE
                label=t_string!(i18n, requests.plan_note_label)
                hint=t_string!(i18n, requests.optional)
                problem=field_problem(result, Field::Body)
            />
            <p class="note">
                {t!(i18n, requests.plan_next_due)} " "
                {text::date(locale(), start.next_due)}
            </p>
            <button type="submit" class="button primary">{t!(i18n, requests.send_plan)}</button>
        </ActionForm>
    }
    .into_any()
}

/// The order's own pace if it has one, else a tenth of the support (at
/// least $10, whole dollars) — what the planner suggests too.
fn suggested(start: &PlanStart) -> Money {
    if start.ordered_extra.is_positive() {
        return start.ordered_extra;
    }
    start
        .current
        .tenth_in_whole_dollars()
        .max(Money::from_cents(1_000))
}

/// `/cases/{n}/change`: why, in a few words, and the documents it needs.
#[component]
pub fn ChangeRequestPage() -> impl IntoView {
    let i18n = use_i18n();
    let number = case_number_param();
    let ask = ServerAction::<AskChange>::new();
    let start = Resource::new(move || number.get(), open_change_form);
    let result = Signal::derive(move || ask.value().get());
    view! {
        <PageTitle text=move || t_string!(i18n, requests.change_title).to_string() />
        <section class="page narrow">
            <p class="crumbs"><A href=move || format!("/cases/{}", number.get())>{t!(i18n, requests.back_to_case)}</A></p>
            <h1>{t!(i18n, requests.change_title)}</h1>
            <Load resource=start let:start>
                <ChangeForm start ask result />
            </Load>
        </section>
    }
}

#[component]
fn ChangeForm(start: ChangeStart, ask: ServerAction<AskChange>, result: Answer) -> impl IntoView {
    let i18n = use_i18n();
    let problem = field_problem(result, Field::Reasons);
    let percent = start.income_change_percent;
    let months = start.review_after_months;
    // Reasons the eligibility check found come ticked (`?reasons=a,b`).
    let found: Vec<String> = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("reasons"))
        .unwrap_or_default()
        .split(',')
        .map(str::to_owned)
        .collect();
    view! {
        <p>{t!(i18n, requests.change_intro)}</p>
        <FormAlert result />
        <RequestProblem result />
        <ActionForm action=ask attr:novalidate=true>
            <input type="hidden" name="case_number" value=start.case_number.clone() />
            <input type="hidden" name="key" value=start.key.clone() />
            <fieldset
                class="field reasons"
                class:field-invalid=move || problem.get().is_some()
                aria-describedby=move || problem.get().is_some().then_some("reasons-error")
            >
                <legend>{t!(i18n, requests.reasons_label)}</legend>
                <FieldProblem name="reasons" problem />
                {start.reasons.into_iter().map(|(reason, documents)| {
                    let id = reason.as_str();
                    let ticked = found.iter().any(|name| name == id);
                    view! {
                        <div class="check">
                            <input type="checkbox" id=id name=id value="on" checked=ticked />
                            <label for=id><ReasonLabel reason percent months /></label>
                            <p class="field-hint">
                                {t!(i18n, requests.bring)} " "
                                {move || documents.iter().map(|d| document_text(i18n, *d)).collect::<Vec<_>>().join("; ")}
                            </p>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <TextArea
                name="note"
                rows=5
                maxlength=super::rules::MAX_NOTE
                label=t_string!(i18n, requests.change_note_label)
                hint=t_string!(i18n, requests.change_note_hint)
                problem=field_problem(result, Field::Body)
            />
            <p class="note">{t!(i18n, requests.other_parent_told)}</p>
            <button type="submit" class="button primary">{t!(i18n, requests.send_change)}</button>
        </ActionForm>
    }
    .into_any()
}

/// "You already asked": the one problem of a request form that is not at a
/// field of its own.
#[component]
fn RequestProblem(result: Answer) -> impl IntoView {
    let problem = field_problem(result, Field::Request);
    view! { <div role="alert"><FieldProblem name="request" problem /></div> }
}

/// `/requests/{id}`: what was asked, where it stands, the documents, the
/// history; for staff, the next steps.
#[component]
pub fn RequestPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = id_param();
    let step = ServerAction::<RequestStep>::new();
    let request = Resource::new(move || id.get(), open_request);
    let result = Signal::derive(move || step.value().get());
    view! {
        <PageTitle text=move || t_string!(i18n, requests.request_title).to_string() />
        <section class="page">
            <Load resource=request let:request>
                <RequestDetail request step result />
            </Load>
        </section>
    }
}

#[component]
fn RequestDetail(
    request: RequestView,
    step: ServerAction<RequestStep>,
    result: Answer,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let (kind, status, id) = (request.kind, request.status, request.id);
    let staff_steps = request.steps.clone();
    let plan = request.plan;
    view! {
        <p class="crumbs">
            <A href=format!("/cases/{}", request.case_number)>{t!(i18n, requests.back_to_case)}</A>
        </p>
        <h1>{kind_text(i18n, kind)} " · " {t!(i18n, requests.request_number, id = move || id)}</h1>
        <p class="note">
            {t!(i18n, cases.case_title)} " " {request.case_number.clone()} " · "
            {request.requester_name.clone()} " · " {request.asked_at.clone()}
        </p>
        <p class="request-status">
            {t!(i18n, requests.status_label)} " "
            <strong class="badge" data-status=status.as_str()>{status_text(i18n, status)}</strong>
        </p>
        <p>{move || status_explained(i18n, kind, status)}</p>
        {request.hearing.clone().map(|hearing| view! { <HearingNotice hearing /> })}
        {plan.map(|(extra, starts_on)| view! {
            <dl class="facts">
                <dt>{t!(i18n, requests.extra_label)}</dt>
                <dd class="amount" data-figure="plan-extra">{extra.to_string()}</dd>
                <dt>{t!(i18n, requests.starts_label)}</dt>
                <dd>{text::date(locale(), starts_on)}</dd>
            </dl>
        })}
        {(!request.reasons.is_empty()).then(|| view! {
            <Checklist reasons=request.reasons.clone() documents=request.documents.clone() request=request.clone() />
        })}
        <p>
            <A href=format!("/messages/{}", request.thread)>{t!(i18n, requests.conversation_link)}</A>
        </p>
        {(!staff_steps.is_empty()).then(|| view! {
            <StaffSteps request=request.clone() step result />
        })}
        <h2>{t!(i18n, requests.history_heading)}</h2>
        <ol class="request-history">
            {request.history.into_iter().map(|event| view! { <HistoryLine event /> }).collect_view()}
        </ol>
    }
    .into_any()
}

#[component]
fn HearingNotice(hearing: Hearing) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="notice" data-figure="hearing">
            {t!(i18n, requests.hearing_on)} " " <strong>{hearing.at}</strong> " · " {hearing.place}
        </p>
    }
}

/// The documents for the reasons given, and the files sent so far.
#[component]
fn Checklist(
    reasons: Vec<Reason>,
    documents: Vec<Document>,
    request: RequestView,
) -> impl IntoView {
    let i18n = use_i18n();
    let decided = request.status.is_final();
    let thread = request.thread;
    view! {
        <h2>{t!(i18n, requests.reasons_heading)}</h2>
        <ul>
            {reasons.into_iter().map(|reason| view! {
                <li>{reason_short(i18n, reason)}</li>
            }).collect_view()}
        </ul>
        // Once decided, nothing more is sent: only what was.
        {(!decided).then(|| view! {
            <h2 id="documents">{t!(i18n, requests.documents_heading)}</h2>
            <p>{t!(i18n, requests.documents_intro)}</p>
            <ul class="checklist">
                {documents.into_iter().map(|document| view! {
                    <li>{document_text(i18n, document)}</li>
                }).collect_view()}
            </ul>
        })}
        <h3>{t!(i18n, requests.files_heading)}</h3>
        {if request.files.is_empty() {
            view! { <p class="note">{t!(i18n, requests.no_files)}</p> }.into_any()
        } else {
            view! {
                <ul class="attachments">
                    {request.files.into_iter().map(|file| view! {
                        <li>
                            <a href=format!("/attachments/{}", file.id) rel="external" download=file.file_name.clone()>
                                {file.file_name.clone()}
                            </a>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {(!decided).then(|| view! {
            <p>
                <A href=format!("/messages/{}#attach-heading", thread)>{t!(i18n, requests.send_documents)}</A>
            </p>
        })}
    }
}

#[component]
fn HistoryLine(event: RequestEvent) -> impl IntoView {
    let i18n = use_i18n();
    let status = event.status;
    view! {
        <li>
            <strong>{status_text(i18n, status)}</strong>
            <span class="note">" · " {event.at} " · " {event.by}</span>
            {event.hearing.map(|hearing| view! {
                <p>{t!(i18n, requests.hearing_on)} " " {hearing.at} " · " {hearing.place}</p>
            })}
            {event.note.map(|note| view! { <p class="message-body">{note}</p> })}
        </li>
    }
}

/// What the caseworker may do next, each a small form.
#[component]
fn StaffSteps(
    request: RequestView,
    step: ServerAction<RequestStep>,
    result: Answer,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = request.id.to_string();
    let key = request.key.clone();
    let order_link = request.order_link.clone().unwrap_or_default();
    let forms = request.steps.into_iter().map(move |next| {
        let hidden = view! {
            <input type="hidden" name="id" value=id.clone() />
            <input type="hidden" name="step" value=next.as_str() />
            <input type="hidden" name="key" value=key.clone() />
        };
        match next {
            Step::Approve | Step::Decide => view! {
                <p>
                    <A href=order_link.clone() attr:class="button primary">
                        {step_text(i18n, next)}
                    </A>
                </p>
            }
            .into_any(),
            Step::StartReview => view! {
                <ActionForm action=step>
                    {hidden}
                    <button type="submit" class="button">{step_text(i18n, next)}</button>
                </ActionForm>
            }
            .into_any(),
            Step::ScheduleHearing => view! {
                <ActionForm action=step attr:novalidate=true attr:class="step-form">
                    {hidden}
                    <TextField
                        autocomplete="off"
                        name="hearing_at"
                        label=t_string!(i18n, requests.hearing_at_label)
                        hint=t_string!(i18n, requests.hearing_at_hint)
                        kind="datetime-local"
                        problem=field_problem(result, Field::HearingAt)
                    />
                    <TextField
                        autocomplete="off"
                        name="place"
                        label=t_string!(i18n, requests.place_label)
                        hint=t_string!(i18n, requests.place_hint)
                        problem=field_problem(result, Field::Place)
                    />
                    <button type="submit" class="button">{step_text(i18n, next)}</button>
                </ActionForm>
            }
            .into_any(),
            Step::Decline | Step::Deny => view! {
                <ActionForm action=step attr:novalidate=true attr:class="step-form">
                    {hidden}
                    <TextArea
                        name="reason"
                        id=format!("reason-{}", next.as_str())
                        label=t_string!(i18n, requests.reason_label)
                        rows=3
                        problem=field_problem(result, Field::Reason)
                    />
                    <button type="submit" class="button">{step_text(i18n, next)}</button>
                </ActionForm>
            }
            .into_any(),
        }
    });
    view! {
        <section class="staff-steps" aria-labelledby="steps-heading">
            <h2 id="steps-heading">{t!(i18n, requests.steps_heading)}</h2>
            <FormAlert result />
            <RequestProblem result />
            {forms.collect_view()}
        </section>
    }
}

/// The case page's requests section ([`RequestsSection`]): the case's
/// requests, with the forms for a parent.
///
/// [`RequestsSection`]: crate::balance::case_page::RequestsSection
pub fn case_requests_section(case_number: String, role: CaseRole) -> AnyView {
    let requests = OnceResource::new(case_requests(case_number.clone()));
    view! {
        <Load resource=requests let:requests>
            <CaseRequests
                case_number=case_number.clone()
                requests
                offer=matches!(role, CaseRole::PayingParent | CaseRole::ReceivingParent)
                paying=role == CaseRole::PayingParent
            />
        </Load>
    }
    .into_any()
}

/// The requests of a case on its page: the reader's own (and all, for
/// staff) with a link; the other parent's change of support as a notice.
#[component]
pub fn CaseRequests(
    case_number: String,
    requests: Vec<RequestSummary>,
    /// Offer the forms (a parent's case page).
    #[prop(optional)]
    offer: bool,
    #[prop(optional)] paying: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="case-requests" aria-labelledby="requests-heading">
            <h2 id="requests-heading">{t!(i18n, requests.on_case_heading)}</h2>
            {if requests.is_empty() {
                view! { <p class="note">{t!(i18n, requests.none_yet)}</p> }.into_any()
            } else {
                view! {
                    <ul class="requests">
                        {requests.into_iter().map(|summary| view! { <SummaryLine summary /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {offer.then(|| view! {
                <p class="actions">
                    <A href=format!("/cases/{case_number}/change") attr:class="button">{t!(i18n, requests.ask_change)}</A>
                    {paying.then(|| view! {
                        " " <A href=format!("/cases/{case_number}/plan") attr:class="button">{t!(i18n, requests.ask_plan)}</A>
                    })}
                </p>
            })}
        </section>
    }
}

#[component]
fn SummaryLine(summary: RequestSummary) -> impl IntoView {
    let i18n = use_i18n();
    let (kind, status) = (summary.kind, summary.status);
    let label = move || kind_text(i18n, kind);
    view! {
        <li data-request=summary.id>
            {if summary.openable {
                view! {
                    <A href=format!("/requests/{}", summary.id)>{label}</A>
                    " · " {summary.requester_name.clone()}
                }.into_any()
            } else {
                view! { <span>{t!(i18n, requests.other_parent_asked)}</span> }.into_any()
            }}
            <span class="note">" · " {summary.asked_at.clone()} " · "</span>
            <strong>{status_text(i18n, status)}</strong>
            {summary.hearing.clone().map(|hearing| view! { <HearingNotice hearing /> })}
        </li>
    }
}

pub fn kind_text(i18n: I18nContext<Locale>, kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::PaymentPlan => t_string!(i18n, requests.kind_plan),
        RequestKind::Modification => t_string!(i18n, requests.kind_change),
    }
}

pub fn status_text(i18n: I18nContext<Locale>, status: RequestStatus) -> &'static str {
    match status {
        RequestStatus::Received => t_string!(i18n, requests.status_received),
        RequestStatus::UnderReview => t_string!(i18n, requests.status_under_review),
        RequestStatus::HearingScheduled => t_string!(i18n, requests.status_hearing_scheduled),
        RequestStatus::Approved => t_string!(i18n, requests.status_approved),
        RequestStatus::Decided => t_string!(i18n, requests.status_decided),
        RequestStatus::Declined => t_string!(i18n, requests.status_declined),
        RequestStatus::Denied => t_string!(i18n, requests.status_denied),
    }
}

/// What the status means for the parent, in a sentence.
fn status_explained(
    i18n: I18nContext<Locale>,
    kind: RequestKind,
    status: RequestStatus,
) -> &'static str {
    match (kind, status) {
        (RequestKind::PaymentPlan, RequestStatus::Received) => {
            t_string!(i18n, requests.explain_plan_received)
        }
        (_, RequestStatus::Received) => t_string!(i18n, requests.explain_change_received),
        (_, RequestStatus::UnderReview) => t_string!(i18n, requests.explain_under_review),
        (_, RequestStatus::HearingScheduled) => t_string!(i18n, requests.explain_hearing),
        (_, RequestStatus::Approved) => t_string!(i18n, requests.explain_approved),
        (_, RequestStatus::Decided) => t_string!(i18n, requests.explain_decided),
        (_, RequestStatus::Declined | RequestStatus::Denied) => {
            t_string!(i18n, requests.explain_declined)
        }
    }
}

fn step_text(i18n: I18nContext<Locale>, step: Step) -> &'static str {
    match step {
        Step::StartReview => t_string!(i18n, requests.step_start_review),
        Step::ScheduleHearing => t_string!(i18n, requests.step_schedule_hearing),
        Step::Approve => t_string!(i18n, requests.step_approve),
        Step::Decide => t_string!(i18n, requests.step_decide),
        Step::Decline => t_string!(i18n, requests.step_decline),
        Step::Deny => t_string!(i18n, requests.step_deny),
    }
}

/// A reason as the form offers it, with the agency's thresholds.
#[component]
fn ReasonLabel(reason: Reason, percent: u32, months: u32) -> impl IntoView {
    let i18n = use_i18n();
    match reason {
        Reason::IncomeChange => t!(
            i18n,
            requests.reason_income_change,
            percent = move || percent
        )
        .into_any(),
        Reason::TimeSinceReview => t!(
            i18n,
            requests.reason_time_since_review,
            months = move || months
        )
        .into_any(),
        Reason::JobLoss => t!(i18n, requests.reason_job_loss).into_any(),
        Reason::MedicalInsurance => t!(i18n, requests.reason_medical_insurance).into_any(),
        Reason::ChildCare => t!(i18n, requests.reason_child_care).into_any(),
        Reason::LivingArrangement => t!(i18n, requests.reason_living_arrangement).into_any(),
    }
}

/// A reason as a request lists it (the form explains it at length).
pub fn reason_short(i18n: I18nContext<Locale>, reason: Reason) -> &'static str {
    match reason {
        Reason::IncomeChange => t_string!(i18n, requests.short_income_change),
        Reason::JobLoss => t_string!(i18n, requests.short_job_loss),
        Reason::MedicalInsurance => t_string!(i18n, requests.short_medical_insurance),
        Reason::ChildCare => t_string!(i18n, requests.short_child_care),
        Reason::LivingArrangement => t_string!(i18n, requests.short_living_arrangement),
        Reason::TimeSinceReview => t_string!(i18n, requests.short_time_since_review),
    }
}

pub fn document_text(i18n: I18nContext<Locale>, document: Document) -> &'static str {
    match document {
        Document::PayStubs => t_string!(i18n, requests.doc_pay_stubs),
        Document::TaxReturn => t_string!(i18n, requests.doc_tax_return),
        Document::JobLossLetter => t_string!(i18n, requests.doc_job_loss_letter),
        Document::BenefitStatements => t_string!(i18n, requests.doc_benefit_statements),
        Document::InsuranceCost => t_string!(i18n, requests.doc_insurance_cost),
        Document::ChildCareCosts => t_string!(i18n, requests.doc_child_care_costs),
        Document::LivingArrangementProof => t_string!(i18n, requests.doc_living_arrangement),
    }
}
