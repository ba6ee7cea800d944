//! The HTTP layer over `lookout-core`'s models: one client, one function per resource.

pub mod client;
pub mod events;
pub mod glitchtip;
pub mod issue;
pub mod issues;
pub mod limit;
pub mod org;
pub mod overview;
pub mod performance;
pub mod releases;
pub mod scope;
pub mod timeline;
pub mod trace;
pub mod traces;
