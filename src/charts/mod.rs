//! Charts drawn with plotters on a canvas, sharp on HiDPI screens. A chart is a pure function of
//! (series, size, theme).

pub mod canvas;
pub mod heatmap;
pub mod series_chart;
pub mod timeline;
