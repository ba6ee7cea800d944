//! The server × time heatmap, rows grouped by configured group or cloud and region.

use super::Main;
use crate::components::heatmap::{HeatSpec, Heatmap};
use crate::state::app::use_app;
use crate::state::view::{issues_href, PageCtx};
use leptos::prelude::*;
use lookout_core::overview::group_label;
use lookout_core::series::{group_rows, sorted_indices, SeriesSet, SortKey};
use std::sync::Arc;

#[component]
pub fn HeatPanel(
    ctx: PageCtx,
    current: Memo<Option<(SeriesSet, SeriesSet)>>,
    main: crate::state::loader::Load<Main>,
    sort: Memo<SortKey>,
    zoom: Callback<(i64, i64)>,
) -> impl IntoView {
    let app = use_app();
    let spec = Memo::new(move |_| {
        let (cur, _) = current.get()?;
        let places = main.data.with(|d| {
            d.as_ref()
                .map(|m| m.series.places.clone())
                .unwrap_or_default()
        });
        let cfg = app.config.get();
        let order = sorted_indices(&cur, sort.get());
        let groups = group_rows(&cur, &order, |s| group_label(&s.name, &cfg, &places));
        let window = main.data.with(|d| {
            d.as_ref()
                .map_or((0, 1), |m| (m.series.start, m.series.end))
        });
        Some(Arc::new(HeatSpec {
            set: cur,
            groups,
            window,
            latency: false,
        }))
    });
    let href = Callback::new(move |name: String| {
        issues_href(&ctx.scope.get_untracked(), "server_name", &[name])
    });
    view! { <Heatmap spec=spec href_of=href on_zoom=zoom /> }
}
