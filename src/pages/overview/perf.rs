//! Performance by server (Sentry: p95 and throughput per server) and GlitchTip's transaction
//! groups.

use crate::api::overview::PerfResult;
use crate::components::dom::{h, link_cut, H};
use crate::components::sparkline;
use crate::i18n::{t, Msg};
use crate::state::view::{scoped_href, ViewScope};
use lookout_core::format::grouped_count;

/// GlitchTip's transaction groups: name, operation, average duration and count in the window.
pub fn transaction_groups_table(groups: &[crate::api::traces::TransactionGroupDto]) -> H {
    let mut rows: Vec<&crate::api::traces::TransactionGroupDto> = groups.iter().collect();
    lookout_core::sort::sort_by(&mut rows, |a, b| {
        b.transaction_count.cmp(&a.transaction_count)
    });
    h("table")
        .class("legend")
        .testid("perf-groups")
        .child(h("thead").child(h("tr").children(vec![
            h("th").text(t(Msg::ColTransaction)),
            h("th").text(t(Msg::ColOp)),
            h("th").class("num").text(t(Msg::PerfAvg)),
            h("th").class("num").text(t(Msg::ColEvents)),
        ])))
        .child(
            h("tbody").children(
                rows.into_iter()
                    .map(|g| {
                        h("tr").attr("data-testid", "perf-group").children(vec![
                            h("td").cut(&g.transaction, 120),
                            h("td").cut(g.op.as_deref().unwrap_or(""), 40),
                            h("td")
                                .class("num")
                                .text(lookout_core::format::duration_ms(g.avg_duration)),
                            h("td")
                                .class("num")
                                .attr("data-testid", "perf-group-count")
                                .text(grouped_count(g.transaction_count)),
                        ])
                    })
                    .collect(),
            ),
        )
}

/// Performance by server: the window's p95 and throughput, slowest first.
pub fn perf_table(scope: &ViewScope, p: &PerfResult) -> H {
    let rows: Vec<(&str, &[f64], f64, f64)> = p
        .rows()
        .into_iter()
        .map(|r| (r.server, r.p95_over_time, r.p95_ms, r.per_minute))
        .collect();
    h("table")
        .class("legend")
        .testid("perf")
        .child(h("thead").child(h("tr").children(vec![
            h("th").text(t(Msg::ColServer)),
            h("th").class("num").text(t(Msg::PerfP95)),
            h("th").class("num").text(t(Msg::PerfThroughput)),
            h("th"),
        ])))
        .child(
            h("tbody").children(
                rows.into_iter()
                    .map(|(name, values, p95, tput)| {
                        h("tr")
                            .testid("perf-row")
                            .attr("data-name", name.to_owned())
                            .children(vec![
                                h("td").child(link_cut(
                                    &scoped_href(
                                        &crate::href("/traces"),
                                        scope,
                                        &[("server", name.to_owned())],
                                    ),
                                    name,
                                    60,
                                )),
                                h("td")
                                    .class("num")
                                    .text(lookout_core::format::duration_ms(p95)),
                                h("td").class("num").text(format!("{tput:.1}")),
                                h("td").child(sparkline::svg(values)),
                            ])
                    })
                    .collect(),
            ),
        )
}
