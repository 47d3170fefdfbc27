//! Values shown once: a PIN just issued, a first password, new recovery
//! codes. The form that makes one answers with a redirect; the value rides
//! to the page that shows it in a sealed cookie that lives two minutes, is
//! bound to the account, and is cleared by that page. It is never stored on
//! the server, not even in the session.

use chrono::Utc;
use http::{header, HeaderValue};
use leptos::prelude::use_context;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::{internal, state, AppState};
use crate::error::AppError;

/// Which value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Once {
    RecoveryCodes,
    IssuedPin,
    FirstPassword,
}

impl Once {
    fn name(self) -> &'static str {
        match self {
            Once::RecoveryCodes => "recovery_codes",
            Once::IssuedPin => "issued_pin",
            Once::FirstPassword => "first_password",
        }
    }

    fn cookie(self, state: &AppState) -> String {
        // Over https, `__Host-`: this host's alone, like the session's.
        let prefix = if state.security.secure_cookies {
            "__Host-"
        } else {
            ""
        };
        format!("{prefix}portal_once_{}", self.name())
    }
}

/// How long a value waits for its page.
const SECONDS: i64 = 120;

#[derive(Serialize, Deserialize)]
struct Kept<T> {
    account: i32,
    until: i64,
    value: T,
}

/// Keeps `value` for `account` until the page that shows it is read.
pub fn keep<T: Serialize>(what: Once, account: i32, value: &T) -> Result<(), AppError> {
    let state = state()?;
    let kept = Kept {
        account,
        until: Utc::now().timestamp() + SECONDS,
        value,
    };
    let plain = serde_json::to_vec(&kept).map_err(internal)?;
    let sealed = state.secret_key.seal(&plain, what.name())?;
    set_cookie(&state, &what.cookie(&state), &sealed, SECONDS)
}

/// The value kept for `account`, if it is still waiting; it will not be
/// there again.
pub fn take<T: DeserializeOwned>(what: Once, account: i32) -> Result<Option<T>, AppError> {
    let state = state()?;
    let name = what.cookie(&state);
    let Some(text) = request_cookie(&name) else {
        return Ok(None);
    };
    set_cookie(&state, &name, "", 0)?;
    let now = Utc::now().timestamp();
    Ok(state
        .secret_key
        .open(&text, what.name())
        .and_then(|plain| serde_json::from_slice::<Kept<T>>(&plain).ok())
        .filter(|kept| kept.account == account && kept.until >= now)
        .map(|kept| kept.value))
}

fn set_cookie(state: &AppState, name: &str, value: &str, max_age: i64) -> Result<(), AppError> {
    let secure = if state.security.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie =
        format!("{name}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}");
    let value = HeaderValue::from_str(&cookie).map_err(internal)?;
    let response =
        use_context::<leptos_axum::ResponseOptions>().ok_or_else(super::request_ended)?;
    response.append_header(header::SET_COOKIE, value);
    Ok(())
}

fn request_cookie(name: &str) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| {
            let (key, value) = pair.trim().split_once('=')?;
            (key == name).then(|| value.to_owned())
        })
}
