//! `/settings`: sources (add, edit, remove), tokens (pasted, kept per tab unless remembered), and a
//! connection test that says exactly what failed.

use crate::api::client::{page_origin, Cancel};
use crate::components::dom::{h, Mount, H};
use crate::components::status::error_text;
use crate::i18n::{t, tf, Msg};
use crate::state::app::{fetch_meta, use_app};
use crate::state::tokens;
use leptos::prelude::*;
use leptos::task::spawn_local;
use lookout_core::config::{AppConfig, ConfigProblem, SourceConfig, SourceKind};

fn el_value(id: &str) -> String {
    crate::components::dom::value_of(id)
}

fn el_checked(id: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| js_sys::Reflect::get(&e, &"checked".into()).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Writes a status line without rebuilding the form (so typed values and focus stay).
fn set_status(id: &str, text: &str, class: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    {
        el.set_text_content(Some(text));
        let _ = el.set_attribute("class", class);
    }
}

/// A configuration problem in words a user can act on.
pub fn problem_text(p: &ConfigProblem) -> String {
    match p {
        ConfigProblem::MissingName { .. } => t(Msg::MissingName).into(),
        ConfigProblem::MissingOrg { source } => format!("{source}: {}", t(Msg::MissingOrg)),
        ConfigProblem::BadUrl { source, .. } => format!("{source}: {}", t(Msg::InvalidUrl)),
        ConfigProblem::DuplicateName { source } => format!("{source}: {}", t(Msg::DuplicateName)),
        ConfigProblem::Syntax(e) => e.clone(),
    }
}

/// Reads source `i` of the form.
fn read_source(i: usize, original: &SourceConfig) -> SourceConfig {
    let mut s = SourceConfig {
        name: el_value(&format!("src-name-{i}")),
        url: el_value(&format!("src-url-{i}")),
        org: el_value(&format!("src-org-{i}")),
        token: original.token.clone(),
        kind: SourceKind::parse(&el_value(&format!("src-kind-{i}"))),
    };
    s.normalise();
    s
}

fn field(label: Msg, id: String, value: &str, kind: &'static str, testid: &'static str) -> H {
    h("label").child(h("span").text(t(label))).child(
        h("input")
            .attr("type", kind)
            .attr("id", id)
            .testid(testid)
            .attr("autocomplete", "off")
            .attr("spellcheck", "false")
            .prop("value", value.to_owned()),
    )
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let app = use_app();
    // The form is rebuilt only when sources are added, removed, saved or reset (not while typing).
    let draft: StoredValue<Vec<SourceConfig>> = StoredValue::new(Vec::new());
    let shape = RwSignal::new(0u32);
    Effect::new(move |_| {
        let sources = app.sources();
        draft.set_value(sources);
        shape.update(|v| *v += 1);
    });
    let collect = move || -> Vec<SourceConfig> {
        draft.with_value(|d| {
            d.iter()
                .enumerate()
                .map(|(i, s)| read_source(i, s))
                .collect()
        })
    };
    view! {
        <h1 class="page-title">{t(Msg::SettingsTitle)}</h1>
        <section class="panel">
            <h2>{t(Msg::SourcesTitle)}</h2>
            <p class="muted" data-testid="origin">{tf(Msg::ThisOrigin, &[&page_origin()])}</p>
            <p class="muted small">{t(Msg::TokenHelp)}</p>
            <Mount testid="sources" render=Box::new(move || {
                shape.track();
                let list = draft.get_value();
                let mut cards: Vec<H> = list.iter().enumerate().map(|(i, s)| source_card(i, s, collect)).collect();
                cards.push(h("div").class("row").children(vec![
                    h("button").testid("add-source").text(t(Msg::AddSource)).on("click", move |_| {
                        let mut cur = collect();
                        cur.push(SourceConfig { name: format!("Source {}", cur.len() + 1), ..Default::default() });
                        draft.set_value(cur);
                        shape.update(|v| *v += 1);
                    }),
                    h("button").testid("save-sources").text(t(Msg::SaveSources)).on("click", move |_| {
                        let cur = collect();
                        let cfg = AppConfig { sources: cur.clone(), ..AppConfig::default() };
                        let problems = cfg.problems();
                        if problems.is_empty() {
                            app.save_sources(cur);
                            set_status("save-status", t(Msg::Saved), "ok");
                        } else {
                            let text: Vec<String> = problems.iter().map(problem_text).collect();
                            set_status("save-status", &text.join(" · "), "error");
                        }
                    }),
                    h("button").class("ghost").text(t(Msg::ResetSources)).on("click", move |_| app.reset_sources()),
                    h("span").attr("id", "save-status").testid("save-status").attr("role", "status"),
                ]));
                cards
            }) />
        </section>
    }
}

fn source_card(
    i: usize,
    s: &SourceConfig,
    collect: impl Fn() -> Vec<SourceConfig> + Copy + 'static,
) -> H {
    let app = use_app();
    let saved_token = tokens::load(s);
    let token_state = match (&saved_token, &s.token) {
        (Some(_), _) => t(Msg::TokenSet),
        (None, Some(_)) => t(Msg::TokenFromConfig),
        (None, None) => t(Msg::TokenNotSet),
    };
    let kind = s.kind.map_or("", SourceKind::as_str);
    let source = s.clone();
    let source2 = s.clone();
    let remembered = tokens::remembered(s);
    let status_id = format!("test-result-{i}");
    h("div")
        .class("source-card")
        .testid("source-card")
        .children(vec![
            field(
                Msg::SourceName,
                format!("src-name-{i}"),
                &s.name,
                "text",
                "src-name",
            ),
            field(
                Msg::SourceUrl,
                format!("src-url-{i}"),
                &s.url,
                "url",
                "src-url",
            ),
            field(
                Msg::SourceOrg,
                format!("src-org-{i}"),
                &s.org,
                "text",
                "src-org",
            ),
            h("label").child(h("span").text(t(Msg::SourceKind))).child(
                h("select")
                    .attr("id", format!("src-kind-{i}"))
                    .prop("value", kind)
                    .child(h("option").attr("value", "").text(t(Msg::KindDetect)))
                    .child(h("option").attr("value", "sentry").text(t(Msg::KindSentry)))
                    .child(
                        h("option")
                            .attr("value", "glitchtip")
                            .text(t(Msg::KindGlitchtip)),
                    ),
            ),
            h("div").children(vec![
                h("label")
                    .child(h("span").text(format!("{} — {}", t(Msg::Token), token_state)))
                    .child(
                        h("input")
                            .attr("type", "password")
                            .attr("id", format!("src-token-{i}"))
                            .testid("src-token")
                            .attr("autocomplete", "off")
                            .attr("placeholder", t(Msg::TokenPlaceholder)),
                    ),
                h("label")
                    .class("row")
                    .child(
                        h("input")
                            .attr("type", "checkbox")
                            .attr("id", format!("src-remember-{i}"))
                            .attr_if(remembered, "checked", ""),
                    )
                    .text(t(Msg::RememberToken)),
                h("div").class("muted small").text(t(Msg::RememberHint)),
                h("div").class("row").children(vec![
                    h("button")
                        .testid("save-token")
                        .text(t(Msg::SaveSources))
                        .on("click", move |_| {
                            let token = el_value(&format!("src-token-{i}"));
                            if !token.trim().is_empty() {
                                tokens::save(
                                    &source,
                                    &token,
                                    el_checked(&format!("src-remember-{i}")),
                                );
                                app.forget_metas();
                                set_status(&format!("test-result-{i}"), t(Msg::Saved), "ok");
                            }
                        }),
                    h("button")
                        .class("ghost")
                        .testid("forget-token")
                        .text(t(Msg::ForgetToken))
                        .on("click", move |_| {
                            tokens::forget(&source2);
                            app.forget_metas();
                        }),
                ]),
            ]),
            h("div").class("row").children(vec![
                h("button")
                    .testid("test-connection")
                    .text(t(Msg::TestConnection))
                    .on("click", move |_| {
                        let all = collect();
                        let Some(mut src) = all.get(i).cloned() else {
                            return;
                        };
                        let pasted = el_value(&format!("src-token-{i}"));
                        let id = format!("test-result-{i}");
                        set_status(&id, t(Msg::Testing), "muted");
                        // Test with what is typed: a pasted token wins over a saved one.
                        let token = Some(pasted.trim().to_owned()).filter(|p| !p.is_empty());
                        spawn_local(async move {
                            src.normalise();
                            match fetch_meta(&src, token, &Cancel::new()).await {
                                Ok(m) => set_status(
                                    &id,
                                    &tf(
                                        Msg::ConnectionOk,
                                        &[
                                            &m.org.name,
                                            m.api.kind.as_str(),
                                            &m.projects.len().to_string(),
                                        ],
                                    ),
                                    "ok",
                                ),
                                Err(e) => set_status(&id, &error_text(&e), "error"),
                            }
                        });
                    }),
                h("button")
                    .class("ghost")
                    .testid("remove-source")
                    .text(t(Msg::RemoveSource))
                    .on("click", move |_| {
                        let mut cur = collect();
                        if i < cur.len() {
                            cur.remove(i);
                        }
                        app.save_sources(cur);
                    }),
                h("span")
                    .attr("id", status_id)
                    .testid("test-result")
                    .attr("role", "status"),
            ]),
        ])
}
