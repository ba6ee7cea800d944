//! An error event from an SDK into the store: fields, tags, exception frames, breadcrumbs, request, user; grouped into an issue by fingerprint.

use crate::rng::{hash_str, hex128, parse_hex128, parse_hex64};
use crate::store::{culprit_of, issue_title, Event, RawEvent, Store};
use crate::time::iso;
use crate::time::now;
use crate::time::timestamp_value;
use serde_json::{json, Value};

pub fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub fn list(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(Value::Object(o)) => o
            .get("values")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

pub fn frame_json(f: &Value) -> Value {
    let line = f.get("lineno").and_then(Value::as_u64);
    let mut context = Vec::new();
    if let Some(l) = line {
        let pre = list(f.get("pre_context"));
        for (i, p) in pre.iter().enumerate() {
            context.push(json!([l as i64 - (pre.len() - i) as i64, p]));
        }
        if let Some(c) = f.get("context_line") {
            context.push(json!([l, c]));
        }
        for (i, p) in list(f.get("post_context")).iter().enumerate() {
            context.push(json!([l + 1 + i as u64, p]));
        }
    }
    json!({
        "filename": f.get("filename"), "absPath": f.get("abs_path"), "module": f.get("module"), "package": f.get("package"),
        "function": f.get("function"), "lineNo": f.get("lineno"), "colNo": f.get("colno"),
        "inApp": f.get("in_app"), "context": context, "vars": f.get("vars"), "platform": f.get("platform"),
        "instructionAddr": f.get("instruction_addr"), "symbol": f.get("symbol"), "symbolAddr": null, "trust": null, "errors": null,
    })
}

pub fn pairs(v: Option<&Value>) -> Vec<(String, String)> {
    match v {
        Some(Value::Object(o)) => o
            .iter()
            .map(|(k, v)| (k.clone(), text(Some(v)).unwrap_or_else(|| v.to_string())))
            .collect(),
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|p| {
                let p = p.as_array()?;
                Some((text(p.first())?, text(p.get(1)).unwrap_or_default()))
            })
            .collect(),
        _ => Vec::new(),
    }
}

pub fn message_of(p: &Value) -> Option<String> {
    match p.get("logentry").or_else(|| p.get("message")) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Object(o)) => text(o.get("formatted")).or_else(|| text(o.get("message"))),
        _ => None,
    }
}

