//! Live traffic: while the simulator runs, new events and transactions keep arriving, sent through
//! the real Sentry SDK (the `sentry` crate) to the simulator's own ingest endpoint.

use crate::app::App;
use crate::fleet::diurnal;
use crate::kinds::{Kind, Where, KINDS};
use crate::rng::Rng;
use crate::store::Role;
use sentry::protocol::{
    Breadcrumb, Context, Event, Exception, Frame, Level, Map, Mechanism, Span, SpanId, SpanStatus,
    Stacktrace, TraceContext, TraceId, Transaction, User,
};
use sentry::{Client, ClientOptions, Envelope};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// One place an event can come from: a server (or a browser) with its tags.
#[derive(Clone)]
struct Origin {
    server: Option<String>,
    cloud: String,
    region: String,
    staging: bool,
}

/// Starts the generator thread; it stops when `stop` turns true.
pub fn spawn(app: Arc<App>, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
    std::thread::Builder::new()
        .name("lookout-sim-live".into())
        .spawn(move || run(&app, &stop))
        .expect("spawn live traffic thread")
}

fn client_for(dsn: &str, release: Option<String>) -> Option<Client> {
    let mut o = ClientOptions::default()
        .sample_rate(1.0)
        .traces_sample_rate(1.0);
    o.dsn = Some(dsn.parse().ok()?);
    o.release = release.map(Into::into);
    o.send_default_pii = true;
    o.default_integrations = false;
    // `Client::from` has no transport unless given one (only `sentry::init` adds the default).
    o.transport = Some(Arc::new(sentry::transports::DefaultTransportFactory));
    Some(Client::from(o))
}

fn run(app: &App, stop: &AtomicBool) {
    let interval = app.opts.live_interval_ms;
    let (clients, origins) = {
        let s = app.store.read().unwrap();
        let now = crate::time::now();
        let clients: Vec<Option<Client>> = (0..s.projects.len())
            .map(|p| {
                let release = s
                    .release_index_at(p, now)
                    .map(|r| s.releases[r as usize].version.clone());
                client_for(&app.dsn_in(&s, p), release)
            })
            .collect();
        let origins: Vec<Vec<Origin>> = KINDS
            .iter()
            .map(|k| {
                s.servers
                    .iter()
                    .filter(|sv| match k.place {
                        Where::AllApi => sv.role == Role::Api && sv.env == 0,
                        Where::AwsApi => sv.role == Role::Api && sv.env == 0 && sv.cloud == "aws",
                        Where::GcpApi => sv.role == Role::Api && sv.env == 0 && sv.cloud == "gcp",
                        Where::Workers => sv.role == Role::Worker,
                        Where::Staging => sv.env == 1,
                        Where::Only(names) => names.contains(&sv.name.as_str()),
                        Where::Browser => false,
                    })
                    .map(|sv| Origin {
                        server: Some(sv.name.clone()),
                        cloud: sv.cloud.into(),
                        region: sv.region.into(),
                        staging: sv.env == 1,
                    })
                    .collect::<Vec<_>>()
            })
            .map(|v| {
                if v.is_empty() {
                    vec![Origin {
                        server: None,
                        cloud: String::new(),
                        region: String::new(),
                        staging: false,
                    }]
                } else {
                    v
                }
            })
            .collect();
        (clients, origins)
    };
    let mut rng = Rng::new(app.opts.seed ^ 0x51_7E);
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(interval));
        let now = crate::time::now();
        for (k, kind) in KINDS.iter().enumerate() {
            let Some(project) = app.store.read().unwrap().project_index(kind.project) else {
                continue;
            };
            let latest = {
                let s = app.store.read().unwrap();
                s.release_index_at(project, now)
                    .map_or(now, |r| s.releases[r as usize].deployed)
            };
            let per_hour = crate::fleet::kind_rate(kind, 0.0, 0.0, now, latest)
                * diurnal(now)
                * crate::store::RATE_SCALE;
            for origin in &origins[k] {
                let n = rng.poisson(per_hour * interval as f64 / 3_600_000.0);
                for _ in 0..n {
                    if let Some(client) = &clients[project] {
                        send(client, kind, origin, &mut rng);
                    }
                }
            }
        }
    }
    for c in clients.into_iter().flatten() {
        c.close(Some(Duration::from_secs(2)));
    }
}

fn random_bytes<const N: usize>(rng: &mut Rng) -> [u8; N] {
    let mut b = [0u8; N];
    for chunk in b.chunks_mut(8) {
        let v = rng.next_u64().to_le_bytes();
        chunk.copy_from_slice(&v[..chunk.len()]);
    }
    b
}

fn platform(kind: &Kind) -> &'static str {
    match kind.project {
        "api" => "python",
        "worker" => "rust",
        _ => "javascript",
    }
}

