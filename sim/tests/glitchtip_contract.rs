//! The `glitchtip` flavor against answers recorded from a live GlitchTip (`../shared/glitchtip/recorded/`,
//! same commit as the live tier): for every call the dashboard makes, the flavor answers the same
//! request with the same status, content type and JSON shape — every key at every depth, every array
//! element, `null` where GlitchTip sends `null` — and the same headers that matter (the wrapped `Link`,
//! no `X-Hits` exposed, `Access-Control-Allow-Origin: *`).

mod support;

use lookout_sim::{Flavor, Sim, SimOptions};
use serde_json::Value;
use std::path::PathBuf;
use support::shape::{self, Rules};

fn recorded_dir() -> PathBuf {
    std::env::var_os("LOOKOUT_GT_RECORDED")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            // At run time: a test binary in a shared target dir may come from another clone.
            std::env::var_os("CARGO_MANIFEST_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
                .join("../../shared/glitchtip/recorded")
        })
}

fn recorded(name: &str) -> Value {
    let p = recorded_dir().join(format!("{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(&p).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (the recorded GlitchTip answers come with ../shared/glitchtip/)",
            p.display()
        )
    }))
    .unwrap()
}

/// Response headers of a recorded call (`< Name: value` lines), lower-cased names.
fn recorded_headers(name: &str) -> Vec<(String, String)> {
    let p = recorded_dir().join(format!("{name}.headers.txt"));
    std::fs::read_to_string(p)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.strip_prefix("< "))
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_ascii_lowercase(), v.to_owned()))
        .collect()
}

fn recorded_status(name: &str) -> u16 {
    let p = recorded_dir().join(format!("{name}.headers.txt"));
    std::fs::read_to_string(p)
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("< HTTP/1.1 "))
        .and_then(|l| l.split(' ').next())
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

struct Answer {
    status: u16,
    content_type: String,
    headers: Vec<(String, String)>,
    body: String,
}

fn get(sim: &Sim, path: &str) -> Answer {
    let r = reqwest::blocking::Client::new()
        .get(format!("{}/api/0/{}", sim.url, path))
        .bearer_auth("lookout-demo")
        .header("Origin", "http://127.0.0.1:8080")
        .send()
        .unwrap();
    let headers = r
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                v.to_str().unwrap_or("").to_owned(),
            )
        })
        .collect::<Vec<_>>();
    Answer {
        status: r.status().as_u16(),
        content_type: headers
            .iter()
            .find(|h| h.0 == "content-type")
            .map(|h| h.1.clone())
            .unwrap_or_default(),
        headers,
        body: r.text().unwrap(),
    }
}

/// What varies by event or SDK in GlitchTip's recorded answers (see `support::shape`).
const GLITCHTIP: Rules = Rules {
    server: "GlitchTip",
    free_form: &[
        ".packages",
        ".extra",
        ".modules",
        ".values.data",
        ".headers",
        ".env",
        ".vars",
        ".context",
        ".other",
        ".integrations",
        ".tags_dict",
        ".measurements",
        ".mechanism.data",
    ],
    partial: &[".contexts"],
    open: &[],
    typed_lists: &[".entries"],
    nullable: &[],
    documented: &[
        // apps/shared/schema/exception.py `StackTraceFrame` (all optional, stored without None by
        // apps/event_ingest/process_event.py) and apps/issue_events/utils.py `get_entries`, which
        // renames `colno` → `colNo`: a frame holds just the keys its SDK sent.
        ".frames.colNo",
        ".frames.vars",
        ".frames.module",
        ".frames.package",
        ".frames.platform",
        ".frames.context_line",
        // `BaseRequest` / `IngestRequest`: only the request fields the SDK sent.
        ".data.headers",
        ".data.query_string",
        ".data.data",
        ".data.env",
        ".data.fragment",
        ".data.cookies",
    ],
    lenient_nulls: false,
};

/// A recorded event (or list of events) with GlitchTip's `request` entry added where the recording
/// has none (`testdata/glitchtip-ground-truth/`, from GlitchTip's code: the seeded events had no
/// request), so the simulator's request entries are compared too.
fn with_request_entry(mut v: Value) -> Value {
    fn add(e: &mut Value) {
        if let Some(Value::Array(entries)) = e.get_mut("entries") {
            if !entries.iter().any(|x| x["type"] == "request") {
                entries.push(support::testdata_json(
                    "glitchtip-ground-truth/request-entry.json",
                ));
            }
        }
    }
    match &mut v {
        Value::Array(items) => items.iter_mut().for_each(add),
        other => add(other),
    }
    v
}

fn diff(want: &Value, got: &Value, path: &str, out: &mut Vec<String>) {
    out.extend(shape::diff(want, got, None, &GLITCHTIP, path));
}

/// The `Link` header's form: GlitchTip wraps it in a Python set repr.
fn link_form(l: &str) -> &'static str {
    if l.starts_with("{'") && l.ends_with("'}") {
        "wrapped"
    } else if l.is_empty() {
        "none"
    } else {
        "plain"
    }
}

fn start() -> Sim {
    Sim::start(SimOptions {
        port: 0,
        flavor: Flavor::Glitchtip,
        live_interval_ms: 0,
        ..Default::default()
    })
    .expect("start simulator")
}

/// Ids in the simulator to put in place of the recorded ones.
struct Ids {
    issue: String,
    event: String,
    middle: String,
    project: String,
}

