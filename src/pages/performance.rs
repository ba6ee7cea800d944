//! `/performance`: how fast each server answers — server × transaction p50 / p95 / p99,
//! throughput and failure rate of the window against the window before (rows whose p95 rose by
//! more than the threshold marked, each linking to that server's slowest traces), and p95 over
//! time per server. GlitchTip: its transaction groups, with what it cannot give named.

use crate::api::scope::Scope;
use crate::components::chart::{ChartSpec, TimeChart};
use crate::components::dom::{h, link, link_cut, Mount, H};
use crate::components::filters::{use_set_query_rc, FilterBar, SetQuery};
use crate::components::heatmap::{HeatSpec, Heatmap};
use crate::components::status::{load_state, mark_first_data};
use crate::i18n::{t, tf, Msg};
use crate::state::view::{scoped_href, use_page, use_param, LoadOptions, PageCtx, ViewScope};
use leptos::prelude::*;
use lookout_core::format::{duration_ms, grouped_count, percent_change};
use lookout_core::overview::group_label;
use lookout_core::perf::{
    release_moves, sort, PerfSort, ReleasePerf, TxnRow, MIN_RELEASE_COUNT, RELEASES_COMPARED,
};
use lookout_core::series::{group_rows, sorted_indices, SortKey};
use std::sync::Arc;

/// The default threshold: a p95 more than 20 % above the window before is marked.
const SLOWER_PERCENT: f64 = 20.0;

fn ms(v: Option<f64>) -> String {
    v.map(duration_ms).unwrap_or_else(|| "—".into())
}

/// The server × transaction table, sorted by `by`, marking rows slower than `threshold`.
pub fn txn_table(
    scope: &ViewScope,
    rows: &[TxnRow],
    by: PerfSort,
    threshold: f64,
    set: Option<&SetQuery>,
    limit: usize,
) -> H {
    let mut rows = rows.to_vec();
    sort(&mut rows, by);
    let head = |label: Msg, key: PerfSort, num: bool| {
        let th = h("th").class(if num { "num" } else { "" });
        match set {
            Some(set) => {
                let set = set.clone();
                th.child(
                    h("button")
                        .class(if key == by { "linkish on" } else { "linkish" })
                        .attr("data-sort", key.as_str())
                        .text(t(label))
                        .on("click", move |_| {
                            set(&[("sort", Some(key.as_str().to_owned()))], true)
                        }),
                )
            }
            None => th.text(t(label)),
        }
    };
    let plain = |label: Msg, num: bool| h("th").class(if num { "num" } else { "" }).text(t(label));
    let body = rows
        .iter()
        .take(limit)
        .map(|r| {
            let slower = r.slower(threshold);
            let change = r.change();
            let traces = scoped_href(
                &crate::href("/traces"),
                scope,
                &[("server", r.server.clone())],
            );
            h("tr")
                .testid("perf-txn-row")
                .class(if slower { "slower" } else { "" })
                .attr("data-server", r.server.clone())
                .attr("data-transaction", r.transaction.clone())
                .attr(
                    "data-p95",
                    r.now.p95.map(|v| v.to_string()).unwrap_or_default(),
                )
                .attr("data-slower", if slower { "1" } else { "0" })
                .children(vec![
                    h("td").child(link_cut(&traces, &r.server, 40)),
                    h("td").class("title").cut_titled(&r.transaction, 80),
                    h("td").class("num").text(ms(r.now.p50)),
                    h("td").class("num").text(ms(r.now.p95)),
                    h("td").class("num").text(ms(r.now.p99)),
                    h("td").class("num").text(format!("{:.1}", r.now.tpm)),
                    h("td").class("num").text(
                        r.now
                            .failure_rate
                            .map(|f| format!("{:.1}%", f * 100.0))
                            .unwrap_or_else(|| "—".into()),
                    ),
                    h("td").class("num").text(grouped_count(r.now.count)),
                    h("td")
                        .class(if slower { "num delta" } else { "num muted" })
                        .testid("perf-change")
                        .text(change.map(percent_change).unwrap_or_else(|| "—".into())),
                    h("td").child_opt(slower.then(|| {
                        link(&traces, t(Msg::SlowestTraces)).attr("data-testid", "slowest-traces")
                    })),
                ])
        })
        .collect();
    h("table")
        .class("perf-txns")
        .testid("perf-txn-table")
        .child(
            h("thead").child(
                h("tr")
                    .children(vec![
                        head(Msg::ColServer, PerfSort::Server, false),
                        plain(Msg::ColTransaction, false),
                        plain(Msg::PerfP50, true),
                        head(Msg::PerfP95Col, PerfSort::P95, true),
                        plain(Msg::PerfP99, true),
                        head(Msg::PerfTpm, PerfSort::Throughput, true),
                        head(Msg::PerfFailures, PerfSort::Failures, true),
                        plain(Msg::Count, true),
                        head(Msg::PerfChange, PerfSort::Change, true),
                    ])
                    .child_opt(set.is_some().then(|| h("th"))),
            ),
        )
        .child(h("tbody").children(body))
}

