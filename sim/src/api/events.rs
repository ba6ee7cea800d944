//! An issue's events, one event, and a project's events (GlitchTip's event lists).

use crate::api::filters::env_filter;
use crate::api::filters::issue_events_in;
use crate::api::filters::matching_events;
use crate::api::filters::window;
use crate::api::paging::paginate;
use crate::api::reply::bad_request;
use crate::api::reply::glitchtip_missing;
use crate::api::reply::not_found;
use crate::app::App;
use crate::app::Flavor;
use crate::http::Req;
use crate::http::Resp;
use crate::render::event_json;
use crate::render::EventForm;
use crate::rng::parse_hex128;
use crate::search::Search;
use crate::store::Store;
use crate::time::now;
use serde_json::{json, Value};

pub fn issue_events(app: &App, s: &Store, req: &Req, issue: usize) -> Resp {
    let t = now();
    let gt = app.opts.flavor == Flavor::Glitchtip;
    let envs = env_filter(req);
    let (start, end) = if req.param("statsPeriod").is_some() || req.param("start").is_some() {
        match window(req, "90d") {
            Ok(w) => w,
            Err(r) => return r,
        }
    } else {
        (f64::NEG_INFINITY, f64::INFINITY)
    };
    let search = match Search::parse(req.param("query").unwrap_or("")) {
        Ok(q) => q,
        Err(e) => return bad_request(&e),
    };
    let mut events = matching_events(s, issue, start, end, &envs, &search, t);
    events.reverse();
    let limit = req
        .param("per_page")
        .and_then(|v| v.parse().ok())
        .unwrap_or(100usize)
        .clamp(1, 100);
    let full = req.param("full").is_some_and(|v| v == "true" || v == "1");
    let form = if full || gt {
        EventForm::Full
    } else {
        EventForm::Light
    };
    events_page(app, s, req, &events, limit, form)
}

pub fn issue_event(app: &App, s: &Store, req: &Req, issue: usize, which: &str) -> Resp {
    let t = now();
    let envs = env_filter(req);
    let events = issue_events_in(s, issue, &envs, t);
    let idx = match which {
        "latest" => events.last().copied(),
        "oldest" => events.first().copied(),
        // The newest event with the most context: one that is part of a trace.
        "recommended" => events
            .iter()
            .rev()
            .find(|&&i| s.trace_txns.contains_key(&s.events[i as usize].trace))
            .or(events.last())
            .copied(),
        id => parse_hex128(id)
            .and_then(|id| s.event_index.get(&id).copied())
            .filter(|&i| s.events[i as usize].issue as usize == issue),
    };
    let _ = app;
    match idx {
        Some(i) => Resp::json(200, &event_json(s, i, EventForm::Full)),
        None => not_found(),
    }
}

/// GlitchTip's list of a project's events: newest received first, `limit` ≤ 100, camelCase, and its
/// position cursor (`p=<time>`: the events received before that time).
/// Sentry's "List a Project's Error Events": light events, newest first, Sentry cursor paging.
pub fn project_events(app: &App, s: &Store, req: &Req, proj: &str) -> Resp {
    let Some(p) = s.project_index(proj) else {
        return Resp::json(
            404,
            &json!({"detail": "The requested resource does not exist"}),
        );
    };
    let t = now();
    let (start, end) = match window(req, "90d") {
        Ok(w) => w,
        Err(r) => return r,
    };
    let by_time = &s.events_by_time;
    let events: Vec<u32> = by_time
        .iter()
        .rev()
        .copied()
        .filter(|&i| {
            let e = &s.events[i as usize];
            e.project as usize == p && e.ts <= t && e.ts >= start && e.ts < end
        })
        .collect();
    let form = if req.param("full").is_some_and(|v| v == "true" || v == "1") {
        EventForm::Full
    } else {
        EventForm::Light
    };
    events_page(app, s, req, &events, 100, form)
}

/// One cursor page of events (newest first), Sentry's `Link` paging.
pub fn events_page(
    app: &App,
    s: &Store,
    req: &Req,
    events: &[u32],
    limit: usize,
    form: EventForm,
) -> Resp {
    let page = paginate(req, events, limit);
    let list: Vec<Value> = page.items.iter().map(|&i| event_json(s, i, form)).collect();
    page.answer(app, req, &json!(list))
}

pub fn glitchtip_project_events(s: &Store, req: &Req, proj: &str) -> Resp {
    use base64::Engine;
    let Some(p) = s.project_index(proj) else {
        return glitchtip_missing();
    };
    let t = now();
    let limit = req
        .param("limit")
        .and_then(|v| v.parse().ok())
        .unwrap_or(50usize)
        .clamp(1, 100);
    let before = req
        .param("cursor")
        .and_then(|c| base64::engine::general_purpose::STANDARD.decode(c).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|q| {
            crate::http::parse_query(&q)
                .into_iter()
                .find(|(k, _)| k == "p")
                .map(|(_, v)| v)
        })
        .and_then(|v| crate::time::parse_time(&v))
        .unwrap_or(f64::INFINITY);
    // Received 0.3 s after the event's own time (as `date_received` says).
    let by_time = &s.events_by_time;
    let hi = by_time.partition_point(|&i| {
        let e = &s.events[i as usize];
        e.ts <= t && e.ts + 0.3 < before
    });
    let page: Vec<u32> = by_time[..hi]
        .iter()
        .rev()
        .copied()
        .filter(|&i| s.events[i as usize].project as usize == p)
        .take(limit)
        .collect();
    let items: Vec<Value> = page
        .iter()
        .map(|&i| {
            let mut v = event_json(s, i, EventForm::GlitchtipLight);
            if let Some(o) = v.as_object_mut() {
                for (from, to) in [
                    ("event_id", "eventID"),
                    ("date_created", "dateCreated"),
                    ("date_received", "dateReceived"),
                ] {
                    if let Some(x) = o.remove(from) {
                        o.insert(to.into(), x);
                    }
                }
                let e = &s.events[i as usize];
                o.insert(
                    "groupID".into(),
                    json!(s.issues[e.issue as usize].id.to_string()),
                );
                o.insert("projectID".into(), json!(s.projects[p].id));
            }
            v
        })
        .collect();
    Resp::json(200, &json!(items))
}

pub fn project_event(s: &Store, proj: &str, id: &str) -> Resp {
    let Some(p) = s.project_index(proj) else {
        return not_found();
    };
    let Some(eid) = parse_hex128(id) else {
        return not_found();
    };
    if let Some(&i) = s.event_index.get(&eid) {
        if s.events[i as usize].project as usize == p {
            return Resp::json(200, &event_json(s, i, EventForm::Full));
        }
    }
    if let Some(&i) = s.txn_index.get(&eid) {
        if s.txns[i as usize].project as usize == p {
            return Resp::json(200, &crate::render::txn_event_json(s, i));
        }
    }
    not_found()
}