/// Ingests one error event; returns its id.
pub fn ingest_event(s: &mut Store, project: usize, p: &Value) -> u128 {
    let t_now = now();
    let id = p
        .get("event_id")
        .and_then(Value::as_str)
        .and_then(parse_hex128)
        .unwrap_or_else(|| {
            (u128::from(hash_str(&format!("{t_now}{}", s.events.len()))) << 64)
                | u128::from(hash_str(&t_now.to_string()))
        });
    let ts = p
        .get("timestamp")
        .and_then(timestamp_value)
        .unwrap_or(t_now);
    let platform = text(p.get("platform")).unwrap_or_else(|| s.projects[project].platform.clone());
    let level = text(p.get("level")).unwrap_or_else(|| "error".into());
    let exceptions = list(p.get("exception"));
    let message = message_of(p);
    let top = exceptions.last().copied();
    let frames: Vec<&Value> = top
        .map(|e| list(e.get("stacktrace").and_then(|s| s.get("frames"))))
        .unwrap_or_default();
    let top_in_app = frames
        .iter()
        .rev()
        .find(|f| f.get("in_app").and_then(Value::as_bool) == Some(true))
        .or(frames.last())
        .copied();
    let exc_type = top.and_then(|e| text(e.get("type"))).unwrap_or_default();
    let exc_value = top.and_then(|e| text(e.get("value"))).unwrap_or_default();
    let func = top_in_app
        .and_then(|f| text(f.get("function")))
        .unwrap_or_default();
    let fingerprint: Vec<String> = list(p.get("fingerprint"))
        .into_iter()
        .filter_map(|v| text(Some(v)))
        .collect();
    let group_key = if !fingerprint.is_empty() && fingerprint != ["{{ default }}"] {
        format!("fp:{}", fingerprint.join("|"))
    } else if top.is_some() {
        format!("exc:{exc_type}:{func}")
    } else {
        format!("msg:{}", message.clone().unwrap_or_default())
    };
    let title = if top.is_some() {
        issue_title(&exc_type, &exc_value)
    } else {
        crate::store::truncate(message.as_deref().unwrap_or("<unlabeled event>"), 200)
    };
    let transaction = text(p.get("transaction")).unwrap_or_default();
    let culprit = text(p.get("culprit")).unwrap_or_else(|| match top_in_app {
        Some(f) => culprit_of(
            &platform,
            &text(f.get("module")).unwrap_or_default(),
            &func,
            &text(f.get("filename")).unwrap_or_default(),
        ),
        None => transaction.clone(),
    });

    // Tags: the SDK's own, plus what Sentry derives from the event.
    let mut tags = pairs(p.get("tags"));
    let mut set = |k: &str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            if !tags.iter().any(|(key, _)| key == k) {
                tags.push((k.to_owned(), v));
            }
        }
    };
    let environment = text(p.get("environment")).unwrap_or_else(|| "production".into());
    set("environment", Some(environment.clone()));
    set("level", Some(level.clone()));
    set("release", text(p.get("release")));
    set("server_name", text(p.get("server_name")));
    set("transaction", Some(transaction.clone()));
    set(
        "handled",
        top.and_then(|e| e.get("mechanism"))
            .and_then(|m| m.get("handled"))
            .and_then(Value::as_bool)
            .map(|h| if h { "yes".into() } else { "no".into() }),
    );
    set(
        "mechanism",
        top.and_then(|e| e.get("mechanism"))
            .and_then(|m| text(m.get("type"))),
    );
    let contexts = p.get("contexts").cloned().unwrap_or_else(|| json!({}));
    set(
        "runtime",
        contexts.get("runtime").map(|r| {
            format!(
                "{} {}",
                text(r.get("name")).unwrap_or_default(),
                text(r.get("version")).unwrap_or_default()
            )
        }),
    );
    set(
        "os.name",
        contexts.get("os").and_then(|o| text(o.get("name"))),
    );
    set(
        "browser",
        contexts.get("browser").map(|b| {
            format!(
                "{} {}",
                text(b.get("name")).unwrap_or_default(),
                text(b.get("version")).unwrap_or_default()
            )
        }),
    );
    let user = p.get("user").cloned().unwrap_or(Value::Null);
    set(
        "user",
        user.get("id")
            .and_then(|v| text(Some(v)))
            .map(|id| format!("id:{id}")),
    );
    set("url", p.get("request").and_then(|r| text(r.get("url"))));

    let server = tags
        .iter()
        .find(|(k, _)| k == "server_name")
        .map(|(_, v)| v.clone())
        .map(|n| s.server_index_or_add(&n, &tags));
    let trace = contexts
        .get("trace")
        .and_then(|t| t.get("trace_id"))
        .and_then(Value::as_str)
        .and_then(parse_hex128)
        .unwrap_or(0);
    let span = contexts
        .get("trace")
        .and_then(|t| t.get("span_id"))
        .and_then(Value::as_str)
        .and_then(parse_hex64)
        .unwrap_or(0);

    let mut entries = Vec::new();
    if !exceptions.is_empty() {
        let values: Vec<Value> = exceptions
            .iter()
            .map(|e| {
                let frames: Vec<Value> = list(e.get("stacktrace").and_then(|s| s.get("frames"))).into_iter().map(frame_json).collect();
                json!({
                    "type": e.get("type"), "value": e.get("value"), "module": e.get("module"), "threadId": e.get("thread_id"),
                    "mechanism": e.get("mechanism"), "rawStacktrace": null,
                    "stacktrace": if frames.is_empty() { Value::Null } else { json!({"frames": frames, "framesOmitted": null, "registers": null, "hasSystemFrames": true}) },
                })
            })
            .collect();
        entries.push(json!({"type": "exception", "data": {"values": values, "excOmitted": null, "hasSystemFrames": true}}));
    } else if let Some(m) = &message {
        entries.push(
            json!({"type": "message", "data": {"formatted": m, "message": null, "params": null}}),
        );
    }
    let crumbs = list(p.get("breadcrumbs"));
    if !crumbs.is_empty() {
        let values: Vec<Value> = crumbs
            .iter()
            .map(|b| {
                let t = b.get("timestamp").and_then(timestamp_value).map(iso);
                json!({"timestamp": t, "type": b.get("type").cloned().unwrap_or(json!("default")), "category": b.get("category"), "level": b.get("level").cloned().unwrap_or(json!("info")), "message": b.get("message"), "data": b.get("data"), "event_id": null})
            })
            .collect();
        entries.push(json!({"type": "breadcrumbs", "data": {"values": values}}));
    }
    if let Some(r) = p.get("request") {
        let query = match r.get("query_string") {
            Some(Value::String(q)) => json!(crate::http::parse_query(q)
                .into_iter()
                .map(|(k, v)| json!([k, v]))
                .collect::<Vec<_>>()),
            Some(other) => json!(pairs(Some(other))
                .into_iter()
                .map(|(k, v)| json!([k, v]))
                .collect::<Vec<_>>()),
            None => json!([]),
        };
        entries.push(json!({"type": "request", "data": {
            "url": r.get("url"), "method": r.get("method"), "query": query,
            "headers": pairs(r.get("headers")).into_iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
            "data": r.get("data"), "env": r.get("env"), "fragment": r.get("fragment"), "cookies": [], "inferredContentType": null,
        }}));
    }
    if let Some(threads) = p.get("threads") {
        entries.push(json!({"type": "threads", "data": {"values": list(Some(threads)).iter().map(|t| json!({
            "id": t.get("id"), "name": t.get("name"), "crashed": t.get("crashed"), "current": t.get("current"),
            "stacktrace": t.get("stacktrace").map(|st| json!({"frames": list(st.get("frames")).into_iter().map(frame_json).collect::<Vec<_>>()})),
        })).collect::<Vec<_>>()}}));
    }

    let issue = match s
        .group_index
        .get(&format!("{project}|{group_key}"))
        .copied()
    {
        Some(i) => {
            let is = &mut s.issues[i as usize];
            if is.status == "resolved" {
                is.status = "unresolved".into();
                is.substatus = "regressed".into();
            }
            i
        }
        None => {
            let mut is = s.new_issue(
                project,
                title.clone(),
                culprit.clone(),
                &level,
                &exc_type,
                &exc_value,
                group_key.clone(),
            );
            is.is_unhandled = top
                .and_then(|e| e.get("mechanism"))
                .and_then(|m| m.get("handled"))
                .and_then(Value::as_bool)
                == Some(false);
            if let Some(f) = top_in_app {
                is.filename = text(f.get("filename")).unwrap_or_default();
                is.function = func.clone();
            }
            if top.is_none() {
                is.exc_type = String::new();
                is.value = message.clone().unwrap_or_default();
            }
            s.issues.push(is);
            let i = (s.issues.len() - 1) as u32;
            s.group_index.insert(format!("{project}|{group_key}"), i);
            i
        }
    };
    let issue_id = s.issues[issue as usize].id;
    let pr = &s.projects[project];
    let json = json!({
        "id": hex128(id), "eventID": hex128(id), "groupID": issue_id.to_string(), "projectID": pr.id.to_string(),
        "title": title, "message": message.clone().unwrap_or_default(), "platform": platform,
        "type": if top.is_some() { "error" } else { "default" }, "culprit": culprit,
        "location": top_in_app.and_then(|f| text(f.get("filename"))),
        "dateCreated": iso(ts), "dateReceived": iso(t_now), "size": 0,
        "user": user, "entries": entries, "contexts": contexts, "sdk": p.get("sdk"),
        "release": text(p.get("release")).map(|v| json!({"version": v})), "dist": p.get("dist"),
        "metadata": {"type": exc_type, "value": exc_value, "function": func},
        "fingerprints": [format!("{:032x}", u128::from(hash_str(&group_key)))],
        "context": p.get("extra").cloned().unwrap_or_else(|| json!({})),
        "errors": [], "userReport": null, "crashFile": null, "occurrence": null, "packages": p.get("modules").cloned().unwrap_or_else(|| json!({})),
        "_meta": {}, "resolvedWith": [], "sdkUpdates": [],
    });
    let user_num = user.get("id").and_then(|v| text(Some(v))).map_or(0, |u| {
        u.parse()
            .unwrap_or_else(|_| (hash_str(&u) % 1_000_000) as u32)
    });
    let env_idx = crate::store::ENVS
        .iter()
        .position(|e| *e == environment)
        .unwrap_or(0) as u8;
    // Like Sentry, an event naming an unknown release creates it.
    let release = text(p.get("release")).and_then(|v| s.release_index_or_add(project, &v, ts));
    s.insert_event(Event {
        id,
        issue,
        project: project as u8,
        ts,
        server,
        env: env_idx,
        release,
        user: user_num,
        trace,
        span,
        seed: hash_str(&hex128(id)),
        raw: Some(Box::new(RawEvent {
            json,
            tags,
            level,
            transaction,
            message: message.unwrap_or_default(),
        })),
    });
    id
}
