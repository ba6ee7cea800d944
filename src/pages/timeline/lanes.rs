//! The timeline's lanes: a canvas of every event on its server's lane (or its group's, on a
//! wall with more servers than legible lanes), drag to zoom, hover to name, click to open.

use crate::api::timeline::TimelineData;
use crate::charts::canvas::{self, color_of, Rgb};
use crate::components::dom::{h, Mount};
use crate::i18n::{t, tf, Msg};
use crate::state::view::{scoped_href, ViewScope};
use leptos::html::Canvas;
use leptos::prelude::*;
use lookout_core::overview::group_label;
use lookout_core::query::percent_encode;
use lookout_core::timeline::{lanes, nearest, spreads};
use std::collections::HashMap;
use std::sync::Arc;

/// A visual row: a group's heading, a server's lane, or (on a wall with more servers than
/// legible lanes) one lane for a whole group's servers.
#[derive(Clone, PartialEq)]
enum Row {
    Group(String),
    Lane(String),
    Merged(String, Vec<String>),
}

/// The most rows a wall's timeline draws one per server: its lane labels must stay 2.2 % of the
/// screen's height tall (the wall's rule), and the legend needs a third of the screen. A fleet
/// with more gets a lane per group (cloud · region or configured group); the hover and the
/// legend still name each event's server.
const WALL_ROWS: usize = 18;

/// A timeline's data made ready to draw (see `Timeline`).
struct Prep {
    lane_of: HashMap<String, usize>,
    /// The visual row of each lane.
    lane_rows: Vec<usize>,
    lane: Vec<Option<usize>>,
    runs: Vec<(Rgb, Vec<usize>)>,
    firsts: Vec<(usize, Rgb)>,
}

/// Compared by identity: a new answer is a new preparation.
#[derive(Clone)]
struct Prepared(Arc<Prep>);

