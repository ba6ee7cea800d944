//! Relative times ("3 min ago") with the exact local time as a tooltip.

use super::dom::{h, H};
use crate::i18n::{t, tf, Msg};
use chrono::{DateTime, Utc};
use lookout_core::format::{age, Age};

/// "3 min ago" for a time, in the current language.
pub fn age_text(tm: DateTime<Utc>, now: DateTime<Utc>) -> String {
    match age(tm, now) {
        Age::JustNow => t(Msg::JustNow).into(),
        Age::Minutes(n) => tf(Msg::MinutesAgo, &[&n.to_string()]),
        Age::Hours(n) => tf(Msg::HoursAgo, &[&n.to_string()]),
        Age::Days(n) => tf(Msg::DaysAgo, &[&n.to_string()]),
    }
}

/// A `<time>` element showing the age, titled with the local date and time.
pub fn ago(tm: Option<DateTime<Utc>>, now: DateTime<Utc>) -> H {
    match tm {
        Some(tm) => h("time")
            .attr("title", lookout_core::format::date_time(tm, &chrono::Local))
            .attr("datetime", lookout_core::time::iso(tm))
            .text(age_text(tm, now)),
        None => h("span").text("–"),
    }
}
