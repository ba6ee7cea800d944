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
