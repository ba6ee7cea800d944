//! `/wall`: the kiosk view for the team's TV. No chrome, sizes follow the viewport, a dark
//! high-contrast theme, rotation among views, a refresh clock per source with a countdown ring and
//! a "stale since" badge that never hides the last good data, and an attention strip for new
//! issues, regressions and issues reaching a server for the first time.
//!
//! Everything is set by the URL (and `config.json`), so a TV needs no typing:
//! `/wall?views=overview,heatmap,issues,new,project:api,group:AWS&rotate=30&sources=Prod,GT&range=24h`.

use crate::api::client::Api;
use crate::api::overview::{self, Extras, GroupBy, SeriesQuery, SeriesResult};
use crate::api::resources::Scope;
use crate::charts::canvas::{color_of, hex};
use crate::components::chart::{ChartSpec, TimeChart};
use crate::components::dom::{h, untrusted, Mount, H};
use crate::components::heatmap::{HeatSpec, Heatmap};
use crate::components::status::{clock_text, mark_first_data};
use crate::i18n::{t, tf, Msg};
use crate::state::app::{use_app, SourceMeta};
use crate::state::loader::{use_load, Load};
use crate::state::view::{scoped_href, use_param, use_view_scope, ViewScope};
use leptos::prelude::*;
use lookout_core::config::SourceConfig;
use lookout_core::format::{compact_count, grouped_count};
use lookout_core::model::IssueDto;
use lookout_core::series::{merge_sources, sorted_indices, SeriesSet, SortKey};
use lookout_core::text::level_class;
use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

/// The most items the attention strip keeps.
const STRIP: usize = 20;
/// How long a new item flashes (ms).
const FLASH_MS: f64 = 4000.0;

/// A view the wall rotates through.
#[derive(Clone, Debug, PartialEq)]
pub enum WallView {
    Overview,
    Heatmap,
    Issues,
    New,
    Project(String),
    Group(String),
}

impl WallView {
    /// Parses `overview`, `heatmap`, `issues`, `new`, `project:<slug>`, `group:<name>`.
    pub fn parse(s: &str) -> Option<WallView> {
        let s = s.trim();
        Some(match s {
            "overview" => WallView::Overview,
            "heatmap" => WallView::Heatmap,
            "issues" => WallView::Issues,
            "new" => WallView::New,
            _ => match s.split_once(':')? {
                ("project", p) if !p.is_empty() => WallView::Project(p.to_owned()),
                ("group", g) if !g.is_empty() => WallView::Group(g.to_owned()),
                _ => return None,
            },
        })
    }

    fn title(&self) -> String {
        match self {
            WallView::Overview => t(Msg::OverviewTitle).into(),
            WallView::Heatmap => t(Msg::Heatmap).into(),
            WallView::Issues => t(Msg::TopIssues).into(),
            WallView::New => t(Msg::NewIssues).into(),
            WallView::Project(p) => format!("{} · {}", t(Msg::Project), untrusted(p, 40)),
            WallView::Group(g) => format!("{} · {}", t(Msg::GroupConfigured), untrusted(g, 40)),
        }
    }
}

/// Something worth a glance.
#[derive(Clone, Debug, PartialEq)]
pub struct Attention {
    pub at: f64,
    pub source: String,
    pub text: String,
    pub href: String,
}

/// One source's feed on the wall.
#[derive(Clone, Copy)]
struct Feed {
    series: Load<(SeriesResult, Option<Extras>)>,
    extras: Load<Extras>,
}

fn scope_of(s: &ViewScope) -> Scope {
    Scope {
        projects: s.projects.clone(),
        environments: s.environments.clone(),
        range: s.range.clone(),
    }
}

