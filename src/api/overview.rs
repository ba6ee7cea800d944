//! Fetching for the Overview. Every server, never silently the top 10: the server list comes from
//! the events table (paged), `events-stats` runs in batches of at most 10 values, and the first,
//! unfiltered batch's `Other` keeps a remainder so the series add up to the total.
//!
//! Requests per refresh with N servers: 1 list + ⌈N/10⌉ batches (batch 1 covers the top 10).
//! The slower panels (new issues, users, matrix, releases) refresh on every fifth tick.

use super::client::{Api, Cancel};
use super::resources::{self, Scope};
use futures::future::join_all;
use lookout_core::model::{IssueDto, ReleaseDto, StatsResponse, TableRow};
use lookout_core::query::{search_in, Params};
use lookout_core::series::SeriesSet;
use lookout_core::time::TimeRange;
use lookout_core::ApiError;
use std::collections::HashMap;

type R<T> = Result<T, ApiError>;

/// The most list pages followed (100 values each).
pub const MAX_LIST_PAGES: usize = 10;

/// What the chart is grouped by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum GroupBy {
    #[default]
    Server,
    Cloud,
    Region,
    /// The `serverGroups` patterns of `config.json`.
    Configured,
    Environment,
    Release,
    Project,
}

impl GroupBy {
    /// Parses the URL spelling.
    pub fn parse(s: &str) -> GroupBy {
        match s {
            "cloud" => GroupBy::Cloud,
            "region" => GroupBy::Region,
            "groups" => GroupBy::Configured,
            "environment" => GroupBy::Environment,
            "release" => GroupBy::Release,
            "project" => GroupBy::Project,
            _ => GroupBy::Server,
        }
    }

    /// The URL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Server => "server",
            GroupBy::Cloud => "cloud",
            GroupBy::Region => "region",
            GroupBy::Configured => "groups",
            GroupBy::Environment => "environment",
            GroupBy::Release => "release",
            GroupBy::Project => "project",
        }
    }

    /// The event field the API groups by.
    pub fn field(self) -> &'static str {
        match self {
            GroupBy::Server | GroupBy::Configured => "server_name",
            GroupBy::Cloud => "cloud",
            GroupBy::Region => "region",
            GroupBy::Environment => "environment",
            GroupBy::Release => "release",
            GroupBy::Project => "project",
        }
    }

    /// All choices, in menu order.
    pub const ALL: [GroupBy; 7] = [
        GroupBy::Server,
        GroupBy::Cloud,
        GroupBy::Region,
        GroupBy::Configured,
        GroupBy::Environment,
        GroupBy::Release,
        GroupBy::Project,
    ];
}

/// What the chart needs.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesQuery {
    pub scope: Scope,
    pub group: GroupBy,
    pub dataset: &'static str,
    /// `count()` for errors; for performance `p95(transaction.duration)` and `epm()`.
    pub y_axes: Vec<&'static str>,
}

/// The per-value series over the window and the one before it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SeriesResult {
    /// Both windows (current and previous), on common buckets.
    pub both: SeriesSet,
    /// Every value the list knew (all servers seen in either window).
    pub names: Vec<String>,
    /// Cloud and region of each server, when the events carry those tags.
    pub places: HashMap<String, (String, String)>,
    /// Requests made.
    pub requests: u32,
    /// Window start and end (epoch seconds).
    pub start: i64,
    pub end: i64,
    /// Requests that failed while others arrived: how many of how many, and the first error.
    pub failed: Option<(usize, usize, ApiError)>,
}

fn stats_params(q: &SeriesQuery, now: chrono::DateTime<chrono::Utc>) -> Params {
    let (_, interval) = q.scope.range.interval();
    let mut p = Params::new()
        .push("dataset", q.dataset)
        .push_all("yAxis", q.y_axes.iter().map(|s| (*s).to_owned()))
        .push("field", q.group.field())
        .push_all("field", q.y_axes.iter().map(|s| (*s).to_owned()))
        .push("topEvents", "10")
        .push("sort", format!("-{}", q.y_axes[0]))
        .push("interval", interval)
        // Without it Sentry leaves out the bucket under way (`allow_partial_buckets`): the chart
        // would never show the last minutes.
        .push("partial", "1")
        .push_all("project", q.scope.projects.iter().cloned())
        .push_all("environment", q.scope.environments.iter().cloned());
    for (k, v) in q.scope.range.doubled_api_params(now) {
        p = p.push(&k, v);
    }
    p
}

