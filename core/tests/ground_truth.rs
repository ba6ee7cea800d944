//! The dashboard's parsers on the shapes read from Sentry's own serializers and tests
//! (`testdata/sentry-ground-truth/`, sources in its README): every value a page shows comes out.

use lookout_core::model::*;
use lookout_core::series::SeriesSet;
use serde_json::Value;
use std::path::PathBuf;

fn text(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/sentry-ground-truth")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn stats(name: &str) -> StatsResponse {
    StatsResponse::parse(&text(name)).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

const T0: i64 = 1_699_999_200;

#[test]
fn every_ground_truth_file_is_covered() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/sentry-ground-truth");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "events-stats-count.json",
            "events-stats-multi-axis.json",
            "events-stats-no-projects.json",
            "events-stats-top-events-multi-axis.json",
            "events-stats-top-events-none.json",
            "events-stats-top-events.json",
            "events-trace.json",
            "trace-meta-legacy.json",
        ],
        "a new ground-truth file needs a parse test here"
    );
}

#[test]
fn a_single_series_reads_its_buckets() {
    let s = stats("events-stats-count.json");
    assert_eq!(s.series.len(), 1);
    assert_eq!(s.series[0].path, Vec::<String>::new());
    assert_eq!(
        s.series[0].points,
        [(T0, Some(1.0)), (T0 + 3600, Some(2.0))]
    );
    // No top values found: one zero-filled series, which charts as nothing, not as an error.
    let none = stats("events-stats-top-events-none.json");
    assert_eq!(none.series.len(), 1);
    assert_eq!(none.series[0].total(), 0.0);
    let set = SeriesSet::from_batches(&[none]);
    assert!(set
        .series
        .iter()
        .all(|s| s.values.iter().all(|v| *v == 0.0)));
    // An organization without projects.
    let empty = stats("events-stats-no-projects.json");
    assert!(empty.series.iter().all(|s| s.points.is_empty()));
}

#[test]
fn several_y_axes_come_apart_by_axis() {
    let s = stats("events-stats-multi-axis.json");
    let paths: Vec<(Vec<String>, Option<i64>)> =
        s.series.iter().map(|x| (x.path.clone(), x.order)).collect();
    assert_eq!(
        paths,
        [
            (vec!["count()".to_owned()], Some(0)),
            (vec!["count_unique(user)".to_owned()], Some(1)),
        ]
    );
    assert_eq!(s.series[0].total(), 5.0);
    assert_eq!(s.series[1].total(), 2.0);
}

#[test]
fn top_events_become_one_series_per_server_and_a_remainder() {
    let s = stats("events-stats-top-events.json");
    let names: Vec<&str> = s.series.iter().map(StatsSeries::group).collect();
    assert_eq!(names, ["aws-apne2-api-1", "gcp-ane3-api-2", "Other"]);
    let set = SeriesSet::from_batches(&[s]);
    let by_name: Vec<(&str, Vec<f64>)> = set
        .series
        .iter()
        .map(|x| (x.name.as_str(), x.values.clone()))
        .collect();
    assert!(
        by_name.contains(&("aws-apne2-api-1", vec![3.0, 1.0])),
        "{by_name:?}"
    );
    assert!(
        by_name.contains(&("gcp-ane3-api-2", vec![0.0, 2.0])),
        "{by_name:?}"
    );
    assert_eq!(set.remainder, [1.0, 1.0]);
}

#[test]
fn top_events_with_two_axes_split_by_axis() {
    let s = stats("events-stats-top-events-multi-axis.json");
    assert_eq!(s.series.len(), 4);
    let count = s.axis("count()");
    let epm = s.axis("epm()");
    let names: Vec<&str> = count.series.iter().map(StatsSeries::group).collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"aws-apne2-api-1") && names.contains(&"Other"));
    assert_eq!(count.group("aws-apne2-api-1").unwrap().total(), 4.0);
    let per_minute = epm.group("aws-apne2-api-1").unwrap().points[0].1.unwrap();
    assert!((per_minute - 0.05).abs() < 1e-9, "{per_minute}");
    let set = SeriesSet::from_batches(&[count]);
    assert_eq!(set.remainder, [1.0, 1.0]);
}

#[test]
fn the_legacy_trace_reads_transactions_errors_and_orphans() {
    let t: LegacyTraceDto = parse(&text("events-trace.json")).unwrap();
    assert_eq!(t.transactions.len(), 1);
    let root = &t.transactions[0];
    assert_eq!(root.transaction, "GET /api/orders/{id}");
    assert_eq!(root.duration, 2500.0);
    assert_eq!(root.op.as_deref(), Some("http.server"));
    assert_eq!(root.parent_span_id, None);
    assert_eq!(root.start_timestamp, T0 as f64);
    assert_eq!(root.errors.len(), 1);
    let e = &root.errors[0];
    assert_eq!(e.issue_id.as_deref(), Some("101"));
    assert_eq!(e.text(), "OperationalError: connection reset");
    assert_eq!(e.span.as_deref(), Some("2222222222222222"));
    assert_eq!(e.level.as_deref(), Some("error"));
    assert_eq!(root.children.len(), 1);
    let child = &root.children[0];
    assert_eq!(child.project_slug, "worker");
    assert_eq!(child.parent_span_id.as_deref(), Some("2222222222222222"));
    assert_eq!(t.orphan_errors.len(), 1);
    assert_eq!(t.orphan_errors[0].text(), "KeyError: 'sku'");
    assert_eq!(t.orphan_errors[0].level.as_deref(), Some("warning"));
}

#[test]
fn the_legacy_trace_meta_reads_its_counts() {
    let m: TraceMetaDto = parse(&text("trace-meta-legacy.json")).unwrap();
    assert_eq!(m.errors_count, 2);
    assert_eq!(m.transactions_count, 2);
    assert_eq!(m.projects_count, 2);
    let v: Value = serde_json::from_str(&text("trace-meta-legacy.json")).unwrap();
    assert_eq!(v["performance_issues"], 0);
}
