//! `/notifications`: what happened since the reader last looked, newest
//! first, each leading where it happened.

use leptos::prelude::*;
use leptos_router::components::A;

use super::api::my_notifications;
use super::model::Notification;
use crate::components::page::Load;
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::notice::headline;
use crate::requests::pages::status_text;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |_| my_notifications());
    view! {
        <PageTitle text=move || t_string!(i18n, notices.title).to_string() />
        <section class="page">
            <h1>{t!(i18n, notices.title)}</h1>
            <Load resource=list let:list>
                {if list.is_empty() {
                    view! { <p>{t!(i18n, notices.none)}</p> }.into_any()
                } else {
                    view! {
                        <ol class="notifications">
                            {list.into_iter().map(|notice| view! { <NoticeLine notice /> }).collect_view()}
                        </ol>
                    }.into_any()
                }}
            </Load>
        </section>
    }
}

#[component]
fn NoticeLine(notice: Notification) -> impl IntoView {
    let i18n = use_i18n();
    let kind = notice.kind;
    let status = notice.status;
    view! {
        <li class="notification" class:unread=notice.new data-kind=kind.as_str()>
            <A href=notice.link.clone()>{move || headline(i18n.get_locale(), kind)}</A>
            {notice.new.then(|| view! { " " <span class="tag">{t!(i18n, messages.new_tag)}</span> })}
            <p class="note">
                {notice.case_number.clone().map(|number| view! {
                    {t!(i18n, cases.case_title)} " " {number} " · "
                })}
                {notice.amount.map(|amount| view! { <span class="amount">{amount.to_string()}</span> " · " })}
                {status.map(|status| view! { <strong>{status_text(i18n, status)}</strong> " · " })}
                {notice.at.clone()}
            </p>
        </li>
    }
}
