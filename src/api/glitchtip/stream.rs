//! Each project's event list, kept between refreshes: the first load reads the window's events, a refresh only what is new (GlitchTip's `p=` cursors).

use super::*;
use crate::api::client::{Api, Cancel};
use crate::api::scope::Scope;
use lookout_core::glitchtip::{cursor_below, LightEvent};
use lookout_core::model::IssueDto;
use lookout_core::query::Params;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

/// What is known of one project's event list.
#[derive(Default)]
pub struct Stream {
    /// Newest first.
    pub events: Vec<LightEvent>,
    ids: HashSet<String>,
    /// Every event received at or after this time is in `events` (`None`: nothing known).
    complete_since: Option<Time>,
    /// The list holds nothing older than `events`' last.
    bottom: bool,
    /// Issue → the event count already accounted for.
    seen: HashMap<String, u64>,
}

impl Stream {
    fn covers(&self, from: Time) -> bool {
        self.bottom || self.complete_since.is_some_and(|c| c <= from)
    }
}

thread_local! {
    pub static STREAMS: RefCell<HashMap<String, Stream>> = RefCell::new(HashMap::new());
}

pub fn key(api: &Api, slug: &str) -> String {
    format!("{}|{}|{}", api.base, api.org, slug)
}

pub fn with_stream<T>(k: &str, f: impl FnOnce(&mut Stream) -> T) -> T {
    STREAMS.with(|s| f(s.borrow_mut().entry(k.to_owned()).or_default()))
}

pub async fn page(
    api: &Api,
    slug: &str,
    limit: usize,
    cursor: Option<String>,
    cancel: &Cancel,
) -> R<Vec<LightEvent>> {
    let params = Params::new()
        .push("limit", limit.to_string())
        .push_opt("cursor", cursor);
    Ok(api
        .get_retry(
            &format!(
                "projects/{}/{}/events/",
                api.org,
                lookout_core::query::percent_encode(slug)
            ),
            &params,
            cancel,
        )
        .await?
        .data)
}

/// How one project's list was brought up to date.
#[derive(Debug, Default, Clone, Copy)]
pub struct Sync {
    pub requests: u32,
    /// The page bound was reached: older events in the window were not read.
    pub bounded: bool,
}

