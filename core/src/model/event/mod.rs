//! Events: errors and transactions, with their typed entries.

mod entry;

pub use entry::*;

use crate::json::{expect_object, FromJson, Get};
use crate::lenient;
use crate::model::org::ReleaseRef;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// One event (`…/events/latest/`, `…/events/{id}/`, the items of `…/issues/{id}/events/`).
///
/// Sentry sends camelCase with `eventID`/`groupID`; GlitchTip's event list uses snake_case.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventDto {
    pub id: Option<String>,
    pub event_id_camel: Option<String>,
    pub event_id_snake: Option<String>,
    pub group_id: Option<String>,
    pub project_id: Option<String>,
    pub title: String,
    pub message: Option<String>,
    pub platform: Option<String>,
    pub kind: Option<String>,
    pub culprit: Option<String>,
    pub location: Option<String>,
    pub date_created: Option<DateTime<Utc>>,
    pub date_received: Option<DateTime<Utc>>,
    pub tags: Vec<TagPair>,
    pub user: Option<EventUser>,
    pub entries: Vec<Entry>,
    pub contexts: Map<String, Value>,
    pub release: Option<ReleaseRef>,
    pub sdk: Option<Sdk>,
    pub previous_event_id: Option<String>,
    pub next_event_id: Option<String>,
    pub metadata: Option<super::issue::IssueMetadata>,
    pub dist: Option<String>,
    pub start_timestamp: Option<f64>,
    pub end_timestamp: Option<f64>,
}

impl FromJson for EventDto {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(EventDto {
            id: v.os("id"),
            event_id_camel: v.os("eventID"),
            event_id_snake: v.os("event_id"),
            group_id: v.os("groupID"),
            project_id: v.os("projectID"),
            title: v.s("title"),
            message: v.os("message"),
            platform: v.os("platform"),
            kind: v.os("type"),
            culprit: v.os("culprit"),
            location: v.os("location"),
            date_created: v.t("dateCreated").or_else(|| v.t("date_created")),
            date_received: v.t("dateReceived").or_else(|| v.t("date_received")),
            tags: tag_pairs(v.get("tags")),
            user: v.o("user"),
            entries: match v.get("entries") {
                Some(Value::Array(items)) => items.iter().filter_map(entry_from_value).collect(),
                _ => Vec::new(),
            },
            contexts: match v.get("contexts") {
                Some(Value::Object(m)) => m.clone(),
                _ => Map::new(),
            },
            release: v.o("release"),
            sdk: v.o("sdk"),
            previous_event_id: v.os("previousEventID"),
            next_event_id: v.os("nextEventID"),
            metadata: v.o("metadata"),
            dist: v.os("dist"),
            start_timestamp: v.f("startTimestamp"),
            end_timestamp: v.f("endTimestamp"),
        })
    }
}

/// A `{key, value}` tag of an event.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TagPair {
    pub key: String,
    pub value: String,
}

/// The user an event happened to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventUser {
    pub id: Option<String>,
    pub email: Option<String>,
    pub username: Option<String>,
    pub ip_address: Option<String>,
    pub name: Option<String>,
    pub data: Option<Value>,
}

impl FromJson for EventUser {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(EventUser {
            id: v.os("id"),
            email: v.os("email"),
            username: v.os("username"),
            ip_address: v.os("ip_address").or_else(|| v.os("ipAddress")),
            name: v.os("name"),
            data: v.raw("data"),
        })
    }
}

impl EventUser {
    /// The best human label for the user.
    pub fn label(&self) -> Option<&str> {
        [
            &self.email,
            &self.username,
            &self.name,
            &self.id,
            &self.ip_address,
        ]
        .into_iter()
        .find_map(|v| v.as_deref().filter(|s| !s.is_empty()))
    }
}

/// The SDK that sent an event.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sdk {
    pub name: String,
    pub version: String,
}

impl FromJson for Sdk {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(Sdk {
            name: v.s("name"),
            version: v.s("version"),
        })
    }
}

/// A span inside a transaction event (`entries` type `spans`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpanDto {
    pub span_id: String,
    pub parent_span_id: Option<String>,
    pub op: Option<String>,
    pub description: Option<String>,
    pub start_timestamp: Option<f64>,
    pub timestamp: Option<f64>,
    pub status: Option<String>,
    pub data: Option<Value>,
    pub tags: Option<Value>,
}

impl FromJson for SpanDto {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(SpanDto {
            span_id: v.s("span_id"),
            parent_span_id: v.os("parent_span_id"),
            op: v.os("op"),
            description: v.os("description"),
            start_timestamp: v
                .get("start_timestamp")
                .and_then(lenient::value_to_time)
                .map(|t| t.timestamp_micros() as f64 / 1e6),
            timestamp: v
                .get("timestamp")
                .and_then(lenient::value_to_time)
                .map(|t| t.timestamp_micros() as f64 / 1e6),
            status: v.os("status"),
            data: v.raw("data"),
            tags: v.raw("tags"),
        })
    }
}

impl EventDto {
    /// The event id, whichever key the server used.
    pub fn event_id(&self) -> &str {
        [&self.event_id_camel, &self.id, &self.event_id_snake]
            .into_iter()
            .find_map(|v| v.as_deref().filter(|s| !s.is_empty()))
            .unwrap_or("")
    }

