//! Group-by, sort and chart-mode controls.

use crate::api::overview::GroupBy;
use crate::components::dom::{h, H};
use crate::components::filters::SetQuery;
use crate::components::nav::select;
use crate::i18n::{t, Msg};
use lookout_core::series::SortKey;

/// The controls above the chart.
pub fn controls(group: GroupBy, sort: SortKey, stacked: bool, set: SetQuery) -> H {
    let label = |g: GroupBy| match g {
        GroupBy::Server => Msg::GroupServer,
        GroupBy::Cloud => Msg::GroupCloud,
        GroupBy::Region => Msg::GroupRegion,
        GroupBy::Configured => Msg::GroupConfigured,
        GroupBy::Environment => Msg::GroupEnvironment,
        GroupBy::Release => Msg::GroupRelease,
        GroupBy::Project => Msg::GroupProject,
    };
    let (s1, s2, s3, s4) = (set.clone(), set.clone(), set.clone(), set);
    h("div").class("controls").children(vec![
        select(
            "group-by",
            Msg::GroupBy,
            group.as_str(),
            GroupBy::ALL
                .iter()
                .map(|g| (g.as_str().to_owned(), t(label(*g)).to_owned()))
                .collect(),
            move |v| s1(&[("group", Some(v))], true),
        ),
        select(
            "sort",
            Msg::SortBy,
            sort.as_str(),
            vec![
                ("total".into(), t(Msg::SortTotal).into()),
                ("rise".into(), t(Msg::SortRise).into()),
                ("name".into(), t(Msg::SortName).into()),
            ],
            move |v| s2(&[("sort", Some(v))], true),
        ),
        h("div").class("seg").children(vec![
            h("button")
                .attr_if(stacked, "class", "on")
                .testid("chart-stacked")
                .text(t(Msg::ChartStacked))
                .on("click", move |_| s3(&[("chart", None)], true)),
            h("button")
                .attr_if(!stacked, "class", "on")
                .testid("chart-lines")
                .text(t(Msg::ChartLines))
                .on("click", move |_| {
                    s4(&[("chart", Some("lines".into()))], true)
                }),
        ]),
    ])
}
