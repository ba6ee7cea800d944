//! The wall's parts, each against the simulator's own answers: the attention strip when a new
//! issue arrives through the real SDK, the refresh ring counting down, `sources=`, and the
//! `project:` and `group:` views.

use lookout_e2e::*;
use lookout_sim::{Flavor, Sim, SimOptions};
use serde_json::json;

fn past_window() -> (String, String) {
    let now = chrono::Utc::now().timestamp();
    let end = now / 3600 * 3600 - 3600;
    let iso = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .unwrap()
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    };
    (iso(end - 6 * 3600), iso(end))
}

#[tokio::test]
async fn a_new_issue_comes_up_in_the_attention_strip_and_links_to_itself() {
    let env = start(Flavor::Sentry);
    let b = browser_sized(1920, 1080).await;
    b.goto(&format!("{}/wall?_refreshMs=700&views=overview", env.app))
        .await
        .unwrap();
    wait(&b, "[data-testid=wall-chart] canvas", 30).await;
    // Let the slower figures (new issues) come in once: the strip compares the next with them.
    let (done, _) = refresh_counts(&b).await;
    wait_refresh_after(&b, done, 30).await;
    wait_js(
        &b,
        "document.querySelector('[data-testid=big-new] .value')?.textContent !== '–'",
        30,
    )
    .await;
    assert_eq!(
        count(&b, "[data-testid=attention]").await,
        0,
        "nothing new yet"
    );
    let mut ev = sentry::protocol::Event::new();
    ev.level = sentry::protocol::Level::Error;
    ev.server_name = Some("aws-apne2-api-3".into());
    ev.fingerprint = vec!["wall-attention-e2e".into()].into();
    ev.exception = vec![sentry::protocol::Exception {
        ty: "WallAttentionError".into(),
        value: Some("a brand-new failure".into()),
        ..Default::default()
    }]
    .into();
    let id = issue_of(&env, &send_event(&env, "api", ev));
    // The slower figures come back within five refreshes.
    let href = wait_js(
        &b,
        "[...document.querySelectorAll('[data-testid=attention]')].find(a => a.textContent.includes('WallAttentionError'))?.getAttribute('href')",
        40,
    )
    .await;
    assert_eq!(
        href,
        json!(format!("/issues/{id}?source=Demo")),
        "the item opens that issue"
    );
    let text = texts(&b, "[data-testid=strip]").await.join(" ");
    assert!(text.contains("new issue"), "{text}");
    screenshot(&b, "wall-attention").await;
}

#[tokio::test]
async fn the_ring_counts_down_to_the_next_refresh() {
    let env = start(Flavor::Sentry);
    let b = browser_sized(1920, 1080).await;
    b.goto(&format!("{}/wall?_refreshMs=6000&views=overview", env.app))
        .await
        .unwrap();
    wait(&b, "[data-testid=wall-chart] canvas", 30).await;
    let offset = "parseFloat(document.querySelector('[data-testid=source-status] .ring circle.left').getAttribute('stroke-dashoffset'))";
    let (done, _) = refresh_counts(&b).await;
    let done = wait_refresh_after(&b, done, 30).await;
    // Just after a refresh the ring is nearly full; it empties as the next one nears.
    let early = wait_js(&b, &format!("{offset} < 40 && {offset}"), 10)
        .await
        .as_f64()
        .unwrap_or(0.0);
    let later = wait_js(&b, &format!("{offset} > {early} + 30 && {offset}"), 10)
        .await
        .as_f64()
        .unwrap();
    assert!(later > early);
    wait_refresh_after(&b, done, 15).await;
    wait_js(&b, &format!("{offset} < {later}"), 5).await;
}

