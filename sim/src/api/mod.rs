//! The web API: one module per family of endpoints. `route` dispatches; the others answer.
//! Within this folder, handlers use `filters` and `paging`; nothing here is used by the
//! simulator's lower layers (store, render, search).

pub mod discover;
pub mod events;
pub mod filters;
pub mod issues;
pub mod org;
pub mod paging;
pub mod releases;
pub mod reply;
pub mod route;
pub mod tags;
pub mod traces;

pub use reply::{not_found, Routed};
pub use route::route;
