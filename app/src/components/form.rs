//! Form pieces: a labelled field that shows its own error, and the message
//! for an error that belongs to the whole form.

use leptos::prelude::*;

use crate::error::{AppError, Field, Problem};
use crate::i18n::*;
use leptos_i18n::I18nContext;
use leptos_router::hooks::use_query_map;

/// A labelled input. Its hint and its error are tied to it for screen
/// readers (`aria-describedby`), and the error is shown right under the label.
#[component]
pub fn TextField(
    /// The form field's name, and its id unless `id` is given.
    name: &'static str,
    /// The id, where a page shows the same field in several forms.
    #[prop(optional, into)]
    id: Option<String>,
    #[prop(into)] label: Signal<String>,
    /// `text`, `email`, `password`, `date`, `datetime-local`, `search`, `file`.
    #[prop(default = "text")]
    kind: &'static str,
    /// The phone keyboard to offer: `decimal`, `numeric`.
    #[prop(optional)]
    inputmode: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// The kinds of file a `file` field takes.
    #[prop(optional)]
    accept: Option<&'static str>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    /// The problem with this field in the last answer, if any.
    #[prop(optional, into)]
    problem: Signal<Option<Problem>>,
    /// What the field holds when the page opens.
    #[prop(default = None, into)]
    value: Option<String>,
    #[prop(optional)] maxlength: Option<usize>,
) -> impl IntoView {
    let control = Control::new(
        id.unwrap_or_else(|| name.to_owned()),
        hint.is_some(),
        problem,
    );
    view! {
        <Labelled control=control.clone() label hint>
            <input
                id=control.id.clone()
                name=name
                type=kind
                inputmode=inputmode
                value=value
                maxlength=maxlength
                autocomplete=autocomplete
                accept=accept
                aria-invalid=control.invalid()
                aria-describedby=control.described_by()
            />
        </Labelled>
    }
}

/// A labelled box for longer text, like [`TextField`].
#[component]
pub fn TextArea(
    name: &'static str,
    #[prop(optional, into)] id: Option<String>,
    #[prop(into)] label: Signal<String>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    #[prop(optional, into)] problem: Signal<Option<Problem>>,
    #[prop(optional, into)] value: String,
    rows: u32,
    #[prop(optional)] maxlength: Option<usize>,
) -> impl IntoView {
    let control = Control::new(
        id.unwrap_or_else(|| name.to_owned()),
        hint.is_some(),
        problem,
    );
    view! {
        <Labelled control=control.clone() label hint>
            <textarea
                id=control.id.clone()
                name=name
                rows=rows
                maxlength=maxlength
                aria-invalid=control.invalid()
                aria-describedby=control.described_by()
            >{value}</textarea>
        </Labelled>
    }
}

/// A labelled choice of one, like [`TextField`]. `choices` are pairs of
/// the value sent and the text shown; `placeholder` is a first, empty choice
/// for a form that makes the person choose.
#[component]
pub fn SelectField(
    name: &'static str,
    #[prop(into)] label: Signal<String>,
    #[prop(optional, into)] problem: Signal<Option<Problem>>,
    choices: Vec<(String, String)>,
    /// The value chosen when the page opens.
    #[prop(default = None, into)]
    selected: Option<String>,
    #[prop(optional)] placeholder: Option<&'static str>,
) -> impl IntoView {
    let control = Control::new(name.to_owned(), false, problem);
    view! {
        <Labelled control=control.clone() label hint=None>
            <select
                id=control.id.clone()
                name=name
                aria-invalid=control.invalid()
                aria-describedby=control.described_by()
            >
                {placeholder.map(|text| view! { <option value="">{text}</option> })}
                {choices.into_iter().map(|(value, text)| {
                    let chosen = selected.as_deref() == Some(value.as_str());
                    view! { <option value=value selected=chosen>{text}</option> }
                }).collect_view()}
            </select>
        </Labelled>
    }
}

/// The choices of a [`SelectField`] from a list of values: what each one
/// sends (`sent`) and what it shows (`shown`).
pub fn choices<T: Copy>(
    values: impl IntoIterator<Item = T>,
    sent: fn(T) -> &'static str,
    shown: impl Fn(T) -> &'static str,
) -> Vec<(String, String)> {
    values
        .into_iter()
        .map(|value| (sent(value).to_owned(), shown(value).to_owned()))
        .collect()
}

