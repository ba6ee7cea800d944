//! The filter bar: source, project, environment and time range, all kept in the URL. The custom
//! range's inputs are bound to signals ([`H::bind_value`]).

use super::dom::{h, Mount, H};
use super::nav::select;
use crate::i18n::{t, Msg};
use crate::state::app::use_app;
use crate::state::view::{use_set_query, PageCtx};
use leptos::prelude::*;
use lookout_core::format::{input_value, parse_input_value};
use lookout_core::time::{TimeRange, PRESETS};
use std::rc::Rc;

/// Sets query parameters (the shared URL updater, type-erased).
pub type SetQuery = Rc<dyn Fn(&[(&str, Option<String>)], bool)>;

/// The type-erased URL updater.
pub fn use_set_query_rc() -> SetQuery {
    let f = use_set_query();
    Rc::new(move |u, push| f(u, push))
}

/// The filter bar of a data page.
#[component]
pub fn FilterBar(ctx: PageCtx) -> impl IntoView {
    let app = use_app();
    let set = use_set_query_rc();
    let custom_open = RwSignal::new(false);
    // The custom range's inputs, bound; filled from the current window when the form opens.
    let (from, to) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let zone = chrono::Local;
    view! {
        <Mount render=Box::new(move || {
            let scope = ctx.scope.get();
            let sources: Vec<(String, String)> = app.config.with(|c| c.sources.iter().map(|s| (s.name.clone(), s.name.clone())).collect());
            let meta = ctx.meta.get();
            let mut kids: Vec<H> = Vec::new();
            if sources.len() > 1 {
                let set = set.clone();
                let cur = ctx.source.get().map(|s| s.name).unwrap_or_default();
                kids.push(select("source-select", Msg::Source, &cur, sources, move |v| set(&[("source", Some(v)), ("project", None), ("env", None)], true)));
            }
            let mut projects = vec![(String::new(), t(Msg::AllProjects).to_owned())];
            let mut envs = vec![(String::new(), t(Msg::AllEnvironments).to_owned())];
            if let Some(m) = &meta {
                projects.extend(m.projects.iter().map(|p| (p.id.clone(), p.name.clone())));
                envs.extend(m.environments().into_iter().map(|e| (e.clone(), e)));
            }
            let sp = set.clone();
            kids.push(select("project-select", Msg::Project, scope.projects.first().map_or("", String::as_str), projects, move |v| sp(&[("project", Some(v))], true)));
            let se = set.clone();
            kids.push(select("env-select", Msg::Environment, scope.environments.first().map_or("", String::as_str), envs, move |v| se(&[("env", Some(v))], true)));
            let label = scope.range.label();
            let mut seg: Vec<H> = PRESETS.iter().map(|p| {
                let set = set.clone();
                let on = label == *p;
                h("button").attr("role", "radio").attr("aria-checked", on.to_string()).attr_if(on, "class", "on").text(*p)
                    .on("click", move |_| {
                        custom_open.set(false);
                        set(&[("range", Some((*p).to_owned())), ("start", None), ("end", None)], true);
                    })
            }).collect();
            let on = label == "custom";
            seg.push(h("button").attr("role", "radio").attr("aria-checked", on.to_string()).attr_if(on, "class", "on").testid("range-custom").text(t(Msg::Custom))
                .on("click", move |_| {
                    if !custom_open.get_untracked() {
                        let (s, e) = ctx.scope.with_untracked(|s| s.range.bounds(chrono::Utc::now()));
                        from.set(input_value(s, &zone));
                        to.set(input_value(e, &zone));
                    }
                    custom_open.update(|o| *o = !*o)
                }));
            kids.push(h("div").class("seg").attr("role", "radiogroup").attr("aria-label", t(Msg::TimeRange)).testid("range").children(seg));
            if custom_open.get() {
                let set = set.clone();
                kids.push(h("div").class("custom-range").children(vec![
                    h("label").child(h("span").text(t(Msg::From))).child(h("input").attr("type", "datetime-local").attr("id", "range-from").bind_value(from.get_untracked(), move |v| from.set(v))),
                    h("label").child(h("span").text(t(Msg::To))).child(h("input").attr("type", "datetime-local").attr("id", "range-to").bind_value(to.get_untracked(), move |v| to.set(v))),
                    h("button").testid("range-apply").text(t(Msg::Apply)).on("click", move |_| {
                        let parse = |v: RwSignal<String>| parse_input_value(&v.get_untracked(), &zone);
                        if let (Some(s), Some(e)) = (parse(from), parse(to)) {
                            if e > s {
                                let p = TimeRange::Custom { start: s, end: e }.url_params();
                                set(&[("range", None), ("start", Some(p[0].1.clone())), ("end", Some(p[1].1.clone()))], true);
                                custom_open.set(false);
                            }
                        }
                    }),
                    h("button").class("ghost").text(t(Msg::Cancel)).on("click", move |_| custom_open.set(false)),
                ]));
            }
            vec![h("div").class("filters").attr("role", "group").children(kids)]
        }) />
    }
}
