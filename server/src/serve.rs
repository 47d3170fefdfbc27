//! Starting and stopping the server.

use axum::serve::ListenerExt;
use thiserror::Error;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::db::{self, DbError};

#[derive(Debug, Error)]
pub enum ServeError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("cannot listen on {addr}: {source} (is another server running? set LEPTOS_SITE_ADDR to another address)")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Email(crate::outbox::OutboxError),
    #[error(transparent)]
    Bundle(crate::bundle::BundleError),
    #[error("the server stopped with an error: {0}")]
    Io(std::io::Error),
    #[error("this database holds {0} demo accounts (at example.com, with the published demo password): production will not serve it; use a database without the demo data")]
    DemoData(u64),
    #[error("cannot check the database for demo accounts: {0}")]
    DemoCheck(sea_orm::DbErr),
}

/// Connects, migrates, listens, and serves until SIGTERM or Ctrl-C.
pub async fn serve(config: Config) -> Result<(), ServeError> {
    let db = db::connect(&config.database.url, config.database.max_connections).await?;
    db::migrate(&db).await?;
    if config.site.environment == crate::config::Environment::Production {
        refuse_demo_data(&db).await?;
    }
    // Charges due while the server was down are posted at once, then each
    // day's at the agency's midnight.
    crate::daily::spawn_daily(
        db.clone(),
        config.time_zone(),
        config.ledger.interest_policy(),
    );

    let listener = TcpListener::bind(config.site.addr)
        .await
        .map_err(|source| ServeError::Bind {
            addr: config.site.addr,
            source,
        })?;
    let addr = listener.local_addr().map_err(ServeError::Io)?;
    // Each response leaves at once. Without TCP_NODELAY, a response written
    // in two pieces (a file's headers, then its body) on a kept-alive
    // connection waits for the browser's delayed acknowledgement: ~40 ms.
    let listener = listener.tap_io(|connection| {
        if let Err(error) = connection.set_nodelay(true) {
            tracing::warn!(%error, "cannot send without delay on a connection");
        }
    });

    crate::sessions::spawn_cleanup(
        crate::sessions::DatabaseStore::new(db.clone(), &config.security),
        std::time::Duration::from_secs(15 * 60),
    );
    if config.email.enabled {
        let outbox = crate::outbox::Outbox::new(&config.email, config.agency.clone(), db.clone())
            .map_err(ServeError::Email)?;
        let every = std::time::Duration::from_secs(u64::from(config.email.poll_seconds));
        outbox.spawn(every);
        tracing::info!(host = %config.email.smtp_host, "e-mail notifications on");
    }
    let reads = db::readers(&config.database.url, &db, config.database.max_connections).await?;
    let mut state = crate::app_state(&config, db.clone(), reads);
    state.leptos_options.site_addr = addr;
    spawn_refusal_records(state.credential_gate.clone(), db);
    let router = crate::router(state).map_err(ServeError::Bundle)?;

    tracing::info!(%addr, database = %db::redact(&config.database.url), "portal listening");
    // The end-to-end harness reads this line to find a server started on port 0.
    println!("Child Support Portal is running at http://{addr}");

    // The client's address reaches the handlers (audit log, sign-in throttle).
    let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(ServeError::Io)?;
    tracing::info!("portal stopped");
    Ok(())
}

/// Production never runs on the demo data: its accounts share a password
/// printed in the README. They (and the generated caseload's) are all at
/// example.com, a domain no real person's address can be at (RFC 2606).
pub async fn refuse_demo_data(db: &sea_orm::DatabaseConnection) -> Result<(), ServeError> {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let demo = entity::accounts::Entity::find()
        .filter(entity::accounts::Column::Email.ends_with("@example.com"))
        .count(db)
        .await
        .map_err(ServeError::DemoCheck)?;
    match demo {
        0 => Ok(()),
        accounts => Err(ServeError::DemoData(accounts)),
    }
}

/// Writes the tally of credential checks turned away each minute (one audit
/// row per address, action and reason, with the count).
fn spawn_refusal_records(
    gate: std::sync::Arc<app::server::gate::CredentialGate>,
    db: sea_orm::DatabaseConnection,
) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            ticks.tick().await;
            if let Err(error) = gate.record(&db, chrono::Utc::now()).await {
                tracing::warn!(?error, "could not record refused sign-ins");
            }
        }
    });
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests then finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
