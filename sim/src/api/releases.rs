//! Releases with their deploys.

use crate::api::filters::project_filter;
use crate::api::paging::{paginate, per_page};
use crate::app::App;
use crate::http::Req;
use crate::http::Resp;
use crate::store::Store;
use crate::time::iso;
use serde_json::{json, Value};

pub fn releases(app: &App, s: &Store, req: &Req) -> Resp {
    let projects = project_filter(s, req);
    let mut list: Vec<usize> = (0..s.releases.len())
        .filter(|&i| {
            projects
                .as_ref()
                .is_none_or(|p| p.contains(&(s.releases[i].project as u8)))
        })
        .collect();
    list.sort_by(|a, b| s.releases[*b].deployed.total_cmp(&s.releases[*a].deployed));
    let page = paginate(req, &list, per_page(req, 25));
    let rows: Vec<Value> = page
        .items
        .iter()
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
    page.answer(app, req, &json!(rows))
}
