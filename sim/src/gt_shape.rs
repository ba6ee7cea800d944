//! GlitchTip's answer shapes. The simulator builds its objects in Sentry's shape; the `glitchtip`
//! flavor passes them through here, which keeps exactly the fields GlitchTip 5.1 sends (with its
//! spellings, types and `null`s, as recorded from a live instance) and drops Sentry's extras.
//!
//! Over 400 lines because it is a table: one reshaping rule per endpoint where GlitchTip's answer differs from Sentry's.

use serde_json::{json, Map, Value};

const ORG: &[&str] = &[
    "name",
    "id",
    "dateCreated",
    "status",
    "avatar",
    "isEarlyAdopter",
    "require2fa",
    "slug",
    "isAcceptingEvents",
    "eventThrottleRate",
];
const PROJECT: &[&str] = &[
    "name",
    "slug",
    "id",
    "avatar",
    "color",
    "features",
    "hasAccess",
    "isBookmarked",
    "isInternal",
    "isMember",
    "isPublic",
    "scrubIPAddresses",
    "dateCreated",
    "platform",
    "firstEvent",
    "eventThrottleRate",
    "teams",
];
const ISSUE: &[&str] = &[
    "id",
    "count",
    "type",
    "level",
    "status",
    "project",
    "shortId",
    "numComments",
    "stats",
    "shareId",
    "logger",
    "permalink",
    "statusDetails",
    "subscriptionDetails",
    "userCount",
    "matchingEventId",
    "firstSeen",
    "lastSeen",
    "title",
    "metadata",
    "culprit",
];
/// The camelCase event (lists of a project, one event); `…/issues/{id}/events/` uses snake_case.
const EVENT: &[&str] = &[
    "platform",
    "errors",
    "id",
    "eventID",
    "projectID",
    "groupID",
    "dateCreated",
    "dateReceived",
    "dist",
    "culprit",
    "packages",
    "type",
    "message",
    "metadata",
    "tags",
    "entries",
    "contexts",
    "context",
    "user",
    "sdk",
    "title",
];
const SNAKE: &[(&str, &str)] = &[
    ("eventID", "event_id"),
    ("projectID", "project_id"),
    ("groupID", "group_id"),
    ("dateCreated", "date_created"),
    ("dateReceived", "date_received"),
];

fn keep(v: &Value, keys: &[&str], defaults: &[(&str, Value)]) -> Value {
    let mut out = Map::new();
    for k in keys {
        let x = v
            .get(*k)
            .cloned()
            .or_else(|| {
                defaults
                    .iter()
                    .find(|(d, _)| d == k)
                    .map(|(_, x)| x.clone())
            })
            .unwrap_or(Value::Null);
        out.insert((*k).to_owned(), x);
    }
    Value::Object(out)
}

fn avatar() -> Value {
    json!({"avatarType": "", "avatarUuid": null})
}

fn org(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        if let Some(x) = o.remove("require2FA") {
            o.insert("require2fa".into(), x);
        }
    }
    keep(
        &v,
        ORG,
        &[
            ("avatar", avatar()),
            ("require2fa", json!(false)),
            ("eventThrottleRate", json!(0)),
            ("isAcceptingEvents", json!(true)),
            ("isEarlyAdopter", json!(false)),
        ],
    )
}

fn project(v: &Value, created: &Value) -> Value {
    let mut p = keep(
        v,
        PROJECT,
        &[
            ("avatar", avatar()),
            ("color", json!("")),
            ("features", json!([])),
            ("hasAccess", json!(true)),
            ("isBookmarked", json!(false)),
            ("isInternal", json!(false)),
            ("isMember", json!(true)),
            ("isPublic", json!(false)),
            ("scrubIPAddresses", json!(true)),
            ("dateCreated", created.clone()),
            ("firstEvent", created.clone()),
            ("eventThrottleRate", json!(0)),
            ("teams", json!([{"id": "1", "slug": "backend"}])),
        ],
    );
    if let Some(id) = p.get("id").cloned() {
        p["id"] = json!(id.as_str().map_or_else(|| id.to_string(), str::to_owned));
    }
    p
}

