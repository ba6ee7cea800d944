//! Deserializers that accept what the different Sentry-compatible servers actually send.
//!
//! Sentry sends `count` as a string, GlitchTip sometimes as a number; ids arrive as strings or
//! numbers; timestamps as RFC 3339 strings or epoch seconds; nearly everything may be `null`.
//! A field that does not fit becomes its default instead of failing the whole response.

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Text from a string, number or boolean; `null` and anything else give an empty string.
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(value_to_string(&Value::deserialize(d)?).unwrap_or_default())
}

/// Like [`string`], but `null` (and structures) give `None`.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(value_to_string(&Value::deserialize(d)?))
}

/// A non-negative count from a number or a numeric string; anything else is 0.
pub fn count<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    Ok(value_to_f64(&Value::deserialize(d)?).map_or(0, |v| v.max(0.0).round() as u64))
}

/// A float from a number or numeric string; anything else is `None`.
pub fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(value_to_f64(&Value::deserialize(d)?))
}

/// A float from a number or numeric string; anything else is 0.
pub fn f64_or_zero<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(value_to_f64(&Value::deserialize(d)?).unwrap_or(0.0))
}

/// `true` only for JSON `true` (or the strings "true"/"1"); `null` is `None`.
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Bool(b) => Some(b),
        Value::String(s) => Some(s == "true" || s == "1"),
        Value::Number(n) => Some(n.as_f64().unwrap_or(0.0) != 0.0),
        _ => None,
    })
}

/// A boolean that is `false` when missing, null or malformed.
pub fn bool_or_false<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(opt_bool(d)?.unwrap_or(false))
}

/// A time from an RFC 3339 string or epoch seconds (integer or float); anything else is `None`.
pub fn opt_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    Ok(value_to_time(&Value::deserialize(d)?))
}

/// A list that is empty when missing, null or not a list; elements that do not parse are dropped.
pub fn list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|v| serde_json::from_value(v).ok())
            .collect(),
        _ => Vec::new(),
    })
}

/// An optional object that is `None` when missing, null or malformed.
pub fn opt_obj<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    Ok(match Value::deserialize(d)? {
        Value::Null => None,
        v => serde_json::from_value(v).ok(),
    })
}

/// Key/value pairs from `[["k","v"],…]` or `{"k":"v"}`; values become text.
pub fn pairs<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, String)>, D::Error> {
    Ok(value_to_pairs(Value::deserialize(d)?))
}

/// See [`pairs`]; exposed for values already held as JSON.
pub fn value_to_pairs(v: Value) -> Vec<(String, String)> {
    match v {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|item| match item {
                Value::Array(kv) if !kv.is_empty() => Some((
                    value_to_string(&kv[0]).unwrap_or_default(),
                    kv.get(1).map(display_value).unwrap_or_default(),
                )),
                _ => None,
            })
            .collect(),
        Value::Object(map) => map
            .into_iter()
            .map(|(k, v)| (k, display_value(&v)))
            .collect(),
        Value::String(s) => vec![(String::new(), s)],
        _ => Vec::new(),
    }
}

/// Text of a scalar; `None` for null, arrays and objects.
pub fn value_to_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A scalar as text, or compact JSON for structures (used to show arbitrary values as text).
pub fn display_value(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => value_to_string(other).unwrap_or_else(|| other.to_string()),
    }
}

/// A number or numeric string as `f64`.
pub fn value_to_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// An RFC 3339 string (with or without zone; without means UTC) or epoch seconds as a time.
pub fn value_to_time(v: &Value) -> Option<DateTime<Utc>> {
    match v {
        Value::String(s) => parse_time(s),
        Value::Number(n) => n.as_f64().and_then(epoch_to_time),
        _ => None,
    }
}

/// Parses the time formats Sentry-compatible servers use.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    // Sentry sometimes omits the zone ("2020-06-17T22:26:55.266586"): it is UTC.
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, fmt) {
            return Some(Utc.from_utc_datetime(&t));
        }
    }
    s.parse::<f64>().ok().and_then(epoch_to_time)
}

/// Epoch seconds (possibly fractional) as a time; `None` when out of range.
pub fn epoch_to_time(secs: f64) -> Option<DateTime<Utc>> {
    if !secs.is_finite() {
        return None;
    }
    let whole = secs.floor();
    let nanos = ((secs - whole) * 1e9).round().clamp(0.0, 999_999_999.0) as u32;
    Utc.timestamp_opt(whole as i64, nanos).single()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Probe {
        #[serde(default, deserialize_with = "count")]
        n: u64,
        #[serde(default, deserialize_with = "opt_time")]
        t: Option<DateTime<Utc>>,
        #[serde(default, deserialize_with = "string")]
        s: String,
    }

    fn probe(json: &str) -> Probe {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn counts_accept_strings_numbers_and_junk() {
        assert_eq!(probe(r#"{"n":"150"}"#).n, 150);
        assert_eq!(probe(r#"{"n":150}"#).n, 150);
        assert_eq!(probe(r#"{"n":null}"#).n, 0);
        assert_eq!(probe(r#"{"n":"lots"}"#).n, 0);
        assert_eq!(probe(r#"{"n":-3}"#).n, 0);
    }

    #[test]
    fn times_accept_rfc3339_naive_and_epoch() {
        let a = probe(r#"{"t":"2020-06-17T22:26:55.266586Z"}"#).t.unwrap();
        let b = probe(r#"{"t":"2020-06-17T22:26:55.266586"}"#).t.unwrap();
        let c = probe(r#"{"t":1592432815.266586}"#).t.unwrap();
        assert_eq!(a, b);
        assert_eq!(a.timestamp(), c.timestamp());
        assert!(probe(r#"{"t":"yesterday"}"#).t.is_none());
        assert!(probe(r#"{"t":[1]}"#).t.is_none());
    }

    #[test]
    fn strings_accept_numbers() {
        assert_eq!(probe(r#"{"s":42}"#).s, "42");
        assert_eq!(probe(r#"{"s":null}"#).s, "");
    }

    #[test]
    fn pairs_accept_both_shapes() {
        let a = value_to_pairs(serde_json::json!([["User-Agent", "x"], ["n", 1]]));
        assert_eq!(
            a,
            vec![("User-Agent".into(), "x".into()), ("n".into(), "1".into())]
        );
        let b = value_to_pairs(serde_json::json!({"a": "b"}));
        assert_eq!(b, vec![("a".into(), "b".into())]);
    }
}
