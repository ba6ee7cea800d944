//! Per-server (or per-group) time series: merging `events-stats` batches, the remainder that keeps
//! the sum equal to the total, windows, regrouping, and the reduction to drawable chart data.
//!
//! Over 400 lines because `SeriesSet`'s operations (merge batches, remainder, windows, regroup, carry over, sort) share one invariant — named series plus remainder add up to the total — and are tested together; drawing is in `chart`.

mod chart;

pub use chart::*;

use crate::model::stats::StatsResponse;
use std::collections::HashMap;

/// The name of the series holding what no named series covers.
pub const OTHER: &str = "Other";

/// One named series on the common buckets.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedSeries {
    pub name: String,
    pub values: Vec<f64>,
    /// The source, on a chart that merges several (see [`merge_sources`]).
    pub source: Option<String>,
}

impl NamedSeries {
    /// Which series this is.
    pub fn key(&self) -> crate::keys::SeriesKey {
        crate::keys::SeriesKey {
            source: self.source.clone(),
            name: self.name.clone(),
        }
    }

    /// What a legend shows: the name, or `source · name` on a merged chart.
    pub fn label(&self) -> String {
        match &self.source {
            Some(s) => format!("{s} · {}", self.name),
            None => self.name.clone(),
        }
    }

    /// Sum of all buckets.
    pub fn total(&self) -> f64 {
        self.values.iter().sum()
    }
}

/// Series of one dimension (servers, clouds, releases…) on common buckets, plus a remainder.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SeriesSet {
    /// Bucket start times (epoch seconds), ascending.
    pub buckets: Vec<i64>,
    /// Bucket width in seconds.
    pub interval: i64,
    pub series: Vec<NamedSeries>,
    /// Events in no named series (e.g. without a `server_name`, or not yet listed).
    pub remainder: Vec<f64>,
}

impl SeriesSet {
    /// One series from `(time, count)` points on evenly spaced buckets (an issue's events over
    /// time), with its window: from the first bucket to the end of the last. `None` without
    /// points. A single point gets an hour-wide bucket.
    pub fn single(name: &str, points: &[(i64, f64)]) -> Option<(SeriesSet, (i64, i64))> {
        let (first, last) = (points.first()?.0, points.last()?.0);
        let interval = points.get(1).map_or(3600, |p| p.0 - first);
        let set = SeriesSet {
            buckets: points.iter().map(|p| p.0).collect(),
            interval,
            series: vec![NamedSeries {
                name: name.to_owned(),
                values: points.iter().map(|p| p.1).collect(),
                source: None,
            }],
            remainder: vec![0.0; points.len()],
        };
        Some((set, (first, last + interval)))
    }

