//! The HTML document and the application root.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, MatchNestedRoutes, SsrMode,
};

use crate::account::pages::{
    ActivatePage, ForgotPasswordPage, SecondStepPage, SecurityPage, SignInPage, SignOutButton,
    SignOutPage,
};
use crate::advice::check_page::EligibilityPage;
use crate::advice::edit_pages::{AdviceDeskPage, AdviceEditorPage};
use crate::advice::pages::{AdvicePage, ArticlePage, GlossaryPage};
use crate::balance::case_page::CasePage;
use crate::balance::history_page::HistoryPage;
use crate::balance::months_page::MonthsPage;
use crate::balance::pages::MyCasesPage;
use crate::balance::statement_page::StatementPage;
use crate::caseworker::case_file_page::CaseFilePage;
use crate::caseworker::caseload_page::CaseloadPage;
use crate::caseworker::posting_page::{OrderPage, PostingPage};
use crate::components::layout::{this_address, ErrorPage, SiteFooter, SiteHeader, SkipLink};
use crate::components::quick_exit::QuickExit;
use crate::i18n::*;
use crate::messages::pages::{ConversationPage, MessagesPage};
use crate::messages::work_page::WorkPage;
use crate::notifications::pages::NotificationsPage;
use crate::pwa::{KeepFirstPage, OfflineNotice, OfflinePage, UpdatePrompt, THEME_COLOUR};
use crate::requests::pages::{
    case_requests_section, ChangeRequestPage, PlanRequestPage, RequestPage,
};
use crate::site::{HomePage, NotFound};
use crate::staff::pages::StaffPage;

/// The document around the app. Only the server renders it.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <meta name="theme-color" content=THEME_COLOUR />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                <link rel="manifest" href="/manifest.webmanifest" />
                // The build's names: fingerprinted in a release (server/src/bundle.rs).
                <HashedStylesheet options=options.clone() id="portal" />
                <HydrationScripts options islands=true islands_router=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        <I18nContextProvider>
            <Title formatter=|page: String| format!("{page} · Child Support Portal") />
            <Router>
                <SkipLink />
                <QuickExit />
                <SiteHeader>
                    <SignOutButton />
                </SiteHeader>
                <KeepFirstPage address=this_address() />
                <main id="main" tabindex="-1">
                    <OfflineNotice />
                    <UpdatePrompt />
                    <ErrorBoundary fallback=|errors| view! { <ErrorPage errors /> }>
                        // Async: the whole page is rendered before it is sent, so it is
                        // complete without JavaScript and can carry its HTTP status.
                        <Routes fallback=NotFound>
                            <PublicRoutes />
                            <SignedInRoutes />
                            <StaffRoutes />
                        </Routes>
                    </ErrorBoundary>
                </main>
                <SiteFooter />
                <Hydrated />
            </Router>
        </I18nContextProvider>
    }
}

/// The pages anyone may reach: home, advice, and the way into and out of
/// an account (each account page asks for what it needs).
#[component(transparent)]
fn PublicRoutes() -> impl MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
        <Route path=path!("/login") view=SignInPage ssr=SsrMode::Async />
        <Route path=path!("/offline") view=OfflinePage ssr=SsrMode::Async />
        <Route path=path!("/advice") view=AdvicePage ssr=SsrMode::Async />
        <Route path=path!("/advice/check") view=EligibilityPage ssr=SsrMode::Async />
        <Route path=path!("/advice/glossary") view=GlossaryPage ssr=SsrMode::Async />
        <Route path=path!("/advice/:slug") view=ArticlePage ssr=SsrMode::Async />
        <Route path=path!("/activate") view=ActivatePage ssr=SsrMode::Async />
        <Route path=path!("/logout") view=SignOutPage ssr=SsrMode::Async />
        <Route path=path!("/login/second-step") view=SecondStepPage ssr=SsrMode::Async />
        <Route path=path!("/account/security") view=SecurityPage ssr=SsrMode::Async />
        <Route path=path!("/forgot-password") view=ForgotPasswordPage ssr=SsrMode::Async />
    }
    .into_inner()
}

/// A signed-in person's pages: a parent's cases, and the conversations,
/// requests and notices that parents and staff both open.
#[component(transparent)]
fn SignedInRoutes() -> impl MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("/dashboard") view=MyCasesPage ssr=SsrMode::Async />
        <Route path=path!("/messages") view=MessagesPage ssr=SsrMode::Async />
        <Route path=path!("/notifications") view=NotificationsPage ssr=SsrMode::Async />
        <Route path=path!("/messages/:id") view=ConversationPage ssr=SsrMode::Async />
        <Route path=path!("/cases/:number") view=|| view! { <CasePage requests=case_requests_section /> } ssr=SsrMode::Async />
        <Route path=path!("/cases/:number/history") view=HistoryPage ssr=SsrMode::Async />
        <Route path=path!("/cases/:number/months") view=MonthsPage ssr=SsrMode::Async />
        <Route path=path!("/cases/:number/statement") view=StatementPage ssr=SsrMode::Async />
        <Route path=path!("/cases/:number/plan") view=PlanRequestPage ssr=SsrMode::Async />
        <Route path=path!("/cases/:number/change") view=ChangeRequestPage ssr=SsrMode::Async />
        <Route path=path!("/requests/:id") view=RequestPage ssr=SsrMode::Async />
    }
    .into_inner()
}

/// The caseworkers' and supervisors' desk.
#[component(transparent)]
fn StaffRoutes() -> impl MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("/work") view=WorkPage ssr=SsrMode::Async />
        <Route path=path!("/caseload") view=CaseloadPage ssr=SsrMode::Async />
        <Route path=path!("/staff") view=StaffPage ssr=SsrMode::Async />
        <Route path=path!("/staff/advice") view=AdviceDeskPage ssr=SsrMode::Async />
        <Route path=path!("/staff/advice/:locale/:slug") view=AdviceEditorPage ssr=SsrMode::Async />
        <Route path=path!("/caseload/:number") view=CaseFilePage ssr=SsrMode::Async />
        <Route path=path!("/caseload/:number/post") view=PostingPage ssr=SsrMode::Async />
        <Route path=path!("/caseload/:number/order") view=OrderPage ssr=SsrMode::Async />
    }
    .into_inner()
}

/// Sets `data-hydrated` on `<body>` once the browser has started the page's
/// islands: they start in the order of the page, and this one is last.
/// Effects never run on the server, so a page without JavaScript never has
/// it; the end-to-end tests wait for it before they click.
#[island]
fn Hydrated() -> impl IntoView {
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
