//! One issue: details, its events, its tags (and GlitchTip's link to it).

use super::client::{follow_pages, Api, Cancel};
use lookout_core::model::*;
use lookout_core::query::{percent_encode, Params};
use lookout_core::ApiError;

type R<T> = Result<T, ApiError>;

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
    let path = issue_path(api, id, &format!("tags/{}/values/", percent_encode(key)));
    let values: Vec<TagValueDto> = follow_pages(10, |cursor| {
        let p = params
            .clone()
            .push("per_page", "100")
            .push_opt("cursor", cursor);
        let path = &path;
        async move { api.get_retry(path, &p, cancel).await }
    })
    .await?;
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

/// One server's share of an issue.
#[derive(Clone, Debug, PartialEq)]
pub struct ServerShare {
    pub server: String,
    pub group: String,
    pub count: u64,
}

/// Every server an issue was seen on, with its count and its cloud and region: GlitchTip from
/// the issue's `server_name` tag, Sentry from the events table (every server, not only the top
/// tag values), paged.
pub async fn server_distribution(
    api: Api,
    id: String,
    envs: Vec<String>,
    cancel: Cancel,
) -> R<Vec<ServerShare>> {
    if api.is_glitchtip() {
        let tag = issue_tag_values(&api, &id, "server_name", &envs, &cancel).await?;
        return Ok(tag
            .top_values
            .into_iter()
            .map(|v| ServerShare {
                server: v.value,
                group: String::new(),
                count: v.count,
            })
            .collect());
    }
    // Every server (not only the top values) with its cloud and region, in one paged query.
    let p = lookout_core::query::EventsQuery::new("errors")
        .fields(["server_name", "cloud", "region", "count()"])
        .sort("-count()")
        .search(format!(
            "issue.id:{}",
            lookout_core::query::quote_search_value(&id)
        ))
        .filters(&[], &envs)
        .window(vec![("statsPeriod".into(), "90d".into())])
        .params();
    let rows = super::events::events_table_all(&api, &p, 10, &cancel).await?;
    let mut out: Vec<ServerShare> = Vec::new();
    for r in rows {
        let Some(server) = r.text("server_name").filter(|s| !s.is_empty()) else {
            continue;
        };
        let mut place = lookout_core::keys::Place::default();
        place.learn(
            &r.text("cloud").unwrap_or_default(),
            &r.text("region").unwrap_or_default(),
        );
        let group = place.group().unwrap_or_default();
        let n = r.number("count()").unwrap_or(0.0) as u64;
        match out.iter_mut().find(|s| s.server == server) {
            Some(s) => s.count += n,
            None => out.push(ServerShare {
                server,
                group,
                count: n,
            }),
        }
    }
    Ok(out)
}
