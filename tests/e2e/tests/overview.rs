//! The Overview against the simulator's fleet.

use lookout_e2e::*;
use lookout_sim::Flavor;
use std::time::Duration;

fn servers(env: &Env) -> Vec<String> {
    env.info()["servers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn every_server_is_named_on_the_page() {
    let env = start(Flavor::Sentry);
    let b = browser().await;
    b.goto(&format!("{}/", env.app)).await.unwrap();
    wait(&b, "[data-testid=legend-row]", 30).await;
    let names = attrs(&b, "[data-testid=legend-row]", "data-name").await;
    let all = servers(&env);
    assert!(all.len() >= 24);
    for s in &all {
        assert!(
            names.contains(s),
            "{s} is missing from the legend ({} rows)",
            names.len()
        );
    }
    let heat = texts(&b, "[data-testid=heat-row]").await;
    for s in &all {
        assert!(
            heat.iter().any(|h| h == s),
            "{s} is missing from the heatmap"
        );
    }
    // The legend (every series and the remainder) adds up to the errors big number (both are the
    // page's; the simulator's own counts are compared in `the_totals_are_the_servers_own_counts`).
    let total = texts(&b, "[data-testid=legend-total]").await.join("");
    let big = b
        .find(fantoccini::Locator::Css("[data-testid=big-errors] .value"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(total, big);
    assert!(js(&b, "return window.__lookoutPanics || null")
        .await
        .is_null());
}

#[tokio::test]
async fn a_server_drills_down_to_its_issues() {
    let env = start(Flavor::Sentry);
    let b = browser().await;
    b.goto(&format!("{}/", env.app)).await.unwrap();
    wait(&b, "[data-testid=legend-row]", 30).await;
    let link = b
        .find(fantoccini::Locator::Css(
            "[data-testid=legend-row][data-name='aws-apne2-api-7'] a",
        ))
        .await
        .unwrap();
    link.click().await.unwrap();
    wait(&b, "[data-testid=issue-row]", 30).await;
    let url = b.current_url().await.unwrap().to_string();
    assert!(
        url.contains("/issues") && url.contains("server_name%3Aaws-apne2-api-7"),
        "{url}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    let shown = attrs(&b, "[data-testid=issue-row]", "data-id").await;
    let want: Vec<String> = env
        .api("organizations/demo/issues/?query=is:unresolved%20server_name:aws-apne2-api-7&statsPeriod=24h&limit=25")
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        shown, want,
        "the list is what the server answers for that server"
    );
}

#[tokio::test]
async fn a_time_bucket_narrows_the_window() {
    let env = start(Flavor::Sentry);
    let b = browser().await;
    b.goto(&format!("{}/", env.app)).await.unwrap();
    wait(&b, "[data-testid=heat-row]", 30).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    js(&b, "const c = document.querySelector('[data-testid=heatmap] canvas'); const r = c.getBoundingClientRect(); c.dispatchEvent(new MouseEvent('click', {clientX: r.left + r.width * 0.95, clientY: r.top + 5, bubbles: true}));").await;
    let url = wait_js(
        &b,
        "location.search.includes('start=') && location.search",
        10,
    )
    .await;
    let url = url.as_str().unwrap().to_owned();
    assert!(url.contains("end="), "{url}");
    assert!(!url.contains("range=24h"), "{url}");
}

#[tokio::test]
async fn group_by_cloud_keeps_the_total() {
    let env = start(Flavor::Sentry);
    let b = browser().await;
    b.goto(&format!("{}/?group=cloud", env.app)).await.unwrap();
    wait(&b, "[data-testid=legend-row]", 30).await;
    let names = attrs(&b, "[data-testid=legend-row]", "data-name").await;
    assert!(
        names.contains(&"aws".to_owned()) && names.contains(&"gcp".to_owned()),
        "{names:?}"
    );
    let total = texts(&b, "[data-testid=legend-total]").await.join("");
    let big = b
        .find(fantoccini::Locator::Css("[data-testid=big-errors] .value"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(total, big);
}

#[tokio::test]
async fn glitchtip_still_shows_per_server_figures() {
    let env = start(Flavor::Glitchtip);
    let b = browser().await;
    b.goto(&format!("{}/", env.app)).await.unwrap();
    wait(&b, "[data-testid=glitchtip-counted]", 30).await;
    wait(&b, "[data-testid=legend-row]", 30).await;
    let names = attrs(&b, "[data-testid=legend-row]", "data-name").await;
    assert!(
        names.iter().filter(|n| n.contains("-api-")).count() >= 10,
        "per-server rows from tags and samples: {names:?}"
    );
    assert!(count(&b, "[data-testid=matrix-row]").await > 0);
    assert!(js(&b, "return window.__lookoutPanics || null")
        .await
        .is_null());
}

#[tokio::test]
async fn one_refresh_costs_one_list_plus_a_batch_per_ten_servers_and_nothing_while_hidden() {
    let env = start(Flavor::Sentry);
    let b = browser().await;
    b.goto(&format!("{}/?_refreshMs=600", env.app))
        .await
        .unwrap();
    wait(&b, "[data-testid=legend-row]", 30).await;
    // Groups: every server, plus one for events without a server (the browser's), which takes a
    // slot among the first batch's top 10.
    let no_server = env.api("organizations/demo/events/?dataset=errors&field=count()&query=!has:server_name&statsPeriod=48h");
    let n = servers(&env).len() as u64
        + u64::from(no_server["data"][0]["count()"].as_u64().unwrap_or(0) > 0);
    // Let the first (full) load finish, then watch one plain refresh.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let before = env.request_log().len();
    let mut waited = 0;
    while env.request_log()[before..]
        .iter()
        .filter(|(e, _)| e == "events-stats")
        .count()
        == 0
        && waited < 50
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
        waited += 1;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let log = env.request_log();
    let tick: Vec<&(String, String)> = log[before..].iter().collect();
    let stats = tick.iter().filter(|(e, _)| e == "events-stats").count() as u64;
    let lists = tick.iter().filter(|(e, _)| e == "events").count() as u64;
    assert!(
        stats >= 1 && stats <= n.div_ceil(10),
        "{stats} events-stats for {n} groups"
    );
    assert!(
        lists + stats <= 1 + n.div_ceil(10),
        "list {lists} + batches {stats} for {n} groups"
    );
    // Hidden: no requests at all.
    js(&b, "Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'hidden'}); document.dispatchEvent(new Event('visibilitychange', {bubbles: true}));").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let hidden_from = env.requests();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(
        env.requests(),
        hidden_from,
        "requests while the page is hidden"
    );
    // Shown again: refreshed at once.
    js(&b, "Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'visible'}); document.dispatchEvent(new Event('visibilitychange', {bubbles: true}));").await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(env.requests() > hidden_from, "no refresh when shown again");
}

/// Legend names and the legend total.
async fn legend_state(b: &Browser) -> (Vec<String>, String) {
    (
        attrs(b, "[data-testid=legend-row]", "data-name").await,
        texts(b, "[data-testid=legend-total]").await.join(""),
    )
}

#[tokio::test]
async fn a_failed_batch_keeps_the_rest_and_its_last_good_series() {
    let env = start(Flavor::Sentry);
    let b = browser().await;
    b.goto(&format!("{}/", env.app)).await.unwrap();
    wait(&b, "[data-testid=legend-row]", 30).await;
    wait_js(
        &b,
        "document.querySelectorAll('[data-testid=legend-row]').length > 20",
        30,
    )
    .await;
    let (names, total) = legend_state(&b).await;
    assert_eq!(count(&b, "[data-testid=partial]").await, 0);
    // Every events-stats batch after the first (unfiltered) one fails from now on.
    env.faults(lookout_sim::Faults {
        server_error: -1,
        skip: 1,
        path_contains: Some("events-stats".into()),
        ..Default::default()
    });
    click(&b, "[data-testid=refresh]").await;
    let notice = wait(&b, "[data-testid=partial]", 30)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        notice.contains("parts failed") && notice.contains("500"),
        "the notice says how many parts failed and why: {notice}"
    );
    // The failed batches' servers keep their last good series: nothing vanished, the total is the server's.
    let (names_now, total_now) = legend_state(&b).await;
    assert_eq!(names_now.len(), names.len(), "no server vanished");
    assert_eq!(total_now, total);
    // Recovered: the notice goes away.
    env.faults(lookout_sim::Faults::default());
    click(&b, "[data-testid=refresh]").await;
    wait_js(&b, "!document.querySelector('[data-testid=partial]')", 30).await;
}

#[tokio::test]
async fn glitchtip_one_failed_project_list_leaves_the_others() {
    let env = start(Flavor::Glitchtip);
    let projects = env.api("organizations/demo/projects/");
    let n = projects.as_array().unwrap().len();
    assert!(n >= 2);
    let slug = projects[0]["slug"].as_str().unwrap().to_owned();
    env.faults(lookout_sim::Faults {
        server_error: -1,
        path_contains: Some(format!("/projects/demo/{slug}/events")),
        ..Default::default()
    });
    let b = browser().await;
    b.goto(&format!("{}/?range=1h", env.app)).await.unwrap();
    let notice = wait(&b, "[data-testid=partial]", 60)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        notice.contains(&format!("1 of {n} parts failed")) && notice.contains(&slug),
        "{notice}"
    );
    wait(&b, "[data-testid=legend-row]", 30).await;
    assert_eq!(
        count(&b, ".panel .error").await,
        0,
        "no panel is blank with an error"
    );
    // Recovered on the next refresh: the failed project's list is read, the notice goes.
    env.faults(lookout_sim::Faults::default());
    click(&b, "[data-testid=refresh]").await;
    wait_js(&b, "!document.querySelector('[data-testid=partial]')", 30).await;
}

#[tokio::test]
async fn the_totals_are_the_servers_own_counts() {
    let env = start(Flavor::Sentry);
    // A past window on whole hours: the static fleet's counts in it cannot change while we look.
    let now = chrono::Utc::now().timestamp();
    let end = now / 3600 * 3600 - 3600;
    let start_s = end - 6 * 3600;
    let iso = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .unwrap()
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    };
    let (a, z) = (iso(start_s), iso(end));
    let rows = env.api(&format!(
        "organizations/demo/events/?dataset=errors&field=server_name&field=count()&sort=-count()&per_page=100&start={a}&end={z}"
    ));
    let rows = rows["data"].as_array().expect("the events table answers");
    assert!(rows.len() < 100, "one page holds every server");
    let truth: std::collections::BTreeMap<String, u64> = rows
        .iter()
        .filter(|r| r["server_name"].as_str().is_some_and(|n| !n.is_empty()))
        .map(|r| {
            (
                r["server_name"].as_str().unwrap().to_owned(),
                r["count()"].as_u64().unwrap(),
            )
        })
        .collect();
    let total: u64 = rows.iter().map(|r| r["count()"].as_u64().unwrap()).sum();
    assert!(total > 0 && truth.len() >= 24);
    let b = browser().await;
    b.goto(&format!("{}/?start={a}&end={z}", env.app))
        .await
        .unwrap();
    wait(&b, "[data-testid=legend-row]", 30).await;
    let big = texts(&b, "[data-testid=big-errors] .value").await.join("");
    assert_eq!(
        count_of(&big),
        total,
        "the errors big number is the server's count"
    );
    let mut shown = std::collections::BTreeMap::new();
    for row in b
        .find_all(fantoccini::Locator::Css("[data-testid=legend-row]"))
        .await
        .unwrap()
    {
        let name = row.attr("data-name").await.unwrap().unwrap();
        let cells = row
            .find_all(fantoccini::Locator::Css("td.num"))
            .await
            .unwrap();
        let n = count_of(&cells[0].text().await.unwrap());
        if n > 0 || truth.contains_key(&name) {
            shown.insert(name, n);
        }
    }
    assert_eq!(shown, truth, "every server's count is the server's own");
}