impl PartialEq for Prepared {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// What is drawn, kept for clicks.
#[derive(Default)]
struct Drawn {
    lane_of: HashMap<String, usize>,
    row_h: f64,
    lane_top: Vec<f64>,
    width: f64,
}

pub(super) fn issue_color(issue: &str) -> Rgb {
    color_of(issue)
}

pub(super) fn issue_href(scope: &ViewScope, issue: &str, event: &str) -> String {
    scoped_href(
        &crate::href(&format!("/issues/{}", percent_encode(issue))),
        scope,
        &[("event", event.to_owned())],
    )
}

/// The lanes and marks of a timeline. `fill`: rows as tall as the screen allows (the wall).
#[component]
pub fn Timeline(
    #[prop(into)] data: Signal<Option<Arc<TimelineData>>>,
    #[prop(into)] scope: Signal<ViewScope>,
    #[prop(optional)] fill: bool,
    /// Zooms to the dragged span (epoch seconds); none: no brushing.
    #[prop(optional)]
    on_zoom: Option<Callback<(i64, i64)>>,
) -> impl IntoView {
    let app = crate::state::app::use_app();
    let canvas_ref = NodeRef::<Canvas>::new();
    let width = RwSignal::new(0.0);
    let drawn: StoredValue<Drawn, LocalStorage> = StoredValue::new_local(Drawn::default());
    let brush = RwSignal::new(None::<(f64, f64)>);
    let hover = RwSignal::new(None::<(f64, f64, String)>);
    let resize = window_event_listener(leptos::ev::resize, move |_| {
        if let Some(c) = canvas_ref.get_untracked() {
            width.set(canvas::parent_width(&c));
        }
    });
    on_cleanup(move || resize.remove());
    let rows = Memo::new(move |_| {
        let cfg = app.config.get();
        data.with(|d| {
            let Some(d) = d else { return Vec::new() };
            let groups = lanes(&d.marks, |s| group_label(s, &cfg, &d.places));
            let per_server = groups.len() + groups.iter().map(|g| g.servers.len()).sum::<usize>();
            if fill && per_server > WALL_ROWS {
                return groups
                    .into_iter()
                    .map(|g| Row::Merged(g.label, g.servers))
                    .collect();
            }
            let mut out = Vec::new();
            for g in groups {
                out.push(Row::Group(g.label));
                out.extend(g.servers.into_iter().map(Row::Lane));
            }
            out
        })
    });
    // What a redraw needs from the data, worked out once per answer: each mark's lane, the marks
    // by colour (one fill style per issue), and each issue's first mark per server.
    let prepared = Memo::new(move |_| {
        let rows = rows.get();
        data.with(|d| {
            let d = d.as_ref()?;
            crate::perf::mark("lookout:timeline-prepare-start");
            let mut lane_of: HashMap<String, usize> = HashMap::new();
            let mut lane_rows = Vec::new();
            for (i, r) in rows.iter().enumerate() {
                match r {
                    Row::Lane(s) => {
                        lane_of.insert(s.clone(), lane_rows.len());
                        lane_rows.push(i);
                    }
                    Row::Merged(_, servers) => {
                        for s in servers {
                            lane_of.insert(s.clone(), lane_rows.len());
                        }
                        lane_rows.push(i);
                    }
                    Row::Group(_) => {}
                }
            }
            let lane: Vec<Option<usize>> = d
                .marks
                .iter()
                .map(|m| lane_of.get(&m.server).copied())
                .collect();
            let mut by_issue: HashMap<&str, usize> = HashMap::new();
            let mut runs: Vec<(Rgb, Vec<usize>)> = Vec::new();
            for (i, m) in d.marks.iter().enumerate() {
                let k = *by_issue.entry(m.issue.as_str()).or_insert_with(|| {
                    runs.push((issue_color(&m.issue), Vec::new()));
                    runs.len() - 1
                });
                runs[k].1.push(i);
            }
            let mut firsts: Vec<(usize, Rgb)> = Vec::new();
            let index: HashMap<&str, usize> = d
                .marks
                .iter()
                .enumerate()
                .map(|(i, m)| (m.event.as_str(), i))
                .collect();
            for s in spreads(&d.marks) {
                let c = issue_color(&s.issue);
                firsts.extend(
                    s.reached
                        .iter()
                        .filter_map(|r| Some((*index.get(r.2.as_str())?, c))),
                );
            }
            crate::perf::measure("lookout:timeline-prepare", "lookout:timeline-prepare-start");
            Some(Prepared(Arc::new(Prep {
                lane_of,
                lane_rows,
                lane,
                runs,
                firsts,
            })))
        })
    });
    let row_h = RwSignal::new(16.0);
    Effect::new(move |_| {
        let Some(c) = canvas_ref.get() else { return };
        let rows = rows.get();
        let Some(d) = data.get() else { return };
        // Measured once there is something to draw: reading the width forces a layout, and on
        // mount the rest of the page is still being built (a layout per chart, ~30 ms on `/`).
        if width.get_untracked() == 0.0 {
            width.set(canvas::parent_width(&c));
        }
        let w = width.get();
        let font = c
            .parent_element()
            .and_then(|p| canvas::font_px(&p))
            .unwrap_or(12.0);
        let axis_h = font * 2.8 + 8.0;
        let rh = if fill {
            // Fill the screen below the timeline's top, leaving the axis, the legend (a third
            // of the screen) and the key line their room.
            let top = c.get_bounding_client_rect().top();
            let vh = web_sys::window()
                .and_then(|w| w.inner_height().ok()?.as_f64())
                .unwrap_or(800.0);
            ((vh * 0.66 - top - axis_h) / rows.len().max(1) as f64)
                .clamp(10.0, 64.0)
                .floor()
        } else {
            16.0
        };
        row_h.set(rh);
        let Some(p) = prepared.get() else { return };
        let p = &p.0;
        let lane_top: Vec<f64> = p.lane_rows.iter().map(|r| *r as f64 * rh).collect();
        let height = rows.len() as f64 * rh + axis_h;
        let dpr = canvas::fit(&c, w, height);
        crate::perf::mark("lookout:timeline-start");
        crate::charts::timeline::draw(
            &c,
            dpr,
            w,
            &crate::charts::timeline::TimelineChart {
                marks: &d.marks,
                lane: &p.lane,
                runs: &p.runs,
                firsts: &p.firsts,
                lane_top: &lane_top,
                row_h: rh,
                window: (d.window.0 * 1000, d.window.1 * 1000),
                releases: &d.releases,
                axis_h,
                font_px: font,
                theme: canvas::theme(),
            },
        );
        crate::perf::measure("lookout:timeline-draw", "lookout:timeline-start");
        drawn.set_value(Drawn {
            lane_of: p.lane_of.clone(),
            row_h: rh,
            lane_top,
            width: w,
        });
    });
    // Pointer → (time in ms, lane).
    let at = move |x: f64, y: f64| -> Option<(i64, Option<usize>, f64)> {
        let d = data.get_untracked()?;
        drawn.with_value(|dr| {
            if dr.width <= 0.0 {
                return None;
            }
            let (a, b) = (d.window.0 as f64 * 1000.0, d.window.1 as f64 * 1000.0);
            let t = a + (x / dr.width).clamp(0.0, 1.0) * (b - a);
            let lane = dr
                .lane_top
                .iter()
                .position(|top| y >= *top && y < top + dr.row_h);
            Some((t as i64, lane, (b - a) / dr.width))
        })
    };
    let on_down = move |ev: leptos::ev::MouseEvent| {
        if on_zoom.is_some() {
            let x = f64::from(ev.offset_x());
            brush.set(Some((x, x)));
        }
    };
    let on_move = move |ev: leptos::ev::MouseEvent| {
        let (x, y) = (f64::from(ev.offset_x()), f64::from(ev.offset_y()));
        brush.update(|b| {
            if let Some(b) = b {
                b.1 = x;
            }
        });
        let tip = at(x, y).and_then(|(t, lane, ms_per_px)| {
            let lane = lane?;
            let d = data.get_untracked()?;
            let i = drawn.with_value(|dr| {
                nearest(&d.marks, &dr.lane_of, t, lane, (ms_per_px * 5.0) as i64)
            })?;
            let m = &d.marks[i];
            let title = d.issues.get(&m.issue).map(|x| x.0.as_str()).unwrap_or("");
            let when = chrono::DateTime::from_timestamp_millis(m.t)
                .map(|t| lookout_core::format::date_time(t, &chrono::Local))
                .unwrap_or_default();
            Some((
                x,
                y,
                format!(
                    "{when} · {}\n{}",
                    lookout_core::text::clip_display(&m.server, 60),
                    lookout_core::text::clip_display(title, 120)
                ),
            ))
        });
        hover.set(tip);
    };
    let navigate = StoredValue::new_local(leptos_router::hooks::use_navigate());
    let on_up = move |ev: leptos::ev::MouseEvent| {
        let (x, y) = (f64::from(ev.offset_x()), f64::from(ev.offset_y()));
        let b = brush.get_untracked();
        brush.set(None);
        if let (Some((x0, _)), Some(cb)) = (b, on_zoom) {
            if (x - x0).abs() > 6.0 {
                if let (Some((a, ..)), Some((z, ..))) = (at(x0.min(x), 0.0), at(x0.max(x), 0.0)) {
                    cb.run((a / 1000, z / 1000));
                }
                return;
            }
        }
        // A click: the event under the pointer.
        let Some((t, Some(lane), ms_per_px)) = at(x, y) else {
            return;
        };
        let Some(d) = data.get_untracked() else {
            return;
        };
        let hit = drawn
            .with_value(|dr| nearest(&d.marks, &dr.lane_of, t, lane, (ms_per_px * 5.0) as i64));
        if let Some(i) = hit {
            let m = &d.marks[i];
            let href = issue_href(&scope.get_untracked(), &m.issue, &m.event);
            navigate.with_value(|n| n(&href, Default::default()));
        }
    };
    let labels = move || {
        let rh = row_h.get();
        rows.get()
            .into_iter()
            .map(|r| match r {
                Row::Group(g) => h("div")
                    .class("tl-group")
                    .attr("style", format!("height:{rh}px"))
                    .cut_titled(if g.is_empty() { "—" } else { &g }, 40),
                Row::Lane(s) => h("div")
                    .class("tl-lane")
                    .testid("timeline-lane")
                    .attr("data-name", s.clone())
                    .attr("style", format!("height:{rh}px"))
                    .cut_titled(if s.is_empty() { t(Msg::NoServer) } else { &s }, 40),
                Row::Merged(g, servers) => {
                    let label = if g.is_empty() {
                        t(Msg::NoServer).to_owned()
                    } else {
                        tf(Msg::LaneServers, &[&g, &servers.len().to_string()])
                    };
                    h("div")
                        .class("tl-lane")
                        .testid("timeline-group-lane")
                        .attr("data-name", g.clone())
                        .attr("data-servers", servers.len().to_string())
                        .attr("style", format!("height:{rh}px"))
                        .cut_titled(&label, 60)
                }
            })
            .collect()
    };
    // The brush being dragged and the tooltip of the mark under the pointer.
    let overlay = move || {
        let mut out = Vec::new();
        if let Some((a, b)) = brush.get().filter(|b| (b.1 - b.0).abs() > 2.0) {
            out.push(h("div").class("tl-brush").attr(
                "style",
                format!("left:{}px;width:{}px", a.min(b), (b - a).abs()),
            ));
        }
        if let Some((x, y, text)) = hover.get() {
            out.push(
                h("div")
                    .class("tip")
                    .attr("style", format!("left:{}px;top:{}px", x + 12.0, y + 12.0))
                    .text(text),
            );
        }
        out
    };
    view! {
        <div class=if fill { "timeline fill" } else { "timeline" } data-testid="timeline" style:--tl-font=move || format!("{}px", (row_h.get() * 0.8).floor())>
            <Mount class="tl-labels" render=Box::new(labels) />
            <div class="tl-plot">
                <canvas node_ref=canvas_ref on:mousedown=on_down on:mousemove=on_move on:mouseup=on_up
                    on:mouseleave=move |_| { brush.set(None); hover.set(None); }
                    role="img" aria-label=t(Msg::TimelineTitle) />
                <Mount render=Box::new(overlay) />
            </div>
        </div>
    }
}
