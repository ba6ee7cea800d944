//! The issue list, its stats and one issue's details.
//!
//! Over 400 lines because the issue JSON (list and details, both flavors) and the filters and figures behind it belong together.

use crate::api::filters::env_filter;
use crate::api::filters::issue_events_in;
use crate::api::filters::matching_events;

use crate::api::filters::project_filter;

use crate::api::filters::window;

use crate::api::paging::paginate;

use crate::api::reply::bad_request;

use crate::api::filters::find_issue;

use crate::api::tags::tag_counts;

use crate::api::tags::tag_name;

use crate::app::App;

use crate::app::Flavor;

use crate::app::ORG;

use crate::http::Req;

use crate::http::Resp;

use crate::rng::parse_hex128;

use crate::search::issue_term;

use crate::search::issue_text;

use crate::search::Search;

use crate::store::Store;

use crate::time::iso;

use crate::time::now;

use crate::time::parse_period;

use crate::time::parse_time;

use serde_json::{json, Value};

use std::collections::HashSet;

/// Figures of an issue over a set of its events.
pub struct Figures {
    count: usize,
    users: usize,
    first: Option<f64>,
    last: Option<f64>,
}

pub fn figures(s: &Store, events: &[u32]) -> Figures {
    let users: HashSet<u32> = events.iter().map(|&i| s.events[i as usize].user).collect();
    Figures {
        count: events.len(),
        users: users.len(),
        first: events.first().map(|&i| s.events[i as usize].ts),
        last: events.last().map(|&i| s.events[i as usize].ts),
    }
}

/// Hourly (or daily) counts over the last `n` buckets of `secs` each, ending at the current bucket.
pub fn bucket_counts(
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

pub fn issue_json(
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
pub enum IssueForm {
    /// The issue list's (window figures, lifetime, inbox, owners, derived data).
    List,
    /// The issue details' (all-time figures; the page adds releases, tags and activity).
    Details,
}

pub fn issue_list(app: &App, s: &Store, req: &Req) -> Resp {
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
    let page = paginate(req, &rows, limit);
    let list: Vec<Value> = page
        .items
        .iter()
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
            let all = issue_events_in(s, *i, &envs, t);
            let life = figures(s, &all);
            let f = if gt { &life } else { f };
            issue_json(app, s, *i, f, &life, stats, IssueForm::List)
        })
        .collect();
    page.answer(app, req, &json!(list))
}

pub fn issues_stats(app: &App, s: &Store, req: &Req) -> Resp {
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
            let events = issue_events_in(s, i, &envs, t);
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

pub fn issue_details(app: &App, s: &Store, req: &Req, issue: usize) -> Resp {
    let t = now();
    let envs = env_filter(req);
    let events = issue_events_in(s, issue, &envs, t);
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
