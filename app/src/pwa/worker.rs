//! The service worker from the page's side: registered once the page runs,
//! a waiting new version offered with a button, and the first page, which
//! loaded before the service worker was in control, handed over to be kept
//! for offline use.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

use crate::i18n::*;

const SCRIPT: &str = "/sw.js";

/// The browser's service workers, where it has them (not in every private
/// mode, and never on plain http beyond localhost).
fn container() -> Option<ServiceWorkerContainer> {
    let navigator = window().navigator();
    js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker"))
        .unwrap_or(false)
        .then(|| navigator.service_worker())
}

/// A message to the service worker: `{ type, url? }` (see `public/sw.js`).
fn message(kind: &str, url: Option<&str>) -> JsValue {
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &kind.into());
    if let Some(url) = url {
        let _ = js_sys::Reflect::set(&message, &"url".into(), &url.into());
    }
    message.into()
}

/// Registers the service worker and shows "a new version is available" while
/// one waits; its button lets the new version take over and reloads.
#[component]
pub fn UpdatePrompt() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <UpdateOffer
            ready=t_string!(i18n, offline.update_ready).to_owned()
            reload=t_string!(i18n, offline.update_reload).to_owned()
        />
    }
}

/// The prompt as an island, its words translated by the server.
#[island]
fn UpdateOffer(ready: String, reload: String) -> impl IntoView {
    let waiting = RwSignal::new(false);
    Effect::new(move |_| register(waiting));
    view! {
        <div class="update-prompt" role="status" hidden=move || !waiting.get()>
            <Show when=move || waiting.get()>
                <p>{ready.clone()}</p>
                <button type="button" on:click=move |_| take_the_update()>
                    {reload.clone()}
                </button>
            </Show>
        </div>
    }
}

fn register(waiting: RwSignal<bool>) {
    let Some(container) = container() else {
        return;
    };
    let registering = container.register(SCRIPT);
    spawn_local(async move {
        let registration = match JsFuture::from(registering).await {
            Ok(registration) => registration.unchecked_into::<ServiceWorkerRegistration>(),
            Err(error) => {
                leptos::logging::warn!("the service worker was not registered: {error:?}");
                return;
            }
        };
        // A waiting worker with one in control is an update; without one in
        // control it is the first install, which takes over by itself.
        let is_update = move || container.controller().is_some();
        if registration.waiting().is_some() && is_update() {
            waiting.set(true);
        }
        let found = Closure::<dyn Fn()>::new({
            let registration = registration.clone();
            move || {
                let Some(installing) = registration.installing() else {
                    return;
                };
                let worker = installing.clone();
                let is_update = is_update.clone();
                let changed = Closure::<dyn Fn()>::new(move || {
                    if worker.state() == ServiceWorkerState::Installed && is_update() {
                        waiting.set(true);
                    }
                });
                installing.set_onstatechange(Some(changed.as_ref().unchecked_ref()));
                changed.forget();
            }
        });
        registration.set_onupdatefound(Some(found.as_ref().unchecked_ref()));
        found.forget();
    });
}

/// Lets the waiting version take over, and reloads once it has.
fn take_the_update() {
    let Some(container) = container() else {
        return;
    };
    let reload = Closure::<dyn Fn()>::new(|| {
        let _ = window().location().reload();
    });
    container.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
    reload.forget();
    spawn_local(async move {
        let registration = JsFuture::from(container.get_registration())
            .await
            .ok()
            .and_then(|found| found.dyn_into::<ServiceWorkerRegistration>().ok());
        if let Some(next) = registration.and_then(|registration| registration.waiting()) {
            let _ = next.post_message(&message("skip-waiting", None));
        }
    });
}

/// Hands the page at `address` to the service worker to keep, if it is one
/// worth having offline, when it came before any service worker was in
/// control (the first visit). Every later page comes through the service
/// worker, which keeps it then. The address is a prop so that each page the
/// islands router brings rebuilds this island (a page it fetched before the
/// worker took over is handed over too).
#[island]
pub fn KeepFirstPage(address: String) -> impl IntoView {
    Effect::new(move |_| {
        let controlled = container().is_some_and(|c| c.controller().is_some());
        if !controlled {
            keep(address.clone());
        }
    });
}

fn keep(url: String) {
    let Some(ready) = container().and_then(|container| container.ready().ok()) else {
        return;
    };
    spawn_local(async move {
        let active = JsFuture::from(ready)
            .await
            .ok()
            .and_then(|found| found.dyn_into::<ServiceWorkerRegistration>().ok())
            .and_then(|registration| registration.active());
        if let Some(worker) = active {
            let _ = worker.post_message(&message("keep", Some(&url)));
        }
    });
}
