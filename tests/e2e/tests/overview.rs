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
    // The heatmap renders after the chart's first paint.
    wait(&b, "[data-testid=heat-row]", 30).await;
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
    // The list is what the server answers for that server.
    let want: Vec<String> = env
        .api("organizations/demo/issues/?query=is:unresolved%20server_name:aws-apne2-api-7&statsPeriod=24h&limit=25")
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(!want.is_empty());
    wait_eq(&b, ISSUE_IDS, &serde_json::json!(want), 20).await;
}

#[tokio::test]
async fn a_time_bucket_narrows_the_window() {
    let env = start(Flavor::Sentry);
    let b = browser().await;
    b.goto(&format!("{}/", env.app)).await.unwrap();
    wait(&b, "[data-testid=heat-row]", 30).await;
    wait_js(
        &b,
        "document.querySelector('[data-testid=heatmap] canvas')?.width > 0",
        10,
    )
    .await;
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
    wait(&b, "[data-testid=matrix-row]", 30).await;
    assert!(js(&b, "return window.__lookoutPanics || null")
        .await
        .is_null());
}

/// Requests per endpoint between two snapshots.
fn delta(
    before: &std::collections::BTreeMap<String, u64>,
    after: &std::collections::BTreeMap<String, u64>,
) -> std::collections::BTreeMap<String, u64> {
    after
        .iter()
        .map(|(k, v)| (k.clone(), v - before.get(k).copied().unwrap_or(0)))
        .filter(|(_, v)| *v > 0)
        .collect()
}

#[tokio::test]
async fn one_refresh_costs_a_batch_per_ten_servers_and_nothing_while_hidden() {
    let env = start(Flavor::Sentry);
    let b = browser().await;
    let period_ms = 2000;
    b.goto(&format!("{}/?_refreshMs={period_ms}", env.app))
        .await
        .unwrap();
    wait(&b, "[data-testid=legend-row]", 30).await;
    // What the chart asks for: every value of server_name seen in this window and the one before
    // (the simulator's own table), events without a server being one more group.
    let rows = env.api_all("organizations/demo/events/?dataset=errors&field=server_name&field=count()&sort=-count()&statsPeriod=48h&per_page=100");
    let servers = rows
        .iter()
        .filter(|r| r["server_name"].as_str().is_some_and(|s| !s.is_empty()))
        .count() as u64;
    let groups = rows.len() as u64;
    assert!(servers >= 24, "{servers} servers");
    let budget = 1 + servers.div_ceil(10);

    // Whole refreshes, told apart by the page's own count of finished and painted refreshes:
    // the requests between two of them are exactly one refresh's.
    let (mut done, _) = refresh_counts(&b).await;
    done = wait_refresh_after(&b, done, 30).await;
    let mut before = env.endpoint_counts();
    let mut refreshes = Vec::new();
    while refreshes.len() < 11 {
        let now = wait_refresh_after(&b, done, 30).await;
        let after = env.endpoint_counts();
        if now == done + 1 {
            refreshes.push(delta(&before, &after));
        }
        done = now;
        before = after;
    }
    let total = |r: &std::collections::BTreeMap<String, u64>| r.values().sum::<u64>();
    let mut with_list = 0;
    for (i, r) in refreshes.iter().enumerate() {
        let stats = r.get("events-stats").copied().unwrap_or(0);
        let list = r.get("events").copied().unwrap_or(0);
        assert!(
            stats >= 1 && stats <= groups.div_ceil(10),
            "refresh {i}: {stats} events-stats for {groups} groups: {r:?}"
        );
        if list == 0 {
            // A plain refresh: the batches and nothing else.
            assert_eq!(total(r), stats, "refresh {i}: {r:?}");
            assert!(
                total(r) <= budget,
                "refresh {i}: {} requests for {servers} servers (budget {budget}): {r:?}",
                total(r)
            );
        } else {
            with_list += 1;
        }
    }
    // The list of servers and the slower panels come back on every fifth refresh.
    assert!(
        (2..=3).contains(&with_list),
        "{with_list} of 11 refreshes read the list: {refreshes:?}"
    );
    let mut totals: Vec<u64> = refreshes.iter().map(total).collect();
    totals.sort();
    assert!(
        totals[totals.len() / 2] <= budget,
        "median refresh {} requests (budget {budget}): {totals:?}",
        totals[totals.len() / 2]
    );

    // Hidden: no refresh and no request for three periods.
    js(&b, "Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'hidden'}); document.dispatchEvent(new Event('visibilitychange', {bubbles: true}));").await;
    // A refresh already under way may still finish.
    wait_js(
        &b,
        "window.__lookoutRefreshes === window.__lookoutTicks",
        10,
    )
    .await;
    let (hidden_done, hidden_ticks) = refresh_counts(&b).await;
    let hidden_from = env.requests();
    // Absence can only be shown over time: three refresh periods.
    tokio::time::sleep(Duration::from_millis(3 * period_ms)).await;
    assert_eq!(
        env.requests(),
        hidden_from,
        "requests while the page is hidden"
    );
    assert_eq!(refresh_counts(&b).await, (hidden_done, hidden_ticks));
    // Shown again: refreshed at once, not a period later.
    js(&b, "Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'visible'}); document.dispatchEvent(new Event('visibilitychange', {bubbles: true}));").await;
    let shown = std::time::Instant::now();
    wait_refresh_after(&b, hidden_done, 10).await;
    assert!(env.requests() > hidden_from, "no refresh when shown again");
    assert!(
        shown.elapsed() < Duration::from_millis(period_ms),
        "the refresh on showing waited {:?}",
        shown.elapsed()
    );
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
    // Read in one go: a legend drawn again meanwhile would leave stale element handles.
    let rows = js(
        &b,
        "return [...document.querySelectorAll('[data-testid=legend-row]')].map(r =>
           [r.dataset.name, r.querySelector('td.num').innerText])",
    )
    .await;
    let mut shown = std::collections::BTreeMap::new();
    for row in rows.as_array().unwrap() {
        let name = row[0].as_str().unwrap().to_owned();
        let n = count_of(row[1].as_str().unwrap());
        if n > 0 || truth.contains_key(&name) {
            shown.insert(name, n);
        }
    }
    assert_eq!(shown, truth, "every server's count is the server's own");
}
