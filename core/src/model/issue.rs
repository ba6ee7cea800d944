//! Issues (groups of events).

use super::org::{ProjectRef, ReleaseRef};
use crate::json::{expect_object, FromJson, Get};
use crate::lenient;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::BTreeMap;

/// Sparkline buckets keyed by period (`24h`, `14d`, `30d`): `(epoch seconds, count)`.
pub type Sparklines = BTreeMap<String, Vec<(i64, f64)>>;

/// An issue from the issue list or issue details.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IssueDto {
    pub id: String,
    pub short_id: String,
    pub title: String,
    /// `null` on Sentry when unknown, `""` on GlitchTip.
    pub culprit: Option<String>,
    pub level: crate::vocab::Level,
    pub status: crate::vocab::Status,
    pub substatus: Option<crate::vocab::Substatus>,
    /// A string on Sentry ("150"); scoped to the query's window.
    pub count: u64,
    pub user_count: u64,
    pub first_seen: Option<DateTime<Utc>>,
    pub last_seen: Option<DateTime<Utc>>,
    pub permalink: Option<String>,
    pub project: Option<ProjectRef>,
    pub metadata: Option<IssueMetadata>,
    pub stats: Sparklines,
    /// All-time figures (the top-level ones are scoped to the query window).
    pub lifetime: Option<IssueLifetime>,
    pub is_unhandled: bool,
    pub assigned_to: Option<Assignee>,
    pub annotations: Vec<Annotation>,
    pub first_release: Option<ReleaseRef>,
    pub last_release: Option<ReleaseRef>,
    /// Issue details only: tag keys with their totals (no values).
    pub tags: Vec<IssueTagSummary>,
    pub priority: Option<String>,
    pub platform: Option<String>,
    pub issue_category: Option<String>,
    pub num_comments: u64,
}

/// Free-form issue metadata (`type`, `value`, `title`, `filename`, `function`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IssueMetadata {
    pub kind: Option<String>,
    pub value: Option<String>,
    pub title: Option<String>,
    pub filename: Option<String>,
    pub function: Option<String>,
}

/// The all-time figures of an issue.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IssueLifetime {
    pub count: u64,
    pub user_count: u64,
    pub first_seen: Option<DateTime<Utc>>,
    pub last_seen: Option<DateTime<Utc>>,
}

/// Who an issue is assigned to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Assignee {
    pub kind: String,
    pub name: String,
    pub email: Option<String>,
}

/// A link to a tracker issue (Jira, GitHub…). Older servers send HTML strings: only the text is kept.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Annotation {
    pub text: String,
    pub url: Option<String>,
}

/// A tag key summary on issue details.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IssueTagSummary {
    pub key: String,
    pub name: String,
    pub total_values: u64,
}

impl FromJson for IssueMetadata {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(IssueMetadata {
            kind: v.os("type"),
            value: v.os("value"),
            title: v.os("title"),
            filename: v.os("filename"),
            function: v.os("function"),
        })
    }
}

impl FromJson for IssueLifetime {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(IssueLifetime {
            count: v.n("count"),
            user_count: v.n("userCount"),
            first_seen: v.t("firstSeen"),
            last_seen: v.t("lastSeen"),
        })
    }
}

impl FromJson for Assignee {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(Assignee {
            kind: v.s("type"),
            name: v.s("name"),
            email: v.os("email"),
        })
    }
}

impl FromJson for IssueTagSummary {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(IssueTagSummary {
            key: v.s("key"),
            name: v.s("name"),
            total_values: v.n("totalValues"),
        })
    }
}

impl FromJson for Annotation {
    fn from_json(v: &Value) -> Result<Self, String> {
        match v {
            Value::Object(_) => Ok(Annotation {
                text: v
                    .os("displayName")
                    .or_else(|| v.os("display_name"))
                    .ok_or("no text")?,
                url: v.os("url"),
            }),
            Value::String(s) => Ok(Annotation {
                text: strip_tags(s),
                url: None,
            }),
            other => Err(crate::json::kind(other).into()),
        }
    }
}

