//! Passwords and PINs: argon2id hashes (the crate's defaults: 19 MiB, two
//! passes), strength by zxcvbn, PINs from the operating system's generator.

use std::sync::LazyLock;

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use rand::seq::IndexedRandom;

use crate::error::{AppError, Field, Problem};
use crate::server::internal;

/// NIST SP 800-63B: at least 12 characters here (the agency's choice above
/// the minimum of 8); the upper bound keeps hashing cheap and is generous.
pub const PASSWORD_MIN_CHARS: usize = 12;
pub const PASSWORD_MAX_CHARS: usize = 128;

/// Hashes `secret` on this thread (seeding, tests: not a request).
pub fn hash_blocking(secret: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(secret.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(internal)
}

/// Whether `secret` matches `hash`, on this thread. A malformed hash
/// matches nothing.
pub fn verify_blocking(secret: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(secret.as_bytes(), hash)
        .is_ok()
}

/// The hash of a random string nobody knows, made once per process:
/// verifying against it spends the time of a real check. Without it (the
/// hasher failed) a check would be quick and tell "no such account" apart.
pub static NOBODY: LazyLock<Result<String, AppError>> = LazyLock::new(|| hash_blocking(&new_pin()));

/// A password a person chose: long enough, not common, not guessable from
/// what else they typed (`hints`: e-mail, name, case number). No rules on
/// character classes (800-63B advises against them).
pub fn check_new_password(password: &str, hints: &[&str]) -> Result<(), Problem> {
    let chars = password.chars().count();
    if chars == 0 {
        return Err(Problem::Required);
    }
    if chars < PASSWORD_MIN_CHARS {
        return Err(Problem::PasswordTooShort);
    }
    if chars > PASSWORD_MAX_CHARS {
        return Err(Problem::TooLong);
    }
    // zxcvbn matches a hint only as a whole: give it each word of each too
    // ("jordan", "ellis" from jordan.ellis@example.com).
    let words: Vec<&str> = hints
        .iter()
        .flat_map(|hint| std::iter::once(*hint).chain(hint.split(|c: char| !c.is_alphanumeric())))
        .filter(|word| word.len() > 2)
        .collect();
    let guessability = zxcvbn::zxcvbn(password, &words);
    if u8::from(guessability.score()) < 3 {
        return Err(Problem::PasswordTooWeak);
    }
    Ok(())
}

/// The letters of PINs and recovery codes: no 0/O, 1/I/L, so they can be
/// read over the phone.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// `groups` random groups of `length` letters, joined by dashes.
pub fn random_code(groups: usize, length: usize) -> String {
    let mut rng = rand::rng();
    let groups: Vec<String> = (0..groups)
        .map(|_| {
            (0..length)
                .filter_map(|_| CODE_ALPHABET.choose(&mut rng).map(|&b| char::from(b)))
                .collect()
        })
        .collect();
    groups.join("-")
}

/// A one-time key for a form (a confirmation, a message): it acts once, so
/// a form sent twice (a double click, a reload) does not act twice.
pub fn form_key() -> String {
    random_code(4, 5)
}

/// A new PIN, e.g. `K7QD-M2ZP-X9RA`: 12 characters of 31 (about 59 bits).
pub fn new_pin() -> String {
    random_code(3, 4)
}

/// A PIN or recovery code as typed (any case, with or without dashes and
/// spaces) in the form it is hashed in.
pub fn normalize_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// An e-mail address as typed, in the form it is stored in, or why not.
pub fn normalize_email(typed: &str) -> Result<String, Problem> {
    let email = typed.trim().to_lowercase();
    if email.is_empty() {
        return Err(Problem::Required);
    }
    if email.len() > 254 {
        return Err(Problem::TooLong);
    }
    // Only the shape is checked: the real test is that mail arrives.
    let valid = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !email
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || is_invisible(c))
            && !domain.contains('@')
    });
    if valid {
        Ok(email)
    } else {
        Err(Problem::NotAnEmail)
    }
}

/// Format characters (zero-width, direction-changing, tags): an address
/// holding one looks like another (`pat@example.com`, `pat\u{200B}@example.com`).
fn is_invisible(c: char) -> bool {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    c.general_category() == GeneralCategory::Format
}

/// Turns a field's problem into the form's error.
pub fn at(field: Field) -> impl Fn(Problem) -> AppError {
    move |problem| AppError::invalid(field, problem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_secret_and_nothing_else() {
        let hash = hash_blocking("correct horse battery staple").unwrap_or_default();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_blocking("correct horse battery staple", &hash));
        assert!(!verify_blocking("correct horse battery stapler", &hash));
        assert!(!verify_blocking("anything", "not a hash"));
    }

    #[test]
    fn passwords_are_long_and_hard_to_guess_with_no_composition_rules() {
        assert_eq!(check_new_password("", &[]), Err(Problem::Required));
        assert_eq!(
            check_new_password("Tr0ub4dor&3", &[]),
            Err(Problem::PasswordTooShort)
        );
        assert_eq!(
            check_new_password("password1234", &[]),
            Err(Problem::PasswordTooWeak)
        );
        assert_eq!(
            check_new_password("jordan.ellis@example.com", &["jordan.ellis@example.com"]),
            Err(Problem::PasswordTooWeak),
            "guessable from the e-mail"
        );
        assert_eq!(
            check_new_password(&"x".repeat(129), &[]),
            Err(Problem::TooLong)
        );
        assert_eq!(
            check_new_password("correct horse battery staple", &[]),
            Ok(())
        );
        assert_eq!(
            check_new_password("maple syrup on tuesdays", &[]),
            Ok(()),
            "all lower case is fine"
        );
    }

    #[test]
    fn pins_are_readable_and_typed_any_way() {
        let pin = new_pin();
        assert_eq!(pin.len(), 14);
        assert!(pin
            .chars()
            .all(|c| c == '-' || CODE_ALPHABET.contains(&(c as u8))));
        assert_ne!(new_pin(), pin);
        assert_eq!(normalize_code(" k7qd-m2zp x9ra "), "K7QDM2ZPX9RA");
    }

    #[test]
    fn email_addresses_are_trimmed_lower_cased_and_shaped_like_one() {
        assert_eq!(
            normalize_email(" Jo@Example.COM "),
            Ok("jo@example.com".into())
        );
        assert_eq!(normalize_email(""), Err(Problem::Required));
        for bad in [
            "jo",
            "jo@",
            "@example.com",
            "jo@example",
            "jo @example.com",
            "jo@.com",
            "a@b@c.com",
            "pat\u{1}@example.com",
            "pat\u{200B}@example.com",
            "pat@exa\u{202E}mple.com",
        ] {
            assert_eq!(normalize_email(bad), Err(Problem::NotAnEmail), "{bad}");
        }
    }
}
