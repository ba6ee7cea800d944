//! The Overview's other ways of looking at the fleet, each compared with the simulator's own
//! answers fetched in the test: every group-by, the release markers, performance by server, and
//! what a broken `config.json` says.

use lookout_e2e::*;
use lookout_sim::{Flavor, SimOptions};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// A past window of six whole hours: the static fleet's counts in it cannot change while we look.
fn past_window() -> (i64, i64, String, String) {
    let now = chrono::Utc::now().timestamp();
    let end = now / 3600 * 3600 - 3600;
    let start = end - 6 * 3600;
    let iso = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .unwrap()
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    };
    (start, end, iso(start), iso(end))
}

/// `field` → `count()` in the window, from the simulator's events table.
fn table(env: &Env, field: &str, query: &str, a: &str, z: &str) -> BTreeMap<String, u64> {
    let rows = env.api_all(&format!(
        "organizations/demo/events/?dataset=errors&field={field}&field=count()&sort=-count()&per_page=100&start={a}&end={z}&query={query}"
    ));
    rows.iter()
        .filter_map(|r| {
            let name = match &r[field] {
                Value::String(s) if !s.is_empty() => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return None,
            };
            Some((name, r["count()"].as_u64().unwrap()))
        })
        .collect()
}

/// Legend row name → count, for rows with events.
async fn legend_counts(b: &Browser) -> BTreeMap<String, u64> {
    let v = js(
        b,
        "return [...document.querySelectorAll('[data-testid=legend-row]')].map(r => [r.dataset.name, r.querySelector('td.num').textContent])",
    )
    .await;
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_owned(),
                count_of(p[1].as_str().unwrap()),
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect()
}

#[tokio::test]
async fn every_group_by_adds_up_the_servers_own_counts() {
    let env = start(Flavor::Sentry);
    let (_, _, a, z) = past_window();
    let servers = table(&env, "server_name", "", &a, &z);
    assert!(servers.len() >= 24);
    let mut groups: BTreeMap<String, u64> = BTreeMap::new();
    for (s, n) in &servers {
        // The demo's serverGroups: AWS = aws-*, GCP = gcp-*.
        let g = if s.starts_with("aws-") {
            "AWS"
        } else if s.starts_with("gcp-") {
            "GCP"
        } else {
            "—"
        };
        *groups.entry(g.into()).or_default() += n;
    }
    let cases: Vec<(&str, BTreeMap<String, u64>)> = vec![
        // Derived from the servers (cloud / region tags of each server, configured patterns).
        ("region", table(&env, "region", "has:server_name", &a, &z)),
        ("groups", groups),
        // Their own dimension, asked of the server.
        ("environment", table(&env, "environment", "", &a, &z)),
        ("release", table(&env, "release", "", &a, &z)),
        ("project", table(&env, "project", "", &a, &z)),
    ];
    let b = browser().await;
    for (group, truth) in cases {
        assert!(truth.len() >= 2, "{group}: {truth:?}");
        b.goto(&format!("{}/?start={a}&end={z}&group={group}", env.app))
            .await
            .unwrap();
        wait(&b, "[data-testid=legend-row]", 30).await;
        // The legend settles on the group's own rows (no stale rows of another grouping).
        let want: Vec<String> = truth.keys().cloned().collect();
        wait_js(
            &b,
            &format!(
                "(() => {{ const n = [...document.querySelectorAll('[data-testid=legend-row]')].map(r => r.dataset.name); return {} .every(w => n.includes(w)); }})()",
                json!(want)
            ),
            30,
        )
        .await;
        let shown = legend_counts(&b).await;
        assert_eq!(
            shown, truth,
            "group={group}: legend against the server's counts"
        );
        screenshot(&b, &format!("overview-group-{group}")).await;
    }
}

