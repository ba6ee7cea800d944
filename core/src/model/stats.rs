//! `events-stats`: time series in the three shapes Sentry returns, detected by structure.
//!
//! - A: `{"data": [[epoch_s, [{"count": n}]], …], "start", "end", "meta"}`
//! - B: several `yAxis`: `{"count()": {<A>, "order": 0}, …}`
//! - C: `topEvents`: `{"web-1": {<A>, "order": 0}, "Other": {…}}` (with several `yAxis`, each group
//!   holds a B)
//!
//! All three become a flat list of [`StatsSeries`], each named by the path of keys that led to it.

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
    /// Parses any of the three shapes from a JSON value. Series come back sorted by `order`
    /// (then name).
    pub fn from_value(v: &Value) -> Result<Self, StatsShapeError> {
        Self::from_node(Node::deserialize(v).map_err(|e| StatsShapeError(e.to_string()))?)
    }

    /// Parses JSON text, straight into the series: no `Value` in between (a bucket as a `Value`
    /// is two lists and a map with a key of its own; 200 servers at 1,440 buckets are 288,000).
    pub fn parse(s: &str) -> Result<Self, StatsShapeError> {
        Self::from_node(serde_json::from_str(s).map_err(|e| StatsShapeError(e.to_string()))?)
    }

    fn from_node(node: Node) -> Result<Self, StatsShapeError> {
        let mut series = Vec::new();
        collect(node, &mut Vec::new(), None, &mut series, 0)?;
        crate::sort::sort_by(&mut series, |a, b| {
            (a.order.unwrap_or(i64::MAX), &a.path).cmp(&(b.order.unwrap_or(i64::MAX), &b.path))
        });
        Ok(StatsResponse { series })
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

impl crate::json::FromJson for StatsResponse {
    fn from_json(v: &Value) -> Result<Self, String> {
        Self::from_value(v).map_err(|e| e.0)
    }

    fn from_text(text: &str) -> Result<Self, String> {
        Self::parse(text).map_err(|e| e.0)
    }
}

/// One level of an answer as read: an object (a series when it has `data`, else a level of
/// named children) or anything else (skipped where a child is expected).
#[derive(Default)]
enum Node {
    Object {
        data: Option<Data>,
        order: Option<i64>,
        children: Vec<(String, Node)>,
    },
    #[default]
    Other,
}

/// A series' `data`: its buckets, or what stood there instead of a list.
#[derive(Default)]
enum Data {
    List(Vec<(i64, Option<f64>)>),
    #[default]
    NotList,
}

fn collect(
    node: Node,
    path: &mut Vec<String>,
    order: Option<i64>,
    out: &mut Vec<StatsSeries>,
    depth: usize,
) -> Result<(), StatsShapeError> {
    let Node::Object {
        data,
        order: own,
        children,
    } = node
    else {
        return Err(StatsShapeError(format!(
            "expected an object at {}",
            path_label(path)
        )));
    };
    if depth > 3 {
        return Err(StatsShapeError("series nested too deeply".into()));
    }
    let order = own.or(order);
    match data {
        Some(Data::List(points)) => {
            out.push(StatsSeries {
                path: path.clone(),
                order,
                points,
            });
            return Ok(());
        }
        Some(Data::NotList) => {
            return Err(StatsShapeError(format!(
                "\"data\" is not a list at {}",
                path_label(path)
            )))
        }
        None => {}
    }
    for (key, child) in children {
        if matches!(child, Node::Other) {
            continue;
        }
        path.push(key);
        collect(child, path, order, out, depth + 1)?;
        path.pop();
    }
    Ok(())
}

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// Reads any JSON value, keeping a number, or a numeric string, as `f64` (`lenient`'s rule).
struct Num(Option<f64>);

/// Reads any JSON value, keeping an integer (`order`).
struct Int(Option<i64>);

/// A bucket's value: `[{"count": n}, …]` summed (none without a count), or a bare number.
struct Cells(Option<f64>);

/// One cell of a bucket: the `count` of an object.
struct Cell(Option<f64>);

/// One bucket, `[time, cells]`; anything else is skipped.
struct Bucket(Option<(i64, Option<f64>)>);

/// Implements every `visit_*` a value can bring that the reader does not keep as `None`,
/// draining lists and objects.
macro_rules! none_for_the_rest {
    ($($skip:ident),*) => {
        $(none_for_the_rest!(@one $skip);)*
    };
    (@one bool) => { fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> { Ok(Self::Value::default()) } };
    (@one num) => {
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> { Ok(Self::Value::default()) }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> { Ok(Self::Value::default()) }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> { Ok(Self::Value::default()) }
    };
    (@one str) => { fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> { Ok(Self::Value::default()) } };
    (@one unit) => { fn visit_unit<E>(self) -> Result<Self::Value, E> { Ok(Self::Value::default()) } };
    (@one seq) => {
        fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
            while a.next_element::<IgnoredAny>()?.is_some() {}
            Ok(Self::Value::default())
        }
    };
    (@one map) => {
        fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
            while a.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(Self::Value::default())
        }
    };
}

/// A `Deserialize` through `deserialize_any` with the given visitor.
macro_rules! any_value {
    ($ty:ident, $visitor:ident) => {
        struct $visitor;
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any($visitor).map($ty)
            }
        }
    };
}

any_value!(Num, NumV);
impl<'de> Visitor<'de> for NumV {
    type Value = Option<f64>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.trim().parse().ok())
    }
    none_for_the_rest!(bool, unit, seq, map);
}

any_value!(Int, IntV);
impl<'de> Visitor<'de> for IntV {
    type Value = Option<i64>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an integer")
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(i64::try_from(v).ok())
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    none_for_the_rest!(bool, str, unit, seq, map);
}

