//! `/issues`: the issue list, with the servers each issue hit.

use crate::api::client::{Api, Cancel, Page};
use crate::api::resources::{self, IssueQuery, IssueSort, Scope};
use crate::components::age::ago;
use crate::components::dom::{h, link_cut, untrusted, Mount, H};
use crate::components::filters::{use_set_query_rc, FilterBar};
use crate::components::nav::{event_value, select};
use crate::components::sparkline;
use crate::components::status::{load_state, mark_first_data};
use crate::i18n::{t, tf, Msg};
use crate::state::loader::use_load;
use crate::state::view::{scoped_href, use_page, use_param, ViewScope};
use leptos::prelude::*;
use lookout_core::model::IssueDto;
use lookout_core::query::percent_encode;
use lookout_core::text::level_class;
use lookout_core::ApiError;
use std::collections::{HashMap, HashSet};

/// Rows per page.
pub const PAGE_SIZE: u32 = 25;

/// One page of issues and what is known about each.
#[derive(Clone, Debug, Default)]
pub struct IssuesData {
    pub page: Page<Vec<IssueDto>>,
    /// Issue id → busiest servers with counts.
    pub servers: HashMap<String, Vec<(String, u64)>>,
    /// GlitchTip's sparklines (its list has none).
    pub sparks: HashMap<String, Vec<(i64, f64)>>,
}

async fn load(
    api: Api,
    q: IssueQuery,
    projects: Vec<lookout_core::model::ProjectDto>,
    cancel: Cancel,
) -> Result<IssuesData, ApiError> {
    let page = resources::issues(&api, &q, &cancel).await?;
    let ids: Vec<String> = page.data.iter().map(|i| i.id.clone()).collect();
    let mut data = IssuesData {
        page,
        ..Default::default()
    };
    if ids.is_empty() {
        return Ok(data);
    }
    if api.is_glitchtip() {
        // No events table: sparklines from `issues-stats` (one request for the page, sparse
        // buckets filled), servers from the projects' event lists.
        let period = q.stats_period;
        let (stats, servers) = futures::join!(
            resources::issues_stats(&api, &ids, period, &cancel),
            crate::api::glitchtip::issue_servers(&api, &q.scope, &projects, &ids, &cancel)
        );
        if let Ok(stats) = stats {
            for s in stats {
                let pts = s.stats.get(period).cloned().unwrap_or_default();
                data.sparks
                    .insert(s.id, crate::api::glitchtip::filled(&pts, period));
            }
        }
        if let Ok((servers, users)) = servers {
            data.servers = servers;
            // GlitchTip's list says 0 users: the window's events know them.
            for i in &mut data.page.data {
                i.user_count = users.get(&i.id).copied().unwrap_or(i.user_count);
            }
        }
        return Ok(data);
    }
    // The servers of every issue on the page in one table request (never one per issue).
    // The list still works if this fails (older servers without the events table).
    if let Ok((counts, _)) = resources::issue_server_counts(&api, &ids, &q.scope, 6, &cancel).await
    {
        for (id, server, n) in counts.into_iter().filter(|c| !c.1.is_empty()) {
            data.servers.entry(id).or_default().push((server, n));
        }
    }
    Ok(data)
}

/// Tag keys offered while typing a query.
const KEYS: [&str; 16] = [
    "is:",
    "level:",
    "server_name:",
    "environment:",
    "release:",
    "cloud:",
    "region:",
    "has:",
    "firstSeen:",
    "lastSeen:",
    "times_seen:",
    "assigned:",
    "user.email:",
    "transaction:",
    "url:",
    "!server_name:",
];
const IS_VALUES: [&str; 7] = [
    "unresolved",
    "resolved",
    "ignored",
    "for_review",
    "regressed",
    "assigned",
    "unassigned",
];
const LEVELS: [&str; 5] = ["fatal", "error", "warning", "info", "debug"];

