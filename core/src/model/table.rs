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
