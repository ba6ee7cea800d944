//! The wall's panels: the top bar, issue tables and the countdown ring.

use crate::components::dom::{h, H};
use crate::components::status::{clock_text, error_text};
use crate::i18n::{t, tf, Msg};
use crate::state::app::AppState;
use leptos::prelude::*;
use lookout_core::format::grouped_count;
use lookout_core::wall::WallIssue;

pub fn issue_list(rows: &[WallIssue], multi: bool, testid: &'static str, limit: usize) -> H {
    let now = chrono::Utc::now();
    h("table").testid(testid).child(
        h("tbody").children(
            rows.iter()
                .take(limit)
                .map(|WallIssue { key, issue: i }| {
                    let mut title = h("td")
                        .child(h("span").class(format!("lvl lvl-{}", i.level.class())))
                        .cut(&i.title, 140);
                    if multi {
                        title = title.child(h("span").class("badge").cut(&key.source, 30));
                    }
                    h("tr")
                        .testid("wall-issue")
                        .attr("data-id", i.id.clone())
                        .children(vec![
                            title,
                            h("td").class("num").text(grouped_count(i.count)),
                            h("td").class("num").text(grouped_count(i.user_count)),
                            h("td")
                                .class("small")
                                .child(crate::components::age::ago(i.lifetime_last_seen(), now)),
                        ])
                })
                .collect(),
        ),
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
