//! An event's entries as Sentry and GlitchTip send them: exceptions with their stack frames, breadcrumbs, the request, the message, threads.

use super::*;
use crate::json::{expect_object, FromJson, Get};
use crate::lenient;
use chrono::{DateTime, Utc};
use serde_json::Value;

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
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExceptionEntry {
    pub values: Vec<ExceptionValue>,
    pub exc_omitted: Option<Value>,
}

impl FromJson for ExceptionEntry {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(ExceptionEntry {
            values: v.l("values"),
            exc_omitted: v.raw("excOmitted"),
        })
    }
}

/// One exception in a chain.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExceptionValue {
    pub kind: Option<String>,
    pub value: Option<String>,
    pub module: Option<String>,
    pub mechanism: Option<Mechanism>,
    pub stacktrace: Option<Stacktrace>,
}

impl FromJson for ExceptionValue {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(ExceptionValue {
            kind: v.os("type"),
            value: v.os("value"),
            module: v.os("module"),
            mechanism: v.o("mechanism"),
            stacktrace: v.o("stacktrace"),
        })
    }
}

/// How an exception was caught.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mechanism {
    pub kind: Option<String>,
    pub handled: Option<bool>,
}

impl FromJson for Mechanism {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(Mechanism {
            kind: v.os("type"),
            handled: v.b("handled"),
        })
    }
}

/// Frames, oldest call first (show reversed: the raising frame on top).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stacktrace {
    pub frames: Vec<Frame>,
    pub frames_omitted: Option<Value>,
}

impl FromJson for Stacktrace {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(Stacktrace {
            frames: v.l("frames"),
            frames_omitted: v.raw("framesOmitted"),
        })
    }
}

/// One stack frame.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Frame {
    pub filename: Option<String>,
    pub abs_path: Option<String>,
    pub function: Option<String>,
    pub module: Option<String>,
    pub package: Option<String>,
    pub line_no: Option<f64>,
    pub col_no: Option<f64>,
    pub in_app: Option<bool>,
    pub context: Vec<(u64, String)>,
    pub vars: Option<Value>,
}

impl FromJson for Frame {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(Frame {
            filename: v.os("filename"),
            abs_path: v.os("absPath").or_else(|| v.os("abs_path")),
            function: v.os("function"),
            module: v.os("module"),
            package: v.os("package"),
            line_no: v.f("lineNo").or_else(|| v.f("lineno")),
            col_no: v.f("colNo").or_else(|| v.f("colno")),
            in_app: v.b("inApp").or_else(|| v.b("in_app")),
            context: context_lines(v.get("context")),
            vars: v.raw("vars"),
        })
    }
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
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Breadcrumb {
    pub timestamp: Option<DateTime<Utc>>,
    pub kind: Option<String>,
    pub category: Option<String>,
    pub level: Option<String>,
    pub message: Option<String>,
    pub data: Option<Value>,
}

impl FromJson for Breadcrumb {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(Breadcrumb {
            timestamp: v.t("timestamp"),
            kind: v.os("type"),
            category: v.os("category"),
            level: v.os("level"),
            message: v.os("message"),
            data: v.raw("data"),
        })
    }
}

/// The HTTP request an event happened in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestEntry {
    pub url: Option<String>,
    pub method: Option<String>,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub data: Option<Value>,
    pub fragment: Option<String>,
}

impl FromJson for RequestEntry {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        let pairs = |k: &str| {
            v.get(k)
                .cloned()
                .map(lenient::value_to_pairs)
                .unwrap_or_default()
        };
        Ok(RequestEntry {
            url: v.os("url"),
            method: v.os("method"),
            // GlitchTip keeps the SDK's name for it (`query_string`, as `[[key, value]]`).
            query: if v.get("query").is_some_and(|q| !q.is_null()) {
                pairs("query")
            } else {
                pairs("query_string")
            },
            headers: pairs("headers"),
            data: v.raw("data"),
            fragment: v.os("fragment"),
        })
    }
}

/// A `message` entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MessageEntry {
    pub formatted: Option<String>,
    pub message: Option<String>,
}

impl FromJson for MessageEntry {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(MessageEntry {
            formatted: v.os("formatted"),
            message: v.os("message"),
        })
    }
}

/// One thread of a `threads` entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Thread {
    pub id: Option<String>,
    pub name: Option<String>,
    pub crashed: bool,
    pub current: bool,
    pub stacktrace: Option<Stacktrace>,
}

impl FromJson for Thread {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(Thread {
            id: v.os("id"),
            name: v.os("name"),
            crashed: v.b("crashed").unwrap_or(false),
            current: v.b("current").unwrap_or(false),
            stacktrace: v.o("stacktrace"),
        })
    }
}

/// Turns one raw `{type, data}` entry into an [`Entry`].
pub fn entry_from_value(v: &Value) -> Option<Entry> {
    if !v.is_object() {
        return None;
    }
    let kind = v.s("type");
    let data = v.get("data").cloned().unwrap_or(Value::Null);
    fn values<T: FromJson>(data: &Value) -> Option<Vec<T>> {
        let items = if data.is_array() {
            data
        } else {
            data.get("values")?
        };
        Vec::<T>::from_json(items).ok()
    }
    let parsed = match kind.as_str() {
        "exception" => ExceptionEntry::from_json(&data).ok().map(Entry::Exception),
        "breadcrumbs" => values(&data).map(Entry::Breadcrumbs),
        "request" => RequestEntry::from_json(&data).ok().map(Entry::Request),
        "message" => MessageEntry::from_json(&data).ok().map(Entry::Message),
        "threads" => values(&data).map(Entry::Threads),
        "stacktrace" => Stacktrace::from_json(&data).ok().map(Entry::Stacktrace),
        "spans" => values(&data).map(Entry::Spans),
        _ => None,
    };
    Some(parsed.unwrap_or(Entry::Unknown { kind, data }))
}

pub fn context_lines(v: Option<&Value>) -> Vec<(u64, String)> {
    let Some(Value::Array(items)) = v else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|line| {
            let line = line.as_array()?;
            let no = lenient::value_to_f64(line.first()?)? as u64;
            let text = line.get(1).map(lenient::display_value).unwrap_or_default();
            Some((no, text))
        })
        .collect()
}
