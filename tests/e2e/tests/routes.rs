//! Every route loaded cold, straight from its address, on the shipped build, which is split by
//! route (`cargo xtask dist`): the overview and the issue list come with the main module, every
//! other page's code is a wasm module of its own fetched when that page opens. Each test checks
//! what the page shows against the simulator's own API, and which modules the browser fetched.
//! A page whose module cannot be fetched says so, and the rest of the dashboard keeps working.

use lookout_e2e::*;
use lookout_sim::Flavor;
use serde_json::Value;

/// The split modules (`split_<page>-<hash>.wasm`, `chunk_<n>-<hash>.wasm`) the page fetched.
async fn fetched_modules(b: &Browser) -> Vec<String> {
    let v = js(
        b,
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname.split('/').pop()).filter(n => /^(split|chunk)_.*\\.wasm$/.test(n))",
    )
    .await;
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

async fn no_panic(b: &Browser) {
    assert!(
        js(b, "return window.__lookoutPanics || null")
            .await
            .is_null(),
        "nothing panicked"
    );
}

/// Opens `path` in a new browser (a cold profile) and waits for `ready`.
async fn cold(env: &Env, path: &str, ready: &str) -> Browser {
    let b = browser().await;
    b.goto(&format!("{}{path}", env.app)).await.unwrap();
    wait(&b, ready, 40).await;
    b
}

/// Asserts the page's own module was fetched (and, for the eager pages, none at all).
async fn loaded(b: &Browser, page: Option<&str>) {
    let mods = fetched_modules(b).await;
    match page {
        None => assert!(mods.is_empty(), "the main module holds this page: {mods:?}"),
        Some(p) => {
            let own = format!("split_{p}-");
            assert!(
                mods.iter().any(|m| m.starts_with(&own)),
                "{own}*.wasm fetched: {mods:?}"
            );
            // Another lazy page's own module is not fetched with it.
            assert!(
                mods.iter()
                    .all(|m| !m.starts_with("split_") || m.starts_with(&own)),
                "only this page's module: {mods:?}"
            );
            // The boot module asked for it beside the main module (its preload links), before
            // the app started, and the app took that answer instead of asking again.
            let v = js(
                b,
                &format!(
                    "const own = performance.getEntriesByType('resource').filter(e => new URL(e.name).pathname.split('/').pop().startsWith('{own}'));\
                     const s = performance.getEntriesByName('lookout:start')[0];\
                     return [own.map(e => e.startTime), s ? s.startTime : null]"
                ),
            )
            .await;
            let starts: Vec<f64> = v[0]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect();
            let app = v[1].as_f64().expect("the app marks its start");
            assert_eq!(starts.len(), 1, "{own}*.wasm fetched once: {starts:?}");
            assert!(
                starts[0] < app,
                "{own}*.wasm asked for at {:.0} ms, before the app started at {app:.0} ms",
                starts[0]
            );
        }
    }
    no_panic(b).await;
}

#[tokio::test]
async fn the_overview_and_the_issue_list_load_with_the_main_module() {
    let env = start_shipped(Flavor::Sentry);
    let b = cold(&env, "/", "[data-testid=legend-row]").await;
    loaded(&b, None).await;
    // Every server of the fleet (the simulator's own list) is in the legend.
    let mut servers: Vec<String> = env.info()["servers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect();
    servers.sort();
    let mut names = attrs(&b, "[data-testid=legend-row]", "data-name").await;
    names.sort();
    names.dedup();
    assert_eq!(names, servers);
    drop(b);

    let b = cold(&env, "/issues", "[data-testid=issue-row]").await;
    loaded(&b, None).await;
    // Every row is one of the API's unresolved issues.
    let list = env.api("organizations/demo/issues/?query=is:unresolved&statsPeriod=14d&limit=100");
    let titles: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["title"].as_str())
        .collect();
    let shown = texts(&b, "[data-testid=issue-row] .issue-title").await;
    assert!(!shown.is_empty());
    for t in &shown {
        assert!(titles.contains(&t.as_str()), "{t} is an issue of the API");
    }
    drop(b);
}

