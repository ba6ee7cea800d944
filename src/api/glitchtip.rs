//! GlitchTip's exact figures. GlitchTip has no `events-stats` and no events table, but it lists every
//! event of a project with its tags. The Overview (and the issue list's servers) are aggregated from
//! those lists: every event in the window, counted exactly (within [`MAX_PAGES`] pages per project).
//!
//! A refresh asks only for what is new: the issue list (which GlitchTip answers anyway) says how
//! many events each issue gained since the last look, and a project's list is asked for just that
//! many (and nothing when none arrived). Events are kept in light form ([`LightEvent`]: ids, time and
//! a few tags), never the full bodies.

use super::client::{Api, Cancel};
use super::overview::{Extras, SeriesResult};
use super::resources::Scope;
use futures::future::join_all;
use lookout_core::glitchtip::{aggregate, cursor_below, Figures, LightEvent, Windows};
use lookout_core::model::{IssueDto, ProjectDto, ReleaseDto};
use lookout_core::query::Params;
use lookout_core::ApiError;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

type R<T> = Result<T, ApiError>;
type Time = chrono::DateTime<chrono::Utc>;

/// The most pages of 100 events read from one project in one refresh (the bound on what one
/// window can cost; beyond it the figures say they are incomplete).
pub const MAX_PAGES: usize = 50;
/// The most issue-list pages followed.
const MAX_ISSUE_PAGES: usize = 10;
/// The most light events kept per project between refreshes.
const MAX_KEPT: usize = 20_000;

/// What is known of one project's event list.
#[derive(Default)]
struct Stream {
    /// Newest first.
    events: Vec<LightEvent>,
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
    static STREAMS: RefCell<HashMap<String, Stream>> = RefCell::new(HashMap::new());
}

fn key(api: &Api, slug: &str) -> String {
    format!("{}|{}|{}", api.base, api.org, slug)
}

fn with_stream<T>(k: &str, f: impl FnOnce(&mut Stream) -> T) -> T {
    STREAMS.with(|s| f(s.borrow_mut().entry(k.to_owned()).or_default()))
}

