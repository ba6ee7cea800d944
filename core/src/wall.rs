//! The wall's pure logic: merging every source's figures onto one screen, and finding what
//! deserves a glance between two refreshes (new issues, regressions, an issue reaching a server
//! for the first time).

use crate::keys::{IssueKey, SeriesKey};
use crate::model::IssueDto;
use crate::overview::Extras;
use crate::series::{merge_sources, SeriesSet};
use std::collections::{HashMap, HashSet};

/// A view the wall rotates through (the URL's `views=` and `config.json`'s `wall.views`).
#[derive(Clone, Debug, PartialEq)]
pub enum WallView {
    Overview,
    Heatmap,
    Issues,
    New,
    Project(String),
    Group(String),
    /// The fleet timeline (the last hour, or the URL's fixed window).
    Timeline,
    /// Server × transaction latency, the largest p95 rises first.
    Performance,
}

impl WallView {
    /// Parses `overview`, `heatmap`, `issues`, `new`, `timeline`, `performance`, `project:<slug>`, `group:<name>`.
    pub fn parse(s: &str) -> Option<WallView> {
        let s = s.trim();
        Some(match s {
            "overview" => WallView::Overview,
            "heatmap" => WallView::Heatmap,
            "issues" => WallView::Issues,
            "new" => WallView::New,
            "timeline" => WallView::Timeline,
            "performance" => WallView::Performance,
            _ => match s.split_once(':')? {
                ("project", p) if !p.is_empty() => WallView::Project(p.to_owned()),
                ("group", g) if !g.is_empty() => WallView::Group(g.to_owned()),
                _ => return None,
            },
        })
    }
}

/// What one source has for the wall at the moment.
pub struct SourceFigures<'a> {
    pub source: &'a str,
    /// Both windows (previous and current) on common buckets, and the current window's start
    /// and end (epoch seconds); `None` until the first answer.
    pub series: Option<(&'a SeriesSet, i64, i64)>,
    /// The slower figures, when they have arrived.
    pub extras: Option<&'a Extras>,
}

/// An issue on a wall that may show several sources.
#[derive(Clone, Debug, PartialEq)]
pub struct WallIssue {
    pub key: IssueKey,
    pub issue: IssueDto,
    /// The servers it hit in the window, most events first (from the source's issue × server
    /// counts; empty until they have loaded).
    pub servers: Vec<(String, u64)>,
}

/// The servers of issue `id` in an issue × server matrix, most events first, then by name.
pub fn servers_of(matrix: &HashMap<(String, String), u64>, id: &str) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = matrix
        .iter()
        .filter(|((issue, _), n)| issue == id && **n > 0)
        .map(|((_, server), n)| (server.clone(), *n))
        .collect();
    crate::sort::sort_by(&mut v, |a, b| {
        b.1.cmp(&a.1)
            .then_with(|| crate::series::natural_cmp(&a.0, &b.0))
    });
    v
}

/// Everything the views draw, merged across sources.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Merged {
    /// The current and the previous window, each series carrying its source when several.
    pub current: SeriesSet,
    pub previous: SeriesSet,
    pub start: i64,
    pub end: i64,
    /// Every source's top issues, most events first.
    pub top: Vec<WallIssue>,
    /// Every source's new issues, newest first.
    pub new: Vec<WallIssue>,
    /// Summed over the sources that answered: new issues and users, (window, previous window).
    pub new_issues: (u64, u64),
    pub users: (u64, u64),
}

/// Merges what the sources have; `None` while no source has its series yet.
pub fn merge(feeds: &[SourceFigures]) -> Option<Merged> {
    let mut cur = Vec::new();
    let mut prev = Vec::new();
    let mut m = Merged::default();
    for f in feeds {
        let Some((both, start, end)) = f.series else {
            continue;
        };
        m.start = start;
        m.end = end;
        cur.push((f.source.to_owned(), both.window(start, end + 1)));
        prev.push((f.source.to_owned(), both.window(2 * start - end, start)));
        let Some(e) = f.extras else {
            continue;
        };
        let add = |sum: &mut (u64, u64), x: Option<(u64, u64)>| {
            let (a, b) = x.unwrap_or((0, 0));
            *sum = (sum.0 + a, sum.1 + b);
        };
        add(&mut m.new_issues, e.new_issues);
        add(&mut m.users, e.users);
        let keyed = |i: &IssueDto| WallIssue {
            key: IssueKey {
                source: f.source.to_owned(),
                id: i.id.clone(),
            },
            issue: i.clone(),
            servers: servers_of(&e.matrix, &i.id),
        };
        m.top.extend(e.top_issues.iter().map(keyed));
        m.new.extend(e.new_list.iter().map(keyed));
    }
    if cur.is_empty() {
        return None;
    }
    m.current = merge_sources(&cur);
    m.previous = merge_sources(&prev);
    // Stable: equal counts keep the sources' order.
    crate::sort::sort_by(&mut m.top, |a, b| b.issue.count.cmp(&a.issue.count));
    crate::sort::sort_by(&mut m.new, |a, b| {
        b.issue
            .lifetime_first_seen()
            .cmp(&a.issue.lifetime_first_seen())
    });
    Some(m)
}

