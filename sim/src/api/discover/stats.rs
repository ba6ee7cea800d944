//! `events-stats`: one series or top events, zero fill, rollup, the partial bucket, `Other`.

use super::*;
use crate::app::App;
use crate::http::Req;
use crate::http::Resp;
use crate::store::Store;
use crate::time::parse_period;
use serde_json::{json, Map, Value};
use std::collections::HashSet;

/// Buckets `[start, end)` by `interval`, aligned to multiples of it.
/// The buckets Sentry answers for `[start, end)` (src/sentry/api/serializers/snuba.py: `zerofill`
/// and `calculate_time_frame`): from `start` rounded down to the rollup up to, not including,
/// `end` rounded down (a window that spans exactly one rollup keeps that one bucket). Returns the
/// first bucket, how many there are, and the series' `end`.
pub fn buckets(start: f64, end: f64, interval: f64) -> (f64, usize, f64) {
    let first = (start / interval).floor() * interval;
    let mut last = (end / interval).floor() * interval;
    if last - first == interval {
        last += 1.0;
    }
    let n = ((last - first) / interval).ceil().max(0.0) as usize;
    (first, n, last)
}

pub fn choose_interval(window: f64) -> f64 {
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
pub struct Grid {
    aligned: f64,
    n: usize,
    interval: f64,
    end: f64,
    partial: bool,
}

pub fn series(
    c: &Ctx,
    rows: &[Row],
    y: &str,
    g: Grid,
    order: Option<usize>,
) -> Result<Value, String> {
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
    let Asked {
        dataset,
        start,
        end,
        search,
    } = match asked(req) {
        Ok(a) => a,
        Err(r) => return r,
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
