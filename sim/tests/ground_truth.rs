//! The simulator's `events-stats` (every shape) and legacy `events-trace` against the shapes read
//! from Sentry's own serializers and tests (`testdata/sentry-ground-truth/`, sources in its
//! README): every key at every depth, every series, every bucket, and the rules those sources
//! state (zero-filled buckets, `start` / `end` on the rollup, `order` 0‥n with `Other` last).

mod support;

use lookout_sim::Flavor;
use serde_json::Value;
use support::shape::{diff, Rules};
use support::{get, start, testdata_json};

const SENTRY: Rules = Rules {
    server: "Sentry",
    // Which columns `meta` describes depends on the query.
    free_form: &[".meta.fields", ".meta.units", ".meta.tips"],
    partial: &[],
    open: &[],
    typed_lists: &[],
    nullable: &[
        // organization_events_trace.py `TraceEvent.to_dict`: null for a root.
        ".parent_span_id",
        ".parent_event_id",
    ],
    documented: &[
        // organization_events_trace.py `full_dict`: `profile_id` only when the event has a profile.
        ".profile_id",
        // trace-meta of servers between the one read and today's camelCase form
        // (../shared/sentry-api/README.md §5: "older servers snake_case (`span_count`)").
        "trace-meta.span_count",
        "trace-meta.transaction_child_count_map",
        "trace-meta.span_count_map",
    ],
    lenient_nulls: true,
};

fn truth(name: &str) -> Value {
    testdata_json(&format!("sentry-ground-truth/{name}"))
}

/// One series against the ground truth's, plus the serializer's rules: buckets every `interval`
/// from `start` (zero-filled), `start` / `end` rounded down to the rollup.
fn check_series(want: &Value, got: &Value, interval: i64, path: &str, out: &mut Vec<String>) {
    out.extend(diff(want, got, None, &SENTRY, path));
    let (Some(start), Some(end)) = (got["start"].as_i64(), got["end"].as_i64()) else {
        out.push(format!("{path}: start/end are not integers"));
        return;
    };
    if start % interval != 0 || end % interval != 0 {
        out.push(format!(
            "{path}: start {start} / end {end} are not on the {interval} s rollup"
        ));
    }
    let times: Vec<i64> = got["data"]
        .as_array()
        .map(|d| d.iter().filter_map(|b| b[0].as_i64()).collect())
        .unwrap_or_default();
    let mut expected: Vec<i64> = (0..(end - start + interval - 1) / interval)
        .map(|i| start + i * interval)
        .collect();
    // Asked with `partial=1` (as the dashboard asks), the bucket under way may follow.
    if times.len() == expected.len() + 1 && times.last() == Some(&end) {
        expected.push(end);
    }
    if times != expected {
        out.push(format!(
            "{path}: buckets {}…{} ({}) instead of every {interval} s from {start} to {end} ({})",
            times.first().unwrap_or(&0),
            times.last().unwrap_or(&0),
            times.len(),
            expected.len()
        ));
    }
}

