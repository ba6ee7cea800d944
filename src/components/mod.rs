//! Components only render what pages hand them.

pub mod age;
pub mod big_numbers;
pub mod chart;
pub mod dom;
pub mod filters;
pub mod heatmap;
pub mod nav;
pub mod sparkline;
pub mod status;
