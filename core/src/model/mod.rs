//! Typed, tolerant models of the Sentry web API responses (DTOs mirror the API).

pub mod event;
pub mod issue;
pub mod org;
pub mod stats;
pub mod table;
pub mod tag;
pub mod timeseries;
pub mod trace;

pub use event::{Breadcrumb, Entry, EventDto, ExceptionValue, Frame, SpanDto, Stacktrace};
pub use issue::{IssueDto, IssueStatsDto};
pub use org::{with_previous, OrganizationDto, ProjectDto, ReleaseDto};
pub use stats::{StatsResponse, StatsSeries};
pub use table::{EventsTableDto, TableRow};
pub use tag::{TagKeyDto, TagValueDto};
pub use timeseries::{StatsV2Dto, TimeseriesDto};
pub use trace::{LegacyTraceDto, LegacyTransactionDto, TraceErrorDto, TraceMetaDto, TraceNodeDto};

pub use crate::json::parse;
