//! `/timeline` against the simulator's own answers: the lanes are the servers with errors in the
//! window, the busiest issue's first server, first time and spread order are the ones its events
//! say, a click on a mark opens that event, and a window with more events than the timeline
//! holds says so.

use lookout_e2e::*;
use lookout_sim::Flavor;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

fn iso(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .unwrap()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// The last two hours, on whole minutes (the simulator adds no events in tests: it is fixed).
fn window() -> (i64, i64) {
    let end = chrono::Utc::now().timestamp() / 60 * 60;
    (end - 2 * 3600, end)
}

fn ms(v: &Value) -> i64 {
    chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap())
        .unwrap()
        .timestamp_millis()
}

#[tokio::test]
async fn the_timeline_shows_where_the_busiest_issue_began_and_how_it_spread() {
    let env = start(Flavor::Sentry);
    let (s, e) = window();
    let (a, z) = (iso(s), iso(e));
    // The truth, asked of the simulator: the busiest issue of the window, and each server's
    // first event of it.
    let top = env.api(&format!(
        "organizations/demo/events/?dataset=errors&field=issue.id&field=count()&sort=-count()&per_page=5&start={a}&end={z}"
    ));
    let top = &top["data"][0];
    let issue = top["issue.id"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| top["issue.id"].to_string());
    let count = top["count()"].as_u64().unwrap();
    let events = env.api_all(&format!(
        "organizations/demo/events/?dataset=errors&field=id&field=timestamp&field=server_name&sort=timestamp&per_page=100&query=issue.id:{issue}&start={a}&end={z}"
    ));
    assert_eq!(events.len() as u64, count);
    let mut first: BTreeMap<String, (i64, String)> = BTreeMap::new();
    for ev in &events {
        let server = ev["server_name"].as_str().unwrap_or("").to_owned();
        if server.is_empty() {
            continue;
        }
        let t = ms(&ev["timestamp"]);
        let id = ev["id"].as_str().unwrap().to_owned();
        let f = first.entry(server).or_insert((t, id.clone()));
        if (t, &id) < (f.0, &f.1) {
            *f = (t, id);
        }
    }
    let mut order: Vec<(i64, String, String)> =
        first.into_iter().map(|(s, (t, id))| (t, s, id)).collect();
    order.sort();
    assert!(
        order.len() >= 3,
        "the issue reached at least three servers: {order:?}"
    );
    let servers_with_errors: BTreeSet<String> = env
        .api_all(&format!(
            "organizations/demo/events/?dataset=errors&field=server_name&field=count()&per_page=100&start={a}&end={z}"
        ))
        .iter()
        .map(|r| r["server_name"].as_str().unwrap_or("").to_owned())
        .collect();

    let b = browser_sized(1920, 1080).await;
    b.goto(&format!("{}/timeline?start={a}&end={z}", env.app))
        .await
        .unwrap();
    wait(&b, "[data-testid=timeline-issue]", 40).await;
    // One lane per server with errors (and one for events without a server).
    let lanes: BTreeSet<String> = attrs(&b, "[data-testid=timeline-lane]", "data-name")
        .await
        .into_iter()
        .collect();
    assert_eq!(lanes, servers_with_errors, "a lane per server with errors");
    // The legend's first issue is the busiest, with its count, where it began and its spread.
    let shown = js(
        &b,
        "const r = document.querySelector('[data-testid=timeline-issue]');
         const f = r.querySelector('[data-testid=spread-first]');
         return { id: r.dataset.id, count: Number(r.dataset.count),
           first: [f.dataset.server, Number(f.dataset.t), f.textContent],
           steps: [...r.querySelectorAll('[data-testid=spread-step]')].map(s => [s.dataset.server, Number(s.dataset.t)]) }",
    )
    .await;
    assert_eq!(shown["id"], json!(issue), "the busiest issue first");
    assert_eq!(
        shown["count"].as_u64(),
        Some(count),
        "its events in the window"
    );
    assert_eq!(
        shown["first"][0].as_str(),
        Some(order[0].1.as_str()),
        "where it began"
    );
    assert_eq!(
        shown["first"][1].as_i64(),
        Some(order[0].0),
        "when it began"
    );
    assert!(
        shown["first"][2].as_str().unwrap().contains(&order[0].1),
        "the first server named in words: {}",
        shown["first"][2]
    );
    let steps: Vec<(String, i64)> = shown["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s[0].as_str().unwrap().to_owned(), s[1].as_i64().unwrap()))
        .collect();
    let want: Vec<(String, i64)> = order
        .iter()
        .skip(1)
        .take(steps.len().max(1))
        .map(|(t, s, _)| (s.clone(), *t))
        .collect();
    assert_eq!(steps, want, "the order it spread in");
    assert_eq!(
        steps.len(),
        (order.len() - 1).min(5),
        "up to five more servers named"
    );

    // A click on the diamond of its first event opens that event on the issue page.
    let (t0, server, event) = &order[0];
    js(
        &b,
        &format!(
            "const lane = [...document.querySelectorAll('[data-testid=timeline-lane]')].find(l => l.dataset.name === {server:?}).getBoundingClientRect();
             const c = document.querySelector('[data-testid=timeline] canvas');
             const r = c.getBoundingClientRect();
             const x = r.left + ({t0} - {s}000) / ({e}000 - {s}000) * r.width;
             const y = lane.top + lane.height / 2;
             for (const type of ['mousedown', 'mouseup'])
               c.dispatchEvent(new MouseEvent(type, {{ clientX: x, clientY: y, bubbles: true }}));"
        ),
    )
    .await;
    wait_js(
        &b,
        &format!("location.pathname.endsWith('/issues/{issue}') && new URLSearchParams(location.search).get('event') === '{event}'"),
        20,
    )
    .await;
    let shot = screenshot(&b, "timeline-after-click-1920x1080").await;
    eprintln!("screenshot: {}", shot.display());
}

#[tokio::test]
async fn a_window_with_more_events_than_the_timeline_holds_says_so() {
    let env = start(Flavor::Sentry);
    let end = chrono::Utc::now().timestamp() / 60 * 60;
    let (a, z) = (iso(end - 7 * 86_400), iso(end));
    let total = env.api(&format!(
        "organizations/demo/events/?dataset=errors&field=count()&start={a}&end={z}"
    ))["data"][0]["count()"]
        .as_u64()
        .unwrap();
    assert!(
        total > 10_000,
        "a week holds more than the timeline draws: {total}"
    );
    let b = browser_sized(1920, 1080).await;
    b.goto(&format!("{}/timeline?start={a}&end={z}", env.app))
        .await
        .unwrap();
    let notice = wait(&b, "[data-testid=timeline-bounded]", 60).await;
    let text = notice.text().await.unwrap();
    assert!(
        text.contains(&format_count(total)) && text.contains("10,000"),
        "{text}"
    );
    // Every event drawn is in the legend's counts: 10,000 of them.
    let drawn = js(
        &b,
        "return [...document.querySelectorAll('[data-testid=timeline-issue]')].reduce((n, r) => n + Number(r.dataset.count), 0)",
    )
    .await;
    assert!(drawn.as_u64().unwrap() <= 10_000);
    let shot = screenshot(&b, "timeline-week-1920x1080").await;
    eprintln!("screenshot: {}", shot.display());
}

fn format_count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[tokio::test]
async fn the_wall_timeline_has_a_legible_lane_per_group_of_servers() {
    let env = start(Flavor::Sentry);
    let end = chrono::Utc::now().timestamp() / 60 * 60;
    let (a, z) = (iso(end - 3600), iso(end));
    let b = browser_sized(1920, 1080).await;
    b.goto(&format!(
        "{}/wall?views=timeline&start={a}&end={z}&rotate=0",
        env.app
    ))
    .await
    .unwrap();
    // The configured server groups (`name`, `match` as `prefix*`) the dashboard was given.
    let config = js(&b, "return fetch('config.json').then(r => r.json())").await;
    let configured: Vec<(String, String)> = config["serverGroups"]
        .as_array()
        .map(|g| {
            g.iter()
                .map(|g| {
                    let m = g["match"].as_str().unwrap();
                    (
                        g["name"].as_str().unwrap().to_owned(),
                        m.strip_suffix('*').expect("a prefix pattern").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    // The servers with errors in the hour, grouped by configured group, else by their cloud
    // and region tags.
    let mut truth: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in env.api_all(&format!(
        "organizations/demo/events/?dataset=errors&field=server_name&field=cloud&field=region&field=count()&per_page=100&start={a}&end={z}"
    )) {
        let server = r["server_name"].as_str().unwrap_or("").to_owned();
        let (cloud, region) = (
            r["cloud"].as_str().unwrap_or(""),
            r["region"].as_str().unwrap_or(""),
        );
        let named = configured
            .iter()
            .find(|(_, prefix)| !server.is_empty() && server.starts_with(prefix.as_str()));
        let group = match (named, server.is_empty(), cloud.is_empty(), region.is_empty()) {
            (Some((name, _)), ..) => name.clone(),
            (None, true, ..) => String::new(),
            (None, false, false, false) => format!("{cloud} · {region}"),
            (None, false, false, true) => cloud.to_owned(),
            _ => "—".to_owned(),
        };
        truth.entry(group).or_default().insert(server);
    }
    let servers: usize = truth.values().map(BTreeSet::len).sum();
    assert!(servers > 18, "more servers than legible lanes: {truth:?}");
    wait(&b, "[data-testid=timeline-group-lane]", 40).await;
    let lanes = js(
        &b,
        "return [...document.querySelectorAll('[data-testid=timeline-group-lane]')].map(l =>
           [l.dataset.name, Number(l.dataset.servers), parseFloat(getComputedStyle(l).fontSize)])",
    )
    .await;
    let got: BTreeMap<String, usize> = lanes
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l[0].as_str().unwrap().to_owned(),
                l[1].as_u64().unwrap() as usize,
            )
        })
        .collect();
    let want: BTreeMap<String, usize> = truth.iter().map(|(g, s)| (g.clone(), s.len())).collect();
    assert_eq!(got, want, "a lane per group, with its servers with errors");
    let vh = js(&b, "return innerHeight").await.as_f64().unwrap();
    for l in lanes.as_array().unwrap() {
        let px = l[2].as_f64().unwrap();
        assert!(px >= 0.022 * vh - 0.5, "{l}: {px}px at {vh}px high");
    }
    let shot = screenshot(&b, "wall-timeline-groups").await;
    eprintln!("screenshot: {}", shot.display());
}
