//! The organization, its projects and their keys.

use crate::api::paging::{paginate, per_page};
use crate::api::reply::not_found;
use crate::app::App;
use crate::app::Flavor;
use crate::app::ORG;
use crate::http::Req;
use crate::http::Resp;
use crate::store::Store;
use crate::store::ENVS;
use crate::time::iso;
use crate::time::now;
use serde_json::{json, Value};

pub fn organizations(app: &App, s: &Store) -> Resp {
    Resp::json(200, &json!([org_json(app, s)]))
}

/// The organization as both lists and details show it. Takes the store the caller has locked:
/// locking it again here (a second read while the router holds one) deadlocks as soon as a
/// writer — the live SDK traffic — waits between the two reads.
pub fn org_json(app: &App, s: &Store) -> Value {
    if app.opts.flavor == Flavor::Glitchtip {
        return json!({
            "id": "1", "slug": ORG, "name": "Demo", "dateCreated": iso(s.created_at - 400.0 * 86_400.0),
            "status": {"id": "active", "name": "active"}, "avatar": {"avatarType": "", "avatarUuid": null},
            "isEarlyAdopter": false, "require2FA": false, "isAcceptingEvents": true,
        });
    }
    let created = s.created_at - 400.0 * 86_400.0;
    json!({
        "avatar": {"avatarType": "letter_avatar", "avatarUuid": null}, "dateCreated": iso(created),
        "features": features(app.opts.flavor), "hasAuthProvider": false, "id": "1", "isEarlyAdopter": false,
        "allowMemberInvite": true, "allowMemberProjectCreation": true, "allowSuperuserAccess": false,
        "links": {"organizationUrl": app.base_url, "regionUrl": app.base_url},
        "name": "Demo", "require2FA": false, "slug": ORG, "status": {"id": "active", "name": "active"},
    })
}

pub fn features(flavor: Flavor) -> Vec<&'static str> {
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

pub fn organization(app: &App, s: &Store) -> Resp {
    let mut o = org_json(app, s);
    if let Some(m) = o.as_object_mut() {
        m.insert("projects".into(), json!(s.projects.iter().map(|p| json!({"id": p.id.to_string(), "slug": p.slug, "name": p.name, "platform": p.platform})).collect::<Vec<_>>()));
        m.insert("isDefault".into(), json!(false));
        m.insert("defaultRole".into(), json!("member"));
        m.insert("openMembership".into(), json!(true));
    }
    Resp::json(200, &o)
}

pub fn project_json(app: &App, s: &Store, p: usize) -> Value {
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

pub fn projects(app: &App, s: &Store, req: &Req) -> Resp {
    let all: Vec<usize> = (0..s.projects.len()).collect();
    let page = paginate(req, &all, per_page(req, 100));
    let list: Vec<Value> = page
        .items
        .iter()
        .map(|&p| project_json(app, s, p))
        .collect();
    page.answer(app, req, &json!(list))
}

pub fn project_keys(app: &App, s: &Store, proj: &str) -> Resp {
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