/// A server in trouble: its events in the window against the previous window, and the issue
/// it has most of.
#[derive(Clone, Debug, PartialEq)]
pub struct Trouble {
    pub key: SeriesKey,
    pub label: String,
    pub now: u64,
    pub before: u64,
    /// (issue, its events on this server), from the top issues' server counts.
    pub top_issue: Option<(WallIssue, u64)>,
}

/// The `n` servers whose events rose most against the previous window (only servers that rose;
/// ties by the larger count, then by name), each with its top issue.
pub fn trouble(m: &Merged, n: usize) -> Vec<Trouble> {
    let before: HashMap<SeriesKey, u64> = m
        .previous
        .series
        .iter()
        .map(|s| (s.key(), s.total().round() as u64))
        .collect();
    let mut out: Vec<Trouble> = m
        .current
        .series
        .iter()
        .filter(|s| !s.name.is_empty())
        .map(|s| {
            let key = s.key();
            Trouble {
                now: s.total().round() as u64,
                before: before.get(&key).copied().unwrap_or(0),
                label: s.label(),
                top_issue: None,
                key,
            }
        })
        .filter(|t| t.now > t.before)
        .collect();
    crate::sort::sort_by(&mut out, |a, b| {
        (b.now - b.before)
            .cmp(&(a.now - a.before))
            .then_with(|| b.now.cmp(&a.now))
            .then_with(|| crate::series::natural_cmp(&a.label, &b.label))
    });
    out.truncate(n);
    for t in &mut out {
        t.top_issue = m
            .top
            .iter()
            .filter(|w| t.key.source.as_deref().is_none_or(|s| s == w.key.source))
            .filter_map(|w| {
                let n = w.servers.iter().find(|(name, _)| *name == t.key.name)?.1;
                Some((w.clone(), n))
            })
            .fold(None, |best: Option<(WallIssue, u64)>, x| match best {
                Some(b) if b.1 >= x.1 => Some(b),
                _ => Some(x),
            });
    }
    out
}

/// Why something is in the attention strip.
#[derive(Clone, Debug, PartialEq)]
pub enum AttentionKind {
    NewIssue,
    Regression,
    NewServer(String),
}

/// One thing that changed in a source between two refreshes.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// The issue's id in its source.
    pub id: String,
    pub title: String,
    pub kind: AttentionKind,
}

/// What the wall remembers of a source between refreshes (bounded by what the source returned).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    /// (id, title) of the new issues.
    pub new_ids: Vec<(String, String)>,
    /// (id, title) of the regressed issues.
    pub regressed: Vec<(String, String)>,
    /// (issue id, server) pairs with events.
    pub pairs: HashSet<(String, String)>,
    /// (id, title) of every issue seen.
    pub titles: Vec<(String, String)>,
}

impl Snapshot {
    /// What the strip compares, from a source's figures.
    pub fn of(e: &Extras) -> Snapshot {
        let all = e.top_issues.iter().chain(e.new_list.iter());
        let pair = |i: &IssueDto| (i.id.clone(), i.title.clone());
        Snapshot {
            new_ids: e.new_list.iter().map(pair).collect(),
            regressed: all
                .clone()
                .filter(|i| i.substatus == Some(crate::vocab::Substatus::Regressed))
                .map(pair)
                .collect(),
            pairs: e.matrix.keys().cloned().collect(),
            titles: all.map(pair).collect(),
        }
    }
}

