//! The spans of a stored transaction, generated the same way every time from its seed: the tree Sentry's trace endpoints and transaction events return.

use crate::rng::{hash2, Rng};
use crate::store::{Store, Txn};
use serde_json::{json, Value};

/// The id of generated span `i` (1-based) of a transaction; the root is the transaction's own.
pub fn span_id(txn: &Txn, i: u32) -> u64 {
    if i == 0 {
        txn.span
    } else {
        hash2(txn.seed, 100 + u64::from(i))
    }
}

/// The span errors happen in (generated span 2).
pub fn error_span_of(txn: &Txn) -> u64 {
    span_id(txn, 2)
}

/// The span that calls the next service (generated span 3): parent of child transactions.
pub fn child_link_span(txn: &Txn) -> u64 {
    span_id(txn, 3)
}

/// When a child transaction called from [`child_link_span`] starts.
pub fn child_start(txn: &Txn) -> f64 {
    txn.start + f64::from(txn.dur_ms) / 1000.0 * 0.4 + 0.005
}

/// One span of a transaction.
#[derive(Clone, Debug)]
pub struct SpanRec {
    pub id: u64,
    pub parent: Option<u64>,
    pub op: String,
    pub description: String,
    pub start: f64,
    pub end: f64,
    pub status: &'static str,
    pub data: Vec<(String, Value)>,
}

