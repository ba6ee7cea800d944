//! The issue list: search, sort and paging as each server spells them, and the figures per issue (stats, servers).

use super::client::{Api, Cancel, Page};
use super::events::events_table_all;
use super::scope::Scope;
use lookout_core::link::Paging;
use lookout_core::model::*;
use lookout_core::query::{search_in, Params};
use lookout_core::vocab::StatsPeriod;
use lookout_core::ApiError;
use std::collections::HashMap;

type R<T> = Result<T, ApiError>;

/// How the issue list is sorted (mapped to each server's own names).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum IssueSort {
    #[default]
    LastSeen,
    FirstSeen,
    Events,
    Users,
}

impl IssueSort {
    /// URL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            IssueSort::LastSeen => "date",
            IssueSort::FirstSeen => "new",
            IssueSort::Events => "freq",
            IssueSort::Users => "user",
        }
    }

    /// Parses the URL spelling.
    pub fn parse(s: &str) -> IssueSort {
        match s {
            "new" => IssueSort::FirstSeen,
            "freq" => IssueSort::Events,
            "user" => IssueSort::Users,
            _ => IssueSort::LastSeen,
        }
    }

    fn glitchtip(self) -> &'static str {
        match self {
            IssueSort::LastSeen => "-last_seen",
            IssueSort::FirstSeen => "-first_seen",
            // GlitchTip counts no users; events is the nearest order it has.
            IssueSort::Events | IssueSort::Users => "-count",
        }
    }
}

/// An issue list query.
#[derive(Clone, Debug, PartialEq)]
pub struct IssueQuery {
    pub scope: Scope,
    pub query: String,
    pub sort: IssueSort,
    pub limit: u32,
    pub cursor: Option<String>,
    /// The sparklines' period (`24h` or `14d`).
    pub stats_period: StatsPeriod,
}

/// The issue list. On GlitchTip, paging uses `limit` + 1 (its `Link` header is unreadable
/// cross-origin) and the window filters by last seen here, since its `start` means first seen.
pub async fn issues(api: &Api, q: &IssueQuery, cancel: &Cancel) -> R<Page<Vec<IssueDto>>> {
    let path = format!("organizations/{}/issues/", api.org);
    if api.is_glitchtip() {
        let offset: usize = q
            .cursor
            .as_deref()
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let params = Params::new()
            .push("query", q.query.clone())
            .push("sort", q.scope_sort_glitchtip())
            .push("limit", (q.limit as usize + offset + 1).to_string())
            .push_all("project", q.scope.projects.iter().cloned())
            .push_all("environment", q.scope.environments.iter().cloned());
        let page: Page<Vec<IssueDto>> = api.get_retry(&path, &params, cancel).await?;
        let now = chrono::Utc::now();
        let (start, end) = q.scope.range.bounds(now);
        let mut rows: Vec<IssueDto> = page
            .data
            .into_iter()
            .filter(|i| {
                i.last_seen
                    .is_none_or(|t| t >= start && t <= end + chrono::Duration::minutes(5))
            })
            .skip(offset)
            .collect();
        let more = rows.len() > q.limit as usize;
        rows.truncate(q.limit as usize);
        let mut paging = Paging::default();
        if more {
            paging.next = Some(lookout_core::link::PageLink {
                rel: "next".into(),
                results: true,
                cursor: Some((offset + q.limit as usize).to_string()),
                url: String::new(),
            });
        }
        if offset > 0 {
            paging.previous = Some(lookout_core::link::PageLink {
                rel: "previous".into(),
                results: true,
                cursor: Some(offset.saturating_sub(q.limit as usize).to_string()),
                url: String::new(),
            });
        }
        return Ok(Page {
            data: rows,
            paging,
            hits: None,
        });
    }
    let params = q
        .scope
        .params()
        .push("query", q.query.clone())
        .push("sort", q.sort.as_str())
        .push("limit", q.limit.to_string())
        .push("groupStatsPeriod", q.stats_period.as_str())
        .push("expand", "inbox")
        .push_opt("cursor", q.cursor.clone());
    let mut page: Page<Vec<IssueDto>> = api.get_retry(&path, &params, cancel).await?;
    // A server may send more rows than asked for: never more are rendered.
    page.data.truncate(q.limit as usize);
    Ok(page)
}