/// What changed between two snapshots of one source: new issues, regressions, new servers.
pub fn attention(before: &Snapshot, after: &Snapshot) -> Vec<Change> {
    let mut out = Vec::new();
    let change = |(id, title): &(String, String), kind| Change {
        id: id.clone(),
        title: title.clone(),
        kind,
    };
    for n in &after.new_ids {
        if !before.new_ids.iter().any(|(b, _)| *b == n.0) {
            out.push(change(n, AttentionKind::NewIssue));
        }
    }
    for r in &after.regressed {
        if !before.regressed.iter().any(|(b, _)| *b == r.0) {
            out.push(change(r, AttentionKind::Regression));
        }
    }
    let known_issues: HashSet<&str> = before.pairs.iter().map(|(i, _)| i.as_str()).collect();
    for (id, server) in &after.pairs {
        if known_issues.contains(id.as_str())
            && !before.pairs.contains(&(id.clone(), server.clone()))
        {
            let title = after
                .titles
                .iter()
                .find(|(i, _)| i == id)
                .map(|(_, t)| t.clone())
                .unwrap_or_default();
            out.push(Change {
                id: id.clone(),
                title,
                kind: AttentionKind::NewServer(server.clone()),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::series::NamedSeries;

    #[test]
    fn servers_in_trouble_rose_most_and_name_their_top_issue() {
        let set = |v: &[(&str, f64)]| SeriesSet {
            buckets: vec![0],
            interval: 60,
            series: v
                .iter()
                .map(|(n, x)| NamedSeries {
                    name: (*n).into(),
                    values: vec![*x],
                    source: None,
                })
                .collect(),
            remainder: vec![0.0],
        };
        let issue = |id: &str, servers: &[(&str, u64)]| WallIssue {
            key: IssueKey {
                source: "Demo".into(),
                id: id.into(),
            },
            issue: IssueDto {
                id: id.into(),
                ..Default::default()
            },
            servers: servers.iter().map(|(s, n)| ((*s).into(), *n)).collect(),
        };
        let m = Merged {
            current: set(&[
                ("a", 50.0),
                ("b", 30.0),
                ("c", 5.0),
                ("d", 40.0),
                ("", 99.0),
            ]),
            previous: set(&[("a", 45.0), ("b", 0.0), ("c", 9.0), ("d", 20.0)]),
            top: vec![issue("1", &[("b", 10), ("d", 3)]), issue("2", &[("b", 12)])],
            ..Merged::default()
        };
        let t = trouble(&m, 2);
        let names: Vec<(&str, u64, u64)> = t
            .iter()
            .map(|t| (t.key.name.as_str(), t.now, t.before))
            .collect();
        // b rose 30, d rose 20, a 5; c fell; the nameless group is not a server.
        assert_eq!(names, [("b", 30, 0), ("d", 40, 20)]);
        assert_eq!(
            t[0].top_issue
                .as_ref()
                .map(|(w, n)| (w.key.id.as_str(), *n)),
            Some(("2", 12))
        );
        assert_eq!(
            t[1].top_issue
                .as_ref()
                .map(|(w, n)| (w.key.id.as_str(), *n)),
            Some(("1", 3))
        );
    }

    #[test]
    fn an_issues_servers_are_its_matrix_row_busiest_first() {
        let m: HashMap<(String, String), u64> = [
            (("1", "api-10"), 5),
            (("1", "api-2"), 5),
            (("1", "api-3"), 9),
            (("1", "api-4"), 0),
            (("2", "api-1"), 50),
        ]
        .into_iter()
        .map(|((i, s), n)| ((i.to_owned(), s.to_owned()), n))
        .collect();
        let names: Vec<(String, u64)> = servers_of(&m, "1");
        assert_eq!(
            names,
            [
                ("api-3".to_owned(), 9),
                ("api-2".into(), 5),
                ("api-10".into(), 5)
            ]
        );
        assert!(servers_of(&m, "3").is_empty());
    }

    fn change(id: &str, title: &str, kind: AttentionKind) -> Change {
        Change {
            id: id.into(),
            title: title.into(),
            kind,
        }
    }

    #[test]
    fn views_parse() {
        assert_eq!(
            WallView::parse("project:api"),
            Some(WallView::Project("api".into()))
        );
        assert_eq!(
            WallView::parse("group:AWS"),
            Some(WallView::Group("AWS".into()))
        );
        assert_eq!(WallView::parse(" heatmap "), Some(WallView::Heatmap));
        assert_eq!(WallView::parse("timeline"), Some(WallView::Timeline));
        assert_eq!(WallView::parse("project:"), None);
        assert_eq!(WallView::parse("bogus"), None);
    }

    #[test]
    fn attention_finds_new_regressed_and_new_servers() {
        let before = Snapshot {
            new_ids: vec![("1".into(), "a".into())],
            regressed: vec![],
            pairs: [
                ("1".to_string(), "s1".to_string()),
                ("2".to_string(), "s1".to_string()),
            ]
            .into(),
            titles: vec![("2".into(), "b".into())],
        };
        let after = Snapshot {
            new_ids: vec![("1".into(), "a".into()), ("3".into(), "c".into())],
            regressed: vec![("2".into(), "b".into())],
            pairs: [
                ("1".to_string(), "s1".to_string()),
                ("2".to_string(), "s1".to_string()),
                ("2".to_string(), "s9".to_string()),
                ("3".to_string(), "s1".to_string()),
            ]
            .into(),
            titles: vec![("2".into(), "b".into())],
        };
        let got = attention(&before, &after);
        assert!(got.contains(&change("3", "c", AttentionKind::NewIssue)));
        assert!(got.contains(&change("2", "b", AttentionKind::Regression)));
        assert!(got.contains(&change("2", "b", AttentionKind::NewServer("s9".into()))));
        // A brand-new issue's servers are not "new servers".
        assert!(!got
            .iter()
            .any(|g| g.id == "3" && matches!(g.kind, AttentionKind::NewServer(_))));
        assert_eq!(attention(&after, &after), vec![]);
    }

    fn issue(id: &str, count: u64, first_seen: &str) -> IssueDto {
        let mut i = IssueDto {
            id: id.into(),
            count,
            ..IssueDto::default()
        };
        i.first_seen = crate::lenient::parse_time(first_seen);
        i
    }

    /// Two sources with the same issue id and the same server name: nothing is mixed up, the
    /// figures add up, and the lists are ordered across sources.
    #[test]
    fn merging_sources_keeps_identities_apart() {
        // The current window holds the buckets 120 and 180; the previous one, as long, ends
        // where it starts (bucket 60).
        let set = |v: [f64; 4]| SeriesSet {
            buckets: vec![0, 60, 120, 180],
            interval: 60,
            series: vec![NamedSeries {
                name: "api-1".into(),
                values: v.to_vec(),
                source: None,
            }],
            remainder: vec![0.0; 4],
        };
        let (a, b) = (set([1.0, 1.0, 2.0, 3.0]), set([0.0, 4.0, 5.0, 0.0]));
        let ea = Extras {
            new_issues: Some((1, 0)),
            users: Some((3, 2)),
            top_issues: vec![issue("7", 10, "2026-12-01T00:00:00Z")],
            new_list: vec![issue("7", 10, "2026-12-01T00:00:00Z")],
            ..Extras::default()
        };
        let eb = Extras {
            new_issues: Some((2, 1)),
            users: Some((1, 1)),
            top_issues: vec![issue("7", 30, "2026-12-02T00:00:00Z")],
            new_list: vec![issue("7", 30, "2026-12-02T00:00:00Z")],
            ..Extras::default()
        };
        let m = merge(&[
            SourceFigures {
                source: "Prod",
                series: Some((&a, 120, 180)),
                extras: Some(&ea),
            },
            SourceFigures {
                source: "Staging",
                series: Some((&b, 120, 180)),
                extras: Some(&eb),
            },
            SourceFigures {
                source: "Down",
                series: None,
                extras: None,
            },
        ])
        .unwrap();
        let labels: Vec<String> = m.current.series.iter().map(|s| s.label()).collect();
        assert_eq!(labels, ["Prod · api-1", "Staging · api-1"]);
        assert_eq!(m.current.grand_total(), 2.0 + 3.0 + 5.0);
        assert_eq!(m.previous.grand_total(), 1.0 + 4.0);
        assert_eq!((m.new_issues, m.users), ((3, 1), (4, 3)));
        // Issue 7 of each source stays its own, most events first; newest first in `new`.
        let keys: Vec<(&str, u64)> = m
            .top
            .iter()
            .map(|w| (w.key.source.as_str(), w.issue.count))
            .collect();
        assert_eq!(keys, [("Staging", 30), ("Prod", 10)]);
        assert_eq!(m.new[0].key.source, "Staging");
        assert!(m.top.iter().all(|w| w.key.id == w.issue.id));
        assert_eq!(merge(&[]), None);
    }
}
