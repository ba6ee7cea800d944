//! `/settings`: sources (add, edit, remove), tokens (pasted, kept per tab unless remembered), and a
//! connection test that says exactly what failed. The form's fields are signals bound to their
//! inputs ([`H::bind_value`]); nothing is read back from the page by id. (Built with the DOM
//! builder, not `view!`: this page in `view!` measured +14.2 KB gzipped, docs/size.md.)

use crate::api::client::{page_origin, Cancel};
use crate::components::dom::{h, Mount, H};
use crate::components::status::error_text;
use crate::i18n::{t, tf, Msg};
use crate::state::app::{fetch_meta, use_app};
use crate::state::tokens;
use leptos::prelude::*;
use leptos::task::spawn_local;
use lookout_core::config::{AppConfig, ConfigProblem, SourceConfig, SourceKind};

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

/// One source as the form holds it: the fields' values, written on every keystroke.
#[derive(Clone)]
struct Draft {
    source: SourceConfig,
    /// The token pasted, not saved yet.
    token: String,
    remember: bool,
}

impl Draft {
    fn new(source: SourceConfig) -> Self {
        let remember = tokens::remembered(&source);
        Draft {
            source,
            token: String::new(),
            remember,
        }
    }

    /// The pasted token, if any.
    fn pasted(&self) -> Option<String> {
        Some(self.token.trim().to_owned()).filter(|p| !p.is_empty())
    }
}

type Drafts = StoredValue<Vec<Draft>>;

/// Writes `set(draft, value)` into draft `i` (the write-back of a bound field).
fn edit<T: 'static>(drafts: Drafts, i: usize, set: fn(&mut Draft, T)) -> impl Fn(T) + 'static {
    move |v| {
        drafts.update_value(|d| {
            if let Some(d) = d.get_mut(i) {
                set(d, v)
            }
        })
    }
}

/// The sources as typed.
fn collect(drafts: Drafts) -> Vec<SourceConfig> {
    drafts.with_value(|d| {
        d.iter()
            .map(|d| {
                let mut s = d.source.clone();
                s.normalise();
                s
            })
            .collect()
    })
}

