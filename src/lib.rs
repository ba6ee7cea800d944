//! Lookout: a fast static dashboard for Sentry-compatible APIs — errors per server, issues with
//! their timelines, and traces — in a browser tab or on the team's wall display.
//!
//! `main.rs` only mounts [`App`]; pages own their data and hand ready-made rows to components.

pub mod api;
pub mod charts;
pub mod components;
pub mod i18n;
pub mod pages;
pub mod perf;
pub mod state;

use i18n::{t, I18n, Msg};
use leptos::prelude::*;
use leptos_router::components::{Outlet, ParentRoute, Route, Router, Routes};
use leptos_router::path;
use state::app::AppState;
use state::theme::Theme;

/// The path the app is hosted under, with a trailing slash (`/`, or `/lookout/` for a sub-path).
/// Read once from the page's `<base>`, which the build writes and nothing changes: every link
/// asks for it (a 100-row list, 100 times), and asking the document and parsing a URL each time
/// was a twentieth of the list's render.
pub fn base_path() -> String {
    thread_local! {
        static BASE: std::cell::OnceCell<String> = const { std::cell::OnceCell::new() };
    }
    BASE.with(|b| {
        b.get_or_init(|| {
            web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.base_uri().ok().flatten())
                .and_then(|b| web_sys::Url::new(&b).ok())
                .map(|u| u.pathname())
                .filter(|p| p.ends_with('/'))
                .unwrap_or_else(|| "/".into())
        })
        .clone()
    })
}

/// The app path the address opens (`/issues/12` under any base path), without a trailing slash.
pub fn opened_path() -> String {
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    let base = base_path();
    path.strip_prefix(base.trim_end_matches('/'))
        .unwrap_or(&path)
        .trim_end_matches('/')
        .to_owned()
}

/// An app path (`/issues`) under the base path.
pub fn href(path: &str) -> String {
    let base = base_path();
    format!("{}{}", base.trim_end_matches('/'), path)
}

/// A route's page. In the shipped build (the `split` feature: `cargo xtask dist` splits the wasm)
/// the pages that are seldom the first one opened are lazy routes: each one's code is a wasm chunk
/// of its own, fetched when the page is first opened, so the overview and the issue list (where
/// the team lands) load without it. Elsewhere (`trunk serve`, the wasm-bindgen tests) every page
/// is linked in as usual.
#[cfg(feature = "split")]
macro_rules! page {
    ($lazy:ident, $page:path) => {
        leptos_router::Lazy::<lazy::$lazy>::new()
    };
}
#[cfg(not(feature = "split"))]
macro_rules! page {
    ($lazy:ident, $page:path) => {
        $page
    };
}

/// The lazy routes of the split build: each page behind a split point. A chunk that fails to
/// load (the network, or a dashboard redeployed since the tab opened: the old chunks are gone)
/// shows why and how to recover instead of stopping the app.
#[cfg(feature = "split")]
mod lazy {
    use super::pages;
    use leptos::prelude::*;
    use leptos::wasm_split::{wasm_split, SplitLoaderError};

    /// A page whose code could not be fetched.
    pub struct NotLoaded;

    impl From<SplitLoaderError> for NotLoaded {
        fn from(_: SplitLoaderError) -> Self {
            NotLoaded
        }
    }

    fn or_notice(page: Result<AnyView, NotLoaded>) -> AnyView {
        page.unwrap_or_else(|NotLoaded| super::PageNotLoaded().into_any())
    }

    macro_rules! lazy_page {
        ($route:ident, $load:ident, $preload:ident, $page:path) => {
            pub struct $route;
            impl leptos_router::LazyRoute for $route {
                fn data() -> Self {
                    $route
                }
                async fn view(_: Self) -> AnyView {
                    or_notice($load().await)
                }
                async fn preload() {
                    let _ = $preload().await;
                }
            }
            #[wasm_split($load, wasm_split_path = ::leptos::wasm_split, fallible, preload($preload))]
            fn $load() -> Result<AnyView, NotLoaded> {
                Ok($page().into_any())
            }
        };
    }
    lazy_page!(Issue, issue_page, preload_issue, pages::issue::IssuePage);
    lazy_page!(
        Timeline,
        timeline_page,
        preload_timeline,
        pages::timeline::TimelinePage
    );
    lazy_page!(
        Performance,
        performance_page,
        preload_performance,
        pages::performance::PerformancePage
    );
    lazy_page!(
        Traces,
        traces_page,
        preload_traces,
        pages::traces::TracesPage
    );
    lazy_page!(Trace, trace_page, preload_trace, pages::trace::TracePage);
    lazy_page!(
        Settings,
        settings_page,
        preload_settings,
        pages::settings::SettingsPage
    );
    lazy_page!(Wall, wall_page, preload_wall, pages::wall::WallPage);

