//! `/staff`: the supervisors' desk. Who works at the agency, how many cases
//! each has, and the changes a supervisor makes: another role, an unlock, a
//! new password, switched off or on; and a form to add someone. A password
//! made here is shown once, to be handed over in person.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;

use super::api::{open_staff_desk, AddStaffMember, ChangeStaff};
use super::model::{FreshPassword, StaffChange, StaffMember};
use crate::components::form::{
    choices, field_problem, form_message, problem_message, FormAlert, SelectField, TextField,
};
use crate::components::page::Load;
use crate::components::title::PageTitle;
use crate::error::Field;
use crate::i18n::*;
use crate::reader::AccountRole;

#[component]
pub fn StaffPage() -> impl IntoView {
    let i18n = use_i18n();
    let add = ServerAction::<AddStaffMember>::new();
    let change = ServerAction::<ChangeStaff>::new();
    let desk = OnceResource::new(open_staff_desk());
    view! {
        <PageTitle text=move || t_string!(i18n, staff.title).to_string() />
        <section class="page wide">
            <h1>{t!(i18n, staff.title)}</h1>
            <p><A href="/staff/advice">{t!(i18n, staff.advice_link)}</A></p>
            <Load resource=desk let:desk>
                {desk.fresh.map(|fresh| view! { <FreshPasswordPanel fresh /> })}
                <ChangeAlert change />
                <table class="ledger staff">
                    <caption class="visually-hidden">{t!(i18n, staff.title)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, staff.name)}</th>
                            <th scope="col">{t!(i18n, staff.email)}</th>
                            <th scope="col">{t!(i18n, staff.role)}</th>
                            <th scope="col" class="amount">{t!(i18n, staff.cases)}</th>
                            <th scope="col">{t!(i18n, staff.status)}</th>
                            <th scope="col">{t!(i18n, staff.changes)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {desk.list.members.into_iter().map(|member| {
                            let mine = member.account == desk.list.me;
                            view! { <MemberRow member mine change /> }
                        }).collect_view()}
                    </tbody>
                </table>
                <AddForm add />
            </Load>
        </section>
    }
}

#[component]
fn MemberRow(member: StaffMember, mine: bool, change: ServerAction<ChangeStaff>) -> impl IntoView {
    let i18n = use_i18n();
    let role = member.role;
    let locked = member.locked;
    let changes = if mine {
        Vec::new()
    } else {
        StaffChange::offered(&member)
    };
    let (account, name) = (member.account, member.name.clone());
    view! {
        <tr class:deactivated=member.deactivated>
            <th scope="row">{member.name}</th>
            <td>{member.email}</td>
            <td>{role_name(i18n, role)}</td>
            <td class="amount">{member.cases}</td>
            <td>
                {move || match (member.deactivated, locked) {
                    (true, _) => t_string!(i18n, staff.status_off),
                    (false, true) => t_string!(i18n, staff.status_locked),
                    (false, false) => t_string!(i18n, staff.status_active),
                }}
                {member.second_factor.then(|| view! { " · " {t!(i18n, staff.second_factor_on)} })}
            </td>
            <td class="staff-changes">
                {mine.then(|| view! { <span class="note">{t!(i18n, staff.you)}</span> })}
                {changes.into_iter().map(|what| {
                    let name = name.clone();
                    view! {
                    <ActionForm action=change attr:class="inline-form">
                        <input type="hidden" name="account" value=account />
                        <input type="hidden" name="change" value=what.as_str() />
                        <button type="submit" class="link-button">
                            {change_text(i18n, what)}
                            <span class="visually-hidden">" — " {name}</span>
                        </button>
                    </ActionForm>
                    }
                }).collect_view()}
            </td>
        </tr>
    }
}

/// A refused change, said above the table (it is about one row's account).
#[component]
fn ChangeAlert(change: ServerAction<ChangeStaff>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        change.value().with(|result| match result {
            Some(Err(error)) => {
                let message = error
                    .problem_with(Field::Person)
                    .map(|problem| problem_message(i18n, problem))
                    .or_else(|| form_message(i18n, error));
                message.map(|message| view! { <p class="form-alert" role="alert">{message}</p> })
            }
            _ => None,
        })
    }
}

#[component]
fn FreshPasswordPanel(fresh: FreshPassword) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="notice pin" aria-labelledby="password-heading">
            <h2 id="password-heading">
                {t!(i18n, staff.fresh_for)} " " {fresh.name} " (" {fresh.email} ")"
            </h2>
            <p class="pin-value"><code data-figure="first-password">{fresh.password}</code></p>
            <p>{t!(i18n, staff.fresh_once)}</p>
        </section>
    }
}

#[component]
fn AddForm(add: ServerAction<AddStaffMember>) -> impl IntoView {
    let i18n = use_i18n();
    let result = Signal::derive(move || add.value().get());
    let text = move |key: fn(I18nContext<Locale>) -> &'static str| {
        Signal::derive(move || key(i18n).to_string())
    };
    view! {
        <h2 id="add-heading">{t!(i18n, staff.add_heading)}</h2>
        <FormAlert result />
        <ActionForm action=add attr:aria-labelledby="add-heading" attr:class="stacked-form">
            <TextField
                name="name"
                label=text(|i18n| t_string!(i18n, staff.name))
                autocomplete="off"
                problem=field_problem(result, Field::Person)
            />
            <TextField
                name="email"
                kind="email"
                label=text(|i18n| t_string!(i18n, staff.email))
                autocomplete="off"
                problem=field_problem(result, Field::Email)
            />
            <SelectField
                name="role"
                label=text(|i18n| t_string!(i18n, staff.role))
                choices=choices(
                    [AccountRole::Caseworker, AccountRole::Supervisor],
                    AccountRole::as_str,
                    |role| role_name(i18n, role),
                )
                problem=field_problem(result, Field::Role)
            />
            <button type="submit" class="button">{t!(i18n, staff.add)}</button>
        </ActionForm>
    }
}

fn role_name(i18n: I18nContext<Locale>, role: AccountRole) -> &'static str {
    match role {
        AccountRole::Supervisor => t_string!(i18n, staff.role_supervisor),
        _ => t_string!(i18n, staff.role_caseworker),
    }
}

fn change_text(i18n: I18nContext<Locale>, change: StaffChange) -> &'static str {
    match change {
        StaffChange::MakeCaseworker => t_string!(i18n, staff.make_caseworker),
        StaffChange::MakeSupervisor => t_string!(i18n, staff.make_supervisor),
        StaffChange::Unlock => t_string!(i18n, staff.unlock),
        StaffChange::NewPassword => t_string!(i18n, staff.new_password),
        StaffChange::Deactivate => t_string!(i18n, staff.deactivate),
        StaffChange::Reactivate => t_string!(i18n, staff.reactivate),
    }
}
