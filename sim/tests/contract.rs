//! Contract tests: the simulator's Sentry answers against ground truth it did not write — the
//! official examples in `testdata/sentry-api-examples/` and Sentry's published OpenAPI schema in
//! `testdata/sentry-openapi/`, compared deeply (every key at every depth, every array element,
//! each event entry against the example entry of its type, null only where Sentry allows it). The
//! simulator builds its JSON on its own, so this checks it against Sentry rather than against the
//! dashboard's models.

mod support;

use lookout_sim::{Flavor, Sim, SimOptions};
use serde_json::Value;
use support::shape::{diff, Rules};
use support::{first_issue, get, kind, schema, start, testdata_json};

fn example(name: &str) -> Value {
    testdata_json(&format!("sentry-api-examples/{name}"))
}

const ORG: &str = "/api/0/organizations/{organization_id_or_slug}";

/// What varies by event, SDK or query in Sentry's own answers (see `support::shape`).
const SENTRY: Rules = Rules {
    server: "Sentry",
    free_form: &[
        ".vars",
        ".values.data",
        ".mechanism.data",
        ".request.data.data",
        ".headers",
        ".env",
        ".query",
        ".metadata",
        ".measurements",
        ".browser_web_vital",
        ".mobile_app_vital",
        ".sdk.packages",
        ".packages",
        "._meta",
        ".spansCountMap",
        ".spans_count_map",
        ".statusDetails",
        ".fields",
        ".units",
        ".tips",
    ],
    partial: &[".contexts"],
    open: &[
        ".contexts.trace",
        ".contexts.os",
        ".contexts.runtime",
        ".contexts.browser",
        ".contexts.device",
        ".contexts.organization",
    ],
    typed_lists: &[".entries"],
    nullable: &[
        // src/sentry/interfaces/stacktrace.py: `Frame.to_python` keeps `colno` None when the SDK
        // sends none (Python, Rust), and `get_api_context` answers it as `colNo`.
        ".frames.colNo",
    ],
    documented: &[],
    lenient_nulls: true,
};

/// Every difference between an answer and its official example, checked against the schema of
/// `endpoint` (a path template in `testdata/sentry-openapi/`) for what the example cannot say.
fn check(name: &str, endpoint: &str, got: &Value, ignore: &[&str]) -> Vec<String> {
    let s = schema::openapi(endpoint);
    let mut problems = diff(&example(name), got, Some(&s), &SENTRY, "$");
    problems.retain(|p| !ignore.iter().any(|i| p.starts_with(i)));
    problems
        .into_iter()
        .map(|p| format!("{name}: {p}"))
        .collect()
}

/// The events table: the envelope as in the example, and every row holding exactly the fields
/// asked for, each of the JSON kind its `meta.fields` type names.
fn check_table(got: &Value, fields: &[&str]) -> Vec<String> {
    let mut problems = check(
        "events-table.json",
        &format!("{ORG}/events/"),
        got,
        // The example's rows are for other columns than these; they are checked below.
        &["$.data[", "$.meta.fields."],
    );
    let meta = &got["meta"]["fields"];
    for f in fields {
        if !meta[*f].is_string() {
            problems.push(format!("events table: meta.fields has no type for {f}"));
        }
    }
    let rows = got["data"].as_array().cloned().unwrap_or_default();
    if rows.is_empty() {
        problems.push("events table: no rows to compare".into());
    }
    // Without aggregates Sentry's query builder adds `id` and `project.name` to every row
    // (`auto_fields`, src/sentry/search/events/builder).
    let aggregate = fields.iter().any(|f| f.contains('('));
    for (i, row) in rows.iter().enumerate() {
        let keys: Vec<&String> = row
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        let mut want: Vec<&str> = fields.to_vec();
        if !aggregate {
            for auto in ["id", "project.name"] {
                if !want.contains(&auto) {
                    want.push(auto);
                }
            }
        }
        want.sort();
        let mut have: Vec<&str> = keys.iter().map(|k| k.as_str()).collect();
        have.sort();
        if have != want {
            problems.push(format!(
                "events table row {i}: keys {have:?}, asked for {want:?}"
            ));
        }
        for f in want.iter().copied() {
            let ok = match (meta[f].as_str(), &row[f]) {
                (_, Value::Null) => true,
                (Some("integer"), v) => v.is_i64() || v.is_u64(),
                (Some("number" | "duration" | "percentage" | "rate"), v) => v.is_number(),
                (Some("string" | "date"), v) => v.is_string(),
                (Some("boolean"), v) => v.is_boolean(),
                _ => false,
            };
            if !ok {
                problems.push(format!(
                    "events table row {i}: {f} is {} but meta says {}",
                    kind(&row[f]),
                    meta[f]
                ));
            }
        }
    }
    problems
}

