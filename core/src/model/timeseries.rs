//! The newer `events-timeseries` endpoint (optional; milliseconds) and org `stats_v2`.

use crate::json::{expect_object, FromJson, Get};
use serde_json::Value;

/// `GET …/events-timeseries/`: `{timeSeries: [{values, yAxis, groupBy, meta}], meta}`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TimeseriesDto {
    pub time_series: Vec<TimeseriesSeriesDto>,
}

/// One series of `events-timeseries`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TimeseriesSeriesDto {
    /// `(timestamp in milliseconds, value)`.
    pub values: Vec<(f64, Option<f64>)>,
    pub y_axis: String,
    /// `(key, value)` of each group.
    pub group_by: Vec<(String, String)>,
}

impl FromJson for TimeseriesDto {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(TimeseriesDto {
            time_series: v.l("timeSeries"),
        })
    }
}

impl FromJson for TimeseriesSeriesDto {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        let items = |k: &str| {
            v.get(k)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        Ok(TimeseriesSeriesDto {
            values: items("values")
                .iter()
                .map(|x| (x.f0("timestamp"), x.f("value")))
                .collect(),
            y_axis: v.s("yAxis"),
            group_by: items("groupBy")
                .iter()
                .map(|g| (g.s("key"), g.s("value")))
                .collect(),
        })
    }
}

/// `GET /api/0/organizations/{org}/stats_v2/` (accepted, outcome counts).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatsV2Dto {
    pub intervals: Vec<String>,
    pub groups: Vec<Value>,
}

impl FromJson for StatsV2Dto {
    fn from_json(v: &Value) -> Result<Self, String> {
        expect_object(v)?;
        Ok(StatsV2Dto {
            intervals: v.ls("intervals"),
            groups: v.l("groups"),
        })
    }
}
