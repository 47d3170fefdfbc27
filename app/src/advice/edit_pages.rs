//! `/staff/advice` (every article, both languages) and
//! `/staff/advice/{locale}/{slug}` (one article's editor): supervisors write
//! Markdown, keep a draft and see it as readers will, then publish it as a
//! new version. The form's buttons say which (`intent`), with or without
//! JavaScript.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::api::{advice_editor, advice_editor_rows, SaveAdvice};
use super::editing::{
    Author, DraftNote, Editor, EditorRow, Intent, Preview, VersionRow, MAX_BODY_CHARS,
    MAX_KEYWORDS_CHARS, MAX_SUMMARY_CHARS, MAX_TITLE_CHARS,
};
use super::model::AdviceAction;
use super::pages::NextStep;
use crate::components::form::{
    choices, field_problem, problem_message, FormAlert, SelectField, TextArea, TextField,
};
use crate::components::page::Load;
use crate::components::title::PageTitle;
use crate::error::Field;
use crate::i18n::*;

#[component]
pub fn AdviceDeskPage() -> impl IntoView {
    let i18n = use_i18n();
    let rows = Resource::new(|| (), |_| advice_editor_rows());
    view! {
        <PageTitle text=move || t_string!(i18n, editor.title).to_string() />
        <section class="page wide">
            <p class="crumbs"><A href="/staff">{t!(i18n, staff.title)}</A></p>
            <h1>{t!(i18n, editor.title)}</h1>
            <p>{t!(i18n, editor.intro)}</p>
            <Load resource=rows let:rows>
                <ArticleTable rows />
            </Load>
        </section>
    }
}