/// Suggestions for the last word of a query: keys, or values of the key being typed.
pub fn suggestions(query: &str, servers: &[String], envs: &[String]) -> Vec<String> {
    let last = query.rsplit(' ').next().unwrap_or("");
    let Some((key, prefix)) = last.split_once(':') else {
        return KEYS
            .iter()
            .filter(|k| !last.is_empty() && k.starts_with(last))
            .map(|k| (*k).to_owned())
            .collect();
    };
    let key = key.trim_start_matches('!');
    let values: Vec<String> = match key {
        "is" => IS_VALUES.iter().map(|v| (*v).to_owned()).collect(),
        "level" => LEVELS.iter().map(|v| (*v).to_owned()).collect(),
        "server_name" => servers.to_vec(),
        "environment" => envs.to_vec(),
        "firstSeen" | "lastSeen" => ["-1h", "-24h", "-7d", "-14d"]
            .iter()
            .map(|v| (*v).to_owned())
            .collect(),
        _ => Vec::new(),
    };
    let prefix = prefix.to_lowercase();
    values
        .into_iter()
        .filter(|v| v.to_lowercase().starts_with(&prefix) && v.to_lowercase() != prefix)
        .take(12)
        .map(|v| {
            format!(
                "{}{}",
                &last[..=last.find(':').unwrap_or(0)],
                lookout_core::query::quote_search_value(&v)
            )
        })
        .collect()
}

/// Replaces the last word of the query with a suggestion.
fn apply_suggestion(query: &str, s: &str) -> String {
    match query.rfind(' ') {
        Some(i) => format!("{} {s} ", &query[..i]),
        None => format!("{s} "),
    }
}

fn issue_href(scope: &ViewScope, id: &str) -> String {
    scoped_href(
        &crate::href(&format!("/issues/{}", percent_encode(id))),
        scope,
        &[],
    )
}