    /// Merges `events-stats` batches.
    ///
    /// The first batch may be an unfiltered `topEvents` query: its named series are the top
    /// values, and its `Other` series holds everything else. Later batches are filtered to further
    /// values (`server_name:[…]`); what they hold is subtracted from `Other`, and what is left is
    /// the remainder — so named series plus remainder always add up to the total.
    pub fn from_batches(batches: &[StatsResponse]) -> SeriesSet {
        // Every bucket time of every series, once. The series of an answer nearly always share
        // their times, so a series whose times are the previous one's adds none.
        let mut times: Vec<i64> = Vec::new();
        let mut previous: &[(i64, Option<f64>)] = &[];
        for s in batches.iter().flat_map(|b| b.series.iter()) {
            let same = s.points.len() == previous.len()
                && s.points.iter().zip(previous).all(|(a, b)| a.0 == b.0);
            if !same {
                times.extend(s.points.iter().map(|p| p.0));
                previous = &s.points;
            }
        }
        crate::sort::sort_by(&mut times, |a, b| a.cmp(b));
        times.dedup();
        let n = times.len();
        let interval = times.windows(2).map(|w| w[1] - w[0]).min().unwrap_or(0);

        let mut series: Vec<NamedSeries> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut other = vec![0.0; n];
        let mut has_other = false;
        // Events without the grouped tag come back as a group named "": they are remainder.
        let mut unnamed = vec![0.0; n];
        for (bi, batch) in batches.iter().enumerate() {
            for s in &batch.series {
                let name = s.group();
                let mut values = vec![0.0; n];
                // Points come in time order: the next bucket is nearly always the one after.
                let mut at = 0;
                for (t, v) in &s.points {
                    if times.get(at) != Some(t) {
                        let Ok(i) = times.binary_search(t) else {
                            continue;
                        };
                        at = i;
                    }
                    values[at] += v.unwrap_or(0.0);
                    at += 1;
                }
                if name.is_empty() {
                    for (u, v) in unnamed.iter_mut().zip(&values) {
                        *u += v;
                    }
                    continue;
                }
                if name == OTHER && s.path.len() == 1 {
                    // Only the unfiltered first batch's "Other" means "everything else".
                    if bi == 0 {
                        has_other = true;
                        other = values;
                    }
                    continue;
                }
                match seen.get(name) {
                    // A value in two batches (the first batch's top-N raced a later list): keep one.
                    Some(_) => {}
                    None => {
                        seen.insert(name.to_owned(), series.len());
                        series.push(NamedSeries {
                            name: name.to_owned(),
                            values,
                            source: None,
                        });
                    }
                }
            }
        }
        let remainder = if has_other {
            let first_batch_names: std::collections::HashSet<&str> =
                batches[0].series.iter().map(|s| s.group()).collect();
            let mut rem = other;
            for s in series
                .iter()
                .filter(|s| !first_batch_names.contains(s.name.as_str()))
            {
                for (r, v) in rem.iter_mut().zip(&s.values) {
                    *r -= v;
                }
            }
            // New events between requests can make the difference slightly negative.
            rem.iter_mut().for_each(|r| *r = r.max(0.0));
            rem
        } else {
            vec![0.0; n]
        };
        let remainder = remainder.iter().zip(&unnamed).map(|(r, u)| r + u).collect();
        SeriesSet {
            buckets: times,
            interval,
            series,
            remainder,
        }
    }

