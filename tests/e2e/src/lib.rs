//! The end-to-end harness: the release build of Lookout (`dist/`) served by the simulator with
//! the `index.html` fallback, a private chromedriver, and headless Chromium sessions.

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use lookout_sim::{Faults, Flavor, Sim, SimOptions};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

pub use fantoccini;

/// The dashboard built with its test hooks (`LOOKOUT_DIST`, else `dist-test/` at the repository root).
pub fn dist_dir() -> PathBuf {
    built("LOOKOUT_DIST", "dist-test")
}

/// The dashboard as shipped, without test hooks (`LOOKOUT_SHIPPED_DIST`, else `dist/`).
pub fn shipped_dist_dir() -> PathBuf {
    built("LOOKOUT_SHIPPED_DIST", "dist")
}

/// The shipped build made for a sub-path (`cargo xtask dist --public-url /lookout/`):
/// `LOOKOUT_SUBPATH_DIST`, else `dist-sub/`.
pub fn subpath_dist_dir() -> PathBuf {
    built("LOOKOUT_SUBPATH_DIST", "dist-sub")
}

/// This crate's folder, read at run time when cargo gives it (a binary in a shared target dir may
/// have been built from another clone).
fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

fn built(var: &str, default: &str) -> PathBuf {
    let p = std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir().join("../..").join(default));
    assert!(
        p.join("index.html").exists(),
        "no build at {} — run `cargo xtask test` (it builds dist/ first)",
        p.display()
    );
    p
}

/// A simulator serving the dashboard.
pub struct Env {
    pub sim: Sim,
    /// The dashboard's URL (no trailing slash).
    pub app: String,
}

/// Simulator options for tests: random ports, no live traffic (deterministic), serving `dist/`.
pub fn options(flavor: Flavor) -> SimOptions {
    SimOptions {
        port: 0,
        dist_port: 0,
        flavor,
        live_interval_ms: 0,
        serve_dist: Some(dist_dir()),
        quiet: true,
        ..SimOptions::default()
    }
}

/// Starts a simulator with the given options.
pub fn start_with(opts: SimOptions) -> Env {
    let sim = Sim::start(opts).expect("start the simulator");
    let app = sim
        .dist_url
        .clone()
        .expect("the simulator serves the dashboard");
    Env { sim, app }
}

/// Starts a simulator of a flavor.
pub fn start(flavor: Flavor) -> Env {
    start_with(options(flavor))
}

/// Starts a simulator serving the shipped build (no test hooks).
pub fn start_shipped(flavor: Flavor) -> Env {
    start_with(SimOptions {
        serve_dist: Some(shipped_dist_dir()),
        ..options(flavor)
    })
}

impl Env {
    /// The simulator's admin info.
    pub fn info(&self) -> Value {
        self.sim.app.info()
    }

    /// A web API GET as the dashboard would make it.
    pub fn api(&self, path: &str) -> Value {
        reqwest::blocking::Client::new()
            .get(format!("{}/api/0/{}", self.sim.url, path))
            .bearer_auth(&self.sim.app.opts.token)
            .send()
            .and_then(|r| r.json())
            .unwrap_or(Value::Null)
    }

    /// Sets faults.
    pub fn faults(&self, f: Faults) {
        self.sim.set_faults(f);
    }

    /// API requests the simulator has answered so far.
    pub fn requests(&self) -> u64 {
        self.sim.app.counters.lock().unwrap().total
    }

    /// API requests answered so far by one endpoint (e.g. `events`); never wraps, unlike the log.
    pub fn endpoint_requests(&self, endpoint: &str) -> u64 {
        self.sim
            .app
            .counters
            .lock()
            .unwrap()
            .by_endpoint
            .get(endpoint)
            .copied()
            .unwrap_or(0)
    }

    /// The latest 4,000–5,000 logged API requests (path and query), for counting per refresh.
    pub fn request_log(&self) -> Vec<(String, String)> {
        self.sim
            .app
            .counters
            .lock()
            .unwrap()
            .log
            .iter()
            .map(|l| (l.endpoint.clone(), l.query.clone()))
            .collect()
    }
}