async fn page(
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
struct Sync {
    requests: u32,
    /// The page bound was reached: older events in the window were not read.
    bounded: bool,
}

/// Brings one project's events since `from` up to date. `counts`: the issue list's counts of this
/// project's issues (what tells whether anything new arrived).
async fn sync_project(
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

/// What the event lists gave.
#[derive(Debug, Default, Clone)]
pub struct Window {
    pub figures: Figures,
    pub issues: Vec<IssueDto>,
    pub requests: u32,
    /// Some project's list was longer than the bound: older events in the window are missing.
    pub bounded: bool,
    /// Projects whose list failed, with why.
    pub failed: Vec<(String, ApiError)>,
    pub parts: usize,
}

/// Every event of both windows of `scope` (the window and the one before it), aggregated.
pub async fn window(
    api: &Api,
    scope: &Scope,
    projects: &[ProjectDto],
    cancel: &Cancel,
) -> R<Window> {
    let now = chrono::Utc::now();
    let (start, end) = scope.range.bounds(now);
    let (prev_start, _) = scope.range.previous_bounds(now);
    let (interval, _) = scope.range.interval();
    let (issues, mut requests) = issues_since(api, scope, prev_start, cancel).await?;
    let chosen: Vec<&ProjectDto> = projects
        .iter()
        .filter(|p| scope.projects.is_empty() || scope.projects.contains(&p.id))
        .collect();
    let mut counts: HashMap<String, HashMap<String, u64>> = HashMap::new();
    for i in &issues {
        if let Some(p) = &i.project {
            counts
                .entry(p.slug.clone())
                .or_default()
                .insert(i.id.clone(), i.lifetime_count());
        }
    }
    let empty = HashMap::new();
    let syncs = join_all(chosen.iter().map(|p| {
        let c = counts.get(&p.slug).unwrap_or(&empty);
        sync_project(api, &p.slug, c, prev_start, cancel)
    }))
    .await;
    let mut w = Window {
        parts: chosen.len(),
        ..Default::default()
    };
    let mut ok_projects = Vec::new();
    for (p, s) in chosen.iter().zip(syncs) {
        match s {
            Ok(s) => {
                requests += s.requests;
                w.bounded |= s.bounded;
                ok_projects.push(key(api, &p.slug));
            }
            Err(ApiError::Aborted) => return Err(ApiError::Aborted),
            Err(e) => {
                // Its last good events stay counted (the notice says they may be stale).
                ok_projects.push(key(api, &p.slug));
                w.failed.push((p.slug.clone(), e));
            }
        }
    }
    if !chosen.is_empty() && w.failed.len() == chosen.len() {
        return Err(w.failed.swap_remove(0).1);
    }
    let windows = Windows {
        prev_start: prev_start.timestamp(),
        start: start.timestamp(),
        end: end.timestamp(),
        interval,
    };
    w.figures = STREAMS.with(|s| {
        let s = s.borrow();
        let events = ok_projects
            .iter()
            .filter_map(|k| s.get(k))
            .flat_map(|st| st.events.iter());
        aggregate(events, windows, &scope.environments)
    });
    w.issues = issues;
    w.requests = requests;
    Ok(w)
}

/// The Overview's figures on GlitchTip, exact: per-server series, users, the issue × server matrix,
/// new and top issues.
pub async fn overview(
    api: &Api,
    scope: &Scope,
    projects: &[ProjectDto],
    cancel: &Cancel,
) -> R<(SeriesResult, Extras, Window)> {
    let now = chrono::Utc::now();
    let (start, end) = scope.range.bounds(now);
    let (pstart, _) = scope.range.previous_bounds(now);
    let mut w = window(api, scope, projects, cancel).await?;
    let f = &w.figures;
    // Top issues by their events in the window; `count` becomes the window's count, as on Sentry.
    let mut top: Vec<IssueDto> = w
        .issues
        .iter()
        .filter_map(|i| {
            let n = f.issue_counts.get(&i.id).copied()?;
            let mut i = i.clone();
            i.count = n;
            Some(i)
        })
        .collect();
    top.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.id.cmp(&b.id)));
    top.truncate(10);
    let new_list: Vec<IssueDto> = w
        .issues
        .iter()
        .filter(|i| i.lifetime_first_seen().is_some_and(|t| t >= start))
        .cloned()
        .collect();
    let new_prev = w
        .issues
        .iter()
        .filter(|i| {
            i.lifetime_first_seen()
                .is_some_and(|t| t >= pstart && t < start)
        })
        .count() as u64;
    let matrix = f
        .matrix
        .iter()
        .filter(|((id, _), _)| top.iter().any(|i| &i.id == id))
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    let series = SeriesResult {
        both: f.both.clone(),
        names: f.names.clone(),
        places: f.places.clone(),
        requests: w.requests,
        start: start.timestamp(),
        end: end.timestamp(),
        failed: None,
    };
    let extras = Extras {
        new_issues: Some((new_list.len() as u64, new_prev)),
        new_list,
        users: Some(f.users),
        top_issues: top,
        matrix,
        releases: release_markers(&w.figures),
        requests: 0,
    };
    w.issues.clear();
    Ok((series, extras, w))
}

/// Releases as markers where they first appear in the window (GlitchTip's releases endpoint needs
/// a `project:releases` scope that a read-only token does not have; the events carry the release).
fn release_markers(f: &Figures) -> Vec<ReleaseDto> {
    f.releases
        .iter()
        .map(|(version, t)| ReleaseDto {
            version: version.clone(),
            date_created: chrono::DateTime::from_timestamp(*t, 0),
            ..Default::default()
        })
        .collect()
}