fn feed(source: SourceConfig, scope: Memo<ViewScope>) -> Feed {
    let app = use_app();
    let clock = app.clocks.of(&source.name);
    let period = app.clocks.period_ms;
    let meta = move || {
        app.version.track();
        app.meta(&source.clone()).data.get()
    };
    let report = move |r: &Result<(), lookout_core::ApiError>| match r {
        Ok(()) => clock.report_ok(),
        Err(e) => clock.report_err(e, period.get_untracked()),
    };
    let m2 = meta.clone();
    let series = use_load(
        move || {
            let m = meta()?;
            Some((m.api.clone(), scope_of(&scope.get()), m.projects.clone()))
        },
        move || clock.tick.get(),
        |(api, scope, projects): (Api, Scope, Vec<lookout_core::model::ProjectDto>), cancel| async move {
            if api.is_glitchtip() {
                let (s, e, _) =
                    crate::api::glitchtip::overview(&api, &scope, &projects, &cancel).await?;
                Ok((s, Some(e)))
            } else {
                let q = SeriesQuery {
                    scope,
                    group: GroupBy::Server,
                    dataset: "errors",
                    y_axes: vec!["count()"],
                };
                Ok((overview::series(&api, &q, &cancel).await?, None))
            }
        },
        report,
    );
    let extras = use_load(
        move || {
            let m: Arc<SourceMeta> = m2()?;
            (!m.api.is_glitchtip()).then(|| (m.api.clone(), scope_of(&scope.get())))
        },
        move || clock.tick.get() / 5,
        |(api, scope), cancel| async move { overview::extras(&api, &scope, &cancel).await },
        report,
    );
    Feed { series, extras }
}

/// Everything the views draw, merged across sources.
#[derive(Clone, Debug, Default, PartialEq)]
struct Merged {
    current: SeriesSet,
    previous: SeriesSet,
    start: i64,
    end: i64,
    top: Vec<(String, IssueDto)>,
    new: Vec<(String, IssueDto)>,
    extras: Extras,
    /// Which source each merged series came from (for grouping rows).
    origin: Vec<String>,
}

fn merge(feeds: &[(String, Feed)]) -> Option<Merged> {
    let mut cur = Vec::new();
    let mut prev = Vec::new();
    let mut m = Merged::default();
    let mut any = false;
    let (mut new_n, mut new_p, mut users_n, mut users_p) = (0, 0, 0, 0);
    for (name, f) in feeds {
        let Some(s) = f.series.data.get() else {
            continue;
        };
        any = true;
        let (series, approx) = &*s;
        m.start = series.start;
        m.end = series.end;
        cur.push((
            name.clone(),
            series.both.window(series.start, series.end + 1),
        ));
        prev.push((
            name.clone(),
            series
                .both
                .window(2 * series.start - series.end, series.start),
        ));
        let ex = approx
            .clone()
            .or_else(|| f.extras.data.get().map(|e| (*e).clone()));
        if let Some(e) = ex {
            let (a, b) = e.new_issues.unwrap_or((0, 0));
            new_n += a;
            new_p += b;
            let (a, b) = e.users.unwrap_or((0, 0));
            users_n += a;
            users_p += b;
            m.top
                .extend(e.top_issues.iter().map(|i| (name.clone(), i.clone())));
            m.new
                .extend(e.new_list.iter().map(|i| (name.clone(), i.clone())));
            for ((id, server), n) in e.matrix {
                let server = if feeds.len() > 1 {
                    format!("{name} · {server}")
                } else {
                    server
                };
                m.extras
                    .matrix
                    .insert((format!("{name}\u{1}{id}"), server), n);
            }
        }
    }
    if !any {
        return None;
    }
    m.current = merge_sources(&cur);
    m.previous = merge_sources(&prev);
    m.origin = cur
        .iter()
        .flat_map(|(n, s)| std::iter::repeat_n(n.clone(), s.series.len()))
        .collect();
    m.extras.new_issues = Some((new_n, new_p));
    m.extras.users = Some((users_n, users_p));
    lookout_core::sort::sort_by(&mut m.top, |a, b| b.1.count.cmp(&a.1.count));
    lookout_core::sort::sort_by(&mut m.new, |a, b| {
        b.1.lifetime_first_seen().cmp(&a.1.lifetime_first_seen())
    });
    m.extras.top_issues = m
        .top
        .iter()
        .map(|(s, i)| IssueDto {
            id: format!("{s}\u{1}{}", i.id),
            ..i.clone()
        })
        .collect();
    Some(m)
}

