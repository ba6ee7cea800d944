//! Time windows and bucket sizes. `now` is always an argument: core never reads the clock.

use chrono::{DateTime, Duration, Utc};

/// The preset windows offered in the selector.
pub const PRESETS: [&str; 5] = ["1h", "6h", "24h", "7d", "14d"];

/// Bucket sizes Sentry accepts, smallest first (seconds, and the API spelling).
const INTERVALS: [(i64, &str); 13] = [
    (60, "1m"),
    (120, "2m"),
    (300, "5m"),
    (600, "10m"),
    (900, "15m"),
    (1800, "30m"),
    (3600, "1h"),
    (7200, "2h"),
    (10800, "3h"),
    (14400, "4h"),
    (21600, "6h"),
    (43200, "12h"),
    (86400, "1d"),
];

/// The most buckets a chart asks for; the chosen interval keeps about 60–200 buckets.
pub const MAX_BUCKETS: i64 = 200;

/// A time window: a preset period ending now, or fixed start and end.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TimeRange {
    /// A period such as `24h` ending now.
    Period(String),
    /// A fixed window.
    Custom {
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
}

impl Default for TimeRange {
    fn default() -> Self {
        TimeRange::Period("24h".into())
    }
}

/// Parses `30m`, `24h`, `14d`, `2w` into seconds.
pub fn period_seconds(p: &str) -> Option<i64> {
    let p = p.trim();
    let (num, unit) = p.split_at(p.len().checked_sub(1)?);
    let n: i64 = num.parse().ok().filter(|n| *n > 0)?;
    let mult = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 604_800,
        _ => return None,
    };
    n.checked_mul(mult)
}

impl TimeRange {
    /// Reads the URL form: `range=24h`, or `start=…&end=…` (RFC 3339). Invalid input gives the default.
    pub fn from_params(range: Option<&str>, start: Option<&str>, end: Option<&str>) -> Self {
        if let (Some(s), Some(e)) = (start, end) {
            if let (Some(s), Some(e)) =
                (crate::lenient::parse_time(s), crate::lenient::parse_time(e))
            {
                if e > s {
                    return TimeRange::Custom { start: s, end: e };
                }
            }
        }
        match range {
            Some(r) if period_seconds(r).is_some_and(|s| (60..=90 * 86_400).contains(&s)) => {
                TimeRange::Period(r.to_owned())
            }
            _ => TimeRange::default(),
        }
    }

    /// The window length in seconds.
    pub fn seconds(&self) -> i64 {
        match self {
            TimeRange::Period(p) => period_seconds(p).unwrap_or(86_400),
            TimeRange::Custom { start, end } => (*end - *start).num_seconds().max(60),
        }
    }

    /// Start and end for a given `now`.
    pub fn bounds(&self, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        match self {
            TimeRange::Period(_) => (now - Duration::seconds(self.seconds()), now),
            TimeRange::Custom { start, end } => (*start, *end),
        }
    }

    /// The window just before this one, of the same length (for "change against previous").
    pub fn previous_bounds(&self, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        let (s, _) = self.bounds(now);
        (s - Duration::seconds(self.seconds()), s)
    }

    /// API parameters for this window: `statsPeriod=24h` or `start=…&end=…`.
    pub fn api_params(&self) -> Vec<(String, String)> {
        match self {
            TimeRange::Period(p) => vec![("statsPeriod".into(), p.clone())],
            TimeRange::Custom { start, end } => {
                vec![("start".into(), iso(*start)), ("end".into(), iso(*end))]
            }
        }
    }

    /// API parameters covering this window and the previous one (twice as long, same end).
    pub fn doubled_api_params(&self, now: DateTime<Utc>) -> Vec<(String, String)> {
        match self {
            TimeRange::Period(_) => {
                vec![("statsPeriod".into(), format!("{}s", self.seconds() * 2))]
            }
            TimeRange::Custom { .. } => {
                let (s, e) = self.bounds(now);
                vec![
                    ("start".into(), iso(s - Duration::seconds(self.seconds()))),
                    ("end".into(), iso(e)),
                ]
            }
        }
    }

    /// The URL form (see [`TimeRange::from_params`]).
    pub fn url_params(&self) -> Vec<(String, String)> {
        match self {
            TimeRange::Period(p) => vec![("range".into(), p.clone())],
            TimeRange::Custom { start, end } => {
                vec![("start".into(), iso(*start)), ("end".into(), iso(*end))]
            }
        }
    }

    /// The bucket size (seconds, API spelling) that keeps the window at about 60–200 buckets.
    pub fn interval(&self) -> (i64, &'static str) {
        choose_interval(self.seconds())
    }

    /// The preset name, or `custom`.
    pub fn label(&self) -> String {
        match self {
            TimeRange::Period(p) => p.clone(),
            TimeRange::Custom { .. } => "custom".into(),
        }
    }
}

/// The smallest accepted interval giving at most [`MAX_BUCKETS`] buckets.
pub fn choose_interval(window_secs: i64) -> (i64, &'static str) {
    INTERVALS
        .iter()
        .copied()
        .find(|(s, _)| window_secs / s <= MAX_BUCKETS)
        .unwrap_or(INTERVALS[INTERVALS.len() - 1])
}

/// RFC 3339 in UTC with seconds, as Sentry accepts in `start`/`end`.
pub fn iso(t: DateTime<Utc>) -> String {
    use chrono::{Datelike, Timelike};
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_keep_60_to_200_buckets() {
        for p in PRESETS {
            let r = TimeRange::Period(p.into());
            let (secs, _) = r.interval();
            let n = r.seconds() / secs;
            assert!((60..=200).contains(&n), "{p}: {n} buckets");
        }
    }

    #[test]
    fn url_round_trip_and_fallbacks() {
        let c = TimeRange::from_params(
            None,
            Some("2026-01-01T00:00:00Z"),
            Some("2026-01-02T00:00:00Z"),
        );
        assert_eq!(c.seconds(), 86_400);
        let back = c.url_params();
        assert_eq!(
            TimeRange::from_params(None, Some(&back[0].1), Some(&back[1].1)),
            c
        );
        assert_eq!(
            TimeRange::from_params(Some("bogus"), None, None),
            TimeRange::default()
        );
        assert_eq!(
            TimeRange::from_params(Some("7d"), None, None).seconds(),
            7 * 86_400
        );
        // end before start falls back
        assert_eq!(
            TimeRange::from_params(
                Some("1h"),
                Some("2026-01-02T00:00:00Z"),
                Some("2026-01-01T00:00:00Z")
            ),
            TimeRange::Period("1h".into())
        );
    }

    #[test]
    fn doubled_window() {
        assert_eq!(
            TimeRange::Period("24h".into()).doubled_api_params(DateTime::<Utc>::MIN_UTC),
            vec![("statsPeriod".to_string(), "172800s".to_string())]
        );
    }
}