impl FromJson for IssueDto {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(IssueDto {
            id: v.s("id"),
            short_id: v.s("shortId"),
            title: v.s("title"),
            culprit: v.os("culprit"),
            level: crate::vocab::Level::parse(&v.s("level")),
            status: crate::vocab::Status::parse(&v.s("status")),
            substatus: v
                .os("substatus")
                .and_then(|s| crate::vocab::Substatus::parse(&s)),
            count: v.n("count"),
            user_count: v.n("userCount"),
            first_seen: v.t("firstSeen"),
            last_seen: v.t("lastSeen"),
            permalink: v.os("permalink"),
            project: v.o("project"),
            metadata: v.o("metadata"),
            stats: stats_map(v.get("stats")),
            lifetime: v.o("lifetime"),
            is_unhandled: v.b("isUnhandled").unwrap_or(false),
            assigned_to: v.o("assignedTo"),
            annotations: v.l("annotations"),
            first_release: v.o("firstRelease"),
            last_release: v.o("lastRelease"),
            tags: v.l("tags"),
            priority: v.os("priority"),
            platform: v.os("platform"),
            issue_category: v.os("issueCategory"),
            num_comments: v.n("numComments"),
        })
    }
}

impl IssueDto {
    /// The all-time first-seen time, falling back to the window-scoped one.
    pub fn lifetime_first_seen(&self) -> Option<DateTime<Utc>> {
        self.lifetime
            .as_ref()
            .and_then(|l| l.first_seen)
            .or(self.first_seen)
    }

    /// The issue's own sparkline with the longest period it has: `30d` when it is not empty,
    /// else `24h` (empty when neither came).
    pub fn longest_stats(&self) -> &[(i64, f64)] {
        self.stats
            .get("30d")
            .filter(|v| !v.is_empty())
            .or_else(|| self.stats.get("24h"))
            .map_or(&[], |v| v.as_slice())
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
        ["24h", "14d", "30d", "auto"]
            .iter()
            .find_map(|k| self.stats.get(*k).filter(|v| !v.is_empty()))
            .or_else(|| self.stats.values().next())
            .map_or(&[], Vec::as_slice)
    }
}

fn stats_map(v: Option<&Value>) -> Sparklines {
    let mut out = BTreeMap::new();
    if let Some(Value::Object(map)) = v {
        for (k, v) in map {
            out.insert(k.clone(), points(v));
        }
    }
    out
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

/// One row of `issues-stats` (GlitchTip: sparse buckets, no zero fill).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IssueStatsDto {
    pub id: String,
    pub stats: Sparklines,
}

impl FromJson for IssueStatsDto {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(IssueStatsDto {
            id: v.s("id"),
            stats: stats_map(v.get("stats")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    #[test]
    fn annotations_keep_text_only() {
        let i: IssueDto = parse(r#"{"id":"1","annotations":[{"displayName":"JIRA-1","url":"https://x/1"},"<a href=\"javascript:x\">OPS-2</a>",3]}"#).unwrap();
        assert_eq!(i.annotations.len(), 2);
        assert_eq!(i.annotations[0].url.as_deref(), Some("https://x/1"));
        assert_eq!(i.annotations[1].text, "OPS-2");
        assert!(i.annotations[1].url.is_none());
    }

    #[test]
    fn glitchtip_issue_shapes_parse() {
        let i: IssueDto = parse(r#"{"id":12,"count":7,"userCount":0,"culprit":"","stats":{"24h":[]},"firstSeen":"2026-01-01T00:00:00.123456Z"}"#).unwrap();
        assert_eq!(i.id, "12");
        assert_eq!(i.count, 7);
        assert_eq!(i.culprit.as_deref(), Some(""));
        assert!(i.sparkline().is_empty());
    }

    #[test]
    fn wrong_top_level_shape_is_an_error() {
        assert!(parse::<IssueDto>("[]").is_err());
        assert!(parse::<Vec<IssueDto>>("{}").is_err());
        assert_eq!(
            parse::<Vec<IssueDto>>("[1, {\"id\": \"2\"}]")
                .unwrap()
                .len(),
            1
        );
    }
}
