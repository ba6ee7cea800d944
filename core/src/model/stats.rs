//! `events-stats`: time series in the three shapes Sentry returns, detected by structure.
//!
//! - A: `{"data": [[epoch_s, [{"count": n}]], …], "start", "end", "meta"}`
//! - B: several `yAxis`: `{"count()": {<A>, "order": 0}, …}`
//! - C: `topEvents`: `{"web-1": {<A>, "order": 0}, "Other": {…}}` (with several `yAxis`, each group
//!   holds a B)
//!
//! All three become a flat list of [`StatsSeries`], each named by the path of keys that led to it.

use crate::lenient;
use serde_json::Value;

/// One series: the keys that led to it (empty for shape A; `[yAxis]` for B; `[group]` or
/// `[group, yAxis]` for C), its `order`, and its buckets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatsSeries {
    pub path: Vec<String>,
    pub order: Option<i64>,
    /// `(epoch seconds, value)`; `None` where the server sent `null` (e.g. p95 of nothing).
    pub points: Vec<(i64, Option<f64>)>,
}

impl StatsSeries {
    /// The group name (first path element), or `""` for an ungrouped series.
    pub fn group(&self) -> &str {
        self.path.first().map_or("", String::as_str)
    }

    /// Sum of all bucket values.
    pub fn total(&self) -> f64 {
        self.points.iter().filter_map(|p| p.1).sum()
    }
}

/// A parsed `events-stats` response.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatsResponse {
    pub series: Vec<StatsSeries>,
}

/// Why an `events-stats` body could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsShapeError(pub String);

impl StatsResponse {
    /// Parses any of the three shapes. Series come back sorted by `order` (then name).
    pub fn from_value(v: &Value) -> Result<Self, StatsShapeError> {
        let mut series = Vec::new();
        collect(v, &mut Vec::new(), None, &mut series, 0)?;
        crate::sort::sort_by(&mut series, |a, b| {
            (a.order.unwrap_or(i64::MAX), &a.path).cmp(&(b.order.unwrap_or(i64::MAX), &b.path))
        });
        Ok(StatsResponse { series })
    }

    /// Parses JSON text.
    pub fn parse(s: &str) -> Result<Self, StatsShapeError> {
        let v: Value = serde_json::from_str(s).map_err(|e| StatsShapeError(e.to_string()))?;
        Self::from_value(&v)
    }

    /// The series of one yAxis, named by their group alone: of a shape C of B (topEvents with
    /// several yAxis) the groups' `y` series; series without a yAxis level are kept as they are.
    pub fn axis(&self, y: &str) -> StatsResponse {
        StatsResponse {
            series: self
                .series
                .iter()
                .filter(|s| s.path.get(1).is_none_or(|a| a == y))
                .map(|s| StatsSeries {
                    path: s.path.first().cloned().into_iter().collect(),
                    ..s.clone()
                })
                .collect(),
        }
    }

    /// The series of one group (shape C) or the only series (shape A).
    pub fn group(&self, name: &str) -> Option<&StatsSeries> {
        self.series.iter().find(|s| s.group() == name)
    }
}

fn collect(
    v: &Value,
    path: &mut Vec<String>,
    order: Option<i64>,
    out: &mut Vec<StatsSeries>,
    depth: usize,
) -> Result<(), StatsShapeError> {
    let Value::Object(map) = v else {
        return Err(StatsShapeError(format!(
            "expected an object at {}",
            path_label(path)
        )));
    };
    if depth > 3 {
        return Err(StatsShapeError("series nested too deeply".into()));
    }
    if let Some(data) = map.get("data") {
        out.push(StatsSeries {
            path: path.clone(),
            order: map.get("order").and_then(Value::as_i64).or(order),
            points: buckets(data, path)?,
        });
        return Ok(());
    }
    if map.is_empty() {
        return Ok(());
    }
    let order_here = map.get("order").and_then(Value::as_i64).or(order);
    for (key, child) in map {
        if key == "order"
            || key == "meta"
            || key == "start"
            || key == "end"
            || key == "isMetricsData"
        {
            continue;
        }
        if !child.is_object() {
            continue;
        }
        path.push(key.clone());
        collect(child, path, order_here, out, depth + 1)?;
        path.pop();
    }
    Ok(())
}

