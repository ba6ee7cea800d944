//! The server × time heatmap: one row per server, grouped (cloud / region / configured groups),
//! readable with hundreds of rows. Row labels are links (drill down to the server's issues); a
//! click on the cells zooms into that time.

use crate::charts::{canvas, heatmap};
use crate::i18n::{t, Msg};
use leptos::html::Canvas;
use leptos::prelude::*;
use lookout_core::series::{heatmap as heat_rows, Merge, SeriesSet};
use std::sync::Arc;

/// What the heatmap shows.
#[derive(Clone, Debug, PartialEq)]
pub struct HeatSpec {
    pub set: SeriesSet,
    /// Groups in display order, each with its series indices in row order.
    pub groups: Vec<(String, Vec<usize>)>,
    pub window: (i64, i64),
    /// Values are durations in ms (a p95 per bucket): merged columns show their worst bucket
    /// and the legend and hover read as times; otherwise values are event counts.
    pub latency: bool,
}

impl HeatSpec {
    fn merge(&self) -> Merge {
        if self.latency {
            Merge::Max
        } else {
            Merge::Sum
        }
    }

    fn value_text(&self, v: f64) -> String {
        if self.latency {
            lookout_core::format::duration_ms(v)
        } else {
            lookout_core::format::compact_count(v)
        }
    }
}

const ROW_H: f64 = 16.0;

/// One visual row.
#[derive(Clone, PartialEq)]
enum Row {
    Group(String),
    Series(usize),
}

/// Rows, column starts, column seconds and cell intensities of the drawn heatmap.
type Layout = (Vec<Row>, Vec<i64>, i64, Vec<Vec<f32>>);

