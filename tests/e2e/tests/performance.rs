//! `/performance` against the simulator's own answers: every server × transaction row's p95 is
//! the server's p95 of the window, the rows marked slower are exactly those whose p95 rose more
//! than 20 % against the window before (the simulator's pool exhaustion slows three servers), and
//! each marked row links to its server's slowest traces.

use lookout_e2e::*;
use lookout_sim::Flavor;
use std::collections::{BTreeMap, BTreeSet};

fn iso(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .unwrap()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// p95 and count per (server, transaction) in `[a, z)`, from the simulator's events table.
fn p95s(env: &Env, a: &str, z: &str) -> BTreeMap<(String, String), (f64, u64)> {
    env.api_all(&format!(
        "organizations/demo/events/?dataset=transactions&field=server_name&field=transaction&field=p95(transaction.duration)&field=count()&sort=-count()&per_page=100&start={a}&end={z}"
    ))
    .iter()
    .filter_map(|r| {
        Some((
            (
                r["server_name"].as_str().filter(|s| !s.is_empty())?.to_owned(),
                r["transaction"].as_str()?.to_owned(),
            ),
            (r["p95(transaction.duration)"].as_f64()?, r["count()"].as_u64()?),
        ))
    })
    .collect()
}

#[tokio::test]
async fn performance_marks_exactly_the_server_transactions_that_got_slower() {
    let env = start(Flavor::Sentry);
    // The last hour on whole minutes (fixed: the simulator adds nothing in tests).
    let end = chrono::Utc::now().timestamp() / 60 * 60;
    let (a, z) = (iso(end - 3600), iso(end));
    let now = p95s(&env, &a, &z);
    let before = p95s(&env, &iso(end - 7200), &a);
    let slower: BTreeSet<(String, String)> = now
        .iter()
        // More than 20 % slower, with at least five transactions in each window.
        .filter(|(k, (p, n))| {
            *n >= 5
                && before
                    .get(*k)
                    .is_some_and(|(b, m)| *m >= 5 && *b > 0.0 && *p / *b - 1.0 > 0.2)
        })
        .map(|(k, _)| k.clone())
        .collect();
    assert!(!slower.is_empty(), "the incident made some server slower");
    let b = browser_sized(1920, 1080).await;
    b.goto(&format!("{}/performance?start={a}&end={z}", env.app))
        .await
        .unwrap();
    wait(&b, "[data-testid=perf-txn-row]", 40).await;
    let rows = js(
        &b,
        "return [...document.querySelectorAll('[data-testid=perf-txn-row]')].map(r =>
           [r.dataset.server, r.dataset.transaction, Number(r.dataset.p95), r.dataset.slower === '1',
            !!r.querySelector('[data-testid=slowest-traces]')])",
    )
    .await;
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), now.len(), "a row per server × transaction");
    let mut marked = BTreeSet::new();
    for r in rows {
        let key = (
            r[0].as_str().unwrap().to_owned(),
            r[1].as_str().unwrap().to_owned(),
        );
        let truth = now[&key].0;
        assert!(
            (r[2].as_f64().unwrap() - truth).abs() < 1e-6,
            "{key:?}: p95 {} vs {truth}",
            r[2]
        );
        if r[3].as_bool().unwrap() {
            assert!(
                r[4].as_bool().unwrap(),
                "{key:?} links to its slowest traces"
            );
            marked.insert(key);
        }
    }
    assert_eq!(marked, slower, "the rows marked slower");
    // Sorted by the change by default: the marked rows come first.
    let first_unmarked = rows
        .iter()
        .position(|r| !r[3].as_bool().unwrap())
        .unwrap_or(rows.len());
    assert_eq!(first_unmarked, slower.len(), "the slower rows first");
    let count = texts(&b, "[data-testid=perf-slower-count]").await.join("");
    assert!(count.contains(&slower.len().to_string()), "{count}");
    // The p95 chart draws every server with transactions.
    wait_js(
        &b,
        "document.querySelector('[data-testid=perf-p95-chart] canvas')?.width > 0",
        20,
    )
    .await;
    let shot = screenshot(&b, "performance-1920x1080").await;
    eprintln!("screenshot: {}", shot.display());
    // Sorting by throughput reorders by the server's own epm.
    js(&b, "document.querySelector('[data-sort=tpm]').click()").await;
    wait_js(
        &b,
        "new URLSearchParams(location.search).get('sort') === 'tpm'",
        10,
    )
    .await;
    let tpm = js(
        &b,
        "return [...document.querySelectorAll('[data-testid=perf-txn-row] td:nth-child(6)')].map(c => Number(c.textContent))",
    )
    .await;
    let tpm: Vec<f64> = tpm
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_f64())
        .collect();
    assert!(
        tpm.windows(2).all(|w| w[0] >= w[1]),
        "by throughput: {tpm:?}"
    );
}