#[tokio::test]
async fn release_markers_are_the_releases_of_the_window() {
    let env = start(Flavor::Sentry);
    // A week: the demo deploys every two to seven days per project.
    let end = chrono::Utc::now().timestamp() / 3600 * 3600 - 3600;
    let start = end - 7 * 86_400;
    let iso = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .unwrap()
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    };
    let (a, z) = (iso(start), iso(end));
    // The releases the server has, with the time Sentry's UI marks them at (the deploy's finish,
    // else the release date, else its creation).
    let releases = env.api("organizations/demo/releases/?per_page=100");
    let parse = |v: &Value| {
        v.as_str()
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
            .map(|d| d.timestamp())
    };
    let mut want: Vec<String> = releases
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| {
            let t = parse(&r["lastDeploy"]["dateFinished"])
                .or_else(|| parse(&r["dateReleased"]))
                .or_else(|| parse(&r["dateCreated"]))?;
            let label = r["shortVersion"]
                .as_str()
                .or(r["version"].as_str())?
                .to_owned();
            (t >= start && t <= end).then(|| format!("{t} {label}"))
        })
        .collect();
    want.sort();
    assert!(!want.is_empty(), "the window holds a release");
    let b = browser().await;
    b.goto(&format!("{}/?start={a}&end={z}", env.app))
        .await
        .unwrap();
    let shown = wait_js(
        &b,
        "document.querySelector('[data-testid=errors-chart]')?.dataset.releases",
        30,
    )
    .await;
    let mut shown: Vec<String> = shown
        .as_str()
        .unwrap()
        .lines()
        .filter(|l| {
            l.split(' ')
                .next()
                .and_then(|t| t.parse::<i64>().ok())
                .is_some_and(|t| t >= start && t <= end)
        })
        .map(str::to_owned)
        .collect();
    shown.sort();
    assert_eq!(shown, want, "release markers in the window");
    screenshot(&b, "overview-releases").await;
}

#[tokio::test]
async fn performance_by_server_is_the_windows_p95_and_throughput() {
    let env = start(Flavor::Sentry);
    let (_, _, a, z) = past_window();
    let rows = env.api_all(&format!(
        "organizations/demo/events/?dataset=transactions&field=server_name&field=p95(transaction.duration)&field=epm()&field=count()&sort=-count()&per_page=100&start={a}&end={z}"
    ));
    let truth: BTreeMap<String, (String, String)> = rows
        .iter()
        .filter_map(|r| {
            let name = r["server_name"].as_str().filter(|s| !s.is_empty())?;
            Some((
                name.to_owned(),
                (
                    lookout_core::format::duration_ms(
                        r["p95(transaction.duration)"].as_f64().unwrap_or(0.0),
                    ),
                    format!("{:.1}", r["epm()"].as_f64().unwrap_or(0.0)),
                ),
            ))
        })
        .collect();
    assert!(truth.len() >= 20, "{truth:?}");
    let b = browser_sized(1920, 1080).await;
    b.goto(&format!("{}/?start={a}&end={z}", env.app))
        .await
        .unwrap();
    wait(&b, "[data-testid=legend-row]", 30).await;
    js(
        &b,
        "document.querySelector('details.panel summary').click()",
    )
    .await;
    wait_js(
        &b,
        &format!(
            "document.querySelectorAll('[data-testid=perf-row]').length >= {}",
            truth.len()
        ),
        30,
    )
    .await;
    let v = js(
        &b,
        "return [...document.querySelectorAll('[data-testid=perf-row]')].map(r => [r.dataset.name, ...[...r.querySelectorAll('td.num')].map(c => c.textContent)])",
    )
    .await;
    let shown: BTreeMap<String, (String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r[0].as_str().unwrap().to_owned(),
                (
                    r[1].as_str().unwrap().to_owned(),
                    r[2].as_str().unwrap().to_owned(),
                ),
            )
        })
        .collect();
    assert_eq!(shown, truth, "p95 and transactions per minute per server");
    // Slowest first.
    let order: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[0].as_str().unwrap().to_owned())
        .collect();
    let p95 = |n: &str| {
        rows.iter()
            .find(|r| r["server_name"] == n)
            .and_then(|r| r["p95(transaction.duration)"].as_f64())
            .unwrap_or(0.0)
    };
    assert!(
        order.windows(2).all(|w| p95(&w[0]) >= p95(&w[1])),
        "rows slowest first: {order:?}"
    );
    js(
        &b,
        "document.querySelector('[data-testid=perf]').scrollIntoView()",
    )
    .await;
    screenshot(&b, "overview-performance").await;
}