/// The heatmap. `href_of` gives a series' drill-down link.
#[component]
pub fn Heatmap(
    #[prop(into)] spec: Signal<Option<Arc<HeatSpec>>>,
    href_of: Callback<String, String>,
    #[prop(optional)] on_zoom: Option<Callback<(i64, i64)>>,
    /// Rows as tall as the screen allows (the wall), instead of the page's compact rows.
    #[prop(optional)]
    fill: bool,
) -> impl IntoView {
    let canvas_ref = NodeRef::<Canvas>::new();
    let legend_ref = NodeRef::<Canvas>::new();
    let row_h = RwSignal::new(ROW_H);
    // (the scale's bottom and top, seconds per cell), for the legend.
    let scale = RwSignal::new((0f32, 0f32, 0i64));
    let latency = move || spec.with(|s| s.as_ref().is_some_and(|s| s.latency));
    let width = RwSignal::new(0.0);
    let hover = RwSignal::new(None::<(f64, f64, String)>);
    let layout: StoredValue<Layout> = StoredValue::new((Vec::new(), Vec::new(), 0, Vec::new()));
    let resize = window_event_listener(leptos::ev::resize, move |_| {
        if let Some(c) = canvas_ref.get_untracked() {
            width.set(canvas::parent_width(&c));
        }
    });
    on_cleanup(move || resize.remove());
    let rows = Memo::new(move |_| {
        spec.with(|s| {
            s.as_ref().map(|s| {
                let mut out = Vec::new();
                for (g, idx) in &s.groups {
                    if s.groups.len() > 1 || !g.is_empty() {
                        out.push(Row::Group(g.clone()));
                    }
                    out.extend(idx.iter().map(|&i| Row::Series(i)));
                }
                out
            })
        })
    });
    Effect::new(move |_| {
        let Some(c) = canvas_ref.get() else { return };
        let (Some(spec), Some(rows)) = (spec.get(), rows.get()) else {
            return;
        };
        // Measured once there is something to draw: reading the width forces a layout, and on
        // mount the rest of the page is still being built (a layout per chart, ~30 ms on `/`).
        if width.get_untracked() == 0.0 {
            width.set(canvas::parent_width(&c));
        }
        let w = width.get();
        let order: Vec<usize> = rows
            .iter()
            .filter_map(|r| {
                if let Row::Series(i) = r {
                    Some(*i)
                } else {
                    None
                }
            })
            .collect();
        let css_w = w.max(200.0);
        if fill {
            // Fill the screen below the heatmap's top (leaving room for the legend and the
            // wall's key line), rows between 16 and 64 px.
            let top = c.get_bounding_client_rect().top();
            let vh = web_sys::window()
                .and_then(|w| w.inner_height().ok()?.as_f64())
                .unwrap_or(800.0);
            // The legend and the key line are sized in vh on a wall.
            let avail = vh - top - (vh * 0.15).max(110.0);
            row_h.set(
                (avail / rows.len().max(1) as f64)
                    .clamp(ROW_H, 64.0)
                    .floor(),
            );
        }
        let rh = row_h.get_untracked();
        let (columns, heat, lo, max) = heat_rows(&spec.set, &order, css_w as usize, spec.merge());
        let mut cells: Vec<Vec<f32>> = Vec::with_capacity(rows.len());
        let mut k = 0;
        for r in &rows {
            match r {
                Row::Group(_) => cells.push(Vec::new()),
                Row::Series(_) => {
                    cells.push(heat[k].cells.clone());
                    k += 1;
                }
            }
        }
        let view_rows: Vec<Option<&[f32]>> = rows
            .iter()
            .zip(&cells)
            .map(|(r, c)| match r {
                Row::Group(_) => None,
                Row::Series(_) => Some(c.as_slice()),
            })
            .collect();
        let per = if columns.len() > 1 {
            columns[1] - columns[0]
        } else {
            spec.set.interval
        };
        let _ = heatmap::draw(&c, &view_rows, columns.len(), css_w, rh, &canvas::theme());
        if let Some(l) = legend_ref.get_untracked() {
            let ramp: Vec<f32> = (0..64).map(|i| i as f32 / 63.0).collect();
            let _ = heatmap::draw(
                &l,
                &[Some(&ramp)],
                ramp.len(),
                160.0,
                12.0,
                &canvas::theme(),
            );
        }
        scale.set((lo, max, per));
        layout.set_value((rows, columns, per, cells));
    });
    let cell_at = move |x: f64, y: f64| -> Option<(usize, usize)> {
        layout.with_value(|(rows, cols, _, _)| {
            let r = (y / row_h.get_untracked()).floor() as usize;
            let w = width.get_untracked().max(200.0);
            let c = ((x / w) * cols.len() as f64).floor() as usize;
            (r < rows.len() && c < cols.len()).then_some((r, c))
        })
    };
    let on_move = move |ev: leptos::ev::MouseEvent| {
        let (x, y) = (f64::from(ev.offset_x()), f64::from(ev.offset_y()));
        let info = cell_at(x, y).and_then(|(r, c)| {
            let s = spec.get_untracked()?;
            layout.with_value(|(rows, cols, per, _)| {
                let Row::Series(i) = rows[r] else { return None };
                let start = cols[c];
                let values = s
                    .set
                    .buckets
                    .iter()
                    .zip(&s.set.series[i].values)
                    .filter(|(b, _)| **b >= start && **b < start + per)
                    .map(|(_, v)| *v);
                let n = match s.merge() {
                    Merge::Sum => values.sum(),
                    Merge::Max => values.fold(0f64, f64::max),
                };
                let tm = chrono::DateTime::from_timestamp(start, 0)?;
                Some((
                    x,
                    y,
                    format!(
                        "{} · {} · {}",
                        s.set.series[i].label(),
                        lookout_core::format::date_time(tm, &chrono::Local),
                        s.value_text(n)
                    ),
                ))
            })
        });
        hover.set(info);
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let (Some(cb), Some((_, c))) = (
            on_zoom,
            cell_at(f64::from(ev.offset_x()), f64::from(ev.offset_y())),
        ) else {
            return;
        };
        let span = layout.with_value(|(_, cols, per, _)| cols.get(c).map(|s| (*s, *s + per)));
        if let Some(s) = span {
            cb.run(s);
        }
    };
    view! {
        <div class="heatmap" class:fill=fill data-testid="heatmap" style:--heat-row=move || format!("{}px", row_h.get())>
            <div class="heat-labels">
                {move || {
                    let s = spec.get();
                    rows.get().unwrap_or_default().into_iter().map(|r| match r {
                        Row::Group(g) => view! { <div class="heat-group">{lookout_core::text::clip_display(&g, 40)}</div> }.into_any(),
                        Row::Series(i) => {
                            let (name, label) = s.as_ref().map(|s| (s.set.series[i].name.clone(), s.set.series[i].label())).unwrap_or_default();
                            view! {
                                <a class="heat-row" href=href_of.run(name) data-testid="heat-row" title=label.clone()>
                                    {lookout_core::text::clip_display(&label, 40)}
                                </a>
                            }.into_any()
                        }
                    }).collect_view()
                }}
            </div>
            <div class="heat-cells">
                <canvas node_ref=canvas_ref on:mousemove=on_move on:mouseleave=move |_| hover.set(None) on:click=on_click
                    role="img" aria-label=t(Msg::Heatmap) />
                {move || hover.get().map(|(x, y, text)| view! {
                    <div class="tip" style:left=format!("{}px", x + 12.0) style:top=format!("{}px", y + 12.0)>{text}</div>
                })}
            </div>
        </div>
        // The colour scale: none, then the log ramp up to the most events in one cell.
        <div class="heat-legend" data-testid="heat-legend" data-secs=move || scale.get().2.to_string()>
            <span>{move || if latency() { lookout_core::format::duration_ms(f64::from(scale.get().0)) } else { "0".into() }}</span>
            <canvas node_ref=legend_ref role="img" aria-label=t(Msg::HeatLegend) />
            <span data-testid="heat-legend-max" data-value=move || scale.get().1.to_string()>
                {move || if latency() {
                    lookout_core::format::duration_ms(f64::from(scale.get().1))
                } else {
                    lookout_core::format::compact_count(f64::from(scale.get().1.round()))
                }}
            </span>
            <span class="muted">
                {move || crate::i18n::tf(if latency() { Msg::HeatLegendP95 } else { Msg::HeatLegendPer }, &[&lookout_core::format::duration_ms(scale.get().2 as f64 * 1000.0)])}
            </span>
        </div>
    }
}
