//! Events: errors and transactions, with their typed entries.

use super::org::ReleaseRef;
use crate::lenient;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

/// One event (`…/events/latest/`, `…/events/{id}/`, the items of `…/issues/{id}/events/`).
///
/// Sentry sends camelCase with `eventID`/`groupID`; GlitchTip's event list uses snake_case.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct EventDto {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    #[serde(rename = "eventID", deserialize_with = "lenient::opt_string")]
    pub event_id_camel: Option<String>,
    #[serde(rename = "event_id", deserialize_with = "lenient::opt_string")]
    pub event_id_snake: Option<String>,
    #[serde(rename = "groupID", deserialize_with = "lenient::opt_string")]
    pub group_id: Option<String>,
    #[serde(rename = "projectID", deserialize_with = "lenient::opt_string")]
    pub project_id: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub title: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub message: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub platform: Option<String>,
    #[serde(rename = "type", deserialize_with = "lenient::opt_string")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub culprit: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub location: Option<String>,
    #[serde(alias = "date_created", deserialize_with = "lenient::opt_time")]
    pub date_created: Option<DateTime<Utc>>,
    #[serde(alias = "date_received", deserialize_with = "lenient::opt_time")]
    pub date_received: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "tag_pairs")]
    pub tags: Vec<TagPair>,
    #[serde(deserialize_with = "lenient::opt_obj")]
    pub user: Option<EventUser>,
    #[serde(deserialize_with = "entries")]
    pub entries: Vec<Entry>,
    #[serde(deserialize_with = "object")]
    pub contexts: Map<String, Value>,
    #[serde(deserialize_with = "release")]
    pub release: Option<ReleaseRef>,
    #[serde(deserialize_with = "lenient::opt_obj")]
    pub sdk: Option<Sdk>,
    #[serde(rename = "previousEventID", deserialize_with = "lenient::opt_string")]
    pub previous_event_id: Option<String>,
    #[serde(rename = "nextEventID", deserialize_with = "lenient::opt_string")]
    pub next_event_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_obj")]
    pub metadata: Option<super::issue::IssueMetadata>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub dist: Option<String>,
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub start_timestamp: Option<f64>,
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub end_timestamp: Option<f64>,
}

/// A `{key, value}` tag of an event.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct TagPair {
    #[serde(deserialize_with = "lenient::string")]
    pub key: String,
    #[serde(deserialize_with = "lenient::string")]
    pub value: String,
}

/// The user an event happened to.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct EventUser {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub email: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub username: Option<String>,
    #[serde(alias = "ipAddress", deserialize_with = "lenient::opt_string")]
    pub ip_address: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    pub data: Option<Value>,
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
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct Sdk {
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::string")]
    pub version: String,
}

/// An event entry, by its `type`. Unknown types, and known ones whose data does not fit, are
/// kept raw so nothing is lost and nothing fails.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Exception(ExceptionEntry),
    Breadcrumbs(Vec<Breadcrumb>),
    Request(RequestEntry),
    Message(MessageEntry),
    Threads(Vec<Thread>),
    Stacktrace(Stacktrace),
    Spans(Vec<SpanDto>),
    Unknown { kind: String, data: Value },
}

/// `exception` entry: values are oldest first (the last one is what was raised).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct ExceptionEntry {
    #[serde(deserialize_with = "lenient::list")]
    pub values: Vec<ExceptionValue>,
    #[serde(deserialize_with = "lenient::opt_obj")]
    pub exc_omitted: Option<Value>,
}

/// One exception in a chain.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct ExceptionValue {
    #[serde(rename = "type", deserialize_with = "lenient::opt_string")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub value: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub module: Option<String>,
    #[serde(deserialize_with = "lenient::opt_obj")]
    pub mechanism: Option<Mechanism>,
    #[serde(deserialize_with = "lenient::opt_obj")]
    pub stacktrace: Option<Stacktrace>,
}

/// How an exception was caught.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct Mechanism {
    #[serde(rename = "type", deserialize_with = "lenient::opt_string")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "lenient::opt_bool")]
    pub handled: Option<bool>,
}

/// Frames, oldest call first (show reversed: the raising frame on top).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Stacktrace {
    #[serde(deserialize_with = "lenient::list")]
    pub frames: Vec<Frame>,
    #[serde(deserialize_with = "lenient::opt_obj")]
    pub frames_omitted: Option<Vec<u64>>,
}

/// One stack frame.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Frame {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub filename: Option<String>,
    #[serde(alias = "abs_path", deserialize_with = "lenient::opt_string")]
    pub abs_path: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub function: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub module: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub package: Option<String>,
    #[serde(alias = "lineno", deserialize_with = "lenient::opt_f64")]
    pub line_no: Option<f64>,
    #[serde(alias = "colno", deserialize_with = "lenient::opt_f64")]
    pub col_no: Option<f64>,
    #[serde(alias = "in_app", deserialize_with = "lenient::opt_bool")]
    pub in_app: Option<bool>,
    #[serde(deserialize_with = "context_lines")]
    pub context: Vec<(u64, String)>,
    pub vars: Option<Value>,
}

impl Frame {
    /// The file name to show (short name, else absolute path, else module).
    pub fn file_label(&self) -> &str {
        [&self.filename, &self.abs_path, &self.module, &self.package]
            .into_iter()
            .find_map(|v| v.as_deref().filter(|s| !s.is_empty()))
            .unwrap_or("?")
    }

