//! The overview from the kept events: per-server series of both windows, the slower figures, release markers.

use super::*;
use crate::api::client::{Api, Cancel};
use crate::api::overview::{Extras, SeriesResult};
use crate::api::scope::Scope;
use futures::future::join_all;
use lookout_core::glitchtip::{aggregate, Figures, Windows};
use lookout_core::model::{IssueDto, ProjectDto, ReleaseDto};
use lookout_core::ApiError;
use std::collections::HashMap;

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

/// The projects of `scope` (all when it names none).
pub fn chosen_projects<'a>(projects: &'a [ProjectDto], scope: &Scope) -> Vec<&'a ProjectDto> {
    projects
        .iter()
        .filter(|p| scope.projects.is_empty() || scope.projects.contains(&p.id))
        .collect()
}

/// Per project slug, each issue's event count from the issue list (what tells
/// [`sync_project`] whether anything new arrived).
pub fn issue_counts(issues: &[IssueDto]) -> HashMap<String, HashMap<String, u64>> {
    let mut counts: HashMap<String, HashMap<String, u64>> = HashMap::new();
    for i in issues {
        if let Some(p) = &i.project {
            counts
                .entry(p.slug.clone())
                .or_default()
                .insert(i.id.clone(), i.lifetime_count());
        }
    }
    counts
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
    let chosen = chosen_projects(projects, scope);
    let counts = issue_counts(&issues);
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
    lookout_core::sort::sort_by(&mut top, |a, b| {
        b.count.cmp(&a.count).then_with(|| a.id.cmp(&b.id))
    });
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
pub fn release_markers(f: &Figures) -> Vec<ReleaseDto> {
    f.releases
        .iter()
        .map(|(version, t)| ReleaseDto {
            version: version.clone(),
            date_created: chrono::DateTime::from_timestamp(*t, 0),
            ..Default::default()
        })
        .collect()
}
