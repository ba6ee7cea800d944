//! Renders the store's compact records as Sentry API JSON (built here with `json!`, never with
//! the dashboard's types).

use crate::kinds::{platform_crumbs, KINDS};
use crate::rng::{hash2, hex128, hex64, Rng};
use crate::store::{Event, Store, Txn, ENVS};
use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use serde_json::{json, Map, Value};

/// RFC 3339 with microseconds and `Z`, as Sentry writes times.
pub fn iso(t: f64) -> String {
    let secs = t.floor();
    let nanos = ((t - secs) * 1e9) as u32;
    let dt: DateTime<Utc> = Utc
        .timestamp_opt(secs as i64, nanos)
        .single()
        .unwrap_or_default();
    dt.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// RFC 3339 with whole seconds.
pub fn iso_s(t: f64) -> String {
    let dt: DateTime<Utc> = Utc.timestamp_opt(t as i64, 0).single().unwrap_or_default();
    dt.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The id of generated span `i` (1-based) of a transaction; the root is the transaction's own.
pub fn span_id(txn: &Txn, i: u32) -> u64 {
    if i == 0 {
        txn.span
    } else {
        hash2(txn.seed, 100 + u64::from(i))
    }
}

/// The span errors happen in (generated span 2).
pub fn error_span_of(txn: &Txn) -> u64 {
    span_id(txn, 2)
}

/// The span that calls the next service (generated span 3): parent of child transactions.
pub fn child_link_span(txn: &Txn) -> u64 {
    span_id(txn, 3)
}

/// When a child transaction called from [`child_link_span`] starts.
pub fn child_start(txn: &Txn) -> f64 {
    txn.start + f64::from(txn.dur_ms) / 1000.0 * 0.4 + 0.005
}

/// One span of a transaction.
#[derive(Clone, Debug)]
pub struct SpanRec {
    pub id: u64,
    pub parent: Option<u64>,
    pub op: String,
    pub description: String,
    pub start: f64,
    pub end: f64,
    pub status: &'static str,
    pub data: Vec<(String, Value)>,
}

/// The spans of a transaction, root first. Generated ones are deterministic from the seed;
/// ingested ones come from the SDK payload.
pub fn spans(store: &Store, txn: &Txn) -> Vec<SpanRec> {
    let start = txn.start;
    let dur = f64::from(txn.dur_ms) / 1000.0;
    let end = start + dur;
    let name = store.names[txn.name as usize].clone();
    let root = SpanRec {
        id: txn.span,
        parent: txn.parent_span,
        op: txn.op.into(),
        description: name.clone(),
        start,
        end,
        status: if txn.ok { "ok" } else { "internal_error" },
        data: Vec::new(),
    };
    if let Some(raw) = &txn.raw {
        let mut out = vec![root];
        for s in raw
            .get("spans")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .take(50_000)
        {
            let id = s
                .get("span_id")
                .and_then(Value::as_str)
                .and_then(crate::rng::parse_hex64);
            let Some(id) = id else { continue };
            out.push(SpanRec {
                id,
                parent: s
                    .get("parent_span_id")
                    .and_then(Value::as_str)
                    .and_then(crate::rng::parse_hex64),
                op: s.get("op").and_then(Value::as_str).unwrap_or("").into(),
                description: s
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .into(),
                start: s
                    .get("start_timestamp")
                    .and_then(crate::ingest::timestamp_value)
                    .unwrap_or(start),
                end: s
                    .get("timestamp")
                    .and_then(crate::ingest::timestamp_value)
                    .unwrap_or(end),
                status: match s.get("status").and_then(Value::as_str) {
                    Some("ok") | None => "ok",
                    Some(_) => "internal_error",
                },
                data: s
                    .get("data")
                    .and_then(Value::as_object)
                    .map(|m| {
                        m.iter()
                            .take(50)
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect()
                    })
                    .unwrap_or_default(),
            });
        }
        return out;
    }
    let at = |a: f64, b: f64| (start + dur * a, start + dur * b);
    let mk = |i: u32, op: &str, desc: String, (s, e): (f64, f64), parent: u64| SpanRec {
        id: span_id(txn, i),
        parent: Some(parent),
        op: op.into(),
        description: desc,
        start: s,
        end: e,
        status: "ok",
        data: Vec::new(),
    };
    let mut rng = Rng::new(txn.seed);
    let mut out = vec![root];
    let r = txn.span;
    match txn.project {
        0 => {
            let table = *rng.pick(&[
                "orders_order",
                "catalog_product",
                "accounts_user",
                "cart_line",
            ]);
            out.push(mk(
                1,
                "middleware.django",
                "django.contrib.sessions.middleware.SessionMiddleware.__call__".into(),
                at(0.01, 0.08),
                r,
            ));
            let mut db = mk(2, "db", format!("SELECT \"{table}\".\"id\", \"{table}\".\"created\" FROM \"{table}\" WHERE \"{table}\".\"id\" = %s"), at(0.10, 0.35), r);
            db.data.push(("db.system".into(), json!("postgresql")));
            if !txn.ok {
                db.status = "internal_error";
            }
            out.push(db);
            out.push(mk(
                3,
                "http.client",
                "POST http://queue.internal/v1/enqueue".into(),
                at(0.40, 0.70),
                r,
            ));
            out.push(mk(
                4,
                "cache.get",
                "GET session:8f2c41d0".into(),
                at(0.72, 0.75),
                r,
            ));
            let n = rng.below(4) as u32;
            for j in 0..n {
                let a = 0.76 + 0.05 * f64::from(j);
                out.push(mk(
                    5 + j,
                    "db",
                    format!("SELECT … FROM \"{table}\" LIMIT 50 OFFSET {}", j * 50),
                    at(a, a + 0.04),
                    r,
                ));
            }
        }
        1 => {
            out.push(mk(1, "queue.process", name.clone(), at(0.0, 0.05), r));
            let mut db = mk(
                2,
                "db",
                "SELECT id, amount_cents, currency FROM invoices WHERE id = $1 FOR UPDATE".into(),
                at(0.06, 0.30),
                r,
            );
            if !txn.ok {
                db.status = "internal_error";
            }
            out.push(db);
            out.push(mk(
                3,
                "http.client",
                "POST https://api.payments.example/v1/charges".into(),
                at(0.32, 0.80),
                r,
            ));
            out.push(mk(
                4,
                "db",
                "UPDATE invoices SET state = 'paid' WHERE id = $1".into(),
                at(0.82, 0.9),
                r,
            ));
            out.push(mk(
                5,
                "cache.set",
                "SET invoice:91823:state".into(),
                at(0.91, 0.93),
                r,
            ));
            // The big demo trace: batches of database spans, 50 to a batch.
            let extra = txn.extra_spans;
            let mut batch = r;
            for j in 0..extra {
                let a = 0.94 * f64::from(j) / f64::from(extra.max(1));
                let b = a + 0.9 / f64::from(extra.max(1));
                if j % 50 == 0 {
                    let mut s = mk(
                        6 + j,
                        "function",
                        format!("reindex batch {}", j / 50),
                        at(a, (a + 50.0 * 0.94 / f64::from(extra)).min(0.999)),
                        r,
                    );
                    s.parent = Some(r);
                    batch = s.id;
                    out.push(s);
                } else {
                    out.push(mk(
                        6 + j,
                        "db",
                        format!(
                            "UPDATE catalog_search SET doc = $1 WHERE product_id = {}",
                            100_000 + j
                        ),
                        at(a, b),
                        batch,
                    ));
                }
            }
        }
        _ => {
            out.push(mk(
                1,
                "browser",
                "domContentLoadedEvent".into(),
                at(0.02, 0.15),
                r,
            ));
            out.push(mk(
                2,
                "resource.script",
                "https://shop.example.com/static/js/main.8c1f3a2e.js".into(),
                at(0.05, 0.2),
                r,
            ));
            let fetch = mk(
                3,
                "http.client",
                "GET https://api.shop.example.com/v1/cart".into(),
                (start + 0.29, end - 0.45),
                r,
            );
            out.push(fetch);
            out.push(mk(
                4,
                "ui.long-task",
                "Main UI thread blocked".into(),
                at(0.85, 0.9),
                r,
            ));
            out.push(mk(
                5,
                "mark",
                "first-contentful-paint".into(),
                at(0.2, 0.2),
                r,
            ));
        }
    }
    out
}

fn server_tags(store: &Store, server: Option<u16>) -> Vec<(String, String)> {
    let mut tags = Vec::new();
    if let Some(s) = server {
        let s = &store.servers[s as usize];
        tags.push(("server_name".into(), s.name.clone()));
        if !s.cloud.is_empty() {
            tags.push(("cloud".into(), s.cloud.into()));
        }
        if !s.region.is_empty() {
            tags.push(("region".into(), s.region.into()));
        }
    }
    tags
}

fn runtime_of(platform: &str) -> (&'static str, &'static str) {
    match platform {
        "python" => ("CPython", "3.12.4"),
        "rust" => ("rustc", "1.82.0"),
        _ => ("Chrome", "131.0.6778"),
    }
}

fn sdk_of(platform: &str) -> (&'static str, &'static str) {
    match platform {
        "python" => ("sentry.python.django", "2.19.0"),
        "rust" => ("sentry.rust", "0.34.0"),
        _ => ("sentry.javascript.react", "8.42.0"),
    }
}

/// User fields of a simulated user.
pub fn user_json(u: u32) -> Value {
    json!({
        "id": u.to_string(),
        "email": format!("user{u}@shop.example"),
        "username": format!("user{u}"),
        "ip_address": format!("10.{}.{}.{}", (u >> 16) & 255, (u >> 8) & 255, u & 255),
        "name": null,
        "data": null,
    })
}

/// The tags of an event, as `(key, value)` pairs (also what search matches against).
pub fn event_tags(store: &Store, e: &Event) -> Vec<(String, String)> {
    if let Some(raw) = &e.raw {
        return raw.tags.clone();
    }
    let issue = &store.issues[e.issue as usize];
    let kind = issue.kind.map(|k| &KINDS[k]);
    let platform = &store.projects[e.project as usize].platform;
    let (rt, rtv) = runtime_of(platform);
    let mut tags = vec![
        ("environment".into(), ENVS[e.env as usize].to_string()),
        ("level".into(), issue.level.clone()),
        (
            "handled".into(),
            if kind.is_some_and(|k| k.handled) {
                "yes"
            } else {
                "no"
            }
            .to_string(),
        ),
        ("mechanism".into(), mechanism_of(platform).to_string()),
    ];
    tags.extend(server_tags(store, e.server));
    if let Some(r) = e.release {
        tags.push(("release".into(), store.releases[r as usize].version.clone()));
    }
    if platform == "javascript" {
        tags.push(("browser".into(), "Chrome 131.0.6778".into()));
        tags.push(("browser.name".into(), "Chrome".into()));
        tags.push((
            "os.name".into(),
            if e.seed.is_multiple_of(3) {
                "Android"
            } else {
                "Windows"
            }
            .into(),
        ));
    } else {
        tags.push(("runtime".into(), format!("{rt} {rtv}")));
        tags.push(("runtime.name".into(), rt.into()));
        tags.push(("os.name".into(), "Linux".into()));
    }
    if let Some(k) = kind {
        tags.push(("transaction".into(), k.transaction.into()));
        if k.project == "api" {
            tags.push((
                "url".into(),
                format!(
                    "https://api.shop.example.com{}",
                    k.transaction.split(' ').nth(1).unwrap_or("/")
                ),
            ));
        }
    }
    tags.push(("user".into(), format!("id:{}", e.user)));
    tags
}

fn mechanism_of(platform: &str) -> &'static str {
    match platform {
        "python" => "django",
        "rust" => "panic",
        _ => "onerror",
    }
}

/// Which event JSON to render.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum EventForm {
    /// Everything (one event endpoints, `full=true`).
    Full,
    /// The light list form of `…/issues/{id}/events/`.
    Light,
    /// GlitchTip's snake_case list form.
    GlitchtipLight,
}

