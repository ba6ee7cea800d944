//! Which handler answers a path, for Sentry and for GlitchTip (whose answers are reshaped to its own).

use crate::api::events::glitchtip_project_events;
use crate::api::filters::find_issue;
use crate::api::reply::{glitchtip_missing, named, not_found, Routed};

use crate::api::events::issue_event;

use crate::api::events::issue_events;

use crate::api::events::project_event;

use crate::api::events::project_events;

use crate::api::issues::issue_details;

use crate::api::issues::issue_list;

use crate::api::issues::issues_stats;

use crate::api::org::organization;

use crate::api::org::organizations;

use crate::api::org::project_keys;

use crate::api::org::projects;

use crate::api::releases::releases;

use crate::api::tags::issue_tag;

use crate::api::tags::issue_tag_values;

use crate::api::tags::issue_tags;

use crate::app::App;

use crate::app::Flavor;

use crate::app::ORG;

use crate::http::Req;

use crate::http::Resp;

use crate::store::Store;

use serde_json::{json, Value};

/// Routes an authenticated web API request (in GlitchTip's shapes for that flavor).
pub fn route(app: &App, req: &Req) -> Routed {
    let (name, resp) = route_sentry_shaped(app, req);
    if app.opts.flavor != Flavor::Glitchtip {
        return (name, resp);
    }
    glitchtip_answer(app, req, name, resp)
}

/// GlitchTip's version of an answer: its shapes, its `Link` on every list, and a read-only token's
/// 403 on releases (they need `project:releases`).
pub fn glitchtip_answer(app: &App, req: &Req, name: String, resp: Resp) -> Routed {
    if name == "releases" {
        return (
            name,
            Resp::json(403, &json!({"detail": "Permission denied"})),
        );
    }
    if resp.status != 200 || !resp.content_type.starts_with("application/json") {
        return (name, resp);
    }
    let Ok(v) = serde_json::from_slice::<Value>(&resp.body) else {
        return (name, resp);
    };
    let shaped = crate::gt_shape::reshape(&name, &v).unwrap_or(v);
    let mut out = Resp::json(200, &shaped);
    out.headers = resp.headers;
    let paginated = ["organizations", "environments", "project-events"].contains(&name.as_str());
    if paginated
        && !out
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("link"))
    {
        // One page: both links without results, in GlitchTip's wrapped form.
        let url = format!("{}{}", app.base_url, req.path);
        out.headers.push((
            "Link".into(),
            format!("{{'<{url}>; rel=\"previous\"; results=\"false\", <{url}>; rel=\"next\"; results=\"false\"'}}"),
        ));
    }
    (name, out)
}

pub fn route_sentry_shaped(app: &App, req: &Req) -> Routed {
    if req.method != "GET" {
        return named(
            "method",
            Resp::json(
                405,
                &json!({"detail": format!("Method \"{}\" not allowed.", req.method)}),
            ),
        );
    }
    let segs: Vec<&str> = req
        .path
        .trim_start_matches("/api/0/")
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let gt = app.opts.flavor == Flavor::Glitchtip;
    let store = app.store.read().unwrap();
    let s = &*store;
    match segs.as_slice() {
        ["organizations"] => named("organizations", organizations(app, s)),
        ["organizations", org, rest @ ..] if *org != ORG => {
            named(rest.first().copied().unwrap_or("organization"), not_found())
        }
        ["organizations", _] => named("organization", organization(app, s)),
        ["organizations", _, "projects"] => named("projects", projects(app, s, req)),
        ["organizations", _, "issues"] => named("issues", issue_list(app, s, req)),
        ["organizations", _, "issues-stats"] => named("issues-stats", issues_stats(app, s, req)),
        ["organizations", _, "issues", ..] if gt => named(
            "issue",
            Resp::html(405, "<h1>Method Not Allowed (GET)</h1>"),
        ),
        ["organizations", _, "issues", id, rest @ ..] => issue_routes(app, s, req, id, rest),
        ["organizations", _, "events-stats"] if gt => named("events-stats", glitchtip_missing()),
        ["organizations", _, "events"] if gt => named("events", glitchtip_missing()),
        ["organizations", _, "trace" | "events-trace" | "trace-meta", ..] if gt => {
            named("trace", glitchtip_missing())
        }
        ["organizations", _, "events-stats"] => named(
            "events-stats",
            crate::api::discover::events_stats(app, s, req),
        ),
        ["organizations", _, "events"] => {
            named("events", crate::api::discover::events_table(app, s, req))
        }
        ["organizations", _, "trace", id] if app.opts.flavor == Flavor::Sentry => {
            named("trace", crate::api::traces::trace(app, s, req, id))
        }
        ["organizations", _, "trace", _] => named("trace", not_found()),
        ["organizations", _, "events-trace", id] => named(
            "events-trace",
            crate::api::traces::legacy_trace(app, s, req, id),
        ),
        ["organizations", _, "trace-meta", id] => {
            named("trace-meta", crate::api::traces::trace_meta(app, s, id))
        }
        ["organizations", _, "releases"] => named("releases", releases(app, s, req)),
        ["organizations", _, "transaction-groups"] if gt => named(
            "transaction-groups",
            crate::api::traces::transaction_groups(app, s, req),
        ),
        ["projects", org, proj, "keys"] if *org == ORG => {
            named("project-keys", project_keys(app, s, proj))
        }
        ["projects", org, proj, "events"] if *org == ORG && gt => {
            named("project-events", glitchtip_project_events(s, req, proj))
        }
        ["projects", org, proj, "events"] if *org == ORG => {
            named("project-events", project_events(app, s, req, proj))
        }
        // Sentry: ids as strings (the published schema), GlitchTip: numbers (as recorded).
        ["organizations", _, "environments"] if !gt => named(
            "environments",
            Resp::json(
                200,
                &json!(crate::store::ENVS
                    .iter()
                    .enumerate()
                    .map(|(i, e)| json!({"id": (i + 1).to_string(), "name": e}))
                    .collect::<Vec<_>>()),
            ),
        ),
        ["organizations", _, "environments"] => named(
            "environments",
            Resp::json(
                200,
                &json!(crate::store::ENVS
                    .iter()
                    .enumerate()
                    .map(|(i, e)| json!({"id": i + 1, "name": e}))
                    .collect::<Vec<_>>()),
            ),
        ),
        ["projects", org, proj, "events", id] if *org == ORG => {
            named("project-event", project_event(s, proj, id))
        }
        ["issues", id, rest @ ..] => issue_routes(app, s, req, id, rest),
        _ if gt => named("unknown", glitchtip_missing()),
        _ => named("unknown", not_found()),
    }
}

pub fn issue_routes(app: &App, s: &Store, req: &Req, id: &str, rest: &[&str]) -> Routed {
    let gt = app.opts.flavor == Flavor::Glitchtip;
    let Some(issue) = find_issue(s, id) else {
        return named("issue", not_found());
    };
    match rest {
        [] => named("issue", issue_details(app, s, req, issue)),
        ["events"] => named("issue-events", issue_events(app, s, req, issue)),
        ["events", "recommended"] if gt => named("issue-event", glitchtip_missing()),
        ["events", which] => named("issue-event", issue_event(app, s, req, issue, which)),
        ["tags"] => named("issue-tags", issue_tags(s, req, issue, gt)),
        ["tags", key] if !gt => named("issue-tag", issue_tag(s, req, issue, key)),
        ["tags", key, "values"] if !gt => named(
            "issue-tag-values",
            issue_tag_values(app, s, req, issue, key),
        ),
        _ if gt => named("unknown", glitchtip_missing()),
        _ => named("unknown", not_found()),
    }
}
