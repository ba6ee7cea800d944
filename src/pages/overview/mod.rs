//! `/`: which server has errors, how many, since when — for fleets of 5 to 500 servers.
//!
//! This module reads the URL state, creates the loaders and lays out the panels; each panel is
//! its own module and renders rows it is handed.

mod controls;
mod heat;
mod legend;
mod matrix;
mod perf;

use controls::controls;
use heat::HeatPanel;
use legend::legend;
use matrix::matrix;
use perf::perf_table;
pub use perf::transaction_groups_table;

use crate::api::overview::{self, Extras, GroupBy, PerfResult, SeriesQuery, SeriesResult};
use crate::components::big_numbers::big_numbers;
use crate::components::chart::{ChartSpec, TimeChart};
use crate::components::dom::{h, Mount, H};
use crate::components::filters::FilterBar;
use crate::components::status::{load_state, mark_first_data};
use crate::i18n::{t, tf, Msg};
use crate::state::app::use_app;
use crate::state::view::{use_page, use_param, use_set_query, LoadOptions};
use leptos::prelude::*;
use lookout_core::series::{sorted_indices, SortKey};
use std::rc::Rc;
use std::sync::Arc;

/// The main data: every server's series (on GlitchTip with the slower figures, from the same events).
#[derive(Clone, Debug, PartialEq)]
pub struct Main {
    pub series: SeriesResult,
    /// Set on sources without `events-stats`: their slower figures come with the series.
    pub with_series: Option<Extras>,
    /// What of a panel built from many requests is missing.
    pub partial: Option<Partial>,
}

/// Parts of a many-request panel that did not arrive.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Partial {
    pub failed: usize,
    pub parts: usize,
    /// Why the first failed part failed, in words a user can act on.
    pub why: String,
    /// The page bound was reached: the oldest events of the window are not counted.
    pub bounded: bool,
}

impl Partial {
    /// From GlitchTip's event lists (`None` when every part arrived in full).
    pub fn of(w: &crate::api::glitchtip::Window) -> Option<Partial> {
        (!w.failed.is_empty() || w.bounded).then(|| Partial {
            failed: w.failed.len(),
            parts: w.parts,
            why: w
                .failed
                .first()
                .map(|(p, e)| format!("{p}: {}", crate::components::status::error_text(e)))
                .unwrap_or_default(),
            bounded: w.bounded,
        })
    }
}

/// The notice of a partial panel.
pub fn partial_notice(p: &Partial) -> H {
    let mut lines = Vec::new();
    if p.failed > 0 {
        lines.push(tf(
            Msg::PartsFailed,
            &[&p.failed.to_string(), &p.parts.to_string(), &p.why],
        ));
    }
    if p.bounded {
        lines.push(tf(
            Msg::GtBounded,
            &[&(crate::api::glitchtip::MAX_PAGES * 100).to_string()],
        ));
    }
    h("div")
        .class("notice warn")
        .attr("data-testid", "partial")
        .text(lines.join(" "))
}

pub use crate::state::view::issues_href;

