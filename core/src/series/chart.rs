//! From series to what is drawn: stacked layers and line breakpoints reduced to the canvas width, the heatmap's rows, and a synthetic fleet for benchmarks.

use super::*;

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

/// How buckets merged into one heatmap column combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Merge {
    /// Counts add up (events).
    #[default]
    Sum,
    /// The worst bucket stands for the column (a p95 of merged buckets is not their sum).
    Max,
}

/// Heatmap rows in `order`, reduced to at most `max_columns` columns, with the scale's bottom
/// and top. Counts ([`Merge::Sum`]) run from 0 to the largest cell (intensity
/// `ln(1 + n) / ln(1 + max)`); durations ([`Merge::Max`]) from the fastest cell to the slowest
/// (`ln(v / lo) / ln(max / lo)`: 100 ms and 10 s are far apart, 0 is not a duration).
pub fn heatmap(
    set: &SeriesSet,
    order: &[usize],
    max_columns: usize,
    merge: Merge,
) -> (Vec<i64>, Vec<HeatRow>, f32, f32) {
    let data = chart_data_all(set, order, max_columns, merge);
    let cells = || data.1.iter().flat_map(|r| r.iter()).copied();
    let max = cells().fold(0f32, f32::max);
    let lo = match merge {
        Merge::Sum => 0.0,
        Merge::Max => cells().filter(|v| *v > 0.0).fold(max, f32::min),
    };
    let intensity = |v: f32| -> f32 {
        match merge {
            Merge::Sum if max > 0.0 => (1.0 + v).ln() / (1.0 + max).ln(),
            // The fastest cell still shows (0 is the background).
            Merge::Max if v > 0.0 && max > lo => ((v / lo).ln() / (max / lo).ln()).max(1e-3),
            Merge::Max if v > 0.0 => 1.0,
            _ => 0.0,
        }
    };
    let rows = order
        .iter()
        .zip(&data.1)
        .map(|(&i, cols)| HeatRow {
            series: i,
            cells: cols.iter().map(|v| intensity(*v)).collect(),
            total: set.series[i].total(),
        })
        .collect();
    (data.0, rows, lo, max)
}

/// The events a cell of intensity `x` holds (the inverse of the heatmap's log scale).
pub fn heat_events(x: f32, max: f32) -> f32 {
    (1.0 + max).powf(x) - 1.0
}

/// Like [`chart_data`] but keeps every series in `order`, including empty ones; merged buckets
/// combine by `merge`.
pub fn chart_data_all(
    set: &SeriesSet,
    order: &[usize],
    max_columns: usize,
    merge: Merge,
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
                let cell = &mut out[j / per];
                match merge {
                    Merge::Sum => *cell += *v as f32,
                    Merge::Max => *cell = cell.max(*v as f32),
                }
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
            source: None,
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
    crate::sort::sort_by(&mut sorted, |a, b| {
        a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1))
    });
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

/// A name written at a chart's right edge, next to its band.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeLabel {
    /// The layer (an index into [`ChartData::layers`]) it names; `None` for all the others together.
    pub layer: Option<usize>,
    /// How many servers it stands for: 1, or how many others.
    pub servers: usize,
    /// Its events over the window.
    pub total: f64,
    /// Its events in the recent part the ranking is by.
    pub recent: f64,
    /// Where its band is at the right edge, in chart values (the band's middle when stacked).
    pub at: f32,
}

/// Labels for the right edge of a chart: the `k` series with the most events right now (the last
/// eighth of the window, as [`SeriesSet::rises`] reads "now") get one each, biggest first; every
/// other layer, the remainder included, is summed into one more label (stacked charts only).
/// Also returns the time the recent part starts at.
pub fn edge_labels(
    set: &SeriesSet,
    data: &ChartData,
    stacked: bool,
    k: usize,
) -> (Vec<EdgeLabel>, Option<i64>) {
    let n = set.buckets.len();
    let Some(last) = data.columns.len().checked_sub(1) else {
        return (Vec::new(), None);
    };
    let back = (n / 8).max(1);
    let recent = set.recent(back);
    let since = set.buckets.get(n.saturating_sub(back)).copied();
    let mut ranked: Vec<usize> = (0..data.layers.len())
        .filter(|&l| data.layers[l].is_some_and(|s| recent[s] > 0.0))
        .collect();
    crate::sort::sort_by(&mut ranked, |&a, &b| {
        let (sa, sb) = (data.layers[a].unwrap_or(0), data.layers[b].unwrap_or(0));
        recent[sb]
            .total_cmp(&recent[sa])
            .then(set.series[sb].total().total_cmp(&set.series[sa].total()))
            .then_with(|| natural_cmp(&set.series[sa].name, &set.series[sb].name))
    });
    ranked.truncate(k);
    let at = |l: usize| {
        let v = data.values[l][last];
        if stacked {
            data.tops[l][last] - v / 2.0
        } else {
            v
        }
    };
    let mut out: Vec<EdgeLabel> = ranked
        .iter()
        .map(|&l| {
            let s = data.layers[l].unwrap_or(0);
            EdgeLabel {
                layer: Some(l),
                servers: 1,
                total: set.series[s].total(),
                recent: recent[s],
                at: at(l),
            }
        })
        .collect();
    if stacked {
        let rest: Vec<usize> = (0..data.layers.len())
            .filter(|l| !ranked.contains(l))
            .collect();
        let total: f64 = rest
            .iter()
            .map(|&l| match data.layers[l] {
                Some(s) => set.series[s].total(),
                None => set.remainder.iter().sum(),
            })
            .sum();
        if total > 0.0 {
            out.push(EdgeLabel {
                layer: None,
                servers: rest.iter().filter(|&&l| data.layers[l].is_some()).count(),
                total,
                recent: rest
                    .iter()
                    .map(|&l| match data.layers[l] {
                        Some(s) => recent[s],
                        None => set.remainder[n.saturating_sub(back)..].iter().sum(),
                    })
                    .sum(),
                at: data.tops.last().map_or(0.0, |t| t[last]),
            });
        }
    }
    (out, since)
}

/// Positions for labels that want to sit at `targets` (pixels, any order) without overlapping:
/// each at least `gap` from the next, all inside `lo..=hi - gap`, order kept.
pub fn spread(targets: &[f64], gap: f64, lo: f64, hi: f64) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..targets.len()).collect();
    crate::sort::sort_by(&mut idx, |&a, &b| targets[a].total_cmp(&targets[b]));
    let mut pos = vec![0.0; targets.len()];
    let mut prev = f64::NEG_INFINITY;
    for &i in &idx {
        let p = targets[i].max(prev + gap).max(lo);
        pos[i] = p;
        prev = p;
    }
    let mut next = f64::INFINITY;
    for &i in idx.iter().rev() {
        let p = pos[i].min(next - gap).min(hi - gap);
        pos[i] = p;
        next = p;
    }
    pos
}