#[tokio::test]
async fn sources_chooses_which_sources_a_wall_shows() {
    let gt = Sim::start(SimOptions {
        port: 0,
        flavor: Flavor::Glitchtip,
        live_interval_ms: 0,
        quiet: true,
        ..SimOptions::default()
    })
    .unwrap();
    let config = json!({"sources": [
        {"name": "Prod", "url": "{self}", "org": "demo", "token": "lookout-demo", "kind": "sentry"},
        {"name": "GT", "url": gt.url, "org": "demo", "token": "lookout-demo", "kind": "glitchtip"},
    ]});
    let env = start_with(SimOptions {
        served_config: Some(config.to_string()),
        ..options(Flavor::Sentry)
    });
    let b = browser_sized(1920, 1080).await;
    let chips =
        "[...document.querySelectorAll('[data-testid=source-status]')].map(e => e.dataset.source)";
    for (param, want) in [
        ("GT", json!(["GT"])),
        ("Prod", json!(["Prod"])),
        ("Prod,GT", json!(["Prod", "GT"])),
    ] {
        b.goto(&format!("{}/wall?views=issues&sources={param}", env.app))
            .await
            .unwrap();
        wait_eq(&b, chips, &want, 30).await;
        // Only the chosen sources are asked.
        wait(&b, "[data-testid=wall-issue]", 60).await;
    }
    // Once both sources' loads have settled, the wall of Prod alone asks GT nothing.
    wait_js(&b, "window.__lookoutLoading === 0", 60).await;
    let gt_before = gt.app.counters.lock().unwrap().total;
    b.goto(&format!("{}/wall?views=issues&sources=Prod", env.app))
        .await
        .unwrap();
    wait(&b, "[data-testid=wall-issue]", 60).await;
    wait_js(&b, "window.__lookoutLoading === 0", 60).await;
    assert_eq!(
        gt.app.counters.lock().unwrap().total,
        gt_before,
        "a source left out is not asked"
    );
}

#[tokio::test]
async fn project_and_group_views_show_only_their_part() {
    let env = start(Flavor::Sentry);
    let (a, z) = past_window();
    // project:api — the top issues of the window (as the wall asks: unresolved, by events, ten)
    // that belong to the api project, in the server's order.
    let top = env.api(&format!(
        "organizations/demo/issues/?query=is:unresolved&sort=freq&limit=10&groupStatsPeriod=24h&start={a}&end={z}"
    ));
    let want: Vec<String> = top
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["project"]["slug"] == "api")
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(!want.is_empty() && want.len() < 10, "{want:?}");
    let b = browser_sized(1920, 1080).await;
    b.goto(&format!(
        "{}/wall?views=project:api&start={a}&end={z}",
        env.app
    ))
    .await
    .unwrap();
    wait_eq(
        &b,
        "[...document.querySelectorAll('[data-testid=wall-project] [data-testid=wall-issue]')].map(r => r.dataset.id)",
        &json!(want),
        30,
    )
    .await;
    let title = texts(&b, "[data-testid=wall-view]").await.join("");
    assert!(title.contains("api"), "{title}");
    screenshot(&b, "wall-project-api").await;

    // group:AWS — the chart holds the AWS servers' events and nothing else.
    let rows = env.api_all(&format!(
        "organizations/demo/events/?dataset=errors&field=server_name&field=count()&sort=-count()&per_page=100&start={a}&end={z}"
    ));
    let aws: u64 = rows
        .iter()
        .filter(|r| {
            r["server_name"]
                .as_str()
                .is_some_and(|s| s.starts_with("aws-"))
        })
        .map(|r| r["count()"].as_u64().unwrap())
        .sum();
    let all: u64 = rows.iter().map(|r| r["count()"].as_u64().unwrap()).sum();
    assert!(aws > 0 && aws < all);
    b.goto(&format!(
        "{}/wall?views=group:AWS&start={a}&end={z}",
        env.app
    ))
    .await
    .unwrap();
    let total = wait_js(
        &b,
        "document.querySelector('[data-testid=wall-chart]')?.dataset.total",
        30,
    )
    .await;
    let total: f64 = total.as_str().unwrap().parse().unwrap();
    assert_eq!(
        total as u64, aws,
        "group:AWS charts the AWS servers' events"
    );
    let title = texts(&b, "[data-testid=wall-view]").await.join("");
    assert!(title.contains("AWS"), "{title}");
    screenshot(&b, "wall-group-aws").await;
}

