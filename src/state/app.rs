//! Application state shared through context: the runtime configuration, the sources and their
//! detected dialects, and the refresh clocks.

use super::clock::Clocks;
use super::loader::Load;
use super::{storage, tokens};
use crate::api::client::{Api, Cancel};
use crate::api::org;
use leptos::prelude::*;
use leptos::task::spawn_local;
use lookout_core::config::{AppConfig, SourceConfig, SourceKind};
use lookout_core::model::{OrganizationDto, ProjectDto};
use lookout_core::ApiError;
use std::collections::HashMap;
use std::sync::Arc;

const SAVED_SOURCES: &str = "lookout.sources";

/// How loading `config.json` went.
#[derive(Clone, Debug, PartialEq)]
pub enum ConfigStatus {
    Loading,
    Ok,
    /// The file could not be fetched; saved sources are used.
    Missing(String),
    /// The file is there but wrong (each problem in words at render, in the page's language).
    Invalid(Vec<lookout_core::config::ConfigProblem>),
}

/// What a source turned out to be: its dialect, features and projects.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceMeta {
    pub api: Api,
    pub org: OrganizationDto,
    pub projects: Vec<ProjectDto>,
    /// The organization's environments where the server lists them apart from the projects
    /// (GlitchTip's projects carry none).
    pub org_environments: Vec<String>,
}

impl SourceMeta {
    /// The environments of all (or the chosen) projects.
    pub fn environments(&self) -> Vec<String> {
        let mut envs: Vec<String> = self
            .projects
            .iter()
            .flat_map(|p| p.environments.iter().cloned())
            .chain(self.org_environments.iter().cloned())
            .collect();
        lookout_core::sort::sort_by(&mut envs, |a, b| a.cmp(b));
        envs.dedup();
        envs
    }
}

/// Everything shared.
/// Which source a cached `SourceMeta` is for: its name, server and organization, under the
/// configuration version it was asked in.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct MetaKey {
    source: String,
    url: String,
    org: String,
    version: u32,
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub config: RwSignal<AppConfig>,
    pub status: RwSignal<ConfigStatus>,
    /// Bumped when tokens or sources change, so metadata is fetched again.
    pub version: RwSignal<u32>,
    pub clocks: Clocks,
    /// Set when a token arrived in the address and was stored (no other token was there).
    pub link_token_for: RwSignal<Option<String>>,
    /// A token from the address for a source that already has another one: waits for the user.
    pub link_token_pending: RwSignal<Option<(SourceConfig, String)>>,
    metas: StoredValue<HashMap<MetaKey, Load<SourceMeta>>>,
    owner: StoredValue<Owner>,
}

/// The shared state.
pub fn use_app() -> AppState {
    expect_context::<AppState>()
}

impl AppState {
    /// Creates the state, starts loading `config.json`, and takes a token from the address.
    pub fn init() -> AppState {
        // Remove a token from the address bar before anything else can see it.
        let link_token = tokens::take_from_fragment();
        let state = AppState {
            config: RwSignal::new(AppConfig::default()),
            status: RwSignal::new(ConfigStatus::Loading),
            version: RwSignal::new(0),
            clocks: Clocks::start(refresh_ms_override().unwrap_or(60_000.0)),
            link_token_for: RwSignal::new(None),
            link_token_pending: RwSignal::new(None),
            metas: StoredValue::new(HashMap::new()),
            owner: StoredValue::new(Owner::current().expect("an owner")),
        };
        spawn_local(async move {
            let (mut cfg, status) = match fetch_config().await {
                Ok(cfg) => (cfg, ConfigStatus::Ok),
                Err(ConfigStatus::Invalid(e)) => (AppConfig::default(), ConfigStatus::Invalid(e)),
                Err(other) => (AppConfig::default(), other),
            };
            if let Some(saved) = storage::local_get(SAVED_SOURCES)
                .and_then(|s| lookout_core::json::parse::<Vec<SourceConfig>>(&s).ok())
            {
                cfg.adopt_saved(saved);
            }
            if let Some((token, source)) = link_token {
                let target = match &source {
                    Some(n) => cfg.sources.iter().find(|s| &s.name == n),
                    None => cfg.sources.first(),
                };
                if let Some(src) = target {
                    match tokens::load(src) {
                        // A token is never replaced silently: the user is asked, shown the host.
                        Some(old) if old != token.trim() => {
                            state.link_token_pending.set(Some((src.clone(), token)))
                        }
                        Some(_) => {}
                        None => {
                            tokens::save(src, &token, true);
                            state.link_token_for.set(Some(src.name.clone()));
                        }
                    }
                }
            }
            if refresh_ms_override().is_none() {
                state
                    .clocks
                    .period_ms
                    .set(f64::from(cfg.refresh_seconds) * 1000.0);
            }
            crate::perf::mark("lookout:config");
            state.config.set(cfg);
            // The opened page's source: its metadata asked for now, before the page's first
            // render (tens of milliseconds on a cold start; the pages render once the status
            // is set), and cached for the page.
            if let Some(src) = opened_page_source(&state) {
                state.meta(&src);
            }
            state.status.set(status);
            crate::perf::mark("lookout:config-applied");
        });
        state
    }

