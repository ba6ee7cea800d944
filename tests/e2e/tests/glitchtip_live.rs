//! Every page against a live GlitchTip (real Django, celery worker, PostgreSQL, Redis), filled through
//! the real Python `sentry-sdk` (`cargo xtask test live` starts, seeds and stops it). Each figure on
//! the page is compared with what GlitchTip's own API says, added up here in the test.

use fantoccini::Locator;
use lookout_e2e::*;
use std::collections::{BTreeMap, BTreeSet};

/// The window every test looks at: the seed sends its fleet within the last minutes.
const RANGE: &str = "range=1h";

async fn legend(b: &Browser) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for row in b
        .find_all(Locator::Css("[data-testid=legend-row]"))
        .await
        .unwrap()
    {
        let name = row.attr("data-name").await.unwrap().unwrap();
        let cells = row.find_all(Locator::Css("td.num")).await.unwrap();
        let total = count_of(&cells[0].text().await.unwrap());
        out.insert(name, total);
    }
    out
}

async fn big(b: &Browser, testid: &str) -> String {
    b.find(Locator::Css(&format!("[data-testid={testid}] .value")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Waits until the Overview has drawn its legend and the big numbers have their values.
async fn overview(b: &Browser, live: &Live, query: &str) {
    b.goto(&format!("{}/?{RANGE}&{query}", live.env.app))
        .await
        .unwrap();
    wait(b, "[data-testid=legend-row]", 90).await;
    wait_js(
        b,
        "document.querySelector('[data-testid=big-users] .value') && /\\d/.test(document.querySelector('[data-testid=big-users] .value').textContent)",
        60,
    )
    .await;
}

#[tokio::test]
async fn live_overview_counts_every_event_of_every_server() {
    let Some(live) = live_glitchtip() else { return };
    let truth = live.tag_totals("server_name");
    let total: u64 = live
        .issues()
        .iter()
        .map(|i| i["count"].as_str().unwrap().parse::<u64>().unwrap())
        .sum();
    assert!(
        truth.len() >= 12,
        "the fleet has at least 12 servers: {truth:?}"
    );
    let b = browser_sized(1920, 1080).await;
    overview(&b, &live, "").await;
    let shown = legend(&b).await;
    assert_eq!(shown, truth, "every server's count is GlitchTip's own");
    assert_eq!(count_of(&big(&b, "big-errors").await), total);
    let legend_total = texts(&b, "[data-testid=legend-total]").await.join("");
    assert_eq!(count_of(&legend_total), total);
    let drawn = js(
        &b,
        "return document.querySelector('[data-testid=errors-chart]').dataset.total",
    )
    .await;
    assert_eq!(
        drawn.as_str().and_then(|s| s.parse::<f64>().ok()),
        Some(total as f64)
    );
    // The matrix: each top issue's row adds up to its events, and its cells to its servers.
    wait(&b, "[data-testid=matrix-row]", 60).await;
    let rows = b
        .find_all(Locator::Css("[data-testid=matrix-row]"))
        .await
        .unwrap();
    assert!(!rows.is_empty(), "the matrix has rows");
    for row in rows {
        let href = row
            .find(Locator::Css("th a"))
            .await
            .unwrap()
            .attr("href")
            .await
            .unwrap()
            .unwrap();
        let id = href
            .split("/issues/")
            .nth(1)
            .unwrap()
            .split(['?', '/'])
            .next()
            .unwrap()
            .to_owned();
        let mut sum = 0;
        for c in row.find_all(Locator::Css("td.cell")).await.unwrap() {
            let t = c.text().await.unwrap();
            if !t.is_empty() {
                sum += count_of(&t);
            }
        }
        let issue = live.get(&format!("issues/{id}/"));
        assert_eq!(
            sum,
            issue["count"].as_str().unwrap().parse::<u64>().unwrap(),
            "matrix row of issue {id}"
        );
    }
    // Users: the distinct users GlitchTip's tags list, over every issue.
    let mut users = BTreeSet::new();
    for i in live.issues() {
        let id = i["id"].as_str().unwrap();
        for k in live
            .get(&format!("issues/{id}/tags/?key=user.email"))
            .as_array()
            .unwrap()
        {
            for v in k["topValues"].as_array().unwrap() {
                users.insert(v["value"].as_str().unwrap().to_owned());
            }
        }
    }
    assert!(users.len() >= 9);
    assert_eq!(count_of(&big(&b, "big-users").await), users.len() as u64);
    assert!(texts(&b, "[data-testid=partial]").await.is_empty());
    screenshot(&b, "live-glitchtip-overview").await;
}

#[tokio::test]
async fn live_grouping_by_cloud_and_region_uses_the_event_tags() {
    let Some(live) = live_glitchtip() else { return };
    let b = browser().await;
    for key in ["cloud", "region"] {
        let truth = live.tag_totals(key);
        assert!(truth.len() >= 2, "{key}: {truth:?}");
        overview(&b, &live, &format!("group={key}")).await;
        wait_js(
            &b,
            &format!(
                "[...document.querySelectorAll('[data-testid=legend-row]')].map(r => r.dataset.name).sort().join(',') === {:?}",
                truth.keys().cloned().collect::<Vec<_>>().join(",")
            ),
            30,
        )
        .await;
        assert_eq!(legend(&b).await, truth, "grouped by {key}");
    }
}

#[tokio::test]
async fn live_the_environment_filter_offers_and_applies_every_environment() {
    let Some(live) = live_glitchtip() else { return };
    let envs: BTreeSet<String> = live
        .get(&format!("organizations/{}/environments/", live.org))
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_owned())
        .collect();
    assert!(envs.len() >= 2, "{envs:?}");
    let b = browser().await;
    overview(&b, &live, "").await;
    wait(&b, "[data-testid=env-select] option[value=staging]", 30).await;
    let offered: BTreeSet<String> = attrs(&b, "[data-testid=env-select] option", "value")
        .await
        .into_iter()
        .filter(|v| !v.is_empty())
        .collect();
    assert_eq!(offered, envs);
    let truth = live.tag_totals("environment");
    overview(&b, &live, "env=staging").await;
    let legend_total = texts(&b, "[data-testid=legend-total]").await.join("");
    assert_eq!(count_of(&legend_total), truth["staging"]);
}

#[tokio::test]
async fn live_the_issue_list_has_sparklines_and_servers_on_every_row() {
    let Some(live) = live_glitchtip() else { return };
    let issues = live.issues();
    let b = browser_sized(1920, 1080).await;
    b.goto(&format!("{}/issues?{RANGE}&limit=100", live.env.app))
        .await
        .unwrap();
    wait(&b, "[data-testid=issue-row]", 90).await;
    wait_js(
        &b,
        "!document.querySelector('[data-testid=issue-servers][data-pending]') && [...document.querySelectorAll('[data-testid=issue-servers]')].some(e => e.textContent.trim() !== '–')",
        60,
    )
    .await;
    let rows = b
        .find_all(Locator::Css("[data-testid=issue-row]"))
        .await
        .unwrap();
    assert_eq!(rows.len(), issues.len(), "every unresolved issue is listed");
    for row in rows {
        let id = row.attr("data-id").await.unwrap();
        let path = row
            .find(Locator::Css("svg.spark path"))
            .await
            .unwrap()
            .attr("d")
            .await
            .unwrap()
            .unwrap_or_default();
        assert!(!path.is_empty(), "issue {id:?} has a sparkline");
        let servers = row
            .find(Locator::Css("[data-testid=issue-servers]"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let id = id.expect("rows carry their issue id");
        let tags = live.get(&format!("issues/{id}/tags/?key=server_name"));
        let top = &tags[0]["topValues"][0];
        let expected = format!(
            "{} ({})",
            top["value"].as_str().unwrap(),
            top["count"].as_u64().unwrap()
        );
        assert!(
            servers.contains(&expected),
            "issue {id}: servers {servers:?} name its busiest, {expected}"
        );
    }
    screenshot(&b, "live-glitchtip-issues").await;
}

#[tokio::test]
async fn live_the_issue_page_shows_users_releases_series_and_links() {
    let Some(live) = live_glitchtip() else { return };
    let issues = live.issues();
    let busiest = issues
        .iter()
        .max_by_key(|i| i["count"].as_str().unwrap().parse::<u64>().unwrap())
        .unwrap();
    let id = busiest["id"].as_str().unwrap();
    let events: u64 = busiest["count"].as_str().unwrap().parse().unwrap();
    let tags = live.get(&format!("issues/{id}/tags/"));
    let users = tags
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["key"].as_str().unwrap().starts_with("user."))
        .map(|k| k["uniqueValues"].as_u64().unwrap())
        .max()
        .unwrap();
    let releases: BTreeSet<String> = tags
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["key"] == "release")
        .flat_map(|k| k["topValues"].as_array().unwrap().clone())
        .map(|v| v["value"].as_str().unwrap().to_owned())
        .collect();
    assert!(users > 0 && !releases.is_empty());
    let b = browser_sized(1920, 1080).await;
    b.goto(&format!("{}/issues/{id}?{RANGE}", live.env.app))
        .await
        .unwrap();
    wait(&b, "[data-testid=issue-title]", 60).await;
    wait_js(
        &b,
        &format!(
            "document.querySelector('[data-testid=issue-chart]').dataset.total === '{events}'"
        ),
        60,
    )
    .await;
    let header = b
        .find(Locator::Css("[data-testid=issue-header] .header-grid"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = header.lines().collect();
    let after = |label: &str| {
        lines
            .iter()
            .position(|l| *l == label)
            .and_then(|i| lines.get(i + 1))
            .map(|s| s.to_string())
            .unwrap_or_default()
    };
    assert_eq!(count_of(&after("Users")), users, "users affected: {header}");
    assert_eq!(&after("First release"), releases.iter().next().unwrap());
    assert_eq!(&after("Last release"), releases.iter().last().unwrap());
    screenshot(&b, "live-glitchtip-issue").await;
    let permalink = attrs(&b, "[data-testid=permalink]", "href").await;
    assert_eq!(
        permalink,
        vec![format!("{}/{}/issues/{id}", live.url, live.org)]
    );
    // The latest event of a transaction's error carries a trace id; on GlitchTip the trace page
    // explains itself instead of failing.
    let with_trace = issues.iter().find_map(|i| {
        let id = i["id"].as_str().unwrap();
        let e = live.get(&format!("issues/{id}/events/latest/"));
        e["contexts"]["trace"]["trace_id"]
            .as_str()
            .map(|t| (id.to_owned(), t.to_owned()))
    });
    let (tid_issue, trace) = with_trace.expect("some error happened inside a transaction");
    b.goto(&format!("{}/issues/{tid_issue}?{RANGE}", live.env.app))
        .await
        .unwrap();
    let link = wait(&b, "[data-testid=trace-link]", 60).await;
    link.click().await.unwrap();
    wait(&b, "[data-testid=trace-unsupported]", 30).await;
    assert!(b.current_url().await.unwrap().as_str().contains(&trace));
    assert_eq!(
        count(&b, ".error").await,
        0,
        "no error box on the trace page"
    );
    screenshot(&b, "live-glitchtip-trace").await;
}

#[tokio::test]
async fn live_performance_lists_glitchtips_transaction_groups() {
    let Some(live) = live_glitchtip() else { return };
    let groups = live.get(&format!(
        "organizations/{}/transaction-groups/?start=now-1h&end=now&limit=50",
        live.org
    ));
    let truth: u64 = groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["transactionCount"].as_u64().unwrap())
        .sum();
    assert!(truth >= 100, "the fleet sent transactions: {truth}");
    let b = browser().await;
    overview(&b, &live, "").await;
    js(
        &b,
        "document.querySelector('details.panel').open = true; return 1",
    )
    .await;
    wait(&b, "[data-testid=perf-group]", 30).await;
    let shown: u64 = texts(&b, "[data-testid=perf-group-count]")
        .await
        .iter()
        .map(|t| count_of(t))
        .sum();
    assert_eq!(shown, truth);
}

#[tokio::test]
async fn live_a_refresh_asks_only_for_what_changed() {
    let Some(live) = live_glitchtip() else { return };
    let (proxy, env) = live.through_proxy();
    let b = browser().await;
    const PERIOD_MS: u64 = 2000;
    b.goto(&format!("{}/?{RANGE}&_refreshMs={PERIOD_MS}", env.app))
        .await
        .unwrap();
    wait(&b, "[data-testid=legend-row]", 90).await;
    let first: Vec<Proxied> = proxy.requests();
    assert!(!first.is_empty());
    // Whole refreshes, told apart by the page's own count of finished and painted refreshes:
    // the requests between two of them are one refresh's.
    let (mut done, _) = refresh_counts(&b).await;
    let mut marks = vec![proxy.requests().len()];
    while marks.len() < 5 {
        let now = wait_refresh_after(&b, done, 60).await;
        marks.push(proxy.requests().len());
        done = now;
    }
    let log = proxy.requests();
    let mut refreshes: Vec<Vec<Proxied>> = vec![log[..marks[0]].to_vec()];
    refreshes.extend(marks.windows(2).map(|w| log[w[0]..w[1]].to_vec()));
    let servers = live.tag_totals("server_name").len();
    let budget = 1 + servers.div_ceil(10);
    for r in &refreshes[2..] {
        let bytes: u64 = r.iter().map(|p| p.bytes).sum();
        let paths: Vec<&str> = r.iter().map(|p| p.path.as_str()).collect();
        assert!(
            r.len() <= budget && bytes <= 200 * 1024,
            "a refresh with nothing new: {} requests, {bytes} bytes (budget {budget}, 200 KB): {paths:?}",
            r.len()
        );
        assert!(
            !paths.iter().any(|p| p.contains("/events/")),
            "no event list is read when no issue gained events: {paths:?}"
        );
    }
    let first_bytes: u64 = refreshes[0].iter().map(|p| p.bytes).sum();
    println!(
        "live GlitchTip overview: first load {} requests / {} KB; a refresh {} requests / {} KB",
        refreshes[0].len(),
        first_bytes / 1024,
        refreshes[2].len(),
        refreshes[2].iter().map(|p| p.bytes).sum::<u64>() / 1024
    );
}

#[tokio::test]
async fn live_the_timeline_shows_each_issues_first_server_and_spread() {
    let Some(live) = live_glitchtip() else { return };
    let servers: BTreeSet<String> = live.tag_totals("server_name").into_keys().collect();
    let b = browser_sized(1920, 1080).await;
    b.goto(&format!("{}/timeline?{RANGE}", live.env.app))
        .await
        .unwrap();
    wait(&b, "[data-testid=timeline-issue]", 90).await;
    // A lane per server GlitchTip's tags name (and one for events without a server, if any).
    let lanes: BTreeSet<String> = attrs(&b, "[data-testid=timeline-lane]", "data-name")
        .await
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(lanes, servers, "a lane per server");
    // Each listed issue: its events and, from its own event list, each server's first event.
    let rows = js(
        &b,
        "return [...document.querySelectorAll('[data-testid=timeline-issue]')].map(r => ({
           id: r.dataset.id, count: Number(r.dataset.count),
           first: (f => f ? [f.dataset.server, Number(f.dataset.t)] : null)(r.querySelector('[data-testid=spread-first]')),
           steps: [...r.querySelectorAll('[data-testid=spread-step]')].map(s => [s.dataset.server, Number(s.dataset.t)]) }))",
    )
    .await;
    let mut checked = 0;
    for row in rows.as_array().unwrap() {
        let id = row["id"].as_str().unwrap();
        let issue = live.get(&format!("issues/{id}/"));
        let count: u64 = issue["count"].as_str().unwrap().parse().unwrap();
        if count > 100 {
            continue; // one page of its events is the truth here
        }
        assert_eq!(row["count"].as_u64(), Some(count), "issue {id}: its events");
        let events = live.get(&format!("issues/{id}/events/?limit=100"));
        let mut first: BTreeMap<String, i64> = BTreeMap::new();
        for e in events.as_array().unwrap() {
            let Some(server) = e["tags"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["key"] == "server_name")
                .and_then(|t| t["value"].as_str())
            else {
                continue;
            };
            let at = e["dateReceived"]
                .as_str()
                .or_else(|| e["date_received"].as_str())
                .unwrap();
            let t = chrono::DateTime::parse_from_rfc3339(at)
                .unwrap()
                .timestamp_millis();
            let f = first.entry(server.to_owned()).or_insert(t);
            *f = (*f).min(t);
        }
        let mut order: Vec<(i64, String)> = first.into_iter().map(|(s, t)| (t, s)).collect();
        order.sort();
        let Some((t0, s0)) = order.first() else {
            assert!(row["first"].is_null(), "issue {id} names no server");
            continue;
        };
        assert_eq!(
            row["first"][0].as_str(),
            Some(s0.as_str()),
            "issue {id}: where it began"
        );
        assert_eq!(
            row["first"][1].as_i64(),
            Some(*t0),
            "issue {id}: when it began"
        );
        let steps: Vec<(String, i64)> = row["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s[0].as_str().unwrap().to_owned(), s[1].as_i64().unwrap()))
            .collect();
        let want: Vec<(String, i64)> = order
            .iter()
            .skip(1)
            .take(5)
            .map(|(t, s)| (s.clone(), *t))
            .collect();
        assert_eq!(steps, want, "issue {id}: the order it spread in");
        checked += 1;
    }
    assert!(checked >= 3, "at least three issues compared ({checked})");
    screenshot(&b, "live-glitchtip-timeline").await;
}

#[tokio::test]
async fn live_the_performance_page_shows_the_groups_and_names_what_glitchtip_lacks() {
    let Some(live) = live_glitchtip() else { return };
    let groups = live.get(&format!(
        "organizations/{}/transaction-groups/?start=now-1h&end=now&limit=50",
        live.org
    ));
    let truth: u64 = groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["transactionCount"].as_u64().unwrap())
        .sum();
    let b = browser_sized(1920, 1080).await;
    b.goto(&format!("{}/performance?{RANGE}", live.env.app))
        .await
        .unwrap();
    wait(&b, "[data-testid=perf-group]", 60).await;
    let notice = texts(&b, "[data-testid=perf-glitchtip]").await.join("");
    assert!(notice.contains("not available"), "{notice}");
    let shown: u64 = texts(&b, "[data-testid=perf-group-count]")
        .await
        .iter()
        .map(|t| count_of(t))
        .sum();
    assert_eq!(
        shown, truth,
        "every transaction group's count is GlitchTip's own"
    );
    screenshot(&b, "live-glitchtip-performance").await;
}
