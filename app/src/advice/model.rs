//! What advice pages show.

use serde::{Deserialize, Serialize};

/// What an article offers to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdviceAction {
    /// Ask for a change of support (through the eligibility check).
    ChangeRequest,
    /// Write to the caseworker.
    Message,
    /// Propose a payment plan (from the case page's planner).
    PaymentPlan,
    None,
}

impl AdviceAction {
    pub const ALL: [Self; 4] = [
        Self::ChangeRequest,
        Self::Message,
        Self::PaymentPlan,
        Self::None,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ChangeRequest => "change_request",
            Self::Message => "message",
            Self::PaymentPlan => "payment_plan",
            Self::None => "none",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|action| action.as_str() == name)
    }
}

/// An article in a list: where it is and what it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleLink {
    pub slug: String,
    pub title: String,
    pub summary: String,
}

/// An article as readers see it: its Markdown rendered and sanitised on the
/// server, configured values filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub html: String,
    pub action: AdviceAction,
    pub version: i32,
    /// When this version was published, in the agency's words (a date).
    pub published_on: String,
    /// The reader may edit it (a supervisor).
    pub editable: bool,
}

/// A glossary term and its plain definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub slug: String,
    pub term: String,
    pub definition: String,
    /// Related terms: (slug, term).
    pub see_also: Vec<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    Article,
    Term,
}

/// One search result, best first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub kind: HitKind,
    pub slug: String,
    pub title: String,
    /// The summary of an article, the definition of a term.
    pub excerpt: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: String,
    pub hits: Vec<SearchHit>,
    /// When nothing matched: where most people find their answer.
    pub suggestions: Vec<ArticleLink>,
}

/// The longest search people can type.
pub const MAX_QUERY_CHARS: usize = 200;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_read_back_from_their_names() {
        for action in AdviceAction::ALL {
            assert_eq!(AdviceAction::parse(action.as_str()), Some(action));
        }
        assert_eq!(AdviceAction::parse("call"), None);
    }
}
