//! `/`: which server has errors, how many, since when — for fleets of 5 to 500 servers.

use crate::api::overview::{self, Extras, GroupBy, PerfResult, SeriesQuery, SeriesResult};
use crate::api::resources::Scope;
use crate::components::chart::{ChartSpec, TimeChart};
use crate::components::dom::{h, link, link_cut, Mount, H};
use crate::components::filters::{FilterBar, SetQuery};
use crate::components::heatmap::{HeatSpec, Heatmap};
use crate::components::nav::select;
use crate::components::sparkline;
use crate::components::status::{load_state, mark_first_data};
use crate::i18n::{t, tf, Msg};
use crate::state::app::use_app;
use crate::state::loader::use_load;
use crate::state::view::{scoped_href, use_page, use_param, use_set_query, PageCtx, ViewScope};
use leptos::prelude::*;
use lookout_core::format::{change_ratio, compact_count, grouped_count, percent_change};
use lookout_core::query::{quote_search_value, search_in};
use lookout_core::series::{sorted_indices, SeriesSet, SortKey};
use lookout_core::time::TimeRange;
use std::collections::HashMap;
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
        .c("notice warn")
        .a("data-testid", "partial")
        .t(lines.join(" "))
}

fn scope_of(s: &ViewScope) -> Scope {
    Scope {
        projects: s.projects.clone(),
        environments: s.environments.clone(),
        range: s.range.clone(),
    }
}

/// A link to the issue list filtered to one value of a dimension.
pub fn issues_href(scope: &ViewScope, field: &str, values: &[String]) -> String {
    let q = if values.len() == 1 {
        format!("is:unresolved {field}:{}", quote_search_value(&values[0]))
    } else {
        format!("is:unresolved {}", search_in(field, values))
    };
    scoped_href(&crate::href("/issues"), scope, &[("query", q)])
}

