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

/// What the pointer is on: the column's time and values, and the stacked band under it.
#[derive(Clone)]
struct Hover {
    x: f64,
    label: String,
    rows: Vec<(String, f64)>,
    /// (its label, its value in the column, the series' name; `None` for the remainder).
    band: Option<(String, f64, Option<String>)>,
    start: i64,
    secs: i64,
}

/// A name at the chart's right edge (see `lookout_core::series::edge_labels`).
#[derive(Clone, PartialEq)]
struct Edge {
    /// What it says: a server's name, or "N other servers".
    text: String,
    /// The series' name (`None` for the others).
    series: Option<String>,
    servers: usize,
    total: f64,
    recent: f64,
    color: String,
    /// Its middle, in CSS pixels from the top of the chart.
    y: f64,
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
    /// Clicking a band of a stacked chart calls this with its series' name (instead of zooming).
    #[prop(optional)]
    on_band: Option<Callback<String>>,
    /// Names the servers with the most events right now at the right edge (up to this many; the
    /// rest summed into one label). 0: none.
    #[prop(default = 0)]
    edge_labels: usize,
) -> impl IntoView {
    let canvas_ref = NodeRef::<Canvas>::new();
    let edges = RwSignal::new((Vec::<Edge>::new(), None::<i64>));
    let width = RwSignal::new(0.0);
    let drawn: StoredValue<Option<Drawn>, LocalStorage> = StoredValue::new_local(None);
    let hover = RwSignal::new(None::<Hover>);
    let error = RwSignal::new(None::<String>);
    let resize = window_event_listener(leptos::ev::resize, move |_| {
        if let Some(c) = canvas_ref.get_untracked() {
            width.set(canvas::parent_width(&c));
        }
    });
    on_cleanup(move || resize.remove());
    Effect::new(move |_| {
        let Some(c) = canvas_ref.get() else { return };
        let Some(spec) = spec.get() else { return };
        // Measured once there is something to draw: reading the width forces a layout, and on
        // mount the rest of the page is still being built (a layout per chart, ~30 ms on `/`).
        if width.get_untracked() == 0.0 {
            width.set(canvas::parent_width(&c));
        }
        let w = width.get();
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
                text_px: canvas::font_px(&c).unwrap_or(12.0),
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
                if edge_labels > 0 {
                    edges.set(edge_view(
                        &spec,
                        &data,
                        &area,
                        edge_labels,
                        c.parent_element(),
                    ));
                }
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
    // The stacked band at height `y` of column `i`: the layer whose span holds the value there.
    let band_at = move |i: usize, y: f64| -> Option<(String, f64, Option<String>)> {
        let spec = spec.get_untracked()?;
        if !spec.stacked {
            return None;
        }
        drawn.with_value(|d| {
            let d = d.as_ref()?;
            let (top, bottom) = (d.area.top, d.area.bottom);
            if y < top || y > bottom || bottom <= top {
                return None;
            }
            let v = ((bottom - y) / (bottom - top) * d.area.y_max) as f32;
            let l = (0..d.data.layers.len()).find(|&l| {
                let t = d.data.tops[l].get(i).copied().unwrap_or(0.0);
                let n = d.data.values[l].get(i).copied().unwrap_or(0.0);
                n > 0.0 && v <= t && v >= t - n
            })?;
            let series = d.data.layers[l].map(|s| spec.set.series[s].name.clone());
            Some((d.names[l].clone(), f64::from(d.data.values[l][i]), series))
        })
    };
    let on_move = move |ev: leptos::ev::MouseEvent| {
        let x = f64::from(ev.offset_x());
        let y = f64::from(ev.offset_y());
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
            Some(Hover {
                x,
                label,
                rows,
                band: None,
                start,
                secs: d.data.column_secs,
            })
        });
        hover.set(info.map(|h| Hover {
            band: band_at(i, y),
            ..h
        }));
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some((i, _)) = column_at(f64::from(ev.offset_x())) else {
            return;
        };
        // On a server's band: that server's issues. Elsewhere: zoom into the column.
        if let (Some(cb), Some((_, _, Some(name)))) =
            (on_band, band_at(i, f64::from(ev.offset_y())))
        {
            cb.run(name);
            return;
        }
        let Some(cb) = on_zoom else { return };
        let span = drawn.with_value(|d| {
            d.as_ref()
                .and_then(|d| d.data.columns.get(i).map(|s| (*s, *s + d.data.column_secs)))
        });
        if let Some(s) = span {
            cb.run(s);
        }
    };
    view! {
        <div class={if edge_labels > 0 { "chart labelled" } else { "chart" }} data-testid=testid data-since=move || edges.with(|e| e.1.map(|s| s.to_string())) data-total=move || spec.with(|s| s.as_ref().map(|s| s.set.grand_total().to_string()))
            data-releases=move || spec.with(|s| s.as_ref().map(|s| s.releases.iter().map(|(t, v)| format!("{t} {v}")).collect::<Vec<_>>().join("\n")))>
            <div class="plot">
            <canvas node_ref=canvas_ref on:mousemove=on_move on:mouseleave=move |_| hover.set(None) on:click=on_click
                role="img" aria-label=t(Msg::EventsOverTime) title=move || on_zoom.map(|_| t(Msg::ZoomHint)).unwrap_or_default() />
            {move || hover.get().map(|Hover { x, label, rows, band, start, secs }| {
                let more = rows.len().saturating_sub(12);
                view! {
                    <div class="tip" style:left=format!("{}px", x + 12.0) data-testid="chart-tip" data-start=start data-secs=secs>
                        <div class="tip-time">{label}</div>
                        {band.map(|(n, v, series)| view! {
                            <div class="tip-band" data-testid="chart-band" data-name=series>
                                <span class="sw" style:background=crate::charts::canvas::hex(color_of(&n))></span>
                                <b class="tip-name">{lookout_core::text::clip_display(&n, 60)}</b><b>{lookout_core::format::compact_count(v)}</b>
                            </div>
                        })}
                        {rows.into_iter().take(12).map(|(n, v)| view! {
                            <div class="tip-row"><span class="sw" style:background=crate::charts::canvas::hex(color_of(&n))></span>
                            <span class="tip-name">{lookout_core::text::clip_display(&n, 60)}</span><b>{lookout_core::format::compact_count(v)}</b></div>
                        }).collect_view()}
                        {(more > 0).then(|| view! { <div class="muted">{crate::i18n::tf(Msg::ShowMore, &[&more.to_string()])}</div> })}
                    </div>
                }
            })}
            </div>
            {(edge_labels > 0).then(|| view! {
                <crate::components::dom::Mount class="edge-labels" testid="edge-labels" render=Box::new(move || edges.with(|e| e.0.iter().map(edge_item).collect())) />
            })}
            {move || error.get().map(|e| view! { <div class="error">{e}</div> })}
        </div>
    }
}