#[tokio::test]
async fn top_issues_name_the_servers_each_issue_hits() {
    let env = start(Flavor::Sentry);
    let (a, z) = past_window();
    let b = browser_sized(1920, 1080).await;
    b.goto(&format!("{}/wall?views=issues&start={a}&end={z}", env.app))
        .await
        .unwrap();
    wait(&b, "[data-testid=wall-issue-server]", 40).await;
    assert_eq!(
        texts(&b, "[data-testid=wall-top] th").await,
        ["Issue", "Servers", "Events", "Users", "Last seen"],
        "the columns say what they are"
    );
    let rows = js(
        &b,
        "return [...document.querySelectorAll('[data-testid=wall-issue]')].map(r => [r.dataset.id,
           [...r.querySelectorAll('[data-testid=wall-issue-server]')].map(s => [s.dataset.name, s.querySelector('.n').textContent]),
           r.querySelector('[data-testid=wall-issue-more]')?.textContent ?? ''])",
    )
    .await;
    let rows = rows.as_array().unwrap();
    assert!(rows.len() >= 5, "a screenful of issues: {rows:?}");
    for row in rows {
        let id = row[0].as_str().unwrap();
        // The truth: this issue's events per server in the window, asked of the simulator.
        let truth: std::collections::BTreeMap<String, u64> = env
            .api_all(&format!(
                "organizations/demo/events/?dataset=errors&field=server_name&field=count()&sort=-count()&per_page=100&start={a}&end={z}&query=issue.id:{id}"
            ))
            .iter()
            .filter_map(|r| Some((r["server_name"].as_str().filter(|s| !s.is_empty())?.to_owned(), r["count()"].as_u64()?)))
            .collect();
        let shown: Vec<(String, u64)> = row[1]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p[0].as_str().unwrap().to_owned(),
                    count_of(p[1].as_str().unwrap()),
                )
            })
            .collect();
        assert_eq!(
            shown.len(),
            truth.len().min(3),
            "issue {id}: {shown:?} of {truth:?}"
        );
        for (name, n) in &shown {
            assert_eq!(truth.get(name), Some(n), "issue {id}: {name}'s events");
        }
        // The ones named are the busiest: none left out has more events.
        let least = shown.iter().map(|s| s.1).min().unwrap_or(0);
        assert!(
            truth
                .iter()
                .filter(|(k, _)| !shown.iter().any(|s| &s.0 == *k))
                .all(|(_, n)| *n <= least),
            "issue {id}: the three busiest of {truth:?}, shown {shown:?}"
        );
        let more = truth.len().saturating_sub(3);
        let want_more = if more > 0 {
            format!("+{more}")
        } else {
            String::new()
        };
        assert_eq!(
            row[2].as_str().unwrap(),
            want_more,
            "issue {id}: the rest as +N"
        );
    }
    // Named means seen: no servers cell is cut (three names and "+N" fit at 1920×1080).
    let cut = js(
        &b,
        "return [...document.querySelectorAll('[data-testid=wall-issue-servers]')].filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent)",
    )
    .await;
    assert_eq!(cut, json!([]), "servers cells that overflow");
    let shot = screenshot(&b, "wall-issues-servers-1920x1080").await;
    eprintln!("screenshot: {}", shot.display());
    // The default day, busier, on a 4K wall: still every server named is seen, with its "+N".
    let b = browser_sized(3840, 2160).await;
    b.goto(&format!("{}/wall?views=issues", env.app))
        .await
        .unwrap();
    wait(&b, "[data-testid=wall-issue-server]", 40).await;
    let hidden = js(
        &b,
        "return [...document.querySelectorAll('[data-testid=wall-issue-servers]')].flatMap(c => {
           const cell = c.getBoundingClientRect();
           return [...c.children].filter(s => { const r = s.getBoundingClientRect();
             return r.right > cell.right + 1 || r.bottom > cell.bottom + 1; }).map(s => s.textContent);
         })",
    )
    .await;
    assert_eq!(hidden, json!([]), "servers outside their cell at 3840×2160");
}

/// Events per named server in `[a, z)`, from the simulator's events table.
fn per_server(env: &Env, a: &str, z: &str) -> std::collections::BTreeMap<String, u64> {
    env.api_all(&format!(
        "organizations/demo/events/?dataset=errors&field=server_name&field=count()&sort=-count()&per_page=100&start={a}&end={z}"
    ))
    .iter()
    .filter_map(|r| {
        Some((
            r["server_name"].as_str().filter(|s| !s.is_empty())?.to_owned(),
            r["count()"].as_u64()?,
        ))
    })
    .collect()
}

