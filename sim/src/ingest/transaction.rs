//! A transaction from an SDK into the store, with its spans and trace.

use super::*;
use crate::rng::{hash_str, hex128, parse_hex128, parse_hex64};
use crate::store::{Store, Txn};
use crate::time::now;
use crate::time::timestamp_value;
use serde_json::{Map, Value};

/// Ingests one transaction; returns its id.
pub fn ingest_transaction(s: &mut Store, project: usize, p: &Value) -> u128 {
    let t_now = now();
    let id = p
        .get("event_id")
        .and_then(Value::as_str)
        .and_then(parse_hex128)
        .unwrap_or_else(|| u128::from(hash_str(&t_now.to_string())));
    let start = p
        .get("start_timestamp")
        .and_then(timestamp_value)
        .unwrap_or(t_now);
    let end = p
        .get("timestamp")
        .and_then(timestamp_value)
        .unwrap_or(start);
    let trace_ctx = p
        .get("contexts")
        .and_then(|c| c.get("trace"))
        .cloned()
        .unwrap_or(Value::Null);
    let trace = trace_ctx
        .get("trace_id")
        .and_then(Value::as_str)
        .and_then(parse_hex128)
        .unwrap_or(0);
    let span = trace_ctx
        .get("span_id")
        .and_then(Value::as_str)
        .and_then(parse_hex64)
        .unwrap_or(0);
    let parent = trace_ctx
        .get("parent_span_id")
        .and_then(Value::as_str)
        .and_then(parse_hex64);
    let op: &'static str = match trace_ctx.get("op").and_then(Value::as_str) {
        Some("http.server") => "http.server",
        Some("pageload") => "pageload",
        Some("queue.task") => "queue.task",
        Some("navigation") => "navigation",
        Some(_) | None => "default",
    };
    let ok = matches!(
        trace_ctx.get("status").and_then(Value::as_str),
        None | Some("ok")
    );
    let mut tags = pairs(p.get("tags"));
    if let Some(sn) = text(p.get("server_name")) {
        tags.push(("server_name".into(), sn));
    }
    let server = tags
        .iter()
        .find(|(k, _)| k == "server_name")
        .map(|(_, v)| v.clone())
        .map(|n| s.server_index_or_add(&n, &tags));
    let name =
        s.intern(&text(p.get("transaction")).unwrap_or_else(|| "<unlabeled transaction>".into()));
    let env = text(p.get("environment"))
        .and_then(|e| crate::store::ENVS.iter().position(|x| *x == e))
        .unwrap_or(0) as u8;
    let release = text(p.get("release"))
        .and_then(|v| s.releases.iter().position(|r| r.version == v))
        .map(|i| i as u16);
    let spans: Vec<Value> = list(p.get("spans")).into_iter().cloned().collect();
    let mut raw = Map::new();
    raw.insert("spans".into(), Value::Array(spans));
    s.insert_txn(Txn {
        event_id: id,
        trace,
        span,
        parent_span: parent,
        project: project as u8,
        server,
        start,
        dur_ms: ((end - start) * 1000.0).max(0.0) as f32,
        name,
        op,
        ok,
        env,
        release,
        user: 0,
        seed: hash_str(&hex128(id)),
        extra_spans: 0,
        raw: Some(Box::new(Value::Object(raw))),
    });
    id
}
