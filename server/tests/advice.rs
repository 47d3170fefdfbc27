//! Advice on both databases: the repository's articles and glossary load
//! once (a supervisor's edit survives a newer file), published versions
//! cannot be changed, pages are public and filled with the agency's values,
//! and search finds answers in English and Spanish, accents or not.

mod support;

use app::advice::model::{Article, ArticleLink, HitKind, SearchResults, Term};
use app::advice::service::{self, Loaded};
use app::error::AppError;
use chrono::Utc;
use entity::{advice_articles, advice_versions};
use http::{header, Request, StatusCode};
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};
use support::{call, error_of, get, get_as, router, send, sign_in_as, TestDb};

on_both_databases!(
    the_repository_advice_loads_once_and_versions_are_kept,
    articles_are_public_and_say_the_agency_s_values,
    search_finds_answers_in_both_languages_accents_or_not,
    the_eligibility_check_answers_with_reasons_and_documents,
    a_supervisor_keeps_a_draft_then_publishes_a_new_version,
);

async fn loaded(test: &TestDb) -> Loaded {
    service::load_repository(&test.db, Utc::now())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
}

async fn answer<T: serde::de::DeserializeOwned>(
    router: &axum::Router,
    function: &str,
    args: &[(&str, &str)],
) -> T {
    let page = call(router, function, args, None).await;
    assert_eq!(error_of(&page), None, "{function} {args:?}: {}", page.body);
    serde_json::from_str(&page.body).unwrap_or_else(|e| panic!("{function}: {e}"))
}

