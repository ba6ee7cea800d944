//! `/_bench/chart?servers=200&buckets=1440`: the chart fed with a synthetic fleet, for
//! `cargo xtask bench` (the browser's `lookout:chart-data` and `lookout:chart-draw` measures).
//! Not linked from the app, and only in builds with the `test-hooks` feature.

use crate::components::chart::{ChartSpec, TimeChart};
use crate::state::view::use_param;
use leptos::prelude::*;
use lookout_core::series::{sorted_indices, synthetic, SortKey};
use std::sync::Arc;

#[component]
pub fn ChartBench() -> impl IntoView {
    let servers = use_param("servers");
    let buckets = use_param("buckets");
    let spec = Memo::new(move |_| {
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
        let set = synthetic(s, b, 42);
        let order = sorted_indices(&set, SortKey::Total);
        let window = (set.buckets[0], set.buckets[b - 1] + set.interval);
        Some(Arc::new(ChartSpec {
            order,
            stacked: true,
            releases: Vec::new(),
            window,
            counts: true,
            set,
        }))
    });
    view! { <main><TimeChart spec=spec height=400.0 testid="bench-chart" /></main> }
}
