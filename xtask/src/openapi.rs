//! `cargo xtask openapi`: vendors the response schemas of the endpoints Lookout reads from Sentry's
//! published OpenAPI schema (`../shared/sentry-api/openapi-derefed.json`, getsentry/sentry-api-schema,
//! FSL-1.1-Apache-2.0) into `testdata/sentry-openapi/responses.json`, so a clean clone validates the
//! simulator against them without `../shared`.

use super::root;
use serde_json::{json, Map, Value};

/// The documented endpoints the dashboard reads (GET, answer 200). `events-stats`, the legacy
/// `events-trace` and the all-keys `tags/` are not in the published schema; their ground
/// truth is in `testdata/sentry-ground-truth/`.
pub const ENDPOINTS: &[&str] = &[
    "/api/0/organizations/",
    "/api/0/organizations/{organization_id_or_slug}/",
    "/api/0/organizations/{organization_id_or_slug}/projects/",
    "/api/0/organizations/{organization_id_or_slug}/environments/",
    "/api/0/organizations/{organization_id_or_slug}/issues/",
    "/api/0/organizations/{organization_id_or_slug}/issues/{issue_id}/",
    "/api/0/organizations/{organization_id_or_slug}/issues/{issue_id}/events/",
    "/api/0/organizations/{organization_id_or_slug}/issues/{issue_id}/events/{event_id}/",
    "/api/0/organizations/{organization_id_or_slug}/issues/{issue_id}/tags/{key}/",
    "/api/0/organizations/{organization_id_or_slug}/issues/{issue_id}/tags/{key}/values/",
    "/api/0/organizations/{organization_id_or_slug}/events/",
    "/api/0/organizations/{organization_id_or_slug}/releases/",
    "/api/0/organizations/{organization_id_or_slug}/trace/{trace_id}/",
    "/api/0/organizations/{organization_id_or_slug}/trace-meta/{trace_id}/",
    "/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/events/",
    "/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/events/{event_id}/",
];

pub fn vendor() -> Result<(), String> {
    let src = root().join("../shared/sentry-api/openapi-derefed.json");
    let text = std::fs::read_to_string(&src).map_err(|e| format!("{}: {e}", src.display()))?;
    let spec: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", src.display()))?;
    let mut endpoints = Map::new();
    for path in ENDPOINTS {
        let content =
            &spec["paths"][*path]["get"]["responses"]["200"]["content"]["application/json"];
        let schema = content
            .get("schema")
            .ok_or_else(|| format!("{path}: no 200 response schema in {}", src.display()))?;
        let examples: Map<String, Value> = content["examples"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v["value"].clone()))
                    .collect()
            })
            .unwrap_or_default();
        endpoints.insert(
            (*path).to_owned(),
            json!({"schema": schema, "examples": examples}),
        );
    }
    let out = json!({
        "source": "getsentry/sentry-api-schema, openapi-derefed.json (snapshot of 2026-08-16, references resolved), as given in ../shared/sentry-api/",
        "license": "FSL-1.1-Apache-2.0 (Functional Source License, Version 1.1, Apache 2.0 Future License), Copyright Functional Software, Inc. dba Sentry",
        "note": "Only the 200 responses of the GET endpoints Lookout reads; written by `cargo xtask openapi`.",
        "endpoints": endpoints,
    });
    let dir = root().join("testdata/sentry-openapi");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let file = dir.join("responses.json");
    let mut pretty = serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?;
    pretty.push('\n');
    std::fs::write(&file, pretty).map_err(|e| format!("{}: {e}", file.display()))?;
    eprintln!(
        "openapi: {} endpoints written to {}",
        ENDPOINTS.len(),
        file.display()
    );
    Ok(())
}
