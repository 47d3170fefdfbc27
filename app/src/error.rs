//! The one error type server functions return. Its variants say what a person
//! can do about it; internal causes are logged on the server, never sent.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum AppError {
    /// Something failed on our side; details are in the server log.
    #[error("internal error")]
    Internal,
    /// The database cannot be reached (an outage): nothing was read or
    /// stored, and trying again later will work.
    #[error("the portal's records cannot be reached")]
    Unavailable,
    /// The request did not reach the server or its answer could not be read.
    #[error("could not reach the portal: {0}")]
    Transport(String),
    /// Only for someone signed in.
    #[error("sign in first")]
    SignInRequired,
    /// Signed in, but this is not theirs to see or change.
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// The form has mistakes, each at its field; nothing was stored.
    #[error("the form has mistakes")]
    Invalid(Vec<FieldError>),
    /// Wrong e-mail or password, a locked account or a blocked address: one
    /// message for all, so that none of them can be told apart.
    #[error("sign-in refused")]
    SignInRefused,
    /// A case number and PIN that do not open a case, for whatever reason.
    #[error("activation refused")]
    ActivationRefused,
    /// Staff must set up the second factor before anything else (policy).
    #[error("set up the second factor first")]
    SecondFactorSetupRequired,
    /// A request from another site (cross-site request forgery).
    #[error("request from another site")]
    CrossSite,
    /// More sign-ins, activations or resets arrive than the portal checks at
    /// once: nothing was checked, and trying again in a minute will work.
    #[error("too busy to check credentials")]
    Busy,
    /// A form's one-time key was already used for something else: the form
    /// is stale (reviewed again, then changed). Nothing was stored.
    #[error("this form was already used")]
    FormUsed,
}

/// What is wrong with one field of a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Field,
    pub problem: Problem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Email,
    Password,
    ConfirmPassword,
    CaseNumber,
    Pin,
    Person,
    /// A code from an authenticator app, or a recovery code.
    Code,
    /// The first day of a range of dates.
    From,
    /// The last day of a range of dates.
    To,
    /// What a message is about.
    Topic,
    /// The text of a message.
    Body,
    /// A file sent with a message.
    Attachment,
    /// A sum of money.
    Amount,
    /// The day money was received, or an entry or order counts from.
    Date,
    /// How a payment reached the agency.
    Source,
    /// A check number, a transaction id, a court's docket number.
    Reference,
    /// Why a caseworker made a correction, hold or change.
    Reason,
    /// The ledger entry a reversal cancels.
    Entry,
    /// How often an order's support falls due.
    Frequency,
    /// Which day an order's support falls due.
    DueDay,
    /// Child support in a new order.
    ChildSupport,
    /// Medical support in a new order.
    MedicalSupport,
    /// The pace at which past-due support is paid down.
    ArrearsPayment,
    /// Why a parent asks for a change of support.
    Reasons,
    /// When a hearing is (a local date and time).
    HearingAt,
    /// Where a hearing is.
    Place,
    /// The request a form answers.
    Request,
    /// A staff account's role.
    Role,
    /// Monthly income when the order was set (the eligibility check).
    IncomeThen,
    /// Monthly income now.
    IncomeNow,
    MonthsOutOfWork,
    MonthsSinceOrder,
    /// An advice article's title.
    Title,
    /// An advice article's one-line summary.
    Summary,
    /// The words an advice article is also found by.
    Keywords,
    /// What an advice article offers to do next.
    NextStep,
    /// The published version an edit started from.
    Version,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    Required,
    TooLong,
    NotAnEmail,
    /// Shorter than the 12 characters a password needs.
    PasswordTooShort,
    /// Common, or easy to guess from the rest of the form.
    PasswordTooWeak,
    PasswordsDiffer,
    /// The e-mail address belongs to another account.
    EmailTaken,
    /// Not someone on this case.
    NotOnCase,
    /// Not the code the app shows now (nor an unused recovery code).
    WrongCode,
    /// The account has a second step: a PIN alone does not reset it.
    SecondStepOn,
    WrongPassword,
    /// Not a date (the form asks for YYYY-MM-DD).
    NotADate,
    /// The range ends before it starts.
    EndsBeforeStart,
    /// A file larger than the agency accepts.
    FileTooLarge,
    /// More files today than the agency accepts from one account.
    DailyUploadQuota,
    /// Not a PDF, JPEG or PNG (read from the content, not the name).
    FileType,
    /// Not a sum of money (digits, at most two decimals).
    NotAnAmount,
    /// Must be more than zero.
    NotPositive,
    /// An adjustment of zero changes nothing.
    Zero,
    /// A day that has not come yet.
    InTheFuture,
    /// Before the case was opened.
    BeforeCaseOpened,
    /// The entry was already reversed (or is itself a re-instatement).
    NotReversible,
    /// A reversal dated before the entry it reverses.
    BeforeEntry,
    /// More than the agency holds for this case.
    MoreThanHeld,
    /// Not one of the choices offered.
    NotAChoice,
    /// A day that has already gone.
    InThePast,
    /// Too far ahead to plan for.
    TooFarAhead,
    /// The request has moved on (answered, decided) and this step no longer
    /// applies to it.
    RequestMovedOn,
    /// The parent already has a request of this kind open on the case.
    AlreadyAsked,
    /// A supervisor cannot change their own account from the desk.
    OwnAccount,
    /// A caseworker who still has cases cannot be switched off.
    StillHasCases,
    /// A `{{name}}` the agency has no value for.
    UnknownPlaceholder,
    /// Someone published a newer version after this edit began.
    PublishedMeanwhile,
}

