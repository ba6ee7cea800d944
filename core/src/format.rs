//! Language-neutral formatting of numbers, durations and times. Words go through the dashboard's
//! i18n layer; what is here reads the same in English and Korean.

use chrono::{DateTime, Datelike, Duration, TimeZone, Timelike, Utc};

/// `950`, `1.2k`, `34k`, `1.2M`.
pub fn compact_count(n: f64) -> String {
    let n = n.max(0.0);
    if n < 1000.0 {
        return format!("{}", n.round() as u64);
    }
    let (v, unit) = if n < 1e6 {
        (n / 1e3, "k")
    } else if n < 1e9 {
        (n / 1e6, "M")
    } else {
        (n / 1e9, "B")
    };
    if v < 10.0 {
        let s = format!("{v:.1}");
        format!("{}{unit}", s.trim_end_matches(".0"))
    } else {
        format!("{}{unit}", v.round() as u64)
    }
}

/// A count with thousands separators: `12,345`.
pub fn grouped_count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Milliseconds as `850ms`, `1.25s`, `3m 20s`, `2h 5m`.
pub fn duration_ms(ms: f64) -> String {
    if !ms.is_finite() || ms < 0.0 {
        return "–".into();
    }
    if ms == 0.0 {
        return "0ms".into();
    }
    if ms < 1.0 {
        return format!("{ms:.2}ms");
    }
    if ms < 1000.0 {
        return format!("{}ms", ms.round() as u64);
    }
    let s = ms / 1000.0;
    if s < 60.0 {
        let t = format!("{s:.2}");
        return format!("{}s", t.trim_end_matches('0').trim_end_matches('.'));
    }
    let total = s.round() as u64;
    // A zero second part is left out: `10m`, `2h`, not `10m 0s`, `2h 0m`.
    let two = |big: u64, unit: &str, small: u64, small_unit: &str| {
        if small == 0 {
            format!("{big}{unit}")
        } else {
            format!("{big}{unit} {small}{small_unit}")
        }
    };
    if total < 3600 {
        return two(total / 60, "m", total % 60, "s");
    }
    two(total / 3600, "h", (total % 3600) / 60, "m")
}

/// A signed percentage change `(now - before) / before`, or `None` when `before` is zero.
pub fn change_ratio(now: f64, before: f64) -> Option<f64> {
    (before > 0.0).then(|| (now - before) / before)
}

/// `+12%`, `−40%`, `±0%`.
pub fn percent_change(ratio: f64) -> String {
    let p = (ratio * 100.0).round();
    if p > 0.0 {
        format!("+{p}%")
    } else if p < 0.0 {
        format!("−{}%", -p)
    } else {
        "±0%".into()
    }
}

/// A relative age split into a unit the i18n layer can word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Age {
    JustNow,
    Minutes(i64),
    Hours(i64),
    Days(i64),
}

/// How long ago `t` was, at `now`. Future times count as "just now".
pub fn age(t: DateTime<Utc>, now: DateTime<Utc>) -> Age {
    let secs = (now - t).num_seconds();
    if secs < 60 {
        Age::JustNow
    } else if secs < 3600 {
        Age::Minutes(secs / 60)
    } else if secs < 86_400 {
        Age::Hours(secs / 3600)
    } else {
        Age::Days(secs / 86_400)
    }
}

/// `hh:mm` in the time zone `tz` (`chrono::Local` in the dashboard).
pub fn clock<Tz: TimeZone>(t: DateTime<Utc>, tz: &Tz) -> String {
    let l = t.with_timezone(tz);
    format!("{:02}:{:02}", l.hour(), l.minute())
}

/// `YYYY-MM-DD hh:mm:ss` in the time zone `tz`, with the offset that zone had at `t` (so a
/// window across a daylight-saving change reads right on both sides).
pub fn date_time<Tz: TimeZone>(t: DateTime<Utc>, tz: &Tz) -> String {
    let l = t.with_timezone(tz);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        l.year(),
        l.month(),
        l.day(),
        l.hour(),
        l.minute(),
        l.second()
    )
}

/// `YYYY-MM-DDThh:mm` in `tz` (the value of a `datetime-local` input).
pub fn input_value<Tz: TimeZone>(t: DateTime<Utc>, tz: &Tz) -> String {
    let l = t.with_timezone(tz);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        l.year(),
        l.month(),
        l.day(),
        l.hour(),
        l.minute()
    )
}

