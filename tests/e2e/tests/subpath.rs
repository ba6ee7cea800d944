//! Hosting under a sub-path (`cargo xtask dist --public-url /lookout/`, as on a bucket shared with
//! other sites): assets, `config.json`, links, client routes and deep links all stay under it.

use lookout_e2e::*;
use lookout_sim::{Flavor, SimOptions};
use serde_json::json;

#[tokio::test]
async fn the_app_works_under_a_sub_path() {
    let sim_env = start_with(SimOptions {
        serve_dist: Some(subpath_dist_dir()),
        dist_prefix: "/lookout/".into(),
        ..options(Flavor::Sentry)
    });
    let origin = sim_env.app.clone();
    let app = format!("{origin}/lookout");
    let b = browser().await;
    b.goto(&format!("{app}/")).await.unwrap();
    wait(&b, "[data-testid=legend-row]", 30).await;
    // Every link of the app stays under the sub-path.
    let hrefs = js(
        &b,
        "return [...document.querySelectorAll('a[href]')].map(a => new URL(a.href).pathname).filter(p => !p.startsWith('/lookout/'))",
    )
    .await;
    assert_eq!(hrefs, json!([]), "links outside /lookout/");
    // A client-side move keeps it.
    click(&b, "[data-testid=nav-issues]").await;
    wait(&b, "[data-testid=issue-row]", 30).await;
    assert_eq!(
        js(&b, "return location.pathname").await,
        json!("/lookout/issues")
    );
    // A deep link (served by the index.html fallback) opens that issue.
    let id = js(
        &b,
        "return document.querySelector('[data-testid=issue-row]').dataset.id",
    )
    .await;
    let id = id.as_str().unwrap().to_owned();
    b.goto(&format!("{app}/issues/{id}")).await.unwrap();
    wait(&b, "[data-testid=issue-title]", 30).await;
    // The boot module's preload found the issue page's module under the sub-path, before the
    // app started, and the app used that answer.
    let module = js(
        &b,
        "const s = performance.getEntriesByName('lookout:start')[0].startTime;\
         return performance.getEntriesByType('resource').filter(e => /split_issue_page-[^/]*\\.wasm$/.test(e.name))\
         .map(e => [new URL(e.name).pathname.split('/')[1], e.startTime < s, e.responseStatus])",
    )
    .await;
    assert_eq!(
        module,
        json!([["lookout", true, 200]]),
        "the issue page's module"
    );
    // Only the folder is the site.
    let outside = reqwest::blocking::get(format!("{origin}/issues")).unwrap();
    assert_eq!(outside.status().as_u16(), 404);
    let config = reqwest::blocking::get(format!("{app}/config.json")).unwrap();
    assert_eq!(config.status().as_u16(), 200);
    assert!(js(&b, "return window.__lookoutPanics || null")
        .await
        .is_null());
}