fn row(
    scope: &ViewScope,
    i: &IssueDto,
    d: &IssuesData,
    selected: bool,
    is_new: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> H {
    let spark: Vec<f64> = match d.sparks.get(&i.id) {
        Some(p) => p.iter().map(|p| p.1).collect(),
        None => i.sparkline().iter().map(|p| p.1).collect(),
    };
    // The whole list (every server, whole names) as the cell's title.
    let servers_title = d.servers.get(&i.id).map(|list| {
        let all: Vec<String> = list
            .iter()
            .map(|(s, n)| format!("{} ({n})", untrusted(s, 200)))
            .collect();
        crate::components::dom::bounded(&all.join(", "))
    });
    let servers = d.servers.get(&i.id).map(|list| {
        let shown: Vec<String> = list
            .iter()
            .take(3)
            .map(|(s, n)| {
                format!(
                    "{} ({})",
                    untrusted(s, 40),
                    lookout_core::format::compact_count(*n as f64)
                )
            })
            .collect();
        let more = list.len().saturating_sub(3);
        if more > 0 {
            format!("{} +{more}", shown.join(", "))
        } else {
            shown.join(", ")
        }
    });
    let level = i.level.clone();
    let mut cls = String::new();
    if selected {
        cls.push_str("sel ");
    }
    if is_new {
        cls.push_str("new");
    }
    let mut title = h("div")
        .k(h("span")
            .c(format!("lvl lvl-{}", level_class(&level)))
            .a("title", level.clone()))
        .k(link_cut(&issue_href(scope, &i.id), &i.title, 300).c("issue-title"));
    if is_new {
        title = title.k(h("span")
            .c("badge")
            .id("new-badge")
            .t(t(Msg::NewSinceRefresh)));
    }
    if i.is_unhandled {
        title = title.k(h("span").c("badge").t(t(Msg::Unhandled)));
    }
    if i.status != "unresolved" && !i.status.is_empty() {
        title = title.k(h("span").c("badge").cut(&i.status, 30));
    }
    h("tr")
        .id("issue-row")
        .a("data-id", i.id.clone())
        .a_if(!cls.is_empty(), "class", cls)
        .ks(vec![
            h("td").k(title).k(
                match i.culprit.as_deref().filter(|c| !c.trim().is_empty()) {
                    Some(c) => h("div")
                        .c("culprit")
                        .t(format!("{} · ", i.short_id))
                        .cut(c, 200),
                    // GlitchTip's lists send an empty culprit.
                    None => h("div").c("culprit").t(i.short_id.clone()),
                },
            ),
            h("td").k(sparkline::svg(&spark)),
            h("td")
                .c("num")
                .t(lookout_core::format::grouped_count(i.count)),
            h("td")
                .c("num")
                .t(lookout_core::format::grouped_count(i.user_count)),
            h("td")
                .c("servers-cell")
                .id("issue-servers")
                .a_if(
                    servers_title.is_some(),
                    "title",
                    servers_title.unwrap_or_default(),
                )
                .t(servers.unwrap_or_else(|| "–".into())),
            h("td")
                .c("small")
                .k(ago(i.lifetime_last_seen(), now))
                .t(" / ")
                .k(ago(i.lifetime_first_seen(), now)),
        ])
}

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
    let selected = RwSignal::new(0usize);
    // Ids seen before the latest refresh: anything else is new.
    let seen: StoredValue<Option<HashSet<String>>> = StoredValue::new(None);
    let new_ids: RwSignal<HashSet<String>> = RwSignal::new(HashSet::new());
    let data = use_load(
        move || {
            let api = ctx.api.get()?;
            let s = ctx.scope.get();
            // GlitchTip's servers per issue come from its projects' event lists.
            let projects = if api.is_glitchtip() {
                ctx.meta.get()?.projects.clone()
            } else {
                Vec::new()
            };
            Some((
                api,
                projects,
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
                    stats_period: if period.get().as_deref() == Some("14d") {
                        "14d"
                    } else {
                        "24h"
                    },
                },
            ))
        },
        move || ctx.tick(),
        |(api, projects, q), cancel| load(api, q, projects, cancel),
        move |r| ctx.report(r),
    );
    Effect::new(move |_| {
        let Some(d) = data.data.get() else { return };
        let ids: HashSet<String> = d.page.data.iter().map(|i| i.id.clone()).collect();
        let fresh = seen.with_value(|s| {
            s.as_ref()
                .map(|s| ids.difference(s).cloned().collect::<HashSet<_>>())
                .unwrap_or_default()
        });
        new_ids.set(fresh);
        seen.update_value(|s| s.get_or_insert_with(HashSet::new).extend(ids));
        mark_first_data();
        crate::components::chart::measure_to_paint("lookout:issues-render");
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
            .with_untracked(|d| d.as_ref().map_or(0, |d| d.page.data.len()));
        match ev.key().as_str() {
            "j" if n > 0 => selected.update(|s| *s = (*s + 1).min(n - 1)),
            "k" => selected.update(|s| *s = s.saturating_sub(1)),
            "Enter" => {
                let id = data.data.with_untracked(|d| {
                    d.as_ref().and_then(|d| {
                        d.page
                            .data
                            .get(selected.get_untracked())
                            .map(|i| i.id.clone())
                    })
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
    let set_sugg = set.clone();
    view! {
        <h1 class="page-title">{t(Msg::IssuesTitle)}</h1>
        <FilterBar ctx=ctx />
        <Mount render=Box::new(move || {
            let q = query.get();
            let s1 = set_bar.clone();
            let s2 = set_bar.clone();
            let s3 = set_bar.clone();
            let cur_sort = sort.get().unwrap_or_else(|| "date".into());
            let glitchtip = ctx.meta.get().is_some_and(|m| m.api.is_glitchtip());
            let mut sorts = vec![("date".to_owned(), t(Msg::SortLastSeen).to_owned()), ("new".into(), t(Msg::SortFirstSeen).into()), ("freq".into(), t(Msg::SortEvents).into())];
            if !glitchtip {
                sorts.push(("user".into(), t(Msg::SortUsers).into()));
            }
            vec![h("div").c("querybar").ks(vec![
                h("input").a("type", "search").a("id", "issue-query").id("query").a("aria-label", t(Msg::Search)).a("placeholder", t(Msg::SearchPlaceholder))
                    .a("spellcheck", "false").a("autocomplete", "off").p("value", q.clone())
                    .on("input", move |ev| typing.set(event_value(ev)))
                    .on("keydown", move |ev| {
                        let key = js_sys::Reflect::get(ev, &"key".into()).ok().and_then(|k| k.as_string()).unwrap_or_default();
                        if key == "Enter" {
                            typing.set(String::new());
                            s1(&[("query", Some(event_value(ev))), ("cursor", None)], true);
                        }
                    }),
                h("button").id("search").t(t(Msg::Search)).on("click", move |_| {
                    let v = crate::components::dom::value_of("issue-query");
                    typing.set(String::new());
                    s2(&[("query", Some(v)), ("cursor", None)], true);
                }),
                select("issue-sort", Msg::SortBy, &cur_sort, sorts, move |v| s3(&[("sort", Some(v)), ("cursor", None)], true)),
                h("span").c("muted small").t(t(Msg::KeyboardHint)),
            ])]
        }) />
        <Mount class="suggest-host" render=Box::new(move || {
            let q = typing.get();
            if q.is_empty() {
                return Vec::new();
            }
            let envs = ctx.meta.get().map(|m| m.environments()).unwrap_or_default();
            let servers: Vec<String> = data.data.with(|d| {
                let mut v: Vec<String> = d.as_ref().map(|d| d.servers.values().flatten().map(|s| s.0.clone()).collect()).unwrap_or_default();
                lookout_core::sort::sort_by(&mut v, |a, b| lookout_core::series::natural_cmp(a, b));
                v.dedup();
                v
            });
            let list = suggestions(&q, &servers, &envs);
            if list.is_empty() {
                return Vec::new();
            }
            vec![h("div").c("suggest").id("suggestions").ks(list.into_iter().map(|s| {
                let set = set_sugg.clone();
                let q = q.clone();
                h("button").t(s.clone()).on("click", move |_| {
                    let next = apply_suggestion(&q, &s);
                    typing.set(String::new());
                    set(&[("query", Some(next.trim().to_owned())), ("cursor", None)], true);
                })
            }).collect())]
        }) />
        <section class="panel">
            {load_state(data, |d: &IssuesData| d.page.data.is_empty())}
            <Mount render=Box::new(move || {
                let Some(d) = data.data.get() else { return Vec::new() };
                if d.page.data.is_empty() {
                    return vec![h("p").c("empty").id("no-issues").t(t(Msg::NoIssues))];
                }
                let scope = ctx.scope.get();
                let sel = selected.get();
                let fresh = new_ids.get();
                let now = chrono::Utc::now();
                let rows: Vec<H> = d.page.data.iter().enumerate().map(|(k, i)| row(&scope, i, &d, k == sel, fresh.contains(&i.id), now)).collect();
                let next = d.page.paging.next_cursor().map(str::to_owned);
                let prev = d.page.paging.previous_cursor().map(str::to_owned);
                let (sn, sp, ss) = (set_list.clone(), set_list.clone(), set_list.clone());
                let spark_14 = period.get().as_deref() == Some("14d");
                vec![
                    h("table").c("issues").id("issues").k(h("thead").k(h("tr").ks(vec![
                        h("th").t(t(Msg::ColIssue)),
                        h("th").k(h("button").c("linkish").id("spark-period").t(if spark_14 { "14d" } else { t(Msg::ColGraph) })
                            .on("click", move |_| ss(&[("stats", if spark_14 { None } else { Some("14d".into()) })], true))),
                        h("th").c("num").t(t(Msg::ColEvents)),
                        h("th").c("num").t(t(Msg::ColUsers)),
                        h("th").t(t(Msg::ColServers)),
                        h("th").t(format!("{} / {}", t(Msg::LastSeen), t(Msg::FirstSeen))),
                    ]))).k(h("tbody").ks(rows)),
                    h("div").c("pager").ks(vec![
                        h("span").c("muted small").t(d.page.hits.map(|n| tf(Msg::Truncated, &[&d.page.data.len().to_string(), &n.to_string()])).unwrap_or_default()),
                        h("button").id("prev-page").a_if(prev.is_none(), "disabled", "").t(t(Msg::PrevPage)).on("click", move |_| sp(&[("cursor", prev.clone())], true)),
                        h("button").id("next-page").a_if(next.is_none(), "disabled", "").t(t(Msg::NextPage)).on("click", move |_| sn(&[("cursor", next.clone())], true)),
                    ]),
                ]
            }) />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_keys_and_values() {
        assert!(suggestions("is:unresolved ser", &[], &[]).contains(&"server_name:".to_owned()));
        let s = suggestions("server_name:aws", &["aws-1".into(), "gcp-1".into()], &[]);
        assert_eq!(s, vec!["server_name:aws-1"]);
        assert_eq!(suggestions("level:er", &[], &[]), vec!["level:error"]);
        assert_eq!(
            apply_suggestion("is:unresolved ser", "server_name:"),
            "is:unresolved server_name: "
        );
    }
}
