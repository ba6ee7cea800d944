//! The breadcrumbs as a timeline up to the error (filterable, bounded).

use super::event::flatten;
use super::stack::VALUE;
use super::stack::{more_button, EventUi};
use crate::components::dom::{h, untrusted, H};
use crate::components::nav::select;
use crate::i18n::{t, Msg};
use leptos::prelude::*;
use lookout_core::format::{date_time, relative_offset};
use lookout_core::model::Breadcrumb;
use lookout_core::text::level_class;

pub fn crumbs_view(
    crumbs: &[Breadcrumb],
    at: Option<chrono::DateTime<chrono::Utc>>,
    ui: EventUi,
) -> H {
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
                (Some(tm), None) => date_time(tm, &chrono::Local),
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
                .class(format!("crumb {}", level_class(&lv)))
                .testid("crumb")
                .children(vec![
                    h("span").class("when").text(when),
                    h("span").class("badge").cut(
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
        .class("panel")
        .testid("breadcrumbs")
        .children(vec![h("div").class("panel-head").children(vec![
            h("h2").text(t(Msg::Breadcrumbs)),
            h("div").class("controls").children(vec![
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
        .child_opt(more_button("more-crumbs", hidden, move || {
            ui.crumbs.update(|c| *c += 200)
        }))
        .child(
            h("div").class("crumbs").children(rows).child(
                h("div")
                    .class("crumb the-error")
                    .child(h("span").class("when").text("0ms"))
                    .child(h("span").class("badge").text(t(Msg::AtTheError)))
                    .child(h("span")),
            ),
        )
}