#[tokio::test]
async fn performance_on_glitchtip_names_what_it_cannot_give() {
    let env = start(Flavor::Glitchtip);
    let b = browser_sized(1920, 1080).await;
    b.goto(&format!("{}/performance?range=24h", env.app))
        .await
        .unwrap();
    let notice = wait(&b, "[data-testid=perf-glitchtip]", 40).await;
    let text = notice.text().await.unwrap();
    assert!(
        text.contains("p95") && text.contains("not available"),
        "{text}"
    );
    wait(&b, "[data-testid=perf-group]", 40).await;
    assert_eq!(count(&b, "[data-testid=perf-txn-row]").await, 0);
}

/// When a release reached users, as the simulator's releases list says: its last deploy, else
/// its release date, else its creation.
fn deployed(r: &serde_json::Value) -> i64 {
    let t = r["lastDeploy"]["dateFinished"]
        .as_str()
        .or(r["dateReleased"].as_str())
        .or(r["dateCreated"].as_str())
        .unwrap();
    chrono::DateTime::parse_from_rfc3339(t).unwrap().timestamp()
}

#[tokio::test]
async fn slower_since_a_release_names_the_transactions_and_servers_that_moved() {
    let env = start(Flavor::Sentry);
    let now = chrono::Utc::now().timestamp();
    // The latest three releases, each with the release of its project before it.
    let mut releases: Vec<(i64, String, String)> = env
        .api("organizations/demo/releases/?per_page=50")
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                deployed(r),
                r["version"].as_str().unwrap().to_owned(),
                r["projects"][0]["slug"].as_str().unwrap().to_owned(),
            )
        })
        .filter(|r| r.0 <= now)
        .collect();
    releases.sort_by_key(|r| std::cmp::Reverse(r.0));
    let pairs: Vec<(String, String)> = releases
        .iter()
        .take(3)
        .filter_map(|(t, v, p)| {
            let prev = releases.iter().find(|(u, _, q)| u < t && q == p)?;
            Some((v.clone(), prev.1.clone()))
        })
        .collect();
    assert!(!pairs.is_empty());
    let b = browser_sized(1920, 1080).await;
    b.goto(&format!("{}/performance?range=1h", env.app))
        .await
        .unwrap();
    wait(&b, "[data-testid=release-moves]", 60).await;
    // Per pair, the server transactions whose p95 of successful transactions rose by more than
    // 20 % (30 or more under each release), from the simulator's p95 per release.
    // Over the window the page asked for (from its releases' oldest marker to its own "now"),
    // read from the simulator's log: a window taken here could keep or lose a pair that sits
    // at the threshold.
    let log = env.request_log();
    let (endpoint, query) = log
        .iter()
        .find(|(e, q)| e == "events" && q.contains("field=release"))
        .expect("the page asked for its releases' transactions");
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
            .unwrap_or_else(|| panic!("{endpoint}?{query}: no {name}"))
            .to_owned()
    };
    let (a, z) = (param("start"), param("end"));
    let by_release = |v: &str| {
        p95s(
            &env,
            &format!("{a}&query=transaction.status:ok%20release:%22{v}%22"),
            &z,
        )
    };
    let mut truth: BTreeMap<String, BTreeMap<(String, String), f64>> = BTreeMap::new();
    for (v, prev) in &pairs {
        let (a, b) = (by_release(v), by_release(prev));
        let moved = a
            .iter()
            .filter_map(|(k, (p, n))| {
                let (q, m) = b.get(k)?;
                let change = p / q - 1.0;
                (*n >= 30 && *m >= 30 && *q > 0.0 && change > 0.2).then(|| (k.clone(), change))
            })
            .collect();
        truth.insert(v.clone(), moved);
    }
    // The regression the simulator ships with the API's latest release is among them.
    let api = releases.iter().find(|r| r.2 == "api").unwrap();
    let search = |s: &str| (s.to_owned(), "GET /v1/search".to_owned());
    for s in ["gcp-ane3-api-1", "gcp-ane3-api-4"] {
        assert!(
            truth[&api.1].get(&search(s)).is_some_and(|c| *c > 0.5),
            "{s}: {:?}",
            truth[&api.1]
        );
    }
    assert!(!truth[&api.1].contains_key(&search("aws-apne2-api-1")));
    eprintln!(
        "moved: {:?}",
        truth.iter().map(|(v, m)| (v, m.len())).collect::<Vec<_>>()
    );

    let shown = js(
        &b,
        "return [...document.querySelectorAll('[data-testid=release-moves]')].map(b =>
           [b.dataset.release, [...b.querySelectorAll('[data-testid=release-move]')].map(m =>
              [m.dataset.server, m.dataset.transaction, Number(m.dataset.change)])])",
    )
    .await;
    let shown = shown.as_array().unwrap();
    let order: Vec<&str> = shown.iter().map(|b| b[0].as_str().unwrap()).collect();
    let want: Vec<&str> = releases.iter().take(3).map(|r| r.1.as_str()).collect();
    assert_eq!(order, want, "the latest three releases, newest first");
    for block in shown {
        let v = block[0].as_str().unwrap();
        let got: BTreeMap<(String, String), f64> = block[1]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    (
                        m[0].as_str().unwrap().to_owned(),
                        m[1].as_str().unwrap().to_owned(),
                    ),
                    m[2].as_f64().unwrap(),
                )
            })
            .collect();
        let want = truth.get(v).cloned().unwrap_or_default();
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            want.keys().collect::<Vec<_>>(),
            "{v}: the server transactions that moved"
        );
        for (k, c) in &got {
            assert!((c - want[k]).abs() < 1e-6, "{v} {k:?}: {c} vs {}", want[k]);
        }
    }
    js(
        &b,
        "document.querySelector('[data-testid=perf-releases]').scrollIntoView()",
    )
    .await;
    let shot = screenshot(&b, "performance-releases-1920x1080").await;
    eprintln!("screenshot: {}", shot.display());
}

