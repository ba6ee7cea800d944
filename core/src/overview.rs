//! The overview's figures that are not time series.

use crate::config::AppConfig;
use crate::keys::Place;
use crate::model::{IssueDto, ReleaseDto};
use crate::series::SeriesSet;
use std::collections::HashMap;

/// The slower figures: new issues and users (with the previous window), top issues, the issue ×
/// server matrix, and releases.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extras {
    pub new_issues: Option<(u64, u64)>,
    /// The issues first seen in the window, newest first.
    pub new_list: Vec<IssueDto>,
    pub users: Option<(u64, u64)>,
    pub top_issues: Vec<IssueDto>,
    /// (issue id, server) → events.
    pub matrix: HashMap<(String, String), u64>,
    pub releases: Vec<ReleaseDto>,
    pub requests: u32,
}

/// The group a server's row falls in: its configured server group first, then `cloud · region`
/// (or the cloud alone) from its tags, else "—".
pub fn group_label(server: &str, cfg: &AppConfig, places: &HashMap<String, Place>) -> String {
    cfg.group_of(server)
        .map(str::to_owned)
        .or_else(|| places.get(server).and_then(Place::group))
        .unwrap_or_else(|| "—".into())
}

/// p95 duration and throughput per server over time (transactions).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PerfResult {
    pub p95: SeriesSet,
    pub epm: SeriesSet,
    /// Per server, the window's own figures from the events table: p95 duration (ms),
    /// transactions per minute and count. (A p95 of a window is not the mean of its buckets'.)
    pub window: HashMap<String, WindowFigures>,
    pub requests: u32,
}

/// One server's transactions over the whole window.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WindowFigures {
    pub p95_ms: Option<f64>,
    pub per_minute: f64,
    pub count: u64,
}

/// One server's row of the performance table.
#[derive(Clone, Debug, PartialEq)]
pub struct PerfRow<'a> {
    pub server: &'a str,
    /// The window's p95 (ms) and transactions per minute, from the events table: a p95 of a
    /// window is not the mean of its buckets' p95s, so the buckets only draw the sparkline.
    pub p95_ms: f64,
    pub per_minute: f64,
    /// p95 per bucket, for the sparkline.
    pub p95_over_time: &'a [f64],
}

impl PerfResult {
    /// Every server with its window figures, slowest first.
    pub fn rows(&self) -> Vec<PerfRow<'_>> {
        let mut rows: Vec<PerfRow> = self
            .p95
            .series
            .iter()
            .map(|s| {
                let w = self.window.get(&s.name);
                PerfRow {
                    server: &s.name,
                    p95_ms: w.and_then(|w| w.p95_ms).unwrap_or(0.0),
                    per_minute: w.map_or(0.0, |w| w.per_minute),
                    p95_over_time: &s.values,
                }
            })
            .collect();
        crate::sort::sort_by(&mut rows, |a, b| b.p95_ms.total_cmp(&a.p95_ms));
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::series::{group_rows, NamedSeries, SeriesSet};

    #[test]
    fn a_windows_p95_is_the_servers_own_not_the_mean_of_its_buckets() {
        let named = |n: &str, v: Vec<f64>| NamedSeries {
            name: n.into(),
            values: v,
            source: None,
        };
        let p = PerfResult {
            // Bucket p95s whose mean (400 ms for api-1) is not the window's p95 (900 ms).
            p95: SeriesSet {
                series: vec![
                    named("api-1", vec![100.0, 700.0]),
                    named("api-2", vec![500.0, 500.0]),
                ],
                ..SeriesSet::default()
            },
            window: [
                (
                    "api-1".to_string(),
                    WindowFigures {
                        p95_ms: Some(900.0),
                        per_minute: 2.0,
                        count: 10,
                    },
                ),
                (
                    "api-2".to_string(),
                    WindowFigures {
                        p95_ms: Some(500.0),
                        per_minute: 1.0,
                        count: 5,
                    },
                ),
            ]
            .into(),
            ..PerfResult::default()
        };
        let rows = p.rows();
        let got: Vec<(&str, f64)> = rows.iter().map(|r| (r.server, r.p95_ms)).collect();
        assert_eq!(
            got,
            [("api-1", 900.0), ("api-2", 500.0)],
            "slowest first, window p95"
        );
        assert_eq!(rows[0].p95_over_time, [100.0, 700.0]);
    }

    #[test]
    fn rows_group_by_configured_group_then_place() {
        let cfg = AppConfig::parse(
            r#"{"sources":[{"name":"a","url":"http://x","org":"o"}],
                "serverGroups":[{"name":"Batch","match":"*-batch-*"}]}"#,
        )
        .unwrap();
        let places: HashMap<String, Place> = [
            ("api-1", "aws", "apne2"),
            ("api-2", "gcp", ""),
            ("eu-batch-1", "aws", "euw1"),
        ]
        .into_iter()
        .map(|(s, c, r)| {
            (
                s.to_owned(),
                Place {
                    cloud: c.into(),
                    region: r.into(),
                },
            )
        })
        .collect();
        let label = |s: &str| group_label(s, &cfg, &places);
        assert_eq!(label("eu-batch-1"), "Batch", "the configured group wins");
        assert_eq!(label("api-1"), "aws · apne2");
        assert_eq!(label("api-2"), "gcp");
        assert_eq!(label("unknown"), "—");
        let set = SeriesSet {
            series: ["api-2", "eu-batch-1", "api-1", "unknown"]
                .iter()
                .map(|n| NamedSeries {
                    name: (*n).into(),
                    values: vec![1.0],
                    source: None,
                })
                .collect(),
            ..SeriesSet::default()
        };
        let groups = group_rows(&set, &[3, 2, 1, 0], |s| label(&s.name));
        let names: Vec<&str> = groups.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(names, ["aws · apne2", "Batch", "gcp", "—"]);
        assert_eq!(groups[3].1, [3]);
    }
}