/// The spans of a transaction, root first. Generated ones are deterministic from the seed;
/// ingested ones come from the SDK payload.
pub fn spans(store: &Store, txn: &Txn) -> Vec<SpanRec> {
    let start = txn.start;
    let dur = f64::from(txn.dur_ms) / 1000.0;
    let end = start + dur;
    let name = store.names[txn.name as usize].clone();
    let root = SpanRec {
        id: txn.span,
        parent: txn.parent_span,
        op: txn.op.into(),
        description: name.clone(),
        start,
        end,
        status: if txn.ok { "ok" } else { "internal_error" },
        data: Vec::new(),
    };
    if let Some(raw) = &txn.raw {
        let mut out = vec![root];
        for s in raw
            .get("spans")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .take(50_000)
        {
            let id = s
                .get("span_id")
                .and_then(Value::as_str)
                .and_then(crate::rng::parse_hex64);
            let Some(id) = id else { continue };
            out.push(SpanRec {
                id,
                parent: s
                    .get("parent_span_id")
                    .and_then(Value::as_str)
                    .and_then(crate::rng::parse_hex64),
                op: s.get("op").and_then(Value::as_str).unwrap_or("").into(),
                description: s
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .into(),
                start: s
                    .get("start_timestamp")
                    .and_then(crate::time::timestamp_value)
                    .unwrap_or(start),
                end: s
                    .get("timestamp")
                    .and_then(crate::time::timestamp_value)
                    .unwrap_or(end),
                status: match s.get("status").and_then(Value::as_str) {
                    Some("ok") | None => "ok",
                    Some(_) => "internal_error",
                },
                data: s
                    .get("data")
                    .and_then(Value::as_object)
                    .map(|m| {
                        m.iter()
                            .take(50)
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect()
                    })
                    .unwrap_or_default(),
            });
        }
        return out;
    }
    let at = |a: f64, b: f64| (start + dur * a, start + dur * b);
    let mk = |i: u32, op: &str, desc: String, (s, e): (f64, f64), parent: u64| SpanRec {
        id: span_id(txn, i),
        parent: Some(parent),
        op: op.into(),
        description: desc,
        start: s,
        end: e,
        status: "ok",
        data: Vec::new(),
    };
    let mut rng = Rng::new(txn.seed);
    let mut out = vec![root];
    let r = txn.span;
    match txn.project {
        0 => {
            let table = *rng.pick(&[
                "orders_order",
                "catalog_product",
                "accounts_user",
                "cart_line",
            ]);
            out.push(mk(
                1,
                "middleware.django",
                "django.contrib.sessions.middleware.SessionMiddleware.__call__".into(),
                at(0.01, 0.08),
                r,
            ));
            let mut db = mk(2, "db", format!("SELECT \"{table}\".\"id\", \"{table}\".\"created\" FROM \"{table}\" WHERE \"{table}\".\"id\" = %s"), at(0.10, 0.35), r);
            db.data.push(("db.system".into(), json!("postgresql")));
            if !txn.ok {
                db.status = "internal_error";
            }
            out.push(db);
            out.push(mk(
                3,
                "http.client",
                "POST http://queue.internal/v1/enqueue".into(),
                at(0.40, 0.70),
                r,
            ));
            out.push(mk(
                4,
                "cache.get",
                "GET session:8f2c41d0".into(),
                at(0.72, 0.75),
                r,
            ));
            let n = rng.below(4) as u32;
            for j in 0..n {
                let a = 0.76 + 0.05 * f64::from(j);
                out.push(mk(
                    5 + j,
                    "db",
                    format!("SELECT … FROM \"{table}\" LIMIT 50 OFFSET {}", j * 50),
                    at(a, a + 0.04),
                    r,
                ));
            }
        }
        1 => {
            out.push(mk(1, "queue.process", name.clone(), at(0.0, 0.05), r));
            let mut db = mk(
                2,
                "db",
                "SELECT id, amount_cents, currency FROM invoices WHERE id = $1 FOR UPDATE".into(),
                at(0.06, 0.30),
                r,
            );
            if !txn.ok {
                db.status = "internal_error";
            }
            out.push(db);
            out.push(mk(
                3,
                "http.client",
                "POST https://api.payments.example/v1/charges".into(),
                at(0.32, 0.80),
                r,
            ));
            out.push(mk(
                4,
                "db",
                "UPDATE invoices SET state = 'paid' WHERE id = $1".into(),
                at(0.82, 0.9),
                r,
            ));
            out.push(mk(
                5,
                "cache.set",
                "SET invoice:91823:state".into(),
                at(0.91, 0.93),
                r,
            ));
            // The big demo trace: batches of database spans, 50 to a batch.
            let extra = txn.extra_spans;
            let mut batch = r;
            for j in 0..extra {
                let a = 0.94 * f64::from(j) / f64::from(extra.max(1));
                let b = a + 0.9 / f64::from(extra.max(1));
                if j % 50 == 0 {
                    let mut s = mk(
                        6 + j,
                        "function",
                        format!("reindex batch {}", j / 50),
                        at(a, (a + 50.0 * 0.94 / f64::from(extra)).min(0.999)),
                        r,
                    );
                    s.parent = Some(r);
                    batch = s.id;
                    out.push(s);
                } else {
                    out.push(mk(
                        6 + j,
                        "db",
                        format!(
                            "UPDATE catalog_search SET doc = $1 WHERE product_id = {}",
                            100_000 + j
                        ),
                        at(a, b),
                        batch,
                    ));
                }
            }
        }
        _ => {
            out.push(mk(
                1,
                "browser",
                "domContentLoadedEvent".into(),
                at(0.02, 0.15),
                r,
            ));
            out.push(mk(
                2,
                "resource.script",
                "https://shop.example.com/static/js/main.8c1f3a2e.js".into(),
                at(0.05, 0.2),
                r,
            ));
            let fetch = mk(
                3,
                "http.client",
                "GET https://api.shop.example.com/v1/cart".into(),
                (start + 0.29, end - 0.45),
                r,
            );
            out.push(fetch);
            out.push(mk(
                4,
                "ui.long-task",
                "Main UI thread blocked".into(),
                at(0.85, 0.9),
                r,
            ));
            out.push(mk(
                5,
                "mark",
                "first-contentful-paint".into(),
                at(0.2, 0.2),
                r,
            ));
        }
    }
    out
}
