//! The supervisors' desk on the demo data: a case given to another
//! caseworker, staff accounts added, given another role, switched off and
//! on, given a new password — each audited, none of it by anyone but a
//! supervisor — on SQLite and on PostgreSQL.

mod support;

use app::caseworker::model::CaseFile;
use app::error::{AppError, Field, Problem};
use app::reader::{AccountRole, User};
use app::staff::model::{FreshPassword, StaffDesk};
use entity::{accounts, audit_events, cases};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use server::seed::demo::DEMO_PASSWORD;
use support::{
    account_of, answer, call, error_of, get_as, problems, sign_in_as, try_sign_in, TestDb,
};

on_both_databases!(
    a_case_goes_to_another_caseworker,
    staff_accounts_are_added_changed_and_switched_off,
);

async fn audited(db: &DatabaseConnection, action: &str) -> Vec<audit_events::Model> {
    audit_events::Entity::find()
        .filter(audit_events::Column::Action.eq(action))
        .order_by_asc(audit_events::Column::Id)
        .all(db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn a_case_goes_to_another_caseworker(test: TestDb) {
    let router = support::demo_router(&test.db).await;
    let morgan = sign_in_as(&router, "supervisor@example.com", DEMO_PASSWORD).await;
    let alex = sign_in_as(&router, "caseworker@example.com", DEMO_PASSWORD).await;
    let jamie = sign_in_as(&router, "jamie.chen@example.com", DEMO_PASSWORD).await;
    let case = "CS-2020-004172"; // Alex's
    let jamie_person = account_of(&test.db, "jamie.chen@example.com")
        .await
        .person_id
        .to_string();
    let parent = account_of(&test.db, "paying.parent@example.com")
        .await
        .person_id
        .to_string();

    // The supervisor's file offers whom to give the case to; Alex's does not.
    let file: CaseFile = answer(&router, "case_file", &[("case_number", case)], &morgan).await;
    assert!(file.colleagues.iter().any(|c| c.name == "Jamie Chen"));
    let page = get_as(&router, &format!("/caseload/{case}"), &morgan).await;
    assert!(page.body.contains("Who works this case"));
    let file: CaseFile = answer(&router, "case_file", &[("case_number", case)], &alex).await;
    assert!(file.colleagues.is_empty());

    // A caseworker cannot give cases away, nor anyone give one to a parent.
    let give = |to: &str, cookie: &str| {
        let (router, to, cookie) = (router.clone(), to.to_owned(), cookie.to_owned());
        async move {
            let page = call(
                &router,
                "reassign_case",
                &[("case_number", case), ("to", &to)],
                Some(&cookie),
            )
            .await;
            error_of(&page)
        }
    };
    assert_eq!(give(&jamie_person, &alex).await, Some(AppError::Forbidden));
    assert_eq!(
        problems(give(&parent, &morgan).await),
        [(Field::Person, Problem::NotAChoice)]
    );
    let opened = call(&router, "case_file", &[("case_number", case)], Some(&jamie)).await;
    assert_eq!(error_of(&opened), Some(AppError::Forbidden));
    assert!(audited(&test.db, "case_reassigned").await.is_empty());

    // Given to Jamie: Jamie works it now, Alex no longer.
    assert_eq!(give(&jamie_person, &morgan).await, None);
    let file: CaseFile = answer(&router, "case_file", &[("case_number", case)], &jamie).await;
    assert_eq!(file.view.card.case_number, case);
    let opened = call(&router, "case_file", &[("case_number", case)], Some(&alex)).await;
    assert_eq!(error_of(&opened), Some(AppError::Forbidden));
    let stored = cases::Entity::find()
        .filter(cases::Column::CaseNumber.eq(case))
        .one(&test.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .and_then(|case| case.caseworker_id);
    assert_eq!(stored.map(|id| id.to_string()), Some(jamie_person.clone()));
    let events = audited(&test.db, "case_reassigned").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].detail.as_deref(), Some("from Alex Morgan"));
    // Giving it to whoever has it already changes nothing.
    assert_eq!(give(&jamie_person, &morgan).await, None);
    assert_eq!(audited(&test.db, "case_reassigned").await.len(), 1);
}

async fn staff_accounts_are_added_changed_and_switched_off(test: TestDb) {
    let router = support::demo_router(&test.db).await;
    let morgan = sign_in_as(&router, "supervisor@example.com", DEMO_PASSWORD).await;
    let staff_count = || async {
        accounts::Entity::find()
            .filter(accounts::Column::Role.ne("parent"))
            .count(&test.db)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let before = staff_count().await;
    let add = |name: &'static str, email: &'static str, role: &'static str| {
        let (router, morgan) = (router.clone(), morgan.clone());
        async move {
            call(
                &router,
                "add_staff_member",
                &[("name", name), ("email", email), ("role", role)],
                Some(&morgan),
            )
            .await
        }
    };

    // Every mistake at its field, all at once; nothing stored.
    let bad = add(" ", "not an address", "parent").await;
    assert_eq!(
        problems(error_of(&bad)),
        [
            (Field::Person, Problem::Required),
            (Field::Email, Problem::NotAnEmail),
            (Field::Role, Problem::NotAChoice),
        ]
    );
    let taken = add("Alex Again", "caseworker@example.com", "caseworker").await;
    assert_eq!(
        problems(error_of(&taken)),
        [(Field::Email, Problem::EmailTaken)]
    );
    assert_eq!(staff_count().await, before);

    // Added: the first password is shown once, and signs in.
    let added = add("Riley Park", " Riley.Park@Agency.example ", "caseworker").await;
    assert_eq!(error_of(&added), None, "{}", added.body);
    let fresh: FreshPassword = serde_json::from_str(&added.body).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fresh.email, "riley.park@agency.example");
    let morgan_now = support::cookies_after(&morgan, &added);
    let shown = support::call(&router, "staff_desk", &[], Some(&morgan_now)).await;
    let desk: StaffDesk = serde_json::from_str(&shown.body).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(desk.fresh.as_ref(), Some(&fresh));
    let morgan_now = support::cookies_after(&morgan_now, &shown);
    let riley_row = desk
        .list
        .members
        .iter()
        .find(|member| member.name == "Riley Park")
        .cloned()
        .unwrap_or_else(|| panic!("Riley is not listed"));
    assert_eq!(
        (riley_row.role, riley_row.cases),
        (AccountRole::Caseworker, 0)
    );
    let alex_row = desk.list.members.iter().find(|m| m.name == "Alex Morgan");
    assert!(alex_row.is_some_and(|alex| alex.cases > 0));
    let desk: StaffDesk = answer(&router, "staff_desk", &[], &morgan_now).await;
    assert_eq!(desk.fresh, None, "shown once");
    let page = get_as(&router, "/staff", &morgan).await;
    assert!(page.body.contains("Riley Park") && page.body.contains("Add a member of staff"));
    let riley = sign_in_as(&router, "riley.park@agency.example", &fresh.password).await;
    let created = audited(&test.db, "staff_account_created").await;
    let morgan_person = account_of(&test.db, "supervisor@example.com")
        .await
        .person_id;
    assert!(created.iter().any(|e| e.actor_id == Some(morgan_person)));

    // Only supervisors use the desk.
    let account = riley_row.account.to_string();
    for (function, args) in [
        ("staff_desk", vec![]),
        (
            "change_staff",
            vec![("account", account.as_str()), ("change", "make_supervisor")],
        ),
    ] {
        let refused = call(&router, function, &args, Some(&riley)).await;
        assert_eq!(error_of(&refused), Some(AppError::Forbidden), "{function}");
    }
    let page = get_as(&router, "/staff", &riley).await;
    assert_eq!(page.status, http::StatusCode::FORBIDDEN);

    let change = |account: String, what: &'static str| {
        let (router, morgan) = (router.clone(), morgan.clone());
        async move {
            let page = call(
                &router,
                "change_staff",
                &[("account", &account), ("change", what)],
                Some(&morgan),
            )
            .await;
            error_of(&page)
        }
    };
    // Not their own account; not a caseworker who still has cases; not a
    // change that does not apply.
    let own = account_of(&test.db, "supervisor@example.com").await.id;
    let alex = account_of(&test.db, "caseworker@example.com").await.id;
    assert_eq!(
        problems(change(own.to_string(), "make_caseworker").await),
        [(Field::Person, Problem::OwnAccount)]
    );
    assert_eq!(
        problems(change(alex.to_string(), "deactivate").await),
        [(Field::Person, Problem::StillHasCases)]
    );
    assert_eq!(
        problems(change(account.clone(), "unlock").await),
        [(Field::Person, Problem::NotAChoice)]
    );

    // Another role takes effect on Riley's next request.
    assert_eq!(change(account.clone(), "make_supervisor").await, None);
    let me: Option<User> = answer(&router, "current_user", &[], &riley).await;
    assert_eq!(me.map(|user| user.role), Some(AccountRole::Supervisor));

    // Switched off: the session ends and signing in is refused.
    assert_eq!(change(account.clone(), "deactivate").await, None);
    let ended = call(&router, "staff_desk", &[], Some(&riley)).await;
    assert_eq!(error_of(&ended), Some(AppError::SignInRequired));
    let refused = try_sign_in(&router, "riley.park@agency.example", &fresh.password).await;
    assert_eq!(error_of(&refused), Some(AppError::SignInRefused));
    let desk: StaffDesk = answer(&router, "staff_desk", &[], &morgan).await;
    let colleagues: CaseFile = answer(
        &router,
        "case_file",
        &[("case_number", "CS-2020-004172")],
        &morgan,
    )
    .await;
    assert!(!colleagues.colleagues.iter().any(|c| c.name == "Riley Park"));
    assert!(desk
        .list
        .members
        .iter()
        .any(|m| m.name == "Riley Park" && m.deactivated));

    // On again, with a new password: the old one no longer works.
    assert_eq!(change(account.clone(), "reactivate").await, None);
    let renewing = call(
        &router,
        "change_staff",
        &[("account", &account), ("change", "new_password")],
        Some(&morgan),
    )
    .await;
    assert_eq!(error_of(&renewing), None, "{}", renewing.body);
    let with_password = support::cookies_after(&morgan, &renewing);
    let desk: StaffDesk = answer(&router, "staff_desk", &[], &with_password).await;
    let renewed = desk
        .fresh
        .unwrap_or_else(|| panic!("no new password shown"));
    assert_ne!(renewed.password, fresh.password);
    let old = try_sign_in(&router, "riley.park@agency.example", &fresh.password).await;
    assert_eq!(error_of(&old), Some(AppError::SignInRefused));
    sign_in_as(&router, "riley.park@agency.example", &renewed.password).await;

    let changes: Vec<Option<String>> = audited(&test.db, "staff_changed")
        .await
        .into_iter()
        .map(|event| event.detail)
        .collect();
    assert_eq!(
        changes,
        [
            "make_supervisor",
            "deactivate",
            "reactivate",
            "new_password"
        ]
        .map(|d| Some(d.to_owned()))
    );
}
