//! The organization, its projects and environments (what a source is, asked once).

use super::client::{follow_pages, Api, Cancel};
use lookout_core::model::*;
use lookout_core::query::Params;
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
    let path = format!("organizations/{}/projects/", api.org);
    follow_pages(10, |cursor| {
        let params = Params::new()
            .push("per_page", "100")
            .push_opt("cursor", cursor);
        let path = &path;
        async move { api.get_retry(path, &params, cancel).await }
    })
    .await
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
