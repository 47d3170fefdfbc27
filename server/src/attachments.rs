//! Files sent with messages. `POST /messages/{id}/attach` takes a
//! multipart form (it works without JavaScript: the browser sends it and
//! comes back to the conversation); `GET /attachments/{id}` gives a file to
//! whoever may read its conversation, and only as a download.

use app::error::{AppError, Field, Problem};
use app::messages::service::files::{self as service, Upload};
use app::server::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};

use crate::browser::{refusal, signed_in};
use tower_sessions::Session;

pub async fn attach(
    State(state): State<AppState>,
    session: Session,
    Path(thread): Path<i32>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let back = format!("/messages/{thread}");
    let outcome = match multipart {
        Ok(form) => send(&state, &session, thread, form).await,
        Err(_) => Err(AppError::invalid(Field::Attachment, Problem::Required)),
    };
    match outcome {
        Ok(()) => Redirect::to(&back).into_response(),
        Err(AppError::Invalid(problems)) => {
            let code = problems
                .first()
                .map_or("required", |p| problem_code(p.problem));
            Redirect::to(&format!("{back}?attach={code}#attach-heading")).into_response()
        }
        Err(error) => refusal(error, &back),
    }
}

/// Reads the form (`key`, `note`, `file`) and sends the file.
async fn send(
    state: &AppState,
    session: &Session,
    thread: i32,
    mut form: Multipart,
) -> Result<(), AppError> {
    let reader = signed_in(state, session).await?;
    let (mut key, mut note, mut upload) = (String::new(), String::new(), None);
    let too_large = || AppError::invalid(Field::Attachment, Problem::FileTooLarge);
    while let Some(field) = form.next_field().await.map_err(|_| too_large())? {
        match field.name().unwrap_or_default() {
            "key" => key = field.text().await.map_err(|_| too_large())?,
            "note" => note = field.text().await.map_err(|_| too_large())?,
            "file" => {
                let file_name = field.file_name().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(|_| too_large())?;
                upload = Some((file_name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let (file_name, bytes) =
        upload.ok_or(AppError::invalid(Field::Attachment, Problem::Required))?;
    let upload = Upload {
        file_name,
        bytes,
        note,
        key,
    };
    service::attach(
        &state.db,
        &reader,
        thread,
        upload,
        chrono::Utc::now(),
        &state.messages,
    )
    .await
}

pub async fn download(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i32>,
) -> Response {
    let file = match signed_in(&state, &session).await {
        Ok(reader) => service::download(&state.db, &reader, id).await,
        Err(error) => Err(error),
    };
    match file {
        Ok((name, content_type, bytes)) => {
            // Named by its type again: rows stored before names followed
            // their content get the same name as new ones.
            let name = app::messages::rules::file_name(&name, &content_type);
            let mut response = bytes.into_response();
            let headers = response.headers_mut();
            let values = [
                (header::CONTENT_TYPE, content_type),
                (header::CONTENT_DISPOSITION, disposition(&name)),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
                // Never run as a page, even if a browser were to try.
                (header::CONTENT_SECURITY_POLICY, "sandbox".to_owned()),
            ];
            for (name, value) in values {
                if let Ok(value) = HeaderValue::from_str(&value) {
                    headers.insert(name, value);
                }
            }
            response
        }
        Err(error) => refusal(error, "/messages"),
    }
}

/// `attachment; filename="…"; filename*=UTF-8''…`: the name, for any
/// browser, with nothing in it that could end the header.
fn disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .filter(|c| *c != '"' && *c != '\\')
        .collect();
    let encoded = leptos_router::location::Url::escape(name);
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// The short code of a problem, for the address the form comes back to.
fn problem_code(problem: Problem) -> &'static str {
    match problem {
        Problem::FileTooLarge => "too_large",
        Problem::DailyUploadQuota => "quota",
        Problem::FileType => "type",
        Problem::TooLong => "note_too_long",
        _ => "required",
    }
}

#[cfg(test)]
mod tests {
    use super::disposition;

    #[test]
    fn a_file_name_cannot_break_its_header() {
        assert_eq!(
            disposition("pay \"stub\".pdf"),
            "attachment; filename=\"pay stub.pdf\"; filename*=UTF-8''pay%20%22stub%22%2Epdf"
        );
        assert!(!disposition("a\r\nSet-Cookie: x=y.pdf").contains('\n'));
        assert!(disposition("niño.png").starts_with("attachment; filename=\"ni_o.png\""));
    }
}
