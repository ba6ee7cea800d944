//! `/issues/:id`: what happened, where, and what led up to it.
//!
//! Event content is untrusted: it is rendered as text nodes only, bounded in size (frames,
//! breadcrumbs, message, variables, contexts), and only http(s) URLs become links.

use crate::api::client::{Api, Cancel};
use crate::api::resources;
use crate::components::chart::{ChartSpec, TimeChart};
use crate::components::dom::{h, link, link_cut, link_titled, untrusted, Mount, H};
use crate::components::filters::use_set_query_rc;
use crate::components::nav::select;
use crate::components::status::{load_state, mark_first_data};
use crate::i18n::{t, tf, Msg};
use crate::state::app::use_app;
use crate::state::loader::use_load;
use crate::state::view::{scoped_href, use_page, use_param, ViewScope};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use lookout_core::format::{compact_count, date_time, grouped_count, relative_offset};
use lookout_core::model::{
    Breadcrumb, EventDto, ExceptionValue, Frame, IssueDto, TableRow, TagKeyDto,
};
use lookout_core::query::{percent_encode, quote_search_value, Params};
use lookout_core::series::{NamedSeries, SeriesSet};
use lookout_core::text::level_class;
use lookout_core::ApiError;
use serde_json::Value;
use std::collections::HashSet;
use std::sync::Arc;

/// Frames shown before "show more" (per exception).
const FRAMES: usize = 50;
/// Breadcrumbs shown before "show more" (the most recent).
const CRUMBS: usize = 100;
/// Characters of a message shown before "show more".
const MESSAGE: usize = 4000;
/// Characters of one value (variables, data, headers).
const VALUE: usize = 400;
/// Keys shown per object, and nesting shown.
const KEYS: usize = 50;
const DEPTH: usize = 3;

/// One server's share of an issue.
#[derive(Clone, Debug, PartialEq)]
pub struct ServerShare {
    pub server: String,
    pub group: String,
    pub count: u64,
}

async fn distribution(
    api: Api,
    id: String,
    envs: Vec<String>,
    cancel: Cancel,
) -> Result<Vec<ServerShare>, ApiError> {
    if api.is_glitchtip() {
        let tag = resources::issue_tag_values(&api, &id, "server_name", &envs, &cancel).await?;
        return Ok(tag
            .top_values
            .into_iter()
            .map(|v| ServerShare {
                server: v.value,
                group: String::new(),
                count: v.count,
            })
            .collect());
    }
    // Every server (not only the top values) with its cloud and region, in one paged query.
    let p = Params::new()
        .push("dataset", "errors")
        .push("field", "server_name")
        .push("field", "cloud")
        .push("field", "region")
        .push("field", "count()")
        .push("sort", "-count()")
        .push("per_page", "100")
        .push("statsPeriod", "90d")
        .push("query", format!("issue.id:{}", quote_search_value(&id)))
        .push_all("environment", envs.iter().cloned());
    let rows = resources::events_table_all(&api, &p, 10, &cancel).await?;
    let mut out: Vec<ServerShare> = Vec::new();
    for r in rows {
        let Some(server) = r.text("server_name").filter(|s| !s.is_empty()) else {
            continue;
        };
        let group = match (r.text("cloud"), r.text("region")) {
            (Some(c), Some(rg)) if !c.is_empty() => format!("{c} · {rg}"),
            (Some(c), _) if !c.is_empty() => c,
            _ => String::new(),
        };
        let n = r.number("count()").unwrap_or(0.0) as u64;
        match out.iter_mut().find(|s| s.server == server) {
            Some(s) => s.count += n,
            None => out.push(ServerShare {
                server,
                group,
                count: n,
            }),
        }
    }
    Ok(out)
}

fn issues_with(scope: &ViewScope, key: &str, value: &str) -> String {
    scoped_href(
        &crate::href("/issues"),
        scope,
        &[("query", format!("{key}:{}", quote_search_value(value)))],
    )
}

