//! Renders the store's compact records as Sentry API JSON (built here with `json!`, never with
//! the dashboard's types).
//!
//! Over 400 lines because an event's JSON (error or transaction, both flavors, with tags, contexts and entries) is one document; spans are in `spans`.

mod spans;

pub use spans::*;

use crate::kinds::{platform_crumbs, KINDS};
use crate::rng::{hex128, hex64, Rng};
use crate::store::{Event, Store, ENVS};
use crate::time::iso;
use serde_json::{json, Map, Value};

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

/// The environment of an event (ingested events may name any).
pub fn event_env(e: &crate::store::Event) -> String {
    match &e.raw {
        Some(r) => r
            .tags
            .iter()
            .find(|(k, _)| k == "environment")
            .map_or_else(|| "production".into(), |(_, v)| v.clone()),
        None => ENVS[e.env as usize].to_owned(),
    }
}