impl IssueQuery {
    fn scope_sort_glitchtip(&self) -> &'static str {
        self.sort.glitchtip()
    }
}

/// Events per (issue, server) for the given issues in one events-table query (paged, at most
/// `max_pages` of 100 rows): the servers each issue hit, never one request per issue.
/// Returns `(issue id, server, count)` and the number of requests it took.
pub async fn issue_server_counts(
    api: &Api,
    ids: &[String],
    scope: &Scope,
    max_pages: usize,
    cancel: &Cancel,
) -> R<(Vec<(String, String, u64)>, u32)> {
    let p = scope
        .events("errors")
        .fields(["issue.id", "server_name", "count()"])
        .sort("-count()")
        .search(search_in("issue.id", ids))
        .params();
    let rows = events_table_all(api, &p, max_pages, cancel).await?;
    let requests = 1 + (rows.len().saturating_sub(1) / 100) as u32;
    let counts = rows
        .iter()
        .filter_map(|r| {
            Some((
                r.text("issue.id")?,
                r.text("server_name")?,
                r.number("count()")? as u64,
            ))
        })
        .collect();
    Ok((counts, requests))
}

/// GlitchTip's sparklines (`issues-stats`: only non-empty buckets).
pub async fn issues_stats(
    api: &Api,
    ids: &[String],
    period: &StatsPeriod,
    cancel: &Cancel,
) -> R<Vec<IssueStatsDto>> {
    let params = Params::new()
        .push_all("groups", ids.iter().cloned())
        .push("statsPeriod", period.as_str());
    Ok(api
        .get_retry(
            &format!("organizations/{}/issues-stats/", api.org),
            &params,
            cancel,
        )
        .await?
        .data)
}

/// What the list's second request adds to a page of issues: the servers each hit and, on
/// GlitchTip, sparklines and users. The list is painted without waiting for it.
#[derive(Clone, Debug, Default)]
pub struct IssueExtras {
    /// Issue id → busiest servers with counts.
    pub servers: HashMap<String, Vec<(String, u64)>>,
    /// GlitchTip's sparklines (its list has none).
    pub sparks: HashMap<String, Vec<(i64, f64)>>,
    /// GlitchTip's users per issue (its list says 0; the window's events know them).
    pub users: HashMap<String, u64>,
}

/// One page of issues.
pub async fn load_page(api: Api, q: IssueQuery, cancel: Cancel) -> R<Page<Vec<IssueDto>>> {
    issues(&api, &q, &cancel).await
}

/// The servers each issue of a page hit (one events-table request for the page) and, on
/// GlitchTip, sparklines and users from its stats and event lists.
pub async fn load_extras(
    api: Api,
    q: IssueQuery,
    projects: Vec<lookout_core::model::ProjectDto>,
    ids: Vec<String>,
    cancel: Cancel,
) -> R<IssueExtras> {
    let mut data = IssueExtras::default();
    if ids.is_empty() {
        return Ok(data);
    }
    if api.is_glitchtip() {
        // No events table: sparklines from `issues-stats` (one request for the page, sparse
        // buckets filled), servers from the projects' event lists.
        let period = &q.stats_period;
        let (stats, servers) = futures::join!(
            issues_stats(&api, &ids, period, &cancel),
            crate::api::glitchtip::issue_servers(&api, &q.scope, &projects, &ids, &cancel)
        );
        if let Ok(stats) = stats {
            for s in stats {
                let pts = s.stats.get(period.as_str()).cloned().unwrap_or_default();
                data.sparks
                    .insert(s.id, crate::api::glitchtip::filled(&pts, period));
            }
        }
        if let Ok((servers, users)) = servers {
            data.servers = servers;
            data.users = users;
        }
        return Ok(data);
    }
    // The list still works if this fails (older servers without the events table).
    if let Ok((counts, _)) = issue_server_counts(&api, &ids, &q.scope, 6, &cancel).await {
        for (id, server, n) in counts.into_iter().filter(|c| !c.1.is_empty()) {
            data.servers.entry(id).or_default().push((server, n));
        }
    }
    Ok(data)
}