fn issue(v: &Value, detail: bool) -> Value {
    let m = v.get("metadata").cloned().unwrap_or_default();
    let text = |k: &str| json!(m.get(k).and_then(Value::as_str).unwrap_or(""));
    let mut i = keep(
        v,
        ISSUE,
        &[
            ("type", json!("error")),
            ("numComments", json!(0)),
            ("statusDetails", json!({})),
            ("userCount", json!(0)),
            ("culprit", json!("")),
        ],
    );
    // GlitchTip's lists carry no sparkline data of their own (`issues-stats` has it).
    i["stats"] = json!({"24h": []});
    i["userCount"] = json!(0);
    i["count"] = json!(match &i["count"] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    i["metadata"] = json!({"type": text("type"), "value": text("value"), "filename": text("filename"), "function": text("function")});
    if i["culprit"].is_null() {
        i["culprit"] = json!("");
    }
    if detail {
        i["userReportCount"] = json!(0);
    }
    i
}

/// One event in GlitchTip's camelCase shape; `extra` adds the one-event keys.
fn event(v: &Value, one: bool) -> Value {
    let mut e = keep(
        v,
        EVENT,
        &[
            ("dist", Value::Null),
            ("packages", json!({})),
            ("context", json!({})),
            ("errors", Value::Null),
            ("message", json!("")),
            ("culprit", json!("")),
            ("metadata", json!({})),
            ("entries", json!([])),
            ("contexts", json!({})),
            ("tags", json!([])),
            ("type", json!("error")),
        ],
    );
    e["errors"] = Value::Null;
    e["entries"] = entries(&e["entries"]);
    if e["packages"].is_null() {
        e["packages"] = json!({});
    }
    if e["dateReceived"].is_null() {
        e["dateReceived"] = e["dateCreated"].clone();
    }
    if let Some(n) = e["projectID"].as_str().and_then(|s| s.parse::<u64>().ok()) {
        e["projectID"] = json!(n);
    }
    if let Some(n) = e["groupID"].as_u64() {
        e["groupID"] = json!(n.to_string());
    }
    if let Some(u) = e.get("user").filter(|u| u.is_object()).cloned() {
        e["user"] = keep(&u, &["id", "email", "username", "ip_address"], &[]);
    }
    let sdk = e.get("sdk").cloned().unwrap_or_default();
    e["sdk"] = json!({
        "name": sdk.get("name").cloned().unwrap_or(json!("sentry.python")),
        "version": sdk.get("version").cloned().unwrap_or(json!("2.0.0")),
        "packages": sdk.get("packages").cloned().unwrap_or(json!([])),
        "integrations": sdk.get("integrations").cloned().unwrap_or(json!([])),
    });
    if let Some(Value::Object(c)) = e.get_mut("contexts") {
        if let Some(t) = c.get("trace").cloned() {
            c.insert(
                "trace".into(),
                keep(
                    &t,
                    &["type", "trace_id", "span_id"],
                    &[("type", json!("trace"))],
                ),
            );
        }
    }
    if one {
        let (next, prev) = (
            v.get("nextEventID").cloned().unwrap_or(Value::Null),
            v.get("previousEventID").cloned().unwrap_or(Value::Null),
        );
        e["userReport"] = Value::Null;
        e["nextEventID"] = next;
        e["previousEventID"] = prev;
    }
    e
}

/// The non-null values of `keys` (GlitchTip stores what the SDK sent, and nothing for the rest).
fn present(v: &Value, keys: &[&str]) -> Value {
    let mut out = Map::new();
    for k in keys {
        if let Some(x) = v.get(*k).filter(|x| !x.is_null()) {
            out.insert((*k).to_owned(), x.clone());
        }
    }
    Value::Object(out)
}

/// One stack frame as GlitchTip answers it (`apps/issue_events/utils.py`, `get_entries`): the
/// SDK's keys, with `in_app`, `abs_path`, `colno` and `lineno` renamed and `context` built from
/// the pre/post context around `context_line`.
fn frame(f: &Value) -> Value {
    let mut out = present(
        f,
        &[
            "filename",
            "function",
            "module",
            "lineNo",
            "colNo",
            "absPath",
            "context",
            "inApp",
            "vars",
            "package",
            "platform",
            "symbol",
            "instructionAddr",
        ],
    );
    let line = f.get("lineNo").and_then(Value::as_u64);
    let context_line = f
        .get("context")
        .and_then(Value::as_array)
        .and_then(|c| c.iter().find(|l| l[0].as_u64() == line))
        .and_then(|l| l.get(1))
        .cloned();
    if let Some(cl) = context_line {
        out["context_line"] = cl;
    }
    out
}

/// Event entries as GlitchTip answers them.
fn entries(v: &Value) -> Value {
    each(v, |entry| {
        let data = &entry["data"];
        let data = match entry["type"].as_str() {
            Some("exception") => {
                let mut in_app = false;
                let values = each(&data["values"], |x| {
                    let mut x = present(x, &["type", "value", "module", "mechanism", "stacktrace"]);
                    if let Some(m) = x.get("mechanism").cloned() {
                        x["mechanism"] =
                            present(&m, &["type", "description", "handled", "synthetic", "data"]);
                    }
                    if let Some(st) = x.get("stacktrace").cloned() {
                        let frames = each(&st["frames"], frame);
                        in_app |= frames
                            .as_array()
                            .is_some_and(|fs| fs.iter().any(|f| f["inApp"] == json!(true)));
                        x["stacktrace"] = json!({"frames": frames});
                    }
                    x
                });
                json!({"values": values, "hasSystemFrames": in_app})
            }
            Some("breadcrumbs") => json!({"values": each(&data["values"], |b| {
                let mut b = keep(b, &["type", "category", "message", "data", "level", "timestamp"], &[]);
                b["event_id"] = Value::Null;
                b
            })}),
            // The SDK's request fields without nulls; the query under the SDK's `query_string`,
            // headers and query as sorted `[key, value]` lists (`IngestRequest`).
            Some("request") => {
                let mut r = present(
                    data,
                    &[
                        "url", "method", "headers", "data", "env", "fragment", "cookies",
                    ],
                );
                if let Some(q) = data
                    .get("query")
                    .filter(|q| q.as_array().is_some_and(|a| !a.is_empty()))
                {
                    let mut q = q.as_array().cloned().unwrap_or_default();
                    q.sort_by_key(|a| a.to_string());
                    r["query_string"] = json!(q);
                }
                if let Some(Value::Array(h)) = r.get_mut("headers") {
                    h.sort_by_key(|a| a.to_string());
                }
                r
            }
            _ => data.clone(),
        };
        json!({"type": entry["type"], "data": data})
    })
}

fn snake(mut e: Value) -> Value {
    if let Some(o) = e.as_object_mut() {
        for (from, to) in SNAKE {
            if let Some(x) = o.remove(*from) {
                o.insert((*to).to_owned(), x);
            }
        }
    }
    e
}

fn each(v: &Value, mut f: impl FnMut(&Value) -> Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(items.iter().map(f).collect()),
        other => f(other),
    }
}