/// The right-edge labels of a drawn chart, spread so none overlaps the next.
fn edge_view(
    spec: &ChartSpec,
    data: &ChartData,
    area: &PlotArea,
    k: usize,
    plot: Option<web_sys::Element>,
) -> (Vec<Edge>, Option<i64>) {
    // One label per line of the list's text; no more than fit beside the plot.
    let font = plot.and_then(|p| canvas::font_px(&p)).unwrap_or(16.0);
    let gap = font * 1.3;
    let room = ((area.bottom - area.top) / gap).floor() as usize;
    let (labels, since) = lookout_core::series::edge_labels(
        &spec.set,
        data,
        spec.stacked,
        k.min(room.saturating_sub(1)),
    );
    let y_of =
        |v: f32| area.bottom - f64::from(v) / area.y_max.max(1e-9) * (area.bottom - area.top);
    let targets: Vec<f64> = labels.iter().map(|l| y_of(l.at)).collect();
    let ys =
        lookout_core::series::spread(&targets, gap, area.top + gap / 2.0, area.bottom + gap / 2.0);
    let edges = labels
        .iter()
        .zip(ys)
        .map(|(l, y)| {
            let series = l.layer.and_then(|i| data.layers[i]);
            let (text, color) = match series {
                Some(s) => {
                    let name = spec.set.series[s].label();
                    let c = color_of(&name);
                    (name, c)
                }
                None => (
                    crate::i18n::tf(Msg::OtherServers, &[&l.servers.to_string()]),
                    REMAINDER,
                ),
            };
            Edge {
                text,
                series: series.map(|s| spec.set.series[s].name.clone()),
                servers: l.servers,
                total: l.total,
                recent: l.recent,
                color: canvas::hex(color),
                y,
            }
        })
        .collect();
    (edges, since)
}

fn edge_item(e: &Edge) -> crate::components::dom::H {
    use crate::components::dom::h;
    let li = h("div")
        .class("edge-label")
        .testid("edge-label")
        .attr("style", format!("top:{:.1}px", e.y))
        .attr("data-total", e.total.to_string())
        .attr("data-recent", e.recent.to_string())
        .child(
            h("span")
                .class("sw")
                .attr("style", format!("background:{}", e.color)),
        );
    let li = match &e.series {
        Some(name) => li.attr("data-name", name.clone()),
        None => li.attr("data-others", e.servers.to_string()),
    };
    li.child(h("span").class("name").cut_titled(&e.text, 40))
        .child(h("b").text(lookout_core::format::grouped_count(e.total as u64)))
}