/// An error event as the API returns it.
pub fn event_json(store: &Store, idx: u32, form: EventForm) -> Value {
    let e = &store.events[idx as usize];
    let issue = &store.issues[e.issue as usize];
    let project = &store.projects[e.project as usize];
    let tags: Vec<Value> = event_tags(store, e)
        .into_iter()
        .map(|(k, v)| json!({"key": k, "value": v}))
        .collect();
    let user = match &e.raw {
        Some(raw) => raw.json.get("user").cloned().unwrap_or(Value::Null),
        None => user_json(e.user),
    };
    let title = match &e.raw {
        Some(raw) => raw
            .json
            .get("title")
            .cloned()
            .unwrap_or_else(|| json!(issue.title)),
        None => json!(issue.title),
    };
    let message = match &e.raw {
        Some(raw) => json!(raw.message),
        None => json!(""),
    };
    let location = if issue.filename.is_empty() {
        Value::Null
    } else {
        json!(issue.filename)
    };
    let metadata = json!({"type": issue.exc_type, "value": issue.value, "filename": issue.filename, "function": issue.function});
    match form {
        EventForm::GlitchtipLight => {
            return json!({
                "event_id": hex128(e.id),
                "id": hex128(e.id),
                "title": title,
                "message": message,
                "culprit": issue.culprit,
                "date_created": iso(e.ts),
                "date_received": iso(e.ts + 0.3),
                "tags": tags,
                "user": user,
                "platform": project.platform,
                "type": if issue.exc_type.is_empty() { "default" } else { "error" },
                "metadata": metadata,
            });
        }
        EventForm::Light => {
            return json!({
                "id": hex128(e.id),
                "eventID": hex128(e.id),
                "groupID": issue.id.to_string(),
                "projectID": project.id.to_string(),
                "title": title,
                "message": message,
                "platform": project.platform,
                "event.type": if issue.exc_type.is_empty() { "default" } else { "error" },
                "dateCreated": iso(e.ts),
                "tags": tags,
                "user": user,
                "culprit": issue.culprit,
                "location": location,
                "crashFile": null,
                "metadata": metadata,
            });
        }
        EventForm::Full => {}
    }
    let pos = issue.events.iter().position(|&i| i == idx);
    let prev = pos
        .and_then(|p| p.checked_sub(1))
        .map(|p| hex128(store.events[issue.events[p] as usize].id));
    let next = pos
        .and_then(|p| issue.events.get(p + 1))
        .map(|&i| hex128(store.events[i as usize].id));
    let release = e.release.map(|r| {
        let r = &store.releases[r as usize];
        json!({"version": r.version, "dateCreated": iso(r.created), "dateReleased": iso(r.deployed), "ref": null, "url": null})
    });
    let mut out = if let Some(raw) = &e.raw {
        let mut v = raw.json.clone();
        if let Some(o) = v.as_object_mut() {
            o.insert("tags".into(), json!(tags));
            o.insert("groupID".into(), json!(issue.id.to_string()));
        }
        v
    } else {
        generated_event(store, e, &tags, release)
    };
    if let Some(o) = out.as_object_mut() {
        o.insert("previousEventID".into(), json!(prev));
        o.insert("nextEventID".into(), json!(next));
    }
    out
}

