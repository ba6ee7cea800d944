//! The issue list and the issue page against the simulator, including hostile and huge events
//! sent through the real Sentry SDK.

use fantoccini::key::Key;
use fantoccini::Locator;
use lookout_e2e::*;
use lookout_sim::{Faults, Flavor};
use sentry::protocol::{
    Breadcrumb, Event, Exception, Frame, Level, Map, Request, Stacktrace, User,
};
use serde_json::{json, Value};

#[tokio::test]
async fn searching_by_server_narrows_the_list() {
    let env = start(Flavor::Sentry);
    let b = browser().await;
    b.goto(&format!("{}/issues", env.app)).await.unwrap();
    wait(&b, "[data-testid=issue-row]", 30).await;
    let all = count(&b, "[data-testid=issue-row]").await;
    let q = b.find(Locator::Css("[data-testid=query]")).await.unwrap();
    q.clear().await.unwrap();
    q.send_keys("is:unresolved server_name:gcp-ane3-api-4")
        .await
        .unwrap();
    q.send_keys(&char::from(Key::Enter).to_string())
        .await
        .unwrap();
    wait_js(&b, "location.search.includes('gcp-ane3-api-4')", 10).await;
    // Exactly the server's answer, in order.
    let want: Vec<String> = env
        .api("organizations/demo/issues/?query=is:unresolved%20server_name:gcp-ane3-api-4&statsPeriod=24h&limit=25")
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        !want.is_empty() && want.len() < all,
        "{} of {all}",
        want.len()
    );
    wait_eq(&b, ISSUE_IDS, &serde_json::json!(want), 20).await;
    for id in &want {
        let servers = env.api(&format!(
            "organizations/demo/issues/{id}/tags/server_name/values/?per_page=100"
        ));
        assert!(
            servers
                .as_array()
                .unwrap()
                .iter()
                .any(|v| v["value"] == "gcp-ane3-api-4"),
            "issue {id} never hit the server"
        );
    }
}

