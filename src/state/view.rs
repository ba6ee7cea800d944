//! The URL is the state of a view: source, projects, environments and time range (and each page's
//! own keys). Every screen can be shared as a link.

use super::app::{use_app, SourceMeta};
use super::clock::SourceClock;
use crate::api::client::Api;
use crate::api::client::Cancel;
use crate::state::loader::{use_load, Load};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use lookout_core::config::SourceConfig;
use lookout_core::time::TimeRange;
use lookout_core::ApiError;
use std::future::Future;
use std::sync::Arc;

/// The filters every data page shares.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ViewScope {
    pub source: Option<String>,
    pub projects: Vec<String>,
    pub environments: Vec<String>,
    pub range: TimeRange,
}

fn list(v: Option<String>) -> Vec<String> {
    v.map(|s| {
        s.split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
            .collect()
    })
    .unwrap_or_default()
}

/// Reads the shared filters from the URL.
pub fn use_view_scope() -> Memo<ViewScope> {
    let q = use_query_map();
    Memo::new(move |_| {
        q.with(|q| ViewScope {
            source: q.get("source"),
            projects: list(q.get("project")),
            environments: list(q.get("env")),
            range: TimeRange::from_params(
                q.get("range").as_deref(),
                q.get("start").as_deref(),
                q.get("end").as_deref(),
            ),
        })
    })
}

/// One query parameter (reactive).
pub fn use_param(key: &'static str) -> Memo<Option<String>> {
    let q = use_query_map();
    Memo::new(move |_| q.with(|q| q.get(key)).filter(|v| !v.is_empty()))
}

/// Changes query parameters of the current page (`None` removes one), replacing the history
/// entry unless `push` is set.
pub fn use_set_query() -> impl Fn(&[(&str, Option<String>)], bool) + Clone + 'static {
    let navigate = use_navigate();
    let location = use_location();
    move |updates: &[(&str, Option<String>)], push: bool| {
        let path = location.pathname.get_untracked();
        let mut pairs = lookout_core::query::parse_query_string(&location.search.get_untracked());
        for (k, v) in updates {
            pairs.retain(|(key, _)| key != k);
            if let Some(v) = v.as_ref().filter(|v| !v.is_empty()) {
                pairs.push(((*k).to_owned(), v.clone()));
            }
        }
        let qs = lookout_core::query::Params(pairs).encode();
        let url = if qs.is_empty() {
            path
        } else {
            format!("{path}?{qs}")
        };
        navigate(
            &url,
            NavigateOptions {
                replace: !push,
                scroll: false,
                ..Default::default()
            },
        );
    }
}

impl ViewScope {
    /// The part of the view an API request needs (projects, environments, time range).
    pub fn api_scope(&self) -> crate::api::scope::Scope {
        crate::api::scope::Scope {
            projects: self.projects.clone(),
            environments: self.environments.clone(),
            range: self.range.clone(),
        }
    }
}

/// A link to the issue list filtered to one or more values of a dimension (unresolved only).
pub fn issues_href(scope: &ViewScope, field: &str, values: &[String]) -> String {
    use lookout_core::query::{quote_search_value, search_in};
    let q = if values.len() == 1 {
        format!("is:unresolved {field}:{}", quote_search_value(&values[0]))
    } else {
        format!("is:unresolved {}", search_in(field, values))
    };
    scoped_href(&crate::href("/issues"), scope, &[("query", q)])
}

/// A link to another page keeping the shared filters (source, projects, environments, range).
pub fn scoped_href(path: &str, scope: &ViewScope, extra: &[(&str, String)]) -> String {
    let mut p = lookout_core::query::Params::new()
        .push_opt("source", scope.source.clone())
        .push_opt("project", Some(scope.projects.join(",")))
        .push_opt("env", Some(scope.environments.join(",")));
    for (k, v) in scope.range.url_params() {
        if !(k == "range" && v == "24h") {
            p = p.push(&k, v);
        }
    }
    for (k, v) in extra {
        p = p.push(k, v.clone());
    }
    let qs = p.encode();
    if qs.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{qs}")
    }
}

/// What a data page needs: its filters, its source, the source's metadata and clock.
#[derive(Clone, Copy)]
pub struct PageCtx {
    pub scope: Memo<ViewScope>,
    pub source: Memo<Option<SourceConfig>>,
    pub meta: Signal<Option<Arc<SourceMeta>>>,
    /// The client for data that needs no feature flags: ready at once when the source's `kind`
    /// is configured or was detected here before (no round trip to detect it), else when its
    /// metadata has loaded.
    pub api: Memo<Option<Api>>,
    pub meta_error: Signal<Option<ApiError>>,
    pub clock: Signal<Option<SourceClock>>,
    period_ms: RwSignal<f64>,
}

impl PageCtx {
    /// The current tick of the source's refresh clock (0 before there is a source).
    pub fn tick(&self) -> u64 {
        self.clock.get().map_or(0, |c| c.tick.get())
    }

