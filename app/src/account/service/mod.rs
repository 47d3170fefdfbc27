//! Signing in, activating with a PIN, issuing PINs: the rules, on the
//! database, each change in one transaction with its audit record.

pub mod activation;
pub mod records;
pub mod sign_in;

use crate::config::SecurityPolicy;
use crate::error::AppError;
use crate::server::audit::{self, AuditAction, AuditEvent, Source};
use crate::server::gate::{CredentialGate, TurnedAway};
use crate::server::sealed::SecretKey;
use crate::server::AppState;
use chrono::{DateTime, Duration, Utc};
use entity::accounts;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait,
};
use std::sync::Arc;

/// A request's surroundings: the agency's policy, where it came from, when,
/// and the gate every credential check passes.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub policy: SecurityPolicy,
    pub source: Source,
    pub now: DateTime<Utc>,
    pub gate: Arc<CredentialGate>,
}

impl Attempt {
    /// The request being served, now.
    pub fn of_request(state: &AppState) -> Self {
        Attempt {
            policy: state.security.clone(),
            source: Source::of_request(),
            now: Utc::now(),
            gate: state.credential_gate.clone(),
        }
    }

    /// Outside any request (the command line), now.
    pub fn offline(policy: SecurityPolicy) -> Self {
        Attempt {
            gate: Arc::new(CredentialGate::new(&policy, SecretKey::random())),
            policy,
            source: Source::default(),
            now: Utc::now(),
        }
    }

    fn window_start(&self) -> DateTime<Utc> {
        self.now - Duration::minutes(i64::from(self.policy.lockout_minutes))
    }

    /// Whether this attempt at `action` is turned away before anything is
    /// checked: its address failed too often lately (`Ok(true)`, to be
    /// answered like any refusal), or the portal is checking all it can
    /// (`Err(Busy)`). Either is counted, not hashed nor written down.
    async fn turned_away(
        &self,
        db: &impl ConnectionTrait,
        action: AuditAction,
    ) -> Result<bool, AppError> {
        let failures = audit::count_from(db, &self.source, action, self.window_start()).await?;
        if failures >= u64::from(self.policy.failures_per_address) {
            self.gate
                .count(action, TurnedAway::AddressBlocked, &self.source);
            return Ok(true);
        }
        if !self.gate.admit() {
            self.gate
                .count(action, TurnedAway::OverTheLimit, &self.source);
            return Err(AppError::Busy);
        }
        Ok(false)
    }
}

/// One more wrong password (or code); at the policy's count the account locks.
pub(super) async fn count_failure(
    db: &DatabaseConnection,
    attempt: &Attempt,
    account: &accounts::Model,
    what: &'static str,
) -> Result<(), AppError> {
    let txn = db.begin().await?;
    // Counted in the database, so concurrent attempts on several servers add up.
    accounts::Entity::update_many()
        .col_expr(
            accounts::Column::FailedSignIns,
            Expr::col(accounts::Column::FailedSignIns).add(1),
        )
        .filter(accounts::Column::Id.eq(account.id))
        .exec(&txn)
        .await?;
    let failures = accounts::Entity::find_by_id(account.id)
        .one(&txn)
        .await?
        .map_or(0, |a| a.failed_sign_ins);
    let event = AuditEvent::new(AuditAction::SignInFailed)
        .about(account.person_id)
        .detail(what);
    audit::record(&txn, event, &attempt.source, attempt.now).await?;
    if u32::try_from(failures).unwrap_or(0) >= attempt.policy.lockout_after {
        let until = attempt.now + Duration::minutes(i64::from(attempt.policy.lockout_minutes));
        accounts::Entity::update_many()
            .col_expr(accounts::Column::FailedSignIns, Expr::value(0))
            .col_expr(accounts::Column::LockedUntil, Expr::value(Some(until)))
            .filter(accounts::Column::Id.eq(account.id))
            .exec(&txn)
            .await?;
        let event = AuditEvent::new(AuditAction::AccountLocked)
            .about(account.person_id)
            .detail(format!("{failures} failed sign-ins"));
        audit::record(&txn, event, &attempt.source, attempt.now).await?;
    }
    txn.commit().await?;
    Ok(())
}
