//! Releases in a window (the chart's release markers).

use super::client::{Api, Cancel};
use super::scope::Scope;
use lookout_core::model::*;
use lookout_core::query::Params;
use lookout_core::ApiError;

type R<T> = Result<T, ApiError>;

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
