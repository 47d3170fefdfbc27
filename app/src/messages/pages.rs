//! `/messages`: a person's conversations and, for a parent, writing a new
//! one; `/messages/{id}`: one conversation with its replies. Every form
//! posts without JavaScript too.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;

use super::api::{
    my_messages, open_conversation, AssignConversation, CloseConversation, SendMessage,
    StartConversation,
};
use super::model::{Conversation, Inbox, MessageView, ThreadSummary};
use super::rules::{Status, Topic, MAX_BODY_CHARS};
use crate::components::form::{
    choices, field_problem, FormAlert, SelectField, TextArea, TextField,
};
use crate::components::page::{id_param, Load};
use crate::components::pager::{Order, Pager};
use crate::components::text;
use crate::components::title::PageTitle;
use crate::error::{AppError, Field, Problem};
use crate::i18n::*;
use crate::reader::Colleague;

#[component]
pub fn MessagesPage() -> impl IntoView {
    let i18n = use_i18n();
    let start = ServerAction::<StartConversation>::new();
    let query = leptos_router::hooks::use_query_map();
    let inbox = Resource::new(
        move || query.with(|q| q.get("page").and_then(|p| p.parse::<u32>().ok())),
        my_messages,
    );
    let result = Signal::derive(move || start.value().get());
    view! {
        <PageTitle text=move || t_string!(i18n, messages.title).to_string() />
        <section class="page wide">
            <h1>{t!(i18n, messages.title)}</h1>
            <Load resource=inbox let:inbox>
                <InboxView inbox start result />
            </Load>
        </section>
    }
}

#[component]
fn InboxView(
    inbox: Inbox,
    start: ServerAction<StartConversation>,
    result: Signal<Option<Result<(), AppError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let days = inbox.reply_business_days;
    let writes = !inbox.cases.is_empty();
    view! {
        {if inbox.threads.is_empty() {
            view! { <p>{t!(i18n, messages.none)}</p> }.into_any()
        } else {
            view! {
                <ul class="threads">
                    {inbox.threads.into_iter().map(|thread| view! { <ThreadRow thread /> }).collect_view()}
                </ul>
                <Pager paging=inbox.paging order=Order::NewestFirst />
            }
            .into_any()
        }}
        {writes.then(|| view! {
            <h2 id="new-message">{t!(i18n, messages.new_heading)}</h2>
            <p>{t!(i18n, messages.reply_time, days = move || days)}</p>
            <FormAlert result />
            <ActionForm action=start attr:novalidate=true attr:aria-labelledby="new-message">
                <input type="hidden" name="key" value=inbox.send_key.clone() />
                <CaseChoice cases=inbox.cases.clone() />
                <TopicChoice problem=field_problem(result, Field::Topic) />
                <BodyField problem=field_problem(result, Field::Body) />
                <button type="submit" class="button primary">{t!(i18n, messages.send)}</button>
            </ActionForm>
        })}
    }
    .into_any()
}

#[component]
fn ThreadRow(thread: ThreadSummary) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <li class="thread" class:unread=thread.unread>
            <A href=format!("/messages/{}", thread.id)>
                {topic_text(i18n, thread.topic)}
            </A>
            {thread.unread.then(|| view! { <span class="tag">{t!(i18n, messages.new_tag)}</span> })}
            <span class="note thread-facts">
                {thread.case_number} " · " {thread.parent_name} " · "
                {status_text(i18n, thread.status)} " · " {thread.last_message_at}
            </span>
        </li>
    }
}

/// Which case: a choice when the parent has several.
#[component]
fn CaseChoice(cases: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    if let [only] = cases.as_slice() {
        return view! { <input type="hidden" name="case_number" value=only.clone() /> }.into_any();
    }
    view! {
        <SelectField
            name="case_number"
            label=t_string!(i18n, messages.case_label)
            choices=cases.into_iter().map(|case| (case.clone(), case)).collect()
        />
    }
    .into_any()
}

