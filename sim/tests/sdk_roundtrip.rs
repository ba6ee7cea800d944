//! A real Sentry SDK (the `sentry` crate) sends an error inside a transaction to the simulator's
//! ingest endpoint; the issue, its event (frames, breadcrumbs, `server_name`) and the trace are
//! then read back through the web API, as the dashboard reads them.

use lookout_sim::{Sim, SimOptions};
use sentry::protocol::{Event, Exception, Frame, Mechanism, Stacktrace};
use sentry::{Breadcrumb, ClientOptions, Hub, Scope, TransactionContext};
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn get(sim: &Sim, path: &str) -> Value {
    reqwest::blocking::Client::new()
        .get(format!("{}/api/0/{}", sim.url, path))
        .bearer_auth("lookout-demo")
        .send()
        .unwrap()
        .json()
        .unwrap()
}

#[test]
fn an_error_inside_a_transaction_round_trips() {
    let sim = Sim::start(SimOptions {
        port: 0,
        live_interval_ms: 0,
        ..Default::default()
    })
    .unwrap();
    let dsn = sim.dsn("api").unwrap();
    let mut opts = ClientOptions::default().traces_sample_rate(1.0);
    opts.dsn = Some(dsn.parse().unwrap());
    opts.server_name = Some("sdk-test-host-1".into());
    opts.environment = Some("production".into());
    opts.release = Some("api@9.9.9".into());
    opts.transport = Some(Arc::new(sentry::transports::DefaultTransportFactory));
    let client = Arc::new(sentry::Client::from(opts));
    let hub = Arc::new(Hub::new(Some(client.clone()), Arc::new(Scope::default())));

    let (event_id, trace_id) = Hub::run(hub, || {
        let tx =
            sentry::start_transaction(TransactionContext::new("POST /v1/roundtrip", "http.server"));
        let span = tx.start_child("db", "SELECT * FROM roundtrip");
        sentry::configure_scope(|s| s.set_span(Some(span.clone().into())));
        sentry::add_breadcrumb(Breadcrumb {
            category: Some("query".into()),
            message: Some("SELECT * FROM roundtrip".into()),
            ..Default::default()
        });
        sentry::add_breadcrumb(Breadcrumb {
            category: Some("log".into()),
            message: Some("about to divide".into()),
            ..Default::default()
        });
        let mut ev = Event::new();
        ev.exception = vec![Exception {
            ty: "RoundTripError".into(),
            value: Some("nothing to divide by".into()),
            mechanism: Some(Mechanism {
                ty: "generic".into(),
                handled: Some(false),
                ..Default::default()
            }),
            stacktrace: Some(Stacktrace {
                frames: vec![
                    Frame {
                        filename: Some("main.py".into()),
                        function: Some("main".into()),
                        lineno: Some(3),
                        in_app: Some(true),
                        ..Default::default()
                    },
                    Frame {
                        filename: Some("calc.py".into()),
                        function: Some("ratio".into()),
                        module: Some("calc".into()),
                        lineno: Some(42),
                        context_line: Some("return a / b".into()),
                        in_app: Some(true),
                        ..Default::default()
                    },
                ],
                ..Default::default()
            }),
            ..Default::default()
        }]
        .into();
        let id = sentry::capture_event(ev);
        let trace_id = tx.get_trace_context().trace_id.to_string();
        span.finish();
        tx.finish();
        (id, trace_id)
    });
    assert!(
        client.flush(Some(Duration::from_secs(10))),
        "the SDK delivered its envelopes"
    );

    // The issue, found by server name, as a dashboard would search.
    let deadline = Instant::now() + Duration::from_secs(5);
    let issue = loop {
        let list = get(
            &sim,
            "organizations/demo/issues/?query=server_name:sdk-test-host-1&statsPeriod=1h",
        );
        if let Some(i) = list.as_array().and_then(|l| l.first()).cloned() {
            break i;
        }
        if Instant::now() >= deadline {
            let all = get(
                &sim,
                "organizations/demo/issues/?statsPeriod=1h&query=&sort=new&limit=3",
            );
            let log: Value = reqwest::blocking::get(format!("{}/__sim/requests", sim.url))
                .unwrap()
                .json()
                .unwrap();
            panic!(
                "issue never appeared: {} {}",
                serde_json::to_string(&log).unwrap(),
                serde_json::to_string(&all).unwrap().len()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(issue["title"], "RoundTripError: nothing to divide by");
    assert_eq!(issue["culprit"], "ratio", "native platform: the function");
    assert_eq!(issue["count"], "1");

    let id = issue["id"].as_str().unwrap();
    let event = get(
        &sim,
        &format!("organizations/demo/issues/{id}/events/latest/"),
    );
    assert_eq!(
        event["eventID"].as_str().unwrap(),
        event_id.simple().to_string()
    );
    let tags: Vec<(String, String)> = event["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["key"].as_str().unwrap().to_owned(),
                t["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        tags.contains(&("server_name".into(), "sdk-test-host-1".into())),
        "{tags:?}"
    );
    let entries = event["entries"].as_array().unwrap();
    let exc = entries.iter().find(|e| e["type"] == "exception").unwrap();
    let frames = exc["data"]["values"][0]["stacktrace"]["frames"]
        .as_array()
        .unwrap();
    assert_eq!(frames.len(), 2);
    assert_eq!(frames[1]["function"], "ratio");
    assert_eq!(frames[1]["lineNo"], 42);
    assert_eq!(frames[1]["context"][0][1], "return a / b");
    let crumbs = entries.iter().find(|e| e["type"] == "breadcrumbs").unwrap();
    let messages: Vec<&str> = crumbs["data"]["values"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b["message"].as_str())
        .collect();
    assert_eq!(messages, ["SELECT * FROM roundtrip", "about to divide"]);
    assert_eq!(
        event["contexts"]["trace"]["trace_id"].as_str().unwrap(),
        trace_id
    );

    // The trace: the transaction, its db span, and the error pinned on that span.
    let trace = get(&sim, &format!("organizations/demo/trace/{trace_id}/"));
    let root = &trace[0];
    assert_eq!(root["transaction"], "POST /v1/roundtrip");
    assert_eq!(root["is_transaction"], true);
    let db = &root["children"][0];
    assert_eq!(db["op"], "db");
    assert_eq!(
        db["errors"][0]["event_id"].as_str().unwrap(),
        event_id.simple().to_string()
    );
    // And the legacy format has it too.
    let legacy = get(
        &sim,
        &format!("organizations/demo/events-trace/{trace_id}/"),
    );
    assert_eq!(
        legacy["transactions"][0]["errors"][0]["issue_id"]
            .as_u64()
            .unwrap()
            .to_string(),
        id
    );
}
