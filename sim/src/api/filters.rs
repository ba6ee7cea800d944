//! What a request asks for: its time window, projects and environments.

use crate::api::reply::bad_request;
use crate::http::Req;
use crate::http::Resp;
use crate::render::event_env;
use crate::search::{event_matches, Search};
use crate::store::Store;
use crate::time::now;
use crate::time::parse_period;
use crate::time::parse_time;
use std::collections::HashSet;

/// The query window: `statsPeriod`, or `start`/`end`; `default` when neither is given.
pub fn window(req: &Req, default: &str) -> Result<(f64, f64), Resp> {
    let t = now();
    if let (Some(a), Some(b)) = (req.param("start"), req.param("end")) {
        let (Some(a), Some(b)) = (parse_time(a), parse_time(b)) else {
            return Err(bad_request("start and end must be ISO 8601 dates"));
        };
        if b <= a {
            return Err(bad_request("start must be before end"));
        }
        return Ok((a, b));
    }
    let p = req
        .param("statsPeriod")
        .filter(|p| !p.is_empty())
        .unwrap_or(default);
    match parse_period(p) {
        Some(secs) => Ok((t - secs, t + 1.0)),
        None => Err(bad_request(&format!("Invalid statsPeriod: {p}"))),
    }
}

/// The projects a request is limited to (`None` = all).
pub fn project_filter(s: &Store, req: &Req) -> Option<HashSet<u8>> {
    let ids: Vec<&str> = req.params("project");
    if ids.is_empty() || ids.contains(&"-1") {
        return None;
    }
    Some(
        ids.iter()
            .filter_map(|i| i.parse::<u64>().ok())
            .filter_map(|id| s.project_by_id(id))
            .map(|p| p as u8)
            .collect(),
    )
}

/// The environments a request is limited to (`None` = all).
pub fn env_filter(req: &Req) -> Option<Vec<String>> {
    let envs: Vec<String> = req
        .params("environment")
        .into_iter()
        .filter(|e| !e.is_empty())
        .map(str::to_owned)
        .collect();
    (!envs.is_empty()).then_some(envs)
}

pub fn find_issue(s: &Store, id: &str) -> Option<usize> {
    if let Ok(n) = id.parse::<u64>() {
        return s.issues.iter().position(|i| i.id == n);
    }
    s.issues
        .iter()
        .position(|i| i.short_id.eq_ignore_ascii_case(id))
}

/// Issue events in `[start, end)` passing the environment filter and event-level terms.
/// Every event of an issue, of any time, in the request's environments (`envs`), at time `t`.
pub fn issue_events_in(s: &Store, issue: usize, envs: &Option<Vec<String>>, t: f64) -> Vec<u32> {
    matching_events(
        s,
        issue,
        f64::NEG_INFINITY,
        f64::INFINITY,
        envs,
        &Search::default(),
        t,
    )
}

pub fn matching_events(
    s: &Store,
    issue: usize,
    start: f64,
    end: f64,
    envs: &Option<Vec<String>>,
    search: &Search,
    t: f64,
) -> Vec<u32> {
    let iss = &s.issues[issue];
    let evs = &s.events;
    let lo = iss.events.partition_point(|&i| evs[i as usize].ts < start);
    let hi = iss.events.partition_point(|&i| evs[i as usize].ts < end);
    let event_terms: Vec<_> = search.event_terms().cloned().collect();
    let ev_search = Search {
        terms: event_terms,
        text: Vec::new(),
    };
    iss.events[lo..hi.max(lo)]
        .iter()
        .copied()
        .filter(|&i| {
            let e = &evs[i as usize];
            envs.as_ref()
                .is_none_or(|list| list.contains(&event_env(e)))
                && (ev_search.terms.is_empty() || event_matches(s, e, &ev_search, t))
        })
        .collect()
}
