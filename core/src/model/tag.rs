//! Tag distributions of an issue.

use crate::lenient;
use chrono::{DateTime, Utc};
use serde::Deserialize;

/// `GET …/issues/{id}/tags/{key}/` and the items of `…/issues/{id}/tags/`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct TagKeyDto {
    #[serde(deserialize_with = "lenient::string")]
    pub key: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::count")]
    pub unique_values: u64,
    #[serde(deserialize_with = "lenient::count")]
    pub total_values: u64,
    #[serde(deserialize_with = "lenient::list")]
    pub top_values: Vec<TagValueDto>,
}

/// One value of a tag with its count (`…/tags/{key}/values/` items).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct TagValueDto {
    #[serde(deserialize_with = "lenient::string")]
    pub key: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::string")]
    pub value: String,
    #[serde(deserialize_with = "lenient::count")]
    pub count: u64,
    #[serde(deserialize_with = "lenient::opt_time")]
    pub first_seen: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "lenient::opt_time")]
    pub last_seen: Option<DateTime<Utc>>,
}

impl TagKeyDto {
    /// The share of one value, 0..=1 (the API has no percent field: `count / totalValues`).
    pub fn share(&self, value: &TagValueDto) -> f64 {
        let total = self
            .total_values
            .max(self.top_values.iter().map(|v| v.count).sum());
        if total == 0 {
            0.0
        } else {
            value.count as f64 / total as f64
        }
    }
}
