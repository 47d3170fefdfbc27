//! A page the service worker answered from the device (it marks `<body
//! data-offline>`), or one whose network went away while it was read, says
//! when its figures were read and holds what needs the server: forms are
//! not sent. Links load whole pages, which the service worker can answer
//! from the device.

use chrono::NaiveDateTime;
use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};

use crate::components::layout::this_address;
use crate::components::text;
use crate::i18n::*;

/// Where the page stands with the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Connection {
    /// A page fresh from the server, and a network to reach it.
    Online,
    /// No network: the page is what the device kept, or what was on screen
    /// when the network went.
    Offline,
    /// The network is back, but this page came from the device.
    BackOnline,
}

impl Connection {
    fn of(online: bool, served_from_device: bool) -> Self {
        match (online, served_from_device) {
            (false, _) => Self::Offline,
            (true, true) => Self::BackOnline,
            (true, false) => Self::Online,
        }
    }
}

/// When the server rendered this page, in the agency's time: what the
/// figures of a page kept on the device are "as of". Rendered by the server
/// and carried in the page, so a kept page says when it was made.
fn rendered_at() -> Option<NaiveDateTime> {
    #[cfg(feature = "ssr")]
    {
        crate::server::state()
            .ok()
            .map(|state| state.clock().as_of())
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

#[component]
pub fn OfflineNotice() -> impl IntoView {
    let i18n = use_i18n();
    let time = rendered_at()
        .map(|at| text::date_time(i18n.get_locale_untracked(), at))
        .unwrap_or_default();
    view! {
        <ConnectionNotice
            offline=t_string!(i18n, offline.offline).to_owned()
            back_online=t_string!(i18n, offline.back_online).to_owned()
            as_of=t_string!(i18n, offline.as_of, time = time).to_string()
            held=t_string!(i18n, offline.held).to_owned()
            show_latest=t_string!(i18n, offline.show_latest).to_owned()
            address=this_address()
        />
    }
}

/// The notice as an island. Its words, and the time the page was made,
/// come from the server inside the page, so a page kept on the device says
/// when it was made. The page's address makes each page's notice its own:
/// one the islands router brings is rebuilt, and holds that page's forms.
#[island]
fn ConnectionNotice(
    offline: String,
    back_online: String,
    as_of: String,
    held: String,
    show_latest: String,
    address: String,
) -> impl IntoView {
    // Online on the server and at hydration, so both render the same; the
    // browser's real state is read once it has taken over.
    let connection = RwSignal::new(Connection::Online);
    Effect::new(move |_| {
        let update = move || {
            let served_from_device = document()
                .body()
                .is_some_and(|body| body.has_attribute(SERVED_FROM_DEVICE));
            connection.set(Connection::of(
                window().navigator().on_line(),
                served_from_device,
            ))
        };
        update();
        let went = window_event_listener(leptos::ev::offline, move |_| update());
        let back = window_event_listener(leptos::ev::online, move |_| update());
        // The next page the islands router brings may be the same notice
        // (kept, not rebuilt) on a page that came from the network this
        // time, or from the device: the body's mark says which.
        watch_the_mark(update);
        on_cleanup(move || {
            went.remove();
            back.remove();
        });
    });
    hold_actions_while_offline(connection);

    view! {
        <div
            class="offline-notice"
            role="status"
            hidden=move || connection.get() == Connection::Online
        >
            {move || match connection.get() {
                Connection::Online => ().into_any(),
                Connection::Offline => view! {
                    <p>
                        <strong>{offline.clone()}</strong> " " {as_of.clone()}
                    </p>
                    <p>{held.clone()}</p>
                }
                .into_any(),
                Connection::BackOnline => view! {
                    <p>
                        <strong>{back_online.clone()}</strong> " " {as_of.clone()} " "
                        <a href=address.clone()>{show_latest.clone()}</a>
                    </p>
                }
                .into_any(),
            }}
        </div>
    }
}

/// What the service worker marks a page it served from the device with.
const SERVED_FROM_DEVICE: &str = "data-offline";

/// Calls `changed` whenever the body gains or loses its mark.
fn watch_the_mark(changed: impl Fn() + 'static) {
    let Some(body) = document().body() else {
        return;
    };
    let on_change = Closure::<dyn Fn()>::new(changed);
    let Ok(observer) = web_sys::MutationObserver::new(on_change.as_ref().unchecked_ref()) else {
        return;
    };
    let init = web_sys::MutationObserverInit::new();
    init.set_attributes(true);
    init.set_attribute_filter(&js_sys::Array::of1(&SERVED_FROM_DEVICE.into()));
    let _ = observer.observe_with_options(&body, &init);
    // As long as the document: the body stays while pages change in it.
    on_change.forget();
}

/// While offline: submit buttons are disabled and a form is not sent. (A
/// link loads its page whole, which the service worker answers from the
/// device if it was kept.)
fn hold_actions_while_offline(connection: RwSignal<Connection>) {
    let offline = move || connection.get_untracked() == Connection::Offline;
    Effect::new(move |_| {
        let held = connection.get() == Connection::Offline;
        for button in submit_buttons() {
            let ours = button.has_attribute("data-held-offline");
            if held && !button.has_attribute("disabled") {
                let _ = button.set_attribute("disabled", "");
                let _ = button.set_attribute("data-held-offline", "");
            } else if !held && ours {
                let _ = button.remove_attribute("disabled");
                let _ = button.remove_attribute("data-held-offline");
            }
        }
    });
    Effect::new(move |_| {
        // Capturing on the window: this runs before any form's own
        // listener, and lives as long as the page.
        let on_submit = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
            if offline() {
                event.prevent_default();
                event.stop_immediate_propagation();
            }
        });
        let window = window();
        let _ = window.add_event_listener_with_callback_and_bool(
            "submit",
            on_submit.as_ref().unchecked_ref(),
            true,
        );
        on_submit.forget();
    });
}

fn submit_buttons() -> Vec<web_sys::Element> {
    let Ok(found) =
        document().query_selector_all("form button:not([type=button]), form input[type=submit]")
    else {
        return Vec::new();
    };
    (0..found.length())
        .filter_map(|index| found.item(index))
        .filter_map(|node| node.dyn_into::<web_sys::Element>().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::Connection;

    #[test]
    fn a_kept_page_stays_marked_until_it_is_reloaded() {
        assert_eq!(Connection::of(true, false), Connection::Online);
        assert_eq!(Connection::of(false, false), Connection::Offline);
        assert_eq!(Connection::of(false, true), Connection::Offline);
        assert_eq!(Connection::of(true, true), Connection::BackOnline);
    }
}
