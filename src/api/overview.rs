//! Fetching for the Overview. Every server, never silently the top 10: the server list comes from
//! the events table (paged), `events-stats` runs in batches of at most 10 values, and the first,
//! unfiltered batch's `Other` keeps a remainder so the series add up to the total.
//!
//! Requests per refresh with N servers: 1 list + ⌈N/10⌉ batches (batch 1 covers the top 10).
//! The slower panels (new issues, users, matrix, releases) refresh on every fifth tick.
//!
//! Over 400 lines because the series query (list, batches, remainder, last good answer per batch) and the slower figures share their caching; performance is in `performance`.

use super::client::{Api, Cancel};

use super::scope::Scope;

use super::{events, issues, releases};

use futures::future::join_all;

use lookout_core::keys::Place;

use lookout_core::model::{StatsResponse, TableRow};

use lookout_core::query::EventsQuery;
use lookout_core::vocab::StatsPeriod;

use lookout_core::query::{search_in, Params};

use lookout_core::series::SeriesSet;

use lookout_core::time::TimeRange;

use lookout_core::ApiError;

use std::collections::HashMap;

type R<T> = Result<T, ApiError>;

/// The most list pages followed (100 values each).
pub const MAX_LIST_PAGES: usize = 10;

/// What the chart is grouped by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
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
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
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
    pub places: HashMap<String, Place>,
    /// Requests made.
    pub requests: u32,
    /// Window start and end (epoch seconds).
    pub start: i64,
    pub end: i64,
    /// Requests that failed while others arrived: how many of how many, and the first error.
    pub failed: Option<(usize, usize, ApiError)>,
}

pub(crate) fn stats_params(q: &SeriesQuery, now: chrono::DateTime<chrono::Utc>) -> Params {
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
    static LAST_GOOD: std::cell::RefCell<HashMap<CacheKey, SeriesSet>> =
        std::cell::RefCell::new(HashMap::new());
}

/// What a cached answer is for: the server, the organization and the query (typed: formatting
/// the query with `{:?}` pulled Debug code for every type in it into the bundle).
type CacheKey = (String, String, SeriesQuery);

/// One row of the events table.
type Row = serde_json::Map<String, serde_json::Value>;

thread_local! {
    /// The last list of values per query, and how many refreshes have used it since it was read.
    static LAST_LIST: std::cell::RefCell<HashMap<CacheKey, (Vec<Row>, u32)>> =
        std::cell::RefCell::new(HashMap::new());
}

/// How many refreshes reuse a list of values before it is read again. Between two reads a new
/// value is still counted: the unfiltered first batch names the busiest ten, the rest is in its
/// "Other". So a plain refresh costs only the batches (⌈values/10⌉ requests), every fifth one
/// the list besides.
pub const LIST_EVERY: u32 = 5;

/// The most values one `events-stats` request filters on (Sentry's `topEvents` bound).
const BATCH: usize = 10;

/// The `events-stats` requests after the unfiltered first one: every value of `names` that
/// `first` did not name, at most [`BATCH`] per request (`field:[a, b, …]`), all at once. Each
/// answer comes with the values it was asked for. Shared by the error series and performance.
pub(crate) async fn further_batches(
    api: &Api,
    base: &Params,
    field: &str,
    first: &StatsResponse,
    names: &[String],
    cancel: &Cancel,
) -> Vec<(Vec<String>, R<StatsResponse>)> {
    let covered: Vec<&str> = first.series.iter().map(|s| s.group()).collect();
    let rest: Vec<String> = names
        .iter()
        .filter(|n| !covered.contains(&n.as_str()))
        .cloned()
        .collect();
    let chunks: Vec<Vec<String>> = rest.chunks(BATCH).map(<[String]>::to_vec).collect();
    let results = join_all(chunks.iter().map(|chunk| {
        let p = base.clone().push("query", search_in(field, chunk));
        async move { events::events_stats(api, &p, cancel).await }
    }))
    .await;
    chunks.into_iter().zip(results).collect()
}

