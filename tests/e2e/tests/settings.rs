//! Settings, tokens, connection tests, errors users can act on, and the language switch.

use fantoccini::Locator;
use lookout_e2e::*;
use lookout_sim::Flavor;
use serde_json::json;

/// The token a storage (`localStorage` or `sessionStorage`) holds for the source `Demo` at the
/// simulator's origin.
fn stored(storage: &str, env: &Env) -> String {
    format!(
        "return {storage}.getItem({:?})",
        format!("lookout.token.Demo|{}", env.sim.url)
    )
}

fn tokenless() -> String {
    json!({"sources": [{"name": "Demo", "url": "{self}", "org": "demo"}]}).to_string()
}

#[tokio::test]
async fn a_token_in_the_address_is_kept_and_removed_from_the_address_bar() {
    let env = start_with(lookout_sim::SimOptions {
        served_config: Some(tokenless()),
        ..options(Flavor::Sentry)
    });
    let b = browser().await;
    b.goto(&format!("{}/", env.app)).await.unwrap();
    let err = wait(&b, "[data-testid=error][data-error=unauthorized]", 30).await;
    assert!(err.text().await.unwrap().contains("401"));
    b.goto(&format!(
        "{}/wall?views=overview#token=lookout-demo&source=Demo",
        env.app
    ))
    .await
    .unwrap();
    wait_js(&b, "document.querySelector('[data-testid=big-errors] .value') && document.querySelector('[data-testid=big-errors] .value').textContent !== '–'", 30).await;
    assert_eq!(js(&b, "return location.hash").await, json!(""));
    assert!(!js(&b, "return location.href")
        .await
        .as_str()
        .unwrap()
        .contains("lookout-demo"));
    assert_eq!(
        js(&b, &stored("localStorage", &env)).await,
        json!("lookout-demo")
    );
    // No request ever carried the token in its URL.
    assert!(env
        .request_log()
        .iter()
        .all(|(_, q)| !q.contains("lookout-demo")));
}

#[tokio::test]
async fn a_link_never_silently_replaces_a_saved_token() {
    let env = start_with(lookout_sim::SimOptions {
        served_config: Some(tokenless()),
        ..options(Flavor::Sentry)
    });
    let b = browser().await;
    b.goto(&format!(
        "{}/wall?views=overview#token=lookout-demo&source=Demo",
        env.app
    ))
    .await
    .unwrap();
    wait_js(&b, &stored("localStorage", &env).replace("return ", ""), 30).await;
    // Someone sends the wall another link with their own token.
    b.goto(&format!(
        "{}/?x=1#token=attacker-token&source=Demo",
        env.app
    ))
    .await
    .unwrap();
    let q = wait(&b, "[data-testid=link-token-question]", 30).await;
    let text = q.text().await.unwrap();
    let host = env.sim.url.trim_start_matches("http://");
    assert!(
        text.contains("Demo") && text.contains(host),
        "the question names the source and its host: {text}"
    );
    assert_eq!(
        js(&b, &stored("localStorage", &env)).await,
        json!("lookout-demo"),
        "nothing replaced before the answer"
    );
    assert_eq!(js(&b, "return location.hash").await, json!(""));
    click(&b, "[data-testid=link-token-keep]").await;
    wait_js(
        &b,
        "!document.querySelector('[data-testid=link-token-question]')",
        10,
    )
    .await;
    assert_eq!(
        js(&b, &stored("localStorage", &env)).await,
        json!("lookout-demo")
    );
    // The overview still works with the kept token.
    wait(&b, "[data-testid=legend-row]", 30).await;
    // Asked again and answered yes, the new token is saved.
    b.goto(&format!("{}/?x=2#token=other-token&source=Demo", env.app))
        .await
        .unwrap();
    click(&b, "[data-testid=link-token-replace]").await;
    wait_js(
        &b,
        "!document.querySelector('[data-testid=link-token-question]')",
        10,
    )
    .await;
    assert_eq!(
        js(&b, &stored("localStorage", &env)).await,
        json!("other-token")
    );
}

