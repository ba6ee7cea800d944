//! `/issues`: the issue list, with the servers each issue hit.

mod row;

use crate::api::client::Page;
use lookout_core::model::IssueDto;
use lookout_core::suggest::{apply_suggestion, suggestions};
use lookout_core::vocab::StatsPeriod;
use row::{issue_href, row};

use crate::api::issues::{self, IssueQuery, IssueSort};
use crate::api::scope::Scope;
use crate::components::dom::{h, Mount, H};
use crate::components::filters::{use_set_query_rc, FilterBar};
use crate::components::nav::{event_value, select};
use crate::components::status::{load_state, mark_first_data};
use crate::i18n::{t, tf, Msg};
use crate::state::view::{use_page, use_param, LoadOptions};
use leptos::prelude::*;
use std::collections::HashSet;

/// Rows per page.
pub const PAGE_SIZE: u32 = 25;

#[component]
pub fn IssuesPage() -> impl IntoView {
    let ctx = use_page();
    let set = use_set_query_rc();
    let query = Memo::new({
        let q = use_param("query");
        move |_| q.get().unwrap_or_else(|| "is:unresolved".into())
    });
    let sort = use_param("sort");
    let cursor = use_param("cursor");
    let period = use_param("stats");
    let limit = use_param("limit");
    let typing = RwSignal::new(String::new());
    // What the search box holds (the query typed, not yet submitted).
    let draft = RwSignal::new(String::new());
    let selected = RwSignal::new(0usize);
    // Ids seen before the latest refresh: anything else is new.
    let seen: StoredValue<Option<HashSet<String>>> = StoredValue::new(None);
    let new_ids: RwSignal<HashSet<String>> = RwSignal::new(HashSet::new());
    let issue_query = move || {
        let s = ctx.scope.get();
        IssueQuery {
            scope: Scope {
                projects: s.projects,
                environments: s.environments,
                range: s.range,
            },
            query: query.get(),
            sort: IssueSort::parse(&sort.get().unwrap_or_default()),
            limit: limit
                .get()
                .and_then(|l| l.parse().ok())
                .unwrap_or(PAGE_SIZE)
                .clamp(1, 100),
            cursor: cursor.get(),
            // The URL offers 24 h (the default) or 14 d; anything else is the default.
            stats_period: match period.get().as_deref() {
                Some("14d") => StatsPeriod::TwoWeeks,
                _ => StatsPeriod::Day,
            },
        }
    };
    let data = ctx.load(
        move || Some((ctx.api.get()?, issue_query())),
        |(api, q), cancel| issues::load_page(api, q, cancel),
    );
    // The servers each issue hit (and GlitchTip's sparklines and users): a second request for
    // the page's issues, filled in when it answers; the list does not wait for it. Asked once
    // after each answer of the list (not on the clock as well: that would ask with the ids of
    // the list before its refresh, then again with the new ones).
    let extras = ctx.load_with(
        move || {
            let fetched = data.updated.get()?;
            let api = ctx.api.get()?;
            let ids: Vec<String> = data.data.with(|d| {
                d.as_ref()
                    .map(|d| d.data.iter().map(|i| i.id.clone()).collect())
            })?;
            // GlitchTip's servers per issue come from its projects' event lists.
            let projects = if api.is_glitchtip() {
                ctx.meta.get()?.projects.clone()
            } else {
                Vec::new()
            };
            Some((api, projects, issue_query(), ids, fetched))
        },
        |(api, projects, q, ids, _), cancel| issues::load_extras(api, q, projects, ids, cancel),
        LoadOptions::once(),
    );
    Effect::new(move |_| {
        let Some(d) = data.data.get() else { return };
        let ids: HashSet<String> = d.data.iter().map(|i| i.id.clone()).collect();
        let fresh = seen.with_value(|s| {
            s.as_ref()
                .map(|s| ids.difference(s).cloned().collect::<HashSet<_>>())
                .unwrap_or_default()
        });
        // Set only when it changes: the list reads it, and setting it again would render every
        // row a second time before the first paint.
        if new_ids.with_untracked(|n| *n != fresh) {
            new_ids.set(fresh);
        }
        seen.update_value(|s| s.get_or_insert_with(HashSet::new).extend(ids));
        mark_first_data();
        crate::perf::measure_to_paint("lookout:issues-render");
    });
    // j / k / Enter over the list.
    let navigate = leptos_router::hooks::use_navigate();
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        let tag = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .map(|e| e.tag_name())
            .unwrap_or_default();
        if tag == "INPUT"
            || tag == "SELECT"
            || tag == "TEXTAREA"
            || ev.ctrl_key()
            || ev.meta_key()
            || ev.alt_key()
        {
            return;
        }
        let n = data
            .data
            .with_untracked(|d| d.as_ref().map_or(0, |d| d.data.len()));
        match ev.key().as_str() {
            "j" if n > 0 => selected.update(|s| *s = (*s + 1).min(n - 1)),
            "k" => selected.update(|s| *s = s.saturating_sub(1)),
            "Enter" => {
                let id = data.data.with_untracked(|d| {
                    d.as_ref()
                        .and_then(|d| d.data.get(selected.get_untracked()).map(|i| i.id.clone()))
                });
                if let Some(id) = id {
                    let href = issue_href(&ctx.scope.get_untracked(), &id);
                    navigate(&href, Default::default());
                }
            }
            _ => {}
        }
    });
    on_cleanup(move || keys.remove());
    let set_bar = set.clone();
    let set_list = set.clone();
    let set_pager = set.clone();
    let set_sugg = set.clone();
    // The servers' answer (and GlitchTip's sparklines and users) into the rows already drawn.
    let list = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let more = extras.data.get();
        let (Some(more), Some(root)) = (more, list.get_untracked()) else {
            return;
        };
        let Some(d) = data.data.get_untracked() else {
            return;
        };
        let Ok(trs) = root.query_selector_all("tbody > tr") else {
            return;
        };
        for k in 0..trs.length() {
            let Some(tr) = trs
                .get(k)
                .and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
            else {
                continue;
            };
            let id = tr.get_attribute("data-id").unwrap_or_default();
            if let Some(i) = d.data.iter().find(|i| i.id == id) {
                row::patch(&tr, &row::extra(i, Some(&more)));
            }
        }
    });
    view! {
        <h1 class="page-title">{t(Msg::IssuesTitle)}</h1>
        <FilterBar ctx=ctx />
        <Mount render=Box::new(move || {
            let q = query.get();
            // The box shows the URL's query after every navigation; typing writes the draft.
            draft.update_untracked(|d| d.clone_from(&q));
            let s1 = set_bar.clone();
            let s2 = set_bar.clone();
            let s3 = set_bar.clone();
            let cur_sort = sort.get().unwrap_or_else(|| "date".into());
            let glitchtip = ctx.meta.get().is_some_and(|m| m.api.is_glitchtip());
            let mut sorts = vec![("date".to_owned(), t(Msg::SortLastSeen).to_owned()), ("new".into(), t(Msg::SortFirstSeen).into()), ("freq".into(), t(Msg::SortEvents).into())];
            if !glitchtip {
                sorts.push(("user".into(), t(Msg::SortUsers).into()));
            }
            vec![h("div").class("querybar").children(vec![
                h("input").attr("type", "search").attr("id", "issue-query").testid("query").attr("aria-label", t(Msg::Search)).attr("placeholder", t(Msg::SearchPlaceholder))
                    .attr("spellcheck", "false").attr("autocomplete", "off").prop("value", q.clone())
                    .on("input", move |ev| {
                        let v = event_value(ev);
                        draft.set(v.clone());
                        typing.set(v);
                    })
                    .on("keydown", move |ev| {
                        let key = js_sys::Reflect::get(ev, &"key".into()).ok().and_then(|k| k.as_string()).unwrap_or_default();
                        if key == "Enter" {
                            typing.set(String::new());
                            s1(&[("query", Some(event_value(ev))), ("cursor", None)], true);
                        }
                    }),
                h("button").testid("search").text(t(Msg::Search)).on("click", move |_| {
                    let v = draft.get_untracked();
                    typing.set(String::new());
                    s2(&[("query", Some(v)), ("cursor", None)], true);
                }),
                select("issue-sort", Msg::SortBy, &cur_sort, sorts, move |v| s3(&[("sort", Some(v)), ("cursor", None)], true)),
                h("span").class("muted small").text(t(Msg::KeyboardHint)),
            ])]
        }) />
        <Mount class="suggest-host" render=Box::new(move || {
            let q = typing.get();
            if q.is_empty() {
                return Vec::new();
            }
            let envs = ctx.meta.get().map(|m| m.environments()).unwrap_or_default();
            let servers: Vec<String> = extras.data.with(|d| {
                let mut v: Vec<String> = d.as_ref().map(|d| d.servers.values().flatten().map(|s| s.0.clone()).collect()).unwrap_or_default();
                lookout_core::sort::sort_by(&mut v, |a, b| lookout_core::series::natural_cmp(a, b));
                v.dedup();
                v
            });
            let list = suggestions(&q, &servers, &envs);
            if list.is_empty() {
                return Vec::new();
            }
            vec![h("div").class("suggest").testid("suggestions").children(list.into_iter().map(|s| {
                let set = set_sugg.clone();
                let q = q.clone();
                h("button").text(s.clone()).on("click", move |_| {
                    let next = apply_suggestion(&q, &s);
                    typing.set(String::new());
                    set(&[("query", Some(next.trim().to_owned())), ("cursor", None)], true);
                })
            }).collect())]
        }) />
        <section class="panel">
            {load_state(data, |d: &Page<Vec<IssueDto>>| d.data.is_empty())}
            <Mount node=list render=Box::new(move || {
                let Some(d) = data.data.get() else { return Vec::new() };
                if d.data.is_empty() {
                    return vec![h("p").class("empty").testid("no-issues").text(t(Msg::NoIssues))];
                }
                let scope = ctx.scope.get();
                let sel = selected.get();
                let fresh = new_ids.get();
                let now = chrono::Utc::now();
                // Read, not followed: the servers' answer is written into the drawn rows below.
                let more = extras.data.get_untracked();
                let rows: Vec<H> = d.data.iter().enumerate().map(|(k, i)| row(&scope, i, more.as_deref(), k == sel, fresh.contains(&i.id), now)).collect();
                let ss = set_list.clone();
                let spark_14 = period.get().as_deref() == Some("14d");
                vec![
                    h("table").class("issues").testid("issues").child(h("thead").child(h("tr").children(vec![
                        h("th").text(t(Msg::ColIssue)),
                        h("th").child(h("button").class("linkish").testid("spark-period").text(if spark_14 { "14d" } else { t(Msg::ColGraph) })
                            .on("click", move |_| ss(&[("stats", if spark_14 { None } else { Some("14d".into()) })], true))),
                        h("th").class("num").text(t(Msg::ColEvents)),
                        h("th").class("num").text(t(Msg::ColUsers)),
                        h("th").text(t(Msg::ColServers)),
                        h("th").text(format!("{} / {}", t(Msg::LastSeen), t(Msg::FirstSeen))),
                    ]))).child(h("tbody").children(rows)),
                ]
            }) />
            // The pager apart from the rows: it stays the same element when the servers arrive
            // and the rows are drawn again (a click at that moment is not lost).
            <Mount render=Box::new(move || {
                let Some(d) = data.data.get() else { return Vec::new() };
                if d.data.is_empty() {
                    return Vec::new();
                }
                let next = d.paging.next_cursor().map(str::to_owned);
                let prev = d.paging.previous_cursor().map(str::to_owned);
                let (sn, sp) = (set_pager.clone(), set_pager.clone());
                vec![h("div").class("pager").children(vec![
                    h("span").class("muted small").text(d.hits.map(|n| tf(Msg::Truncated, &[&d.data.len().to_string(), &n.to_string()])).unwrap_or_default()),
                    h("button").testid("prev-page").attr_if(prev.is_none(), "disabled", "").text(t(Msg::PrevPage)).on("click", move |_| sp(&[("cursor", prev.clone())], true)),
                    h("button").testid("next-page").attr_if(next.is_none(), "disabled", "").text(t(Msg::NextPage)).on("click", move |_| sn(&[("cursor", next.clone())], true)),
                ])]
            }) />
        </section>
    }
}