#[tokio::test]
async fn the_query_bar_suggests_keys_and_values_and_the_keyboard_opens_issues() {
    let env = start(Flavor::Sentry);
    let b = browser().await;
    b.goto(&format!("{}/issues", env.app)).await.unwrap();
    wait(&b, "[data-testid=issue-row]", 30).await;
    let q = b.find(Locator::Css("[data-testid=query]")).await.unwrap();
    q.clear().await.unwrap();
    q.send_keys("server_name:aws-apne2-api-1").await.unwrap();
    wait(&b, "[data-testid=suggestions] button", 10).await;
    let s = texts(&b, "[data-testid=suggestions] button").await;
    assert!(
        s.iter()
            .any(|x| x.starts_with("server_name:aws-apne2-api-1")),
        "{s:?}"
    );
    // j, j, Enter opens the third row.
    b.find(Locator::Css("h1"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let ids = attrs(&b, "[data-testid=issue-row]", "data-id").await;
    js(&b, "for (const k of ['j', 'j', 'Enter']) window.dispatchEvent(new KeyboardEvent('keydown', {key: k}));").await;
    wait_js(
        &b,
        &format!("location.pathname.endsWith('/issues/{}')", ids[2]),
        10,
    )
    .await;
    let _ = env;
}

#[tokio::test]
async fn the_issue_page_shows_frames_breadcrumbs_and_every_server() {
    let env = start(Flavor::Sentry);
    let list = env.api("organizations/demo/issues/?query=is:unresolved%20KeyError&statsPeriod=14d&sort=freq&limit=5");
    let issue = list
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == "KeyError: 'customer_id'")
        .unwrap();
    let id = issue["id"].as_str().unwrap();
    let b = browser().await;
    // Opened directly (a deep link: the static server falls back to index.html).
    b.goto(&format!("{}/issues/{id}", env.app)).await.unwrap();
    wait(&b, "[data-testid=frame]", 30).await;
    assert_eq!(
        b.find(Locator::Css("[data-testid=issue-title]"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "KeyError: 'customer_id'"
    );
    assert!(texts(&b, "[data-testid=exc-type]")
        .await
        .contains(&"KeyError".to_owned()));
    assert!(count(&b, "[data-testid=frame]").await >= 2);
    // The raising frame is open with its code and variables.
    assert!(js(
        &b,
        "return document.querySelector('.ctx .line.hit').textContent"
    )
    .await
    .as_str()
    .unwrap()
    .contains("customer = data[\"customer_id\"]"));
    assert!(count(&b, "[data-testid=crumb]").await >= 3);
    wait(&b, "[data-testid=dist-row]", 30).await;
    let rows = count(&b, "[data-testid=dist-row]").await;
    let all = env.api(&format!(
        "organizations/demo/issues/{id}/tags/server_name/values/?per_page=100"
    ));
    assert_eq!(
        rows,
        all.as_array().unwrap().len(),
        "every server, not the top values"
    );
    assert!(rows >= 24);
    // Older / newer navigation changes the event.
    let first = b
        .find(Locator::Css("[data-testid=event-id]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    b.find(Locator::Css("[data-testid=older-event]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_js(&b, &format!("document.querySelector('[data-testid=event-id]') && document.querySelector('[data-testid=event-id]').textContent !== {}", json!(first)), 15).await;
    assert!(
        b.find(Locator::Css("[data-testid=trace-link]"))
            .await
            .is_ok(),
        "a link to the trace"
    );
}

fn hostile_event() -> Event<'static> {
    let mut ev = Event::new();
    ev.platform = "python".into();
    ev.level = Level::Error;
    ev.server_name = Some("<svg onload=window.__pwned=5>".into());
    ev.exception = vec![Exception {
        ty: "<script>window.__pwned=1</script>".into(),
        value: Some(format!(
            "<img src=x onerror=\"window.__pwned=2\"> abc\u{202E}fed {}",
            "W".repeat(5000)
        )),
        stacktrace: Some(Stacktrace {
            frames: vec![Frame {
                function: Some("<b onclick=window.__pwned=6>f</b>".into()),
                filename: Some("javascript:window.__pwned=7".into()),
                abs_path: Some("javascript:window.__pwned=7".into()),
                lineno: Some(1),
                context_line: Some("<script>window.__pwned=8</script>".into()),
                in_app: Some(true),
                ..Default::default()
            }],
            ..Default::default()
        }),
        ..Default::default()
    }]
    .into();
    ev.request = Some(Request {
        url: "javascript:window.__pwned=3".parse().ok(),
        method: Some("GET".into()),
        ..Default::default()
    });
    ev.breadcrumbs = vec![Breadcrumb {
        message: Some(
            "<a href=\"javascript:window.__pwned=4\">click</a><script>window.__pwned=4</script>"
                .into(),
        ),
        category: Some("<i>ui</i>".into()),
        ..Default::default()
    }]
    .into();
    ev.user = Some(User {
        email: Some("<script>alert(1)</script>@x".into()),
        ..Default::default()
    });
    let mut tags = Map::new();
    tags.insert("link".to_owned(), "javascript:window.__pwned=9".to_owned());
    ev.tags = tags;
    ev
}

#[tokio::test]
async fn a_hostile_event_stays_inert() {
    let env = start(Flavor::Sentry);
    let event_id = send_event(&env, "api", hostile_event());
    let id = issue_of(&env, &event_id);
    let b = browser().await;
    b.goto(&format!("{}/issues/{id}", env.app)).await.unwrap();
    wait(&b, "[data-testid=exception]", 30).await;
    wait(&b, "[data-testid=crumb]", 30).await;
    // Everything loaded, and every image (a payload's `onerror`) has failed or loaded.
    wait_js(
        &b,
        "window.__lookoutLoading === 0 && [...document.images].every(i => i.complete)",
        10,
    )
    .await;
    assert!(
        js(&b, "return window.__pwned === undefined")
            .await
            .as_bool()
            .unwrap(),
        "script ran"
    );
    let dangerous = js(&b, "return [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => /^on/i.test(a.name) || (/^(href|src)$/i.test(a.name) && /^\\s*javascript:/i.test(a.value)))).length").await;
    assert_eq!(
        dangerous,
        json!(0),
        "an event handler or javascript: link from event data"
    );
    let scripts = js(&b, "return [...document.querySelectorAll('script')].filter(s => s.textContent.includes('__pwned')).length").await;
    assert_eq!(scripts, json!(0));
    assert_eq!(
        js(&b, "return document.querySelectorAll('main img').length").await,
        json!(0)
    );
    let text = js(&b, "return document.body.innerText")
        .await
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        text.contains("<script>window.__pwned=1</script>"),
        "shown as text"
    );
    assert!(
        text.contains("⟨U+202E⟩"),
        "the direction override is shown, not applied"
    );
    // A 5,000-character word wraps instead of widening the page.
    assert_eq!(
        js(
            &b,
            "return document.documentElement.scrollWidth <= window.innerWidth + 1"
        )
        .await,
        json!(true)
    );
    // The request URL is not a link.
    assert_eq!(
        js(
            &b,
            "return document.querySelector('[data-testid=request-url]').tagName"
        )
        .await,
        json!("SPAN")
    );
}

#[tokio::test]
async fn a_huge_event_stays_fast_and_bounded() {
    let env = start(Flavor::Sentry);
    let mut ev = Event::new();
    ev.platform = "python".into();
    ev.server_name = Some("huge-host-1".into());
    ev.message = Some(format!("begin {} end", "m".repeat(1_000_000)));
    ev.exception = vec![Exception {
        ty: "RecursionError".into(),
        value: Some("maximum recursion depth exceeded".into()),
        stacktrace: Some(Stacktrace {
            frames: (0..10_000)
                .map(|i| Frame {
                    function: Some(format!("walk_{i}")),
                    filename: Some("tree.py".into()),
                    lineno: Some(i),
                    in_app: Some(i % 3 == 0),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }),
        ..Default::default()
    }]
    .into();
    ev.breadcrumbs = (0..10_000)
        .map(|i| Breadcrumb {
            message: Some(format!("step {i}")),
            category: Some("loop".into()),
            ..Default::default()
        })
        .collect::<Vec<_>>()
        .into();
    let mut deep = json!({"leaf": "bottom"});
    for i in 0..60 {
        deep = json!({ format!("level{i}"): deep });
    }
    ev.contexts.insert(
        "deep".into(),
        sentry::protocol::Context::Other(deep.as_object().unwrap().clone().into_iter().collect()),
    );
    let event_id = send_event(&env, "api", ev);
    let id = issue_of(&env, &event_id);
    let b = browser().await;
    b.goto(&format!("{}/issues/{id}", env.app)).await.unwrap();
    wait(&b, "[data-testid=more-crumbs]", 60).await;
    let crumbs = count(&b, "[data-testid=crumb]").await;
    assert!(crumbs <= 101, "{crumbs} breadcrumbs in the DOM");
    assert!(count(&b, "[data-testid=more-frames]").await == 1);
    assert!(count(&b, "[data-testid=more-message]").await == 1);
    let nodes = js(&b, "return document.getElementsByTagName('*').length")
        .await
        .as_u64()
        .unwrap();
    assert!(nodes < 6000, "{nodes} DOM nodes");
    b.find(Locator::Css("[data-testid=more-crumbs]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_js(
        &b,
        &format!("document.querySelectorAll('[data-testid=crumb]').length > {crumbs}"),
        15,
    )
    .await;
    // The page stays responsive: a timer set now fires promptly.
    let lag = b.execute_async("const done = arguments[arguments.length - 1]; const t = performance.now(); setTimeout(() => done(performance.now() - t), 0);", vec![]).await.unwrap();
    assert!(
        lag.as_f64().unwrap() < 2000.0,
        "main thread blocked for {lag} ms"
    );
    assert!(js(&b, "return window.__lookoutPanics || null")
        .await
        .is_null());
}

/// One answer cannot cost more than the cap: a server that sends 256 MB (with a length, or
/// streamed without one) gets a clear refusal, and the browser stops reading near the cap.
#[tokio::test]
async fn an_oversized_answer_is_refused_before_it_is_read_whole() {
    use std::sync::atomic::Ordering;
    let env = start(Flavor::Sentry);
    let b = browser().await;
    for declared in [false, true] {
        env.faults(lookout_sim::Faults {
            oversize: if declared { 0 } else { -1 },
            oversize_declared: if declared { -1 } else { 0 },
            path_contains: Some("/organizations/demo/issues/".into()),
            ..Default::default()
        });
        b.goto(&format!("{}/issues?_={declared}", env.app))
            .await
            .unwrap();
        let e = wait(&b, "[data-testid=error][data-error=too-large]", 60).await;
        let text = e.text().await.unwrap();
        assert!(text.contains("32 MB"), "says what the limit is: {text}");
        assert_eq!(count(&b, "[data-testid=issue-row]").await, 0);
        let sent = env.sim.app.oversize_sent.load(Ordering::Relaxed);
        assert!(
            sent < 96 * 1024 * 1024,
            "declared={declared}: {sent} of {} bytes left the server; the read must stop near 32 MB",
            lookout_sim::OVERSIZE_BYTES
        );
        // The rest of the app keeps working: the navigation still leads to the overview.
        assert!(count(&b, "nav a").await > 0);
    }
}

#[tokio::test]
async fn the_tags_panel_shows_each_tags_values_with_their_events_and_share() {
    let env = start(Flavor::Sentry);
    let list = env.api("organizations/demo/issues/?query=is:unresolved%20KeyError&statsPeriod=14d&sort=freq&limit=5");
    let id = list[0]["id"].as_str().unwrap().to_owned();
    // The truth: the issue's tags as the simulator answers them (the issue's whole life).
    let tags = env.api(&format!("organizations/demo/issues/{id}/tags/"));
    let b = browser_sized(1920, 1080).await;
    b.goto(&format!("{}/issues/{id}", env.app)).await.unwrap();
    wait(&b, "[data-testid=tag-value]", 30).await;
    let shown = js(
        &b,
        "return Object.fromEntries([...document.querySelectorAll('[data-testid=tag]')].map(t => [t.dataset.key,
           [...t.querySelectorAll('[data-testid=tag-value]')].map(r => [...r.querySelectorAll('td')].slice(0, 3).map(c => c.textContent))]))",
    )
    .await;
    let mut checked = 0;
    for tag in tags.as_array().unwrap() {
        let key = tag["key"].as_str().unwrap();
        if key == "server_name" {
            continue;
        }
        // A share is of every event with the tag (or of the values listed, if they add up to more).
        let listed: u64 = tag["topValues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["count"].as_u64().unwrap())
            .sum();
        let total = tag["totalValues"].as_u64().unwrap().max(listed);
        let want: Vec<Value> = tag["topValues"]
            .as_array()
            .unwrap()
            .iter()
            .take(6)
            .map(|v| {
                let n = v["count"].as_u64().unwrap();
                json!([
                    v["value"].as_str().unwrap(),
                    n.to_string(),
                    format!("{:.0}%", n as f64 * 100.0 / total as f64)
                ])
            })
            .collect();
        let got: Vec<Value> = shown[key]
            .as_array()
            .unwrap_or_else(|| panic!("tag {key} is shown"))
            .iter()
            .map(|r| json!([r[0], count_of(r[1].as_str().unwrap()).to_string(), r[2]]))
            .collect();
        assert_eq!(got, want, "tag {key}: value, events, share");
        checked += 1;
    }
    assert!(checked >= 5, "{checked} tags compared");
}

/// With the source's kind known (the simulator's config gives it), an issue's own requests go
/// out with the organization's instead of after its answer: they need no feature flag.
#[tokio::test]
async fn an_issue_does_not_wait_for_the_organization() {
    let env = start(Flavor::Sentry);
    let issue = env.api("organizations/demo/issues/?limit=1")[0].clone();
    let id = issue["id"].as_str().unwrap().to_owned();
    // Every answer takes 300 ms: a request asked after the organization's answer starts well after.
    env.faults(Faults {
        latency_ms: 300,
        ..Default::default()
    });
    let b = browser().await;
    b.goto(&format!("{}/issues/{id}", env.app)).await.unwrap();
    wait_eq(
        &b,
        "[...document.querySelectorAll('[data-testid=issue-title]')].map(e => e.textContent)",
        &json!([issue["title"]]),
        30,
    )
    .await;
    let gap = asked_after_organization(&b, &format!("/issues/{id}/")).await;
    assert!(
        gap < 0.0,
        "the issue was asked {gap:.0} ms after the organization's answer"
    );
}
