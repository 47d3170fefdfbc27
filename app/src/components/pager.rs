//! Lists too long for one page: where a page is in its list (worked out on
//! the server, where the list is counted) and the links to the pages beside
//! it, which keep the rest of the address's query.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::i18n::*;

/// One page of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageOf {
    /// 1-based.
    pub page: u32,
    pub pages: u32,
    /// Items in the whole list.
    pub matching: u64,
}

impl PageOf {
    /// Page `asked` (kept within the list) of `matching` items, `per_page`
    /// to a page, and how many items come before it.
    pub fn at(matching: u64, per_page: u64, asked: u32) -> (Self, u64) {
        let pages = matching.div_ceil(per_page.max(1)).max(1);
        let page = u64::from(asked.max(1)).min(pages);
        let paging = PageOf {
            page: u32::try_from(page).unwrap_or(u32::MAX),
            pages: u32::try_from(pages).unwrap_or(u32::MAX),
            matching,
        };
        (paging, (page - 1) * per_page)
    }
}

/// Which way a list runs, for the words on its links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    NewestFirst,
    OldestFirst,
}

/// Links to the pages before and after, under the query parameter `param`,
/// and where this page is (with `children` after it, e.g. a count). Plain
/// links: the router's would mark them as the current page (they differ
/// from it only in the query). A list of one page shows it only `always`.
#[component]
pub fn Pager(
    paging: PageOf,
    order: Order,
    #[prop(default = "page")] param: &'static str,
    #[prop(optional)] always: bool,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let PageOf { page, pages, .. } = paging;
    let href = move |to: u32| {
        let mut params = query.get_untracked();
        params.replace(param, to.to_string());
        params.to_query_string()
    };
    let (back, forward) = match order {
        Order::NewestFirst => (
            t_string!(i18n, history.newer),
            t_string!(i18n, history.older),
        ),
        Order::OldestFirst => (t_string!(i18n, pager.earlier), t_string!(i18n, pager.later)),
    };
    (always || pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label=move || t_string!(i18n, history.pages_label).to_string()>
                {(page > 1).then(|| view! { <a href=href(page - 1)>{back}</a> })}
                <span>
                    {t!(i18n, history.page_of, page = move || page, pages = move || pages)}
                    {children.map(|children| children())}
                </span>
                {(page < pages).then(|| view! { <a href=href(page + 1)>{forward}</a> })}
            </nav>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_kept_within_its_list() {
        assert_eq!(
            PageOf::at(0, 50, 1).0,
            PageOf {
                page: 1,
                pages: 1,
                matching: 0
            }
        );
        assert_eq!(
            PageOf::at(120, 50, 3),
            (
                PageOf {
                    page: 3,
                    pages: 3,
                    matching: 120
                },
                100
            )
        );
        assert_eq!(
            PageOf::at(120, 50, 9).0.page,
            3,
            "past the end: the last page"
        );
        assert_eq!(PageOf::at(120, 50, 0).1, 0, "page 0: the first");
        assert_eq!(PageOf::at(120, 50, u32::MAX).1, 100);
    }
}
