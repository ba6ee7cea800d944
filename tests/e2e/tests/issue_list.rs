//! The issue list against the simulator's own answers: every sort order, paging with Sentry's
//! cursor and with GlitchTip's offsets, the sparklines and the Servers column.

use lookout_e2e::*;
use lookout_sim::{Faults, Flavor, SimOptions};
use serde_json::{json, Value};

fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

const LIST: &str =
    "organizations/demo/issues/?query=is:unresolved&statsPeriod=24h&groupStatsPeriod=24h";

/// Forty events of one new issue from one user, through the real SDK: busy enough for the first
/// page by events, and last by users, so the two sorts' first pages differ whatever hour the
/// demo data is at (its issues draw a user per event: by events and by users they may agree).
fn one_user_burst(env: &Env) {
    use sentry::protocol::{Event, Level, User};
    for _ in 0..40 {
        send_event(
            env,
            "api",
            Event {
                message: Some("One user's retry storm".into()),
                fingerprint: vec!["one-user-burst".into()].into(),
                level: Level::Error,
                server_name: Some("aws-apne2-api-1".into()),
                user: Some(User {
                    id: Some("burst-user".into()),
                    ..Default::default()
                }),
                ..Default::default()
            },
        );
    }
}

#[tokio::test]
async fn every_sort_is_the_servers_order() {
    let env = start(Flavor::Sentry);
    one_user_burst(&env);
    let b = browser().await;
    let mut orders = Vec::new();
    for sort in ["date", "new", "freq", "user"] {
        let want = ids(&env.api(&format!("{LIST}&sort={sort}&limit=25")));
        assert!(want.len() >= 10, "{sort}: {want:?}");
        b.goto(&format!("{}/issues?sort={sort}", env.app))
            .await
            .unwrap();
        wait_eq(&b, ISSUE_IDS, &json!(want), 30).await;
        orders.push(want);
    }
    // The orders differ, so a page that ignored the sort would fail one of the waits above.
    for i in 0..orders.len() {
        for j in i + 1..orders.len() {
            assert_ne!(orders[i], orders[j], "sorts {i} and {j} give one order");
        }
    }
    // Choosing from the menu: the address and the list follow.
    b.goto(&format!("{}/issues", env.app)).await.unwrap();
    wait_eq(&b, ISSUE_IDS, &json!(orders[0]), 30).await;
    js(
        &b,
        "const s = document.querySelector('[data-testid=issue-sort]'); s.value = 'freq'; s.dispatchEvent(new Event('change', {bubbles: true}));",
    )
    .await;
    wait_js(&b, "location.search.includes('sort=freq')", 10).await;
    wait_eq(&b, ISSUE_IDS, &json!(orders[2]), 30).await;
}

/// The `next` cursor of a Sentry list answer, read from its `Link` header.
fn next_cursor(env: &Env, path: &str) -> Option<String> {
    let r = reqwest::blocking::Client::new()
        .get(format!("{}/api/0/{path}", env.sim.url))
        .bearer_auth(&env.sim.app.opts.token)
        .send()
        .unwrap();
    let link = r.headers().get("link")?.to_str().ok()?.to_owned();
    let next = link
        .split(',')
        .find(|p| p.contains("rel=\"next\"") && p.contains("results=\"true\""))?;
    next.split("cursor=\"")
        .nth(1)?
        .split('"')
        .next()
        .map(str::to_owned)
}

#[tokio::test]
async fn paging_follows_sentrys_cursor() {
    let env = start(Flavor::Sentry);
    let first = format!("{LIST}&sort=freq&limit=10");
    let page1 = ids(&env.api(&first));
    let cursor = next_cursor(&env, &first).expect("a second page");
    let page2 = ids(&env.api(&format!("{first}&cursor={cursor}")));
    assert_eq!(page1.len(), 10);
    assert!(!page2.is_empty() && page2.iter().all(|i| !page1.contains(i)));
    let b = browser().await;
    b.goto(&format!("{}/issues?sort=freq&limit=10", env.app))
        .await
        .unwrap();
    wait_eq(&b, ISSUE_IDS, &json!(page1), 30).await;
    assert_eq!(
        js(
            &b,
            "return document.querySelector('[data-testid=prev-page]').disabled"
        )
        .await,
        json!(true),
        "no page before the first"
    );
    click(&b, "[data-testid=next-page]").await;
    wait_eq(&b, ISSUE_IDS, &json!(page2), 30).await;
    let url = b.current_url().await.unwrap().to_string();
    assert!(url.contains("cursor="), "{url}");
    click(&b, "[data-testid=prev-page]").await;
    wait_eq(&b, ISSUE_IDS, &json!(page1), 30).await;
}

