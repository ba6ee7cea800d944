//! One function per API resource, hiding how Sentry and GlitchTip differ (paths, sorts, paging).

use super::client::{Api, Cancel, Page};
use lookout_core::link::Paging;
use lookout_core::model::*;
use lookout_core::query::{percent_encode, search_in, Params};
use lookout_core::time::TimeRange;
use lookout_core::ApiError;

type R<T> = Result<T, ApiError>;

/// The organization (kind detection and feature flags).
pub async fn organization(api: &Api, cancel: &Cancel) -> R<OrganizationDto> {
    Ok(api
        .get(
            &format!("organizations/{}/", api.org),
            &Params::new(),
            cancel,
        )
        .await?
        .data)
}

/// All projects (following up to 10 pages).
pub async fn projects(api: &Api, cancel: &Cancel) -> R<Vec<ProjectDto>> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..10 {
        let params = Params::new()
            .push("per_page", "100")
            .push_opt("cursor", cursor.clone());
        let page: Page<Vec<ProjectDto>> = api
            .get_retry(
                &format!("organizations/{}/projects/", api.org),
                &params,
                cancel,
            )
            .await?;
        let n = page.data.len();
        out.extend(page.data);
        match page.paging.next_cursor() {
            Some(c) if n > 0 => cursor = Some(c.to_owned()),
            _ => break,
        }
    }
    Ok(out)
}

/// The organization's environments (GlitchTip: `organizations/{org}/environments/`).
pub async fn environments(api: &Api, cancel: &Cancel) -> R<Vec<String>> {
    let list: Vec<serde_json::Value> = api
        .get_retry(
            &format!("organizations/{}/environments/", api.org),
            &Params::new(),
            cancel,
        )
        .await?
        .data;
    use lookout_core::json::Get;
    Ok(list
        .iter()
        .map(|e| e.s("name"))
        .filter(|n| !n.is_empty())
        .collect())
}

/// Filters common to most queries.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scope {
    pub projects: Vec<String>,
    pub environments: Vec<String>,
    pub range: TimeRange,
}

impl Scope {
    /// `project=`, `environment=` and the time window.
    pub fn params(&self) -> Params {
        let mut p = Params::new()
            .push_all("project", self.projects.iter().cloned())
            .push_all("environment", self.environments.iter().cloned());
        for (k, v) in self.range.api_params() {
            p = p.push(&k, v);
        }
        p
    }
}

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
    /// `24h` or `14d` sparklines.
    pub stats_period: &'static str,
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
        .push("groupStatsPeriod", q.stats_period)
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

fn issue_path(api: &Api, id: &str, rest: &str) -> String {
    let id = percent_encode(id);
    if api.is_glitchtip() {
        format!("issues/{id}/{rest}")
    } else {
        format!("organizations/{}/issues/{id}/{rest}", api.org)
    }
}

/// One issue.
pub async fn issue(api: &Api, id: &str, envs: &[String], cancel: &Cancel) -> R<IssueDto> {
    let params = Params::new().push_all("environment", envs.iter().cloned());
    let mut issue: IssueDto = api
        .get_retry(&issue_path(api, id, ""), &params, cancel)
        .await?
        .data;
    if api.is_glitchtip() {
        // Its `permalink` names an API path; the issue's own page is `/{org}/issues/{id}`.
        issue.permalink = Some(glitchtip_issue_url(api, &issue.id));
    }
    Ok(issue)
}

/// GlitchTip's own web page of an issue.
pub fn glitchtip_issue_url(api: &Api, id: &str) -> String {
    format!(
        "{}/{}/issues/{}",
        api.base.trim_end_matches('/'),
        percent_encode(&api.org),
        percent_encode(id)
    )
}

/// One event of an issue: `latest`, `oldest`, `recommended` or an event id. GlitchTip has no
/// `recommended`: `latest` stands in.
pub async fn issue_event(
    api: &Api,
    id: &str,
    which: &str,
    envs: &[String],
    cancel: &Cancel,
) -> R<EventDto> {
    let which = if api.is_glitchtip() && which == "recommended" {
        "latest"
    } else {
        which
    };
    let params = Params::new().push_all("environment", envs.iter().cloned());
    Ok(api
        .get_retry(
            &issue_path(api, id, &format!("events/{}/", percent_encode(which))),
            &params,
            cancel,
        )
        .await?
        .data)
}