#[tokio::test]
async fn the_connection_test_says_what_failed() {
    let env = start_with(lookout_sim::SimOptions {
        served_config: Some(tokenless()),
        ..options(Flavor::Sentry)
    });
    let b = browser().await;
    b.goto(&format!("{}/settings", env.app)).await.unwrap();
    wait(&b, "[data-testid=source-card]", 30).await;
    let origin = b
        .find(Locator::Css("[data-testid=origin]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(origin.contains(&env.app), "{origin}");
    let token = b
        .find(Locator::Css("[data-testid=src-token]"))
        .await
        .unwrap();
    token.send_keys("wrong-token").await.unwrap();
    b.find(Locator::Css("[data-testid=test-connection]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_js(
        &b,
        "document.querySelector('[data-testid=test-result]').textContent.includes('401')",
        15,
    )
    .await;
    token.clear().await.unwrap();
    token.send_keys("lookout-demo").await.unwrap();
    b.find(Locator::Css("[data-testid=test-connection]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let ok = wait_js(&b, "document.querySelector('[data-testid=test-result]').textContent.includes('Connected') && document.querySelector('[data-testid=test-result]').textContent", 15).await;
    assert!(ok.as_str().unwrap().contains("3"), "{ok}");
    // Save it for this tab only, then the overview works.
    b.find(Locator::Css("[data-testid=save-token]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(
        js(&b, &stored("sessionStorage", &env)).await,
        json!("lookout-demo")
    );
    assert_eq!(js(&b, &stored("localStorage", &env)).await, json!(null));
    b.find(Locator::Css("[data-testid=nav-overview]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait(&b, "[data-testid=legend-row]", 30).await;
}

#[tokio::test]
async fn an_invalid_origin_is_explained_with_this_pages_origin() {
    let env = start_with(lookout_sim::SimOptions {
        allow_served_origin: false,
        ..options(Flavor::Sentry)
    });
    let b = browser().await;
    b.goto(&format!("{}/", env.app)).await.unwrap();
    let err = wait(&b, "[data-testid=error][data-error=invalid-origin]", 30).await;
    let text = err.text().await.unwrap();
    assert!(
        text.contains(&env.app) && text.contains("Authorized JavaScript Origins"),
        "{text}"
    );
}

#[tokio::test]
async fn korean_is_one_switch_away() {
    let env = start(Flavor::Sentry);
    let b = browser().await;
    b.goto(&format!("{}/", env.app)).await.unwrap();
    wait(&b, "[data-testid=legend-row]", 30).await;
    js(&b, "const s = document.querySelector('[data-testid=lang]'); s.value = 'ko'; s.dispatchEvent(new Event('change', {bubbles: true}));").await;
    wait_js(
        &b,
        "document.querySelector('[data-testid=nav-overview]').textContent === '개요'",
        10,
    )
    .await;
    assert_eq!(
        js(&b, "return document.documentElement.lang").await,
        json!("ko")
    );
    assert!(b
        .find(Locator::Css("h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .contains("서버"));
    // Remembered on this device.
    b.refresh().await.unwrap();
    wait_js(&b, "document.querySelector('[data-testid=nav-overview]') && document.querySelector('[data-testid=nav-overview]').textContent === '개요'", 20).await;
}

#[tokio::test]
async fn it_works_under_a_strict_content_security_policy() {
    // The policy the README recommends: no inline scripts, no inline styles, connections only to
    // the page and the source.
    let csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self' {self}; frame-ancestors 'none'; base-uri 'self'";
    let env = start_with(lookout_sim::SimOptions {
        served_csp: Some(csp.into()),
        ..options(Flavor::Sentry)
    });
    let b = browser().await;
    b.goto(&format!("{}/", env.app)).await.unwrap();
    wait(&b, "[data-testid=legend-row]", 30).await;
    // Styles set by the app (swatches, matrix cells) took effect.
    let sw = js(&b, "return getComputedStyle(document.querySelector('[data-testid=legend-row] .sw')).backgroundColor").await;
    assert_ne!(sw, json!("rgba(0, 0, 0, 0)"), "a blocked inline style");
    // The matrix comes with its own request, after the chart.
    wait(&b, "[data-testid=matrix-row] a", 30).await;
    let id = attrs(&b, "[data-testid=matrix-row] a", "href").await[0].clone();
    b.goto(&format!("{}{}", env.app, id)).await.unwrap();
    wait(&b, "[data-testid=dist-row]", 30).await;
    let w = js(&b, "return document.querySelector('[data-testid=dist-row] .bar > span').getBoundingClientRect().width").await;
    assert!(w.as_f64().unwrap() > 1.0, "bar width {w}");
}

/// Types into an input (clearing it first) and lets the page hear it.
async fn type_into(b: &Browser, css: &str, text: &str) {
    js(
        b,
        &format!(
            "const e = document.querySelector({}); e.value = {}; e.dispatchEvent(new Event('input', {{bubbles: true}})); e.dispatchEvent(new Event('change', {{bubbles: true}}));",
            json!(css),
            json!(text)
        ),
    )
    .await;
}

#[tokio::test]
async fn a_token_is_kept_in_the_tab_remembered_on_request_and_forgotten() {
    let env = start_with(lookout_sim::SimOptions {
        served_config: Some(tokenless()),
        ..options(Flavor::Sentry)
    });
    let b = browser().await;
    b.goto(&format!("{}/settings", env.app)).await.unwrap();
    wait(&b, "[data-testid=source-card]", 30).await;
    // Pasted without "remember": this tab only.
    type_into(&b, "#src-token-0", "lookout-demo").await;
    click(&b, "[data-testid=save-token]").await;
    assert_eq!(
        js(&b, &stored("sessionStorage", &env)).await,
        json!("lookout-demo")
    );
    assert_eq!(js(&b, &stored("localStorage", &env)).await, json!(null));
    b.goto(&format!("{}/", env.app)).await.unwrap();
    wait(&b, "[data-testid=legend-row]", 30).await;
    // Remembered on this device when asked.
    b.goto(&format!("{}/settings", env.app)).await.unwrap();
    wait(&b, "[data-testid=source-card]", 30).await;
    type_into(&b, "#src-token-0", "lookout-demo").await;
    // Ticked as a user does: the click fires the `change` the form listens to.
    click(&b, "#src-remember-0").await;
    click(&b, "[data-testid=save-token]").await;
    assert_eq!(
        js(&b, &stored("localStorage", &env)).await,
        json!("lookout-demo")
    );
    // A new tab of the same profile (sessionStorage is empty there) still has it.
    js(&b, "sessionStorage.clear()").await;
    b.goto(&format!("{}/", env.app)).await.unwrap();
    wait(&b, "[data-testid=legend-row]", 30).await;
    // Forgotten everywhere: the next load is refused, and says why.
    b.goto(&format!("{}/settings", env.app)).await.unwrap();
    wait(&b, "[data-testid=source-card]", 30).await;
    click(&b, "[data-testid=forget-token]").await;
    assert_eq!(js(&b, &stored("localStorage", &env)).await, json!(null));
    assert_eq!(js(&b, &stored("sessionStorage", &env)).await, json!(null));
    b.goto(&format!("{}/", env.app)).await.unwrap();
    wait(&b, "[data-testid=error][data-error=unauthorized]", 30).await;
}

#[tokio::test]
async fn sources_are_added_edited_and_removed_and_survive_a_reload() {
    let gt = lookout_sim::Sim::start(lookout_sim::SimOptions {
        port: 0,
        flavor: Flavor::Glitchtip,
        live_interval_ms: 0,
        quiet: true,
        ..lookout_sim::SimOptions::default()
    })
    .unwrap();
    let env = start(Flavor::Sentry);
    let b = browser_sized(1920, 1080).await;
    b.goto(&format!("{}/settings", env.app)).await.unwrap();
    wait(&b, "[data-testid=source-card]", 30).await;
    assert_eq!(count(&b, "[data-testid=source-card]").await, 1);
    // Add a GlitchTip source and save it.
    click(&b, "[data-testid=add-source]").await;
    wait_js(
        &b,
        "document.querySelectorAll('[data-testid=source-card]').length === 2",
        10,
    )
    .await;
    type_into(&b, "#src-name-1", "Self-hosted").await;
    type_into(&b, "#src-url-1", &gt.url).await;
    type_into(&b, "#src-org-1", "demo").await;
    js(&b, "const k = document.querySelector('#src-kind-1'); k.value = 'glitchtip'; k.dispatchEvent(new Event('change', {bubbles: true}));").await;
    click(&b, "[data-testid=save-sources]").await;
    wait_js(
        &b,
        "document.querySelector('[data-testid=save-status]').textContent.includes('Saved')",
        10,
    )
    .await;
    // Its token, for this tab.
    wait(&b, "#src-token-1", 10).await;
    type_into(&b, "#src-token-1", "lookout-demo").await;
    click(
        &b,
        "[data-testid=source-card]:nth-of-type(2) [data-testid=save-token]",
    )
    .await;
    // After a reload both are there, as typed.
    b.refresh().await.unwrap();
    wait_js(
        &b,
        "document.querySelectorAll('[data-testid=source-card]').length === 2",
        30,
    )
    .await;
    let values = js(&b, "return ['#src-name-1', '#src-url-1', '#src-org-1', '#src-kind-1'].map(s => document.querySelector(s).value)").await;
    assert_eq!(values, json!(["Self-hosted", gt.url, "demo", "glitchtip"]));
    // The wall now shows both, the new one with GlitchTip's issues.
    b.goto(&format!("{}/wall?views=issues", env.app))
        .await
        .unwrap();
    wait_js(&b, "[...document.querySelectorAll('[data-testid=wall-issue] .badge')].some(e => e.textContent === 'Self-hosted')", 60).await;
    assert!(
        gt.app.counters.lock().unwrap().total > 0,
        "the new source was asked"
    );
    // Edited: a wrong organization is reported on that source only.
    b.goto(&format!("{}/settings", env.app)).await.unwrap();
    wait(&b, "#src-org-1", 30).await;
    type_into(&b, "#src-org-1", "no-such-org").await;
    click(&b, "[data-testid=save-sources]").await;
    b.goto(&format!("{}/wall?views=issues", env.app))
        .await
        .unwrap();
    wait_js(&b, "(() => { const c = document.querySelector('[data-testid=source-status][data-source=Self-hosted]'); return c && c.querySelector('[data-testid=wall-error]'); })()", 60).await;
    wait_js(&b, "(() => { const c = document.querySelector('[data-testid=source-status][data-source=Demo]'); return c && !c.querySelector('[data-testid=wall-error]'); })()", 60).await;
    // Removed: gone after a reload too.
    b.goto(&format!("{}/settings", env.app)).await.unwrap();
    wait_js(
        &b,
        "document.querySelectorAll('[data-testid=source-card]').length === 2",
        30,
    )
    .await;
    click(
        &b,
        "[data-testid=source-card]:nth-of-type(2) [data-testid=remove-source]",
    )
    .await;
    wait_js(
        &b,
        "document.querySelectorAll('[data-testid=source-card]').length === 1",
        10,
    )
    .await;
    b.refresh().await.unwrap();
    wait(&b, "[data-testid=source-card]", 30).await;
    assert_eq!(count(&b, "[data-testid=source-card]").await, 1);
    assert_eq!(
        js(&b, "return document.querySelector('#src-name-0').value").await,
        json!("Demo")
    );
}