/// A chromedriver of this test, stopped on drop.
pub struct Driver {
    child: Child,
    port: u16,
    profile: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // A test that panicked never ended its session: stop its Chromium too (by its profile).
        let _ = Command::new("pkill")
            .args(["-f", "--"])
            .arg(format!("user-data-dir={}", self.profile.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();

        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

static SESSIONS: AtomicU32 = AtomicU32::new(0);

/// A browser session and the chromedriver behind it.
pub struct Browser {
    pub c: Client,
    _driver: Driver,
}

impl std::ops::Deref for Browser {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.c
    }
}

/// Opens headless Chromium at `width`×`height` with a fresh profile.
pub async fn browser_sized(width: u32, height: u32) -> Browser {
    browser_with(width, height, "--expose-gc").await
}

/// [`browser_sized`] with V8 flags (`js_flags`, space-separated).
pub async fn browser_with(width: u32, height: u32, js_flags: &str) -> Browser {
    let port = free_port();
    let child = Command::new("/usr/bin/chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start /usr/bin/chromedriver (cargo xtask setup installs it)");
    let profile = std::env::temp_dir().join(format!(
        "lookout-e2e-{}-{}",
        std::process::id(),
        SESSIONS.fetch_add(1, Ordering::Relaxed)
    ));
    let driver = Driver {
        child,
        port,
        profile: profile.clone(),
    };
    let caps: serde_json::Map<String, Value> = serde_json::from_value(json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-extensions", "--enable-precise-memory-info",
                format!("--js-flags={js_flags}"), "--hide-scrollbars",
                format!("--window-size={width},{height}"), format!("--user-data-dir={}", profile.display()),
            ]
        }
    }))
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let c = loop {
        match ClientBuilder::native()
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
        {
            Ok(c) => break c,
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("cannot start Chromium through chromedriver: {e}"),
        }
    };
    let _ = c.set_window_size(width, height).await;
    Browser { c, _driver: driver }
}

/// Opens headless Chromium at a desktop size.
pub async fn browser() -> Browser {
    browser_sized(1400, 1000).await
}

/// Waits for an element.
pub async fn wait(c: &Client, css: &str, secs: u64) -> Element {
    c.wait()
        .at_most(Duration::from_secs(secs))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("waited {secs}s for `{css}`: {e}"))
}

/// Waits for an element and clicks it.
pub async fn click(c: &Client, css: &str) {
    wait(c, css, 30)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("click `{css}`: {e}"));
}

/// Waits until `js` (an expression) is truthy; returns its value.
pub async fn wait_js(c: &Client, expr: &str, secs: u64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        // A script that throws (the element is not there yet) counts as not yet.
        let v = c
            .execute(&format!("return ({expr});"), vec![])
            .await
            .unwrap_or(Value::Null);
        if !(v.is_null() || v == json!(false) || v == json!(0) || v == json!("")) {
            return v;
        }
        assert!(Instant::now() < deadline, "waited {secs}s for `{expr}`");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Runs JavaScript and returns its result; a script error or a WebDriver error fails the test
/// (so `is_null()` or an upper bound never passes on a script that did not run).
pub async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
}

/// How many elements match (a WebDriver error fails the test).
pub async fn count(c: &Client, css: &str) -> usize {
    c.find_all(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("find `{css}`: {e}"))
        .len()
}

/// `read` of every element matching `css`. A panel drawn again between finding its elements and
/// reading them (a later answer arrived) leaves stale handles: the elements are then found again
/// (five tries).
async fn read_each<T>(
    c: &Client,
    css: &str,
    what: &str,
    read: impl AsyncFn(&Element) -> Result<T, fantoccini::error::CmdError>,
) -> Vec<T> {
    let mut tries = 0;
    'again: loop {
        tries += 1;
        let mut out = Vec::new();
        for e in c
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("find `{css}`: {e}"))
        {
            match read(&e).await {
                Ok(v) => out.push(v),
                Err(_) if tries < 5 => continue 'again,
                Err(e) => panic!("{what} of `{css}`: {e}"),
            }
        }
        return out;
    }
}

/// The texts of all matching elements.
pub async fn texts(c: &Client, css: &str) -> Vec<String> {
    read_each(c, css, "text", async |e| e.text().await).await
}

