//! Every server function, sent whatever a browser (or an attacker) can send:
//! fields it knows and fields it does not, empty, huge, non-numbers, dates
//! that do not exist, amounts past any limit, broken encodings — as a
//! visitor, a parent, a caseworker and a supervisor. No answer may be a server error
//! (5xx) and nothing may panic: bad input is always the sender's mistake
//! and gets a 4xx with its reason.
//!
//! The functions are the ones the server registered; the field names are
//! read from the app's source (its server functions' parameters and its
//! forms' `name=` attributes), so a new function or field is fuzzed without
//! touching this file. `PROPTEST_CASES` sets the sends per function and
//! person (default 16).

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use axum::Router;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use server::seed::demo::{self, DEMO_PASSWORD};

/// Functions that end the session they are sent with; fuzzed as a visitor only.
const ENDS_THE_SESSION: [&str; 1] = ["sign_out"];

#[test]
fn no_server_function_input_makes_a_server_error() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let test = runtime.block_on(support::sqlite());
    let router = runtime.block_on(async {
        demo::seed(&test.db, support::config().today())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        support::router(test.db.clone())
    });
    let people = runtime.block_on(async {
        let mut people = vec![("visitor", None)];
        for (who, email) in [
            ("parent", "paying.parent@example.com"),
            ("caseworker", "caseworker@example.com"),
            ("supervisor", "supervisor@example.com"),
        ] {
            let cookie = support::sign_in_as(&router, email, DEMO_PASSWORD).await;
            people.push((who, Some(cookie)));
        }
        people
    });

    let functions = server_functions();
    assert!(functions.len() > 40, "found only {functions:?}");
    let fields = fields_in_the_source();
    let names: Vec<String> = fields.names.iter().cloned().collect();
    assert!(names.len() > 50, "found only {names:?}");
    let missing: Vec<_> = functions
        .iter()
        .filter(|function| !fields.parameters.contains_key(*function))
        .collect();
    assert!(missing.is_empty(), "no parameters found for {missing:?}");
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(16);

    let answers = std::cell::RefCell::new(std::collections::BTreeMap::<u16, usize>::new());
    for function in &functions {
        for (who, cookie) in &people {
            if cookie.is_some() && ENDS_THE_SESSION.contains(&function.as_str()) {
                continue;
            }
            let mut runner = TestRunner::new(Config {
                cases,
                failure_persistence: None,
                ..Config::default()
            });
            let outcome = runner.run(&body(&names, &fields.parameters[function]), |body| {
                let page = runtime.block_on(send(&router, function, &body, cookie.as_deref()));
                *answers
                    .borrow_mut()
                    .entry(page.status.as_u16())
                    .or_default() += 1;
                if page.status.is_server_error() {
                    return Err(TestCaseError::fail(format!(
                        "{} {}",
                        page.status,
                        page.body.chars().take(300).collect::<String>()
                    )));
                }
                Ok(())
            });
            if let Err(failure) = outcome {
                panic!("{function} as a {who}: {failure}");
            }
        }
    }
    // The sends reached the functions: some were answered, some refused at
    // a field, some refused for who sent them.
    let answers = answers.into_inner();
    eprintln!("answers by status: {answers:?}");
    for status in [200, 400, 401, 403, 422] {
        assert!(answers.contains_key(&status), "no {status} in {answers:?}");
    }
}

async fn send(router: &Router, function: &str, body: &str, cookie: Option<&str>) -> support::Page {
    let request = support::call_request_with_body(function, body.to_owned(), cookie);
    support::send(router, request).await
}

/// A form body: every parameter of the function with awkward values (so that
/// most sends get past decoding to the checks), or any known and unknown
/// names, or raw bytes.
fn body(names: &[String], parameters: &[String]) -> impl Strategy<Value = String> {
    let name = prop_oneof![
        4 => proptest::sample::select(names.to_vec()),
        1 => "[a-z_\\[\\]]{1,12}",
    ];
    let field = (name, value()).prop_map(|(name, value)| encode(&name, &value));
    let all_parameters = proptest::collection::vec(value(), parameters.len()).prop_map({
        let parameters = parameters.to_vec();
        move |values| {
            parameters
                .iter()
                .zip(values)
                .map(|(name, value)| encode(name, &value))
                .collect::<Vec<_>>()
                .join("&")
        }
    });
    prop_oneof![
        6 => all_parameters,
        4 => proptest::collection::vec(field, 0..12).prop_map(|fields| fields.join("&")),
        1 => "[ -~]{0,200}",
        1 => "(%[0-9A-Fa-f]{0,2}|[=&+]|[a-z]{1,4}){0,40}",
    ]
}

fn encode(name: &str, value: &str) -> String {
    format!("{}={}", support::urlencode(name), support::urlencode(value))
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("CS-2020-004172".to_owned()),
        Just("0".to_owned()),
        Just("-1".to_owned()),
        Just("2147483648".to_owned()),
        Just("99999999999999999999999999999".to_owned()),
        Just("1e309".to_owned()),
        Just("NaN".to_owned()),
        Just("2026-02-30".to_owned()),
        Just("0000-01-01".to_owned()),
        Just("+275760-09-13".to_owned()),
        Just("<script>alert(1)</script>".to_owned()),
        Just("' OR 1=1 --".to_owned()),
        Just("x".repeat(70_000)),
        "-?[0-9]{1,22}(\\.[0-9]{0,6})?",
        "[0-9]{1,6}-[0-9]{1,3}-[0-9]{1,3}(T[0-9]{2}:[0-9]{2})?",
        "\\PC{0,40}",
        "[a-z_]{1,16}",
    ]
}

/// The server functions registered with the router (`/api/name`).
fn server_functions() -> Vec<String> {
    let mut names: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .filter_map(|(path, _)| path.strip_prefix("/api/").map(str::to_owned))
        .collect();
    names.sort();
    names
}

/// What the app's source says about its input: every field name its forms
/// and server functions use, and each server function's parameters.
#[derive(Default)]
struct Fields {
    names: BTreeSet<String>,
    parameters: BTreeMap<String, Vec<String>>,
}

fn fields_in_the_source() -> Fields {
    let mut fields = Fields::default();
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src");
    for file in rust_files(&app) {
        let source = std::fs::read_to_string(&file).unwrap_or_default();
        for piece in source.split("name=\"").skip(1) {
            if let Some((name, _)) = piece.split_once('"') {
                if is_field_name(name) {
                    fields.names.insert(name.to_owned());
                }
            }
        }
        for piece in source.split("#[server(endpoint = \"").skip(1) {
            let Some((endpoint, rest)) = piece.split_once('"') else {
                continue;
            };
            let Some(signature) = rest
                .split_once("pub async fn ")
                .and_then(|(_, rest)| rest.split_once('('))
                .and_then(|(_, rest)| rest.split_once(')'))
            else {
                continue;
            };
            // `#[server(default)] request: String` → `request`
            let parameters: Vec<String> = signature
                .0
                .split(',')
                .filter_map(|parameter| parameter.split_once(':'))
                .filter_map(|(name, _)| name.split_whitespace().last())
                .filter(|name| is_field_name(name))
                .map(str::to_owned)
                .collect();
            fields.names.extend(parameters.iter().cloned());
            fields.parameters.insert(endpoint.to_owned(), parameters);
        }
    }
    fields
}

fn is_field_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '[' | ']'))
}

fn rust_files(folder: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    files
}