fn generated_event(store: &Store, e: &Event, tags: &[Value], release: Option<Value>) -> Value {
    let issue = &store.issues[e.issue as usize];
    let project = &store.projects[e.project as usize];
    let kind = &KINDS[issue.kind.unwrap_or(0)];
    let mut rng = Rng::new(e.seed);
    let platform = project.platform.as_str();
    let mut entries = Vec::new();
    if !kind.message_only {
        let frames: Vec<Value> = kind
            .frames
            .iter()
            .map(|f| {
                let context: Vec<Value> = (0..5)
                    .map(|d| {
                        let n = f.line as i64 - 2 + d;
                        let text = match d {
                            2 => f.code.to_owned(),
                            0 if platform == "python" => format!("def {}(self, *args, **kwargs):", f.func.rsplit('.').next().unwrap_or(f.func)),
                            1 => String::new(),
                            _ => "    …".to_owned(),
                        };
                        json!([n, text])
                    })
                    .collect();
                let vars = if f.vars.is_empty() {
                    Value::Null
                } else {
                    Value::Object(f.vars.iter().map(|(k, v)| ((*k).to_owned(), json!(v))).collect::<Map<_, _>>())
                };
                json!({
                    "filename": f.file, "absPath": f.abs, "module": if f.module.is_empty() { Value::Null } else { json!(f.module) },
                    "package": null, "platform": null, "instructionAddr": null, "symbolAddr": null, "symbol": null,
                    "function": f.func, "lineNo": f.line, "colNo": if platform == "javascript" { json!(17) } else { Value::Null },
                    "inApp": f.in_app, "context": context, "vars": vars, "trust": null, "errors": null,
                })
            })
            .collect();
        let stacktrace = if frames.is_empty() {
            Value::Null
        } else {
            json!({"frames": frames, "framesOmitted": null, "registers": null, "hasSystemFrames": kind.frames.iter().any(|f| !f.in_app)})
        };
        entries.push(json!({"type": "exception", "data": {
            "values": [{
                "type": kind.exc_type, "value": kind.value, "module": null, "threadId": null, "rawStacktrace": null,
                "mechanism": {"type": mechanism_of(platform), "handled": kind.handled},
                "stacktrace": stacktrace,
            }],
            "excOmitted": null, "hasSystemFrames": true,
        }}));
    } else {
        entries.push(json!({"type": "message", "data": {"formatted": kind.value, "message": null, "params": null}}));
    }
    // Breadcrumbs: the platform's usual traffic, then what led to this error, oldest first.
    let generic = platform_crumbs(kind.project);
    let count = 4 + rng.below(12);
    let mut crumbs = Vec::new();
    let mut t = e.ts - 0.05;
    let mut list: Vec<(&str, &str, String)> = kind
        .crumbs
        .iter()
        .rev()
        .map(|(c, l, m)| (*c, *l, (*m).to_owned()))
        .collect();
    for i in 0..count {
        let (c, l, m) = generic[i % generic.len()];
        list.push((c, l, m.to_owned()));
    }
    for (c, l, m) in list {
        let ty = match c {
            "http" | "fetch" | "xhr" => "http",
            "query" => "query",
            "navigation" => "navigation",
            "ui.click" => "user",
            _ => "default",
        };
        let data = if ty == "http" {
            let mut parts = m.split(' ');
            json!({"method": parts.next().unwrap_or("GET"), "url": parts.next().unwrap_or("/"), "status_code": if l == "error" { 502 } else { 200 }})
        } else {
            Value::Null
        };
        crumbs.push(json!({"timestamp": iso(t), "type": ty, "category": c, "level": l, "message": m, "data": data, "event_id": null}));
        t -= rng.range(0.2, 4.0);
    }
    crumbs.reverse();
    entries.push(json!({"type": "breadcrumbs", "data": {"values": crumbs}}));
    if kind.project == "api" {
        let mut parts = kind.transaction.split(' ');
        let method = parts.next().unwrap_or("GET");
        let path = parts.next().unwrap_or("/");
        entries.push(json!({"type": "request", "data": {
            "url": format!("https://api.shop.example.com{path}"), "method": method,
            "query": if path.contains("catalog") { json!([["page", "3"], ["category", "shoes"]]) } else { json!([]) },
            "headers": [["Accept", "application/json"], ["User-Agent", "ShopApp/5.12 (iOS 18.1)"], ["X-Request-Id", hex128(e.id)]],
            "data": null, "env": {"SERVER_NAME": e.server.map(|s| store.servers[s as usize].name.clone())},
            "fragment": null, "cookies": [], "inferredContentType": "application/json",
        }}));
    }
    let (rt, rtv) = runtime_of(platform);
    let (sdk, sdkv) = sdk_of(platform);
    let txn = store
        .trace_txns
        .get(&e.trace)
        .and_then(|ts| ts.first())
        .map(|&i| &store.txns[i as usize]);
    let mut contexts = json!({
        "trace": {"trace_id": hex128(e.trace), "span_id": hex64(e.span), "op": txn.map_or("http.server", |t| t.op), "status": "internal_error", "type": "trace"},
        "os": {"name": if platform == "javascript" { "Windows" } else { "Linux" }, "version": if platform == "javascript" { "10" } else { "6.1.0-27-cloud-amd64" }, "type": "os"},
        "runtime": {"name": rt, "version": rtv, "type": "runtime"},
    });
    if let Some(s) = e.server {
        let s = &store.servers[s as usize];
        contexts["cloud_resource"] = json!({"cloud.provider": s.cloud, "cloud.region": s.region, "host.name": s.name, "type": "default"});
    }
    if platform == "javascript" {
        contexts["browser"] = json!({"name": "Chrome", "version": "131.0.6778", "type": "browser"});
    }
    json!({
        "id": hex128(e.id), "eventID": hex128(e.id), "groupID": issue.id.to_string(), "projectID": project.id.to_string(),
        "title": issue.title, "message": if kind.message_only { json!(kind.value) } else { json!("") },
        "platform": platform, "type": if kind.message_only { "default" } else { "error" },
        "culprit": issue.culprit, "location": if issue.filename.is_empty() { Value::Null } else { json!(format!("{}:{}", issue.filename, kind.frames.last().map_or(0, |f| f.line))) },
        "dateCreated": iso(e.ts), "dateReceived": iso(e.ts + 0.3), "size": 4000 + rng.below(9000),
        "tags": tags, "user": user_json(e.user), "entries": entries, "contexts": contexts,
        "sdk": {"name": sdk, "version": sdkv}, "release": release, "dist": null,
        "metadata": {"type": issue.exc_type, "value": issue.value, "filename": issue.filename, "function": issue.function},
        "fingerprints": [format!("{:032x}", u128::from(crate::rng::hash_str(&issue.group_key)))],
        "errors": [], "userReport": null, "crashFile": null, "occurrence": null, "packages": {}, "context": {},
        "groupingConfig": {"id": "newstyle:2023-01-11", "enhancements": "eJybzDRxY3J-bm5-npWRgaGlroGxrpHxBABcYgcZ"},
        "_meta": {"user": null, "context": null, "entries": {}, "contexts": null, "message": null, "packages": null, "tags": {}, "sdk": null},
        "resolvedWith": [], "sdkUpdates": [],
    })
}

