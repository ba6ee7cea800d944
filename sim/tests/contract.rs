//! Contract tests: the simulator's answers carry the keys and JSON types of the official examples
//! in `testdata/sentry-api-examples/` (the simulator builds its JSON on its own, so this checks
//! it against ground truth rather than against the dashboard's models).

use lookout_sim::{Flavor, Sim, SimOptions};
use serde_json::Value;
use std::path::PathBuf;

fn example(name: &str) -> Value {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/sentry-api-examples")
        .join(name);
    serde_json::from_str(
        &std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
    )
    .unwrap()
}

fn start(flavor: Flavor) -> Sim {
    Sim::start(SimOptions {
        port: 0,
        flavor,
        live_interval_ms: 0,
        ..Default::default()
    })
    .expect("start simulator")
}

fn get(sim: &Sim, path: &str) -> Value {
    let r = reqwest::blocking::Client::new()
        .get(format!("{}/api/0/{}", sim.url, path))
        .bearer_auth("lookout-demo")
        .send()
        .unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
    r.json().unwrap()
}

/// Keys whose values are free-form maps (their own keys vary by event, SDK or query).
const FREE_FORM: &[&str] = &[
    "contexts",
    "_meta",
    "metadata",
    "statusDetails",
    "data",
    "vars",
    "measurements",
    "browser_web_vital",
    "mobile_app_vital",
    "spansCountMap",
    "stats",
    "packages",
    "context",
    "user",
    "inbox",
    "owners",
    "derivedData",
    "assignedTo",
    "sdk",
    "groupingConfig",
    "env",
    "fields",
    "units",
    "links",
    "avatar",
];

/// Every key of `want` is in `got` with the same JSON type (null on either side matches anything);
/// objects are compared recursively, arrays by their first element.
fn conforms(want: &Value, got: &Value, path: &str, missing: &mut Vec<String>) {
    match (want, got) {
        (Value::Null, _) | (_, Value::Null) => {}
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                let p = format!("{path}.{k}");
                match g.get(k) {
                    None => missing.push(format!("{p}: missing")),
                    Some(gv) if FREE_FORM.contains(&k.as_str()) => {
                        if std::mem::discriminant(wv) != std::mem::discriminant(gv)
                            && !wv.is_null()
                            && !gv.is_null()
                        {
                            missing.push(format!("{p}: {} instead of {}", kind(gv), kind(wv)));
                        }
                    }
                    Some(gv) => conforms(wv, gv, &p, missing),
                }
            }
        }
        (Value::Array(w), Value::Array(g)) => {
            if let (Some(w0), Some(g0)) = (w.first(), g.first()) {
                conforms(w0, g0, &format!("{path}[0]"), missing);
            }
        }
        (Value::Number(_), Value::Number(_))
        | (Value::String(_), Value::String(_))
        | (Value::Bool(_), Value::Bool(_)) => {}
        (w, g) => missing.push(format!("{path}: {} instead of {}", kind(g), kind(w))),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn check(name: &str, got: &Value, ignore: &[&str]) {
    let mut problems = Vec::new();
    conforms(&example(name), got, "$", &mut problems);
    problems.retain(|p| !ignore.iter().any(|i| p.starts_with(i)));
    assert!(problems.is_empty(), "{name}:\n  {}", problems.join("\n  "));
}