#[tokio::test]
async fn paging_on_glitchtip_walks_its_list_by_offset() {
    let env = start(Flavor::Glitchtip);
    // GlitchTip's order (-last_seen), the issues seen in the last 24 hours (its list has no
    // window of its own: the dashboard keeps what falls in the window).
    let day_ago = chrono::Utc::now() - chrono::Duration::hours(24);
    let all: Vec<String> = env
        .api("organizations/demo/issues/?query=is:unresolved&sort=-last_seen&limit=100")
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| {
            i["lastSeen"]
                .as_str()
                .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
                .is_some_and(|t| t > day_ago + chrono::Duration::minutes(10))
        })
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(all.len() > 10, "{} issues", all.len());
    let b = browser().await;
    b.goto(&format!("{}/issues?limit=5", env.app))
        .await
        .unwrap();
    let mut seen: Vec<String> = Vec::new();
    for page in 0..3 {
        let want = &all[page * 5..(page * 5 + 5).min(all.len())];
        wait_eq(&b, ISSUE_IDS, &json!(want), 60).await;
        seen.extend(want.iter().cloned());
        click(&b, "[data-testid=next-page]").await;
    }
    wait_eq(&b, ISSUE_IDS, &json!(all[15..20.min(all.len())]), 60).await;
    click(&b, "[data-testid=prev-page]").await;
    wait_eq(&b, ISSUE_IDS, &json!(all[10..15]), 60).await;
}

/// The heights a sparkline path draws, scaled back to 0..1 of its highest point.
/// The y of every point of a sparkline's path.
fn heights(d: &str) -> Vec<f64> {
    d.split(['M', 'L'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.split(',')
                .nth(1)
                .and_then(|y| y.parse().ok())
                .unwrap_or(f64::NAN)
        })
        .collect()
}

