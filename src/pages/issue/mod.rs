//! `/issues/:id`: what happened, where, and what led up to it.
//!
//! Event content is untrusted: it is rendered as text nodes only, bounded in size (frames,
//! breadcrumbs, message, variables, contexts), and only http(s) URLs become links.

mod crumbs;
mod event;
mod header;
mod servers;
mod stack;
mod tags;

use event::event_view;
use header::header;
use servers::distribution_view;
use stack::{EventUi, CRUMBS, FRAMES, MESSAGE};
use tags::tags_view;

use crate::api::issue;
use crate::components::chart::{ChartSpec, TimeChart};
use crate::components::dom::Mount;
use crate::components::filters::use_set_query_rc;
use crate::components::status::{load_state, mark_first_data};
use crate::i18n::{t, Msg};
use crate::state::view::{scoped_href, use_page, use_param, LoadOptions, ViewScope};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use lookout_core::model::Frame;
use lookout_core::query::quote_search_value;
use lookout_core::series::SeriesSet;
use std::collections::HashSet;
use std::sync::Arc;

pub(crate) fn issues_with(scope: &ViewScope, key: &str, value: &str) -> String {
    scoped_href(
        &crate::href("/issues"),
        scope,
        &[("query", format!("{key}:{}", quote_search_value(value)))],
    )
}

#[component]
pub fn IssuePage() -> impl IntoView {
    let ctx = use_page();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    let which = use_param("event");
    let set = use_set_query_rc();
    let ui = EventUi {
        frames: RwSignal::new(FRAMES),
        crumbs: RwSignal::new(CRUMBS),
        message: RwSignal::new(MESSAGE),
        open_frames: RwSignal::new(HashSet::new()),
        open_groups: RwSignal::new(HashSet::new()),
        level: RwSignal::new(String::new()),
        category: RwSignal::new(String::new()),
    };
    // `ctx.api`: ready with config.json when the kind is known (configured or remembered); the
    // issue's requests need no feature flags, so they do not wait for the organization.
    let key = move || {
        Some((
            ctx.api.get()?,
            id.get(),
            ctx.scope.with(|s| s.environments.clone()),
        ))
    };
    let issue = ctx.load(key, |(api, id, envs), cancel| async move {
        issue::issue(&api, &id, &envs, &cancel).await
    });
    let event = ctx.load_with(
        move || {
            Some((
                ctx.api.get()?,
                id.get(),
                which.get().unwrap_or_else(|| "recommended".into()),
                ctx.scope.with(|s| s.environments.clone()),
            ))
        },
        |(api, id, which, envs), cancel| async move {
            issue::issue_event(&api, &id, &which, &envs, &cancel).await
        },
        LoadOptions::once(),
    );
    let dist = ctx.load_with(
        key,
        |(api, id, envs), cancel| issue::server_distribution(api, id, envs, cancel),
        LoadOptions::slow(),
    );
    let tags = ctx.load_with(
        key,
        |(api, id, envs), cancel| async move { issue::issue_tags(&api, &id, &envs, &cancel).await },
        LoadOptions::slow(),
    );
    // A new event starts with everything collapsed again.
    Effect::new(move |_| {
        which.track();
        ui.frames.set(FRAMES);
        ui.crumbs.set(CRUMBS);
        ui.message.set(MESSAGE);
        ui.open_groups.set(HashSet::new());
        // Open the frame that raised: the topmost in-app frame of the raised exception.
        let first = event.data.with(|e| {
            let e = e.as_ref()?;
            let values = &e.exception()?.values;
            let last = values.len().checked_sub(1)?;
            let frames = &values[last].stacktrace.as_ref()?.frames;
            frames.iter().rposition(Frame::is_in_app).map(|i| (last, i))
        });
        ui.open_frames.set(first.into_iter().collect());
    });
    Effect::new(move |_| {
        if event.data.with(Option::is_some) {
            mark_first_data();
            crate::perf::measure_to_paint("lookout:event-render");
        }
    });
    // GlitchTip's issue has no series of its own: `issues-stats` has it.
    let gt = ctx.load_with(
        move || {
            let api = ctx.api.get()?;
            let long = ctx.scope.with(|s| s.range.seconds() > 86_400);
            api.is_glitchtip().then(|| (api, id.get(), long))
        },
        |(api, id, long), cancel| async move {
            crate::api::glitchtip::issue_series(&api, &id, long, &cancel).await
        },
        LoadOptions::slow(),
    );
    let chart = Memo::new(move |_| {
        let i = issue.data.get()?;
        let points: Vec<(i64, f64)> = match gt.data.get() {
            Some(x) => (*x).clone(),
            None => i.longest_stats().to_vec(),
        };
        let (set, window) = SeriesSet::single(&i.short_id, &points)?;
        Some(Arc::new(ChartSpec {
            order: vec![0],
            stacked: true,
            releases: Vec::new(),
            window,
            counts: true,
            set,
        }))
    });
    view! {
        {load_state(issue, |_| false)}
        <Mount render=Box::new(move || {
            let kind = ctx.meta.get().map_or("Sentry", |m| if m.api.is_glitchtip() { "GlitchTip" } else { "Sentry" });
            issue.data.get().map(|i| {
                let mut i = (*i).clone();
                // GlitchTip's details leave out users and releases: its tags have them.
                if ctx.meta.get().is_some_and(|m| m.api.is_glitchtip()) {
                    if let Some(tg) = tags.data.get() {
                        crate::api::glitchtip::tag_facts(&tg).fill(&mut i);
                    }
                }
                header(&i, &ctx.scope.get(), kind)
            }).into_iter().collect()
        }) />
        <section class="panel">
            <h2>{t(Msg::EventsOverTime)}</h2>
            <TimeChart spec=chart height=140.0 testid="issue-chart" />
        </section>
        {load_state(dist, |d| d.is_empty())}
        <Mount render=Box::new(move || dist.data.get().map(|d| distribution_view(&d, &ctx.scope.get())).into_iter().collect()) />
        {load_state(event, |_| false)}
        <Mount testid="event" render=Box::new(move || event.data.get().map(|e| event_view(&e, &ctx.scope.get(), ui, &set)).unwrap_or_default()) />
        {load_state(tags, |t| t.is_empty())}
        <Mount render=Box::new(move || tags.data.get().map(|tg| tags_view(&tg, &ctx.scope.get())).into_iter().collect()) />
    }
}