#[tokio::test]
async fn a_broken_config_says_what_is_wrong_and_the_app_still_works() {
    for (config, needles) in [
        (
            json!({"sources": [{"name": "Prod", "url": "ftp://sentry.example", "org": ""}]})
                .to_string(),
            vec![
                "config.json has a problem",
                "Prod: Enter the organization slug",
                "Prod: Enter an http(s) URL",
            ],
        ),
        (
            json!({"sources": [
                {"name": "A", "url": "{self}", "org": "demo", "token": "lookout-demo"},
                {"name": "A", "url": "{self}", "org": "demo"},
            ]})
            .to_string(),
            vec!["A: Another source has this name"],
        ),
        ("[1, 2, 3]".to_owned(), vec!["config.json has a problem"]),
    ] {
        let env = start_with(SimOptions {
            served_config: Some(config.clone()),
            ..options(Flavor::Sentry)
        });
        let b = browser().await;
        b.goto(&format!("{}/", env.app)).await.unwrap();
        let text = wait(&b, "[data-testid=config-problem]", 30)
            .await
            .text()
            .await
            .unwrap();
        for n in &needles {
            assert!(text.contains(n), "{config}: {n:?} not in {text:?}");
        }
        assert!(
            !text.contains('{') && !text.contains("Missing"),
            "the problem is in words, not debug output: {text:?}"
        );
        // With no usable source, the page says so and where to add one.
        let link = wait(&b, "[data-testid=no-sources] a", 10)
            .await
            .attr("href")
            .await
            .unwrap();
        assert_eq!(link.as_deref(), Some("/settings"));
        screenshot(&b, "config-problem").await;
        // The rest works: the settings page opens and offers to add a source.
        b.goto(&format!("{}/settings", env.app)).await.unwrap();
        wait(&b, "[data-testid=add-source]", 30).await;
        assert!(js(&b, "return window.__lookoutPanics || null")
            .await
            .is_null());
    }
}

#[tokio::test]
async fn a_custom_range_typed_into_the_form_is_the_window_counted() {
    let env = start(Flavor::Sentry);
    let (s, e, a, z) = past_window();
    let truth = table(&env, "server_name", "", &a, &z);
    // The big number also counts events without a server name (which have no legend row).
    let total: u64 = env
        .api_all(&format!(
            "organizations/demo/events/?dataset=errors&field=server_name&field=count()&sort=-count()&per_page=100&start={a}&end={z}"
        ))
        .iter()
        .map(|r| r["count()"].as_u64().unwrap())
        .sum();
    assert!(total > 0);
    let b = browser().await;
    b.goto(&format!("{}/", env.app)).await.unwrap();
    wait(&b, "[data-testid=legend-row]", 30).await;
    click(&b, "[data-testid=range-custom]").await;
    wait(&b, "#range-from", 10).await;
    // Typed as the browser's own date-time inputs hold it (local time), with the events a user's
    // typing fires; the form keeps what was typed, nothing reads the inputs back by id.
    js(
        &b,
        &format!(
            "const pad = n => String(n).padStart(2, '0');
             const local = ms => {{ const d = new Date(ms); return `${{d.getFullYear()}}-${{pad(d.getMonth() + 1)}}-${{pad(d.getDate())}}T${{pad(d.getHours())}}:${{pad(d.getMinutes())}}`; }};
             for (const [id, ms] of [['range-from', {}], ['range-to', {}]]) {{
               const el = document.getElementById(id);
               el.value = local(ms);
               el.dispatchEvent(new Event('input', {{bubbles: true}}));
             }}",
            s * 1000,
            e * 1000
        ),
    )
    .await;
    click(&b, "[data-testid=range-apply]").await;
    let params = wait_js(
        &b,
        "(() => { const p = new URLSearchParams(location.search); return p.get('end') && [p.get('start'), p.get('end')]; })()",
        10,
    )
    .await;
    let param = |k: usize| {
        let v = params[k].as_str().unwrap_or_default();
        chrono::DateTime::parse_from_rfc3339(v)
            .unwrap_or_else(|err| panic!("{v} in {params}: {err}"))
            .timestamp()
    };
    assert_eq!((param(0), param(1)), (s, e), "the window typed");
    let want = json!(total.to_string());
    wait_eq(
        &b,
        "(() => { const v = document.querySelector('[data-testid=big-errors] .value'); return v && v.textContent.replace(/[^0-9]/g, ''); })()",
        &want,
        30,
    )
    .await;
    assert_eq!(
        legend_counts(&b).await,
        truth,
        "every server in the typed window"
    );
}