any_value!(Cell, CellV);
impl<'de> Visitor<'de> for CellV {
    type Value = Option<f64>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a cell")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
        let mut count = None;
        while let Some(k) = a.next_key::<Key>()? {
            match k {
                Key::Count => count = a.next_value::<Num>()?.0,
                _ => {
                    a.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(count)
    }
    none_for_the_rest!(bool, num, str, unit, seq);
}

any_value!(Cells, CellsV);
impl<'de> Visitor<'de> for CellsV {
    type Value = Option<f64>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a bucket's value")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
        let mut sum: Option<f64> = None;
        while let Some(Cell(c)) = a.next_element()? {
            if let Some(n) = c {
                sum = Some(sum.unwrap_or(0.0) + n);
            }
        }
        Ok(sum)
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.trim().parse().ok())
    }
    none_for_the_rest!(bool, unit, map);
}

any_value!(Bucket, BucketV);
impl<'de> Visitor<'de> for BucketV {
    type Value = Option<(i64, Option<f64>)>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a bucket")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
        let t = a.next_element::<Num>()?.and_then(|n| n.0);
        let value = match t {
            Some(_) => a.next_element::<Cells>()?.and_then(|c| c.0),
            None => None,
        };
        while a.next_element::<IgnoredAny>()?.is_some() {}
        Ok(t.map(|t| (t as i64, value)))
    }
    none_for_the_rest!(bool, num, str, unit, map);
}

/// A key as the reader tells them apart, named only when it names a child.
enum Key {
    Data,
    Order,
    Count,
    Skip,
    Child(String),
}

struct KeyV;

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(KeyV)
    }
}

impl<'de> Visitor<'de> for KeyV {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E>(self, k: &str) -> Result<Key, E> {
        Ok(match k {
            "data" => Key::Data,
            "order" => Key::Order,
            "count" => Key::Count,
            "meta" | "start" | "end" | "isMetricsData" => Key::Skip,
            _ => Key::Child(k.to_owned()),
        })
    }
}

/// `data`: a list of buckets, or what stood there instead.
struct DataV;

impl<'de> Deserialize<'de> for Data {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DataV)
    }
}

impl<'de> Visitor<'de> for DataV {
    type Value = Data;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of buckets")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
        let mut points = Vec::with_capacity(a.size_hint().unwrap_or(0).min(4096));
        while let Some(Bucket(b)) = a.next_element()? {
            points.extend(b);
        }
        Ok(Data::List(points))
    }
    none_for_the_rest!(bool, num, str, unit, map);
}

struct NodeV;

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeV)
    }
}

impl<'de> Visitor<'de> for NodeV {
    type Value = Node;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an events-stats object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
        let (mut data, mut order, mut children) = (None, None, Vec::<(String, Node)>::new());
        while let Some(k) = a.next_key::<Key>()? {
            match k {
                Key::Data => data = Some(a.next_value::<Data>()?),
                Key::Order => order = a.next_value::<Int>()?.0,
                Key::Skip => {
                    a.next_value::<IgnoredAny>()?;
                }
                Key::Count => children.push(("count".into(), a.next_value::<Node>()?)),
                Key::Child(name) => {
                    let child = a.next_value::<Node>()?;
                    // A repeated key: the last one counts, as in a JSON object read whole.
                    children.retain(|(n, _)| *n != name);
                    children.push((name, child));
                }
            }
        }
        Ok(Node::Object {
            data,
            order,
            children,
        })
    }
    none_for_the_rest!(bool, num, str, unit, seq);
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
    fn lenient_buckets() {
        // Numbers as strings, null, a bare number, a cell without a count, several cells, a
        // bucket that is not a list, an escaped key, a repeated key (the last counts), and the
        // keys that are not series.
        let r = StatsResponse::parse(
            r#"{"web\u002d1":{"order":"x","meta":{"a":[1]},"start":1,"end":2,"isMetricsData":false,
                  "data":[["60",[{"count":"2"}]],[120,null],[180,7],[240,[{"other":1}]],
                          [300,[{"count":1},{"count":2.5}]],"junk",[null,[{"count":9}]],[360]]},
                "w2":{"data":[[1,[{"count":1}]]],"order":3},
                "w2":{"data":[[1,[{"count":4}]]],"order":1}}"#,
        )
        .unwrap();
        let got: Vec<_> = r.series.iter().map(|s| (s.path.clone(), s.order)).collect();
        assert_eq!(
            got,
            [
                (vec!["w2".to_owned()], Some(1)),
                (vec!["web-1".to_owned()], None)
            ]
        );
        assert_eq!(r.series[0].points, vec![(1, Some(4.0))]);
        assert_eq!(
            r.series[1].points,
            vec![
                (60, Some(2.0)),
                (120, None),
                (180, Some(7.0)),
                (240, None),
                (300, Some(3.5)),
                (360, None)
            ]
        );
    }

    #[test]
    fn from_a_value_as_from_text() {
        let text = r#"{"a":{"order":0,"data":[[0,[{"count":5}]]]},"Other":{"order":1,"data":[[0,[{"count":1}]]]}}"#;
        let v: Value = serde_json::from_str(text).unwrap();
        assert_eq!(
            StatsResponse::from_value(&v).unwrap(),
            StatsResponse::parse(text).unwrap()
        );
        assert_eq!(StatsResponse::parse(text).unwrap().series.len(), 2);
    }

    #[test]
    fn too_deep_is_an_error() {
        let e = StatsResponse::parse(r#"{"a":{"b":{"c":{"d":{"e":{"data":[]}}}}}}"#).unwrap_err();
        assert!(e.0.contains("too deeply"), "{e:?}");
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
