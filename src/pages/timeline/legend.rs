//! The timeline's legend: the issues in view, busiest first, with where each appeared first
//! and how it spread; and the notice when a window holds more events than are drawn.

use super::lanes::{issue_color, issue_href};
use crate::api::timeline::TimelineData;
use crate::charts::canvas;
use crate::components::dom::{h, link_cut, H};
use crate::components::filters::SetQuery;
use crate::i18n::{t, tf, Msg};
use crate::state::view::{scoped_href, ViewScope};
use lookout_core::format::grouped_count;
use lookout_core::time::TimeRange;
use lookout_core::timeline::{after, spreads, Spread};

/// How many servers an issue's spread names before "+N".
const SPREAD_SHOWN: usize = 6;

/// An issue's legend row: its colour, title (a link), events in view, and how it spread.
fn spread_row(scope: &ViewScope, d: &TimelineData, s: &Spread, set: &SetQuery) -> H {
    let (title, level) = d.issues.get(&s.issue).cloned().unwrap_or_default();
    let first_event = s.reached.first().map(|r| r.2.as_str()).unwrap_or("");
    let mut spread = h("div").class("spread").testid("spread");
    if let Some((server, t0, _)) = s.reached.first() {
        let when = chrono::DateTime::from_timestamp_millis(*t0)
            .map(|t| lookout_core::format::date_time(t, &chrono::Local))
            .unwrap_or_default();
        spread = spread.child(
            h("span")
                .testid("spread-first")
                .attr("data-server", server.clone())
                .attr("data-t", t0.to_string())
                .text(tf(
                    if s.reached.len() > 1 {
                        Msg::SpreadFirst
                    } else {
                        Msg::SpreadOnly
                    },
                    &[&lookout_core::text::clip_display(server, 60), &when],
                )),
        );
        for (server, t, _) in s.reached.iter().skip(1).take(SPREAD_SHOWN - 1) {
            spread = spread.child(
                h("span")
                    .class("step")
                    .testid("spread-step")
                    .attr("data-server", server.clone())
                    .attr("data-t", t.to_string())
                    .text(format!(
                        "{} ({})",
                        lookout_core::text::clip_display(server, 60),
                        after(t - t0)
                    )),
            );
        }
        let more = s.reached.len().saturating_sub(SPREAD_SHOWN);
        if more > 0 {
            spread = spread.child(
                h("span")
                    .class("muted")
                    .text(tf(Msg::SpreadMore, &[&more.to_string()])),
            );
        }
    } else {
        spread = spread.child(h("span").class("muted").text(t(Msg::NoServer)));
    }
    let c = issue_color(&s.issue);
    let only = set.clone();
    let id = s.issue.clone();
    h("li")
        .class("tl-issue")
        .testid("timeline-issue")
        .attr("data-id", s.issue.clone())
        .attr("data-count", s.count.to_string())
        .child(
            h("div")
                .class("tl-issue-head")
                .child(
                    h("span")
                        .class("sw")
                        .attr("style", format!("background:{}", canvas::hex(c))),
                )
                .child(h("span").class(format!("lvl lvl-{}", level.class())))
                .child(link_cut(
                    &issue_href(scope, &s.issue, first_event),
                    &title,
                    120,
                ))
                .child(h("b").class("num").text(grouped_count(s.count as u64)))
                .child(
                    h("button")
                        .class("linkish")
                        .testid("only-issue")
                        .text(t(Msg::OnlyThisIssue))
                        .on("click", move |_| only(&[("issue", Some(id.clone()))], true)),
                ),
        )
        .child(spread)
}

/// The legend: the issues in view, the busiest first, each with its spread.
pub fn legend(scope: &ViewScope, d: &TimelineData, set: &SetQuery, limit: usize) -> H {
    let all = spreads(&d.marks);
    let more = all.len().saturating_sub(limit);
    let list = h("ol")
        .class("tl-legend")
        .testid("timeline-legend")
        .children(
            all.iter()
                .take(limit)
                .map(|s| spread_row(scope, d, s, set))
                .collect(),
        );
    let panel = h("section")
        .class("panel")
        .child(h("h2").text(t(Msg::TimelineSpreadTitle)))
        .child(list);
    if more > 0 {
        panel.child(
            h("p")
                .class("muted")
                .text(tf(Msg::MoreIssues, &[&more.to_string()])),
        )
    } else {
        panel
    }
}

/// Says when the window holds more events than are drawn, and offers to narrow it.
pub(super) fn notice(scope: &ViewScope, d: &TimelineData) -> Vec<H> {
    let mut out = Vec::new();
    let shown = d.marks.len() as u64;
    if d.total > shown {
        let since = d
            .marks
            .first()
            .and_then(|m| chrono::DateTime::from_timestamp_millis(m.t))
            .map(|t| lookout_core::format::date_time(t, &chrono::Local))
            .unwrap_or_default();
        let last_hour = scoped_href(
            &crate::href("/timeline"),
            &ViewScope {
                range: TimeRange::Period("1h".into()),
                ..scope.clone()
            },
            &[],
        );
        out.push(
            h("div")
                .class("notice")
                .testid("timeline-bounded")
                .text(tf(
                    Msg::TimelineBounded,
                    &[&grouped_count(d.total), &grouped_count(shown), &since],
                ))
                .text(" ")
                .child(link_cut(&last_hour, t(Msg::TimelineNarrow), 60)),
        );
    }
    if d.bounded {
        out.push(
            h("div")
                .class("notice")
                .testid("timeline-gt-bounded")
                .text(tf(
                    Msg::TimelineGlitchtipBound,
                    &[&grouped_count(
                        crate::api::glitchtip::MAX_PAGES as u64 * 100,
                    )],
                )),
        );
    }
    out
}