/// Brings one project's events since `from` up to date. `counts`: the issue list's counts of this
/// project's issues (what tells whether anything new arrived).
pub async fn sync_project(
    api: &Api,
    slug: &str,
    counts: &HashMap<String, u64>,
    from: Time,
    cancel: &Cancel,
) -> R<Sync> {
    let k = key(api, slug);
    let (have, delta, covers) = with_stream(&k, |s| {
        let delta: u64 = counts
            .iter()
            .map(|(id, n)| n.saturating_sub(s.seen.get(id).copied().unwrap_or(0)))
            .sum();
        (!s.events.is_empty() || s.bottom, delta, s.covers(from))
    });
    let mut sync = Sync::default();
    if have && covers && delta == 0 {
        return Ok(sync);
    }
    // 1. The newest events, down to what is already known (or to `from`).
    let mut new: Vec<LightEvent> = Vec::new();
    let mut new_ids: HashSet<String> = HashSet::new();
    let (mut joined, mut reached_from, mut exhausted) = (false, false, false);
    let mut cursor = None;
    let mut limit = if have {
        (delta as usize + 1).clamp(2, 100)
    } else {
        100
    };
    let fetch_top = !have || delta > 0;
    if fetch_top {
        loop {
            if sync.requests as usize >= MAX_PAGES {
                sync.bounded = true;
                break;
            }
            let items = page(api, slug, limit, cursor.take(), cancel).await?;
            sync.requests += 1;
            let n = items.len();
            let last = items.last().map(|e| e.received);
            for e in items {
                if have && with_stream(&k, |s| s.ids.contains(&e.id)) {
                    joined = true;
                    break;
                }
                if e.received < from {
                    reached_from = true;
                    break;
                }
                if new_ids.insert(e.id.clone()) {
                    new.push(e);
                }
            }
            if joined || reached_from {
                break;
            }
            if n < limit {
                exhausted = true;
                break;
            }
            cursor = last.map(cursor_below);
            limit = 100;
        }
    }
    let mut found: HashMap<String, u64> = HashMap::new();
    for e in &new {
        *found.entry(e.issue.clone()).or_default() += 1;
    }
    with_stream(&k, |s| {
        if !fetch_top {
            return;
        }
        if have && joined {
            // Another refresh of the same list may have added some of these meanwhile.
            let mut events: Vec<LightEvent> = std::mem::take(&mut new)
                .into_iter()
                .filter(|e| !s.ids.contains(&e.id))
                .collect();
            events.append(&mut s.events);
            s.events = events;
        } else {
            // Nothing known, or the new events do not reach the known ones: start again.
            s.events = std::mem::take(&mut new);
            s.bottom = exhausted;
            s.complete_since = if exhausted || reached_from {
                Some(from)
            } else {
                s.events.last().map(|e| e.received)
            };
            s.seen.clear();
        }
        s.ids = s.events.iter().map(|e| e.id.clone()).collect();
        for (id, n) in counts {
            let before = s.seen.get(id).copied().unwrap_or(0);
            // After a fresh read every count is accounted for; after an incremental one only
            // what was found (a count GlitchTip raised before the event became readable is asked
            // for again next time).
            let now = if have && joined {
                (before + found.get(id).copied().unwrap_or(0)).min(*n)
            } else {
                *n
            };
            s.seen.insert(id.clone(), now);
        }
    });
    // 2. Older events, when the window reaches further back than what is known.
    let mut older_reached = false;
    while !with_stream(&k, |s| s.covers(from)) {
        if sync.requests as usize >= MAX_PAGES {
            sync.bounded = true;
            break;
        }
        let Some(oldest) = with_stream(&k, |s| s.events.last().map(|e| e.received)) else {
            break;
        };
        let items = page(api, slug, 100, Some(cursor_below(oldest)), cancel).await?;
        sync.requests += 1;
        let n = items.len();
        with_stream(&k, |s| {
            for e in items {
                if e.received < from {
                    older_reached = true;
                    break;
                }
                if s.ids.insert(e.id.clone()) {
                    s.events.push(e);
                }
            }
            if n < 100 {
                s.bottom = true;
            }
            if older_reached {
                s.complete_since = Some(from);
            } else if !s.bottom {
                s.complete_since = s.events.last().map(|e| e.received);
            }
        });
        if older_reached || n < 100 {
            break;
        }
    }
    with_stream(&k, |s| {
        if s.events.len() > MAX_KEPT {
            s.events.truncate(MAX_KEPT);
            s.ids = s.events.iter().map(|e| e.id.clone()).collect();
            s.complete_since = s.events.last().map(|e| e.received);
            s.bottom = false;
        }
    });
    Ok(sync)
}

/// The issues seen since `from` (newest activity first), every page.
pub async fn issues_since(
    api: &Api,
    scope: &Scope,
    from: Time,
    cancel: &Cancel,
) -> R<(Vec<IssueDto>, u32)> {
    let mut out: Vec<IssueDto> = Vec::new();
    let mut ids = HashSet::new();
    let mut cursor: Option<String> = None;
    let mut requests = 0;
    for _ in 0..MAX_ISSUE_PAGES {
        let params = Params::new()
            .push("query", "")
            .push("sort", "-last_seen")
            .push("limit", "100")
            .push_all("project", scope.projects.iter().cloned())
            .push_all("environment", scope.environments.iter().cloned())
            .push_opt("cursor", cursor.take());
        let page: Vec<IssueDto> = api
            .get_retry(
                &format!("organizations/{}/issues/", api.org),
                &params,
                cancel,
            )
            .await?
            .data;
        requests += 1;
        let n = page.len();
        let last = page.last().and_then(|i| i.last_seen);
        let mut done = n < 100;
        for i in page {
            if i.last_seen.is_some_and(|t| t < from) {
                done = true;
                break;
            }
            if ids.insert(i.id.clone()) {
                out.push(i);
            }
        }
        match last {
            Some(t) if !done => cursor = Some(cursor_below(t)),
            _ => break,
        }
    }
    Ok((out, requests))
}

/// Cloud and region of the servers seen in the event lists read so far.
pub fn known_places(api: &Api) -> HashMap<String, lookout_core::keys::Place> {
    let prefix = format!("{}|{}|", api.base, api.org);
    STREAMS.with(|s| {
        let mut out: HashMap<String, lookout_core::keys::Place> = HashMap::new();
        for (k, st) in s.borrow().iter() {
            if !k.starts_with(&prefix) {
                continue;
            }
            for e in &st.events {
                if !e.server.is_empty() && !e.cloud.is_empty() {
                    out.entry(e.server.clone())
                        .or_default()
                        .learn(&e.cloud, &e.region);
                }
            }
        }
        out
    })
}
