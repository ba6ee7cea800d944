//! `/wall`: the kiosk view for the team's TV. No chrome, sizes follow the viewport, a dark
//! high-contrast theme, rotation among views, a refresh clock per source with a countdown ring and
//! a "stale since" badge that never hides the last good data, and an attention strip for new
//! issues, regressions and issues reaching a server for the first time.
//!
//! Everything is set by the URL (and `config.json`), so a TV needs no typing:
//! `/wall?views=overview,heatmap,issues,new,project:api,group:AWS&rotate=30&sources=Prod,GT&range=24h`.

mod attention;
mod feed;
mod panels;

use attention::{strip_view, Attention};
use feed::{feed, merge_feeds, Feed};
use panels::{issue_list, top_bar, trouble_list};

use crate::components::big_numbers::big_numbers;
use crate::components::chart::{ChartSpec, TimeChart};
use crate::components::dom::{untrusted, Mount};
use crate::components::heatmap::{HeatSpec, Heatmap};
use crate::components::status::mark_first_data;
use crate::i18n::{t, tf, Msg};
use crate::state::app::use_app;
use crate::state::view::{issues_href, scoped_href, use_param, use_view_scope, ViewScope};
use leptos::prelude::*;
use lookout_core::config::SourceConfig;
use lookout_core::overview::group_label;
use lookout_core::series::{group_rows, sorted_indices, SortKey};
use lookout_core::wall::{WallIssue, WallView};
use std::collections::VecDeque;
use std::sync::Arc;

/// The view's name in the top bar.
fn title(v: &WallView) -> String {
    match v {
        WallView::Overview => t(Msg::OverviewTitle).into(),
        WallView::Heatmap => t(Msg::Heatmap).into(),
        WallView::Issues => t(Msg::TopIssues).into(),
        WallView::New => t(Msg::NewIssues).into(),
        WallView::Timeline => t(Msg::TimelineTitle).into(),
        WallView::Performance => t(Msg::PerformanceTitle).into(),
        WallView::Project(p) => format!("{} · {}", t(Msg::Project), untrusted(p, 40)),
        WallView::Group(g) => format!("{} · {}", t(Msg::GroupConfigured), untrusted(g, 40)),
    }
}

/// The wall chart's height: a little over a quarter of the screen, so the big numbers, the chart and the
/// servers in trouble fill it together.
fn chart_height() -> f64 {
    let h = web_sys::window()
        .and_then(|w| w.inner_height().ok()?.as_f64())
        .unwrap_or(1080.0);
    (h * 0.28).clamp(200.0, 1200.0).floor()
}

#[component]
pub fn WallPage() -> impl IntoView {
    let app = use_app();
    crate::state::theme::apply_named(Some("wall"));
    let theme = expect_context::<crate::state::theme::Theme>();
    on_cleanup(move || theme.set(theme.mode.get_untracked()));
    let scope = use_view_scope();
    let views_param = use_param("views");
    let rotate_param = use_param("rotate");
    let sources_param = use_param("sources");
    // Re-created when the configuration or the chosen sources change.
    move || {
        let cfg = app.config.get();
        let wanted: Option<Vec<String>> = sources_param
            .get()
            .map(|s| s.split(',').map(|x| x.trim().to_owned()).collect());
        let sources: Vec<SourceConfig> = cfg
            .sources
            .iter()
            .filter(|s| wanted.as_ref().is_none_or(|w| w.contains(&s.name)))
            .cloned()
            .collect();
        let views: Vec<WallView> = views_param
            .get()
            .map(|v| v.split(',').filter_map(WallView::parse).collect::<Vec<_>>())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| {
                cfg.wall
                    .views
                    .iter()
                    .filter_map(|v| WallView::parse(v))
                    .collect()
            });
        let views = if views.is_empty() {
            vec![WallView::Overview]
        } else {
            views
        };
        let rotate_ms = rotate_param
            .get()
            .and_then(|r| r.parse::<f64>().ok())
            .unwrap_or(f64::from(cfg.wall.rotate_seconds))
            .max(5.0)
            * 1000.0;
        view! { <crate::LinkTokenQuestion /><Wall sources=sources views=views rotate_ms=rotate_ms scope=scope /> }
    }
}

