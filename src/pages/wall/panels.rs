//! The wall's panels: the top bar, issue tables and the countdown ring.

use crate::components::dom::{h, link_cut, untrusted, H};
use crate::components::status::{clock_text, error_text};
use crate::i18n::{t, tf, Msg};
use crate::state::app::AppState;
use crate::state::view::{issues_href, ViewScope};
use leptos::prelude::*;
use lookout_core::format::grouped_count;
use lookout_core::format::{change_ratio, percent_change};
use lookout_core::wall::{Trouble, WallIssue};

/// How many servers an issue row names before "+N".
const SERVERS_SHOWN: usize = 3;

/// An issue's servers: the busiest three with their events, then "+N" (every server with its
/// count in `title`).
fn servers_cell(servers: &[(String, u64)]) -> H {
    let mut cell = h("td").class("servers").testid("wall-issue-servers");
    for (name, n) in servers.iter().take(SERVERS_SHOWN) {
        cell = cell.child(
            h("span")
                .class("server")
                .testid("wall-issue-server")
                .attr("data-name", name.clone())
                .child(h("span").class("name").cut_titled(name, 40))
                .child(h("span").class("n").text(grouped_count(*n))),
        );
    }
    if servers.is_empty() {
        // Events without a server name (browsers, jobs) or not counted yet.
        return cell.child(h("span").class("muted").text("—"));
    }
    let more = servers.len().saturating_sub(SERVERS_SHOWN);
    if more > 0 {
        let all: Vec<String> = servers
            .iter()
            .map(|(name, n)| format!("{} {}", untrusted(name, 60), grouped_count(*n)))
            .collect();
        cell = cell.child(
            h("span")
                .class("more")
                .testid("wall-issue-more")
                .attr("title", all.join("\n"))
                .text(format!("+{more}")),
        );
    }
    cell
}

/// The wall's issue table: title, the servers it hits, events, users, last seen.
pub fn issue_list(rows: &[WallIssue], multi: bool, testid: &'static str, limit: usize) -> H {
    let now = chrono::Utc::now();
    let head = h("thead").child(h("tr").children(vec![
        h("th").text(t(Msg::ColIssue)),
        h("th").text(t(Msg::ColServers)),
        h("th").class("num").text(t(Msg::ColEvents)),
        h("th").class("num").text(t(Msg::ColUsers)),
        h("th").text(t(Msg::LastSeen)),
    ]));
    h("table")
        .class("wall-issues")
        .testid(testid)
        .child(head)
        .child(
            h("tbody").children(
                rows.iter()
                    .take(limit)
                    .map(
                        |WallIssue {
                             key,
                             issue: i,
                             servers,
                         }| {
                            let mut title = h("td")
                                .class("title")
                                .child(h("span").class(format!("lvl lvl-{}", i.level.class())))
                                .cut_titled(&i.title, 140);
                            if multi {
                                title = title.child(h("span").class("badge").cut(&key.source, 30));
                            }
                            h("tr")
                                .testid("wall-issue")
                                .attr("data-id", i.id.clone())
                                .children(vec![
                                    title,
                                    servers_cell(servers),
                                    h("td").class("num").text(grouped_count(i.count)),
                                    h("td").class("num").text(grouped_count(i.user_count)),
                                    h("td").class("small").child(crate::components::age::ago(
                                        i.lifetime_last_seen(),
                                        now,
                                    )),
                                ])
                        },
                    )
                    .collect(),
            ),
        )
}

