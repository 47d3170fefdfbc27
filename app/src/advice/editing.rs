//! Supervisors' editing of advice: the words they type, what the editor
//! shows, and the rules an edit meets before it is kept or published. A
//! draft may be unfinished; a published version may not.

use serde::{Deserialize, Serialize};

use super::model::AdviceAction;
use crate::error::{AppError, Field, Problem};
use crate::reading::Problems;

pub const MAX_TITLE_CHARS: usize = 120;
pub const MAX_SUMMARY_CHARS: usize = 300;
pub const MAX_KEYWORDS_CHARS: usize = 300;
pub const MAX_BODY_CHARS: usize = 20_000;

/// An article's words as the editor's form sends them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ArticleFields {
    pub title: String,
    pub summary: String,
    /// Comma-separated words the article is also found by.
    pub keywords: String,
    /// An [`AdviceAction`] by name.
    pub action: String,
    /// Markdown, with `{{name}}` for the agency's configured values.
    pub body: String,
}

impl ArticleFields {
    /// Tidied for keeping: trimmed, line endings made `\n`, each field
    /// within its length. (A draft may still be unfinished.)
    pub fn tidy(self) -> Result<Self, AppError> {
        let mut problems = Problems::default();
        let mut within = |field, text: String, max: usize| {
            let text = text.replace("\r\n", "\n").trim().to_owned();
            problems.take(
                field,
                match text.chars().count() > max {
                    true => Err(Problem::TooLong),
                    false => Ok(text),
                },
            )
        };
        let title = within(Field::Title, self.title, MAX_TITLE_CHARS);
        let summary = within(Field::Summary, self.summary, MAX_SUMMARY_CHARS);
        let keywords = within(Field::Keywords, self.keywords, MAX_KEYWORDS_CHARS);
        let body = within(Field::Body, self.body, MAX_BODY_CHARS);
        let action = self.action.trim().to_owned();
        let tidy = match (title, summary, keywords, body) {
            (Some(title), Some(summary), Some(keywords), Some(body)) => Some(Self {
                title,
                summary,
                keywords,
                action,
                body,
            }),
            _ => None,
        };
        problems.finish(tidy)
    }

    /// What publishing needs on top: a title, a summary, a body, a next
    /// step from the list, and no `{{name}}` that `known` does not name.
    pub fn ready_to_publish(&self, known: &[&str]) -> Result<AdviceAction, AppError> {
        let mut problems = Problems::default();
        for (field, text) in [
            (Field::Title, &self.title),
            (Field::Summary, &self.summary),
            (Field::Body, &self.body),
        ] {
            if text.trim().is_empty() {
                problems.add(field, Problem::Required);
            }
        }
        for (field, text) in [
            (Field::Title, &self.title),
            (Field::Summary, &self.summary),
            (Field::Body, &self.body),
        ] {
            if placeholders(text).any(|name| !known.contains(&name)) {
                problems.add(field, Problem::UnknownPlaceholder);
            }
        }
        let action = problems.take(
            Field::NextStep,
            AdviceAction::parse(&self.action).ok_or(Problem::NotAChoice),
        );
        problems.finish(action)
    }
}

/// The names of the `{{name}}` placeholders in `text`, in order.
pub fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split("{{").skip(1).filter_map(|rest| {
        let (name, _) = rest.split_once("}}")?;
        Some(name.trim())
    })
}

/// What the editor's form asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    /// Keep the draft and show it as readers would see it.
    Preview,
    Publish,
    /// Drop the draft, back to what is published.
    Discard,
}

impl Intent {
    pub const ALL: [Self; 3] = [Self::Preview, Self::Publish, Self::Discard];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Preview => "preview",
            Self::Publish => "publish",
            Self::Discard => "discard",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|intent| intent.as_str() == name)
    }
}

/// What became of an edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Saved {
    Draft,
    /// Published as this version.
    Published(i32),
    Discarded,
}

/// Who wrote a version: a supervisor, or the repository's files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Author {
    Supervisor(String),
    Repository,
}

