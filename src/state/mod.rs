//! Application state: configuration and sources, tokens, the refresh clock, loaders, the URL.

pub mod app;
pub mod clock;
pub mod loader;
pub mod progress;
pub mod storage;
pub mod theme;
pub mod tokens;
pub mod view;
