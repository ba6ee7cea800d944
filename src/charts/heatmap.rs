//! The server × time heatmap: one pixel per cell drawn into `ImageData`, scaled up without
//! smoothing (hundreds of rows cost one `putImageData` and one `drawImage`).

use super::canvas::{ChartTheme, Rgb};
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{HtmlCanvasElement, ImageData};

/// A colour on the ramp from the background (0) to hot (1).
pub fn ramp(theme: &ChartTheme, v: f32) -> Rgb {
    if v <= 0.0 {
        return theme.bg;
    }
    // Visible from the first event, then through amber to red.
    let v = 0.15 + 0.85 * v.clamp(0.0, 1.0);
    let stops: [(f32, Rgb); 3] = [
        (0.0, (254, 240, 138)),
        (0.5, (245, 158, 11)),
        (1.0, (185, 28, 28)),
    ];
    let (a, b) = if v < 0.5 {
        (stops[0], stops[1])
    } else {
        (stops[1], stops[2])
    };
    let f = (v - a.0) / (b.0 - a.0);
    let mix = |x: u8, y: u8| (f32::from(x) + (f32::from(y) - f32::from(x)) * f) as u8;
    (
        mix(a.1 .0, b.1 .0),
        mix(a.1 .1, b.1 .1),
        mix(a.1 .2, b.1 .2),
    )
}

/// Draws rows of cells (`None` = a gap row, e.g. a group header) onto a canvas of
/// `css_w`×(rows × `row_h`) CSS pixels.
pub fn draw(
    canvas: &HtmlCanvasElement,
    rows: &[Option<&[f32]>],
    cols: usize,
    css_w: f64,
    row_h: f64,
    theme: &ChartTheme,
) -> Result<(), String> {
    let css_h = (rows.len() as f64 * row_h).max(1.0);
    super::canvas::fit(canvas, css_w, css_h);
    let ctx = super::canvas::context(canvas).ok_or("no 2d context")?;
    let (w, h) = (cols.max(1), rows.len().max(1));
    let mut px = vec![0u8; w * h * 4];
    for (r, row) in rows.iter().enumerate() {
        for c in 0..w {
            let color = match row {
                Some(cells) => ramp(theme, cells.get(c).copied().unwrap_or(0.0)),
                None => theme.grid,
            };
            let i = (r * w + c) * 4;
            px[i] = color.0;
            px[i + 1] = color.1;
            px[i + 2] = color.2;
            px[i + 3] = 255;
        }
    }
    let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&px), w as u32, h as u32)
        .map_err(|_| "image")?;
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let off: HtmlCanvasElement = doc
        .create_element("canvas")
        .map_err(|_| "canvas")?
        .dyn_into()
        .map_err(|_| "canvas")?;
    off.set_width(w as u32);
    off.set_height(h as u32);
    let octx = super::canvas::context(&off).ok_or("no 2d context")?;
    octx.put_image_data(&image, 0.0, 0.0).map_err(|_| "put")?;
    ctx.set_image_smoothing_enabled(false);
    ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
        &off,
        0.0,
        0.0,
        f64::from(canvas.width()),
        f64::from(canvas.height()),
    )
    .map_err(|_| "draw")?;
    Ok(())
}
