//! The legend under the chart: every series with its total, recent rise, first time seen and a
//! sparkline, sortable, each a link to its issues.

use crate::api::overview::GroupBy;
use crate::components::dom::{h, link_cut, H};
use crate::components::sparkline;
use crate::i18n::{t, tf, Msg};
use crate::state::view::{issues_href, scoped_href, ViewScope};
use lookout_core::format::{compact_count, grouped_count};
use lookout_core::query::quote_search_value;
use lookout_core::series::{sorted_indices, SeriesSet, SortKey};
use std::rc::Rc;

/// The drill-down link of a legend entry.
fn legend_href(
    scope: &ViewScope,
    group: GroupBy,
    cfg: &lookout_core::config::AppConfig,
    name: &str,
) -> String {
    match group {
        // Sentry's search takes a configured group's wildcard pattern as it is.
        GroupBy::Configured => {
            let pattern = cfg
                .server_groups
                .iter()
                .find(|g| g.name == name)
                .map(|g| g.pattern.clone());
            issues_href(
                scope,
                "server_name",
                &[pattern.unwrap_or_else(|| name.to_owned())],
            )
        }
        GroupBy::Project => scoped_href(
            &crate::href("/issues"),
            scope,
            &[(
                "query",
                format!("is:unresolved project:{}", quote_search_value(name)),
            )],
        ),
        g => issues_href(scope, g.field(), &[name.to_owned()]),
    }
}

/// The legend: every series with its total, recent rise and first time seen; sortable.
pub fn legend(
    scope: &ViewScope,
    set: &SeriesSet,
    group: GroupBy,
    sort: SortKey,
    cfg: &lookout_core::config::AppConfig,
    sort_to: Rc<dyn Fn(&'static str)>,
) -> H {
    let order = sorted_indices(set, sort);
    let rises = set.rises();
    let first = set.first_seen();
    let offset = chrono::Local;
    let head = |label: Msg, key: &'static str, num: bool| {
        let f = sort_to.clone();
        h("th").attr_if(num, "class", "num").child(
            h("button")
                .class("linkish")
                .text(t(label))
                .on("click", move |_| f(key)),
        )
    };
    let mut rows: Vec<H> = order
        .iter()
        .map(|&i| {
            let s = &set.series[i];
            let rise = rises[i];
            let since = first[i]
                .and_then(|f| chrono::DateTime::from_timestamp(f, 0))
                .map_or_else(
                    || "–".into(),
                    |f| lookout_core::format::date_time(f, &offset),
                );
            h("tr")
                .testid("legend-row")
                .attr("data-name", s.name.clone())
                .children(vec![
                    h("td")
                        .child(h("span").class("sw").attr(
                            "style",
                            format!(
                                "background:{}",
                                crate::charts::canvas::hex(crate::charts::canvas::color_of(
                                    &s.name
                                ))
                            ),
                        ))
                        .child(link_cut(
                            &legend_href(scope, group, cfg, &s.name),
                            &s.name,
                            60,
                        )),
                    h("td").class("num").text(grouped_count(s.total() as u64)),
                    h("td").class("num").text(if rise > 0.0 {
                        format!("+{}", compact_count(rise))
                    } else if rise < 0.0 {
                        format!("−{}", compact_count(-rise))
                    } else {
                        "0".into()
                    }),
                    h("td").class("muted").text(since),
                    h("td").child(sparkline::svg(&s.values)),
                ])
        })
        .collect();
    let rem: f64 = set.remainder.iter().sum();
    rows.push(
        h("tr")
            .class("muted")
            .child(
                h("td")
                    .child(h("span").class("sw").attr("style", "background:#9696a0"))
                    .text(t(Msg::Remainder)),
            )
            .child(h("td").class("num").text(grouped_count(rem as u64))),
    );
    rows.push(
        h("tr")
            .class("total")
            .child(h("td").text(t(Msg::Total)))
            .child(
                h("td")
                    .class("num")
                    .testid("legend-total")
                    .text(grouped_count(set.grand_total() as u64)),
            ),
    );
    h("div").class("legend-wrap").child(
        h("table")
            .class("legend")
            .testid("legend")
            .child(
                h("caption")
                    .class("muted")
                    .text(tf(Msg::SeriesCount, &[&set.series.len().to_string()])),
            )
            .child(h("thead").child(h("tr").children(vec![
                head(Msg::SortName, "name", false),
                head(Msg::Total, "total", true),
                head(Msg::SortRise, "rise", true),
                h("th").text(t(Msg::FirstSeen)),
                h("th"),
            ])))
            .child(h("tbody").children(rows)),
    )
}