    /// Answers the question about a token from a link: `true` replaces the saved token.
    pub fn answer_link_token(&self, replace: bool) {
        if let Some((src, token)) = self.link_token_pending.get_untracked() {
            if replace {
                tokens::save(&src, &token, true);
                self.link_token_for.set(Some(src.name.clone()));
                self.forget_metas();
            }
        }
        self.link_token_pending.set(None);
    }

    /// The configured sources.
    pub fn sources(&self) -> Vec<SourceConfig> {
        self.config.with(|c| c.sources.clone())
    }

    /// A source by name, else the first.
    pub fn source(&self, name: Option<&str>) -> Option<SourceConfig> {
        self.config.with(|c| {
            name.and_then(|n| c.sources.iter().find(|s| s.name == n))
                .or(c.sources.first())
                .cloned()
        })
    }

    /// Replaces the sources and remembers them in this browser.
    pub fn save_sources(&self, sources: Vec<SourceConfig>) {
        let list: Vec<serde_json::Value> = sources.iter().map(|s| s.to_json(false)).collect();
        storage::local_set(SAVED_SOURCES, &serde_json::Value::Array(list).to_string());
        self.config.update(|c| c.sources = sources);
        self.forget_metas();
    }

    /// Drops the saved sources (back to `config.json`) and reloads.
    pub fn reset_sources(&self) {
        storage::local_remove(SAVED_SOURCES);
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    }

    /// Forgets detected metadata (after a token or source change).
    pub fn forget_metas(&self) {
        self.metas.update_value(HashMap::clear);
        self.version.update(|v| *v += 1);
    }

    /// The detected dialect, features and projects of a source (fetched once, then cached).
    pub fn meta(&self, source: &SourceConfig) -> Load<SourceMeta> {
        let key = MetaKey {
            source: source.name.clone(),
            url: source.url.clone(),
            org: source.org.clone(),
            version: self.version.get_untracked(),
        };
        if let Some(l) = self.metas.with_value(|m| m.get(&key).copied()) {
            return l;
        }
        // Created under the root owner: it outlives the page that asked first.
        let load = self.owner.with_value(|o| o.with(Load::<SourceMeta>::new));
        self.metas.update_value(|m| {
            m.insert(key, load);
        });
        let source = source.clone();
        let clock = self.clocks.of(&source.name);
        load.loading.set(true);
        spawn_local(async move {
            let result = fetch_meta(&source, None, &Cancel::new()).await;
            match result {
                Ok(m) => {
                    load.data.set(Some(Arc::new(m)));
                    load.error.set(None);
                    clock.report_ok();
                }
                Err(e) => {
                    clock.last_error.set(Some(e.clone()));
                    load.error.set(Some(e));
                }
            }
            load.loading.set(false);
        });
        load
    }
}

/// The source the opened page reads, when its address says so plainly (its `source=`, else the
/// first). Not for the wall (its `sources=` may leave sources out) or settings.
fn opened_page_source(state: &AppState) -> Option<SourceConfig> {
    let page = crate::opened_path();
    if page.starts_with("/wall") || page.starts_with("/settings") {
        return None;
    }
    let href = web_sys::window()?.location().href().ok()?;
    state.source(lookout_core::link::query_param(&href, "source").as_deref())
}

