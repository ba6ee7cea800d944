//! The front door: admin endpoints (with the simulator's token), ingest, and the web API with its auth, CORS, faults and request counting.

use crate::app::Counters;
use crate::http::not_found_page;

use crate::app::Faults;

use crate::app::Flavor;

use crate::app::LoggedRequest;

use crate::app::OVERSIZE_BYTES;

use crate::app::{take, App, FaultAction};

use crate::http::Dropped;

use crate::http::Req;

use crate::http::Resp;

use crate::time::now;

use serde_json::json;

use std::sync::Arc;

use std::time::Duration;

/// Handles one request.
pub async fn handle(app: Arc<App>, req: Req) -> Result<Resp, Dropped> {
    if req.path.starts_with("/__sim/") {
        // The admin endpoints change what every viewer sees: only with the simulator's token, and
        // never readable by a page of another origin (no CORS headers at all).
        let bearer = format!("Bearer {}", app.opts.token);
        if req.header("authorization") != Some(bearer.as_str()) {
            return Ok(Resp::json(
                401,
                &json!({"detail": "The simulator's admin endpoints need its token (Authorization: Bearer …)."}),
            ));
        }
        return Ok(admin(&app, &req));
    }
    if crate::ingest::is_ingest_path(&req.path) {
        let resp = crate::ingest::handle(&app, &req);
        record(&app, &req, "ingest", resp.status);
        return Ok(resp);
    }
    if req.path.starts_with("/api/0/") {
        return api_entry(app, req).await;
    }
    Ok(not_found_page())
}

pub fn cors(app: &App, req: &Req, mut resp: Resp) -> Resp {
    let origin = req.header("origin").unwrap_or("*").to_owned();
    match app.opts.flavor {
        Flavor::Glitchtip => {
            resp = resp
                .with("Access-Control-Allow-Origin", "*")
                .with("Access-Control-Allow-Headers", "accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with")
                .with("Access-Control-Allow-Methods", "DELETE, GET, OPTIONS, PATCH, POST, PUT");
        }
        _ => {
            resp = resp
                .with("Access-Control-Allow-Origin", origin)
                .with("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS")
                .with(
                    "Access-Control-Allow-Headers",
                    "X-Sentry-Auth, X-Requested-With, Origin, Accept, Content-Type, Authentication, Authorization, Content-Encoding, sentry-trace, baggage, X-CSRFToken",
                )
                .with("Access-Control-Expose-Headers", "X-Sentry-Error, X-Sentry-Direct-Hit, X-Hits, X-Max-Hits, Endpoint, Retry-After, Link")
                .with("Vary", "Origin");
        }
    }
    resp
}

async fn api_entry(app: Arc<App>, req: Req) -> Result<Resp, Dropped> {
    if req.method == "OPTIONS" {
        // Preflight: always answered, without auth.
        return Ok(cors(&app, &req, Resp::text(200, "")).with("Access-Control-Max-Age", "3600"));
    }
    let (latency, action, revoked, retry_after) = {
        let mut f = app.faults.lock().unwrap();
        let applies = f
            .path_contains
            .as_ref()
            .is_none_or(|p| req.path.contains(p.as_str()));
        let skipped = applies && f.skip > 0;
        if skipped {
            f.skip -= 1;
        }
        let applies = applies && !skipped;
        let action = if !applies {
            FaultAction::None
        } else if take(&mut f.drop) {
            FaultAction::Drop
        } else if take(&mut f.rate_limit) {
            FaultAction::RateLimit
        } else if take(&mut f.server_error) {
            FaultAction::ServerError
        } else if take(&mut f.html_error) {
            FaultAction::Html
        } else if take(&mut f.malformed_json) {
            FaultAction::Malformed
        } else if take(&mut f.oversize) {
            FaultAction::Oversize { declared: false }
        } else if take(&mut f.oversize_declared) {
            FaultAction::Oversize { declared: true }
        } else {
            FaultAction::None
        };
        (
            if applies { f.latency_ms } else { 0 },
            action,
            applies && f.revoke_token,
            f.retry_after_secs,
        )
    };
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let endpoint_name;
    let resp = match action {
        FaultAction::Drop => {
            record(&app, &req, "dropped", 0);
            return Err(Dropped);
        }
        FaultAction::RateLimit => {
            endpoint_name = "fault-429".to_owned();
            let r = Resp::json(429, &json!("You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds"));
            match retry_after {
                Some(s) => r.with("Retry-After", s.to_string()),
                None => r,
            }
        }
        FaultAction::ServerError => {
            endpoint_name = "fault-500".to_owned();
            Resp::json(
                500,
                &json!({"detail": "Internal Error", "errorId": "6a1c5f2e8b"}),
            )
        }
        FaultAction::Html => {
            endpoint_name = "fault-html".to_owned();
            Resp::html(502, "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>")
        }
        FaultAction::Malformed => {
            endpoint_name = "fault-malformed".to_owned();
            Resp {
                status: 200,
                content_type: "application/json".into(),
                body: bytes::Bytes::from_static(
                    b"{\"data\": [[1700000000, [{\"count\": 3}]], [1700000600",
                ),
                headers: Vec::new(),
                repeat: None,
            }
        }
        FaultAction::Oversize { declared } => {
            endpoint_name = "fault-oversize".to_owned();
            // A JSON list that never ends: `[` then `{"id":"1"},` over and over.
            let unit = b"{\"id\":\"1\",\"title\":\"padding\"},";
            let chunk: Vec<u8> = unit.iter().copied().cycle().take(64 * 1024).collect();
            app.oversize_sent
                .store(0, std::sync::atomic::Ordering::Relaxed);
            Resp {
                status: 200,
                content_type: "application/json".into(),
                body: bytes::Bytes::from(chunk),
                headers: Vec::new(),
                repeat: Some(crate::http::Repeat {
                    times: OVERSIZE_BYTES / (64 * 1024),
                    declared,
                    sent: app.oversize_sent.clone(),
                }),
            }
        }
        FaultAction::None => {
            let (name, r) = authorized(&app, &req, revoked);
            endpoint_name = name;
            r
        }
    };
    record(&app, &req, &endpoint_name, resp.status);
    Ok(cors(&app, &req, resp))
}

