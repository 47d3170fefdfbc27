//! The person behind a request: their account, its role, and who they are
//! on a case. Every area reads these; they belong to none.

use serde::{Deserialize, Serialize};

/// What kind of account someone has. A parent's role differs per case (see
/// [`CaseRole`]); staff roles are the account's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountRole {
    Parent,
    /// Sees and acts on the cases assigned to them.
    Caseworker,
    /// Sees every case; manages caseworkers and advice.
    Supervisor,
}

impl AccountRole {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountRole::Parent => "parent",
            AccountRole::Caseworker => "caseworker",
            AccountRole::Supervisor => "supervisor",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        [Self::Parent, Self::Caseworker, Self::Supervisor]
            .into_iter()
            .find(|role| role.as_str() == name)
    }

    pub fn is_staff(self) -> bool {
        self != AccountRole::Parent
    }
}

/// Someone signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub account_id: i32,
    pub person_id: i32,
    pub name: String,
    pub role: AccountRole,
    /// Signs in with a code from an authenticator app as well.
    pub second_factor: bool,
    /// The language they chose (`en`, `es`), if they did.
    pub language: Option<String>,
}

impl User {
    /// The language they chose, if they did.
    pub fn locale(&self) -> Option<crate::i18n::Locale> {
        self.language.as_deref().and_then(|code| code.parse().ok())
    }
}

/// Who someone is on one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseRole {
    PayingParent,
    ReceivingParent,
    AssignedCaseworker,
    Supervisor,
}

/// Who is asking, found once per request by the server before the page or
/// server function runs (from the session): the header and
/// `server::user::current` read it, so neither asks the database again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reader {
    /// `None`: nobody is signed in.
    pub user: Option<User>,
    /// Notifications they have not seen, counted for pages (a server
    /// function has no header to show it in).
    pub unseen: Option<u64>,
}

/// A member of staff a case or a conversation can be given to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Colleague {
    pub person: i32,
    pub name: String,
}

impl Colleague {
    /// Colleagues as the choices of a form: each one's person id, and name.
    pub fn choices(colleagues: Vec<Colleague>) -> Vec<(String, String)> {
        colleagues
            .into_iter()
            .map(|colleague| (colleague.person.to_string(), colleague.name))
            .collect()
    }
}
