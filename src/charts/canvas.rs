//! Canvas sizing for sharp HiDPI drawing, chart colours from the CSS theme, and the palette.

use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

/// An RGB colour.
pub type Rgb = (u8, u8, u8);

/// Colours of the chart chrome, read from the current CSS theme.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartTheme {
    pub bg: Rgb,
    pub fg: Rgb,
    pub grid: Rgb,
    pub accent: Rgb,
}

/// 20 distinguishable series colours (Tableau 20 order, readable on light and dark).
pub const PALETTE: [Rgb; 20] = [
    (78, 121, 167),
    (242, 142, 43),
    (225, 87, 89),
    (118, 183, 178),
    (89, 161, 79),
    (237, 201, 72),
    (176, 122, 161),
    (255, 157, 167),
    (156, 117, 95),
    (186, 176, 172),
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (127, 127, 127),
    (188, 189, 34),
    (23, 190, 207),
];

/// The remainder's colour (grey, on top of the stack).
pub const REMAINDER: Rgb = (150, 150, 160);

/// A stable colour for a name: the same server keeps its colour on every refresh.
pub fn color_of(name: &str) -> Rgb {
    PALETTE[lookout_core::waterfall::palette_slot(name, PALETTE.len())]
}

/// `#rrggbb` of a colour.
pub fn hex(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

fn parse_hex(s: &str) -> Option<Rgb> {
    let s = s.trim().trim_start_matches('#');
    if s.len() != 6 {
        return None;
    }
    let p = |i: usize| u8::from_str_radix(&s[i..i + 2], 16).ok();
    Some((p(0)?, p(2)?, p(4)?))
}

/// The chart colours of the current theme (CSS variables `--chart-bg`, `--chart-fg`…).
pub fn theme() -> ChartTheme {
    let style = web_sys::window()
        .zip(
            web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element()),
        )
        .and_then(|(w, el)| w.get_computed_style(&el).ok().flatten());
    let var = |name: &str, fallback: Rgb| {
        style
            .as_ref()
            .and_then(|s| s.get_property_value(name).ok())
            .and_then(|v| parse_hex(&v))
            .unwrap_or(fallback)
    };
    ChartTheme {
        bg: var("--chart-bg", (255, 255, 255)),
        fg: var("--chart-fg", (40, 44, 52)),
        grid: var("--chart-grid", (225, 228, 232)),
        accent: var("--chart-accent", (245, 158, 11)),
    }
}

/// The device pixel ratio (at least 1, at most 3: beyond that the canvas costs more than it shows).
pub fn dpr() -> f64 {
    web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .clamp(1.0, 3.0)
}

/// Sizes a canvas for `css_w`×`css_h` CSS pixels at the device pixel ratio; returns the ratio.
pub fn fit(canvas: &HtmlCanvasElement, css_w: f64, css_h: f64) -> f64 {
    let r = dpr();
    let (w, h) = (
        (css_w * r).round().max(1.0) as u32,
        (css_h * r).round().max(1.0) as u32,
    );
    if canvas.width() != w {
        canvas.set_width(w);
    }
    if canvas.height() != h {
        canvas.set_height(h);
    }
    let style = canvas.style();
    let _ = style.set_property("width", &format!("{css_w}px"));
    let _ = style.set_property("height", &format!("{css_h}px"));
    r
}

/// The 2D context of a canvas.
pub fn context(canvas: &HtmlCanvasElement) -> Option<web_sys::CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

/// The width a canvas's parent offers, in CSS pixels.
pub fn parent_width(canvas: &HtmlCanvasElement) -> f64 {
    canvas
        .parent_element()
        .map_or(800.0, |p| f64::from(p.client_width()))
        .max(200.0)
}

/// An element's computed font size in CSS pixels.
pub fn font_px(el: &web_sys::Element) -> Option<f64> {
    web_sys::window()?
        .get_computed_style(el)
        .ok()??
        .get_property_value("font-size")
        .ok()?
        .trim_end_matches("px")
        .parse()
        .ok()
}