fn kv(rows: Vec<(String, String)>) -> H {
    h("dl").c("kv").ks(rows
        .into_iter()
        .flat_map(|(k, v)| [h("dt").cut(&k, 120), h("dd").cut(&v, VALUE)])
        .collect())
}

/// Flattens a JSON value into `key.path → text`, bounded in depth and size.
fn flatten(prefix: &str, v: &Value, depth: usize, out: &mut Vec<(String, String)>) {
    if out.len() >= KEYS * 4 {
        return;
    }
    match v {
        Value::Object(m) if depth < DEPTH => {
            for (i, (k, x)) in m.iter().enumerate() {
                if i >= KEYS {
                    out.push((
                        format!("{prefix}…"),
                        tf(Msg::ShowMore, &[&(m.len() - KEYS).to_string()]),
                    ));
                    break;
                }
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, x, depth + 1, out);
            }
        }
        Value::Array(a) if depth < DEPTH && a.len() <= 10 => {
            for (i, x) in a.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), x, depth + 1, out);
            }
        }
        other => {
            let text = lookout_core::lenient::display_value(other);
            out.push((prefix.to_owned(), lookout_core::error::clip(&text, VALUE)));
        }
    }
}

/// Puts what GlitchTip's issue details leave out into the issue.
fn glitchtip_fill(i: &mut IssueDto, x: &crate::api::glitchtip::IssueTagFacts) {
    if let Some(u) = x.users {
        i.user_count = i.user_count.max(u);
    }
    let rel = |v: &Option<String>| {
        v.as_ref().map(|v| lookout_core::model::org::ReleaseRef {
            version: v.clone(),
            ..Default::default()
        })
    };
    if i.first_release.is_none() {
        i.first_release = rel(&x.first_release);
    }
    if i.last_release.is_none() {
        i.last_release = rel(&x.last_release);
    }
}

fn header(issue: &IssueDto, scope: &ViewScope, kind_name: &str) -> H {
    let now = chrono::Utc::now();
    let offset = crate::utc_offset_minutes();
    let when = |tm: Option<chrono::DateTime<chrono::Utc>>| {
        tm.map_or_else(
            || "–".into(),
            |tm| {
                format!(
                    "{} ({})",
                    date_time(tm, offset),
                    crate::components::age::age_text(tm, now)
                )
            },
        )
    };
    let release = |r: &Option<lookout_core::model::org::ReleaseRef>| {
        r.as_ref().map_or_else(
            || "–".into(),
            |r| untrusted(r.short_version.as_deref().unwrap_or(&r.version), 80),
        )
    };
    let mut links: Vec<H> = Vec::new();
    if let Some(url) = issue
        .permalink
        .as_deref()
        .and_then(lookout_core::text::safe_url)
    {
        links.push(link(&url, tf(Msg::OpenInSource, &[kind_name])).id("permalink"));
    }
    for a in &issue.annotations {
        links.push(match a.url.as_deref() {
            Some(u) => link_cut(u, &a.text, 80),
            None => h("span").cut(&a.text, 80),
        });
    }
    let cell = |label: Msg, value: String| {
        h("div")
            .k(h("div").c("muted small").t(t(label)))
            .k(h("div").t(value))
    };
    h("section").c("panel").id("issue-header").ks(vec![
        h("div")
            .k(h("span").c(format!("lvl lvl-{}", level_class(&issue.level))))
            .k(h("span").c("muted").t(format!(
                "{} · {}",
                issue.short_id,
                untrusted(&issue.level, 20)
            )))
            .ko(issue
                .is_unhandled
                .then(|| h("span").c("badge").t(t(Msg::Unhandled)))),
        h("h1")
            .c("page-title")
            .id("issue-title")
            .cut(&issue.title, 500),
        h("div")
            .c("culprit")
            .cut(issue.culprit.as_deref().unwrap_or(""), 300),
        h("div").c("header-grid").ks(vec![
            cell(
                Msg::Status,
                untrusted(
                    &format!(
                        "{} {}",
                        issue.status,
                        issue.substatus.as_deref().unwrap_or("")
                    ),
                    60,
                ),
            ),
            cell(Msg::ColEvents, grouped_count(issue.lifetime_count())),
            cell(
                Msg::ColUsers,
                grouped_count(
                    issue
                        .lifetime
                        .as_ref()
                        .map_or(issue.user_count, |l| l.user_count.max(issue.user_count)),
                ),
            ),
            cell(Msg::FirstSeen, when(issue.lifetime_first_seen())),
            cell(Msg::LastSeen, when(issue.lifetime_last_seen())),
            cell(Msg::FirstRelease, release(&issue.first_release)),
            cell(Msg::LastRelease, release(&issue.last_release)),
        ]),
        h("div").c("row").ks(links),
        h("a")
            .a("href", scoped_href(&crate::href("/issues"), scope, &[]))
            .c("small")
            .t(format!("← {}", t(Msg::IssuesTitle))),
    ])
}