    /// The value of a tag, if the event has it.
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|t| t.key == key)
            .map(|t| t.value.as_str())
    }

    /// The trace this event belongs to (`contexts.trace.trace_id`).
    pub fn trace_id(&self) -> Option<&str> {
        self.context_str("trace", "trace_id")
    }

    /// The span this event happened in (`contexts.trace.span_id`).
    pub fn span_id(&self) -> Option<&str> {
        self.context_str("trace", "span_id")
    }

    /// A string field of a context, e.g. `("trace", "trace_id")`.
    pub fn context_str(&self, context: &str, field: &str) -> Option<&str> {
        self.contexts
            .get(context)?
            .get(field)?
            .as_str()
            .filter(|s| !s.is_empty())
    }

    /// The exception entry, if any.
    pub fn exception(&self) -> Option<&ExceptionEntry> {
        self.entries.iter().find_map(|e| match e {
            Entry::Exception(x) => Some(x),
            _ => None,
        })
    }

    /// The breadcrumbs, oldest first (empty when none).
    pub fn breadcrumbs(&self) -> &[Breadcrumb] {
        self.entries
            .iter()
            .find_map(|e| match e {
                Entry::Breadcrumbs(b) => Some(b.as_slice()),
                _ => None,
            })
            .unwrap_or(&[])
    }

    /// The request entry, if any.
    pub fn request(&self) -> Option<&RequestEntry> {
        self.entries.iter().find_map(|e| match e {
            Entry::Request(r) => Some(r),
            _ => None,
        })
    }

    /// The message text from the `message` entry or the top-level field.
    pub fn message_text(&self) -> Option<&str> {
        self.entries
            .iter()
            .find_map(|e| match e {
                Entry::Message(m) => m.formatted.as_deref().or(m.message.as_deref()),
                _ => None,
            })
            .or(self.message.as_deref())
            .filter(|s| !s.is_empty())
    }

    /// The spans of a transaction event.
    pub fn spans(&self) -> &[SpanDto] {
        self.entries
            .iter()
            .find_map(|e| match e {
                Entry::Spans(s) => Some(s.as_slice()),
                _ => None,
            })
            .unwrap_or(&[])
    }

    /// Stack traces of threads when the event has no exception (e.g. a captured message).
    pub fn thread_stacktrace(&self) -> Option<&Stacktrace> {
        self.entries.iter().find_map(|e| match e {
            Entry::Threads(ts) => ts
                .iter()
                .find(|t| t.crashed || t.current)
                .or(ts.first())
                .and_then(|t| t.stacktrace.as_ref()),
            Entry::Stacktrace(s) => Some(s),
            _ => None,
        })
    }
}

fn tag_pairs(v: Option<&Value>) -> Vec<TagPair> {
    match v {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|t| match t {
                // Some servers send tags as `[key, value]` pairs.
                Value::Array(kv) => Some(TagPair {
                    key: kv.first().and_then(lenient::value_to_string)?,
                    value: kv.get(1).map(lenient::display_value).unwrap_or_default(),
                }),
                Value::Object(_) => Some(TagPair {
                    key: t.s("key"),
                    value: t
                        .get("value")
                        .map(lenient::display_value)
                        .unwrap_or_default(),
                }),
                _ => None,
            })
            .collect(),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(key, v)| TagPair {
                key: key.clone(),
                value: lenient::display_value(v),
            })
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    #[test]
    fn unknown_and_malformed_entries_are_kept_raw() {
        let e: EventDto = parse(
            r#"{"eventID":"a","entries":[{"type":"hologram","data":{"x":1}},{"type":"exception","data":"oops"},{"type":"breadcrumbs","data":{"values":[{"message":"m","timestamp":1.5}]}}]}"#,
        )
        .unwrap();
        assert_eq!(e.entries.len(), 3);
        assert!(matches!(&e.entries[0], Entry::Unknown { kind, .. } if kind == "hologram"));
        assert!(matches!(&e.entries[1], Entry::Unknown { kind, .. } if kind == "exception"));
        assert_eq!(e.breadcrumbs().len(), 1);
        assert_eq!(e.event_id(), "a");
    }

    #[test]
    fn snake_case_glitchtip_events_parse() {
        let e: EventDto = parse(r#"{"event_id":"b","date_created":"2026-01-01T00:00:00Z","tags":[{"key":"server_name","value":"aws-1"}]}"#).unwrap();
        assert_eq!(e.event_id(), "b");
        assert!(e.date_created.is_some());
        assert_eq!(e.tag("server_name"), Some("aws-1"));
    }

    #[test]
    fn release_may_be_a_string() {
        let e: EventDto = parse(r#"{"release":"1.2.3"}"#).unwrap();
        assert_eq!(e.release.unwrap().version, "1.2.3");
    }

    #[test]
    fn span_timestamps_may_be_text() {
        let s: SpanDto = parse(r#"{"span_id":"a","start_timestamp":"2026-01-01T00:00:01.5Z","timestamp":1767225602.0}"#).unwrap();
        assert_eq!(s.start_timestamp, Some(1767225601.5));
        assert_eq!(s.timestamp, Some(1767225602.0));
    }
}