/// What changed between two snapshots of one source: new issues, regressions, new servers.
pub fn attention(before: &Snapshot, after: &Snapshot) -> Vec<(String, String, AttentionKind)> {
    let mut out = Vec::new();
    for (id, title) in &after.new_ids {
        if !before.new_ids.iter().any(|(b, _)| b == id) {
            out.push((id.clone(), title.clone(), AttentionKind::NewIssue));
        }
    }
    for (id, title) in &after.regressed {
        if !before.regressed.iter().any(|(b, _)| b == id) {
            out.push((id.clone(), title.clone(), AttentionKind::Regression));
        }
    }
    let known_issues: HashSet<&str> = before.pairs.iter().map(|(i, _)| i.as_str()).collect();
    for (id, server) in &after.pairs {
        if known_issues.contains(id.as_str())
            && !before.pairs.contains(&(id.clone(), server.clone()))
        {
            let title = after
                .titles
                .iter()
                .find(|(i, _)| i == id)
                .map(|(_, t)| t.clone())
                .unwrap_or_default();
            out.push((id.clone(), title, AttentionKind::NewServer(server.clone())));
        }
    }
    out
}

/// Why something is in the strip.
#[derive(Clone, Debug, PartialEq)]
pub enum AttentionKind {
    NewIssue,
    Regression,
    NewServer(String),
}

/// What the wall remembers of a source between refreshes (bounded by what the source returned).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    pub new_ids: Vec<(String, String)>,
    pub regressed: Vec<(String, String)>,
    pub pairs: HashSet<(String, String)>,
    pub titles: Vec<(String, String)>,
}

fn snapshot(e: &Extras) -> Snapshot {
    let all = e.top_issues.iter().chain(e.new_list.iter());
    Snapshot {
        new_ids: e
            .new_list
            .iter()
            .map(|i| (i.id.clone(), i.title.clone()))
            .collect(),
        regressed: all
            .clone()
            .filter(|i| i.substatus.as_deref() == Some("regressed"))
            .map(|i| (i.id.clone(), i.title.clone()))
            .collect(),
        pairs: e.matrix.keys().cloned().collect(),
        titles: all.map(|i| (i.id.clone(), i.title.clone())).collect(),
    }
}

fn issue_list(rows: &[(String, IssueDto)], multi: bool, testid: &'static str, limit: usize) -> H {
    let now = chrono::Utc::now();
    h("table").id(testid).k(h("tbody").ks(rows
        .iter()
        .take(limit)
        .map(|(src, i)| {
            let mut title = h("td")
                .k(h("span").c(format!("lvl lvl-{}", level_class(&i.level))))
                .cut(&i.title, 140);
            if multi {
                title = title.k(h("span").c("badge").cut(src, 30));
            }
            h("tr").id("wall-issue").a("data-id", i.id.clone()).ks(vec![
                title,
                h("td").c("num").t(grouped_count(i.count)),
                h("td").c("num").t(grouped_count(i.user_count)),
                h("td")
                    .c("small")
                    .k(crate::components::age::ago(i.lifetime_last_seen(), now)),
            ])
        })
        .collect()))
}