/// What the message is about.
#[component]
fn TopicChoice(problem: Signal<Option<Problem>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <SelectField
            name="topic"
            label=t_string!(i18n, messages.topic_label)
            placeholder=t_string!(i18n, messages.topic_choose)
            choices=choices(Topic::ALL, Topic::as_str, |topic| topic_text(i18n, topic))
            problem
        />
    }
}

/// The message itself, in a new conversation and in a reply.
#[component]
fn BodyField(problem: Signal<Option<Problem>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <TextArea
            name="body"
            label=t_string!(i18n, messages.body_label)
            hint=t_string!(i18n, messages.body_hint, max = MAX_BODY_CHARS).to_string()
            rows=6
            maxlength=MAX_BODY_CHARS
            problem
        />
    }
}

#[component]
pub fn ConversationPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = id_param();
    let send = ServerAction::<SendMessage>::new();
    let close = ServerAction::<CloseConversation>::new();
    let thread = Resource::new(move || id.get(), open_conversation);
    let result = Signal::derive(move || send.value().get());
    view! {
        <PageTitle text=move || t_string!(i18n, messages.title).to_string() />
        <section class="page wide">
            <Load resource=thread let:thread>
                <ConversationView thread send close result />
            </Load>
        </section>
    }
}

#[component]
fn ConversationView(
    thread: Conversation,
    send: ServerAction<SendMessage>,
    close: ServerAction<CloseConversation>,
    result: Signal<Option<Result<(), AppError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let (topic, status) = (thread.topic, thread.status);
    let id = thread.id.to_string();
    let close_id = id.clone();
    view! {
        <p class="crumbs"><A href="/messages">{t!(i18n, messages.all_link)}</A></p>
        <h1>{topic_text(i18n, topic)}</h1>
        <p class="note">
            {t!(i18n, cases.case_title)} " " {thread.case_number.clone()} " · "
            {thread.parent_name.clone()} " · "
            <strong>{status_text(i18n, status)}</strong>
            {thread.reply_due.map(|due| view! {
                " · " {t!(i18n, messages.answer_by)} " " {text::date(locale(), due)}
            })}
        </p>
        {thread.request.map(|id| view! {
            <p class="notice">
                {t!(i18n, messages.carries_request)} " "
                <A href=format!("/requests/{id}")>{t!(i18n, requests.request_number, id = move || id)}</A>
            </p>
        })}
        <ol class="messages">
            {thread.messages.into_iter().map(|message| view! { <Message message /> }).collect_view()}
        </ol>
        <h2 id="reply-heading">{t!(i18n, messages.reply_heading)}</h2>
        <FormAlert result />
        <ActionForm
            action=send
            attr:novalidate=true
            attr:aria-labelledby="reply-heading"
        >
            <input type="hidden" name="thread" value=id.clone() />
            <input type="hidden" name="key" value=thread.send_key.clone() />
            <BodyField problem=field_problem(result, Field::Body) />
            <button type="submit" class="button primary">{t!(i18n, messages.send)}</button>
        </ActionForm>
        <AttachForm thread=thread.id key=thread.attach_key.clone() max_mb=thread.attachment_max_mb />
        {(!thread.colleagues.is_empty()).then(|| view! {
            <GiveForm thread=thread.id assigned_to=thread.assigned_to.clone() colleagues=thread.colleagues.clone() />
        })}
        {(status != Status::Closed).then(|| view! {
            <ActionForm action=close attr:class="close-form">
                <input type="hidden" name="thread" value=close_id.clone() />
                <button type="submit" class="button">{t!(i18n, messages.close)}</button>
            </ActionForm>
        })}
    }
    .into_any()
}