/// "Please fix the fields marked below", when the last answer found any.
#[component]
pub fn FixFields(problems: AppError) -> impl IntoView {
    let i18n = use_i18n();
    matches!(&problems, AppError::Invalid(list) if !list.is_empty()).then(|| {
        view! { <p class="form-alert" role="alert">{t!(i18n, file.fix_fields)}</p> }
    })
}

/// A checkbox with its label after it.
#[component]
pub fn Checkbox(name: &'static str, #[prop(into)] label: String, checked: bool) -> impl IntoView {
    view! {
        <div class="check">
            <input id=name name=name type="checkbox" value="on" checked=checked />
            <label for=name>{label}</label>
        </div>
    }
}

/// Carries `?next=` of this page through the sign-in forms, so a person comes
/// back to the page that asked them to sign in.
#[component]
pub fn NextField() -> impl IntoView {
    let next = use_query_map().with_untracked(|query| query.get("next").unwrap_or_default());
    view! { <input type="hidden" name="next" value=next /> }
}

/// A field's frame: its label, its hint (`{id}-hint`) and its problem
/// (`{id}-error`) above the control.
#[component]
fn Labelled(
    control: Control,
    label: Signal<String>,
    hint: Option<Signal<String>>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let Control { id, problem, .. } = control;
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:field-invalid=move || problem.get().is_some()>
            <label for=id>{label}</label>
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id>{hint}</p> })}
            {move || problem.get().map(|problem| view! {
                <p class="field-error" id=error_id.clone()>{problem_message(i18n, problem)}</p>
            })}
            {children()}
        </div>
    }
}

/// A field's control: its id, whether it has a hint, and its problem.
#[derive(Clone)]
struct Control {
    id: String,
    has_hint: bool,
    problem: Signal<Option<Problem>>,
}

impl Control {
    fn new(id: String, has_hint: bool, problem: Signal<Option<Problem>>) -> Self {
        Self {
            id,
            has_hint,
            problem,
        }
    }

    /// `aria-invalid` while the field has a problem.
    fn invalid(&self) -> impl Fn() -> Option<&'static str> + Send + Sync + 'static {
        let problem = self.problem;
        move || problem.get().is_some().then_some("true")
    }

    /// The ids that describe the control: its hint, if it has one, and its
    /// error while there is one.
    fn described_by(&self) -> impl Fn() -> Option<String> + Send + Sync + 'static {
        let Self {
            id,
            has_hint,
            problem,
        } = self.clone();
        move || {
            let ids: Vec<String> = [
                has_hint.then(|| format!("{id}-hint")),
                problem.get().map(|_| format!("{id}-error")),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    }
}

/// What a person reads for a field's problem.
pub fn problem_message(i18n: I18nContext<Locale>, problem: Problem) -> &'static str {
    match problem {
        Problem::Required => t_string!(i18n, account.problem_required),
        Problem::TooLong => t_string!(i18n, account.problem_too_long),
        Problem::NotAnEmail => t_string!(i18n, account.problem_not_an_email),
        Problem::PasswordTooShort => t_string!(i18n, account.problem_password_too_short),
        Problem::PasswordTooWeak => t_string!(i18n, account.problem_password_too_weak),
        Problem::PasswordsDiffer => t_string!(i18n, account.problem_passwords_differ),
        Problem::EmailTaken => t_string!(i18n, account.problem_email_taken),
        Problem::NotOnCase => t_string!(i18n, account.problem_not_on_case),
        Problem::WrongCode => t_string!(i18n, account.problem_wrong_code),
        Problem::SecondStepOn => t_string!(i18n, account.problem_second_step_on),
        Problem::WrongPassword => t_string!(i18n, account.problem_wrong_password),
        Problem::NotADate => t_string!(i18n, history.problem_not_a_date),
        Problem::EndsBeforeStart => t_string!(i18n, history.problem_ends_before_start),
        Problem::FileTooLarge => t_string!(i18n, messages.problem_file_too_large),
        Problem::DailyUploadQuota => t_string!(i18n, messages.problem_daily_upload_quota),
        Problem::FileType => t_string!(i18n, messages.problem_file_type),
        Problem::NotAnAmount => t_string!(i18n, posting.problem_not_an_amount),
        Problem::NotPositive => t_string!(i18n, posting.problem_not_positive),
        Problem::Zero => t_string!(i18n, posting.problem_zero),
        Problem::InTheFuture => t_string!(i18n, posting.problem_in_the_future),
        Problem::BeforeCaseOpened => t_string!(i18n, posting.problem_before_case_opened),
        Problem::NotReversible => t_string!(i18n, posting.problem_not_reversible),
        Problem::BeforeEntry => t_string!(i18n, posting.problem_before_entry),
        Problem::MoreThanHeld => t_string!(i18n, posting.problem_more_than_held),
        Problem::NotAChoice => t_string!(i18n, posting.problem_not_a_choice),
        Problem::InThePast => t_string!(i18n, requests.problem_in_the_past),
        Problem::TooFarAhead => t_string!(i18n, requests.problem_too_far_ahead),
        Problem::RequestMovedOn => t_string!(i18n, requests.problem_moved_on),
        Problem::AlreadyAsked => t_string!(i18n, requests.problem_already_asked),
        Problem::OwnAccount => t_string!(i18n, staff.problem_own_account),
        Problem::StillHasCases => t_string!(i18n, staff.problem_still_has_cases),
        Problem::UnknownPlaceholder => t_string!(i18n, editor.problem_unknown_placeholder),
        Problem::PublishedMeanwhile => t_string!(i18n, editor.problem_published_meanwhile),
    }
}

