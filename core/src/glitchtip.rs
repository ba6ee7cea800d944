//! GlitchTip without events-stats or an events table: exact per-server figures from its event lists.
//!
//! GlitchTip stores every event with its tags, and lists a project's events newest first
//! (`projects/{org}/{project}/events/`). Its `Link` header cannot be read from another origin (no
//! `Access-Control-Expose-Headers`), so pages are asked for with a cursor built from the last event's
//! receive time — the same `p=<position>` cursor GlitchTip itself hands out. Events are counted by the
//! time GlitchTip received them, as GlitchTip's own statistics are.

use crate::json::{expect_object, FromJson, Get};
use crate::model::event::EventUser;
use crate::series::{NamedSeries, SeriesSet};
use base64::Engine;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// A page cursor that asks for the items whose sort key is below `position` (descending lists).
pub fn position_cursor(position: &str) -> String {
    let mut q = String::from("p=");
    for b in position.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                q.push(b as char)
            }
            b' ' => q.push('+'),
            _ => q.push_str(&format!("%{b:02X}")),
        }
    }
    base64::engine::general_purpose::STANDARD.encode(q)
}

/// The cursor of the page after an item received at `t`. One millisecond later than `t`, because
/// GlitchTip answers with milliseconds and stores microseconds: the next page then starts with the
/// items of that same millisecond again (duplicates are dropped by id), and none is skipped.
pub fn cursor_below(t: DateTime<Utc>) -> String {
    let p = t + chrono::Duration::milliseconds(1);
    // `to_rfc3339_opts`, not `format("%Y-…")`: the strftime machinery cost ~4 KB of wasm.
    position_cursor(&p.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}

/// The few fields of an event the per-server figures need (full events are large; only these are
/// kept between refreshes).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LightEvent {
    pub id: String,
    /// The issue (GlitchTip's `groupID`).
    pub issue: String,
    pub received: DateTime<Utc>,
    pub server: String,
    pub cloud: String,
    pub region: String,
    pub environment: String,
    pub release: String,
    /// The user's label (email, username, id or IP), when the event has one.
    pub user: Option<String>,
}

impl FromJson for LightEvent {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        let received = v
            .t("dateReceived")
            .or_else(|| v.t("date_received"))
            .or_else(|| v.t("dateCreated"))
            .or_else(|| v.t("date_created"))
            .ok_or("an event without a time")?;
        let mut e = LightEvent {
            id: v
                .os("eventID")
                .or_else(|| v.os("event_id"))
                .or_else(|| v.os("id"))
                .unwrap_or_default(),
            issue: v
                .os("groupID")
                .or_else(|| v.os("group_id"))
                .unwrap_or_default(),
            received,
            user: v
                .o::<EventUser>("user")
                .and_then(|u| u.label().map(str::to_owned)),
            ..Default::default()
        };
        if let Some(Value::Array(tags)) = v.get("tags") {
            for t in tags {
                let (k, val) = (t.s("key"), t.s("value"));
                match k.as_str() {
                    "server_name" => e.server = val,
                    "cloud" => e.cloud = val,
                    "region" => e.region = val,
                    "environment" => e.environment = val,
                    "release" => e.release = val,
                    _ => {}
                }
            }
        }
        Ok(e)
    }
}

/// The windows the figures cover: `[prev_start, start)` and `[start, end]`, in buckets of `interval`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Windows {
    pub prev_start: i64,
    pub start: i64,
    pub end: i64,
    pub interval: i64,
}

/// Exact figures of both windows, aggregated from events.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    /// Per-server series over both windows (events without a server go to the remainder).
    pub both: SeriesSet,
    /// Every server seen in either window, busiest in the current window first.
    pub names: Vec<String>,
    /// Cloud and region of each server, from its events' tags.
    pub places: HashMap<String, crate::keys::Place>,
    /// (issue, server) → events in the current window.
    pub matrix: HashMap<(String, String), u64>,
    /// Issue → events in the current window.
    pub issue_counts: HashMap<String, u64>,
    /// Issue → distinct users in the current window.
    pub issue_users: HashMap<String, u64>,
    /// Distinct users in the current and the previous window.
    pub users: (u64, u64),
    /// Events counted in the current window.
    pub total: u64,
    /// Each release seen in the current window with the time of its first event there, oldest first.
    pub releases: Vec<(String, i64)>,
}

