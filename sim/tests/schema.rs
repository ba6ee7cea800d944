//! The simulator's Sentry answers (flavors `sentry` and `sentry-legacy`) validated against Sentry's
//! published OpenAPI response schemas (`testdata/sentry-openapi/`, getsentry/sentry-api-schema,
//! FSL-1.1-Apache-2.0) with a JSON-schema validator: required keys, types, enums, nullability and
//! date formats, at every depth and for every element of every list.

mod support;

use lookout_sim::{Flavor, Sim};
use serde_json::{json, Value};
use support::{first_issue, get, schema, start};

const ORG: &str = "/api/0/organizations/{organization_id_or_slug}";
const PROJ: &str = "/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}";

/// (endpoint template, the concrete request) for every vendored endpoint, with the parameters the
/// dashboard sends.
fn requests(sim: &Sim, flavor: Flavor) -> Vec<(String, String)> {
    let issues = get(
        sim,
        "organizations/demo/issues/?query=is:unresolved%20has:server_name&statsPeriod=14d&groupStatsPeriod=24h&limit=25&sort=freq",
    );
    // An issue whose events name a server and a trace (a browser issue has neither).
    let id = first_issue(&issues, |id| {
        get(
            sim,
            &format!("organizations/demo/issues/{id}/events/latest/"),
        )["contexts"]["trace"]["trace_id"]
            .is_string()
    })
    .expect("an issue with a traced event");
    let latest = get(
        sim,
        &format!("organizations/demo/issues/{id}/events/latest/"),
    );
    let event = latest["eventID"].as_str().unwrap().to_owned();
    let project = issues[0]["project"]["slug"].as_str().unwrap().to_owned();
    let trace = latest["contexts"]["trace"]["trace_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // A transaction event of that trace, as the legacy trace view reads it.
    let txn = get(
        sim,
        &format!("organizations/demo/events/?dataset=transactions&field=id&field=project&query=trace:{trace}&statsPeriod=14d"),
    );
    let txn_project = txn["data"][0]["project"].as_str().unwrap().to_owned();
    let txn_id = txn["data"][0]["id"].as_str().unwrap().to_owned();
    let mut out = vec![
        ("/api/0/organizations/".into(), "organizations/".into()),
        (format!("{ORG}/"), "organizations/demo/".into()),
        (format!("{ORG}/projects/"), "organizations/demo/projects/".into()),
        (format!("{ORG}/environments/"), "organizations/demo/environments/".into()),
        (
            format!("{ORG}/issues/"),
            "organizations/demo/issues/?query=is:unresolved&statsPeriod=14d&groupStatsPeriod=14d&limit=100".into(),
        ),
        (
            format!("{ORG}/issues/"),
            "organizations/demo/issues/?query=&statsPeriod=1h&groupStatsPeriod=24h&sort=new&limit=25".into(),
        ),
        (format!("{ORG}/issues/{{issue_id}}/"), format!("organizations/demo/issues/{id}/")),
        (
            format!("{ORG}/issues/{{issue_id}}/events/"),
            format!("organizations/demo/issues/{id}/events/"),
        ),
        (
            format!("{ORG}/issues/{{issue_id}}/events/{{event_id}}/"),
            format!("organizations/demo/issues/{id}/events/latest/"),
        ),
        (
            format!("{ORG}/issues/{{issue_id}}/events/{{event_id}}/"),
            format!("organizations/demo/issues/{id}/events/{event}/"),
        ),
        (
            format!("{ORG}/issues/{{issue_id}}/tags/{{key}}/"),
            format!("organizations/demo/issues/{id}/tags/server_name/"),
        ),
        (
            format!("{ORG}/issues/{{issue_id}}/tags/{{key}}/values/"),
            format!("organizations/demo/issues/{id}/tags/server_name/values/"),
        ),
        (
            format!("{ORG}/events/"),
            "organizations/demo/events/?dataset=errors&field=server_name&field=cloud&field=region&field=count()&sort=-count()&statsPeriod=24h&per_page=100".into(),
        ),
        (
            format!("{ORG}/events/"),
            "organizations/demo/events/?dataset=transactions&field=id&field=trace&field=transaction&field=transaction.duration&field=server_name&field=project&field=timestamp&field=transaction.status&sort=-transaction.duration&statsPeriod=24h&per_page=25".into(),
        ),
        (format!("{ORG}/releases/"), "organizations/demo/releases/?per_page=100".into()),
        (
            format!("{PROJ}/events/"),
            format!("projects/demo/{project}/events/"),
        ),
        (
            format!("{PROJ}/events/{{event_id}}/"),
            format!("projects/demo/{project}/events/{event}/"),
        ),
        (
            format!("{PROJ}/events/{{event_id}}/"),
            format!("projects/demo/{txn_project}/events/{txn_id}/"),
        ),
    ];
    // An older self-hosted Sentry has no span-format trace endpoint and answers trace-meta in
    // snake_case; the dashboard reads `events-trace/` there. Both are checked against the older
    // server's own code in tests/ground_truth.rs (testdata/sentry-ground-truth/).
    if flavor == Flavor::Sentry {
        out.push((
            format!("{ORG}/trace-meta/{{trace_id}}/"),
            format!("organizations/demo/trace-meta/{trace}/"),
        ));
        out.push((
            format!("{ORG}/trace/{{trace_id}}/"),
            format!("organizations/demo/trace/{trace}/?limit=10000&statsPeriod=14d"),
        ));
    }
    out
}

fn validate_flavor(flavor: Flavor) {
    let sim = start(flavor);
    let mut problems = Vec::new();
    for (endpoint, path) in requests(&sim, flavor) {
        let answer = get(&sim, &path);
        // One line per kind of violation (the same one on every element says nothing new).
        let mut seen = std::collections::BTreeSet::new();
        for v in schema::violations(&endpoint, &answer) {
            let general: String = v
                .split(':')
                .next()
                .unwrap_or("")
                .split('/')
                .map(|p| if p.parse::<usize>().is_ok() { "*" } else { p })
                .collect::<Vec<_>>()
                .join("/");
            if seen.insert((
                general,
                v.split_once(':')
                    .map(|x| x.1.to_owned())
                    .unwrap_or_default()
                    .chars()
                    .take(60)
                    .collect::<String>(),
            )) {
                problems.push(format!("{path}\n      {v}"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} answers break Sentry's published schema:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

#[test]
fn sentry_answers_follow_sentrys_published_schema() {
    validate_flavor(Flavor::Sentry);
}

#[test]
fn sentry_legacy_answers_follow_sentrys_published_schema() {
    validate_flavor(Flavor::SentryLegacy);
}

#[test]
fn every_vendored_endpoint_is_validated() {
    let sim = start(Flavor::Sentry);
    let asked: std::collections::BTreeSet<String> = requests(&sim, Flavor::Sentry)
        .into_iter()
        .map(|(e, _)| e)
        .collect();
    let vendored: std::collections::BTreeSet<String> =
        schema::endpoints().keys().cloned().collect();
    assert_eq!(
        asked, vendored,
        "each vendored endpoint needs a request here"
    );
}

#[test]
fn the_schemas_accept_their_own_examples() {
    // The mapping of OpenAPI to JSON Schema is checked on Sentry's own examples.
    let mut problems = Vec::new();
    for (endpoint, _) in schema::endpoints() {
        for ex in schema::examples(&endpoint) {
            for v in schema::violations(&endpoint, &ex) {
                problems.push(format!("{endpoint}: {v}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_schema_check_notices_a_wrong_answer() {
    let issues = format!("{ORG}/issues/");
    let mut wrong = schema::examples(&issues).remove(0);
    wrong[0]["count"] = json!(150);
    wrong[0].as_object_mut().unwrap().remove("shortId");
    wrong[0]["inbox"] = Value::Null;
    wrong[0]["firstSeen"] = json!("yesterday");
    let found = schema::violations(&issues, &wrong).join("\n");
    for needle in ["/0/count", "shortId", "/0/firstSeen"] {
        assert!(found.contains(needle), "{needle} not reported in:\n{found}");
    }
    // Nullable where Sentry says so: a null culprit is fine.
    let mut ok = schema::examples(&issues).remove(0);
    ok[0]["culprit"] = Value::Null;
    assert_eq!(schema::violations(&issues, &ok), Vec::<String>::new());
}
