//! One trace: the trace endpoint, its meta, and the legacy events-trace of older servers.

use super::client::{Api, Cancel};
use crate::perf::{mark, measure};
use futures::future::join_all;
use lookout_core::model::*;
use lookout_core::query::{percent_encode, Params};
use lookout_core::waterfall::Trace;
use lookout_core::ApiError;
use std::collections::HashMap;

type R<T> = Result<T, ApiError>;

/// `GET organizations/{org}/{endpoint}/{trace id}/`.
async fn by_trace<T: lookout_core::json::FromJson>(
    api: &Api,
    endpoint: &str,
    id: &str,
    params: &Params,
    cancel: &Cancel,
) -> R<T> {
    let path = format!(
        "organizations/{}/{endpoint}/{}/",
        api.org,
        percent_encode(id)
    );
    Ok(api.get_retry(&path, params, cancel).await?.data)
}

/// The new trace format.
pub async fn trace(api: &Api, id: &str, period: &str, cancel: &Cancel) -> R<Vec<TraceNodeDto>> {
    let params = Params::new()
        .push("statsPeriod", period)
        .push("limit", "10000")
        .push("additional_attributes", "server_name");
    by_trace(api, "trace", id, &params, cancel).await
}

/// The legacy trace format.
pub async fn legacy_trace(api: &Api, id: &str, period: &str, cancel: &Cancel) -> R<LegacyTraceDto> {
    let params = Params::new()
        .push("statsPeriod", period)
        .push("limit", "10000");
    by_trace(api, "events-trace", id, &params, cancel).await
}

/// Span, error and transaction counts of a trace.
pub async fn trace_meta(api: &Api, id: &str, period: &str, cancel: &Cancel) -> R<TraceMetaDto> {
    let params = Params::new().push("statsPeriod", period);
    by_trace(api, "trace-meta", id, &params, cancel).await
}

/// The most transaction events fetched for a legacy trace's spans.
const MAX_EVENTS: usize = 100;

/// A loaded trace.
#[derive(Clone, Debug, Default)]
pub struct TraceData {
    pub trace: Trace,
    pub meta: Option<TraceMetaDto>,
    /// Nothing came back in 14 days; the answer is from 30.
    pub widened: bool,
    pub legacy: bool,
    /// The server keeps no traces (GlitchTip): nothing to draw, and that is not an error.
    pub unsupported: bool,
}

thread_local! {
    /// Where the benchmark's "layout + first render" starts: the span format's answer (so its
    /// parsing counts), or the legacy format's last transaction event.
    static FROM: std::cell::Cell<&'static str> = const { std::cell::Cell::new("lookout:trace-fetched") };
}

/// The mark the trace's "layout + first render" measure starts at (set by [`load`]).
pub fn render_start_mark() -> &'static str {
    FROM.with(std::cell::Cell::get)
}

/// A trace with its spans laid out: the span format where the server has it (widened to 30 days
/// when 14 hold nothing), else the legacy events-trace with each transaction's spans from its
/// own event (at most [`MAX_EVENTS`]); GlitchTip keeps no traces.
pub async fn load(api: Api, id: String, cancel: Cancel) -> R<TraceData> {
    if api.is_glitchtip() {
        return Ok(TraceData {
            unsupported: true,
            ..Default::default()
        });
    }
    let meta = trace_meta(&api, &id, "14d", &cancel).await.ok();
    mark("lookout:trace-start");
    if api.has_feature("trace-spans-format") {
        let mut nodes = trace(&api, &id, "14d", &cancel).await?;
        let mut widened = false;
        if nodes.is_empty() {
            nodes = trace(&api, &id, "30d", &cancel).await?;
            widened = true;
        }
        // From the moment the answer was in (the client's `lookout:response` mark, set before it
        // parses): parsing the JSON counts. Nothing else is fetched meanwhile on this page.
        mark("lookout:trace-fetched");
        let trace = Trace::from_nodes(&nodes);
        measure("lookout:trace-layout", "lookout:response");
        FROM.with(|f| f.set("lookout:response"));
        return Ok(TraceData {
            trace,
            meta,
            widened,
            legacy: false,
            unsupported: false,
        });
    }
    let mut legacy = legacy_trace(&api, &id, "14d", &cancel).await?;
    let mut widened = false;
    if legacy.transactions.is_empty() && legacy.orphan_errors.is_empty() {
        legacy = legacy_trace(&api, &id, "30d", &cancel).await?;
        widened = true;
    }
    // Spans live in each transaction's own event.
    let mut wanted: Vec<(String, String)> = Vec::new();
    let mut stack: Vec<&lookout_core::model::LegacyTransactionDto> =
        legacy.transactions.iter().collect();
    while let Some(t) = stack.pop() {
        if wanted.len() < MAX_EVENTS {
            wanted.push((t.project_slug.clone(), t.event_id.clone()));
        }
        stack.extend(t.children.iter());
    }
    let events = join_all(
        wanted
            .iter()
            .map(|(p, e)| super::events::project_event(&api, p, e, &cancel)),
    )
    .await;
    let mut by_id = HashMap::new();
    for ((_, id), e) in wanted.into_iter().zip(events) {
        if let Ok(e) = e {
            by_id.insert(id, e);
        }
    }
    mark("lookout:trace-fetched");
    let trace = Trace::from_legacy(&legacy, &by_id);
    measure("lookout:trace-layout", "lookout:trace-fetched");
    FROM.with(|f| f.set("lookout:trace-fetched"));
    Ok(TraceData {
        trace,
        meta,
        widened,
        legacy: true,
        unsupported: false,
    })
}
