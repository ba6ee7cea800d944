//! Every official response example (`testdata/sentry-api-examples/`, copied from the shared API
//! notes so a clean clone tests on its own) parses into its model.

use lookout_core::model::*;
use std::path::PathBuf;

fn example(name: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/sentry-api-examples");
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_example_file_is_covered() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/sentry-api-examples");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let covered = [
        "events-table.json",
        "events-timeseries-top-events.json",
        "issue-details.json",
        "issue-event-latest.json",
        "issue-events-list.json",
        "issue-tag-key-details.json",
        "issue-tag-key-values.json",
        "organization-issues-list.json",
        "organization-projects-list.json",
        "organizations-list.json",
        "project-stats.json",
        "stats-v2.json",
        "trace-meta.json",
        "trace.json",
    ];
    assert_eq!(names, covered, "a new example needs a parse test here");
}

#[test]
fn organizations() {
    let orgs: Vec<OrganizationDto> =
        lookout_core::model::parse(&example("organizations-list.json")).unwrap();
    assert_eq!(orgs[0].slug, "the-interstellar-jurisdiction");
    assert_eq!(
        orgs[0].links.as_ref().unwrap().region_url.as_deref(),
        Some("https://us.sentry.io")
    );
    assert!(orgs[0].has_feature("issue-platform"));
    assert!(!orgs[0].has_feature("trace-spans-format"));
    assert_eq!(
        orgs[0].detect_kind(),
        lookout_core::config::SourceKind::Sentry
    );
    // GlitchTip's organization (README §6): no feature list, `isAcceptingEvents`.
    let gt: OrganizationDto = lookout_core::model::parse(
        r#"{"id": 1, "name": "Demo", "slug": "demo", "isAcceptingEvents": true, "projects": []}"#,
    )
    .unwrap();
    assert_eq!(
        gt.detect_kind(),
        lookout_core::config::SourceKind::Glitchtip
    );
}

#[test]
fn projects() {
    let p: Vec<ProjectDto> =
        lookout_core::model::parse(&example("organization-projects-list.json")).unwrap();
    assert_eq!(p[0].slug, "prime-mover");
    assert_eq!(p[0].id, "3");
    assert_eq!(p[0].environments, ["local"]);
}

#[test]
fn issue_list() {
    let issues: Vec<IssueDto> =
        lookout_core::model::parse(&example("organization-issues-list.json")).unwrap();
    let i = &issues[0];
    assert_eq!(i.id, "1");
    assert_eq!(i.count, 150);
    assert_eq!(i.short_id, "PUMP-STATION-1");
    assert_eq!(i.sparkline().len(), 4);
    assert_eq!(i.lifetime.as_ref().unwrap().count, 150);
    assert_eq!(i.project.as_ref().unwrap().slug, "pump-station");
    assert_eq!(i.assigned_to.as_ref().unwrap().name, "John Doe");
}

#[test]
fn issue_details() {
    let i: IssueDto = lookout_core::model::parse(&example("issue-details.json")).unwrap();
    assert_eq!(i.user_count, 12);
    assert_eq!(i.stats["30d"].len(), 2);
    assert_eq!(i.tags.len(), 2);
    assert_eq!(i.tags[0].total_values, 150);
    assert_eq!(
        i.first_release.as_ref().unwrap().short_version.as_deref(),
        Some("1764232")
    );
    assert!(i.last_release.is_none());
}

#[test]
fn latest_event() {
    let e: EventDto = lookout_core::model::parse(&example("issue-event-latest.json")).unwrap();
    assert_eq!(e.event_id(), "9999aaaaca8b46d797c23c6077c6ff01");
    let exc = e.exception().unwrap();
    assert_eq!(exc.values[0].kind.as_deref(), Some("ForbiddenError"));
    let frame = &exc.values[0].stacktrace.as_ref().unwrap().frames[0];
    assert_eq!(frame.line_no, Some(71.0));
    assert_eq!(frame.context.len(), 5);
    assert!(!frame.is_in_app());
    assert_eq!(e.breadcrumbs().len(), 3);
    assert!(e.breadcrumbs()[0].timestamp.is_some());
    let req = e.request().unwrap();
    assert_eq!(req.headers[0].0, "User-Agent");
    assert_eq!(
        req.query,
        vec![("project".to_string(), "5236886".to_string())]
    );
    assert_eq!(e.trace_id(), Some("da6caabcd90e45fdb81f6655824a5f88"));
    assert_eq!(e.user.as_ref().unwrap().label(), Some("hell@boy.cat"));
    assert_eq!(
        e.release.as_ref().unwrap().version,
        "b65bc521378269d3eaefdc964f8ef56621414943"
    );
    assert_eq!(e.tag("environment"), Some("prod"));
}

#[test]
fn issue_events_list() {
    let events: Vec<EventDto> =
        lookout_core::model::parse(&example("issue-events-list.json")).unwrap();
    assert_eq!(events[0].tag("server_name"), Some("web1.example.com"));
    assert_eq!(events[0].event_id(), "9fac2ceed9344f2bbfdd1fdacb0ed9b1");
    assert!(events[0].date_created.is_some());
}

#[test]
fn tags() {
    let k: TagKeyDto = lookout_core::model::parse(&example("issue-tag-key-details.json")).unwrap();
    assert_eq!(k.top_values.len(), 2);
    assert!((k.share(&k.top_values[0]) - 2.0 / 3.0).abs() < 1e-9);
    let v: Vec<TagValueDto> =
        lookout_core::model::parse(&example("issue-tag-key-values.json")).unwrap();
    assert_eq!(v.len(), 4);
    assert_eq!(v[3].value, "neopolitan");
}

