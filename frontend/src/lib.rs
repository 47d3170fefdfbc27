//! Entry point of the wasm bundle: take over the HTML the server rendered.

// The lazy routes' generated code nests deeper than the default limit.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Loads the current page's piece of the bundle before hydrating it.
    leptos::mount::hydrate_lazy(app::App);
}
