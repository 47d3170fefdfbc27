//! Staff reads on the audit log, written together.
//!
//! Every time a caseworker opens a case the audit log gets a line, and the
//! page is not shown until that line is stored. Written one by one, each
//! line is a commit of its own on the one writer (on SQLite, a flush to
//! disk), and caseworkers opening cases at once queue behind each other's.
//! So the lines that arrive while one commit is under way wait for it and
//! then go in the next, all in one statement: the same lines, stored before
//! each page is shown, for one commit per batch instead of one per page.
//! A line that belongs to a change is still written inside that change's
//! transaction (`audit::record`).

use chrono::{DateTime, Utc};
use entity::audit_events;
use sea_orm::{DatabaseConnection, EntityTrait};
use tokio::sync::{mpsc, oneshot};

use super::audit::{row, AuditEvent, Source};
use crate::error::AppError;

/// Lines written in one statement at most.
const BATCH: usize = 256;

/// A line waiting for the next commit, and whom to tell it was stored.
struct Waiting {
    line: audit_events::ActiveModel,
    stored: oneshot::Sender<bool>,
}

/// The queue of staff reads for the audit log (cloned into every request).
#[derive(Clone, Debug)]
pub struct ReadLog {
    queue: mpsc::UnboundedSender<Waiting>,
}

impl ReadLog {
    /// Starts the writer on `db` (on the current tokio runtime); it stops
    /// when the last `ReadLog` is dropped.
    pub fn start(db: DatabaseConnection) -> Self {
        let (queue, waiting) = mpsc::unbounded_channel();
        tokio::spawn(write_in_batches(db, waiting));
        Self { queue }
    }

    /// Puts `event` on the audit log and returns once it is stored.
    pub async fn record(
        &self,
        event: AuditEvent,
        source: &Source,
        at: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let (stored, answer) = oneshot::channel();
        let line = row(event, source, at);
        let sent = self.queue.send(Waiting { line, stored });
        match sent.is_ok() && answer.await.unwrap_or(false) {
            true => Ok(()),
            // The writer logged why.
            false => Err(super::internal("the audit log did not store a read")),
        }
    }
}

/// Takes what is waiting (up to [`BATCH`]), writes it in one statement, says
/// so to each, and goes again.
async fn write_in_batches(db: DatabaseConnection, mut waiting: mpsc::UnboundedReceiver<Waiting>) {
    let mut batch = Vec::with_capacity(BATCH);
    while waiting.recv_many(&mut batch, BATCH).await > 0 {
        let lines = batch.iter().map(|w| w.line.clone());
        let stored = match audit_events::Entity::insert_many(lines).exec(&db).await {
            Ok(_) => true,
            Err(error) => {
                tracing::error!(%error, lines = batch.len(), "cannot store staff reads on the audit log");
                false
            }
        };
        for read in batch.drain(..) {
            // A request that went away no longer waits; nothing to tell.
            let _ = read.stored.send(stored);
        }
    }
}
