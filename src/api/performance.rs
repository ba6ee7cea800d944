//! Performance by server (Sentry): p95 duration and throughput per server over time, and the
//! window's own figures from the events table, with the same batching as the error series.

use super::client::{Api, Cancel};

use super::events;

use super::scope::Scope;

use lookout_core::model::{StatsResponse, TableRow};

use lookout_core::series::SeriesSet;

use std::collections::HashMap;

type R<T> = Result<T, lookout_core::ApiError>;

use super::overview::{further_batches, stats_params, GroupBy, SeriesQuery, MAX_LIST_PAGES};
pub use lookout_core::overview::{PerfResult, PerfRow, WindowFigures};

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
    let list = scope
        .events("transactions")
        .fields([
            "server_name",
            "count()",
            "p95(transaction.duration)",
            "epm()",
        ])
        .sort("-count()")
        .params();
    let base = stats_params(&q, now);
    let (rows, first) = futures::join!(
        events::events_table_all(api, &list, MAX_LIST_PAGES, cancel),
        events::events_stats(api, &base, cancel)
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
    let results = further_batches(api, &base, "server_name", &first, &names, cancel).await;
    let requests = 2 + results.len() as u32;
    let mut all = vec![first];
    for (_, r) in results {
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

/// Server × transaction figures of the window (p50 / p95 / p99, throughput, failure rate, count),
/// each with its p95 of the window before: two events-table queries, every page up to the bound.
pub async fn by_transaction(
    api: &Api,
    scope: &Scope,
    cancel: &Cancel,
) -> R<Vec<lookout_core::perf::TxnRow>> {
    use lookout_core::perf::{rows, TxnFigures};
    use lookout_core::time::TimeRange;
    let now = chrono::Utc::now();
    let (ps, pe) = scope.range.previous_bounds(now);
    let before_range = TimeRange::Custom { start: ps, end: pe };
    let fields = [
        "server_name",
        "transaction",
        "count()",
        "p50(transaction.duration)",
        "p95(transaction.duration)",
        "p99(transaction.duration)",
        "epm()",
        "failure_rate()",
    ];
    let current = scope
        .events("transactions")
        .fields(fields)
        .sort("-count()")
        .params();
    let previous = lookout_core::query::EventsQuery::new("transactions")
        .filters(&scope.projects, &scope.environments)
        .window(before_range.api_params())
        .fields([
            "server_name",
            "transaction",
            "p95(transaction.duration)",
            "count()",
        ])
        .sort("-count()")
        .params();
    let (a, b) = futures::join!(
        events::events_table_all(api, &current, MAX_LIST_PAGES, cancel),
        events::events_table_all(api, &previous, MAX_LIST_PAGES, cancel)
    );
    let key = |r: &serde_json::Map<String, serde_json::Value>| {
        Some((
            r.text("server_name").filter(|s| !s.is_empty())?,
            r.text("transaction").unwrap_or_default(),
        ))
    };
    // A window before without transactions (a new server) is no reason to fail the table.
    let before: HashMap<(String, String), (f64, u64)> = b
        .unwrap_or_default()
        .iter()
        .filter_map(|r| {
            Some((
                key(r)?,
                (
                    r.number("p95(transaction.duration)")?,
                    r.number("count()").unwrap_or(0.0) as u64,
                ),
            ))
        })
        .collect();
    let now_rows = a?
        .iter()
        .filter_map(|r| {
            Some((
                key(r)?,
                TxnFigures {
                    p50: r.number("p50(transaction.duration)"),
                    p95: r.number("p95(transaction.duration)"),
                    p99: r.number("p99(transaction.duration)"),
                    tpm: r.number("epm()").unwrap_or(0.0),
                    failure_rate: r.number("failure_rate()"),
                    count: r.number("count()").unwrap_or(0.0) as u64,
                },
            ))
        })
        .collect();
    Ok(rows(now_rows, &before))
}

/// The latest releases with the one before each, and p95 and count of the successful
/// transactions per (release, server, transaction) under all of them: one events-table query
/// (every page up to the bound) over the time from the oldest of those releases to now,
/// filtered to their versions. Failed transactions are left out: their durations follow the
/// errors of the day (a timeout, a crash) rather than the code, and their share decides a p95.
pub async fn by_release(
    api: &Api,
    scope: &Scope,
    cancel: &Cancel,
) -> R<lookout_core::perf::ReleasePerf> {
    use lookout_core::perf::{ByRelease, ReleasePerf, RELEASES_COMPARED};
    use lookout_core::time::TimeRange;
    let now = chrono::Utc::now();
    let releases = super::releases::releases(api, scope, cancel).await?;
    let pairs = lookout_core::model::with_previous(&releases, RELEASES_COMPARED, now);
    let versions: Vec<&str> = pairs
        .iter()
        .flat_map(|(r, p)| std::iter::once(r).chain(p.as_ref()))
        .map(|r| r.version.as_str())
        .collect();
    let Some(start) = pairs
        .iter()
        .flat_map(|(r, p)| std::iter::once(r).chain(p.as_ref()))
        .filter_map(|r| r.marker_time())
        .min()
    else {
        return Ok(ReleasePerf::default());
    };
    let window = TimeRange::Custom { start, end: now };
    let params = lookout_core::query::EventsQuery::new("transactions")
        .filters(&scope.projects, &scope.environments)
        .window(window.api_params())
        .search(format!(
            "transaction.status:ok {}",
            lookout_core::query::search_in("release", &versions)
        ))
        .fields([
            "release",
            "server_name",
            "transaction",
            "p95(transaction.duration)",
            "count()",
        ])
        .sort("-count()")
        .params();
    let rows = events::events_table_all(api, &params, MAX_LIST_PAGES, cancel).await?;
    let figures: ByRelease = rows
        .iter()
        .filter_map(|r| {
            Some((
                (
                    r.text("release")?,
                    r.text("server_name").filter(|s| !s.is_empty())?,
                    r.text("transaction").unwrap_or_default(),
                ),
                (
                    r.number("p95(transaction.duration)")?,
                    r.number("count()").unwrap_or(0.0) as u64,
                ),
            ))
        })
        .collect();
    Ok(ReleasePerf { pairs, figures })
}

/// Each server's cloud and region from its transactions' tags in the window (to group the
/// latency heatmap's rows as the error heatmap's are grouped).
pub async fn places(
    api: &Api,
    scope: &Scope,
    cancel: &Cancel,
) -> R<HashMap<String, lookout_core::keys::Place>> {
    let params = scope
        .events("transactions")
        .fields(["server_name", "cloud", "region", "count()"])
        .sort("-count()")
        .params();
    let rows = events::events_table_all(api, &params, MAX_LIST_PAGES, cancel).await?;
    let mut out: HashMap<String, lookout_core::keys::Place> = HashMap::new();
    for r in &rows {
        if let Some(name) = r.text("server_name").filter(|n| !n.is_empty()) {
            out.entry(name).or_default().learn(
                &r.text("cloud").unwrap_or_default(),
                &r.text("region").unwrap_or_default(),
            );
        }
    }
    Ok(out)
}