/// "Slower since a release": for each of the latest releases, the transactions whose p95 moved
/// against the release before, with the servers where it moved (each linking to its traces).
fn release_moves_view(scope: &ViewScope, r: &ReleasePerf, threshold: f64) -> H {
    let when = |d: &lookout_core::model::ReleaseDto| {
        d.marker_time()
            .map(|t| lookout_core::format::date_time(t, &chrono::Local))
            .unwrap_or_default()
    };
    let blocks = r
        .pairs
        .iter()
        .map(|(rel, prev)| {
            let block = h("div")
                .class("release-moves")
                .testid("release-moves")
                .attr("data-release", rel.version.clone());
            let Some(prev) = prev else {
                return block.child(h("h3").text(tf(
                    Msg::PerfReleaseFirst,
                    &[
                        &lookout_core::text::clip_display(&rel.version, 60),
                        &when(rel),
                    ],
                )));
            };
            let moves = release_moves(&r.figures, &rel.version, &prev.version, threshold);
            let head = h("h3").text(tf(
                Msg::PerfReleaseHead,
                &[
                    &lookout_core::text::clip_display(&rel.version, 60),
                    &when(rel),
                    &lookout_core::text::clip_display(&prev.version, 60),
                ],
            ));
            if moves.is_empty() {
                return block
                    .child(head)
                    .child(h("p").class("muted").text(t(Msg::PerfReleaseNone)));
            }
            let rows = moves
                .iter()
                .map(|m| {
                    let list = |label: Msg, servers: &[lookout_core::perf::ServerMove]| {
                        (!servers.is_empty()).then(|| {
                            h("div")
                                .child(h("span").class("muted").text(format!("{} ", t(label))))
                                .children(
                                    servers
                                        .iter()
                                        .map(|s| {
                                            let href = scoped_href(
                                                &crate::href("/traces"),
                                                scope,
                                                &[("server", s.server.clone())],
                                            );
                                            h("span")
                                                .class("release-move")
                                                .testid("release-move")
                                                .attr("data-server", s.server.clone())
                                                .attr("data-transaction", m.transaction.clone())
                                                .attr("data-change", s.change().to_string())
                                                .child(link_cut(&href, &s.server, 40))
                                                .text(format!(
                                                    " {} ({} → {})",
                                                    percent_change(s.change()),
                                                    duration_ms(s.before),
                                                    duration_ms(s.now)
                                                ))
                                        })
                                        .collect(),
                                )
                        })
                    };
                    h("tr").children(vec![
                        h("td").class("title").cut_titled(&m.transaction, 80),
                        h("td").child_opt(list(Msg::PerfReleaseSlower, &m.servers)),
                    ])
                })
                .collect();
            block.child(head).child(
                h("table")
                    .class("release-table")
                    .child(h("tbody").children(rows)),
            )
        })
        .collect();
    h("div").children(blocks)
}

