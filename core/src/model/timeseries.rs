//! The newer `events-timeseries` endpoint (optional; milliseconds) and org `stats_v2`.

use crate::lenient;
use serde::Deserialize;
use serde_json::Value;

/// `GET …/events-timeseries/`: `{timeSeries: [{values, yAxis, groupBy, meta}], meta}`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct TimeseriesDto {
    #[serde(deserialize_with = "lenient::list")]
    pub time_series: Vec<TimeseriesSeriesDto>,
}

/// One series of `events-timeseries`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct TimeseriesSeriesDto {
    #[serde(deserialize_with = "lenient::list")]
    pub values: Vec<TimeseriesValueDto>,
    #[serde(deserialize_with = "lenient::string")]
    pub y_axis: String,
    #[serde(deserialize_with = "lenient::list")]
    pub group_by: Vec<GroupByDto>,
}

/// One bucket; `timestamp` is in **milliseconds**.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct TimeseriesValueDto {
    #[serde(deserialize_with = "lenient::f64_or_zero")]
    pub timestamp: f64,
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub value: Option<f64>,
    #[serde(deserialize_with = "lenient::bool_or_false")]
    pub incomplete: bool,
}

/// A `{key, value}` group of a series.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct GroupByDto {
    #[serde(deserialize_with = "lenient::string")]
    pub key: String,
    #[serde(deserialize_with = "lenient::string")]
    pub value: String,
}

/// `GET /api/0/organizations/{org}/stats_v2/` (accepted, outcome counts).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct StatsV2Dto {
    #[serde(deserialize_with = "lenient::list")]
    pub intervals: Vec<String>,
    #[serde(deserialize_with = "lenient::list")]
    pub groups: Vec<Value>,
}
