//! Entry point of the wasm bundle. The server renders every page; the
//! browser hydrates only its islands (`#[island]` components in `app`), which
//! leptos's island script finds and starts one by one after this runs.

// Each island is a wasm export of `app`: the crate must be linked in even
// though nothing here names one.
extern crate app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
