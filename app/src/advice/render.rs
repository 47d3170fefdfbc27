//! From an article's Markdown to what a reader gets: the agency's configured
//! values filled in, rendered by pulldown-cmark and sanitised by ammonia
//! (whatever a supervisor typed, no script or handler reaches a page).

use pulldown_cmark::{html, Event, Options, Parser, TagEnd};

/// The configured values articles may name as `{{name}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values(Vec<(&'static str, String)>);

impl Values {
    pub fn new(pairs: impl IntoIterator<Item = (&'static str, String)>) -> Self {
        Self(pairs.into_iter().collect())
    }

    /// The names an article may use.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.iter().map(|(name, _)| *name)
    }

    /// `text` with each known `{{name}}` replaced; an unknown one is left as
    /// written, so a typo shows in the preview instead of vanishing.
    pub fn fill(&self, text: &str) -> String {
        let mut filled = text.to_owned();
        for (name, value) in &self.0 {
            filled = filled.replace(&format!("{{{{{name}}}}}"), value);
        }
        filled
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Safe HTML for `markdown`.
pub fn to_html(markdown: &str) -> String {
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options()));
    ammonia::clean(&unsafe_html)
}

/// The words of `markdown` without its markup, for the search index.
pub fn to_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(words) | Event::Code(words) => text.push_str(&words),
            // Blocks end in a space; a link or emphasis ends mid-sentence.
            Event::End(TagEnd::Link | TagEnd::Emphasis | TagEnd::Strong) => {}
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_values_are_filled_in_and_typos_stay_visible() {
        let values = Values::new([("reply_business_days", "2".to_owned())]);
        assert_eq!(
            values.fill("within {{reply_business_days}} days, {{reply_days}}"),
            "within 2 days, {{reply_days}}"
        );
    }

    #[test]
    fn markdown_renders_and_scripts_do_not() {
        let html = to_html(
            "## Steps\n\n1. **Ask** [here](/advice/documents)\n\n<script>alert(1)</script>\n\n<a href=\"javascript:alert(1)\" onclick=\"x()\">x</a>",
        );
        assert!(html.contains("<h2>Steps</h2>"), "{html}");
        assert!(html.contains("<strong>Ask</strong>"), "{html}");
        assert!(html.contains("href=\"/advice/documents\""), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
    }

    #[test]
    fn the_text_keeps_the_words_only() {
        assert_eq!(
            to_text("## Title\n\nSome *words* and [a link](/x).\n- one\n- two"),
            "Title Some words and a link. one two"
        );
    }
}
