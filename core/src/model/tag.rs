//! Tag distributions of an issue.

use crate::json::{expect_object, FromJson, Get};
use chrono::{DateTime, Utc};
use serde_json::Value;

/// `GET …/issues/{id}/tags/{key}/` and the items of `…/issues/{id}/tags/`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TagKeyDto {
    pub key: String,
    pub name: String,
    pub unique_values: u64,
    pub total_values: u64,
    pub top_values: Vec<TagValueDto>,
}

/// One value of a tag with its count (`…/tags/{key}/values/` items).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TagValueDto {
    pub key: String,
    pub name: String,
    pub value: String,
    pub count: u64,
    pub first_seen: Option<DateTime<Utc>>,
    pub last_seen: Option<DateTime<Utc>>,
}

impl FromJson for TagKeyDto {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(TagKeyDto {
            key: v.s("key"),
            name: v.s("name"),
            unique_values: v.n("uniqueValues"),
            total_values: v.n("totalValues"),
            top_values: v.l("topValues"),
        })
    }
}

impl FromJson for TagValueDto {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(TagValueDto {
            key: v.s("key"),
            name: v.s("name"),
            value: v.s("value"),
            count: v.n("count"),
            first_seen: v.t("firstSeen"),
            last_seen: v.t("lastSeen"),
        })
    }
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