    /// Adds empty series for known names that had no events, so every server is listed.
    pub fn include_names<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) {
        let n = self.buckets.len();
        for name in names {
            if name.is_empty() || self.series.iter().any(|s| s.name == name) {
                continue;
            }
            self.series.push(NamedSeries {
                name: name.to_owned(),
                values: vec![0.0; n],
                source: None,
            });
        }
    }

    /// Carries the series of `names` over from an earlier answer (`last`) whose batch failed this
    /// time: values are matched by bucket time, and taken out of the remainder (where the failed
    /// batch's events are counted), so the total stays what the server said.
    pub fn carry_over(&mut self, last: &SeriesSet, names: &[&str]) {
        let at: HashMap<i64, usize> = last
            .buckets
            .iter()
            .enumerate()
            .map(|(i, t)| (*t, i))
            .collect();
        for name in names {
            if self.series.iter().any(|s| s.name == *name) {
                continue;
            }
            let Some(old) = last.series.iter().find(|s| s.name == *name) else {
                continue;
            };
            let values: Vec<f64> = self
                .buckets
                .iter()
                .zip(self.remainder.iter_mut())
                .map(|(t, r)| {
                    let v = at.get(t).map_or(0.0, |&i| old.values[i]).min(*r);
                    *r -= v;
                    v
                })
                .collect();
            self.series.push(NamedSeries {
                name: (*name).to_owned(),
                values,
                source: None,
            });
        }
    }

    /// The buckets whose start lies in `[start, end)`.
    pub fn window(&self, start: i64, end: i64) -> SeriesSet {
        let lo = self.buckets.partition_point(|t| *t < start);
        let hi = self.buckets.partition_point(|t| *t < end);
        SeriesSet {
            buckets: self.buckets[lo..hi].to_vec(),
            interval: self.interval,
            series: self
                .series
                .iter()
                .map(|s| NamedSeries {
                    name: s.name.clone(),
                    values: s.values[lo..hi].to_vec(),
                    source: None,
                })
                .collect(),
            remainder: self.remainder[lo..hi].to_vec(),
        }
    }

    /// The sum of everything (named series and remainder).
    pub fn grand_total(&self) -> f64 {
        self.series.iter().map(NamedSeries::total).sum::<f64>() + self.remainder.iter().sum::<f64>()
    }

    /// Per-bucket totals (named series and remainder).
    pub fn bucket_totals(&self) -> Vec<f64> {
        let mut out = self.remainder.clone();
        for s in &self.series {
            for (o, v) in out.iter_mut().zip(&s.values) {
                *o += v;
            }
        }
        out
    }

    /// Aggregates series into groups (e.g. servers into clouds); `group_of` names each series'
    /// group. Groups keep first-seen order.
    pub fn regroup(&self, group_of: impl Fn(&str) -> String) -> SeriesSet {
        let mut out: Vec<NamedSeries> = Vec::new();
        let mut idx: HashMap<String, usize> = HashMap::new();
        for s in &self.series {
            let g = group_of(&s.name);
            let i = *idx.entry(g.clone()).or_insert_with(|| {
                out.push(NamedSeries {
                    name: g,
                    values: vec![0.0; self.buckets.len()],
                    source: None,
                });
                out.len() - 1
            });
            for (o, v) in out[i].values.iter_mut().zip(&s.values) {
                *o += v;
            }
        }
        SeriesSet {
            buckets: self.buckets.clone(),
            interval: self.interval,
            series: out,
            remainder: self.remainder.clone(),
        }
    }

    /// For each series: the recent rise, the sum of the last `k` buckets minus the `k` before
    /// (`k` = an eighth of the window, at least 1).
    pub fn rises(&self) -> Vec<f64> {
        let n = self.buckets.len();
        let k = (n / 8).max(1);
        self.series
            .iter()
            .map(|s| {
                let recent: f64 = s.values[n.saturating_sub(k)..].iter().sum();
                let before: f64 = s.values[n.saturating_sub(2 * k)..n.saturating_sub(k)]
                    .iter()
                    .sum();
                recent - before
            })
            .collect()
    }

    /// For each series: the sum of the last `k` buckets ("right now").
    pub fn recent(&self, k: usize) -> Vec<f64> {
        let n = self.buckets.len();
        self.series
            .iter()
            .map(|s| s.values[n.saturating_sub(k)..].iter().sum())
            .collect()
    }

    /// For each series: the start of its first non-empty bucket ("since when").
    pub fn first_seen(&self) -> Vec<Option<i64>> {
        self.series
            .iter()
            .map(|s| {
                s.values
                    .iter()
                    .position(|v| *v > 0.0)
                    .map(|i| self.buckets[i])
            })
            .collect()
    }
}

/// Merges the series of several sources onto common buckets. With more than one source, each
/// series carries its source (`NamedSeries::source`), so equal server names of different
/// sources stay apart; the name stays the server's.
pub fn merge_sources(sets: &[(String, SeriesSet)]) -> SeriesSet {
    let mut times: Vec<i64> = sets
        .iter()
        .flat_map(|(_, s)| s.buckets.iter().copied())
        .collect();
    crate::sort::sort_by(&mut times, |a, b| a.cmp(b));
    times.dedup();
    let n = times.len();
    let index: HashMap<i64, usize> = times.iter().enumerate().map(|(i, t)| (*t, i)).collect();
    let prefix = sets.len() > 1;
    let mut out = SeriesSet {
        interval: sets
            .iter()
            .map(|(_, s)| s.interval)
            .filter(|i| *i > 0)
            .min()
            .unwrap_or(0),
        buckets: times,
        series: Vec::new(),
        remainder: vec![0.0; n],
    };
    for (source, set) in sets {
        let place = |values: &[f64]| {
            let mut v = vec![0.0; n];
            for (t, x) in set.buckets.iter().zip(values) {
                v[index[t]] += x;
            }
            v
        };
        for s in &set.series {
            out.series.push(NamedSeries {
                name: s.name.clone(),
                values: place(&s.values),
                source: prefix.then(|| source.clone()),
            });
        }
        for (r, x) in out.remainder.iter_mut().zip(place(&set.remainder)) {
            *r += x;
        }
    }
    out
}

