//! The simulator's state and front door: admin endpoints, ingest, and the web API with Sentry's
//! auth, CORS and origin rules, behind fault injection.
use serde_json::{json, Value};
use std::collections::BTreeMap;

use crate::store::Store;

use serde::{Deserialize, Serialize};

use std::sync::{Arc, Mutex, RwLock};

/// Which server the simulator imitates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Flavor {
    /// Current Sentry (has `trace-spans-format` and `trace/`).
    Sentry,
    /// An older self-hosted Sentry: only `events-trace/`.
    SentryLegacy,
    /// GlitchTip 5: a subset, with its own quirks.
    Glitchtip,
}

impl Flavor {
    /// Parses `sentry`, `sentry-legacy`, `glitchtip`.
    pub fn parse(s: &str) -> Option<Flavor> {
        match s {
            "sentry" => Some(Flavor::Sentry),
            "sentry-legacy" | "legacy" => Some(Flavor::SentryLegacy),
            "glitchtip" => Some(Flavor::Glitchtip),
            _ => None,
        }
    }

    /// The command-line spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Flavor::Sentry => "sentry",
            Flavor::SentryLegacy => "sentry-legacy",
            Flavor::Glitchtip => "glitchtip",
        }
    }

    /// Whether this is a Sentry (not GlitchTip).
    pub fn is_sentry(self) -> bool {
        self != Flavor::Glitchtip
    }
}

/// Faults to inject into web API requests. Counts are "the next N requests"; `-1` means every
/// request until changed.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Faults {
    pub latency_ms: u64,
    pub rate_limit: i64,
    pub server_error: i64,
    pub malformed_json: i64,
    pub html_error: i64,
    pub drop: i64,
    /// An answer of `OVERSIZE_BYTES` streamed without a length (chunked).
    pub oversize: i64,
    /// The same, declaring its length (`Content-Length`).
    pub oversize_declared: i64,
    pub revoke_token: bool,
    /// Only requests whose path contains this are affected (all when `None`).
    pub path_contains: Option<String>,
    /// The first this many affected requests pass untouched (to fail, say, the second batch).
    pub skip: u64,
    /// A `Retry-After` header (seconds) on the 429s of `rate_limit`.
    pub retry_after_secs: Option<u64>,
}

pub fn take(n: &mut i64) -> bool {
    match *n {
        0 => false,
        x if x < 0 => true,
        _ => {
            *n -= 1;
            true
        }
    }
}

/// What the fault injector decided for one request.
pub enum FaultAction {
    None,
    Drop,
    RateLimit,
    ServerError,
    Html,
    Malformed,
    Oversize { declared: bool },
}

/// How large an oversized answer is: well over the dashboard's 32 MB cap.
pub const OVERSIZE_BYTES: usize = 256 * 1024 * 1024;

/// How the simulator was started.
#[derive(Clone, Debug)]
pub struct SimOptions {
    pub port: u16,
    pub flavor: Flavor,
    pub seed: u64,
    /// Servers in the fleet (30, the demo's, unless more are asked for).
    pub servers: usize,
    pub token: String,
    pub allowed_origins: Vec<String>,
    /// Milliseconds between live events sent through the Sentry SDK; 0 disables them.
    pub live_interval_ms: u64,
    pub faults: Faults,
    /// Also serve a built dashboard from this folder (with the `index.html` fallback).
    pub serve_dist: Option<std::path::PathBuf>,
    pub dist_port: u16,
    /// The path the dashboard is served under (`/`, or `/lookout/` for a build made with
    /// `--public-url /lookout/`); anything outside it is a 404, as on a shared bucket.
    pub dist_prefix: String,
    /// Serve this `config.json` (with `{self}` replaced by the simulator's URL) instead of one
    /// pointing at this simulator alone.
    pub served_config: Option<String>,
    /// Allow the origin of the dashboard it serves (on by default; off to test "Invalid origin").
    pub allow_served_origin: bool,
    /// A Content-Security-Policy header for the served dashboard (`{self}` = the API's URL).
    pub served_csp: Option<String>,
    pub quiet: bool,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            port: 9000,
            flavor: Flavor::Sentry,
            seed: 1,
            servers: crate::store::DEFAULT_SERVERS,
            token: "lookout-demo".into(),
            allowed_origins: vec!["http://127.0.0.1:8080".into()],
            live_interval_ms: 3000,
            faults: Faults::default(),
            serve_dist: None,
            dist_port: 8080,
            dist_prefix: "/".into(),
            served_config: None,
            allow_served_origin: true,
            served_csp: None,

            quiet: false,
        }
    }
}

/// One logged API request (no headers: the token never lands in a log).
#[derive(Clone, Debug, Serialize)]
pub struct LoggedRequest {
    pub at: f64,
    pub method: String,
    pub path: String,
    pub query: String,
    pub endpoint: String,
    pub status: u16,
}

/// Request counters for tests and benchmarks.
#[derive(Default)]
pub struct Counters {
    pub total: u64,
    pub by_endpoint: BTreeMap<String, u64>,
    pub log: Vec<LoggedRequest>,
}

/// The running simulator.
pub struct App {
    pub opts: SimOptions,
    pub store: RwLock<Store>,
    pub faults: Mutex<Faults>,
    pub counters: Mutex<Counters>,
    /// Bytes of the last oversized answer that left (the client stops reading at its cap).
    pub oversize_sent: Arc<std::sync::atomic::AtomicU64>,
    pub base_url: String,
    pub org: String,
    pub startup_ms: f64,
}

/// The organization slug.
pub const ORG: &str = "demo";

impl App {
    /// The DSN of a project (`http://<key>@host:port/<id>`).
    pub fn dsn(&self, project: usize) -> String {
        self.dsn_in(&self.store.read().unwrap(), project)
    }

    /// [`App::dsn`] for a caller that already holds the store (never lock it twice: a second
    /// read behind a waiting writer deadlocks).
    pub fn dsn_in(&self, store: &Store, project: usize) -> String {
        let p = &store.projects[project];
        let host = self.base_url.trim_start_matches("http://");
        format!("http://{}@{}/{}", p.public_key, host, p.id)
    }

    /// What `/__sim/info` reports.
    pub fn info(&self) -> Value {
        let store = self.store.read().unwrap();
        let dsns: serde_json::Map<String, Value> = store
            .projects
            .iter()
            .map(|p| {
                let host = self.base_url.trim_start_matches("http://");
                (
                    p.slug.clone(),
                    json!(format!("http://{}@{}/{}", p.public_key, host, p.id)),
                )
            })
            .collect();
        json!({
            "url": self.base_url, "org": self.org, "flavor": self.opts.flavor.as_str(),
            "seed": self.opts.seed, "dsns": dsns, "bigTraceId": crate::rng::hex128(store.big_trace),
            "servers": store.servers.iter().map(|s| s.name.clone()).collect::<Vec<_>>(),
            "issues": store.issues.len(), "events": store.events.len(), "transactions": store.txns.len(),
            "startupMs": self.startup_ms, "allowedOrigins": self.opts.allowed_origins,
        })
    }
}