#[test]
fn sentry_answers_match_the_official_examples() {
    let sim = start(Flavor::Sentry);
    let mut problems = Vec::new();
    problems.extend(check(
        "organizations-list.json",
        "/api/0/organizations/",
        &get(&sim, "organizations/"),
        &[],
    ));
    problems.extend(check(
        "organization-projects-list.json",
        &format!("{ORG}/projects/"),
        &get(&sim, "organizations/demo/projects/"),
        &[],
    ));
    let issues = get(
        &sim,
        "organizations/demo/issues/?statsPeriod=14d&query=is:unresolved&groupStatsPeriod=24h&limit=100",
    );
    problems.extend(check(
        "organization-issues-list.json",
        &format!("{ORG}/issues/"),
        &issues,
        &[],
    ));
    // An issue that names its servers (a browser issue has no server_name tag), and whose latest
    // event has only entry types Sentry's example shows (the example has no `message` entry to
    // compare one with; which issue comes first depends on the hour the fleet was made).
    let example_types: Vec<Value> = example("issue-event-latest.json")["entries"]
        .as_array()
        .map(|e| e.iter().map(|x| x["type"].clone()).collect())
        .unwrap_or_default();
    let id = first_issue(&issues, |id| {
        let names_servers = get(&sim, &format!("organizations/demo/issues/{id}/"))["tags"]
            .as_array()
            .is_some_and(|t| t.iter().any(|k| k["key"] == "server_name"));
        names_servers
            && get(
                &sim,
                &format!("organizations/demo/issues/{id}/events/latest/"),
            )["entries"]
                .as_array()
                .is_some_and(|e| e.iter().all(|x| example_types.contains(&x["type"])))
    })
    .expect("an issue with a server_name tag and entries like the example's");
    problems.extend(check(
        "issue-details.json",
        &format!("{ORG}/issues/{{issue_id}}/"),
        &get(&sim, &format!("organizations/demo/issues/{id}/")),
        &[],
    ));
    let latest = get(
        &sim,
        &format!("organizations/demo/issues/{id}/events/latest/"),
    );
    problems.extend(check(
        "issue-event-latest.json",
        &format!("{ORG}/issues/{{issue_id}}/events/{{event_id}}/"),
        &latest,
        &[],
    ));
    problems.extend(check(
        "issue-events-list.json",
        &format!("{ORG}/issues/{{issue_id}}/events/"),
        &get(&sim, &format!("organizations/demo/issues/{id}/events/")),
        &[],
    ));
    problems.extend(check(
        "issue-tag-key-details.json",
        &format!("{ORG}/issues/{{issue_id}}/tags/{{key}}/"),
        &get(
            &sim,
            &format!("organizations/demo/issues/{id}/tags/server_name/"),
        ),
        &[],
    ));
    problems.extend(check(
        "issue-tag-key-values.json",
        &format!("{ORG}/issues/{{issue_id}}/tags/{{key}}/values/"),
        &get(
            &sim,
            &format!("organizations/demo/issues/{id}/tags/server_name/values/"),
        ),
        &[],
    ));
    // The columns the dashboard asks for (src/api/overview.rs, resources.rs, pages/traces.rs).
    for (dataset, fields) in [
        ("errors", &["server_name", "cloud", "region", "count()"][..]),
        ("errors", &["issue.id", "server_name", "count()"][..]),
        ("errors", &["count_unique(user)"][..]),
        ("transactions", &["server_name", "count()"][..]),
        (
            "transactions",
            &[
                "id",
                "trace",
                "transaction",
                "transaction.duration",
                "server_name",
                "project",
                "timestamp",
                "transaction.status",
            ][..],
        ),
    ] {
        let q: String = fields
            .iter()
            .map(|f| format!("&field={}", f.replace('(', "%28").replace(')', "%29")))
            .collect();
        let table = get(
            &sim,
            &format!("organizations/demo/events/?dataset={dataset}{q}&statsPeriod=24h&per_page=50"),
        );
        problems.extend(check_table(&table, fields));
    }
    let trace_id = latest["contexts"]["trace"]["trace_id"]
        .as_str()
        .unwrap()
        .to_owned();
    problems.extend(check(
        "trace.json",
        &format!("{ORG}/trace/{{trace_id}}/"),
        &get(&sim, &format!("organizations/demo/trace/{trace_id}/")),
        &[],
    ));
    problems.extend(check(
        "trace-meta.json",
        &format!("{ORG}/trace-meta/{{trace_id}}/"),
        &get(&sim, &format!("organizations/demo/trace-meta/{trace_id}/")),
        &[],
    ));
    assert!(
        problems.is_empty(),
        "{} differences from Sentry's examples:\n  {}",
        problems.len(),
        problems.join("\n  ")
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
    // The busiest issue that names a server (browser issues have none).
    let all = get(&sim, "organizations/demo/issues/?limit=100&sort=-count");
    let (id, tags) = all
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .map(|id| {
            let tags = get(&sim, &format!("issues/{id}/tags/?key=server_name"));
            (id, tags)
        })
        .find(|(_, t)| t.as_array().is_some_and(|a| !a.is_empty()))
        .expect("an issue with a server_name tag");
    let id = id.as_str();
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
    // Ages count from the hour a simulator started in: start all three within one hour.
    let (a, b, c) = loop {
        let a = start(Flavor::Sentry);
        let b = start(Flavor::Sentry);
        let c = Sim::start(SimOptions {
            port: 0,
            seed: 2,
            live_interval_ms: 0,
            ..Default::default()
        })
        .unwrap();
        let hour = |s: &Sim| (s.app.store.read().unwrap().created_at / 3600.0).floor();
        if hour(&a) == hour(&b) && hour(&b) == hour(&c) {
            break (a, b, c);
        }
    };
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
    // Guard against a vacuous checker: each kind of mismatch must be reported.
    let issues = format!("{ORG}/issues/");
    let mut wrong = example("organization-issues-list.json");
    wrong[0]["count"] = serde_json::json!(150);
    wrong[0].as_object_mut().unwrap().remove("shortId");
    wrong[0]["invented"] = serde_json::json!(1);
    wrong[0]["project"]["slug"] = Value::Null;
    wrong[0]["stats"]["24h"][0] = serde_json::json!("x");
    let mut problems = check("organization-issues-list.json", &issues, &wrong, &[]);
    problems.sort();
    let p = |s: &str| format!("organization-issues-list.json: {s}");
    assert_eq!(
        problems,
        [
            p("$[0].count: number instead of string"),
            p("$[0].invented: Sentry has no such key"),
            p("$[0].project.slug: null where Sentry sends string (and the schema does not allow null)"),
            p("$[0].shortId: missing"),
            p("$[0].stats.24h[0]: string instead of array"),
        ]
    );
    // Every element of an array, each event entry against the example entry of its type.
    let mut event = example("issue-event-latest.json");
    let entries = event["entries"].as_array_mut().unwrap();
    let n = entries.len();
    entries.push(serde_json::json!({"type": "exception", "data": {"values": "not a list"}}));
    entries.push(serde_json::json!({"type": "made-up", "data": {}}));
    let problems = check(
        "issue-event-latest.json",
        &format!("{ORG}/issues/{{issue_id}}/events/{{event_id}}/"),
        &event,
        &[],
    );
    assert!(
        problems.iter().any(|x| x.contains(&format!(
            "$.entries[{n}].data.values: string instead of array"
        ))),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|x| x.contains(&format!(
            "$.entries[{}]: no example of type \"made-up\"",
            n + 1
        ))),
        "{problems:?}"
    );
}
