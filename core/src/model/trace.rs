//! Traces: the new `trace/` format, the legacy `events-trace/` format, and `trace-meta/`.

use crate::lenient;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

/// A node of `GET …/trace/{trace_id}/` (an array of root nodes).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct TraceNodeDto {
    /// The span id for spans; the event id for errors.
    #[serde(deserialize_with = "lenient::string")]
    pub event_id: String,
    /// `span`, `error`, `occurrence`, `uptime_check`.
    #[serde(deserialize_with = "lenient::string")]
    pub event_type: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub transaction_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub project_id: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub project_slug: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub transaction: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub op: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub parent_span_id: Option<String>,
    #[serde(deserialize_with = "lenient::bool_or_false")]
    pub is_transaction: bool,
    #[serde(deserialize_with = "lenient::f64_or_zero")]
    pub start_timestamp: f64,
    #[serde(deserialize_with = "lenient::f64_or_zero")]
    pub end_timestamp: f64,
    /// Milliseconds.
    #[serde(deserialize_with = "lenient::f64_or_zero")]
    pub duration: f64,
    #[serde(deserialize_with = "children")]
    pub children: Vec<TraceNodeDto>,
    #[serde(deserialize_with = "lenient::list")]
    pub errors: Vec<TraceErrorDto>,
    #[serde(deserialize_with = "lenient::list")]
    pub occurrences: Vec<TraceErrorDto>,
    /// Extra attributes asked for with `additional_attributes=` (e.g. the server name).
    #[serde(deserialize_with = "object")]
    pub additional_attributes: Map<String, Value>,
    /// Orphan error nodes carry these directly.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub issue_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub level: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub culprit: Option<String>,
}

/// An error (or performance occurrence) attached to a span.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct TraceErrorDto {
    #[serde(deserialize_with = "lenient::string")]
    pub event_id: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub issue_id: Option<String>,
    /// The new format's short id (`PROJ-12`).
    #[serde(deserialize_with = "lenient::opt_string")]
    pub short_id: Option<String>,
    /// The legacy format's short id.
    #[serde(rename = "issue", deserialize_with = "lenient::opt_string")]
    pub issue_short_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub level: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub culprit: Option<String>,
    /// The new format's error text.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
    /// The legacy format's error text.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub title: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub project_slug: String,
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub start_timestamp: Option<f64>,
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub timestamp: Option<f64>,
    /// The span the error happened in (legacy format).
    #[serde(rename = "span", deserialize_with = "lenient::opt_string")]
    pub span: Option<String>,
}

impl TraceErrorDto {
    /// The short id, whichever format sent it.
    pub fn short_id(&self) -> Option<&str> {
        self.short_id.as_deref().or(self.issue_short_id.as_deref())
    }

    /// The error text, whichever format sent it.
    pub fn text(&self) -> &str {
        self.description
            .as_deref()
            .or(self.title.as_deref())
            .or(self.culprit.as_deref())
            .unwrap_or("")
    }
}

/// `GET …/events-trace/{trace_id}/`: transactions only, with orphan errors beside them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LegacyTraceDto {
    pub transactions: Vec<LegacyTransactionDto>,
    pub orphan_errors: Vec<TraceErrorDto>,
}

/// One transaction of the legacy format.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct LegacyTransactionDto {
    #[serde(deserialize_with = "lenient::string")]
    pub event_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub span_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub transaction: String,
    /// Milliseconds.
    #[serde(
        rename = "transaction.duration",
        deserialize_with = "lenient::f64_or_zero"
    )]
    pub duration: f64,
    #[serde(rename = "transaction.op", deserialize_with = "lenient::opt_string")]
    pub op: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub project_slug: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub project_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub parent_span_id: Option<String>,
    #[serde(deserialize_with = "lenient::f64_or_zero")]
    pub start_timestamp: f64,
    #[serde(deserialize_with = "lenient::f64_or_zero")]
    pub timestamp: f64,
    #[serde(deserialize_with = "lenient::list")]
    pub errors: Vec<TraceErrorDto>,
    #[serde(deserialize_with = "lenient::list")]
    pub performance_issues: Vec<TraceErrorDto>,
    #[serde(deserialize_with = "legacy_children")]
    pub children: Vec<LegacyTransactionDto>,
}

impl<'de> Deserialize<'de> for LegacyTraceDto {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Newer: `{transactions, orphan_errors}`; older servers: a bare array of transactions.
        Ok(match Value::deserialize(d)? {
            Value::Array(items) => LegacyTraceDto {
                transactions: items
                    .into_iter()
                    .filter_map(|v| serde_json::from_value(v).ok())
                    .collect(),
                orphan_errors: Vec::new(),
            },
            Value::Object(mut o) => {
                let list = |v: Option<Value>| match v {
                    Some(Value::Array(items)) => items,
                    _ => Vec::new(),
                };
                LegacyTraceDto {
                    transactions: list(o.remove("transactions"))
                        .into_iter()
                        .filter_map(|v| serde_json::from_value(v).ok())
                        .collect(),
                    orphan_errors: list(o.remove("orphan_errors"))
                        .into_iter()
                        .filter_map(|v| serde_json::from_value(v).ok())
                        .collect(),
                }
            }
            _ => LegacyTraceDto::default(),
        })
    }
}

/// `GET …/trace-meta/{trace_id}/`: camelCase on current servers, snake_case on older ones.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TraceMetaDto {
    pub errors_count: u64,
    pub spans_count: u64,
    pub performance_issues_count: u64,
    pub transactions_count: u64,
    pub projects_count: u64,
}

impl<'de> Deserialize<'de> for TraceMetaDto {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        let first = |keys: &[&str]| {
            keys.iter()
                .find_map(|k| v.get(*k).and_then(lenient::value_to_f64))
                .map_or(0, |n| n.max(0.0) as u64)
        };
        Ok(TraceMetaDto {
            errors_count: first(&["errorsCount", "errors"]),
            spans_count: first(&["spansCount", "span_count", "spans"]),
            performance_issues_count: first(&["performanceIssuesCount", "performance_issues"]),
            transactions_count: first(&["transactionsCount", "transactions"]),
            projects_count: first(&["projectsCount", "projects"]),
        })
    }
}

// Both formats nest; a hostile or broken server could nest deeper than any real trace.
// serde_json stops at depth 128 with an error, which the client reports as a shape error.
fn children<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<TraceNodeDto>, D::Error> {
    lenient::list(d)
}

fn legacy_children<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<LegacyTransactionDto>, D::Error> {
    lenient::list(d)
}

fn object<'de, D: Deserializer<'de>>(d: D) -> Result<Map<String, Value>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Object(m) => m,
        _ => Map::new(),
    })
}

impl TraceNodeDto {
    /// Whether this node is a span (as opposed to an orphan error or occurrence).
    pub fn is_span(&self) -> bool {
        self.event_type.is_empty() || self.event_type == "span"
    }

    /// The server the span ran on, when the server reported it.
    pub fn server_name(&self) -> Option<&str> {
        ["server_name", "span.server_name", "host"]
            .iter()
            .find_map(|k| self.additional_attributes.get(*k)?.as_str())
    }
}
