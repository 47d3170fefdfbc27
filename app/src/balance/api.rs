//! The case as a parent or caseworker opens it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::account::model::CaseRole;
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub case_number: String,
    pub office: String,
    pub status: String,
    /// Who the reader is on this case.
    pub role: CaseRole,
    /// First names and dates of birth are for both parents; addresses never.
    pub children: Vec<String>,
}

#[server(endpoint = "case_overview")]
pub async fn case_overview(case_number: String) -> Result<CaseSummary, AppError> {
    use crate::server::access::{authorize, CaseAction};
    use crate::server::audit::{self, AuditAction, AuditEvent, Source};
    use crate::server::{state, user};
    use entity::children;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    let reader = user::require().await?;
    let db = state()?.db;
    let authorized = authorize(&db, &reader, &case_number, CaseAction::View).await?;
    let case = authorized.case;
    if reader.role.is_staff() {
        let event = AuditEvent::new(AuditAction::CaseOpened)
            .by(reader.person_id)
            .on_case(case.id);
        audit::record(&db, event, &Source::of_request(), chrono::Utc::now()).await?;
    }
    let children = children::Entity::find()
        .filter(children::Column::CaseId.eq(case.id))
        .order_by_asc(children::Column::BornOn)
        .all(&db)
        .await?
        .into_iter()
        .map(|child| child.full_name)
        .collect();
    Ok(CaseSummary {
        case_number: case.case_number,
        office: case.office,
        status: case.status,
        role: authorized.role,
        children,
    })
}

/// The signed-in person's overview: a card per case for a parent, the case
/// list for staff.
#[server(endpoint = "overview")]
pub async fn overview() -> Result<super::model::Overview, AppError> {
    use crate::server::{state, user};
    let reader = user::require().await?;
    let state = state()?;
    let now = state.agency_now();
    let (cards, staff_cases) = if reader.role.is_staff() {
        let cases = crate::account::service::my_cases(&state.db, &reader).await?;
        (Vec::new(), cases)
    } else {
        let today = now.date_naive();
        let cards =
            super::service::cards(&state.db, &reader, today, state.ledger.grace_days).await?;
        (cards, Vec::new())
    };
    Ok(super::model::Overview {
        as_of: now.format("%Y-%m-%d %H:%M").to_string(),
        cards,
        staff_cases,
    })
}
