//! One source's data on the wall: its series (and, on GlitchTip, the figures aggregated with
//! them) on every tick of its clock, its slower figures on every fifth; and the merge of all
//! sources into what the views draw.

use crate::api::client::Api;
use crate::api::overview::{self, Extras, GroupBy, SeriesQuery, SeriesResult};
use crate::api::scope::Scope;
use crate::state::app::{use_app, SourceMeta};
use crate::state::loader::{use_load, Load};
use crate::state::view::ViewScope;
use leptos::prelude::*;
use lookout_core::config::SourceConfig;
use lookout_core::wall::{merge, Merged, SourceFigures};
use std::sync::Arc;

/// One source's feed on the wall.
#[derive(Clone, Copy)]
pub struct Feed {
    pub series: Load<(SeriesResult, Option<Extras>)>,
    pub extras: Load<Extras>,
}

pub fn feed(source: SourceConfig, scope: Memo<ViewScope>) -> Feed {
    let app = use_app();
    let clock = app.clocks.of(&source.name);
    let period = app.clocks.period_ms;
    let meta = move || {
        app.version.track();
        app.meta(&source.clone()).data.get()
    };
    let report = move |r: &Result<(), lookout_core::ApiError>| match r {
        Ok(()) => clock.report_ok(),
        Err(e) => clock.report_err(e, period.get_untracked()),
    };
    let m2 = meta.clone();
    let series = use_load(
        move || {
            let m = meta()?;
            Some((m.api.clone(), scope.get().api_scope(), m.projects.clone()))
        },
        move || clock.tick.get(),
        |(api, scope, projects): (Api, Scope, Vec<lookout_core::model::ProjectDto>), cancel| async move {
            if api.is_glitchtip() {
                let (s, e, _) =
                    crate::api::glitchtip::overview(&api, &scope, &projects, &cancel).await?;
                Ok((s, Some(e)))
            } else {
                let q = SeriesQuery {
                    scope,
                    group: GroupBy::Server,
                    dataset: "errors",
                    y_axes: vec!["count()"],
                };
                Ok((overview::series(&api, &q, &cancel).await?, None))
            }
        },
        report,
    );
    let extras = use_load(
        move || {
            let m: Arc<SourceMeta> = m2()?;
            (!m.api.is_glitchtip()).then(|| (m.api.clone(), scope.get().api_scope()))
        },
        move || clock.tick.get() / 5,
        |(api, scope), cancel| async move { overview::extras(&api, &scope, &cancel).await },
        report,
    );
    Feed { series, extras }
}

/// Every source's figures, merged (see `lookout_core::wall::merge`).
pub fn merge_feeds(feeds: &[(String, Feed)]) -> Option<Merged> {
    let data: Vec<_> = feeds
        .iter()
        .map(|(name, f)| (name, f.series.data.get(), f.extras.data.get()))
        .collect();
    let figures: Vec<SourceFigures> = data
        .iter()
        .map(|(name, s, e)| SourceFigures {
            source: name,
            series: s.as_ref().map(|s| (&s.0.both, s.0.start, s.0.end)),
            // GlitchTip's figures come with its series (one aggregation); Sentry's separately.
            extras: s.as_ref().and_then(|s| s.1.as_ref()).or(e.as_deref()),
        })
        .collect();
    merge(&figures)
}
