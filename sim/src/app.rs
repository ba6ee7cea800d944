//! The simulator's state and front door: admin endpoints, ingest, and the web API with Sentry's
//! auth, CORS and origin rules, behind fault injection.

use crate::http::{Dropped, Req, Resp};
use crate::store::Store;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

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

fn take(n: &mut i64) -> bool {
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
enum FaultAction {
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

/// Seconds since the epoch, now.
pub fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

impl App {
    /// The DSN of a project (`http://<key>@host:port/<id>`).
    pub fn dsn(&self, project: usize) -> String {
        let store = self.store.read().unwrap();
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

/// Handles one request.
pub async fn handle(app: Arc<App>, req: Req) -> Result<Resp, Dropped> {
    if req.path.starts_with("/__sim/") {
        // The admin endpoints change what every viewer sees: only with the simulator's token, and
        // never readable by a page of another origin (no CORS headers at all).
        let bearer = format!("Bearer {}", app.opts.token);
        if req.header("authorization") != Some(bearer.as_str()) {
            return Ok(Resp::json(
                401,
                &json!({"detail": "The simulator's admin endpoints need its token (Authorization: Bearer …)."}),
            ));
        }
        return Ok(admin(&app, &req));
    }
    if crate::ingest::is_ingest_path(&req.path) {
        let resp = crate::ingest::handle(&app, &req);
        record(&app, &req, "ingest", resp.status);
        return Ok(resp);
    }
    if req.path.starts_with("/api/0/") {
        return api_entry(app, req).await;
    }
    Ok(not_found_page())
}

/// The HTML page a web server answers for unknown paths.
pub fn not_found_page() -> Resp {
    Resp::html(404, "<!DOCTYPE html><html><head><title>Not Found</title></head><body><h1>Not Found</h1><p>The requested resource was not found on this server.</p></body></html>")
}

fn cors(app: &App, req: &Req, mut resp: Resp) -> Resp {
    let origin = req.header("origin").unwrap_or("*").to_owned();
    match app.opts.flavor {
        Flavor::Glitchtip => {
            resp = resp
                .with("Access-Control-Allow-Origin", "*")
                .with("Access-Control-Allow-Headers", "accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with")
                .with("Access-Control-Allow-Methods", "DELETE, GET, OPTIONS, PATCH, POST, PUT");
        }
        _ => {
            resp = resp
                .with("Access-Control-Allow-Origin", origin)
                .with("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS")
                .with(
                    "Access-Control-Allow-Headers",
                    "X-Sentry-Auth, X-Requested-With, Origin, Accept, Content-Type, Authentication, Authorization, Content-Encoding, sentry-trace, baggage, X-CSRFToken",
                )
                .with("Access-Control-Expose-Headers", "X-Sentry-Error, X-Sentry-Direct-Hit, X-Hits, X-Max-Hits, Endpoint, Retry-After, Link")
                .with("Vary", "Origin");
        }
    }
    resp
}

async fn api_entry(app: Arc<App>, req: Req) -> Result<Resp, Dropped> {
    if req.method == "OPTIONS" {
        // Preflight: always answered, without auth.
        return Ok(cors(&app, &req, Resp::text(200, "")).with("Access-Control-Max-Age", "3600"));
    }
    let (latency, action, revoked, retry_after) = {
        let mut f = app.faults.lock().unwrap();
        let applies = f
            .path_contains
            .as_ref()
            .is_none_or(|p| req.path.contains(p.as_str()));
        let skipped = applies && f.skip > 0;
        if skipped {
            f.skip -= 1;
        }
        let applies = applies && !skipped;
        let action = if !applies {
            FaultAction::None
        } else if take(&mut f.drop) {
            FaultAction::Drop
        } else if take(&mut f.rate_limit) {
            FaultAction::RateLimit
        } else if take(&mut f.server_error) {
            FaultAction::ServerError
        } else if take(&mut f.html_error) {
            FaultAction::Html
        } else if take(&mut f.malformed_json) {
            FaultAction::Malformed
        } else if take(&mut f.oversize) {
            FaultAction::Oversize { declared: false }
        } else if take(&mut f.oversize_declared) {
            FaultAction::Oversize { declared: true }
        } else {
            FaultAction::None
        };
        (
            if applies { f.latency_ms } else { 0 },
            action,
            applies && f.revoke_token,
            f.retry_after_secs,
        )
    };
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let endpoint_name;
    let resp = match action {
        FaultAction::Drop => {
            record(&app, &req, "dropped", 0);
            return Err(Dropped);
        }
        FaultAction::RateLimit => {
            endpoint_name = "fault-429".to_owned();
            let r = Resp::json(429, &json!("You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds"));
            match retry_after {
                Some(s) => r.with("Retry-After", s.to_string()),
                None => r,
            }
        }
        FaultAction::ServerError => {
            endpoint_name = "fault-500".to_owned();
            Resp::json(
                500,
                &json!({"detail": "Internal Error", "errorId": "6a1c5f2e8b"}),
            )
        }
        FaultAction::Html => {
            endpoint_name = "fault-html".to_owned();
            Resp::html(502, "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>")
        }
        FaultAction::Malformed => {
            endpoint_name = "fault-malformed".to_owned();
            Resp {
                status: 200,
                content_type: "application/json".into(),
                body: bytes::Bytes::from_static(
                    b"{\"data\": [[1700000000, [{\"count\": 3}]], [1700000600",
                ),
                headers: Vec::new(),
                repeat: None,
            }
        }
        FaultAction::Oversize { declared } => {
            endpoint_name = "fault-oversize".to_owned();
            // A JSON list that never ends: `[` then `{"id":"1"},` over and over.
            let unit = b"{\"id\":\"1\",\"title\":\"padding\"},";
            let chunk: Vec<u8> = unit.iter().copied().cycle().take(64 * 1024).collect();
            app.oversize_sent
                .store(0, std::sync::atomic::Ordering::Relaxed);
            Resp {
                status: 200,
                content_type: "application/json".into(),
                body: bytes::Bytes::from(chunk),
                headers: Vec::new(),
                repeat: Some(crate::http::Repeat {
                    times: OVERSIZE_BYTES / (64 * 1024),
                    declared,
                    sent: app.oversize_sent.clone(),
                }),
            }
        }
        FaultAction::None => {
            let (name, r) = authorized(&app, &req, revoked);
            endpoint_name = name;
            r
        }
    };
    record(&app, &req, &endpoint_name, resp.status);
    Ok(cors(&app, &req, resp))
}

fn authorized(app: &App, req: &Req, revoked: bool) -> (String, Resp) {
    let token = req
        .header("authorization")
        .and_then(|h| {
            h.strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
        })
        .map(str::trim);
    match token {
        None => {
            return (
                "unauthenticated".into(),
                Resp::json(
                    401,
                    &json!({"detail": "Authentication credentials were not provided."}),
                ),
            );
        }
        Some(t) if revoked || t != app.opts.token => {
            return (
                "unauthenticated".into(),
                Resp::json(401, &json!({"detail": "Invalid token"})),
            );
        }
        Some(_) => {}
    }
    if app.opts.flavor.is_sentry() {
        if let Some(origin) = req.header("origin") {
            if !app.opts.allowed_origins.iter().any(|o| o == origin) {
                return (
                    "invalid-origin".into(),
                    Resp::json(400, &json!(format!("Invalid origin: {origin}"))),
                );
            }
        }
    }
    crate::api::route(app, req)
}

fn record(app: &App, req: &Req, endpoint: &str, status: u16) {
    let mut c = app.counters.lock().unwrap();
    c.total += 1;
    *c.by_endpoint.entry(endpoint.to_owned()).or_default() += 1;
    if c.log.len() >= 5000 {
        c.log.drain(..1000);
    }
    c.log.push(LoggedRequest {
        at: now(),
        method: req.method.clone(),
        path: req.path.clone(),
        query: req.raw_query.clone(),
        endpoint: endpoint.to_owned(),
        status,
    });
}

fn admin(app: &App, req: &Req) -> Resp {
    match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/__sim/info") => Resp::json(200, &app.info()),
        ("GET", "/__sim/faults") => Resp::json(
            200,
            &serde_json::to_value(&*app.faults.lock().unwrap()).unwrap(),
        ),
        ("POST", "/__sim/faults") => match serde_json::from_slice::<Faults>(&req.body) {
            Ok(f) => {
                *app.faults.lock().unwrap() = f.clone();
                Resp::json(200, &serde_json::to_value(f).unwrap())
            }
            Err(e) => Resp::json(400, &json!({"detail": format!("bad faults: {e}")})),
        },
        ("POST", "/__sim/faults/clear") => {
            *app.faults.lock().unwrap() = Faults::default();
            Resp::json(200, &json!({}))
        }
        ("GET", "/__sim/requests") => {
            let c = app.counters.lock().unwrap();
            Resp::json(
                200,
                &json!({"total": c.total, "byEndpoint": c.by_endpoint, "log": c.log,
                    "oversizeBytesSent": app.oversize_sent.load(std::sync::atomic::Ordering::Relaxed)}),
            )
        }
        ("POST", "/__sim/requests/reset") => {
            *app.counters.lock().unwrap() = Counters::default();
            Resp::json(200, &json!({}))
        }
        _ => Resp::json(404, &json!({"detail": "unknown admin endpoint"})),
    }
}
