//! The one answer to "may this person do this with this case, and as whom?".
//! Every server function that touches a case asks [`authorize`]; the access
//! matrix test (`server/tests/identity.rs`) calls each of them as every kind
//! of person.

use entity::{case_participants, cases};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::error::AppError;
use crate::reader::{AccountRole, CaseRole, User};
use crate::server::audit;

/// What someone wants to do with a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseAction {
    /// See the case: order, balance, history, children's names.
    View,
    /// Give a participant a PIN to activate or reset their account.
    IssuePin,
    /// Read who did what on the case.
    ReadAudit,
    /// The agency's file: the parents' contact details, every entry's note.
    ReadFile,
    /// Post a payment, an adjustment, a reversal, a hold or a release.
    Post,
    /// Enter new order terms (a modification).
    ChangeOrder,
    /// Give the case to another caseworker.
    Reassign,
    /// Write to the agency or ask for a change of support, as a parent.
    AskAsParent,
    /// Propose extra payments toward past-due support: the paying parent.
    ProposePlan,
}

impl CaseAction {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseAction::View => "view",
            CaseAction::IssuePin => "issue_pin",
            CaseAction::ReadAudit => "read_audit",
            CaseAction::ReadFile => "read_file",
            CaseAction::Post => "post",
            CaseAction::ChangeOrder => "change_order",
            CaseAction::Reassign => "reassign",
            CaseAction::AskAsParent => "ask_as_parent",
            CaseAction::ProposePlan => "propose_plan",
        }
    }
}

impl CaseRole {
    /// The rule itself, in one table.
    pub fn may(self, action: CaseAction) -> bool {
        use CaseAction::*;
        use CaseRole::*;
        match action {
            View => true,
            IssuePin | ReadAudit | ReadFile | Post | ChangeOrder => {
                matches!(self, AssignedCaseworker | Supervisor)
            }
            Reassign => self == Supervisor,
            AskAsParent => matches!(self, PayingParent | ReceivingParent),
            ProposePlan => self == PayingParent,
        }
    }
}

/// A case someone may act on, and as whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorized {
    pub case: cases::Model,
    pub role: CaseRole,
}

/// May `user` do `action` with the case numbered `case_number`? A case that
/// does not exist is refused the same way as someone else's, so a number
/// cannot be probed; only supervisors, who may see every case, hear "not found".
/// The case is looked up through `reads`; a refusal is written through `db`.
pub async fn authorize(
    reads: &impl ConnectionTrait,
    db: &impl ConnectionTrait,
    user: &User,
    case_number: &str,
    action: CaseAction,
) -> Result<Authorized, AppError> {
    let number = case_number.trim().to_ascii_uppercase();
    // A parent's own case comes with their place on it, in one query.
    if user.role == AccountRole::Parent {
        if let Some(authorized) = parents_case(reads, user, &number).await? {
            if authorized.role.may(action) {
                return Ok(authorized);
            }
        }
    }
    let case = cases::Entity::find()
        .filter(cases::Column::CaseNumber.eq(number))
        .one(reads)
        .await?;
    let Some(case) = case else {
        let asked: String = case_number.chars().filter(|c| !c.is_control()).collect();
        audit::refused(db, user, None, &format!("{}: {asked}", action.as_str())).await?;
        return Err(missing(user));
    };
    match role_on_case(reads, user, &case).await? {
        Some(role) if role.may(action) => Ok(Authorized { case, role }),
        _ => {
            audit::refused(db, user, Some(case.id), action.as_str()).await?;
            Err(AppError::Forbidden)
        }
    }
}

/// The case `number` with the parent `user`'s role on it, if they are on it.
async fn parents_case(
    db: &impl ConnectionTrait,
    user: &User,
    number: &str,
) -> Result<Option<Authorized>, AppError> {
    let found = case_participants::Entity::find()
        .find_also_related(cases::Entity)
        .filter(cases::Column::CaseNumber.eq(number))
        .filter(case_participants::Column::PersonId.eq(user.person_id))
        .one(db)
        .await?;
    Ok(found.and_then(|(participant, case)| {
        Some(Authorized {
            case: case?,
            role: parent_role(&participant.role)?,
        })
    }))
}

/// What `user` hears about a record that does not exist: only supervisors,
/// who may see everything, hear "not found"; to anyone else it looks like
/// someone else's, so numbers and ids cannot be probed.
pub fn missing(user: &User) -> AppError {
    match user.role {
        AccountRole::Supervisor => AppError::NotFound,
        _ => AppError::Forbidden,
    }
}

/// Who `user` is on `case`, if anyone.
pub async fn role_on_case(
    db: &impl ConnectionTrait,
    user: &User,
    case: &cases::Model,
) -> Result<Option<CaseRole>, AppError> {
    Ok(match user.role {
        AccountRole::Supervisor => Some(CaseRole::Supervisor),
        AccountRole::Caseworker => {
            (case.caseworker_id == Some(user.person_id)).then_some(CaseRole::AssignedCaseworker)
        }
        AccountRole::Parent => case_participants::Entity::find()
            .filter(case_participants::Column::CaseId.eq(case.id))
            .filter(case_participants::Column::PersonId.eq(user.person_id))
            .one(db)
            .await?
            .and_then(|participant| parent_role(&participant.role)),
    })
}

/// The cases `person` is a parent on, with their role on each, by case id.
pub async fn parent_cases(
    db: &impl ConnectionTrait,
    person: i32,
) -> Result<Vec<(cases::Model, CaseRole)>, AppError> {
    Ok(case_participants::Entity::find()
        .filter(case_participants::Column::PersonId.eq(person))
        .find_also_related(cases::Entity)
        .order_by_asc(case_participants::Column::CaseId)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(participant, case)| Some((case?, parent_role(&participant.role)?)))
        .collect())
}

/// A participant's role as stored (`paying` / `receiving`).
pub fn parent_role(stored: &str) -> Option<CaseRole> {
    match stored {
        "paying" => Some(CaseRole::PayingParent),
        "receiving" => Some(CaseRole::ReceivingParent),
        _ => None,
    }
}

/// Supervisors only: the staff desk and the advice editor.
pub fn require_supervisor(reader: &User) -> Result<(), AppError> {
    match reader.role {
        AccountRole::Supervisor => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_see_their_case_and_only_its_staff_act_on_it() {
        use CaseAction::*;
        use CaseRole::*;
        // View, IssuePin, ReadAudit, ReadFile, Post, ChangeOrder, Reassign,
        // AskAsParent, ProposePlan.
        let table = [
            (
                PayingParent,
                [true, false, false, false, false, false, false, true, true],
            ),
            (
                ReceivingParent,
                [true, false, false, false, false, false, false, true, false],
            ),
            (
                AssignedCaseworker,
                [true, true, true, true, true, true, false, false, false],
            ),
            (
                Supervisor,
                [true, true, true, true, true, true, true, false, false],
            ),
        ];
        for (role, allowed) in table {
            assert_eq!(
                [
                    View,
                    IssuePin,
                    ReadAudit,
                    ReadFile,
                    Post,
                    ChangeOrder,
                    Reassign,
                    AskAsParent,
                    ProposePlan
                ]
                .map(|action| role.may(action)),
                allowed,
                "{role:?}"
            );
        }
    }
}
