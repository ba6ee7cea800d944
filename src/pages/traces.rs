//! `/traces`: recent slow or failing transactions per server — the way into a trace. GlitchTip
//! records no spans: it gets its transaction groups and a plain explanation.

use crate::api::scope::Scope;
use crate::api::traces::{self, TransactionGroupDto};
use crate::components::age::ago;
use crate::components::dom::{h, link_cut, Mount, H};
use crate::components::filters::{use_set_query_rc, FilterBar};
use crate::components::nav::select;
use crate::components::status::{load_state, mark_first_data};
use crate::i18n::{t, Msg};
use crate::state::view::{scoped_href, use_page, use_param, ViewScope};
use leptos::prelude::*;
use lookout_core::model::table::TransactionRow;
use lookout_core::query::percent_encode;

fn table(scope: &ViewScope, rows: &[TransactionRow], testid: &'static str) -> H {
    let now = chrono::Utc::now();
    let body = rows
        .iter()
        .map(|r| {
            let (trace, name) = (&r.trace, &r.transaction);
            h("tr").testid("trace-row").children(vec![
                h("td").child(if trace.is_empty() {
                    h("span").cut(name, 200)
                } else {
                    link_cut(
                        &scoped_href(
                            &crate::href(&format!("/trace/{}", percent_encode(trace))),
                            scope,
                            &[],
                        ),
                        name,
                        200,
                    )
                }),
                h("td").class("num").text(
                    r.duration_ms
                        .map(lookout_core::format::duration_ms)
                        .unwrap_or_default(),
                ),
                h("td").cut(&r.server, 60),
                h("td").class("muted").cut(&r.project, 40),
                h("td").class("small").child(ago(r.timestamp, now)),
            ])
        })
        .collect();
    h("table")
        .testid(testid)
        .child(h("thead").child(h("tr").children(vec![
            h("th").text(t(Msg::ColTransaction)),
            h("th").class("num").text(t(Msg::ColDuration)),
            h("th").text(t(Msg::ColServer)),
            h("th").text(t(Msg::Project)),
            h("th").text(t(Msg::ColWhen)),
        ])))
        .child(h("tbody").children(body))
}

fn groups(list: &[TransactionGroupDto]) -> H {
    h("table")
        .testid("transaction-groups")
        .child(h("thead").child(h("tr").children(vec![
            h("th").text(t(Msg::ColTransaction)),
            h("th").class("num").text(t(Msg::AvgDuration)),
            h("th").class("num").text(t(Msg::Count)),
        ])))
        .child(
            h("tbody").children(
                list.iter()
                    .map(|g| {
                        h("tr").children(vec![
                            h("td").cut(&g.transaction, 200),
                            h("td")
                                .class("num")
                                .text(lookout_core::format::duration_ms(g.avg_duration)),
                            h("td")
                                .class("num")
                                .text(lookout_core::format::grouped_count(g.transaction_count)),
                        ])
                    })
                    .collect(),
            ),
        )
}

#[component]
pub fn TracesPage() -> impl IntoView {
    let ctx = use_page();
    let server = use_param("server");
    let set = use_set_query_rc();
    let data = ctx.load(
        move || {
            let s = ctx.scope.get();
            Some((
                ctx.api.get()?,
                Scope {
                    projects: s.projects,
                    environments: s.environments,
                    range: s.range,
                },
                server.get(),
            ))
        },
        |(api, scope, server), cancel| traces::load(api, scope, server, cancel),
    );
    Effect::new(move |_| {
        if data.data.with(Option::is_some) {
            mark_first_data();
        }
    });
    view! {
        <h1 class="page-title">{t(Msg::TracesTitle)}</h1>
        <FilterBar ctx=ctx />
        {load_state(data, |_| false)}
        <Mount render=Box::new(move || {
            let Some(d) = data.data.get() else { return Vec::new() };
            let scope = ctx.scope.get();
            if let Some(g) = &d.groups {
                return vec![h("div").class("notice").testid("no-traces").text(t(Msg::NoTracesGlitchtip)), h("section").class("panel").child(groups(g))];
            }
            let set = set.clone();
            let mut servers: Vec<(String, String)> = vec![(String::new(), t(Msg::GroupServer).to_owned())];
            servers.extend(d.servers.iter().map(|s| (s.clone(), s.clone())));
            vec![
                h("p").class("muted").text(t(Msg::TracesHint)),
                h("div").class("filters").child(select("trace-server", Msg::ColServer, &server.get().unwrap_or_default(), servers, move |v| set(&[("server", Some(v))], true))),
                h("section").class("panel").child(h("h2").text(t(Msg::SlowTransactions))).child(table(&scope, &d.slow, "slow-transactions")),
                h("section").class("panel").child(h("h2").text(t(Msg::FailingTransactions))).child(table(&scope, &d.failing, "failing-transactions")),
            ]
        }) />
    }
}
