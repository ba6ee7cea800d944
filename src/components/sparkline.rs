//! A small SVG sparkline (one path: cheap even for a 100-row list).

use leptos::prelude::*;

/// The most points a sparkline draws: a server can send any number of buckets, and one path per
/// row must stay cheap. Longer series are reduced to the maximum of each group (spikes stay).
pub const MAX_POINTS: usize = 120;

/// A sparkline's box. Integers: they are written into every row's SVG, and a float's `Display`
/// (shortest round-trip digits) was a twentieth of a 100-row list's render.
const W: u32 = 120;
const H: u32 = 28;

/// The SVG path of values scaled into `w`×`h`.
pub fn path(values: &[f64], w: f64, h: f64) -> String {
    if values.is_empty() {
        return String::new();
    }
    let reduced: Vec<f64>;
    let values = if values.len() > MAX_POINTS {
        let per = values.len().div_ceil(MAX_POINTS);
        reduced = values
            .chunks(per)
            .map(|c| c.iter().copied().fold(0.0, f64::max))
            .collect();
        &reduced[..]
    } else {
        values
    };
    let max = values.iter().copied().fold(0.0, f64::max).max(1.0);
    let step = if values.len() > 1 {
        w / (values.len() - 1) as f64
    } else {
        0.0
    };
    let mut d = String::with_capacity(values.len() * 12);
    for (i, v) in values.iter().enumerate() {
        let x = i as f64 * step;
        let y = h - (v / max) * (h - 1.0);
        d.push(if i == 0 { 'M' } else { 'L' });
        push_tenths(&mut d, x);
        d.push(',');
        push_tenths(&mut d, y);
    }
    d
}

/// Writes `v` rounded to one decimal (`12.3`, `-0.5`, `4.0`). Integer formatting: `{:.1}` goes
/// through core's exact float printing (big-number arithmetic), which was a tenth of a 100-row
/// list's render.
fn push_tenths(d: &mut String, v: f64) {
    use std::fmt::Write;
    let t = (v * 10.0).round() as i64;
    if t < 0 {
        d.push('-');
    }
    let t = t.unsigned_abs();
    let _ = write!(d, "{}.{}", t / 10, t % 10);
}

/// A sparkline of bucket counts.
#[component]
pub fn Sparkline(values: Vec<f64>, #[prop(optional)] label: String) -> impl IntoView {
    let (w, h) = (W, H);
    let (area, d) = paths(&values);
    view! {
        <svg class="spark" viewBox=format!("0 0 {w} {h}") preserveAspectRatio="none" role="img" aria-label=label>
            <path class="spark-area" d=area />
            <path class="spark-line" d=d />
        </svg>
    }
}

/// The area's and the line's paths of a sparkline of `values` in its box.
pub fn paths(values: &[f64]) -> (String, String) {
    let (w, ht) = (W, H);
    let d = path(values, f64::from(w), f64::from(ht));
    let area = if d.is_empty() {
        String::new()
    } else {
        format!("{d}L{w},{ht}L0,{ht}Z")
    };
    (area, d)
}

/// A sparkline for the DOM builder.
pub fn svg(values: &[f64]) -> super::dom::H {
    use super::dom::h;
    let (w, ht) = (W, H);
    let (area, d) = paths(values);
    h("svg")
        .class("spark")
        .attr("viewBox", format!("0 0 {w} {ht}"))
        .attr("preserveAspectRatio", "none")
        .child(h("path").class("spark-area").attr("d", area))
        .child(h("path").class("spark-line").attr("d", d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenths(v: f64) -> String {
        let mut s = String::new();
        push_tenths(&mut s, v);
        s
    }

    #[test]
    fn tenths_are_the_value_to_one_decimal() {
        for v in [0.0, 4.0, 12.34, 12.36, 27.0, 119.95, 0.04, 1e6 + 0.27] {
            assert_eq!(tenths(v), format!("{v:.1}"), "{v}");
        }
        assert_eq!(tenths(-0.5), "-0.5");
        assert_eq!(tenths(-2.26), "-2.3");
    }

    #[test]
    fn the_path_spans_the_box() {
        assert_eq!(
            path(&[0.0, 2.0, 1.0], 120.0, 28.0),
            "M0.0,28.0L60.0,1.0L120.0,14.5"
        );
        assert_eq!(path(&[], 120.0, 28.0), "");
    }
}
