//! "Leave this site quickly", on every page, for families who experienced
//! violence: one press (or Esc twice) signs out, asks the browser to forget
//! what the portal stored, and shows a neutral site the agency chose
//! (`/leave` on the server does all three). With JavaScript the page also
//! replaces itself, so Back does not bring this page up again.

use std::time::Duration;

use leptos::prelude::*;

use crate::i18n::*;

/// Where the quick exit goes first: the server route that signs out and
/// redirects to the agency's neutral site.
pub const LEAVE_PATH: &str = "/leave";

/// How soon the second Esc must follow the first.
const SECOND_ESC_WITHIN: Duration = Duration::from_millis(1500);

#[component]
pub fn QuickExit() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <QuickExitBar
            label=t_string!(i18n, layout.quick_exit_label).to_owned()
            link=t_string!(i18n, layout.quick_exit).to_owned()
            hint=t_string!(i18n, layout.quick_exit_hint).to_owned()
        />
    }
}

/// The bar itself, an island: Esc twice and the link's click replace this
/// page in the history. Its words come translated from the server.
#[island]
fn QuickExitBar(label: String, link: String, hint: String) -> impl IntoView {
    let first_esc = RwSignal::new(false);
    // Effects run only in the browser: the key listener is never set on the server.
    Effect::new(move |_| {
        let listener = window_event_listener(leptos::ev::keydown, move |event| {
            if event.key() != "Escape" {
                return;
            }
            if first_esc.get_untracked() {
                leave();
            } else {
                first_esc.set(true);
                set_timeout(move || first_esc.set(false), SECOND_ESC_WITHIN);
            }
        });
        on_cleanup(move || listener.remove());
    });
    let on_click = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        leave();
    };
    view! {
        <aside class="quick-exit-bar" aria-label=label>
            <a class="quick-exit" href=LEAVE_PATH rel="nofollow" on:click=on_click>
                {link}
            </a>
            <span class="quick-exit-hint">{hint}</span>
        </aside>
    }
}

/// Goes to `/leave` in place of this page's history entry.
fn leave() {
    let _ = window().location().replace(LEAVE_PATH);
}
