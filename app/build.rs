//! Generates the typed translation module from `locales/*.json`.
use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let out_dir = std::env::var_os("OUT_DIR").ok_or("cargo did not set OUT_DIR")?;
    // `interpolate_display`: the server fills in translations with values
    // (`t_string!(i18n, key, name = value)`) to hand islands plain text.
    let options = ParseOptions::new().interpolate_display(true);
    let config = Config::new("en")?.add_locale("es")?.parse_options(options);
    let translations = TranslationsInfos::parse(config)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(PathBuf::from(out_dir).join("i18n"))?;
    Ok(())
}