/// `events-stats` answers of each shape, asked as the dashboard asks.
#[test]
fn events_stats_answers_in_every_shape_match_sentrys() {
    let sim = start(Flavor::Sentry);
    let base =
        "organizations/demo/events-stats/?dataset=errors&interval=1h&statsPeriod=24h&partial=1";
    let mut problems = Vec::new();

    // A: one yAxis, no grouping.
    let a = get(&sim, &format!("{base}&yAxis=count()"));
    check_series(
        &truth("events-stats-count.json"),
        &a,
        3600,
        "A",
        &mut problems,
    );

    // A again: topEvents with nothing to group (a filter that matches no event).
    let none = get(
        &sim,
        &format!("{base}&yAxis=count()&field=server_name&field=count()&topEvents=10&query=server_name%3Ano-such-server"),
    );
    check_series(
        &truth("events-stats-top-events-none.json"),
        &none,
        3600,
        "A (no top events)",
        &mut problems,
    );
    if none["data"]
        .as_array()
        .is_some_and(|d| d.iter().any(|b| b[1][0]["count"] != 0))
    {
        problems.push("A (no top events): a bucket is not zero".into());
    }

    // B: two yAxis, keyed by yAxis with orders 0 and 1.
    let b = get(
        &sim,
        &format!("{base}&yAxis=count()&yAxis=count_unique(user)"),
    );
    let want_b = truth("events-stats-multi-axis.json");
    for y in ["count()", "count_unique(user)"] {
        check_series(&want_b[y], &b[y], 3600, &format!("B.{y}"), &mut problems);
    }
    let keys: Vec<&String> = b.as_object().unwrap().keys().collect();
    if keys.len() != 2 {
        problems.push(format!("B: keys {keys:?}, Sentry answers one per yAxis"));
    }

    // C: topEvents by server, then the same with two yAxis.
    let c = get(
        &sim,
        &format!("{base}&yAxis=count()&field=server_name&field=count()&topEvents=10&sort=-count()"),
    );
    let want_c = truth("events-stats-top-events.json");
    check_groups(&c, &want_c, None, &mut problems);
    let d = get(
        &sim,
        &format!("{base}&yAxis=count()&yAxis=epm()&field=server_name&field=count()&field=epm()&topEvents=10&sort=-count()"),
    );
    let want_d = truth("events-stats-top-events-multi-axis.json");
    check_groups(&d, &want_d, Some(&["count()", "epm()"]), &mut problems);

    // topEvents over Sentry's limit of 10 is refused (test_top_events_limits).
    let r = reqwest::blocking::Client::new()
        .get(format!(
            "{}/api/0/{base}&yAxis=count()&field=server_name&topEvents=11",
            sim.url
        ))
        .bearer_auth("lookout-demo")
        .send()
        .unwrap();
    if r.status().as_u16() != 400 {
        problems.push(format!("topEvents=11: {} instead of 400", r.status()));
    }

    assert!(
        problems.is_empty(),
        "{} differences from Sentry's events-stats:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

/// Shape C: every group against the ground truth's group (or its `Other`), orders 0‥n-1 with
/// `Other` last; `axes` for groups that hold one series per yAxis.
fn check_groups(got: &Value, want: &Value, axes: Option<&[&str]>, out: &mut Vec<String>) {
    let groups = got.as_object().expect("shape C is an object");
    let template = want
        .as_object()
        .unwrap()
        .iter()
        .find(|(k, _)| *k != "Other")
        .map(|(_, v)| v)
        .unwrap();
    if !groups.contains_key("Other") {
        out.push("C: no Other group (more than 10 servers have errors)".into());
    }
    let mut orders: Vec<(i64, &String)> = Vec::new();
    for (name, g) in groups {
        let w = if name == "Other" {
            &want["Other"]
        } else {
            template
        };
        match axes {
            None => check_series(w, g, 3600, &format!("C.{name}"), out),
            Some(axes) => {
                let keys: Vec<&String> = g.as_object().unwrap().keys().collect();
                if keys.len() != axes.len() + 1 {
                    out.push(format!("C.{name}: keys {keys:?}"));
                }
                for y in axes {
                    check_series(&w[*y], &g[*y], 3600, &format!("C.{name}.{y}"), out);
                }
            }
        }
        match g["order"].as_i64() {
            Some(o) => orders.push((o, name)),
            None => out.push(format!("C.{name}: no order")),
        }
    }
    orders.sort();
    let n = orders.len() as i64;
    if orders.iter().map(|o| o.0).collect::<Vec<_>>() != (0..n).collect::<Vec<_>>() {
        out.push(format!("C: orders {orders:?} are not 0‥{}", n - 1));
    }
    if orders.last().is_some_and(|o| o.1 != "Other") {
        out.push(format!("C: {:?} is last, not Other", orders.last()));
    }
}

/// The legacy `events-trace` of a trace with an error, against `OrganizationEventsTraceEndpoint`.
#[test]
fn the_legacy_trace_matches_sentrys() {
    let sim = start(Flavor::SentryLegacy);
    let issues = get(
        &sim,
        "organizations/demo/issues/?query=is:unresolved%20has:server_name&statsPeriod=14d&limit=25&sort=freq",
    );
    let trace = issues
        .as_array()
        .unwrap()
        .iter()
        .find_map(|i| {
            let e = get(
                &sim,
                &format!(
                    "organizations/demo/issues/{}/events/latest/",
                    i["id"].as_str().unwrap()
                ),
            );
            e["contexts"]["trace"]["trace_id"]
                .as_str()
                .map(str::to_owned)
        })
        .expect("an error with a trace");
    let got = get(&sim, &format!("organizations/demo/events-trace/{trace}/"));
    let mut problems = diff(
        &truth("events-trace.json"),
        &got,
        None,
        &SENTRY,
        "events-trace",
    );
    let errors: usize = {
        fn count(t: &Value) -> usize {
            t["errors"].as_array().map_or(0, Vec::len)
                + t["children"]
                    .as_array()
                    .map_or(0, |c| c.iter().map(count).sum())
        }
        got["transactions"]
            .as_array()
            .map_or(0, |t| t.iter().map(count).sum())
            + got["orphan_errors"].as_array().map_or(0, Vec::len)
    };
    if errors == 0 {
        problems.push("events-trace: the trace of an error holds no error".into());
    }
    problems.extend(diff(
        &truth("trace-meta-legacy.json"),
        &get(&sim, &format!("organizations/demo/trace-meta/{trace}/")),
        None,
        &SENTRY,
        "trace-meta",
    ));
    assert!(
        problems.is_empty(),
        "{} differences from Sentry's legacy trace:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

#[test]
fn the_ground_truth_check_notices_a_wrong_series() {
    let want = truth("events-stats-count.json");
    let mut got = want.clone();
    got["data"][1][1] = serde_json::json!({"count": 2});
    got.as_object_mut().unwrap().remove("isMetricsData");
    got["start"] = serde_json::json!(want["start"].as_i64().unwrap() + 60);
    let mut out = Vec::new();
    check_series(&want, &got, 3600, "A", &mut out);
    let text = out.join("\n");
    for needle in [
        "A.data[1][1]: object instead of array",
        "A.isMetricsData: missing",
        "not on the 3600 s rollup",
    ] {
        assert!(text.contains(needle), "{needle} in:\n{text}");
    }
}