fn distribution_view(list: &[ServerShare], scope: &ViewScope) -> H {
    let cfg = use_app().config.get_untracked();
    let total: u64 = list.iter().map(|s| s.count).sum::<u64>().max(1);
    let max = list.iter().map(|s| s.count).max().unwrap_or(1).max(1) as f64;
    let mut groups: Vec<(String, Vec<&ServerShare>)> = Vec::new();
    for s in list {
        let g = cfg
            .group_of(&s.server)
            .map(str::to_owned)
            .unwrap_or_else(|| {
                if s.group.is_empty() {
                    "—".into()
                } else {
                    s.group.clone()
                }
            });
        match groups.iter_mut().find(|x| x.0 == g) {
            Some(x) => x.1.push(s),
            None => groups.push((g, vec![s])),
        }
    }
    lookout_core::sort::sort_by(&mut groups, |a, b| {
        lookout_core::series::natural_cmp(&a.0, &b.0)
    });
    let mut kids = vec![h("h2").t(tf(Msg::AllServersOf, &[&list.len().to_string()]))];
    for (g, servers) in groups {
        let sum: u64 = servers.iter().map(|s| s.count).sum();
        kids.push(
            h("h3")
                .c("small")
                .t(format!("{} — {}", untrusted(&g, 60), grouped_count(sum))),
        );
        kids.extend(servers.into_iter().map(|s| {
            let pct = s.count as f64 * 100.0 / total as f64;
            h("div").c("dist-bar").id("dist-row").ks(vec![
                link_titled(&issues_with(scope, "server_name", &s.server), &s.server, 60),
                h("div").c("bar").k(h("span").a(
                    "style",
                    format!("width:{:.1}%", s.count as f64 * 100.0 / max),
                )),
                h("div")
                    .c("num")
                    .t(format!("{} · {pct:.0}%", compact_count(s.count as f64))),
            ])
        }));
    }
    h("section").c("panel").id("distribution").ks(kids)
}

fn tags_view(tags: &[TagKeyDto], scope: &ViewScope) -> H {
    let kids = tags
        .iter()
        .filter(|k| k.key != "server_name")
        .take(30)
        .map(|k| {
            h("div")
                .k(h("h3")
                    .c("small")
                    .cut(if k.name.is_empty() { &k.key } else { &k.name }, 60))
                .ks(k
                    .top_values
                    .iter()
                    .take(6)
                    .map(|v| {
                        let pct = k.share(v) * 100.0;
                        h("div").c("dist-bar").ks(vec![
                            link_titled(&issues_with(scope, &k.key, &v.value), &v.value, 60),
                            h("div")
                                .c("bar")
                                .k(h("span").a("style", format!("width:{pct:.1}%"))),
                            h("div").c("num").t(format!("{pct:.0}%")),
                        ])
                    })
                    .collect())
        })
        .collect();
    h("section")
        .c("panel")
        .id("tags")
        .k(h("h2").t(t(Msg::TagDistributions)))
        .k(h("div").c("header-grid").ks(kids))
}

