//! Discover-style endpoints: the events table, `events-stats` (all three shapes), traces in both
//! formats, `trace-meta`, and GlitchTip's transaction groups.

use crate::api::{cursor_offset, env_filter, event_env, paged, project_filter, window};
use crate::app::{now, App, Flavor};
use crate::http::{Req, Resp};
use crate::render::{iso, spans, SpanRec};
use crate::rng::{hex128, hex64, parse_hex128};
use crate::search::{event_field, event_matches, parse_period, txn_field, txn_matches, Search};
use crate::store::{Store, ENVS};
use serde_json::{json, Map, Value};
use std::collections::{HashMap, HashSet};

/// A row of a dataset: an error event or a transaction.
#[derive(Clone, Copy, Debug)]
enum Row {
    E(u32),
    T(u32),
}

struct Ctx<'a> {
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
fn collect(s: &Store, req: &Req, dataset: &str, start: f64, end: f64, search: &Search) -> Vec<Row> {
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

fn is_aggregate(f: &str) -> bool {
    f.contains('(') && f.ends_with(')') && !f.starts_with("tags[")
}

fn percentile(mut v: Vec<f64>, p: f64) -> Option<f64> {
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
fn aggregate(c: &Ctx, rows: &[Row], f: &str, window_secs: f64) -> Result<Value, String> {
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

fn field_type(f: &str) -> &'static str {
    let name = f.split('(').next().unwrap_or(f);
    match name {
        "count" | "count_unique" | "failure_count" => "integer",
        "p50" | "p75" | "p90" | "p95" | "p99" | "p100" | "avg" | "median" | "sum" => "duration",
        "epm" | "eps" | "tpm" | "tps" => "rate",
        "failure_rate" => "percentage",
        "last_seen" => "date",
        "max" | "min" if f.contains("timestamp") => "date",
        "max" | "min" => "duration",
        "timestamp" => "date",
        "transaction.duration" => "duration",
        _ => "string",
    }
}

fn meta(fields: &[String], dataset: &str) -> Value {
    let types: Map<String, Value> = fields
        .iter()
        .map(|f| (f.clone(), json!(field_type(f))))
        .collect();
    let units: Map<String, Value> = fields
        .iter()
        .map(|f| {
            (
                f.clone(),
                if field_type(f) == "duration" {
                    json!("millisecond")
                } else {
                    Value::Null
                },
            )
        })
        .collect();
    json!({"fields": types, "units": units, "isMetricsData": false, "isMetricsExtractedData": false, "tips": {}, "datasetReason": "unchanged", "dataset": dataset})
}

/// Groups rows by the non-aggregate fields; groups keep first-seen order.
fn group(c: &Ctx, rows: &[Row], fields: &[String]) -> Vec<(Vec<Option<String>>, Vec<Row>)> {
    let mut order: Vec<Vec<Option<String>>> = Vec::new();
    let mut map: HashMap<Vec<Option<String>>, Vec<Row>> = HashMap::new();
    for &r in rows {
        let key: Vec<Option<String>> = fields.iter().map(|f| c.field(r, f)).collect();
        map.entry(key.clone())
            .or_insert_with(|| {
                order.push(key.clone());
                Vec::new()
            })
            .push(r);
    }
    order
        .into_iter()
        .map(|k| {
            let v = map.remove(&k).unwrap_or_default();
            (k, v)
        })
        .collect()
}

fn sort_spec(req: &Req, fallback: &str) -> (String, bool) {
    let s = req
        .param("sort")
        .or_else(|| req.param("orderby"))
        .unwrap_or(fallback);
    match s.strip_prefix('-') {
        Some(f) => (f.to_owned(), true),
        None => (s.to_owned(), false),
    }
}

fn cmp_values(a: &Value, b: &Value) -> std::cmp::Ordering {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Greater,
        (None, Some(_)) => std::cmp::Ordering::Less,
        _ => a.as_str().unwrap_or("").cmp(b.as_str().unwrap_or("")),
    }
}

/// `GET /api/0/organizations/{org}/events/`.
pub fn events_table(app: &App, s: &Store, req: &Req) -> Resp {
    let fields: Vec<String> = req.params("field").into_iter().map(str::to_owned).collect();
    if fields.is_empty() {
        return Resp::json(400, &json!({"detail": "No columns selected"}));
    }
    let dataset = req.param("dataset").unwrap_or("discover");
    let (start, end) = match window(req, "14d") {
        Ok(w) => w,
        Err(r) => return r,
    };
    let search = match Search::parse(req.param("query").unwrap_or("")) {
        Ok(q) => q,
        Err(e) => return Resp::json(400, &json!({"detail": e})),
    };
    let c = Ctx { s };
    let rows = collect(s, req, dataset, start, end, &search);
    let (aggs, plain): (Vec<String>, Vec<String>) =
        fields.iter().cloned().partition(|f| is_aggregate(f));
    let window_secs = end - start;
    let mut out: Vec<Map<String, Value>> = Vec::new();
    if aggs.is_empty() {
        for &r in &rows {
            let mut m = Map::new();
            for f in &plain {
                let v = match f.as_str() {
                    "timestamp" => json!(iso(c.ts(r))),
                    "transaction.duration" => json!(c.num(r, f)),
                    _ => json!(c.field(r, f)),
                };
                m.insert(f.clone(), v);
            }
            if !m.contains_key("id") {
                m.insert("id".into(), json!(c.field(r, "id")));
            }
            if !m.contains_key("project.name") {
                m.insert("project.name".into(), json!(c.field(r, "project")));
            }
            out.push(m);
        }
    } else {
        for (key, group_rows) in group(&c, &rows, &plain) {
            let mut m = Map::new();
            for (f, v) in plain.iter().zip(key) {
                m.insert(f.clone(), json!(v));
            }
            for f in &aggs {
                match aggregate(&c, &group_rows, f, window_secs) {
                    Ok(v) => {
                        m.insert(f.clone(), v);
                    }
                    Err(e) => return Resp::json(400, &json!({"detail": e})),
                }
            }
            out.push(m);
        }
    }
    let fallback = aggs
        .first()
        .map_or_else(|| "-timestamp".to_owned(), |a| format!("-{a}"));
    let (sort_field, desc) = sort_spec(req, &fallback);
    if !fields.contains(&sort_field) && sort_field != "timestamp" {
        return Resp::json(
            400,
            &json!({"detail": format!("Cannot sort by a field that is not selected: {sort_field}")}),
        );
    }
    out.sort_by(|a, b| {
        let o = cmp_values(
            a.get(&sort_field).unwrap_or(&Value::Null),
            b.get(&sort_field).unwrap_or(&Value::Null),
        );
        if desc {
            o.reverse()
        } else {
            o
        }
    });
    let limit = req
        .param("per_page")
        .and_then(|v| v.parse().ok())
        .unwrap_or(50usize)
        .clamp(1, 100);
    let offset = cursor_offset(req);
    let total = out.len();
    let page: Vec<Value> = out
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(Value::Object)
        .collect();
    // The meta names every column of the rows, the automatic ones included.
    let mut columns = fields.clone();
    if aggs.is_empty() {
        for auto in ["id", "project.name"] {
            if !columns.iter().any(|f| f == auto) {
                columns.push(auto.to_owned());
            }
        }
    }
    let body = json!({"data": page, "meta": meta(&columns, dataset)});
    paged(app, req, Resp::json(200, &body), offset, limit, total)
}

/// Buckets `[start, end)` by `interval`, aligned to multiples of it.
/// The buckets Sentry answers for `[start, end)` (src/sentry/api/serializers/snuba.py: `zerofill`
/// and `calculate_time_frame`): from `start` rounded down to the rollup up to, not including,
/// `end` rounded down (a window that spans exactly one rollup keeps that one bucket). Returns the
/// first bucket, how many there are, and the series' `end`.
fn buckets(start: f64, end: f64, interval: f64) -> (f64, usize, f64) {
    let first = (start / interval).floor() * interval;
    let mut last = (end / interval).floor() * interval;
    if last - first == interval {
        last += 1.0;
    }
    let n = ((last - first) / interval).ceil().max(0.0) as usize;
    (first, n, last)
}

fn choose_interval(window: f64) -> f64 {
    [
        60.0, 300.0, 600.0, 1800.0, 3600.0, 10_800.0, 21_600.0, 43_200.0, 86_400.0,
    ]
    .into_iter()
    .find(|i| window / i <= 200.0)
    .unwrap_or(86_400.0)
}

/// The buckets of a time series: `n` buckets of `interval` from `aligned` (the series' `start`)
/// up to `end`; with `partial`, the bucket at `end` too when it holds data (Sentry's
/// `allow_partial_buckets`, asked with `partial=1`).
#[derive(Clone, Copy)]
struct Grid {
    aligned: f64,
    n: usize,
    interval: f64,
    end: f64,
    partial: bool,
}

fn series(c: &Ctx, rows: &[Row], y: &str, g: Grid, order: Option<usize>) -> Result<Value, String> {
    let Grid {
        aligned,
        n,
        interval,
        end,
        partial,
    } = g;
    let slots = n + 1;
    let mut per: Vec<Vec<Row>> = vec![Vec::new(); slots];
    for &r in rows {
        let i = ((c.ts(r) - aligned) / interval).floor();
        if i >= 0.0 && (i as usize) < slots {
            per[i as usize].push(r);
        }
    }
    let mut data = Vec::with_capacity(slots);
    for (i, b) in per.iter().enumerate() {
        if i == n && (!partial || b.is_empty()) {
            break;
        }
        let v = aggregate(c, b, y, interval)?;
        let v = if v.is_null()
            && (y.starts_with("count") || y.starts_with("epm") || y.starts_with("eps"))
        {
            json!(0)
        } else {
            v
        };
        data.push(json!([(aligned + i as f64 * interval) as i64, [{"count": v}]]));
    }
    let mut out = json!({"data": data, "isMetricsData": false, "start": aligned as i64, "end": end as i64, "meta": meta(&[y.to_owned()], "")});
    if let Some(o) = order {
        out["order"] = json!(o);
    }
    Ok(out)
}

/// `GET /api/0/organizations/{org}/events-stats/`.
pub fn events_stats(_app: &App, s: &Store, req: &Req) -> Resp {
    let dataset = req.param("dataset").unwrap_or("discover");
    let (start, end) = match window(req, "14d") {
        Ok(w) => w,
        Err(r) => return r,
    };
    let search = match Search::parse(req.param("query").unwrap_or("")) {
        Ok(q) => q,
        Err(e) => return Resp::json(400, &json!({"detail": e})),
    };
    let mut y_axes: Vec<String> = req.params("yAxis").into_iter().map(str::to_owned).collect();
    if y_axes.is_empty() {
        y_axes.push("count()".into());
    }
    // An invalid or too fine interval is silently replaced, as Sentry does.
    let interval = req
        .param("interval")
        .and_then(parse_period)
        .filter(|i| (end - start) / i <= 10_000.0 && *i >= 60.0)
        .unwrap_or_else(|| choose_interval(end - start));
    let (aligned, n, last) = buckets(start, end, interval);
    let grid = Grid {
        aligned,
        n,
        interval,
        end: last,
        partial: req.param("partial") == Some("1"),
    };
    let top: usize = match req.param("topEvents").map(str::parse::<usize>) {
        None => 0,
        Some(Ok(t)) if t <= 10 => t,
        Some(Ok(_)) => {
            return Resp::json(400, &json!({"detail": "Can only get up to 10 top events"}))
        }
        Some(Err(_)) => {
            return Resp::json(400, &json!({"detail": "topEvents needs to be a number"}))
        }
    };
    let c = Ctx { s };
    // Sentry counts the window itself; the first bucket may start before it.
    let rows = collect(s, req, dataset, start, end, &search);
    let group_fields: Vec<String> = req
        .params("field")
        .into_iter()
        .filter(|f| !is_aggregate(f))
        .map(str::to_owned)
        .collect();
    let render_axes = |rows: &[Row], order: Option<usize>| -> Result<Value, String> {
        if y_axes.len() == 1 {
            series(&c, rows, &y_axes[0], grid, order)
        } else {
            let mut m = Map::new();
            for (i, y) in y_axes.iter().enumerate() {
                m.insert(y.clone(), series(&c, rows, y, grid, Some(i))?);
            }
            if let Some(o) = order {
                m.insert("order".into(), json!(o));
            }
            Ok(Value::Object(m))
        }
    };
    let result = if top > 0 && !group_fields.is_empty() {
        let window_rows: Vec<Row> = rows.iter().copied().filter(|&r| c.ts(r) >= start).collect();
        let mut groups = group(&c, &window_rows, &group_fields);
        let (sort_field, desc) = sort_spec(req, &format!("-{}", y_axes[0]));
        let mut keyed: Vec<(Value, Vec<Option<String>>, Vec<Row>)> = Vec::new();
        for (k, g) in groups.drain(..) {
            let v = if is_aggregate(&sort_field) {
                match aggregate(&c, &g, &sort_field, end - start) {
                    Ok(v) => v,
                    Err(e) => return Resp::json(400, &json!({"detail": e})),
                }
            } else {
                let idx = group_fields
                    .iter()
                    .position(|f| *f == sort_field)
                    .unwrap_or(0);
                json!(k.get(idx).cloned().flatten())
            };
            keyed.push((v, k, g));
        }
        keyed.sort_by(|a, b| {
            let o = cmp_values(&a.0, &b.0).then_with(|| b.1.cmp(&a.1));
            if desc {
                o.reverse()
            } else {
                o
            }
        });
        keyed.truncate(top);
        if keyed.is_empty() {
            render_axes(&rows, None)
        } else {
            let mut m = Map::new();
            let mut in_top: HashSet<Vec<Option<String>>> = HashSet::new();
            for (i, (_, k, _)) in keyed.iter().enumerate() {
                in_top.insert(k.clone());
                let name = k
                    .iter()
                    .map(|v| v.clone().unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join(",");
                let grows: Vec<Row> = rows
                    .iter()
                    .copied()
                    .filter(|&r| {
                        group_fields
                            .iter()
                            .map(|f| c.field(r, f))
                            .collect::<Vec<_>>()
                            == *k
                    })
                    .collect();
                match render_axes(&grows, Some(i)) {
                    Ok(v) => {
                        m.insert(name, v);
                    }
                    Err(e) => return Resp::json(400, &json!({"detail": e})),
                }
            }
            let other: Vec<Row> = rows
                .iter()
                .copied()
                .filter(|&r| {
                    !in_top.contains(
                        &group_fields
                            .iter()
                            .map(|f| c.field(r, f))
                            .collect::<Vec<_>>(),
                    )
                })
                .collect();
            if !other.is_empty() && req.param("excludeOther") != Some("1") {
                match render_axes(&other, Some(keyed.len())) {
                    Ok(v) => {
                        m.insert("Other".into(), v);
                    }
                    Err(e) => return Resp::json(400, &json!({"detail": e})),
                }
            }
            Ok(Value::Object(m))
        }
    } else {
        render_axes(&rows, None)
    };
    match result {
        Ok(v) => Resp::json(200, &v),
        Err(e) => Resp::json(400, &json!({"detail": e})),
    }
}

/// The transactions and error events of a trace.
fn trace_parts(s: &Store, id: &str) -> Option<(Vec<u32>, Vec<u32>)> {
    let tid = parse_hex128(id)?;
    let txns = s.trace_txns.get(&tid).cloned().unwrap_or_default();
    let errs = s.trace_errors.get(&tid).cloned().unwrap_or_default();
    Some((txns, errs))
}

fn error_node_json(s: &Store, i: u32) -> Value {
    let e = &s.events[i as usize];
    let is = &s.issues[e.issue as usize];
    let p = &s.projects[e.project as usize];
    json!({
        "event_id": hex128(e.id), "issue_id": is.id, "short_id": is.short_id, "level": is.level,
        "culprit": is.culprit, "description": is.title, "title": is.title, "project_id": p.id, "project_slug": p.slug,
        "start_timestamp": e.ts, "transaction": is.culprit, "event_type": "error",
    })
}

/// `GET …/trace/{trace_id}/` (the new format: an array of root nodes).
pub fn trace(_app: &App, s: &Store, req: &Req, id: &str) -> Resp {
    let Some((txns, errs)) = trace_parts(s, id) else {
        return Resp::json(400, &json!({"detail": "Invalid trace id"}));
    };
    let limit = req
        .param("limit")
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000usize)
        .min(10_000);
    let want_server = req
        .params("additional_attributes")
        .iter()
        .any(|a| a.contains("server_name"));
    // Every span of every transaction, with the transaction it belongs to.
    let mut nodes: Vec<(SpanRec, u32, bool)> = Vec::new();
    for &ti in &txns {
        for (k, sp) in spans(s, &s.txns[ti as usize]).into_iter().enumerate() {
            if nodes.len() >= limit {
                break;
            }
            nodes.push((sp, ti, k == 0));
        }
    }
    let index: HashMap<u64, usize> = nodes.iter().enumerate().map(|(i, n)| (n.0.id, i)).collect();
    let mut errors_on: HashMap<usize, Vec<Value>> = HashMap::new();
    let mut orphans = Vec::new();
    for &ei in &errs {
        match index.get(&s.events[ei as usize].span) {
            Some(&n) => errors_on.entry(n).or_default().push(error_node_json(s, ei)),
            None => orphans.push(ei),
        }
    }
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    let mut roots = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        match n.0.parent.and_then(|p| index.get(&p)) {
            Some(&p) if p != i => children[p].push(i),
            _ => roots.push(i),
        }
    }
    fn build(
        i: usize,
        s: &Store,
        nodes: &[(SpanRec, u32, bool)],
        children: &[Vec<usize>],
        errors_on: &mut HashMap<usize, Vec<Value>>,
        want_server: bool,
        depth: usize,
    ) -> Value {
        let (sp, ti, is_txn) = &nodes[i];
        let t = &s.txns[*ti as usize];
        let p = &s.projects[t.project as usize];
        let kids: Vec<Value> = if depth > 200 {
            Vec::new()
        } else {
            children[i]
                .iter()
                .map(|&c| build(c, s, nodes, children, errors_on, want_server, depth + 1))
                .collect()
        };
        let mut v = json!({
            "event_id": hex64(sp.id), "event_type": "span", "transaction_id": hex128(t.event_id),
            "project_id": p.id, "project_slug": p.slug, "transaction": s.names[t.name as usize],
            "description": sp.description, "op": sp.op, "name": sp.op, "parent_span_id": sp.parent.map(hex64),
            "profile_id": "", "profiler_id": "", "sdk_name": format!("sentry.{}", p.platform),
            "is_transaction": is_txn, "start_timestamp": sp.start, "end_timestamp": sp.end,
            "duration": ((sp.end - sp.start) * 1000.0 * 1000.0).round() / 1000.0,
            "measurements": {}, "browser_web_vital": {}, "mobile_app_vital": {}, "children": kids,
            "errors": errors_on.remove(&i).unwrap_or_default(), "occurrences": [],
        });
        if want_server {
            v["additional_attributes"] =
                json!({"server_name": t.server.map(|x| s.servers[x as usize].name.clone())});
        }
        v
    }
    let mut out: Vec<Value> = roots
        .iter()
        .map(|&r| build(r, s, &nodes, &children, &mut errors_on, want_server, 0))
        .collect();
    for ei in orphans {
        out.push(error_node_json(s, ei));
    }
    Resp::json(200, &json!(out))
}

