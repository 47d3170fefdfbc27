//! The parent's overview on the demo cases: each card agrees with a replay
//! of that case's ledger, on SQLite and on PostgreSQL.

mod support;

use app::balance::model::Overview;
use app::ledger::{Allocation, Money, PaymentSource};
use app::reader::CaseRole;
use app::server::ledger::case_entries;
use entity::cases;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::seed::demo::{self, DEMO_PASSWORD};
use support::{call, error_of, router, session_cookie, try_sign_in, TestDb};

on_both_databases!(each_card_agrees_with_a_replay_of_its_case);

async fn each_card_agrees_with_a_replay_of_its_case(test: TestDb) {
    let config = support::config();
    let today = config.today();
    demo::seed(&test.db, today)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let router = router(test.db.clone());

    for (email, expected) in [
        (
            "paying.parent@example.com",
            vec![("CS-2020-004172", CaseRole::PayingParent)],
        ),
        (
            "receiving.parent@example.com",
            vec![("CS-2020-004172", CaseRole::ReceivingParent)],
        ),
        (
            "two.cases@example.com",
            vec![
                ("CS-2021-005560", CaseRole::PayingParent),
                ("CS-2022-006013", CaseRole::ReceivingParent),
            ],
        ),
    ] {
        let signed_in = try_sign_in(&router, email, DEMO_PASSWORD).await;
        let cookie =
            session_cookie(&signed_in).unwrap_or_else(|| panic!("{email}: {}", signed_in.body));
        let page = call(&router, "overview", &[], Some(&cookie)).await;
        assert_eq!(error_of(&page), None, "{}", page.body);
        let overview: Overview = serde_json::from_str(&page.body).unwrap_or_else(|e| panic!("{e}"));
        let shown: Vec<(&str, CaseRole)> = overview
            .cards
            .iter()
            .map(|c| (c.case_number.as_str(), c.role))
            .collect();
        assert_eq!(shown, expected, "{email}");

        for card in &overview.cards {
            let case = cases::Entity::find()
                .filter(cases::Column::CaseNumber.eq(card.case_number.as_str()))
                .one(&test.db)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .unwrap_or_else(|| panic!("no case"));
            let entries = case_entries(&test.db, case.id)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let replay = Allocation::replay(&entries, today);
            let split = replay.past_due_split(config.ledger.grace_days);
            let balance = replay.balance();
            assert_eq!(
                card.owed,
                if balance.is_positive() {
                    balance
                } else {
                    Money::ZERO
                },
                "{}",
                card.case_number
            );
            assert_eq!(
                (card.past_due_timing, card.past_due_overdue),
                (split.timing, split.overdue)
            );
            assert_eq!(card.credit, replay.credit());
            assert_eq!(
                card.owed - card.credit,
                balance,
                "owed and credit are two sides of one balance"
            );
            assert!(
                card.last_payment.is_some(),
                "{} has payments",
                card.case_number
            );
            assert!(
                !card.terms.is_empty(),
                "{}: an order in force",
                card.case_number
            );
            let next = card
                .next_due
                .unwrap_or_else(|| panic!("{}: next due", card.case_number));
            assert!(next.on > today && next.support.is_positive());
            assert_eq!(
                card.to_receiver.is_some(),
                card.role == CaseRole::ReceivingParent,
                "only the receiving side sees what was sent on"
            );
            if let Some(money) = &card.to_receiver {
                assert!(money.last_sent.is_some_and(|(on, _)| on <= today));
            }
        }
    }

    // Jordan's latest payment as the receiving parent is held, and says why.
    let cookie = support::sign_in_as(&router, "two.cases@example.com", DEMO_PASSWORD).await;
    let overview: Overview =
        serde_json::from_str(&call(&router, "overview", &[], Some(&cookie)).await.body)
            .unwrap_or_else(|e| panic!("{e}"));
    let held = overview.cards[1]
        .to_receiver
        .as_ref()
        .map(|money| money.on_hold.clone())
        .unwrap_or_default();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].amount, Money::from_cents(27_500));
    assert_eq!(held[0].reason.as_deref(), Some(demo::HOLD_REASON));

    // The on-time payer's last payment came from his wages.
    let signed_in = try_sign_in(&router, "paying.parent@example.com", DEMO_PASSWORD).await;
    let cookie = session_cookie(&signed_in).unwrap_or_default();
    let overview: Overview =
        serde_json::from_str(&call(&router, "overview", &[], Some(&cookie)).await.body)
            .unwrap_or_else(|e| panic!("{e}"));
    let last = overview.cards[0]
        .last_payment
        .clone()
        .unwrap_or_else(|| panic!("a payment"));
    assert_eq!(last.source, PaymentSource::IncomeWithholding);
    assert!(last.on <= today);
}
