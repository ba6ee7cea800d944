//! `/timeline`: the fleet timeline — every error event of the window on its server's lane,
//! servers grouped by cloud and region, and for each issue where it appeared first and how it
//! spread. Drag across the lanes to zoom, click a mark to open that event.

use crate::api::scope::Scope;
use crate::api::timeline::{self, Filters, TimelineData};
use crate::components::dom::{h, Mount};
use crate::components::filters::{use_set_query_rc, FilterBar};
use crate::components::nav::select;
use crate::components::status::{load_state, mark_first_data};
use crate::i18n::{t, tf, Msg};
use crate::state::view::{use_page, use_param, PageCtx};
use leptos::prelude::*;
use lookout_core::time::TimeRange;

mod lanes;
mod legend;

pub use lanes::Timeline;
pub use legend::legend;
use legend::notice;

/// How many issues the legend lists.
const LEGEND_SHOWN: usize = 12;

/// The timeline's events for the page's scope, with the window and filters `with` makes of the
/// URL's range; marks the first data.
fn load_timeline(
    ctx: PageCtx,
    with: impl Fn(TimeRange) -> (TimeRange, Filters) + 'static,
) -> crate::state::loader::Load<TimelineData> {
    let data = ctx.load(
        move || {
            let s = ctx.scope.get();
            let meta = ctx.meta.get()?;
            let (range, filters) = with(s.range);
            Some((
                meta.api.clone(),
                Scope {
                    projects: s.projects,
                    environments: s.environments,
                    range,
                },
                filters,
                meta.projects.clone(),
            ))
        },
        |(api, scope, filters, projects), cancel| {
            timeline::load(api, scope, filters, projects, cancel)
        },
    );
    Effect::new(move |_| {
        if data.data.with(Option::is_some) {
            mark_first_data();
        }
    });
    data
}

#[component]
pub fn TimelinePage() -> impl IntoView {
    let ctx = use_page();
    let level = use_param("level");
    let issue = use_param("issue");
    let query = use_param("query");
    let set = use_set_query_rc();
    let data = load_timeline(ctx, move |range| {
        (
            range,
            Filters {
                level: level.get().unwrap_or_default(),
                issue: issue.get().unwrap_or_default(),
                query: query.get().unwrap_or_default(),
            },
        )
    });
    let zoom = crate::state::view::use_zoom(60);
    let controls = {
        let set = set.clone();
        move || {
            let levels: Vec<(String, String)> =
                std::iter::once((String::new(), t(Msg::AllLevels).to_owned()))
                    .chain(
                        ["fatal", "error", "warning", "info"]
                            .iter()
                            .map(|l| (l.to_string(), l.to_string())),
                    )
                    .collect();
            let s1 = set.clone();
            let s2 = set.clone();
            let s3 = set.clone();
            let mut bar = h("div").class("filters").children(vec![
                select(
                    "timeline-level",
                    Msg::Level,
                    &level.get().unwrap_or_default(),
                    levels,
                    move |v| s1(&[("level", Some(v))], true),
                ),
                h("label").child(h("span").text(t(Msg::Search))).child(
                    h("input")
                        .attr("type", "search")
                        .testid("timeline-query")
                        .attr("placeholder", t(Msg::TimelineQueryHint))
                        .prop("value", query.get().unwrap_or_default())
                        .on("change", move |ev| {
                            s2(
                                &[("query", Some(crate::components::dom::event_value(ev)))],
                                true,
                            )
                        }),
                ),
            ]);
            if let Some(i) = issue.get().filter(|i| !i.is_empty()) {
                bar = bar.child(
                    h("button")
                        .testid("clear-issue")
                        .text(tf(
                            Msg::OnlyIssueClear,
                            &[&lookout_core::text::clip_display(&i, 30)],
                        ))
                        .on("click", move |_| s3(&[("issue", None)], true)),
                );
            }
            vec![bar]
        }
    };
    view! {
        <h1 class="page-title">{t(Msg::TimelineTitle)}</h1>
        <p class="muted">{t(Msg::TimelineHint)}</p>
        <FilterBar ctx=ctx />
        <Mount render=Box::new(controls) />
        {load_state(data, |d| d.marks.is_empty())}
        <Mount render=Box::new(move || data.data.get().map(|d| notice(&ctx.scope.get(), &d)).unwrap_or_default()) />
        <section class="panel">
            <Timeline data=data.data scope=ctx.scope on_zoom=zoom />
        </section>
        <Mount render={
            let set = set.clone();
            Box::new(move || data.data.get().filter(|d| !d.marks.is_empty()).map(|d| vec![legend(&ctx.scope.get(), &d, &set, LEGEND_SHOWN)]).unwrap_or_default())
        } />
    }
}

/// The wall's timeline: the last hour (or the URL's fixed window), rows filling the screen, the
/// busiest issues' spread below.
#[component]
pub fn WallTimeline() -> impl IntoView {
    let ctx = use_page();
    let set = use_set_query_rc();
    let data = load_timeline(ctx, |range| {
        let range = match range {
            TimeRange::Custom { .. } => range,
            TimeRange::Period(_) => TimeRange::Period("1h".into()),
        };
        (range, Filters::default())
    });
    view! {
        {load_state(data, |d| d.marks.is_empty())}
        <section class="panel"><Timeline data=data.data scope=ctx.scope fill=true /></section>
        <Mount fit=true render=Box::new(move || data.data.get().filter(|d| !d.marks.is_empty()).map(|d| vec![legend(&ctx.scope.get(), &d, &set, 6)]).unwrap_or_default()) />
    }
}