/// An attribute of all matching elements (those without it are left out).
pub async fn attrs(c: &Client, css: &str, attr: &str) -> Vec<String> {
    read_each(c, css, attr, async |e| e.attr(attr).await)
        .await
        .into_iter()
        .flatten()
        .collect()
}

/// Saves a screenshot under `tests/e2e/artifacts/`.
pub async fn screenshot(c: &Client, name: &str) -> PathBuf {
    let dir = manifest_dir().join("artifacts");
    let _ = std::fs::create_dir_all(&dir);
    let png = c.screenshot().await.expect("screenshot");
    let p = dir.join(format!("{name}.png"));
    std::fs::write(&p, png).expect("write screenshot");
    p
}

/// Sends an event through the real Sentry SDK to the simulator's ingest (for hostile and huge
/// events), and waits until it can be read back.
pub fn send_event(env: &Env, project: &str, event: sentry::protocol::Event<'static>) -> String {
    use std::sync::Arc;
    let mut opts = sentry::ClientOptions::default();
    opts.dsn = Some(env.sim.dsn(project).unwrap().parse().unwrap());
    opts.transport = Some(Arc::new(sentry::transports::DefaultTransportFactory));
    opts.max_breadcrumbs = 100_000;
    let client = sentry::Client::from(opts);
    let id = client.capture_event(event, None);
    assert!(
        client.flush(Some(Duration::from_secs(20))),
        "the SDK delivered the event"
    );
    let hex = id.simple().to_string();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !env
        .sim
        .app
        .store
        .read()
        .unwrap()
        .event_index
        .contains_key(&u128::from_str_radix(&hex, 16).unwrap())
    {
        assert!(Instant::now() < deadline, "the event never arrived");
        std::thread::sleep(Duration::from_millis(50));
    }
    hex
}