/// Recent events of an issue (light form; tags include `server_name`).
pub async fn issue_events(api: &Api, id: &str, per_page: u32, cancel: &Cancel) -> R<Vec<EventDto>> {
    let params = if api.is_glitchtip() {
        Params::new().push("limit", per_page.to_string())
    } else {
        Params::new().push("per_page", per_page.to_string())
    };
    Ok(api
        .get_retry(&issue_path(api, id, "events/"), &params, cancel)
        .await?
        .data)
}

/// All values of one tag of an issue with counts (every server, not only the top ones).
pub async fn issue_tag_values(
    api: &Api,
    id: &str,
    key: &str,
    envs: &[String],
    cancel: &Cancel,
) -> R<TagKeyDto> {
    if api.is_glitchtip() {
        let params = Params::new().push("key", key);
        let list: Vec<TagKeyDto> = api
            .get_retry(&issue_path(api, id, "tags/"), &params, cancel)
            .await?
            .data;
        return Ok(list.into_iter().find(|k| k.key == key).unwrap_or_default());
    }
    let params = Params::new().push_all("environment", envs.iter().cloned());
    let mut head: TagKeyDto = api
        .get_retry(
            &issue_path(api, id, &format!("tags/{}/", percent_encode(key))),
            &params,
            cancel,
        )
        .await?
        .data;
    // The key's details hold only the top values; the values list holds them all (paged).
    let mut values = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..10 {
        let p = params
            .clone()
            .push("per_page", "100")
            .push_opt("cursor", cursor.clone());
        let page: Page<Vec<TagValueDto>> = api
            .get_retry(
                &issue_path(api, id, &format!("tags/{}/values/", percent_encode(key))),
                &p,
                cancel,
            )
            .await?;
        let n = page.data.len();
        values.extend(page.data);
        match page.paging.next_cursor() {
            Some(c) if n > 0 => cursor = Some(c.to_owned()),
            _ => break,
        }
    }
    if !values.is_empty() {
        head.top_values = values;
    }
    Ok(head)
}

/// Every tag key of an issue with its top values.
pub async fn issue_tags(
    api: &Api,
    id: &str,
    envs: &[String],
    cancel: &Cancel,
) -> R<Vec<TagKeyDto>> {
    let params = Params::new().push_all("environment", envs.iter().cloned());
    Ok(api
        .get_retry(&issue_path(api, id, "tags/"), &params, cancel)
        .await?
        .data)
}

/// `events-stats` (any shape).
pub async fn events_stats(api: &Api, params: &Params, cancel: &Cancel) -> R<StatsResponse> {
    let page: Page<serde_json::Value> = api
        .get_retry(
            &format!("organizations/{}/events-stats/", api.org),
            params,
            cancel,
        )
        .await?;
    StatsResponse::from_value(&page.data).map_err(|e| ApiError::Shape { detail: e.0 })
}

/// One page of the events table.
pub async fn events_table(api: &Api, params: &Params, cancel: &Cancel) -> R<Page<EventsTableDto>> {
    api.get_retry(
        &format!("organizations/{}/events/", api.org),
        params,
        cancel,
    )
    .await
}

/// Every page of the events table, up to `max_pages`.
pub async fn events_table_all(
    api: &Api,
    params: &Params,
    max_pages: usize,
    cancel: &Cancel,
) -> R<Vec<serde_json::Map<String, serde_json::Value>>> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..max_pages {
        let p = params.clone().push_opt("cursor", cursor.clone());
        let page = events_table(api, &p, cancel).await?;
        let n = page.data.data.len();
        out.extend(page.data.data);
        match page.paging.next_cursor() {
            Some(c) if n > 0 => cursor = Some(c.to_owned()),
            _ => break,
        }
    }
    Ok(out)
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
    let mut p = Params::new()
        .push("dataset", "errors")
        .push("field", "issue.id")
        .push("field", "server_name")
        .push("field", "count()")
        .push("sort", "-count()")
        .push("per_page", "100")
        .push("query", search_in("issue.id", ids));
    p.0.extend(scope.params().0);
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

