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