#[tokio::test]
async fn sparklines_and_servers_are_each_issues_own() {
    let env = start(Flavor::Sentry);
    let list = env.api(&format!("{LIST}&sort=freq&limit=25"));
    let b = browser_sized(1920, 1080).await;
    b.goto(&format!("{}/issues?sort=freq", env.app))
        .await
        .unwrap();
    wait_eq(&b, ISSUE_IDS, &json!(ids(&list)), 30).await;
    // The servers of every row have come (browser issues name none: "–").
    wait_js(
        &b,
        "window.__lookoutLoading === 0 && !document.querySelector('[data-testid=issue-servers][data-pending]') && [...document.querySelectorAll('[data-testid=issue-servers]')].some(e => e.textContent.trim() !== '–')",
        30,
    )
    .await;
    let rows = js(
        &b,
        "return [...document.querySelectorAll('[data-testid=issue-row]')].map(r => [r.dataset.id, r.querySelector('svg.spark path.spark-line').getAttribute('d'), r.querySelector('[data-testid=issue-servers]').textContent])",
    )
    .await;
    for (i, row) in rows.as_array().unwrap().iter().enumerate().take(8) {
        let id = row[0].as_str().unwrap();
        let issue = list
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .unwrap();
        // The sparkline: the server's 24 hourly buckets, each at its height (28 px tall, the
        // highest bucket at the top).
        let counts: Vec<f64> = issue["stats"]["24h"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b[1].as_f64().unwrap())
            .collect();
        let max = counts.iter().copied().fold(0.0, f64::max).max(1.0);
        let want: Vec<f64> = counts.iter().map(|v| 28.0 - v / max * 27.0).collect();
        let got = heights(row[1].as_str().unwrap());
        // The path is written to a tenth of a pixel.
        assert!(
            got.len() == want.len() && got.iter().zip(&want).all(|(g, w)| (g - w).abs() <= 0.051),
            "row {i} ({id}): sparkline {got:?} against the server's stats {want:?}"
        );
        // The Servers column: the busiest three of the window with their counts, "+N" for the
        // rest (ties may come in either order).
        let per_server = env.api(&format!(
            "organizations/demo/events/?dataset=errors&field=server_name&field=count()&sort=-count()&per_page=100&statsPeriod=24h&query=issue.id:{id}%20has:server_name"
        ));
        let truth: Vec<(String, u64)> = per_server["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["server_name"].as_str().unwrap().to_owned(),
                    r["count()"].as_u64().unwrap(),
                )
            })
            .collect();
        let text = row[2].as_str().unwrap();
        if truth.is_empty() {
            assert_eq!(text, "–", "row {i} ({id}): no server, yet {text:?}");
            continue;
        }
        let (shown, more) = match text.rsplit_once(" +") {
            Some((s, m)) if m.chars().all(|c| c.is_ascii_digit()) => (s, m.parse().unwrap()),
            _ => (text, 0usize),
        };
        assert_eq!(
            more,
            truth.len().saturating_sub(3),
            "row {i} ({id}): {text:?} for {truth:?}"
        );
        let named: Vec<(String, String)> = shown
            .split(", ")
            .map(|p| {
                let (n, c) = p.rsplit_once(" (").unwrap();
                (n.to_owned(), c.trim_end_matches(')').to_owned())
            })
            .collect();
        let third = truth.get(2.min(truth.len() - 1)).map_or(0, |t| t.1);
        for (n, c) in &named {
            let t = truth.iter().find(|t| &t.0 == n);
            assert!(
                t.is_some_and(
                    |t| lookout_core::format::compact_count(t.1 as f64) == *c && t.1 >= third
                ),
                "row {i} ({id}): {n} ({c}) is not among the busiest: {truth:?}"
            );
        }
        assert_eq!(named.len(), truth.len().min(3), "row {i}: {text:?}");
    }
    screenshot(&b, "issues-sparklines-servers").await;
}

