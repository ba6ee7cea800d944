//! Discover: the events table (fields, aggregates, sorting, paging) and events-stats (top events, zero fill, rollup).

mod stats;
mod table;

pub use stats::*;
pub use table::*;

use crate::api::filters::env_filter;
use crate::api::filters::project_filter;
use crate::http::Req;
use crate::render::event_env;
use crate::search::event_field;
use crate::search::event_matches;
use crate::search::txn_field;
use crate::search::txn_matches;
use crate::search::Search;
use crate::store::Store;
use crate::store::ENVS;
use crate::time::iso;
use crate::time::now;
use serde_json::{json, Value};
use std::collections::HashSet;

/// A row of a dataset: an error event or a transaction.
#[derive(Clone, Copy, Debug)]
pub enum Row {
    E(u32),
    T(u32),
}

pub struct Ctx<'a> {
    s: &'a Store,
}

impl Ctx<'_> {
    fn ts(&self, r: Row) -> f64 {
        match r {
            Row::E(i) => self.s.events[i as usize].ts,
            Row::T(i) => {
                let t = &self.s.txns[i as usize];
                t.start + f64::from(t.dur_ms) / 1000.0
            }
        }
    }

    fn field(&self, r: Row, key: &str) -> Option<String> {
        match r {
            Row::E(i) => event_field(self.s, &self.s.events[i as usize], key),
            Row::T(i) => txn_field(self.s, &self.s.txns[i as usize], key),
        }
    }

    fn num(&self, r: Row, key: &str) -> Option<f64> {
        match (r, key) {
            (Row::T(i), "transaction.duration" | "span.duration") => {
                Some(f64::from(self.s.txns[i as usize].dur_ms))
            }
            (_, "timestamp") => Some(self.ts(r)),
            _ => self.field(r, key).and_then(|v| v.parse().ok()),
        }
    }

    fn ok(&self, r: Row) -> bool {
        match r {
            Row::T(i) => self.s.txns[i as usize].ok,
            Row::E(_) => false,
        }
    }
}

/// Which rows a Discover query covers.
pub fn collect(
    s: &Store,
    req: &Req,
    dataset: &str,
    start: f64,
    end: f64,
    search: &Search,
) -> Vec<Row> {
    let t = now();
    let projects = project_filter(s, req);
    let envs = env_filter(req);
    let mut out = Vec::new();
    match dataset {
        "transactions" | "spans" | "metrics" | "metricsEnhanced" => {
            // Transactions are placed by their end time.
            for &i in &s.txns_by_time[s.txn_range(start - 3600.0, end)] {
                let x = &s.txns[i as usize];
                let ts = x.start + f64::from(x.dur_ms) / 1000.0;
                if ts < start || ts >= end {
                    continue;
                }
                if projects.as_ref().is_some_and(|p| !p.contains(&x.project)) {
                    continue;
                }
                if envs
                    .as_ref()
                    .is_some_and(|list| !list.iter().any(|e| e == ENVS[x.env as usize]))
                {
                    continue;
                }
                if txn_matches(s, x, search, t) {
                    out.push(Row::T(i));
                }
            }
        }
        _ => {
            for &i in &s.events_by_time[s.event_range(start, end)] {
                let e = &s.events[i as usize];
                if projects.as_ref().is_some_and(|p| !p.contains(&e.project)) {
                    continue;
                }
                if envs
                    .as_ref()
                    .is_some_and(|list| !list.contains(&event_env(e)))
                {
                    continue;
                }
                if event_matches(s, e, search, t) {
                    out.push(Row::E(i));
                }
            }
        }
    }
    out
}

pub fn is_aggregate(f: &str) -> bool {
    f.contains('(') && f.ends_with(')') && !f.starts_with("tags[")
}

pub fn percentile(mut v: Vec<f64>, p: f64) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let rank = p * (v.len() - 1) as f64;
    let lo = rank.floor() as usize;
    let hi = rank.ceil() as usize;
    Some(v[lo] + (v[hi] - v[lo]) * (rank - lo as f64))
}

/// Evaluates one aggregate over rows. `Err` names an unknown function.
pub fn aggregate(c: &Ctx, rows: &[Row], f: &str, window_secs: f64) -> Result<Value, String> {
    let (name, arg) = f
        .split_once('(')
        .map(|(n, a)| (n, a.trim_end_matches(')')))
        .unwrap_or((f, ""));
    let nums = |key: &str| {
        rows.iter()
            .filter_map(|&r| c.num(r, key))
            .collect::<Vec<f64>>()
    };
    let dur_key = if arg.is_empty() {
        "transaction.duration"
    } else {
        arg
    };
    Ok(match name {
        "count" => json!(rows.len()),
        "count_unique" => {
            let set: HashSet<String> = rows.iter().filter_map(|&r| c.field(r, arg)).collect();
            json!(set.len())
        }
        "p50" | "p75" | "p90" | "p95" | "p99" | "p100" | "median" => {
            let p = match name {
                "median" => 0.5,
                n => n[1..].parse::<f64>().unwrap_or(50.0) / 100.0,
            };
            json!(percentile(nums(dur_key), p))
        }
        "avg" => {
            let v = nums(dur_key);
            json!((!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64))
        }
        "sum" => json!(nums(dur_key).iter().sum::<f64>()),
        "max" | "min" if arg == "timestamp" => {
            let v = rows.iter().map(|&r| c.ts(r));
            let x = if name == "max" {
                v.fold(f64::NEG_INFINITY, f64::max)
            } else {
                v.fold(f64::INFINITY, f64::min)
            };
            if x.is_finite() {
                json!(iso(x))
            } else {
                Value::Null
            }
        }
        "max" => json!(nums(dur_key).into_iter().reduce(f64::max)),
        "min" => json!(nums(dur_key).into_iter().reduce(f64::min)),
        "last_seen" => {
            let x = rows
                .iter()
                .map(|&r| c.ts(r))
                .fold(f64::NEG_INFINITY, f64::max);
            if x.is_finite() {
                json!(iso(x))
            } else {
                Value::Null
            }
        }
        "epm" | "tpm" => json!(rows.len() as f64 / (window_secs / 60.0).max(1e-9)),
        "eps" | "tps" => json!(rows.len() as f64 / window_secs.max(1e-9)),
        "failure_rate" => {
            let n = rows.len();
            json!(if n == 0 {
                0.0
            } else {
                rows.iter().filter(|&&r| !c.ok(r)).count() as f64 / n as f64
            })
        }
        "failure_count" => json!(rows.iter().filter(|&&r| !c.ok(r)).count()),
        other => return Err(format!("{other} is not a valid function")),
    })
}

/// What both discover endpoints read first: the dataset, the window (14 days by default) and the
/// search, or the error answer to send.
pub(super) struct Asked<'a> {
    pub dataset: &'a str,
    pub start: f64,
    pub end: f64,
    pub search: Search,
}

pub(super) fn asked<'a>(req: &'a Req) -> Result<Asked<'a>, crate::http::Resp> {
    let (start, end) = crate::api::filters::window(req, "14d")?;
    let search = Search::parse(req.param("query").unwrap_or(""))
        .map_err(|e| crate::http::Resp::json(400, &json!({"detail": e})))?;
    Ok(Asked {
        dataset: req.param("dataset").unwrap_or("discover"),
        start,
        end,
        search,
    })
}
