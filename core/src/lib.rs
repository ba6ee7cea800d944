//! Lookout's pure logic: Sentry API models, paging, query building, series aggregation, trace
//! layout and formatting. No web-sys, no leptos, no clock: `now` is always an argument, so
//! everything here is tested natively.

pub mod config;
pub mod error;
pub mod format;
pub mod glitchtip;
pub mod json;
pub mod keys;
pub mod lenient;
pub mod link;
pub mod model;
pub mod overview;
pub mod perf;
pub mod query;
pub mod raster;
pub mod series;
pub mod sort;
pub mod suggest;
pub mod text;
pub mod time;
pub mod timeline;
pub mod vocab;
pub mod wall;
pub mod waterfall;

pub use error::ApiError;