impl AppError {
    pub fn invalid(field: Field, problem: Problem) -> Self {
        AppError::Invalid(vec![FieldError { field, problem }])
    }

    /// The problem with `field`, if the form had one.
    pub fn problem_with(&self, field: Field) -> Option<Problem> {
        match self {
            AppError::Invalid(errors) => {
                errors.iter().find(|e| e.field == field).map(|e| e.problem)
            }
            _ => None,
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// The HTTP status that says what happened: a form with mistakes or a
    /// refused sign-in is the asker's to fix, not a failure of the portal.
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Transport(_) => StatusCode::BAD_REQUEST,
            AppError::SignInRequired | AppError::SignInRefused => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::CrossSite | AppError::SecondFactorSetupRequired => {
                StatusCode::FORBIDDEN
            }
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::FormUsed => StatusCode::CONFLICT,
            AppError::Busy => StatusCode::TOO_MANY_REQUESTS,
            AppError::Invalid(_) | AppError::ActivationRefused => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    /// Gives a failing server function's answer its error's status
    /// ([`AppError::status`]). Not to a plain HTML form's post (one that
    /// accepts HTML): server_fn sends that back to the page it came from
    /// (or home, without a Referer) with the error in the address, and the
    /// redirect must stay one.
    fn answer_with_status(&self) {
        use http::header::ACCEPT;
        use leptos::prelude::use_context;
        let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
            return;
        };
        let sent_back = use_context::<http::request::Parts>().is_some_and(|parts| {
            parts
                .headers
                .get(ACCEPT)
                .and_then(|accept| accept.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"))
        });
        if !sent_back {
            response.set_status(self.status());
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }

    /// Writes the error into a failed server function's answer, and there,
    /// on the server, gives the answer the error's status.
    fn ser(&self) -> leptos::server_fn::Bytes {
        use leptos::server_fn::Encodes;
        #[cfg(feature = "ssr")]
        self.answer_with_status();
        // Plain variants and field names: JSON cannot fail on them.
        JsonEncoding::encode(self)
            .unwrap_or_else(|_| leptos::server_fn::Bytes::from_static(br#""Internal""#))
    }
}
