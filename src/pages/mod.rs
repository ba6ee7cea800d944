//! One file per route. Pages own their data (loaders keyed on route and URL) and pass ready-made
//! rows and series to components.

#[cfg(feature = "test-hooks")]
pub mod bench;
pub mod issue;
pub mod issues;
pub mod overview;
pub mod performance;
pub mod settings;
pub mod timeline;
pub mod trace;
pub mod traces;
pub mod wall;
