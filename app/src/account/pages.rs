//! Sign in, create an account with a PIN, and what to do about a forgotten
//! password. Each form posts without JavaScript too.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::A;

use super::api::{
    my_security, Activate, ConfirmSecondFactor, DisableSecondFactor, SecondStep, SignIn, SignOut,
    SignOutEverywhere, StartSecondFactor,
};
use super::model::{PendingSecondFactor, SecuritySettings};
use crate::components::form::{field_problem, FormAlert, NextField, TextField};
use crate::components::page::Load;
use crate::components::title::PageTitle;
use crate::error::Field;
use crate::i18n::*;
use leptos_i18n::I18nContext;

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignIn>::new();
    let result = Signal::derive(move || action.value().get());

    view! {
        <PageTitle text=move || t_string!(i18n, account.sign_in_title).to_string() />
        <section class="page narrow">
            <h1>{t!(i18n, account.sign_in_title)}</h1>
            <FormAlert result />
            // Our own messages, at each field and in both languages, rather than
            // the browser's.
            <ActionForm action attr:novalidate=true>
                <NextField />
                <TextField
                    name="email"
                    kind="email"
                    autocomplete="username"
                    label=t_string!(i18n, account.email).to_owned()
                    problem=field_problem(result, Field::Email)
                />
                <TextField
                    name="password"
                    kind="password"
                    autocomplete="current-password"
                    label=t_string!(i18n, account.password).to_owned()
                    problem=field_problem(result, Field::Password)
                />
                <button type="submit" class="button primary">
                    {t!(i18n, account.sign_in_button)}
                </button>
            </ActionForm>
            <p>
                <A href="/forgot-password">{t!(i18n, account.forgot_link)}</A>
            </p>
            <p>
                {t!(i18n, account.first_time)} " "
                <A href="/activate">{t!(i18n, account.activate_link)}</A>
            </p>
        </section>
    }
}

#[component]
pub fn ActivatePage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Activate>::new();
    let result = Signal::derive(move || action.value().get());
    let text = move |key: fn(I18nContext<Locale>) -> &'static str| {
        Signal::derive(move || key(i18n).to_string())
    };

    view! {
        <PageTitle text=move || t_string!(i18n, account.activate_title).to_string() />
        <section class="page narrow">
            <h1>{t!(i18n, account.activate_title)}</h1>
            <p>{t!(i18n, account.activate_intro)}</p>
            <FormAlert result />
            <ActionForm action attr:novalidate=true>
                <TextField
                    name="case_number"
                    autocomplete="off"
                    label=text(|i18n| t_string!(i18n, account.case_number))
                    hint=text(|i18n| t_string!(i18n, account.case_number_hint))
                    problem=field_problem(result, Field::CaseNumber)
                />
                <TextField
                    name="pin"
                    autocomplete="one-time-code"
                    label=text(|i18n| t_string!(i18n, account.pin))
                    hint=text(|i18n| t_string!(i18n, account.pin_hint))
                    problem=field_problem(result, Field::Pin)
                />
                <TextField
                    name="email"
                    kind="email"
                    autocomplete="email"
                    label=text(|i18n| t_string!(i18n, account.email))
                    problem=field_problem(result, Field::Email)
                />
                <TextField
                    name="password"
                    kind="password"
                    autocomplete="new-password"
                    label=text(|i18n| t_string!(i18n, account.new_password))
                    hint=text(|i18n| t_string!(i18n, account.password_hint))
                    problem=field_problem(result, Field::Password)
                />
                <TextField
                    name="confirm_password"
                    kind="password"
                    autocomplete="new-password"
                    label=text(|i18n| t_string!(i18n, account.confirm_password))
                    problem=field_problem(result, Field::ConfirmPassword)
                />
                <TextField
                    name="code"
                    autocomplete="one-time-code"
                    label=text(|i18n| t_string!(i18n, account.reset_code))
                    hint=text(|i18n| t_string!(i18n, account.reset_code_hint))
                    problem=field_problem(result, Field::Code)
                />
                <button type="submit" class="button primary">
                    {t!(i18n, account.activate_button)}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=move || t_string!(i18n, account.forgot_title).to_string() />
        <section class="page narrow">
            <h1>{t!(i18n, account.forgot_title)}</h1>
            <p>{t!(i18n, account.forgot_body)}</p>
            <p>
                {t!(i18n, account.forgot_then)} " "
                <A href="/activate">{t!(i18n, account.activate_title)}</A>
            </p>
        </section>
    }
}

/// The "Sign out" button of the header: a form, so it works without JavaScript.
#[component]
pub fn SignOutButton() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignOut>::new();
    view! {
        <ActionForm action attr:class="sign-out">
            <button type="submit" class="link-button">{t!(i18n, layout.sign_out)}</button>
        </ActionForm>
    }
}

/// After the password, for accounts with a second factor.
#[component]
pub fn SecondStepPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SecondStep>::new();
    let result = Signal::derive(move || action.value().get());
    view! {
        <PageTitle text=move || t_string!(i18n, security.second_step_title).to_string() />
        <section class="page narrow">
            <h1>{t!(i18n, security.second_step_title)}</h1>
            <p>{t!(i18n, security.second_step_body)}</p>
            <FormAlert result />
            <ActionForm action attr:novalidate=true>
                <NextField />
                <TextField
                    name="code"
                    autocomplete="one-time-code"
                    label=t_string!(i18n, security.second_step_code).to_owned()
                    problem=field_problem(result, Field::Code)
                />
                <button type="submit" class="button primary">
                    {t!(i18n, security.continue_button)}
                </button>
            </ActionForm>
        </section>
    }
}