    /// Loads one panel's data: `fetch(query)` whenever `query` changes, and again on every
    /// refresh of the source's clock; each outcome feeds the clock (backoff, the stale badge).
    /// `query` returns `None` while something it needs is missing (no source yet). The last good
    /// data stays while a refresh fails (see [`Load`]).
    ///
    /// ```ignore
    /// let ctx = use_page();
    /// let issue = ctx.load(
    ///     move || Some((ctx.api.get()?, id.get())),
    ///     |(api, id), cancel| async move { api::issue::issue(&api, &id, &[], &cancel).await },
    /// );
    /// // Figures that change slowly: every fifth refresh.
    /// let tags = ctx.load_with(key, fetch_tags, LoadOptions::slow());
    /// view! { {load_state(issue, |_| false)} /* … issue.data.get() … */ }
    /// ```
    pub fn load<Q, T, F, Fut>(&self, query: impl Fn() -> Option<Q> + 'static, fetch: F) -> Load<T>
    where
        Q: Clone + PartialEq + 'static,
        T: Send + Sync + 'static,
        F: Fn(Q, Cancel) -> Fut + 'static,
        Fut: Future<Output = Result<T, ApiError>> + 'static,
    {
        self.load_with(query, fetch, LoadOptions::default())
    }

    /// [`PageCtx::load`] with options: how often it refreshes.
    pub fn load_with<Q, T, F, Fut>(
        &self,
        query: impl Fn() -> Option<Q> + 'static,
        fetch: F,
        options: LoadOptions,
    ) -> Load<T>
    where
        Q: Clone + PartialEq + 'static,
        T: Send + Sync + 'static,
        F: Fn(Q, Cancel) -> Fut + 'static,
        Fut: Future<Output = Result<T, ApiError>> + 'static,
    {
        let ctx = *self;
        let every = options.every;
        use_load(
            query,
            move || ctx.tick().checked_div(every).unwrap_or(0),
            fetch,
            move |r| ctx.report(r),
        )
    }

    /// Reports a load outcome to the source's clock.
    pub fn report(&self, r: &Result<(), ApiError>) {
        if let Some(c) = self.clock.get_untracked() {
            match r {
                Ok(()) => c.report_ok(),
                Err(e) => c.report_err(e, self.period_ms.get_untracked()),
            }
        }
    }
}

/// How a page's load follows the source's refresh clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadOptions {
    /// Refresh on every `every`-th tick; 0: only when the query changes.
    every: u64,
}

impl Default for LoadOptions {
    /// On every refresh.
    fn default() -> Self {
        LoadOptions { every: 1 }
    }
}

impl LoadOptions {
    /// Every fifth refresh: figures that change slowly (distributions, tags, extras).
    pub fn slow() -> Self {
        LoadOptions { every: 5 }
    }

    /// Once per query, never refreshed (an event, a trace: they do not change).
    pub fn once() -> Self {
        LoadOptions { every: 0 }
    }
}

/// The context of a data page.
pub fn use_page() -> PageCtx {
    let app = use_app();
    let scope = use_view_scope();
    let source = Memo::new(move |_| {
        app.config.track();
        scope.with(|s| app.source(s.source.as_deref()))
    });
    let load = move || {
        app.version.track();
        source.get().map(|s| app.meta(&s))
    };
    let meta = Signal::derive(move || load().and_then(|l| l.data.get()));
    let api = Memo::new(move |_| {
        app.version.track();
        let s = source.get()?;
        if s.kind.is_some() {
            return Some(crate::state::app::source_api(&s, None));
        }
        if let Some(m) = meta.get() {
            // Equal to the remembered client below when the kind was right: no query reruns.
            return Some(Api {
                features: Arc::new(Vec::new()),
                ..m.api.clone()
            });
        }
        // Before the metadata: the kind this browser detected here last time (a round trip
        // less); the metadata's answer replaces it if the server has changed.
        let kind = crate::state::app::remembered_kind(&s)?;
        Some(crate::state::app::source_api(
            &SourceConfig {
                kind: Some(kind),
                ..s
            },
            None,
        ))
    });
    PageCtx {
        scope,
        source,
        meta,
        api,
        meta_error: Signal::derive(move || load().and_then(|l| l.error.get())),
        clock: Signal::derive(move || source.with(|s| s.as_ref().map(|s| app.clocks.of(&s.name)))),
        period_ms: app.clocks.period_ms,
    }
}

/// A chart's "zoom into this span" (epoch seconds): the URL's window becomes that span, never
/// narrower than `min_secs` (widened around its middle).
pub fn use_zoom(min_secs: i64) -> Callback<(i64, i64)> {
    let set = use_set_query();
    Callback::new(move |(a, b): (i64, i64)| {
        let (a, b) = if b - a < min_secs {
            ((a + b) / 2 - min_secs / 2, (a + b) / 2 + min_secs / 2)
        } else {
            (a, b)
        };
        let (Some(s), Some(e)) = (
            chrono::DateTime::from_timestamp(a, 0),
            chrono::DateTime::from_timestamp(b, 0),
        ) else {
            return;
        };
        let p = TimeRange::Custom { start: s, end: e }.url_params();
        set(
            &[
                ("range", None),
                ("start", Some(p[0].1.clone())),
                ("end", Some(p[1].1.clone())),
            ],
            true,
        );
    })
}