/// Sends one error (inside a transaction, so it belongs to a trace) through the SDK.
fn send(client: &Client, kind: &Kind, origin: &Origin, rng: &mut Rng) {
    let trace_id = TraceId::from(random_bytes::<16>(rng));
    let root = SpanId::from(random_bytes::<8>(rng));
    let failing = SpanId::from(random_bytes::<8>(rng));
    let end = SystemTime::now();
    let dur = Duration::from_millis(80 + rng.below(900) as u64);
    let start = end - dur;
    let user = 1 + rng.below(6000);

    let mut tags = Map::new();
    if !origin.cloud.is_empty() {
        tags.insert("cloud".to_owned(), origin.cloud.clone());
        tags.insert("region".to_owned(), origin.region.clone());
    }
    let env = if origin.staging {
        "staging"
    } else {
        "production"
    };

    let mut ev = Event::new();
    ev.level = match kind.level {
        "fatal" => Level::Fatal,
        "warning" => Level::Warning,
        "info" => Level::Info,
        _ => Level::Error,
    };
    ev.platform = platform(kind).into();
    ev.server_name = origin.server.clone().map(Into::into);
    ev.environment = Some(env.into());
    ev.transaction = Some(kind.transaction.into());
    ev.tags = tags.clone();
    ev.user = Some(User {
        id: Some(user.to_string()),
        email: Some(format!("user{user}@shop.example")),
        username: Some(format!("user{user}")),
        ..Default::default()
    });
    if let Some(fp) = kind.fingerprint {
        ev.fingerprint = vec![fp.to_owned().into()].into();
    }
    if kind.message_only {
        ev.message = Some(kind.value.to_owned());
    } else {
        let frames: Vec<Frame> = kind
            .frames
            .iter()
            .map(|f| Frame {
                filename: Some(f.file.to_owned()),
                abs_path: Some(f.abs.to_owned()),
                function: Some(f.func.to_owned()),
                module: (!f.module.is_empty()).then(|| f.module.to_owned()),
                lineno: Some(u64::from(f.line)),
                context_line: Some(f.code.to_owned()),
                in_app: Some(f.in_app),
                vars: f
                    .vars
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), serde_json::Value::String((*v).to_owned())))
                    .collect(),
                ..Default::default()
            })
            .collect();
        ev.exception = vec![Exception {
            ty: kind.exc_type.to_owned(),
            value: Some(kind.value.to_owned()),
            stacktrace: (!frames.is_empty()).then(|| Stacktrace {
                frames,
                ..Default::default()
            }),
            mechanism: Some(Mechanism {
                ty: "generic".into(),
                handled: Some(kind.handled),
                ..Default::default()
            }),
            ..Default::default()
        }]
        .into();
    }
    let mut crumbs = Vec::new();
    let mut t = end - Duration::from_millis(50);
    for (c, l, m) in kind
        .crumbs
        .iter()
        .rev()
        .chain(crate::kinds::platform_crumbs(kind.project).iter())
    {
        crumbs.push(Breadcrumb {
            timestamp: t,
            ty: if *c == "http" || *c == "fetch" {
                "http".into()
            } else {
                "default".into()
            },
            category: Some((*c).to_owned()),
            level: if *l == "error" {
                Level::Error
            } else if *l == "warning" {
                Level::Warning
            } else {
                Level::Info
            },
            message: Some((*m).to_owned()),
            ..Default::default()
        });
        t -= Duration::from_millis(200 + rng.below(3000) as u64);
    }
    crumbs.reverse();
    ev.breadcrumbs = crumbs.into();
    ev.contexts.insert(
        "trace".into(),
        Context::Trace(Box::new(TraceContext {
            trace_id,
            span_id: failing,
            op: Some("db".into()),
            status: Some(SpanStatus::InternalError),
            ..Default::default()
        })),
    );
    client.capture_event(ev, None);

    // The request it failed in, with the failing span inside.
    let child = |id: SpanId, op: &str, desc: &str, a: f64, b: f64, status: SpanStatus| Span {
        span_id: id,
        trace_id,
        parent_span_id: Some(root),
        op: Some(op.into()),
        description: Some(desc.into()),
        start_timestamp: start + dur.mul_f64(a),
        timestamp: Some(start + dur.mul_f64(b)),
        status: Some(status),
        ..Default::default()
    };
    let spans = vec![
        child(
            SpanId::from(random_bytes::<8>(rng)),
            "middleware",
            "auth",
            0.01,
            0.08,
            SpanStatus::Ok,
        ),
        child(
            failing,
            "db",
            "SELECT … FOR UPDATE",
            0.10,
            0.70,
            SpanStatus::InternalError,
        ),
        child(
            SpanId::from(random_bytes::<8>(rng)),
            "cache.get",
            "GET session",
            0.72,
            0.75,
            SpanStatus::Ok,
        ),
    ];
    let mut contexts = Map::new();
    contexts.insert(
        "trace".to_owned(),
        Context::Trace(Box::new(TraceContext {
            trace_id,
            span_id: root,
            op: Some(if kind.project == "web" {
                "pageload".into()
            } else if kind.project == "worker" {
                "queue.task".into()
            } else {
                "http.server".into()
            }),
            status: Some(SpanStatus::InternalError),
            ..Default::default()
        })),
    );
    let txn = Transaction {
        name: Some(kind.transaction.to_owned()),
        environment: Some(env.into()),
        tags,
        platform: platform(kind).into(),
        timestamp: Some(end),
        start_timestamp: start,
        spans,
        contexts,
        server_name: origin.server.clone().map(Into::into),
        ..Default::default()
    };
    let mut envelope = Envelope::new();
    envelope.add_item(txn);
    client.send_envelope(envelope);
    let _ = UNIX_EPOCH;
}