#[component]
fn Message(message: MessageView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <li class="message" class:from-agency=message.from_agency id=format!("message-{}", message.id)>
            <p class="message-head">
                <strong>{message.author}</strong>
                {message.from_agency.then(|| view! {
                    " · " <span class="tag">{t!(i18n, messages.agency_tag)}</span>
                })}
                <span class="note">" · " {message.sent_at}</span>
            </p>
            // Text, never HTML: Leptos escapes it, and line breaks are kept by CSS.
            {(!message.body.is_empty()).then(|| view! { <p class="message-body">{message.body}</p> })}
            {(!message.attachments.is_empty()).then(|| view! {
                <ul class="attachments">
                    {message.attachments.into_iter().map(|file| view! {
                        <li>
                            // A plain link: the file comes as a download, not a page.
                            <a href=format!("/attachments/{}", file.id) rel="external" download=file.file_name.clone()>
                                {file.file_name.clone()}
                            </a>
                            <span class="note">
                                " · " {t!(i18n, messages.file_size, kb = move || (file.size_bytes + 1023) / 1024)}
                            </span>
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {message.seen.then(|| view! { <p class="note seen">{t!(i18n, messages.seen)}</p> })}
        </li>
    }
}

pub fn topic_text(i18n: I18nContext<Locale>, topic: Topic) -> &'static str {
    match topic {
        Topic::PaymentQuestion => t_string!(i18n, messages.topic_payment_question),
        Topic::MissingPayment => t_string!(i18n, messages.topic_missing_payment),
        Topic::AddressOrJob => t_string!(i18n, messages.topic_address_or_job),
        Topic::MedicalInsurance => t_string!(i18n, messages.topic_medical_insurance),
        Topic::PaymentPlan => t_string!(i18n, messages.topic_payment_plan),
        Topic::ChangeOfSupport => t_string!(i18n, messages.topic_change_of_support),
        Topic::Other => t_string!(i18n, messages.topic_other),
    }
}

pub fn status_text(i18n: I18nContext<Locale>, status: Status) -> &'static str {
    match status {
        Status::Waiting => t_string!(i18n, messages.status_waiting),
        Status::Answered => t_string!(i18n, messages.status_answered),
        Status::Closed => t_string!(i18n, messages.status_closed),
    }
}

/// Sending a file: a multipart form the browser sends itself, with or
/// without JavaScript; a problem comes back in the address (`?attach=`).
#[component]
fn AttachForm(thread: i32, key: String, max_mb: u32) -> impl IntoView {
    let i18n = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    let problem = Signal::derive(move || {
        query.with(|q| match q.get("attach").as_deref() {
            Some("too_large") => Some(Problem::FileTooLarge),
            Some("quota") => Some(Problem::DailyUploadQuota),
            Some("type") => Some(Problem::FileType),
            Some("note_too_long") => Some(Problem::TooLong),
            Some(_) => Some(Problem::Required),
            None => None,
        })
    });
    view! {
        <h2 id="attach-heading">{t!(i18n, messages.attach_heading)}</h2>
        <form
            method="post"
            enctype="multipart/form-data"
            action=format!("/messages/{thread}/attach")
            aria-labelledby="attach-heading"
        >
            <input type="hidden" name="key" value=key />
            <TextField
                name="file"
                kind="file"
                accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
                label=t_string!(i18n, messages.file_label)
                hint=t_string!(i18n, messages.attach_hint, mb = max_mb).to_string()
                problem
            />
            <TextField
                name="note"
                label=t_string!(i18n, messages.note_label)
                maxlength=MAX_BODY_CHARS
            />
            <button type="submit" class="button">{t!(i18n, messages.attach_button)}</button>
        </form>
    }
    .into_any()
}

/// Staff: who has the conversation, and giving it to a colleague.
#[component]
fn GiveForm(thread: i32, assigned_to: Option<String>, colleagues: Vec<Colleague>) -> impl IntoView {
    let i18n = use_i18n();
    let give = ServerAction::<AssignConversation>::new();
    view! {
        <h2 id="give-heading">{t!(i18n, messages.give_heading)}</h2>
        <p>
            {match assigned_to {
                Some(name) => view! { {t!(i18n, work.given_to)} " " <strong>{name}</strong> }.into_any(),
                None => t!(i18n, messages.with_caseworker).into_any(),
            }}
        </p>
        <FormAlert result=give.value() />
        <ActionForm action=give attr:aria-labelledby="give-heading" attr:class="inline-form">
            <input type="hidden" name="thread" value=thread />
            <SelectField
                name="to"
                label=t_string!(i18n, messages.give_to)
                choices=Colleague::choices(colleagues)
            />
            <button type="submit" class="button">{t!(i18n, messages.give)}</button>
        </ActionForm>
    }
}
