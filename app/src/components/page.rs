//! The page kit: how a page waits for its data, what it shows when the
//! server says no, and the small pieces every case page shares.

use std::future::IntoFuture;
use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_location, use_params_map};

use super::layout::ErrorText;
use super::text;
use crate::error::AppError;
use crate::i18n::*;

/// A page's content once its data is here: `children` gets the data; when
/// the server said no, [`refusal`] shows why instead. `resource` is a
/// `Resource` or `OnceResource` of the page's server function.
#[component]
pub fn Load<R, T, V, F>(
    resource: R,
    children: F,
    /// The errors this page answers itself (a range typed into the address,
    /// at its field; an article that is not there): `Err` passes the rest on
    /// to [`refusal`].
    #[prop(optional, into)]
    answers: Option<Callback<AppError, Result<AnyView, AppError>>>,
) -> impl IntoView
where
    R: IntoFuture<Output = Result<T, AppError>> + Copy + Send + Sync + 'static,
    R::IntoFuture: Send,
    T: Send + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
{
    let children = Arc::new(children);
    view! {
        <Suspense>
            {move || {
                let children = Arc::clone(&children);
                Suspend::new(async move {
                    let error = match resource.await {
                        Ok(data) => return children(data).into_any(),
                        Err(error) => error,
                    };
                    match answers {
                        Some(answers) => answers.run(error).unwrap_or_else(|error| refusal(error).into_any()),
                        None => refusal(error).into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// What a page shows instead of its content when the server said no:
/// anonymous people go to sign in (and come back), others see why.
pub fn refusal(error: AppError) -> impl IntoView {
    match error {
        AppError::SignInRequired => {
            let location = use_location();
            let here = format!(
                "{}{}",
                location.pathname.get_untracked(),
                location.search.get_untracked()
            );
            let path = format!(
                "/login?next={}",
                leptos_router::location::Url::escape(&here)
            );
            sent_to(path).into_any()
        }
        AppError::SecondFactorSetupRequired => sent_to("/account/security".to_owned()).into_any(),
        AppError::Forbidden | AppError::NotFound => view! { <Forbidden /> }.into_any(),
        _ => view! { <ErrorText /> }.into_any(),
    }
}

/// Sends the client to `path`, whatever it accepts: `Redirect` answers 302
/// only to a request that accepts HTML, and would leave others a 200 page
/// with nothing on it.
fn sent_to(path: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::FOUND);
    }
    view! { <Redirect path /> }
}

/// Shown, with HTTP status 403, for a page that is not the reader's to see.
#[component]
pub fn Forbidden() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::FORBIDDEN);
    }
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, cases.forbidden_title)}</h1>
        <p>{t!(i18n, cases.forbidden_body)}</p>
    }
}

/// "Figures as of …": when the numbers on the page were read.
#[component]
pub fn AsOf(as_of: chrono::NaiveDateTime) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="as-of">
            {t!(i18n, balance.as_of)} " " {text::date_time(i18n.get_locale_untracked(), as_of)}
        </p>
    }
}

/// The case number in the URL.
pub fn case_number_param() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("number").unwrap_or_default()))
}

/// The number in the URL's `:id` (a conversation, a request). An address
/// whose id is not a number asks for id 0, which names nothing: the page
/// answers as for any id that does not exist, never telling a reader more.
pub fn id_param() -> Memo<i32> {
    let params = use_params_map();
    Memo::new(move |_| {
        params.with(|p| {
            p.get("id")
                .and_then(|id| id.parse::<i32>().ok())
                .unwrap_or(0)
        })
    })
}