/// `GET …/events-trace/{trace_id}/` (the legacy format: transactions only).
pub fn legacy_trace(_app: &App, s: &Store, _req: &Req, id: &str) -> Resp {
    let Some((txns, errs)) = trace_parts(s, id) else {
        return Resp::json(400, &json!({"detail": "Invalid trace id"}));
    };
    // Which transaction owns each span, to place errors and nest child transactions.
    let mut span_owner: HashMap<u64, u32> = HashMap::new();
    for &ti in &txns {
        for sp in spans(s, &s.txns[ti as usize]) {
            span_owner.insert(sp.id, ti);
        }
    }
    let mut errs_of: HashMap<u32, Vec<Value>> = HashMap::new();
    let mut orphans = Vec::new();
    for &ei in &errs {
        let e = &s.events[ei as usize];
        let is = &s.issues[e.issue as usize];
        let p = &s.projects[e.project as usize];
        // `serialize_error` (organization_events_trace.py): no short id; `generation` is always 0.
        let v = json!({"event_id": hex128(e.id), "issue_id": is.id, "span": hex64(e.span), "project_id": p.id, "project_slug": p.slug, "title": is.title, "level": is.level, "timestamp": e.ts, "event_type": "error", "generation": 0});
        match span_owner.get(&e.span) {
            Some(&ti) => errs_of.entry(ti).or_default().push(v),
            None => orphans.push(v),
        }
    }
    let mut kids: HashMap<u32, Vec<u32>> = HashMap::new();
    let mut roots = Vec::new();
    for &ti in &txns {
        let t = &s.txns[ti as usize];
        match t
            .parent_span
            .and_then(|p| span_owner.get(&p))
            .filter(|&&o| o != ti)
        {
            Some(&owner) => kids.entry(owner).or_default().push(ti),
            None => roots.push(ti),
        }
    }
    fn build(
        ti: u32,
        s: &Store,
        kids: &HashMap<u32, Vec<u32>>,
        errs_of: &mut HashMap<u32, Vec<Value>>,
        gen: usize,
        parent_event: Option<u128>,
    ) -> Value {
        let t = &s.txns[ti as usize];
        let p = &s.projects[t.project as usize];
        let children: Vec<Value> = if gen > 100 {
            Vec::new()
        } else {
            kids.get(&ti)
                .into_iter()
                .flatten()
                .map(|&c| build(c, s, kids, errs_of, gen + 1, Some(t.event_id)))
                .collect()
        };
        json!({
            "event_id": hex128(t.event_id), "span_id": hex64(t.span), "transaction": s.names[t.name as usize],
            "transaction.duration": f64::from(t.dur_ms).round(), "transaction.op": t.op,
            "project_id": p.id, "project_slug": p.slug, "parent_event_id": parent_event.map(hex128),
            "parent_span_id": t.parent_span.map(hex64), "start_timestamp": t.start,
            "timestamp": t.start + f64::from(t.dur_ms) / 1000.0, "generation": gen,
            "errors": errs_of.remove(&ti).unwrap_or_default(), "performance_issues": [],
            "children": children,
        })
    }
    let transactions: Vec<Value> = roots
        .iter()
        .map(|&r| build(r, s, &kids, &mut errs_of, 0, None))
        .collect();
    Resp::json(
        200,
        &json!({"transactions": transactions, "orphan_errors": orphans}),
    )
}