/// The message for an error that is not about one field (`None` for field
/// errors, which their fields show).
pub fn form_message(i18n: I18nContext<Locale>, error: &AppError) -> Option<&'static str> {
    Some(match error {
        AppError::Invalid(_) => return None,
        AppError::SignInRefused => t_string!(i18n, account.sign_in_refused),
        AppError::ActivationRefused => t_string!(i18n, account.activation_refused),
        AppError::Transport(_) => t_string!(i18n, account.transport),
        AppError::Busy => t_string!(i18n, account.busy),
        AppError::Forbidden | AppError::CrossSite => t_string!(i18n, cases.forbidden_body),
        AppError::SecondFactorSetupRequired => t_string!(i18n, security.setup_required),
        AppError::FormUsed => t_string!(i18n, posting.form_used),
        AppError::Unavailable => t_string!(i18n, unavailable.form),
        AppError::Internal | AppError::SignInRequired | AppError::NotFound => {
            t_string!(i18n, account.internal)
        }
    })
}

/// The problem with `field` in the last answer of an action.
pub fn field_problem<T: Send + Sync + 'static>(
    result: Signal<Option<Result<T, AppError>>>,
    field: Field,
) -> Signal<Option<Problem>> {
    Signal::derive(move || {
        result.with(|result| match result {
            Some(Err(error)) => error.problem_with(field),
            _ => None,
        })
    })
}

/// The form-wide message of the last answer, as an alert.
#[component]
pub fn FormAlert<T: Send + Sync + 'static>(
    #[prop(into)] result: Signal<Option<Result<T, AppError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        result.with(|result| match result {
            Some(Err(error)) => form_message(i18n, error)
                .map(|message| view! { <p class="form-alert" role="alert">{message}</p> }),
            _ => None,
        })
    }
}

/// A GET form whose fields become the page's query: the browser sends it and
/// the server renders the page for that query.
#[component]
pub fn QueryForm(
    /// The path the query is for: the page itself.
    #[prop(into)]
    action: String,
    children: Children,
) -> impl IntoView {
    view! {
        <form method="get" action=action>
            {children()}
        </form>
    }
}

/// A problem shown on its own, for a group of controls (a set of checkboxes,
/// a hidden field) rather than one labelled field. Its id is `{name}-error`.
#[component]
pub fn FieldProblem(name: &'static str, problem: Signal<Option<Problem>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        problem.get().map(|p| {
            view! { <p class="field-error" id=format!("{name}-error")>{problem_message(i18n, p)}</p> }
        })
    }
}