#[tokio::test]
async fn the_latency_heatmap_has_a_row_per_server_and_tops_out_at_the_slowest_minute() {
    let env = start(Flavor::Sentry);
    let end = chrono::Utc::now().timestamp() / 60 * 60;
    let (a, z) = (iso(end - 3600), iso(end));
    let b = browser_sized(1920, 1080).await;
    b.goto(&format!("{}/performance?start={a}&end={z}", env.app))
        .await
        .unwrap();
    wait(&b, "[data-testid=heat-row]", 40).await;
    let max = wait_js(
        &b,
        "(v => v > 0 ? v : null)(Number(document.querySelector('[data-testid=heat-legend-max]')?.dataset.value))",
        20,
    )
    .await
    .as_f64()
    .unwrap();
    // A cell's span (the heatmap is wider than the window's buckets: a cell is one bucket).
    let secs: i64 = attrs(&b, "[data-testid=heat-legend]", "data-secs").await[0]
        .parse()
        .unwrap();
    assert!(secs >= 60 && secs % 60 == 0, "{secs}");
    // Every server with transactions in the window, and the slowest p95 of one of its cells.
    let servers: BTreeSet<String> = p95s(&env, &a, &z).into_keys().map(|k| k.0).collect();
    let mut slowest = 0f64;
    for s in &servers {
        let stats = env.api(&format!(
            "organizations/demo/events-stats/?dataset=transactions&yAxis=p95(transaction.duration)&interval={}m&start={a}&end={z}&query=server_name:{s}",
            secs / 60
        ));
        for point in stats["data"].as_array().unwrap() {
            slowest = slowest.max(point[1][0]["count"].as_f64().unwrap_or(0.0));
        }
    }
    assert!(slowest > 0.0);
    let rows: BTreeSet<String> = texts(&b, "[data-testid=heat-row]")
        .await
        .into_iter()
        .collect();
    assert_eq!(rows, servers, "a heatmap row per server with transactions");
    assert!(
        (max - slowest).abs() / slowest < 1e-3,
        "legend's top {max} vs the slowest cell's p95 {slowest}"
    );
    js(
        &b,
        "document.querySelector('[data-testid=heatmap]').scrollIntoView()",
    )
    .await;
    let shot = screenshot(&b, "performance-heatmap-1920x1080").await;
    eprintln!("screenshot: {}", shot.display());
}
