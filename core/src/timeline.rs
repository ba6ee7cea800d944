//! The fleet timeline: every error event of a window as a mark on its server's lane, and for each
//! issue where it appeared first and how it spread ("first on api-3 at 14:02:11, then api-5
//! (+40 s), …").

use crate::series::natural_cmp;
use std::collections::HashMap;

/// The most events one timeline holds (and draws).
pub const MAX_EVENTS: usize = 10_000;

/// One error event on the timeline.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mark {
    /// Epoch milliseconds.
    pub t: i64,
    /// The server it happened on ("" when the event names none).
    pub server: String,
    /// The issue's id (what `/issues/:id` takes).
    pub issue: String,
    /// The event's id.
    pub event: String,
}

/// A group of lanes: servers of one cloud and region (or configured group), in natural order.
#[derive(Debug, Clone, PartialEq)]
pub struct LaneGroup {
    pub label: String,
    pub servers: Vec<String>,
}

/// Lanes for the servers of `marks`, grouped by `group_of` (groups and servers in natural order;
/// events without a server on a last lane named "").
pub fn lanes(marks: &[Mark], group_of: impl Fn(&str) -> String) -> Vec<LaneGroup> {
    // (group, server) of each server once, sorted: the group of events without a server last.
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut servers: Vec<&str> = marks.iter().map(|m| m.server.as_str()).collect();
    crate::sort::sort_by(&mut servers, |a, b| a.cmp(b));
    servers.dedup();
    for s in servers {
        let g = if s.is_empty() {
            String::new()
        } else {
            group_of(s)
        };
        pairs.push((g, s.to_owned()));
    }
    crate::sort::sort_by(&mut pairs, |a, b| {
        a.0.is_empty()
            .cmp(&b.0.is_empty())
            .then_with(|| natural_cmp(&a.0, &b.0))
            .then_with(|| natural_cmp(&a.1, &b.1))
    });
    let mut out: Vec<LaneGroup> = Vec::new();
    for (g, s) in pairs {
        match out.last_mut() {
            Some(last) if last.label == g => last.servers.push(s),
            _ => out.push(LaneGroup {
                label: g,
                servers: vec![s],
            }),
        }
    }
    out
}

/// How one issue spread over the fleet: each server it reached with its first event there, in
/// the order they were reached.
#[derive(Debug, Clone, PartialEq)]
pub struct Spread {
    pub issue: String,
    /// Its events in view.
    pub count: usize,
    /// (server, first event's time in ms, that event's id), earliest first.
    pub reached: Vec<(String, i64, String)>,
}

impl Spread {
    /// When the issue first appeared in view.
    pub fn first_at(&self) -> Option<i64> {
        self.reached.first().map(|r| r.1)
    }
}

/// Every issue of `marks` with its spread, the busiest first (ties: the earliest first). Events
/// without a server count, but reach no server.
pub fn spreads(marks: &[Mark]) -> Vec<Spread> {
    // Marks by issue, server, time and id: each issue's run, and in it each server's first.
    let idx = crate::sort::order(marks.len(), &|a, b| {
        let (x, y) = (&marks[a], &marks[b]);
        x.issue
            .cmp(&y.issue)
            .then_with(|| x.server.cmp(&y.server))
            .then(x.t.cmp(&y.t))
            .then_with(|| x.event.cmp(&y.event))
    });
    let mut out: Vec<Spread> = Vec::new();
    let mut last: Option<(&str, &str)> = None;
    for i in idx {
        let m = &marks[i];
        if out.last().is_none_or(|s| s.issue != m.issue) {
            out.push(Spread {
                issue: m.issue.clone(),
                count: 0,
                reached: Vec::new(),
            });
            last = None;
        }
        let s = out.last_mut().expect("pushed");
        s.count += 1;
        if !m.server.is_empty() && last != Some((m.issue.as_str(), m.server.as_str())) {
            s.reached.push((m.server.clone(), m.t, m.event.clone()));
        }
        last = Some((m.issue.as_str(), m.server.as_str()));
    }
    for s in &mut out {
        crate::sort::sort_by(&mut s.reached, |a, b| {
            a.1.cmp(&b.1).then_with(|| natural_cmp(&a.0, &b.0))
        });
    }
    crate::sort::sort_by(&mut out, |a, b| {
        b.count
            .cmp(&a.count)
            .then(
                a.first_at()
                    .unwrap_or(i64::MAX)
                    .cmp(&b.first_at().unwrap_or(i64::MAX)),
            )
            .then_with(|| a.issue.cmp(&b.issue))
    });
    out
}

