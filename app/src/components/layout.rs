//! The frame of every page: skip link, header with navigation and language
//! switcher, footer with the agency's contact details, and the error page.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::config::Agency;
use crate::i18n::*;
use crate::reader::{AccountRole, Reader};

/// First focusable element: lets keyboard users jump past the navigation.
#[component]
pub fn SkipLink() -> impl IntoView {
    let i18n = use_i18n();
    view! { <a class="skip-link" href="#main">{t!(i18n, layout.skip_to_content)}</a> }
}

/// The header; `children` is the sign-out form, shown to someone signed in.
#[component]
pub fn SiteHeader(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let agency = use_context::<Agency>().unwrap_or_default();

    view! {
        <header class="site-header">
            <div class="brand">
                <A href="/" attr:class="brand-link">
                    <span class="agency-name">{agency.name}</span>
                    <span class="portal-name">{t!(i18n, layout.portal_name)}</span>
                </A>
            </div>
            <nav class="site-nav" aria-label=move || t_string!(i18n, layout.main_navigation).to_string()>
                <ul>
                    <li>
                        <A href="/">{t!(i18n, layout.nav_home)}</A>
                    </li>
                    <li>
                        <A href="/advice">{t!(i18n, layout.nav_advice)}</A>
                    </li>
                    <AccountLinks sign_out=children />
                </ul>
            </nav>
            <LanguageSwitcher />
        </header>
    }
}

/// "Sign in" for visitors; their pages, notifications and `sign_out` for
/// someone signed in (who that is, the server found before the page ran).
#[component]
fn AccountLinks(sign_out: Children) -> impl IntoView {
    let i18n = use_i18n();
    let reader = use_context::<Reader>().unwrap_or_default();
    let Some(user) = reader.user else {
        return view! { <li><A href="/login">{t!(i18n, layout.nav_sign_in)}</A></li> }.into_any();
    };
    let unseen = reader.unseen.unwrap_or_default();
    view! {
        <li><A href="/dashboard">{t!(i18n, layout.nav_my_cases)}</A></li>
        {user.role.is_staff().then(|| view! {
            <li><A href="/work">{t!(i18n, layout.nav_work)}</A></li>
            <li><A href="/caseload">{t!(i18n, layout.nav_caseload)}</A></li>
        })}
        {(user.role == AccountRole::Supervisor).then(|| view! {
            <li><A href="/staff">{t!(i18n, staff.nav)}</A></li>
        })}
        <li><A href="/messages">{t!(i18n, layout.nav_messages)}</A></li>
        <li>
            <A href="/notifications">
                {match unseen {
                    0 => t!(i18n, notices.nav).into_any(),
                    n => t!(i18n, notices.nav_unseen, n = move || n).into_any(),
                }}
            </A>
        </li>
        <li>{sign_out()}</li>
    }
    .into_any()
}

/// The address of the page being rendered, its query included.
pub fn this_address() -> String {
    let location = use_location();
    let (path, query) = (
        location.pathname.get_untracked(),
        location.search.get_untracked(),
    );
    if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    }
}

/// Links to the other language: `/language/{code}` sets the cookie (and the
/// account's language, for someone signed in) and comes back to this page.
#[component]
fn LanguageSwitcher() -> impl IntoView {
    let i18n = use_i18n();
    // Back to this very page, query included.
    let next = encode_query_value(&this_address());
    let choice = move |locale: Locale, name: &'static str| {
        let href = format!("/language/{}?next={next}", locale.as_str());
        let current = i18n.get_locale_untracked() == locale;
        view! {
            <li>
                <a
                    href=href
                    lang=locale.as_str()
                    hreflang=locale.as_str()
                    aria-current=current.then_some("true")
                >
                    {name}
                </a>
            </li>
        }
    };

    view! {
        <nav class="language-switcher" aria-label=t_string!(i18n, layout.language)>
            <ul>{choice(Locale::en, "English")} {choice(Locale::es, "Español")}</ul>
        </nav>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    let i18n = use_i18n();
    let agency = use_context::<Agency>().unwrap_or_default();
    let phone_href = format!("tel:{}", agency.phone);

    view! {
        <footer class="site-footer">
            <h2 class="footer-heading">{t!(i18n, layout.contact_heading)}</h2>
            <p class="footer-agency">{agency.name}</p>
            <dl class="contact">
                <dt>{t!(i18n, layout.phone)}</dt>
                <dd>
                    <a href=phone_href>{agency.phone}</a>
                </dd>
                <dt>{t!(i18n, layout.hours)}</dt>
                <dd>{move || agency.hours.get(i18n.get_locale()).to_owned()}</dd>
            </dl>
        </footer>
    }
}

/// What a person sees when a page fails to render. The causes stay in the
/// server log; the page only says what to do next.
#[component]
pub fn ErrorPage(errors: ArcRwSignal<Errors>) -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    {
        for (_, error) in errors.get_untracked().iter() {
            tracing::error!(%error, "page failed to render");
        }
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(http::StatusCode::INTERNAL_SERVER_ERROR);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = errors;

    view! {
        <section class="page narrow" role="alert">
            <h1>{t!(i18n, error.title)}</h1>
            <p>{t!(i18n, error.body)}</p>
            <p>
                <a href="/">{t!(i18n, not_found.home_link)}</a>
            </p>
        </section>
    }
}

/// The error message inside a page whose content could not be loaded.
#[component]
pub fn ErrorText() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div role="alert">
            <h1>{t!(i18n, error.title)}</h1>
            <p>{t!(i18n, error.body)}</p>
        </div>
    }
}

/// Percent-encodes a path for use as a query value (RFC 3986 unreserved
/// characters and `/` pass through).
fn encode_query_value(value: &str) -> String {
    leptos_router::location::Url::escape(value)
}