/// What GlitchTip's issue details leave out, read from the issue's tags (which the issue page
/// loads anyway for its Tags panel).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct IssueTagFacts {
    /// Distinct users (the issue's `user.*` tag with the most values).
    pub users: Option<u64>,
    /// The lowest and the highest version among the releases the issue was seen in.
    pub first_release: Option<String>,
    pub last_release: Option<String>,
}

/// Users and releases of an issue from its tag list.
pub fn tag_facts(tags: &[lookout_core::model::TagKeyDto]) -> IssueTagFacts {
    let users = tags
        .iter()
        .filter(|k| k.key == "user" || k.key.starts_with("user."))
        .map(|k| k.unique_values.max(k.top_values.len() as u64))
        .max();
    let mut releases: Vec<String> = tags
        .iter()
        .filter(|k| k.key == "release")
        .flat_map(|k| k.top_values.iter().map(|v| v.value.clone()))
        .collect();
    releases.sort_by(|a, b| lookout_core::series::natural_cmp(a, b));
    IssueTagFacts {
        users,
        first_release: releases.first().cloned(),
        last_release: releases.last().cloned(),
    }
}

/// The span and bucket width (seconds) of an `issues-stats` period: `24h` hourly, `14d` daily.
pub fn stats_grid(period: &str) -> (i64, i64) {
    if period == "14d" {
        (14 * 86_400, 86_400)
    } else {
        (86_400, 3600)
    }
}

/// `issues-stats` points of one period on a zero-filled grid ending now.
pub fn filled(points: &[(i64, f64)], period: &str) -> Vec<(i64, f64)> {
    let (span, step) = stats_grid(period);
    let now = chrono::Utc::now().timestamp();
    lookout_core::glitchtip::zero_fill(points, now - span, now, step)
}

/// One issue's events over time (`issues-stats`, one request): `14d` when `long`, else `24h`.
pub async fn issue_series(api: &Api, id: &str, long: bool, cancel: &Cancel) -> R<Vec<(i64, f64)>> {
    let period = if long { "14d" } else { "24h" };
    let points = super::resources::issues_stats(api, &[id.to_owned()], period, cancel)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .and_then(|s| s.stats.get(period).cloned())
        .unwrap_or_default();
    Ok(filled(&points, period))
}

/// Per issue, from the event lists of the current window: its servers (busiest first), and its
/// distinct users.
pub type IssueFacts = (HashMap<String, Vec<(String, u64)>>, HashMap<String, u64>);

/// The servers and users of the given issues in the current window.
pub async fn issue_servers(
    api: &Api,
    scope: &Scope,
    projects: &[ProjectDto],
    ids: &[String],
    cancel: &Cancel,
) -> R<IssueFacts> {
    let w = window(api, scope, projects, cancel).await?;
    let mut out: HashMap<String, Vec<(String, u64)>> = HashMap::new();
    for ((issue, server), n) in &w.figures.matrix {
        if ids.contains(issue) {
            out.entry(issue.clone())
                .or_default()
                .push((server.clone(), *n));
        }
    }
    for v in out.values_mut() {
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    }
    let users = w
        .figures
        .issue_users
        .iter()
        .filter(|(k, _)| ids.contains(k))
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    Ok((out, users))
}

/// Cloud and region of the servers seen in the event lists read so far.
pub fn known_places(api: &Api) -> HashMap<String, (String, String)> {
    let prefix = format!("{}|{}|", api.base, api.org);
    STREAMS.with(|s| {
        let mut out: HashMap<String, (String, String)> = HashMap::new();
        for (k, st) in s.borrow().iter() {
            if !k.starts_with(&prefix) {
                continue;
            }
            for e in &st.events {
                if !e.server.is_empty() && !e.cloud.is_empty() {
                    out.entry(e.server.clone())
                        .or_insert_with(|| (e.cloud.clone(), e.region.clone()));
                }
            }
        }
        out
    })
}
