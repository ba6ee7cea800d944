//! One event: exception and stack, breadcrumbs, message, request, user, contexts (all text, bounded).

use super::crumbs::crumbs_view;
use super::issues_with;
use super::stack::{exception_view, more_button, stack_view, EventUi, DEPTH, KEYS, VALUE};
use crate::components::dom::{h, link, link_cut, untrusted, H};
use crate::i18n::{t, tf, Msg};
use crate::state::view::{scoped_href, ViewScope};
use leptos::prelude::*;
use lookout_core::format::date_time;
use lookout_core::model::EventDto;
use lookout_core::query::percent_encode;
use serde_json::Value;

pub fn kv(rows: Vec<(String, String)>) -> H {
    h("dl").class("kv").children(
        rows.into_iter()
            .flat_map(|(k, v)| [h("dt").cut(&k, 120), h("dd").cut(&v, VALUE)])
            .collect(),
    )
}

/// Flattens a JSON value into `key.path → text`, bounded in depth and size.
pub fn flatten(prefix: &str, v: &Value, depth: usize, out: &mut Vec<(String, String)>) {
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

pub fn event_view(
    e: &EventDto,
    scope: &ViewScope,
    ui: EventUi,
    set: &crate::components::filters::SetQuery,
) -> Vec<H> {
    let mut out = Vec::new();
    let nav = |label: Msg, target: Option<String>, testid: &'static str| {
        let set = set.clone();
        h("button")
            .testid(testid)
            .attr_if(target.is_none(), "disabled", "")
            .text(t(label))
            .on("click", move |_| set(&[("event", target.clone())], true))
    };
    let mut bar = vec![
        h("span")
            .class("muted")
            .testid("event-id")
            .text(tf(Msg::EventOf, &[&untrusted(e.event_id(), 40)])),
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
            .testid("trace-link"),
        );
    }
    if let Some(tm) = e.date_created {
        bar.push(
            h("span")
                .class("muted small")
                .text(date_time(tm, &chrono::Local)),
        );
    }
    out.push(h("div").class("row").testid("event-nav").children(bar));
    if let Some(exc) = e.exception() {
        out.push(exception_view(&exc.values, ui));
    } else if let Some(st) = e.thread_stacktrace() {
        out.push(
            h("section")
                .class("panel")
                .testid("exception")
                .child(h("h2").text(t(Msg::StackTrace)))
                .children(stack_view(&st.frames, 0, ui)),
        );
    }
    if let Some(m) = e.message_text() {
        let limit = ui.message.get();
        let (text, cut) = lookout_core::text::display(m, limit);
        out.push(
            h("section")
                .class("panel")
                .testid("message")
                .child(h("h2").text(t(Msg::Message)))
                .child(h("pre").text(text))
                .child_opt(more_button(
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
                .class("panel")
                .testid("request")
                .child(h("h2").text(t(Msg::Request)))
                .child(
                    h("div")
                        .class("mono")
                        .text(format!(
                            "{} ",
                            untrusted(r.method.as_deref().unwrap_or(""), 10)
                        ))
                        .child(link_cut(&url, &url, 500).testid("request-url")),
                )
                .child(kv(rows)),
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
        side.push(h("div").child(h("h3").text(t(Msg::User))).child(kv(rows)));
    }
    if !e.contexts.is_empty() {
        let mut rows = Vec::new();
        for (k, v) in e.contexts.iter().take(KEYS) {
            flatten(k, v, 1, &mut rows);
        }
        side.push(
            h("div")
                .testid("contexts")
                .child(h("h3").text(t(Msg::Contexts)))
                .child(kv(rows)),
        );
    }
    if !e.tags.is_empty() {
        side.push(
            h("div")
                .testid("event-tags")
                .child(h("h3").text(t(Msg::Tags)))
                .child(
                    h("dl").class("kv").children(
                        e.tags
                            .iter()
                            .take(100)
                            .flat_map(|tg| {
                                [
                                    h("dt").cut(&tg.key, 80),
                                    h("dd").child(link_cut(
                                        &issues_with(scope, &tg.key, &tg.value),
                                        &tg.value,
                                        200,
                                    )),
                                ]
                            })
                            .collect(),
                    ),
                ),
        );
    }
    out.push(h("section").class("panel header-grid").children(side));
    out
}
