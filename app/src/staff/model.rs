//! What the supervisors' desk shows and the changes it makes.

use serde::{Deserialize, Serialize};

use crate::reader::AccountRole;

/// Everyone with a staff account (`/staff`), by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffList {
    pub members: Vec<StaffMember>,
    /// The supervisor reading it: their own row offers no changes.
    pub me: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub account: i32,
    pub person: i32,
    pub name: String,
    pub email: String,
    pub role: AccountRole,
    /// Cases assigned to them.
    pub cases: u64,
    pub second_factor: bool,
    /// Locked, when the list was read, after too many wrong passwords.
    pub locked: bool,
    /// Switched off: cannot sign in.
    pub deactivated: bool,
}

/// A change a supervisor makes to a colleague's account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffChange {
    MakeCaseworker,
    MakeSupervisor,
    /// Lifts a lockout after wrong passwords.
    Unlock,
    /// A new first password, shown once (a forgotten password; the old one
    /// stops working).
    NewPassword,
    /// Switches the account off; its sessions end.
    Deactivate,
    Reactivate,
}

impl StaffChange {
    pub const ALL: [Self; 6] = [
        Self::MakeCaseworker,
        Self::MakeSupervisor,
        Self::Unlock,
        Self::NewPassword,
        Self::Deactivate,
        Self::Reactivate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::MakeCaseworker => "make_caseworker",
            Self::MakeSupervisor => "make_supervisor",
            Self::Unlock => "unlock",
            Self::NewPassword => "new_password",
            Self::Deactivate => "deactivate",
            Self::Reactivate => "reactivate",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|change| change.as_str() == name)
    }

    /// The changes that make sense for `member`.
    pub fn offered(member: &StaffMember) -> Vec<Self> {
        if member.deactivated {
            return vec![Self::Reactivate];
        }
        let mut changes = vec![match member.role {
            AccountRole::Supervisor => Self::MakeCaseworker,
            _ => Self::MakeSupervisor,
        }];
        if member.locked {
            changes.push(Self::Unlock);
        }
        changes.extend([Self::NewPassword, Self::Deactivate]);
        changes
    }
}

/// A staff account just made, or given a new password: the password, shown
/// to the supervisor this once to hand over in person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreshPassword {
    pub account: i32,
    pub name: String,
    pub email: String,
    pub password: String,
}

/// The desk as a supervisor opens it, with a password made a moment ago.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffDesk {
    pub list: StaffList,
    pub fresh: Option<FreshPassword>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(role: AccountRole) -> StaffMember {
        StaffMember {
            account: 1,
            person: 1,
            name: "Jamie Chen".into(),
            email: "jamie.chen@example.com".into(),
            role,
            cases: 2,
            second_factor: false,
            locked: false,
            deactivated: false,
        }
    }

    #[test]
    fn changes_read_back_from_their_names() {
        for change in StaffChange::ALL {
            assert_eq!(StaffChange::parse(change.as_str()), Some(change));
        }
        assert_eq!(StaffChange::parse("delete"), None);
    }

    #[test]
    fn only_the_changes_that_apply_are_offered() {
        let caseworker = member(AccountRole::Caseworker);
        assert_eq!(
            StaffChange::offered(&caseworker),
            [
                StaffChange::MakeSupervisor,
                StaffChange::NewPassword,
                StaffChange::Deactivate
            ]
        );
        let locked = StaffMember {
            locked: true,
            ..member(AccountRole::Supervisor)
        };
        assert_eq!(
            StaffChange::offered(&locked),
            [
                StaffChange::MakeCaseworker,
                StaffChange::Unlock,
                StaffChange::NewPassword,
                StaffChange::Deactivate
            ]
        );
        let gone = StaffMember {
            deactivated: true,
            ..caseworker
        };
        assert_eq!(StaffChange::offered(&gone), [StaffChange::Reactivate]);
    }
}