#[tokio::test]
async fn an_issue_opened_from_a_link_loads_its_page_module() {
    let env = start_shipped(Flavor::Sentry);
    let list =
        env.api("organizations/demo/issues/?query=is:unresolved&statsPeriod=14d&sort=freq&limit=1");
    let (id, title) = (
        list[0]["id"].as_str().unwrap(),
        list[0]["title"].as_str().unwrap(),
    );
    let b = cold(&env, &format!("/issues/{id}"), "[data-testid=issue-title]").await;
    loaded(&b, Some("issue_page")).await;
    assert_eq!(texts(&b, "[data-testid=issue-title]").await, vec![title]);
    drop(b);
}

#[tokio::test]
async fn a_trace_and_the_traces_list_load_their_page_modules() {
    let env = start_shipped(Flavor::Sentry);
    let list = env.api("organizations/demo/issues/?query=is:unresolved%20KeyError&statsPeriod=14d&sort=freq&limit=1");
    let id = list[0]["id"].as_str().unwrap();
    let ev = env.api(&format!("organizations/demo/issues/{id}/events/latest/"));
    let trace = ev["contexts"]["trace"]["trace_id"].as_str().unwrap();
    let b = cold(&env, &format!("/trace/{trace}"), "[data-testid=wf-row]").await;
    loaded(&b, Some("trace_page")).await;
    let title = texts(&b, "[data-testid=trace-title]").await.join(" ");
    assert!(title.contains(&trace[..8]), "{title} names {trace}");
    drop(b);

    let b = cold(&env, "/traces", "h1.page-title").await;
    wait_js(
        &b,
        "document.querySelectorAll('a[href*=\"/trace/\"]').length > 0",
        40,
    )
    .await;
    loaded(&b, Some("traces_page")).await;
    drop(b);
}

#[tokio::test]
async fn the_timeline_performance_and_settings_load_their_page_modules() {
    let env = start_shipped(Flavor::Sentry);
    let b = cold(&env, "/timeline?range=1h", "[data-testid=timeline-issue]").await;
    loaded(&b, Some("timeline_page")).await;
    drop(b);

    let b = cold(&env, "/performance?range=1h", "[data-testid=perf-txn-row]").await;
    loaded(&b, Some("performance_page")).await;
    drop(b);

    // The settings form holds the served configuration's source.
    let b = cold(&env, "/settings", "#src-name-0").await;
    loaded(&b, Some("settings_page")).await;
    let name = js(&b, "return document.querySelector('#src-name-0').value").await;
    let served: Value = reqwest::get(format!("{}/config.json", env.app))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(name, served["sources"][0]["name"]);
    drop(b);
}

#[tokio::test]
async fn the_wall_loads_its_page_module() {
    let env = start_shipped(Flavor::Sentry);
    let b = cold(&env, "/wall?views=issues", "[data-testid=wall-issue]").await;
    loaded(&b, Some("wall_page")).await;
    drop(b);
}

/// A dashboard redeployed while a tab was open: the tab's page modules are gone from the host.
#[tokio::test]
async fn a_page_whose_module_is_gone_says_so_and_the_rest_keeps_working() {
    let dir = std::env::temp_dir().join(format!("lookout-split-gone-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut removed = 0;
    for e in std::fs::read_dir(shipped_dist_dir()).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with("split_timeline_page-") {
            removed += 1;
            continue;
        }
        std::fs::copy(e.path(), dir.join(&name)).unwrap();
    }
    assert!(removed > 0, "the shipped build has a timeline module");
    let mut opts = options(Flavor::Sentry);
    opts.serve_dist = Some(dir.clone());
    let env = start_with(opts);
    let b = cold(&env, "/", "[data-testid=legend-row]").await;
    js(
        &b,
        "document.querySelector('nav a[href$=\"/timeline\"]').click()",
    )
    .await;
    let notice = wait(&b, "[data-testid=page-not-loaded]", 30).await;
    assert!(notice.text().await.unwrap().contains("Reload"));
    no_panic(&b).await;
    screenshot(&b, "page-not-loaded").await;
    // The header still navigates, and the overview still draws.
    js(
        &b,
        "document.querySelector('nav a[href$=\"/issues\"]').click()",
    )
    .await;
    wait(&b, "[data-testid=issue-row]", 30).await;
    assert_eq!(count(&b, "[data-testid=page-not-loaded]").await, 0);
    drop(b);
    let _ = std::fs::remove_dir_all(&dir);
}
