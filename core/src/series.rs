//! Per-server (or per-group) time series: merging `events-stats` batches, the remainder that keeps
//! the sum equal to the total, windows, regrouping, and the reduction to drawable chart data.

use crate::model::stats::StatsResponse;
use std::collections::HashMap;

/// The name of the series holding what no named series covers.
pub const OTHER: &str = "Other";

/// One named series on the common buckets.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedSeries {
    pub name: String,
    pub values: Vec<f64>,
}

impl NamedSeries {
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
    /// Merges `events-stats` batches.
    ///
    /// The first batch may be an unfiltered `topEvents` query: its named series are the top
    /// values, and its `Other` series holds everything else. Later batches are filtered to further
    /// values (`server_name:[…]`); what they hold is subtracted from `Other`, and what is left is
    /// the remainder — so named series plus remainder always add up to the total.
    pub fn from_batches(batches: &[StatsResponse]) -> SeriesSet {
        let mut times: Vec<i64> = batches
            .iter()
            .flat_map(|b| b.series.iter())
            .flat_map(|s| s.points.iter().map(|p| p.0))
            .collect();
        crate::sort::sort_by(&mut times, |a, b| a.cmp(b));
        times.dedup();
        let index: HashMap<i64, usize> = times.iter().enumerate().map(|(i, t)| (*t, i)).collect();
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
                for (t, v) in &s.points {
                    values[index[t]] += v.unwrap_or(0.0);
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

/// Merges the series of several sources onto common buckets. With more than one source, names
/// are prefixed `source · name` so equal server names of different sources stay apart.
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
            let name = if prefix {
                format!("{source} · {}", s.name)
            } else {
                s.name.clone()
            };
            out.series.push(NamedSeries {
                name,
                values: place(&s.values),
            });
        }
        for (r, x) in out.remainder.iter_mut().zip(place(&set.remainder)) {
            *r += x;
        }
    }
    out
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

/// What a chart draws: at most one value per pixel column, layers stacked bottom to top.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChartData {
    /// Start time of each column (epoch seconds).
    pub columns: Vec<i64>,
    /// Seconds one column covers (a multiple of the bucket interval).
    pub column_secs: i64,
    /// Series index of each layer, bottom first; `None` is the remainder.
    pub layers: Vec<Option<usize>>,
    /// Per layer, per column: the value (not cumulative).
    pub values: Vec<Vec<f32>>,
    /// Per layer, per column: the top of the layer when stacked (cumulative).
    pub tops: Vec<Vec<f32>>,
    /// The largest value to scale to (stack top when stacked, else the largest single value).
    pub max: f32,
}

/// Reduces a series set to at most `max_columns` columns (summing merged buckets, so a column
/// holds the count of its whole time span) and stacks the layers in `order` (from
/// [`sorted_indices`]; the biggest first means biggest at the bottom), remainder on top.
/// Layers that are zero everywhere are left out.
pub fn chart_data(set: &SeriesSet, order: &[usize], max_columns: usize) -> ChartData {
    let n = set.buckets.len();
    if n == 0 || max_columns == 0 {
        return ChartData::default();
    }
    let per = n.div_ceil(max_columns);
    let cols = n.div_ceil(per);
    let columns: Vec<i64> = (0..cols).map(|c| set.buckets[c * per]).collect();

    let reduce = |values: &[f64]| -> Vec<f32> {
        let mut out = vec![0f32; cols];
        for (i, v) in values.iter().enumerate() {
            out[i / per] += *v as f32;
        }
        out
    };

    let mut layers = Vec::with_capacity(order.len() + 1);
    let mut values = Vec::with_capacity(order.len() + 1);
    for &i in order {
        let v = reduce(&set.series[i].values);
        if v.iter().any(|x| *x > 0.0) {
            layers.push(Some(i));
            values.push(v);
        }
    }
    let rem = reduce(&set.remainder);
    if rem.iter().any(|x| *x > 0.0) {
        layers.push(None);
        values.push(rem);
    }

    let mut tops = Vec::with_capacity(values.len());
    let mut running = vec![0f32; cols];
    let mut single_max = 0f32;
    for v in &values {
        for (r, x) in running.iter_mut().zip(v) {
            *r += x;
            single_max = single_max.max(*x);
        }
        tops.push(running.clone());
    }
    let stack_max = running.iter().copied().fold(0f32, f32::max);
    ChartData {
        columns,
        column_secs: set.interval * per as i64,
        layers,
        values,
        tops,
        max: stack_max.max(single_max),
    }
}

/// Indices of the points of a polyline worth drawing: the first and last, and every point where
/// the value changes (inner points of flat runs are dropped — they draw nothing new).
pub fn line_breakpoints(values: &[f32]) -> Vec<usize> {
    let n = values.len();
    let mut out = Vec::with_capacity(n.min(64));
    for i in 0..n {
        let flat = i > 0 && i + 1 < n && values[i - 1] == values[i] && values[i] == values[i + 1];
        if !flat {
            out.push(i);
        }
    }
    out
}

