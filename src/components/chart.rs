//! A time chart: plotters on a canvas, values on hover, click a time to zoom in.

use crate::charts::canvas::{self, color_of, REMAINDER};
use crate::charts::series_chart::{self, PlotArea, SeriesChart};
use crate::i18n::{t, Msg};
use crate::perf::{mark, measure};
use leptos::html::Canvas;
use leptos::prelude::*;
use lookout_core::series::{chart_data, ChartData, SeriesSet};
use std::sync::Arc;

/// What a chart shows.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartSpec {
    pub set: SeriesSet,
    /// Series order, bottom of the stack first.
    pub order: Vec<usize>,
    pub stacked: bool,
    pub releases: Vec<(i64, String)>,
    pub window: (i64, i64),
    /// Counts (true) or milliseconds (false) on the y axis.
    pub counts: bool,
}

struct Drawn {
    data: ChartData,
    area: PlotArea,
    names: Vec<String>,
}

/// The name of a chart layer.
fn layer_name(set: &SeriesSet, layer: Option<usize>) -> String {
    match layer {
        Some(i) => set.series[i].label(),
        None => t(Msg::Remainder).to_owned(),
    }
}

/// A time chart. `on_zoom` receives the clicked column's time span.
#[component]
pub fn TimeChart(
    #[prop(into)] spec: Signal<Option<Arc<ChartSpec>>>,
    #[prop(optional)] on_zoom: Option<Callback<(i64, i64)>>,
    #[prop(default = 260.0)] height: f64,
    #[prop(default = "chart")] testid: &'static str,
) -> impl IntoView {
    let canvas_ref = NodeRef::<Canvas>::new();
    let width = RwSignal::new(0.0);
    let drawn: StoredValue<Option<Drawn>, LocalStorage> = StoredValue::new_local(None);
    let hover = RwSignal::new(None::<(f64, String, Vec<(String, f64)>)>);
    let error = RwSignal::new(None::<String>);
    let resize = window_event_listener(leptos::ev::resize, move |_| {
        if let Some(c) = canvas_ref.get_untracked() {
            width.set(canvas::parent_width(&c));
        }
    });
    on_cleanup(move || resize.remove());
    Effect::new(move |_| {
        let Some(c) = canvas_ref.get() else { return };
        if width.get_untracked() == 0.0 {
            width.set(canvas::parent_width(&c));
        }
        let w = width.get();
        let Some(spec) = spec.get() else { return };
        mark("lookout:chart-start");
        // At most one value per pixel column of the plot area.
        let cols = ((w - 60.0).max(50.0)) as usize;
        let data = chart_data(&spec.set, &spec.order, cols);
        measure("lookout:chart-data", "lookout:chart-start");
        let colors: Vec<_> = data
            .layers
            .iter()
            .map(|l| l.map_or(REMAINDER, |i| color_of(&spec.set.series[i].label())))
            .collect();
        let names = data
            .layers
            .iter()
            .map(|l| layer_name(&spec.set, *l))
            .collect();
        let dpr = canvas::fit(&c, w, height);
        mark("lookout:draw-start");
        let res = series_chart::draw(
            &c,
            dpr,
            &SeriesChart {
                data: &data,
                colors: &colors,
                stacked: spec.stacked,
                window: spec.window,
                releases: &spec.releases,
                theme: canvas::theme(),
                y_format: if spec.counts {
                    series_chart::count_label
                } else {
                    series_chart::duration_label
                },
            },
        );
        measure("lookout:chart-draw", "lookout:draw-start");
        match res {
            Ok(area) => {
                error.set(None);
                drawn.set_value(Some(Drawn { data, area, names }));
            }
            Err(e) => error.set(Some(e)),
        }
    });
    let column_at = move |x: f64| -> Option<(usize, f64)> {
        drawn.with_value(|d| {
            let d = d.as_ref()?;
            let spec = spec.get_untracked()?;
            let (a, b) = (d.area.left, d.area.right);
            if x < a || x > b || d.data.columns.is_empty() {
                return None;
            }
            let tm =
                spec.window.0 as f64 + (x - a) / (b - a) * (spec.window.1 - spec.window.0) as f64;
            let i = d
                .data
                .columns
                .partition_point(|c| (*c as f64) <= tm)
                .saturating_sub(1);
            Some((i, x))
        })
    };
    let on_move = move |ev: leptos::ev::MouseEvent| {
        let x = f64::from(ev.offset_x());
        let Some((i, x)) = column_at(x) else {
            hover.set(None);
            return;
        };
        let info = drawn.with_value(|d| {
            let d = d.as_ref()?;
            let start = *d.data.columns.get(i)?;
            let tm = chrono::DateTime::from_timestamp(start, 0)?;
            let label = lookout_core::format::date_time(tm, &chrono::Local);
            let mut rows: Vec<(String, f64)> = d
                .data
                .values
                .iter()
                .zip(&d.names)
                .filter_map(|(v, n)| {
                    v.get(i)
                        .filter(|v| **v > 0.0)
                        .map(|v| (n.clone(), f64::from(*v)))
                })
                .collect();
            lookout_core::sort::sort_by(&mut rows, |a, b| b.1.total_cmp(&a.1));
            Some((x, label, rows))
        });
        hover.set(info);
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(cb) = on_zoom else { return };
        let Some((i, _)) = column_at(f64::from(ev.offset_x())) else {
            return;
        };
        let span = drawn.with_value(|d| {
            d.as_ref()
                .and_then(|d| d.data.columns.get(i).map(|s| (*s, *s + d.data.column_secs)))
        });
        if let Some(s) = span {
            cb.run(s);
        }
    };
    view! {
        <div class="chart" data-testid=testid data-total=move || spec.with(|s| s.as_ref().map(|s| s.set.grand_total().to_string()))
            data-releases=move || spec.with(|s| s.as_ref().map(|s| s.releases.iter().map(|(t, v)| format!("{t} {v}")).collect::<Vec<_>>().join("\n")))>
            <canvas node_ref=canvas_ref on:mousemove=on_move on:mouseleave=move |_| hover.set(None) on:click=on_click
                role="img" aria-label=t(Msg::EventsOverTime) title=move || on_zoom.map(|_| t(Msg::ZoomHint)).unwrap_or_default() />
            {move || hover.get().map(|(x, label, rows)| {
                let more = rows.len().saturating_sub(12);
                view! {
                    <div class="tip" style:left=format!("{}px", x + 12.0) data-testid="chart-tip">
                        <div class="tip-time">{label}</div>
                        {rows.into_iter().take(12).map(|(n, v)| view! {
                            <div class="tip-row"><span class="sw" style:background=crate::charts::canvas::hex(color_of(&n))></span>
                            <span class="tip-name">{lookout_core::text::clip_display(&n, 60)}</span><b>{lookout_core::format::compact_count(v)}</b></div>
                        }).collect_view()}
                        {(more > 0).then(|| view! { <div class="muted">{crate::i18n::tf(Msg::ShowMore, &[&more.to_string()])}</div> })}
                    </div>
                }
            })}
            {move || error.get().map(|e| view! { <div class="error">{e}</div> })}
        </div>
    }
}
