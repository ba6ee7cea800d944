//! Events: Discover's events table and events-stats (Sentry), and one event by project.

use super::client::{follow_pages, Api, Cancel, Page};
use lookout_core::model::*;
use lookout_core::query::{percent_encode, Params};
use lookout_core::ApiError;

type R<T> = Result<T, ApiError>;

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
    follow_pages(max_pages, |cursor| {
        let p = params.clone().push_opt("cursor", cursor);
        async move {
            let page = events_table(api, &p, cancel).await?;
            Ok(Page {
                data: page.data.data,
                paging: page.paging,
                hits: page.hits,
            })
        }
    })
    .await
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