/// A transaction event (`/projects/{org}/{project}/events/{id}/`) with its `spans` entry.
pub fn txn_event_json(store: &Store, idx: u32) -> Value {
    let t = &store.txns[idx as usize];
    let project = &store.projects[t.project as usize];
    let spans = spans(store, t);
    let name = &store.names[t.name as usize];
    let mut tags = vec![
        json!({"key": "environment", "value": ENVS[t.env as usize]}),
        json!({"key": "transaction", "value": name}),
        json!({"key": "transaction.op", "value": t.op}),
        json!({"key": "transaction.status", "value": if t.ok { "ok" } else { "internal_error" }}),
    ];
    for (k, v) in server_tags(store, t.server) {
        tags.push(json!({"key": k, "value": v}));
    }
    if let Some(r) = t.release {
        tags.push(json!({"key": "release", "value": store.releases[r as usize].version}));
    }
    let span_json: Vec<Value> = spans[1..]
        .iter()
        .map(|s| {
            json!({
                "span_id": hex64(s.id), "parent_span_id": s.parent.map(hex64), "trace_id": hex128(t.trace),
                "op": s.op, "description": s.description, "start_timestamp": s.start, "timestamp": s.end,
                "status": s.status, "data": Value::Object(s.data.iter().cloned().collect()), "tags": null,
                "same_process_as_parent": true, "hash": null, "exclusive_time": null,
            })
        })
        .collect();
    json!({
        "id": hex128(t.event_id), "eventID": hex128(t.event_id), "groupID": null, "projectID": project.id.to_string(),
        "title": name, "message": "", "platform": project.platform, "type": "transaction",
        "culprit": name, "location": name, "dateCreated": iso(t.start + f64::from(t.dur_ms) / 1000.0),
        "dateReceived": iso(t.start + f64::from(t.dur_ms) / 1000.0 + 0.2),
        "startTimestamp": t.start, "endTimestamp": t.start + f64::from(t.dur_ms) / 1000.0,
        "tags": tags, "user": user_json(t.user),
        "entries": [{"type": "spans", "data": span_json}],
        "contexts": {"trace": {"trace_id": hex128(t.trace), "span_id": hex64(t.span), "parent_span_id": t.parent_span.map(hex64), "op": t.op, "status": if t.ok { "ok" } else { "internal_error" }, "type": "trace"}},
        "sdk": {"name": sdk_of(&project.platform).0, "version": sdk_of(&project.platform).1},
        "release": t.release.map(|r| json!({"version": store.releases[r as usize].version})),
        "metadata": {}, "errors": [], "size": 2000 + spans.len() * 200, "measurements": {}, "breakdowns": null,
        "previousEventID": null, "nextEventID": null, "_meta": {}, "fingerprints": [], "occurrence": null,
        "context": {}, "dist": null, "packages": {}, "resolvedWith": [], "sdkUpdates": [], "userReport": null,
    })
}