/// Parses a `datetime-local` value (`YYYY-MM-DDThh:mm`, wall-clock time in `tz`) to UTC. A
/// time that happens twice (clocks turned back) is the first; a time that never happens
/// (clocks turned forward) is read as the same wall time after the jump.
pub fn parse_input_value<Tz: TimeZone>(v: &str, tz: &Tz) -> Option<DateTime<Utc>> {
    let naive = crate::lenient::parse_time(&format!("{}:00Z", v.trim().get(..16)?))?.naive_utc();
    tz.from_local_datetime(&naive)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(naive + Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
}

/// An axis label fitting the window: `hh:mm` for a day or less, else `MM-DD hh:mm` / `MM-DD`.
pub fn axis_label<Tz: TimeZone>(t: DateTime<Utc>, window_secs: i64, tz: &Tz) -> String {
    let l = t.with_timezone(tz);
    if window_secs <= 86_400 {
        format!("{:02}:{:02}", l.hour(), l.minute())
    } else if window_secs <= 3 * 86_400 {
        format!(
            "{:02}-{:02} {:02}:{:02}",
            l.month(),
            l.day(),
            l.hour(),
            l.minute()
        )
    } else {
        format!("{:02}-{:02}", l.month(), l.day())
    }
}

/// A signed offset from a reference, for breadcrumbs relative to the error: `−1.25s`, `−3m 2s`.
pub fn relative_offset(t: DateTime<Utc>, reference: DateTime<Utc>) -> String {
    let d: Duration = t - reference;
    let ms = d.num_milliseconds() as f64;
    if ms == 0.0 {
        return "0ms".into();
    }
    let sign = if ms < 0.0 { "−" } else { "+" };
    format!("{sign}{}", duration_ms(ms.abs()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;
    use chrono_tz::Europe::Berlin;

    /// Berlin turned its clocks forward at 01:00 UTC on 2026-03-29 (02:00 CET → 03:00 CEST)
    /// and back at 01:00 UTC on 2026-10-25. One offset for the whole window (what the dashboard
    /// did, taking the offset at page load) is wrong by an hour on one side of the change.
    #[test]
    fn times_follow_the_zone_across_daylight_saving_changes() {
        let at = |h: u32, m: u32| Utc.with_ymd_and_hms(2026, 3, 29, h, m, 0).unwrap();
        // A 6-hour window across the change: labels before and after it.
        let six_h = 6 * 3600;
        assert_eq!(axis_label(at(0, 30), six_h, &Berlin), "01:30");
        assert_eq!(axis_label(at(1, 30), six_h, &Berlin), "03:30");
        assert_eq!(date_time(at(0, 59), &Berlin), "2026-03-29 01:59:00");
        assert_eq!(date_time(at(1, 0), &Berlin), "2026-03-29 03:00:00");
        // Ticks one hour apart stay one hour apart in UTC, though the clock skips 02:xx.
        let labels: Vec<_> = (0..4).map(|h| clock(at(h, 0), &Berlin)).collect();
        assert_eq!(labels, ["01:00", "03:00", "04:00", "05:00"]);
        // The custom-range inputs round-trip on both sides of the change.
        for t in [at(0, 30), at(1, 30), at(5, 0)] {
            assert_eq!(
                parse_input_value(&input_value(t, &Berlin), &Berlin),
                Some(t)
            );
        }
        // 02:30 never happened that night: read as 03:30 CEST.
        assert_eq!(
            parse_input_value("2026-03-29T02:30", &Berlin),
            Some(at(1, 30))
        );
        // 02:30 happened twice on 25 October: the first (CEST, 00:30 UTC).
        assert_eq!(
            parse_input_value("2026-10-25T02:30", &Berlin),
            Some(Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap())
        );
        // The same instants in a fixed zone (what tests without a database use).
        let kst = FixedOffset::east_opt(9 * 3600).unwrap();
        assert_eq!(date_time(at(1, 30), &kst), "2026-03-29 10:30:00");
        assert_eq!(parse_input_value("2026-03-29T10:30", &kst), Some(at(1, 30)));
    }

    #[test]
    fn counts() {
        assert_eq!(compact_count(999.0), "999");
        assert_eq!(compact_count(1000.0), "1k");
        assert_eq!(compact_count(1234.0), "1.2k");
        assert_eq!(compact_count(45_600.0), "46k");
        assert_eq!(compact_count(2_500_000.0), "2.5M");
        assert_eq!(grouped_count(1_234_567), "1,234,567");
        assert_eq!(grouped_count(12), "12");
    }

    #[test]
    fn durations() {
        assert_eq!(duration_ms(850.4), "850ms");
        assert_eq!(duration_ms(1250.0), "1.25s");
        assert_eq!(duration_ms(2000.0), "2s");
        assert_eq!(duration_ms(200_000.0), "3m 20s");
        assert_eq!(duration_ms(7_500_000.0), "2h 5m");
        assert_eq!(duration_ms(600_000.0), "10m");
        assert_eq!(duration_ms(7_200_000.0), "2h");
        assert_eq!(duration_ms(f64::NAN), "–");
        assert_eq!(duration_ms(0.0), "0ms");
        assert_eq!(duration_ms(0.25), "0.25ms");
    }

    #[test]
    fn changes_and_ages() {
        assert_eq!(percent_change(change_ratio(12.0, 10.0).unwrap()), "+20%");
        assert_eq!(percent_change(change_ratio(6.0, 10.0).unwrap()), "−40%");
        assert_eq!(change_ratio(5.0, 0.0), None);
        let now = Utc.with_ymd_and_hms(2026, 1, 2, 0, 0, 0).unwrap();
        assert_eq!(age(now - Duration::minutes(5), now), Age::Minutes(5));
        assert_eq!(age(now - Duration::hours(30), now), Age::Days(1));
        assert_eq!(
            clock(now, &FixedOffset::east_opt(9 * 3600).unwrap()),
            "09:00"
        );
        assert_eq!(
            relative_offset(now - Duration::milliseconds(1500), now),
            "−1.5s"
        );
    }
}
