//! One issue on GlitchTip: users and releases from its tags, its series from `issues-stats`, the servers of the issues on a page.

use super::*;
use crate::api::client::{Api, Cancel};
use crate::api::scope::Scope;
use lookout_core::model::ProjectDto;
use lookout_core::vocab::StatsPeriod;
use std::collections::HashMap;

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

impl IssueTagFacts {
    /// Puts what GlitchTip's issue details leave out (users, first and last release) into the
    /// issue.
    pub fn fill(&self, i: &mut lookout_core::model::IssueDto) {
        let x = self;
        if let Some(u) = x.users {
            i.user_count = i.user_count.max(u);
        }
        let rel = |v: &Option<String>| {
            v.as_ref().map(|v| lookout_core::model::org::ReleaseRef {
                version: v.clone(),
                ..Default::default()
            })
        };
        if i.first_release.is_none() {
            i.first_release = rel(&x.first_release);
        }
        if i.last_release.is_none() {
            i.last_release = rel(&x.last_release);
        }
    }
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
    lookout_core::sort::sort_by(&mut releases, |a, b| {
        lookout_core::series::natural_cmp(a, b)
    });
    IssueTagFacts {
        users,
        first_release: releases.first().cloned(),
        last_release: releases.last().cloned(),
    }
}

/// The span and bucket width (seconds) of an `issues-stats` period: `24h` hourly, `14d` daily.
pub fn stats_grid(period: &StatsPeriod) -> (i64, i64) {
    if *period == StatsPeriod::TwoWeeks {
        (14 * 86_400, 86_400)
    } else {
        (86_400, 3600)
    }
}

/// `issues-stats` points of one period on a zero-filled grid ending now.
pub fn filled(points: &[(i64, f64)], period: &StatsPeriod) -> Vec<(i64, f64)> {
    let (span, step) = stats_grid(period);
    let now = chrono::Utc::now().timestamp();
    lookout_core::glitchtip::zero_fill(points, now - span, now, step)
}

/// One issue's events over time (`issues-stats`, one request): `14d` when `long`, else `24h`.
pub async fn issue_series(api: &Api, id: &str, long: bool, cancel: &Cancel) -> R<Vec<(i64, f64)>> {
    let period = if long {
        StatsPeriod::TwoWeeks
    } else {
        StatsPeriod::Day
    };
    let points = crate::api::issues::issues_stats(api, &[id.to_owned()], &period, cancel)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .and_then(|s| s.stats.get(period.as_str()).cloned())
        .unwrap_or_default();
    Ok(filled(&points, &period))
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
        lookout_core::sort::sort_by(v, |a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
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
