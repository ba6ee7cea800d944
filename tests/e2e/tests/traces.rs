//! Traces in both Sentry flavors (new `trace/` and legacy `events-trace/`), the 10,000-span
//! trace, and GlitchTip's explanation.

use fantoccini::Locator;
use lookout_e2e::*;
use lookout_sim::Flavor;
use serde_json::json;

/// An issue whose latest event belongs to a trace with its error pinned on a span.
fn traced_issue(env: &Env) -> (String, String) {
    let list = env.api("organizations/demo/issues/?query=is:unresolved%20KeyError&statsPeriod=14d&sort=freq&limit=5");
    let id = list[0]["id"].as_str().unwrap().to_owned();
    let ev = env.api(&format!("organizations/demo/issues/{id}/events/latest/"));
    (
        id,
        ev["contexts"]["trace"]["trace_id"]
            .as_str()
            .unwrap()
            .to_owned(),
    )
}

async fn check_error_trace(flavor: Flavor) {
    let env = start(flavor);
    let (issue, trace) = traced_issue(&env);
    let b = browser().await;
    // From the issue page, through its trace link.
    b.goto(&format!("{}/issues/{issue}", env.app))
        .await
        .unwrap();
    wait(&b, "[data-testid=trace-link]", 30).await;
    js(
        &b,
        "document.querySelector('[data-testid=trace-link]').click()",
    )
    .await;
    wait_js(
        &b,
        &format!("location.pathname.endsWith('/trace/{trace}')"),
        10,
    )
    .await;
    wait(&b, "[data-testid=wf-row]", 30).await;
    let kind = js(
        &b,
        "return document.body.innerText.includes('events-trace') ? 'legacy' : 'new'",
    )
    .await;
    assert_eq!(
        kind,
        json!(if flavor == Flavor::SentryLegacy {
            "legacy"
        } else {
            "new"
        })
    );
    // Spans from more than one service, with servers.
    let labels = texts(&b, "[data-testid=wf-row] .wf-label").await;
    assert!(labels.len() >= 5, "{labels:?}");
    assert!(
        labels.iter().any(|l| l.contains("http.server")),
        "{labels:?}"
    );
    assert!(
        labels
            .iter()
            .any(|l| l.contains("aws-") || l.contains("gcp-")),
        "servers shown: {labels:?}"
    );
    // The trace's errors are listed first, as the server knows them (asked in the test), and
    // each error's title is on its span's row.
    wait(&b, "[data-testid=trace-error]", 20).await;
    let mut want: Vec<String> = env
        .api_all(&format!(
            "organizations/demo/events/?dataset=errors&field=id&field=title&statsPeriod=14d&per_page=100&query=trace:{trace}"
        ))
        .iter()
        .map(|r| r["title"].as_str().unwrap().to_owned())
        .collect();
    want.sort();
    let listed = texts(&b, "[data-testid=trace-error] .wf-err").await;
    let mut got: Vec<String> = listed
        .iter()
        .map(|t| t.trim_start_matches("● ").to_owned())
        .collect();
    got.sort();
    assert_eq!(got, want, "the trace's errors");
    let inline = texts(&b, "[data-testid=span-error]").await;
    assert!(
        want.iter()
            .all(|w| inline.iter().any(|i| i.contains(w.as_str()))),
        "each error's title on its row: {inline:?}"
    );
    // The list jumps to the span: it is selected and its detail links to the issue.
    click(&b, "[data-testid=trace-error]").await;
    let link = wait(&b, "[data-testid=span-error-link]", 10).await;
    let href = link.attr("href").await.unwrap().unwrap();
    assert!(href.contains(&format!("/issues/{issue}")), "{href}");
    // The error is pinned on its span and links to its issue.
    wait(&b, "[data-testid=span-error]", 20).await;
    js(&b, "document.querySelector('[data-testid=span-error]').closest('[data-testid=wf-row]').click()").await;
    let link = wait(&b, "[data-testid=span-error-link]", 10).await;
    let href = link.attr("href").await.unwrap().unwrap();
    assert!(href.contains(&format!("/issues/{issue}")), "{href}");
    // Collapse the root: its subtree leaves the DOM.
    let before = count(&b, "[data-testid=wf-row]").await;
    js(
        &b,
        "document.querySelector('[data-testid=wf-row] .wf-toggle[role=button]').click()",
    )
    .await;
    wait_js(
        &b,
        &format!("document.querySelectorAll('[data-testid=wf-row]').length < {before}"),
        10,
    )
    .await;
    assert!(js(&b, "return window.__lookoutPanics || null")
        .await
        .is_null());
}

