//! The events table (`GET /api/0/organizations/{org}/events/`).

use crate::json::{expect_object, FromJson, Get};
use crate::lenient;
use serde_json::{Map, Value};

/// `{data: [{field: value}], meta: {fields: {…}}}`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventsTableDto {
    pub data: Vec<Map<String, Value>>,
    pub meta: Option<Value>,
}

impl FromJson for EventsTableDto {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        let data = match v.get("data") {
            Some(Value::Array(rows)) => {
                rows.iter().filter_map(|r| r.as_object().cloned()).collect()
            }
            Some(Value::Null) | None => Vec::new(),
            Some(other) => return Err(format!("\"data\" is {}", crate::json::kind(other))),
        };
        Ok(EventsTableDto {
            data,
            meta: v.raw("meta"),
        })
    }
}

/// Helpers to read one row of the events table.
pub trait TableRow {
    /// A field as text (`None` when missing or null).
    fn text(&self, field: &str) -> Option<String>;
    /// A field as a number (`None` when missing, null or not numeric).
    fn number(&self, field: &str) -> Option<f64>;
}

impl TableRow for Map<String, Value> {
    fn text(&self, field: &str) -> Option<String> {
        self.get(field).and_then(lenient::value_to_string)
    }

    fn number(&self, field: &str) -> Option<f64> {
        self.get(field).and_then(lenient::value_to_f64)
    }
}

/// One transaction of the events table (`dataset=transactions`), as the traces page lists it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TransactionRow {
    pub id: String,
    /// The trace id (empty when the row has none: then there is no waterfall to open).
    pub trace: String,
    pub transaction: String,
    pub duration_ms: Option<f64>,
    pub server: String,
    pub project: String,
    pub timestamp: Option<chrono::DateTime<chrono::Utc>>,
    pub status: String,
}

impl TransactionRow {
    /// The columns [`TransactionRow::from_row`] reads.
    pub const FIELDS: [&'static str; 8] = [
        "id",
        "trace",
        "transaction",
        "transaction.duration",
        "server_name",
        "project",
        "timestamp",
        "transaction.status",
    ];

    /// Reads one row (missing or odd fields become empty).
    pub fn from_row(r: &Map<String, Value>) -> TransactionRow {
        let text = |f: &str| r.text(f).unwrap_or_default();
        TransactionRow {
            id: text("id"),
            trace: text("trace"),
            transaction: text("transaction"),
            duration_ms: r.number("transaction.duration"),
            server: text("server_name"),
            project: text("project"),
            timestamp: r.text("timestamp").and_then(|t| lenient::parse_time(&t)),
            status: text("transaction.status"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transaction_rows_read_what_sentry_sends() {
        let v: Value = serde_json::json!({
            "id": "a1", "trace": "t1", "transaction": "GET /api", "transaction.duration": 812,
            "server_name": "api-1", "project": "web", "timestamp": "2026-12-06T01:02:03+00:00",
            "transaction.status": "internal_error"
        });
        let r = TransactionRow::from_row(v.as_object().unwrap());
        assert_eq!(
            (r.trace.as_str(), r.duration_ms, r.server.as_str()),
            ("t1", Some(812.0), "api-1")
        );
        use chrono::TimeZone;
        assert_eq!(
            r.timestamp,
            chrono::Utc.with_ymd_and_hms(2026, 12, 6, 1, 2, 3).single()
        );
        // Nulls and junk: empty fields, not a failure.
        let odd: Value = serde_json::json!({"trace": null, "transaction.duration": "slow"});
        let r = TransactionRow::from_row(odd.as_object().unwrap());
        assert_eq!(
            (r.trace.as_str(), r.duration_ms, r.timestamp),
            ("", None, None)
        );
    }
}
