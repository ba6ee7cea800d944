//! Transactions: GlitchTip's transaction groups (Sentry's come from the events table).

use super::client::{Api, Cancel};
use super::scope::Scope;
use lookout_core::model::table::TransactionRow;
use lookout_core::model::TableRow;
use lookout_core::query::{quote_search_value, EventsQuery, Params};
use lookout_core::ApiError;

type R<T> = Result<T, ApiError>;

/// A GlitchTip transaction group.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TransactionGroupDto {
    pub transaction: String,
    pub op: Option<String>,
    pub avg_duration: f64,
    pub transaction_count: u64,
}

impl lookout_core::json::FromJson for TransactionGroupDto {
    fn from_json(v: &serde_json::Value) -> Result<Self, String> {
        use lookout_core::json::Get;
        lookout_core::json::expect_object(v)?;
        Ok(TransactionGroupDto {
            transaction: v.s("transaction"),
            op: v.os("op"),
            avg_duration: v.f0("avgDuration"),
            transaction_count: v.n("transactionCount"),
        })
    }
}

/// GlitchTip's transaction groups (what it has instead of traces).
pub async fn transaction_groups(
    api: &Api,
    scope: &Scope,
    cancel: &Cancel,
) -> R<Vec<TransactionGroupDto>> {
    let (start, end) = scope.range.bounds(chrono::Utc::now());
    let params = Params::new()
        .push_all("project", scope.projects.iter().cloned())
        .push("start", lookout_core::time::iso(start))
        .push("end", lookout_core::time::iso(end))
        .push("limit", "50");
    Ok(api
        .get_retry(
            &format!("organizations/{}/transaction-groups/", api.org),
            &params,
            cancel,
        )
        .await?
        .data)
}

/// What the page shows.
#[derive(Clone, Debug, Default)]
pub struct TracesData {
    pub slow: Vec<TransactionRow>,
    pub failing: Vec<TransactionRow>,
    pub servers: Vec<String>,
    /// GlitchTip: transaction groups instead.
    pub groups: Option<Vec<TransactionGroupDto>>,
}

/// Recent slow and failing transactions (Sentry, one server or all), the servers with
/// transactions for the filter menu; GlitchTip's transaction groups instead.
pub async fn load(api: Api, scope: Scope, server: Option<String>, cancel: Cancel) -> R<TracesData> {
    if api.is_glitchtip() {
        let groups = transaction_groups(&api, &scope, &cancel).await?;
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
        scope
            .events("transactions")
            .fields(TransactionRow::FIELDS)
            .sort(sort)
            .per_page(25)
            .search(q)
            .params()
    };
    // Every server with transactions in the window, in any project (the server filter's menu).
    let servers_p = EventsQuery::new("transactions")
        .fields(["server_name", "count()"])
        .sort("-count()")
        .window(scope.range.api_params())
        .params();
    let slow_p = table("-transaction.duration", "");
    let fail_p = table("-timestamp", "!transaction.status:ok");
    let (slow, failing, servers) = futures::join!(
        super::events::events_table(&api, &slow_p, &cancel),
        super::events::events_table(&api, &fail_p, &cancel),
        super::events::events_table(&api, &servers_p, &cancel)
    );
    Ok(TracesData {
        slow: slow?
            .data
            .data
            .iter()
            .map(TransactionRow::from_row)
            .collect(),
        failing: failing?
            .data
            .data
            .iter()
            .map(TransactionRow::from_row)
            .collect(),
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
