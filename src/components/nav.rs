//! The header: navigation (keeping the shared filters), language and theme switches, refresh.

use super::dom::{h, Mount, H};
use crate::i18n::{t, I18n, Locale, Msg};
use crate::state::app::use_app;
use crate::state::theme::{Theme, ThemeMode};
use crate::state::view::{scoped_href, use_view_scope};
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast;

pub use super::dom::event_value;

/// A `<select>` of `(value, label)` options.
pub fn select(
    testid: &'static str,
    label: Msg,
    current: &str,
    options: Vec<(String, String)>,
    on: impl Fn(String) + 'static,
) -> H {
    h("label").child(h("span").text(t(label))).child(
        h("select")
            .testid(testid)
            .attr("aria-label", t(label))
            .prop("value", current.to_owned())
            .children(
                options
                    .into_iter()
                    .map(|(v, l)| {
                        h("option")
                            .attr_if(v == current, "selected", "")
                            .attr("value", v)
                            .text(l)
                    })
                    .collect(),
            )
            .on("change", move |ev| on(event_value(ev))),
    )
}

fn current_path() -> String {
    let p = use_location().pathname.get();
    let base = crate::base_path();
    let trimmed = p.strip_prefix(base.trim_end_matches('/')).unwrap_or(&p);
    if trimmed.is_empty() {
        "/".into()
    } else {
        trimmed.to_owned()
    }
}

/// The header shown on every page but the wall.
#[component]
pub fn Header() -> impl IntoView {
    let scope = use_view_scope();
    let i18n = expect_context::<I18n>();
    let theme = expect_context::<Theme>();
    let app = use_app();
    let location = use_location();
    view! {
        <a class="skip" href="#main">{t(Msg::SkipToContent)}</a>
        <Mount render=Box::new(move || {
            location.pathname.track();
            let path = current_path();
            let s = scope.get();
            let link = |to: &'static str, label: Msg, testid: &'static str| {
                let active = if to == "/" { path == "/" } else { path.starts_with(to) };
                h("a").attr("href", scoped_href(&crate::href(to), &s, &[])).testid(testid).attr_if(active, "class", "active").attr_if(active, "aria-current", "page").text(t(label))
            };
            let src = s.source.clone();
            let mode = match theme.mode.get_untracked() {
                ThemeMode::System => "system",
                ThemeMode::Light => "light",
                ThemeMode::Dark => "dark",
            };
            vec![h("header").class("top").children(vec![
                h("a").class("brand").attr("href", crate::href("/")).text(t(Msg::AppName)),
                h("nav").attr("aria-label", "main").children(vec![
                    link("/", Msg::NavOverview, "nav-overview"),
                    link("/issues", Msg::NavIssues, "nav-issues"),
                    link("/timeline", Msg::NavTimeline, "nav-timeline"),
                    link("/performance", Msg::NavPerformance, "nav-performance"),
                    link("/traces", Msg::NavTraces, "nav-traces"),
                    link("/wall", Msg::NavWall, "nav-wall"),
                    link("/settings", Msg::NavSettings, "nav-settings"),
                ]),
                h("div").class("tools").children(vec![
                    h("button").class("ghost").testid("refresh").text(format!("⟳ {}", t(Msg::Refresh))).on("click", move |_| {
                        if let Some(s) = app.source(src.as_deref()) {
                            app.clocks.refresh_now(&s.name);
                        }
                    }),
                    h("select").testid("lang").attr("aria-label", t(Msg::Language)).prop("value", i18n.locale.get_untracked().code())
                        .child(h("option").attr("value", "en").text("English"))
                        .child(h("option").attr("value", "ko").text("한국어"))
                        .on("change", move |ev| i18n.set(Locale::from_tag(&event_value(ev)))),
                    h("select").attr("aria-label", t(Msg::Theme)).prop("value", mode)
                        .child(h("option").attr("value", "system").text(t(Msg::ThemeSystem)))
                        .child(h("option").attr("value", "light").text(t(Msg::ThemeLight)))
                        .child(h("option").attr("value", "dark").text(t(Msg::ThemeDark)))
                        .on("change", move |ev| theme.set(match event_value(ev).as_str() {
                            "light" => ThemeMode::Light,
                            "dark" => ThemeMode::Dark,
                            _ => ThemeMode::System,
                        })),
                ]),
            ])]
        }) />
    }
}

/// The element of an event's target.
pub fn target_el(ev: &web_sys::Event) -> Option<web_sys::Element> {
    ev.target()?.dyn_into().ok()
}