/// UI state of the event view (what is expanded, how much is shown).
#[derive(Clone, Copy)]
struct EventUi {
    frames: RwSignal<usize>,
    crumbs: RwSignal<usize>,
    message: RwSignal<usize>,
    open_frames: RwSignal<HashSet<(usize, usize)>>,
    open_groups: RwSignal<HashSet<(usize, usize)>>,
    level: RwSignal<String>,
    category: RwSignal<String>,
}

fn more_button(testid: &'static str, hidden: usize, f: impl Fn() + 'static) -> Option<H> {
    (hidden > 0).then(|| {
        h("button")
            .c("ghost")
            .id(testid)
            .t(tf(Msg::ShowMore, &[&hidden.to_string()]))
            .on("click", move |_| f())
    })
}

fn frame_view(f: &Frame, exc: usize, i: usize, ui: EventUi) -> H {
    let open = ui.open_frames.with(|s| s.contains(&(exc, i)));
    let line = f
        .line_no
        .map(|l| format!(":{}", l as u64))
        .unwrap_or_default();
    let col = f
        .col_no
        .map(|c| format!(":{}", c as u64))
        .unwrap_or_default();
    let func = f.function.as_deref().unwrap_or("?");
    let head = h("div")
        .c("frame-head")
        .t(format!(
            "{}  {}{}{}",
            untrusted(func, 200),
            untrusted(f.file_label(), 200),
            line,
            col
        ))
        .on("click", move |_| {
            ui.open_frames.update(|s| {
                if !s.remove(&(exc, i)) {
                    s.insert((exc, i));
                }
            })
        });
    let mut el = h("div")
        .c(if f.is_in_app() {
            "frame app"
        } else {
            "frame sys"
        })
        .id("frame")
        .k(head);
    if open {
        if !f.context.is_empty() {
            let hit = f.line_no.map(|l| l as u64);
            el = el.k(h("div").c("ctx").ks(f
                .context
                .iter()
                .take(40)
                .map(|(n, text)| {
                    h("div")
                        .c(if Some(*n) == hit { "line hit" } else { "line" })
                        .k(h("span").c("no").t(n.to_string()))
                        .k(h("span").cut(text, VALUE))
                })
                .collect()));
        }
        if let Some(vars) = &f.vars {
            let mut rows = Vec::new();
            flatten("", vars, 0, &mut rows);
            if !rows.is_empty() {
                el = el
                    .k(h("div").c("muted small").t(t(Msg::Variables)))
                    .k(kv(rows));
            }
        }
    }
    el
}

fn stack_view(frames: &[Frame], exc: usize, ui: EventUi) -> Vec<H> {
    // Most recent call first; runs of system frames collapse into one line.
    let ordered: Vec<(usize, &Frame)> = frames.iter().enumerate().rev().collect();
    let limit = ui.frames.get();
    let mut out = Vec::new();
    let mut k = 0;
    while k < ordered.len() && k < limit {
        let (i, f) = ordered[k];
        if f.is_in_app() {
            out.push(frame_view(f, exc, i, ui));
            k += 1;
            continue;
        }
        let start = k;
        while k < ordered.len() && !ordered[k].1.is_in_app() {
            k += 1;
        }
        let group = (exc, start);
        if ui.open_groups.with(|g| g.contains(&group)) {
            out.extend(
                ordered[start..k]
                    .iter()
                    .map(|(i, f)| frame_view(f, exc, *i, ui)),
            );
        } else {
            let n = k - start;
            out.push(
                h("button")
                    .c("linkish sysgroup")
                    .id("system-frames")
                    .t(tf(Msg::SystemFrames, &[&n.to_string()]))
                    .on("click", move |_| {
                        ui.open_groups.update(|g| {
                            g.insert(group);
                        })
                    }),
            );
        }
    }
    out.extend(more_button(
        "more-frames",
        ordered.len().saturating_sub(k),
        move || ui.frames.update(|f| *f += 200),
    ));
    out
}

