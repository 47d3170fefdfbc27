//! The advice the portal ships with, compiled in from `app/content/`:
//! `advice/{locale}/{slug}.md` (TOML front matter between `+++` lines, then
//! Markdown) and `glossary.toml`. Loaded into the database on start and by
//! `server seed`; supervisors edit it there afterwards.

use include_dir::{include_dir, Dir};
use serde::Deserialize;
use thiserror::Error;

use super::model::AdviceAction;

static CONTENT: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/content");

/// The languages articles are written in.
pub const LOCALES: [&str; 2] = ["en", "es"];

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ContentError {
    #[error("{file}: no TOML front matter between `+++` lines")]
    NoFrontMatter { file: String },
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
    #[error("{0} is missing")]
    Missing(String),
}

/// One article file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleFile {
    pub slug: String,
    pub locale: String,
    pub position: i32,
    pub title: String,
    pub summary: String,
    pub keywords: Vec<String>,
    pub action: AdviceAction,
    pub body: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    summary: String,
    action: String,
    order: i32,
    keywords: Vec<String>,
}

/// Every article file, in every language.
pub fn articles() -> Result<Vec<ArticleFile>, ContentError> {
    let mut articles = Vec::new();
    for locale in LOCALES {
        let folder = CONTENT
            .get_dir(format!("advice/{locale}"))
            .ok_or_else(|| ContentError::Missing(format!("advice/{locale}")))?;
        for file in folder.files() {
            let path = file.path().display().to_string();
            let Some(slug) = file.path().file_stem().and_then(|stem| stem.to_str()) else {
                continue;
            };
            let text = file.contents_utf8().ok_or_else(|| ContentError::Invalid {
                file: path.clone(),
                message: "not UTF-8".into(),
            })?;
            articles.push(read_article(&path, slug, locale, text)?);
        }
    }
    articles.sort_by(|a, b| (&a.locale, a.position).cmp(&(&b.locale, b.position)));
    Ok(articles)
}

fn read_article(
    path: &str,
    slug: &str,
    locale: &str,
    text: &str,
) -> Result<ArticleFile, ContentError> {
    let invalid = |message: String| ContentError::Invalid {
        file: path.to_owned(),
        message,
    };
    let (front, body) = split_front_matter(text).ok_or_else(|| ContentError::NoFrontMatter {
        file: path.to_owned(),
    })?;
    let front: FrontMatter = toml::from_str(front).map_err(|e| invalid(e.to_string()))?;
    let action = AdviceAction::parse(&front.action)
        .ok_or_else(|| invalid(format!("unknown action {}", front.action)))?;
    Ok(ArticleFile {
        slug: slug.to_owned(),
        locale: locale.to_owned(),
        position: front.order,
        title: front.title,
        summary: front.summary,
        keywords: front.keywords,
        action,
        body: body.trim().to_owned(),
    })
}

/// `+++\n{toml}\n+++\n{markdown}` → (toml, markdown).
fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("+++")?.trim_start_matches(['\r', '\n']);
    let end = rest.find("\n+++")?;
    let body = rest[end + 4..].trim_start_matches(['\r', '\n']);
    Some((&rest[..end], body))
}

/// A glossary entry in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermFile {
    pub slug: String,
    #[serde(default)]
    pub see_also: Vec<String>,
    pub en: Definition,
    pub es: Definition,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    pub term: String,
    pub definition: String,
}

impl TermFile {
    pub fn in_locale(&self, locale: &str) -> &Definition {
        match locale {
            "es" => &self.es,
            _ => &self.en,
        }
    }
}

#[derive(Deserialize)]
struct Glossary {
    term: Vec<TermFile>,
}

/// Every glossary term.
pub fn glossary() -> Result<Vec<TermFile>, ContentError> {
    let file = CONTENT
        .get_file("glossary.toml")
        .ok_or_else(|| ContentError::Missing("glossary.toml".into()))?;
    let text = file.contents_utf8().unwrap_or_default();
    let glossary: Glossary = toml::from_str(text).map_err(|e| ContentError::Invalid {
        file: "glossary.toml".into(),
        message: e.to_string(),
    })?;
    Ok(glossary.term)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn front_matter_is_split_from_the_body() {
        let text = "+++\ntitle = \"T\"\n+++\n\n## Body\n";
        assert_eq!(
            split_front_matter(text),
            Some(("title = \"T\"", "## Body\n"))
        );
        assert_eq!(split_front_matter("## No front matter"), None);
        assert_eq!(split_front_matter("+++\ntitle = \"T\"\n"), None);
    }

    #[test]
    fn every_article_is_in_both_languages_and_reads() {
        let articles = articles().unwrap_or_else(|e| panic!("{e}"));
        let slugs = |locale: &str| -> BTreeSet<String> {
            articles
                .iter()
                .filter(|a| a.locale == locale)
                .map(|a| a.slug.clone())
                .collect()
        };
        assert!(slugs("en").len() >= 12, "{:?}", slugs("en"));
        assert_eq!(slugs("en"), slugs("es"));
        for article in &articles {
            assert!(!article.title.is_empty() && !article.body.is_empty());
            assert!(article.summary.chars().count() <= 160, "{}", article.slug);
        }
    }

    #[test]
    fn the_glossary_has_thirty_terms_and_its_links_resolve() {
        let terms = glossary().unwrap_or_else(|e| panic!("{e}"));
        assert!(terms.len() >= 30, "{}", terms.len());
        let slugs: BTreeSet<&str> = terms.iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(slugs.len(), terms.len(), "a slug appears twice");
        for term in &terms {
            for other in &term.see_also {
                assert!(slugs.contains(other.as_str()), "{} → {other}", term.slug);
            }
        }
        // Every link in an article leads to a term or an article that exists.
        let articles = articles().unwrap_or_else(|e| panic!("{e}"));
        let pages: BTreeSet<&str> = articles.iter().map(|a| a.slug.as_str()).collect();
        for article in &articles {
            for piece in article.body.split("](/advice/").skip(1) {
                let target: String = piece
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '#'))
                    .collect();
                let found = match target.split_once('#') {
                    Some(("glossary", term)) => slugs.contains(term),
                    Some(_) => false,
                    None => pages.contains(target.as_str()) || target == "glossary",
                };
                assert!(found, "{} links to /advice/{target}", article.slug);
            }
        }
    }
}