#[tokio::test]
async fn servers_in_trouble_are_the_ones_that_rose_most() {
    let env = start(Flavor::Sentry);
    let (a, z) = past_window();
    let start_s = chrono::DateTime::parse_from_rfc3339(&a)
        .unwrap()
        .timestamp();
    let end_s = chrono::DateTime::parse_from_rfc3339(&z)
        .unwrap()
        .timestamp();
    let iso = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .unwrap()
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    };
    // The truth: each server's events now and in the window before, asked of the simulator.
    let now = per_server(&env, &a, &z);
    let before = per_server(&env, &iso(2 * start_s - end_s), &a);
    let rise = |s: &str| {
        now.get(s).copied().unwrap_or(0) as i64 - before.get(s).copied().unwrap_or(0) as i64
    };
    let rose: Vec<&String> = now.keys().filter(|s| rise(s) > 0).collect();
    let b = browser_sized(1920, 1080).await;
    b.goto(&format!(
        "{}/wall?views=overview&start={a}&end={z}",
        env.app
    ))
    .await
    .unwrap();
    wait(&b, "[data-testid=wall-trouble]", 40).await;
    let rows = js(
        &b,
        "return [...document.querySelectorAll('[data-testid=trouble-row]')].map(r => [r.dataset.name, r.querySelector('[data-testid=trouble-now]').textContent])",
    )
    .await;
    let shown: Vec<(String, u64)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r[0].as_str().unwrap().to_owned(),
                count_of(r[1].as_str().unwrap()),
            )
        })
        .collect();
    assert_eq!(
        shown.len(),
        rose.len().min(5),
        "{shown:?} of those that rose: {rose:?}"
    );
    for (name, n) in &shown {
        assert_eq!(now.get(name), Some(n), "{name}: events in the window");
        assert!(rise(name) > 0, "{name} rose");
    }
    // The ones shown rose the most: none left out rose more.
    let least = shown.iter().map(|(s, _)| rise(s)).min().unwrap_or(0);
    for s in &rose {
        if !shown.iter().any(|(n, _)| n == *s) {
            assert!(
                rise(s) <= least,
                "{s} rose by {} but is not shown ({shown:?})",
                rise(s)
            );
        }
    }
    let shot = screenshot(&b, "wall-overview-trouble-1920x1080").await;
    eprintln!("screenshot: {}", shot.display());
}

/// Every event in `[a, z)`, from the simulator's events table (named or not).
fn all_events(env: &Env, a: &str, z: &str) -> u64 {
    env.api_all(&format!(
        "organizations/demo/events/?dataset=errors&field=server_name&field=count()&sort=-count()&per_page=100&start={a}&end={z}"
    ))
    .iter()
    .filter_map(|r| r["count()"].as_u64())
    .sum()
}

