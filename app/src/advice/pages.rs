//! `/advice` (the list and the search box), `/advice/{slug}` (an article)
//! and `/advice/glossary`: public pages, rendered on the server with their
//! own titles and descriptions, in the reader's language.

use leptos::prelude::*;
use leptos_i18n::Locale as _;
use leptos_meta::Meta;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{advice_article, advice_glossary, advice_index, search_advice};
use super::model::{
    AdviceAction, Article, ArticleLink, HitKind, SearchResults, Term, MAX_QUERY_CHARS,
};
use crate::components::form::{QueryForm, TextField};
use crate::components::page::Load;
use crate::components::title::PageTitle;
use crate::config::Agency;
use crate::error::AppError;
use crate::i18n::*;
use crate::site::NotFound;

/// The reader's language, as the server functions take it.
fn language() -> Memo<String> {
    let i18n = use_i18n();
    Memo::new(move |_| i18n.get_locale().as_str().to_owned())
}

#[component]
pub fn AdvicePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let locale = language();
    let searched = move || query.with(|q| q.get("q")).unwrap_or_default();
    // The list and a search's results in one resource: one read, one Suspense.
    let page = Resource::new(
        move || (searched(), locale.get()),
        |(searched, locale)| async move {
            let results = match searched.trim().is_empty() {
                true => None,
                false => Some(search_advice(searched, locale.clone()).await?),
            };
            Ok::<_, AppError>((advice_index(locale).await?, results))
        },
    );
    view! {
        <PageTitle text=move || t_string!(i18n, advice.title).to_string() />
        <Meta name="description" content=move || t_string!(i18n, advice.description).to_string() />
        <section class="page">
            <h1>{t!(i18n, advice.title)}</h1>
            <p>{t!(i18n, advice.intro)}</p>
            <SearchBox searched=searched() />
            <Load resource=page let((articles, results))>
                {results.map(|results| view! { <Results results /> })}
                <h2 id="topics-heading">{t!(i18n, advice.topics_heading)}</h2>
                <ArticleList articles />
                <p><A href="/advice/glossary">{t!(i18n, advice.glossary_link)}</A></p>
            </Load>
        </section>
    }
}

#[component]
fn SearchBox(searched: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <QueryForm action="/advice">
            <div class="filters" role="search">
                <TextField
                    name="q"
                    kind="search"
                    label=t_string!(i18n, advice.search_label)
                    value=searched
                    maxlength=MAX_QUERY_CHARS
                />
                <button type="submit" class="button">{t!(i18n, advice.search_button)}</button>
            </div>
        </QueryForm>
    }
}