/// The server × transaction rows of the page's scope (Sentry; none on GlitchTip).
fn txn_rows(ctx: PageCtx) -> crate::state::loader::Load<Vec<TxnRow>> {
    ctx.load(
        move || {
            let api = ctx.api.get()?;
            (!api.is_glitchtip()).then(|| (api, ctx.scope.get().api_scope()))
        },
        |(api, scope): (crate::api::client::Api, Scope), cancel| async move {
            crate::api::performance::by_transaction(&api, &scope, &cancel).await
        },
    )
}

#[component]
pub fn PerformancePage() -> impl IntoView {
    let ctx = use_page();
    let sort_p = use_param("sort");
    let slower_p = use_param("slower");
    let set = use_set_query_rc();
    let is_gt = move || ctx.api.get().map(|a| a.is_glitchtip());
    let rows = txn_rows(ctx);
    let series = ctx.load(
        move || {
            let api = ctx.api.get()?;
            (!api.is_glitchtip()).then(|| (api, ctx.scope.get().api_scope()))
        },
        |(api, scope): (crate::api::client::Api, Scope), cancel| async move {
            let (p, releases, places) = futures::join!(
                crate::api::performance::performance(&api, &scope, &cancel),
                crate::api::releases::releases(&api, &scope, &cancel),
                crate::api::performance::places(&api, &scope, &cancel)
            );
            // Markers and row groups are extras: the chart stands without them.
            Ok((p?, releases.unwrap_or_default(), places.unwrap_or_default()))
        },
    );
    let groups = ctx.load_with(
        move || {
            let api = ctx.api.get()?;
            api.is_glitchtip()
                .then(|| (api, ctx.scope.get().api_scope()))
        },
        |(api, scope): (crate::api::client::Api, Scope), cancel| async move {
            crate::api::traces::transaction_groups(&api, &scope, &cancel).await
        },
        LoadOptions::default(),
    );
    Effect::new(move |_| {
        if rows.data.with(Option::is_some) || groups.data.with(Option::is_some) {
            mark_first_data();
        }
    });
    // Releases are compared over days: every fifth refresh is often enough.
    let by_release = ctx.load_with(
        move || {
            let api = ctx.api.get()?;
            (!api.is_glitchtip()).then(|| (api, ctx.scope.get().api_scope()))
        },
        |(api, scope): (crate::api::client::Api, Scope), cancel| async move {
            crate::api::performance::by_release(&api, &scope, &cancel).await
        },
        LoadOptions::slow(),
    );
    let app = crate::state::app::use_app();
    let heat = Memo::new(move |_| {
        let d = series.data.get()?;
        let (p, places) = (&d.0, &d.2);
        let cfg = app.config.get();
        let (start, end) = ctx.scope.get().range.bounds(chrono::Utc::now());
        // The answer holds the window before too (for the change): the heatmap is this window,
        // a row per server with transactions in it.
        let set = p.p95.window(start.timestamp(), end.timestamp());
        let mut order = sorted_indices(&set, SortKey::Name);
        order.retain(|&i| set.series[i].values.iter().any(|v| *v > 0.0));
        let groups = group_rows(&set, &order, |s| group_label(&s.name, &cfg, places));
        Some(Arc::new(HeatSpec {
            set,
            groups,
            window: (start.timestamp(), end.timestamp()),
            latency: true,
        }))
    });
    let traces_of = Callback::new(move |name: String| {
        scoped_href(
            &crate::href("/traces"),
            &ctx.scope.get_untracked(),
            &[("server", name)],
        )
    });
    let chart = Memo::new(move |_| {
        let d = series.data.get()?;
        let (p, releases) = (&d.0, &d.1);
        let (start, end) = ctx.scope.get().range.bounds(chrono::Utc::now());
        let (start, end) = (start.timestamp(), end.timestamp());
        Some(Arc::new(ChartSpec {
            order: sorted_indices(&p.p95, SortKey::Total),
            stacked: false,
            releases: releases
                .iter()
                .filter_map(|r| Some((r.marker_time()?.timestamp(), r.version.clone())))
                .filter(|(t, _)| (start..=end).contains(t))
                .collect(),
            window: (start, end),
            counts: false,
            set: p.p95.clone(),
        }))
    });
    let threshold = move || {
        slower_p
            .get()
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|v| v.is_finite() && *v >= 0.0)
            .unwrap_or(SLOWER_PERCENT)
            / 100.0
    };
    let set = StoredValue::new_local(set);
    let table = {
        move || {
            let Some(r) = rows.data.get() else {
                return Vec::new();
            };
            let by = PerfSort::parse(&sort_p.get().unwrap_or_default());
            let th = threshold();
            let n = r.iter().filter(|r| r.slower(th)).count();
            vec![
                h("p")
                    .class(if n > 0 { "notice" } else { "muted" })
                    .testid("perf-slower-count")
                    .text(tf(
                        Msg::PerfSlowerCount,
                        &[&n.to_string(), &format!("{:.0}", th * 100.0)],
                    )),
                set.with_value(|s| txn_table(&ctx.scope.get(), &r, by, th, Some(s), 500)),
            ]
        }
    };
    view! {
        <h1 class="page-title">{t(Msg::PerformanceTitle)}</h1>
        <p class="muted">{t(Msg::PerformanceHint)}</p>
        <FilterBar ctx=ctx />
        {move || (is_gt() == Some(true)).then(|| view! {
            <div class="notice" data-testid="perf-glitchtip">{t(Msg::PerfGlitchtipMissing)}</div>
            <section class="panel">{load_state(groups, |g| g.is_empty())}
                <Mount render=Box::new(move || groups.data.get().map(|g| crate::pages::overview::transaction_groups_table(&g)).into_iter().collect()) />
            </section>
        })}
        {move || (is_gt() == Some(false)).then(|| view! {
            <section class="panel">
                <h2>{t(Msg::PerfP95OverTime)}</h2>
                {load_state(series, |d| d.0.p95.series.is_empty())}
                <TimeChart spec=chart testid="perf-p95-chart" />
            </section>
            <section class="panel">
                <h2>{t(Msg::PerfHeatmap)}</h2>
                {load_state(series, |d| d.0.p95.series.is_empty())}
                <Heatmap spec=heat href_of=traces_of />
            </section>
            <section class="panel" data-testid="perf-releases">
                <h2>{t(Msg::PerfReleases)}</h2>
                <p class="muted">{move || tf(Msg::PerfReleasesHint, &[&RELEASES_COMPARED.to_string(), &format!("{:.0}", threshold() * 100.0), &MIN_RELEASE_COUNT.to_string()])}</p>
                {load_state(by_release, |r| r.pairs.is_empty())}
                <Mount render=Box::new(move || by_release.data.get().map(|r| release_moves_view(&ctx.scope.get(), &r, threshold())).into_iter().collect()) />
            </section>
            <section class="panel">
                <h2>{t(Msg::PerfByTransaction)}</h2>
                {load_state(rows, |r| r.is_empty())}
                <Mount render=Box::new(table) />
            </section>
        })}
    }
}

/// The wall's performance view: the slowest rises first, as many rows as fit.
#[component]
pub fn WallPerformance() -> impl IntoView {
    let ctx = use_page();
    let rows = txn_rows(ctx);
    Effect::new(move |_| {
        if rows.data.with(Option::is_some) {
            mark_first_data();
        }
    });
    view! {
        <section class="panel">
            {load_state(rows, |r| r.is_empty())}
            <Mount fit=true render=Box::new(move || rows.data.get().map(|r| txn_table(&ctx.scope.get(), &r, PerfSort::Change, SLOWER_PERCENT / 100.0, None, 20)).into_iter().collect()) />
        </section>
    }
}
