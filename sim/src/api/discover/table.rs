//! Discover's events table: fields and aggregates, grouping, sorting, paging, and the meta block.

use super::*;
use crate::api::paging::{paginate, per_page};
use crate::app::App;
use crate::http::Req;
use crate::http::Resp;
use crate::store::Store;
use crate::time::iso;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

pub fn field_type(f: &str) -> &'static str {
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

pub fn meta(fields: &[String], dataset: &str) -> Value {
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
pub fn group(c: &Ctx, rows: &[Row], fields: &[String]) -> Vec<(Vec<Option<String>>, Vec<Row>)> {
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

pub fn sort_spec(req: &Req, fallback: &str) -> (String, bool) {
    let s = req
        .param("sort")
        .or_else(|| req.param("orderby"))
        .unwrap_or(fallback);
    match s.strip_prefix('-') {
        Some(f) => (f.to_owned(), true),
        None => (s.to_owned(), false),
    }
}

pub fn cmp_values(a: &Value, b: &Value) -> std::cmp::Ordering {
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
    let Asked {
        dataset,
        start,
        end,
        search,
    } = match asked(req) {
        Ok(a) => a,
        Err(r) => return r,
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
    let page = paginate(req, &out, per_page(req, 50));
    let rows: Vec<Value> = page.items.iter().cloned().map(Value::Object).collect();
    // The meta names every column of the rows, the automatic ones included.
    let mut columns = fields.clone();
    if aggs.is_empty() {
        for auto in ["id", "project.name"] {
            if !columns.iter().any(|f| f == auto) {
                columns.push(auto.to_owned());
            }
        }
    }
    page.answer(
        app,
        req,
        &json!({"data": rows, "meta": meta(&columns, dataset)}),
    )
}