/// The series of every value of the dimension (Sentry).
pub async fn series(api: &Api, q: &SeriesQuery, cancel: &Cancel) -> R<SeriesResult> {
    let now = chrono::Utc::now();
    let field = q.group.field();
    // 1. Every value seen in either window, busiest first. For servers, cloud and region come
    //    along in the same request (to group rows without asking again).
    let with_places = field == "server_name" && q.dataset == "errors";
    let places: &[&str] = if with_places {
        &["cloud", "region"]
    } else {
        &[]
    };
    let list_params = EventsQuery::new(q.dataset)
        .fields([field])
        .fields(places.iter().copied())
        .fields(["count()"])
        .sort("-count()")
        .filters(&q.scope.projects, &q.scope.environments)
        .window(q.scope.range.doubled_api_params(now))
        .params();
    let base = stats_params(q, now);
    let key: CacheKey = (api.base.clone(), api.org.clone(), q.clone());
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
        Some(rows) => (rows, events::events_stats(api, &base, cancel).await?, 1),
        None => {
            let (rows, first) = futures::join!(
                events::events_table_all(api, &list_params, MAX_LIST_PAGES, cancel),
                events::events_stats(api, &base, cancel)
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
            places
                .entry(name.clone())
                .or_insert_with(Place::default)
                .learn(
                    &r.text("cloud").unwrap_or_default(),
                    &r.text("region").unwrap_or_default(),
                );
        }
        if !names.contains(&name) {
            names.push(name);
        }
    }
    // 2. Further batches of at most 10 for every value the first batch did not cover.
    let results = further_batches(api, &base, field, &first, &names, cancel).await;
    requests += results.len() as u32;
    let parts = requests as usize;
    let mut all = vec![first];
    // A failed batch leaves its servers out (never shown as zeros); the rest is shown.
    let mut missing: Vec<String> = Vec::new();
    let mut failed: Vec<ApiError> = Vec::new();
    for (chunk, r) in results {
        match r {
            Ok(r) => all.push(r),
            Err(ApiError::Aborted) => return Err(ApiError::Aborted),
            Err(e) => {
                missing.extend(chunk);
                failed.push(e);
            }
        }
    }
    let missing: Vec<&str> = missing.iter().map(String::as_str).collect();
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

pub use super::performance::{PerfResult, WindowFigures};
pub use lookout_core::overview::Extras;

async fn unique_users(api: &Api, scope: &Scope, range: &TimeRange, cancel: &Cancel) -> R<u64> {
    let p = EventsQuery::new("errors")
        .fields(["count_unique(user)"])
        .per_page(1)
        .filters(&scope.projects, &scope.environments)
        .window(range.api_params())
        .params();
    let page = events::events_table(api, &p, cancel).await?;
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
    let new_q = issues::IssueQuery {
        scope: Scope {
            range: TimeRange::Custom { start: pstart, end },
            ..scope.clone()
        },
        query: format!("firstSeen:>={} firstSeen:<{}", iso(pstart), iso(end)),
        sort: issues::IssueSort::FirstSeen,
        limit: 100,
        cursor: None,
        stats_period: StatsPeriod::Day,
    };
    let top_q = issues::IssueQuery {
        scope: scope.clone(),
        query: "is:unresolved".into(),
        sort: issues::IssueSort::Events,
        limit: 10,
        cursor: None,
        stats_period: StatsPeriod::Day,
    };
    let (new_issues, users_now, users_prev, top, releases) = futures::join!(
        issues::issues(api, &new_q, cancel),
        unique_users(api, scope, &scope.range, cancel),
        unique_users(api, scope, &prev, cancel),
        issues::issues(api, &top_q, cancel),
        releases::releases(api, scope, cancel)
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
        let (counts, n) = issues::issue_server_counts(api, &ids, scope, 5, cancel).await?;
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