pub fn authorized(app: &App, req: &Req, revoked: bool) -> (String, Resp) {
    let token = req
        .header("authorization")
        .and_then(|h| {
            h.strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
        })
        .map(str::trim);
    match token {
        None => {
            return (
                "unauthenticated".into(),
                Resp::json(
                    401,
                    &json!({"detail": "Authentication credentials were not provided."}),
                ),
            );
        }
        Some(t) if revoked || t != app.opts.token => {
            return (
                "unauthenticated".into(),
                Resp::json(401, &json!({"detail": "Invalid token"})),
            );
        }
        Some(_) => {}
    }
    if app.opts.flavor.is_sentry() {
        if let Some(origin) = req.header("origin") {
            if !app.opts.allowed_origins.iter().any(|o| o == origin) {
                return (
                    "invalid-origin".into(),
                    Resp::json(400, &json!(format!("Invalid origin: {origin}"))),
                );
            }
        }
    }
    crate::api::route::route(app, req)
}

pub fn record(app: &App, req: &Req, endpoint: &str, status: u16) {
    let mut c = app.counters.lock().unwrap();
    c.total += 1;
    *c.by_endpoint.entry(endpoint.to_owned()).or_default() += 1;
    if c.log.len() >= 5000 {
        c.log.drain(..1000);
    }
    c.log.push(LoggedRequest {
        at: now(),
        method: req.method.clone(),
        path: req.path.clone(),
        query: req.raw_query.clone(),
        endpoint: endpoint.to_owned(),
        status,
    });
}

pub fn admin(app: &App, req: &Req) -> Resp {
    match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/__sim/info") => Resp::json(200, &app.info()),
        ("GET", "/__sim/faults") => Resp::json(
            200,
            &serde_json::to_value(&*app.faults.lock().unwrap()).unwrap(),
        ),
        ("POST", "/__sim/faults") => match serde_json::from_slice::<Faults>(&req.body) {
            Ok(f) => {
                *app.faults.lock().unwrap() = f.clone();
                Resp::json(200, &serde_json::to_value(f).unwrap())
            }
            Err(e) => Resp::json(400, &json!({"detail": format!("bad faults: {e}")})),
        },
        ("POST", "/__sim/faults/clear") => {
            *app.faults.lock().unwrap() = Faults::default();
            Resp::json(200, &json!({}))
        }
        ("GET", "/__sim/requests") => {
            let c = app.counters.lock().unwrap();
            Resp::json(
                200,
                &json!({"total": c.total, "byEndpoint": c.by_endpoint, "log": c.log,
                    "oversizeBytesSent": app.oversize_sent.load(std::sync::atomic::Ordering::Relaxed)}),
            )
        }
        ("POST", "/__sim/requests/reset") => {
            *app.counters.lock().unwrap() = Counters::default();
            Resp::json(200, &json!({}))
        }
        _ => Resp::json(404, &json!({"detail": "unknown admin endpoint"})),
    }
}