#[component]
fn Results(results: SearchResults) -> impl IntoView {
    let i18n = use_i18n();
    let agency = use_context::<Agency>();
    let query = results.query.clone();
    view! {
        <section aria-labelledby="results-heading" class="search-results">
            <h2 id="results-heading">
                {t!(i18n, advice.results_heading, query = move || query.clone())}
            </h2>
            {if results.hits.is_empty() {
                let phone = agency.map(|agency| agency.phone).unwrap_or_default();
                view! {
                    <p role="status">{t!(i18n, advice.no_results)}</p>
                    <ArticleList articles=results.suggestions />
                    <p>
                        {t!(i18n, advice.ask_caseworker)} " "
                        <A href="/messages">{t!(i18n, advice.write_caseworker)}</A>
                        " · " {t!(i18n, advice.call)} " " <a href=format!("tel:{phone}")>{phone.clone()}</a>
                    </p>
                }.into_any()
            } else {
                let count = results.hits.len();
                view! {
                    <p role="status">{t!(i18n, advice.results_count, n = move || count)}</p>
                    <ol class="hits">
                        {results.hits.into_iter().map(|hit| {
                            let link = match hit.kind {
                                HitKind::Article => format!("/advice/{}", hit.slug),
                                HitKind::Term => format!("/advice/glossary#{}", hit.slug),
                            };
                            let term = hit.kind == HitKind::Term;
                            view! {
                                <li>
                                    <A href=link>{hit.title}</A>
                                    {term.then(|| view! { " " <span class="tag">{t!(i18n, advice.term_tag)}</span> })}
                                    <p class="note">{hit.excerpt}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn ArticleList(articles: Vec<ArticleLink>) -> impl IntoView {
    view! {
        <ul class="articles">
            {articles.into_iter().map(|article| view! {
                <li>
                    <A href=format!("/advice/{}", article.slug)>{article.title}</A>
                    <p class="note">{article.summary}</p>
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn ArticlePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let locale = language();
    let slug = move || params.with(|p| p.get("slug")).unwrap_or_default();
    let article = Resource::new(
        move || (slug(), locale.get()),
        |(slug, locale)| advice_article(slug, locale),
    );
    view! {
        <section class="page narrow">
            <p class="crumbs"><A href="/advice">{t!(i18n, advice.title)}</A></p>
            <Load
                resource=article
                answers=|error: AppError| match error {
                    AppError::NotFound => Ok(view! { <NotFound /> }.into_any()),
                    error => Err(error),
                }
                let:article
            >
                <ArticleView article />
            </Load>
        </section>
    }
}

#[component]
fn ArticleView(article: Article) -> impl IntoView {
    let i18n = use_i18n();
    let action = article.action;
    let editor = article.editable.then(|| {
        let locale = i18n.get_locale_untracked().as_str();
        format!("/staff/advice/{locale}/{}", article.slug)
    });
    let title = article.title.clone();
    view! {
        <PageTitle text=move || title.clone() />
        <Meta name="description" content=article.summary.clone() />
        <article class="advice">
            <h1>{article.title}</h1>
            <p class="lead">{article.summary}</p>
            <div class="advice-body" inner_html=article.html></div>
            <NextStep action />
            <p class="note">
                {t!(i18n, advice.updated)} " " {article.published_on}
                {editor.map(|href| view! { " · " <A href>{t!(i18n, editor.edit_title)}</A> })}
            </p>
        </article>
    }
}

/// The portal action an article leads to.
#[component]
pub(super) fn NextStep(action: AdviceAction) -> impl IntoView {
    let i18n = use_i18n();
    let (href, text): (&str, fn(leptos_i18n::I18nContext<Locale>) -> &'static str) = match action {
        AdviceAction::ChangeRequest => ("/advice/check", |i18n| {
            t_string!(i18n, advice.action_change)
        }),
        AdviceAction::Message => ("/messages", |i18n| t_string!(i18n, advice.action_message)),
        AdviceAction::PaymentPlan => ("/dashboard", |i18n| t_string!(i18n, advice.action_plan)),
        AdviceAction::None => return None,
    };
    Some(view! {
        <p class="next-step">
            <A href=href attr:class="button">{move || text(i18n)}</A>
        </p>
    })
}

#[component]
pub fn GlossaryPage() -> impl IntoView {
    let i18n = use_i18n();
    let locale = language();
    let terms = Resource::new(move || locale.get(), advice_glossary);
    view! {
        <PageTitle text=move || t_string!(i18n, advice.glossary_title).to_string() />
        <Meta name="description" content=move || t_string!(i18n, advice.glossary_description).to_string() />
        <section class="page narrow">
            <p class="crumbs"><A href="/advice">{t!(i18n, advice.title)}</A></p>
            <h1>{t!(i18n, advice.glossary_title)}</h1>
            <p>{t!(i18n, advice.glossary_intro)}</p>
            <Load resource=terms let:terms>
                <Glossary terms />
            </Load>
        </section>
    }
}

#[component]
fn Glossary(terms: Vec<Term>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <dl class="glossary">
            {terms.into_iter().map(|term| view! {
                <dt id=term.slug.clone()>{term.term}</dt>
                <dd>
                    {term.definition}
                    {(!term.see_also.is_empty()).then(|| view! {
                        <span class="see-also">
                            " " {t!(i18n, advice.see_also)} " "
                            {term.see_also.into_iter().enumerate().map(|(i, (slug, name))| view! {
                                {(i > 0).then_some(", ")}
                                <a href=format!("#{slug}")>{name}</a>
                            }).collect_view()}
                        </span>
                    })}
                </dd>
            }).collect_view()}
        </dl>
    }
}
