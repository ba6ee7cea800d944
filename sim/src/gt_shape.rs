//! GlitchTip's answer shapes. The simulator builds its objects in Sentry's shape; the `glitchtip`
//! flavor passes them through here, which keeps exactly the fields GlitchTip 5.1 sends (with its
//! spellings, types and `null`s, as recorded from a live instance) and drops Sentry's extras.

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

fn each(v: &Value, f: impl Fn(&Value) -> Value) -> Value {
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