#[tokio::test]
async fn an_error_trace_in_the_new_format() {
    check_error_trace(Flavor::Sentry).await;
}

#[tokio::test]
async fn an_error_trace_in_the_legacy_format() {
    check_error_trace(Flavor::SentryLegacy).await;
}

#[tokio::test]
async fn ten_thousand_spans_keep_the_dom_small_and_scroll() {
    let env = start(Flavor::Sentry);
    let trace = env.info()["bigTraceId"].as_str().unwrap().to_owned();
    let b = browser().await;
    b.goto(&format!("{}/trace/{trace}", env.app)).await.unwrap();
    wait(&b, "[data-testid=wf-row]", 60).await;
    let spans = b
        .find(Locator::Css("[data-testid=span-count]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        spans.starts_with("10000") || spans.starts_with("10,000"),
        "{spans}"
    );
    let rows = count(&b, "[data-testid=wf-row]").await;
    assert!(rows < 80, "{rows} rows in the DOM");
    let nodes = js(&b, "return document.getElementsByTagName('*').length")
        .await
        .as_u64()
        .unwrap();
    assert!(nodes < 2000, "{nodes} DOM nodes");
    // Scroll to the end: the last spans are there, and the DOM is still small.
    js(
        &b,
        "const s = document.querySelector('.wf-scroll'); s.scrollTop = s.scrollHeight;",
    )
    .await;
    // The last spans are rendered once the scroll is handled.
    wait_js(
        &b,
        "[...document.querySelectorAll('[data-testid=wf-row] .wf-label')].some(l => l.textContent.includes('1099') || l.textContent.includes('110'))",
        10,
    )
    .await;
    assert!(count(&b, "[data-testid=wf-row]").await < 80);
    // Search finds a span deep in the trace and scrolls to it.
    let search = b
        .find(Locator::Css("[data-testid=trace-search]"))
        .await
        .unwrap();
    search.send_keys("reindex batch 77").await.unwrap();
    js(&b, "document.querySelector('[data-testid=trace-search]').dispatchEvent(new Event('change', {bubbles: true}))").await;
    wait_js(&b, "document.querySelector('[data-testid=match-count]') && document.querySelector('[data-testid=match-count]').textContent.includes('1')", 10).await;
    wait(&b, "[data-testid=span-detail]", 10).await;
    let detail = b
        .find(Locator::Css("[data-testid=span-detail]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(detail.contains("reindex batch 77"), "{detail}");
    // Keyboard: down moves the selection.
    js(&b, "document.activeElement.blur(); window.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowDown'}));").await;
    wait_js(
        &b,
        &format!(
            "document.querySelector('[data-testid=span-detail]').innerText !== {}",
            serde_json::json!(detail)
        ),
        10,
    )
    .await;
}

#[tokio::test]
async fn the_traces_list_links_slow_and_failing_transactions() {
    let env = start(Flavor::Sentry);
    let b = browser().await;
    b.goto(&format!("{}/traces", env.app)).await.unwrap();
    wait(
        &b,
        "[data-testid=slow-transactions] [data-testid=trace-row]",
        30,
    )
    .await;
    assert!(
        count(
            &b,
            "[data-testid=failing-transactions] [data-testid=trace-row]"
        )
        .await
            > 0
    );
    b.find(Locator::Css(
        "[data-testid=slow-transactions] [data-testid=trace-row] a",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    wait(&b, "[data-testid=wf-row]", 60).await;
}

#[tokio::test]
async fn glitchtip_says_why_there_is_no_waterfall() {
    let env = start(Flavor::Glitchtip);
    let b = browser().await;
    b.goto(&format!("{}/traces", env.app)).await.unwrap();
    wait(&b, "[data-testid=no-traces]", 30).await;
    assert!(count(&b, "[data-testid=transaction-groups] tbody tr").await > 0);
}
