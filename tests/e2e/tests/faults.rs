//! A misbehaving server as the browser sees it: 429 with `Retry-After`, a 500, an HTML error page,
//! malformed JSON, a timeout and a dropped connection. Each is explained in words a user can act
//! on, the last good data stays on the page marked stale, and the page recovers by itself.

use lookout_e2e::*;
use lookout_sim::{Faults, Flavor};
use serde_json::json;
use std::time::Instant;

const LIST: &str = "organizations/demo/issues/?query=is:unresolved&statsPeriod=24h&groupStatsPeriod=24h&sort=date&limit=25";

fn on_issues(f: Faults) -> Faults {
    Faults {
        path_contains: Some("/issues/".into()),
        ..f
    }
}

#[tokio::test]
async fn each_failure_is_explained_keeps_the_last_data_and_recovers() {
    let env = start(Flavor::Sentry);
    let want: Vec<String> = env
        .api(LIST)
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    let b = browser().await;
    b.goto(&format!(
        "{}/issues?_refreshMs=1500&_timeoutMs=1500",
        env.app
    ))
    .await
    .unwrap();
    wait_eq(&b, ISSUE_IDS, &json!(want), 30).await;
    let cases = [
        (
            Faults {
                server_error: -1,
                ..Faults::default()
            },
            "server",
            "The server failed (500)",
        ),
        // nginx's own HTML page for a 502 in front of the server.
        (
            Faults {
                html_error: -1,
                ..Faults::default()
            },
            "server",
            "The server failed (502)",
        ),
        (
            Faults {
                malformed_json: -1,
                ..Faults::default()
            },
            "shape",
            "did not have the expected shape",
        ),
        (
            Faults {
                latency_ms: 3000,
                ..Faults::default()
            },
            "timeout",
            "did not answer in time",
        ),
        (
            Faults {
                drop: -1,
                ..Faults::default()
            },
            "network",
            "could not be reached",
        ),
    ];
    for (fault, code, words) in cases {
        env.faults(on_issues(fault));
        let shown = wait_js(
            &b,
            &format!(
                "(() => {{ const e = document.querySelector('[data-testid=error][data-error={code}]'); return e && e.textContent; }})()"
            ),
            30,
        )
        .await;
        let text = shown.as_str().unwrap();
        assert!(text.contains(words), "{code}: {text:?}");
        // The last good list stays, marked stale.
        assert!(
            count(&b, "[data-testid=stale]").await == 1,
            "{code}: not marked stale"
        );
        assert_eq!(
            js(&b, &format!("return {ISSUE_IDS}")).await,
            json!(want),
            "{code}: the last good rows stay"
        );
        screenshot(&b, &format!("issues-fault-{code}")).await;
        // Recovers by itself once the server does.
        env.faults(Faults::default());
        wait_js(
            &b,
            "!document.querySelector('[data-testid=error]') && !document.querySelector('[data-testid=stale]')",
            30,
        )
        .await;
        wait_eq(&b, ISSUE_IDS, &json!(want), 10).await;
    }
    assert!(js(&b, "return window.__lookoutPanics || null")
        .await
        .is_null());
}

/// Times (seconds since the simulator started) of the issue-list requests it answered.
fn list_requests(env: &Env) -> Vec<(f64, u16)> {
    env.sim
        .app
        .counters
        .lock()
        .unwrap()
        .log
        .iter()
        .filter(|l| l.path.ends_with("/organizations/demo/issues/"))
        .map(|l| (l.at, l.status))
        .collect()
}

#[tokio::test]
async fn a_429_waits_as_long_as_retry_after_says() {
    let env = start(Flavor::Sentry);
    let b = browser().await;
    b.goto(&format!("{}/issues?_refreshMs=1000", env.app))
        .await
        .unwrap();
    wait(&b, "[data-testid=issue-row]", 30).await;
    // One 429 with Retry-After: 3. The request is tried again after three seconds, not the
    // client's own short backoff, and the list never shows an error.
    env.faults(on_issues(Faults {
        rate_limit: 1,
        retry_after_secs: Some(3),
        ..Faults::default()
    }));
    let from = list_requests(&env).len();
    let deadline = Instant::now() + std::time::Duration::from_secs(20);
    let (limited, retried) = loop {
        let log = list_requests(&env);
        if let Some(i) = log[from..].iter().position(|r| r.1 == 429) {
            if let Some(next) = log[from + i + 1..].first() {
                break (log[from + i].0, *next);
            }
        }
        assert!(Instant::now() < deadline, "no retry after the 429: {log:?}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(retried.1, 200);
    assert!(
        retried.0 - limited >= 3.0,
        "retried {:.2} s after a Retry-After of 3 s",
        retried.0 - limited
    );
    assert_eq!(count(&b, "[data-testid=error]").await, 0);

    // A server that keeps answering 429: the page says so, keeps the list, and the refresh clock
    // waits at least Retry-After between attempts although its period is one second.
    env.faults(on_issues(Faults {
        rate_limit: -1,
        retry_after_secs: Some(4),
        ..Faults::default()
    }));
    let text = wait(&b, "[data-testid=error][data-error=rate-limited]", 30)
        .await
        .text()
        .await
        .unwrap();
    assert!(text.contains("429"), "{text}");
    assert_eq!(count(&b, "[data-testid=stale]").await, 1);
    let first = list_requests(&env)
        .iter()
        .rposition(|r| r.1 == 429)
        .expect("a 429 was answered");
    let deadline = Instant::now() + std::time::Duration::from_secs(30);
    while list_requests(&env).len() < first + 4 {
        assert!(Instant::now() < deadline, "no further attempts");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let log = list_requests(&env);
    for w in log[first..].windows(2) {
        assert!(
            w[1].0 - w[0].0 >= 4.0 - 0.05,
            "attempts {:.2} s apart under Retry-After: 4 ({:?})",
            w[1].0 - w[0].0,
            &log[first..]
        );
    }
    env.faults(Faults::default());
    wait_js(&b, "!document.querySelector('[data-testid=error]')", 30).await;
}