fn field(
    label: Msg,
    id: String,
    value: &str,
    write: impl Fn(String) + 'static,
    kind: &'static str,
    testid: &'static str,
) -> H {
    h("label").child(h("span").text(t(label))).child(
        h("input")
            .attr("type", kind)
            .attr("id", id)
            .testid(testid)
            .attr("autocomplete", "off")
            .attr("spellcheck", "false")
            .bind_value(value.to_owned(), write),
    )
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let app = use_app();
    // The form is drawn again only when sources are added, removed, saved or reset (not while
    // typing: the fields write into the drafts).
    let drafts: Drafts = StoredValue::new(Vec::new());
    let shape = RwSignal::new(0u32);
    // Outside the redrawn form: saving redraws it, and the outcome must outlive that.
    let saved: RwSignal<(String, &'static str)> = RwSignal::new((String::new(), ""));
    Effect::new(move |_| {
        let sources = app.sources();
        drafts.set_value(sources.into_iter().map(Draft::new).collect());
        shape.update(|v| *v += 1);
    });
    view! {
        <h1 class="page-title">{t(Msg::SettingsTitle)}</h1>
        <section class="panel">
            <h2>{t(Msg::SourcesTitle)}</h2>
            <p class="muted" data-testid="origin">{tf(Msg::ThisOrigin, &[&page_origin()])}</p>
            <p class="muted small">{t(Msg::TokenHelp)}</p>
            <Mount testid="sources" render=Box::new(move || {
                shape.track();
                let list = drafts.get_value();
                let mut cards: Vec<H> = list.iter().enumerate().map(|(i, d)| source_card(i, d, drafts)).collect();
                cards.push(h("div").class("row").children(vec![
                    h("button").testid("add-source").text(t(Msg::AddSource)).on("click", move |_| {
                        drafts.update_value(|d| {
                            let name = format!("Source {}", d.len() + 1);
                            d.push(Draft::new(SourceConfig { name, ..Default::default() }));
                        });
                        shape.update(|v| *v += 1);
                    }),
                    h("button").testid("save-sources").text(t(Msg::SaveSources)).on("click", move |_| {
                        let cur = collect(drafts);
                        let cfg = AppConfig { sources: cur.clone(), ..AppConfig::default() };
                        let problems = cfg.problems();
                        if problems.is_empty() {
                            app.save_sources(cur);
                            saved.set((t(Msg::Saved).into(), "ok"));
                        } else {
                            let text: Vec<String> = problems.iter().map(problem_text).collect();
                            saved.set((text.join(" · "), "error"));
                        }
                    }),
                    h("button").class("ghost").text(t(Msg::ResetSources)).on("click", move |_| app.reset_sources()),
                ]));
                cards
            }) />
            <span id="save-status" data-testid="save-status" role="status" class=move || saved.with(|s| s.1)>
                {move || saved.with(|s| s.0.clone())}
            </span>
        </section>
    }
}

fn source_card(i: usize, d: &Draft, drafts: Drafts) -> H {
    let app = use_app();
    let s = &d.source;
    let token_state = match (tokens::load(s), &s.token) {
        (Some(_), _) => t(Msg::TokenSet),
        (None, Some(_)) => t(Msg::TokenFromConfig),
        (None, None) => t(Msg::TokenNotSet),
    };
    let kind = s.kind.map_or("", SourceKind::as_str);
    let original = s.clone();
    let original2 = s.clone();
    let status_id = format!("test-result-{i}");
    h("div")
        .class("source-card")
        .testid("source-card")
        .children(vec![
            field(
                Msg::SourceName,
                format!("src-name-{i}"),
                &s.name,
                edit(drafts, i, |d, v| d.source.name = v),
                "text",
                "src-name",
            ),
            field(
                Msg::SourceUrl,
                format!("src-url-{i}"),
                &s.url,
                edit(drafts, i, |d, v| d.source.url = v),
                "url",
                "src-url",
            ),
            field(
                Msg::SourceOrg,
                format!("src-org-{i}"),
                &s.org,
                edit(drafts, i, |d, v| d.source.org = v),
                "text",
                "src-org",
            ),
            h("label").child(h("span").text(t(Msg::SourceKind))).child(
                h("select")
                    .attr("id", format!("src-kind-{i}"))
                    .children(
                        [
                            ("", Msg::KindDetect),
                            ("sentry", Msg::KindSentry),
                            ("glitchtip", Msg::KindGlitchtip),
                        ]
                        .into_iter()
                        .map(|(v, label)| {
                            h("option")
                                .attr("value", v)
                                .attr_if(v == kind, "selected", "")
                                .text(t(label))
                        })
                        .collect(),
                    )
                    .bind_value(
                        kind.to_owned(),
                        edit(drafts, i, |d, v: String| {
                            d.source.kind = SourceKind::parse(&v)
                        }),
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
                            .attr("placeholder", t(Msg::TokenPlaceholder))
                            .bind_value(String::new(), edit(drafts, i, |d, v| d.token = v)),
                    ),
                h("label")
                    .class("row")
                    .child(
                        h("input")
                            .attr("type", "checkbox")
                            .attr("id", format!("src-remember-{i}"))
                            .bind_checked(d.remember, edit(drafts, i, |d, v| d.remember = v)),
                    )
                    .text(t(Msg::RememberToken)),
                h("div").class("muted small").text(t(Msg::RememberHint)),
                h("div").class("row").children(vec![
                    h("button")
                        .testid("save-token")
                        .text(t(Msg::SaveSources))
                        .on("click", move |_| {
                            let typed = drafts.with_value(|d| {
                                d.get(i).and_then(|d| Some((d.pasted()?, d.remember)))
                            });
                            if let Some((token, remember)) = typed {
                                tokens::save(&original, &token, remember);
                                app.forget_metas();
                                set_status(&format!("test-result-{i}"), t(Msg::Saved), "ok");
                            }
                        }),
                    h("button")
                        .class("ghost")
                        .testid("forget-token")
                        .text(t(Msg::ForgetToken))
                        .on("click", move |_| {
                            tokens::forget(&original2);
                            app.forget_metas();
                        }),
                ]),
            ]),
            h("div").class("row").children(vec![
                h("button")
                    .testid("test-connection")
                    .text(t(Msg::TestConnection))
                    .on("click", move |_| {
                        let all = collect(drafts);
                        let Some(mut src) = all.get(i).cloned() else {
                            return;
                        };
                        let id = format!("test-result-{i}");
                        set_status(&id, t(Msg::Testing), "muted");
                        // Test with what is typed: a pasted token wins over a saved one.
                        let token = drafts.with_value(|d| d.get(i).and_then(Draft::pasted));
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
                        let mut cur = collect(drafts);
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