#[test]
fn sentry_answers_match_the_official_examples() {
    let sim = start(Flavor::Sentry);
    check("organizations-list.json", &get(&sim, "organizations/"), &[]);
    check(
        "organization-projects-list.json",
        &get(&sim, "organizations/demo/projects/"),
        &[],
    );
    // Seer and a few cloud-only fields are not part of a self-hosted answer.
    let cloud_only = [
        "$[0].derivedData",
        "$[0].seerExplorerAutofixLastTriggered",
        "$[0].shareId",
        "$.shareId",
        "$.seerExplorerAutofixLastTriggered",
    ];
    let issues = get(
        &sim,
        "organizations/demo/issues/?statsPeriod=14d&query=is:unresolved",
    );
    check("organization-issues-list.json", &issues, &cloud_only);
    let id = issues[0]["id"].as_str().unwrap().to_owned();
    check(
        "issue-details.json",
        &get(&sim, &format!("organizations/demo/issues/{id}/")),
        &cloud_only,
    );
    let latest = get(
        &sim,
        &format!("organizations/demo/issues/{id}/events/latest/"),
    );
    check("issue-event-latest.json", &latest, &[]);
    check(
        "issue-events-list.json",
        &get(&sim, &format!("organizations/demo/issues/{id}/events/")),
        &[],
    );
    check(
        "issue-tag-key-details.json",
        &get(
            &sim,
            &format!("organizations/demo/issues/{id}/tags/server_name/"),
        ),
        &[],
    );
    check(
        "issue-tag-key-values.json",
        &get(
            &sim,
            &format!("organizations/demo/issues/{id}/tags/server_name/values/"),
        ),
        &[],
    );
    // The table's columns are whatever was asked for; the envelope must match.
    let table = get(&sim, "organizations/demo/events/?dataset=transactions&field=transaction&field=count()&statsPeriod=24h");
    check(
        "events-table.json",
        &table,
        &["$.data[0].count_if", "$.data[0].equation", "$.meta.fields"],
    );
    assert!(table["meta"]["fields"]["count()"].is_string());
    let trace_id = latest["contexts"]["trace"]["trace_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Web-vital and mobile-vital blocks only exist for browser and mobile spans.
    check(
        "trace.json",
        &get(&sim, &format!("organizations/demo/trace/{trace_id}/")),
        &["$[0].browser_web_vital", "$[0].mobile_app_vital"],
    );
    check(
        "trace-meta.json",
        &get(&sim, &format!("organizations/demo/trace-meta/{trace_id}/")),
        &[],
    );
}

#[test]
fn events_stats_shapes() {
    let sim = start(Flavor::Sentry);
    let a = get(
        &sim,
        "organizations/demo/events-stats/?dataset=errors&yAxis=count()&interval=1h&statsPeriod=24h",
    );
    assert!(a["data"].as_array().unwrap().len() >= 24);
    let first = &a["data"][0];
    assert!(
        first[0].is_i64() && first[1][0]["count"].is_number(),
        "shape A bucket: {first}"
    );
    let b = get(&sim, "organizations/demo/events-stats/?dataset=errors&yAxis=count()&yAxis=count_unique(user)&interval=1h&statsPeriod=24h");
    assert_eq!(b["count()"]["order"], 0);
    assert_eq!(b["count_unique(user)"]["order"], 1);
    let c = get(&sim, "organizations/demo/events-stats/?dataset=errors&yAxis=count()&field=server_name&field=count()&topEvents=10&sort=-count()&interval=1h&statsPeriod=24h");
    let groups = c.as_object().unwrap();
    assert_eq!(
        groups.len(),
        11,
        "10 top servers and Other: {:?}",
        groups.keys().collect::<Vec<_>>()
    );
    assert!(groups.contains_key("Other"));
    let mut orders: Vec<i64> = groups
        .values()
        .map(|g| g["order"].as_i64().unwrap())
        .collect();
    orders.sort();
    assert_eq!(orders, (0..11).collect::<Vec<_>>());
    // A filtered batch has only the named servers and no Other.
    let batch = get(&sim, "organizations/demo/events-stats/?dataset=errors&yAxis=count()&field=server_name&field=count()&topEvents=10&interval=1h&statsPeriod=24h&query=server_name%3A%5Bgcp-ane3-api-1%2Cgcp-ane3-api-2%5D");
    let mut keys: Vec<&String> = batch.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["gcp-ane3-api-1", "gcp-ane3-api-2"]);
}

#[test]
fn glitchtip_quirks() {
    let sim = start(Flavor::Glitchtip);
    let client = reqwest::blocking::Client::new();
    let r = client
        .get(format!(
            "{}/api/0/organizations/demo/events-stats/",
            sim.url
        ))
        .bearer_auth("lookout-demo")
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let r = client
        .get(format!(
            "{}/api/0/organizations/demo/issues/?sort=freq",
            sim.url
        ))
        .bearer_auth("lookout-demo")
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let r = client
        .get(format!(
            "{}/api/0/organizations/demo/issues/?limit=2",
            sim.url
        ))
        .bearer_auth("lookout-demo")
        .header("Origin", "http://anywhere.example")
        .send()
        .unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    assert!(r.headers().get("access-control-expose-headers").is_none());
    let link = r.headers()["link"].to_str().unwrap().to_owned();
    assert!(
        link.starts_with("{'<") && link.ends_with("'}"),
        "wrapped Link: {link}"
    );
    let issues: Value = r.json().unwrap();
    assert_eq!(issues[0]["userCount"], 0);
    assert_eq!(issues[0]["culprit"], "");
    assert_eq!(issues[0]["stats"], serde_json::json!({"24h": []}));
    let id = issues[0]["id"].as_str().unwrap();
    let tags = get(&sim, &format!("issues/{id}/tags/?key=server_name"));
    assert_eq!(tags[0]["key"], "server_name");
    let org_scoped = client
        .get(format!("{}/api/0/organizations/demo/issues/{id}/", sim.url))
        .bearer_auth("lookout-demo")
        .send()
        .unwrap();
    assert_eq!(org_scoped.status().as_u16(), 405);
    let events = get(&sim, &format!("issues/{id}/events/"));
    assert!(
        events[0].get("event_id").is_some() && events[0].get("eventID").is_none(),
        "snake_case events"
    );
}

