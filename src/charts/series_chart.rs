//! Errors (or durations) over time per series, with plotters on a canvas: stacked areas or lines,
//! release markers, and a time axis in local time.

use super::canvas::{hex, ChartTheme, Rgb};
use lookout_core::raster;
use lookout_core::series::ChartData;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// Everything one drawing needs (a chart is a pure function of this).
pub struct SeriesChart<'a> {
    pub data: &'a ChartData,
    /// Colour of each layer of `data`.
    pub colors: &'a [Rgb],
    pub stacked: bool,
    /// The time window (epoch seconds).
    pub window: (i64, i64),
    /// Release markers: time and label.
    pub releases: &'a [(i64, String)],
    pub theme: ChartTheme,
    /// How y values are written (counts, or durations).
    pub y_format: fn(f64) -> String,
    /// The smallest axis text, in CSS pixels (the page's own text size: a wall's is large).
    pub text_px: f64,
}

/// Where the plot area ended up, in CSS pixels (for hover and clicks).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PlotArea {
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    /// The value at the top of the y axis.
    pub y_max: f64,
}

fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

/// Draws the chart on a canvas already sized for `dpr`.
pub fn draw(canvas: &HtmlCanvasElement, dpr: f64, c: &SeriesChart) -> Result<PlotArea, String> {
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2d context")?;
    let root = backend.into_drawing_area();
    root.fill(&rgb(c.theme.bg)).map_err(|e| e.to_string())?;
    let (x0, x1) = (c.window.0 as f64, c.window.1.max(c.window.0 + 1) as f64);
    let top = if c.stacked {
        c.data
            .tops
            .last()
            .map_or(0.0, |t| t.iter().copied().fold(0.0, f32::max))
    } else {
        c.data
            .values
            .iter()
            .flat_map(|v| v.iter().copied())
            .fold(0.0, f32::max)
    };
    let y_max = nice_max(f64::from(top));
    // Text grows with the chart (a wall display is read from across the room).
    let scale = (f64::from(canvas.width()) / dpr / 110.0)
        .clamp(12.0, 40.0)
        .max(c.text_px)
        * dpr;
    let font = scale as i32;
    let text = ("sans-serif", font).into_font().color(&rgb(c.theme.fg));
    let mut chart = ChartBuilder::on(&root)
        .margin((8.0 * dpr) as i32)
        .x_label_area_size((scale * 1.8) as i32)
        .y_label_area_size((scale * 3.6) as i32)
        .build_cartesian_2d(x0..x1, 0.0..y_max)
        .map_err(|e| e.to_string())?;
    let span = (x1 - x0) as i64;
    let y_format = c.y_format;
    chart
        .configure_mesh()
        .x_labels(8)
        .y_labels(5)
        .x_label_formatter(&|x| {
            let t = chrono::DateTime::from_timestamp(*x as i64, 0).unwrap_or_default();
            lookout_core::format::axis_label(t, span, &chrono::Local)
        })
        .y_label_formatter(&|y| y_format(*y))
        .label_style(text.clone())
        .axis_style(rgb(c.theme.grid))
        // No minor grid lines: they are invisible in the background colour anyway, and each is a
        // canvas stroke.
        .max_light_lines(0)
        .bold_line_style(rgb(c.theme.grid))
        .draw()
        .map_err(|e| e.to_string())?;

    // The layers: rasterised in wasm and handed to the canvas as one image (see core::raster).
    let data = c.data;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let (w, h) = (
        (xr.end - xr.start).max(0) as usize,
        (yr.end - yr.start).max(0) as usize,
    );
    if w > 0 && h > 0 && !data.columns.is_empty() && data.column_secs > 0 {
        let secs_per_px = (x1 - x0) / w as f64;
        let first_centre = data.columns[0] as f64 + data.column_secs as f64 / 2.0;
        let col_secs = data.column_secs as f64;
        let pixels = raster::rasterize(&raster::Raster {
            layers: if c.stacked { &data.tops } else { &data.values },
            colors: c.colors,
            stacked: c.stacked,
            alpha: 217,
            line_px: (dpr.round() as usize).max(1),
            col_at_x0: (x0 + secs_per_px / 2.0 - first_centre) / col_secs,
            col_per_px: secs_per_px / col_secs,
            width: w,
            height: h,
            y_max: y_max as f32,
        });
        blit(canvas, &pixels, w, h, xr.start, yr.start)?;
    }
    // Releases: a dashed-looking marker line and a short label at the top.
    let accent = rgb(c.theme.accent);
    // About 130 CSS pixels of the axis per label: closer releases share one ("api@1.4.2 +5").
    let px = chart.plotting_area().get_pixel_range().0;
    let (px0, px1) = (px.start, px.end);
    let secs_per_px = (x1 - x0) / f64::from((px1 - px0).max(1)) * dpr;
    let releases = lookout_core::series::merge_close(c.releases, (130.0 * secs_per_px) as i64);
    for (t, label) in &releases {
        let x = *t as f64;
        if x < x0 || x > x1 {
            continue;
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(x, 0.0), (x, y_max)],
                accent.stroke_width(dpr.round() as u32),
            )))
            .map_err(|e| e.to_string())?;
        let short: String = label.chars().take(22).collect();
        chart
            .draw_series(std::iter::once(Text::new(
                short,
                (x, y_max),
                ("sans-serif", (scale * 0.9) as i32)
                    .into_font()
                    .color(&accent),
            )))
            .map_err(|e| e.to_string())?;
    }
    root.present().map_err(|e| e.to_string())?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let _ = hex;
    Ok(PlotArea {
        left: f64::from(xr.start) / dpr,
        right: f64::from(xr.end) / dpr,
        top: f64::from(yr.start) / dpr,
        bottom: f64::from(yr.end) / dpr,
        y_max,
    })
}

