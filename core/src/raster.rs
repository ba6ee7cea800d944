//! Rasterises chart layers straight into RGBA pixels.
//!
//! A chart of 200 servers has 200 layers of up to one value per pixel column; drawing them as
//! canvas paths costs one browser call per point (≈300,000 calls, ~50 ms). Filling the pixel
//! columns here and handing the browser one image costs a few milliseconds, and looks the same:
//! a layer cannot show more than one value per pixel column anyway.

/// An RGB colour.
pub type Rgb = (u8, u8, u8);

/// What to rasterise: layers sampled at column centres, mapped onto a `width`×`height` pixel area.
pub struct Raster<'a> {
    /// Per layer, per column: the value to draw (the cumulative top when stacked).
    pub layers: &'a [Vec<f32>],
    /// Colour of each layer (grey when missing).
    pub colors: &'a [Rgb],
    /// Stacked areas (each layer filled down to the one below) or lines.
    pub stacked: bool,
    /// Opacity of the fill, 0–255.
    pub alpha: u8,
    /// Line thickness in pixels (lines only).
    pub line_px: usize,
    /// The fractional column (0 = centre of the first column) at the centre of pixel column 0.
    pub col_at_x0: f64,
    /// Columns per pixel column.
    pub col_per_px: f64,
    pub width: usize,
    pub height: usize,
    /// The value at the top edge.
    pub y_max: f32,
}

/// The value of `v` at fractional column `f`, linear between column centres (`None` outside).
fn sample(v: &[f32], f: f64) -> Option<f32> {
    if v.is_empty() || f < 0.0 || f > (v.len() - 1) as f64 {
        return None;
    }
    let i = f.floor() as usize;
    let frac = (f - i as f64) as f32;
    let a = v[i];
    let b = *v.get(i + 1).unwrap_or(&a);
    Some(a + (b - a) * frac)
}