/// `GET …/trace-meta/{trace_id}/` (camelCase on current Sentry, snake_case on older).
pub fn trace_meta(app: &App, s: &Store, id: &str) -> Resp {
    let Some((txns, errs)) = trace_parts(s, id) else {
        return Resp::json(400, &json!({"detail": "Invalid trace id"}));
    };
    let mut span_count = 0usize;
    let mut by_op: HashMap<String, usize> = HashMap::new();
    let mut child_map = Vec::new();
    for &ti in &txns {
        let sp = spans(s, &s.txns[ti as usize]);
        span_count += sp.len();
        for x in &sp {
            *by_op.entry(x.op.clone()).or_default() += 1;
        }
        child_map.push(json!({"transaction.event_id": hex128(s.txns[ti as usize].event_id), "count()": sp.len()}));
    }
    let projects: HashSet<u8> = txns.iter().map(|&t| s.txns[t as usize].project).collect();
    if app.opts.flavor == Flavor::SentryLegacy {
        return Resp::json(
            200,
            &json!({"projects": projects.len(), "transactions": txns.len(), "errors": errs.len(), "performance_issues": 0, "span_count": span_count, "transaction_child_count_map": child_map, "span_count_map": by_op}),
        );
    }
    Resp::json(
        200,
        &json!({"errorsCount": errs.len(), "logsCount": 0, "metricsCount": 0, "performanceIssuesCount": 0, "spansCount": span_count, "transactionChildCountMap": child_map, "spansCountMap": by_op}),
    )
}