/// One heatmap row: a series' columns as intensities `0..=1` (log scale against the global
/// maximum, so one hot server does not wash out the rest).
#[derive(Debug, Clone, PartialEq)]
pub struct HeatRow {
    pub series: usize,
    pub cells: Vec<f32>,
    pub total: f64,
}

/// Heatmap rows in `order`, reduced to at most `max_columns` columns.
pub fn heatmap(set: &SeriesSet, order: &[usize], max_columns: usize) -> (Vec<i64>, Vec<HeatRow>) {
    let data = chart_data_all(set, order, max_columns);
    let max = data
        .1
        .iter()
        .flat_map(|r| r.iter())
        .copied()
        .fold(0f32, f32::max);
    let scale = (1.0 + max).ln();
    let rows = order
        .iter()
        .zip(data.1)
        .map(|(&i, cols)| HeatRow {
            series: i,
            cells: cols
                .iter()
                .map(|v| {
                    if scale > 0.0 {
                        (1.0 + v).ln() / scale
                    } else {
                        0.0
                    }
                })
                .collect(),
            total: set.series[i].total(),
        })
        .collect();
    (data.0, rows)
}

/// Like [`chart_data`] but keeps every series in `order`, including empty ones.
fn chart_data_all(
    set: &SeriesSet,
    order: &[usize],
    max_columns: usize,
) -> (Vec<i64>, Vec<Vec<f32>>) {
    let n = set.buckets.len();
    if n == 0 || max_columns == 0 {
        return (Vec::new(), order.iter().map(|_| Vec::new()).collect());
    }
    let per = n.div_ceil(max_columns);
    let cols = n.div_ceil(per);
    let columns = (0..cols).map(|c| set.buckets[c * per]).collect();
    let rows = order
        .iter()
        .map(|&i| {
            let mut out = vec![0f32; cols];
            for (j, v) in set.series[i].values.iter().enumerate() {
                out[j / per] += *v as f32;
            }
            out
        })
        .collect();
    (columns, rows)
}

/// A synthetic fleet for tests and benchmarks: `servers` series of `buckets` buckets.
pub fn synthetic(servers: usize, buckets: usize, seed: u64) -> SeriesSet {
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as f64 / (1u64 << 31) as f64
    };
    let series = (0..servers)
        .map(|s| NamedSeries {
            name: format!("srv-{s}"),
            values: (0..buckets)
                .map(|_| {
                    let r = next();
                    if r < 0.6 {
                        0.0
                    } else {
                        (r * 20.0).floor()
                    }
                })
                .collect(),
        })
        .collect();
    SeriesSet {
        buckets: (0..buckets as i64)
            .map(|i| 1_700_000_000 + i * 60)
            .collect(),
        interval: 60,
        series,
        remainder: vec![0.0; buckets],
    }
}

/// Markers (time, label) closer than `min_gap` to the one before are folded into it: the first
/// label of a run is kept with "+N" for the others, so labels drawn at the top never overlap.
pub fn merge_close(markers: &[(i64, String)], min_gap: i64) -> Vec<(i64, String)> {
    let mut sorted: Vec<&(i64, String)> = markers.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    let mut out: Vec<(i64, String, usize)> = Vec::new();
    for (t, label) in sorted {
        match out.last_mut() {
            Some(last) if t - last.0 < min_gap => last.2 += 1,
            _ => out.push((*t, label.clone(), 0)),
        }
    }
    out.into_iter()
        .map(|(t, l, more)| {
            if more > 0 {
                (t, format!("{l} +{more}"))
            } else {
                (t, l)
            }
        })
        .collect()
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
            }],
            remainder: vec![0.0; 3],
        };
        let mut now = SeriesSet {
            buckets: vec![60, 120, 180],
            interval: 60,
            series: vec![NamedSeries {
                name: "a".into(),
                values: vec![5.0, 5.0, 5.0],
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
            }],
            remainder: vec![0.0, 1.0],
        };
        let b = SeriesSet {
            buckets: vec![60, 120],
            interval: 60,
            series: vec![NamedSeries {
                name: "web-1".into(),
                values: vec![5.0, 6.0],
            }],
            remainder: vec![0.0, 0.0],
        };
        let m = merge_sources(&[("A".into(), a.clone()), ("B".into(), b)]);
        assert_eq!(m.buckets, vec![0, 60, 120]);
        assert_eq!(
            m.series.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
            ["A · web-1", "B · web-1"]
        );
        assert_eq!(m.series[1].values, vec![0.0, 5.0, 6.0]);
        assert_eq!(m.grand_total(), 15.0);
        assert_eq!(merge_sources(&[("A".into(), a)]).series[0].name, "web-1");
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
        let (cols, rows) = heatmap(&set, &order, 25);
        assert_eq!(cols.len(), 25);
        let max = rows
            .iter()
            .flat_map(|r| r.cells.iter())
            .copied()
            .fold(0f32, f32::max);
        assert!((max - 1.0).abs() < 1e-6);
    }
}
