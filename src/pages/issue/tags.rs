//! The issue's tags: each key's top values with count and share.

use super::issues_with;
use crate::components::dom::{h, link_titled, H};
use crate::i18n::{t, Msg};
use crate::state::view::ViewScope;
use lookout_core::model::TagKeyDto;

pub fn tags_view(tags: &[TagKeyDto], scope: &ViewScope) -> H {
    let kids = tags
        .iter()
        .filter(|k| k.key != "server_name")
        .take(30)
        .map(|k| {
            h("div")
                .child(
                    h("h3")
                        .class("small")
                        .cut(if k.name.is_empty() { &k.key } else { &k.name }, 60),
                )
                .children(
                    k.top_values
                        .iter()
                        .take(6)
                        .map(|v| {
                            let pct = k.share(v) * 100.0;
                            h("div").class("dist-bar").children(vec![
                                link_titled(&issues_with(scope, &k.key, &v.value), &v.value, 60),
                                h("div")
                                    .class("bar")
                                    .child(h("span").attr("style", format!("width:{pct:.1}%"))),
                                h("div").class("num").text(format!("{pct:.0}%")),
                            ])
                        })
                        .collect(),
                )
        })
        .collect();
    h("section")
        .class("panel")
        .testid("tags")
        .child(h("h2").text(t(Msg::TagDistributions)))
        .child(h("div").class("header-grid").children(kids))
}
