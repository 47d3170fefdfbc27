//! The language a person chose, remembered on their account: whenever they
//! choose while signed in it is stored, and at every sign-in, on any device,
//! it becomes the browser's language (its cookie). Their e-mails are written
//! in it first.

use crate::i18n::Locale;
// `Locale::as_str` and parsing come from leptos_i18n's trait.
use leptos_i18n::Locale as _;

/// The cookie leptos_i18n reads on the server and writes in the browser.
pub const LOCALE_COOKIE: &str = "i18n_pref_locale";

/// The `Set-Cookie` value that makes `locale` the browser's, for a year.
pub fn cookie(locale: Locale) -> String {
    format!(
        "{LOCALE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        locale.as_str()
    )
}

/// The language a `Cookie` header names, if any.
pub fn from_cookies(header: &str) -> Option<Locale> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LOCALE_COOKIE)
        .and_then(|(_, value)| value.parse().ok())
}

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use entity::accounts;
    use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

    use super::*;
    use crate::error::AppError;
    use crate::reader::User;

    /// Stores `locale` as the language of `account`.
    pub async fn remember(
        db: &impl ConnectionTrait,
        account: i32,
        locale: Locale,
    ) -> Result<(), AppError> {
        accounts::Entity::update(accounts::ActiveModel {
            id: Set(account),
            locale: Set(Some(locale.as_str().to_owned())),
            ..Default::default()
        })
        .exec(db)
        .await?;
        Ok(())
    }

    /// The language of the request being served (its cookie), if it has one.
    pub fn of_request() -> Option<Locale> {
        let parts = leptos::prelude::use_context::<http::request::Parts>()?;
        parts
            .headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find_map(from_cookies)
    }

    /// At sign-in: a language the account chose becomes this browser's.
    /// (A browser's own cookie is not taken as a choice: the page writes it
    /// by itself whenever it runs.)
    pub async fn at_sign_in(user: &User) {
        let Some(chosen) = user.locale() else {
            return;
        };
        if of_request() == Some(chosen) {
            return;
        }
        let response = leptos::prelude::use_context::<leptos_axum::ResponseOptions>();
        if let (Some(response), Ok(value)) =
            (response, http::HeaderValue::from_str(&cookie(chosen)))
        {
            response.append_header(http::header::SET_COOKIE, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_cookie_is_found_among_others() {
        assert_eq!(
            from_cookies("portal_session=abc; i18n_pref_locale=es"),
            Some(Locale::es)
        );
        assert_eq!(from_cookies("i18n_pref_locale=en;x=1"), Some(Locale::en));
        assert_eq!(from_cookies("i18n_pref_locale=fr"), None);
        assert_eq!(from_cookies("portal_session=abc"), None);
    }

    #[test]
    fn the_cookie_sets_what_it_is_read_as() {
        let set = cookie(Locale::es);
        let pair = set.split(';').next().unwrap_or_default();
        assert_eq!(from_cookies(pair), Some(Locale::es));
    }
}