/// The servers' answer is written into the rows already drawn: the same row elements before and
/// after, the Servers cells no longer busy. (It used to draw every row again, a second full
/// render of the list that usually landed before the first paint.) On GlitchTip the same answer
/// brings the sparklines and users its list lacks.
#[tokio::test]
async fn the_servers_answer_fills_the_drawn_rows_in_place() {
    for flavor in [Flavor::Sentry, Flavor::Glitchtip] {
        let env = start(flavor);
        // The servers come from the events table (GlitchTip: each issue's events): hold those
        // answers back for a while.
        env.faults(Faults {
            latency_ms: if flavor == Flavor::Sentry { 1500 } else { 300 },
            path_contains: Some("/events/".into()),
            ..Default::default()
        });
        let b = browser_sized(1920, 1080).await;
        b.goto(&format!("{}/issues", env.app)).await.unwrap();
        wait(&b, "[data-testid=issue-row]", 30).await;
        let busy = js(
            &b,
            "const rows = [...document.querySelectorAll('[data-testid=issue-row]')];
             rows.forEach(r => { r.__drawnFirst = true; });
             return rows.map(r => { const c = r.querySelector('[data-testid=issue-servers]');
               return [r.dataset.id, c.hasAttribute('data-pending'), c.getAttribute('aria-busy'), c.textContent]; });",
        )
        .await;
        let busy = busy.as_array().unwrap();
        for (k, c) in busy.iter().enumerate() {
            assert_eq!(
                [&c[1], &c[2], &c[3]],
                [&json!(true), &json!("true"), &json!("…")],
                "{flavor:?} row {k} before the servers' answer"
            );
        }
        wait_js(
            &b,
            "!document.querySelector('[data-testid=issue-servers][data-pending]') && [...document.querySelectorAll('[data-testid=issue-servers]')].some(e => e.textContent.trim() !== '–')",
            60,
        )
        .await;
        let after = js(
            &b,
            "return [...document.querySelectorAll('[data-testid=issue-row]')].map(r => { const c = r.querySelector('[data-testid=issue-servers]');
               return [r.dataset.id, r.__drawnFirst === true, c.getAttribute('aria-busy'), c.textContent, c.getAttribute('title'),
                 r.querySelector('svg.spark path.spark-line').getAttribute('d'), Number(r.children[3].textContent.replace(/,/g, ''))]; });",
        )
        .await;
        let after = after.as_array().unwrap();
        assert_eq!(after.len(), busy.len(), "{flavor:?}: rows");
        for (k, r) in after.iter().enumerate() {
            assert_eq!(r[0], busy[k][0], "{flavor:?} row {k}: the same issue");
            assert_eq!(
                r[1],
                json!(true),
                "{flavor:?} row {k} was drawn again instead of filled in"
            );
            assert_eq!(r[2], Value::Null, "{flavor:?} row {k}: still marked busy");
            let text = r[3].as_str().unwrap();
            assert_ne!(text, "…", "{flavor:?} row {k}: no servers written");
            // The title lists every server the cell names (with whole counts).
            if text != "–" {
                let title = r[4].as_str().unwrap_or_default();
                let first = text.split(" (").next().unwrap();
                assert!(
                    title.contains(first),
                    "{flavor:?} row {k}: {text:?} against its title {title:?}"
                );
            }
        }
        if flavor == Flavor::Glitchtip {
            // Its list has neither sparklines nor users: both came with the answer.
            assert!(
                after
                    .iter()
                    .any(|r| !r[5].as_str().unwrap_or_default().is_empty()),
                "GlitchTip: no sparkline written"
            );
            assert!(
                after.iter().any(|r| r[6].as_f64().unwrap_or(0.0) > 0.0),
                "GlitchTip: no users written"
            );
        }
    }
}

/// A source without a configured `kind`: the kind detected at its server is remembered on this
/// device, so the next load asks for the list together with the organization instead of after
/// its answer; a wrong remembered kind is put right by the organization's answer.
#[tokio::test]
async fn the_detected_kind_saves_a_round_trip_next_time() {
    let env = start_with(SimOptions {
        served_config: Some(
            r#"{"sources":[{"name":"Demo","url":"{self}","org":"demo","token":"lookout-demo"}]}"#
                .into(),
        ),
        ..options(Flavor::Sentry)
    });
    let want = ids(&env.api(&format!("{LIST}&sort=date&limit=25")));
    // Every answer takes 300 ms: a list asked after the organization's answer starts well after.
    env.faults(Faults {
        latency_ms: 300,
        ..Default::default()
    });
    let b = browser().await;
    for (load, remembered) in [("first", false), ("second", true)] {
        b.goto(&format!("{}/issues", env.app)).await.unwrap();
        wait_eq(&b, ISSUE_IDS, &json!(want), 30).await;
        let gap = asked_after_organization(&b, "/organizations/demo/issues/").await;
        if remembered {
            assert!(gap < 0.0, "{load} load: the list started {gap:.0} ms after the organization's answer; the remembered kind should start it with the organization");
        } else {
            assert!(gap >= 0.0, "{load} load: the list started {:.0} ms before the organization's answer, with no kind known", -gap);
        }
    }
    let kind = "return Object.keys(localStorage).filter(k => k.startsWith('lookout.kind.')).map(k => localStorage.getItem(k))";
    assert_eq!(js(&b, kind).await, json!(["sentry"]));
    // The server changed kind since (remembered: GlitchTip): the organization's answer wins.
    js(&b, "Object.keys(localStorage).filter(k => k.startsWith('lookout.kind.')).forEach(k => localStorage.setItem(k, 'glitchtip'))").await;
    b.goto(&format!("{}/issues", env.app)).await.unwrap();
    wait_eq(&b, ISSUE_IDS, &json!(want), 30).await;
    assert_eq!(js(&b, kind).await, json!(["sentry"]));
}