async fn the_repository_advice_loads_once_and_versions_are_kept(test: TestDb) {
    // Migrating loaded it; loading again with the same files adds nothing.
    let again = loaded(&test).await;
    assert_eq!((again.published, again.kept_edits), (0, 0), "{again:?}");
    assert!(again.terms >= 60, "{again:?}");
    let versions = advice_versions::Entity::find()
        .count(&test.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(versions >= 24, "{versions}");
    let articles = advice_articles::Entity::find()
        .count(&test.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(articles, versions);
    assert_eq!(
        advice_versions::Entity::find()
            .count(&test.db)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        versions
    );
    // A published version is history: the database refuses to rewrite it.
    for statement in [
        "UPDATE advice_versions SET body = 'changed'",
        "DELETE FROM advice_versions",
    ] {
        assert!(
            test.db.execute_unprepared(statement).await.is_err(),
            "{statement} was allowed"
        );
    }
}

async fn articles_are_public_and_say_the_agency_s_values(test: TestDb) {
    let router = router(test.db.clone());
    let config = support::config();

    // Nobody signed in: the list, an article, the glossary.
    let list: Vec<ArticleLink> = answer(&router, "advice_index", &[("locale", "en")]).await;
    assert!(list.len() >= 12);
    assert_eq!(list[0].slug, "change-of-support");
    let article: Article = answer(
        &router,
        "advice_article",
        &[("slug", "change-of-support"), ("locale", "en")],
    )
    .await;
    assert!(article.html.contains("<h2>"), "{}", article.html);
    assert!(!article.html.contains("{{"), "a value was not filled in");
    let percent = format!("{}%", config.requests.income_change_percent);
    assert!(article.html.contains(&percent), "{}", article.html);
    let spanish: Article = answer(
        &router,
        "advice_article",
        &[("slug", "change-of-support"), ("locale", "es")],
    )
    .await;
    assert_ne!(spanish.title, article.title);
    // Every article names only values the agency sets.
    for locale in ["en", "es"] {
        let list: Vec<ArticleLink> = answer(&router, "advice_index", &[("locale", locale)]).await;
        for link in list {
            let article: Article = answer(
                &router,
                "advice_article",
                &[("slug", &link.slug), ("locale", locale)],
            )
            .await;
            let text = format!("{} {} {}", article.title, article.summary, article.html);
            assert!(!text.contains("{{"), "{locale}/{}: {text}", link.slug);
        }
    }
    let terms: Vec<Term> = answer(&router, "advice_glossary", &[("locale", "es")]).await;
    assert!(terms.len() >= 30);
    assert!(terms
        .iter()
        .any(|t| t.slug == "arrears" && t.term != "Arrears"));

    // The page: its own title and description, rendered on the server.
    let page = get(&router, "/advice/change-of-support").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(&format!("<title>{}", article.title)),
        "no title"
    );
    assert!(page.body.contains("name=\"description\""));
    assert!(page.body.contains(&config.agency.phone) || page.body.contains(&percent));
    let glossary = get(&router, "/advice/glossary").await;
    assert_eq!(glossary.status, StatusCode::OK);
    assert!(glossary.body.contains("id=\"arrears\""));
    // In Spanish when the reader chose Spanish.
    let request = Request::get("/advice/change-of-support")
        .header(header::COOKIE, "i18n_pref_locale=es")
        .body(axum::body::Body::empty())
        .unwrap_or_else(|e| panic!("{e}"));
    let page = send(&router, request).await;
    assert!(page.body.contains(&spanish.title), "not in Spanish");

    // An article that does not exist.
    let missing = call(
        &router,
        "advice_article",
        &[("slug", "no-such-thing"), ("locale", "en")],
        None,
    )
    .await;
    assert_eq!(error_of(&missing), Some(AppError::NotFound));
    assert_eq!(
        get(&router, "/advice/no-such-thing").await.status,
        StatusCode::NOT_FOUND
    );
}

async fn search_finds_answers_in_both_languages_accents_or_not(test: TestDb) {
    let router = router(test.db.clone());
    let top = |results: &SearchResults, n: usize| -> Vec<String> {
        results
            .hits
            .iter()
            .take(n)
            .map(|hit| hit.slug.clone())
            .collect()
    };
    for (query, locale) in [
        ("how do I ask to change my support", "en"),
        ("Change my support order", "en"),
        ("¿Cómo pido un cambio de manutención?", "es"),
        ("CAMBIO MANUTENCION", "es"),
    ] {
        let results: SearchResults = answer(
            &router,
            "search_advice",
            &[("query", query), ("locale", locale)],
        )
        .await;
        assert!(
            top(&results, 3).contains(&"change-of-support".to_owned()),
            "{query}: {:?}",
            top(&results, 5)
        );
    }
    // Words of the glossary are found too.
    let results: SearchResults = answer(
        &router,
        "search_advice",
        &[("query", "arrears"), ("locale", "en")],
    )
    .await;
    assert!(results
        .hits
        .iter()
        .any(|hit| hit.kind == HitKind::Term && hit.slug == "arrears"));
    // Nothing found: suggestions instead. Operators are only words.
    for query in ["zzqqxx", "\" * :* !& || ()"] {
        let results: SearchResults = answer(
            &router,
            "search_advice",
            &[("query", query), ("locale", "en")],
        )
        .await;
        assert!(results.hits.is_empty(), "{query}");
        assert!(!results.suggestions.is_empty(), "{query}");
    }
}

async fn the_eligibility_check_answers_with_reasons_and_documents(test: TestDb) {
    use app::advice::eligibility::{CheckPage, Verdict};
    use app::error::{Field, Problem};
    use app::requests::rules::{Document, Reason};
    use server::seed::demo::{self, DEMO_PASSWORD};
    demo::seed(&test.db, support::config().today())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let router = router(test.db.clone());

    // A visitor: no case to fill in from; an income down by a quarter.
    let answered: CheckPage = answer(
        &router,
        "eligibility_check",
        &[
            ("form[income_then]", "4,000"),
            ("form[income_now]", "3000"),
            ("checked", "true"),
        ],
    )
    .await;
    assert!(answered.cases.is_empty());
    let outcome = answered.outcome.unwrap_or_else(|| panic!("no outcome"));
    assert_eq!(outcome.verdict, Verdict::LikelyToQualify);
    assert_eq!(outcome.reasons, [Reason::IncomeChange]);
    assert_eq!(outcome.documents, [Document::PayStubs, Document::TaxReturn]);

    // Mistakes come back at their fields, with no outcome.
    let wrong: CheckPage = answer(
        &router,
        "eligibility_check",
        &[
            ("form[income_then]", "lots"),
            ("form[months_since_order]", "-3"),
            ("checked", "true"),
        ],
    )
    .await;
    assert!(wrong.outcome.is_none());
    let problems: Vec<(Field, Problem)> = wrong
        .problems
        .iter()
        .map(|e| (e.field, e.problem))
        .collect();
    assert_eq!(
        problems,
        [
            (Field::IncomeThen, Problem::NotAnAmount),
            (Field::MonthsSinceOrder, Problem::NotAChoice)
        ]
    );

    // A signed-in parent: the order's age comes from their case.
    let marcus = sign_in_as(&router, "paying.parent@example.com", DEMO_PASSWORD).await;
    let page = call(&router, "eligibility_check", &[], Some(&marcus)).await;
    let mine: CheckPage = serde_json::from_str(&page.body).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(mine.cases.len(), 1);
    assert_eq!(mine.cases[0].case_number, "CS-2020-004172");
    assert!(mine.cases[0].months_since_order.is_some_and(|m| m > 0));
    // The page, without JavaScript: the answer and the checklist.
    let page = get_as(
        &router,
        "/advice/check?checked=1&income_then=4000&income_now=3000&months_since_order=",
        &marcus,
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("You are likely to qualify for a review."),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains("/cases/CS-2020-004172/change?reasons=income_change"));
    assert!(page.body.contains("pay stubs for the last three months"));
}

async fn a_supervisor_keeps_a_draft_then_publishes_a_new_version(test: TestDb) {
    use app::advice::editing::{Author, Editor, EditorRow, Saved};
    use app::error::{Field, Problem};
    use server::seed::demo::{self, DEMO_PASSWORD};
    use support::problems;
    demo::seed(&test.db, support::config().today())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let router = router(test.db.clone());
    let morgan = sign_in_as(&router, "supervisor@example.com", DEMO_PASSWORD).await;
    let phone = support::config().agency.phone;
    let edit = |title: &'static str, body: &'static str, based_on: &'static str, intent| {
        vec![
            ("slug", "documents"),
            ("locale", "en"),
            ("based_on", based_on),
            ("fields[title]", title),
            ("fields[summary]", "What to gather before you ask."),
            ("fields[keywords]", "papers, proof, trampoline"),
            ("fields[action]", "change_request"),
            ("fields[body]", body),
            ("intent", intent),
        ]
    };
    let (router, morgan) = (&router, morgan.as_str());
    let save = move |fields: Vec<(&'static str, &'static str)>| async move {
        call(router, "save_advice", &fields, Some(morgan)).await
    };
    let reader_sees = move || async move {
        answer::<Article>(
            router,
            "advice_article",
            &[("slug", "documents"), ("locale", "en")],
        )
        .await
    };
    let before = reader_sees().await;
    assert_eq!(before.version, 1);

    // Every article in both languages, from the repository, no drafts.
    let rows: Vec<EditorRow> = support::answer(router, "advice_editor_rows", &[], morgan).await;
    assert!(rows.len() >= 24);
    let row = rows
        .iter()
        .find(|row| row.slug == "documents" && row.locale == "en")
        .unwrap_or_else(|| panic!("no documents row"));
    assert_eq!(
        (row.version, &row.author, &row.draft_by),
        (1, &Author::Repository, &None)
    );

    // A draft: kept and previewed (sanitised, values filled in), unseen by readers.
    let draft = save(edit(
        "Papers for a review",
        "## Bring\n\nCall {{agency_phone}}.\n\n<script>alert(1)</script>",
        "1",
        "preview",
    ))
    .await;
    assert_eq!(error_of(&draft), None, "{}", draft.body);
    let saved: Saved = serde_json::from_str(&draft.body).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(saved, Saved::Draft);
    assert_eq!(reader_sees().await.title, before.title);
    let open_editor = move || async move {
        support::answer::<Editor>(
            router,
            "advice_editor",
            &[("slug", "documents"), ("locale", "en")],
            morgan,
        )
        .await
    };
    let editor = open_editor().await;
    assert_eq!(editor.based_on, 1);
    assert_eq!(editor.fields.title, "Papers for a review");
    assert_eq!(
        editor.draft.as_ref().map(|d| d.by.as_str()),
        Some("Morgan Reyes")
    );
    assert!(
        editor.preview.html.contains("<h2>Bring</h2>"),
        "{}",
        editor.preview.html
    );
    assert!(
        editor.preview.html.contains(&phone),
        "{}",
        editor.preview.html
    );
    assert!(
        !editor.preview.html.contains("<script"),
        "{}",
        editor.preview.html
    );

    // Publishing refuses a value the agency does not set, and an edit that
    // started before someone else published; the words stay as the draft.
    let typo = save(edit("Papers", "Call {{agency_fone}}.", "1", "publish")).await;
    assert_eq!(
        problems(error_of(&typo)),
        [(Field::Body, Problem::UnknownPlaceholder)]
    );
    assert_eq!(open_editor().await.fields.body, "Call {{agency_fone}}.");
    let stale = save(edit("Papers", "Call {{agency_phone}}.", "0", "publish")).await;
    assert_eq!(
        problems(error_of(&stale)),
        [(Field::Version, Problem::PublishedMeanwhile)]
    );
    let empty = save(edit("", "", "1", "publish")).await;
    assert_eq!(
        problems(error_of(&empty)),
        [
            (Field::Title, Problem::Required),
            (Field::Body, Problem::Required)
        ]
    );
    assert_eq!(reader_sees().await.version, 1);

    // Published: readers see it at once, search finds it, the draft goes,
    // both versions are listed, and it is audited.
    let published = save(edit(
        "Papers for a review",
        "## Bring\n\nPay stubs. Call {{agency_phone}}.",
        "1",
        "publish",
    ))
    .await;
    assert_eq!(error_of(&published), None, "{}", published.body);
    let saved: Saved = serde_json::from_str(&published.body).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(saved, Saved::Published(2));
    let after = reader_sees().await;
    assert_eq!(
        (after.version, after.title.as_str()),
        (2, "Papers for a review")
    );
    assert!(after.html.contains(&phone), "{}", after.html);
    let found: SearchResults = answer(
        router,
        "search_advice",
        &[("query", "trampoline"), ("locale", "en")],
    )
    .await;
    assert_eq!(
        found.hits.first().map(|hit| (hit.kind, hit.slug.as_str())),
        Some((HitKind::Article, "documents"))
    );
    let editor = open_editor().await;
    assert_eq!((editor.based_on, editor.draft), (2, None));
    let authors: Vec<(i32, Author)> = editor
        .versions
        .iter()
        .map(|v| (v.version, v.author.clone()))
        .collect();
    assert_eq!(
        authors,
        [
            (2, Author::Supervisor("Morgan Reyes".to_owned())),
            (1, Author::Repository)
        ]
    );
    let audited = entity::audit_events::Entity::find()
        .all(&test.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|event| event.action == "advice_published")
        .filter_map(|event| event.detail)
        .collect::<Vec<_>>();
    assert_eq!(audited, ["documents (en) version 2"]);

    // The repository's files, loaded again, keep the supervisor's version.
    let again = loaded(&test).await;
    assert!(again.kept_edits >= 1, "{again:?}");
    assert_eq!(reader_sees().await.version, 2);

    // A draft can be dropped: back to what is published.
    save(edit("Scratch", "Scratch.", "2", "preview")).await;
    let dropped = save(edit("Scratch", "Scratch.", "2", "discard")).await;
    assert_eq!(error_of(&dropped), None, "{}", dropped.body);
    let editor = open_editor().await;
    assert_eq!(
        (editor.draft, editor.fields.title.as_str()),
        (None, "Papers for a review")
    );
}
