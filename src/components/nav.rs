//! The header: navigation (keeping the shared filters), language and theme switches, refresh.

use super::dom::{h, Mount, H};
use crate::i18n::{t, I18n, Locale, Msg};
use crate::state::app::use_app;
use crate::state::theme::{Theme, ThemeMode};
use crate::state::view::{scoped_href, use_view_scope};
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast;

/// The value of the `<select>` or `<input>` an event came from.
pub fn event_value(ev: &web_sys::Event) -> String {
    ev.target()
        .and_then(|t| js_sys::Reflect::get(&t, &"value".into()).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// A `<select>` of `(value, label)` options.
pub fn select(
    testid: &'static str,
    label: Msg,
    current: &str,
    options: Vec<(String, String)>,
    on: impl Fn(String) + 'static,
) -> H {
    h("label").k(h("span").t(t(label))).k(h("select")
        .id(testid)
        .a("aria-label", t(label))
        .p("value", current.to_owned())
        .ks(options
            .into_iter()
            .map(|(v, l)| {
                h("option")
                    .a_if(v == current, "selected", "")
                    .a("value", v)
                    .t(l)
            })
            .collect())
        .on("change", move |ev| on(event_value(ev))))
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
                h("a").a("href", scoped_href(&crate::href(to), &s, &[])).id(testid).a_if(active, "class", "active").a_if(active, "aria-current", "page").t(t(label))
            };
            let src = s.source.clone();
            let mode = match theme.mode.get_untracked() {
                ThemeMode::System => "system",
                ThemeMode::Light => "light",
                ThemeMode::Dark => "dark",
            };
            vec![h("header").c("top").ks(vec![
                h("a").c("brand").a("href", crate::href("/")).t(t(Msg::AppName)),
                h("nav").a("aria-label", "main").ks(vec![
                    link("/", Msg::NavOverview, "nav-overview"),
                    link("/issues", Msg::NavIssues, "nav-issues"),
                    link("/traces", Msg::NavTraces, "nav-traces"),
                    link("/wall", Msg::NavWall, "nav-wall"),
                    link("/settings", Msg::NavSettings, "nav-settings"),
                ]),
                h("div").c("tools").ks(vec![
                    h("button").c("ghost").id("refresh").t(format!("⟳ {}", t(Msg::Refresh))).on("click", move |_| {
                        if let Some(s) = app.source(src.as_deref()) {
                            app.clocks.refresh_now(&s.name);
                        }
                    }),
                    h("select").id("lang").a("aria-label", t(Msg::Language)).p("value", i18n.locale.get_untracked().code())
                        .k(h("option").a("value", "en").t("English"))
                        .k(h("option").a("value", "ko").t("한국어"))
                        .on("change", move |ev| i18n.set(Locale::from_tag(&event_value(ev)))),
                    h("select").a("aria-label", t(Msg::Theme)).p("value", mode)
                        .k(h("option").a("value", "system").t(t(Msg::ThemeSystem)))
                        .k(h("option").a("value", "light").t(t(Msg::ThemeLight)))
                        .k(h("option").a("value", "dark").t(t(Msg::ThemeDark)))
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
