//! Reading models out of `serde_json::Value`, tolerantly and without derived deserializers.
//!
//! Every field is read with a helper that accepts what the different servers send and falls back
//! to a default; only a wrong top-level shape (a list where an object was expected) is an error.
//! Hand-written readers keep the WebAssembly bundle small: derived `Deserialize` impls were the
//! largest part of the models' code.

use crate::lenient::{value_to_f64, value_to_string, value_to_time};
use chrono::{DateTime, Utc};
use serde_json::Value;

/// A model that can be read from JSON.
pub trait FromJson: Sized {
    /// Reads the model; `Err` only when the value is not even the right kind of thing.
    fn from_json(v: &Value) -> Result<Self, String>;
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(v: &Value) -> Result<Self, String> {
        match v {
            Value::Array(items) => Ok(items.iter().filter_map(|i| T::from_json(i).ok()).collect()),
            other => Err(format!("expected a list, got {}", kind(other))),
        }
    }
}

impl FromJson for Value {
    fn from_json(v: &Value) -> Result<Self, String> {
        Ok(v.clone())
    }
}

/// The JSON kind of a value, for error messages.
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// `Ok(())` when the value is an object.
pub fn expect_object(v: &Value) -> Result<(), String> {
    if v.is_object() {
        Ok(())
    } else {
        Err(format!("expected an object, got {}", kind(v)))
    }
}

/// Parses JSON text into a model.
pub fn parse<T: FromJson>(text: &str) -> Result<T, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    T::from_json(&v)
}

/// Field access helpers on an object value (missing fields and wrong types give defaults).
pub trait Get {
    /// Text of a scalar field; `""` when missing.
    fn s(&self, k: &str) -> String;
    /// Text of a scalar field; `None` when missing or null.
    fn os(&self, k: &str) -> Option<String>;
    /// A non-negative count from a number or numeric string.
    fn n(&self, k: &str) -> u64;
    /// A float.
    fn f(&self, k: &str) -> Option<f64>;
    /// A float, 0 when missing.
    fn f0(&self, k: &str) -> f64;
    /// A boolean (also from `"true"`/`1`).
    fn b(&self, k: &str) -> Option<bool>;
    /// A time from RFC 3339 text or epoch seconds.
    fn t(&self, k: &str) -> Option<DateTime<Utc>>;
    /// A nested model (`None` when missing, null or unreadable).
    fn o<T: FromJson>(&self, k: &str) -> Option<T>;
    /// A list of models (empty when missing; unreadable items dropped).
    fn l<T: FromJson>(&self, k: &str) -> Vec<T>;
    /// A list of strings.
    fn ls(&self, k: &str) -> Vec<String>;
    /// A raw field (cloned), `None` when missing or null.
    fn raw(&self, k: &str) -> Option<Value>;
}

impl Get for Value {
    fn s(&self, k: &str) -> String {
        self.os(k).unwrap_or_default()
    }

    fn os(&self, k: &str) -> Option<String> {
        self.get(k).and_then(value_to_string)
    }

    fn n(&self, k: &str) -> u64 {
        self.f(k).map_or(0, |v| v.max(0.0).round() as u64)
    }

    fn f(&self, k: &str) -> Option<f64> {
        self.get(k).and_then(value_to_f64)
    }

    fn f0(&self, k: &str) -> f64 {
        self.f(k).unwrap_or(0.0)
    }

    fn b(&self, k: &str) -> Option<bool> {
        match self.get(k)? {
            Value::Bool(b) => Some(*b),
            Value::String(s) => Some(s == "true" || s == "1"),
            Value::Number(n) => Some(n.as_f64().unwrap_or(0.0) != 0.0),
            _ => None,
        }
    }

    fn t(&self, k: &str) -> Option<DateTime<Utc>> {
        self.get(k).and_then(value_to_time)
    }

    fn o<T: FromJson>(&self, k: &str) -> Option<T> {
        match self.get(k)? {
            Value::Null => None,
            v => T::from_json(v).ok(),
        }
    }

    fn l<T: FromJson>(&self, k: &str) -> Vec<T> {
        match self.get(k) {
            Some(Value::Array(items)) => {
                items.iter().filter_map(|i| T::from_json(i).ok()).collect()
            }
            _ => Vec::new(),
        }
    }

    fn ls(&self, k: &str) -> Vec<String> {
        match self.get(k) {
            Some(Value::Array(items)) => items.iter().filter_map(value_to_string).collect(),
            _ => Vec::new(),
        }
    }

    fn raw(&self, k: &str) -> Option<Value> {
        self.get(k).filter(|v| !v.is_null()).cloned()
    }
}
