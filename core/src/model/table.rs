//! The events table (`GET /api/0/organizations/{org}/events/`).

use crate::lenient;
use serde::Deserialize;
use serde_json::{Map, Value};

/// `{data: [{field: value}], meta: {fields: {…}}}`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct EventsTableDto {
    #[serde(deserialize_with = "lenient::list")]
    pub data: Vec<Map<String, Value>>,
    pub meta: Option<Value>,
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