fn ids(sim: &Sim) -> Ids {
    let issues: Value =
        serde_json::from_str(&get(sim, "organizations/demo/issues/?limit=1").body).unwrap();
    let issue = issues[0]["id"].as_str().unwrap().to_owned();
    let latest: Value =
        serde_json::from_str(&get(sim, &format!("issues/{issue}/events/latest/")).body).unwrap();
    let event = latest["eventID"].as_str().unwrap().to_owned();
    // An event in the middle (with a next and a previous one), as recorded for the project's event.
    let middle = latest["previousEventID"]
        .as_str()
        .unwrap_or(&event)
        .to_owned();
    let project = issues[0]["project"]["slug"].as_str().unwrap().to_owned();
    Ids {
        issue,
        event,
        middle,
        project,
    }
}

/// (recorded name, the simulator's path for the same call)
fn calls(i: &Ids) -> Vec<(&'static str, String)> {
    vec![
        ("organizations", "organizations/".into()),
        ("organization_detail", "organizations/demo/".into()),
        ("org_projects", "organizations/demo/projects/".into()),
        ("org_environments", "organizations/demo/environments/".into()),
        ("org_issues", "organizations/demo/issues/".into()),
        ("org_issues_unresolved_limit5", "organizations/demo/issues/?query=is:unresolved&limit=5".into()),
        ("org_issues_statsPeriod24h", "organizations/demo/issues/?query=is:unresolved&limit=5&statsPeriod=24h".into()),
        ("org_issues_sort_minus_count", "organizations/demo/issues/?query=is:unresolved&limit=5&sort=-count".into()),
        ("org_issues_sort_freq", "organizations/demo/issues/?query=is:unresolved&limit=5&sort=freq".into()),
        ("org_issues_environment_staging", "organizations/demo/issues/?environment=staging".into()),
        ("issue_detail", format!("issues/{}/", i.issue)),
        ("issue_events", format!("issues/{}/events/", i.issue)),
        ("issue_events_latest", format!("issues/{}/events/latest/", i.issue)),
        ("issue_event_by_id", format!("issues/{}/events/{}/", i.issue, i.event)),
        ("issue_tags", format!("issues/{}/tags/", i.issue)),
        ("issue_tags_key_query", format!("issues/{}/tags/?key=server_name", i.issue)),
        ("issues_stats_24h", format!("organizations/demo/issues-stats/?groups={}&statsPeriod=24h", i.issue)),
        ("project_api_events", format!("projects/demo/{}/events/", i.project)),
        ("project_event_by_id", format!("projects/demo/{}/events/{}/", i.project, i.middle)),
        ("transaction_groups", "organizations/demo/transaction-groups/".into()),
        ("events_stats_top5", "organizations/demo/events-stats/?yAxis=count()&field=server_name&topEvents=5&statsPeriod=24h&interval=1h".into()),
        ("events_discover", "organizations/demo/events/?field=server_name&field=count()".into()),
        ("trace", "organizations/demo/trace/747b335c58644d8a9c3b4d5ac9b86335/".into()),
        ("org_releases", "organizations/demo/releases/".into()),
    ]
}

#[test]
fn the_glitchtip_flavor_answers_as_the_recorded_server_did() {
    let sim = start();
    let i = ids(&sim);
    let mut problems = Vec::new();
    for (name, path) in calls(&i) {
        let got = get(&sim, &path);
        let want_status = recorded_status(name);
        if got.status != want_status {
            problems.push(format!(
                "{name}: status {} instead of {want_status}",
                got.status
            ));
        }
        let want = recorded(name);
        let want_headers = recorded_headers(name);
        let header = |hs: &[(String, String)], k: &str| {
            hs.iter()
                .find(|h| h.0 == k)
                .map(|h| h.1.clone())
                .unwrap_or_default()
        };
        let wct = header(&want_headers, "content-type");
        if wct.split(';').next() != got.content_type.split(';').next() {
            problems.push(format!(
                "{name}: content type {:?} instead of {wct:?}",
                got.content_type
            ));
        }
        if link_form(&header(&want_headers, "link")) != link_form(&header(&got.headers, "link")) {
            problems.push(format!(
                "{name}: Link {:?}, GlitchTip's {:?}",
                header(&got.headers, "link"),
                header(&want_headers, "link")
            ));
        }
        for h in [
            "access-control-allow-origin",
            "access-control-expose-headers",
        ] {
            if header(&want_headers, h) != header(&got.headers, h) {
                problems.push(format!(
                    "{name}: {h} {:?} instead of {:?}",
                    header(&got.headers, h),
                    header(&want_headers, h)
                ));
            }
        }
        if want.get("_note").is_some() {
            // A non-JSON answer (HTML 404, empty 302): the content type and status say it all.
            continue;
        }
        match serde_json::from_str::<Value>(&got.body) {
            Ok(v) => diff(&with_request_entry(want), &v, name, &mut problems),
            Err(e) => problems.push(format!("{name}: not JSON ({e})")),
        }
    }
    assert!(
        problems.is_empty(),
        "{} differences from the recorded GlitchTip:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

#[test]
fn the_shape_check_notices_what_it_should() {
    let want: Value = serde_json::from_str(
        r#"{"a":1,"s":{"24h":[[1,2]],"14d":null},"e":[{"type":"x","v":1},{"type":"y","w":"t"}]}"#,
    )
    .unwrap();
    let mut out = Vec::new();
    let got: Value = serde_json::from_str(
        r#"{"a":"1","s":{"24h":[[1,2]],"14d":[]},"e":[{"type":"y","w":1},{"type":"x","v":1,"z":0}],"extra_key":1}"#,
    )
    .unwrap();
    diff(&want, &got, "$", &mut out);
    for needle in [
        "$.a: string instead of number",
        "$.s.14d: array instead of null",
        "$.e[0].w: number instead of string",
        "$.e[1].z: GlitchTip has no such key",
        "$.extra_key: GlitchTip has no such key",
    ] {
        assert!(out.iter().any(|p| p == needle), "{needle} in {out:?}");
    }
    assert_eq!(out.len(), 5, "{out:?}");
}