/// The servers whose errors rose most against the previous window: each with its events, the
/// change and the issue it has most of (a link to the server's issues).
pub fn trouble_list(rows: &[Trouble], scope: &ViewScope) -> H {
    let panel = h("section")
        .class("panel")
        .testid("wall-trouble")
        .child(h("h2").text(t(Msg::TroubleTitle)));
    if rows.is_empty() {
        return panel.child(
            h("p")
                .class("muted")
                .testid("no-trouble")
                .text(t(Msg::NoTrouble)),
        );
    }
    let head = h("thead").child(h("tr").children(vec![
        h("th").text(t(Msg::ColServer)),
        h("th").class("num").text(t(Msg::ColEvents)),
        h("th").class("num").text(t(Msg::ColChange)),
        h("th").text(t(Msg::ColTopIssue)),
    ]));
    let body = rows
        .iter()
        .map(|r| {
            let change = match change_ratio(r.now as f64, r.before as f64) {
                Some(x) => percent_change(x),
                None => t(Msg::FromZero).into(),
            };
            let issue = match &r.top_issue {
                Some((w, n)) => h("td")
                    .class("title")
                    .child(h("span").class(format!("lvl lvl-{}", w.issue.level.class())))
                    .cut_titled(&w.issue.title, 120)
                    .child(
                        h("span")
                            .class("muted")
                            .text(format!("  {}", grouped_count(*n))),
                    ),
                None => h("td").class("title muted").text("—"),
            };
            h("tr")
                .testid("trouble-row")
                .attr("data-name", r.key.name.clone())
                .children(vec![
                    h("td").class("server").child(link_cut(
                        &issues_href(scope, "server_name", std::slice::from_ref(&r.key.name)),
                        &r.label,
                        40,
                    )),
                    h("td")
                        .class("num")
                        .testid("trouble-now")
                        .text(grouped_count(r.now)),
                    h("td")
                        .class("num delta")
                        .testid("trouble-change")
                        .text(change),
                    issue,
                ])
        })
        .collect();
    panel.child(
        h("table")
            .class("wall-trouble")
            .child(head)
            .child(h("tbody").children(body)),
    )
}

pub fn ring(left: f64) -> H {
    let r = 15.9155;
    let off = 100.0 * (1.0 - left.clamp(0.0, 1.0));
    h("svg")
        .class("ring")
        .attr("viewBox", "0 0 36 36")
        .attr("aria-hidden", "true")
        .child(
            h("circle")
                .class("track")
                .attr("cx", "18")
                .attr("cy", "18")
                .attr("r", r.to_string()),
        )
        .child(
            h("circle")
                .class("left")
                .attr("cx", "18")
                .attr("cy", "18")
                .attr("r", r.to_string())
                .attr("stroke-dasharray", "100 100")
                .attr("stroke-dashoffset", format!("{off:.1}"))
                .attr("transform", "rotate(-90 18 18)"),
        )
}

/// The top bar: the app, the view shown, the rotation status, and per source its refresh ring
/// and whether its figures are fresh, stale (since when) or failing.
pub fn top_bar(app: &AppState, title: String, status: String, names: &[String], now: f64) -> H {
    let period = app.clocks.period_ms.get();
    let mut chips: Vec<H> = Vec::new();
    for name in names {
        let c = app.clocks.of(name);
        let left = ((c.next_at.get() - now) / period).clamp(0.0, 1.0);
        let err = c.last_error.get();
        let ok_at = c.last_ok.get();
        let mut chip = h("span")
            .class(if err.is_some() {
                "src-status bad"
            } else {
                "src-status"
            })
            .testid("source-status")
            .attr("data-source", name.clone())
            .child(ring(left))
            .cut(name, 30);
        chip = match (&err, ok_at) {
            (Some(e), Some(at)) => chip.child(
                h("span")
                    .class("stale")
                    .testid("wall-stale")
                    .attr("title", error_text(e))
                    .text(tf(Msg::StaleSince, &[&clock_text(at)])),
            ),
            (Some(e), None) => chip.child(
                h("span")
                    .testid("wall-error")
                    .attr("data-error", e.code())
                    .text(error_text(e)),
            ),
            (None, Some(at)) => chip.child(
                h("span")
                    .class("muted")
                    .text(tf(Msg::UpdatedAt, &[&clock_text(at)])),
            ),
            (None, None) => chip.child(h("span").class("muted").text(t(Msg::Loading))),
        };
        chips.push(chip);
    }
    h("div")
        .class("wall-top")
        .children(vec![
            h("span").class("title").text(t(Msg::AppName)),
            h("span").testid("wall-view").text(title),
            h("span")
                .class("muted")
                .testid("wall-rotation")
                .text(status),
            h("span").class("spacer"),
        ])
        .children(chips)
}
