//! What the waterfall draws of a laid-out trace: bars on the time axis, the rows in view (only those are in the DOM), colours per service, axis ticks; and a synthetic trace for benchmarks.

use super::*;

/// Where a bar sits in a view `[view_start, view_end]`: `(left, width)` as fractions `0..=1`;
/// `None` when the span is outside the view. Bars are at least `min_width` wide.
pub fn bar(span: &TraceSpan, view_start: f64, view_end: f64, min_width: f64) -> Option<(f64, f64)> {
    let len = view_end - view_start;
    if len <= 0.0 || span.end < view_start || span.start > view_end {
        return None;
    }
    let left = ((span.start - view_start) / len).clamp(0.0, 1.0);
    let right = ((span.end - view_start) / len).clamp(0.0, 1.0);
    Some((left.min(1.0 - min_width), (right - left).max(min_width)))
}

/// The rows to put in the DOM for a scroll position: `[first, last)` with `overscan` rows on
/// each side.
pub fn row_window(
    scroll_top: f64,
    viewport: f64,
    row_height: f64,
    rows: usize,
    overscan: usize,
) -> (usize, usize) {
    if rows == 0 || row_height <= 0.0 {
        return (0, 0);
    }
    let first = (scroll_top.max(0.0) / row_height).floor() as usize;
    let count = (viewport.max(0.0) / row_height).ceil() as usize + 1;
    let lo = first.saturating_sub(overscan).min(rows);
    let hi = (first + count + overscan).min(rows);
    (lo, hi)
}

/// A stable palette slot for a name (same project, same colour, on every load).
pub fn palette_slot(name: &str, slots: usize) -> usize {
    let mut h: u32 = 2_166_136_261;
    for b in name.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(16_777_619);
    }
    (h as usize) % slots.max(1)
}

/// A synthetic trace of `n` spans (for tests and benchmarks): a few transactions across
/// services, each with nested spans, a handful of errors.
pub fn synthetic_trace(n: usize) -> Trace {
    let mut spans = Vec::with_capacity(n);
    let t0 = 1_700_000_000.0;
    for i in 0..n {
        let parent = if i == 0 {
            None
        } else {
            Some(format!("{:016x}", (i - 1) / 4))
        };
        let depth = (i as f64 + 1.0).log(4.0).floor();
        let start = t0 + (i as f64) * 0.0005 + depth * 0.001;
        spans.push(TraceSpan {
            id: format!("{i:016x}"),
            parent_id: parent,
            op: ["http.server", "db", "cache.get", "http.client"][i % 4].into(),
            description: format!("span {i}"),
            project: ["web", "gateway", "api"][i % 3].into(),
            server: Some(format!("aws-apne2-api-{}", i % 12 + 1)),
            is_transaction: i % 500 == 0,
            start,
            end: start + 0.002 + (i % 7) as f64 * 0.001,
            errors: if i % 997 == 0 {
                vec![SpanError {
                    event_id: format!("e{i}"),
                    title: "boom".into(),
                    level: "error".into(),
                    ..Default::default()
                }]
            } else {
                Vec::new()
            },
            ..Default::default()
        });
    }
    Trace::from_spans(spans, Vec::new())
}

/// Axis ticks for a trace from `start` to `end` (seconds): at most nine round steps (1, 2 or 5
/// × a power of ten), each as (fraction of the width, label).
pub fn ticks(start: f64, end: f64) -> Vec<(f64, String)> {
    let len = (end - start).max(1e-6);
    let raw = len / 8.0;
    let p = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|s| *s >= raw)
        .unwrap_or(p * 10.0);
    (0..=8)
        .map(|i| i as f64 * step)
        // A step that lands on the end by floating point (8 × 0.1) is still on the axis.
        .filter(|o| *o <= len * (1.0 + 1e-9))
        .map(|o| ((o / len).min(1.0), crate::format::duration_ms(o * 1000.0)))
        .collect()
}