/// The group label of a server (configured patterns first, then cloud / region tags).
fn group_label(
    server: &str,
    patterns: &lookout_core::config::AppConfig,
    places: &HashMap<String, (String, String)>,
) -> String {
    if let Some(g) = patterns.group_of(server) {
        return g.to_owned();
    }
    match places.get(server) {
        Some((c, r)) if !c.is_empty() && !r.is_empty() => format!("{c} · {r}"),
        Some((c, _)) if !c.is_empty() => c.clone(),
        _ => "—".into(),
    }
}

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

    let main = use_load(
        move || {
            let api = ctx.api.get()?;
            // GlitchTip's figures come from its projects' event lists: they need the projects.
            let projects = if api.is_glitchtip() {
                ctx.meta.get()?.projects.clone()
            } else {
                Vec::new()
            };
            Some((api, scope_of(&ctx.scope.get()), projects))
        },
        move || ctx.tick(),
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
        move |r| ctx.report(r),
    );
    // Environments, releases and projects are their own dimension (not derived from servers).
    let dim = use_load(
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
                        scope: scope_of(&ctx.scope.get()),
                        group: g,
                        dataset: "errors",
                        y_axes: vec!["count()"],
                    },
                )
            })
        },
        move || ctx.tick(),
        |(api, q), cancel| async move { overview::series(&api, &q, &cancel).await },
        move |r| ctx.report(r),
    );
    let main_settled =
        Memo::new(move |_| main.data.with(Option::is_some) || main.error.with(Option::is_some));
    let extras = use_load(
        move || {
            let api = ctx.api.get()?;
            // After the chart's first answer: the panels below the fold do not compete with it.
            (!api.is_glitchtip() && main_settled.get()).then(|| (api, scope_of(&ctx.scope.get())))
        },
        // The slower panels refresh on every fifth tick.
        move || ctx.tick() / 5,
        |(api, scope), cancel| async move { overview::extras(&api, &scope, &cancel).await },
        move |r| ctx.report(r),
    );
    let perf_open = RwSignal::new(false);
    let perf = use_load(
        move || {
            let api = ctx.api.get()?;
            (perf_open.get() && !api.is_glitchtip()).then(|| (api, scope_of(&ctx.scope.get())))
        },
        move || ctx.tick() / 5,
        |(api, scope), cancel| async move { overview::performance(&api, &scope, &cancel).await },
        move |r| ctx.report(r),
    );

    // GlitchTip keeps transactions per transaction name, not per server.
    let gt_perf = use_load(
        move || {
            let api = ctx.api.get()?;
            (perf_open.get() && api.is_glitchtip()).then(|| (api, scope_of(&ctx.scope.get())))
        },
        move || ctx.tick() / 5,
        |(api, scope), cancel| async move {
            crate::api::resources::transaction_groups(&api, &scope, &cancel).await
        },
        move |r| ctx.report(r),
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
                            .map(|p| p.0.clone())
                            .filter(|c| !c.is_empty())
                            .unwrap_or_else(|| "—".into())
                    }),
                    GroupBy::Region => cur.regroup(|n| {
                        places
                            .get(n)
                            .map(|p| p.1.clone())
                            .filter(|c| !c.is_empty())
                            .unwrap_or_else(|| "—".into())
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
    Effect::new(move |_| {
        if spec.with(Option::is_some) {
            mark_first_data();
        }
    });
    let zoom = {
        let set = set_query.clone();
        Callback::new(move |(a, b): (i64, i64)| {
            // Never narrower than an hour: enough buckets to read.
            let (a, b) = if b - a < 3600 {
                ((a + b) / 2 - 1800, (a + b) / 2 + 1800)
            } else {
                (a, b)
            };
            let (Some(s), Some(e)) = (
                chrono::DateTime::from_timestamp(a, 0),
                chrono::DateTime::from_timestamp(b, 0),
            ) else {
                return;
            };
            let p = TimeRange::Custom { start: s, end: e }.url_params();
            set(
                &[
                    ("range", None),
                    ("start", Some(p[0].1.clone())),
                    ("end", Some(p[1].1.clone())),
                ],
                true,
            );
        })
    };

    view! {
        <h1 class="page-title">{t(Msg::OverviewTitle)}</h1>
        <FilterBar ctx=ctx />
        {move || ctx.meta_error.get().map(|e| view! { <crate::components::status::ErrorBox error=Signal::derive(move || Some(e.clone())) /> })}
        <Show when=move || main.data.with(|d| d.as_ref().is_some_and(|m| m.with_series.is_some()))>
            <div class="notice" data-testid="glitchtip-counted">{t(Msg::GlitchtipCounted)}</div>
        </Show>
        <Mount render=Box::new(move || main.data.with(|d| d.as_ref().and_then(|m| m.partial.as_ref().map(partial_notice))).into_iter().collect()) />
        <Mount render=Box::new(move || vec![big_numbers(&ctx.scope.get(), current.get().as_ref(), extras_data.get().as_ref())]) />
        <section class="panel">
            <div class="panel-head">
                <h2>{t(Msg::EventsOverTime)}</h2>
                <Mount render={
                    let set = set_rc.clone();
                    Box::new(move || vec![controls(group.get(), sort.get(), stacked.get(), set.clone())])
                } />
            </div>
            {load_state(main, |m| m.series.both.series.is_empty() && m.series.both.grand_total() == 0.0)}
            <TimeChart spec=spec on_zoom=zoom testid="errors-chart" />
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
            <HeatPanel ctx=ctx current=current main=main sort=sort zoom=zoom />
        </section>
        <section class="panel">
            <div class="panel-head"><h2>{t(Msg::Matrix)}</h2><span class="muted">{t(Msg::MatrixHint)}</span></div>
            {load_state(extras, |e| e.top_issues.is_empty())}
            <Mount render=Box::new(move || extras_data.get().map(|e| matrix(&ctx.scope.get(), &e)).into_iter().collect()) />
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

/// Group-by, sort and chart-mode controls.
fn controls(group: GroupBy, sort: SortKey, stacked: bool, set: SetQuery) -> H {
    let label = |g: GroupBy| match g {
        GroupBy::Server => Msg::GroupServer,
        GroupBy::Cloud => Msg::GroupCloud,
        GroupBy::Region => Msg::GroupRegion,
        GroupBy::Configured => Msg::GroupConfigured,
        GroupBy::Environment => Msg::GroupEnvironment,
        GroupBy::Release => Msg::GroupRelease,
        GroupBy::Project => Msg::GroupProject,
    };
    let (s1, s2, s3, s4) = (set.clone(), set.clone(), set.clone(), set);
    h("div").c("controls").ks(vec![
        select(
            "group-by",
            Msg::GroupBy,
            group.as_str(),
            GroupBy::ALL
                .iter()
                .map(|g| (g.as_str().to_owned(), t(label(*g)).to_owned()))
                .collect(),
            move |v| s1(&[("group", Some(v))], true),
        ),
        select(
            "sort",
            Msg::SortBy,
            sort.as_str(),
            vec![
                ("total".into(), t(Msg::SortTotal).into()),
                ("rise".into(), t(Msg::SortRise).into()),
                ("name".into(), t(Msg::SortName).into()),
            ],
            move |v| s2(&[("sort", Some(v))], true),
        ),
        h("div").c("seg").ks(vec![
            h("button")
                .a_if(stacked, "class", "on")
                .id("chart-stacked")
                .t(t(Msg::ChartStacked))
                .on("click", move |_| s3(&[("chart", None)], true)),
            h("button")
                .a_if(!stacked, "class", "on")
                .id("chart-lines")
                .t(t(Msg::ChartLines))
                .on("click", move |_| {
                    s4(&[("chart", Some("lines".into()))], true)
                }),
        ]),
    ])
}

fn big(testid: &'static str, label: Msg, value: String, delta: Option<String>) -> H {
    h("div")
        .c("bignum")
        .id(testid)
        .k(h("div").c("label").t(t(label)))
        .k(h("div").c("value").t(value))
        .ko(delta.map(|d| h("div").c("delta").t(d)))
}

fn change(now: f64, before: f64) -> String {
    match change_ratio(now, before) {
        Some(r) => tf(Msg::VsPrevious, &[&percent_change(r)]),
        None => t(Msg::NoPrevious).to_owned(),
    }
}

/// The big numbers: errors, affected servers, new issues, users, the worst server now.
pub(crate) fn big_numbers(
    scope: &ViewScope,
    cur: Option<&(SeriesSet, SeriesSet)>,
    extras: Option<&Extras>,
) -> H {
    let dash = || "–".to_owned();
    let errors = cur.map(|(a, b)| (a.grand_total(), b.grand_total()));
    let hit = |s: &SeriesSet| s.series.iter().filter(|x| x.total() > 0.0).count();
    let servers = cur.map(|(a, b)| (hit(a), hit(b), a.series.len()));
    let worst = cur.and_then(|(a, _)| {
        let recent = a.recent((a.buckets.len() / 8).max(1));
        let (i, n) = recent
            .iter()
            .enumerate()
            .max_by(|x, y| x.1.total_cmp(y.1))?;
        (*n > 0.0).then(|| (a.series[i].name.clone(), *n))
    });
    let new = extras.and_then(|e| e.new_issues);
    let users = extras.and_then(|e| e.users);
    let worst_el = match worst {
        Some((name, n)) => h("div")
            .c("bignum")
            .id("big-worst")
            .k(h("div").c("label").t(t(Msg::BigWorst)))
            .k(link_cut(
                &issues_href(scope, "server_name", std::slice::from_ref(&name)),
                &name,
                40,
            )
            .c("value small-value"))
            .k(h("div").c("delta").t(compact_count(n))),
        None => big("big-worst", Msg::BigWorst, dash(), None),
    };
    h("div").c("bignums").id("big-numbers").ks(vec![
        big(
            "big-errors",
            Msg::BigErrors,
            errors.map_or_else(dash, |(a, _)| grouped_count(a as u64)),
            errors.map(|(a, b)| change(a, b)),
        ),
        big(
            "big-servers",
            Msg::BigServers,
            servers.map_or_else(dash, |(a, _, _)| a.to_string()),
            servers.map(|(a, b, n)| {
                format!(
                    "{} · {}",
                    tf(Msg::BigServersOf, &[&n.to_string()]),
                    change(a as f64, b as f64)
                )
            }),
        ),
        big(
            "big-new",
            Msg::BigNewIssues,
            new.map_or_else(dash, |(a, _)| a.to_string()),
            new.map(|(a, b)| change(a as f64, b as f64)),
        ),
        big(
            "big-users",
            Msg::BigUsers,
            users.map_or_else(dash, |(a, _)| compact_count(a as f64)),
            users.map(|(a, b)| change(a as f64, b as f64)),
        ),
        worst_el,
    ])
}

/// The drill-down link of a legend entry.
fn legend_href(
    scope: &ViewScope,
    group: GroupBy,
    cfg: &lookout_core::config::AppConfig,
    name: &str,
) -> String {
    match group {
        // Sentry's search takes a configured group's wildcard pattern as it is.
        GroupBy::Configured => {
            let pattern = cfg
                .server_groups
                .iter()
                .find(|g| g.name == name)
                .map(|g| g.pattern.clone());
            issues_href(
                scope,
                "server_name",
                &[pattern.unwrap_or_else(|| name.to_owned())],
            )
        }
        GroupBy::Project => scoped_href(
            &crate::href("/issues"),
            scope,
            &[(
                "query",
                format!("is:unresolved project:{}", quote_search_value(name)),
            )],
        ),
        g => issues_href(scope, g.field(), &[name.to_owned()]),
    }
}

/// The legend: every series with its total, recent rise and first time seen; sortable.
fn legend(
    scope: &ViewScope,
    set: &SeriesSet,
    group: GroupBy,
    sort: SortKey,
    cfg: &lookout_core::config::AppConfig,
    sort_to: Rc<dyn Fn(&'static str)>,
) -> H {
    let order = sorted_indices(set, sort);
    let rises = set.rises();
    let first = set.first_seen();
    let offset = crate::utc_offset_minutes();
    let head = |label: Msg, key: &'static str, num: bool| {
        let f = sort_to.clone();
        h("th").a_if(num, "class", "num").k(h("button")
            .c("linkish")
            .t(t(label))
            .on("click", move |_| f(key)))
    };
    let mut rows: Vec<H> = order
        .iter()
        .map(|&i| {
            let s = &set.series[i];
            let rise = rises[i];
            let since = first[i]
                .and_then(|f| chrono::DateTime::from_timestamp(f, 0))
                .map_or_else(
                    || "–".into(),
                    |f| lookout_core::format::date_time(f, offset),
                );
            h("tr")
                .id("legend-row")
                .a("data-name", s.name.clone())
                .ks(vec![
                    h("td")
                        .k(h("span").c("sw").a(
                            "style",
                            format!(
                                "background:{}",
                                crate::charts::canvas::hex(crate::charts::canvas::color_of(
                                    &s.name
                                ))
                            ),
                        ))
                        .k(link_cut(
                            &legend_href(scope, group, cfg, &s.name),
                            &s.name,
                            60,
                        )),
                    h("td").c("num").t(grouped_count(s.total() as u64)),
                    h("td").c("num").t(if rise > 0.0 {
                        format!("+{}", compact_count(rise))
                    } else if rise < 0.0 {
                        format!("−{}", compact_count(-rise))
                    } else {
                        "0".into()
                    }),
                    h("td").c("muted").t(since),
                    h("td").k(sparkline::svg(&s.values)),
                ])
        })
        .collect();
    let rem: f64 = set.remainder.iter().sum();
    rows.push(
        h("tr")
            .c("muted")
            .k(h("td")
                .k(h("span").c("sw").a("style", "background:#9696a0"))
                .t(t(Msg::Remainder)))
            .k(h("td").c("num").t(grouped_count(rem as u64))),
    );
    rows.push(
        h("tr").c("total").k(h("td").t(t(Msg::Total))).k(h("td")
            .c("num")
            .id("legend-total")
            .t(grouped_count(set.grand_total() as u64))),
    );
    h("div").c("legend-wrap").k(h("table")
        .c("legend")
        .id("legend")
        .k(h("caption")
            .c("muted")
            .t(tf(Msg::SeriesCount, &[&set.series.len().to_string()])))
        .k(h("thead").k(h("tr").ks(vec![
            head(Msg::SortName, "name", false),
            head(Msg::Total, "total", true),
            head(Msg::SortRise, "rise", true),
            h("th").t(t(Msg::FirstSeen)),
            h("th"),
        ])))
        .k(h("tbody").ks(rows)))
}

/// Which server has which error: top issues × servers.
fn matrix(scope: &ViewScope, e: &Extras) -> H {
    let mut per: HashMap<&str, u64> = HashMap::new();
    for ((_, s), n) in &e.matrix {
        *per.entry(s.as_str()).or_default() += n;
    }
    let mut servers: Vec<(&str, u64)> = per.into_iter().collect();
    lookout_core::sort::sort_by(&mut servers, |a, b| {
        b.1.cmp(&a.1)
            .then_with(|| lookout_core::series::natural_cmp(a.0, b.0))
    });
    let max = e.matrix.values().copied().max().unwrap_or(1).max(1) as f64;
    let head = h("tr")
        .k(h("th").c("sticky").t(t(Msg::ColIssue)))
        .ks(servers
            .iter()
            .map(|(s, _)| {
                h("th").c("vert").k(link_cut(
                    &issues_href(scope, "server_name", &[(*s).to_owned()]),
                    s,
                    40,
                ))
            })
            .collect());
    let rows = e
        .top_issues
        .iter()
        .map(|i| {
            let href = scoped_href(
                &crate::href(&format!(
                    "/issues/{}",
                    lookout_core::query::percent_encode(&i.id)
                )),
                scope,
                &[],
            );
            h("tr")
                .id("matrix-row")
                .k(h("th")
                    .c("sticky")
                    .k(link(&href, format!("{} ", i.short_id)).cut(&i.title, 80)))
                .ks(servers
                    .iter()
                    .map(|(s, _)| {
                        let n = e
                            .matrix
                            .get(&(i.id.clone(), (*s).to_owned()))
                            .copied()
                            .unwrap_or(0);
                        let a = if n == 0 {
                            0.0
                        } else {
                            0.12 + 0.88 * (n as f64).ln_1p() / max.ln_1p()
                        };
                        h("td")
                            .c("cell")
                            .a("style", format!("--a:{a:.2}"))
                            .t(if n > 0 {
                                compact_count(n as f64)
                            } else {
                                String::new()
                            })
                    })
                    .collect())
        })
        .collect();
    h("div").c("matrix-wrap").k(h("table")
        .c("matrix")
        .id("matrix")
        .k(h("thead").k(head))
        .k(h("tbody").ks(rows)))
}

/// Performance by server: p95 and throughput.
/// GlitchTip's transaction groups: name, operation, average duration and count in the window.
fn transaction_groups_table(groups: &[crate::api::resources::TransactionGroupDto]) -> H {
    let mut rows: Vec<&crate::api::resources::TransactionGroupDto> = groups.iter().collect();
    rows.sort_by_key(|g| std::cmp::Reverse(g.transaction_count));
    h("table")
        .c("legend")
        .id("perf-groups")
        .k(h("thead").k(h("tr").ks(vec![
            h("th").t(t(Msg::ColTransaction)),
            h("th").t(t(Msg::ColOp)),
            h("th").c("num").t(t(Msg::PerfAvg)),
            h("th").c("num").t(t(Msg::ColEvents)),
        ])))
        .k(h("tbody").ks(rows
            .into_iter()
            .map(|g| {
                h("tr").a("data-testid", "perf-group").ks(vec![
                    h("td").cut(&g.transaction, 120),
                    h("td").cut(g.op.as_deref().unwrap_or(""), 40),
                    h("td")
                        .c("num")
                        .t(lookout_core::format::duration_ms(g.avg_duration)),
                    h("td")
                        .c("num")
                        .a("data-testid", "perf-group-count")
                        .t(grouped_count(g.transaction_count)),
                ])
            })
            .collect()))
}

fn perf_table(scope: &ViewScope, p: &PerfResult) -> H {
    // The window's own p95 and throughput (events table); the buckets only draw the sparkline.
    let mut rows: Vec<(&str, &[f64], f64, f64)> = p
        .p95
        .series
        .iter()
        .map(|s| {
            let w = p.window.get(&s.name).cloned().unwrap_or_default();
            (
                s.name.as_str(),
                s.values.as_slice(),
                w.p95_ms.unwrap_or(0.0),
                w.per_minute,
            )
        })
        .collect();
    lookout_core::sort::sort_by(&mut rows, |a, b| b.2.total_cmp(&a.2));
    h("table")
        .c("legend")
        .id("perf")
        .k(h("thead").k(h("tr").ks(vec![
            h("th").t(t(Msg::ColServer)),
            h("th").c("num").t(t(Msg::PerfP95)),
            h("th").c("num").t(t(Msg::PerfThroughput)),
            h("th"),
        ])))
        .k(h("tbody").ks(rows
            .into_iter()
            .map(|(name, values, p95, tput)| {
                h("tr")
                    .id("perf-row")
                    .a("data-name", name.to_owned())
                    .ks(vec![
                        h("td").k(link_cut(
                            &scoped_href(
                                &crate::href("/traces"),
                                scope,
                                &[("server", name.to_owned())],
                            ),
                            name,
                            60,
                        )),
                        h("td").c("num").t(lookout_core::format::duration_ms(p95)),
                        h("td").c("num").t(format!("{tput:.1}")),
                        h("td").k(sparkline::svg(values)),
                    ])
            })
            .collect()))
}

#[component]
fn HeatPanel(
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
        let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
        for i in order {
            let g = group_label(&cur.series[i].name, &cfg, &places);
            match groups.iter_mut().find(|(name, _)| *name == g) {
                Some((_, v)) => v.push(i),
                None => groups.push((g, vec![i])),
            }
        }
        lookout_core::sort::sort_by(&mut groups, |a, b| {
            lookout_core::series::natural_cmp(&a.0, &b.0)
        });
        let window = main.data.with(|d| {
            d.as_ref()
                .map_or((0, 1), |m| (m.series.start, m.series.end))
        });
        Some(Arc::new(HeatSpec {
            set: cur,
            groups,
            window,
        }))
    });
    let href = Callback::new(move |name: String| {
        issues_href(&ctx.scope.get_untracked(), "server_name", &[name])
    });
    view! { <Heatmap spec=spec href_of=href on_zoom=zoom /> }
}