fn exception_view(values: &[ExceptionValue], ui: EventUi) -> H {
    // Values are oldest first; the last one is what was raised.
    let mut kids = vec![h("h2").t(t(Msg::Exception))];
    for (pos, (idx, e)) in values.iter().enumerate().rev().enumerate() {
        let label = if pos == 0 {
            t(Msg::Raised)
        } else {
            t(Msg::CausedBy)
        };
        let handled = e.mechanism.as_ref().and_then(|m| m.handled);
        kids.push(h("div").c("muted small").t(format!(
            "{label}{}",
            match handled {
                Some(false) => format!(" · {}", t(Msg::Unhandled)),
                Some(true) => format!(" · {}", t(Msg::Handled)),
                None => String::new(),
            }
        )));
        kids.push(
            h("div")
                .c("exc-type")
                .id("exc-type")
                .cut(e.kind.as_deref().unwrap_or("Error"), 200),
        );
        kids.push(
            h("div")
                .c("exc-value")
                .cut(e.value.as_deref().unwrap_or(""), MESSAGE),
        );
        match &e.stacktrace {
            Some(st) if !st.frames.is_empty() => kids.extend(stack_view(&st.frames, idx, ui)),
            _ => kids.push(h("p").c("muted").t(t(Msg::NoStack))),
        }
    }
    h("section").c("panel").id("exception").ks(kids)
}

fn crumbs_view(crumbs: &[Breadcrumb], at: Option<chrono::DateTime<chrono::Utc>>, ui: EventUi) -> H {
    let level = ui.level.get();
    let category = ui.category.get();
    let mut levels: Vec<String> = crumbs.iter().filter_map(|b| b.level.clone()).collect();
    let mut cats: Vec<String> = crumbs.iter().filter_map(|b| b.category.clone()).collect();
    for v in [&mut levels, &mut cats] {
        lookout_core::sort::sort_by(v, |a, b| a.cmp(b));
        v.dedup();
        v.truncate(30);
    }
    let shown: Vec<&Breadcrumb> = crumbs
        .iter()
        .filter(|b| level.is_empty() || b.level.as_deref() == Some(level.as_str()))
        .filter(|b| category.is_empty() || b.category.as_deref() == Some(category.as_str()))
        .collect();
    let limit = ui.crumbs.get();
    let hidden = shown.len().saturating_sub(limit);
    let rows: Vec<H> = shown[hidden..]
        .iter()
        .map(|b| {
            let when = match (b.timestamp, at) {
                (Some(tm), Some(at)) => relative_offset(tm, at),
                (Some(tm), None) => date_time(tm, crate::utc_offset_minutes()),
                _ => "–".into(),
            };
            let mut text = b.message.clone().unwrap_or_default();
            if let Some(d) = &b.data {
                let mut rows = Vec::new();
                flatten("", d, 1, &mut rows);
                let data: Vec<String> = rows
                    .into_iter()
                    .take(8)
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                if !data.is_empty() {
                    text = format!("{text} {}", data.join(" "));
                }
            }
            let lv = b.level.clone().unwrap_or_default();
            h("div")
                .c(format!("crumb {}", level_class(&lv)))
                .id("crumb")
                .ks(vec![
                    h("span").c("when").t(when),
                    h("span").c("badge").cut(
                        b.category
                            .as_deref()
                            .or(b.kind.as_deref())
                            .unwrap_or("default"),
                        40,
                    ),
                    h("span").cut(text.trim(), VALUE * 2),
                ])
        })
        .collect();
    let opts = |all: &str, list: &[String]| -> Vec<(String, String)> {
        std::iter::once((String::new(), all.to_owned()))
            .chain(list.iter().map(|v| (v.clone(), untrusted(v, 40))))
            .collect()
    };
    h("section")
        .c("panel")
        .id("breadcrumbs")
        .ks(vec![h("div").c("panel-head").ks(vec![
            h("h2").t(t(Msg::Breadcrumbs)),
            h("div").c("controls").ks(vec![
                select(
                    "crumb-level",
                    Msg::FilterLevel,
                    &level,
                    opts(t(Msg::AllLevels), &levels),
                    move |v| ui.level.set(v),
                ),
                select(
                    "crumb-category",
                    Msg::FilterCategory,
                    &category,
                    opts(t(Msg::AllCategories), &cats),
                    move |v| ui.category.set(v),
                ),
            ]),
        ])])
        .ko(more_button("more-crumbs", hidden, move || {
            ui.crumbs.update(|c| *c += 200)
        }))
        .k(h("div").c("crumbs").ks(rows).k(h("div")
            .c("crumb the-error")
            .k(h("span").c("when").t("0ms"))
            .k(h("span").c("badge").t(t(Msg::AtTheError)))
            .k(h("span"))))
}

