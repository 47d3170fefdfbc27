//! The session store writes only what changed: a session used again within a
//! minute, with the same data, is not written (its idle expiry may lag by at
//! most that minute); new data or a later expiry is.

mod support;

use entity::sessions;
use sea_orm::EntityTrait;
use server::sessions::DatabaseStore;
use support::TestDb;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::SessionStore;

on_both_databases!(a_session_is_written_only_when_it_changed);

async fn stored_expiry(test: &TestDb, id: Id) -> chrono::DateTime<chrono::Utc> {
    sessions::Entity::find_by_id(id.to_string())
        .one(&test.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no session {id}"))
        .expires_at
}

async fn a_session_is_written_only_when_it_changed(test: TestDb) {
    let store = DatabaseStore::new(test.db.clone(), &support::config().security);
    let now = time::OffsetDateTime::now_utc();
    let mut record = Record {
        id: Id::default(),
        data: Default::default(),
        expiry_date: now + time::Duration::minutes(30),
    };
    record.data.insert("language".into(), "es".into());
    store
        .create(&mut record)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let first = stored_expiry(&test, record.id).await;

    // Used again 20 s later, nothing new: not written.
    record.expiry_date = now + time::Duration::seconds(30 * 60 + 20);
    store.save(&record).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stored_expiry(&test, record.id).await, first);

    // Two minutes later: the idle expiry moves.
    record.expiry_date = now + time::Duration::minutes(32);
    store.save(&record).await.unwrap_or_else(|e| panic!("{e}"));
    let moved = stored_expiry(&test, record.id).await;
    assert!(
        moved > first + chrono::Duration::seconds(100),
        "{first} → {moved}"
    );

    // New data is written at once, whatever the expiry.
    record.data.insert("account".into(), 7.into());
    store.save(&record).await.unwrap_or_else(|e| panic!("{e}"));
    let loaded = store
        .load(&record.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("session lost"));
    assert_eq!(loaded.data.get("account"), Some(&7.into()));
}