#[component]
fn ArticleTable(rows: Vec<EditorRow>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="ledger articles-table">
            <caption class="visually-hidden">{t!(i18n, editor.title)}</caption>
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, editor.article)}</th>
                    <th scope="col">{t!(i18n, editor.language)}</th>
                    <th scope="col" class="amount">{t!(i18n, editor.version)}</th>
                    <th scope="col">{t!(i18n, editor.published)}</th>
                    <th scope="col">{t!(i18n, editor.draft)}</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|row| {
                    let href = format!("/staff/advice/{}/{}", row.locale, row.slug);
                    let locale = row.locale.clone();
                    view! {
                        <tr>
                            <th scope="row"><A href=href>{row.title}</A></th>
                            <td>{move || language_name(i18n, &locale)}</td>
                            <td class="amount">{row.version}</td>
                            <td>{row.published_on} " · " <AuthorName author=row.author /></td>
                            <td>
                                {row.draft_by.map(|by| view! {
                                    <span class="tag">{t!(i18n, editor.draft_by)} " " {by}</span>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

fn language_name(i18n: I18nContext<Locale>, locale: &str) -> &'static str {
    match locale {
        "es" => t_string!(i18n, editor.spanish),
        _ => t_string!(i18n, editor.english),
    }
}

#[component]
fn AuthorName(author: Author) -> impl IntoView {
    let i18n = use_i18n();
    match author {
        Author::Supervisor(name) => name.into_any(),
        Author::Repository => t!(i18n, editor.from_repository).into_any(),
    }
}

#[component]
pub fn AdviceEditorPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let article = move || {
        params.with(|p| {
            (
                p.get("locale").unwrap_or_default(),
                p.get("slug").unwrap_or_default(),
            )
        })
    };
    let save = ServerAction::<SaveAdvice>::new();
    // An edit that was refused at publishing is still kept as the draft,
    // with the newest version to start from.
    let editor = Resource::new(article, |(locale, slug)| advice_editor(slug, locale));
    view! {
        <PageTitle text=move || t_string!(i18n, editor.edit_title).to_string() />
        <section class="page">
            <p class="crumbs"><A href="/staff/advice">{t!(i18n, editor.title)}</A></p>
            <Load resource=editor let:editor>
                <EditorView editor save />
            </Load>
        </section>
    }
}

#[component]
fn EditorView(editor: Editor, save: ServerAction<SaveAdvice>) -> impl IntoView {
    let i18n = use_i18n();
    let result = Signal::derive(move || save.value().get());
    let problem = move |field| field_problem(result, field);
    let text = move |key: fn(I18nContext<Locale>) -> &'static str| {
        Signal::derive(move || key(i18n).to_string())
    };
    let version_problem = problem(Field::Version);
    let placeholders = editor
        .placeholders
        .iter()
        .map(|name| format!("{{{{{name}}}}}"))
        .collect::<Vec<_>>()
        .join(", ");
    let fields = editor.fields;
    let action = AdviceAction::parse(&fields.action);
    let has_draft = editor.draft.is_some();
    view! {
        <EditorHeading
            slug=editor.slug.clone()
            locale=editor.locale.clone()
            published=editor.versions.first().cloned()
            draft=editor.draft
        />
        <FormAlert result />
        {move || version_problem.get().map(|p| view! {
            <p class="form-alert" role="alert">{problem_message(i18n, p)}</p>
        })}
        <ActionForm action=save attr:class="stacked-form editor-form">
            <input type="hidden" name="slug" value=editor.slug.clone() />
            <input type="hidden" name="locale" value=editor.locale.clone() />
            <input type="hidden" name="based_on" value=editor.based_on />
            <TextField
                name="fields[title]"
                label=text(|i18n| t_string!(i18n, editor.field_title))
                autocomplete="off"
                value=fields.title
                maxlength=MAX_TITLE_CHARS
                problem=problem(Field::Title)
            />
            <TextField
                name="fields[summary]"
                label=text(|i18n| t_string!(i18n, editor.field_summary))
                hint=text(|i18n| t_string!(i18n, editor.summary_hint))
                autocomplete="off"
                value=fields.summary
                maxlength=MAX_SUMMARY_CHARS
                problem=problem(Field::Summary)
            />
            <TextField
                name="fields[keywords]"
                label=text(|i18n| t_string!(i18n, editor.field_keywords))
                hint=text(|i18n| t_string!(i18n, editor.keywords_hint))
                autocomplete="off"
                value=fields.keywords
                maxlength=MAX_KEYWORDS_CHARS
                problem=problem(Field::Keywords)
            />
            <SelectField
                name="fields[action]"
                label=text(|i18n| t_string!(i18n, editor.field_action))
                choices=choices(AdviceAction::ALL, AdviceAction::as_str, |choice| action_name(i18n, choice))
                selected=action.map(|choice| choice.as_str().to_owned())
                problem=problem(Field::NextStep)
            />
            <TextArea
                name="fields[body]"
                label=text(|i18n| t_string!(i18n, editor.field_body))
                hint=Signal::derive(move || {
                    format!("{} {}", t_string!(i18n, editor.body_hint), placeholders)
                })
                value=fields.body
                rows=24
                maxlength=MAX_BODY_CHARS
                problem=problem(Field::Body)
            />
            <EditorButtons has_draft />
        </ActionForm>
        <PreviewPane preview=editor.preview action />
        <Versions versions=editor.versions />
    }
}

/// Which article in which language, what readers see now, and whose draft
/// is waiting.
#[component]
fn EditorHeading(
    slug: String,
    locale: String,
    published: Option<VersionRow>,
    draft: Option<DraftNote>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reader_link = format!("/advice/{slug}");
    view! {
        <h1>
            {t!(i18n, editor.edit_title)} ": " {published.as_ref().map(|v| v.title.clone())}
            " (" {move || language_name(i18n, &locale)} ")"
        </h1>
        {published.map(|version| view! {
            <p class="note" data-figure="published-version">
                {t!(i18n, editor.readers_see)} " " {version.version}
                " · " {version.published_on} " · " <AuthorName author=version.author />
                " · " <A href=reader_link>{t!(i18n, editor.read_it)}</A>
            </p>
        })}
        {draft.map(|draft| view! {
            <p class="notice" role="status">
                {t!(i18n, editor.draft_note)} " " {draft.by} ", " {draft.saved_at}
            </p>
        })}
    }
}

/// Preview, publish, and (with a draft saved) discard it.
#[component]
fn EditorButtons(has_draft: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="buttons">
            <button type="submit" name="intent" value=Intent::Preview.as_str() class="button">
                {t!(i18n, editor.preview_button)}
            </button>
            <button type="submit" name="intent" value=Intent::Publish.as_str() class="button primary">
                {t!(i18n, editor.publish_button)}
            </button>
            {has_draft.then(|| view! {
                <button type="submit" name="intent" value=Intent::Discard.as_str() class="link-button">
                    {t!(i18n, editor.discard_button)}
                </button>
            })}
        </div>
    }
}

/// The article as readers would see it with what the form holds.
#[component]
fn PreviewPane(preview: Preview, action: Option<AdviceAction>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="preview" aria-labelledby="preview-heading">
            <h2 id="preview-heading">{t!(i18n, editor.preview_heading)}</h2>
            <article class="advice">
                <h2 class="preview-title">{preview.title}</h2>
                <p class="lead">{preview.summary}</p>
                <div class="advice-body" inner_html=preview.html></div>
                {action.map(|action| view! { <NextStep action /> })}
            </article>
        </section>
    }
}

#[component]
fn Versions(versions: Vec<VersionRow>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h2 id="versions-heading">{t!(i18n, editor.versions_heading)}</h2>
        <table class="ledger" aria-labelledby="versions-heading">
            <thead>
                <tr>
                    <th scope="col" class="amount">{t!(i18n, editor.version)}</th>
                    <th scope="col">{t!(i18n, editor.field_title)}</th>
                    <th scope="col">{t!(i18n, editor.published)}</th>
                    <th scope="col">{t!(i18n, editor.by)}</th>
                </tr>
            </thead>
            <tbody>
                {versions.into_iter().map(|version| view! {
                    <tr>
                        <td class="amount">{version.version}</td>
                        <td>{version.title}</td>
                        <td>{version.published_on}</td>
                        <td><AuthorName author=version.author /></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

fn action_name(i18n: I18nContext<Locale>, action: AdviceAction) -> &'static str {
    match action {
        AdviceAction::ChangeRequest => t_string!(i18n, advice.action_change),
        AdviceAction::Message => t_string!(i18n, advice.action_message),
        AdviceAction::PaymentPlan => t_string!(i18n, advice.action_plan),
        AdviceAction::None => t_string!(i18n, editor.action_none),
    }
}
