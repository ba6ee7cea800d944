//! Issues (groups of events).

use super::org::{ProjectRef, ReleaseRef};
use crate::lenient;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use std::collections::BTreeMap;

/// Sparkline buckets keyed by period (`24h`, `14d`, `30d`): `(epoch seconds, count)`.
pub type Sparklines = BTreeMap<String, Vec<(i64, f64)>>;

/// An issue from the issue list or issue details.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct IssueDto {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub short_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub title: String,
    /// `null` on Sentry when unknown, `""` on GlitchTip.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub culprit: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub level: String,
    #[serde(deserialize_with = "lenient::string")]
    pub status: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub substatus: Option<String>,
    /// A string on Sentry ("150"); scoped to the query's window.
    #[serde(deserialize_with = "lenient::count")]
    pub count: u64,
    #[serde(deserialize_with = "lenient::count")]
    pub user_count: u64,
    #[serde(deserialize_with = "lenient::opt_time")]
    pub first_seen: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "lenient::opt_time")]
    pub last_seen: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub permalink: Option<String>,
    #[serde(deserialize_with = "lenient::opt_obj")]
    pub project: Option<ProjectRef>,
    #[serde(deserialize_with = "lenient::opt_obj")]
    pub metadata: Option<IssueMetadata>,
    /// Sparkline buckets keyed by period (`24h`, `14d`, `30d`).
    #[serde(deserialize_with = "stats_map")]
    pub stats: Sparklines,
    /// All-time figures (the top-level ones are scoped to the query window).
    #[serde(deserialize_with = "lenient::opt_obj")]
    pub lifetime: Option<IssueLifetime>,
    #[serde(deserialize_with = "lenient::bool_or_false")]
    pub is_unhandled: bool,
    #[serde(deserialize_with = "lenient::opt_obj")]
    pub assigned_to: Option<Assignee>,
    #[serde(deserialize_with = "annotations")]
    pub annotations: Vec<Annotation>,
    #[serde(deserialize_with = "lenient::opt_obj")]
    pub first_release: Option<ReleaseRef>,
    #[serde(deserialize_with = "lenient::opt_obj")]
    pub last_release: Option<ReleaseRef>,
    /// Issue details only: tag keys with their totals (no values).
    #[serde(deserialize_with = "lenient::list")]
    pub tags: Vec<IssueTagSummary>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub priority: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub platform: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub issue_category: Option<String>,
    #[serde(deserialize_with = "lenient::count")]
    pub num_comments: u64,
}

/// Free-form issue metadata (`type`, `value`, `title`, `filename`, `function`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct IssueMetadata {
    #[serde(rename = "type", deserialize_with = "lenient::opt_string")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub value: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub title: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub filename: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub function: Option<String>,
}

/// The all-time figures of an issue.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct IssueLifetime {
    #[serde(deserialize_with = "lenient::count")]
    pub count: u64,
    #[serde(deserialize_with = "lenient::count")]
    pub user_count: u64,
    #[serde(deserialize_with = "lenient::opt_time")]
    pub first_seen: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "lenient::opt_time")]
    pub last_seen: Option<DateTime<Utc>>,
}

/// Who an issue is assigned to.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct Assignee {
    #[serde(rename = "type", deserialize_with = "lenient::string")]
    pub kind: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub email: Option<String>,
}

/// A link to a tracker issue (Jira, GitHub…). Older servers send HTML strings: only the text is kept.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Annotation {
    pub text: String,
    pub url: Option<String>,
}

/// A tag key summary on issue details.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct IssueTagSummary {
    #[serde(deserialize_with = "lenient::string")]
    pub key: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::count")]
    pub total_values: u64,
}

impl IssueDto {
    /// The all-time first-seen time, falling back to the window-scoped one.
    pub fn lifetime_first_seen(&self) -> Option<DateTime<Utc>> {
        self.lifetime
            .as_ref()
            .and_then(|l| l.first_seen)
            .or(self.first_seen)
    }

    /// The all-time last-seen time, falling back to the window-scoped one.
    pub fn lifetime_last_seen(&self) -> Option<DateTime<Utc>> {
        self.lifetime
            .as_ref()
            .and_then(|l| l.last_seen)
            .or(self.last_seen)
    }

    /// The all-time event count, falling back to the window-scoped one.
    pub fn lifetime_count(&self) -> u64 {
        self.lifetime
            .as_ref()
            .map_or(self.count, |l| l.count.max(self.count))
    }

    /// The first sparkline series present (a server returns the one asked for).
    pub fn sparkline(&self) -> &[(i64, f64)] {
        ["24h", "14d", "30d"]
            .iter()
            .find_map(|k| self.stats.get(*k).filter(|v| !v.is_empty()))
            .or_else(|| self.stats.values().next())
            .map_or(&[], Vec::as_slice)
    }
}

fn stats_map<'de, D: Deserializer<'de>>(d: D) -> Result<Sparklines, D::Error> {
    let mut out = BTreeMap::new();
    if let Value::Object(map) = Value::deserialize(d)? {
        for (k, v) in map {
            out.insert(k, points(&v));
        }
    }
    Ok(out)
}

/// `[[epoch_s, n], …]` as points; malformed pairs are dropped.
pub fn points(v: &Value) -> Vec<(i64, f64)> {
    v.as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|p| {
                    let p = p.as_array()?;
                    let t = lenient::value_to_f64(p.first()?)?;
                    let n = lenient::value_to_f64(p.get(1)?).unwrap_or(0.0);
                    Some((t as i64, n))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn annotations<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Annotation>, D::Error> {
    let Value::Array(items) = Value::deserialize(d)? else {
        return Ok(Vec::new());
    };
    Ok(items
        .iter()
        .filter_map(|item| match item {
            Value::Object(o) => {
                let text = o
                    .get("displayName")
                    .or_else(|| o.get("display_name"))
                    .and_then(lenient::value_to_string)?;
                let url = o.get("url").and_then(lenient::value_to_string);
                Some(Annotation { text, url })
            }
            Value::String(s) => Some(Annotation {
                text: strip_tags(s),
                url: None,
            }),
            _ => None,
        })
        .collect())
}

/// Removes anything between `<` and `>`: older servers send annotations as HTML snippets.
fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut inside = false;
    for c in s.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// One row of GlitchTip's `issues-stats` (sparse buckets, no zero fill).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct IssueStatsDto {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "stats_map")]
    pub stats: Sparklines,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_keep_text_only() {
        let i: IssueDto = serde_json::from_str(
            r#"{"id":"1","annotations":[{"displayName":"JIRA-1","url":"https://x/1"},"<a href=\"javascript:x\">OPS-2</a>",3]}"#,
        )
        .unwrap();
        assert_eq!(i.annotations.len(), 2);
        assert_eq!(i.annotations[0].url.as_deref(), Some("https://x/1"));
        assert_eq!(i.annotations[1].text, "OPS-2");
        assert!(i.annotations[1].url.is_none());
    }

    #[test]
    fn glitchtip_issue_shapes_parse() {
        let i: IssueDto = serde_json::from_str(
            r#"{"id":12,"count":7,"userCount":0,"culprit":"","stats":{"24h":[]},"firstSeen":"2026-01-01T00:00:00.123456Z"}"#,
        )
        .unwrap();
        assert_eq!(i.id, "12");
        assert_eq!(i.count, 7);
        assert_eq!(i.culprit.as_deref(), Some(""));
        assert!(i.sparkline().is_empty());
    }
}