/// The new trace format.
pub async fn trace(api: &Api, id: &str, period: &str, cancel: &Cancel) -> R<Vec<TraceNodeDto>> {
    let params = Params::new()
        .push("statsPeriod", period)
        .push("limit", "10000")
        .push("additional_attributes", "server_name");
    Ok(api
        .get_retry(
            &format!("organizations/{}/trace/{}/", api.org, percent_encode(id)),
            &params,
            cancel,
        )
        .await?
        .data)
}

/// The legacy trace format.
pub async fn legacy_trace(api: &Api, id: &str, period: &str, cancel: &Cancel) -> R<LegacyTraceDto> {
    let params = Params::new()
        .push("statsPeriod", period)
        .push("limit", "10000");
    Ok(api
        .get_retry(
            &format!(
                "organizations/{}/events-trace/{}/",
                api.org,
                percent_encode(id)
            ),
            &params,
            cancel,
        )
        .await?
        .data)
}

/// Span, error and transaction counts of a trace.
pub async fn trace_meta(api: &Api, id: &str, period: &str, cancel: &Cancel) -> R<TraceMetaDto> {
    let params = Params::new().push("statsPeriod", period);
    Ok(api
        .get_retry(
            &format!(
                "organizations/{}/trace-meta/{}/",
                api.org,
                percent_encode(id)
            ),
            &params,
            cancel,
        )
        .await?
        .data)
}

/// One event of a project (also transactions, with their spans).
pub async fn project_event(api: &Api, project: &str, id: &str, cancel: &Cancel) -> R<EventDto> {
    Ok(api
        .get_retry(
            &format!(
                "projects/{}/{}/events/{}/",
                api.org,
                percent_encode(project),
                percent_encode(id)
            ),
            &Params::new(),
            cancel,
        )
        .await?
        .data)
}

/// Recent releases (markers on the time axis).
pub async fn releases(api: &Api, scope: &Scope, cancel: &Cancel) -> R<Vec<ReleaseDto>> {
    let params = Params::new()
        .push_all("project", scope.projects.iter().cloned())
        .push("per_page", "50");
    Ok(api
        .get_retry(
            &format!("organizations/{}/releases/", api.org),
            &params,
            cancel,
        )
        .await?
        .data)
}

/// GlitchTip's sparklines (`issues-stats`: only non-empty buckets).
pub async fn issues_stats(
    api: &Api,
    ids: &[String],
    period: &str,
    cancel: &Cancel,
) -> R<Vec<IssueStatsDto>> {
    let params = Params::new()
        .push_all("groups", ids.iter().cloned())
        .push("statsPeriod", period);
    Ok(api
        .get_retry(
            &format!("organizations/{}/issues-stats/", api.org),
            &params,
            cancel,
        )
        .await?
        .data)
}

/// A GlitchTip transaction group.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TransactionGroupDto {
    pub transaction: String,
    pub op: Option<String>,
    pub avg_duration: f64,
    pub transaction_count: u64,
}

impl lookout_core::json::FromJson for TransactionGroupDto {
    fn from_json(v: &serde_json::Value) -> Result<Self, String> {
        use lookout_core::json::Get;
        lookout_core::json::expect_object(v)?;
        Ok(TransactionGroupDto {
            transaction: v.s("transaction"),
            op: v.os("op"),
            avg_duration: v.f0("avgDuration"),
            transaction_count: v.n("transactionCount"),
        })
    }
}

/// GlitchTip's transaction groups (what it has instead of traces).
pub async fn transaction_groups(
    api: &Api,
    scope: &Scope,
    cancel: &Cancel,
) -> R<Vec<TransactionGroupDto>> {
    let (start, end) = scope.range.bounds(chrono::Utc::now());
    let params = Params::new()
        .push_all("project", scope.projects.iter().cloned())
        .push("start", lookout_core::time::iso(start))
        .push("end", lookout_core::time::iso(end))
        .push("limit", "50");
    Ok(api
        .get_retry(
            &format!("organizations/{}/transaction-groups/", api.org),
            &params,
            cancel,
        )
        .await?
        .data)
}