/// A test hook (only with the `test-hooks` feature): `?_refreshMs=50` runs the refresh clock fast.
#[cfg(not(feature = "test-hooks"))]
fn refresh_ms_override() -> Option<f64> {
    None
}

/// A test hook (only with the `test-hooks` feature): `?_refreshMs=50` runs the refresh clock fast.
#[cfg(feature = "test-hooks")]
fn refresh_ms_override() -> Option<f64> {
    let search = web_sys::window()?.location().search().ok()?;
    lookout_core::query::parse_query_string(&search)
        .into_iter()
        .find(|(k, _)| k == "_refreshMs")
        .and_then(|(_, v)| v.parse::<f64>().ok())
        .map(|v| v.max(20.0))
}

async fn fetch_config() -> Result<AppConfig, ConfigStatus> {
    let url = crate::base_path() + "config.json";
    let resp = gloo_net::http::Request::get(&url)
        .cache(web_sys::RequestCache::NoCache)
        .send()
        .await
        .map_err(|e| ConfigStatus::Missing(lookout_core::error::clip(&e.to_string(), 120)))?;
    if !resp.ok() {
        return Err(ConfigStatus::Missing(format!("HTTP {}", resp.status())));
    }
    let text = resp
        .text()
        .await
        .map_err(|e| ConfigStatus::Missing(e.to_string()))?;
    let cfg = AppConfig::parse(&text).map_err(|e| ConfigStatus::Invalid(vec![e]))?;
    let problems = cfg.problems();
    if !problems.is_empty() {
        return Err(ConfigStatus::Invalid(problems));
    }
    Ok(cfg)
}

/// The token a source uses: one pasted in this browser wins over one in `config.json`.
pub fn token_of(source: &SourceConfig) -> Option<String> {
    tokens::load(source).or_else(|| source.token.clone())
}

/// The client of a source as configured: its kind as given (Sentry until detected), no features.
pub fn source_api(source: &SourceConfig, token: Option<String>) -> Api {
    Api {
        name: source.name.clone(),
        base: source.url.clone(),
        org: source.org.clone(),
        token: token.or_else(|| token_of(source)),
        kind: source.kind.unwrap_or(SourceKind::Sentry),
        features: Arc::new(Vec::new()),
    }
}

/// Where the kind detected at a source's server is remembered: its URL and organization (not its
/// name, which a user edits freely; not its token, which never goes to storage from here).
fn kind_key(source: &SourceConfig) -> String {
    format!(
        "lookout.kind.{}|{}",
        source.url.trim_end_matches('/'),
        source.org
    )
}

/// The kind this browser detected at the source's server last time (sources without a
/// configured `kind`). A page starts its first queries with it instead of waiting a round trip
/// for the organization; the organization's answer corrects it if the server changed.
pub fn remembered_kind(source: &SourceConfig) -> Option<SourceKind> {
    storage::local_get(&kind_key(source)).and_then(|k| SourceKind::parse(&k))
}

fn remember_kind(source: &SourceConfig, kind: SourceKind) {
    if remembered_kind(source) != Some(kind) {
        storage::local_set(&kind_key(source), kind.as_str());
    }
}

/// Connects to a source: detects its dialect and features, and lists its projects.
pub async fn fetch_meta(
    source: &SourceConfig,
    token: Option<String>,
    cancel: &Cancel,
) -> Result<SourceMeta, ApiError> {
    if let Some(p) = source.problems(0).first() {
        return Err(ApiError::Config {
            detail: format!("{p:?}"),
        });
    }
    let mut api = source_api(source, token);
    let (org, projects) =
        futures::join!(org::organization(&api, cancel), org::projects(&api, cancel));
    let org = org?;
    // GlitchTip's organization has no feature list and says whether it accepts events.
    api.kind = source.kind.unwrap_or_else(|| org.detect_kind());
    if source.kind.is_none() {
        remember_kind(source, api.kind);
    }
    api.features = Arc::new(org.features.clone().unwrap_or_default());
    let org_environments = if api.is_glitchtip() {
        // A source without the list still works: the filter then offers what the URL names.
        org::environments(&api, cancel).await.unwrap_or_default()
    } else {
        Vec::new()
    };
    Ok(SourceMeta {
        api,
        org,
        projects: projects?,
        org_environments,
    })
}
