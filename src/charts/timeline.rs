//! The fleet timeline on a canvas: one lane per server, a tick per event in its issue's colour,
//! the first event of each issue on each server drawn as a larger outlined diamond, release
//! markers, and a time axis at the bottom.

use super::canvas::{hex, ChartTheme, Rgb};
use lookout_core::timeline::Mark;
use web_sys::HtmlCanvasElement;

/// Everything one drawing needs.
pub struct TimelineChart<'a> {
    pub marks: &'a [Mark],
    /// Lane of each mark (`None`: not drawn).
    pub lane: &'a [Option<usize>],
    /// The marks by colour: one fill style per run.
    pub runs: &'a [(Rgb, Vec<usize>)],
    /// Marks that are an issue's first on their server, with their colour.
    pub firsts: &'a [(usize, Rgb)],
    /// Top of each lane in CSS pixels, and the lanes' height.
    pub lane_top: &'a [f64],
    pub row_h: f64,
    /// Epoch milliseconds at the left and right edges.
    pub window: (i64, i64),
    pub releases: &'a [(i64, String)],
    /// Height of the axis under the lanes.
    pub axis_h: f64,
    pub font_px: f64,
    pub theme: ChartTheme,
}

/// Draws on a canvas already sized for `dpr` (`width` in CSS pixels).
pub fn draw(canvas: &HtmlCanvasElement, dpr: f64, width: f64, c: &TimelineChart) {
    let Some(ctx) = super::canvas::context(canvas) else {
        return;
    };
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    let height = f64::from(canvas.height()) / dpr;
    ctx.set_fill_style_str(&hex(c.theme.bg));
    ctx.fill_rect(0.0, 0.0, width, height);
    let (t0, t1) = (c.window.0 as f64, c.window.1.max(c.window.0 + 1) as f64);
    let x_of = |t: i64| (t as f64 - t0) / (t1 - t0) * width;
    let lanes_h = c.lane_top.last().map_or(0.0, |t| t + c.row_h);
    // Lane stripes: every other lane a shade lighter, so a mark is read against its server.
    ctx.set_fill_style_str(&hex(c.theme.grid));
    ctx.set_global_alpha(0.35);
    for (i, top) in c.lane_top.iter().enumerate() {
        if i % 2 == 1 {
            ctx.fill_rect(0.0, *top, width, c.row_h);
        }
    }
    ctx.set_global_alpha(1.0);
    // The axis: one label per seven characters' room (140 px at 20 px text).
    let span_s = ((t1 - t0) / 1000.0) as i64;
    let n = (width / (c.font_px * 7.0).max(140.0)).floor().max(2.0) as i64;
    ctx.set_font(&format!("{}px sans-serif", c.font_px.round()));
    ctx.set_text_baseline("top");
    for k in 0..=n {
        let t = t0 + (t1 - t0) * k as f64 / n as f64;
        let x = (t - t0) / (t1 - t0) * width;
        ctx.set_fill_style_str(&hex(c.theme.grid));
        ctx.fill_rect(x.floor(), 0.0, 1.0, lanes_h);
        let label = chrono::DateTime::from_timestamp_millis(t as i64)
            .map(|d| lookout_core::format::axis_label(d, span_s, &chrono::Local))
            .unwrap_or_default();
        let w = ctx.measure_text(&label).map(|m| m.width()).unwrap_or(0.0);
        ctx.set_fill_style_str(&hex(c.theme.fg));
        let _ = ctx.fill_text(
            &label,
            (x - w / 2.0).clamp(0.0, (width - w).max(0.0)),
            lanes_h + 4.0,
        );
    }
    // Events: a tick each, one fill style per issue.
    let tick_h = (c.row_h - 4.0).max(2.0);
    let tick_w = (dpr.recip() * 2.0).max(1.5);
    for (col, marks) in c.runs {
        ctx.set_fill_style_str(&hex(*col));
        for &i in marks {
            if let Some(l) = c.lane[i] {
                ctx.fill_rect(
                    x_of(c.marks[i].t) - tick_w / 2.0,
                    c.lane_top[l] + 2.0,
                    tick_w,
                    tick_h,
                );
            }
        }
    }
    // Each issue's first event on each server: a diamond with an outline, over the ticks.
    // As tall as the lane, but no larger than the text beside it (a wall's group lanes are tall).
    let r = (c.row_h / 2.0 - 1.0).min(c.font_px * 0.6).max(3.0);
    ctx.set_line_width(1.5);
    ctx.set_stroke_style_str(&hex(c.theme.fg));
    for (i, col) in c.firsts {
        let Some(l) = c.lane[*i] else { continue };
        let (x, y) = (x_of(c.marks[*i].t), c.lane_top[l] + c.row_h / 2.0);
        ctx.begin_path();
        ctx.move_to(x, y - r);
        ctx.line_to(x + r, y);
        ctx.line_to(x, y + r);
        ctx.line_to(x - r, y);
        ctx.close_path();
        ctx.set_fill_style_str(&hex(*col));
        ctx.fill();
        ctx.stroke();
    }
    // Releases: a line through every lane and the version at the bottom.
    ctx.set_fill_style_str(&hex(c.theme.accent));
    for (t, label) in c.releases {
        let x = x_of(*t * 1000);
        if !(0.0..=width).contains(&x) {
            continue;
        }
        ctx.fill_rect(x.floor(), 0.0, 2.0, lanes_h);
        let short: String = label.chars().take(22).collect();
        let _ = ctx.fill_text(
            &short,
            (x + 4.0).min(width - 4.0),
            lanes_h + 4.0 + c.font_px * 1.3,
        );
    }
}