thread_local! {
    /// The last complete answer per query: what a failed batch falls back to.
    static LAST_GOOD: std::cell::RefCell<HashMap<String, SeriesSet>> =
        std::cell::RefCell::new(HashMap::new());
}

/// One row of the events table.
type Row = serde_json::Map<String, serde_json::Value>;

thread_local! {
    /// The last list of values per query, and how many refreshes have used it since it was read.
    static LAST_LIST: std::cell::RefCell<HashMap<String, (Vec<Row>, u32)>> =
        std::cell::RefCell::new(HashMap::new());
}

/// How many refreshes reuse a list of values before it is read again. Between two reads a new
/// value is still counted: the unfiltered first batch names the busiest ten, the rest is in its
/// "Other". So a plain refresh costs only the batches (⌈values/10⌉ requests), every fifth one
/// the list besides.
pub const LIST_EVERY: u32 = 5;

/// The series of every value of the dimension (Sentry).
pub async fn series(api: &Api, q: &SeriesQuery, cancel: &Cancel) -> R<SeriesResult> {
    let now = chrono::Utc::now();
    let field = q.group.field();
    // 1. Every value seen in either window, busiest first. For servers, cloud and region come
    //    along in the same request (to group rows without asking again).
    let with_places = field == "server_name" && q.dataset == "errors";
    let mut list_params = Params::new()
        .push("dataset", q.dataset)
        .push("field", field);
    if with_places {
        list_params = list_params.push("field", "cloud").push("field", "region");
    }
    let mut list_params = list_params
        .push("field", "count()")
        .push("sort", "-count()")
        .push("per_page", "100")
        .push_all("project", q.scope.projects.iter().cloned())
        .push_all("environment", q.scope.environments.iter().cloned());
    for (k, v) in q.scope.range.doubled_api_params(now) {
        list_params = list_params.push(&k, v);
    }
    let base = stats_params(q, now);
    let key = format!("{}|{}|{:?}", api.base, api.org, q);
    let cached = LAST_LIST.with(|c| {
        let mut c = c.borrow_mut();
        match c.get_mut(&key) {
            Some((rows, uses)) if *uses + 1 < LIST_EVERY => {
                *uses += 1;
                Some(rows.clone())
            }
            _ => None,
        }
    });
    // The list and the unfiltered first batch are independent: ask both at once.
    let (rows, first, mut requests) = match cached {
        Some(rows) => (rows, resources::events_stats(api, &base, cancel).await?, 1),
        None => {
            let (rows, first) = futures::join!(
                resources::events_table_all(api, &list_params, MAX_LIST_PAGES, cancel),
                resources::events_stats(api, &base, cancel)
            );
            let (rows, first) = (rows?, first?);
            LAST_LIST.with(|c| {
                let mut c = c.borrow_mut();
                if c.len() >= 8 && !c.contains_key(&key) {
                    c.clear();
                }
                c.insert(key.clone(), (rows.clone(), 0));
            });
            let pages = 1 + (rows.len().saturating_sub(1) / 100) as u32;
            (rows, first, 1 + pages)
        }
    };
    let mut names: Vec<String> = Vec::new();
    let mut places = HashMap::new();
    for r in &rows {
        let Some(name) = r.text(field).filter(|n| !n.is_empty()) else {
            continue;
        };
        if with_places {
            let e = places
                .entry(name.clone())
                .or_insert((String::new(), String::new()));
            if e.0.is_empty() {
                e.0 = r.text("cloud").unwrap_or_default();
            }
            if e.1.is_empty() {
                e.1 = r.text("region").unwrap_or_default();
            }
        }
        if !names.contains(&name) {
            names.push(name);
        }
    }
    // 2. Further batches of at most 10 for every value the first batch did not cover.
    let covered: Vec<&str> = first.series.iter().map(|s| s.group()).collect();
    let rest: Vec<&String> = names
        .iter()
        .filter(|n| !covered.contains(&n.as_str()))
        .collect();
    let batches = rest.chunks(10).map(|chunk| {
        let p = base.clone().push("query", search_in(field, chunk));
        async move { resources::events_stats(api, &p, cancel).await }
    });
    let results: Vec<R<StatsResponse>> = join_all(batches).await;
    requests += results.len() as u32;
    let parts = requests as usize;
    let mut all = vec![first];
    // A failed batch leaves its servers out (never shown as zeros); the rest is shown.
    let mut missing: Vec<&str> = Vec::new();
    let mut failed: Vec<ApiError> = Vec::new();
    for (r, chunk) in results.into_iter().zip(rest.chunks(10)) {
        match r {
            Ok(r) => all.push(r),
            Err(ApiError::Aborted) => return Err(ApiError::Aborted),
            Err(e) => {
                missing.extend(chunk.iter().map(|n| n.as_str()));
                failed.push(e);
            }
        }
    }
    let mut both = SeriesSet::from_batches(&all);
    LAST_GOOD.with(|c| {
        let mut c = c.borrow_mut();
        if missing.is_empty() {
            if c.len() >= 8 && !c.contains_key(&key) {
                c.clear();
            }
            c.insert(key, both.clone());
        } else if let Some(last) = c.get(&key) {
            // The failed batch's servers keep their last good series (marked stale on the page).
            both.carry_over(last, &missing);
        }
    });
    both.include_names(
        names
            .iter()
            .map(String::as_str)
            .filter(|n| !missing.contains(n)),
    );
    let failed = (!failed.is_empty()).then(|| (failed.len(), parts, failed.swap_remove(0)));
    let (start, end) = q.scope.range.bounds(now);
    Ok(SeriesResult {
        both,
        names,
        places,
        requests,
        start: start.timestamp(),
        end: end.timestamp(),
        failed,
    })
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

/// Performance by server: the same batching over the transactions dataset.
pub async fn performance(api: &Api, scope: &Scope, cancel: &Cancel) -> R<PerfResult> {
    let q = SeriesQuery {
        scope: scope.clone(),
        group: GroupBy::Server,
        dataset: "transactions",
        y_axes: vec!["p95(transaction.duration)", "epm()"],
    };
    let now = chrono::Utc::now();
    // The list of servers carries the window's own figures (no extra request).
    let mut list = Params::new()
        .push("dataset", "transactions")
        .push("field", "server_name")
        .push("field", "count()")
        .push("field", "p95(transaction.duration)")
        .push("field", "epm()")
        .push("sort", "-count()")
        .push("per_page", "100")
        .push_all("project", scope.projects.iter().cloned())
        .push_all("environment", scope.environments.iter().cloned());
    for (k, v) in scope.range.api_params() {
        list = list.push(&k, v);
    }
    let base = stats_params(&q, now);
    let (rows, first) = futures::join!(
        resources::events_table_all(api, &list, MAX_LIST_PAGES, cancel),
        resources::events_stats(api, &base, cancel)
    );
    let (rows, first) = (rows?, first?);
    let names: Vec<String> = rows
        .iter()
        .filter_map(|r| r.text("server_name"))
        .filter(|n| !n.is_empty())
        .collect();
    let window: HashMap<String, WindowFigures> = rows
        .iter()
        .filter_map(|r| {
            let name = r.text("server_name").filter(|n| !n.is_empty())?;
            Some((
                name,
                WindowFigures {
                    p95_ms: r.number("p95(transaction.duration)"),
                    per_minute: r.number("epm()").unwrap_or(0.0),
                    count: r.number("count()").unwrap_or(0.0) as u64,
                },
            ))
        })
        .collect();
    let covered: Vec<&str> = first.series.iter().map(|s| s.group()).collect();
    let rest: Vec<&String> = names
        .iter()
        .filter(|n| !covered.contains(&n.as_str()))
        .collect();
    let batches = rest.chunks(10).map(|chunk| {
        let p = base.clone().push("query", search_in("server_name", chunk));
        async move { resources::events_stats(api, &p, cancel).await }
    });
    let results = join_all(batches).await;
    let requests = 2 + results.len() as u32;
    let mut all = vec![first];
    for r in results {
        all.push(r?);
    }
    let pick = |y: &str| {
        let per: Vec<StatsResponse> = all.iter().map(|r| r.axis(y)).collect();
        let mut set = SeriesSet::from_batches(&per);
        // A p95 of "everything else" means nothing; only named servers are shown.
        set.remainder.iter_mut().for_each(|v| *v = 0.0);
        set.series.retain(|s| s.name != lookout_core::series::OTHER);
        set
    };
    Ok(PerfResult {
        p95: pick("p95(transaction.duration)"),
        epm: pick("epm()"),
        window,
        requests,
    })
}

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

async fn unique_users(api: &Api, scope: &Scope, range: &TimeRange, cancel: &Cancel) -> R<u64> {
    let mut p = Params::new()
        .push("dataset", "errors")
        .push("field", "count_unique(user)")
        .push("per_page", "1")
        .push_all("project", scope.projects.iter().cloned())
        .push_all("environment", scope.environments.iter().cloned());
    for (k, v) in range.api_params() {
        p = p.push(&k, v);
    }
    let page = resources::events_table(api, &p, cancel).await?;
    Ok(page
        .data
        .data
        .first()
        .and_then(|r| r.number("count_unique(user)"))
        .unwrap_or(0.0) as u64)
}

/// The slower figures (Sentry).
pub async fn extras(api: &Api, scope: &Scope, cancel: &Cancel) -> R<Extras> {
    let now = chrono::Utc::now();
    let (start, end) = scope.range.bounds(now);
    let (pstart, pend) = scope.range.previous_bounds(now);
    let prev = TimeRange::Custom {
        start: pstart,
        end: pend,
    };
    let iso = lookout_core::time::iso;
    // New issues of both windows in one list: first seen since the previous window began.
    let new_q = resources::IssueQuery {
        scope: Scope {
            range: TimeRange::Custom { start: pstart, end },
            ..scope.clone()
        },
        query: format!("firstSeen:>={} firstSeen:<{}", iso(pstart), iso(end)),
        sort: resources::IssueSort::FirstSeen,
        limit: 100,
        cursor: None,
        stats_period: "24h",
    };
    let top_q = resources::IssueQuery {
        scope: scope.clone(),
        query: "is:unresolved".into(),
        sort: resources::IssueSort::Events,
        limit: 10,
        cursor: None,
        stats_period: "24h",
    };
    let (new_issues, users_now, users_prev, top, releases) = futures::join!(
        resources::issues(api, &new_q, cancel),
        unique_users(api, scope, &scope.range, cancel),
        unique_users(api, scope, &prev, cancel),
        resources::issues(api, &top_q, cancel),
        resources::releases(api, scope, cancel)
    );
    let new_issues = new_issues?;
    let (mut now_n, mut prev_n) = (0u64, 0u64);
    let mut new_list = Vec::new();
    for i in new_issues.data {
        match i.lifetime_first_seen() {
            Some(t) if t >= start => {
                now_n += 1;
                new_list.push(i);
            }
            Some(t) if t >= pstart => prev_n += 1,
            _ => {}
        }
    }
    let top = top?;
    let mut requests = 5;
    // The matrix: events per (issue, server) for the top issues.
    let mut matrix = HashMap::new();
    if !top.data.is_empty() {
        let ids: Vec<String> = top.data.iter().map(|i| i.id.clone()).collect();
        let (counts, n) = resources::issue_server_counts(api, &ids, scope, 5, cancel).await?;
        requests += n;
        for (id, server, count) in counts {
            matrix.insert((id, server), count);
        }
    }
    Ok(Extras {
        new_issues: Some((now_n, prev_n)),
        new_list,
        users: Some((users_now?, users_prev?)),
        top_issues: top.data,
        matrix,
        // A source without releases is not an error for the overview.
        releases: releases.unwrap_or_default(),
        requests,
    })
}
