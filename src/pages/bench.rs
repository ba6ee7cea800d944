//! `/_bench/chart?servers=200&buckets=1440`: the chart fed with a synthetic fleet, for
//! `cargo xtask bench` (the browser's `lookout:chart-data` and `lookout:chart-draw` measures).
//!
//! `/_bench/chart?answers=1`: the same chart from the configured source's real answers — its
//! server list and every `events-stats` batch of the last 24 hours at one-minute buckets (1,440)
//! — fetched first, then parsed, merged and turned into chart data under one measure,
//! `lookout:chart-answers` (what a refresh costs once the bytes are in).
//!
//! Not linked from the app, and only in builds with the `test-hooks` feature.

use crate::api::client::Cancel;
use crate::components::chart::{ChartSpec, TimeChart};
use crate::perf::{mark, measure};
use crate::state::view::{use_page, use_param};
use leptos::prelude::*;
use lookout_core::model::StatsResponse;
use lookout_core::query::{search_in, Params};
use lookout_core::series::{chart_data, sorted_indices, synthetic, SeriesSet, SortKey};
use std::sync::Arc;

fn spec_of(set: SeriesSet) -> Option<Arc<ChartSpec>> {
    let n = set.buckets.len();
    if n < 2 {
        return None;
    }
    let order = sorted_indices(&set, SortKey::Total);
    let window = (set.buckets[0], set.buckets[n - 1] + set.interval);
    Some(Arc::new(ChartSpec {
        order,
        stacked: true,
        releases: Vec::new(),
        window,
        counts: true,
        set,
    }))
}

#[component]
pub fn ChartBench() -> impl IntoView {
    let servers = use_param("servers");
    let buckets = use_param("buckets");
    let answers = use_param("answers");
    let from_answers = RwSignal::new(None::<Arc<ChartSpec>>);
    if answers.get_untracked().is_some() {
        let ctx = use_page();
        Effect::new(move |_| {
            let Some(api) = ctx.api.get() else { return };
            leptos::task::spawn_local(async move {
                if let Some(s) = from_server(&api).await {
                    from_answers.set(spec_of(s));
                }
            });
        });
    }
    let spec = Memo::new(move |_| {
        if answers.get().is_some() {
            return from_answers.get();
        }
        let s = servers
            .get()
            .and_then(|v| v.parse().ok())
            .unwrap_or(200usize)
            .clamp(1, 500);
        let b = buckets
            .get()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1440usize)
            .clamp(2, 5000);
        spec_of(synthetic(s, b, 42))
    });
    view! { <main><TimeChart spec=spec height=400.0 testid="bench-chart" /></main> }
}

/// Fetches the source's answers as text, then parses, merges and makes chart data of them under
/// the `lookout:chart-answers` measure.
async fn from_server(api: &crate::api::client::Api) -> Option<SeriesSet> {
    let cancel = Cancel::new();
    let path = format!("organizations/{}/", api.org);
    let list = Params::new()
        .push("dataset", "errors")
        .push("field", "server_name")
        .push("field", "count()")
        .push("sort", "-count()")
        .push("per_page", "100")
        .push("statsPeriod", "24h");
    let mut names: Vec<String> = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..10 {
        let (page, text) = api
            .get_text(
                &format!("{path}events/"),
                &list.clone().push_opt("cursor", cursor.clone()),
                &cancel,
            )
            .await
            .ok()?;
        let v: serde_json::Value = serde_json::from_str(&text).ok()?;
        names.extend(
            v["data"]
                .as_array()?
                .iter()
                .filter_map(|r| r["server_name"].as_str())
                .filter(|n| !n.is_empty())
                .map(str::to_owned),
        );
        match page.paging.next_cursor() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    let base = Params::new()
        .push("dataset", "errors")
        .push("yAxis", "count()")
        .push("field", "server_name")
        .push("field", "count()")
        .push("topEvents", "10")
        .push("sort", "-count()")
        .push("interval", "1m")
        .push("partial", "1")
        .push("statsPeriod", "24h");
    let mut bodies = Vec::new();
    for chunk in names.chunks(10) {
        let p = base.clone().push("query", search_in("server_name", chunk));
        let (_, text) = api
            .get_text(&format!("{path}events-stats/"), &p, &cancel)
            .await
            .ok()?;
        bodies.push(text);
    }
    mark("lookout:answers-in");
    let parsed: Vec<StatsResponse> = bodies
        .iter()
        .filter_map(|b| StatsResponse::parse(b).ok())
        .collect();
    let set = SeriesSet::from_batches(&parsed);
    let order = sorted_indices(&set, SortKey::Total);
    let data = chart_data(&set, &order, 1340);
    measure("lookout:chart-answers", "lookout:answers-in");
    // Published for the benchmark's table: how many servers and buckets the answers held.
    if let Some(w) = web_sys::window() {
        let _ = js_sys::Reflect::set(
            &w,
            &"__lookoutBenchAnswers".into(),
            &format!(
                "{} {} {}",
                set.series.len(),
                set.buckets.len(),
                data.layers.len()
            )
            .into(),
        );
    }
    Some(set)
}
