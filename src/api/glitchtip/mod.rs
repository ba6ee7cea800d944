//! GlitchTip's exact figures. GlitchTip has no `events-stats` and no events table, but it lists every
//! event of a project with its tags. The Overview (and the issue list's servers) are aggregated from
//! those lists: every event in the window, counted exactly (within [`MAX_PAGES`] pages per project).
//!
//! A refresh asks only for what is new: the issue list (which GlitchTip answers anyway) says how
//! many events each issue gained since the last look, and a project's list is asked for just that
//! many (and nothing when none arrived). Events are kept in light form ([`LightEvent`]: ids, time and
//! a few tags), never the full bodies.

mod issue;
mod stream;
mod window;

pub use issue::*;
pub use stream::*;
pub use window::*;

use lookout_core::ApiError;

type R<T> = Result<T, ApiError>;

type Time = chrono::DateTime<chrono::Utc>;

/// The most pages of 100 events read from one project in one refresh (the bound on what one
/// window can cost; beyond it the figures say they are incomplete).
pub const MAX_PAGES: usize = 50;

/// The most issue-list pages followed.
const MAX_ISSUE_PAGES: usize = 10;

/// The most light events kept per project between refreshes.
const MAX_KEPT: usize = 20_000;
