//! `/trace/:trace_id`: every span of a distributed trace on one time axis, across services and
//! servers, with its errors. Only the visible rows are in the DOM, so 10,000 spans scroll smoothly.

use crate::api::client::{Api, Cancel};
use crate::api::resources;
use crate::charts::canvas::{color_of, hex};
use crate::components::chart::{mark, measure};
use crate::components::dom::{h, link, untrusted, value_of, Mount, H};
use crate::components::status::{load_state, mark_first_data};
use crate::i18n::{t, tf, Msg};
use crate::state::loader::use_load;
use crate::state::view::{scoped_href, use_page, ViewScope};
use futures::future::join_all;
use leptos::html::Div;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use lookout_core::format::duration_ms;
use lookout_core::model::TraceMetaDto;
use lookout_core::query::percent_encode;
use lookout_core::waterfall::{bar, row_window, Trace, TraceSpan};
use lookout_core::ApiError;
use std::collections::{HashMap, HashSet};

/// Row height in pixels (CSS `.wf-row`).
const ROW: f64 = 24.0;
/// Height of the scrolling area (CSS `.wf-scroll`).
const VIEWPORT: f64 = 560.0;
/// Rows kept above and below the viewport.
const OVERSCAN: usize = 8;
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

async fn load(api: Api, id: String, cancel: Cancel) -> Result<TraceData, ApiError> {
    if api.is_glitchtip() {
        return Ok(TraceData {
            unsupported: true,
            ..Default::default()
        });
    }
    let meta = resources::trace_meta(&api, &id, "14d", &cancel).await.ok();
    mark("lookout:trace-start");
    if api.has_feature("trace-spans-format") {
        let mut nodes = resources::trace(&api, &id, "14d", &cancel).await?;
        let mut widened = false;
        if nodes.is_empty() {
            nodes = resources::trace(&api, &id, "30d", &cancel).await?;
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
    let mut legacy = resources::legacy_trace(&api, &id, "14d", &cancel).await?;
    let mut widened = false;
    if legacy.transactions.is_empty() && legacy.orphan_errors.is_empty() {
        legacy = resources::legacy_trace(&api, &id, "30d", &cancel).await?;
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
            .map(|(p, e)| resources::project_event(&api, p, e, &cancel)),
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

fn ticks(start: f64, end: f64) -> Vec<(f64, String)> {
    let len = (end - start).max(1e-6);
    let raw = len / 8.0;
    let p = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|s| *s >= raw)
        .unwrap_or(p * 10.0);
    (0..=8)
        .map(|i| i as f64 * step)
        .filter(|o| *o <= len)
        .map(|o| (o / len, duration_ms(o * 1000.0)))
        .collect()
}

/// How one waterfall row is marked.
#[derive(Clone, Copy)]
struct RowFlags {
    collapsed: bool,
    selected: bool,
    hit: bool,
}

/// What the waterfall shows of one span row.
fn row_view(
    tr: &Trace,
    i: usize,
    pos: usize,
    flags: RowFlags,
    view: (f64, f64),
    on_pick: impl Fn() + 'static,
    on_toggle: impl Fn() + 'static,
) -> H {
    let RowFlags {
        collapsed,
        selected,
        hit,
    } = flags;
    let s: &TraceSpan = &tr.spans[i];
    let depth = tr.depth[i] as f64;
    let has_kids = !tr.children[i].is_empty();
    let mut cls = "wf-row".to_owned();
    if selected {
        cls.push_str(" sel");
    }
    if hit {
        cls.push_str(" hit");
    }
    let color = hex(color_of(&s.project));
    let label = if s.description.is_empty() {
        s.op.clone()
    } else {
        format!("{} — {}", s.op, s.description)
    };
    let mut lab = h("div")
        .c("wf-label")
        .a("style", format!("padding-left:{}px", depth * 14.0))
        .a(
            "title",
            untrusted(&label, crate::components::dom::TITLE_MAX),
        );
    lab = if has_kids {
        lab.k(h("span")
            .c("wf-toggle")
            .a("role", "button")
            .a(
                "aria-label",
                t(if collapsed {
                    Msg::Expand
                } else {
                    Msg::Collapse
                }),
            )
            .t(if collapsed { "▸" } else { "▾" })
            .on("click", move |ev| {
                ev.stop_propagation();
                on_toggle();
            }))
    } else {
        lab.k(h("span").c("wf-toggle"))
    };
    lab = lab.t(untrusted(&label, 160));
    if let Some(sv) = &s.server {
        lab = lab.k(h("span").c("muted small").t("  ").cut(sv, 40));
    }
    if !s.errors.is_empty() {
        lab = lab.k(h("span")
            .c("wf-err")
            .id("span-error")
            .a("title", untrusted(&s.errors[0].title, 200))
            .t(format!("● {}", s.errors.len())));
    }
    let mut track = h("div").c("wf-track");
    if let Some((l, w)) = bar(s, view.0, view.1, 0.002) {
        track = track
            .k(h("div").c("wf-bar").a(
                "style",
                format!(
                    "left:{:.3}%;width:{:.3}%;background:{color}",
                    l * 100.0,
                    w * 100.0
                ),
            ))
            .k(h("span")
                .c("wf-dur")
                .a(
                    "style",
                    format!("left:{:.3}%", ((l + w) * 100.0 + 0.4).min(92.0)),
                )
                .t(duration_ms(s.duration_ms())));
    }
    h("div")
        .c(cls)
        .id("wf-row")
        .a("data-span", s.id.clone())
        .a("style", format!("top:{}px", pos as f64 * ROW))
        .k(lab)
        .k(track)
        .on("click", move |_| on_pick())
}

fn detail_view(tr: &Trace, i: usize, scope: &ViewScope) -> H {
    let s = &tr.spans[i];
    let mut rows = vec![
        (t(Msg::Operation).to_owned(), s.op.clone()),
        (t(Msg::Description).to_owned(), s.description.clone()),
        (t(Msg::Duration).to_owned(), duration_ms(s.duration_ms())),
        (t(Msg::SelfTime).to_owned(), duration_ms(tr.self_ms[i])),
        (t(Msg::Project).to_owned(), s.project.clone()),
        (
            t(Msg::ColServer).to_owned(),
            s.server.clone().unwrap_or_else(|| "–".into()),
        ),
        ("span_id".into(), s.id.clone()),
    ];
    if let Some(st) = &s.status {
        rows.push((t(Msg::Status).into(), st.clone()));
    }
    if let Some(tx) = &s.transaction {
        rows.push((t(Msg::ColTransaction).into(), tx.clone()));
    }
    rows.extend(s.tags.iter().take(50).cloned());
    rows.extend(s.data.iter().take(50).cloned());
    let errors: Vec<H> = s
        .errors
        .iter()
        .map(|e| {
            let label = format!(
                "{} {}",
                e.short_id.clone().unwrap_or_default(),
                untrusted(&e.title, 200)
            );
            match &e.issue_id {
                Some(id) => link(
                    &scoped_href(
                        &crate::href(&format!("/issues/{}", percent_encode(id))),
                        scope,
                        &[],
                    ),
                    label,
                )
                .id("span-error-link"),
                None => h("span").t(label),
            }
        })
        .collect();
    h("section")
        .c("panel span-detail")
        .id("span-detail")
        .k(h("h2").t(t(Msg::SpanDetails)))
        .k(h("dl").c("kv").ks(rows
            .into_iter()
            .flat_map(|(k, v)| [h("dt").cut(&k, 80), h("dd").cut(&v, 400)])
            .collect()))
        .ks(errors.into_iter().map(|e| h("div").k(e)).collect())
}

#[component]
pub fn TracePage() -> impl IntoView {
    let ctx = use_page();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("trace_id")).unwrap_or_default());
    let data = use_load(
        move || Some((ctx.meta.get()?.api.clone(), id.get())),
        || 0,
        |(api, id), cancel| load(api, id, cancel),
        move |r| ctx.report(r),
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
                measure("lookout:trace-render", FROM.with(std::cell::Cell::get))
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
                    h("h1").c("page-title").id("trace-title").t(tf(Msg::TraceTitle, &[&untrusted(&id.get(), 40)])),
                    h("div").c("notice").id("trace-unsupported").t(t(Msg::TraceGlitchtip)),
                    link(&scoped_href(&crate::href("/traces"), &scope, &[]), t(Msg::NavTraces)).id("trace-groups-link"),
                ];
            }
            let tr = &d.trace;
            let mut head = vec![
                h("h1").c("page-title").id("trace-title").t(tf(Msg::TraceTitle, &[&untrusted(&id.get(), 40)])),
                h("div").c("row").ks(vec![
                    h("span").id("span-count").t(tf(Msg::Spans, &[&tr.spans.len().to_string()])),
                    h("span").t(tf(Msg::ErrorsCount, &[&tr.error_count().to_string()])),
                    h("span").t(duration_ms((tr.end - tr.start) * 1000.0)),
                    h("span").c("muted small").t(if d.legacy { "events-trace" } else { "trace" }),
                ]),
            ];
            if d.widened {
                head.push(h("div").c("notice").t(t(Msg::WiderWindow)));
            }
            if tr.truncated {
                head.push(h("div").c("notice").t(t(Msg::TraceTruncated)));
            }
            if tr.spans.is_empty() {
                head.push(h("div").c("empty").id("trace-empty").t(t(Msg::TraceEmpty)));
            }
            if !tr.orphan_errors.is_empty() {
                head.push(h("section").c("panel").id("orphans").k(h("h2").t(t(Msg::OrphanErrors))).ks(tr.orphan_errors.iter().map(|e| {
                    let label = format!("{} {}", e.short_id.clone().unwrap_or_default(), untrusted(&e.title, 200));
                    h("div").k(match &e.issue_id {
                        Some(i) => link(&scoped_href(&crate::href(&format!("/issues/{}", percent_encode(i))), &scope, &[]), label),
                        None => h("span").t(label),
                    })
                }).collect()));
            }
            head
        }) />
        <Show when=move || data.data.with(|d| d.as_ref().is_some_and(|d| !d.trace.spans.is_empty()))>
            <Mount render=Box::new(move || {
                let m = matches.get();
                let q = search.get_untracked();
                vec![h("div").c("row").ks(vec![
                    h("input").a("type", "search").a("id", "trace-search").id("trace-search").a("placeholder", t(Msg::FindInTrace)).a("aria-label", t(Msg::FindInTrace)).p("value", q.clone())
                        .on("change", move |_| {
                            search.set(value_of("trace-search"));
                            hit.set(0);
                            if let Some(&first) = matches.get_untracked().first() {
                                reveal(first);
                            }
                        }),
                    h("button").id("search-prev").t("↑").a("aria-label", t(Msg::PrevPage)).on("click", move |_| step_hit(-1)),
                    h("button").id("search-next").t("↓").a("aria-label", t(Msg::NextPage)).on("click", move |_| step_hit(1)),
                    h("span").c("muted").id("match-count").t(if q.is_empty() { String::new() } else if m.is_empty() { t(Msg::NoMatch).into() } else { tf(Msg::MatchOf, &[&(hit.get_untracked() + 1).to_string(), &m.len().to_string()]) }),
                    h("button").c("ghost").id("zoom-reset").a_if(zoom.get().is_none(), "disabled", "").t(t(Msg::ZoomReset)).on("click", move |_| zoom.set(None)),
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
                        ticks(s, e).into_iter().map(|(f, label)| h("span").c("tick").a("style", format!("left:{:.2}%", f * 100.0)).t(label)).collect()
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
