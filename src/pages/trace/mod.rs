//! `/trace/:trace_id`: every span of a distributed trace on one time axis, across services and
//! servers, with its errors. Only the visible rows are in the DOM, so 10,000 spans scroll smoothly.

mod detail;
mod rows;

use detail::detail_view;
use rows::{row_view, RowFlags};

use crate::api::trace;
use crate::api::trace::TraceData;
use crate::components::dom::{event_value, h, link, untrusted, Mount};
use crate::components::status::{load_state, mark_first_data};
use crate::i18n::{t, tf, Msg};
use crate::perf::measure;
use crate::state::view::{scoped_href, use_page, LoadOptions};
use leptos::html::Div;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use lookout_core::format::duration_ms;
use lookout_core::query::percent_encode;
use lookout_core::waterfall::row_window;
use std::collections::HashSet;

/// Row height in pixels (CSS `.wf-row`).
pub const ROW: f64 = 24.0;
/// Height of the scrolling area (CSS `.wf-scroll`).
pub const VIEWPORT: f64 = 560.0;
/// Rows kept above and below the viewport.
pub const OVERSCAN: usize = 8;
#[component]
pub fn TracePage() -> impl IntoView {
    let ctx = use_page();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("trace_id")).unwrap_or_default());
    let data = ctx.load_with(
        move || Some((ctx.meta.get()?.api.clone(), id.get())),
        |(api, id), cancel| trace::load(api, id, cancel),
        LoadOptions::once(),
    );
    let collapsed = RwSignal::new(HashSet::<usize>::new());
    let selected = RwSignal::new(None::<usize>);
    let scroll = RwSignal::new(0.0f64);
    let zoom = RwSignal::new(None::<(f64, f64)>);
    let search = RwSignal::new(String::new());
    let hit = RwSignal::new(0usize);
    let scroller = NodeRef::<Div>::new();
    let rows = Memo::new(move |_| {
        data.data.with(|d| {
            d.as_ref()
                .map(|d| d.trace.visible_rows(&collapsed.get()))
                .unwrap_or_default()
        })
    });
    let matches = Memo::new(move |_| {
        let q = search.get();
        data.data
            .with(|d| d.as_ref().map(|d| d.trace.search(&q)).unwrap_or_default())
    });
    let view_range = move || {
        zoom.get()
            .or_else(|| {
                data.data.with(|d| {
                    d.as_ref()
                        .map(|d| (d.trace.start, d.trace.end.max(d.trace.start + 1e-3)))
                })
            })
            .unwrap_or((0.0, 1.0))
    };
    // Selecting a span scrolls it into view (expanding its ancestors).
    let reveal = move |i: usize| {
        let anc = data
            .data
            .with_untracked(|d| d.as_ref().map(|d| d.trace.ancestors(i)).unwrap_or_default());
        if anc
            .iter()
            .any(|a| collapsed.with_untracked(|c| c.contains(a)))
        {
            collapsed.update(|c| {
                anc.iter().for_each(|a| {
                    c.remove(a);
                })
            });
        }
        selected.set(Some(i));
        let pos = rows.with_untracked(|r| r.iter().position(|x| *x == i));
        if let (Some(p), Some(el)) = (pos, scroller.get_untracked()) {
            let top = p as f64 * ROW;
            let cur = f64::from(el.scroll_top());
            if top < cur || top > cur + VIEWPORT - ROW {
                el.set_scroll_top((top - VIEWPORT / 3.0).max(0.0) as i32);
            }
        }
    };
    let step_hit = move |delta: i64| {
        let m = matches.get_untracked();
        if m.is_empty() {
            return;
        }
        let n = m.len() as i64;
        let next = ((hit.get_untracked() as i64 + delta) % n + n) % n;
        hit.set(next as usize);
        reveal(m[next as usize]);
    };
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        let tag = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .map(|e| e.tag_name())
            .unwrap_or_default();
        if tag == "INPUT" || tag == "SELECT" {
            if ev.key() == "Enter" && tag == "INPUT" {
                step_hit(if ev.shift_key() { -1 } else { 1 });
            }
            return;
        }
        let r = rows.get_untracked();
        let cur = selected
            .get_untracked()
            .and_then(|s| r.iter().position(|x| *x == s));
        match ev.key().as_str() {
            "ArrowDown" | "j" => {
                ev.prevent_default();
                if let Some(&n) = r.get(cur.map_or(0, |c| (c + 1).min(r.len().saturating_sub(1)))) {
                    reveal(n);
                }
            }
            "ArrowUp" | "k" => {
                ev.prevent_default();
                if let Some(&n) = r.get(cur.map_or(0, |c| c.saturating_sub(1))) {
                    reveal(n);
                }
            }
            "ArrowLeft" => {
                if let Some(s) = selected.get_untracked() {
                    collapsed.update(|c| {
                        c.insert(s);
                    });
                }
            }
            "ArrowRight" => {
                if let Some(s) = selected.get_untracked() {
                    collapsed.update(|c| {
                        c.remove(&s);
                    });
                }
            }
            "n" => step_hit(1),
            "N" => step_hit(-1),
            "/" => {
                ev.prevent_default();
                if let Some(el) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id("trace-search"))
                {
                    let _ = js_sys::Reflect::apply(
                        &js_sys::Reflect::get(&el, &"focus".into())
                            .unwrap_or_default()
                            .into(),
                        &el,
                        &js_sys::Array::new(),
                    );
                }
            }
            _ => {}
        }
    });
    on_cleanup(move || keys.remove());
    // The first painted rows: the end of "layout + first render".
    Effect::new(move |_| {
        if data.data.with(Option::is_some) && rows.with(|r| !r.is_empty()) {
            mark_first_data();
            // Up to the paint of the first rows (after the frame, not inside it).
            crate::state::progress::after_paint(Box::new(|| {
                measure("lookout:trace-render", trace::render_start_mark())
            }));
        }
    });
    let drag_from = RwSignal::new(None::<f64>);
    let ruler_frac = move |ev: &leptos::ev::MouseEvent| -> Option<f64> {
        let el: web_sys::Element = wasm_bindgen::JsCast::dyn_into(ev.current_target()?).ok()?;
        let r = el.get_bounding_client_rect();
        Some(((f64::from(ev.client_x()) - r.left()) / r.width().max(1.0)).clamp(0.0, 1.0))
    };
    view! {
        {load_state(data, |d: &TraceData| !d.unsupported && d.trace.spans.is_empty() && d.trace.orphan_errors.is_empty())}
        <Mount render=Box::new(move || {
            let Some(d) = data.data.get() else { return Vec::new() };
            let scope = ctx.scope.get();
            if d.unsupported {
                return vec![
                    h("h1").class("page-title").testid("trace-title").text(tf(Msg::TraceTitle, &[&untrusted(&id.get(), 40)])),
                    h("div").class("notice").testid("trace-unsupported").text(t(Msg::TraceGlitchtip)),
                    link(&scoped_href(&crate::href("/traces"), &scope, &[]), t(Msg::NavTraces)).testid("trace-groups-link"),
                ];
            }
            let tr = &d.trace;
            let mut head = vec![
                h("h1").class("page-title").testid("trace-title").text(tf(Msg::TraceTitle, &[&untrusted(&id.get(), 40)])),
                h("div").class("row").children(vec![
                    h("span").testid("span-count").text(tf(Msg::Spans, &[&tr.spans.len().to_string()])),
                    h("span").text(tf(Msg::ErrorsCount, &[&tr.error_count().to_string()])),
                    h("span").text(duration_ms((tr.end - tr.start) * 1000.0)),
                    h("span").class("muted small").text(if d.legacy { "events-trace" } else { "trace" }),
                ]),
            ];
            // The trace's errors first, each a jump to its span.
            let erring: Vec<(usize, &lookout_core::waterfall::SpanError, String)> = tr
                .spans
                .iter()
                .enumerate()
                .flat_map(|(i, s)| s.errors.iter().map(move |e| (i, e, s.server.clone().unwrap_or_default())))
                .take(50)
                .collect();
            if !erring.is_empty() {
                head.push(h("section").class("panel trace-errors").testid("trace-errors")
                    .child(h("h2").text(tf(Msg::TraceErrors, &[&erring.len().to_string()])))
                    .children(erring.into_iter().map(|(i, e, server)| {
                        h("button").class("linkish trace-error").testid("trace-error").attr("data-span", i.to_string())
                            .child(h("span").class("wf-err").text("● ").cut(&e.title, 120))
                            .child(h("span").class("muted small").text("  ").cut(&server, 40))
                            .on("click", move |_| reveal(i))
                    }).collect()));
            }
            if d.widened {
                head.push(h("div").class("notice").text(t(Msg::WiderWindow)));
            }
            if tr.truncated {
                head.push(h("div").class("notice").text(t(Msg::TraceTruncated)));
            }
            if tr.spans.is_empty() {
                head.push(h("div").class("empty").testid("trace-empty").text(t(Msg::TraceEmpty)));
            }
            if !tr.orphan_errors.is_empty() {
                head.push(h("section").class("panel").testid("orphans").child(h("h2").text(t(Msg::OrphanErrors))).children(tr.orphan_errors.iter().map(|e| {
                    let label = format!("{} {}", e.short_id.clone().unwrap_or_default(), untrusted(&e.title, 200));
                    h("div").child(match &e.issue_id {
                        Some(i) => link(&scoped_href(&crate::href(&format!("/issues/{}", percent_encode(i))), &scope, &[]), label),
                        None => h("span").text(label),
                    })
                }).collect()));
            }
            head
        }) />
        <Show when=move || data.data.with(|d| d.as_ref().is_some_and(|d| !d.trace.spans.is_empty()))>
            <Mount render=Box::new(move || {
                let m = matches.get();
                let q = search.get_untracked();
                vec![h("div").class("row").children(vec![
                    h("input").attr("type", "search").attr("id", "trace-search").testid("trace-search").attr("placeholder", t(Msg::FindInTrace)).attr("aria-label", t(Msg::FindInTrace)).prop("value", q.clone())
                        .on("change", move |ev| {
                            search.set(event_value(ev));
                            hit.set(0);
                            if let Some(&first) = matches.get_untracked().first() {
                                reveal(first);
                            }
                        }),
                    h("button").testid("search-prev").text("↑").attr("aria-label", t(Msg::PrevPage)).on("click", move |_| step_hit(-1)),
                    h("button").testid("search-next").text("↓").attr("aria-label", t(Msg::NextPage)).on("click", move |_| step_hit(1)),
                    h("span").class("muted").testid("match-count").text(if q.is_empty() { String::new() } else if m.is_empty() { t(Msg::NoMatch).into() } else { tf(Msg::MatchOf, &[&(hit.get_untracked() + 1).to_string(), &m.len().to_string()]) }),
                    h("button").class("ghost").testid("zoom-reset").attr_if(zoom.get().is_none(), "disabled", "").text(t(Msg::ZoomReset)).on("click", move |_| zoom.set(None)),
                ])]
            }) />
            <div class="waterfall" data-testid="waterfall">
                <div class="wf-ruler" data-testid="ruler"
                    on:mousedown=move |ev| drag_from.set(ruler_frac(&ev))
                    on:mouseup=move |ev| {
                        let (Some(a), Some(b)) = (drag_from.get_untracked(), ruler_frac(&ev)) else { return };
                        drag_from.set(None);
                        let (lo, hi) = (a.min(b), a.max(b));
                        if hi - lo > 0.01 {
                            let (s, e) = view_range();
                            zoom.set(Some((s + lo * (e - s), s + hi * (e - s))));
                        }
                    }>
                    <Mount render=Box::new(move || {
                        let (s, e) = view_range();
                        // A tick near the right edge keeps its label inside the ruler (to the left of its line).
                        lookout_core::waterfall::ticks(s, e).into_iter().map(|(f, label)| h("span").class(if f > 0.9 { "tick end" } else { "tick" }).attr("style", format!("left:{:.2}%", f * 100.0)).text(label)).collect()
                    }) />
                </div>
                <div class="wf-scroll" node_ref=scroller on:scroll=move |ev| {
                    let top = wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(event_target::<web_sys::EventTarget>(&ev)).map(|e| f64::from(e.scroll_top())).unwrap_or(0.0);
                    scroll.set(top);
                }>
                    <div class="wf-spacer" style:height=move || format!("{}px", rows.with(Vec::len) as f64 * ROW)>

                        <Mount render=Box::new(move || {
                            let view = view_range();
                            let sel = selected.get();
                            let col = collapsed.get();
                            let hits: HashSet<usize> = matches.get().into_iter().collect();
                            data.data.with(|d| {
                                let Some(d) = d else { return Vec::new() };
                                rows.with(|r| {
                                    let (lo, hi) = row_window(scroll.get(), VIEWPORT, ROW, r.len(), OVERSCAN);
                                    (lo..hi).map(|pos| {
                                        let i = r[pos];
                                        row_view(&d.trace, i, pos, RowFlags { collapsed: col.contains(&i), selected: sel == Some(i), hit: hits.contains(&i) }, view,
                                            move || selected.set(Some(i)),
                                            move || collapsed.update(|c| if !c.remove(&i) { c.insert(i); }))
                                    }).collect()
                                })
                            })
                        }) />
                    </div>
                </div>
            </div>
            <Mount render=Box::new(move || {
                let sel = selected.get();
                data.data.with(|d| d.as_ref().zip(sel).map(|(d, i)| detail_view(&d.trace, i, &ctx.scope.get())).into_iter().collect())
            }) />
        </Show>
    }
}