/// A delay after the first event, short: `+<1s`, `+40s`, `+3m 5s`, `+2h 10m`.
pub fn after(ms: i64) -> String {
    if ms < 1000 {
        return "+<1s".into();
    }
    format!("+{}", crate::format::duration_ms((ms / 1000 * 1000) as f64))
}

/// The mark nearest to `(t, lane)` within `slack_ms` on that lane (for clicks on the canvas).
pub fn nearest(
    marks: &[Mark],
    lane_of: &HashMap<String, usize>,
    t: i64,
    lane: usize,
    slack_ms: i64,
) -> Option<usize> {
    marks
        .iter()
        .enumerate()
        .filter(|(_, m)| lane_of.get(&m.server) == Some(&lane))
        .map(|(i, m)| (i, (m.t - t).abs()))
        .filter(|(_, d)| *d <= slack_ms)
        .min_by_key(|(_, d)| *d)
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(t: i64, server: &str, issue: &str, event: &str) -> Mark {
        Mark {
            t,
            server: server.into(),
            issue: issue.into(),
            event: event.into(),
        }
    }

    #[test]
    fn an_issue_spreads_in_the_order_its_servers_were_reached() {
        let marks = vec![
            m(5_000, "api-5", "1", "e3"),
            m(1_000, "api-3", "1", "e1"),
            m(2_000, "api-3", "1", "e2"),
            m(41_000, "api-10", "1", "e4"),
            m(3_000, "", "1", "e5"),
            m(9_000, "api-1", "2", "e6"),
        ];
        let s = spreads(&marks);
        assert_eq!(s[0].issue, "1");
        assert_eq!(s[0].count, 5);
        let order: Vec<&str> = s[0].reached.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(order, ["api-3", "api-5", "api-10"]);
        assert_eq!(s[0].reached[0], ("api-3".into(), 1_000, "e1".into()));
        assert_eq!(s[0].first_at(), Some(1_000));
        assert_eq!(s[1].issue, "2");
        assert_eq!(after(40_500), "+40s");
        assert_eq!(after(185_000), "+3m 5s");
        assert_eq!(after(300), "+<1s");
    }

    #[test]
    fn lanes_group_servers_and_put_the_nameless_last() {
        let marks = vec![
            m(1, "gcp-b-10", "1", "a"),
            m(1, "", "1", "b"),
            m(1, "aws-a-2", "1", "c"),
            m(1, "gcp-b-9", "1", "d"),
            m(1, "aws-a-10", "1", "e"),
        ];
        let g = lanes(&marks, |s| {
            s.split('-').take(2).collect::<Vec<_>>().join("-")
        });
        let flat: Vec<(&str, Vec<&str>)> = g
            .iter()
            .map(|g| {
                (
                    g.label.as_str(),
                    g.servers.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            flat,
            [
                ("aws-a", vec!["aws-a-2", "aws-a-10"]),
                ("gcp-b", vec!["gcp-b-9", "gcp-b-10"]),
                ("", vec![""]),
            ]
        );
    }

    #[test]
    fn a_click_finds_the_nearest_mark_on_its_lane() {
        let marks = vec![
            m(1_000, "a", "1", "x"),
            m(1_500, "b", "1", "y"),
            m(3_000, "a", "1", "z"),
        ];
        let lane_of: HashMap<String, usize> = [("a".to_owned(), 0), ("b".to_owned(), 1)]
            .into_iter()
            .collect();
        assert_eq!(nearest(&marks, &lane_of, 1_400, 0, 500), Some(0));
        assert_eq!(nearest(&marks, &lane_of, 1_400, 1, 500), Some(1));
        assert_eq!(nearest(&marks, &lane_of, 2_000, 0, 500), None);
    }
}
