//! Ingest from real Sentry SDKs: `POST /api/{project_id}/envelope/` and `/store/` with DSN auth.
//!
//! Events are grouped into issues by fingerprint, else exception type plus top in-app frame, else
//! message; transactions become (parts of) traces. Both are served through the web API at once.

mod event;
mod transaction;

pub use event::*;
pub use transaction::*;

use crate::app::App;
use crate::http::{Req, Resp};
use crate::rng::hex128;
use serde_json::{json, Value};
use std::io::Read;

/// Whether a path is an ingest endpoint.
pub fn is_ingest_path(path: &str) -> bool {
    parse_path(path).is_some()
}

fn parse_path(path: &str) -> Option<(u64, &'static str)> {
    let rest = path.strip_prefix("/api/")?;
    let (id, tail) = rest.split_once('/')?;
    let id: u64 = id.parse().ok()?;
    match tail.trim_end_matches('/') {
        "envelope" => Some((id, "envelope")),
        "store" => Some((id, "store")),
        _ => None,
    }
}

fn cors(r: Resp) -> Resp {
    r.with("Access-Control-Allow-Origin", "*")
        .with(
            "Access-Control-Allow-Headers",
            "x-sentry-auth, content-type, content-encoding, sentry-trace, baggage",
        )
        .with("Access-Control-Allow-Methods", "POST, OPTIONS")
        .with(
            "Access-Control-Expose-Headers",
            "x-sentry-error, x-sentry-rate-limits, retry-after",
        )
}

/// Handles an ingest request.
pub fn handle(app: &App, req: &Req) -> Resp {
    if req.method == "OPTIONS" {
        return cors(Resp::text(200, ""));
    }
    if req.method != "POST" {
        return cors(Resp::json(405, &json!({"detail": "method not allowed"})));
    }
    let Some((project_id, kind)) = parse_path(&req.path) else {
        return cors(Resp::json(404, &json!({"detail": "not found"})));
    };
    let key = sentry_key(req);
    let project = {
        let s = app.store.read().unwrap();
        match s.project_by_id(project_id) {
            Some(p) if key.as_deref() == Some(s.projects[p].public_key.as_str()) => p,
            Some(_) => {
                return cors(
                    Resp::json(401, &json!({"detail": "invalid public key"}))
                        .with("X-Sentry-Error", "invalid public key"),
                )
            }
            None => return cors(Resp::json(404, &json!({"detail": "unknown project"}))),
        }
    };
    let body = match decompress(req) {
        Ok(b) => b,
        Err(e) => return cors(Resp::json(400, &json!({"detail": e})).with("X-Sentry-Error", e)),
    };
    let items: Vec<(String, Value)> = if kind == "store" {
        match serde_json::from_slice::<Value>(&body) {
            Ok(v) => vec![(
                if v.get("type").and_then(Value::as_str) == Some("transaction") {
                    "transaction".into()
                } else {
                    "event".into()
                },
                v,
            )],
            Err(e) => {
                return cors(Resp::json(
                    400,
                    &json!({"detail": format!("invalid JSON: {e}")}),
                ))
            }
        }
    } else {
        match parse_envelope(&body) {
            Ok(items) => items,
            Err(e) => return cors(Resp::json(400, &json!({"detail": e}))),
        }
    };
    let mut last_id = None;
    let mut store = app.store.write().unwrap();
    for (ty, payload) in items {
        match ty.as_str() {
            "event" => last_id = Some(ingest_event(&mut store, project, &payload)),
            "transaction" => last_id = Some(ingest_transaction(&mut store, project, &payload)),
            _ => {}
        }
    }
    cors(Resp::json(200, &json!({"id": last_id.map(hex128)})))
}

fn sentry_key(req: &Req) -> Option<String> {
    if let Some(h) = req.header("x-sentry-auth") {
        for part in h.trim_start_matches("Sentry").split(',') {
            if let Some((k, v)) = part.trim().split_once('=') {
                if k.trim() == "sentry_key" {
                    return Some(v.trim().to_owned());
                }
            }
        }
    }
    req.param("sentry_key").map(str::to_owned)
}

fn decompress(req: &Req) -> Result<Vec<u8>, String> {
    let enc = req
        .header("content-encoding")
        .unwrap_or("")
        .to_ascii_lowercase();
    let mut out = Vec::new();
    let limit = crate::http::MAX_BODY as u64;
    match enc.as_str() {
        "" | "identity" => return Ok(req.body.to_vec()),
        "gzip" => flate2::read::GzDecoder::new(&req.body[..])
            .take(limit)
            .read_to_end(&mut out),
        "deflate" => flate2::read::ZlibDecoder::new(&req.body[..])
            .take(limit)
            .read_to_end(&mut out),
        other => return Err(format!("unsupported content encoding: {other}")),
    }
    .map_err(|e| format!("could not decompress body: {e}"))?;
    Ok(out)
}

/// Splits an envelope into `(item type, payload)`; items that are not JSON are skipped.
pub fn parse_envelope(body: &[u8]) -> Result<Vec<(String, Value)>, String> {
    let mut pos = match body.iter().position(|&b| b == b'\n') {
        Some(i) => i + 1,
        None => return Ok(Vec::new()),
    };
    let mut items = Vec::new();
    while pos < body.len() {
        let Some(nl) = body[pos..].iter().position(|&b| b == b'\n') else {
            break;
        };
        let header: Value = serde_json::from_slice(&body[pos..pos + nl])
            .map_err(|e| format!("invalid item header: {e}"))?;
        pos += nl + 1;
        let ty = header
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let payload = match header.get("length").and_then(Value::as_u64) {
            Some(len) => {
                let end = pos + len as usize;
                if end > body.len() {
                    return Err("item length beyond the end of the envelope".into());
                }
                let p = &body[pos..end];
                pos = end;
                if body.get(pos) == Some(&b'\n') {
                    pos += 1;
                }
                p
            }
            None => {
                let end = body[pos..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(body.len(), |i| pos + i);
                let p = &body[pos..end];
                pos = (end + 1).min(body.len());
                p
            }
        };
        if let Ok(v) = serde_json::from_slice::<Value>(payload) {
            items.push((ty, v));
        }
    }
    Ok(items)
}
