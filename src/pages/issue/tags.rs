//! The issue's tags: each key's top values with count and share.

use super::issues_with;
use crate::components::dom::{h, link_titled, H};
use crate::i18n::{t, Msg};
use crate::state::view::ViewScope;
use lookout_core::format::grouped_count;
use lookout_core::model::TagKeyDto;

/// One block per tag: its top values as rows of value, events, share and a bar, in columns that
/// line up (a value too long for its column is cut, whole in `title`).
pub fn tags_view(tags: &[TagKeyDto], scope: &ViewScope) -> H {
    let kids = tags
        .iter()
        .filter(|k| k.key != "server_name")
        .take(30)
        .map(|k| {
            let rows = k
                .top_values
                .iter()
                .take(6)
                .map(|v| {
                    let share = k.share(v);
                    h("tr").testid("tag-value").children(vec![
                        h("td").class("value").child(link_titled(
                            &issues_with(scope, &k.key, &v.value),
                            &v.value,
                            60,
                        )),
                        h("td").class("num").text(grouped_count(v.count)),
                        h("td").class("num").text(format!("{:.0}%", share * 100.0)),
                        h("td").class("bar-cell").child(h("div").class("bar").child(
                            h("span").attr("style", format!("width:{:.1}%", share * 100.0)),
                        )),
                    ])
                })
                .collect();
            h("table")
                .class("tag-table")
                .testid("tag")
                .attr("data-key", k.key.clone())
                .child(
                    h("caption").cut_titled(if k.name.is_empty() { &k.key } else { &k.name }, 60),
                )
                .child(h("tbody").children(rows))
        })
        .collect();
    h("section")
        .class("panel")
        .testid("tags")
        .child(h("h2").text(t(Msg::TagDistributions)))
        .child(h("div").class("tag-grid").children(kids))
}
