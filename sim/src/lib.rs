//! lookout-sim: a Sentry-compatible web API over a realistic multi-cloud demo fleet.
//!
//! It is the demo's embedded default and the test backend. It speaks Sentry's paths, parameters,
//! shapes, status codes, auth and CORS (or GlitchTip's subset), takes events from real SDKs on the
//! ingest endpoints, keeps sending live events through the real `sentry` SDK, and injects faults
//! on request.
//!
//! ```no_run
//! let sim = lookout_sim::Sim::start(lookout_sim::SimOptions { port: 0, ..Default::default() }).unwrap();
//! println!("{} (token {})", sim.url, sim.app.opts.token);
//! ```

pub mod api;
pub mod app;
pub mod fleet;
pub mod gt_shape;
pub mod http;
pub mod ingest;
pub mod kinds;
pub mod live;
pub mod render;
pub mod rng;
pub mod search;
pub mod serve;
pub mod site;
pub mod store;
pub mod time;

pub use app::{App, Faults, Flavor, SimOptions, OVERSIZE_BYTES};

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::watch;

/// A running simulator (and, optionally, the dashboard's static site). Stops when dropped.
pub struct Sim {
    pub url: String,
    pub port: u16,
    /// The dashboard's URL when `serve_dist` was given.
    pub dist_url: Option<String>,
    pub app: Arc<App>,
    shutdown: Option<watch::Sender<bool>>,
    live_stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
    live: Option<std::thread::JoinHandle<()>>,
}

/// The `config.json` that points a dashboard at a simulator.
/// The kind is given, as a deployment that knows its server would: the dashboard then starts
/// loading without a round trip to detect it.
pub fn demo_config(url: &str, token: &str, flavor: Flavor) -> String {
    let kind = if flavor.is_sentry() {
        "sentry"
    } else {
        "glitchtip"
    };
    serde_json::json!({
        "sources": [{"name": "Demo", "url": url, "org": app::ORG, "token": token, "kind": kind}],
        "refreshSeconds": 60,
        "serverGroups": [{"name": "AWS", "match": "aws-*"}, {"name": "GCP", "match": "gcp-*"}],
    })
    .to_string()
}

impl Sim {
    /// Generates the fleet, binds the ports (0 = any free port) and starts serving.
    pub fn start(opts: SimOptions) -> std::io::Result<Sim> {
        let t0 = std::time::Instant::now();
        let (tx, rx) = std::sync::mpsc::channel::<
            std::io::Result<(
                SocketAddr,
                Option<SocketAddr>,
                Arc<App>,
                watch::Sender<bool>,
            )>,
        >();
        let thread = std::thread::Builder::new()
            .name("lookout-sim".into())
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                };
                rt.block_on(async move {
                    let bind = |port: u16| tokio::net::TcpListener::bind(("127.0.0.1", port));
                    let api = match bind(opts.port).await {
                        Ok(l) => l,
                        Err(e) => {
                            let _ = tx.send(Err(e));
                            return;
                        }
                    };
                    let site = match &opts.serve_dist {
                        Some(_) => match bind(opts.dist_port).await {
                            Ok(l) => Some(l),
                            Err(e) => {
                                let _ = tx.send(Err(e));
                                return;
                            }
                        },
                        None => None,
                    };
                    let addr = api.local_addr().expect("bound address");
                    let base_url = format!("http://127.0.0.1:{}", addr.port());
                    // The dashboard this simulator serves is an allowed origin (unless a test
                    // wants to see "Invalid origin").
                    let mut opts = opts;
                    if let Some(port) = site
                        .as_ref()
                        .and_then(|l| l.local_addr().ok())
                        .map(|a| a.port())
                        .filter(|_| opts.allow_served_origin)
                    {
                        for host in ["127.0.0.1", "localhost"] {
                            let o = format!("http://{host}:{port}");
                            if !opts.allowed_origins.contains(&o) {
                                opts.allowed_origins.push(o);
                            }
                        }
                    }
                    let store = store::Store::generate_fleet(opts.seed, time::now(), opts.servers);
                    let app = Arc::new(App {
                        faults: Mutex::new(opts.faults.clone()),
                        opts: opts.clone(),
                        store: RwLock::new(store),
                        counters: Mutex::new(app::Counters::default()),
                        oversize_sent: Default::default(),
                        base_url: base_url.clone(),
                        org: app::ORG.into(),
                        startup_ms: t0.elapsed().as_secs_f64() * 1000.0,
                    });
                    let (stop_tx, stop_rx) = watch::channel(false);
                    let site_addr = site.as_ref().and_then(|l| l.local_addr().ok());
                    if let (Some(listener), Some(root)) = (site, opts.serve_dist.clone()) {
                        let site = Arc::new(site::Site {
                            root,
                            prefix: opts.dist_prefix.clone(),
                            config_override: Some(match &opts.served_config {
                                Some(c) => c.replace("{self}", &base_url),
                                None => demo_config(&base_url, &opts.token, opts.flavor),
                            }),
                            csp: opts
                                .served_csp
                                .as_ref()
                                .map(|c| c.replace("{self}", &base_url)),
                        });
                        let handler = Arc::new(move |req: http::Req, _peer| {
                            let site = site.clone();
                            async move { site::handle(&site, req).await }
                        });
                        tokio::spawn(http::serve(listener, handler, stop_rx.clone()));
                    }
                    let handler_app = app.clone();
                    let handler = Arc::new(move |req: http::Req, _peer| {
                        serve::handle(handler_app.clone(), req)
                    });
                    let _ = tx.send(Ok((addr, site_addr, app.clone(), stop_tx)));
                    http::serve(api, handler, stop_rx).await;
                });
            })?;
        let (addr, site_addr, app, stop) = rx
            .recv()
            .map_err(|_| std::io::Error::other("simulator thread died"))??;
        let live_stop = Arc::new(AtomicBool::new(false));
        let live =
            (app.opts.live_interval_ms > 0).then(|| live::spawn(app.clone(), live_stop.clone()));
        Ok(Sim {
            url: format!("http://127.0.0.1:{}", addr.port()),
            port: addr.port(),
            dist_url: site_addr.map(|a| format!("http://127.0.0.1:{}", a.port())),
            app,
            shutdown: Some(stop),
            live_stop,
            thread: Some(thread),
            live,
        })
    }

    /// The DSN of a project by slug.
    pub fn dsn(&self, slug: &str) -> Option<String> {
        let p = self.app.store.read().unwrap().project_index(slug)?;
        Some(self.app.dsn(p))
    }

    /// Sets the injected faults.
    pub fn set_faults(&self, f: Faults) {
        *self.app.faults.lock().unwrap() = f;
    }

    /// Stops serving and waits for the threads.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        self.live_stop.store(true, Ordering::Relaxed);
        if let Some(s) = self.shutdown.take() {
            let _ = s.send(true);
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        if let Some(t) = self.live.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        self.halt();
    }
}