/// The account's sign-in security: set up, confirm or turn off the second step.
#[component]
pub fn SecurityPage() -> impl IntoView {
    let i18n = use_i18n();
    let actions = SecurityActions {
        start: ServerAction::new(),
        confirm: ServerAction::new(),
        disable: ServerAction::new(),
        everywhere: ServerAction::new(),
    };
    let settings = OnceResource::new(my_security());
    view! {
        <PageTitle text=move || t_string!(i18n, security.title).to_string() />
        <section class="page narrow">
            <h1>{t!(i18n, security.title)}</h1>
            <Load resource=settings let:settings>
                <SecondStepSettings settings actions />
            </Load>
        </section>
    }
}

/// The security page's forms, one set a page: start, confirm, turn off, and
/// sign out everywhere.
#[derive(Clone, Copy)]
struct SecurityActions {
    start: ServerAction<StartSecondFactor>,
    confirm: ServerAction<ConfirmSecondFactor>,
    disable: ServerAction<DisableSecondFactor>,
    everywhere: ServerAction<SignOutEverywhere>,
}

/// Where the reader's second step stands, and what they can do about it.
#[component]
fn SecondStepSettings(settings: SecuritySettings, actions: SecurityActions) -> impl IntoView {
    let i18n = use_i18n();
    let SecurityActions {
        start,
        confirm,
        disable,
        everywhere,
    } = actions;
    let disabled = Signal::derive(move || disable.value().get());
    let codes = settings.fresh_recovery_codes.clone();
    view! {
            {(!codes.is_empty()).then(|| view! {
                <div class="recovery-codes" role="status">
                    <h2>{t!(i18n, security.codes_title)}</h2>
                    <p>{t!(i18n, security.codes_body)}</p>
                    <ul>{codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}</ul>
                </div>
            })}
            {if settings.second_factor {
                view! {
                    <p>{t!(i18n, security.on)}</p>
                    <p>{t!(i18n, security.codes_left)} ": " {settings.recovery_codes_left}</p>
                    {if settings.second_factor_required {
                        view! { <p>{t!(i18n, security.required_on)}</p> }.into_any()
                    } else {
                        view! {
                            <h2>{t!(i18n, security.turn_off)}</h2>
                            <FormAlert result=disabled />
                            <ActionForm action=disable attr:novalidate=true>
                                <TextField
                                    name="password"
                                    kind="password"
                                    autocomplete="current-password"
                                    label=t_string!(i18n, security.turn_off_password).to_owned()
                                    problem=field_problem(disabled, Field::Password)
                                />
                                <button type="submit" class="button">{t!(i18n, security.turn_off)}</button>
                            </ActionForm>
                        }.into_any()
                    }}
                }.into_any()
            } else if let Some(pending) = settings.pending.clone() {
                view! { <ConfirmSecondStep pending confirm /> }.into_any()
            } else {
                view! {
                    {settings.second_factor_required.then(|| view! {
                        <p class="form-alert" role="alert">{t!(i18n, security.setup_required)}</p>
                    })}
                    <p>{t!(i18n, security.off)}</p>
                    <p>{t!(i18n, security.why)}</p>
                    <ActionForm action=start>
                        <button type="submit" class="button primary">{t!(i18n, security.start)}</button>
                    </ActionForm>
                }.into_any()
            }}
            <h2>{t!(i18n, security.everywhere_title)}</h2>
            <p>{t!(i18n, security.everywhere_body)}</p>
            <ActionForm action=everywhere>
                <button type="submit" class="button">{t!(i18n, security.everywhere_button)}</button>
            </ActionForm>
    }
}

/// Scanning the new key and confirming it with a code and the password.
#[component]
fn ConfirmSecondStep(
    pending: PendingSecondFactor,
    confirm: ServerAction<ConfirmSecondFactor>,
) -> impl IntoView {
    let i18n = use_i18n();
    let confirmed = Signal::derive(move || confirm.value().get());
    view! {
        <p>{t!(i18n, security.scan)}</p>
        <img class="qr" src=pending.qr_image width="200" height="200"
            alt=move || t_string!(i18n, security.qr_alt).to_string() />
        <p>{t!(i18n, security.key)} ": " <code class="key">{pending.key}</code></p>
        <FormAlert result=confirmed />
        <ActionForm action=confirm attr:novalidate=true>
            <TextField
                name="code"
                autocomplete="one-time-code"
                label=t_string!(i18n, security.code).to_owned()
                problem=field_problem(confirmed, Field::Code)
            />
            <TextField
                name="password"
                kind="password"
                autocomplete="current-password"
                label=t_string!(i18n, security.turn_off_password).to_owned()
                problem=field_problem(confirmed, Field::Password)
            />
            <button type="submit" class="button primary">{t!(i18n, security.confirm)}</button>
        </ActionForm>
    }
}

/// `/logout`: signing out changes something, so it is a button (a form
/// post), never a link another site could make a browser follow.
#[component]
pub fn SignOutPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=move || t_string!(i18n, layout.sign_out).to_string() />
        <section class="page narrow">
            <h1>{t!(i18n, layout.sign_out)}</h1>
            <p>{t!(i18n, account.sign_out_body)}</p>
            <SignOutButton />
        </section>
    }
}
