//! The fleet timeline's events: Sentry's events table (every error event of the window, newest
//! first, up to [`MAX_EVENTS`], pages asked for together); GlitchTip's per-project event lists
//! (the ones the overview keeps), exact within their page bound.

use super::client::{Api, Cancel};
use super::scope::Scope;
use futures::future::join_all;
use lookout_core::keys::Place;
use lookout_core::model::{IssueDto, ProjectDto, TableRow};
use lookout_core::timeline::{Mark, MAX_EVENTS};
use lookout_core::vocab::Level;
use lookout_core::ApiError;
use std::collections::HashMap;

type R<T> = Result<T, ApiError>;

/// Rows per page of Sentry's events table (its maximum).
const PER_PAGE: usize = 100;

/// What the timeline draws.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TimelineData {
    /// Oldest first.
    pub marks: Vec<Mark>,
    /// Issue id → its title and level.
    pub issues: HashMap<String, (String, Level)>,
    /// Events in the window that match (more than `marks` when the window holds too many).
    pub total: u64,
    /// GlitchTip: a project's list was longer than the page bound, older events are missing.
    pub bounded: bool,
    pub places: HashMap<String, Place>,
    pub releases: Vec<(i64, String)>,
    /// The window (epoch seconds).
    pub window: (i64, i64),
}

/// The filters the page adds to the shared scope.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filters {
    /// `error`, `warning`, …; empty: all.
    pub level: String,
    /// One issue's id; empty: all.
    pub issue: String,
    /// Sentry's search syntax (GlitchTip: words in the issue's title).
    pub query: String,
}

/// Loads the window's error events.
pub async fn load(
    api: Api,
    scope: Scope,
    filters: Filters,
    projects: Vec<ProjectDto>,
    cancel: Cancel,
) -> R<TimelineData> {
    let now = chrono::Utc::now();
    let (start, end) = scope.range.bounds(now);
    let mut data = if api.is_glitchtip() {
        glitchtip(&api, &scope, &filters, &projects, start, end, &cancel).await?
    } else {
        sentry(&api, &scope, &filters, &cancel).await?
    };
    data.window = (start.timestamp(), end.timestamp());
    // Release markers: a source without releases still has a timeline.
    data.releases = super::releases::releases(&api, &scope, &cancel)
        .await
        .unwrap_or_default()
        .iter()
        .filter_map(|r| Some((r.marker_time()?.timestamp(), r.version.clone())))
        .filter(|(t, _)| (data.window.0..=data.window.1).contains(t))
        .collect();
    lookout_core::sort::sort_by(&mut data.marks, |a, b| a.t.cmp(&b.t));
    Ok(data)
}

fn search(filters: &Filters) -> String {
    let mut q = vec![filters.query.trim().to_owned()];
    if !filters.level.is_empty() {
        q.push(format!("level:{}", filters.level));
    }
    if !filters.issue.is_empty() {
        q.push(format!("issue.id:{}", filters.issue));
    }
    q.retain(|s| !s.is_empty());
    q.join(" ")
}