/// Rows grouped under labels (the heatmap's groups): `order` gives the rows' order within a
/// group, `label` each series' group; groups in natural order of their labels.
pub fn group_rows(
    set: &SeriesSet,
    order: &[usize],
    label: impl Fn(&NamedSeries) -> String,
) -> Vec<(String, Vec<usize>)> {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for &i in order {
        let g = label(&set.series[i]);
        match groups.iter_mut().find(|(name, _)| *name == g) {
            Some((_, rows)) => rows.push(i),
            None => groups.push((g, vec![i])),
        }
    }
    crate::sort::sort_by(&mut groups, |a, b| natural_cmp(&a.0, &b.0));
    groups
}

/// How rows and legend entries are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    Total,
    Rise,
    Name,
}

impl SortKey {
    /// Parses the URL spelling.
    pub fn parse(s: &str) -> Self {
        match s {
            "rise" => SortKey::Rise,
            "name" => SortKey::Name,
            _ => SortKey::Total,
        }
    }

    /// The URL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Total => "total",
            SortKey::Rise => "rise",
            SortKey::Name => "name",
        }
    }
}

/// Series indices in the given order (ties broken by name, so the order is stable).
pub fn sorted_indices(set: &SeriesSet, key: SortKey) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..set.series.len()).collect();
    let totals: Vec<f64> = set.series.iter().map(NamedSeries::total).collect();
    let rises = if key == SortKey::Rise {
        set.rises()
    } else {
        Vec::new()
    };
    crate::sort::sort_by(&mut idx, |&a, &b| {
        let by_name = natural_cmp(&set.series[a].name, &set.series[b].name);
        match key {
            SortKey::Name => by_name,
            SortKey::Total => totals[b].total_cmp(&totals[a]).then(by_name),
            SortKey::Rise => rises[b].total_cmp(&rises[a]).then(by_name),
        }
    });
    idx
}