/// RGBA pixels, row-major, transparent where nothing is drawn.
pub fn rasterize(r: &Raster) -> Vec<u8> {
    let (w, h) = (r.width, r.height);
    let mut px = vec![0u8; w * h * 4];
    if w == 0 || h == 0 || r.y_max <= 0.0 {
        return px;
    }
    let scale = h as f32 / r.y_max;
    // Pixel row (from the top, fractional) of a value.
    let row_of = |v: f32| (h as f32 - v.max(0.0) * scale).clamp(0.0, h as f32);
    let mut fill = |x: usize, from: usize, to: usize, c: Rgb, a: u8| {
        for y in from..to.min(h) {
            let o = (y * w + x) * 4;
            px[o] = c.0;
            px[o + 1] = c.1;
            px[o + 2] = c.2;
            px[o + 3] = a;
        }
    };
    let grey = (128, 128, 128);
    let mut prev_rows: Vec<Option<f32>> = vec![None; r.layers.len()];
    for x in 0..w {
        let f = r.col_at_x0 + x as f64 * r.col_per_px;
        let mut below = h as f32;
        for (li, layer) in r.layers.iter().enumerate() {
            let Some(v) = sample(layer, f) else {
                prev_rows[li] = None;
                continue;
            };
            let c = r.colors.get(li).copied().unwrap_or(grey);
            let row = row_of(v);
            if r.stacked {
                // Rows whose centre lies between this layer's top and the one below.
                let from = (row - 0.5).ceil().max(0.0) as usize;
                let to = (below - 0.5).ceil().max(0.0) as usize;
                fill(x, from, to, c, r.alpha);
                below = row;
            } else {
                // A vertical run joining the previous pixel column's value to this one.
                let p = prev_rows[li].unwrap_or(row);
                let (lo, hi) = if p < row { (p, row) } else { (row, p) };
                let half = r.line_px as f32 / 2.0;
                let from = (lo - half).round().max(0.0) as usize;
                let to = ((hi + half).round() as usize).max(from + 1);
                fill(x, from, to, c, 255);
                prev_rows[li] = Some(row);
            }
        }
    }
    px
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(px: &[u8], w: usize, x: usize, y: usize) -> [u8; 4] {
        let o = (y * w + x) * 4;
        [px[o], px[o + 1], px[o + 2], px[o + 3]]
    }

    #[test]
    fn stacked_layers_fill_their_share_of_each_column() {
        // Two layers: 2 at the bottom, 1 on top (cumulative tops 2 and 3), y axis to 4.
        let layers = vec![vec![2.0, 2.0], vec![3.0, 3.0]];
        let colors = [(255, 0, 0), (0, 0, 255)];
        let r = Raster {
            layers: &layers,
            colors: &colors,
            stacked: true,
            alpha: 200,
            line_px: 1,
            col_at_x0: 0.0,
            col_per_px: 0.25,
            width: 5,
            height: 8,
            y_max: 4.0,
        };
        let px = rasterize(&r);
        for x in 0..5 {
            // Rows 0–1 are empty (value 3..4), rows 2–3 blue (2..3), rows 4–7 red (0..2).
            assert_eq!(at(&px, 5, x, 1)[3], 0, "above the stack at x={x}");
            assert_eq!(at(&px, 5, x, 2), [0, 0, 255, 200]);
            assert_eq!(at(&px, 5, x, 3), [0, 0, 255, 200]);
            assert_eq!(at(&px, 5, x, 4), [255, 0, 0, 200]);
            assert_eq!(at(&px, 5, x, 7), [255, 0, 0, 200]);
        }
    }

    #[test]
    fn values_are_interpolated_between_column_centres_and_not_drawn_outside() {
        let layers = vec![vec![0.0, 10.0]];
        let r = Raster {
            layers: &layers,
            colors: &[(1, 2, 3)],
            stacked: true,
            alpha: 255,
            line_px: 1,
            col_at_x0: -0.5,
            col_per_px: 0.25,
            width: 8,
            height: 10,
            y_max: 10.0,
        };
        let px = rasterize(&r);
        let filled = |x: usize| (0..10).filter(|y| at(&px, 8, x, *y)[3] > 0).count();
        assert_eq!(filled(0), 0, "before the first column centre");
        assert_eq!(filled(2), 0, "at the first centre the value is 0");
        assert_eq!(filled(4), 5, "halfway: 5 of 10 rows");
        assert_eq!(filled(6), 10, "at the last centre: full height");
        assert_eq!(filled(7), 0, "after the last column centre");
    }

    #[test]
    fn lines_join_neighbouring_columns_without_gaps() {
        let layers = vec![vec![0.0, 10.0]];
        let r = Raster {
            layers: &layers,
            colors: &[(9, 9, 9)],
            stacked: false,
            alpha: 255,
            line_px: 1,
            col_at_x0: 0.0,
            col_per_px: 0.5,
            width: 3,
            height: 10,
            y_max: 10.0,
        };
        let px = rasterize(&r);
        // Every row from the bottom to the top is touched by some column: a steep line is unbroken.
        for y in 0..10 {
            assert!(
                (0..3).any(|x| at(&px, 3, x, y)[3] == 255),
                "row {y} is drawn"
            );
        }
        // Nothing far from the line: column 0 sits at the bottom.
        assert_eq!(at(&px, 3, 0, 0)[3], 0);
    }

    #[test]
    fn a_huge_chart_is_one_buffer_of_the_plot_size() {
        let layers: Vec<Vec<f32>> = (0..200).map(|l| vec![l as f32 + 1.0; 720]).collect();
        let r = Raster {
            layers: &layers,
            colors: &[],
            stacked: true,
            alpha: 217,
            line_px: 1,
            col_at_x0: 0.0,
            col_per_px: 0.5,
            width: 1340,
            height: 400,
            y_max: 200.0,
        };
        let px = rasterize(&r);
        assert_eq!(px.len(), 1340 * 400 * 4);
        // Every pixel in the drawn columns is covered (the stack reaches the top).
        assert!((0..400).all(|y| at(&px, 1340, 10, y)[3] == 217));
    }
}