async fn sentry(api: &Api, scope: &Scope, filters: &Filters, cancel: &Cancel) -> R<TimelineData> {
    let q = search(filters);
    let count_p = scope
        .events("errors")
        .fields(["count()"])
        .per_page(1)
        .search(q.clone())
        .params();
    let total = super::events::events_table(api, &count_p, cancel)
        .await?
        .data
        .data
        .first()
        .and_then(|r| r.number("count()"))
        .unwrap_or(0.0) as u64;
    let pages = (total as usize).min(MAX_EVENTS).div_ceil(PER_PAGE);
    let base = scope
        .events("errors")
        .fields([
            "id",
            "timestamp",
            "server_name",
            "issue.id",
            "title",
            "level",
            "project",
            "tags[cloud]",
            "tags[region]",
        ])
        .sort("-timestamp")
        .per_page(PER_PAGE as u32)
        .search(q)
        .params();
    // Discover's cursors are offsets: every page can be asked for at once.
    let answers = join_all((0..pages).map(|k| {
        let p = base
            .clone()
            .push_opt("cursor", (k > 0).then(|| format!("0:{}:0", k * PER_PAGE)));
        async move { super::events::events_table(api, &p, cancel).await }
    }))
    .await;
    let mut data = TimelineData {
        total,
        ..Default::default()
    };
    let mut seen = std::collections::HashSet::new();
    for a in answers {
        for r in a?.data.data {
            let (Some(id), Some(t), Some(issue)) = (
                r.text("id"),
                r.text("timestamp")
                    .and_then(|t| lookout_core::lenient::parse_time(&t)),
                r.text("issue.id"),
            ) else {
                continue;
            };
            // New events arriving between pages shift them: one event counts once.
            if !seen.insert(id.clone()) || data.marks.len() >= MAX_EVENTS {
                continue;
            }
            let server = r.text("server_name").unwrap_or_default();
            if !server.is_empty() {
                data.places.entry(server.clone()).or_default().learn(
                    &r.text("tags[cloud]").unwrap_or_default(),
                    &r.text("tags[region]").unwrap_or_default(),
                );
            }
            data.issues.entry(issue.clone()).or_insert_with(|| {
                (
                    r.text("title").unwrap_or_default(),
                    Level::parse(&r.text("level").unwrap_or_default()),
                )
            });
            data.marks.push(Mark {
                t: t.timestamp_millis(),
                server,
                issue,
                event: id,
            });
        }
    }
    Ok(data)
}

async fn glitchtip(
    api: &Api,
    scope: &Scope,
    filters: &Filters,
    projects: &[ProjectDto],
    start: chrono::DateTime<chrono::Utc>,
    end: chrono::DateTime<chrono::Utc>,
    cancel: &Cancel,
) -> R<TimelineData> {
    use super::glitchtip::{
        chosen_projects, issue_counts, issues_since, key, sync_project, STREAMS,
    };
    let (issues, _) = issues_since(api, scope, start, cancel).await?;
    let words: Vec<String> = filters
        .query
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    let keep = |i: &IssueDto| {
        (filters.level.is_empty() || i.level.as_str() == filters.level)
            && (filters.issue.is_empty() || i.id == filters.issue)
            && words.iter().all(|w| i.title.to_lowercase().contains(w))
    };
    let chosen = chosen_projects(projects, scope);
    let counts = issue_counts(&issues);
    let empty = HashMap::new();
    let syncs = join_all(chosen.iter().map(|p| {
        sync_project(
            api,
            &p.slug,
            counts.get(&p.slug).unwrap_or(&empty),
            start,
            cancel,
        )
    }))
    .await;
    let mut data = TimelineData::default();
    for s in syncs {
        data.bounded |= s?.bounded;
    }
    let wanted: HashMap<&str, &IssueDto> = issues
        .iter()
        .filter(|i| keep(i))
        .map(|i| (i.id.as_str(), i))
        .collect();
    let (t0, t1) = (start.timestamp_millis(), end.timestamp_millis());
    STREAMS.with(|s| {
        let s = s.borrow();
        for p in &chosen {
            let Some(st) = s.get(&key(api, &p.slug)) else {
                continue;
            };
            for e in &st.events {
                let t = e.received.timestamp_millis();
                let Some(issue) = wanted.get(e.issue.as_str()) else {
                    continue;
                };
                if t < t0
                    || t >= t1
                    || (!scope.environments.is_empty()
                        && !scope.environments.contains(&e.environment))
                {
                    continue;
                }
                data.total += 1;
                if data.marks.len() >= MAX_EVENTS {
                    continue;
                }
                if !e.server.is_empty() {
                    data.places
                        .entry(e.server.clone())
                        .or_default()
                        .learn(&e.cloud, &e.region);
                }
                data.issues
                    .entry(e.issue.clone())
                    .or_insert_with(|| (issue.title.clone(), issue.level.clone()));
                data.marks.push(Mark {
                    t,
                    server: e.server.clone(),
                    issue: e.issue.clone(),
                    event: e.id.clone(),
                });
            }
        }
    });
    Ok(data)
}