#[tokio::test]
async fn a_band_of_the_chart_names_its_server_and_opens_its_issues() {
    let env = start(Flavor::Sentry);
    let (_, _, a, z) = past_window();
    let b = browser_sized(1920, 1080).await;
    b.goto(&format!("{}/?start={a}&end={z}", env.app))
        .await
        .unwrap();
    wait(&b, "[data-testid=legend-row]", 30).await;
    wait_js(
        &b,
        "document.querySelector('[data-testid=errors-chart] canvas')?.width > 0",
        30,
    )
    .await;
    // Up a column of the chart from its bottom until the pointer is on a server's band (a
    // one-minute column may hold no event: then the next one).
    let found = js(
        &b,
        "return (async () => {
           const c = document.querySelector('[data-testid=errors-chart] canvas');
           const r = c.getBoundingClientRect();
           for (const f of [0.6, 0.5, 0.7, 0.4, 0.8, 0.3, 0.9, 0.2])
           for (let y = r.bottom - 1, x = r.left + r.width * f; y > r.top; y -= 2) {
             c.dispatchEvent(new MouseEvent('mousemove', {clientX: x, clientY: y, bubbles: true}));
             await new Promise(res => setTimeout(res, 0));
             const band = document.querySelector('[data-testid=chart-band]');
             if (band && band.dataset.name) {
               const tip = document.querySelector('[data-testid=chart-tip]');
               return [band.dataset.name, band.querySelectorAll('b')[1].textContent, +tip.dataset.start, +tip.dataset.secs, x, y];
             }
           }
           return null;
         })()",
    )
    .await;
    assert!(found.is_array(), "no band under the pointer: {found}");
    let name = found[0].as_str().unwrap().to_owned();
    let shown = count_of(found[1].as_str().unwrap());
    let (start, secs) = (found[2].as_i64().unwrap(), found[3].as_i64().unwrap());
    let iso = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .unwrap()
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    };
    // The truth: that server's events in that column's span, asked of the simulator.
    let truth = table(
        &env,
        "server_name",
        &format!("server_name:{name}"),
        &iso(start),
        &iso(start + secs),
    );
    assert_eq!(Some(&shown), truth.get(&name), "{name} at {start}+{secs}s");
    // A click on the band opens that server's issues.
    js(
        &b,
        &format!(
            "const c = document.querySelector('[data-testid=errors-chart] canvas');
             c.dispatchEvent(new MouseEvent('click', {{clientX: {}, clientY: {}, bubbles: true}}));",
            found[4], found[5]
        ),
    )
    .await;
    let want = json!(true);
    wait_eq(
        &b,
        &format!(
            "location.pathname.endsWith('/issues') && decodeURIComponent(location.search.replace(/\\+/g, ' ')).includes('server_name:{name}')"
        ),
        &want,
        10,
    )
    .await;
}