#[test]
fn auth_cors_and_origins_as_sentry_does_them() {
    let sim = start(Flavor::Sentry);
    let client = reqwest::blocking::Client::new();
    let url = format!("{}/api/0/organizations/demo/", sim.url);
    assert_eq!(client.get(&url).send().unwrap().status().as_u16(), 401);
    assert_eq!(
        client
            .get(&url)
            .bearer_auth("wrong")
            .send()
            .unwrap()
            .status()
            .as_u16(),
        401
    );
    let pre = client
        .request(reqwest::Method::OPTIONS, &url)
        .header("Origin", "http://evil.example")
        .send()
        .unwrap();
    assert_eq!(pre.status().as_u16(), 200, "preflight needs no auth");
    assert!(pre.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .contains("Authorization"));
    let bad = client
        .get(&url)
        .bearer_auth("lookout-demo")
        .header("Origin", "http://evil.example")
        .send()
        .unwrap();
    assert_eq!(bad.status().as_u16(), 400);
    assert_eq!(
        bad.headers()["access-control-allow-origin"],
        "http://evil.example"
    );
    assert_eq!(
        bad.json::<Value>().unwrap(),
        Value::String("Invalid origin: http://evil.example".into())
    );
    let ok = client
        .get(&url)
        .bearer_auth("lookout-demo")
        .header("Origin", "http://127.0.0.1:8080")
        .send()
        .unwrap();
    assert_eq!(ok.status().as_u16(), 200);
    assert!(ok.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .contains("Link"));
}

