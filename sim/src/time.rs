//! Time: the clock, RFC 3339 in and out, periods like `24h`.

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use serde_json::Value;

/// Seconds since the epoch, now.
pub fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// RFC 3339 with microseconds and `Z`, as Sentry writes times.
pub fn iso(t: f64) -> String {
    let secs = t.floor();
    let nanos = ((t - secs) * 1e9) as u32;
    let dt: DateTime<Utc> = Utc
        .timestamp_opt(secs as i64, nanos)
        .single()
        .unwrap_or_default();
    dt.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// RFC 3339 with whole seconds.
pub fn iso_s(t: f64) -> String {
    let dt: DateTime<Utc> = Utc.timestamp_opt(t as i64, 0).single().unwrap_or_default();
    dt.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Parses `24h`, `14d`, `30m`, `172800s`, `2w` (a bare number is seconds) into seconds.
pub fn parse_period(p: &str) -> Option<f64> {
    let p = p.trim();
    if p.is_empty() {
        return None;
    }
    let (num, unit) = match p.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&p[..i], c),
        _ => (p, 's'),
    };
    let n: f64 = num.parse().ok().filter(|n: &f64| *n > 0.0)?;
    let mult = match unit {
        's' => 1.0,
        'm' => 60.0,
        'h' => 3600.0,
        'd' => 86_400.0,
        'w' => 604_800.0,
        _ => return None,
    };
    Some(n * mult)
}

/// Parses an absolute time (RFC 3339, a date, or epoch seconds).
pub fn parse_time(v: &str) -> Option<f64> {
    let v = v.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(v) {
        return Some(t.timestamp_millis() as f64 / 1000.0);
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(v, fmt) {
            return Some(t.and_utc().timestamp_millis() as f64 / 1000.0);
        }
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        return Some(d.and_hms_opt(0, 0, 0)?.and_utc().timestamp() as f64);
    }
    v.parse().ok()
}

/// A timestamp from epoch seconds or an RFC 3339 string.
pub fn timestamp_value(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => crate::time::parse_time(s),
        _ => None,
    }
}