/// Sends a transaction through the real Sentry SDK and waits until the simulator stored it.
pub fn send_transaction(env: &Env, project: &str, txn: sentry::protocol::Transaction<'static>) {
    use std::sync::Arc;
    let mut opts = sentry::ClientOptions::default();
    opts.dsn = Some(env.sim.dsn(project).unwrap().parse().unwrap());
    opts.transport = Some(Arc::new(sentry::transports::DefaultTransportFactory));
    let client = sentry::Client::from(opts);
    let id = u128::from_str_radix(&txn.event_id.simple().to_string(), 16).unwrap();
    client.send_envelope(txn.into());
    assert!(
        client.flush(Some(Duration::from_secs(20))),
        "the SDK delivered the transaction"
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while !env
        .sim
        .app
        .store
        .read()
        .unwrap()
        .txn_index
        .contains_key(&id)
    {
        assert!(Instant::now() < deadline, "the transaction never arrived");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The issue id of an ingested event.
pub fn issue_of(env: &Env, event_id: &str) -> String {
    let store = env.sim.app.store.read().unwrap();
    let idx = store.event_index[&u128::from_str_radix(event_id, 16).unwrap()];
    store.issues[store.events[idx as usize].issue as usize]
        .id
        .to_string()
}

/// A live GlitchTip seeded by `cargo xtask glitchtip seed` (the run file in `LOOKOUT_GT_RUN`), and the
/// dashboard served with a config that points at it.
pub struct Live {
    /// The dashboard (served by a simulator whose own API is not used).
    pub env: Env,
    /// GlitchTip's web root, e.g. `http://127.0.0.1:8000`.
    pub url: String,
    pub org: String,
    pub token: String,
    /// A token that may also read releases (the dashboard's token may not).
    pub releases_token: String,
}

/// The live GlitchTip of this run, or `None` (with a line saying why) outside the live tier.
pub fn live_glitchtip() -> Option<Live> {
    // Only `cargo xtask test live` seeds a GlitchTip; CI always runs that tier (and fails without it).
    let Some(path) = std::env::var_os("LOOKOUT_GT_RUN") else {
        println!("no live GlitchTip (LOOKOUT_GT_RUN unset): run `cargo xtask test live`");
        return None;
    };
    let run: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("the run file"))
        .expect("the run file is JSON");
    let url = "http://127.0.0.1:8000".to_owned();
    let org = run["org"].as_str().unwrap().to_owned();
    let token = run["token"].as_str().unwrap().to_owned();
    let env = glitchtip_app(&url, &org, &token);
    Some(Live {
        env,
        url,
        org,
        token,
        releases_token: run["releases_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    })
}

/// The dashboard, served with a config whose one source is the GlitchTip at `url`.
pub fn glitchtip_app(url: &str, org: &str, token: &str) -> Env {
    let config = json!({
        "sources": [{"name": "GlitchTip", "url": url, "org": org, "token": token, "kind": "glitchtip"}],
        "refreshSeconds": 60,
        "serverGroups": [{"name": "AWS", "match": "aws-*"}, {"name": "GCP", "match": "gcp-*"}],
    })
    .to_string();
    start_with(SimOptions {
        served_config: Some(config),
        ..options(Flavor::Glitchtip)
    })
}

impl Live {
    /// The dashboard reading this GlitchTip through a counting [`Proxy`].
    pub fn through_proxy(&self) -> (Proxy, Env) {
        let proxy = Proxy::start(&self.url);
        let env = glitchtip_app(&proxy.url, &self.org, &self.token);
        (proxy, env)
    }

    /// GET on GlitchTip's own API with the read token (`path` after `/api/0/`), as JSON.
    pub fn get(&self, path: &str) -> Value {
        self.get_as(path, &self.token)
    }

    /// GET with a given token.
    pub fn get_as(&self, path: &str, token: &str) -> Value {
        let r = reqwest::blocking::Client::new()
            .get(format!("{}/api/0/{}", self.url, path))
            .bearer_auth(token)
            .send()
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        assert!(r.status().is_success(), "GET {path}: {}", r.status());
        r.json().unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// Every issue of the run's organization (it holds fewer than 100).
    pub fn issues(&self) -> Vec<Value> {
        let v = self.get(&format!(
            "organizations/{}/issues/?query=&limit=100",
            self.org
        ));
        let list = v.as_array().unwrap().clone();
        assert!(list.len() < 100, "the live fleet has fewer than 100 issues");
        list
    }

    /// Per value of `key`, the events of every issue added up (GlitchTip's own tag counts).
    pub fn tag_totals(&self, key: &str) -> std::collections::BTreeMap<String, u64> {
        let mut out = std::collections::BTreeMap::new();
        for i in self.issues() {
            let id = i["id"].as_str().unwrap();
            for k in self
                .get(&format!("issues/{id}/tags/?key={key}"))
                .as_array()
                .unwrap()
            {
                for v in k["topValues"].as_array().unwrap() {
                    *out.entry(v["value"].as_str().unwrap().to_owned())
                        .or_default() += v["count"].as_u64().unwrap();
                }
            }
        }
        out
    }
}

/// The digits of a displayed count ("1,234" → 1234).
pub fn count_of(text: &str) -> u64 {
    text.chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or_else(|_| panic!("not a count: {text:?}"))
}

/// One request that went through a [`Proxy`].
#[derive(Clone, Debug)]
pub struct Proxied {
    /// Path and query.
    pub path: String,
    pub status: u16,
    /// Response body bytes as the server sent them.
    pub bytes: u64,
    /// The same body gzipped (what a server that compresses would send).
    pub gz_bytes: u64,
    /// Seconds since the proxy started.
    pub at: f64,
}

/// A loopback reverse proxy that forwards to a real server and logs every request with its size:
/// how requests and bytes per refresh are measured against a server we cannot instrument.
pub struct Proxy {
    pub url: String,
    pub log: std::sync::Arc<std::sync::Mutex<Vec<Proxied>>>,
    stop: Option<tokio::sync::watch::Sender<bool>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Proxy {
    /// Forwards `http://127.0.0.1:<port>/…` to `target` (no trailing slash).
    pub fn start(target: &str) -> Proxy {
        use lookout_sim::http::{serve, Req, Resp};
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let (tx, rx) = std::sync::mpsc::channel();
        let (target, log2) = (target.to_owned(), log.clone());
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(listener.local_addr().unwrap().port()).unwrap();
                let client = reqwest::Client::new();
                let t0 = Instant::now();
                let handler = std::sync::Arc::new(move |req: Req, _peer| {
                    let (client, target, log) = (client.clone(), target.clone(), log2.clone());
                    async move {
                        let cors = |r: Resp| {
                            r.with("Access-Control-Allow-Origin", "*")
                                .with(
                                    "Access-Control-Allow-Headers",
                                    "authorization, content-type",
                                )
                                .with("Access-Control-Allow-Methods", "GET, OPTIONS")
                        };
                        if req.method == "OPTIONS" {
                            return Ok(cors(Resp::text(200, "")));
                        }
                        let path = if req.raw_query.is_empty() {
                            req.path.clone()
                        } else {
                            format!("{}?{}", req.path, req.raw_query)
                        };
                        let mut r = client.get(format!("{target}{path}"));
                        if let Some(a) = req.header("authorization") {
                            r = r.header("Authorization", a);
                        }
                        let (status, content_type, body) = match r.send().await {
                            Ok(resp) => {
                                let status = resp.status().as_u16();
                                let ct = resp
                                    .headers()
                                    .get("content-type")
                                    .and_then(|v| v.to_str().ok())
                                    .unwrap_or("application/octet-stream")
                                    .to_owned();
                                (status, ct, resp.bytes().await.unwrap_or_default())
                            }
                            Err(_) => (502, "text/plain".into(), Default::default()),
                        };
                        let gz_bytes = {
                            use std::io::Write;
                            let mut e = flate2::write::GzEncoder::new(
                                Vec::new(),
                                flate2::Compression::default(),
                            );
                            let _ = e.write_all(&body);
                            e.finish().map_or(0, |v| v.len() as u64)
                        };
                        log.lock().unwrap().push(Proxied {
                            path,
                            status,
                            bytes: body.len() as u64,
                            gz_bytes,
                            at: t0.elapsed().as_secs_f64(),
                        });
                        Ok(cors(Resp {
                            status,
                            content_type,
                            body,
                            headers: Vec::new(),
                            repeat: None,
                        }))
                    }
                });
                serve(listener, handler, stop_rx).await;
            });
        });
        let port = rx.recv().expect("the proxy started");
        Proxy {
            url: format!("http://127.0.0.1:{port}"),
            log,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    /// The requests logged so far.
    pub fn requests(&self) -> Vec<Proxied> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(true);
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Splits logged requests into refreshes: bursts at least `gap` seconds apart.
pub fn bursts(log: &[Proxied], gap: f64) -> Vec<Vec<Proxied>> {
    let mut out: Vec<Vec<Proxied>> = Vec::new();
    let mut last = f64::MIN;
    for p in log {
        if p.at - last > gap || out.is_empty() {
            out.push(Vec::new());
        }
        out.last_mut().unwrap().push(p.clone());
        last = p.at;
    }
    out
}

/// Whole refreshes the page has finished and painted (`window.__lookoutRefreshes`), and the
/// refreshes its clocks started (`__lookoutTicks`).
pub async fn refresh_counts(c: &Client) -> (u64, u64) {
    let v = js(
        c,
        "return [window.__lookoutRefreshes || 0, window.__lookoutTicks || 0]",
    )
    .await;
    (v[0].as_u64().unwrap_or(0), v[1].as_u64().unwrap_or(0))
}

/// Waits until more than `done` refreshes have finished and been painted; returns the new count.
/// (The script polled is one constant string: every distinct script a test sends is compiled
/// and kept by V8, which a long run would see as the page's heap growing.)
pub async fn wait_refresh_after(c: &Client, done: u64, secs: u64) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let (now, ticks) = refresh_counts(c).await;
        if now > done {
            return now;
        }
        assert!(
            Instant::now() < deadline,
            "waited {secs}s for a refresh after {done} (clocks ticked {ticks} times)"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

impl Env {
    /// Requests answered so far per endpoint (never wraps).
    pub fn endpoint_counts(&self) -> std::collections::BTreeMap<String, u64> {
        self.sim.app.counters.lock().unwrap().by_endpoint.clone()
    }

    /// The simulator's API with the demo token: every page of a list endpoint, following its
    /// `Link` header (`path` after `/api/0/`).
    pub fn api_all(&self, path: &str) -> Vec<Value> {
        let client = reqwest::blocking::Client::new();
        let mut url = format!("{}/api/0/{}", self.sim.url, path);
        let mut out = Vec::new();
        for _ in 0..50 {
            let r = client
                .get(&url)
                .bearer_auth(&self.sim.app.opts.token)
                .send()
                .unwrap_or_else(|e| panic!("GET {url}: {e}"));
            let link = r
                .headers()
                .get("link")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned();
            let v: Value = r.json().unwrap_or(Value::Null);
            match v {
                Value::Array(items) => out.extend(items),
                Value::Object(ref m) if m.get("data").is_some_and(Value::is_array) => {
                    out.extend(m["data"].as_array().unwrap().iter().cloned())
                }
                other => panic!("GET {url}: not a list: {other}"),
            }
            let next = link
                .split(',')
                .find(|p| p.contains("rel=\"next\"") && p.contains("results=\"true\""));
            match next
                .and_then(|p| p.split('<').nth(1))
                .and_then(|p| p.split('>').next())
            {
                Some(n) => url = n.to_owned(),
                None => break,
            }
        }
        out
    }
}

/// Waits until `expr` (a JavaScript expression) equals `want`; fails with the last value it had.
pub async fn wait_eq(c: &Client, expr: &str, want: &Value, secs: u64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let v = c
            .execute(&format!("return ({expr});"), vec![])
            .await
            .unwrap_or(Value::Null);
        if &v == want {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "waited {secs}s for `{expr}` to be\n  {want}\nit is\n  {v}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// How long after the end of the organization's answer the page started the request whose path
/// ends with `path_end` (negative: before that answer), from the page's own resource timing.
pub async fn asked_after_organization(c: &Client, path_end: &str) -> f64 {
    js(c, &format!("const r = performance.getEntriesByType('resource'); const path = e => new URL(e.name).pathname; const org = r.find(e => path(e).endsWith('/organizations/demo/')); const it = r.find(e => path(e).endsWith({})); return org && it ? it.startTime - org.responseEnd : null", serde_json::to_string(path_end).unwrap()))
        .await
        .as_f64()
        .unwrap_or_else(|| panic!("the organization and {path_end} in the page's resource timing"))
}

/// The `data-id`s of the issue rows on the page, as a JavaScript expression.
pub const ISSUE_IDS: &str =
    "[...document.querySelectorAll('[data-testid=issue-row]')].map(r => r.dataset.id)";

/// A browser for long wall runs. V8 compiles the wasm lazily and optimises hot functions over time:
/// its code space grows for a while (seen in heap snapshots as `WasmNativeModule`, bounded by the
/// module). Compiled up front and not re-tiered, what remains is what the page itself keeps.
pub async fn wall_browser() -> Browser {
    browser_with(
        1920,
        1080,
        "--expose-gc --no-wasm-lazy-compilation --no-wasm-tier-up",
    )
    .await
}

/// What a day of wall refreshes left behind.
pub struct WallDay {
    /// (JS heap, DOM nodes without the attention strip, wasm memory) after each full rotation.
    pub samples: Vec<(f64, f64, f64)>,
    /// The views the rotation showed.
    pub views: std::collections::BTreeSet<String>,
    /// Whole refreshes finished and painted.
    pub refreshes: u64,
    pub seconds: f64,
}

impl WallDay {
    /// Mean of the first three samples and of the last three.
    pub fn first_and_last(&self) -> ((f64, f64, f64), (f64, f64, f64)) {
        let mean = |s: &[(f64, f64, f64)]| {
            let n = s.len() as f64;
            s.iter().fold((0.0, 0.0, 0.0), |a, x| {
                (a.0 + x.0 / n, a.1 + x.1 / n, a.2 + x.2 / n)
            })
        };
        (
            mean(&self.samples[..3]),
            mean(&self.samples[self.samples.len() - 3..]),
        )
    }
}

/// Runs the wall at `app` through a day of refreshes — every view in rotation (the fastest
/// rotation the wall allows), a refresh as soon as the one before has finished — and samples what
/// it keeps: after a warm-up of 1,000 refreshes (the browser's code and caches settle; the retained
/// heap rises by a few per cent and flattens, and heap snapshots show V8's code space, Blink's text
/// caches and the page's capped timing measures, no object of the app's), at least 1,440 whole
/// refreshes, one sample after every full rotation (and at least 240 refreshes) so a slow leak
/// shows as a trend. Each sample is taken on the same view (the overview), at a quiet moment (the
/// page hidden, the refresh under way finished and painted), after a full collection.
pub async fn wall_day(b: &Browser, app: &str) -> WallDay {
    const WARM_UP: u64 = 1000;
    const VIEWS: usize = 8;
    b.goto(&format!(
        "{app}/wall?_refreshMs=50&rotate=5&views=overview,heatmap,issues,new,timeline,performance,project:api,group:AWS"
    ))
    .await
    .unwrap();
    wait_js(b, "document.querySelector('[data-testid=big-errors] .value') && document.querySelector('[data-testid=big-errors] .value').textContent !== '–'", 30).await;
    let view = "return document.querySelector('[data-testid=wall-view]')?.textContent";
    let mut samples = Vec::new();
    let mut views = std::collections::BTreeSet::new();
    let started = Instant::now();
    for checkpoint in (0..=6).map(|k| WARM_UP + k * 240) {
        let mut since = std::collections::BTreeSet::new();
        loop {
            let (done, _) = refresh_counts(b).await;
            if done >= checkpoint && (samples.is_empty() || since.len() == VIEWS) {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(900),
                "refreshes stalled at {done}"
            );
            if let Some(v) = js(b, view).await.as_str() {
                views.insert(v.to_owned());
                since.insert(v.to_owned());
            }
            tokio::time::sleep(Duration::from_millis(1000)).await;
        }
        samples.push(wall_sample(b).await);
        println!(
            "{:?}: {} refreshes, {:?}",
            started.elapsed(),
            refresh_counts(b).await.0,
            samples.last()
        );
    }
    WallDay {
        samples,
        views,
        refreshes: refresh_counts(b).await.0,
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// One sample of [`wall_day`]: (JS heap, DOM nodes without the attention strip, wasm memory).
async fn wall_sample(b: &Browser) -> (f64, f64, f64) {
    // The overview, held there while measuring (the views hold different amounts).
    wait_eq(
        b,
        "document.querySelector('[data-testid=wall-view]').textContent",
        &json!("Errors by server"),
        40,
    )
    .await;
    js(
        b,
        "window.dispatchEvent(new KeyboardEvent('keydown', {key: ' '}))",
    )
    .await;
    // A quiet moment: the page hidden (no refresh starts), the one under way finished and painted.
    let (done, _) = refresh_counts(b).await;
    wait_refresh_after(b, done, 30).await;
    js(b, "Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'hidden'}); document.dispatchEvent(new Event('visibilitychange'));").await;
    wait_js(
        b,
        "window.__lookoutLoading === 0 && window.__lookoutRefreshes === window.__lookoutTicks",
        30,
    )
    .await;
    // The page's own timing measures are capped (a hundred per name, then cleared): dropped, so
    // their saw-tooth does not count.
    js(b, "performance.clearMeasures()").await;
    let mut best = (f64::MAX, f64::MAX, 0.0);
    for _ in 0..3 {
        js(b, "window.gc && window.gc(); window.gc && window.gc();").await;
        // DOM nodes without the attention strip, which fills up to its 20 items as live traffic
        // brings new issues (its cap is checked below).
        let v = js(b, "const strip = document.querySelector('[data-testid=strip]'); return [performance.memory.usedJSHeapSize, document.getElementsByTagName('*').length - (strip ? strip.getElementsByTagName('*').length + 1 : 0), window.__lookoutWasmMemory.buffer.byteLength]").await;
        let f = |i: usize| v[i].as_f64().unwrap();
        best = (best.0.min(f(0)), best.1.min(f(1)), f(2));
    }
    // (Counted by script: WebDriver element handles would stay referenced by the page.)
    let items = js(
        b,
        "return document.querySelectorAll('[data-testid=attention]').length",
    )
    .await;
    assert!(
        items.as_u64().unwrap() <= 20,
        "the strip is capped: {items}"
    );
    js(b, "Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'visible'}); document.dispatchEvent(new Event('visibilitychange'));").await;
    js(
        b,
        "window.dispatchEvent(new KeyboardEvent('keydown', {key: ' '}))",
    )
    .await;
    best
}