#[component]
pub fn OverviewPage() -> impl IntoView {
    let ctx = use_page();
    let app = use_app();
    let set_query = use_set_query();
    let set_rc = crate::components::filters::use_set_query_rc();
    let group = Memo::new({
        let p = use_param("group");
        move |_| GroupBy::parse(&p.get().unwrap_or_default())
    });
    let sort = Memo::new({
        let p = use_param("sort");
        move |_| SortKey::parse(&p.get().unwrap_or_default())
    });
    let stacked = Memo::new({
        let p = use_param("chart");
        move |_| p.get().as_deref() != Some("lines")
    });

    let main = ctx.load(
        move || {
            let api = ctx.api.get()?;
            // GlitchTip's figures come from its projects' event lists: they need the projects.
            let projects = if api.is_glitchtip() {
                ctx.meta.get()?.projects.clone()
            } else {
                Vec::new()
            };
            Some((api, ctx.scope.get().api_scope(), projects))
        },
        |(api, scope, projects), cancel| async move {
            if api.is_glitchtip() {
                let (series, extras, w) =
                    crate::api::glitchtip::overview(&api, &scope, &projects, &cancel).await?;
                Ok(Main {
                    series,
                    with_series: Some(extras),
                    partial: Partial::of(&w),
                })
            } else {
                let q = SeriesQuery {
                    scope,
                    group: GroupBy::Server,
                    dataset: "errors",
                    y_axes: vec!["count()"],
                };
                let series = overview::series(&api, &q, &cancel).await?;
                let partial = series.failed.as_ref().map(|(n, of, e)| Partial {
                    failed: *n,
                    parts: *of,
                    why: crate::components::status::error_text(e),
                    bounded: false,
                });
                Ok(Main {
                    series,
                    with_series: None,
                    partial,
                })
            }
        },
    );
    // Environments, releases and projects are their own dimension (not derived from servers).
    let dim = ctx.load(
        move || {
            let api = ctx.api.get()?;
            let g = group.get();
            (matches!(
                g,
                GroupBy::Environment | GroupBy::Release | GroupBy::Project
            ) && !api.is_glitchtip())
            .then(|| {
                (
                    api,
                    SeriesQuery {
                        scope: ctx.scope.get().api_scope(),
                        group: g,
                        dataset: "errors",
                        y_axes: vec!["count()"],
                    },
                )
            })
        },
        |(api, q), cancel| async move { overview::series(&api, &q, &cancel).await },
    );
    let main_settled =
        Memo::new(move |_| main.data.with(Option::is_some) || main.error.with(Option::is_some));
    let extras = ctx.load_with(
        move || {
            let api = ctx.api.get()?;
            // After the chart's first answer: the panels below the fold do not compete with it.
            (!api.is_glitchtip() && main_settled.get()).then(|| (api, ctx.scope.get().api_scope()))
        },
        |(api, scope), cancel| async move { overview::extras(&api, &scope, &cancel).await },
        // The slower panels refresh on every fifth tick.
        LoadOptions::slow(),
    );
    let perf_open = RwSignal::new(false);
    let perf = ctx.load_with(
        move || {
            let api = ctx.api.get()?;
            (perf_open.get() && !api.is_glitchtip()).then(|| (api, ctx.scope.get().api_scope()))
        },
        |(api, scope), cancel| async move {
            crate::api::performance::performance(&api, &scope, &cancel).await
        },
        LoadOptions::slow(),
    );

    // GlitchTip keeps transactions per transaction name, not per server.
    let gt_perf = ctx.load_with(
        move || {
            let api = ctx.api.get()?;
            (perf_open.get() && api.is_glitchtip()).then(|| (api, ctx.scope.get().api_scope()))
        },
        |(api, scope), cancel| async move {
            crate::api::traces::transaction_groups(&api, &scope, &cancel).await
        },
        LoadOptions::slow(),
    );
    // The window and the one before it.
    let current = Memo::new(move |_| {
        main.data.with(|d| {
            d.as_ref().map(|m| {
                let s = &m.series;
                (
                    s.both.window(s.start, s.end + 1),
                    s.both.window(2 * s.start - s.end, s.start),
                )
            })
        })
    });
    let extras_data = Signal::derive(move || {
        extras
            .data
            .get()
            .map(|e| (*e).clone())
            .or_else(|| main.data.get().and_then(|m| m.with_series.clone()))
    });
    let chart_set = Memo::new(move |_| {
        let g = group.get();
        let places = main.data.with(|d| {
            d.as_ref()
                .map(|m| m.series.places.clone())
                .unwrap_or_default()
        });
        let cfg = app.config.get();
        match g {
            GroupBy::Environment | GroupBy::Release | GroupBy::Project => dim
                .data
                .with(|d| d.as_ref().map(|s| s.both.window(s.start, s.end + 1))),
            _ => current.with(|c| {
                c.as_ref().map(|(cur, _)| match g {
                    GroupBy::Cloud => cur.regroup(|n| {
                        places
                            .get(n)
                            .and_then(|p| p.cloud())
                            .unwrap_or("—")
                            .to_owned()
                    }),
                    GroupBy::Region => cur.regroup(|n| {
                        places
                            .get(n)
                            .and_then(|p| p.region())
                            .unwrap_or("—")
                            .to_owned()
                    }),
                    GroupBy::Configured => {
                        cur.regroup(|n| cfg.group_of(n).unwrap_or("—").to_owned())
                    }
                    _ => cur.clone(),
                })
            }),
        }
    });
    let window = Memo::new(move |_| {
        main.data.with(|d| {
            d.as_ref()
                .map_or((0, 1), |m| (m.series.start, m.series.end))
        })
    });
    let releases = Memo::new(move |_| {
        extras_data
            .get()
            .map(|e| {
                e.releases
                    .iter()
                    .filter_map(|r| {
                        Some((
                            r.marker_time()?.timestamp(),
                            r.short_version.clone().unwrap_or_else(|| r.version.clone()),
                        ))
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let spec = Memo::new(move |_| {
        let set = chart_set.get()?;
        let mut order = sorted_indices(&set, sort.get());
        if sort.get() == SortKey::Total {
            // Biggest at the bottom of the stack.
            order.truncate(order.len());
        }
        Some(Arc::new(ChartSpec {
            order,
            stacked: stacked.get(),
            releases: releases.get(),
            window: window.get(),
            counts: true,
            set,
        }))
    });
    // The panels below the chart (heatmap, issue × server matrix, performance) render once the
    // chart's first data is painted: the first thing a user sees does not wait for their work.
    let painted = RwSignal::new(false);
    Effect::new(move |_| {
        let shown = spec.with(Option::is_some);
        if shown {
            mark_first_data();
        }
        // Or once the series failed: the other panels still show what they have.
        if (shown || main.error.with(Option::is_some)) && !painted.get_untracked() {
            crate::state::progress::after_paint(Box::new(move || {
                let _ = painted.try_set(true);
            }));
        }
    });
    // A server's band on the chart opens that server's issues (other groupings are not servers).
    let open_server = {
        let navigate = StoredValue::new_local(leptos_router::hooks::use_navigate());
        Callback::new(move |name: String| {
            if group.get_untracked() == GroupBy::Server {
                let href = issues_href(&ctx.scope.get_untracked(), "server_name", &[name]);
                navigate.with_value(|n| n(&href, Default::default()));
            }
        })
    };
    // Never narrower than an hour: enough buckets to read.
    let zoom = crate::state::view::use_zoom(3600);

    view! {
        <h1 class="page-title">{t(Msg::OverviewTitle)}</h1>
        <FilterBar ctx=ctx />
        {move || ctx.meta_error.get().map(|e| view! { <crate::components::status::ErrorBox error=Signal::derive(move || Some(e.clone())) /> })}
        <Show when=move || main.data.with(|d| d.as_ref().is_some_and(|m| m.with_series.is_some()))>
            <div class="notice" data-testid="glitchtip-counted">{t(Msg::GlitchtipCounted)}</div>
        </Show>
        <Mount render=Box::new(move || main.data.with(|d| d.as_ref().and_then(|m| m.partial.as_ref().map(partial_notice))).into_iter().collect()) />
        <Mount render=Box::new(move || vec![extras_data.with(|e| big_numbers(&ctx.scope.get(), current.get().as_ref(), e.as_ref().and_then(|e| e.new_issues), e.as_ref().and_then(|e| e.users)))]) />
        <section class="panel">
            <div class="panel-head">
                <h2>{t(Msg::EventsOverTime)}</h2>
                <Mount render={
                    let set = set_rc.clone();
                    Box::new(move || vec![controls(group.get(), sort.get(), stacked.get(), set.clone())])
                } />
            </div>
            {load_state(main, |m| m.series.both.series.is_empty() && m.series.both.grand_total() == 0.0)}
            <TimeChart spec=spec on_zoom=zoom on_band=open_server testid="errors-chart" />
            <Mount render={
                let set_query = set_query.clone();
                Box::new(move || {
                    let sq = set_query.clone();
                    let sort_to: Rc<dyn Fn(&'static str)> = Rc::new(move |k| sq(&[("sort", Some(k.to_owned()))], true));
                    chart_set.with(|s| s.as_ref().map(|s| legend(&ctx.scope.get(), s, group.get(), sort.get(), &app.config.get(), sort_to)).into_iter().collect())
                })
            } />
        </section>
        <section class="panel">
            <div class="panel-head"><h2>{t(Msg::Heatmap)}</h2><span class="muted">{t(Msg::HeatmapHint)}</span></div>
            <Show when=move || painted.get()>
                <HeatPanel ctx=ctx current=current main=main sort=sort zoom=zoom />
            </Show>
        </section>
        <section class="panel">
            <div class="panel-head"><h2>{t(Msg::Matrix)}</h2><span class="muted">{t(Msg::MatrixHint)}</span></div>
            {load_state(extras, |e| e.top_issues.is_empty())}
            <Mount render=Box::new(move || extras_data.get().filter(|_| painted.get()).map(|e| matrix(&ctx.scope.get(), &e)).into_iter().collect()) />
        </section>
        <details class="panel" on:toggle=move |ev| {
            use wasm_bindgen::JsCast;
            let open = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok()).is_some_and(|d| d.open());
            perf_open.set(open);
        }>
            <summary><h2>{t(Msg::Performance)}</h2></summary>
            <Show when=move || ctx.meta.get().is_some_and(|m| m.api.is_glitchtip())>
                <div class="notice">{t(Msg::PerfGlitchtip)}</div>
            </Show>
            {load_state(gt_perf, |g| g.is_empty())}
            <Mount render=Box::new(move || gt_perf.data.get().map(|g| transaction_groups_table(&g)).into_iter().collect()) />
            {load_state(perf, |p: &PerfResult| p.p95.series.is_empty())}
            <Mount render=Box::new(move || perf.data.get().map(|p| perf_table(&ctx.scope.get(), &p)).into_iter().collect()) />
        </details>
        <p class="muted small" data-testid="request-count">
            {move || main.data.get().map(|m| tf(Msg::RequestsThisRefresh, &[&m.series.requests.to_string()]))}
        </p>
    }
}