fn event_view(
    e: &EventDto,
    scope: &ViewScope,
    ui: EventUi,
    set: &crate::components::filters::SetQuery,
) -> Vec<H> {
    let mut out = Vec::new();
    let nav = |label: Msg, target: Option<String>, testid: &'static str| {
        let set = set.clone();
        h("button")
            .id(testid)
            .a_if(target.is_none(), "disabled", "")
            .t(t(label))
            .on("click", move |_| set(&[("event", target.clone())], true))
    };
    let mut bar = vec![
        h("span")
            .c("muted")
            .id("event-id")
            .t(tf(Msg::EventOf, &[&untrusted(e.event_id(), 40)])),
        nav(Msg::OlderEvent, e.previous_event_id.clone(), "older-event"),
        nav(Msg::NewerEvent, e.next_event_id.clone(), "newer-event"),
        nav(Msg::LatestEvent, Some("latest".into()), "latest-event"),
    ];
    if let Some(tr) = e.trace_id() {
        bar.push(
            link(
                &scoped_href(
                    &crate::href(&format!("/trace/{}", percent_encode(tr))),
                    scope,
                    &[],
                ),
                t(Msg::ViewTrace),
            )
            .id("trace-link"),
        );
    }
    if let Some(tm) = e.date_created {
        bar.push(
            h("span")
                .c("muted small")
                .t(date_time(tm, crate::utc_offset_minutes())),
        );
    }
    out.push(h("div").c("row").id("event-nav").ks(bar));
    if let Some(exc) = e.exception() {
        out.push(exception_view(&exc.values, ui));
    } else if let Some(st) = e.thread_stacktrace() {
        out.push(
            h("section")
                .c("panel")
                .id("exception")
                .k(h("h2").t(t(Msg::StackTrace)))
                .ks(stack_view(&st.frames, 0, ui)),
        );
    }
    if let Some(m) = e.message_text() {
        let limit = ui.message.get();
        let (text, cut) = lookout_core::text::display(m, limit);
        out.push(
            h("section")
                .c("panel")
                .id("message")
                .k(h("h2").t(t(Msg::Message)))
                .k(h("pre").t(text))
                .ko(more_button(
                    "more-message",
                    if cut {
                        m.chars().count().saturating_sub(limit)
                    } else {
                        0
                    },
                    move || ui.message.update(|l| *l += 50_000),
                )),
        );
    }
    if !e.breadcrumbs().is_empty() {
        out.push(crumbs_view(e.breadcrumbs(), e.date_created, ui));
    }
    if let Some(r) = e.request() {
        let url = r.url.clone().unwrap_or_default();
        let mut rows: Vec<(String, String)> = r.query.iter().take(KEYS).cloned().collect();
        rows.extend(r.headers.iter().take(KEYS).cloned());
        out.push(
            h("section")
                .c("panel")
                .id("request")
                .k(h("h2").t(t(Msg::Request)))
                .k(h("div")
                    .c("mono")
                    .t(format!(
                        "{} ",
                        untrusted(r.method.as_deref().unwrap_or(""), 10)
                    ))
                    .k(link_cut(&url, &url, 500).id("request-url")))
                .k(kv(rows)),
        );
    }
    let mut side = Vec::new();
    if let Some(u) = &e.user {
        let rows: Vec<(String, String)> = [
            ("id", &u.id),
            ("email", &u.email),
            ("username", &u.username),
            ("ip_address", &u.ip_address),
            ("name", &u.name),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.clone().map(|v| (k.to_owned(), v)))
        .collect();
        side.push(h("div").k(h("h3").t(t(Msg::User))).k(kv(rows)));
    }
    if !e.contexts.is_empty() {
        let mut rows = Vec::new();
        for (k, v) in e.contexts.iter().take(KEYS) {
            flatten(k, v, 1, &mut rows);
        }
        side.push(
            h("div")
                .id("contexts")
                .k(h("h3").t(t(Msg::Contexts)))
                .k(kv(rows)),
        );
    }
    if !e.tags.is_empty() {
        side.push(
            h("div")
                .id("event-tags")
                .k(h("h3").t(t(Msg::Tags)))
                .k(h("dl").c("kv").ks(e
                    .tags
                    .iter()
                    .take(100)
                    .flat_map(|tg| {
                        [
                            h("dt").cut(&tg.key, 80),
                            h("dd").k(link_cut(
                                &issues_with(scope, &tg.key, &tg.value),
                                &tg.value,
                                200,
                            )),
                        ]
                    })
                    .collect())),
        );
    }
    out.push(h("section").c("panel header-grid").ks(side));
    out
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
    let key = move || {
        Some((
            ctx.meta.get()?.api.clone(),
            id.get(),
            ctx.scope.with(|s| s.environments.clone()),
        ))
    };
    let issue = use_load(
        key,
        move || ctx.tick(),
        |(api, id, envs), cancel| async move { resources::issue(&api, &id, &envs, &cancel).await },
        move |r| ctx.report(r),
    );
    let event = use_load(
        move || {
            Some((
                ctx.meta.get()?.api.clone(),
                id.get(),
                which.get().unwrap_or_else(|| "recommended".into()),
                ctx.scope.with(|s| s.environments.clone()),
            ))
        },
        || 0,
        |(api, id, which, envs), cancel| async move {
            resources::issue_event(&api, &id, &which, &envs, &cancel).await
        },
        move |r| ctx.report(r),
    );
    let dist = use_load(
        key,
        move || ctx.tick() / 5,
        |(api, id, envs), cancel| distribution(api, id, envs, cancel),
        move |r| ctx.report(r),
    );
    let tags = use_load(
        key,
        move || ctx.tick() / 5,
        |(api, id, envs), cancel| async move { resources::issue_tags(&api, &id, &envs, &cancel).await },
        move |r| ctx.report(r),
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
            crate::components::chart::measure_to_paint("lookout:event-render");
        }
    });
    // GlitchTip's issue has no series of its own: `issues-stats` has it.
    let gt = use_load(
        move || {
            let api = ctx.meta.get()?.api.clone();
            let long = ctx.scope.with(|s| s.range.seconds() > 86_400);
            api.is_glitchtip().then(|| (api, id.get(), long))
        },
        move || ctx.tick() / 5,
        |(api, id, long), cancel| async move {
            crate::api::glitchtip::issue_series(&api, &id, long, &cancel).await
        },
        move |r| ctx.report(r),
    );
    let chart = Memo::new(move |_| {
        let i = issue.data.get()?;
        let points: Vec<(i64, f64)> = match gt.data.get() {
            Some(x) => (*x).clone(),
            None => i
                .stats
                .get("30d")
                .filter(|v| !v.is_empty())
                .or_else(|| i.stats.get("24h"))
                .cloned()
                .unwrap_or_default(),
        };
        if points.is_empty() {
            return None;
        }
        let interval = if points.len() > 1 {
            points[1].0 - points[0].0
        } else {
            3600
        };
        let set = SeriesSet {
            buckets: points.iter().map(|p| p.0).collect(),
            interval,
            series: vec![NamedSeries {
                name: i.short_id.clone(),
                values: points.iter().map(|p| p.1).collect(),
            }],
            remainder: vec![0.0; points.len()],
        };
        let window = (points[0].0, points.last().map_or(0, |p| p.0) + interval);
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
                        glitchtip_fill(&mut i, &crate::api::glitchtip::tag_facts(&tg));
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