    /// Starts fetching the module of the page the address opens, while `config.json` is still
    /// on its way (the router asks for it only once the configuration is in).
    pub fn preload_opened_page() {
        let page = super::opened_path();
        wasm_bindgen_futures::spawn_local(async move {
            let _ = match page.as_str() {
                "/wall" => preload_wall().await,
                "/timeline" => preload_timeline().await,
                "/performance" => preload_performance().await,
                "/traces" => preload_traces().await,
                "/settings" => preload_settings().await,
                p if p.starts_with("/issues/") => preload_issue().await,
                p if p.starts_with("/trace/") => preload_trace().await,
                _ => Ok(()),
            };
        });
    }
}

/// In place of a page whose code could not be fetched: why, and a reload (which fetches the
/// dashboard as it is now).
#[cfg(feature = "split")]
#[component]
fn PageNotLoaded() -> impl IntoView {
    let reload = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    };
    view! {
        <div class="notice warn" role="alert" data-testid="page-not-loaded">
            <p>{t(Msg::PageNotLoaded)}</p>
            <button data-testid="page-reload" on:click=reload>{t(Msg::Reload)}</button>
        </div>
    }
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let i18n = I18n::detect();
    provide_context(i18n);
    provide_context(Theme::init());
    let app = AppState::init();
    provide_context(app);
    #[cfg(feature = "split")]
    lazy::preload_opened_page();
    let base = base_path().trim_end_matches('/').to_owned();
    // The pages start their requests when they render, so they render once config.json has
    // answered (a few milliseconds): rendering them earlier costs a layout and a re-render
    // while the requests wait.
    let configured =
        Memo::new(move |_| app.status.with(|s| *s != state::app::ConfigStatus::Loading));
    // Text is translated when rendered; a language switch renders everything again.
    move || {
        i18n.locale.track();
        if !configured.get() {
            return view! { <p class="muted boot" data-testid="booting">{t(Msg::Loading)}</p> }
                .into_any();
        }
        let base = base.clone();
        view! {
        <Router base=base>
            <Routes fallback=|| view! { <Chrome><NotFound /></Chrome> }>
                // The wall has no chrome: it is the whole screen.
                <Route path=path!("/wall") view=page!(Wall, pages::wall::WallPage) />
                <TestRoutes />
                // Every other page inside the same chrome (header, configuration notices).
                <ParentRoute path=path!("") view=Shell>
                    <Route path=path!("/") view=pages::overview::OverviewPage />
                    <Route path=path!("/issues") view=pages::issues::IssuesPage />
                    <Route path=path!("/issues/:id") view=page!(Issue, pages::issue::IssuePage) />
                    <Route path=path!("/timeline") view=page!(Timeline, pages::timeline::TimelinePage) />
                    <Route path=path!("/performance") view=page!(Performance, pages::performance::PerformancePage) />
                    <Route path=path!("/traces") view=page!(Traces, pages::traces::TracesPage) />
                    <Route path=path!("/trace/:trace_id") view=page!(Trace, pages::trace::TracePage) />
                    <Route path=path!("/settings") view=page!(Settings, pages::settings::SettingsPage) />
                </ParentRoute>
            </Routes>
        </Router>
        }
        .into_any()
    }
}

