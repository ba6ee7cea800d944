//! The filters common to most queries: projects, environments and the time window.

use lookout_core::query::{EventsQuery, Params};
use lookout_core::time::TimeRange;

/// Filters common to most queries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Scope {
    pub projects: Vec<String>,
    pub environments: Vec<String>,
    pub range: TimeRange,
}

impl Scope {
    /// `project=`, `environment=` and the time window.
    pub fn params(&self) -> Params {
        let mut p = Params::new()
            .push_all("project", self.projects.iter().cloned())
            .push_all("environment", self.environments.iter().cloned());
        for (k, v) in self.range.api_params() {
            p = p.push(&k, v);
        }
        p
    }

    /// An events-table query of `dataset` over this scope's projects, environments and window.
    pub fn events(&self, dataset: &'static str) -> EventsQuery {
        EventsQuery::new(dataset)
            .filters(&self.projects, &self.environments)
            .window(self.range.api_params())
    }
}