#[test]
fn events_table() {
    let t: EventsTableDto = lookout_core::model::parse(&example("events-table.json")).unwrap();
    assert_eq!(t.data.len(), 3);
    assert_eq!(t.data[1].number("count()"), Some(20.0));
    assert_eq!(t.data[2].text("transaction").as_deref(), Some("baz"));
}

#[test]
fn timeseries_and_stats() {
    let ts: TimeseriesDto =
        lookout_core::model::parse(&example("events-timeseries-top-events.json")).unwrap();
    assert_eq!(ts.time_series.len(), 2);
    assert_eq!(ts.time_series[0].group_by[1].1, "bar");
    assert_eq!(ts.time_series[0].values[0].1, Some(5.0));
    let v2: StatsV2Dto = lookout_core::model::parse(&example("stats-v2.json")).unwrap();
    assert_eq!(v2.intervals.len(), 1);
    let p: serde_json::Value = serde_json::from_str(&example("project-stats.json")).unwrap();
    assert_eq!(lookout_core::model::issue::points(&p).len(), 4);
}

#[test]
fn traces() {
    let nodes: Vec<TraceNodeDto> = lookout_core::model::parse(&example("trace.json")).unwrap();
    assert_eq!(nodes[0].duration, 250.0);
    assert!(nodes[0].is_transaction);
    let t = lookout_core::waterfall::Trace::from_nodes(&nodes);
    assert_eq!(t.spans.len(), 1);
    let meta: TraceMetaDto = lookout_core::model::parse(&example("trace-meta.json")).unwrap();
    assert_eq!(meta.spans_count, 195);
    assert_eq!(meta.errors_count, 0);
    let old: TraceMetaDto =
        lookout_core::model::parse(r#"{"projects":2,"transactions":3,"errors":1,"span_count":40}"#)
            .unwrap();
    assert_eq!(
        (old.spans_count, old.errors_count, old.projects_count),
        (40, 1, 2)
    );
}

/// Every example in Sentry's published schema (`testdata/sentry-openapi/responses.json`) parses
/// into the model the dashboard reads that endpoint with, and the fields a page shows come out.
#[test]
fn every_published_schema_example_parses() {
    let p =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/sentry-openapi/responses.json");
    let all: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
    let org = "/api/0/organizations/{organization_id_or_slug}";
    let proj = "/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}";
    let mut parsed = 0;
    for (path, e) in all["endpoints"].as_object().unwrap() {
        for (name, ex) in e["examples"].as_object().unwrap() {
            let text = ex.to_string();
            let what = format!("{path} {name}");
            let rest = path
                .strip_prefix(org)
                .or_else(|| path.strip_prefix(proj))
                .unwrap_or(path);
            let ok: Result<(), String> =
                match rest {
                    "/api/0/organizations/" => parse::<Vec<OrganizationDto>>(&text)
                        .map(|v| assert!(!v[0].slug.is_empty(), "{what}")),
                    "/" => parse::<OrganizationDto>(&text)
                        .map(|v| assert!(!v.slug.is_empty(), "{what}")),
                    "/projects/" => parse::<Vec<ProjectDto>>(&text)
                        .map(|v| assert!(!v[0].slug.is_empty(), "{what}")),
                    "/environments/" => parse::<Vec<serde_json::Value>>(&text)
                        .map(|v| assert!(v[0]["name"].is_string(), "{what}")),
                    "/issues/" => parse::<Vec<IssueDto>>(&text).map(|v| {
                        assert!(!v[0].id.is_empty() && !v[0].title.is_empty(), "{what}");
                        assert!(v[0].count > 0, "{what}: the count string reads as a number");
                    }),
                    "/issues/{issue_id}/" => parse::<IssueDto>(&text)
                        .map(|v| assert!(!v.id.is_empty() && !v.title.is_empty(), "{what}")),
                    "/issues/{issue_id}/events/" | "/events/"
                        if path.starts_with(proj) || rest.starts_with("/issues") =>
                    {
                        parse::<Vec<EventDto>>(&text)
                            .map(|v| assert!(!v[0].event_id().is_empty(), "{what}"))
                    }
                    "/issues/{issue_id}/events/{event_id}/" | "/events/{event_id}/" => {
                        parse::<EventDto>(&text).map(|v| {
                            assert!(!v.event_id().is_empty(), "{what}");
                            assert!(!v.entries.is_empty(), "{what}: entries");
                        })
                    }
                    "/issues/{issue_id}/tags/{key}/" => {
                        parse::<TagKeyDto>(&text).map(|v| assert!(!v.key.is_empty(), "{what}"))
                    }
                    "/issues/{issue_id}/tags/{key}/values/" => {
                        parse::<Vec<TagValueDto>>(&text).map(|v| assert!(v[0].count > 0, "{what}"))
                    }
                    "/events/" => parse::<EventsTableDto>(&text)
                        .map(|v| assert!(!v.data.is_empty(), "{what}")),
                    "/releases/" => parse::<Vec<ReleaseDto>>(&text)
                        .map(|v| assert!(!v[0].version.is_empty(), "{what}")),
                    "/trace/{trace_id}/" => parse::<Vec<TraceNodeDto>>(&text)
                        .map(|v| assert!(!v[0].event_id.is_empty(), "{what}")),
                    "/trace-meta/{trace_id}/" => parse::<TraceMetaDto>(&text).map(|_| ()),
                    other => Err(format!("no parser chosen for {other}")),
                };
            ok.unwrap_or_else(|e| panic!("{what}: {e}"));
            parsed += 1;
        }
    }
    assert!(parsed >= 16, "only {parsed} examples parsed");
}