thread_local! {
    /// A scratch canvas the layer image is put on, so drawing it composites over the grid.
    static SCRATCH: std::cell::RefCell<Option<HtmlCanvasElement>> = const { std::cell::RefCell::new(None) };
}

/// Draws RGBA `pixels` (`w`×`h`) onto `canvas` at `(x, y)`, blending with what is there.
fn blit(
    canvas: &HtmlCanvasElement,
    pixels: &[u8],
    w: usize,
    h: usize,
    x: i32,
    y: i32,
) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let scratch = SCRATCH.with(|s| {
        s.borrow_mut()
            .get_or_insert_with(|| {
                web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.create_element("canvas").ok())
                    .and_then(|e| e.dyn_into().ok())
                    .expect("a canvas element")
            })
            .clone()
    });
    scratch.set_width(w as u32);
    scratch.set_height(h as u32);
    let image = web_sys::ImageData::new_with_u8_clamped_array_and_sh(
        wasm_bindgen::Clamped(pixels),
        w as u32,
        h as u32,
    )
    .map_err(|_| "image")?;
    let sctx = super::canvas::context(&scratch).ok_or("no 2d context")?;
    sctx.put_image_data(&image, 0.0, 0.0)
        .map_err(|_| "put image")?;
    let ctx = super::canvas::context(canvas).ok_or("no 2d context")?;
    ctx.draw_image_with_html_canvas_element(&scratch, f64::from(x), f64::from(y))
        .map_err(|_| "draw image")?;
    Ok(())
}

/// A round upper bound for the y axis (1, 2, 5 × 10ⁿ).
pub fn nice_max(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    for m in [1.0, 2.0, 5.0, 10.0] {
        if v <= m * p {
            return m * p;
        }
    }
    10.0 * p
}

/// Counts on the y axis.
pub fn count_label(y: f64) -> String {
    lookout_core::format::compact_count(y)
}

/// Milliseconds on the y axis.
pub fn duration_label(y: f64) -> String {
    lookout_core::format::duration_ms(y)
}