#[tokio::test]
async fn the_wall_chart_names_the_busiest_servers_at_its_right_edge() {
    let env = start(Flavor::Sentry);
    let (a, z) = past_window();
    let b = browser_sized(1920, 1080).await;
    b.goto(&format!(
        "{}/wall?views=overview&start={a}&end={z}",
        env.app
    ))
    .await
    .unwrap();
    wait(&b, "[data-testid=edge-label][data-others]", 40).await;
    let labels = js(
        &b,
        "return [...document.querySelectorAll('[data-testid=edge-label]')].map(l => ({
           name: l.dataset.name || null, others: l.dataset.others || null,
           shown: l.querySelector('b').textContent, text: l.querySelector('.name').textContent,
           top: l.getBoundingClientRect().top, bottom: l.getBoundingClientRect().bottom }))",
    )
    .await;
    let labels = labels.as_array().unwrap().clone();
    let since = js(
        &b,
        "return document.querySelector('[data-testid=wall-chart]').dataset.since",
    )
    .await;
    let since: i64 = since.as_str().unwrap().parse().unwrap();
    let iso = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .unwrap()
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    };
    // The truth, asked of the simulator: each server's events over the window and since the
    // recent part began.
    let total = per_server(&env, &a, &z);
    let recent = per_server(&env, &iso(since), &z);
    let everything = all_events(&env, &a, &z);
    let named: Vec<(String, u64)> = labels
        .iter()
        .filter_map(|l| {
            Some((
                l["name"].as_str()?.to_owned(),
                count_of(l["shown"].as_str()?),
            ))
        })
        .collect();
    assert!(named.len() >= 3, "at least three servers named: {labels:?}");
    for (name, n) in &named {
        assert_eq!(total.get(name), Some(n), "{name}: events in the window");
        assert!(
            recent.get(name).copied().unwrap_or(0) > 0,
            "{name} has events now"
        );
    }
    // The ones named are the busiest now: none left out had more.
    let least = named
        .iter()
        .map(|(s, _)| recent.get(s).copied().unwrap_or(0))
        .min()
        .unwrap();
    for (s, n) in &recent {
        if !named.iter().any(|(x, _)| x == s) {
            assert!(
                *n <= least,
                "{s} had {n} events now but is not named ({named:?})"
            );
        }
    }
    // The rest, summed and counted.
    let others = labels.last().unwrap();
    let left: Vec<&String> = total
        .iter()
        .filter(|(s, n)| **n > 0 && !named.iter().any(|(x, _)| x == *s))
        .map(|(s, _)| s)
        .collect();
    assert_eq!(
        others["others"].as_str().unwrap().parse::<usize>().unwrap(),
        left.len()
    );
    assert!(
        others["text"]
            .as_str()
            .unwrap()
            .contains(&left.len().to_string()),
        "{others}"
    );
    let named_sum: u64 = named.iter().map(|(_, n)| n).sum();
    assert_eq!(
        count_of(others["shown"].as_str().unwrap()),
        everything - named_sum,
        "the others' events"
    );
    // Labels never overlap one another, and sit beside the plot, inside the chart.
    let mut boxes: Vec<(f64, f64)> = labels
        .iter()
        .map(|l| (l["top"].as_f64().unwrap(), l["bottom"].as_f64().unwrap()))
        .collect();
    boxes.sort_by(|x, y| x.0.total_cmp(&y.0));
    for w in boxes.windows(2) {
        assert!(w[1].0 >= w[0].1 - 0.5, "labels overlap: {boxes:?}");
    }
    let inside = js(
        &b,
        "const c = document.querySelector('[data-testid=wall-chart]').getBoundingClientRect();
         return [...document.querySelectorAll('[data-testid=edge-label]')].every(l => {
           const r = l.getBoundingClientRect();
           return r.top >= c.top - 1 && r.bottom <= c.bottom + 1 && r.right <= c.right + 1;
         })",
    )
    .await;
    assert_eq!(inside, json!(true), "labels inside the chart");
    let shot = screenshot(&b, "wall-overview-labels-1920x1080").await;
    eprintln!("screenshot: {}", shot.display());
}

#[tokio::test]
async fn the_heatmap_legend_tops_out_at_the_busiest_cell() {
    let env = start(Flavor::Sentry);
    let (a, z) = past_window();
    let start_s = chrono::DateTime::parse_from_rfc3339(&a)
        .unwrap()
        .timestamp();
    let b = browser_sized(1920, 1080).await;
    b.goto(&format!("{}/wall?views=heatmap&start={a}&end={z}", env.app))
        .await
        .unwrap();
    wait_js(
        &b,
        "Number(document.querySelector('[data-testid=heat-legend]')?.dataset.secs) > 0",
        40,
    )
    .await;
    let legend = js(
        &b,
        "const l = document.querySelector('[data-testid=heat-legend]');
         return [Number(l.dataset.secs), l.querySelector('[data-testid=heat-legend-max]').textContent]",
    )
    .await;
    let secs = legend[0].as_i64().unwrap();
    let shown = count_of(legend[1].as_str().unwrap());
    // The truth: every event of the window, asked of the simulator, counted per server and cell.
    let events = env.api_all(&format!(
        "organizations/demo/events/?dataset=errors&field=timestamp&field=server_name&per_page=100&start={a}&end={z}"
    ));
    assert!(events.len() > 100, "{} events", events.len());
    let mut cells: std::collections::HashMap<(String, i64), u64> = Default::default();
    for e in &events {
        let Some(server) = e["server_name"].as_str().filter(|s| !s.is_empty()) else {
            continue;
        };
        let t = chrono::DateTime::parse_from_rfc3339(e["timestamp"].as_str().unwrap())
            .unwrap()
            .timestamp();
        *cells
            .entry((server.to_owned(), (t - start_s).div_euclid(secs)))
            .or_default() += 1;
    }
    let truth = cells.values().copied().max().unwrap();
    assert_eq!(
        shown, truth,
        "the legend's top is the most events one server had in one {secs} s cell"
    );
}