fn ring(left: f64) -> H {
    let r = 15.9155;
    let off = 100.0 * (1.0 - left.clamp(0.0, 1.0));
    h("svg")
        .c("ring")
        .a("viewBox", "0 0 36 36")
        .a("aria-hidden", "true")
        .k(h("circle")
            .c("track")
            .a("cx", "18")
            .a("cy", "18")
            .a("r", r.to_string()))
        .k(h("circle")
            .c("left")
            .a("cx", "18")
            .a("cy", "18")
            .a("r", r.to_string())
            .a("stroke-dasharray", "100 100")
            .a("stroke-dashoffset", format!("{off:.1}"))
            .a("transform", "rotate(-90 18 18)"))
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
    let snapshots: StoredValue<Vec<Option<Snapshot>>> = StoredValue::new(vec![None; names.len()]);
    let merged = Memo::new(move |_| feeds.with_value(|f| merge(f)));
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
    // Attention: compare each source's fresh figures with its previous ones.
    let names2 = names.clone();
    Effect::new(move |_| {
        let now = js_sys::Date::now();
        let current: Vec<Option<Snapshot>> = feeds.with_value(|f| {
            f.iter()
                .map(|(_, feed)| {
                    let approx = feed.series.data.get().and_then(|s| s.1.clone());
                    approx
                        .or_else(|| feed.extras.data.get().map(|e| (*e).clone()))
                        .map(|e| snapshot(&e))
                })
                .collect()
        });
        let mut fresh = Vec::new();
        snapshots.update_value(|old| {
            for (i, cur) in current.iter().enumerate() {
                if let (Some(Some(before)), Some(after)) = (old.get(i), cur) {
                    for (id, title, kind) in attention(before, after) {
                        let text = match kind {
                            AttentionKind::NewIssue => {
                                format!("{}: {}", t(Msg::NewIssueFlag), untrusted(&title, 100))
                            }
                            AttentionKind::Regression => {
                                format!("{}: {}", t(Msg::RegressionFlag), untrusted(&title, 100))
                            }
                            AttentionKind::NewServer(s) => format!(
                                "{}: {}",
                                tf(Msg::NewServerFlag, &[&untrusted(&s, 40)]),
                                untrusted(&title, 100)
                            ),
                        };
                        let href = format!(
                            "{}?source={}",
                            crate::href(&format!(
                                "/issues/{}",
                                lookout_core::query::percent_encode(&id)
                            )),
                            lookout_core::query::percent_encode(&names2[i])
                        );
                        fresh.push(Attention {
                            at: now,
                            source: names2[i].clone(),
                            text,
                            href,
                        });
                    }
                }
                if cur.is_some() {
                    if let Some(slot) = old.get_mut(i) {
                        *slot = cur.clone();
                    }
                }
            }
        });
        if !fresh.is_empty() {
            strip.update(|s| {
                for a in fresh {
                    s.push_front(a);
                }
                s.truncate(STRIP);
            });
        }
    });
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
                s.series.retain(|x| {
                    lookout_core::config::glob_match(
                        &pattern,
                        x.name.rsplit(" · ").next().unwrap_or(&x.name),
                    )
                });
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
        let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
        for i in order {
            let name = &m.current.series[i].name;
            let bare = name.rsplit(" · ").next().unwrap_or(name);
            let mut g = cfg
                .group_of(bare)
                .map(str::to_owned)
                .unwrap_or_else(|| "—".into());
            if multi {
                g = format!("{} · {g}", m.origin.get(i).cloned().unwrap_or_default());
            }
            match groups.iter_mut().find(|x| x.0 == g) {
                Some(x) => x.1.push(i),
                None => groups.push((g, vec![i])),
            }
        }
        lookout_core::sort::sort_by(&mut groups, |a, b| {
            lookout_core::series::natural_cmp(&a.0, &b.0)
        });
        Some(Arc::new(HeatSpec {
            set: m.current,
            groups,
            window: (m.start, m.end),
        }))
    });
    let href = Callback::new(move |name: String| {
        crate::pages::overview::issues_href(&scope.get_untracked(), "server_name", &[name])
    });
    let names3 = names.clone();
    view! {
        <div class="wall wall-drift" data-testid="wall">
            <Mount render=Box::new(move || {
                let now = app.clocks.now.get();
                let period = app.clocks.period_ms.get();
                let v = views.with_value(|v| v.get(idx.get()).cloned()).unwrap_or(WallView::Overview);
                let mut chips: Vec<H> = Vec::new();
                for name in &names3 {
                    let c = app.clocks.of(name);
                    let left = ((c.next_at.get() - now) / period).clamp(0.0, 1.0);
                    let err = c.last_error.get();
                    let ok_at = c.last_ok.get();
                    let mut chip = h("span").c(if err.is_some() { "src-status bad" } else { "src-status" }).id("source-status").a("data-source", name.clone()).k(ring(left)).cut(name, 30);
                    chip = match (&err, ok_at) {
                        (Some(e), Some(at)) => chip.k(h("span").c("stale").id("wall-stale").a("title", crate::components::status::error_text(e)).t(tf(Msg::StaleSince, &[&clock_text(at)]))),
                        (Some(e), None) => chip.k(h("span").id("wall-error").a("data-error", e.code()).t(crate::components::status::error_text(e))),
                        (None, Some(at)) => chip.k(h("span").c("muted").t(tf(Msg::UpdatedAt, &[&clock_text(at)]))),
                        (None, None) => chip.k(h("span").c("muted").t(t(Msg::Loading))),
                    };
                    chips.push(chip);
                }
                let status = if paused.get() { t(Msg::WallPaused).to_owned() } else if view_count > 1 {
                    tf(Msg::WallNext, &[&(((rotate_ms - (now - switched.get())) / 1000.0).max(0.0).round()).to_string()])
                } else { String::new() };
                vec![h("div").c("wall-top").ks(vec![
                    h("span").c("title").t(t(Msg::AppName)),
                    h("span").id("wall-view").t(v.title()),
                    h("span").c("muted").id("wall-rotation").t(status),
                    h("span").c("spacer"),
                ]).ks(chips)]
            }) />
            <Mount render=Box::new(move || {
                let now = js_sys::Date::now();
                let items: Vec<H> = strip.get().iter().map(|a| {
                    let mut el = h("a").c(if now - a.at < FLASH_MS { "item flash" } else { "item" }).a("href", a.href.clone()).id("attention")
                        .t(format!("{} ", clock_text(a.at)));
                    if multi {
                        el = el.k(h("span").c("badge").cut(&a.source, 30));
                    }
                    el.t(format!(" {}", a.text))
                }).collect();
                if items.is_empty() { Vec::new() } else {
                    let since = strip.with(|s| s.back().map(|a| clock_text(a.at))).unwrap_or_default();
                    vec![h("div").c("strip").id("strip").k(h("b").t(tf(Msg::NewSince, &[&since]))).ks(items)]
                }
            }) />
            {move || {
                let v = views.with_value(|v| v.get(idx.get()).cloned()).unwrap_or(WallView::Overview);
                match v {
                    WallView::Overview | WallView::Group(_) => view! {
                        <Mount render=Box::new(move || {
                            let m = merged.get();
                            vec![crate::pages::overview::big_numbers(&scope.get(), m.as_ref().map(|m| (m.current.clone(), m.previous.clone())).as_ref(), m.as_ref().map(|m| &m.extras))]
                        }) />
                        <section class="panel"><TimeChart spec=chart height=480.0 testid="wall-chart" /></section>
                    }.into_any(),
                    WallView::Heatmap => view! { <section class="panel"><Heatmap spec=heat href_of=href /></section> }.into_any(),
                    WallView::Issues | WallView::Project(_) | WallView::New => {
                        let v2 = v.clone();
                        view! {
                            <section class="panel"><Mount render=Box::new(move || {
                                let Some(m) = merged.get() else { return Vec::new() };
                                match &v2 {
                                    WallView::New => vec![issue_list(&m.new, multi, "wall-new", 14)],
                                    WallView::Project(p) => {
                                        let rows: Vec<(String, IssueDto)> = m.top.iter().filter(|(_, i)| i.project.as_ref().is_some_and(|x| &x.slug == p)).cloned().collect();
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

/// A colour swatch for a series (kept for legends on the wall).
pub fn swatch(name: &str) -> H {
    h("span")
        .c("sw")
        .a("style", format!("background:{}", hex(color_of(name))))
}

/// A compact count (re-exported for wall tables).
pub fn count(n: f64) -> String {
    compact_count(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_parse() {
        assert_eq!(
            WallView::parse("project:api"),
            Some(WallView::Project("api".into()))
        );
        assert_eq!(
            WallView::parse("group:AWS"),
            Some(WallView::Group("AWS".into()))
        );
        assert_eq!(WallView::parse("heatmap"), Some(WallView::Heatmap));
        assert_eq!(WallView::parse("project:"), None);
        assert_eq!(WallView::parse("bogus"), None);
    }

    #[test]
    fn attention_finds_new_regressed_and_new_servers() {
        let before = Snapshot {
            new_ids: vec![("1".into(), "a".into())],
            regressed: vec![],
            pairs: [
                ("1".to_string(), "s1".to_string()),
                ("2".to_string(), "s1".to_string()),
            ]
            .into(),
            titles: vec![("2".into(), "b".into())],
        };
        let after = Snapshot {
            new_ids: vec![("1".into(), "a".into()), ("3".into(), "c".into())],
            regressed: vec![("2".into(), "b".into())],
            pairs: [
                ("1".to_string(), "s1".to_string()),
                ("2".to_string(), "s1".to_string()),
                ("2".to_string(), "s9".to_string()),
                ("3".to_string(), "s1".to_string()),
            ]
            .into(),
            titles: vec![("2".into(), "b".into())],
        };
        let got = attention(&before, &after);
        assert!(got.contains(&("3".into(), "c".into(), AttentionKind::NewIssue)));
        assert!(got.contains(&("2".into(), "b".into(), AttentionKind::Regression)));
        assert!(got.contains(&(
            "2".into(),
            "b".into(),
            AttentionKind::NewServer("s9".into())
        )));
        // A brand-new issue's servers are not "new servers".
        assert!(!got
            .iter()
            .any(|g| g.0 == "3" && matches!(g.2, AttentionKind::NewServer(_))));
        assert_eq!(attention(&after, &after), vec![]);
    }
}