#[component]
fn Wall(
    sources: Vec<SourceConfig>,
    views: Vec<WallView>,
    rotate_ms: f64,
    scope: Memo<ViewScope>,
) -> impl IntoView {
    let app = use_app();
    let feeds: Vec<(String, Feed)> = sources
        .iter()
        .map(|s| (s.name.clone(), feed(s.clone(), scope)))
        .collect();
    let feeds = StoredValue::new_local(feeds);
    let names: Vec<String> = sources.iter().map(|s| s.name.clone()).collect();
    let multi = names.len() > 1;
    let view_count = views.len();
    let views = StoredValue::new(views);
    let idx = RwSignal::new(0usize);
    let paused = RwSignal::new(false);
    let switched = RwSignal::new(js_sys::Date::now());
    let strip: RwSignal<VecDeque<Attention>> = RwSignal::new(VecDeque::new());
    let merged = Memo::new(move |_| feeds.with_value(|f| merge_feeds(f)));
    // Rotation: driven by the shared heartbeat (no timer of its own to leak).
    Effect::new(move |_| {
        let now = app.clocks.now.get();
        if !paused.get() && view_count > 1 && now - switched.get_untracked() >= rotate_ms {
            idx.update(|i| *i = (*i + 1) % view_count);
            switched.set(now);
        }
    });
    let keys = window_event_listener(leptos::ev::keydown, move |ev| match ev.key().as_str() {
        " " => {
            ev.prevent_default();
            paused.update(|p| *p = !*p);
            switched.set(js_sys::Date::now());
        }
        "ArrowRight" => {
            idx.update(|i| *i = (*i + 1) % view_count.max(1));
            switched.set(js_sys::Date::now());
        }
        "ArrowLeft" => {
            idx.update(|i| *i = (*i + view_count.max(1) - 1) % view_count.max(1));
            switched.set(js_sys::Date::now());
        }
        "f" => {
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
            {
                if let Ok(f) = js_sys::Reflect::get(&el, &"requestFullscreen".into()) {
                    let _ = js_sys::Reflect::apply(&f.into(), &el, &js_sys::Array::new());
                }
            }
        }
        _ => {}
    });
    on_cleanup(move || keys.remove());
    attention::watch(feeds, strip);
    Effect::new(move |_| {
        if merged.with(Option::is_some) {
            mark_first_data();
        }
    });
    let chart = Memo::new(move |_| {
        let m = merged.get()?;
        let v = views.with_value(|v| v.get(idx.get()).cloned())?;
        let set = match &v {
            WallView::Group(g) => {
                let cfg = app.config.get();
                let pattern = cfg
                    .server_groups
                    .iter()
                    .find(|x| &x.name == g)
                    .map(|x| x.pattern.clone())
                    .unwrap_or_default();
                let mut s = m.current.clone();
                s.series
                    .retain(|x| lookout_core::config::glob_match(&pattern, &x.name));
                s.remainder.iter_mut().for_each(|r| *r = 0.0);
                s
            }
            _ => m.current.clone(),
        };
        let order = sorted_indices(&set, SortKey::Total);
        Some(Arc::new(ChartSpec {
            order,
            stacked: true,
            releases: Vec::new(),
            window: (m.start, m.end),
            counts: true,
            set,
        }))
    });
    let heat = Memo::new(move |_| {
        let m = merged.get()?;
        let cfg = app.config.get();
        let order = sorted_indices(&m.current, SortKey::Total);
        let no_places = Default::default();
        let groups = group_rows(&m.current, &order, |series| {
            let g = group_label(&series.name, &cfg, &no_places);
            match &series.source {
                Some(source) => format!("{source} · {g}"),
                None => g,
            }
        });
        Some(Arc::new(HeatSpec {
            set: m.current,
            groups,
            window: (m.start, m.end),
            latency: false,
        }))
    });
    let href = Callback::new(move |name: String| {
        issues_href(&scope.get_untracked(), "server_name", &[name])
    });
    let names3 = names.clone();
    view! {
        <div class="wall wall-drift" data-testid="wall">
            <Mount render=Box::new(move || {
                let now = app.clocks.now.get();
                let v = views.with_value(|v| v.get(idx.get()).cloned()).unwrap_or(WallView::Overview);
                let status = if paused.get() { t(Msg::WallPaused).to_owned() } else if view_count > 1 {
                    tf(Msg::WallNext, &[&(((rotate_ms - (now - switched.get())) / 1000.0).max(0.0).round()).to_string()])
                } else { String::new() };
                vec![top_bar(&app, title(&v), status, &names3, now)]
            }) />
            <Mount render=Box::new(move || strip.with(|s| strip_view(s, multi))) />
            {move || {
                let v = views.with_value(|v| v.get(idx.get()).cloned()).unwrap_or(WallView::Overview);
                match v {
                    WallView::Overview | WallView::Group(_) => view! {
                        <Mount render=Box::new(move || {
                            let m = merged.get();
                            vec![big_numbers(&scope.get(), m.as_ref().map(|m| (m.current.clone(), m.previous.clone())).as_ref(), m.as_ref().map(|m| m.new_issues), m.as_ref().map(|m| m.users))]
                        }) />
                        <section class="panel"><TimeChart spec=chart height=chart_height() testid="wall-chart" edge_labels=8 /></section>
                        <Mount fit=true render=Box::new(move || {
                            let Some(m) = merged.get() else { return Vec::new() };
                            vec![trouble_list(&lookout_core::wall::trouble(&m, 5), &scope.get())]
                        }) />
                    }.into_any(),
                    WallView::Heatmap => view! { <section class="panel"><Heatmap spec=heat href_of=href fill=true /></section> }.into_any(),
                    WallView::Timeline => view! { <crate::pages::timeline::WallTimeline /> }.into_any(),
                    WallView::Performance => view! { <crate::pages::performance::WallPerformance /> }.into_any(),
                    WallView::Issues | WallView::Project(_) | WallView::New => {
                        let v2 = v.clone();
                        view! {
                            <section class="panel"><Mount fit=true render=Box::new(move || {
                                let Some(m) = merged.get() else { return Vec::new() };
                                match &v2 {
                                    WallView::New => vec![issue_list(&m.new, multi, "wall-new", 14)],
                                    WallView::Project(p) => {
                                        let rows: Vec<WallIssue> = m.top.iter().filter(|w| w.issue.project.as_ref().is_some_and(|x| &x.slug == p)).cloned().collect();
                                        vec![issue_list(&rows, multi, "wall-project", 14)]
                                    }
                                    _ => vec![issue_list(&m.top, multi, "wall-top", 14)],
                                }
                            }) /></section>
                        }.into_any()
                    }
                }
            }}
            <p class="muted small">{t(Msg::WallKeys)}" · "<a href=move || scoped_href(&crate::href("/"), &scope.get(), &[])>{t(Msg::NavOverview)}</a>" · "
                <a href=crate::href("/settings") data-testid="wall-settings">{t(Msg::NavSettings)}</a></p>
        </div>
    }
}