/// One article in one language, on the list of articles to edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorRow {
    pub slug: String,
    pub locale: String,
    pub title: String,
    pub version: i32,
    pub published_on: String,
    pub author: Author,
    /// Who saved the unpublished draft, if there is one.
    pub draft_by: Option<String>,
}

/// A draft waiting to be published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftNote {
    pub by: String,
    /// When it was saved last, in the agency's time (`YYYY-MM-DD HH:MM`).
    pub saved_at: String,
}

/// An article as readers would see the editor's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    pub title: String,
    pub summary: String,
    /// Rendered and sanitised on the server.
    pub html: String,
}

/// A published version, in the list of versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionRow {
    pub version: i32,
    pub title: String,
    pub published_on: String,
    pub author: Author,
}

/// The editor of one article in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Editor {
    pub slug: String,
    pub locale: String,
    /// The version readers see now: an edit starts from it.
    pub based_on: i32,
    /// The draft's words, or the published version's when there is none.
    pub fields: ArticleFields,
    pub draft: Option<DraftNote>,
    pub preview: Preview,
    /// Newest first.
    pub versions: Vec<VersionRow>,
    /// The `{{name}}`s an article may use.
    pub placeholders: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(title: &str, summary: &str, action: &str, body: &str) -> ArticleFields {
        ArticleFields {
            title: title.to_owned(),
            summary: summary.to_owned(),
            keywords: String::new(),
            action: action.to_owned(),
            body: body.to_owned(),
        }
    }

    fn problems(error: AppError) -> Vec<(Field, Problem)> {
        match error {
            AppError::Invalid(list) => list.into_iter().map(|e| (e.field, e.problem)).collect(),
            other => panic!("not a form problem: {other:?}"),
        }
    }

    #[test]
    fn tidying_trims_and_keeps_unfinished_drafts() {
        let tidy = fields("  Title ", "", "", "Line one\r\nLine two\r\n")
            .tidy()
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(tidy.title, "Title");
        assert_eq!(tidy.body, "Line one\nLine two");
        assert_eq!(tidy.summary, "");
    }

    #[test]
    fn tidying_refuses_what_is_too_long_at_its_field() {
        let long = "x".repeat(MAX_TITLE_CHARS + 1);
        let error = fields(&long, "", "", "").tidy().err();
        assert_eq!(
            error.map(problems),
            Some(vec![(Field::Title, Problem::TooLong)])
        );
        // Characters, not bytes: accented Spanish fits as typed.
        let accents = "á".repeat(MAX_TITLE_CHARS);
        assert!(fields(&accents, "", "", "").tidy().is_ok());
    }

    #[test]
    fn publishing_needs_every_part_and_known_placeholders() {
        let known = ["agency_phone"];
        let ready = fields("T", "S", "message", "Call {{agency_phone}}.");
        assert_eq!(
            ready.ready_to_publish(&known).ok(),
            Some(AdviceAction::Message)
        );

        let empty = fields("", " ", "call", "");
        assert_eq!(
            empty.ready_to_publish(&known).err().map(problems),
            Some(vec![
                (Field::Title, Problem::Required),
                (Field::Summary, Problem::Required),
                (Field::Body, Problem::Required),
                (Field::NextStep, Problem::NotAChoice),
            ])
        );

        let typo = fields("T", "S", "none", "Call {{agency_phon}}.");
        assert_eq!(
            typo.ready_to_publish(&known).err().map(problems),
            Some(vec![(Field::Body, Problem::UnknownPlaceholder)])
        );
    }

    #[test]
    fn placeholders_are_read_in_order() {
        let names: Vec<&str> = placeholders("{{a}} and {{ b }}, not {c} or {{d").collect();
        assert_eq!(names, ["a", "b"]);
    }

    #[test]
    fn intents_read_back_from_their_names() {
        for intent in Intent::ALL {
            assert_eq!(Intent::parse(intent.as_str()), Some(intent));
        }
        assert_eq!(Intent::parse("delete"), None);
    }
}
