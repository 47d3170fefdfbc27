//! The page shown while the database cannot be reached. The server writes it
//! without the app (whose every page may need the database, if only to read
//! the session), so it is one plain document in the reader's language.

use leptos::prelude::*;
// `Locale::as_str` comes from leptos_i18n's trait.
use leptos_i18n::Locale as _;

use crate::components::quick_exit::LEAVE_PATH;
use crate::i18n::*;

/// The whole HTML document, with "Try again" pointing back at `here`,
/// styled by the bundle's `stylesheet`.
pub fn unavailable_document(
    locale: Locale,
    here: &str,
    agency_phone: &str,
    stylesheet: &str,
) -> String {
    let title = td_string!(locale, unavailable.title);
    let phone_link = format!("tel:{agency_phone}");
    let page = view! {
        <html lang=locale.as_str()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <title>{title}" · Child Support Portal"</title>
                <link rel="stylesheet" href=stylesheet.to_owned() />
            </head>
            <body>
                // The quick exit is on every page, this one too (without
                // JavaScript, so without its Esc shortcut).
                <aside
                    class="quick-exit-bar"
                    aria-label=td_string!(locale, layout.quick_exit_label)
                >
                    <a class="quick-exit" href=LEAVE_PATH rel="external nofollow">
                        {td_string!(locale, layout.quick_exit)}
                    </a>
                </aside>
                <main id="main">
                    <section class="page narrow" role="alert">
                        <h1>{title}</h1>
                        <p>{td_string!(locale, unavailable.body)}</p>
                        <p>
                            <a href=here.to_owned()>{td_string!(locale, unavailable.retry)}</a>
                        </p>
                        <p>
                            {td_string!(locale, unavailable.call)} " "
                            <a href=phone_link>{agency_phone.to_owned()}</a>
                        </p>
                    </section>
                </main>
            </body>
        </html>
    };
    format!("<!DOCTYPE html>{}", page.to_html())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_speaks_the_readers_language_and_escapes_what_it_is_given() {
        let english = unavailable_document(
            Locale::en,
            "/dashboard?x=<b>",
            "1-800-555-0142",
            "/pkg/portal.Cc_3.css",
        );
        assert!(english.starts_with("<!DOCTYPE html><html lang=\"en\""));
        assert!(english.contains("cannot reach its records"));
        assert!(english.contains("href=\"tel:1-800-555-0142\""));
        assert!(
            english.contains("href=\"/pkg/portal.Cc_3.css\""),
            "the build's stylesheet"
        );
        assert!(!english.contains("<b>"), "{english}");
        assert!(
            english.contains("href=\"/leave\""),
            "the quick exit is there"
        );

        let spanish = unavailable_document(Locale::es, "/", "1-800-555-0142", "/pkg/portal.css");
        assert!(spanish.contains("lang=\"es\""));
        assert!(spanish.contains("no puede consultar sus registros"));
    }
}