#[test]
fn faults_by_admin_endpoint() {
    let sim = start(Flavor::Sentry);
    let client = reqwest::blocking::Client::new();
    let set = |body: &str| {
        let r = client
            .post(format!("{}/__sim/faults", sim.url))
            .bearer_auth("lookout-demo")
            .body(body.to_owned())
            .send()
            .unwrap();
        assert_eq!(r.status(), 200);
    };
    let url = format!("{}/api/0/organizations/demo/projects/", sim.url);
    let status = || {
        client
            .get(&url)
            .bearer_auth("lookout-demo")
            .send()
            .map(|r| r.status().as_u16())
    };
    set(r#"{"rateLimit": 2}"#);
    assert_eq!(status().unwrap(), 429);
    assert_eq!(status().unwrap(), 429);
    assert_eq!(status().unwrap(), 200);
    set(r#"{"serverError": 1}"#);
    assert_eq!(status().unwrap(), 500);
    set(r#"{"htmlError": 1}"#);
    let r = client.get(&url).bearer_auth("lookout-demo").send().unwrap();
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    set(r#"{"malformedJson": 1}"#);
    let r = client.get(&url).bearer_auth("lookout-demo").send().unwrap();
    assert!(r.json::<Value>().is_err());
    set(r#"{"drop": 1}"#);
    assert!(status().is_err(), "dropped connection");
    set(r#"{"revokeToken": true}"#);
    assert_eq!(status().unwrap(), 401);
    set(r#"{"latencyMs": 300, "pathContains": "/projects/"}"#);
    let t = std::time::Instant::now();
    assert_eq!(status().unwrap(), 200);
    assert!(t.elapsed().as_millis() >= 300);
    let counts: Value = client
        .get(format!("{}/__sim/requests", sim.url))
        .bearer_auth("lookout-demo")
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert!(counts["byEndpoint"]["fault-429"].as_u64() == Some(2));
}

#[test]
fn the_admin_endpoints_need_the_token_and_never_tell_it() {
    let sim = start(Flavor::Sentry);
    let client = reqwest::blocking::Client::new();
    for (method, path) in [
        ("GET", "/__sim/info"),
        ("GET", "/__sim/faults"),
        ("POST", "/__sim/faults"),
        ("POST", "/__sim/faults/clear"),
        ("GET", "/__sim/requests"),
        ("OPTIONS", "/__sim/info"),
    ] {
        let r = client
            .request(method.parse().unwrap(), format!("{}{path}", sim.url))
            .header("Origin", "http://evil.example")
            .body(r#"{"serverError": -1}"#)
            .send()
            .unwrap();
        assert_eq!(r.status(), 401, "{method} {path} without the token");
        assert!(
            r.headers().get("access-control-allow-origin").is_none(),
            "{method} {path} is readable from another origin"
        );
    }
    // Nothing was changed by the refused POST.
    let r = client
        .get(format!("{}/api/0/organizations/demo/projects/", sim.url))
        .bearer_auth("lookout-demo")
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let info = client
        .get(format!("{}/__sim/info", sim.url))
        .bearer_auth("lookout-demo")
        .header("Origin", "http://evil.example")
        .send()
        .unwrap();
    assert!(info.headers().get("access-control-allow-origin").is_none());
    let text = info.text().unwrap();
    assert!(
        !text.contains("lookout-demo"),
        "the info tells the token: {text}"
    );
    assert!(text.contains("servers"));
}

#[test]
fn the_fleet_is_the_same_for_the_same_seed() {
    let a = start(Flavor::Sentry);
    let b = start(Flavor::Sentry);
    let c = Sim::start(SimOptions {
        port: 0,
        seed: 2,
        live_interval_ms: 0,
        ..Default::default()
    })
    .unwrap();
    // Slots are seeded by absolute time: events between 1 and 13 days old are identical.
    // One window for all three, well inside each one's settled days: the simulators start a
    // few seconds apart, and an event at a window's edge must not decide the comparison.
    let created = |s: &Sim| s.app.store.read().unwrap().created_at;
    let (first, last) = [&a, &b, &c]
        .iter()
        .map(|s| created(s))
        .fold((f64::MAX, f64::MIN), |(lo, hi), t| (lo.min(t), hi.max(t)));
    let (lo, hi) = (last - 13.0 * 86_400.0 + 600.0, first - 86_400.0 - 600.0);
    let settled = |s: &Sim| {
        let st = s.app.store.read().unwrap();
        let mut ids: Vec<u128> = st
            .events
            .iter()
            .filter(|e| e.ts < hi && e.ts > lo)
            .map(|e| e.id)
            .collect();
        ids.sort();
        (
            ids,
            st.servers
                .iter()
                .map(|s| s.name.clone())
                .collect::<Vec<_>>(),
            st.issues
                .iter()
                .map(|i| i.title.clone())
                .collect::<Vec<_>>(),
        )
    };
    let (ea, sa, ia) = settled(&a);
    let (eb, sb, ib) = settled(&b);
    let (ec, _, _) = settled(&c);
    assert!(ea.len() > 10_000, "a realistic volume: {}", ea.len());
    assert_eq!(ea, eb, "same seed, same events");
    assert_ne!(ea, ec, "another seed, other events");
    assert_eq!(sa, sb);
    assert_eq!(ia, ib);
    assert!(sa.len() >= 24);
    assert!(
        sa.iter().any(|s| s.starts_with("aws-apne2-api"))
            && sa.iter().any(|s| s.starts_with("gcp-ane3-api"))
    );
    assert!(ia.len() >= 30);
    let servers = get(&a, "organizations/demo/events/?dataset=errors&field=server_name&field=count()&sort=-count()&statsPeriod=14d&per_page=100");
    assert!(servers["data"].as_array().unwrap().len() >= 24);
}

#[test]
fn the_contract_check_notices_a_wrong_shape() {
    // Guard against a vacuous checker: a mismatching answer must be reported.
    let mut problems = Vec::new();
    let mut wrong = example("organization-issues-list.json");
    wrong[0]["count"] = serde_json::json!(150);
    wrong[0].as_object_mut().unwrap().remove("shortId");
    conforms(
        &example("organization-issues-list.json"),
        &wrong,
        "$",
        &mut problems,
    );
    assert_eq!(
        problems,
        [
            "$[0].count: number instead of string",
            "$[0].shortId: missing"
        ]
    );
}
