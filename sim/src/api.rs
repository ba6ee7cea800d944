//! Web API routing and the organization, project, issue, event, tag and release endpoints.

use crate::app::{now, App, Flavor, ORG};
use crate::http::{encode, Req, Resp};
use crate::render::{event_json, event_tags, iso, iso_s, EventForm};
use crate::rng::parse_hex128;
use crate::search::{event_matches, issue_term, issue_text, parse_period, parse_time, Search};
use crate::store::{Store, ENVS};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};

type Routed = (String, Resp);

fn named(name: &str, r: Resp) -> Routed {
    (name.to_owned(), r)
}

/// Sentry's JSON 404.
pub fn not_found() -> Resp {
    Resp::json(
        404,
        &json!({"detail": "The requested resource does not exist"}),
    )
}

fn bad_request(msg: &str) -> Resp {
    Resp::json(400, &json!({"detail": msg}))
}

/// GlitchTip answers what it lacks with its web server's HTML 404 page.
fn glitchtip_missing() -> Resp {
    crate::app::not_found_page()
}

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
fn glitchtip_answer(app: &App, req: &Req, name: String, resp: Resp) -> Routed {
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

fn route_sentry_shaped(app: &App, req: &Req) -> Routed {
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
        ["organizations"] => named("organizations", organizations(app)),
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
        ["organizations", _, "events-stats"] => {
            named("events-stats", crate::discover::events_stats(app, s, req))
        }
        ["organizations", _, "events"] => {
            named("events", crate::discover::events_table(app, s, req))
        }
        ["organizations", _, "trace", id] if app.opts.flavor == Flavor::Sentry => {
            named("trace", crate::discover::trace(app, s, req, id))
        }
        ["organizations", _, "trace", _] => named("trace", not_found()),
        ["organizations", _, "events-trace", id] => named(
            "events-trace",
            crate::discover::legacy_trace(app, s, req, id),
        ),
        ["organizations", _, "trace-meta", id] => {
            named("trace-meta", crate::discover::trace_meta(app, s, id))
        }
        ["organizations", _, "releases"] => named("releases", releases(app, s, req)),
        ["organizations", _, "transaction-groups"] if gt => named(
            "transaction-groups",
            crate::discover::transaction_groups(app, s, req),
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

fn issue_routes(app: &App, s: &Store, req: &Req, id: &str, rest: &[&str]) -> Routed {
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

fn find_issue(s: &Store, id: &str) -> Option<usize> {
    if let Ok(n) = id.parse::<u64>() {
        return s.issues.iter().position(|i| i.id == n);
    }
    s.issues
        .iter()
        .position(|i| i.short_id.eq_ignore_ascii_case(id))
}

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

/// The environment of an event (ingested events may name any).
pub fn event_env(e: &crate::store::Event) -> String {
    match &e.raw {
        Some(r) => r
            .tags
            .iter()
            .find(|(k, _)| k == "environment")
            .map_or_else(|| "production".into(), |(_, v)| v.clone()),
        None => ENVS[e.env as usize].to_owned(),
    }
}

/// Offset from a Sentry-style cursor `0:<offset>:<is_prev>` (or GlitchTip's `gt<offset>`).
pub fn cursor_offset(req: &Req) -> usize {
    let Some(c) = req.param("cursor") else {
        return 0;
    };
    if let Some(n) = c.strip_prefix("gt") {
        return n.parse().unwrap_or(0);
    }
    c.split(':')
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// `Link` (Sentry form, or GlitchTip's wrapped form) for a page at `offset` of `total` rows.
pub fn link_header(app: &App, req: &Req, offset: usize, limit: usize, total: usize) -> String {
    let base: Vec<(String, String)> = req
        .query
        .iter()
        .filter(|(k, _)| k != "cursor")
        .cloned()
        .collect();
    let qs: String = base
        .iter()
        .map(|(k, v)| format!("{}={}&", encode(k), encode(v)))
        .collect();
    let url = format!("{}{}?{}", app.base_url, req.path, qs);
    let prev_off = offset.saturating_sub(limit);
    let next_off = offset + limit;
    let gt = app.opts.flavor == Flavor::Glitchtip;
    let (pc, nc) = if gt {
        (format!("gt{prev_off}"), format!("gt{next_off}"))
    } else {
        (format!("0:{prev_off}:1"), format!("0:{next_off}:0"))
    };
    let prev = format!(
        "<{url}cursor={pc}>; rel=\"previous\"; results=\"{}\"; cursor=\"{pc}\"",
        offset > 0
    );
    let next = format!(
        "<{url}cursor={nc}>; rel=\"next\"; results=\"{}\"; cursor=\"{nc}\"",
        next_off < total
    );
    if gt {
        format!("{{'{prev}', '{next}'}}")
    } else {
        format!("{prev}, {next}")
    }
}

/// Adds `Link`, `X-Hits` and `X-Max-Hits` to a list response.
pub fn paged(app: &App, req: &Req, resp: Resp, offset: usize, limit: usize, total: usize) -> Resp {
    let r = resp.with("Link", link_header(app, req, offset, limit, total));
    if app.opts.flavor == Flavor::Glitchtip {
        r
    } else {
        r.with("X-Hits", total.to_string())
            .with("X-Max-Hits", "1000")
    }
}

fn organizations(app: &App) -> Resp {
    Resp::json(200, &json!([org_json(app)]))
}

fn org_json(app: &App) -> Value {
    if app.opts.flavor == Flavor::Glitchtip {
        return json!({
            "id": "1", "slug": ORG, "name": "Demo", "dateCreated": iso(app.store.read().unwrap().created_at - 400.0 * 86_400.0),
            "status": {"id": "active", "name": "active"}, "avatar": {"avatarType": "", "avatarUuid": null},
            "isEarlyAdopter": false, "require2FA": false, "isAcceptingEvents": true,
        });
    }
    let created = app.store.read().unwrap().created_at - 400.0 * 86_400.0;
    json!({
        "avatar": {"avatarType": "letter_avatar", "avatarUuid": null}, "dateCreated": iso(created),
        "features": features(app.opts.flavor), "hasAuthProvider": false, "id": "1", "isEarlyAdopter": false,
        "allowMemberInvite": true, "allowMemberProjectCreation": true, "allowSuperuserAccess": false,
        "links": {"organizationUrl": app.base_url, "regionUrl": app.base_url},
        "name": "Demo", "require2FA": false, "slug": ORG, "status": {"id": "active", "name": "active"},
    })
}

fn features(flavor: Flavor) -> Vec<&'static str> {
    let mut f = vec![
        "discover-basic",
        "discover-query",
        "performance-view",
        "global-views",
        "event-attachments",
        "advanced-search",
    ];
    if flavor == Flavor::Sentry {
        f.push("trace-spans-format");
        f.push("performance-trace-details");
    }
    f
}

fn organization(app: &App, s: &Store) -> Resp {
    let mut o = org_json(app);
    if let Some(m) = o.as_object_mut() {
        m.insert("projects".into(), json!(s.projects.iter().map(|p| json!({"id": p.id.to_string(), "slug": p.slug, "name": p.name, "platform": p.platform})).collect::<Vec<_>>()));
        m.insert("isDefault".into(), json!(false));
        m.insert("defaultRole".into(), json!("member"));
        m.insert("openMembership".into(), json!(true));
    }
    Resp::json(200, &o)
}

fn project_json(app: &App, s: &Store, p: usize) -> Value {
    let pr = &s.projects[p];
    if app.opts.flavor == Flavor::Glitchtip {
        return json!({"id": pr.id, "slug": pr.slug, "name": pr.name, "platform": pr.platform, "dateCreated": iso(s.created_at - 300.0 * 86_400.0), "isMember": true, "firstEvent": iso(s.created_at - 200.0 * 86_400.0), "hasAccess": true, "scrubIPAddresses": true, "eventThrottleRate": 0});
    }
    json!({
        "slug": pr.slug, "name": pr.name, "dateCreated": iso(s.created_at - 300.0 * 86_400.0), "firstEvent": iso(s.created_at - 200.0 * 86_400.0),
        "access": ["project:read", "event:read"], "hasAccess": true, "id": pr.id.to_string(), "isBookmarked": false, "isMember": true,
        "platform": pr.platform, "platforms": [pr.platform],
        "team": {"id": "1", "name": "Shop", "slug": "shop"}, "teams": [{"id": "1", "name": "Shop", "slug": "shop"}],
        "environments": ENVS, "features": ["releases", "performance-view"], "firstTransactionEvent": true,
        "hasSessions": false, "hasProfiles": false, "hasReplays": false, "hasFlags": false, "hasMinifiedStackTrace": pr.platform == "javascript",
        "hasMonitors": false, "hasFeedbacks": false, "hasNewFeedbacks": false, "hasUserReports": false,
        "hasInsightsHttp": true, "hasInsightsDb": true, "hasInsightsAssets": false, "hasInsightsAppStart": false,
        "hasInsightsScreenLoad": false, "hasInsightsVitals": false, "hasInsightsCaches": false, "hasInsightsQueues": false,
        "hasInsightsAgentMonitoring": false, "hasInsightsMCP": false, "hasLogs": false, "hasTraceMetrics": false,
        "latestRelease": s.release_index_at(p, now()).map(|r| json!({"version": s.releases[r as usize].version})),
    })
}

fn projects(app: &App, s: &Store, req: &Req) -> Resp {
    let limit = req
        .param("per_page")
        .and_then(|v| v.parse().ok())
        .unwrap_or(100usize)
        .clamp(1, 100);
    let offset = cursor_offset(req);
    let all: Vec<Value> = (0..s.projects.len())
        .map(|p| project_json(app, s, p))
        .collect();
    let page: Vec<Value> = all.iter().skip(offset).take(limit).cloned().collect();
    paged(
        app,
        req,
        Resp::json(200, &json!(page)),
        offset,
        limit,
        all.len(),
    )
}

fn project_keys(app: &App, s: &Store, proj: &str) -> Resp {
    let Some(p) = s.project_index(proj) else {
        return not_found();
    };
    let pr = &s.projects[p];
    let host = app.base_url.trim_start_matches("http://");
    let dsn = format!("http://{}@{}/{}", pr.public_key, host, pr.id);
    Resp::json(
        200,
        &json!([{
            "id": format!("{:x}", crate::rng::hash_str(&pr.public_key) & 0xffff_ffff), "name": "Default", "label": "Default",
            "public": pr.public_key, "secret": pr.secret_key, "projectId": pr.id, "isActive": true,
            "rateLimit": null, "browserSdkVersion": "latest", "browserSdk": {"choices": [["latest", "latest"]]},
            "dateCreated": iso(s.created_at - 300.0 * 86_400.0),
            "dsn": {
                "secret": format!("http://{}:{}@{}/{}", pr.public_key, pr.secret_key, host, pr.id), "public": dsn,
                "csp": format!("{}/api/{}/csp-report/?sentry_key={}", app.base_url, pr.id, pr.public_key),
                "security": format!("{}/api/{}/security/?sentry_key={}", app.base_url, pr.id, pr.public_key),
                "minidump": format!("{}/api/{}/minidump/?sentry_key={}", app.base_url, pr.id, pr.public_key),
                "nel": format!("{}/api/{}/nel/?sentry_key={}", app.base_url, pr.id, pr.public_key),
                "unreal": format!("{}/api/{}/unreal/{}/", app.base_url, pr.id, pr.public_key),
                "cdn": format!("{}/js-sdk-loader/{}.min.js", app.base_url, pr.public_key),
                "crons": format!("{}/api/{}/cron/___MONITOR_SLUG___/{}/", app.base_url, pr.id, pr.public_key),
            },
            "dynamicSdkLoaderOptions": {"hasReplay": false, "hasPerformance": true, "hasDebug": false},
        }]),
    )
}

/// Figures of an issue over a set of its events.
struct Figures {
    count: usize,
    users: usize,
    first: Option<f64>,
    last: Option<f64>,
}

fn figures(s: &Store, events: &[u32]) -> Figures {
    let users: HashSet<u32> = events.iter().map(|&i| s.events[i as usize].user).collect();
    Figures {
        count: events.len(),
        users: users.len(),
        first: events.first().map(|&i| s.events[i as usize].ts),
        last: events.last().map(|&i| s.events[i as usize].ts),
    }
}

/// Issue events in `[start, end)` passing the environment filter and event-level terms.
fn matching_events(
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

/// Hourly (or daily) counts over the last `n` buckets of `secs` each, ending at the current bucket.
fn bucket_counts(
    s: &Store,
    events: &[u32],
    n: usize,
    secs: f64,
    t: f64,
    sparse: bool,
) -> Vec<(i64, u64)> {
    let end = (t / secs).floor() * secs + secs;
    let start = end - n as f64 * secs;
    let mut out: Vec<(i64, u64)> = (0..n)
        .map(|i| ((start + i as f64 * secs) as i64, 0))
        .collect();
    for &i in events {
        let ts = s.events[i as usize].ts;
        if ts >= start && ts < end {
            out[((ts - start) / secs) as usize].1 += 1;
        }
    }
    if sparse {
        out.retain(|b| b.1 > 0);
    }
    out
}

fn issue_json(
    app: &App,
    s: &Store,
    issue: usize,
    f: &Figures,
    life: &Figures,
    stats: Value,
    form: IssueForm,
) -> Value {
    let is = &s.issues[issue];
    let p = &s.projects[is.project];
    let gt = app.opts.flavor == Flavor::Glitchtip;
    let permalink = if gt {
        json!("Not implemented")
    } else {
        json!(format!(
            "{}/organizations/{}/issues/{}/",
            app.base_url, ORG, is.id
        ))
    };
    let assigned = is
        .assigned
        .as_ref()
        .map(|(name, email)| json!({"type": "user", "id": "7", "name": name, "email": email}));
    let annotations: Vec<Value> = is
        .annotations
        .iter()
        .map(|(t, u)| json!({"displayName": t, "url": u}))
        .collect();
    let metadata = if is.exc_type.is_empty() {
        json!({"title": is.title})
    } else {
        json!({"type": is.exc_type, "value": is.value, "filename": is.filename, "function": is.function, "in_app_frame_mix": "mixed"})
    };
    let mut v = json!({
        "id": is.id.to_string(), "shareId": null, "shortId": is.short_id, "title": is.title,
        "culprit": if gt { String::new() } else { is.culprit.clone() }, "permalink": permalink, "logger": null,
        "level": is.level, "status": is.status, "statusDetails": {}, "substatus": if gt { Value::Null } else { json!(is.substatus) },
        "isPublic": false, "platform": p.platform,
        "project": {"id": p.id.to_string(), "name": p.name, "slug": p.slug, "platform": p.platform},
        "type": if is.exc_type.is_empty() { "default" } else { "error" }, "metadata": metadata, "numComments": 0,
        "assignedTo": assigned, "isBookmarked": false, "isSubscribed": false, "subscriptionDetails": null, "hasSeen": false,
        "annotations": annotations, "issueType": "error", "issueCategory": "error", "priority": is.priority, "priorityLockedAt": null,
        "isUnhandled": is.is_unhandled, "count": f.count.to_string(), "userCount": if gt { 0 } else { f.users },
        "firstSeen": f.first.map(iso), "lastSeen": f.last.map(iso), "stats": stats,
    });
    let m = v.as_object_mut().unwrap();
    if gt {
        m.insert("matchingEventId".into(), Value::Null);
        return v;
    }
    // Both Sentry serializers (the list's and the details') carry these.
    m.insert("seerFixabilityScore".into(), Value::Null);
    m.insert("seerAutofixLastTriggered".into(), Value::Null);
    m.insert("seerExplorerAutofixLastTriggered".into(), Value::Null);
    if form == IssueForm::Details {
        return v;
    }
    // The list's serializer (GroupSerializerSnuba) adds the window's and lifetime figures and
    // the inbox, owners and derived fields the published schema requires.
    let first = life.first.map(iso);
    m.insert("lifetime".into(), json!({"count": life.count.to_string(), "userCount": life.users, "firstSeen": first, "lastSeen": life.last.map(iso)}));
    m.insert("filtered".into(), Value::Null);
    m.insert(
        "inbox".into(),
        json!({"reason": 0, "reason_details": null, "date_added": first}),
    );
    let owner = match &is.assigned {
        Some(_) => json!({"type": "suspectCommit", "owner": "user:7", "date_added": first}),
        None => {
            json!({"type": "ownershipRule", "owner": format!("team:{}", p.id), "date_added": first})
        }
    };
    m.insert("owners".into(), owner);
    m.insert(
        "derivedData".into(),
        json!({
            "blocker": "none", "progress": "not_started", "status": "open", "viewCount": 0,
            "hasOpenFixPr": false, "isAssigned": is.assigned.is_some(), "hasRootCause": false,
            "lastCompletedAutofixStep": "none", "lastProgressedAt": null,
        }),
    );
    m.insert("integrationIssues".into(), json!([]));
    m.insert("sentryAppIssues".into(), json!([]));
    m.insert("latestEventHasAttachments".into(), json!(false));
    m.insert("sessionCount".into(), json!(0));
    m.insert("matchingEventId".into(), Value::Null);
    m.insert("matchingEventEnvironment".into(), Value::Null);
    v
}

/// Which of Sentry's issue serializers an issue is shaped by.
#[derive(Clone, Copy, PartialEq, Eq)]
enum IssueForm {
    /// The issue list's (window figures, lifetime, inbox, owners, derived data).
    List,
    /// The issue details' (all-time figures; the page adds releases, tags and activity).
    Details,
}

fn issue_list(app: &App, s: &Store, req: &Req) -> Resp {
    let t = now();
    let gt = app.opts.flavor == Flavor::Glitchtip;
    let query = if gt {
        req.last_param("query")
            .unwrap_or("is:unresolved")
            .to_owned()
    } else {
        req.param("query")
            .map_or_else(|| "is:unresolved".to_owned(), str::to_owned)
    };
    let limit = req
        .param("limit")
        .and_then(|v| v.parse().ok())
        .unwrap_or(25usize)
        .clamp(1, 100);
    // Sort names differ: GlitchTip takes field names with a sign, Sentry short names.
    let sort = if gt {
        let s = req.param("sort").unwrap_or("-last_seen");
        let ok = [
            "last_seen",
            "-last_seen",
            "first_seen",
            "-first_seen",
            "count",
            "-count",
            "priority",
            "-priority",
        ];
        if !ok.contains(&s) {
            return Resp::json(
                422,
                &json!({"detail": [{"type": "literal_error", "loc": ["query", "sort"], "msg": "Input should be 'last_seen', 'first_seen', 'count', 'priority', '-last_seen', '-first_seen', '-count' or '-priority'", "ctx": {"expected": "'last_seen', 'first_seen', 'count', 'priority', '-last_seen', '-first_seen', '-count' or '-priority'"}}]}),
            );
        }
        match s.trim_start_matches('-') {
            "first_seen" => "new",
            "count" => "freq",
            "priority" => "priority",
            _ => "date",
        }
        .to_owned()
    } else {
        let s = req.param("sort").unwrap_or("date");
        if ![
            "date",
            "new",
            "freq",
            "user",
            "trends",
            "recommended",
            "priority",
            "inbox",
        ]
        .contains(&s)
        {
            return bad_request(&format!("Invalid sort: {s}"));
        }
        s.to_owned()
    };
    let group_stats = req.param("groupStatsPeriod").unwrap_or("24h");
    if !gt && !["24h", "14d", "auto", ""].contains(&group_stats) {
        return bad_request("Invalid groupStatsPeriod");
    }
    let (start, end) = if gt {
        (f64::NEG_INFINITY, f64::INFINITY)
    } else {
        match window(req, "14d") {
            Ok(w) => w,
            Err(r) => return r,
        }
    };
    // GlitchTip: start/end filter on first seen ("now-24h" allowed).
    let gt_first = |p: &str| -> Option<f64> {
        let v = req.param(p)?;
        match v.strip_prefix("now-") {
            Some(rel) => parse_period(rel).map(|d| t - d),
            None => parse_time(v),
        }
    };
    let (gt_from, gt_to) = if gt {
        (gt_first("start"), gt_first("end"))
    } else {
        (None, None)
    };
    let search = match Search::parse(&query) {
        Ok(q) => q,
        Err(e) => return bad_request(&e),
    };
    let projects = project_filter(s, req);
    let envs = env_filter(req);

    // A 32-hex event id is a direct hit.
    if let Some(eid) = search
        .text
        .first()
        .filter(|_| search.text.len() == 1 && search.terms.is_empty())
        .and_then(|x| parse_hex128(x))
    {
        if let Some(&ei) = s.event_index.get(&eid) {
            let issue = s.events[ei as usize].issue as usize;
            let all = s.issues[issue].events.clone();
            let f = figures(s, &all);
            let v = issue_json(app, s, issue, &f, &f, json!({}), IssueForm::List);
            return Resp::json(200, &json!([v])).with("X-Sentry-Direct-Hit", "1");
        }
    }

    let mut rows: Vec<(usize, Figures, Vec<u32>)> = Vec::new();
    for (i, is) in s.issues.iter().enumerate() {
        if projects
            .as_ref()
            .is_some_and(|p| !p.contains(&(is.project as u8)))
        {
            continue;
        }
        if !search.issue_terms().all(|term| issue_term(s, is, term, t))
            || !issue_text(is, &search.text)
        {
            continue;
        }
        let events = matching_events(s, i, start, end, &envs, &search, t);
        if events.is_empty() {
            continue;
        }
        if gt {
            let first = events
                .first()
                .map(|&e| s.events[e as usize].ts)
                .unwrap_or(0.0);
            if gt_from.is_some_and(|f| first < f) || gt_to.is_some_and(|to| first > to) {
                continue;
            }
        }
        rows.push((i, figures(s, &events), events));
    }
    let key = |r: &(usize, Figures, Vec<u32>)| -> f64 {
        match sort.as_str() {
            "new" => {
                let life = &s.issues[r.0].events;
                life.first().map_or(0.0, |&e| s.events[e as usize].ts)
            }
            "freq" | "trends" => r.1.count as f64,
            "user" => r.1.users as f64,
            "priority" => match s.issues[r.0].priority.as_str() {
                "high" => 3.0,
                "medium" => 2.0,
                _ => 1.0,
            },
            _ => r.1.last.unwrap_or(0.0),
        }
    };
    rows.sort_by(|a, b| {
        key(b)
            .total_cmp(&key(a))
            .then(s.issues[a.0].id.cmp(&s.issues[b.0].id))
    });
    if gt && req.param("sort").is_some_and(|v| !v.starts_with('-')) {
        rows.reverse();
    }
    let total = rows.len();
    let offset = cursor_offset(req);
    let page: Vec<Value> = rows
        .iter()
        .skip(offset)
        .take(limit)
        .map(|(i, f, events)| {
            let stats = if gt {
                json!({"24h": []})
            } else {
                match group_stats {
                    "" => json!({}),
                    "14d" => json!({"14d": bucket_counts(s, events, 14, 86_400.0, t, false)}),
                    "auto" if end - start > 2.0 * 86_400.0 => {
                        json!({"auto": bucket_counts(s, events, 14, 86_400.0, t, false)})
                    }
                    "auto" => json!({"auto": bucket_counts(s, events, 24, 3600.0, t, false)}),
                    _ => json!({"24h": bucket_counts(s, events, 24, 3600.0, t, false)}),
                }
            };
            let all = matching_events(
                s,
                *i,
                f64::NEG_INFINITY,
                f64::INFINITY,
                &envs,
                &Search::default(),
                t,
            );
            let life = figures(s, &all);
            let f = if gt { &life } else { f };
            issue_json(app, s, *i, f, &life, stats, IssueForm::List)
        })
        .collect();
    paged(
        app,
        req,
        Resp::json(200, &json!(page)),
        offset,
        limit,
        total,
    )
}

fn issues_stats(app: &App, s: &Store, req: &Req) -> Resp {
    let t = now();
    let gt = app.opts.flavor == Flavor::Glitchtip;
    let envs = env_filter(req);
    let period = req.param("statsPeriod").unwrap_or("24h");
    let (n, secs) = if parse_period(period).unwrap_or(86_400.0) > 2.0 * 86_400.0 {
        (14, 86_400.0)
    } else {
        (24, 3600.0)
    };
    let out: Vec<Value> = req
        .params("groups")
        .into_iter()
        .filter_map(|g| find_issue(s, g))
        .map(|i| {
            let events = matching_events(
                s,
                i,
                f64::NEG_INFINITY,
                f64::INFINITY,
                &envs,
                &Search::default(),
                t,
            );
            let key = if gt {
                period.to_owned()
            } else {
                "24h".to_owned()
            };
            let f = figures(s, &events);
            json!({
                "id": s.issues[i].id.to_string(),
                "count": f.count.to_string(),
                "userCount": if gt { 0 } else { f.users },
                "firstSeen": f.first.map(iso), "lastSeen": f.last.map(iso),
                "stats": {key: bucket_counts(s, &events, n, secs, t, gt)},
            })
        })
        .collect();
    Resp::json(200, &json!(out))
}

fn issue_details(app: &App, s: &Store, req: &Req, issue: usize) -> Resp {
    let t = now();
    let envs = env_filter(req);
    let events = matching_events(
        s,
        issue,
        f64::NEG_INFINITY,
        f64::INFINITY,
        &envs,
        &Search::default(),
        t,
    );
    let f = figures(s, &events);
    let stats = json!({
        "24h": bucket_counts(s, &events, 24, 3600.0, t, false),
        "30d": bucket_counts(s, &events, 30, 86_400.0, t, false),
    });
    let mut v = issue_json(app, s, issue, &f, &f, stats, IssueForm::Details);
    let release_of = |e: Option<&u32>| {
        e.and_then(|&i| s.events[i as usize].release).map(|r| {
            let r = &s.releases[r as usize];
            json!({"version": r.version, "shortVersion": r.version.split('@').nth(1).unwrap_or(&r.version), "dateCreated": iso(r.created), "dateReleased": iso(r.deployed), "ref": null, "url": null})
        })
    };
    let tag_summary: Vec<Value> = tag_counts(s, &events)
        .into_iter()
        .map(|(k, vals)| json!({"key": k, "name": tag_name(&k), "totalValues": vals.values().map(|v| v.0).sum::<u64>()}))
        .collect();
    if let Some(m) = v.as_object_mut() {
        m.insert(
            "firstRelease".into(),
            release_of(events.first()).unwrap_or(Value::Null),
        );
        m.insert(
            "lastRelease".into(),
            release_of(events.last()).unwrap_or(Value::Null),
        );
        m.insert("tags".into(), json!(tag_summary));
        m.insert("activity".into(), json!([{"id": "1", "type": "first_seen", "dateCreated": f.first.map(iso), "data": {}, "user": null}]));
        m.insert("seenBy".into(), json!([]));
        m.insert("participants".into(), json!([]));
        m.insert("userReportCount".into(), json!(0));
    }
    Resp::json(200, &v)
}

fn issue_events(app: &App, s: &Store, req: &Req, issue: usize) -> Resp {
    let t = now();
    let gt = app.opts.flavor == Flavor::Glitchtip;
    let envs = env_filter(req);
    let (start, end) = if req.param("statsPeriod").is_some() || req.param("start").is_some() {
        match window(req, "90d") {
            Ok(w) => w,
            Err(r) => return r,
        }
    } else {
        (f64::NEG_INFINITY, f64::INFINITY)
    };
    let search = match Search::parse(req.param("query").unwrap_or("")) {
        Ok(q) => q,
        Err(e) => return bad_request(&e),
    };
    let mut events = matching_events(s, issue, start, end, &envs, &search, t);
    events.reverse();
    let limit = req
        .param("per_page")
        .and_then(|v| v.parse().ok())
        .unwrap_or(100usize)
        .clamp(1, 100);
    let full = req.param("full").is_some_and(|v| v == "true" || v == "1");
    let form = if full || gt {
        EventForm::Full
    } else {
        EventForm::Light
    };
    events_page(app, s, req, &events, limit, form)
}

fn issue_event(app: &App, s: &Store, req: &Req, issue: usize, which: &str) -> Resp {
    let t = now();
    let envs = env_filter(req);
    let events = matching_events(
        s,
        issue,
        f64::NEG_INFINITY,
        f64::INFINITY,
        &envs,
        &Search::default(),
        t,
    );
    let idx = match which {
        "latest" => events.last().copied(),
        "oldest" => events.first().copied(),
        // The newest event with the most context: one that is part of a trace.
        "recommended" => events
            .iter()
            .rev()
            .find(|&&i| s.trace_txns.contains_key(&s.events[i as usize].trace))
            .or(events.last())
            .copied(),
        id => parse_hex128(id)
            .and_then(|id| s.event_index.get(&id).copied())
            .filter(|&i| s.events[i as usize].issue as usize == issue),
    };
    let _ = app;
    match idx {
        Some(i) => Resp::json(200, &event_json(s, i, EventForm::Full)),
        None => not_found(),
    }
}

/// key → value → (count, first, last), over the given events; keys in a stable order.
/// Per tag value: (count, first seen, last seen).
type ValueCounts = HashMap<String, (u64, f64, f64)>;

fn tag_counts(s: &Store, events: &[u32]) -> Vec<(String, ValueCounts)> {
    let mut keys: Vec<String> = Vec::new();
    let mut map: HashMap<String, HashMap<String, (u64, f64, f64)>> = HashMap::new();
    for &i in events {
        let e = &s.events[i as usize];
        for (k, v) in event_tags(s, e) {
            let entry = map.entry(k.clone()).or_insert_with(|| {
                keys.push(k.clone());
                HashMap::new()
            });
            let c = entry.entry(v).or_insert((0, e.ts, e.ts));
            c.0 += 1;
            c.1 = c.1.min(e.ts);
            c.2 = c.2.max(e.ts);
        }
    }
    keys.sort();
    keys.into_iter()
        .map(|k| {
            let v = map.remove(&k).unwrap_or_default();
            (k, v)
        })
        .collect()
}

fn tag_name(key: &str) -> String {
    match key {
        "server_name" => "Server".into(),
        "os.name" => "OS".into(),
        "url" => "URL".into(),
        "browser.name" => "Browser Name".into(),
        "runtime.name" => "Runtime Name".into(),
        k => {
            let mut c = k.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        }
    }
}

fn sorted_values(vals: &HashMap<String, (u64, f64, f64)>) -> Vec<(&String, &(u64, f64, f64))> {
    let mut v: Vec<_> = vals.iter().collect();
    v.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    v
}

fn value_json(key: &str, value: &str, c: &(u64, f64, f64)) -> Value {
    json!({"key": key, "name": value, "value": value, "count": c.0, "lastSeen": iso_s(c.2), "firstSeen": iso_s(c.1)})
}

fn key_json(key: &str, vals: &HashMap<String, (u64, f64, f64)>, top: usize) -> Value {
    let sorted = sorted_values(vals);
    json!({
        "key": key, "name": tag_name(key), "uniqueValues": vals.len(),
        "totalValues": vals.values().map(|v| v.0).sum::<u64>(),
        "topValues": sorted.iter().take(top).map(|(v, c)| value_json(key, v, c)).collect::<Vec<_>>(),
    })
}

fn issue_tags(s: &Store, req: &Req, issue: usize, gt: bool) -> Resp {
    let envs = env_filter(req);
    let events = matching_events(
        s,
        issue,
        f64::NEG_INFINITY,
        f64::INFINITY,
        &envs,
        &Search::default(),
        now(),
    );
    let wanted: Vec<&str> = req.params("key");
    let out: Vec<Value> = tag_counts(s, &events)
        .iter()
        .filter(|(k, _)| wanted.is_empty() || wanted.contains(&k.as_str()))
        .map(|(k, vals)| key_json(k, vals, if gt { 100 } else { 9 }))
        .collect();
    Resp::json(200, &json!(out))
}

fn issue_tag(s: &Store, req: &Req, issue: usize, key: &str) -> Resp {
    let envs = env_filter(req);
    let events = matching_events(
        s,
        issue,
        f64::NEG_INFINITY,
        f64::INFINITY,
        &envs,
        &Search::default(),
        now(),
    );
    match tag_counts(s, &events).into_iter().find(|(k, _)| k == key) {
        Some((k, vals)) => Resp::json(200, &key_json(&k, &vals, 9)),
        None => not_found(),
    }
}

fn issue_tag_values(app: &App, s: &Store, req: &Req, issue: usize, key: &str) -> Resp {
    let envs = env_filter(req);
    let events = matching_events(
        s,
        issue,
        f64::NEG_INFINITY,
        f64::INFINITY,
        &envs,
        &Search::default(),
        now(),
    );
    let Some((k, vals)) = tag_counts(s, &events).into_iter().find(|(k, _)| k == key) else {
        return not_found();
    };
    let sorted = sorted_values(&vals);
    let limit = req
        .param("per_page")
        .and_then(|v| v.parse().ok())
        .unwrap_or(100usize)
        .clamp(1, 100);
    let offset = cursor_offset(req);
    let page: Vec<Value> = sorted
        .iter()
        .skip(offset)
        .take(limit)
        .map(|(v, c)| value_json(&k, v, c))
        .collect();
    paged(
        app,
        req,
        Resp::json(200, &json!(page)),
        offset,
        limit,
        sorted.len(),
    )
}

/// GlitchTip's list of a project's events: newest received first, `limit` ≤ 100, camelCase, and its
/// position cursor (`p=<time>`: the events received before that time).
/// Sentry's "List a Project's Error Events": light events, newest first, Sentry cursor paging.
fn project_events(app: &App, s: &Store, req: &Req, proj: &str) -> Resp {
    let Some(p) = s.project_index(proj) else {
        return Resp::json(
            404,
            &json!({"detail": "The requested resource does not exist"}),
        );
    };
    let t = now();
    let (start, end) = match window(req, "90d") {
        Ok(w) => w,
        Err(r) => return r,
    };
    let by_time = &s.events_by_time;
    let events: Vec<u32> = by_time
        .iter()
        .rev()
        .copied()
        .filter(|&i| {
            let e = &s.events[i as usize];
            e.project as usize == p && e.ts <= t && e.ts >= start && e.ts < end
        })
        .collect();
    let form = if req.param("full").is_some_and(|v| v == "true" || v == "1") {
        EventForm::Full
    } else {
        EventForm::Light
    };
    events_page(app, s, req, &events, 100, form)
}

/// One cursor page of events (newest first), Sentry's `Link` paging.
fn events_page(
    app: &App,
    s: &Store,
    req: &Req,
    events: &[u32],
    limit: usize,
    form: EventForm,
) -> Resp {
    let offset = cursor_offset(req);
    let page: Vec<Value> = events
        .iter()
        .skip(offset)
        .take(limit)
        .map(|&i| event_json(s, i, form))
        .collect();
    paged(
        app,
        req,
        Resp::json(200, &json!(page)),
        offset,
        limit,
        events.len(),
    )
}

fn glitchtip_project_events(s: &Store, req: &Req, proj: &str) -> Resp {
    use base64::Engine;
    let Some(p) = s.project_index(proj) else {
        return glitchtip_missing();
    };
    let t = now();
    let limit = req
        .param("limit")
        .and_then(|v| v.parse().ok())
        .unwrap_or(50usize)
        .clamp(1, 100);
    let before = req
        .param("cursor")
        .and_then(|c| base64::engine::general_purpose::STANDARD.decode(c).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|q| {
            crate::http::parse_query(&q)
                .into_iter()
                .find(|(k, _)| k == "p")
                .map(|(_, v)| v)
        })
        .and_then(|v| crate::search::parse_time(&v))
        .unwrap_or(f64::INFINITY);
    // Received 0.3 s after the event's own time (as `date_received` says).
    let by_time = &s.events_by_time;
    let hi = by_time.partition_point(|&i| {
        let e = &s.events[i as usize];
        e.ts <= t && e.ts + 0.3 < before
    });
    let page: Vec<u32> = by_time[..hi]
        .iter()
        .rev()
        .copied()
        .filter(|&i| s.events[i as usize].project as usize == p)
        .take(limit)
        .collect();
    let items: Vec<Value> = page
        .iter()
        .map(|&i| {
            let mut v = event_json(s, i, EventForm::GlitchtipLight);
            if let Some(o) = v.as_object_mut() {
                for (from, to) in [
                    ("event_id", "eventID"),
                    ("date_created", "dateCreated"),
                    ("date_received", "dateReceived"),
                ] {
                    if let Some(x) = o.remove(from) {
                        o.insert(to.into(), x);
                    }
                }
                let e = &s.events[i as usize];
                o.insert(
                    "groupID".into(),
                    json!(s.issues[e.issue as usize].id.to_string()),
                );
                o.insert("projectID".into(), json!(s.projects[p].id));
            }
            v
        })
        .collect();
    Resp::json(200, &json!(items))
}

fn project_event(s: &Store, proj: &str, id: &str) -> Resp {
    let Some(p) = s.project_index(proj) else {
        return not_found();
    };
    let Some(eid) = parse_hex128(id) else {
        return not_found();
    };
    if let Some(&i) = s.event_index.get(&eid) {
        if s.events[i as usize].project as usize == p {
            return Resp::json(200, &event_json(s, i, EventForm::Full));
        }
    }
    if let Some(&i) = s.txn_index.get(&eid) {
        if s.txns[i as usize].project as usize == p {
            return Resp::json(200, &crate::render::txn_event_json(s, i));
        }
    }
    not_found()
}

fn releases(app: &App, s: &Store, req: &Req) -> Resp {
    let projects = project_filter(s, req);
    let mut list: Vec<usize> = (0..s.releases.len())
        .filter(|&i| {
            projects
                .as_ref()
                .is_none_or(|p| p.contains(&(s.releases[i].project as u8)))
        })
        .collect();
    list.sort_by(|a, b| s.releases[*b].deployed.total_cmp(&s.releases[*a].deployed));
    let limit = req
        .param("per_page")
        .and_then(|v| v.parse().ok())
        .unwrap_or(25usize)
        .clamp(1, 100);
    let offset = cursor_offset(req);
    let page: Vec<Value> = list
        .iter()
        .skip(offset)
        .take(limit)
        .map(|&i| {
            let r = &s.releases[i];
            let p = &s.projects[r.project];
            let (package, short) = r.version.split_once('@').unwrap_or(("", &r.version));
            let mut parts = short.split('.').map(|x| x.parse::<u64>().unwrap_or(0));
            let (major, minor, patch) = (
                parts.next().unwrap_or(0),
                parts.next().unwrap_or(0),
                parts.next().unwrap_or(0),
            );
            json!({
                "id": i + 1, "version": r.version, "shortVersion": short,
                "versionInfo": {
                    "package": if package.is_empty() { Value::Null } else { json!(package) },
                    "version": {"raw": short, "major": major, "minor": minor, "patch": patch, "pre": null, "buildCode": null, "components": 3},
                    "description": short, "buildHash": null,
                },
                "ref": null, "url": null, "dateCreated": iso(r.created), "dateReleased": iso(r.deployed),
                "data": {}, "newGroups": 0, "owner": null, "commitCount": 12, "lastCommit": null, "deployCount": 1, "authors": [],
                "projects": [{"id": p.id, "slug": p.slug, "name": p.name, "newGroups": 0, "platform": p.platform, "platforms": [p.platform], "hasHealthData": false}],
                "lastDeploy": {"id": format!("{}", i + 1), "environment": "production", "dateStarted": iso(r.deployed - 300.0), "dateFinished": iso(r.deployed), "name": format!("deploy {} to production", r.version), "url": null},
                "firstEvent": null, "lastEvent": null, "currentProjectMeta": {}, "userAgent": null, "status": "open",
            })
        })
        .collect();
    paged(
        app,
        req,
        Resp::json(200, &json!(page)),
        offset,
        limit,
        list.len(),
    )
}