/// Aggregates events into both windows. `environments` (when not empty) keeps only those.
pub fn aggregate<'a>(
    events: impl IntoIterator<Item = &'a LightEvent>,
    w: Windows,
    environments: &[String],
) -> Figures {
    let interval = w.interval.max(1);
    let t0 = w.prev_start.div_euclid(interval) * interval;
    let n = ((w.end - t0) / interval + 1).max(1) as usize;
    let buckets: Vec<i64> = (0..n as i64).map(|i| t0 + i * interval).collect();
    let mut per: HashMap<String, Vec<f64>> = HashMap::new();
    let mut remainder = vec![0.0; n];
    let mut f = Figures::default();
    let (mut users_now, mut users_prev) = (HashSet::new(), HashSet::new());
    let mut server_now: HashMap<String, u64> = HashMap::new();
    let mut first_release: HashMap<String, i64> = HashMap::new();
    let mut issue_users: HashMap<String, HashSet<String>> = HashMap::new();
    for e in events {
        if !environments.is_empty() && !environments.contains(&e.environment) {
            continue;
        }
        let t = e.received.timestamp();
        if t < w.prev_start || t > w.end {
            continue;
        }
        let i = ((t - t0) / interval) as usize;
        if i >= n {
            continue;
        }
        let current = t >= w.start;
        if e.server.is_empty() {
            remainder[i] += 1.0;
        } else {
            per.entry(e.server.clone()).or_insert_with(|| vec![0.0; n])[i] += 1.0;
            f.places
                .entry(e.server.clone())
                .or_default()
                .learn(&e.cloud, &e.region);
        }
        if let Some(u) = &e.user {
            if current {
                issue_users
                    .entry(e.issue.clone())
                    .or_default()
                    .insert(u.clone());
                users_now.insert(u.clone());
            } else {
                users_prev.insert(u.clone());
            }
        }
        if current && !e.release.is_empty() {
            let r = first_release.entry(e.release.clone()).or_insert(t);
            *r = (*r).min(t);
        }
        if current {
            f.total += 1;
            *f.issue_counts.entry(e.issue.clone()).or_default() += 1;
            if !e.server.is_empty() {
                *server_now.entry(e.server.clone()).or_default() += 1;
                *f.matrix
                    .entry((e.issue.clone(), e.server.clone()))
                    .or_default() += 1;
            }
        }
    }
    let mut names: Vec<String> = per.keys().cloned().collect();
    crate::sort::sort_by(&mut names, |a, b| {
        let (ca, cb) = (
            server_now.get(a).copied().unwrap_or(0),
            server_now.get(b).copied().unwrap_or(0),
        );
        cb.cmp(&ca).then_with(|| crate::series::natural_cmp(a, b))
    });
    f.both = SeriesSet {
        buckets,
        interval,
        series: names
            .iter()
            .map(|name| NamedSeries {
                name: name.clone(),
                values: per.remove(name).unwrap_or_default(),
                source: None,
            })
            .collect(),
        remainder,
    };
    f.names = names;
    f.issue_users = issue_users
        .into_iter()
        .map(|(k, v)| (k, v.len() as u64))
        .collect();
    f.releases = first_release.into_iter().collect();
    crate::sort::sort_by(&mut f.releases, |a, b| {
        a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0))
    });
    f.users = (users_now.len() as u64, users_prev.len() as u64);
    f
}

