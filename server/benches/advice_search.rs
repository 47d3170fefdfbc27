//! `make bench`: one search over the advice articles and the glossary, as
//! the search box asks it, on SQLite (FTS5) and on PostgreSQL (tsvector +
//! GIN) holding the repository's content in both languages.
//! Budget: ≤ 5 ms per search on either database.

use std::hint::black_box;

use app::advice::render::Values;
use app::advice::service::find;
use criterion::{criterion_group, criterion_main, Criterion};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use tokio::runtime::Runtime;

/// What people type: a question in English, Spanish without its accents,
/// a single word, and something nothing matches (then suggestions come).
const QUERIES: [(&str, &str); 4] = [
    ("en", "how do I ask to change my support"),
    ("es", "manutencion atrasada"),
    ("en", "garnishment"),
    ("en", "zzzz qqqq"),
];

async fn migrated(url: &str) -> DatabaseConnection {
    let db = server::db::connect(url, 2)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    server::db::migrate(&db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    db
}

fn search_on(c: &mut Criterion, runtime: &Runtime, database: &str, db: &DatabaseConnection) {
    let values = Values::default();
    for (locale, query) in QUERIES {
        c.bench_function(&format!("advice search on {database}: {query}"), |b| {
            b.iter(|| {
                runtime
                    .block_on(find(db, locale, black_box(query), &values))
                    .unwrap_or_else(|e| panic!("{e:?}"))
            })
        });
    }
}

fn advice_search(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));

    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    let sqlite = runtime.block_on(migrated(&url));
    search_on(c, &runtime, "SQLite", &sqlite);

    // PostgreSQL: a database of its own, dropped afterwards.
    let admin_url = std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let Ok(admin) = runtime.block_on(Database::connect(&admin_url)) else {
        eprintln!("PostgreSQL unreachable at {admin_url}: its search was not measured");
        return;
    };
    let name = format!("portal_bench_{}", std::process::id());
    let create = format!("CREATE DATABASE \"{name}\"");
    runtime
        .block_on(admin.execute_unprepared(&create))
        .unwrap_or_else(|e| panic!("{e}"));
    let url = match admin_url.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{name}"),
        None => panic!("no database name in {admin_url}"),
    };
    let postgres = runtime.block_on(migrated(&url));
    search_on(c, &runtime, "PostgreSQL", &postgres);
    runtime.block_on(async {
        let _ = postgres.close().await;
        let _ = admin
            .execute_unprepared(&format!("DROP DATABASE \"{name}\""))
            .await;
    });
}

criterion_group!(benches, advice_search);
criterion_main!(benches);