/// GlitchTip's `transaction-groups/`: average duration and count per transaction name.
pub fn transaction_groups(app: &App, s: &Store, req: &Req) -> Resp {
    let t = now();
    let start = req
        .param("start")
        .and_then(crate::search::parse_time)
        .unwrap_or(t - 86_400.0);
    let end = req
        .param("end")
        .and_then(crate::search::parse_time)
        .unwrap_or(t + 1.0);
    let projects = project_filter(s, req);
    let mut groups: HashMap<(u16, u8), (f64, usize, &'static str)> = HashMap::new();
    for &i in &s.txns_by_time[s.txn_range(start, end)] {
        let x = &s.txns[i as usize];
        if projects.as_ref().is_some_and(|p| !p.contains(&x.project)) {
            continue;
        }
        let g = groups.entry((x.name, x.project)).or_insert((0.0, 0, x.op));
        g.0 += f64::from(x.dur_ms);
        g.1 += 1;
    }
    let mut list: Vec<Value> = groups
        .into_iter()
        .map(|((name, project), (sum, n, op))| {
            let label = &s.names[name as usize];
            json!({
                "transaction": label, "project": s.projects[project as usize].id, "op": op,
                "method": label.split(' ').next().filter(|m| m.chars().all(|c| c.is_ascii_uppercase())),
                "avgDuration": (sum / n as f64).round(), "transactionCount": n,
            })
        })
        .collect();
    list.sort_by(|a, b| {
        b["avgDuration"]
            .as_f64()
            .unwrap_or(0.0)
            .total_cmp(&a["avgDuration"].as_f64().unwrap_or(0.0))
    });
    let limit = req
        .param("limit")
        .or(req.param("per_page"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(50usize)
        .clamp(1, 100);
    let offset = cursor_offset(req);
    let total = list.len();
    let page: Vec<Value> = list.into_iter().skip(offset).take(limit).collect();
    paged(
        app,
        req,
        Resp::json(200, &json!(page)),
        offset,
        limit,
        total,
    )
}