/// Sparse `[(epoch_s, n)]` buckets (GlitchTip's `issues-stats` has no zero fill) on a regular grid of
/// `interval` from `start` to `end`.
pub fn zero_fill(points: &[(i64, f64)], start: i64, end: i64, interval: i64) -> Vec<(i64, f64)> {
    let interval = interval.max(1);
    let t0 = start.div_euclid(interval) * interval;
    let n = ((end - t0) / interval + 1).max(1) as usize;
    let mut out: Vec<(i64, f64)> = (0..n as i64).map(|i| (t0 + i * interval, 0.0)).collect();
    for &(t, v) in points {
        if t < t0 {
            continue;
        }
        let i = ((t - t0) / interval) as usize;
        if let Some(o) = out.get_mut(i) {
            o.1 += v;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    #[test]
    fn cursor_is_the_one_glitchtip_hands_out() {
        // Recorded from a live GlitchTip: the `next` cursor of an issue list page.
        assert_eq!(
            position_cursor("2026-11-24 22:00:15.355281+00:00"),
            "cD0yMDI2LTExLTI0KzIyJTNBMDAlM0ExNS4zNTUyODElMkIwMCUzQTAw"
        );
        let t = DateTime::parse_from_rfc3339("2026-12-02T18:28:56.779Z")
            .unwrap()
            .with_timezone(&Utc);
        let c = base64::engine::general_purpose::STANDARD
            .decode(cursor_below(t))
            .unwrap();
        assert_eq!(
            String::from_utf8(c).unwrap(),
            "p=2026-12-02T18%3A28%3A56.780Z"
        );
    }

    fn ev(
        id: &str,
        issue: &str,
        t: i64,
        server: &str,
        env: &str,
        user: Option<&str>,
    ) -> LightEvent {
        LightEvent {
            id: id.into(),
            issue: issue.into(),
            received: DateTime::from_timestamp(t, 0).unwrap(),
            server: server.into(),
            cloud: if server.starts_with("aws") {
                "aws"
            } else {
                "gcp"
            }
            .into(),
            region: "r".into(),
            environment: env.into(),
            user: user.map(str::to_owned),
            ..Default::default()
        }
    }

    #[test]
    fn both_windows_are_counted_exactly() {
        let w = Windows {
            prev_start: 0,
            start: 600,
            end: 1199,
            interval: 60,
        };
        let evs = vec![
            LightEvent {
                release: "api@1".into(),
                ..ev("1", "a", 10, "aws-1", "production", Some("u1"))
            },
            LightEvent {
                release: "api@2".into(),
                ..ev("1b", "a", 700, "aws-1", "production", Some("u1"))
            },
            LightEvent {
                release: "api@1".into(),
                ..ev("1c", "a", 650, "aws-1", "production", Some("u1"))
            },
            ev("2", "a", 610, "aws-1", "production", Some("u1")),
            ev("3", "b", 620, "gcp-1", "staging", Some("u2")),
            ev("4", "b", 1190, "gcp-1", "production", None),
            ev("5", "b", 1195, "", "production", None),
            ev("6", "b", 1300, "gcp-1", "production", None),
        ];
        let f = aggregate(&evs, w, &[]);
        assert_eq!(f.total, 6);
        assert_eq!(f.names, vec!["aws-1", "gcp-1"]);
        assert_eq!(f.both.grand_total(), 7.0);
        assert_eq!(f.both.window(600, 1200).grand_total(), 6.0);
        assert_eq!(
            f.releases,
            vec![("api@1".to_string(), 650), ("api@2".to_string(), 700)]
        );
        assert_eq!(f.matrix[&("b".to_string(), "gcp-1".to_string())], 2);
        assert_eq!(f.issue_counts["b"], 3);
        assert_eq!(f.users, (2, 1));
        assert_eq!(f.issue_users["a"], 1);
        assert_eq!(f.places["aws-1"].cloud, "aws");
        let staging = aggregate(&evs, w, &["staging".into()]);
        assert_eq!(staging.total, 1);
        assert_eq!(staging.names, vec!["gcp-1"]);
        assert_eq!(f.issue_counts["a"], 3);
    }

    #[test]
    fn events_of_both_spellings_are_read() {
        let camel: LightEvent = parse(r#"{"eventID":"e1","groupID":"7","dateReceived":"2026-12-02T18:28:56.779Z","tags":[{"key":"server_name","value":"aws-1"},{"key":"cloud","value":"aws"}],"user":{"id":"u-1","email":"a@example.com"}}"#).unwrap();
        assert_eq!(camel.issue, "7");
        assert_eq!(camel.server, "aws-1");
        assert_eq!(camel.user.as_deref(), Some("a@example.com"));
        let snake: LightEvent = parse(r#"{"event_id":"e2","group_id":"8","date_received":"2026-12-02T18:28:56Z","tags":[{"key":"environment","value":"staging"}]}"#).unwrap();
        assert_eq!(
            (snake.id.as_str(), snake.environment.as_str()),
            ("e2", "staging")
        );
        assert!(parse::<LightEvent>(r#"{"eventID":"x"}"#).is_err());
    }

    #[test]
    fn sparse_buckets_are_filled() {
        let f = zero_fill(&[(3600, 2.0), (10_800, 1.0)], 0, 10_800, 3600);
        assert_eq!(f, vec![(0, 0.0), (3600, 2.0), (7200, 0.0), (10_800, 1.0)]);
    }
}
