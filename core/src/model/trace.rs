//! Traces: the new `trace/` format, the legacy `events-trace/` format, and `trace-meta/`.

use crate::json::{expect_object, FromJson, Get};
use serde_json::{Map, Value};

/// A node of `GET …/trace/{trace_id}/` (an array of root nodes).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TraceNodeDto {
    /// The span id for spans; the event id for errors.
    pub event_id: String,
    /// `span`, `error`, `occurrence`, `uptime_check`.
    pub event_type: String,
    pub transaction_id: Option<String>,
    pub project_id: Option<String>,
    pub project_slug: String,
    pub transaction: Option<String>,
    pub op: Option<String>,
    pub description: Option<String>,
    pub parent_span_id: Option<String>,
    pub is_transaction: bool,
    pub start_timestamp: f64,
    pub end_timestamp: f64,
    /// Milliseconds.
    pub duration: f64,
    pub children: Vec<TraceNodeDto>,
    pub errors: Vec<TraceErrorDto>,
    pub occurrences: Vec<TraceErrorDto>,
    /// Extra attributes asked for with `additional_attributes=` (e.g. the server name).
    pub additional_attributes: Map<String, Value>,
    /// Orphan error nodes carry these directly.
    pub issue_id: Option<String>,
    pub level: Option<String>,
    pub culprit: Option<String>,
}

/// Nesting deeper than this is cut (a hostile or broken server could nest without end).
pub const MAX_DEPTH: usize = 256;

impl TraceNodeDto {
    fn read(v: &Value, depth: usize) -> Result<Self, String> {
        expect_object(v)?;
        let children = match v.get("children") {
            Some(Value::Array(items)) if depth < MAX_DEPTH => items
                .iter()
                .filter_map(|c| TraceNodeDto::read(c, depth + 1).ok())
                .collect(),
            _ => Vec::new(),
        };
        Ok(TraceNodeDto {
            event_id: v.s("event_id"),
            event_type: v.s("event_type"),
            transaction_id: v.os("transaction_id"),
            project_id: v.os("project_id"),
            project_slug: v.s("project_slug"),
            transaction: v.os("transaction"),
            op: v.os("op"),
            description: v.os("description"),
            parent_span_id: v.os("parent_span_id"),
            is_transaction: v.b("is_transaction").unwrap_or(false),
            start_timestamp: v.f0("start_timestamp"),
            end_timestamp: v.f0("end_timestamp"),
            duration: v.f0("duration"),
            children,
            errors: v.l("errors"),
            occurrences: v.l("occurrences"),
            additional_attributes: match v.get("additional_attributes") {
                Some(Value::Object(m)) => m.clone(),
                _ => Map::new(),
            },
            issue_id: v.os("issue_id"),
            level: v.os("level"),
            culprit: v.os("culprit"),
        })
    }
}

impl FromJson for TraceNodeDto {
    fn from_json(v: &Value) -> Result<Self, String> {
        TraceNodeDto::read(v, 0)
    }
}

/// An error (or performance occurrence) attached to a span.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TraceErrorDto {
    pub event_id: String,
    pub issue_id: Option<String>,
    /// The new format's short id (`PROJ-12`).
    pub short_id: Option<String>,
    /// The legacy format's short id.
    pub issue_short_id: Option<String>,
    pub level: Option<String>,
    pub culprit: Option<String>,
    /// The new format's error text.
    pub description: Option<String>,
    /// The legacy format's error text.
    pub title: Option<String>,
    pub project_slug: String,
    pub start_timestamp: Option<f64>,
    pub timestamp: Option<f64>,
    /// The span the error happened in (legacy format).
    pub span: Option<String>,
}

impl FromJson for TraceErrorDto {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(TraceErrorDto {
            event_id: v.s("event_id"),
            issue_id: v.os("issue_id"),
            short_id: v.os("short_id"),
            issue_short_id: v.os("issue"),
            level: v.os("level"),
            culprit: v.os("culprit"),
            description: v.os("description"),
            title: v.os("title"),
            project_slug: v.s("project_slug"),
            start_timestamp: v.f("start_timestamp"),
            timestamp: v.f("timestamp"),
            span: v.os("span"),
        })
    }
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
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LegacyTransactionDto {
    pub event_id: String,
    pub span_id: String,
    pub transaction: String,
    /// Milliseconds.
    pub duration: f64,
    pub op: Option<String>,
    pub project_slug: String,
    pub project_id: Option<String>,
    pub parent_span_id: Option<String>,
    pub start_timestamp: f64,
    pub timestamp: f64,
    pub errors: Vec<TraceErrorDto>,
    pub performance_issues: Vec<TraceErrorDto>,
    pub children: Vec<LegacyTransactionDto>,
}

impl LegacyTransactionDto {
    fn read(v: &Value, depth: usize) -> Result<Self, String> {
        expect_object(v)?;
        let children = match v.get("children") {
            Some(Value::Array(items)) if depth < MAX_DEPTH => items
                .iter()
                .filter_map(|c| LegacyTransactionDto::read(c, depth + 1).ok())
                .collect(),
            _ => Vec::new(),
        };
        Ok(LegacyTransactionDto {
            event_id: v.s("event_id"),
            span_id: v.s("span_id"),
            transaction: v.s("transaction"),
            duration: v.f0("transaction.duration"),
            op: v.os("transaction.op"),
            project_slug: v.s("project_slug"),
            project_id: v.os("project_id"),
            parent_span_id: v.os("parent_span_id"),
            start_timestamp: v.f0("start_timestamp"),
            timestamp: v.f0("timestamp"),
            errors: v.l("errors"),
            performance_issues: v.l("performance_issues"),
            children,
        })
    }
}

impl FromJson for LegacyTransactionDto {
    fn from_json(v: &Value) -> Result<Self, String> {
        LegacyTransactionDto::read(v, 0)
    }
}

impl FromJson for LegacyTraceDto {
    fn from_json(v: &Value) -> Result<Self, String> {
        // Newer: `{transactions, orphan_errors}`; older servers: a bare array of transactions.
        match v {
            Value::Array(_) => Ok(LegacyTraceDto {
                transactions: Vec::from_json(v)?,
                orphan_errors: Vec::new(),
            }),
            Value::Object(_) => Ok(LegacyTraceDto {
                transactions: v.l("transactions"),
                orphan_errors: v.l("orphan_errors"),
            }),
            other => Err(format!(
                "expected a trace, got {}",
                crate::json::kind(other)
            )),
        }
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

impl FromJson for TraceMetaDto {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        let first = |keys: &[&str]| {
            keys.iter()
                .find_map(|k| v.get(*k).and_then(crate::lenient::value_to_f64))
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
