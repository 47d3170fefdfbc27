//! Caseworkers' server functions.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::account::model::IssuedPin;
use crate::error::AppError;

/// One line of a case's audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    pub at: DateTime<Utc>,
    pub action: String,
    pub actor: Option<i32>,
    pub subject: Option<i32>,
    pub source: Option<String>,
    pub detail: Option<String>,
}

/// Issues a PIN to `person` on the case (voiding their earlier one).
#[server(endpoint = "issue_pin")]
pub async fn issue_pin(case_number: String, person: i32) -> Result<IssuedPin, AppError> {
    use crate::account::service::{self, Attempt};
    use crate::server::{state, user};
    let actor = user::require().await?;
    let state = state()?;
    let attempt = Attempt::of_request(state.security);
    service::issue_pin(&state.db, &attempt, &actor, &case_number, person).await
}

/// Who did what on the case, newest first (supervisors).
#[server(endpoint = "case_audit")]
pub async fn case_audit(case_number: String) -> Result<Vec<AuditLine>, AppError> {
    use crate::server::access::{authorize, CaseAction};
    use crate::server::{audit, state, user};
    let reader = user::require().await?;
    let db = state()?.db;
    let case = authorize(&db, &reader, &case_number, CaseAction::ReadAudit)
        .await?
        .case;
    Ok(audit::of_case(&db, case.id)
        .await?
        .into_iter()
        .map(|event| AuditLine {
            at: event.at,
            action: event.action,
            actor: event.actor_id,
            subject: event.subject_id,
            source: event.source,
            detail: event.detail,
        })
        .collect())
}
