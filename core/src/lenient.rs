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
/// fraction), the same without a zone (UTC), with a space instead of `T`, or epoch seconds.
/// Hand-written: chrono's format parser is large for what the dashboard needs.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || !(b[10] == b'T' || b[10] == b't' || b[10] == b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return s.parse::<f64>().ok().and_then(epoch_to_time);
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
    let (y, mo, d) = (num(0..4)? as i32, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut i = 19;
    let mut nanos = 0u32;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let digits = &s[start..i.min(start + 9)];
        nanos = digits.parse::<u32>().ok()? * 10u32.pow(9 - digits.len() as u32);
    }
    let offset_secs: i64 = match b.get(i) {
        None | Some(b'Z') | Some(b'z') => 0,
        Some(sign @ (b'+' | b'-')) => {
            let hh = num(i + 1..i + 3)? as i64;
            let mm = if b.get(i + 3) == Some(&b':') {
                num(i + 4..i + 6)?
            } else {
                num(i + 3..i + 5).unwrap_or(0)
            } as i64;
            let off = hh * 3600 + mm * 60;
            if *sign == b'+' {
                off
            } else {
                -off
            }
        }
        _ => return None,
    };
    let naive =
        chrono::NaiveDate::from_ymd_opt(y, mo, d)?.and_hms_nano_opt(h, mi, sec.min(59), nanos)?;
    Some(Utc.from_utc_datetime(&naive) - chrono::Duration::seconds(offset_secs))
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
