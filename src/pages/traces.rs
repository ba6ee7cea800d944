//! `/traces`: recent slow or failing transactions per server — the way into a trace. GlitchTip
//! records no spans: it gets its transaction groups and a plain explanation.

use crate::api::client::{Api, Cancel};
use crate::api::resources::{self, Scope, TransactionGroupDto};
use crate::components::age::ago;
use crate::components::dom::{h, link_cut, Mount, H};
use crate::components::filters::{use_set_query_rc, FilterBar};
use crate::components::nav::select;
use crate::components::status::{load_state, mark_first_data};
use crate::i18n::{t, Msg};
use crate::state::loader::use_load;
use crate::state::view::{scoped_href, use_page, use_param, ViewScope};
use leptos::prelude::*;
use lookout_core::model::TableRow;
use lookout_core::query::{percent_encode, quote_search_value, Params};
use lookout_core::ApiError;
use serde_json::{Map, Value};

/// What the page shows.
#[derive(Clone, Debug, Default)]
pub struct TracesData {
    pub slow: Vec<Map<String, Value>>,
    pub failing: Vec<Map<String, Value>>,
    pub servers: Vec<String>,
    /// GlitchTip: transaction groups instead.
    pub groups: Option<Vec<TransactionGroupDto>>,
}

const FIELDS: [&str; 8] = [
    "id",
    "trace",
    "transaction",
    "transaction.duration",
    "server_name",
    "project",
    "timestamp",
    "transaction.status",
];

async fn load(
    api: Api,
    scope: Scope,
    server: Option<String>,
    cancel: Cancel,
) -> Result<TracesData, ApiError> {
    if api.is_glitchtip() {
        let groups = resources::transaction_groups(&api, &scope, &cancel).await?;
        return Ok(TracesData {
            groups: Some(groups),
            ..Default::default()
        });
    }
    let table = |sort: &str, extra: &str| {
        let mut q = extra.to_owned();
        if let Some(s) = &server {
            q = format!("{q} server_name:{}", quote_search_value(s));
        }
        let mut p = Params::new()
            .push("dataset", "transactions")
            .push_all("field", FIELDS.iter().map(|f| (*f).to_owned()))
            .push("sort", sort)
            .push("per_page", "25")
            .push("query", q.trim().to_owned())
            .push_all("project", scope.projects.iter().cloned())
            .push_all("environment", scope.environments.iter().cloned());
        for (k, v) in scope.range.api_params() {
            p = p.push(&k, v);
        }
        p
    };
    let mut servers_p = Params::new()
        .push("dataset", "transactions")
        .push("field", "server_name")
        .push("field", "count()")
        .push("sort", "-count()")
        .push("per_page", "100");
    for (k, v) in scope.range.api_params() {
        servers_p = servers_p.push(&k, v);
    }
    let slow_p = table("-transaction.duration", "");
    let fail_p = table("-timestamp", "!transaction.status:ok");
    let (slow, failing, servers) = futures::join!(
        resources::events_table(&api, &slow_p, &cancel),
        resources::events_table(&api, &fail_p, &cancel),
        resources::events_table(&api, &servers_p, &cancel)
    );
    Ok(TracesData {
        slow: slow?.data.data,
        failing: failing?.data.data,
        servers: servers
            .map(|p| {
                p.data
                    .data
                    .iter()
                    .filter_map(|r| r.text("server_name"))
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        groups: None,
    })
}

fn table(scope: &ViewScope, rows: &[Map<String, Value>], testid: &'static str) -> H {
    let now = chrono::Utc::now();
    let body = rows
        .iter()
        .map(|r| {
            let trace = r.text("trace").unwrap_or_default();
            let name = r.text("transaction").unwrap_or_default();
            let when = r
                .text("timestamp")
                .and_then(|t| lookout_core::lenient::parse_time(&t));
            h("tr").id("trace-row").ks(vec![
                h("td").k(if trace.is_empty() {
                    h("span").cut(&name, 200)
                } else {
                    link_cut(
                        &scoped_href(
                            &crate::href(&format!("/trace/{}", percent_encode(&trace))),
                            scope,
                            &[],
                        ),
                        &name,
                        200,
                    )
                }),
                h("td")
                    .c("num")
                    .t(r.number("transaction.duration")
                        .map(lookout_core::format::duration_ms)
                        .unwrap_or_default()),
                h("td").cut(&r.text("server_name").unwrap_or_default(), 60),
                h("td")
                    .c("muted")
                    .cut(&r.text("project").unwrap_or_default(), 40),
                h("td").c("small").k(ago(when, now)),
            ])
        })
        .collect();
    h("table")
        .id(testid)
        .k(h("thead").k(h("tr").ks(vec![
            h("th").t(t(Msg::ColTransaction)),
            h("th").c("num").t(t(Msg::ColDuration)),
            h("th").t(t(Msg::ColServer)),
            h("th").t(t(Msg::Project)),
            h("th").t(t(Msg::ColWhen)),
        ])))
        .k(h("tbody").ks(body))
}

fn groups(list: &[TransactionGroupDto]) -> H {
    h("table")
        .id("transaction-groups")
        .k(h("thead").k(h("tr").ks(vec![
            h("th").t(t(Msg::ColTransaction)),
            h("th").c("num").t(t(Msg::AvgDuration)),
            h("th").c("num").t(t(Msg::Count)),
        ])))
        .k(h("tbody").ks(list
            .iter()
            .map(|g| {
                h("tr").ks(vec![
                    h("td").cut(&g.transaction, 200),
                    h("td")
                        .c("num")
                        .t(lookout_core::format::duration_ms(g.avg_duration)),
                    h("td")
                        .c("num")
                        .t(lookout_core::format::grouped_count(g.transaction_count)),
                ])
            })
            .collect()))
}

#[component]
pub fn TracesPage() -> impl IntoView {
    let ctx = use_page();
    let server = use_param("server");
    let set = use_set_query_rc();
    let data = use_load(
        move || {
            let s = ctx.scope.get();
            Some((
                ctx.meta.get()?.api.clone(),
                Scope {
                    projects: s.projects,
                    environments: s.environments,
                    range: s.range,
                },
                server.get(),
            ))
        },
        move || ctx.tick(),
        |(api, scope, server), cancel| load(api, scope, server, cancel),
        move |r| ctx.report(r),
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
                return vec![h("div").c("notice").id("no-traces").t(t(Msg::NoTracesGlitchtip)), h("section").c("panel").k(groups(g))];
            }
            let set = set.clone();
            let mut servers: Vec<(String, String)> = vec![(String::new(), t(Msg::GroupServer).to_owned())];
            servers.extend(d.servers.iter().map(|s| (s.clone(), s.clone())));
            vec![
                h("p").c("muted").t(t(Msg::TracesHint)),
                h("div").c("filters").k(select("trace-server", Msg::ColServer, &server.get().unwrap_or_default(), servers, move |v| set(&[("server", Some(v))], true))),
                h("section").c("panel").k(h("h2").t(t(Msg::SlowTransactions))).k(table(&scope, &d.slow, "slow-transactions")),
                h("section").c("panel").k(h("h2").t(t(Msg::FailingTransactions))).k(table(&scope, &d.failing, "failing-transactions")),
            ]
        }) />
    }
}
