//! The HTTP layer over `lookout-core`'s models: one client, one function per resource.

pub mod client;
pub mod glitchtip;
pub mod overview;
pub mod resources;