/// Asks whether a token that came in a link may replace the one saved for its source.
#[component]
pub fn LinkTokenQuestion() -> impl IntoView {
    let app = state::app::use_app();
    move || {
        app.link_token_pending.get().map(|(src, _)| {
            view! {
                <div class="notice warn" role="alertdialog" data-testid="link-token-question">
                    <p>{i18n::tf(Msg::TokenLinkAsk, &[&src.name, &src.host()])}</p>
                    <button data-testid="link-token-replace" on:click=move |_| app.answer_link_token(true)>{i18n::t(Msg::TokenLinkReplace)}</button>
                    " "
                    <button class="ghost" data-testid="link-token-keep" on:click=move |_| app.answer_link_token(false)>{i18n::t(Msg::TokenLinkKeep)}</button>
                </div>
            }
        })
    }
}

/// Routes that exist only in builds for tests and benchmarks.
#[cfg(feature = "test-hooks")]
#[component(transparent)]
fn TestRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! { <Route path=path!("/_bench/chart") view=pages::bench::ChartBench /> }.into_inner()
}

#[cfg(not(feature = "test-hooks"))]
#[component(transparent)]
fn TestRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! { <Route path=path!("/__no-test-hooks") view=NotFound /> }.into_inner()
}

/// The parent route of every page but the wall: the chrome around the matched page.
#[component]
fn Shell() -> impl IntoView {
    view! { <Chrome><Outlet /></Chrome> }
}

/// The chrome: the header, configuration problems, the no-source notice, token questions.
#[component]
fn Chrome(children: Children) -> impl IntoView {
    let app = state::app::use_app();
    let note = move || {
        use state::app::ConfigStatus;
        match app.status.get() {
            ConfigStatus::Invalid(problems) => {
                let text: Vec<String> =
                    problems.iter().map(pages::settings::problem_text).collect();
                Some(i18n::tf(
                    Msg::ConfigProblem,
                    &[&lookout_core::text::clip_display(&text.join("; "), 400)],
                ))
            }
            ConfigStatus::Missing(e) => Some(i18n::tf(
                Msg::ConfigMissing,
                &[&lookout_core::text::clip_display(&e, 200)],
            )),
            _ => None,
        }
    };
    view! {
        <components::nav::Header />
        <main id="main">
            {move || note().map(|n| view! { <div class="error" role="alert" data-testid="config-problem">{n}</div> })}
            // Without a source every panel would stay empty: say why, and where to fix it.
            {move || app.sources().is_empty().then(|| view! {
                <div class="notice" data-testid="no-sources">{t(Msg::NoSources)}" "<a href=href("/settings")>{t(Msg::NavSettings)}</a></div>
            })}
            {move || app.link_token_for.get().map(|s| view! { <div class="notice" data-testid="link-token">{i18n::tf(Msg::TokenStoredFromLink, &[&s])}</div> })}
            <LinkTokenQuestion />
            {children()}
        </main>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <section class="panel" data-testid="not-found">
            <h1>{t(Msg::NotFoundTitle)}</h1>
            <p>{t(Msg::NotFoundBody)}</p>
            <a href=href("/")>{t(Msg::BackToOverview)}</a>
        </section>
    }
}

/// Mounts the app on `<body>`.
pub fn mount() {
    // Boot milestones for the benchmark's breakdown of the first load.
    perf::mark("lookout:start");
    console_error_panic_hook_lite();
    // The benchmark reads the linear memory's size (the wasm heap) next to the JS heap.
    if let Some(w) = web_sys::window() {
        let _ = js_sys::Reflect::set(&w, &"__lookoutWasmMemory".into(), &wasm_bindgen::memory());
    }
    leptos::mount::mount_to_body(App);
    perf::mark("lookout:mounted");
}

/// Reports panics to the console (without the extra crate).
fn console_error_panic_hook_lite() {
    std::panic::set_hook(Box::new(|info| {
        let text = info.to_string();
        web_sys::console::error_1(&text.clone().into());
        // Kept on the page so end-to-end tests can assert that nothing panicked.
        if let Some(w) = web_sys::window() {
            let list = js_sys::Reflect::get(&w, &"__lookoutPanics".into())
                .ok()
                .filter(|v| v.is_object())
                .unwrap_or_else(|| js_sys::Array::new().into());
            js_sys::Array::from(&list).push(&text.into());
            let _ = js_sys::Reflect::set(&w, &"__lookoutPanics".into(), &list);
        }
    }));
}