fn buckets(data: &Value, path: &[String]) -> Result<Vec<(i64, Option<f64>)>, StatsShapeError> {
    let Value::Array(items) = data else {
        return Err(StatsShapeError(format!(
            "\"data\" is not a list at {}",
            path_label(path)
        )));
    };
    let mut points = Vec::with_capacity(items.len());
    for item in items {
        let Some(pair) = item.as_array() else {
            continue;
        };
        let Some(t) = pair.first().and_then(lenient::value_to_f64) else {
            continue;
        };
        // The inner value is `[{"count": n}]`; tolerate a bare number too.
        let value = match pair.get(1) {
            Some(Value::Array(cells)) => {
                let mut sum: Option<f64> = None;
                for c in cells {
                    if let Some(n) = c.get("count").and_then(lenient::value_to_f64) {
                        sum = Some(sum.unwrap_or(0.0) + n);
                    }
                }
                sum
            }
            Some(other) => lenient::value_to_f64(other),
            None => None,
        };
        points.push((t as i64, value));
    }
    Ok(points)
}

fn path_label(path: &[String]) -> String {
    if path.is_empty() {
        "the top level".into()
    } else {
        format!("\"{}\"", path.join("/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_a() {
        let r = StatsResponse::parse(
            r#"{"data":[[1,[{"count":2}]],[2,[{"count":0}]]],"start":1,"end":3}"#,
        )
        .unwrap();
        assert_eq!(r.series.len(), 1);
        assert!(r.series[0].path.is_empty());
        assert_eq!(r.series[0].total(), 2.0);
    }

    #[test]
    fn shape_b() {
        let r = StatsResponse::parse(
            r#"{"count_unique(user)":{"data":[[1,[{"count":5}]]],"order":1},"count()":{"data":[[1,[{"count":9}]]],"order":0}}"#,
        )
        .unwrap();
        assert_eq!(r.series[0].path, vec!["count()"]);
        assert_eq!(r.series[1].path, vec!["count_unique(user)"]);
    }

    #[test]
    fn shape_c_sorted_by_order_with_other() {
        let r = StatsResponse::parse(
            r#"{"Other":{"data":[[1,[{"count":1}]]],"order":2},"web-2":{"data":[[1,[{"count":3}]]],"order":1},"web-1":{"data":[[1,[{"count":7}]]],"order":0}}"#,
        )
        .unwrap();
        let names: Vec<_> = r.series.iter().map(|s| s.group().to_owned()).collect();
        assert_eq!(names, vec!["web-1", "web-2", "Other"]);
    }

    #[test]
    fn shape_c_with_several_y_axes() {
        let r = StatsResponse::parse(
            r#"{"web-1":{"order":0,"p95(transaction.duration)":{"data":[[1,[{"count":null}]]]},"epm()":{"data":[[1,[{"count":4.5}]]]}}}"#,
        )
        .unwrap();
        assert_eq!(r.series.len(), 2);
        assert!(r
            .series
            .iter()
            .all(|s| s.group() == "web-1" && s.order == Some(0)));
        let p95 = r
            .series
            .iter()
            .find(|s| s.path[1].starts_with("p95"))
            .unwrap();
        assert_eq!(p95.points[0].1, None);
    }

    #[test]
    fn empty_and_malformed() {
        assert_eq!(
            StatsResponse::parse(r#"{"data":[]}"#).unwrap().series[0]
                .points
                .len(),
            0
        );
        assert!(StatsResponse::parse(r#"[1,2]"#).is_err());
        assert!(StatsResponse::parse(r#"{"data":"x"}"#).is_err());
    }
}