/// Compares strings with digit runs as numbers (`api-2` before `api-10`).
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, _) => return std::cmp::Ordering::Less,
            (_, None) => return std::cmp::Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let nx = x.iter().take_while(|c| c.is_ascii_digit()).count();
                let ny = y.iter().take_while(|c| c.is_ascii_digit()).count();
                let (dx, dy) = (&x[..nx], &y[..ny]);
                let tx = dx.iter().skip_while(|c| **c == b'0').count();
                let ty = dy.iter().skip_while(|c| **c == b'0').count();
                let ord = tx.cmp(&ty).then_with(|| dx[nx - tx..].cmp(&dy[ny - ty..]));
                if ord != std::cmp::Ordering::Equal {
                    return ord;
                }
                x = &x[nx..];
                y = &y[ny..];
            }
            (Some(c), Some(d)) => {
                let ord = c.to_ascii_lowercase().cmp(&d.to_ascii_lowercase());
                if ord != std::cmp::Ordering::Equal {
                    return ord;
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_markers_fold_into_one_label() {
        let m = vec![
            (100, "web@2".to_string()),
            (100, "api@2".to_string()),
            (130, "worker@2".to_string()),
            (400, "api@3".to_string()),
        ];
        assert_eq!(
            merge_close(&m, 60),
            vec![(100, "api@2 +2".to_string()), (400, "api@3".to_string())]
        );
    }

    #[test]
    fn a_failed_batch_keeps_its_last_series_without_changing_the_total() {
        let last = SeriesSet {
            buckets: vec![0, 60, 120],
            interval: 60,
            series: vec![NamedSeries {
                name: "b".into(),
                values: vec![1.0, 2.0, 3.0],
                source: None,
            }],
            remainder: vec![0.0; 3],
        };
        let mut now = SeriesSet {
            buckets: vec![60, 120, 180],
            interval: 60,
            series: vec![NamedSeries {
                name: "a".into(),
                values: vec![5.0, 5.0, 5.0],
                source: None,
            }],
            remainder: vec![2.0, 1.0, 4.0],
        };
        let before = now.grand_total();
        now.carry_over(&last, &["b", "c"]);
        assert_eq!(now.series.len(), 2);
        assert_eq!(now.series[1].values, vec![2.0, 1.0, 0.0]);
        assert_eq!(now.remainder, vec![0.0, 0.0, 4.0]);
        assert_eq!(now.grand_total(), before);
    }

    fn batch(json: &str) -> StatsResponse {
        StatsResponse::parse(json).unwrap()
    }

    #[test]
    fn batches_merge_and_remainder_adds_up() {
        // Batch 1: top 2 of 4 servers + Other (servers c, d and one event with no server).
        let b1 = batch(
            r#"{"a":{"order":0,"data":[[0,[{"count":5}]],[60,[{"count":1}]]]},
                           "b":{"order":1,"data":[[0,[{"count":2}]],[60,[{"count":2}]]]},
                           "Other":{"order":2,"data":[[0,[{"count":4}]],[60,[{"count":3}]]]}}"#,
        );
        let b2 = batch(
            r#"{"c":{"order":0,"data":[[0,[{"count":3}]],[60,[{"count":1}]]]},
                           "d":{"order":1,"data":[[0,[{"count":0}]],[60,[{"count":1}]]]}}"#,
        );
        let set = SeriesSet::from_batches(&[b1, b2]);
        let names: Vec<_> = set.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c", "d"]);
        assert_eq!(set.remainder, vec![1.0, 1.0]);
        assert_eq!(set.grand_total(), 5.0 + 1.0 + 2.0 + 2.0 + 4.0 + 3.0);
        assert_eq!(set.interval, 60);
    }

    #[test]
    fn series_on_different_times_line_up() {
        // "b" misses a bucket and has one "a" lacks; "c" comes out of order with a repeat.
        let b1 = batch(
            r#"{"a":{"order":0,"data":[[0,[{"count":1}]],[60,[{"count":2}]],[120,[{"count":3}]]]},
                "b":{"order":1,"data":[[60,[{"count":4}]],[180,[{"count":5}]]]},
                "c":{"order":2,"data":[[120,[{"count":6}]],[0,[{"count":7}]],[0,[{"count":1}]]]}}"#,
        );
        let set = SeriesSet::from_batches(&[b1]);
        assert_eq!(set.buckets, vec![0, 60, 120, 180]);
        let values: Vec<_> = set.series.iter().map(|s| s.values.clone()).collect();
        assert_eq!(
            values,
            [
                vec![1.0, 2.0, 3.0, 0.0],
                vec![0.0, 4.0, 0.0, 5.0],
                vec![8.0, 0.0, 6.0, 0.0]
            ]
        );
    }

    #[test]
    fn events_without_the_tag_are_remainder() {
        let b1 = batch(
            r#"{"":{"order":0,"data":[[0,[{"count":4}]]]},"a":{"order":1,"data":[[0,[{"count":1}]]]},"Other":{"order":2,"data":[[0,[{"count":2}]]]}}"#,
        );
        let b2 = batch(r#"{"b":{"order":0,"data":[[0,[{"count":2}]]]}}"#);
        let set = SeriesSet::from_batches(&[b1, b2]);
        assert_eq!(
            set.series
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(set.remainder, vec![4.0]);
        assert_eq!(set.grand_total(), 7.0);
    }

    #[test]
    fn a_later_other_is_not_a_remainder() {
        let b1 = batch(r#"{"a":{"order":0,"data":[[0,[{"count":1}]]]}}"#);
        let b2 = batch(
            r#"{"b":{"order":0,"data":[[0,[{"count":1}]]]},"Other":{"order":1,"data":[[0,[{"count":9}]]]}}"#,
        );
        let set = SeriesSet::from_batches(&[b1, b2]);
        assert_eq!(set.remainder, vec![0.0]);
        assert_eq!(set.series.len(), 2);
    }

    #[test]
    fn remainder_never_negative() {
        let b1 = batch(
            r#"{"a":{"order":0,"data":[[0,[{"count":1}]]]},"Other":{"order":1,"data":[[0,[{"count":1}]]]}}"#,
        );
        let b2 = batch(r#"{"b":{"order":0,"data":[[0,[{"count":3}]]]}}"#);
        assert_eq!(SeriesSet::from_batches(&[b1, b2]).remainder, vec![0.0]);
    }

    #[test]
    fn window_regroup_and_sorting() {
        let mut set = synthetic(3, 10, 1);
        set.include_names(["srv-9", "srv-1"]);
        assert_eq!(set.series.len(), 4);
        let w = set.window(1_700_000_000 + 120, 1_700_000_000 + 300);
        assert_eq!(w.buckets.len(), 3);
        let g = set.regroup(|n| if n == "srv-0" { "x".into() } else { "y".into() });
        assert_eq!(g.series.len(), 2);
        assert_eq!(g.grand_total(), set.grand_total());
        let by_name = sorted_indices(&set, SortKey::Name);
        let names: Vec<_> = by_name
            .iter()
            .map(|&i| set.series[i].name.as_str())
            .collect();
        assert_eq!(names, ["srv-0", "srv-1", "srv-2", "srv-9"]);
        let by_total = sorted_indices(&set, SortKey::Total);
        let t: Vec<f64> = by_total.iter().map(|&i| set.series[i].total()).collect();
        assert!(t.windows(2).all(|w| w[0] >= w[1]));
    }

    #[test]
    fn chart_data_reduces_to_columns_and_keeps_totals() {
        let set = synthetic(200, 1440, 7);
        let order = sorted_indices(&set, SortKey::Total);
        let data = chart_data(&set, &order, 1000);
        assert!(data.columns.len() <= 1000);
        assert_eq!(data.column_secs, 120);
        let top_sum: f64 = data.tops.last().unwrap().iter().map(|v| *v as f64).sum();
        assert!((top_sum - set.grand_total()).abs() < 1.0);
        assert!(data.layers.len() <= 200);
    }

    #[test]
    fn breakpoints_drop_flat_runs() {
        assert_eq!(
            line_breakpoints(&[0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0]),
            vec![0, 2, 3, 5, 6]
        );
        assert_eq!(line_breakpoints(&[2.0]), vec![0]);
    }

    #[test]
    fn sources_merge_with_prefixes() {
        let a = SeriesSet {
            buckets: vec![0, 60],
            interval: 60,
            series: vec![NamedSeries {
                name: "web-1".into(),
                values: vec![1.0, 2.0],
                source: None,
            }],
            remainder: vec![0.0, 1.0],
        };
        let b = SeriesSet {
            buckets: vec![60, 120],
            interval: 60,
            series: vec![NamedSeries {
                name: "web-1".into(),
                values: vec![5.0, 6.0],
                source: None,
            }],
            remainder: vec![0.0, 0.0],
        };
        let m = merge_sources(&[("A".into(), a.clone()), ("B".into(), b)]);
        assert_eq!(m.buckets, vec![0, 60, 120]);
        assert_eq!(
            m.series.iter().map(|s| s.label()).collect::<Vec<_>>(),
            ["A · web-1", "B · web-1"]
        );
        assert_eq!(m.series[1].name, "web-1");
        assert_ne!(m.series[0].key(), m.series[1].key());
        assert_eq!(m.series[1].values, vec![0.0, 5.0, 6.0]);
        assert_eq!(m.grand_total(), 15.0);
        let one = merge_sources(&[("A".into(), a)]);
        assert_eq!(
            (one.series[0].label(), one.series[0].source.clone()),
            ("web-1".into(), None)
        );
    }

    #[test]
    fn one_series_from_points() {
        let (set, window) =
            SeriesSet::single("PROJ-1", &[(0, 1.0), (3600, 4.0), (7200, 0.0)]).unwrap();
        assert_eq!((set.interval, window), (3600, (0, 10_800)));
        assert_eq!(set.grand_total(), 5.0);
        assert_eq!(set.series[0].name, "PROJ-1");
        let (one, w) = SeriesSet::single("x", &[(60, 2.0)]).unwrap();
        assert_eq!((one.interval, w), (3600, (60, 3660)));
        assert!(SeriesSet::single("x", &[]).is_none());
    }

    #[test]
    fn natural_order() {
        let mut v = vec!["api-10", "api-2", "Api-1", "api-02b"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["Api-1", "api-2", "api-02b", "api-10"]);
    }

    #[test]
    fn heatmap_is_log_scaled() {
        let set = synthetic(5, 50, 3);
        let order = sorted_indices(&set, SortKey::Total);
        let (cols, rows, lo, max) = heatmap(&set, &order, 25, Merge::Sum);
        assert_eq!(lo, 0.0);
        assert!(max > 0.0);
        assert!((heat_events(1.0, max) - max).abs() < 1e-3);
        assert_eq!(heat_events(0.0, max), 0.0);
        assert_eq!(cols.len(), 25);
        let max = rows
            .iter()
            .flat_map(|r| r.cells.iter())
            .copied()
            .fold(0f32, f32::max);
        assert!((max - 1.0).abs() < 1e-6);
        // Merged by the worst bucket: a column is never more than its largest bucket.
        let (_, rows, lo, worst) = heatmap(&set, &order, 25, Merge::Max);
        let cells = || rows.iter().flat_map(|r| r.cells.iter().copied());
        assert!(lo > 0.0 && lo < worst);
        assert!(cells().all(|c| c == 0.0 || (1e-3..=1.0).contains(&c)));
        assert!(cells().any(|c| c == 1.0));
        let largest = set
            .series
            .iter()
            .flat_map(|s| s.values.iter())
            .copied()
            .fold(0f64, f64::max);
        assert_eq!(f64::from(worst), largest);
    }
}

#[cfg(test)]
mod edge_tests {
    use super::*;

    fn set() -> SeriesSet {
        let s = |name: &str, values: &[f64]| NamedSeries {
            name: name.into(),
            values: values.to_vec(),
            source: None,
        };
        SeriesSet {
            buckets: (0..8).map(|i| i * 60).collect(),
            interval: 60,
            series: vec![
                // Busy all day, quiet now.
                s("a", &[9.0, 9.0, 9.0, 9.0, 9.0, 9.0, 9.0, 0.0]),
                s("b", &[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 5.0]),
                s("c", &[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0]),
                s("d", &[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0]),
            ],
            remainder: vec![1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0],
        }
    }

    #[test]
    fn the_busiest_now_are_named_and_the_rest_summed() {
        let set = set();
        let order = sorted_indices(&set, SortKey::Total);
        let data = chart_data(&set, &order, 100);
        let (labels, since) = edge_labels(&set, &data, true, 2);
        assert_eq!(since, Some(7 * 60));
        let named: Vec<&str> = labels
            .iter()
            .filter_map(|l| l.layer)
            .map(|l| set.series[data.layers[l].unwrap()].name.as_str())
            .collect();
        // b leads now; c and d tie on 2, c has more over the window.
        assert_eq!(named, ["b", "c"]);
        let others = labels.last().unwrap();
        assert_eq!(others.layer, None);
        assert_eq!(others.servers, 2, "a and d");
        assert_eq!(others.total, 63.0 + 2.0 + 2.0, "a, d and the remainder");
        assert_eq!(others.recent, 3.0);
        // The others sit at the top of the stack; b at its band's middle.
        assert_eq!(others.at, 10.0);
        let b = &labels[0];
        let l = b.layer.unwrap();
        assert_eq!(b.at, data.tops[l][7] - 2.5);
        // Lines: no others label, each at its own value.
        let (lines, _) = edge_labels(&set, &data, false, 2);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].at, 5.0);
    }

    #[test]
    fn labels_spread_apart_and_stay_inside() {
        let p = spread(&[50.0, 52.0, 51.0, 200.0], 10.0, 0.0, 100.0);
        let mut sorted = p.clone();
        sorted.sort_by(f64::total_cmp);
        for w in sorted.windows(2) {
            assert!(w[1] - w[0] >= 10.0 - 1e-9, "{p:?}");
        }
        assert!(p.iter().all(|x| (0.0..=90.0).contains(x)), "{p:?}");
        // Order kept: 50 above 51 above 52.
        assert!(p[0] < p[2] && p[2] < p[1]);
        assert_eq!(spread(&[20.0], 10.0, 0.0, 100.0), [20.0]);
    }
}
