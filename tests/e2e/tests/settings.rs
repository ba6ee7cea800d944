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
    let id = attrs(&b, "[data-testid=matrix-row] a", "href").await[0].clone();
    b.goto(&format!("{}{}", env.app, id)).await.unwrap();
    wait(&b, "[data-testid=dist-row]", 30).await;
    let w = js(&b, "return document.querySelector('[data-testid=dist-row] .bar > span').getBoundingClientRect().width").await;
    assert!(w.as_f64().unwrap() > 1.0, "bar width {w}");
}
