//! Requests in the database. Who sees one: the parent who asked, the case's
//! caseworker and supervisors. The other parent of a change of support
//! learns that a review was asked for, where it stands and when the hearing
//! is — never the reasons, the words or the documents.

pub mod asking;
pub mod reading;
pub mod steps;

use super::rules::{RequestKind, RequestStatus};
use crate::error::AppError;
use crate::notice::Kind;
use crate::reader::{CaseRole, User};
use crate::server::access::{missing, role_on_case, CaseAction};
use crate::server::internal;
use crate::server::notices::{notify, parents, Notice};
use chrono::{DateTime, Utc};
use entity::support_requests;
use sea_orm::{ConnectionTrait, EntityTrait};

/// A request form's key, checked.
pub(super) fn request_key(key: &str) -> Result<String, AppError> {
    let key = key.trim();
    if key.is_empty() || key.len() > 64 {
        return Err(AppError::FormUsed);
    }
    Ok(key.to_owned())
}

/// The request and the reader's role on its case, if the reader may see
/// it: the parent who asked, the case's caseworker, supervisors. Anyone
/// else — the other parent too — is refused as if it did not exist.
pub(super) async fn authorize_request(
    db: &impl ConnectionTrait,
    reader: &User,
    id: i32,
) -> Result<(support_requests::Model, entity::cases::Model, CaseRole), AppError> {
    let refused = missing(reader);
    let Some((request, Some(case))) = support_requests::Entity::find_by_id(id)
        .find_also_related(entity::cases::Entity)
        .one(db)
        .await?
    else {
        return Err(refused);
    };
    let role = role_on_case(db, reader, &case).await?;
    match role {
        Some(role) if role.may(CaseAction::ReadFile) => Ok((request, case, role)),
        Some(role) if request.requester_id == reader.person_id => Ok((request, case, role)),
        _ => Err(refused),
    }
}

pub(super) async fn tell_other_parent(
    txn: &impl ConnectionTrait,
    request: &support_requests::Model,
    requester: i32,
    status: RequestStatus,
    tag: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let number = entity::cases::Entity::find_by_id(request.case_id)
        .one(txn)
        .await?
        .map(|case| case.case_number)
        .unwrap_or_default();
    for (person, _) in parents(txn, request.case_id).await? {
        if person == requester {
            continue;
        }
        let notice = Notice {
            person,
            kind: Kind::ReviewRequested,
            case: Some(request.case_id),
            amount: None,
            status: Some(status.as_str()),
            link: format!("/cases/{number}"),
            dedupe: format!("review:{}:{tag}:{person}", request.id),
        };
        notify(txn, notice, now).await?;
    }
    Ok(())
}

pub(super) fn kind_of(request: &support_requests::Model) -> Result<RequestKind, AppError> {
    RequestKind::parse(&request.kind)
        .ok_or_else(|| internal(format!("request {} has kind {}", request.id, request.kind)))
}

pub(super) fn status_of(request: &support_requests::Model) -> Result<RequestStatus, AppError> {
    RequestStatus::parse(&request.status).ok_or_else(|| {
        internal(format!(
            "request {} has status {}",
            request.id, request.status
        ))
    })
}