/// GlitchTip's shape of a successful JSON answer of the named endpoint (`None`: left as it is).
pub fn reshape(endpoint: &str, v: &Value) -> Option<Value> {
    Some(match endpoint {
        "organizations" => each(v, org),
        "organization" => {
            let created = v.get("dateCreated").cloned().unwrap_or_default();
            let mut o = org(v);
            o["projects"] = each(v.get("projects").unwrap_or(&json!([])), |p| {
                project(p, &created)
            });
            o["teams"] = json!([{"id": "1", "slug": "backend", "dateCreated": created, "isMember": true, "memberCount": 1}]);
            o["access"] = json!([
                "project:read",
                "event:read",
                "org:read",
                "member:read",
                "team:read"
            ]);
            o["openMembership"] = json!(true);
            o
        }
        "projects" => each(v, |p| {
            let created = p.get("dateCreated").cloned().unwrap_or_default();
            project(p, &created)
        }),
        "issues" => each(v, |i| issue(i, false)),
        "issue" => issue(v, true),
        "issue-events" => each(v, |e| snake(event(e, false))),
        "project-events" => each(v, |e| event(e, false)),
        "issue-event" | "project-event" => event(v, true),
        "issue-tags" => each(v, |k| {
            let mut k = k.clone();
            if let Some(Value::Array(tv)) = k.get_mut("topValues") {
                for x in tv.iter_mut() {
                    *x = keep(x, &["name", "value", "count", "key"], &[]);
                }
            }
            k
        }),
        "issues-stats" => each(v, |s| {
            let mut s = s.clone();
            if s.get("isUnhandled").is_none() {
                s["isUnhandled"] = json!(false);
            }
            if let Some(Value::Object(st)) = s.get_mut("stats") {
                // The period not asked for is sent as null.
                for p in ["24h", "14d"] {
                    st.entry(p).or_insert(Value::Null);
                }
            }
            s
        }),
        "transaction-groups" => {
            let mut n = 0;
            match v {
                Value::Array(items) => Value::Array(
                    items
                        .iter()
                        .map(|g| {
                            n += 1;
                            let mut g = g.clone();
                            g["id"] = json!(n);
                            if !g["method"].is_string() {
                                g["method"] = json!("");
                            }
                            g
                        })
                        .collect(),
                ),
                other => other.clone(),
            }
        }
        _ => return None,
    })
}