    /// Whether the frame is application code (unknown counts as not).
    pub fn is_in_app(&self) -> bool {
        self.in_app == Some(true)
    }
}

/// One breadcrumb: something that happened before the error.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct Breadcrumb {
    #[serde(deserialize_with = "lenient::opt_time")]
    pub timestamp: Option<DateTime<Utc>>,
    #[serde(rename = "type", deserialize_with = "lenient::opt_string")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub category: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub level: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub message: Option<String>,
    pub data: Option<Value>,
}

/// The HTTP request an event happened in.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct RequestEntry {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub url: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub method: Option<String>,
    #[serde(deserialize_with = "lenient::pairs")]
    pub query: Vec<(String, String)>,
    #[serde(deserialize_with = "lenient::pairs")]
    pub headers: Vec<(String, String)>,
    pub data: Option<Value>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub fragment: Option<String>,
}

/// A `message` entry.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct MessageEntry {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub formatted: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub message: Option<String>,
}

/// One thread of a `threads` entry.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct Thread {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient::bool_or_false")]
    pub crashed: bool,
    #[serde(deserialize_with = "lenient::bool_or_false")]
    pub current: bool,
    #[serde(deserialize_with = "lenient::opt_obj")]
    pub stacktrace: Option<Stacktrace>,
}

/// A span inside a transaction event (`entries` type `spans`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct SpanDto {
    #[serde(deserialize_with = "lenient::string")]
    pub span_id: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub parent_span_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub op: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub start_timestamp: Option<f64>,
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub timestamp: Option<f64>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub status: Option<String>,
    pub data: Option<Value>,
    pub tags: Option<Value>,
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

fn entries<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Entry>, D::Error> {
    let Value::Array(items) = Value::deserialize(d)? else {
        return Ok(Vec::new());
    };
    Ok(items.into_iter().filter_map(entry_from_value).collect())
}

/// Turns one raw `{type, data}` entry into an [`Entry`].
pub fn entry_from_value(v: Value) -> Option<Entry> {
    let Value::Object(mut o) = v else { return None };
    let kind = o
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let data = o.remove("data").unwrap_or(Value::Null);
    fn typed<T: serde::de::DeserializeOwned>(data: &Value) -> Option<T> {
        T::deserialize(data).ok()
    }
    fn values<T: serde::de::DeserializeOwned>(data: &Value) -> Option<Vec<T>> {
        let items = data.get("values").or(Some(data))?.as_array()?;
        Some(
            items
                .iter()
                .filter_map(|i| T::deserialize(i).ok())
                .collect(),
        )
    }
    let parsed = match kind.as_str() {
        "exception" => typed(&data).map(Entry::Exception),
        "breadcrumbs" => values(&data).map(Entry::Breadcrumbs),
        "request" => typed(&data).map(Entry::Request),
        "message" => typed(&data).map(Entry::Message),
        "threads" => values(&data).map(Entry::Threads),
        "stacktrace" => typed(&data).map(Entry::Stacktrace),
        "spans" => values(&data).map(Entry::Spans),
        _ => None,
    };
    Some(parsed.unwrap_or(Entry::Unknown { kind, data }))
}

fn tag_pairs<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<TagPair>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|t| match t {
                // Some servers send tags as `[key, value]` pairs.
                Value::Array(kv) => Some(TagPair {
                    key: kv.first().and_then(lenient::value_to_string)?,
                    value: kv.get(1).map(lenient::display_value).unwrap_or_default(),
                }),
                other => serde_json::from_value(other).ok(),
            })
            .collect(),
        Value::Object(map) => map
            .into_iter()
            .map(|(key, v)| TagPair {
                key,
                value: lenient::display_value(&v),
            })
            .collect(),
        _ => Vec::new(),
    })
}

fn object<'de, D: Deserializer<'de>>(d: D) -> Result<Map<String, Value>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Object(m) => m,
        _ => Map::new(),
    })
}

fn release<'de, D: Deserializer<'de>>(d: D) -> Result<Option<ReleaseRef>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(version) => Some(ReleaseRef {
            version,
            ..ReleaseRef::default()
        }),
        v @ Value::Object(_) => serde_json::from_value(v).ok(),
        _ => None,
    })
}

fn context_lines<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(u64, String)>, D::Error> {
    let Value::Array(items) = Value::deserialize(d)? else {
        return Ok(Vec::new());
    };
    Ok(items
        .iter()
        .filter_map(|line| {
            let line = line.as_array()?;
            let no = lenient::value_to_f64(line.first()?)? as u64;
            let text = line.get(1).map(lenient::display_value).unwrap_or_default();
            Some((no, text))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_and_malformed_entries_are_kept_raw() {
        let e: EventDto = serde_json::from_str(
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
        let e: EventDto = serde_json::from_str(
            r#"{"event_id":"b","date_created":"2026-01-01T00:00:00Z","tags":[{"key":"server_name","value":"aws-1"}]}"#,
        )
        .unwrap();
        assert_eq!(e.event_id(), "b");
        assert!(e.date_created.is_some());
        assert_eq!(e.tag("server_name"), Some("aws-1"));
    }

    #[test]
    fn release_may_be_a_string() {
        let e: EventDto = serde_json::from_str(r#"{"release":"1.2.3"}"#).unwrap();
        assert_eq!(e.release.unwrap().version, "1.2.3");
    }
}
