//! Conversions that accept what the different Sentry-compatible servers actually send.
//!
//! Sentry sends `count` as a string, GlitchTip sometimes as a number; ids arrive as strings or
//! numbers; timestamps as RFC 3339 strings or epoch seconds; nearly everything may be `null`.
//! A field that does not fit becomes its default instead of failing the whole response.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;

/// Key/value pairs from `[["k","v"],…]` or `{"k":"v"}`; values become text.
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

/// Parses the time formats Sentry-compatible servers use: RFC 3339 (`Z` or `±hh:mm`, optional
/// fraction, `T` or a space; chrono's RFC 3339 parser), the same without a zone (UTC, as
/// GlitchTip and Sentry's naive fields send it) or with `±hhmm`, or epoch seconds.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    let rfc3339 = |s: &str| DateTime::parse_from_rfc3339(s).ok().map(|t| t.to_utc());
    if let Some(t) = rfc3339(s) {
        return Some(t);
    }
    if s.len() >= 19 && s.as_bytes().get(4) == Some(&b'-') {
        let tail = s
            .get(19..)?
            .trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
        return match tail.as_bytes() {
            // No zone: UTC.
            [] => rfc3339(&format!("{s}Z")),
            // `+0900`: the colon RFC 3339 wants.
            [b'+' | b'-', rest @ ..] if rest.len() == 4 && rest.iter().all(u8::is_ascii_digit) => {
                let (head, zone) = s.split_at(s.len() - 2);
                rfc3339(&format!("{head}:{zone}"))
            }
            _ => None,
        };
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
    use serde_json::json;

    #[test]
    fn numbers_accept_strings_and_junk() {
        assert_eq!(value_to_f64(&json!("150")), Some(150.0));
        assert_eq!(value_to_f64(&json!(150)), Some(150.0));
        assert_eq!(value_to_f64(&json!(null)), None);
        assert_eq!(value_to_f64(&json!("lots")), None);
    }

    #[test]
    fn times_accept_rfc3339_naive_and_epoch() {
        let a = value_to_time(&json!("2020-06-17T22:26:55.266586Z")).unwrap();
        let b = value_to_time(&json!("2020-06-17T22:26:55.266586")).unwrap();
        let c = value_to_time(&json!(1592432815.266586)).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.timestamp(), c.timestamp());
        assert!(value_to_time(&json!("yesterday")).is_none());
        assert!(value_to_time(&json!([1])).is_none());
        // Zones with and without the colon, a space for `T`, a nanosecond fraction.
        let t = |s: &str| parse_time(s).map(|t| t.timestamp_millis());
        let utc = t("2020-06-17T13:26:55Z");
        assert!(utc.is_some());
        assert_eq!(t("2020-06-17T22:26:55+09:00"), utc);
        assert_eq!(t("2020-06-17T22:26:55+0900"), utc);
        assert_eq!(t("2020-06-17 13:26:55"), utc);
        assert_eq!(t("2020-06-17T06:26:55.000000000-0700"), utc);
        assert_eq!(t(" 1592400415 "), utc);
        assert_eq!(t("2020-06-17T22:26:55+09"), None);
        assert_eq!(t("2020-13-17T22:26:55Z"), None);
    }

    #[test]
    fn time_formats() {
        let t = |s: &str| parse_time(s).map(|t| t.timestamp_millis());
        assert_eq!(t("2026-01-02T03:04:05Z"), Some(1767323045000));
        assert_eq!(t("2026-01-02T03:04:05.5+00:00"), Some(1767323045500));
        assert_eq!(t("2026-01-02T12:04:05+09:00"), Some(1767323045000));
        assert_eq!(t("2026-01-02 03:04:05"), Some(1767323045000));
        assert_eq!(
            t("2026-01-01T22:04:05.123456789-05:00"),
            Some(1767323045123)
        );
        assert_eq!(t("1767323045"), Some(1767323045000));
        assert_eq!(t("2026-13-02T03:04:05Z"), None);
        assert_eq!(t("2026-01-02T03:04:05Q"), None);
        assert_eq!(t("soon"), None);
    }

    #[test]
    fn strings_accept_numbers() {
        assert_eq!(value_to_string(&json!(42)).as_deref(), Some("42"));
        assert_eq!(value_to_string(&json!(null)), None);
    }

    #[test]
    fn pairs_accept_both_shapes() {
        let a = value_to_pairs(json!([["User-Agent", "x"], ["n", 1]]));
        assert_eq!(
            a,
            vec![("User-Agent".into(), "x".into()), ("n".into(), "1".into())]
        );
        let b = value_to_pairs(json!({"a": "b"}));
        assert_eq!(b, vec![("a".into(), "b".into())]);
    }
}
